"""Where each pipeline stage keeps its output: the table it owns and the rows of one article.

A stage of :class:`newsgraph.pipeline.Pipeline` declares its storage as layers. A layer writes the
rows of one article (:meth:`write`) and, before the stage re-runs on a stored article
(``newsgraph analyze --redo``), deletes the rows it wrote (:meth:`clear`), so every table
holds exactly what its stage found and nothing else is touched.

The built-in stages' tables are created by the migrations of :mod:`newsgraph.store.schema`. A custom
component declares a :class:`Table` (a name, typed columns, and where its records sit on the
article); the store creates it at the start of a run, with an ``article_id`` column first, and
registers it in ``component_tables`` so that an article read back carries its rows in
``article.layers[name]``::

    def sentiment(article):
        article.layers["sentiment"] = [{"start": p.start, "end": p.end, "score": score(article, p)}
                                       for p in article.paragraphs]
        return article

    pipeline.add("sentiment", sentiment, requires=["lang"], assigns=["sentiment"],
                 storage=[Table("sentiment", {"start": "INTEGER", "end": "INTEGER", "score": "REAL"})])

Every statement is built from names checked against :data:`IDENTIFIER` and parameterised values.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsgraph.model import Article
from newsgraph.store.schema import table_exists

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}")
SQL_TYPES = ("INTEGER", "REAL", "TEXT", "BLOB", "NUMERIC")
Rows = Callable[[Article], Iterable[Sequence[Any]]]


class LayerError(ValueError):
    """A component's storage declaration that cannot be honoured (bad name, taken table, other columns)."""


class Layer(Protocol):
    """The storage of (part of) one stage's output."""

    name: str

    def write(self, conn: sqlite3.Connection, article: Article) -> None: ...

    def clear(self, conn: sqlite3.Connection, article_id: str) -> None: ...


@dataclass(frozen=True)
class BuiltinTable:
    """A table created by a migration: the stage's rows (values in ``columns`` order) and, when two
    stages share the table, the condition selecting the rows this one owns (fixed SQL, no input)."""

    name: str
    columns: tuple[str, ...]
    rows: Rows
    owns: str = "1"

    def write(self, conn: sqlite3.Connection, article: Article) -> None:
        conn.executemany(f"INSERT OR IGNORE INTO {self.name} ({', '.join(self.columns)})"
                         f" VALUES ({', '.join('?' * len(self.columns))})", list(self.rows(article)))

    def clear(self, conn: sqlite3.Connection, article_id: str) -> None:
        conn.execute(f"DELETE FROM {self.name} WHERE article_id = ? AND ({self.owns})", (article_id,))


@dataclass(frozen=True)
class LanguageColumns:
    """The language stage's output lives in the spine: ``articles.lang`` and ``paragraphs.lang``.
    A fresh article is inserted with them; a re-run updates them in place (nothing to delete)."""

    name: str = "lang"

    def write(self, conn: sqlite3.Connection, article: Article) -> None:
        conn.execute("UPDATE articles SET lang = ? WHERE id = ?", (article.lang, article.id))
        conn.executemany("UPDATE paragraphs SET lang = ? WHERE article_id = ? AND idx = ?",
                         [(p.lang, article.id, i) for i, p in enumerate(article.paragraphs)])

    def clear(self, conn: sqlite3.Connection, article_id: str) -> None:
        return None


