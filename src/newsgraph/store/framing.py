"""The SQL of entity framing (:mod:`newsgraph.corpus.framing`): the claims of each article, which articles
were read, and the claims of a story's actors by outlet. The actor of a claim is the entity of its
mention, joined here at query time so that it follows entity resolution; every query is parameterised."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from newsgraph.model import FramingClaim
from newsgraph.store.schema import table_exists
from newsgraph.store.vectors import chunks

_CLAIM_COLUMNS = ("article_id, mention_start, mention_end, mention_text, role, fine_role, kind, start, end, cue, voice,"
                  " weight, speaker_start, speaker_end, speaker_text")


def articles_to_frame(conn: sqlite3.Connection, version: str) -> list[str]:
    """Articles with a language whose claims were not read with ``version`` (new, older, or re-run since)."""
    return [r[0] for r in conn.execute(
        "SELECT a.id FROM articles a LEFT JOIN framing_done d ON d.article_id = a.id"
        " WHERE a.lang IS NOT NULL AND (d.version IS NULL OR d.version != ?) ORDER BY a.rowid", (version,))]


def replace_claims(conn: sqlite3.Connection, claims: dict[str, list[FramingClaim]], version: str) -> None:
    """Replace the claims of these articles and mark them read with ``version``, in one transaction."""
    ids = sorted(claims)
    with conn:
        for part in chunks(ids):
            conn.execute(f"DELETE FROM framing WHERE article_id IN ({','.join('?' * len(part))})", part)
        conn.executemany(
            f"INSERT OR REPLACE INTO framing ({_CLAIM_COLUMNS}) VALUES ({','.join('?' * 15)})",
            [(c.article_id, c.mention_start, c.mention_end, c.mention_text, c.role, c.fine_role, c.kind, c.start,
              c.end, c.cue, c.voice, c.weight, c.speaker_start, c.speaker_end, c.speaker_text)
             for rows in claims.values() for c in rows])
        conn.executemany("INSERT OR REPLACE INTO framing_done (article_id, version) VALUES (?, ?)",
                         [(a, version) for a in ids])


def forget_articles(conn: sqlite3.Connection, article_ids: list[str]) -> None:
    """Mark articles to be read again (their layers were replaced); called inside the caller's transaction."""
    if table_exists(conn, "framing_done"):
        for part in chunks(article_ids):
            conn.execute(f"DELETE FROM framing_done WHERE article_id IN ({','.join('?' * len(part))})", part)


def claim_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM framing").fetchone()[0]


_STORY_CLAIMS = (
    "SELECT f.*, m.story_id, a.outlet, a.lang, a.date, a.title, e.id AS entity_id, e.name AS entity_name,"
    " e.type AS entity_type, substr(a.text, f.start + 1, f.end - f.start) AS evidence,"
    " (SELECT sm.entity_id FROM mentions sm WHERE sm.article_id = f.article_id AND sm.start = f.speaker_start"
    "  AND sm.end = f.speaker_end LIMIT 1) AS speaker_entity_id"
    " FROM framing f JOIN story_members m ON m.article_id = f.article_id JOIN articles a ON a.id = f.article_id"
    " JOIN mentions mm ON mm.article_id = f.article_id AND mm.start = f.mention_start AND mm.end = f.mention_end"
    " JOIN entities e ON e.id = mm.entity_id")


def story_claims(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Every claim about a resolved actor in the story's articles, with its outlet, language, actor and
    evidence text, in (actor, outlet, article, position) order."""
    if not table_exists(conn, "framing"):
        return []
    return [dict(r) for r in conn.execute(
        _STORY_CLAIMS + " WHERE m.story_id = ? GROUP BY f.rowid"
        " ORDER BY e.id, a.outlet, a.date, f.article_id, f.start", (story_id,))]


def all_story_claims(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The claims of every story, grouped by story then actor then outlet (the ``framing`` export)."""
    if not (table_exists(conn, "framing") and table_exists(conn, "story_members")):
        return
    for r in conn.execute(_STORY_CLAIMS + " GROUP BY f.rowid ORDER BY m.story_id, e.id, a.outlet, f.article_id, f.start"):
        yield dict(r)


def story_ids_of(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    """The story of each of these articles (the search facet)."""
    if not table_exists(conn, "story_members"):
        return {}
    out: dict[str, str] = {}
    for part in chunks(article_ids):
        out.update(conn.execute(f"SELECT article_id, story_id FROM story_members WHERE article_id IN"
                                f" ({','.join('?' * len(part))})", part))
    return out
