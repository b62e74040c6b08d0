"""What the workbench may remember between requests: values that change only when the
database does (which tables exist, which stages have run, each article's search facets and the entities
it names).

A page used to ask SQLite's catalogue and the runs table the same questions on every
request, and a search read the language, outlet and month of a thousand articles row by
row; under twenty concurrent clients that was a fifth of the server's time
(bench/web_latency.py). The server opens its connections as :class:`ReadConnection`,
which share one :class:`SnapshotCache` per database; :func:`cached` computes a value once
and recomputes it after any other connection commits or the schema changes (``PRAGMA
data_version`` and ``schema_version`` on the cache's own connection, asked once per request).
On a plain :class:`sqlite3.Connection` nothing is cached.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


class SnapshotCache:
    """Values computed from one database, shared by the threads of a server process; the
    oldest are dropped beyond ``size`` (keys include filter values a client chooses).

    Whether the database changed is asked of one ``watch`` connection: ``PRAGMA data_version``
    only compares commits seen by the same connection, so a connection a new thread opens after
    a write could not tell that the values were computed before it."""

    def __init__(self, watch: sqlite3.Connection | None = None, size: int = 256) -> None:
        self._lock = threading.Lock()
        self._values: dict[Hashable, Any] = {}
        self.size = size
        self.watch = watch
        self._state: tuple[int, int] | None = None
        self._checked_for: object | None = None

    def refresh(self, request: object | None) -> None:
        """Drop every value when another connection wrote or the schema changed since the last
        check; asked once per ``request`` (every time when None)."""
        if self.watch is None or (request is not None and request is self._checked_for):
            return
        with self._lock:
            state = (self.watch.execute("PRAGMA data_version").fetchone()[0],
                     self.watch.execute("PRAGMA schema_version").fetchone()[0])
            if state != self._state:
                self._values.clear()
                self._state = state
            self._checked_for = request

    def get(self, key: Hashable) -> Any:
        with self._lock:
            return self._values.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if len(self._values) >= self.size:
                self._values.pop(next(iter(self._values)))
            self._values[key] = value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class ReadConnection(sqlite3.Connection):
    """A connection that can carry the shared cache (plain connections take no attributes)."""

    snapshot: SnapshotCache | None = None


def has_snapshot(conn: sqlite3.Connection) -> bool:
    """Whether ``conn`` shares a cache (values computed through it are kept)."""
    return getattr(conn, "snapshot", None) is not None


# The request being served (set by the app for each HTTP request, see :func:`serving_request`).
_REQUEST: ContextVar[object | None] = ContextVar("newsgraph_request", default=None)


def serving_request() -> None:
    """Mark the start of a request in this context: :func:`cached` then asks SQLite whether the
    database changed once per request, not once per cached value (a page reads a dozen, and the
    two PRAGMAs each time were a tenth of an article page)."""
    _REQUEST.set(object())


def cached(conn: sqlite3.Connection, key: Hashable, build: Callable[[sqlite3.Connection], T]) -> T:
    """``build(conn)``, computed once per state of the database when ``conn`` shares a cache."""
    snapshot = getattr(conn, "snapshot", None)
    if snapshot is None:
        return build(conn)
    snapshot.refresh(_REQUEST.get())
    value = snapshot.get(key)
    if value is None:
        value = build(conn)
        snapshot.put(key, value)
    return value


@dataclass
class FacetCodes:
    """Language, outlet and month of every article, by rowid, as integer codes into
    ``values`` (code 0 is "none")."""

    codes: dict[str, np.ndarray]
    values: list[str]

    def covers(self, rowids: list[int]) -> bool:
        return not rowids or max(rowids) < len(self.codes["lang"])

    def counts(self, rowids: list[int]) -> dict[str, Counter[str]]:
        """How many of ``rowids`` have each language, outlet and month."""
        index = np.asarray(rowids, dtype=np.int64)
        out = {}
        for key, codes in self.codes.items():
            tally = np.bincount(codes[index], minlength=1) if len(index) else np.zeros(1, dtype=np.int64)
            out[key] = Counter({self.values[c]: int(n) for c, n in enumerate(tally) if n})
        return out


def facet_codes(conn: sqlite3.Connection) -> FacetCodes:
    """Every article's (lang, outlet, month), read once (through the covering index of
    schema version 7 when the database has it)."""
    size = (conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0) + 1
    codes = {key: np.zeros(size, dtype=np.int32) for key in ("lang", "outlet", "month")}
    values, index = [""], {"": 0}
    for row in conn.execute("SELECT rowid, lang, outlet, substr(date, 1, 7) FROM articles"):
        for key, value in zip(("lang", "outlet", "month"), row[1:]):
            if value:
                code = index.get(value)
                if code is None:
                    code = index[value] = len(values)
                    values.append(value)
                codes[key][row[0]] = code
    return FacetCodes(codes, values)


ENTITY_CODES_MAX_PAIRS = 20_000_000  # (article, entity) pairs kept in memory; beyond, the facet is read by SQL


@dataclass
class EntityCodes:
    """The distinct entities each article names, by rowid: article ``r`` names the entities
    ``codes[start[r]:start[r + 1]]``, indexes into ``entities`` ((id, name, type) each)."""

    start: np.ndarray
    codes: np.ndarray
    entities: list[tuple[str, str, str]]

    def covers(self, rowids: list[int]) -> bool:
        return not rowids or (min(rowids) >= 0 and max(rowids) < len(self.start) - 1)

    def most_named(self, rowids: list[int], n: int) -> list[dict[str, Any]]:
        """The ``n`` entities named in most of the articles ``rowids`` (each counted once per
        article), most first, ties by name then id: the search page's entity facet."""
        index = np.unique(np.asarray(rowids, dtype=np.int64))
        if not len(index) or not len(self.entities):
            return []
        begin, end = self.start[index], self.start[index + 1]
        named = np.concatenate([self.codes[a:b] for a, b in zip(begin.tolist(), end.tolist())])
        tally = np.bincount(named, minlength=len(self.entities))
        found = np.flatnonzero(tally).tolist()
        counts = tally.tolist()
        top = sorted(found, key=lambda c: (-counts[c], self.entities[c][1], self.entities[c][0]))[:n]
        return [{"value": self.entities[c][0], "name": self.entities[c][1], "type": self.entities[c][2],
                 "count": counts[c]} for c in top]


