"""Export: one file per table in a directory, as JSONL, CSV or Parquet.

Rows are streamed from SQLite (Parquet in record batches), so exporting a
large corpus takes memory proportional to one batch, not to the corpus.

Required fields of the contract (more are welcome):
``articles``: id, source, source_index, title, author, date, outlet, lang, text, source_spans;
``rejected``: source, reason;
``errors``: source, stage, error, detail (inputs that met a bug in newsgraph, with the traceback);
``mentions``: article_id, start, end, text, label, entity_id;
``entities``: id, name, type, aliases, mention_count;
``dates``: article_id, start, end, text, value, calendar;
``quotes``: article_id, start, end, text, speaker_entity_id, speaker_text, speaker_start, speaker_end, cue, kind;
``relations``: article_id, subject_entity_id, predicate, object_entity_id, start, end, attributed_to (plus id,
polarity, negated, the subject/object/cue spans as written and the quote they sit in);
``loaded_terms``: article_id, start, end, text, term, category (framing vocabulary, see
:mod:`newsgraph.enrich.loaded_terms`);
``narratives``: narrative_id, label, article_id, start, end, text (a narrative's member sentences, see
:mod:`newsgraph.corpus.narratives`);
plus ``comentions.graphml``/``.gexf`` (entities named together, weighted), ``publications.graphml``,
``reuse.graphml`` (outlet → outlet reuse, see :func:`newsgraph.store.graphs.reuse_graph`) and
``actors.graphml`` (relations between actors: typed, weighted edges carrying their relation ids);
``stories``: story_id, article_id, score (one row per member; ``newsgraph stories``);
``story_list``: id, size, labels (lang → most central title), first_article_id, first_date, last_date, outlets,
langs (counts), followers (who ran it after the first, with lags), actors, places;
``framing``: story_id, entity_id, actor, outlet, role, fine_roles, weights, claims, evidence (every span that casts
the actor: article_id, start, end, text, kind, cue, role, fine_role, voice, speaker; see
:mod:`newsgraph.corpus.framing`);
and the table of each custom component (:class:`newsgraph.store.layers.Table`) under its own name.
"""

from __future__ import annotations

import csv
from functools import partial
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.layers import registered_tables

FORMATS = ("jsonl", "csv", "parquet")
_BATCH = 1000


def _article_records(store: Store) -> Iterator[dict[str, Any]]:
    conn = store.conn
    for row in conn.execute("SELECT * FROM articles ORDER BY rowid"):
        spans = [[r[0], r[1]] for r in conn.execute(
            "SELECT source_start, source_end FROM paragraphs WHERE article_id=? ORDER BY idx", (row["id"],))]
        meta = json.loads(row["meta"] or "{}")
        yield {
            "id": row["id"], "source": row["source"], "source_index": row["source_index"], "title": row["title"],
            "author": row["author"], "date": row["date"], "outlet": row["outlet"], "lang": row["lang"],
            "text": row["text"], "source_spans": spans, "document_id": row["document_id"],
            "date_text": row["date_text"], "section": meta.get("section"), "word_count": row["word_count"],
        }


def _rows(sql: str, json_columns: tuple[str, ...] = (), newer_columns: tuple[str, ...] = ()
          ) -> Callable[[Store], Iterator[dict[str, Any]]]:
    """Records of ``sql``. A database written by an older newsgraph and opened read-only (so not
    migrated) may lack tables and columns: when a table the query reads is missing there is nothing to
    export, and each of ``newer_columns`` (of the first table read) it lacks is exported as null."""
    tables = re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", sql)

    def records(store: Store) -> Iterator[dict[str, Any]]:
        if not all(store.has_table(t) for t in tables):
            return
        query = sql
        for column in newer_columns:
            if not store.has_column(tables[0], column):
                query = re.sub(rf"(?<![\w.]){column}(?=\s+FROM\b)", f"NULL AS {column}", query, count=1)
        for row in store.conn.execute(query):
            record = dict(row)
            for column in json_columns:
                if record.get(column) is not None:
                    record[column] = json.loads(record[column])
            yield record
    return records


