"""The store and the analyse loop on a real SQLite file: idempotent, resumable, searchable, exportable."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsgraph.api as ng
from newsgraph.store.schema import SCHEMA_VERSION


def _table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "articles", "paragraphs", "removed_blocks", "articles_fts", "rejected")}


def test_database_is_plain_sqlite_with_wal_fts_and_a_schema_version(seeded_db: Path):
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        run = conn.execute("SELECT status, components FROM runs").fetchone()
        assert run[0] == "done"
        components = json.loads(run[1])
        assert {"segment_rules", "trafilatura", "language_model", "newsgraph"} <= set(components)


def test_analysing_twice_adds_and_changes_nothing(seeded_db: Path, seeds: Path):
    before = _table_counts(seeded_db)
    with sqlite3.connect(seeded_db) as conn:
        texts = conn.execute("SELECT id, text, title FROM articles ORDER BY id").fetchall()
    result = ng.analyze([seeds], seeded_db)
    assert result.documents == 0 and result.skipped == before["documents"] and not result.rejected
    assert _table_counts(seeded_db) == before
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT id, text, title FROM articles ORDER BY id").fetchall() == texts


def test_search_folds_scripts_and_spellings(seeded_db: Path):
    persian = ng.search(seeded_db, "سلیمانی")  # Persian yeh and kaf
    arabic = ng.search(seeded_db, "سليماني")  # Arabic yeh
    assert persian and {h["id"] for h in persian} == {h["id"] for h in arabic}
    assert {h["lang"] for h in arabic} >= {"ar", "fa"}
    # the Persian seed has its ZWNJs stripped: "میکرد" matches "می‌کرد"
    assert ng.search(seeded_db, "می\u200cکرد", lang="fa")
    hits = ng.search(seeded_db, "Haniyeh", lang="en")
    assert hits and all(h["lang"] == "en" for h in hits)
    assert "Haniyeh" in hits[0]["snippet"]
    assert ng.search(seeded_db, '"; DROP TABLE articles; --') == []
    assert _table_counts(seeded_db)["articles"] > 0


def test_export_contract_in_every_format(seeded_db: Path, tmp_path: Path):
    with sqlite3.connect(seeded_db) as conn:
        docs = dict(conn.execute("SELECT id, text FROM documents").fetchall())
    for fmt in ("jsonl", "csv", "parquet"):
        counts = ng.export(seeded_db, tmp_path / fmt, fmt)
        assert counts["articles"] == _table_counts(seeded_db)["articles"]
        assert (tmp_path / fmt / f"articles.{fmt}").exists() and (tmp_path / fmt / f"rejected.{fmt}").exists()
    rows = [json.loads(line) for line in (tmp_path / "jsonl" / "articles.jsonl").open(encoding="utf-8")]
    required = {"id", "source", "source_index", "title", "author", "date", "outlet", "lang", "text", "source_spans"}
    for row in rows:
        assert required <= set(row)
        source = docs[row["document_id"]]
        assert "\n\n".join(source[s:e] for s, e in row["source_spans"]) == row["text"]
    with (tmp_path / "csv" / "articles.csv").open(encoding="utf-8", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert [r["id"] for r in csv_rows] == [r["id"] for r in rows]
    assert json.loads(csv_rows[0]["source_spans"]) == rows[0]["source_spans"]
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "parquet" / "articles.parquet")
    assert table.column("id").to_pylist() == [r["id"] for r in rows]
    assert table.column("source_spans").to_pylist()[0] == rows[0]["source_spans"]


def test_rejections_are_kept_and_cleared_when_fixed(tmp_path: Path):
    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir()
    page.write_bytes(b"")
    db = tmp_path / "r.db"
    result = ng.analyze([page.parent], db)
    assert [r.reason for r in result.rejected] == ["empty file (no text)"]
    page.write_text("The Islamic Jihad official also hailed the uniting power of the resistance’s recent triumph. "
                    "The resistance’s victories, he noted, managed to unite all within Palestine.", encoding="utf-8")
    result = ng.analyze([page.parent], db)
    assert not result.rejected and result.articles == 1
    assert _table_counts(db)["rejected"] == 0


def test_a_bug_in_a_stage_is_an_error_not_a_rejection_and_the_batch_goes_on(tmp_path: Path):
    """A stage that raises on one input: that input is an error (stage, exception, traceback), not a
    rejected input; the other inputs are stored; the CLI exits 1 and names the stage."""
    from newsgraph.pipeline import default_pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Hamas leader Ismail Haniyeh met officials in Doha on Monday to discuss the truce. " * 3,
                                  encoding="utf-8")
    (folder / "b.txt").write_text("The ministry said the talks in Cairo would resume next week after the holiday. " * 3,
                                  encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")

    def fragile(article):
        if "Cairo" in article.text:
            raise KeyError("a bug")
        return article

    pipeline = default_pipeline()
    pipeline.add("fragile", fragile)
    db = tmp_path / "e.db"
    result = ng.analyze([folder], db, pipeline=pipeline)
    assert result.articles == 1
    assert [r.reason for r in result.rejected] == ["empty file (no text)"]
    assert [(e.stage, e.error.split(":")[0]) for e in result.errors] == [("fragile", "KeyError")]
    with sqlite3.connect(db) as conn:
        stage, detail = conn.execute("SELECT stage, detail FROM errors").fetchone()
    assert stage == "fragile" and "Traceback" in detail and "raise KeyError" in detail
    assert _table_counts(db)["rejected"] == 1


def test_a_bug_in_a_reader_is_an_error_for_that_file_and_the_next_file_is_read(tmp_path: Path, monkeypatch):
    """Readers never raise for bad input (tests/test_fuzz_readers.py); should one meet a bug anyway, the file
    is an error (stage 'read', with the traceback) and the files after it are still analysed."""
    import newsgraph.pipeline as pipeline_module
    from newsgraph.ingest.readers import read_documents

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"text": "Officials met in Doha on Monday to discuss the truce."}\n', encoding="utf-8")
    (folder / "b.txt").write_text("The ministry said the talks in Cairo would resume next week after the holiday. " * 3,
                                  encoding="utf-8")

    def fragile(path, max_bytes):
        if path.suffix == ".jsonl":
            raise AttributeError("a reader bug")
        return read_documents(path, max_bytes)

    monkeypatch.setattr(pipeline_module, "read_documents", fragile)
    result = ng.analyze([folder], tmp_path / "r.db")
    assert result.documents == 1 and not result.rejected
    assert [(e.source, e.stage, e.error.split(":")[0]) for e in result.errors] == [(str(folder / "a.jsonl"), "read",
                                                                                    "AttributeError")]


def test_cli_exit_code_tells_a_bug_from_a_bad_input(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from newsgraph import cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials met in Doha on Monday to discuss the truce and the exchange of prisoners. " * 3,
                                  encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    assert runner.invoke(cli.app, ["analyze", str(folder), "--db", str(tmp_path / "ok.db")]).exit_code == 3
    monkeypatch.setattr("newsgraph.enrich.dates.dates_component", lambda article: 1 / 0)
    result = runner.invoke(cli.app, ["analyze", str(folder / "a.txt"), "--db", str(tmp_path / "bug.db")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "ZeroDivisionError" in result.output and "dates" in result.output


def _corpus(directory: Path, seeds: Path, copies: int) -> None:
    """Distinct real pages: each seed with a numbered line appended (a new content hash each)."""
    directory.mkdir(parents=True, exist_ok=True)
    pages = sorted(seeds.glob("00[0-4]_*.txt"))
    for i in range(copies):
        src = pages[i % len(pages)]
        (directory / f"{i:05d}_{src.name}").write_text(src.read_text(encoding="utf-8") + f"\n\nPage copy {i}.\n",
                                                       encoding="utf-8")


def test_resume_after_kill_9_loses_and_duplicates_nothing(tmp_path: Path, seeds: Path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, seeds, 120)
    db = tmp_path / "k.db"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "analyze", str(corpus), "--db", str(db), "-q"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 10:
                        break
            except sqlite3.OperationalError:
                pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        partial = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < partial < 120, "the run should have been killed midway"
    result = ng.analyze([corpus], db)
    assert result.skipped == partial and result.documents == 120 - partial and not result.rejected
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 120
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (120 + 120 // 5 * 6,) * 2
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 120 + 120 // 5 * 6
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
        assert statuses == ["interrupted", "done"]


def _dump(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT a.id, a.title, a.text, a.lang, a.date, a.outlet, (SELECT group_concat(m.text || '@' ||"
                            " m.start || ':' || coalesce(m.entity_id, ''), '|') FROM mentions m WHERE m.article_id = a.id)"
                            " FROM articles a ORDER BY a.rowid").fetchall()


def test_parallel_workers_give_the_same_store(tmp_path: Path, seeds: Path):
    single, parallel = tmp_path / "one.db", tmp_path / "two.db"
    ng.analyze([seeds], single)
    result = ng.analyze([seeds], parallel, workers=2)
    assert not result.rejected
    assert _dump(single) == _dump(parallel)


def _store_contents(db: Path) -> dict[str, list[tuple]]:
    """Every table row for row, less run ids and timestamps, and the articles in the order written: the
    comparison bench/analyze_scale.py makes between its runs."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from analyze_scale import store_contents

    return store_contents(db)