def entity_codes(conn: sqlite3.Connection) -> EntityCodes:
    """Which entities every article names, read once; beyond :data:`ENTITY_CODES_MAX_PAIRS`
    mentions, when the memory would outweigh a query per search, codes that cover no article."""
    if conn.execute("SELECT count(*) > ? FROM mentions", (ENTITY_CODES_MAX_PAIRS,)).fetchone()[0]:
        return EntityCodes(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), [])
    size = (conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0) + 1
    entities = conn.execute("SELECT rowid, id, name, type FROM entities ORDER BY rowid").fetchall()
    dense = {row[0]: code for code, row in enumerate(entities)}
    cursor = conn.execute("SELECT DISTINCT a.rowid, e.rowid FROM articles a JOIN mentions m ON m.article_id = a.id"
                          " JOIN entities e ON e.id = m.entity_id")
    parts = [np.zeros((0, 2), dtype=np.int64)]
    while chunk := cursor.fetchmany(4096):  # rows become arrays while young (fewer full garbage collections)
        parts.append(np.array(chunk, dtype=np.int64))
    table = np.concatenate(parts)
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    articles = table[:, 0]
    codes = np.array([dense[e] for e in table[:, 1].tolist()], dtype=np.int32)
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(articles, minlength=size), out=start[1:])
    return EntityCodes(start, codes, [(r[1], r[2], r[3]) for r in entities])
