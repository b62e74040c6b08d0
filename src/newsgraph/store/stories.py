"""The SQL of the stories stage (``newsgraph.corpus.stories``): the scored links between articles, the
stories and their members (the sentence embeddings it reads are in :mod:`newsgraph.store.vectors`). Kept apart from :mod:`newsgraph.store.db` so
that the stage's tables read and write in one place; every query is parameterised."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any


from newsgraph.model import Story
from newsgraph.store.schema import row_by_id_or_prefix, table_exists
from newsgraph.store.vectors import chunks

def article_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every article with a language: what the stage needs besides its text and layers."""
    return conn.execute("SELECT rowid, id, lang, date, outlet, title, document_id FROM articles"
                        " WHERE lang IS NOT NULL ORDER BY rowid").fetchall()


def iter_texts(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(article, text) of every article with a language, streamed."""
    yield from conn.execute("SELECT id, text FROM articles WHERE lang IS NOT NULL")


def entity_counts(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str, int]]:
    """(article, entity, entity type, mentions) for every resolved mention; outlets, authors and the
    organisations an article names as its source ("به گزارش خبرگزاری فارس") left out."""
    yield from conn.execute(
        "SELECT m.article_id, m.entity_id, e.type, count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " WHERE m.start >= 0 AND NOT EXISTS (SELECT 1 FROM article_roles r WHERE r.article_id = m.article_id"
        " AND r.role = 'source' AND r.entity_id = m.entity_id) GROUP BY m.article_id, m.entity_id")


def text_dates(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(article, ISO value) of every absolute date written in the text (relative ones only echo the
    publication date)."""
    yield from conn.execute("SELECT article_id, value FROM dates WHERE value IS NOT NULL AND relative = 0")


def reuse_pairs(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """Pairs of different articles sharing text or translated from one another (not repetition in a page)."""
    if not table_exists(conn, "reuse"):
        return
    yield from conn.execute("SELECT DISTINCT a_article_id, b_article_id FROM reuse"
                            " WHERE kind != 'repetition' AND a_article_id != b_article_id")


def entity_names(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    out: dict[str, str] = {}
    for part in chunks(wanted):
        out.update(conn.execute(f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(part))})", part))
    return out


# ------------------------------------------------------------------ links and stories


def assigned_articles(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT article_id FROM story_members")}


def story_links(conn: sqlite3.Connection) -> list[tuple[str, str, float]]:
    return [tuple(r) for r in conn.execute("SELECT a_article_id, b_article_id, score FROM story_links")]


def add_story_links(conn: sqlite3.Connection, links: list[tuple[str, str, float]]) -> None:
    with conn:
        conn.executemany("INSERT OR REPLACE INTO story_links (a_article_id, b_article_id, score) VALUES (?, ?, ?)",
                         links)


def story_of(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    """The story each of these articles is in (those in one)."""
    out: dict[str, str] = {}
    for part in chunks(article_ids):
        out.update(conn.execute(f"SELECT article_id, story_id FROM story_members WHERE article_id IN"
                                f" ({','.join('?' * len(part))})", part))
    return out


def replace_stories(conn: sqlite3.Connection, removed: Iterable[str], stories: list[Story]) -> None:
    """Delete the stories ``removed`` (with their members) and write ``stories`` (replacing any of the same id)."""
    gone = sorted(set(removed) | {s.id for s in stories})
    with conn:
        for part in chunks(gone):
            marks = ",".join("?" * len(part))
            conn.execute(f"DELETE FROM story_members WHERE story_id IN ({marks})", part)
            conn.execute(f"DELETE FROM stories WHERE id IN ({marks})", part)
        conn.executemany(
            "INSERT INTO stories (id, size, first_article_id, first_date, last_date, labels, actors, places, followers,"
            " outlets, langs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(s.id, s.size, s.first_article_id, s.first_date, s.last_date, _json(s.labels), _json(s.actors),
              _json(s.places), _json(s.followers), _json(s.outlets), _json(s.langs)) for s in stories])
        conn.executemany(
            "INSERT OR REPLACE INTO story_members (article_id, story_id, score, lag_days) VALUES (?, ?, ?, ?)",
            [(m.article_id, m.story_id, m.score, m.lag_days) for s in stories for m in s.members])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


JSON_COLUMNS = ("labels", "actors", "places", "followers", "outlets", "langs")


_STORY_FILTER = (
    " FROM stories s WHERE s.size >= :min_size AND (:since IS NULL OR s.last_date >= :since)"
    " AND (:lang IS NULL OR EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id"
    " WHERE m.story_id = s.id AND a.lang = :lang))"
    " AND (:outlet IS NULL OR EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id"
    " WHERE m.story_id = s.id AND a.outlet = :outlet))")


def story_rows(conn: sqlite3.Connection, limit: int | None = None, min_size: int = 1, lang: str | None = None,
               outlet: str | None = None, since: str | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stories, largest first (then by outlets, first date, id), JSON columns decoded; ``since`` keeps
    stories with an article dated on or after it (ISO date)."""
    rows = conn.execute(
        "SELECT s.*" + _STORY_FILTER + " ORDER BY s.size DESC, length(s.outlets) DESC, s.first_date, s.id"
        " LIMIT :limit OFFSET :offset",
        {"min_size": min_size, "since": since, "lang": lang, "outlet": outlet,
         "limit": -1 if limit is None else limit, "offset": offset}).fetchall()
    return [_decoded(r) for r in rows]


def story_count(conn: sqlite3.Connection, min_size: int = 1, lang: str | None = None, outlet: str | None = None,
                since: str | None = None) -> int:
    """How many stories :func:`story_rows` would list without a limit."""
    return conn.execute("SELECT count(*)" + _STORY_FILTER,
                        {"min_size": min_size, "since": since, "lang": lang, "outlet": outlet}).fetchone()[0]


def stories_of_articles(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The story (id, size, labels) of each of these articles that is in one: the search page's story facet."""
    if not table_exists(conn, "story_members"):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for part in chunks(article_ids):
        for r in conn.execute(f"SELECT m.article_id, s.id, s.size, s.labels FROM story_members m JOIN stories s"
                              f" ON s.id = m.story_id WHERE m.article_id IN ({','.join('?' * len(part))})", part):
            out[r[0]] = {"id": r[1], "size": r[2], "labels": json.loads(r[3])}
    return out


def member_clusters(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """The reuse clusters (passages held by several articles) that hold a member of the story: cluster id,
    holders in all, and the story's members among them."""
    if not table_exists(conn, "reuse_cluster_members"):
        return []
    return [dict(r) for r in conn.execute(
        "SELECT c.id AS cluster_id, c.holders, c.source_article_id, group_concat(DISTINCT cm.article_id) AS members"
        " FROM reuse_cluster_members cm JOIN story_members m ON m.article_id = cm.article_id AND m.story_id = ?"
        " JOIN reuse_clusters c ON c.id = cm.cluster_id GROUP BY c.id ORDER BY c.holders DESC, c.id", (story_id,))]


def story_row(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """One story (by id or unique prefix) with its members (article metadata, score, lag) and the reuse and
    translation links between them."""
    row = row_by_id_or_prefix(conn, "stories", story_id)
    if row is None:
        return None
    story = _decoded(row)
    story["members"] = [dict(r) for r in conn.execute(
        "SELECT m.article_id, m.score, m.lag_days, a.title, a.date, a.outlet, a.lang FROM story_members m"
        " JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.date IS NULL, a.date, m.article_id",
        (story["id"],))]
    story["links"] = [dict(r) for r in conn.execute(
        "SELECT r.a_article_id, r.b_article_id, r.kind, r.similarity, r.source_article_id FROM reuse r"
        " JOIN story_members ma ON ma.article_id = r.a_article_id AND ma.story_id = ?"
        " JOIN story_members mb ON mb.article_id = r.b_article_id AND mb.story_id = ?"
        " WHERE r.kind != 'repetition' AND r.a_article_id != r.b_article_id"
        " GROUP BY r.a_article_id, r.b_article_id, r.kind ORDER BY r.a_article_id, r.b_article_id",
        (story["id"], story["id"]))] if table_exists(conn, "reuse") else []
    return story


def story_memberships(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """(story_id, article_id, score) for every member: the ``stories.jsonl`` export."""
    return [dict(r) for r in conn.execute("SELECT story_id, article_id, score FROM story_members"
                                          " ORDER BY story_id, article_id")]


def _decoded(row: sqlite3.Row) -> dict[str, Any]:
    return {k: (json.loads(row[k]) if k in JSON_COLUMNS else row[k]) for k in row.keys()}
