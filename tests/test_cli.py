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