def _framing_records(store: Store) -> Iterator[dict[str, Any]]:
    """One record per (story, actor, outlet): its role, fine roles and every evidence span with its text."""
    from newsgraph.corpus.framing import framing_records  # the adding-up of claims lives with its stage

    yield from framing_records(store.conn)


TABLES: dict[str, Callable[[Store], Iterator[dict[str, Any]]]] = {
    "articles": _article_records,
    "paragraphs": _rows("SELECT article_id, idx, start, end, source_start, source_end, lang, kind FROM paragraphs"
                        " ORDER BY article_id, idx"),
    "removed": _rows("SELECT document_id, article_id, source_start, source_end, kind, rule, lang, text FROM removed_blocks"
                     " ORDER BY document_id, source_start"),
    "documents": _rows("SELECT id, source, path, record, format, encoding, article_count, meta, text FROM documents"
                       " ORDER BY added, id", ("meta",)),
    "rejected": _rows("SELECT source, reason, run_id, at FROM rejected ORDER BY source"),
    "errors": _rows("SELECT source, stage, error, detail, run_id, at FROM errors ORDER BY source"),
    "mentions": _rows("SELECT article_id, start, end, text, label, entity_id, lang, method FROM mentions"
                      " ORDER BY article_id, start"),
    "entities": _rows("SELECT id, name, type, aliases, mention_count, article_count, first_seen, last_seen FROM entities"
                      " ORDER BY mention_count DESC, name", ("aliases",)),
    "dates": _rows("SELECT article_id, start, end, text, value, calendar, resolved, relative FROM dates"
                   " ORDER BY article_id, start"),
    "quotes": _rows(
        "SELECT q.article_id, q.start, q.end, q.text, (SELECT m.entity_id FROM mentions m WHERE m.article_id = q.article_id"
        " AND m.start = q.speaker_mention_start AND m.end = q.speaker_mention_end LIMIT 1) AS speaker_entity_id,"
        " q.speaker_text, q.speaker_start, q.speaker_end, q.cue, q.kind, q.speaker_resolved, q.addressee, q.method"
        " FROM quotes q"
        " ORDER BY q.article_id, q.start"),
    "relations": _rows(
        "SELECT r.id, r.article_id, (SELECT m.entity_id FROM mentions m WHERE m.article_id = r.article_id"
        " AND m.start = r.subject_start AND m.end = r.subject_end LIMIT 1) AS subject_entity_id, r.predicate,"
        " (SELECT m.entity_id FROM mentions m WHERE m.article_id = r.article_id AND m.start = r.object_start"
        " AND m.end = r.object_end LIMIT 1) AS object_entity_id, r.start, r.end,"
        " (SELECT m.entity_id FROM mentions m WHERE m.article_id = r.article_id AND m.start = r.attributed_mention_start"
        " AND m.end = r.attributed_mention_end LIMIT 1) AS attributed_to, r.polarity, r.negated, r.subject_text,"
        " r.subject_start, r.subject_end, r.object_text, r.object_start, r.object_end, r.cue, r.cue_start, r.cue_end,"
        " r.quote_start, r.quote_end, r.attributed_text, r.method FROM relations r ORDER BY r.article_id, r.start, r.cue_start"),
    "reuse": _rows("SELECT a_article_id, a_start, a_end, b_article_id, b_start, b_end, similarity, kind, source_article_id,"
                   " cluster_id FROM reuse ORDER BY a_article_id, a_start", newer_columns=("cluster_id",)),
    "reuse_clusters": _rows("SELECT id, holders, outlets, first_holder, source_article_id, article_id, start, end, text"
                            " FROM reuse_clusters ORDER BY holders DESC, id", ("outlets",)),
    "reuse_cluster_members": _rows("SELECT cluster_id, article_id, start, end FROM reuse_cluster_members"
                                   " ORDER BY cluster_id, article_id, start"),
    "boilerplate": _rows("SELECT outlet, text, articles, article_id, start, end FROM boilerplate"
                         " ORDER BY outlet, articles DESC, text"),
    "techniques": _rows("SELECT t.article_id, t.start, t.end, substr(a.text, t.start + 1, t.end - t.start) AS text,"
                        " t.technique, t.technique_group, t.confidence, t.method FROM techniques t"
                        " JOIN articles a ON a.id = t.article_id ORDER BY t.article_id, t.start"),
    "loaded_terms": _rows("SELECT article_id, start, end, text, term, category, lang FROM loaded_terms"
                          " ORDER BY article_id, start"),
    "article_roles": _rows("SELECT article_id, role, entity_id FROM article_roles ORDER BY article_id, role"),
    "runs": _rows("SELECT * FROM runs ORDER BY id", ("components", "args", "counts")),
    "stories": _rows("SELECT story_id, article_id, score FROM story_members ORDER BY story_id, article_id"),
    "story_list": _rows("SELECT id, size, labels, first_article_id, first_date, last_date, outlets, langs, followers,"
                        " actors, places FROM stories ORDER BY size DESC, first_date, id",
                        ("labels", "outlets", "langs", "followers", "actors", "places")),
    "framing": _framing_records,
}



