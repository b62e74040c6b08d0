"""Stages that declare what they need, own their storage, and re-run on a stored corpus.

Real text through real stages on real SQLite files: a pipeline that leaves a stage without its
input is refused by name; a custom component's table is created, filled, read back and re-run;
``analyze --redo`` gives the rows a fresh analysis gives, changes only the re-run stages' tables
(and the corpus steps that read them), and resumes after an interruption.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph.api as ng
from newsgraph import cli
from newsgraph.enrich.dates import dates_component
from newsgraph.enrich.entities import entities_component
from newsgraph.pipeline import PipelineError, default_pipeline
from newsgraph.store.layers import LayerError, Table

BOOKKEEPING = ("runs", "redo_done", "component_tables")


WRITTEN_AT = ("added", "at")  # when a row was written, not what it says: differs between two fresh analyses


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted, every column but the time of writing), but the FTS internals and
    the run bookkeeping."""
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts%'")]
        out = {}
        for name in names:
            if name in BOOKKEEPING:
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})") if r[1] not in WRITTEN_AT]
            out[name] = sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall(), key=repr)
        return out


def changed(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> set[str]:
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


def entities_without_orgs(article):
    """A swapped NER stage: the default one, less its ORG mentions."""
    article = entities_component(article)
    article.mentions = [m for m in article.mentions if m.label != "ORG"]
    return article


def swapped_pipeline():
    pipeline = default_pipeline()
    pipeline.replace("entities", entities_without_orgs, version="entities less ORG")
    return pipeline


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seeds: Path) -> Path:
    """Ten real pages (the seeds and a copy of each with a line added): 22 articles in three languages."""
    folder = tmp_path_factory.mktemp("corpus")
    for page in sorted(seeds.glob("00[0-4]_*.txt")):
        text = page.read_text(encoding="utf-8")
        (folder / page.name).write_text(text, encoding="utf-8")
        (folder / f"copy_{page.name}").write_text(text + "\n\nPage copy.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    db = tmp_path_factory.mktemp("fresh") / "fresh.db"
    result = ng.analyze([corpus], db)
    assert not result.rejected and not result.errors and result.articles >= 20
    return db


# ------------------------------------------------------------------ declarations


def test_a_stage_left_without_its_input_is_refused_by_name(tmp_path: Path, corpus: Path):
    pipeline = default_pipeline()
    pipeline.remove("entities")
    with pytest.raises(PipelineError) as refused:
        ng.analyze([corpus], tmp_path / "x.db", pipeline=pipeline)
    message = str(refused.value)
    assert "stages 'quotes', 'relations' need 'mentions', which the 'entities' stage assigns" in message
    assert not (tmp_path / "x.db").exists(), "refused before anything is written"

    reordered = default_pipeline()
    quotes = reordered.stage("quotes")
    reordered.remove("quotes")
    reordered.stages.insert(0, quotes)
    assert reordered.problems() == [
        "stage 'quotes' needs 'lang', which 'language' assigns later in the pipeline: move 'language' earlier",
        "stage 'quotes' needs 'mentions', which 'entities' assigns later in the pipeline: move 'entities' earlier"]

    pipeline = default_pipeline()
    assert pipeline.remove("entities", dependants=True) == ["entities", "quotes", "relations"]
    pipeline.check()
    assert pipeline.plan(["language"]) == pipeline.names  # every stage reads the languages


def test_cli_refuses_skip_entities_and_says_what_else_to_skip(tmp_path: Path):
    page = tmp_path / "page.txt"
    page.write_text("Officials met in Doha on Monday to discuss the truce and the exchange of prisoners. " * 3,
                    encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli.app, ["analyze", str(page), "--db", str(tmp_path / "s.db"), "--skip", "entities"])
    assert refused.exit_code == 2
    text = " ".join(refused.output.split())
    assert "stages 'quotes', 'relations' need 'mentions'" in text
    assert "--skip entities --skip quotes --skip relations" in text
    assert "Traceback" not in refused.output and not (tmp_path / "s.db").exists()
    ok = runner.invoke(cli.app, ["analyze", str(page), "--db", str(tmp_path / "s.db"), "-q", "--skip", "entities",
                                 "--skip", "quotes", "--skip", "relations"])
    assert ok.exit_code == 0, ok.output
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
        assert conn.execute("SELECT lang FROM articles").fetchone()[0] == "en"
        assert conn.execute("SELECT count(*) FROM dates").fetchone()[0] >= 1  # "Monday"


# ------------------------------------------------------------------ a custom component's table


def paragraph_words(article):
    """A custom stage: the words of each paragraph, with the paragraph's language."""
    article.layers["paragraph_words"] = [{"idx": i, "lang": p.lang, "words": len(article.text[p.start:p.end].split())}
                                         for i, p in enumerate(article.paragraphs)]
    return article


def paragraph_chars(article):
    """Its next version: characters instead of words, in the same table."""
    article.layers["paragraph_words"] = [{"idx": i, "lang": p.lang, "words": p.end - p.start}
                                         for i, p in enumerate(article.paragraphs)]
    return article


WORDS_TABLE = Table("paragraph_words", {"idx": "INTEGER NOT NULL", "lang": "TEXT", "words": "INTEGER"})


def light_pipeline(component=paragraph_words):
    """Language, dates and the custom stage: no model-heavy stage, so the test stays fast."""
    pipeline = default_pipeline()
    for name in ("entities", "quotes", "relations", "techniques", "loaded_terms"):
        pipeline.remove(name)
    pipeline.add("paragraph_words", component, requires=["paragraphs", "lang"], assigns=["paragraph_words"],
                 storage=[WORDS_TABLE], version="words 1")
    return pipeline


def test_a_custom_component_stores_its_table_and_reads_back(tmp_path: Path, seeds: Path):
    pages = sorted(seeds.glob("00[0-4]_*.txt"))[:3]
    db = tmp_path / "custom.db"
    result = ng.analyze(pages, db, pipeline=light_pipeline())
    assert result.articles >= 3 and not result.errors
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT article_id, idx, lang, words FROM paragraph_words ORDER BY article_id, idx").fetchall()
        expected = [(a, i, lang, len(text[s:e].split())) for a, i, lang, s, e, text in conn.execute(
            "SELECT p.article_id, p.idx, p.lang, p.start, p.end, a.text FROM paragraphs p JOIN articles a"
            " ON a.id = p.article_id ORDER BY p.article_id, p.idx")]
        assert stored == expected and len(stored) > 10
        assert conn.execute("SELECT component FROM component_tables WHERE name = 'paragraph_words'").fetchone() == \
            ("paragraph_words",)
        assert '"stage:paragraph_words": "words 1"' in conn.execute("SELECT components FROM runs").fetchone()[0]
        article_id = stored[0][0]
    exported = ng.export(db, tmp_path / "out", "jsonl")  # exported under its own name
    assert exported["paragraph_words"] == len(stored)
    first = json.loads((tmp_path / "out" / "paragraph_words.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"article_id", "idx", "lang", "words"}
    article = ng.show(db, article_id)  # read back without the component: rows come back as dicts
    assert article.layers["paragraph_words"] == [{"idx": i, "lang": lang, "words": w}
                                                 for a, i, lang, w in stored if a == article_id]
    before = tables(db)

    pipeline = light_pipeline(paragraph_chars)  # the component's next version, re-run on the store
    pipeline.replace("paragraph_words", paragraph_chars, version="chars 1")
    redone = ng.redo(db, ["paragraph_words"], pipeline=pipeline)
    assert redone.stages == ["paragraph_words"] and redone.articles == result.articles and not redone.corpus_steps
    after = tables(db)
    assert changed(before, after) == {"paragraph_words"}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM paragraph_words p JOIN paragraphs q ON q.article_id = p.article_id"
                            " AND q.idx = p.idx WHERE p.words != q.end - q.start").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM paragraph_words").fetchone()[0] == len(stored)


def test_a_table_that_is_not_the_components_own_is_refused(tmp_path: Path, seeds: Path):
    with pytest.raises(LayerError, match="type"):
        Table("scores", {"score": "FLOAT; DROP TABLE articles"})
    with pytest.raises(LayerError, match="table name"):
        Table("Scores-1", {"score": "REAL"})
    page = sorted(seeds.glob("00[0-4]_*.txt"))[:1]
    db = tmp_path / "t.db"
    taken = light_pipeline()
    taken.stage("paragraph_words").storage = (Table("mentions", {"idx": "INTEGER"}),)
    with pytest.raises(LayerError, match="newsgraph's own tables"):
        ng.analyze(page, db, pipeline=taken)
    ng.analyze(page, db, pipeline=light_pipeline())
    other = light_pipeline()
    other.stage("paragraph_words").storage = (Table("paragraph_words", {"idx": "INTEGER", "score": "REAL"}),)
    with pytest.raises(LayerError, match="new table name"):
        ng.analyze(page, db, pipeline=other)


# ------------------------------------------------------------------ re-running stages on a stored corpus


def test_redo_with_the_same_component_gives_the_rows_of_the_fresh_analysis(tmp_path: Path, fresh: Path):
    db = tmp_path / "redo.db"
    shutil.copy(fresh, db)
    result = ng.redo(db, ["quotes"])
    assert result.stages == ["quotes", "relations"] and result.articles >= 20 and not result.errors
    assert result.corpus_steps == ["entity resolution"]  # relations add the names they join as mentions
    assert changed(tables(fresh), tables(db)) == set()
    with sqlite3.connect(db) as conn:
        status, args, components = conn.execute("SELECT status, args, components FROM runs ORDER BY id DESC").fetchone()
        assert status == "done" and '"redo": ["quotes", "relations"]' in args
        assert '"quotes":' in components and '"pipeline": "quotes,relations"' in components
        assert conn.execute("SELECT count(*) FROM redo_done").fetchone()[0] == 0


def test_redo_with_a_swapped_component_gives_its_rows_and_changes_only_its_dependants(tmp_path: Path, corpus: Path,
                                                                                     fresh: Path):
    swapped_fresh = tmp_path / "swapped_fresh.db"
    ng.analyze([corpus], swapped_fresh, pipeline=swapped_pipeline())
    db = tmp_path / "swapped_redo.db"
    shutil.copy(fresh, db)
    result = ng.redo(db, ["entities"], pipeline=swapped_pipeline())
    assert result.stages == ["entities", "quotes", "relations"] and not result.errors
    original, redone, expected = tables(fresh), tables(db), tables(swapped_fresh)
    assert changed(redone, expected) == set(), "the re-run writes what a fresh analysis with the new component writes"
    assert not any(row[4] == "ORG" for row in redone["mentions"])
    # only the re-run stages' tables and entity resolution's changed; the rest is identical row for row
    assert changed(original, redone) <= {"mentions", "quotes", "relations", "entities", "article_roles"}
    assert {"mentions", "entities"} <= changed(original, redone)


def test_an_interrupted_redo_resumes_where_it_stopped(tmp_path: Path, fresh: Path, monkeypatch):
    db = tmp_path / "resume.db"
    shutil.copy(fresh, db)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM dates")  # as if the dates stage had never run: a re-run fills them in
    seen: list[str] = []

    def interrupted_dates(article):
        if len(seen) == 20:  # in the second batch of articles: the first is committed, this one is lost
            raise KeyboardInterrupt
        seen.append(article.id)
        return dates_component(article)

    pipeline = default_pipeline()
    pipeline.replace("dates", interrupted_dates)
    with pytest.raises(KeyboardInterrupt):
        ng.redo(db, ["dates"], pipeline=pipeline)
    with sqlite3.connect(db) as conn:
        done = {r[0] for r in conn.execute("SELECT article_id FROM redo_done")}
        assert 0 < len(done) < 20 and done <= set(seen)
        assert {r[0] for r in conn.execute("SELECT DISTINCT article_id FROM dates")} <= done
    resumed: list[str] = []

    def counted_dates(article):
        resumed.append(article.id)
        return dates_component(article)

    pipeline.replace("dates", counted_dates)  # the same stage and versions: resumes
    result = ng.redo(db, ["dates"], pipeline=pipeline)
    every = {row[1] for row in tables(fresh)["articles"]}
    assert result.resumes is not None and result.resumed == len(done) and result.articles == len(every) - len(done)
    assert not done & set(resumed) and done | set(resumed) == every, "each article done once"
    assert tables(db)["dates"] == tables(fresh)["dates"]
    assert changed(tables(fresh), tables(db)) == set()
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
        assert statuses[-2:] == ["interrupted", "done"]
        assert conn.execute("SELECT count(*) FROM redo_done").fetchone()[0] == 0
    again = ng.redo(db, ["dates"])  # finished: a new re-run starts over
    assert again.resumes is None and again.resumed == 0


def test_a_redo_that_would_leave_stored_rows_stale_is_refused(tmp_path: Path, fresh: Path):
    db = tmp_path / "stale.db"
    shutil.copy(fresh, db)
    pipeline = default_pipeline()
    pipeline.remove("relations")  # the store holds relations, which read the mentions entities re-writes
    with pytest.raises(PipelineError, match="stage 'relations'.*not in the pipeline"):
        ng.redo(db, ["entities"], pipeline=pipeline)
    assert changed(tables(fresh), tables(db)) == set()


def test_cli_redo_refuses_what_it_cannot_do_and_reruns_a_stage(tmp_path: Path, fresh: Path):
    db = tmp_path / "cli.db"
    shutil.copy(fresh, db)
    runner = CliRunner()
    for args, said in ((["--redo", "ner"], "unknown stage 'ner'"),
                       (["--redo", "segment"], "segmentation cannot be re-run"),
                       (["--redo", "dates", str(tmp_path)], "give no PATH"),
                       (["--redo", "dates", "--skip", "quotes"], "--skip does not go with --redo")):
        refused = runner.invoke(cli.app, ["analyze", "--db", str(db), *args])
        assert refused.exit_code == 2 and said in " ".join(refused.output.split()), refused.output
    missing = runner.invoke(cli.app, ["analyze", "--db", str(tmp_path / "none.db"), "--redo", "dates"])
    assert missing.exit_code == 2 and "no database" in missing.output
    done = runner.invoke(cli.app, ["analyze", "--db", str(db), "--redo", "dates,techniques", "-q"])
    assert done.exit_code == 0, done.output
    assert "re-ran dates, techniques on" in " ".join(done.output.split())
    assert changed(tables(fresh), tables(db)) == set()
    help_text = runner.invoke(cli.app, ["analyze", "--help"]).output
    assert "--redo" in help_text


def test_a_bug_during_a_redo_is_an_error_naming_article_and_stage_and_keeps_the_old_rows(tmp_path: Path,
                                                                                        fresh: Path):
    db = tmp_path / "bug.db"
    shutil.copy(fresh, db)
    with sqlite3.connect(db) as conn:
        victim = conn.execute("SELECT article_id FROM dates GROUP BY article_id ORDER BY count(*) DESC").fetchone()[0]

    def fragile_dates(article):
        if article.id == victim:
            raise KeyError("a bug")
        return dates_component(article)

    pipeline = default_pipeline()
    pipeline.replace("dates", fragile_dates)
    result = ng.redo(db, ["dates"], pipeline=pipeline)
    assert [(e.stage, e.error.split(":")[0]) for e in result.errors] == [("dates", f"article {victim}")]
    assert "KeyError" in result.errors[0].error
    assert tables(db)["dates"] == tables(fresh)["dates"]  # the failed article keeps its rows