@dataclass(frozen=True)
class Table:
    """A custom component's table: ``name``, its ``columns`` (name → SQL type: INTEGER, REAL, TEXT,
    BLOB or NUMERIC, optionally followed by NOT NULL) after the ``article_id`` column newsgraph adds,
    and the rows of an article. By default the rows are the records in ``article.layers[name]``
    (dicts, or objects with those attributes), and reading an article back puts them there again as
    dicts; ``rows`` replaces that with a function of the article returning value tuples in column order."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    rows: Rows | None = None

    def __post_init__(self) -> None:
        problems = check_table(self.name, self.columns)
        if problems:
            raise LayerError(f"table {self.name!r}: " + "; ".join(problems))

    def values(self, article: Article) -> list[tuple[Any, ...]]:
        if self.rows is not None:
            return [(article.id, *row) for row in self.rows(article)]
        return [(article.id, *(_field(record, column) for column in self.columns))
                for record in article.layers.get(self.name, [])]

    def write(self, conn: sqlite3.Connection, article: Article) -> None:
        names = ", ".join(["article_id", *self.columns])
        conn.executemany(f'INSERT INTO "{self.name}" ({names}) VALUES ({", ".join("?" * (len(self.columns) + 1))})',
                         self.values(article))

    def clear(self, conn: sqlite3.Connection, article_id: str) -> None:
        conn.execute(f'DELETE FROM "{self.name}" WHERE article_id = ?', (article_id,))

    def create(self, conn: sqlite3.Connection, component: str, run_id: int | None) -> None:
        """Create the table (and register it) unless it exists with the same columns; refuse a table
        newsgraph itself or another component owns, or one declared before with other columns."""
        declared = [[column, kind] for column, kind in self.columns.items()]
        row = conn.execute("SELECT component, columns FROM component_tables WHERE name = ?", (self.name,)).fetchone()
        if row is not None:
            if row[0] != component:
                raise LayerError(f"table {self.name!r} belongs to component {row[0]!r}; name the table of "
                                 f"{component!r} differently")
            if json.loads(row[1]) != declared:
                raise LayerError(f"table {self.name!r} of {component!r} was created with the columns "
                                 f"{_columns_text(json.loads(row[1]))}, now declared with {_columns_text(declared)}: "
                                 "give the new version a new table name")
            return
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (self.name,)).fetchone():
            raise LayerError(f"{self.name!r} is one of newsgraph's own tables; name the table of {component!r} "
                             "differently")
        columns = "".join(f', "{column}" {kind}' for column, kind in self.columns.items())
        with conn:
            conn.execute(f'CREATE TABLE "{self.name}" (article_id TEXT NOT NULL REFERENCES articles(id){columns})')
            conn.execute(f'CREATE INDEX "{self.name}_article" ON "{self.name}" (article_id)')
            conn.execute("INSERT INTO component_tables (name, component, columns, run_id) VALUES (?, ?, ?, ?)",
                         (self.name, component, json.dumps(declared), run_id))


def check_table(name: str, columns: dict[str, str]) -> list[str]:
    """What is wrong with a custom table declaration (nothing: [])."""
    problems = []
    if not IDENTIFIER.fullmatch(name) or name.startswith("sqlite_"):
        problems.append("a table name is lower-case letters, digits and _, starting with a letter")
    if not columns:
        problems.append("declare at least one column besides article_id")
    for column, kind in columns.items():
        if not IDENTIFIER.fullmatch(column) or column == "article_id":
            problems.append(f"column {column!r}: lower-case letters, digits and _ (article_id is added by newsgraph)")
        words = kind.upper().split()
        if not words or words[0] not in SQL_TYPES or words[1:] not in ([], ["NOT", "NULL"]):
            problems.append(f"column {column!r}: type {kind!r} is not one of {', '.join(SQL_TYPES)} [NOT NULL]")
    return problems


def registered_tables(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """The custom tables of this database and their columns (after article_id), in creation order;
    [] for a database without the registry (older, opened read-only). Names are re-checked."""
    if not table_exists(conn, "component_tables"):
        return []
    out = []
    for name, columns in conn.execute("SELECT name, columns FROM component_tables ORDER BY rowid"):
        names = [c for c, _ in json.loads(columns)]
        if IDENTIFIER.fullmatch(name) and all(IDENTIFIER.fullmatch(c) for c in names):
            out.append((name, names))
    return out


def read_custom_layers(conn: sqlite3.Connection, article: Article) -> None:
    """Put the rows of every custom table back on the article, as dicts, in the order written."""
    for name, columns in registered_tables(conn):
        rows = conn.execute(f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)} FROM "{name}"'
                            " WHERE article_id = ? ORDER BY rowid", (article.id,))
        article.layers[name] = [dict(zip(columns, row)) for row in rows]


def _field(record: Any, column: str) -> Any:
    return record[column] if isinstance(record, dict) else getattr(record, column)


def _columns_text(columns: list[list[str]]) -> str:
    return "(" + ", ".join(f"{c} {t}" for c, t in columns) + ")"


# ------------------------------------------------------------------ the built-in stages' tables

RELATION_MENTIONS = "method LIKE 'relations:%'"  # names the relations stage adds as its endpoints


def _mention_rows(article: Article, relations: bool) -> list[tuple]:
    return [(m.article_id, m.start, m.end, m.text, m.label, m.lang, m.method, m.entity_id) for m in article.mentions
            if m.method.startswith("relations:") == relations]


def entity_mention_rows(article: Article) -> list[tuple]:
    return _mention_rows(article, relations=False)


def relation_mention_rows(article: Article) -> list[tuple]:
    return _mention_rows(article, relations=True)


def date_rows(article: Article) -> list[tuple]:
    return [(d.article_id, d.start, d.end, d.text, d.value, d.calendar, int(d.resolved), int(d.relative))
            for d in article.dates]


def quote_rows(article: Article) -> list[tuple]:
    return [(q.article_id, q.start, q.end, q.text, q.kind, q.cue, q.cue_start, q.cue_end, q.speaker_text,
             q.speaker_start, q.speaker_end, q.speaker_mention_start, q.speaker_mention_end, int(q.speaker_resolved),
             q.addressee, q.method) for q in article.quotes]


def technique_rows(article: Article) -> list[tuple]:
    return [(article.id, t.start, t.end, t.technique, getattr(t, "group", None), float(t.confidence), t.method)
            for t in article.techniques]


def relation_rows(article: Article) -> list[tuple]:
    return [(r.id, r.article_id, r.start, r.end, r.predicate, r.polarity, int(r.negated), r.cue, r.cue_start,
             r.cue_end, r.subject_text, r.subject_start, r.subject_end, r.object_text, r.object_start, r.object_end,
             r.quote_start, r.quote_end, r.attributed_text, r.attributed_mention_start, r.attributed_mention_end,
             r.method) for r in article.relations]


def loaded_term_rows(article: Article) -> list[tuple]:
    return [(t.article_id, t.start, t.end, t.text, t.term, t.category, t.lang) for t in article.loaded_terms]


_MENTION_COLUMNS = ("article_id", "start", "end", "text", "label", "lang", "method", "entity_id")

LANGUAGE = (LanguageColumns(),)
ENTITIES = (BuiltinTable("mentions", _MENTION_COLUMNS, entity_mention_rows, f"NOT ({RELATION_MENTIONS})"),)
DATES = (BuiltinTable("dates", ("article_id", "start", "end", "text", "value", "calendar", "resolved", "relative"),
                      date_rows),)
QUOTES = (BuiltinTable("quotes", ("article_id", "start", "end", "text", "kind", "cue", "cue_start", "cue_end",
                                  "speaker_text", "speaker_start", "speaker_end", "speaker_mention_start",
                                  "speaker_mention_end", "speaker_resolved", "addressee", "method"), quote_rows),)
RELATIONS = (BuiltinTable("relations", ("id", "article_id", "start", "end", "predicate", "polarity", "negated", "cue",
                                        "cue_start", "cue_end", "subject_text", "subject_start", "subject_end",
                                        "object_text", "object_start", "object_end", "quote_start", "quote_end",
                                        "attributed_text", "attributed_mention_start", "attributed_mention_end",
                                        "method"), relation_rows),
             BuiltinTable("mentions", _MENTION_COLUMNS, relation_mention_rows, RELATION_MENTIONS))
TECHNIQUES = (BuiltinTable("techniques", ("article_id", "start", "end", "technique", "technique_group", "confidence",
                                          "method"), technique_rows),)
LOADED_TERMS = (BuiltinTable("loaded_terms", ("article_id", "start", "end", "text", "term", "category", "lang"),
                             loaded_term_rows),)

# the storage of each built-in stage, by stage name (what Store.add_document writes without a pipeline)
BUILTIN: dict[str, tuple[Layer, ...]] = {"language": LANGUAGE, "entities": ENTITIES, "dates": DATES, "quotes": QUOTES,
                                         "relations": RELATIONS, "techniques": TECHNIQUES,
                                         "loaded_terms": LOADED_TERMS}
