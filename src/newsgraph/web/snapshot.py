"""What the workbench may remember between requests: values that change only when the
database does (which tables exist, which stages have run, each article's search facets).

A page used to ask SQLite's catalogue and the runs table the same questions on every
request, and a search read the language, outlet and month of a thousand articles row by
row; under twenty concurrent clients that was a fifth of the server's time
(bench/web_latency.py). The server opens its connections as :class:`ReadConnection`,
which share one :class:`SnapshotCache` per database; :func:`cached` computes a value once
and recomputes it after any other connection commits (``PRAGMA data_version``) or the
schema changes. On a plain :class:`sqlite3.Connection` nothing is cached.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


class SnapshotCache:
    """Values computed from one database, shared by the threads of a server process; the
    oldest are dropped beyond ``size`` (keys include filter values a client chooses)."""

    def __init__(self, size: int = 256) -> None:
        self._lock = threading.Lock()
        self._values: dict[Hashable, Any] = {}
        self.size = size

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
    seen_state: tuple[int, int] | None = None


def has_snapshot(conn: sqlite3.Connection) -> bool:
    """Whether ``conn`` shares a cache (values computed through it are kept)."""
    return getattr(conn, "snapshot", None) is not None


def cached(conn: sqlite3.Connection, key: Hashable, build: Callable[[sqlite3.Connection], T]) -> T:
    """``build(conn)``, computed once per state of the database when ``conn`` shares a cache."""
    snapshot = getattr(conn, "snapshot", None)
    if snapshot is None:
        return build(conn)
    state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.execute("PRAGMA schema_version").fetchone()[0])
    if state != conn.seen_state:  # type: ignore[attr-defined]
        if conn.seen_state is not None:  # type: ignore[attr-defined]
            snapshot.clear()  # another connection wrote, or the schema changed
        conn.seen_state = state  # type: ignore[attr-defined]
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
