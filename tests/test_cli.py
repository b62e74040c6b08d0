"""The command line as a researcher reads it: narrow terminals, counts that say what is shown, exports for Excel."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from typer.testing import CliRunner

from newsgraph import cli


def _run(*args: str, columns: int = 80):
    return CliRunner().invoke(cli.app, list(args), env={"COLUMNS": str(columns)}, terminal_width=columns)


def test_articles_table_keeps_its_short_columns_on_an_80_column_terminal(seeded_db: Path):
    result = _run("articles", "--db", str(seeded_db))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "id" in line and "title" in line)
    assert "lang" in header and "date" in header and "words" in header
    rows = [line for line in lines if re.match(r"^[0-9a-f]{16}\s", line)]
    assert rows and all(re.match(r"^[0-9a-f]{16}\s+(en|ar|fa)\s", line) for line in rows)


def test_quotes_say_how_many_are_shown(seeded_db: Path):
    result = _run("quotes", "--db", str(seeded_db), "--limit", "5", columns=160)
    assert result.exit_code == 0
    assert re.search(r"\d+ quotes, the first 5 shown \(--limit to see more\)", result.output)


def test_export_help_lists_every_file_and_csv_can_carry_a_bom(seeded_db: Path, tmp_path: Path):
    from newsgraph.store.export import GRAPHS, TABLES

    help_text = " ".join(_run("export", "--help", columns=200).output.split())
    for name in [*TABLES, *GRAPHS]:
        assert name in help_text, name
    result = _run("export", "--db", str(seeded_db), "--format", "csv", "--bom", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "articles.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    with (tmp_path / "techniques.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    with (tmp_path / "articles.csv").open(encoding="utf-8-sig") as fh:
        texts = {r["id"]: r["text"] for r in csv.DictReader(fh)}
    assert rows and all(texts[r["article_id"]][int(r["start"]):int(r["end"])] == r["text"] for r in rows)


def test_show_numbers_articles_on_the_page_from_one_and_cuts_at_words(seeded_db: Path):
    import sqlite3

    with sqlite3.connect(seeded_db) as conn:
        article_id = conn.execute("SELECT id FROM articles WHERE source_index = 0 LIMIT 1").fetchone()[0]
    result = _run("show", article_id, "--db", str(seeded_db), "--removed", columns=200)
    assert "(article 1 on the page)" in result.output


def test_progress_goes_on_as_plain_lines_when_piped():
    import io

    from rich.console import Console

    lines = io.StringIO()
    old, cli.errors = cli.errors, Console(file=lines, width=120)
    try:
        ticks = iter([5.0, 11.0, 12.0, 25.0])
        plain = cli._PlainProgress(3, enabled=True)
        plain.clock = lambda: next(ticks)
        plain.last = 0.0
        state = {"articles": 4, "rejected": 1, "errors": 0}
        for event in ("file", "file", "document", "file"):
            plain.update(event, state)
    finally:
        cli.errors = old
    assert lines.getvalue().splitlines() == ["analysing: 2/3 files, 4 articles, 1 rejected, 0 errors",
                                             "analysing: 3/3 files, 4 articles, 1 rejected, 0 errors"]  # not at 12 s


def test_reuse_json_lists_the_stored_clusters_and_records(cluster_db: dict):
    import json
    import sqlite3

    from conftest import HOSTILE_PASSAGE

    db = cluster_db["db"]
    result = _run("reuse", "--db", str(db), "--json", "--boilerplate")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    with sqlite3.connect(db) as conn:
        clusters = conn.execute("SELECT id, holders FROM reuse_clusters ORDER BY holders DESC, id").fetchall()
        records = conn.execute("SELECT count(*) FROM reuse").fetchone()[0]
        members = {cid: sorted(conn.execute("SELECT article_id, start, end FROM reuse_cluster_members"
                                            " WHERE cluster_id = ?", (cid,)).fetchall()) for cid, _ in clusters}
    listed = [r for r in lines if r["type"] == "cluster"]
    assert [(c["id"], c["holders"]) for c in listed] == clusters
    assert all(sorted(map(tuple, c["members"])) == members[c["id"]] for c in listed)
    assert sum(r["type"] == "record" for r in lines) == records
    assert all("cluster_id" in r for r in lines if r["type"] == "record")
    hostile = next(c for c in listed if c["source_article_id"] == cluster_db["hostile_original"])
    assert HOSTILE_PASSAGE[:120] in hostile["text"]  # machine-readable: the text as stored, not escaped
    assert hostile["evidence"].startswith("earliest date: 2024-01-01")
    assert [r["outlet"] for r in lines if r["type"] == "boilerplate"][:1] == ["outlet0"]
    top = [json.loads(line) for line in _run("reuse", "--db", str(db), "--json", "--top", "1").output.splitlines()]
    assert [r["id"] for r in top if r["type"] == "cluster"] == [clusters[0][0]]
    assert {r["cluster_id"] for r in top if r["type"] == "record"} == {clusters[0][0]}


def test_export_and_reuse_listings_of_an_older_database(cluster_db: dict, tmp_path: Path):
    """A database from before migration 11 (no reuse.cluster_id, no clusters), and from before the
    relations (7) and the persuasion techniques (5), exported read-only: every table it has is
    written, reuse.cluster_id is null, the newer tables are empty, nothing is migrated."""
    import json
    import sqlite3

    from conftest import older_database

    for version in (10, 7, 5):
        old = older_database(cluster_db["db"], tmp_path / f"v{version}.db", version)
        out = tmp_path / f"export{version}"
        result = _run("export", "--db", str(old), "--out", str(out), columns=160)
        assert result.exit_code == 0, result.output
        with sqlite3.connect(old) as conn:
            reuse_rows = conn.execute("SELECT count(*) FROM reuse").fetchone()[0]
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        records = [json.loads(line) for line in (out / "reuse.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(records) == reuse_rows > 0 and all(r["cluster_id"] is None for r in records)
        assert (out / "reuse_clusters.jsonl").read_text(encoding="utf-8") == ""
        assert f"reuse.jsonl: {reuse_rows} rows" in result.output
    listing = _run("reuse", "--db", str(tmp_path / "v10.db"), "--top", "3", columns=160)
    assert listing.exit_code == 0 and "before the reuse stage kept reuse clusters" in " ".join(listing.output.split())
