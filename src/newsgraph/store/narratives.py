"""The SQL of the narratives stage (:mod:`newsgraph.corpus.narratives`): the spans that make a sentence a
claim, the narratives with their member sentences, and the state that tells a later run whether to
recompute and which user overrides to apply (migration 15). Every query is parameterised."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from newsgraph.store.schema import row_by_id_or_prefix, table_exists
from newsgraph.store.vectors import chunks

# the layers whose spans make a sentence a claim or an evaluation: (name, table)
CARRIER_TABLES = (("quote", "quotes"), ("relation", "relations"), ("technique", "techniques"),
                  ("loaded_term", "loaded_terms"))
JSON_COLUMNS = ("keywords", "outlets", "months", "langs")


def carrier_spans(conn: sqlite3.Connection) -> Iterator[tuple[str, int, int, str]]:
    """(article, start, end, layer) of every quote, relation evidence sentence, technique span and loaded
    term of an article with a language (layers that have not run are left out)."""
    for name, table in CARRIER_TABLES:
        if table_exists(conn, table):
            yield from ((a, s, e, name) for a, s, e in conn.execute(
                f"SELECT t.article_id, t.start, t.end FROM {table} t JOIN articles a ON a.id = t.article_id"
                " WHERE a.lang IS NOT NULL AND t.end > t.start"))


def story_of_articles(conn: sqlite3.Connection) -> dict[str, str]:
    """The story of every article in one (empty when the stories stage has not run)."""
    if not table_exists(conn, "story_members"):
        return {}
    return dict(conn.execute("SELECT article_id, story_id FROM story_members"))


def input_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """What the narratives are computed from, counted: a change in any of these means a recomputation."""
    out = dict(zip(("articles", "max_rowid"), conn.execute(
        "SELECT count(*), coalesce(max(rowid), 0) FROM articles WHERE lang IS NOT NULL").fetchone()))
    for name, table in (*CARRIER_TABLES, ("stories", "story_members")):
        out[name] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if table_exists(conn, table) else -1
    return out


def state(conn: sqlite3.Connection, key: str) -> str | None:
    if not table_exists(conn, "narrative_state"):
        return None
    row = conn.execute("SELECT value FROM narrative_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    with conn:
        conn.execute("INSERT OR REPLACE INTO narrative_state (key, value) VALUES (?, ?)", (key, value))


def previous_clusters(conn: sqlite3.Connection) -> dict[tuple[str, int], str]:
    """The cluster (before overrides) of every sentence the last run kept: what keeps ids stable."""
    return {(a, s): c for a, s, c in conn.execute("SELECT article_id, start, cluster_id FROM narrative_sentences")}


def replace_narratives(conn: sqlite3.Connection, narratives: list[dict[str, Any]],
                       sentences: list[tuple[str, int, int, str, str, float, int, str]]) -> None:
    """Replace every narrative and member sentence (the stage recomputes the whole set)."""
    with conn:
        conn.execute("DELETE FROM narrative_sentences")
        conn.execute("DELETE FROM narratives")
        conn.executemany(
            "INSERT INTO narratives (id, label, named, size, articles, stories, keywords, outlets, months, langs,"
            " first_date, last_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(n["id"], n["label"], int(n["named"]), n["size"], n["articles"], n["stories"], _json(n["keywords"]),
              _json(n["outlets"]), _json(n["months"]), _json(n["langs"]), n["first_date"], n["last_date"])
             for n in narratives])
        conn.executemany(
            "INSERT INTO narrative_sentences (article_id, start, end, cluster_id, narrative_id, score, evidence, carriers)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sentences)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _decoded(row: sqlite3.Row) -> dict[str, Any]:
    return {k: (json.loads(row[k]) if k in JSON_COLUMNS else row[k]) for k in row.keys()}


# ------------------------------------------------------------------ reading


def narrative_rows(conn: sqlite3.Connection, limit: int | None = None, since: str | None = None,
                   outlet: str | None = None, lang: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Narratives with a member sentence in an article matching every filter (published on or after
    ``since``, from ``outlet``, in ``lang``), most articles first; and how many match in all."""
    if not table_exists(conn, "narratives"):
        return [], 0
    where = ("(? IS NULL AND ? IS NULL AND ? IS NULL) OR EXISTS (SELECT 1 FROM narrative_sentences s"
             " JOIN articles a ON a.id = s.article_id WHERE s.narrative_id = n.id"
             " AND (? IS NULL OR a.date >= ?) AND (? IS NULL OR a.outlet = ?) AND (? IS NULL OR a.lang = ?))")
    args = (since, outlet, lang, since, since, outlet, outlet, lang, lang)
    total = conn.execute(f"SELECT count(*) FROM narratives n WHERE {where}", args).fetchone()[0]
    rows = conn.execute(f"SELECT n.* FROM narratives n WHERE {where}"
                        " ORDER BY n.articles DESC, n.size DESC, n.id LIMIT ?", (*args, -1 if limit is None else limit))
    return [_decoded(r) for r in rows], total


