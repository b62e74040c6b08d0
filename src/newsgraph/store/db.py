"""The SQLite store: one file, WAL journal, FTS5 over normalised text.

Each document is written in one transaction together with its articles,
paragraphs, removed blocks and index rows, so a run killed at any point
leaves either the whole document or none of it; the next run skips what is
there (documents are keyed by content hash) and picks up the rest. Every
query is parameterised.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsgraph.model import Article, Entity, Mention, Paragraph, ProcessingError, Rejection, Reuse, SourceDocument
from newsgraph.store.layers import BUILTIN, BuiltinTable, LanguageColumns, Layer, Table, read_custom_layers
from newsgraph.store.schema import migrate, table_exists
from newsgraph.text.normalize import normalize_for_search


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A newsgraph database. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, readonly: bool = False,
                 connection_class: type[sqlite3.Connection] = sqlite3.Connection):
        self.path = str(path)
        if readonly:
            if not Path(self.path).exists():
                raise FileNotFoundError(f"no database at {self.path}; run `newsgraph analyze ... --db {self.path}` first")
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False,
                                        factory=connection_class)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrate(self.conn)
        self.conn.row_factory = sqlite3.Row

    @classmethod
    def over(cls, conn: sqlite3.Connection, path: str = "") -> "Store":
        """A Store over a connection opened elsewhere (the workbench's per-thread read-only
        connections), so its readers run there; closing it closes that connection."""
        store = cls.__new__(cls)
        store.path, store.conn = path, conn
        conn.row_factory = sqlite3.Row
        return store

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------ runs

    def start_run(self, version: str, components: dict[str, str], args: dict[str, Any]) -> int:
        with self.conn:
            self.conn.execute("UPDATE runs SET status='interrupted' WHERE status='running'")
            cur = self.conn.execute(
                "INSERT INTO runs (started, newsgraph_version, components, args) VALUES (?, ?, ?, ?)",
                (utc_now(), version, json.dumps(components, sort_keys=True), json.dumps(args, default=str)),
            )
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with self.conn:
            self.conn.execute("UPDATE runs SET finished=?, status='done', counts=? WHERE id=?",
                              (utc_now(), json.dumps(counts), run_id))
        self.refresh_statistics()

    def refresh_statistics(self) -> None:
        """Sample the tables' statistics for SQLite's query planner (ANALYZE, limited to a
        thousand rows per index so it takes milliseconds): without them it reads search
        filters from the wide article rows instead of the covering indexes, several times
        slower on a large store (bench/web_latency.py)."""
        self.conn.execute("PRAGMA analysis_limit = 1000")
        self.conn.execute("ANALYZE")
        self.conn.commit()

    # ------------------------------------------------------------ documents

    def has_document(self, document_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id=?", (document_id,)).fetchone() is not None

    def note_source(self, document_id: str, source: str) -> None:
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO document_sources VALUES (?, ?)", (document_id, source))
            self.conn.execute("DELETE FROM rejected WHERE source=?", (source,))
            self.conn.execute("DELETE FROM errors WHERE source=?", (source,))

    def add_document(self, doc: SourceDocument, articles: list[Article], run_id: int | None,
                     layers: Iterable[Layer] | None = None) -> None:
        """Write a document and everything cut from it, atomically: the spine (articles, paragraphs,
        removed blocks, search index) and the rows of each stage's ``layers`` (default: every built-in
        stage's tables)."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO documents (id, source, path, record, format, encoding, text, meta, article_count, run_id, added)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, doc.source, doc.path, doc.record, doc.format, doc.encoding, doc.text,
                 json.dumps(doc.meta, ensure_ascii=False), len(articles), run_id, utc_now()),
            )
            self.conn.execute("INSERT OR IGNORE INTO document_sources VALUES (?, ?)", (doc.id, doc.source))
            for article in articles:
                self._insert_article(article, run_id, layers)
            self.conn.execute("DELETE FROM rejected WHERE source=?", (doc.source,))
            self.conn.execute("DELETE FROM errors WHERE source=?", (doc.source,))

    def _insert_article(self, article: Article, run_id: int | None, layers: Iterable[Layer] | None = None) -> None:
        cur = self.conn.execute(
            "INSERT INTO articles (id, document_id, source, source_index, title, author, date, date_text, outlet, lang,"
            " text, word_count, meta, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.document_id, article.source, article.source_index, article.title, article.author,
             article.date, article.date_text, article.outlet, article.lang, article.text, article.word_count,
             json.dumps(article.meta, ensure_ascii=False), run_id),
        )
        self.conn.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article.id, i, p.start, p.end, p.source_start, p.source_end, p.lang, p.kind)
             for i, p in enumerate(article.paragraphs)],
        )
        self.conn.executemany(
            "INSERT INTO removed_blocks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article.document_id, article.id, b.start, b.end, b.kind, b.rule, b.lang, b.text) for b in article.removed],
        )
        self.conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                          (cur.lastrowid, normalize_for_search(article.title or ""), normalize_for_search(article.text)))
        for layer in (layers if layers is not None else [l for ls in BUILTIN.values() for l in ls]):
            if not isinstance(layer, LanguageColumns):  # the spine row above already holds the languages
                layer.write(self.conn, article)

    # ------------------------------------------------------------ stages' storage and re-runs

    def create_tables(self, tables: Iterable[tuple[str, Table]], run_id: int | None) -> None:
        """Create the custom components' tables ((stage, table) pairs) that do not exist yet."""
        for stage, table in tables:
            table.create(self.conn, stage, run_id)

    def replace_layers(self, article: Article, layers: list[Layer], job: int) -> None:
        """Replace what ``layers`` stored for ``article`` with its new output, and mark the article
        done for the re-run ``job``, in one transaction (a re-run killed at any point resumes)."""
        with self.conn:
            for layer in layers:
                layer.clear(self.conn, article.id)
            for layer in layers:
                layer.write(self.conn, article)
            self.conn.execute("INSERT OR IGNORE INTO redo_done (job, article_id) VALUES (?, ?)", (job, article.id))
            from newsgraph.store.framing import forget_articles

            forget_articles(self.conn, [article.id])  # its framing claims read the layers just replaced

    def redo_pending(self, job: int) -> list[str]:
        """Ids of the stored articles the re-run ``job`` has not done yet, in the order they were added."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM redo_done WHERE job = ?) ORDER BY rowid",
            (job,))]

    def unfinished_redo(self, stages: list[str], components: dict[str, str]) -> int | None:
        """The job of the last re-run of the same ``stages`` with the same component versions that
        did not finish (interrupted, or killed while running) and that no later run finished, to
        resume; None when there is none."""
        finished: set[int] = set()
        for run_id, status, args, recorded in self.conn.execute(
                "SELECT id, status, args, components FROM runs ORDER BY id DESC"):
            args = json.loads(args)
            if "redo" not in args:
                continue
            job = int(args.get("resumes") or run_id)
            if status == "done":
                finished.add(job)
            elif job not in finished and args["redo"] == stages and json.loads(recorded) == components:
                return job
        return None

    def finish_redo(self, job: int) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM redo_done WHERE job = ?", (job,))

    def articles_by_id(self, ids: list[str]) -> list[Article]:
        """The stored articles with these ids, with every layer, in the order of ``ids``."""
        out = []
        for article_id in ids:
            row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is not None:
                out.append(self._article_from_row(row))
        return out

    def layer_has_rows(self, layers: Iterable[Layer]) -> bool:
        """Whether any of these built-in tables holds rows (of the part the layer owns)."""
        return any(isinstance(layer, BuiltinTable) and self.conn.execute(
            f"SELECT 1 FROM {layer.name} WHERE {layer.owns} LIMIT 1").fetchone() for layer in layers)

    def all_mentions(self) -> list[Mention]:
        return [Mention(r["article_id"], r["start"], r["end"], r["text"], r["label"], r["lang"], r["method"], r["entity_id"])
                for r in self.conn.execute("SELECT * FROM mentions ORDER BY article_id, start")]

    def article_metadata(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT id, date, outlet, author, lang FROM articles ORDER BY rowid").fetchall()

    def replace_entities(self, entities: list[Entity], mentions: list[Mention],
                         roles: list[tuple[str, str, str]]) -> None:
        """Write a fresh resolution: entities, the entity of every mention, outlet/author roles."""
        with self.conn:
            self.conn.execute("DELETE FROM entities")
            self.conn.execute("DELETE FROM article_roles")
            self.conn.executemany(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.id, e.name, e.type, json.dumps(e.aliases, ensure_ascii=False), e.mention_count, e.article_count,
                  e.first_seen, e.last_seen) for e in entities],
            )
            self.conn.executemany(
                "UPDATE mentions SET entity_id=? WHERE article_id=? AND start=? AND end=? AND label=?",
                [(m.entity_id, m.article_id, m.start, m.end, m.label) for m in mentions],
            )
            self.conn.executemany("INSERT OR IGNORE INTO article_roles VALUES (?, ?, ?)", roles)

    def entity_rows(self, kind: str | None = None, lang: str | None = None, limit: int | None = None
                    ) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT * FROM entities WHERE (? IS NULL OR type = ?) ORDER BY mention_count DESC, name", (kind, kind))
        out = []
        for row in rows:
            aliases = json.loads(row["aliases"])
            if lang and lang not in aliases:
                continue
            out.append(dict(row) | {"aliases": aliases})
            if limit is not None and len(out) >= limit:
                break
        return out

    def entity_id_for(self, name_or_id: str) -> str | None:
        """The entity with this id, canonical name or any spelling (normalised), most mentioned first."""
        row = self._entity_row(name_or_id)
        return row["id"] if row else None

    def _entity_row(self, name_or_id: str) -> sqlite3.Row | None:
        row = self.conn.execute("SELECT * FROM entities WHERE id = ?", (name_or_id,)).fetchone()
        if row is None:
            row = self.conn.execute("SELECT * FROM entities WHERE name = ? COLLATE NOCASE ORDER BY mention_count DESC",
                                    (name_or_id,)).fetchone()
        if row is None:
            wanted = normalize_for_search(name_or_id)
            hit = self.conn.execute(
                "SELECT entity_id, count(*) c FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id, text"
                " HAVING text = ? ORDER BY c DESC", (name_or_id,)).fetchone()
            if hit is None:
                for entity_id, text in self.conn.execute("SELECT DISTINCT entity_id, text FROM mentions"):
                    if entity_id and normalize_for_search(text) == wanted:
                        hit = (entity_id,)
                        break
            if hit:
                row = self.conn.execute("SELECT * FROM entities WHERE id = ?", (hit[0],)).fetchone()
        return row

    def find_entity(self, name_or_id: str) -> dict[str, Any] | None:
        """By id, by canonical name, then by any spelling (normalised), most mentioned first."""
        row = self._entity_row(name_or_id)
        if row is None:
            return None
        entity = dict(row) | {"aliases": json.loads(row["aliases"])}
        entity["articles"] = [dict(r) for r in self.conn.execute(
            "SELECT a.id, a.title, a.date, a.outlet, a.lang, count(*) AS mentions FROM mentions m JOIN articles a"
            " ON a.id = m.article_id WHERE m.entity_id = ? GROUP BY a.id ORDER BY a.date, a.rowid", (row["id"],))]
        entity["roles"] = [dict(r) for r in self.conn.execute(
            "SELECT r.role, a.id, a.title, a.date FROM article_roles r JOIN articles a ON a.id = r.article_id"
            " WHERE r.entity_id = ? ORDER BY a.date", (row["id"],))]
        entity["co_mentioned"] = [dict(r) for r in self.conn.execute(
            "SELECT e.id, e.name, e.type, count(DISTINCT m2.article_id) AS articles FROM mentions m1"
            " JOIN mentions m2 ON m1.article_id = m2.article_id AND m2.entity_id != m1.entity_id"
            " JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = ?"
            " GROUP BY e.id ORDER BY articles DESC, e.name LIMIT 25", (row["id"],))]
        return entity

    def replace_reuse(self, records: list[Reuse], kinds: tuple[str, ...] | None = None,
                      clusters: list[dict] | None = None, members: list[dict] | None = None,
                      boilerplate: list[dict] | None = None) -> None:
        """Write a fresh reuse result (of the given kinds, or all); with ``clusters``/``members``
        and ``boilerplate``, replace those tables too."""
        with self.conn:
            if kinds:
                self.conn.execute(f"DELETE FROM reuse WHERE kind IN ({','.join('?' * len(kinds))})", kinds)
            else:
                self.conn.execute("DELETE FROM reuse")
            self.conn.executemany(
                "INSERT OR REPLACE INTO reuse (a_article_id, a_start, a_end, b_article_id, b_start, b_end, similarity,"
                " kind, source_article_id, cluster_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.a_article_id, r.a_start, r.a_end, r.b_article_id, r.b_start, r.b_end, r.similarity, r.kind,
                  r.source_article_id, r.cluster_id) for r in records],
            )
            if clusters is not None:
                self.conn.execute("DELETE FROM reuse_cluster_members")
                self.conn.execute("DELETE FROM reuse_clusters")
                self.conn.executemany(
                    "INSERT INTO reuse_clusters (id, holders, outlets, first_holder, source_article_id, article_id,"
                    " start, end, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(c["id"], c["holders"], json.dumps(c["outlets"], ensure_ascii=False), c["first_holder"],
                      c["source_article_id"], c["article_id"], c["start"], c["end"], c["text"]) for c in clusters])
                self.conn.executemany(
                    "INSERT OR REPLACE INTO reuse_cluster_members (cluster_id, article_id, start, end) VALUES (?, ?, ?, ?)",
                    [(m["cluster_id"], m["article_id"], m["start"], m["end"]) for m in members or []])
            if boilerplate is not None:
                self.conn.execute("DELETE FROM boilerplate")
                self.conn.executemany(
                    "INSERT OR REPLACE INTO boilerplate (outlet, text, articles, article_id, start, end)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [(b["outlet"], b["text"], b["articles"], b["article_id"], b["start"], b["end"]) for b in boilerplate])

    def reuse_cluster_rows(self, limit: int | None = None, offset: int = 0, cluster_id: str | None = None
                           ) -> list[dict[str, Any]]:
        """Reuse clusters, most holders first, then most outlets (the most-copied passages), each with
        its first holder's date and outlet, the likely original's ``source_date``, ``source_title``,
        ``source_outlet`` and ``source_lang``, and the facts of :meth:`_cluster_facts`; [] for a store
        written before clusters existed (opened read-only, so not migrated)."""
        if not self.has_table("reuse_clusters"):
            return []
        rows = [dict(r) | {"outlets": json.loads(r["outlets"])} for r in self.conn.execute(
            # the page of ids first (sorted on the clusters table alone), then the articles of that page
            "WITH page AS (SELECT id, holders, json_array_length(outlets) AS n_outlets FROM reuse_clusters"
            " WHERE ? IS NULL OR id = ? ORDER BY holders DESC, n_outlets DESC, id LIMIT ? OFFSET ?)"
            " SELECT c.*, a.date AS first_date, a.outlet AS first_outlet, s.date AS source_date, s.title AS source_title,"
            " s.outlet AS source_outlet, s.lang AS source_lang FROM page JOIN reuse_clusters c ON c.id = page.id"
            " JOIN articles a ON a.id = c.first_holder LEFT JOIN articles s ON s.id = c.source_article_id"
            " ORDER BY page.holders DESC, page.n_outlets DESC, page.id",
            (cluster_id, cluster_id, -1 if limit is None else limit, offset))]
        ids = [r["id"] for r in rows]
        facts: dict[str, dict[str, Any]] = {}
        for part in (ids[s:s + 500] for s in range(0, len(ids), 500)):
            facts.update(self._cluster_facts(part))
        return [row | facts.get(row["id"], {}) for row in rows]

    def _cluster_facts(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Of each cluster in ``ids``: its holders' languages (``langs``) and dates (``first_day``,
        ``on_first_day``: holders dated that day, ``next_day``, ``undated``), the ``kinds`` of the records
        joining it, how many of them name each holder as source (``votes``, "" for none) and its member
        ``spans`` (an article may hold the text more than once)."""
        marks = ",".join("?" * len(ids))
        facts: dict[str, dict[str, Any]] = {i: {"langs": [], "kinds": [], "votes": {}, "spans": 0, "first_day": None,
                                                "on_first_day": None, "next_day": None, "undated": None} for i in ids}
        for r in self.conn.execute(  # one row per holder, then its cluster's earliest day and who is on it
                "WITH h AS (SELECT DISTINCT m.cluster_id, m.article_id, substr(a.date, 1, 10) AS day, a.lang"
                f" FROM reuse_cluster_members m JOIN articles a ON a.id = m.article_id WHERE m.cluster_id IN ({marks})),"
                " f AS (SELECT cluster_id, min(day) AS first_day FROM h GROUP BY cluster_id)"
                " SELECT h.cluster_id, f.first_day, sum(h.day = f.first_day) AS on_first_day,"
                " min(CASE WHEN h.day > f.first_day THEN h.day END) AS next_day, sum(h.day IS NULL) AS undated,"
                " group_concat(DISTINCT coalesce(h.lang, '?')) AS langs"
                " FROM h JOIN f ON f.cluster_id = h.cluster_id GROUP BY h.cluster_id", ids):
            facts[r["cluster_id"]].update({k: r[k] for k in ("first_day", "on_first_day", "next_day", "undated")},
                                          langs=sorted((r["langs"] or "").split(",")) if r["langs"] else [])
        for cid, n in self.conn.execute(f"SELECT cluster_id, count(*) FROM reuse_cluster_members"
                                        f" WHERE cluster_id IN ({marks}) GROUP BY cluster_id", ids):
            facts[cid]["spans"] = n
        for cid, kind, source, n in self.conn.execute(
                f"SELECT cluster_id, kind, source_article_id, count(*) FROM reuse WHERE cluster_id IN ({marks})"
                " GROUP BY 1, 2, 3 ORDER BY 1, 2", ids):
            if kind not in facts[cid]["kinds"]:
                facts[cid]["kinds"].append(kind)
            facts[cid]["votes"][source or ""] = facts[cid]["votes"].get(source or "", 0) + n
        return facts

    def reuse_cluster_count(self) -> int:
        """How many reuse clusters the last run stored (0 before clusters existed)."""
        if not self.has_table("reuse_clusters"):
            return 0
        return self.conn.execute("SELECT count(*) FROM reuse_clusters").fetchone()[0]

    def reuse_cluster_holders(self, cluster_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        """The holders of one cluster, earliest first: each article's span of the text, with its title,
        outlet, date and language."""
        if not self.has_table("reuse_cluster_members"):
            return []
        return [dict(r) for r in self.conn.execute(
            "SELECT m.article_id, m.start, m.end, a.title, a.outlet, a.date, a.lang FROM reuse_cluster_members m"
            " JOIN articles a ON a.id = m.article_id WHERE m.cluster_id = ?"
            " ORDER BY coalesce(substr(a.date, 1, 10), '9999'), a.rowid, m.start LIMIT ?",
            (cluster_id, -1 if limit is None else limit))]

    def boilerplate_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM boilerplate").fetchone()[0] if self.has_table("boilerplate") else 0

    def boilerplate_rows(self, outlet: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Each outlet's boilerplate, most repeated first; [] for a store written before it was kept."""
        if not self.has_table("boilerplate"):
            return []
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM boilerplate WHERE ? IS NULL OR outlet = ? ORDER BY articles DESC, outlet, text LIMIT ?",
            (outlet, outlet, -1 if limit is None else limit))]

    def quote_rows(self, speaker: str | None = None, article_id: str | None = None) -> list[dict[str, Any]]:
        """Quotes with their speaker's entity; ``speaker`` matches the entity name or the written speaker."""
        rows = self.conn.execute(
            "SELECT q.*, e.id AS speaker_entity_id, e.name AS speaker_name, a.title, a.outlet, a.date FROM quotes q"
            " JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN mentions m ON m.article_id = q.article_id AND m.start = q.speaker_mention_start"
            " AND m.end = q.speaker_mention_end LEFT JOIN entities e ON e.id = m.entity_id"
            " WHERE (? IS NULL OR q.article_id = ?)"
            " GROUP BY q.article_id, q.start, q.end ORDER BY a.rowid, q.start", (article_id, article_id)).fetchall()
        out = [dict(r) for r in rows]
        if speaker:
            wanted = normalize_for_search(speaker)
            out = [r for r in out if wanted in normalize_for_search(r["speaker_name"] or "")
                   or wanted in normalize_for_search(r["speaker_text"] or "") or r["speaker_entity_id"] == speaker]
        return out

    def relation_rows(self, actor: str | None = None, predicate: str | None = None,
                      article_id: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Relations with the entities of subject, object and the speaker they are attributed to.
        ``actor`` (entity id, name or any spelling) keeps relations where it is subject or object; a name
        no entity has is matched against the spellings as written."""
        entity_id = self.entity_id_for(actor) if actor else None
        where, params = "(? IS NULL OR r.predicate = ?) AND (? IS NULL OR r.article_id = ?)", \
            [predicate, predicate, article_id, article_id]
        if entity_id:  # the actor's mentions lead to its relations (no scan of every relation)
            where += (" AND r.rowid IN (SELECT x.rowid FROM mentions m JOIN relations x ON x.article_id = m.article_id"
                      " AND ((x.subject_start = m.start AND x.subject_end = m.end)"
                      " OR (x.object_start = m.start AND x.object_end = m.end)) WHERE m.entity_id = ?)")
            params.append(entity_id)
        rows = self.conn.execute(
            "SELECT r.*, ms.entity_id AS subject_entity_id, es.name AS subject_name, mo.entity_id AS object_entity_id,"
            " eo.name AS object_name, ma.entity_id AS attributed_to, ea.name AS attributed_name, a.outlet, a.date,"
            " a.title, a.lang, substr(a.text, r.start + 1, r.end - r.start) AS evidence FROM relations r"
            " JOIN articles a ON a.id = r.article_id"
            " LEFT JOIN mentions ms ON ms.article_id = r.article_id AND ms.start = r.subject_start AND ms.end = r.subject_end"
            " LEFT JOIN entities es ON es.id = ms.entity_id"
            " LEFT JOIN mentions mo ON mo.article_id = r.article_id AND mo.start = r.object_start AND mo.end = r.object_end"
            " LEFT JOIN entities eo ON eo.id = mo.entity_id"
            " LEFT JOIN mentions ma ON ma.article_id = r.article_id AND ma.start = r.attributed_mention_start"
            " AND ma.end = r.attributed_mention_end LEFT JOIN entities ea ON ea.id = ma.entity_id"
            f" WHERE {where} GROUP BY r.id ORDER BY a.rowid, r.start, r.cue_start"
            + (" LIMIT ?" if limit is not None else ""), params + ([limit] if limit is not None else [])).fetchall()
        out = [dict(r) for r in rows]
        if entity_id:
            out = [r for r in out if entity_id in (r["subject_entity_id"], r["object_entity_id"])]
        elif actor:
            wanted = normalize_for_search(actor)
            out = [r for r in out if any(wanted in normalize_for_search(r[k] or "")
                                         for k in ("subject_name", "subject_text", "object_name", "object_text"))]
        return out

    def loaded_term_rows(self, article_id: str | None = None, category: str | None = None,
                         limit: int | None = None) -> list[dict[str, Any]]:
        """Loaded terms (framing vocabulary) with their article's outlet, date and language, filtered; [] for a
        store written before the layer existed (opened read-only, so not migrated)."""
        if not self.has_table("loaded_terms"):
            return []
        rows = self.conn.execute(
            "SELECT t.*, a.outlet, a.date FROM loaded_terms t JOIN articles a ON a.id = t.article_id"
            " WHERE (? IS NULL OR t.article_id = ?) AND (? IS NULL OR t.category = ?)"
            " ORDER BY a.rowid, t.start LIMIT ?", (article_id, article_id, category, category,
                                                   -1 if limit is None else limit))
        return [dict(r) for r in rows]

    def technique_rows(self, article_id: str | None = None, outlet: str | None = None, *, technique: str | None = None,
                       month: str | None = None, lang: str | None = None, limit: int | None = None, offset: int = 0,
                       context: int = 0, min_confidence: float = 0.0) -> list[dict[str, Any]]:
        """Technique spans with their evidence text (and ``context`` characters either side as
        ``context_before``/``context_after``), filtered; ``outlet``/``month`` "" select articles without one."""
        where, params = _technique_filter(article_id, outlet, technique, month, lang)
        where, params = f"{where} AND t.confidence >= :min_conf", {**params, "min_conf": min_confidence}
        rows = self.conn.execute(
            "SELECT t.*, a.outlet, a.date, a.title, a.lang, substr(a.text, t.start + 1, t.end - t.start) AS evidence,"
            " substr(a.text, max(t.start - :context, 0) + 1, t.start - max(t.start - :context, 0)) AS context_before,"
            " substr(a.text, t.end + 1, :context) AS context_after FROM techniques t JOIN articles a ON a.id = t.article_id"
            f" WHERE {where} ORDER BY t.article_id, t.start LIMIT :limit OFFSET :offset",
            params | {"context": max(0, context), "limit": -1 if limit is None else limit, "offset": offset})
        return [dict(r) for r in rows]

    def technique_count(self, article_id: str | None = None, outlet: str | None = None, *, technique: str | None = None,
                        month: str | None = None, lang: str | None = None, min_confidence: float = 0.0) -> int:
        """How many spans :meth:`technique_rows` would list without a limit."""
        where, params = _technique_filter(article_id, outlet, technique, month, lang)
        where, params = f"{where} AND t.confidence >= :min_conf", {**params, "min_conf": min_confidence}
        return self.conn.execute(f"SELECT count(*) FROM techniques t JOIN articles a ON a.id = t.article_id WHERE {where}",
                                 params).fetchone()[0]

    def technique_stats(self, outlet: str | None = None, *, lang: str | None = None,
                        by: tuple[str, ...] = ("outlet", "month"), min_confidence: float = 0.0) -> list[dict[str, Any]]:
        """Techniques per 1,000 words by technique and the keys ``by`` (any of outlet, month,
        lang; month is YYYY-MM, "" when undated): spans (those with confidence >= ``min_confidence``),
        articles with the technique, the words of all articles in the group, the rate, and the rate weighted
        by each span's calibrated confidence (``expected`` right spans, ``weighted_per_1000_words``)."""
        keys = _stat_keys(by)
        where, params = _technique_filter(None, outlet, None, None, lang)
        s_keys = "".join(f", {STAT_KEYS[k]} AS {k}" for k in keys)
        out_keys = "".join(f", s.{k}" for k in keys)
        join = " AND ".join(f"w.{k} = s.{k}" for k in keys) or "1"
        order = "".join(f"s.{k}, " for k in keys)
        # spans are counted per group first, then joined to the (small) word totals per group
        rows = self.conn.execute(
            f"WITH w AS ({_words_sql(keys, where)}),"
            f" s AS (SELECT t.technique{s_keys}, count(*) AS spans, count(DISTINCT t.article_id) AS articles,"
            f" sum(t.confidence) AS expected"
            f" FROM techniques t JOIN articles a ON a.id = t.article_id WHERE {where} AND t.confidence >= :min_conf"
            f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys) + 1))})"
            f" SELECT s.technique{out_keys}, s.spans, s.articles, w.words,"
            " round(1000.0 * s.spans / w.words, 2) AS per_1000_words, round(s.expected, 2) AS expected,"
            " round(1000.0 * s.expected / w.words, 2) AS weighted_per_1000_words"
            f" FROM s JOIN w ON {join} ORDER BY {order}s.spans DESC, s.technique", {**params, "min_conf": min_confidence})
        return [dict(r) for r in rows]

    def technique_methods(self, outlet: str | None = None, *, lang: str | None = None,
                          min_confidence: float = 0.0) -> list[dict[str, Any]]:
        """Which detectors found the spans, per outlet and language: method family (``model`` when a
        trained model found the span, else ``rule``), spans and their mean calibrated confidence."""
        where, params = _technique_filter(None, outlet, None, None, lang)
        rows = self.conn.execute(
            f"SELECT {STAT_KEYS['outlet']} AS outlet, {STAT_KEYS['lang']} AS lang,"
            " CASE WHEN t.method LIKE 'rule:%' THEN 'rule' ELSE 'model' END AS family,"
            " count(*) AS spans, round(avg(t.confidence), 3) AS mean_confidence"
            f" FROM techniques t JOIN articles a ON a.id = t.article_id WHERE {where} AND t.confidence >= :min_conf"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", {**params, "min_conf": min_confidence})
        return [dict(r) for r in rows]

    def article_words(self, outlet: str | None = None, *, lang: str | None = None,
                      by: tuple[str, ...] = ("outlet", "month")) -> list[dict[str, Any]]:
        """Articles and words by the keys ``by``: the denominators of :meth:`technique_stats`,
        including the groups where no technique was found."""
        keys = _stat_keys(by)
        where, params = _technique_filter(None, outlet, None, None, lang)
        return [dict(r) for r in self.conn.execute(_words_sql(keys, where) + (" ORDER BY " + ", ".join(
            str(i + 1) for i in range(len(keys))) if keys else ""), params)]

    def add_rejection(self, rejection: Rejection, run_id: int | None) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO rejected (source, reason, run_id, at) VALUES (?, ?, ?, ?)",
                              (rejection.source, rejection.reason, run_id, utc_now()))

    def add_error(self, error: ProcessingError, run_id: int | None) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO errors (source, stage, error, detail, run_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                              (error.source, error.stage, error.error, error.detail, run_id, utc_now()))

    # ------------------------------------------------------------ reading

    def article_rows(self, lang: str | None = None, outlet: str | None = None, limit: int | None = None
                     ) -> Iterator[sqlite3.Row]:
        sql = "SELECT * FROM articles WHERE (? IS NULL OR lang = ?) AND (? IS NULL OR outlet = ?) ORDER BY rowid"
        params: list[Any] = [lang, lang, outlet, outlet]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        yield from self.conn.execute(sql, params)

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ? OR id LIKE ? || '%' ORDER BY id = ? DESC LIMIT 1",
                                (article_id, article_id, article_id)).fetchone()
        return self._article_from_row(row) if row else None

    def _article_from_row(self, row: sqlite3.Row) -> Article:
        paragraphs = [Paragraph(r["start"], r["end"], r["source_start"], r["source_end"], r["lang"], r["kind"])
                      for r in self.conn.execute("SELECT * FROM paragraphs WHERE article_id=? ORDER BY idx", (row["id"],))]
        from newsgraph.model import Block

        removed = [Block(r["source_start"], r["source_end"], r["text"], r["kind"], r["rule"], r["lang"])
                   for r in self.conn.execute("SELECT * FROM removed_blocks WHERE article_id=? ORDER BY source_start",
                                              (row["id"],))]
        article = Article(id=row["id"], document_id=row["document_id"], source=row["source"],
                          source_index=row["source_index"], text=row["text"], paragraphs=paragraphs, title=row["title"],
                          author=row["author"], date=row["date"], date_text=row["date_text"], outlet=row["outlet"],
                          lang=row["lang"], removed=removed, meta=json.loads(row["meta"] or "{}"))
        self._read_layers(article)
        return article

    # the record type of each stage's table, and how a row becomes one (columns as in the schema)
    _LAYERS = {
        "mentions": ("mentions", "Mention", "article_id, start, end, text, label, lang, method, entity_id"),
        "dates": ("dates", "DateRef", "article_id, start, end, text, value, calendar, resolved, relative"),
        "quotes": ("quotes", "Quote", "article_id, start, end, text, kind, cue, cue_start, cue_end, speaker_text,"
                   " speaker_start, speaker_end, speaker_mention_start, speaker_mention_end, speaker_resolved,"
                   " addressee, method"),
        "relations": ("relations", "Relation", "article_id, start, end, predicate, polarity, cue, cue_start, cue_end,"
                      " subject_text, subject_start, subject_end, object_text, object_start, object_end, negated,"
                      " quote_start, quote_end, attributed_text, attributed_mention_start, attributed_mention_end,"
                      " method"),
        "loaded_terms": ("loaded_terms", "LoadedTerm", "article_id, start, end, text, term, category, lang"),
    }

    def _read_layers(self, article: Article) -> None:
        """Fill the article's mentions, dates, quotes, relations, techniques and loaded terms from the
        store, and custom components' rows into ``article.layers`` by table, so that an article read back
        is the article that was analysed (stages that never ran, or tables an older database lacks, stay
        empty). Rows come in text order, ties in the order the stage wrote them."""
        import newsgraph.model as records

        for attribute, (table, record, columns) in self._LAYERS.items():
            if not self.has_table(table):
                continue
            make = getattr(records, record)
            rows = self.conn.execute(f"SELECT {columns} FROM {table} WHERE article_id = ? ORDER BY start, end, rowid",
                                     (article.id,))  # fixed table and column names, no input
            setattr(article, attribute, [make(*r) for r in rows])
        for quote in article.quotes:
            quote.speaker_resolved = bool(quote.speaker_resolved)
        for relation in article.relations:
            relation.negated = bool(relation.negated)
        for date in article.dates:
            date.resolved, date.relative = bool(date.resolved), bool(date.relative)
        if self.has_table("techniques"):
            from newsgraph.enrich.techniques import TechniqueSpan  # the record lives with its stage

            article.techniques = [TechniqueSpan(*r) for r in self.conn.execute(
                "SELECT article_id, start, end, technique, technique_group, confidence, method FROM techniques"
                " WHERE article_id = ? ORDER BY start, end, rowid", (article.id,))]
        read_custom_layers(self.conn, article)

    def document_text(self, document_id: str) -> str | None:
        row = self.conn.execute("SELECT text FROM documents WHERE id=?", (document_id,)).fetchone()
        return row[0] if row else None

    def has_table(self, name: str) -> bool:
        """Whether the database has table ``name``: one written by an older newsgraph and opened read-only
        (so not migrated) lacks the newer ones."""
        return table_exists(self.conn, name)

    def has_column(self, table: str, column: str) -> bool:
        """Whether ``table`` has ``column``: an older database opened read-only lacks the newer ones
        (``reuse.cluster_id`` came with migration 11)."""
        return self.conn.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", (table, column)).fetchone() \
            is not None

    def counts(self) -> dict[str, int]:
        tables = ("documents", "articles", "paragraphs", "removed_blocks", "rejected", "errors", "runs", "mentions",
                  "entities", "dates")
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # fixed names, no input

    def search(self, query: str, lang: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching every word of ``query`` (normalised like the index), best first."""
        match = fts_query(query)
        if not match:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.lang, a.outlet, a.date, a.text, bm25(articles_fts, 5.0, 1.0) AS score"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? AND (? IS NULL OR a.lang = ?) ORDER BY score LIMIT ?",
            (match, lang, lang, limit),
        ).fetchall()
        return [dict(r) | {"snippet": snippet(r["text"], query)} for r in rows]


STAT_KEYS = {  # grouping keys of the technique statistics -> their SQL over articles ``a``
    "outlet": "coalesce(a.outlet, '')",
    "month": "substr(coalesce(a.date, ''), 1, 7)",
    "lang": "coalesce(a.lang, '')",
}


def _stat_keys(by: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(by))
    unknown = [k for k in keys if k not in STAT_KEYS]
    if unknown:
        raise ValueError(f"cannot group by {unknown}; choose from {', '.join(STAT_KEYS)}")
    return keys


def _words_sql(keys: tuple[str, ...], where: str) -> str:
    """Articles and words of the articles passing ``where``, grouped by ``keys`` (checked names)."""
    columns = "".join(f"{STAT_KEYS[k]} AS {k}, " for k in keys)
    group = " GROUP BY " + ", ".join(str(i + 1) for i in range(len(keys))) if keys else ""
    return f"SELECT {columns}count(*) AS articles, sum(a.word_count) AS words FROM articles a WHERE {where}{group}"


def _technique_filter(article_id: str | None, outlet: str | None, technique: str | None, month: str | None,
                      lang: str | None) -> tuple[str, dict[str, Any]]:
    """A WHERE clause over ``techniques t`` joined to ``articles a`` (None = any) and its parameters;
    with only ``outlet``/``month``/``lang`` it reads ``articles a`` alone."""
    clauses = {"article_id": "t.article_id = :article_id", "outlet": f"{STAT_KEYS['outlet']} = :outlet",
               "technique": "t.technique = :technique", "month": f"{STAT_KEYS['month']} = :month",
               "lang": f"{STAT_KEYS['lang']} = :lang"}
    values = {"article_id": article_id, "outlet": outlet, "technique": technique, "month": month, "lang": lang}
    used = {k: v for k, v in values.items() if v is not None}
    return " AND ".join(clauses[k] for k in used) or "1", used


_QUERY_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s"()]+')
_NEAR = re.compile(r"^NEAR(?:/(\d{1,3}))?$")


def _fts_terms(text: str) -> list[str]:
    """Normalised words of ``text``, each quoted for FTS5 (a trailing * kept as a prefix search)."""
    terms = []
    for word in normalize_for_search(text).split():
        prefix = word.endswith("*")
        word = "".join(ch for ch in word if ch.isalnum() or ch in "-'_")
        if any(ch.isalnum() for ch in word):
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return terms


def parse_query(query: str) -> tuple[str, list[str]]:
    """(FTS5 expression, notes for the user) from a search box query.

    Words are required (AND); ``OR`` between two terms, ``NOT`` or a leading ``-`` before a term
    excludes it, ``"a phrase"`` must occur as written, ``a NEAR b`` (or ``NEAR/5``) wants the two
    within 10 (5) words, and balanced parentheses group. Operators must be written in capitals, so
    the words "or", "not" and "near" are searched as words. Every word is normalised and quoted,
    so no user text is ever parsed as FTS syntax; an expression FTS5 would still refuse falls back
    to all the words, with a note.
    """
    tokens = _QUERY_TOKEN.findall(query)
    balanced = tokens.count("(") == tokens.count(")")
    parts: list[str] = []  # terms, operators and parentheses, in FTS5 syntax
    notes: list[str] = []
    pending: str | None = None  # an operator waiting for its right-hand term
    near: tuple[str, str] | None = None  # (left term, distance) of an open NEAR
    depth = 0
    for token in tokens:
        if token in ("(", ")"):
            if not balanced:
                continue
            if token == "(":
                if parts and parts[-1] != "(":
                    parts.append(pending or "AND")
                pending = None
                parts.append("(")
                depth += 1
            elif depth:
                while parts and parts[-1] in ("OR", "NOT", "AND"):
                    parts.pop()
                if parts and parts[-1] == "(":
                    parts.pop()
                else:
                    parts.append(")")
                depth -= 1
            continue
        if token in ("OR", "NOT") or _NEAR.match(token):
            if _NEAR.match(token):
                if parts and parts[-1] not in ("OR", "NOT", "(", ")"):
                    near = (parts.pop(), _NEAR.match(token).group(1) or "10")
            else:
                pending = token
            continue
        negate = token.startswith("-") and len(token) > 1
        text = token[1:] if negate else token
        words = _fts_terms(text.strip('"'))
        if not words:
            continue
        term = '"' + " ".join(w.strip('"*') for w in words) + '"' if text.startswith('"') or len(words) > 1 else words[0]
        if near is not None:
            parts.append(f"NEAR({near[0]} {term}, {near[1]})")
            near = None
            continue
        if negate:
            pending = "NOT"
        if parts and parts[-1] != "(":
            parts.append(pending or "AND")  # explicit: FTS5 takes no implicit AND next to a bracket
        elif pending == "NOT":
            notes.append(f"“{text.strip(chr(34))}” was to be excluded, but nothing comes before it to exclude it from: "
                         "it was left out")
            pending = None
            continue
        pending = None
        parts.append(term)
    if near is not None:
        parts.append(near[0])
    expression = " ".join(parts)
    if expression and not _fts_accepts(expression):
        notes.append("the operators could not be read together; all the words were searched instead")
        expression = " ".join(_fts_terms(" ".join(t.strip('"()-') for t in tokens if t not in ("OR", "NOT", "(", ")")
                                             and not _NEAR.match(t))))
    return expression, notes


@lru_cache(maxsize=1)
def _fts_probe() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    return conn


def _fts_accepts(expression: str) -> bool:
    """Whether FTS5 parses ``expression`` (checked on an empty in-memory table)."""
    try:
        _fts_probe().execute("SELECT 1 FROM probe WHERE probe MATCH ?", (expression,)).fetchall()
        return True
    except sqlite3.OperationalError:
        return False


def fts_query(query: str) -> str:
    """An FTS5 expression from a search box query (:func:`parse_query`)."""
    return parse_query(query)[0]


def snippet(text: str, query: str, width: int = 160) -> str:
    """A window of the display text around the first match of a query word."""
    from newsgraph.text.normalize import normalize_with_offsets

    norm, offsets = normalize_with_offsets(text)
    best = -1
    for word in normalize_for_search(query).split():
        word = word.rstrip("*")
        if word:
            pos = norm.find(word)
            if pos >= 0 and (best < 0 or pos < best):
                best = pos
    if best < 0:
        return text[:width]
    centre = offsets[best]
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
