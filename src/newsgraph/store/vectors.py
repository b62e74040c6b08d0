"""The SQL of stored sentence embeddings (``sentence_vectors``, migrations 13 and 14): written once per
article and model, read by every stage that compares sentences (cross-lingual reuse, stories). Vectors
are kept as float16 blobs of unit length and read back as float32; each row carries the hash of the
text embedded, so a text already embedded for one article is looked up, not embedded again, for the
next. Every query is parameterised."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import numpy as np

BATCH = 900  # ids per IN (...) list: below SQLite's default limit of 999 variables

# (article_id, idx, start, end, vector, text_hash); idx -1 with an empty vector (and no hash) marks an
# article with no sentence
VectorRow = tuple[str, int, int, int, np.ndarray, "int | None"]
INSERT = "INSERT OR REPLACE INTO sentence_vectors (article_id, model, idx, start, end, vector, text_hash) VALUES (?, ?, ?, ?, ?, ?, ?)"


def _params(model: str, rows: list[VectorRow]) -> list[tuple]:
    return [(a, model, i, s, e, np.asarray(v, dtype=np.float16).tobytes(), h) for a, i, s, e, v, h in rows]


def chunks(ids: list[str], size: int = BATCH) -> Iterator[list[str]]:
    """``ids`` in lists short enough for one ``IN (...)``."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def stored_spans(conn: sqlite3.Connection, model: str) -> dict[str, list[tuple[int, int]]]:
    """The sentence spans stored for each article with ``model`` (in order; [] for an article with
    none), to tell which articles still need embedding and which rows are stale."""
    out: dict[str, list[tuple[int, int]]] = {}
    for aid, idx, start, end in conn.execute(
            "SELECT article_id, idx, start, end FROM sentence_vectors WHERE model = ? ORDER BY article_id, idx", (model,)):
        spans = out.setdefault(aid, [])
        if idx >= 0:
            spans.append((start, end))
    return out


def articles_to_embed(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(rowid, id, text) of every article with a language, in rowid order."""
    return conn.execute("SELECT rowid, id, text FROM articles WHERE lang IS NOT NULL ORDER BY rowid").fetchall()


def article_texts(conn: sqlite3.Connection, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in chunks(ids):
        out.update(conn.execute(f"SELECT id, text FROM articles WHERE id IN ({','.join('?' * len(part))})", part))
    return out


def replace_sentence_vectors(conn: sqlite3.Connection, model: str, rows: list[VectorRow]) -> None:
    """Store the rows of ``model`` for their articles, replacing what those articles had."""
    ids = sorted({r[0] for r in rows})
    with conn:
        for part in chunks(ids):
            conn.execute(f"DELETE FROM sentence_vectors WHERE model = ? AND article_id IN ({','.join('?' * len(part))})",
                         [model, *part])
        conn.executemany(INSERT, _params(model, rows))


def all_sentence_vectors(conn: sqlite3.Connection, model: str, dim: int
                         ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Every stored sentence of ``model`` (articles with a language): article ids, and per sentence
    the article's index in them, its (start, end) and its float32 vector; in (rowid, idx) order."""
    ids: list[str] = []
    owner: list[int] = []
    spans: list[tuple[int, int]] = []
    blobs: list[bytes] = []
    for aid, start, end, blob in conn.execute(
            "SELECT v.article_id, v.start, v.end, v.vector FROM sentence_vectors v JOIN articles a ON a.id = v.article_id"
            " WHERE v.model = ? AND v.idx >= 0 AND a.lang IS NOT NULL ORDER BY a.rowid, v.idx", (model,)):
        if not ids or ids[-1] != aid:
            ids.append(aid)
        owner.append(len(ids) - 1)
        spans.append((start, end))
        blobs.append(blob)
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(-1, dim).astype(np.float32)
    return ids, np.asarray(owner, dtype=np.int64), np.asarray(spans, dtype=np.int64).reshape(-1, 2), vectors


def article_facts(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    """(lang, date) of each article."""
    out: dict[str, tuple[str, str | None]] = {}
    for part in chunks(ids):
        for aid, lang, date in conn.execute(
                f"SELECT id, lang, date FROM articles WHERE id IN ({','.join('?' * len(part))})", part):
            out[aid] = (lang, date)
    return out


def text_lengths(conn: sqlite3.Connection, ids: list[str]) -> dict[str, int]:
    """Characters of each article's text."""
    out: dict[str, int] = {}
    for part in chunks(ids):
        out.update(conn.execute(f"SELECT id, length(text) FROM articles WHERE id IN ({','.join('?' * len(part))})", part))
    return out


def lead_vectors(conn: sqlite3.Connection, ids: list[str], model: str, upto: int) -> dict[str, np.ndarray]:
    """The stored embeddings of the first ``upto`` sentences of each article (float32, in order), for
    articles that have them from ``model`` (rows without a vector left out)."""
    out: dict[str, list[np.ndarray]] = {}
    for part in chunks(ids):
        for aid, blob in conn.execute(
                f"SELECT article_id, vector FROM sentence_vectors WHERE article_id IN ({','.join('?' * len(part))})"
                " AND model = ? AND idx < ? AND length(vector) > 0 ORDER BY article_id, idx", [*part, model, upto]):
            out.setdefault(aid, []).append(np.frombuffer(blob, dtype=np.float16).astype(np.float32))
    return {aid: np.vstack(rows) for aid, rows in out.items()}


def embedded_articles(conn: sqlite3.Connection, model: str) -> set[str]:
    """Articles with any row of ``model`` (an article without a sentence has one row with idx -1, so it is
    not embedded again)."""
    return {r[0] for r in conn.execute("SELECT DISTINCT article_id FROM sentence_vectors WHERE model = ?", (model,))}


def add_sentence_vectors(conn: sqlite3.Connection, model: str, rows: list[VectorRow]) -> None:
    """Store rows of ``model`` as float16, keeping the article's other rows (the stories stage adds leads)."""
    with conn:
        conn.executemany(INSERT, _params(model, rows))


def stored_sentences(conn: sqlite3.Connection, ids: list[str], model: str
                     ) -> dict[str, dict[int, tuple[int, int, np.ndarray]]]:
    """Every stored sentence of ``model`` for these articles: idx -> (start, end, float32 vector), rows
    without a vector left out (the narratives stage embeds only the sentences it misses)."""
    out: dict[str, dict[int, tuple[int, int, np.ndarray]]] = {}
    for part in chunks(ids):
        for aid, idx, start, end, blob in conn.execute(
                f"SELECT article_id, idx, start, end, vector FROM sentence_vectors WHERE article_id IN"
                f" ({','.join('?' * len(part))}) AND model = ? AND idx >= 0 AND length(vector) > 0", [*part, model]):
            out.setdefault(aid, {})[idx] = (start, end, np.frombuffer(blob, dtype=np.float16).astype(np.float32))
    return out


def vectors_by_hash(conn: sqlite3.Connection, model: str, hashes: list[int]) -> dict[int, np.ndarray]:
    """The stored float16 vector of each of ``hashes`` that some article already has from ``model``."""
    out: dict[int, np.ndarray] = {}
    for part in chunks(hashes):
        for h, blob in conn.execute(
                f"SELECT text_hash, vector FROM sentence_vectors WHERE model = ? AND text_hash IN ({','.join('?' * len(part))})"
                " AND length(vector) > 0", [model, *part]):
            out.setdefault(h, np.frombuffer(blob, dtype=np.float16))
    return out
