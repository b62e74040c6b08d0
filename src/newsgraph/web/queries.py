"""Read-only queries behind the workbench pages and its JSON API.

Every function takes a read-only :class:`sqlite3.Connection` (rows as
:class:`sqlite3.Row`) and returns plain dicts and lists, ready for JSON or a template.
Every value from a request is a bound parameter; the only names put into SQL text are
table names checked against ``sqlite_master``.
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, fields, replace
from typing import Any

import networkx as nx

from newsgraph.store.db import Store, fts_query
from newsgraph.text.normalize import normalize_for_search
from newsgraph.web.snapshot import cached, entity_codes, facet_codes, has_snapshot

RANK_WINDOW = 1000  # a query ranks (and facets) at most this many of its most recently added matches
COUNT_CAP = 10000  # filtered totals are counted up to this
ENTITY_FACET_SCAN = 100  # entity facet over the best matches only
ENTITY_FACET_SIZE = 15  # entities listed in it
LAYERS = {  # stage -> table whose presence means the stage has run
    "entities": "mentions",
    "dates": "dates",
    "quotes": "quotes",
    "techniques": "techniques",
    "reuse": "reuse",
    "relations": "relations",
}
FACET_KEYS = ("lang", "outlet", "month")
SPAN_LABEL_COLUMNS = ("label", "technique", "predicate", "speaker", "kind", "type")
REUSE_SHOWN_CHARS = 1500  # of the other article's passage, in the reader's side-by-side view
NONE = "(none)"  # URL value for "articles without an outlet / without a date" in dashboard filters
HIDDEN_TABLE_PREFIXES = ("sqlite_", "articles_fts")


@dataclass(frozen=True)
class Filters:
    """Search filters; empty strings mean "any"."""

    q: str = ""
    lang: str = ""
    outlet: str = ""
    date_from: str = ""
    date_to: str = ""
    entity: str = ""
    technique: str = ""
    story: str = ""

    def active(self) -> dict[str, str]:
        """The filters in use, by their URL parameter names (a search page asks a few times per
        result: read field by field, as ``asdict`` deep-copies)."""
        return {URL_NAMES.get(k, k): v for k in FILTER_FIELDS if (v := getattr(self, k))}


FILTER_FIELDS = tuple(f.name for f in fields(Filters))
URL_NAMES = {"date_from": "from", "date_to": "to"}


# ------------------------------------------------------------------ schema


def table_names(conn: sqlite3.Connection) -> list[str]:
    """User tables (no SQLite internals, no FTS shadow tables)."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    return [r[0] for r in rows if not r[0].startswith(HIDDEN_TABLE_PREFIXES)]


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return name in cached(conn, "tables", _table_and_view_names)


def _table_and_view_names(conn: sqlite3.Connection) -> frozenset[str]:
    return frozenset(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))