def _narrative_records(store: Store) -> Iterator[dict[str, Any]]:
    """``narratives``: one row per member sentence: narrative_id, label, article_id, start, end, text (the
    span's text), score (cosine to the narrative's centre), evidence (rank among its representative
    sentences, 0: not one), carriers (the layers that made it a claim), cluster_id (before user overrides)."""
    from newsgraph.store.narratives import member_sentences

    yield from member_sentences(store.conn)


TABLES["narratives"] = _narrative_records


GRAPHS = ("comentions.graphml", "comentions.gexf", "publications.graphml", "reuse.graphml", "actors.graphml")


def export(store: Store, out_dir: str | Path, fmt: str, bom: bool = False) -> dict[str, int]:
    """Write every table to ``out_dir``; returns rows written per table. ``bom``: CSV files start with a
    UTF-8 byte-order mark, which Excel needs to read Arabic and Persian (and any non-Latin) text."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writer = {"jsonl": _write_jsonl, "csv": partial(_write_csv, bom=bom), "parquet": _write_parquet}[fmt]
    counts = {name: writer(records(store), out / f"{name}.{fmt}") for name, records in TABLES.items()}
    for name, columns in registered_tables(store.conn):  # custom components' tables, under their own names
        if name not in counts:
            quoted = ", ".join(f'"{c}"' for c in ["article_id", *columns])
            counts[name] = writer(_rows(f'SELECT {quoted} FROM {name} ORDER BY article_id, rowid')(store),
                                  out / f"{name}.{fmt}")
    from newsgraph.store.graphs import write_graphs

    counts.update(write_graphs(store, out))
    return counts


def _write_jsonl(records: Iterator[dict[str, Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _csv_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _write_csv(records: Iterator[dict[str, Any]], path: Path, bom: bool = False) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = None
        for record in records:
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(record))
                writer.writeheader()
            writer.writerow({k: _csv_value(v) for k, v in record.items()})
            count += 1
    return count


def _write_parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    count = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not batch:
            return
        rows = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v) for k, v in r.items()} for r in batch]
        if writer is None:
            inferred = pa.Table.from_pylist(rows).schema
            # a column that is all null in the first batch would be typed null; text is the safe type
            schema = pa.schema([pa.field(f.name, pa.string() if pa.types.is_null(f.type) else f.type) for f in inferred])
            writer = pq.ParquetWriter(path, schema)
        table = pa.Table.from_pylist(rows, schema=writer.schema)
        writer.write_table(table)
        batch.clear()

    for record in records:
        batch.append(record)
        count += 1
        if len(batch) >= _BATCH:
            flush()
    flush()
    if writer is None:
        pq.write_table(pa.table({}), path)
    else:
        writer.close()
    return count
