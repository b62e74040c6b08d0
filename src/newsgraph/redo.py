"""Re-run stages on a stored corpus: ``newsgraph analyze --db FILE --redo quotes``.

After a model or rule upgrade, the stored articles are analysed again by the named stages and by
every later stage that reads what they assign (:meth:`Pipeline.plan`: re-running ``entities``
re-runs ``quotes`` and ``relations``), from the article text and layers in the store; the sources
are not read again and segmentation is not re-run (it decides what the articles are). Each stage
clears what it stored for the article and writes its new rows (:mod:`newsgraph.store.layers`), so
the tables of the other stages are not touched. Each article is committed with a marker of the
re-run, so a re-run killed at any point resumes where it stopped when started again with the same
stages and the same component versions. The corpus steps that read a changed layer (entity
resolution reads the mentions) run again at the end, and the run is recorded in ``runs`` with the
versions of every component and ``{"redo": [stages]}`` in its arguments.

Articles are re-analysed as a fresh run sees them: the stages' own output is cleared before they
run, and mentions carry no entity id yet (resolution runs after the per-article stages), so a
re-run with the same components writes the rows a fresh analysis writes. One limit: re-running
``language`` detects each paragraph on its stored text, where segmentation detected the whole
line; the two differ only for a paragraph whose trailing boilerplate was cut (a licence
sentence), and the segmentation decisions that read the line languages (captions, datelines)
are not revisited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from newsgraph import __version__
from newsgraph.mapper import make_mapper
from newsgraph.model import Article, ProcessingError
from newsgraph.pipeline import (Pipeline, PipelineError, ProgressCallback, StageError, _default_declarations,
                                bug_report, component_versions, corpus_steps_for, default_pipeline, run_corpus_steps)
from newsgraph.store import layers as store_layers
from newsgraph.store.db import Store


@dataclass
class RedoResult:
    stages: list[str] = field(default_factory=list)  # what was re-run: the named stages and their dependants
    articles: int = 0  # articles re-analysed by this run
    resumed: int = 0  # articles an interrupted run had already done (not redone)
    resumes: int | None = None  # the run this one resumes
    entities: int = 0
    corpus_steps: list[str] = field(default_factory=list)
    errors: list[ProcessingError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"redone": self.articles, "resumed": self.resumed, "entities": self.entities,
                "errors": len(self.errors)}


def redo_plan(pipeline: Pipeline, stages: Iterable[str]) -> list[str]:
    """The stages to re-run for ``stages``, in pipeline order; refuses an unknown stage and segmentation."""
    wanted = list(dict.fromkeys(s.strip() for s in stages if s.strip()))
    if not wanted:
        raise PipelineError(f"name the stages to re-run: {', '.join(pipeline.names)}")
    if "segment" in wanted:
        raise PipelineError("segmentation cannot be re-run on stored articles (it decides what the articles are); "
                            "analyse the sources into a new database instead")
    unknown = [s for s in wanted if s not in pipeline.names]
    if unknown:
        raise PipelineError(f"unknown stage {', '.join(map(repr, unknown))}; stages that can be re-run: "
                            f"{', '.join(pipeline.names)}")
    return pipeline.plan(wanted)


def _check_left_out(store: Store, pipeline: Pipeline, plan: list[str]) -> None:
    """Refuse a re-run that would leave stored rows of a built-in stage missing from ``pipeline``
    pointing at output the re-run replaces (relations on the mentions of a new NER model)."""
    changed = {layer for name in plan for layer in pipeline.stage(name).assigns}
    for name, requires, _ in _default_declarations():
        reads = changed & set(requires)
        if name not in pipeline.names and reads and store.layer_has_rows(store_layers.BUILTIN[name]):
            raise PipelineError(f"the store holds rows of stage {name!r}, which reads {', '.join(sorted(reads))} that "
                                f"this re-run replaces, but {name!r} is not in the pipeline: add it back so that it "
                                "re-runs too")


def rerun_article(stages: Pipeline, article: Article) -> Article | ProcessingError:
    """``stages`` on a stored article, as a fresh run would run them; a bug comes back as an error."""
    for mention in article.mentions:
        mention.entity_id = None  # set by resolution after the per-article stages, so unseen by them
    for stage in reversed(stages.stages):
        stage.clear(article)
    try:
        return stages.run(article)
    except StageError as exc:
        return bug_report(article.source, exc, prefix=f"article {article.id}: ")


def redo(db: str | Path, stages: Iterable[str], *, pipeline: Pipeline | None = None,
         overrides: str | Path | None = None, workers: int = 1, scheduler: str | None = None,
         progress: ProgressCallback | None = None, batch_size: int | None = None) -> RedoResult:
    """Re-run ``stages`` and their dependants on every article stored in ``db`` (see the module)."""
    pipeline = pipeline or default_pipeline()
    pipeline.check()
    plan = redo_plan(pipeline, stages)
    subset = Pipeline([pipeline.stage(name) for name in plan])
    layers = subset.layers()
    notify = progress or (lambda event, info: None)
    result = RedoResult(stages=plan)
    size = batch_size or (16 * max(1, workers) if scheduler is None else 64)
    with Store(db) as store, make_mapper(workers, scheduler) as mapper:
        _check_left_out(store, pipeline, plan)
        components = component_versions() | pipeline.versions() | {"pipeline": ",".join(plan)}
        result.resumes = store.unfinished_redo(plan, components)
        run_id = store.start_run(__version__, components,
                                 {"redo": plan, "requested": list(stages), "resumes": result.resumes,
                                  "workers": workers, "scheduler": scheduler,
                                  "overrides": str(overrides) if overrides else None})
        job = result.resumes or run_id
        store.create_tables(subset.tables(), run_id)
        pending = store.redo_pending(job)
        result.resumed = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] - len(pending)
        notify("start", {"stages": plan, "total": len(pending), "resumed": result.resumed})
        for start in range(0, len(pending), size):
            articles = store.articles_by_id(pending[start:start + size])
            for article, outcome in zip(articles, mapper.map(partial(rerun_article, subset), articles)):
                if isinstance(outcome, ProcessingError):
                    store.add_error(outcome, run_id)
                    result.errors.append(outcome)
                    notify("error", {"source": outcome.source, "stage": outcome.stage, "error": outcome.error})
                    continue
                store.replace_layers(outcome, layers, job)
                result.articles += 1
                notify("article", {"id": outcome.id})
        result.corpus_steps = corpus_steps_for(layer for name in plan for layer in subset.stage(name).assigns)
        result.entities = run_corpus_steps(store, result.corpus_steps, overrides, notify)
        store.finish_redo(job)
        store.finish_run(run_id, result.counts)
    return result
