"""The Python API; it mirrors the CLI one function per command.

    import newsgraph.api as ng
    result = ng.analyze(["pages/"], db="corpus.db")
    for row in ng.articles("corpus.db", lang="ar"):
        print(row["id"], row["title"])
    article = ng.show("corpus.db", "3f2a")          # an Article record (id or id prefix)
    hits = ng.search("corpus.db", "سليماني")        # normalised full-text search
    article = ng.annotate("قال خالد مشعل إن ...")       # every per-article stage on a string, no database
    ng.export("corpus.db", "out/", fmt="parquet")
    ng.redo("corpus.db", ["quotes"])               # re-run a stage (and its dependants) on the stored articles
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.model import Article
from newsgraph.pipeline import AnalyzeResult, Pipeline, ProgressCallback
from newsgraph.pipeline import analyze as _analyze
from newsgraph.redo import RedoResult
from newsgraph.store.db import Store
from newsgraph.store.export import export as _export

__all__ = ["annotate", "analyze", "redo", "models", "articles", "show", "search", "export", "source_text", "entities",
           "entity", "reuse", "techniques", "quotes", "technique_stats", "relations", "stance", "loaded_terms",
           "reuse_clusters", "reuse_listing", "boilerplate", "build_stories", "stories", "story", "build_framing"]


def annotate(text: str, lang: str | None = None, *, title: str | None = None, date: str | None = None,
             pipeline: Pipeline | None = None) -> Article:
    """Every per-article stage on one string, without a database (like spaCy's ``nlp(text)``).

    The text is taken as one article, as given: nothing is cut, so every span (mentions, dates,
    quotes, relations, techniques, loaded terms) is an offset into ``text`` itself. Each non-empty line is a
    paragraph; its language is ``lang`` when given, else detected per paragraph as in ``analyze``.
    ``date`` (ISO 8601) anchors relative dates. Entities are not resolved across articles (that
    needs a corpus): mentions carry no ``entity_id``.
    """
    from newsgraph.pipeline import SEGMENT_ASSIGNS, default_pipeline
    from newsgraph.segment import text_article

    article = text_article(text, lang=lang, title=title, date=date)  # languages detected and settled
    stages = [s for s in (pipeline or default_pipeline()).stages if not (lang and s.name == "language")]
    Pipeline(stages).check((*SEGMENT_ASSIGNS, "lang"))  # a language the caller gives is kept as it is
    for stage in stages:
        article = stage.run(article)
    return article


def analyze(paths: list[str | Path], db: str | Path, *, max_doc_mb: float = 50, pipeline: Pipeline | None = None,
            progress: ProgressCallback | None = None, overrides: str | Path | None = None, workers: int = 1,
            scheduler: str | None = None) -> AnalyzeResult:
    """Read, clean, split, enrich and store every page under ``paths`` (incremental and resumable);
    then resolve entities over the whole store, applying the ``overrides`` TOML file if given."""
    return _analyze([str(p) for p in paths], db, pipeline=pipeline, max_bytes=int(max_doc_mb * 1024 * 1024),
                    progress=progress, overrides=overrides, workers=workers, scheduler=scheduler)


def models() -> list[dict[str, Any]]:
    """Every model newsgraph knows: name, stage, distribution (core / research / pypi), training data, licence,
    headline score, installed, in use (``newsgraph models``)."""
    from newsgraph.weights import model_rows

    return model_rows()


def redo(db: str | Path, stages: list[str], *, pipeline: Pipeline | None = None,
         progress: ProgressCallback | None = None, overrides: str | Path | None = None, workers: int = 1,
         scheduler: str | None = None) -> RedoResult:
    """Re-run ``stages`` and every stage that reads their output on all articles stored in ``db``,
    from the stored text (``newsgraph analyze --db FILE --redo STAGES``); resumes an interrupted
    re-run of the same stages; entity resolution runs again when mentions changed (pass the
    ``overrides`` used before). Raises :class:`newsgraph.pipeline.PipelineError` for an unknown
    stage or a pipeline that leaves a stage without its input."""
    from newsgraph.redo import redo as _redo

    return _redo(db, stages, pipeline=pipeline, progress=progress, overrides=overrides, workers=workers,
                 scheduler=scheduler)


def entities(db: str | Path, *, kind: str | None = None, lang: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    """Canonical entities, most mentioned first (``kind``: PERSON, ORG, GPE, …; ``lang``: has a spelling in it)."""
    with Store(db, readonly=True) as store:
        return store.entity_rows(kind=kind, lang=lang, limit=limit)


def entity(db: str | Path, name_or_id: str) -> dict[str, Any] | None:
    """One entity by id, name or any spelling: aliases, articles, roles, co-mentioned entities."""
    with Store(db, readonly=True) as store:
        return store.find_entity(name_or_id)


def articles(db: str | Path, *, lang: str | None = None, outlet: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    """Article rows (without their text), in the order they were added."""
    with Store(db, readonly=True) as store:
        return [{k: row[k] for k in ("id", "source", "source_index", "title", "author", "date", "outlet", "lang",
                                     "word_count")}
                for row in store.article_rows(lang=lang, outlet=outlet, limit=limit)]


def show(db: str | Path, article_id: str) -> Article | None:
    """One article (by id or unique id prefix), with its paragraphs and what was removed."""
    with Store(db, readonly=True) as store:
        return store.article(article_id)


def source_text(db: str | Path, article: Article) -> str | None:
    """The decoded source text the article's ``source_spans`` index into."""
    with Store(db, readonly=True) as store:
        return store.document_text(article.document_id)


def search(db: str | Path, query: str, *, lang: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search over normalised text (any script; spelling variants folded)."""
    with Store(db, readonly=True) as store:
        return store.search(query, lang=lang, limit=limit)


def export(db: str | Path, out_dir: str | Path, fmt: str = "jsonl", *, bom: bool = False) -> dict[str, int]:
    """Write one file per table (jsonl, csv or parquet) and the graphs to ``out_dir``; ``bom`` starts
    CSV files with a UTF-8 byte-order mark (for Excel)."""
    with Store(db, readonly=True) as store:
        return _export(store, out_dir, fmt, bom=bom)


def reuse(db: str | Path, *, min_chars: int = 200, cross_lingual: bool = False,
          scheduler: str | None = None, work_dir: str | Path | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Find duplicates, reused passages (and with ``cross_lingual`` translations) across the
    stored articles, and repetition inside pages; returns counts by kind. ``scheduler`` runs the
    stage's tasks on Dask (cross-lingual ones included); ``work_dir`` holds the Parquet intermediates (default:
    beside the database; on a cluster of several machines, a directory every worker sees);
    ``progress(phase, done, total)`` is called as each of the stage's tasks finishes."""
    from newsgraph.corpus.reuse import run_reuse

    with Store(db) as store:
        return run_reuse(store, min_chars=min_chars, cross_lingual=cross_lingual, scheduler=scheduler,
                         work_dir=work_dir, progress=progress)


def reuse_clusters(db: str | Path, *, top: int | None = None) -> list[dict[str, Any]]:
    """The most-copied passages: reuse clusters by holder count (id, holders, outlets, first
    holder, likely original, the original's span and text), from the last ``reuse`` run."""
    with Store(db, readonly=True) as store:
        return store.reuse_cluster_rows(limit=top)


def reuse_listing(db: str | Path, *, top: int | None = None, boilerplate: bool = False
                  ) -> Iterator[dict[str, Any]]:
    """What the last ``reuse`` run stored, as records for machine reading, each with a ``type``:
    ``cluster`` (the most-copied first, or the ``top`` N: id, holders, outlets, langs, kinds, the
    likely original with its ``evidence``, the span and text shown, ``members`` as
    [article_id, start, end]), then ``record`` (every reuse record as in ``reuse.jsonl``, with
    ``cluster_id``; with ``top``, those of the listed clusters), then with ``boilerplate`` each
    outlet's ``boilerplate``. A database written before clusters existed yields its records with
    ``cluster_id`` null and no clusters."""
    from newsgraph.corpus.reuse import original_evidence
    from newsgraph.store.export import TABLES

    with Store(db, readonly=True) as store:
        listed: set[str] = set()
        for row in store.reuse_cluster_rows(limit=top):
            listed.add(row["id"])
            members = [[m["article_id"], m["start"], m["end"]] for m in store.reuse_cluster_holders(row["id"])]
            yield {"type": "cluster", **{k: row[k] for k in CLUSTER_FIELDS}, "evidence": original_evidence(row),
                   "members": members}
        for record in TABLES["reuse"](store):
            if top is None or record.get("cluster_id") in listed:
                yield {"type": "record", **record}
        if boilerplate:
            for row in store.boilerplate_rows():
                yield {"type": "boilerplate", **row}


CLUSTER_FIELDS = ("id", "holders", "spans", "outlets", "langs", "kinds", "first_holder", "first_date",
                  "source_article_id", "source_date", "article_id", "start", "end", "text")


def boilerplate(db: str | Path, *, outlet: str | None = None) -> list[dict[str, Any]]:
    """Each outlet's boilerplate (text it repeats in its own articles), most repeated first."""
    with Store(db, readonly=True) as store:
        return store.boilerplate_rows(outlet=outlet)


def techniques(db: str | Path, *, article_id: str | None = None, outlet: str | None = None) -> list[dict[str, Any]]:
    """Persuasion-technique spans with their evidence text and the rule or model that found them."""
    with Store(db, readonly=True) as store:
        return store.technique_rows(article_id=article_id, outlet=outlet)


def technique_stats(db: str | Path, *, outlet: str | None = None, lang: str | None = None,
                    by: tuple[str, ...] = ("outlet", "month"), min_confidence: float = 0.0) -> list[dict[str, Any]]:
    """Techniques per 1,000 words by technique and ``by`` (outlet, month, lang), with the spans,
    the articles having the technique and the words of the group, raw and weighted by calibrated confidence
    (``weighted_per_1000_words``); spans below ``min_confidence`` left out."""
    with Store(db, readonly=True) as store:
        return store.technique_stats(outlet=outlet, lang=lang, by=by, min_confidence=min_confidence)


def loaded_terms(db: str | Path, *, article_id: str | None = None, category: str | None = None) -> list[dict[str, Any]]:
    """Loaded terms (framing vocabulary: martyr, terrorist, regime, occupation …) with their span, the lexicon
    entry, the side-neutral category and the article's outlet and date; see :mod:`newsgraph.enrich.loaded_terms`."""
    with Store(db, readonly=True) as store:
        return store.loaded_term_rows(article_id=article_id, category=category)


def quotes(db: str | Path, *, speaker: str | None = None) -> list[dict[str, Any]]:
    """Quotes with speaker (entity and as written), cue, kind and addressee."""
    with Store(db, readonly=True) as store:
        return store.quote_rows(speaker=speaker)


def relations(db: str | Path, *, actor: str | None = None, predicate: str | None = None,
              article_id: str | None = None) -> list[dict[str, Any]]:
    """Relations between actors (subject, predicate, object) with their evidence sentence, polarity and, for
    relations inside a quote, the speaker they are attributed to; ``actor`` keeps those where it is
    subject or object (entity id, name or any spelling)."""
    with Store(db, readonly=True) as store:
        return store.relation_rows(actor=actor, predicate=predicate, article_id=article_id)


def stance(db: str | Path, actor: str) -> dict[str, Any] | None:
    """How each outlet and each quoted speaker talks about ``actor``: relations towards it (by predicate, net
    polarity), acts done to it (``target_of``: attack, threaten; not stance), the sentiment of the sentences
    naming it with every name and loaded term masked, and the loaded terms in those sentences by category;
    None when no entity has that name."""
    from newsgraph.corpus.stance import stance as _stance

    with Store(db, readonly=True) as store:
        return _stance(store, actor)


def build_stories(db: str | Path, *, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Place every article not yet in a story (incremental: earlier stories are only revisited where a new
    article links to them); returns counts. ``progress(phase, done, total)`` for embed, link, cluster."""
    from newsgraph.corpus.stories import build_stories as _build

    with Store(db) as store:
        return _build(store, progress=progress)


def stories(db: str | Path, *, top: int | None = None, lang: str | None = None, outlet: str | None = None,
            since: str | None = None, min_size: int = 1) -> list[dict[str, Any]]:
    """Stories as built by :func:`build_stories`, largest first: id, size, labels per language, actors,
    places, first article and date, followers (outlets in the order they ran it, with lag in days),
    counts by outlet and language; ``lang``/``outlet`` keep stories with a member in it, ``since``
    (ISO date) stories with an article published on or after it."""
    from newsgraph.store.stories import story_rows

    with Store(db, readonly=True) as store:
        if not store.has_table("stories"):
            return []
        return story_rows(store.conn, limit=top, min_size=min_size, lang=lang, outlet=outlet, since=since)


def story(db: str | Path, story_id: str, *, framing: bool = True, evidence: int | None = None) -> dict[str, Any] | None:
    """One story (id or unique prefix) with its member articles (score, lag) and the reuse and translation
    links between them, and (``framing``) how each actor is cast per outlet with the evidence spans
    (``evidence`` caps the spans listed per actor and outlet; None: all); None when no story has that id."""
    from newsgraph.corpus.framing import story_framing
    from newsgraph.store.stories import story_row

    with Store(db, readonly=True) as store:
        found = story_row(store.conn, story_id) if store.has_table("stories") else None
        if found is not None and framing:
            found["framing"] = story_framing(store.conn, found, limit=evidence)
        return found


def build_framing(db: str | Path, *, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Read the framing claims (who is cast as protagonist, antagonist or innocent, by which evidence) of every
    article not read yet; ``newsgraph stories`` runs it after the stories. ``progress(phase, done, total)``."""
    from newsgraph.corpus.framing import build_framing as _build

    with Store(db) as store:
        return _build(store, progress=progress)


# ------------------------------------------------------------------ narratives

__all__ += ["build_narratives", "narratives", "narrative"]


def build_narratives(db: str | Path, *, overrides: str | Path | None = None, force: bool = False,
                     progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Compute the narratives (recurrent claim sentences across stories and languages) when their inputs
    changed since the last run, or ``force``; ``overrides`` is a TOML file of names, merges and splits
    (:class:`newsgraph.corpus.narratives.NarrativeOverrides`) that this and later runs apply. Returns counts,
    ``recomputed``, and ``unknown_ids`` the overrides name but the run did not find. Raises ValueError for
    an invalid overrides file."""
    from newsgraph.corpus.narratives import NarrativeOverrides
    from newsgraph.corpus.narratives import build_narratives as _build

    loaded = NarrativeOverrides.load(overrides) if overrides is not None else None
    with Store(db) as store:
        return _build(store, overrides=loaded, force=force, progress=progress)


def narratives(db: str | Path, *, top: int | None = None, since: str | None = None, outlet: str | None = None,
               lang: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Narratives as built by :func:`build_narratives`, most articles first, and how many match: id,
    label, size (sentences), articles, stories, keywords per language, articles by outlet and by month.
    ``since`` (ISO date), ``outlet`` and ``lang`` keep narratives with a member sentence in such an article."""
    from newsgraph.store.narratives import narrative_rows

    with Store(db, readonly=True) as store:
        return narrative_rows(store.conn, limit=top, since=since, outlet=outlet, lang=lang)


def narrative(db: str | Path, narrative_id: str) -> dict[str, Any] | None:
    """One narrative (id or unique prefix) with its evidence sentences (article id, span, text) and its
    articles by outlet and month beside all the outlet's articles that month; None when there is none."""
    from newsgraph.store.narratives import narrative_row, outlet_months

    with Store(db, readonly=True) as store:
        found = narrative_row(store.conn, narrative_id)
        if found is not None:
            found["by_outlet_month"] = outlet_months(store.conn, found["id"])
        return found