def narrative_row(conn: sqlite3.Connection, narrative_id: str) -> dict[str, Any] | None:
    """One narrative (id or unique prefix) with its evidence sentences (span text, article metadata)."""
    if not table_exists(conn, "narratives"):
        return None
    row = row_by_id_or_prefix(conn, "narratives", narrative_id)
    if row is None:
        return None
    out = _decoded(row)
    out["evidence"] = [dict(r) for r in conn.execute(
        "SELECT s.article_id, s.start, s.end, substr(a.text, s.start + 1, s.end - s.start) AS text, s.score,"
        " s.evidence, s.carriers, a.title, a.outlet, a.date, a.lang FROM narrative_sentences s"
        " JOIN articles a ON a.id = s.article_id WHERE s.narrative_id = ? AND s.evidence > 0 ORDER BY s.evidence",
        (out["id"],))]
    return out


def outlet_months(conn: sqlite3.Connection, narrative_id: str) -> list[dict[str, Any]]:
    """Per outlet and month: the articles carrying the narrative and all articles with a language (its share's
    denominator); undated articles under month ''."""
    return [dict(r) for r in conn.execute(
        "WITH mine AS (SELECT DISTINCT a.outlet, coalesce(substr(a.date, 1, 7), '') AS month, a.id"
        " FROM narrative_sentences s JOIN articles a ON a.id = s.article_id WHERE s.narrative_id = ?)"
        " SELECT m.outlet, m.month, count(DISTINCT m.id) AS articles, (SELECT count(*) FROM articles b"
        " WHERE b.lang IS NOT NULL AND b.outlet IS m.outlet AND coalesce(substr(b.date, 1, 7), '') = m.month) AS of_all"
        " FROM mine m GROUP BY m.outlet, m.month ORDER BY m.outlet IS NULL, m.outlet, m.month", (narrative_id,))]


def member_sentences(conn: sqlite3.Connection, narrative_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Member sentences with their text: the ``narratives.jsonl`` export (every narrative) or one narrative's."""
    if not table_exists(conn, "narratives"):
        return
    yield from (dict(r) for r in conn.execute(
        "SELECT s.narrative_id, n.label, s.article_id, s.start, s.end, substr(a.text, s.start + 1, s.end - s.start)"
        " AS text, s.score, s.evidence, s.carriers, s.cluster_id FROM narrative_sentences s"
        " JOIN narratives n ON n.id = s.narrative_id JOIN articles a ON a.id = s.article_id"
        " WHERE ? IS NULL OR s.narrative_id = ? ORDER BY n.articles DESC, n.id, s.article_id, s.start",
        (narrative_id, narrative_id)))


def article_outlets_dates(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """(outlet, date) of each article."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for part in chunks(ids):
        for aid, outlet, date in conn.execute(
                f"SELECT id, outlet, date FROM articles WHERE id IN ({','.join('?' * len(part))})", part):
            out[aid] = (outlet, date)
    return out