def table_columns(conn: sqlite3.Connection, name: str) -> list[str]:
    """Column names of ``name``, which must be an existing table."""
    if not table_exists(conn, name):
        raise KeyError(name)
    return [r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", (name,))]


def pipeline_stages(conn: sqlite3.Connection) -> set[str] | None:
    """Stages any run recorded in its ``pipeline`` component (None when no run records one)."""
    stages: set[str] | None = None
    for (components,) in conn.execute("SELECT components FROM runs"):
        try:
            pipeline = json.loads(components or "{}").get("pipeline")
        except (ValueError, AttributeError):
            continue
        if isinstance(pipeline, str):
            stages = (stages or set()) | {p.strip() for p in pipeline.split(",")}
    return stages


def layer_status(conn: sqlite3.Connection) -> dict[str, bool]:
    """Which analysis stages have run on this database: the stage's table exists, and a run
    lists the stage in its pipeline (or, for runs that do not say, the table has rows)."""
    return dict(cached(conn, "layers", _layer_status))


def _layer_status(conn: sqlite3.Connection) -> dict[str, bool]:
    ran = pipeline_stages(conn)
    status = {}
    for layer, table in LAYERS.items():
        if not table_exists(conn, table):
            status[layer] = False
        elif ran is not None and layer in ran:
            status[layer] = True
        else:
            status[layer] = conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
    return status


# ------------------------------------------------------------------ corpus


def corpus_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Row counts of every table, languages, outlets and the date range."""
    return cached(conn, "corpus_stats", _corpus_stats)


def _corpus_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    counts = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in table_names(conn)}
    langs = [dict(r) for r in conn.execute(
        "SELECT coalesce(lang, '') AS lang, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 2 DESC")]
    span = conn.execute("SELECT min(date), max(date), count(date) FROM articles WHERE date IS NOT NULL").fetchone()
    outlets = conn.execute("SELECT count(DISTINCT outlet) FROM articles").fetchone()[0]
    return {"counts": counts, "languages": langs, "outlets": outlets,
            "date_min": span[0], "date_max": span[1], "dated_articles": span[2], "layers": layer_status(conn)}


# ------------------------------------------------------------------ search


def _filter_clauses(f: Filters) -> tuple[list[str], list[str], dict[str, str]]:
    """The filters as conditions on the article row (``a``), as queries of the rowids they keep,
    and their parameters."""
    clauses, sets, params = [], [], {}
    if f.lang:
        clauses.append("a.lang = :lang")
        params["lang"] = f.lang
    if f.outlet:
        clauses.append("a.outlet = :outlet")
        params["outlet"] = f.outlet
    if f.date_from:
        clauses.append("a.date >= :date_from")
        params["date_from"] = f.date_from
    if f.date_to:
        clauses.append("substr(a.date, 1, length(:date_to)) <= :date_to")
        params["date_to"] = f.date_to
    if f.entity:
        sets.append("SELECT e.rowid FROM mentions m JOIN articles e ON e.id = m.article_id WHERE m.entity_id = :entity")
        params["entity"] = f.entity
    if f.technique:
        sets.append("SELECT e.rowid FROM techniques t JOIN articles e ON e.id = t.article_id"
                    " WHERE t.technique = :technique")
        params["technique"] = f.technique
    if f.story:
        sets.append("SELECT e.rowid FROM story_members sm JOIN articles e ON e.id = sm.article_id"
                    " WHERE sm.story_id = :story")
        params["story"] = f.story
    return clauses, sets, params


def _filter_sql(f: Filters) -> tuple[str, dict[str, str]]:
    """The filters as one condition on the articles ``a`` ("1" for none), and its parameters."""
    clauses, sets, params = _filter_clauses(f)
    return " AND ".join(clauses + [f"a.rowid IN ({q})" for q in sets]) or "1", params


FTS_WITH_ROWS = "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"


def _match_filter_sql(f: Filters) -> tuple[str, str, dict[str, str]]:
    """What a full-text query reads (the index, joined to the article rows only when a filter
    reads them) and the filters as one condition on it ("1" for none), and its parameters.

    Entity, technique and story filters test the match's rowid against their set, without the
    join: a lookup per match was two thirds of a search for a common word filtered to a rare
    entity (bench/web_latency.py --frequent). The unary ``+`` keeps the rowid test out of the
    full-text index: offered to it, FTS5 seeks each rowid of the set in turn, ten times slower."""
    clauses, sets, params = _filter_clauses(f)
    source = FTS_WITH_ROWS if clauses else "articles_fts"
    where = " AND ".join(clauses + [f"+articles_fts.rowid IN ({q})" for q in sets]) or "1"
    return source, where, params


ARTICLE_COLUMNS = "a.id, a.title, a.lang, a.outlet, a.author, a.date, a.word_count, a.source"


def _spelling_index(conn: sqlite3.Connection) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """Normalised spelling -> (entity id, name, [(language, spelling)]) for the entities written in
    more than one language: a search in one script can offer the others."""
    index: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
    if not has_entities(conn):
        return index
    for entity_id, name, aliases in conn.execute(
            "SELECT id, name, aliases FROM entities WHERE aliases LIKE '%], \"%' ORDER BY mention_count"):
        by_lang = json.loads(aliases or "{}")
        if len(by_lang) < 2:
            continue
        every = [sp for values in by_lang.values() for sp in values]
        # a lone given name (قاسم of قاسم سلیمانی) would find everyone who bears it: offered only in full names
        given = {sp.split()[0] for sp in every if len(sp.split()) > 1}
        spellings = [(lang, sp) for lang, values in by_lang.items() for sp in values[:3]
                     if len(sp.split()) > 1 or sp not in given]
        for _, spelling in spellings:
            index[normalize_for_search(spelling)] = (entity_id, name, spellings)
    return index


def other_spellings(conn: sqlite3.Connection, query: str) -> dict[str, Any] | None:
    """The entity a one-name query names and its spellings in other languages and scripts
    (``None`` when the query is not such a name)."""
    if not query or any(op in query.split() for op in ("OR", "NOT")) or '"' in query or len(query) > 80:
        return None
    wanted = normalize_for_search(query.strip())
    hit = cached(conn, "spelling_index", _spelling_index).get(wanted)
    if hit is None:
        return None
    entity_id, name, spellings = hit
    others = [(lang, sp) for lang, sp in spellings if normalize_for_search(sp) != wanted]
    if not others:
        return None
    terms = [query.strip()] + [sp for _, sp in others]
    return {"entity_id": entity_id, "name": name, "others": others,
            "query": " OR ".join(f'"{t}"' if " " in t else t for t in terms)}


def search_articles(conn: sqlite3.Connection, f: Filters, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """One page of matching articles (best first for a query, newest first otherwise),
    the total and the facets."""
    if f.entity and not has_entities(conn):
        f = replace(f, entity="")
    if f.technique and not table_exists(conn, "techniques"):
        f = replace(f, technique="")
    if f.story and not table_exists(conn, "story_members"):
        f = replace(f, story="")
    if not f.q.strip():
        return _browse(conn, *_filter_sql(f), limit, offset)
    match = fts_query(f.q)
    if not match:
        return {"total": 0, "total_capped": False, "results": [], "facets": empty_facets(), "facets_capped": False,
                "ranked_window": 0}
    return _ranked_search(conn, match, *_match_filter_sql(f), limit, offset)


def _browse(conn: sqlite3.Connection, where: str, params: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    """Articles matching the filters, newest first, with facets over the newest of them."""
    rows = [dict(r) for r in conn.execute(
        f"SELECT {ARTICLE_COLUMNS}, substr(a.text, 1, 400) AS text, NULL AS score FROM articles a WHERE {where}"
        " ORDER BY a.date IS NULL, a.date DESC, a.rowid DESC LIMIT :limit OFFSET :offset",
        params | {"limit": limit, "offset": offset})]
    total = conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
    window = [r[0] for r in conn.execute(
        f"SELECT a.rowid FROM articles a WHERE {where} ORDER BY a.rowid DESC LIMIT {RANK_WINDOW}", params)]
    facets = _facets_of(conn, window, window[:ENTITY_FACET_SCAN])
    return {"total": total, "total_capped": False, "results": rows, "facets": facets,
            "facets_capped": total > len(window), "ranked_window": 0}


def _match_window(conn: sqlite3.Connection, source: str, where: str, params: dict[str, Any]) -> list[int]:
    """Rowids of the :data:`RANK_WINDOW` most recently added matches that pass the filters,
    newest first: ranking reads only these, so common words stay fast."""
    return [r[0] for r in conn.execute(
        f"SELECT articles_fts.rowid FROM {source} WHERE articles_fts MATCH :match AND {where}"
        f" ORDER BY articles_fts.rowid DESC LIMIT {RANK_WINDOW}", params)]


def _ranked_search(conn: sqlite3.Connection, match: str, source: str, where: str, params: dict[str, Any],
                   limit: int, offset: int) -> dict[str, Any]:
    """BM25 (title weighted 5) over the most recent :data:`RANK_WINDOW` matches, with the
    facets of those rows; the exact total (counted up to :data:`COUNT_CAP` when filtered)."""
    params = params | {"match": match}
    window, best = _window_and_best(conn, source, where, params, max(ENTITY_FACET_SCAN, offset + limit))
    cutoff = params["cutoff"] = _oldest_ranked(window)
    score = dict(best)
    rows = _rows_by_rowid(conn, [r[0] for r in best[offset:offset + limit]], with_text=True)
    in_text = _text_matches(conn, match, [row["rowid"] for row in rows])
    for row in rows:
        row["text_match"] = row["rowid"] in in_text
        row["score"] = score[row.pop("rowid")]
    total, capped = _match_total(conn, source, where, params, cutoff, len(window))
    facets = _facet_lists(_window_counts(conn, window)) | _span_facets(conn, [r[0] for r in best[:ENTITY_FACET_SCAN]])
    return {"total": total, "total_capped": capped, "results": rows, "facets": facets,
            "facets_capped": total > len(window), "ranked_window": len(window) if cutoff else 0}


def _window_and_best(conn: sqlite3.Connection, source: str, where: str, params: dict[str, Any], n: int
                     ) -> tuple[list[int], list[tuple[int, float]]]:
    """The match window (:func:`_match_window`) and the ``n`` best matches in it (:func:`_best_matches`).

    Without filters, two passes: the window's rowids, then bm25 from its oldest rowid on (SQLite
    keeps the best ``n`` as it scores). With filters, one pass that scores the window as it reads
    it: the second pass would test the filters on every match again, and when they keep few of a
    common word's matches (an English word with ``lang=ar``) each pass is a lookup per match
    (bench/web_latency.py --frequent: such a search took 23 ms, two thirds of it the second pass)."""
    if where == "1":
        window = _match_window(conn, source, where, params)
        return window, _best_matches(conn, source, where, params | {"cutoff": _oldest_ranked(window)}, n)
    scored = conn.execute(
        f"SELECT articles_fts.rowid, bm25(articles_fts, 5.0, 1.0) FROM {source}"
        f" WHERE articles_fts MATCH :match AND {where} ORDER BY articles_fts.rowid DESC LIMIT {RANK_WINDOW}",
        params).fetchall()
    return [r[0] for r in scored], heapq.nsmallest(n, scored, key=lambda r: (r[1], r[0]))


def _oldest_ranked(window: list[int]) -> int:
    """The rowid ranking starts from: the window's oldest when it is full (older matches are only
    counted), else 0 (every match is in it)."""
    return window[-1] if len(window) == RANK_WINDOW else 0


def _best_matches(conn: sqlite3.Connection, source: str, where: str, params: dict[str, Any], n: int
                  ) -> list[tuple[int, float]]:
    """(rowid, bm25) of the ``n`` best matches from ``cutoff`` on that pass the filters, best
    first (ties oldest first). SQLite keeps only the best ``n`` while it scores: sorting the
    whole window in Python cost a third more."""
    return conn.execute(
        f"SELECT articles_fts.rowid, bm25(articles_fts, 5.0, 1.0) AS score FROM {source}"
        f" WHERE articles_fts MATCH :match AND articles_fts.rowid >= :cutoff AND {where}"
        " ORDER BY score, articles_fts.rowid LIMIT :best", params | {"best": n}).fetchall()


def _window_counts(conn: sqlite3.Connection, rowids: list[int]) -> dict[str, Counter[str]]:
    """Counts by language, outlet and month of the articles ``rowids``: from the cached facet
    codes on the server, else read from the rows."""
    if has_snapshot(conn):  # else the codes would be read for every query
        codes = cached(conn, "facet_codes", facet_codes)
        if codes.covers(rowids):
            return codes.counts(rowids)
    values: list[tuple[Any, Any, Any]] = []
    for i in range(0, len(rowids), 900):
        chunk = rowids[i:i + 900]
        values += conn.execute(
            f"SELECT lang, outlet, substr(date, 1, 7) FROM articles WHERE rowid IN ({','.join('?' * len(chunk))})",
            chunk).fetchall()
    return _value_counts(values)


def _text_matches(conn: sqlite3.Connection, match: str, rowids: list[int]) -> set[int]:
    """Those of ``rowids`` whose text (not only the title) holds a word of ``match``: the
    page then looks for a snippet only where there is one to find."""
    if not rowids:
        return set()
    words = [m.group(1) for m in re.finditer(r'(?<!NOT )("(?:[^"]|"")*"\*?)', match)]  # not the excluded ones
    if not words:
        return set()
    any_word = "text : (" + " OR ".join(words) + ")"
    return {r[0] for r in conn.execute(
        f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({','.join('?' * len(rowids))})",
        [any_word, *rowids])}


def _match_total(conn: sqlite3.Connection, source: str, where: str, params: dict[str, Any], cutoff: int,
                 window: int) -> tuple[int, bool]:
    """How many matches pass the filters (up to :data:`COUNT_CAP` when filtered) and whether
    there were more: the ``window`` read from ``cutoff`` on, and those before it counted (not
    the window again)."""
    if not cutoff:
        return window, False
    if where == "1":
        older = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match"
                             " AND rowid < :cutoff", params).fetchone()[0]
        return window + older, False
    older = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {source}"
        f" WHERE articles_fts MATCH :match AND articles_fts.rowid < :cutoff AND {where}"
        f" LIMIT {COUNT_CAP - RANK_WINDOW})", params).fetchone()[0]
    return window + older, window + older >= COUNT_CAP


def _rows_by_rowid(conn: sqlite3.Connection, rowids: list[int], with_text: bool) -> list[dict[str, Any]]:
    """Article rows in the order of ``rowids``."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    text = "substr(a.text, 1, 20000)" if with_text else "''"
    rows = {r["rowid"]: dict(r) for r in conn.execute(
        f"SELECT a.rowid AS rowid, {ARTICLE_COLUMNS}, {text} AS text FROM articles a WHERE a.rowid IN ({marks})",
        rowids)}
    return [rows[i] for i in rowids if i in rows]