def test_a_dask_local_cluster_gives_the_same_store_as_one_process(tmp_path: Path, seeds: Path, dask_cluster):
    """The per-document stages on two Dask worker processes, one writer here: every table holds the same
    rows as a one-process run, and the articles are written in the same order, on the seed pages and the bundled examples (English,
    Arabic, Persian; text, HTML and JSONL)."""
    inputs = [seeds, Path(__file__).resolve().parents[1] / "examples" / "pages"]
    single, cluster = tmp_path / "one.db", tmp_path / "cluster.db"
    one = ng.analyze(inputs, single)
    many = ng.analyze(inputs, cluster, scheduler=dask_cluster.scheduler_address)
    assert one.counts == many.counts and not many.errors and not many.rejected
    expected, got = _store_contents(single), _store_contents(cluster)
    assert expected.keys() == got.keys()
    for table in expected:
        assert got[table] == expected[table], f"table {table} differs"
    assert len(expected["articles"]) >= 15 and len(expected["mentions"]) > 1000 and expected["quotes"]
    with sqlite3.connect(cluster) as conn:
        assert {"ar", "fa", "en"} <= {lang for (lang,) in conn.execute("SELECT DISTINCT lang FROM articles")}
        (args,) = conn.execute("SELECT args FROM runs").fetchone()
    assert dask_cluster.scheduler_address in args


def test_an_article_read_back_keeps_what_the_stages_found(seeded_db: Path):
    """ng.show returns the analysed article: its mentions (with entity ids), dates, quotes and relations,
    spans into its text, the same records the tables hold."""
    from newsgraph.model import Mention, Quote

    with sqlite3.connect(seeded_db) as conn:
        article_id = conn.execute("SELECT article_id FROM quotes GROUP BY article_id ORDER BY count(*) DESC").fetchone()[0]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t} WHERE article_id = ?", (article_id,)).fetchone()[0]
                  for t in ("mentions", "dates", "quotes", "relations")}
    article = ng.show(seeded_db, article_id)
    assert {t: len(getattr(article, t)) for t in counts} == counts and counts["mentions"] and counts["quotes"]
    assert all(isinstance(m, Mention) and article.text[m.start:m.end] == m.text for m in article.mentions)
    assert any(m.entity_id for m in article.mentions)
    assert all(isinstance(q, Quote) and article.text[q.start:q.end] == q.text for q in article.quotes)
    assert all(isinstance(q.speaker_resolved, bool) for q in article.quotes)
