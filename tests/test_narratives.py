"""Narratives (newsgraph.corpus.narratives) on real text: the seed pages and the reuse corpus made of a
seed page's paragraphs (the same claims in several outlets); claim selection, recurrence, stable ids, the
user's overrides file, the CLI, the export, the workbench pages (escaped), and a side-swap neutrality test."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import reuse_corpus
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import newsgraph.api as ng
from newsgraph.cli import app
from newsgraph.corpus.narratives import (
    PARAMS,
    NarrativeOverrides,
    claim_sentences,
    split_id,
)
from newsgraph.store import narratives as sql
from newsgraph.store.db import Store
from newsgraph.web.app import create_app


def _rows(db: Path, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, args).fetchall()


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, seeds: Path) -> Path:
    """The seed pages and the reuse corpus, analysed; no narratives yet."""
    base = tmp_path_factory.mktemp("narratives")
    db = base / "corpus.db"
    ng.analyze([seeds, reuse_corpus(base / "pages")], db)
    return db


@pytest.fixture(scope="module")
def built(analysed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("built") / "corpus.db"
    shutil.copy(analysed, db)
    return db, ng.build_narratives(db)


def test_claims_are_the_sentences_holding_a_quote_relation_technique_or_loaded_term(analysed: Path) -> None:
    with Store(analysed, readonly=True) as store:
        claims, texts = claim_sentences(store.conn)
        spans = list(sql.carrier_spans(store.conn))
    assert {c.carriers for c in claims} and {"quote", "technique"} <= {k for c in claims for k in c.carriers}
    by_article: dict[str, list] = {}
    for aid, s, e, layer in spans:
        by_article.setdefault(aid, []).append((s, e, layer))
    for c in claims:
        held = {layer for s, e, layer in by_article[c.article_id] if s < c.end and e > c.start}
        assert held == set(c.carriers), c
        assert len(texts[c.article_id][c.start:c.end].split()) >= PARAMS.min_words
    # every quote's text lies in claims that say they carry a quote
    quotes = _rows(analysed, "SELECT article_id, start, end FROM quotes")
    chosen = {(c.article_id, c.start, c.end) for c in claims if "quote" in c.carriers}
    for aid, s, e in quotes[:50]:
        inside = [k for k in chosen if k[0] == aid and k[1] < e and k[2] > s]
        words = texts[aid][s:e].split() if aid in texts else []
        assert inside or len(words) < PARAMS.min_words, (aid, s, e)
    total_sentences = _rows(analysed, "SELECT count(*) FROM articles")[0][0]
    assert 0 < len(claims) and total_sentences


def test_narratives_recur_and_show_their_evidence(built: tuple[Path, dict]) -> None:
    db, counts = built
    assert counts["recomputed"] and counts["narratives"] >= 2, counts
    rows, total = ng.narratives(db)
    assert total == counts["narratives"] == len(rows)
    story = dict(_rows(db, "SELECT article_id, story_id FROM story_members")) if _rows(
        db, "SELECT 1 FROM sqlite_master WHERE name = 'story_members'") else {}
    for row in rows:
        members = _rows(db, "SELECT s.article_id, s.start, s.end, a.outlet, substr(a.text, s.start + 1, s.end - s.start)"
                            " FROM narrative_sentences s JOIN articles a ON a.id = s.article_id WHERE narrative_id = ?",
                        row["id"])
        assert len(members) == row["size"] >= 3
        outlets = {m[3] for m in members if m[3]}
        stories = {story.get(m[0], m[0]) for m in members}
        assert len(outlets) >= 2 or len(stories) >= 2, row
        assert all(ws for ws in row["keywords"].values())  # a language without two-sentence keywords is left out
        assert row["label"]
        one = ng.narrative(db, row["id"])
        assert one is not None and 1 <= len(one["evidence"]) <= 6
        for e in one["evidence"]:
            assert (e["article_id"], e["start"], e["end"], e["outlet"], e["text"]) in members
        assert sum(c["articles"] for c in one["by_outlet_month"]) >= row["articles"]
        assert all(0 < c["articles"] <= c["of_all"] for c in one["by_outlet_month"])
    assert any(row["keywords"] for row in rows)
    # the planted copies: a narrative holds the same sentence from two outlets
    copied = [r for r in rows if len(r["outlets"]) >= 2]
    assert copied


def test_second_run_is_skipped_and_a_forced_one_keeps_ids_and_embeds_nothing(built: tuple[Path, dict]) -> None:
    db, _ = built
    before = _rows(db, "SELECT article_id, start, narrative_id FROM narrative_sentences ORDER BY 1, 2")
    assert ng.build_narratives(db)["recomputed"] is False
    again = ng.build_narratives(db, force=True)
    assert again["recomputed"] and again["embedded"] == 0
    assert _rows(db, "SELECT article_id, start, narrative_id FROM narrative_sentences ORDER BY 1, 2") == before


def test_a_new_batch_recomputes_and_keeps_the_ids_of_narratives_whose_members_stay(
        built: tuple[Path, dict], tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "grown.db"
    shutil.copy(built[0], db)
    before = dict(((a, s), n) for a, s, n in _rows(db, "SELECT article_id, start, narrative_id FROM narrative_sentences"))
    page = next(seeds.glob("002_*.txt")).read_text(encoding="utf-8") + "\n\nThis report was updated for the late edition.\n"
    (tmp_path / "more.jsonl").write_text(json.dumps({"text": page, "title": "Again", "outlet": "Late Outlet",
                                                     "date": "2024-03-01", "url": "https://example.org/late"}) + "\n",
                                         encoding="utf-8")
    ng.analyze([tmp_path / "more.jsonl"], db)
    counts = ng.build_narratives(db)
    assert counts["recomputed"] and counts["embedded"] > 0
    after = dict(((a, s), n) for a, s, n in _rows(db, "SELECT article_id, start, narrative_id FROM narrative_sentences"))
    kept = [k for k in before if k in after]
    assert kept
    # an old narrative whose remaining sentences all sit in one new narrative, where they are the largest group
    # of old sentences, keeps its id there (clustering is global: other narratives may merge or split)
    old_groups: dict[str, list] = {}
    for k in kept:
        old_groups.setdefault(before[k], []).append(k)
    whole = 0
    for nid, keys in old_groups.items():
        targets = {after[k] for k in keys}
        if len(targets) != 1:
            continue
        target = targets.pop()
        rivals = [sum(1 for k in kept if after[k] == target and before[k] == other) for other in old_groups if other != nid]
        if len(keys) > max(rivals, default=0):
            whole += 1
            assert target == nid, (nid, target)
    assert whole >= len(old_groups) // 2, (whole, len(old_groups))
    # the repeated page joins its original's narratives: the newcomer's sentences share ids with old ones
    late = _rows(db, "SELECT DISTINCT s.narrative_id FROM narrative_sentences s JOIN articles a ON a.id = s.article_id"
                     " WHERE a.outlet = 'Late Outlet'")
    assert late and {n for (n,) in late} & set(before.values())


def test_overrides_name_merge_split_and_later_runs_respect_them(built: tuple[Path, dict], tmp_path: Path) -> None:
    db = tmp_path / "over.db"
    shutil.copy(built[0], db)
    rows, _ = ng.narratives(db)
    big = max(rows, key=lambda r: (r["size"], r["id"]))
    a, b = [r["id"] for r in rows if r["id"] != big["id"]][:2]
    texts = [t for (t,) in _rows(db, "SELECT substr(a.text, s.start + 1, s.end - s.start) FROM narrative_sentences s"
                                     " JOIN articles a ON a.id = s.article_id WHERE s.narrative_id = ?", big["id"])]
    word = next(w for t in texts for w in t.split() if len(w) > 5 and w.isalpha()
                and sum(w in x for x in texts) < len(texts))
    path = tmp_path / "narratives.toml"
    path.write_text(f'[name]\n{big["id"]} = "Name <b>given</b> by a user"\n\n[[merge]]\nids = ["{a}", "{b}", "nrmissing0000"]\n'
                    f'name = "Merged"\n\n[[split]]\nid = "{big["id"]}"\nterms = ["{word}"]\nname = "Split off"\n',
                    encoding="utf-8")
    counts = ng.build_narratives(db, overrides=path)
    assert counts["recomputed"] and counts["unknown_ids"] == ["nrmissing0000"]

    def check() -> None:
        got = {r["id"]: r for r in ng.narratives(db)[0]}
        assert got[big["id"]]["label"] == "Name <b>given</b> by a user" and got[big["id"]]["named"]
        assert b not in got and got[a]["label"] == "Merged"
        child = split_id(big["id"], [word])
        assert got[child]["label"] == "Split off"
        moved = [t for (t,) in _rows(db, "SELECT substr(a.text, s.start + 1, s.end - s.start) FROM narrative_sentences s"
                                         " JOIN articles a ON a.id = s.article_id WHERE s.narrative_id = ?", child)]
        assert moved and all(word.lower() in t.lower() for t in moved)
        assert all(word.lower() not in t.lower() for (t,) in _rows(
            db, "SELECT substr(a.text, s.start + 1, s.end - s.start) FROM narrative_sentences s JOIN articles a"
                " ON a.id = s.article_id WHERE s.narrative_id = ?", big["id"]))

    check()
    assert ng.build_narratives(db, force=True)["recomputed"]  # a later run without the file keeps applying it
    check()
    cleared = tmp_path / "empty.toml"
    cleared.write_text("", encoding="utf-8")
    ng.build_narratives(db, overrides=cleared)
    assert b in {r["id"] for r in ng.narratives(db)[0]}


def test_invalid_overrides_are_refused_with_a_reason(built: tuple[Path, dict], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[merge]]\nids = "nr1"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="merge"):
        NarrativeOverrides.load(bad)
    result = CliRunner().invoke(app, ["narratives", "--db", str(built[0]), "--overrides", str(bad)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "is not valid" in said and "merge" in said and "Traceback" not in said


def test_cli_lists_filters_and_says_when_the_list_is_cut(built: tuple[Path, dict]) -> None:
    db = str(built[0])
    runner = CliRunner()
    full = runner.invoke(app, ["narratives", "--db", db, "--json", "--top", "1000"])
    assert full.exit_code == 0, full.output
    data = json.loads(full.stdout)
    assert data["total"] == len(data["narratives"]) >= 2
    cut = runner.invoke(app, ["narratives", "--db", db, "--top", "1"], env={"COLUMNS": "200"})
    assert cut.exit_code == 0 and f"showing 1 of {data['total']}" in cut.output
    future = json.loads(runner.invoke(app, ["narratives", "--db", db, "--json", "--since", "2100-01"]).stdout)
    assert future["total"] == 0
    outlet = next(o for r in data["narratives"] for o in r["outlets"] if o)
    only = json.loads(runner.invoke(app, ["narratives", "--db", db, "--json", "--top", "1000", "--outlet", outlet]).stdout)
    assert 0 < only["total"] <= data["total"] and all(outlet in r["outlets"] for r in only["narratives"])
    assert runner.invoke(app, ["narratives", "--db", db, "--since", "last week"]).exit_code == 2


def test_export_writes_the_member_sentences_with_their_text(built: tuple[Path, dict], tmp_path: Path) -> None:
    db, _ = built
    counts = ng.export(db, tmp_path / "out", "jsonl")
    lines = [json.loads(x) for x in (tmp_path / "out" / "narratives.jsonl").open(encoding="utf-8")]
    assert counts["narratives"] == len(lines) == _rows(db, "SELECT count(*) FROM narrative_sentences")[0][0]
    texts = dict(_rows(db, "SELECT id, text FROM articles"))
    labels = {r["id"]: r["label"] for r in ng.narratives(db)[0]}
    for line in lines:
        assert texts[line["article_id"]][line["start"]:line["end"]] == line["text"]
        assert labels[line["narrative_id"]] == line["label"]


def test_pages_list_narratives_and_link_evidence_to_the_reader(built: tuple[Path, dict], analysed: Path) -> None:
    empty = TestClient(create_app(analysed)).get("/narratives")
    assert empty.status_code == 200 and 'id="narratives-empty"' in empty.text and "newsgraph narratives" in empty.text
    client = TestClient(create_app(built[0]))
    listing = client.get("/narratives")
    assert listing.status_code == 200 and 'data-narrative="' in listing.text
    rows, total = ng.narratives(built[0])
    assert f"{total} narratives" in listing.text
    one = rows[0]
    page = client.get(f"/narrative/{one['id']}")
    assert page.status_code == 200 and 'id="share"' in page.text and "<bdi>" in page.text
    evidence = ng.narrative(built[0], one["id"])["evidence"]
    first = evidence[0]
    link = f"/article/{first['article_id']}?at={first['start']}-{first['end']}#at"
    assert f'href="{link}"' in page.text
    reader = client.get(link.split("#")[0])
    assert reader.status_code == 200 and 'id="at"' in reader.text
    assert client.get("/narrative/nrnothing").status_code == 404
    assert client.get("/api/narratives").json()["total"] == total
    assert client.get("/narratives?since=yesterday").status_code == 422


# ------------------------------------------------------------------ hostile text


def test_narrative_pages_escape_hostile_text(tmp_path: Path) -> None:
    from test_web import assert_inert, xss_corpus, xss_payloads

    db = tmp_path / "xss.db"
    ng.analyze([xss_corpus(tmp_path / "pages")], db)
    assert ng.build_narratives(db)["narratives"] >= 1
    rows, _ = ng.narratives(db)
    payloads = [p for p in xss_payloads() if "<" in p]
    hostile_outlets = [o for r in rows for o in r["outlets"] if any(p in o for p in payloads)]
    assert hostile_outlets, "the hostile outlet names reach the narrative pages"
    overrides = tmp_path / "names.toml"
    overrides.write_text(f'[name]\n{rows[0]["id"]} = {json.dumps(payloads[0])}\n', encoding="utf-8")
    ng.build_narratives(db, overrides=overrides)
    client = TestClient(create_app(db))
    for url in ["/narratives", *[f"/narrative/{r['id']}" for r in rows],
                "/narratives?" + "outlet=" + payloads[0].replace("&", "%26").replace("#", "%23")]:
        r = client.get(url)
        assert r.status_code == 200, url
        for p in payloads:
            assert p not in r.text, (url, p)
        assert_inert(r.text, url)


# ------------------------------------------------------------------ neutrality

SIDES = ("Ardenia", "Borovia")  # same length: swapping keeps every span where it was
ADJECTIVES = ("Ardenian", "Borovian")
SYNTHETIC = [  # every claim recurs in two outlets at least; each side accuses the other in its own words
    ("Wire A", "2024-01-03", ['"Borovia is the real aggressor and its regime must answer for the massacre," the Ardenian '
                              'foreign minister said on Tuesday.',
                              'The Ardenian army said it had delivered food and medicine to the besieged villages near '
                              'the border.',
                              'Officials said the new sanctions on Borovia would cut its oil exports by half this year.']),
    ("Daily B", "2024-01-09", ['"The Borovian regime is the aggressor, and the massacre proves it," an Ardenian '
                               'spokesman told reporters.',
                               'Ardenian soldiers delivered medicine and food to villages under siege, the army said.',
                               'The sanctions on Borovia will halve its oil exports this year, officials said.']),
    ("Gazette C", "2024-02-02", ['"Ardenia betrayed the ceasefire and its artillery shelled the children\'s hospital," the '
                                 'Borovian defence ministry said in a statement.',
                                 'Aid convoys from the Ardenian army reached the besieged border villages with food, '
                                 'the army said.',
                                 'Oil exports from Borovia will fall by half because of the sanctions, officials said.']),
    ("Post D", "2024-02-15", ['"Ardenian artillery shelled the children\'s hospital and broke the ceasefire," a Borovian '
                              'army spokesman said on Monday.',
                              'The Borovian government said the football league would resume next month after the '
                              'winter break.',
                              'The weather service said heavy snow would close the mountain roads until Friday.']),
]


def _swap(text: str) -> str:
    for a, b in (SIDES, ADJECTIVES):
        text = text.replace(a, "\0").replace(b, a).replace("\0", b)
    return text


def _side_corpus(root: Path, swapped: bool) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / "side.jsonl").open("w", encoding="utf-8") as out:
        for i, (outlet, date, sentences) in enumerate(SYNTHETIC):
            text = "\n\n".join(_swap(s) if swapped else s for s in sentences)
            out.write(json.dumps({"text": text, "title": f"Report {i}", "outlet": outlet, "date": date,
                                  "url": f"https://example.org/side/{i}"}) + "\n")
    return root


def test_swapping_the_sides_names_mirrors_the_narratives(tmp_path: Path) -> None:
    """The same corpus with the two sides' names swapped gives the same narratives (the same sentences
    grouped the same way, with the names swapped in their keywords): nothing depends on who is named."""
    found = []
    for swapped in (False, True):
        db = tmp_path / f"side-{swapped}.db"
        ng.analyze([_side_corpus(tmp_path / f"pages-{swapped}", swapped)], db)
        ng.build_narratives(db)
        title = dict(_rows(db, "SELECT id, title FROM articles"))  # the same in both corpora
        groups: dict[str, set] = {}
        for nid, aid, start, end in _rows(db, "SELECT narrative_id, article_id, start, end FROM narrative_sentences"):
            groups.setdefault(nid, set()).add((title[aid], start, end))
        words = {}
        for r in ng.narratives(db)[0]:
            key = frozenset(groups[r["id"]])
            # keywords above the list's last weight (a tie at the cut is broken by spelling, so it may differ)
            words[key] = {(_swap(w) if swapped else w, s) for ws in r["keywords"].values() for w, s in ws
                          if s > ws[-1][1]}
        found.append(words)
    assert found[0], "the synthetic corpus has narratives"
    assert set(found[0]) == set(found[1])  # the same partition of the same spans
    for key, words in found[0].items():
        assert words == found[1][key]


# ------------------------------------------------------------------ in a browser


def test_narrative_pages_in_headless_chromium(built: tuple[Path, dict]) -> None:
    """/narratives → a narrative → an evidence sentence opens the reader with that sentence outlined."""
    browser_tests = pytest.importorskip("test_web_browser")  # skips when Chromium, chromedriver or Selenium is missing
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.common.by import By

    profile = tempfile.mkdtemp(prefix="newsgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser_tests.CHROMIUM
    for flag in [*browser_tests.FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=browser_tests.CHROMEDRIVER))
    browser_tests.ARTIFACTS.mkdir(exist_ok=True)
    try:
        with browser_tests.LiveServer(built[0]) as live:
            driver.get(live.url("/narratives"))
            browser_tests.wait_for(driver, "tr.narrative")
            driver.save_screenshot(str(browser_tests.ARTIFACTS / "narratives.png"))
            driver.find_element(By.CSS_SELECTOR, "tr.narrative a").click()
            browser_tests.wait_for(driver, "#evidence a.at")
            assert driver.find_elements(By.CSS_SELECTOR, "#share svg.share")
            driver.save_screenshot(str(browser_tests.ARTIFACTS / "narrative.png"))
            sentence = driver.find_element(By.CSS_SELECTOR, "#evidence blockquote").text
            driver.find_element(By.CSS_SELECTOR, "#evidence a.at").click()
            marked = browser_tests.wait_for(driver, "#at")
            assert " ".join(sentence.split())[:40] in " ".join(marked.text.split())
            driver.save_screenshot(str(browser_tests.ARTIFACTS / "narrative-reader.png"))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