def empty_facets() -> dict[str, list[dict[str, Any]]]:
    return {"lang": [], "outlet": [], "entity": [], "technique": [], "month": []}


def _facets_of(conn: sqlite3.Connection, rowids: list[int], best: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Counts by language, outlet and month over ``rowids``; entities over ``best``."""
    return _facet_lists(_window_counts(conn, rowids)) | _span_facets(conn, best)


def _value_counts(values: list[tuple[Any, Any, Any]]) -> dict[str, Counter[str]]:
    """Counts by language, outlet and month of (lang, outlet, month) triples."""
    return {key: Counter(v[i] or "" for v in values) for i, key in enumerate(FACET_KEYS)}


def _facet_lists(counts: dict[str, Counter[str]]) -> dict[str, list[dict[str, Any]]]:
    """Facets from counts: most common first (ties by value), months newest first."""
    facets = empty_facets()
    for key in FACET_KEYS:
        counter = counts[key]
        if key == "month":
            items = sorted(counter.items(), reverse=True)[:30]
        else:
            items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
        facets[key] = [{"value": v, "count": n} for v, n in items]
    return facets


def _span_facets(conn: sqlite3.Connection, rowids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """The entity and technique facets over the articles ``rowids`` (the best matches)."""
    return {"entity": _entity_facet(conn, rowids), "technique": _technique_facet(conn, rowids)}


def _technique_facet(conn: sqlite3.Connection, rowids: list[int]) -> list[dict[str, Any]]:
    """The persuasion techniques found in most of the articles ``rowids`` (none when the stage has
    not run: its table is then absent or empty, and the join would still read a hundred articles)."""
    if not rowids or not layer_status(conn)["techniques"]:
        return []
    return [dict(r) for r in conn.execute(
        "SELECT t.technique AS value, count(DISTINCT t.article_id) AS count"
        " FROM articles a JOIN techniques t ON t.article_id = a.id"
        f" WHERE a.rowid IN ({','.join('?' * len(rowids))}) GROUP BY t.technique ORDER BY count DESC, value LIMIT 15",
        rowids)]


def _entity_facet(conn: sqlite3.Connection, rowids: list[int]) -> list[dict[str, Any]]:
    """The entities most often named in the articles ``rowids``: from the cached codes on the
    server (a query here was a tenth of a search), else read."""
    if not rowids or not has_entities(conn):
        return []
    if has_snapshot(conn):
        codes = cached(conn, "entity_codes", entity_codes)
        if codes.covers(rowids):
            return codes.most_named(rowids, ENTITY_FACET_SIZE)
    return [dict(r) for r in conn.execute(
        "SELECT e.id AS value, e.name AS name, e.type AS type, count(DISTINCT m.article_id) AS count"
        " FROM articles a JOIN mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id"
        f" WHERE a.rowid IN ({','.join('?' * len(rowids))}) GROUP BY e.id ORDER BY count DESC, e.name, e.id"
        " LIMIT ?", [*rowids, ENTITY_FACET_SIZE])]


# ------------------------------------------------------------------ articles


def article_row(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """The article with exactly this id, or the one whose id starts with it."""
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None and len(article_id) >= 4:
        rows = conn.execute("SELECT * FROM articles WHERE id >= ? AND id < ? || 'g' LIMIT 2",
                            (article_id, article_id)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        return None
    out = dict(row)
    out["meta"] = json.loads(out.get("meta") or "{}")
    return out


def article_paragraphs(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute("SELECT * FROM paragraphs WHERE article_id = ? ORDER BY idx", (article_id,))]


def article_mentions(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """Mentions in the article with their entity's canonical name."""
    if not table_exists(conn, "mentions") or not table_exists(conn, "entities"):
        return []
    return [dict(r) for r in conn.execute(
        "SELECT m.start, m.end, m.text, m.label, m.lang, m.method, m.entity_id, e.name AS entity_name"
        " FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start",
        (article_id,))]


def article_dates(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    if not table_exists(conn, "dates"):
        return []
    return [dict(r) for r in conn.execute("SELECT * FROM dates WHERE article_id = ? ORDER BY start", (article_id,))]


def article_removed(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """What the segmenter cut from the article's page, with the kind and rule."""
    return [dict(r) for r in conn.execute(
        "SELECT source_start, source_end, kind, rule, lang, text FROM removed_blocks WHERE article_id = ?"
        " ORDER BY source_start", (article_id,))]


def article_roles(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    if not table_exists(conn, "article_roles") or not table_exists(conn, "entities"):
        return []
    return [dict(r) for r in conn.execute(
        "SELECT r.role, r.entity_id, e.name FROM article_roles r LEFT JOIN entities e ON e.id = r.entity_id"
        " WHERE r.article_id = ? ORDER BY r.role", (article_id,))]


def layer_spans(conn: sqlite3.Connection, layer: str, article_id: str, ran: bool) -> list[dict[str, Any]] | None:
    """Spans of a later stage (quotes, techniques, reuse) in the article, each with a
    ``span_label``; None when the stage has not run. Quotes have their own reader; other
    stages are read from any table with article_id/start/end columns."""
    if not ran:
        return None
    if layer == "quotes":
        return article_quotes(conn, article_id)
    if layer == "reuse":
        return article_reuse(conn, article_id)
    table = LAYERS[layer]
    columns = table_columns(conn, table)
    if not {"article_id", "start", "end"} <= set(columns):
        return []
    label = next((c for c in SPAN_LABEL_COLUMNS if c in columns), None)
    label_sql = f'"{label}"' if label else "''"
    rows = conn.execute(f'SELECT *, {label_sql} AS span_label FROM "{table}" WHERE article_id = ? ORDER BY start',
                        (article_id,))
    return [dict(r) for r in rows]


def article_quotes(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """Quotes in the article with the speaker as written and the speaker's entity."""
    entity = ("(SELECT m.entity_id FROM mentions m WHERE m.article_id = q.article_id AND m.start ="
              " q.speaker_mention_start AND m.end = q.speaker_mention_end LIMIT 1)") if has_entities(conn) else "NULL"
    rows = conn.execute(
        f"SELECT q.*, {entity} AS speaker_entity_id, coalesce(q.speaker_text, '?') || ' (' || q.kind || ')'"
        " AS span_label FROM quotes q WHERE q.article_id = ? ORDER BY q.start", (article_id,))
    return [dict(r) for r in rows]


def article_reuse(conn: sqlite3.Connection, article_id: str, shown_chars: int = REUSE_SHOWN_CHARS
                  ) -> list[dict[str, Any]]:
    """Reuse records touching the article, seen from it: this article's span (``start``,
    ``end``), the other article and its aligned span with up to ``shown_chars`` of its text,
    the kind, the similarity and which side is the likely original (``this``, ``other`` or "")."""
    rows = conn.execute(
        "SELECT x.*, x.kind AS span_label, o.title AS other_title, o.outlet AS other_outlet, o.lang AS other_lang,"
        " o.date AS other_date, substr(o.text, x.other_start + 1, min(x.other_end - x.other_start, :shown))"
        " AS other_text, CASE WHEN x.source_article_id = :id AND x.other_id != :id THEN 'this'"
        " WHEN x.source_article_id = x.other_id AND x.other_id != :id THEN 'other' ELSE '' END AS original"
        " FROM (SELECT a_start AS start, a_end AS end, b_article_id AS other_id, b_start AS other_start,"
        " b_end AS other_end, kind, similarity, source_article_id FROM reuse WHERE a_article_id = :id"
        " UNION ALL SELECT b_start, b_end, a_article_id, a_start, a_end, kind, similarity, source_article_id"
        " FROM reuse WHERE b_article_id = :id AND NOT (a_article_id = b_article_id AND a_start = b_start"
        " AND a_end = b_end)) x LEFT JOIN articles o ON o.id = x.other_id ORDER BY x.start, x.other_id",
        {"id": article_id, "shown": shown_chars})
    return [dict(r) for r in rows]


def document_source(conn: sqlite3.Connection, document_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT id, source, path, record, format, encoding, text FROM documents WHERE id = ?",
                       (document_id,)).fetchone()
    return dict(row) if row else None


def article_view(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """Everything the reader shows: the article, paragraphs, mentions, dates, roles, what was
    cut, and each later stage's spans (None = not analysed yet)."""
    article = article_row(conn, article_id)
    if article is None:
        return None
    aid = article["id"]
    ran = layer_status(conn)
    return {
        "article": article,
        "paragraphs": article_paragraphs(conn, aid),
        "mentions": article_mentions(conn, aid),
        "dates": article_dates(conn, aid),
        "roles": article_roles(conn, aid),
        "removed": article_removed(conn, aid),
        "layers": {layer: layer_spans(conn, layer, aid, ran[layer]) for layer in ("quotes", "techniques", "relations", "reuse")},
    }


def article_ids(conn: sqlite3.Connection, limit: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid LIMIT ?", (limit,))]


# ------------------------------------------------------------------ entities


def entity_list(conn: sqlite3.Connection, kind: str = "", limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    if not has_entities(conn):
        return []
    rows = conn.execute(
        "SELECT * FROM entities WHERE (:kind = '' OR type = :kind) ORDER BY mention_count DESC, name"
        " LIMIT :limit OFFSET :offset", {"kind": kind, "limit": limit, "offset": offset})
    return [dict(r) | {"aliases": json.loads(r["aliases"])} for r in rows]


def has_entities(conn: sqlite3.Connection) -> bool:
    """Whether the entities stage's tables exist."""
    return all(table_exists(conn, t) for t in ("entities", "mentions", "article_roles"))


def entity_name(conn: sqlite3.Connection, entity_id: str) -> str:
    if not has_entities(conn):
        return ""
    row = conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return row[0] if row else ""


def entity_types(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    if not has_entities(conn):
        return []
    return [dict(r) for r in conn.execute("SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY n DESC")]


def entity_view(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    """An entity with its aliases by language and script, articles, roles, co-mentions and
    mentions per month."""
    if not has_entities(conn):
        return None
    row = conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    entity = dict(row) | {"aliases": json.loads(row["aliases"])}
    entity["spellings"] = entity_spellings(conn, entity_id)
    entity["articles"] = [dict(r) for r in conn.execute(
        "SELECT a.id, a.title, a.date, a.outlet, a.lang, count(*) AS mentions FROM mentions m JOIN articles a"
        " ON a.id = m.article_id WHERE m.entity_id = ? GROUP BY a.id ORDER BY a.date DESC, a.rowid LIMIT 500",
        (entity_id,))]
    entity["roles"] = [dict(r) for r in conn.execute(
        "SELECT r.role, a.id, a.title, a.date, a.lang FROM article_roles r JOIN articles a ON a.id = r.article_id"
        " WHERE r.entity_id = ? ORDER BY a.date DESC LIMIT 500", (entity_id,))]
    entity["co_mentioned"] = [dict(r) for r in conn.execute(
        "SELECT e.id, e.name, e.type, count(DISTINCT m2.article_id) AS articles FROM mentions m1"
        " JOIN mentions m2 ON m1.article_id = m2.article_id AND m2.entity_id != m1.entity_id"
        " JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = ?"
        " GROUP BY e.id ORDER BY articles DESC, e.name LIMIT 25", (entity_id,))]
    entity["by_month"] = [dict(r) for r in conn.execute(
        "SELECT substr(a.date, 1, 7) AS month, count(*) AS mentions, count(DISTINCT a.id) AS articles"
        " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? AND a.date IS NOT NULL"
        " GROUP BY 1 ORDER BY 1", (entity_id,))]
    entity["undated"] = dict(conn.execute(
        "SELECT count(*) AS mentions, count(DISTINCT a.id) AS articles FROM mentions m JOIN articles a"
        " ON a.id = m.article_id WHERE m.entity_id = ? AND a.date IS NULL", (entity_id,)).fetchone())
    layers = layer_status(conn)
    entity["quotes"] = entity_quotes(conn, entity_id) if layers["quotes"] else None
    entity["quotes_about"] = entity_quotes_about(conn, entity_id) if layers["quotes"] else None
    entity["quotes_total"] = entity_quotes_count(conn, entity_id) if layers["quotes"] else 0
    entity["quotes_about_total"] = entity_quotes_about_count(conn, entity_id) if layers["quotes"] else 0
    entity["relations"] = entity_relations(conn, entity_id) if layers["relations"] else None
    return entity


QUOTES_LISTED = 500  # quotes by (and about) an entity read for its page; the page says how many there are


def _quotes_about_sql(select: str) -> str:
    return (f"SELECT {select} FROM mentions m JOIN quotes q ON q.article_id = m.article_id AND q.start <= m.start"
            " AND m.end <= q.end JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN mentions s ON s.article_id = q.article_id AND s.start = q.speaker_mention_start"
            " AND s.end = q.speaker_mention_end"
            " WHERE m.entity_id = ? AND (s.entity_id IS NULL OR s.entity_id != m.entity_id)")


def entity_quotes_about(conn: sqlite3.Connection, entity_id: str, limit: int = QUOTES_LISTED) -> list[dict[str, Any]]:
    """Quotes that name the entity inside their text, by other speakers (or none resolved), newest
    article first and in text order within one."""
    return [dict(r) for r in conn.execute(
        _quotes_about_sql("DISTINCT q.article_id, q.start, q.end, q.text, q.kind, q.cue, q.speaker_text, a.title,"
                          " a.lang, a.date, a.outlet, a.rowid AS article_rowid")
        + " ORDER BY a.date IS NULL, a.date DESC, a.rowid, q.start LIMIT ?", (entity_id, limit))]


def entity_quotes_about_count(conn: sqlite3.Connection, entity_id: str) -> int:
    return conn.execute("SELECT count(*) FROM (" + _quotes_about_sql("DISTINCT q.article_id, q.start, q.end") + ")",
                        (entity_id,)).fetchone()[0]


def entity_relations(conn: sqlite3.Connection, entity_id: str, limit: int = 300) -> list[dict[str, Any]]:
    """Relations where the entity is subject or object, with the other actor, who asserts it
    (the quote's speaker, or the article itself) and the evidence sentence."""
    return Store.over(conn, "").relation_rows(actor=entity_id, limit=limit)


_QUOTES_BY = (" FROM quotes q JOIN mentions m ON m.article_id = q.article_id AND m.start = q.speaker_mention_start"
              " AND m.end = q.speaker_mention_end JOIN articles a ON a.id = q.article_id WHERE m.entity_id = ?")


def entity_quotes(conn: sqlite3.Connection, entity_id: str, limit: int = QUOTES_LISTED) -> list[dict[str, Any]]:
    """Quotes whose speaker mention resolves to the entity, newest article first and in text order
    within one."""
    return [dict(r) for r in conn.execute(
        "SELECT DISTINCT q.article_id, q.start, q.end, q.text, q.kind, q.cue, q.speaker_text, a.title, a.lang, a.date,"
        " a.outlet, a.rowid AS article_rowid" + _QUOTES_BY
        + " ORDER BY a.date IS NULL, a.date DESC, a.rowid, q.start LIMIT ?", (entity_id, limit))]


def entity_quotes_count(conn: sqlite3.Connection, entity_id: str) -> int:
    return conn.execute("SELECT count(*) FROM (SELECT DISTINCT q.article_id, q.start, q.end" + _QUOTES_BY + ")",
                        (entity_id,)).fetchone()[0]


def quotes_by_article(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes grouped by their article (title, outlet, date, language), in the order the articles
    first appear; each group's ``quotes`` in text order."""
    groups: dict[str, dict[str, Any]] = {}
    for q in quotes:
        group = groups.setdefault(q["article_id"], {k: q[k] for k in ("article_id", "title", "outlet", "date", "lang")}
                                  | {"quotes": []})
        group["quotes"].append(q)
    return [g | {"n": len(g["quotes"])} for g in groups.values()]


def entity_spellings(conn: sqlite3.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Each distinct spelling with its language, script and count."""
    rows = conn.execute("SELECT text, coalesce(lang, '') AS lang, count(*) AS n FROM mentions WHERE entity_id = ?"
                        " GROUP BY text, lang ORDER BY n DESC LIMIT 200", (entity_id,))
    return [dict(r) | {"script": script_of(r["text"])} for r in rows]


def script_of(text: str) -> str:
    """The Unicode script of the first letter of ``text`` (Latin, Arabic, …)."""
    import unicodedata

    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            return name.split(" ")[0].title() if name else "Other"
    return "Other"


# ------------------------------------------------------------------ graph, time, outlets


def timeline(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Articles per month by language."""
    return [dict(r) for r in conn.execute(
        "SELECT substr(date, 1, 7) AS month, count(*) AS articles FROM articles WHERE date IS NOT NULL"
        " GROUP BY 1 ORDER BY 1")]


def dated_articles(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(
        f"SELECT {ARTICLE_COLUMNS}, a.date_text FROM articles a WHERE a.date IS NOT NULL"
        " ORDER BY a.date DESC, a.rowid LIMIT ?", (limit,))]


def date_mentions(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    """Dates found in article text, resolved ones first, newest first."""
    if not table_exists(conn, "dates"):
        return []
    return [dict(r) for r in conn.execute(
        "SELECT d.article_id, d.start, d.end, d.text, d.value, d.calendar, d.resolved, d.relative, a.title, a.lang"
        " FROM dates d JOIN articles a ON a.id = d.article_id"
        " ORDER BY d.value IS NULL, d.value DESC LIMIT ?", (limit,))]


def outlets(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every outlet with its article count, languages, date range, authors and entity id."""
    rows = conn.execute(
        "SELECT outlet, count(*) AS articles, group_concat(DISTINCT lang) AS langs, min(date) AS first,"
        " max(date) AS last, count(DISTINCT author) AS authors FROM articles WHERE outlet IS NOT NULL"
        " GROUP BY outlet ORDER BY articles DESC, outlet")
    entity_of = {r[0]: r[1] for r in conn.execute(
        "SELECT a.outlet, r.entity_id FROM article_roles r JOIN articles a ON a.id = r.article_id"
        " WHERE r.role = 'outlet' GROUP BY a.outlet")} if has_entities(conn) else {}
    return [dict(r) | {"entity_id": entity_of.get(r["outlet"])} for r in rows]


READABLE_LINKS = 200  # about what a reader can follow on one screen


def readable_min_weight(graph: Any, kind: str = "", limit: int = 60, relations: bool = False,
                        links: int = READABLE_LINKS) -> int:
    """The smallest edge weight at which the network of the ``limit`` top nodes has at most ``links``
    links (co-mentions at weight 1 make a hairball: 150 nodes and 1,500 links on six pages)."""
    import numpy as np

    base = collapsed_relations(graph) if relations else graph
    nodes = list(base.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    # filtered_graph's order: most mentioned first, ties in graph order; rank[i] = place of node i
    order = sorted(range(len(nodes)), key=lambda i: (-(base.nodes[nodes[i]].get("mentions") or 0), i))
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[order] = np.arange(len(nodes))
    edges = [(index[a], index[b], d.get("weight", 1)) for a, b, d in base.edges(data=True)
             if not kind or (base.nodes[a].get("type") == kind and base.nodes[b].get("type") == kind)]
    if not edges:
        return 1
    a, b, w = (np.array(column, dtype=np.int64) for column in zip(*edges))
    for weight in range(1, 51):  # the edges filtered_graph would keep, counted without building it
        kept = w >= weight
        linked = np.unique(np.concatenate([a[kept], b[kept]]))
        top = np.zeros(len(nodes), dtype=bool)
        top[linked[np.argsort(rank[linked])][:limit]] = True
        if int(np.count_nonzero(top[a[kept]] & top[b[kept]])) <= links:
            return weight
    return 50


def linked_nodes(graph: Any, kind: str = "") -> int:
    """How many nodes (of type ``kind``) have a link at any weight: what "show more" can reach."""
    if not kind:
        return sum(1 for n in graph.nodes if any(m != n for m in nx.all_neighbors(graph, n)))
    return sum(1 for n, d in graph.nodes(data=True) if d.get("type") == kind
               and any(m != n and graph.nodes[m].get("type") == kind for m in nx.all_neighbors(graph, n)))


COMMUNITY_COLOURS = 10  # communities with a colour of their own; smaller ones share a grey


def communities(graph: Any, shown: int = COMMUNITY_COLOURS) -> tuple[dict[Any, int], list[dict[str, Any]]]:
    """Communities of the network as drawn (Louvain modularity on the edge weights, networkx, fixed
    seed so a page shows the same colours each time): each node's community number, largest first,
    and for the first ``shown`` their size and most mentioned members (the legend); the rest are
    numbered ``shown`` and listed as one "smaller communities" entry."""
    if graph.number_of_nodes() == 0:
        return {}, []
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for a, b, d in graph.edges(data=True):
        weight = d.get("weight", 1) + (undirected[a][b]["weight"] if undirected.has_edge(a, b) else 0)
        undirected.add_edge(a, b, weight=weight)
    found = nx.community.louvain_communities(undirected, weight="weight", seed=1)
    mentions = lambda n: graph.nodes[n].get("mentions") or 0  # noqa: E731
    found = sorted(found, key=lambda c: (-len(c), -max(mentions(n) for n in c), min(map(str, c))))
    number = {n: min(i, shown) for i, members in enumerate(found) for n in members}
    legend = [{"community": i, "size": len(members),
               "top": [graph.nodes[n].get("label", n) for n in sorted(members, key=lambda n: (-mentions(n), str(n)))[:3]]}
              for i, members in enumerate(found[:shown])]
    rest = found[shown:]
    if rest:
        legend.append({"community": shown, "size": sum(len(c) for c in rest), "top": [], "communities": len(rest)})
    return number, legend


def graph_json(graph: Any, kind: str = "", min_weight: int = 1, limit: int = 150, max_links: int = 1500
               ) -> dict[str, Any]:
    """The co-mention graph as nodes and links, filtered by entity type and edge weight,
    keeping the ``limit`` most mentioned nodes that have an edge left and the heaviest links (a node
    left without a link among them is not listed); each node carries its ``community`` in the
    network drawn (see :func:`communities`; the legend is ``communities``)."""
    sub = filtered_graph(graph, kind, min_weight, limit)
    edges = sorted(sub.edges(data=True), key=lambda e: -e[2].get("weight", 1))[:max_links]
    links = [{"source": a, "target": b, "weight": d.get("weight", 1)} for a, b, d in edges]
    drawn = nx.Graph()
    drawn.add_edges_from((a, b, d) for a, b, d in edges if a != b)  # a node whose links all fell out is not drawn
    nx.set_node_attributes(drawn, {n: sub.nodes[n] for n in drawn.nodes})
    number, legend = communities(drawn)
    nodes = [{"id": n, **{k: sub.nodes[n].get(k) for k in ("label", "type", "mentions", "articles")},
              "community": number.get(n)} for n in drawn.nodes]
    nodes.sort(key=lambda n: -(n["mentions"] or 0))
    return {"nodes": nodes, "links": links, "communities": legend}


def relation_graph_json(graph: Any, kind: str = "", min_weight: int = 1, limit: int = 150, max_links: int = 1500
                        ) -> dict[str, Any]:
    """The relations network as nodes and directed links: one link per (subject, object)
    weighing all their relations, ``kinds`` = relations per predicate (the page filters by
    predicate with them), ``polarity`` = their net sign, ``evidence`` = relation ids."""
    sub = filtered_graph(collapsed_relations(graph), kind, min_weight, limit)
    edges = sorted(sub.edges(data=True), key=lambda e: -e[2]["weight"])[:max_links]
    links = [{"source": a, "target": b, "weight": d["weight"], "kinds": d["kinds"], "polarity": d["polarity"],
              "evidence": d["evidence"], "arrow": True} for a, b, d in edges]
    drawn = nx.DiGraph()
    drawn.add_edges_from((a, b, d) for a, b, d in edges if a != b)  # a node whose links all fell out is not drawn
    nx.set_node_attributes(drawn, {n: sub.nodes[n] for n in drawn.nodes})
    number, legend = communities(drawn)
    nodes = [{"id": n, **{k: sub.nodes[n].get(k) for k in ("label", "type", "mentions")}, "community": number.get(n)}
             for n in drawn.nodes]
    nodes.sort(key=lambda n: -(n["mentions"] or 0))
    return {"nodes": nodes, "links": links, "communities": legend}


def collapsed_relations(graph: Any) -> nx.DiGraph:
    """The actor multigraph (an edge per predicate) as one weighted edge per ordered pair."""
    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    for a, b, d in graph.edges(data=True):
        if not out.has_edge(a, b):
            out.add_edge(a, b, weight=0, kinds={}, polarity=0, evidence="")
        edge = out.edges[a, b]
        edge["weight"] += d["weight"]
        edge["kinds"][d["predicate"]] = edge["kinds"].get(d["predicate"], 0) + d["weight"]
        edge["polarity"] += d["polarity"] * d["weight"]
        edge["evidence"] = (edge["evidence"] + " " + d["evidence"]).strip()
    return out


def filtered_relation_graph(graph: Any, kind: str = "", min_weight: int = 1, limit: int = 150) -> Any:
    """The actor multigraph on the nodes :func:`relation_graph_json` would show."""
    keep = filtered_graph(collapsed_relations(graph), kind, min_weight, limit).nodes
    return graph.subgraph(keep).copy()


def filtered_graph(graph: Any, kind: str = "", min_weight: int = 1, limit: int = 150) -> Any:
    """A subgraph of ``graph``: nodes of type ``kind`` (any when empty), edges of at least
    ``min_weight``, the ``limit`` most mentioned connected nodes (ties in the graph's node order).
    Built from the edges that pass rather than by copying the whole graph: the page tries up to 50
    weights to find a readable one, and a copy of the corpus graph each time took seconds."""
    nodes = graph.nodes
    wanted = (lambda n: True) if not kind else (lambda n: nodes[n].get("type") == kind)  # noqa: E731
    edges = [(a, b, d) for a, b, d in graph.edges(data=True)
             if d.get("weight", 1) >= min_weight and wanted(a) and wanted(b)]
    linked = {n for a, b, _ in edges for n in (a, b)}
    top = sorted((n for n in nodes if n in linked), key=lambda n: -(nodes[n].get("mentions") or 0))[:limit]
    keep = set(top)
    out = graph.__class__()
    out.add_nodes_from((n, nodes[n]) for n in nodes if n in keep)  # in the graph's order, as a subgraph has them
    out.add_edges_from((a, b, d) for a, b, d in edges if a in keep and b in keep)
    return out


# ------------------------------------------------------------------ technique dashboard


def filter_value(param: str) -> str | None:
    """A dashboard URL parameter as a Store filter: "" = any (None), :data:`NONE` = "" (articles
    without an outlet, or undated)."""
    if not param:
        return None
    return "" if param == NONE else param


def param_value(value: str | None) -> str:
    """The URL parameter selecting ``value`` (the inverse of :func:`filter_value`)."""
    return NONE if value == "" else (value or "")


# Spans of a technique and detector measured below this precision on held-out gold are left out of the
# dashboard's rates unless the user asks for them (bench/technique_calibration.py; the page says so)
DEFAULT_MIN_CONFIDENCE = 0.1


def technique_dashboard(store: Store, outlet: str = "", lang: str = "",
                        min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    """Techniques per 1,000 words overall, by outlet and by month (the Store's statistics), raw and
    weighted by calibrated confidence, with the words of every outlet and month (columns where nothing was
    found included), the total rate per month, and which detectors found the spans (``methods``) with a
    warning when the outlets or languages compared were read by detectors of different measured precision;
    ``outlet``/``lang`` are URL parameters (see :func:`filter_value`)."""
    o, lg = filter_value(outlet), filter_value(lang)
    months = store.article_words(o, lang=lg, by=("month",))
    by_month = store.technique_stats(o, lang=lg, by=("month",), min_confidence=min_confidence)
    spans_in: dict[str, int] = {}
    expected_in: dict[str, float] = {}
    for row in by_month:
        spans_in[row["month"]] = spans_in.get(row["month"], 0) + row["spans"]
        expected_in[row["month"]] = expected_in.get(row["month"], 0.0) + (row["expected"] or 0.0)
    totals = [{"month": m["month"], "spans": spans_in.get(m["month"], 0), "words": m["words"],
               "per_1000_words": round(1000.0 * spans_in.get(m["month"], 0) / m["words"], 2) if m["words"] else None,
               "weighted_per_1000_words": round(1000.0 * expected_in.get(m["month"], 0.0) / m["words"], 2)
               if m["words"] else None}
              for m in months]
    methods = store.technique_methods(o, lang=lg, min_confidence=min_confidence)
    from newsgraph.enrich.techniques import calibration_table

    table = calibration_table()
    for row in methods:  # how many gold-judged spans the detector's confidence rests on
        row["calibration_spans"] = table.get(row["lang"], {}).get(row["family"], {}).get("_spans")
    return {
        "filters": {"outlet": outlet, "lang": lang},
        "min_confidence": min_confidence,
        "overall": store.technique_stats(o, lang=lg, by=(), min_confidence=min_confidence),
        "by_outlet": store.technique_stats(o, lang=lg, by=("outlet",), min_confidence=min_confidence),
        "by_month": by_month,
        "outlets": store.article_words(o, lang=lg, by=("outlet",)),
        "months": months,
        "month_totals": totals,
        "methods": methods,
        "detector_warning": detector_warning(methods),
    }


def detector_warning(methods: list[dict[str, Any]]) -> str | None:
    """A sentence when the groups compared were read by different detectors: some by a trained model and
    some by rules only, or with mean calibrated confidences more than 0.15 apart."""
    groups: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in methods:
        groups.setdefault((row["outlet"], row["lang"]), {})[row["family"]] = row
    if len(groups) < 2:
        return None
    families = {tuple(sorted(g)) for g in groups.values()}
    means = []
    for g in groups.values():
        n = sum(r["spans"] for r in g.values())
        means.append(sum(r["spans"] * (r["mean_confidence"] or 0) for r in g.values()) / n if n else 0.0)
    langs = sorted({lang or "?" for _, lang in groups})
    if len(families) > 1:
        return (f"The outlets and languages here were read by different detectors ({', '.join(langs)}: trained "
                "models for some, rules only for others): compare the weighted rates, and read the raw counts "
                "with care.")
    if max(means) - min(means) > 0.15:
        return (f"The detectors behind these columns differ in measured precision (mean calibrated confidence "
                f"{min(means):.2f} to {max(means):.2f}): compare the weighted rates.")
    return None


def dashboard_choices(conn: sqlite3.Connection, limit: int = 500) -> dict[str, list[dict[str, Any]]]:
    """Outlets and languages to filter the dashboard by, most articles first."""
    outlets = [dict(r) for r in conn.execute(
        "SELECT coalesce(outlet, '') AS value, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        " LIMIT ?", (limit,))]
    langs = [dict(r) for r in conn.execute(
        "SELECT coalesce(lang, '') AS value, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 2 DESC, 1")]
    return {"outlets": outlets, "langs": langs}


def pivot(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, dict[str, Any]]]:
    """technique -> value of ``key`` -> statistics row."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        table.setdefault(row["technique"], {})[row[key]] = row
    return table


def technique_evidence(store: Store, technique: str = "", outlet: str = "", month: str = "", lang: str = "",
                       limit: int = 50, offset: int = 0, context: int = 120,
                       min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    """The spans behind one dashboard cell, with their context, and how many there are."""
    filters = {"technique": filter_value(technique), "outlet": filter_value(outlet), "month": filter_value(month),
               "lang": filter_value(lang), "min_confidence": min_confidence}
    return {"filters": {"technique": technique, "outlet": outlet, "month": month, "lang": lang},
            "min_confidence": min_confidence,
            "total": store.technique_count(**filters),
            "spans": store.technique_rows(**filters, limit=limit, offset=offset, context=context)}


# ------------------------------------------------------------------ outlet-to-outlet reuse


def reuse_graph_json(graph: Any) -> dict[str, Any]:
    """The outlet reuse graph as nodes and links for the page's script and the JSON API."""
    from newsgraph.store.graphs import REUSE_KINDS

    nodes = [{"id": n, "label": d.get("label", n), "type": "OUTLET", "mentions": d.get("articles", 1),
              "articles": d.get("articles", 0), "langs": d.get("langs", ""),
              "title": f'{d.get("label", n)} ({d.get("articles", 0)} articles)'} for n, d in graph.nodes(data=True)]
    nodes.sort(key=lambda n: (-n["articles"], n["id"]))
    links = [{"source": u, "target": v, "weight": d["weight"], "kinds": {k: d[k] for k in REUSE_KINDS},
              "article_pairs": d["article_pairs"], "chars": d["chars"], "undirected": d["undirected"],
              "arrow": d["weight"] > d["undirected"]} for u, v, d in graph.edges(data=True)]
    links.sort(key=lambda link: (-link["weight"], link["source"], link["target"]))
    return {"nodes": nodes, "links": links}


# ------------------------------------------------------------------ reuse clusters and boilerplate


CLUSTER_HOLDERS_SHOWN = 50  # holders listed under each cluster on the reuse page (all on the cluster's own page)
CLUSTER_TEXT_SHOWN = 700  # characters of the passage shown before it is cut


def reuse_clusters(conn: sqlite3.Connection, limit: int = 25, offset: int = 0, cluster_id: str | None = None,
                   holders: int = CLUSTER_HOLDERS_SHOWN) -> dict[str, Any]:
    """The most-copied passages: one page of reuse clusters (most holders, then most outlets first),
    each with why its likely original was named (:func:`newsgraph.corpus.reuse.original_evidence`)
    and its first ``holders`` holders, earliest first. ``stored`` is false for a database written
    before clusters existed."""
    from newsgraph.corpus.reuse import original_evidence

    store = Store.over(conn, "")
    stored = store.has_table("reuse_clusters")
    rows = store.reuse_cluster_rows(limit=limit, offset=offset, cluster_id=cluster_id) if stored else []
    for row in rows:
        row["evidence"] = original_evidence(row)
        row["holder_rows"] = store.reuse_cluster_holders(row["id"], limit=holders)
        row["shown_text"] = row["text"][:CLUSTER_TEXT_SHOWN]
    total = (1 if rows else 0) if cluster_id else store.reuse_cluster_count()
    return {"stored": stored, "total": total, "clusters": rows}


def boilerplate(conn: sqlite3.Connection, limit: int = 200) -> dict[str, Any]:
    """Each outlet's boilerplate (text it repeats in its own articles: never reported as reuse),
    most repeated first; ``stored`` is false for a database written before it was kept."""
    store = Store.over(conn, "")
    stored = store.has_table("boilerplate")
    rows = store.boilerplate_rows(limit=limit) if stored else []
    return {"stored": stored, "total": store.boilerplate_count(), "rows": rows}
