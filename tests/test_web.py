"""The workbench (newsgraph.web) through FastAPI's TestClient, on databases built by the real
pipeline: the seed pages, and a corpus of XSS payloads written as article text, titles,
outlets, authors and URLs."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import networkx as nx
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

import newsgraph.api as ng  # noqa: E402
from newsgraph.web.app import create_app  # noqa: E402
from newsgraph.web.commands import is_loopback, token_problem  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "pages"
PAYLOAD_FILE = Path(__file__).with_name("web_xss_payloads.txt")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
PROSE = [
    "The committee met on Tuesday to discuss the budget for the coming year and the plans for new schools.",
    "Officials said the talks had been constructive, although several questions about funding remained open.",
    "Residents of the northern districts complained that the promised repairs to the water network were late.",
    "A spokesman for the ministry told reporters that a final decision would be announced within two weeks.",
    "Opposition members called for an independent review of the contracts awarded during the previous term.",
]
ARABIC_NAME = "سليماني"


# ------------------------------------------------------------------ databases


def seed_database(base: Path) -> Path:
    """The seed pages through the real pipeline; the Arabic article also gets one mention of
    سليماني (marked method='test-fixture') if the pipeline found none, so RTL highlights are tested."""
    db = base / "seed.db"
    if db.exists():
        return db
    building = base / "seed.building.db"
    ng.analyze([EXAMPLES], db=building, pipeline=pipeline_without("techniques"))
    with sqlite3.connect(building) as conn:
        row = conn.execute("SELECT id, text FROM articles WHERE lang = 'ar' AND instr(text, ?) > 0",
                           (ARABIC_NAME,)).fetchone()
        has = conn.execute("SELECT count(*) FROM mentions WHERE article_id = ?", (row[0],)).fetchone()[0]
        entity = conn.execute("SELECT id FROM entities WHERE name LIKE '%Soleimani%' ORDER BY mention_count DESC"
                              ).fetchone()
        if not has:
            start = row[1].index(ARABIC_NAME)
            conn.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, 'PERSON', 'ar', 'test-fixture', ?)",
                         (row[0], start, start + len(ARABIC_NAME), ARABIC_NAME, entity[0] if entity else None))
    shutil.move(building, db)
    return db


def xss_payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def xss_corpus(root: Path) -> Path:
    """Payloads as paragraphs of .txt pages (after enough prose that the page reads as text)
    and as title/outlet/author/url/text of JSONL records."""
    root.mkdir(parents=True, exist_ok=True)
    payloads = xss_payloads()
    lead = "\n\n".join(PROSE * 5)
    for i in range(0, len(payloads), 6):
        body = "\n\n".join(f"{PROSE[j % len(PROSE)]} {p} {PROSE[(j + 1) % len(PROSE)]}"
                           for j, p in enumerate(payloads[i:i + 6]))
        (root / f"payloads-{i:02d}.txt").write_text(f"{lead}\n\n{body}\n\nThe Ministry of Health in Wales said so.\n",
                                                    encoding="utf-8")
    with (root / "payloads.jsonl").open("w", encoding="utf-8") as out:
        for i, p in enumerate(payloads):
            record = {"text": "\n\n".join(PROSE[:3] + [f"Reported by {p} in London. {PROSE[3]}"]),
                      "title": f"{p} title {i}", "outlet": f"{p} outlet", "author": p, "url": p,
                      "date": "2024-03-0" + str(1 + i % 9)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return root


def pipeline_without(*stages: str):
    """The default pipeline less some stages, so the pages' "not analysed yet" state is exercised."""
    from newsgraph.pipeline import default_pipeline

    pipeline = default_pipeline()
    for stage in stages:
        if stage in pipeline.names:
            pipeline.remove(stage)
    return pipeline


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp() / "web"
    base.mkdir(exist_ok=True)
    return seed_database(base)


@pytest.fixture(scope="module")
def client(seed_db: Path) -> TestClient:
    return TestClient(create_app(seed_db))


@pytest.fixture(scope="module")
def xss_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("xss")
    db = base / "xss.db"
    ng.analyze([xss_corpus(base / "pages")], db=db)
    ng.reuse(db)  # the payload records share their prose: reuse between hostile outlet names
    hostile_stories(db)
    return db


def hostile_stories(db: Path) -> int:
    """Stories and framing on the payload corpus (hostile titles become story labels, hostile outlets its
    counts), plus one framing claim per payload found in a story member's text, whose evidence span is the
    payload and whose mention, cue and speaker are payloads too (marked cue-fixture; the rules would rarely
    cast a payload). Returns the claims added."""
    ng.build_stories(db)
    ng.build_framing(db)
    payloads = [p for p in xss_payloads() if "<" in p]
    added = 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT a.id, a.text, m.start, m.end FROM articles a JOIN story_members s ON s.article_id = a.id"
                            " JOIN mentions m ON m.article_id = a.id AND m.entity_id IS NOT NULL GROUP BY a.id").fetchall()
        for k, (article_id, text, m_start, m_end) in enumerate(rows):
            p = next((p for p in payloads[k % len(payloads):] + payloads if p in text), None)
            if p is None:
                continue
            start = text.index(p)
            conn.execute("INSERT OR IGNORE INTO framing (article_id, mention_start, mention_end, mention_text, role, fine_role,"
                         " kind, start, end, cue, voice, weight, speaker_start, speaker_end, speaker_text)"
                         " VALUES (?, ?, ?, ?, 'Antagonist', NULL, 'loaded_term', ?, ?, ?, 'quote', 0.5, NULL, NULL, ?)",
                         (article_id, m_start, m_end, p, start, start + len(p), "cue-fixture " + p, p))
            added += 1
    return added


@pytest.fixture(scope="module")
def xss_client(xss_db: Path) -> TestClient:
    return TestClient(create_app(xss_db))


def _one(conn_path: Path, sql: str, *params: object) -> tuple:
    with sqlite3.connect(conn_path) as conn:
        return conn.execute(sql, params).fetchone()


def _all(conn_path: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(conn_path) as conn:
        return conn.execute(sql, params).fetchall()


# ------------------------------------------------------------------ an HTML checker


class InertHTML(HTMLParser):
    """Collects what could run: script elements, event-handler attributes, script-bearing
    tags, and links or sources with a scheme other than http(s)."""

    DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "meta", "math", "video", "audio",
                      "source", "img", "style", "link", "details", "body", "form"}
    OWN_TAGS = {"meta", "link", "body", "form", "details"}  # ours; checked by attribute below

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script" and not values.get("src", "").startswith(("/static/", "static/")):
            self.problems.append(f"script tag {attrs}")
        if tag in self.DANGEROUS_TAGS and tag not in self.OWN_TAGS:
            self.problems.append(f"<{tag}> {attrs}")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "srcdoc", "data", "formaction"):
                v = value.strip().lower()
                if name == "srcdoc" or v.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "meta" and "http-equiv" in values and values["http-equiv"].lower() != "content-security-policy":
            self.problems.append(f"meta {attrs}")


def assert_inert(page: str, where: str) -> None:
    checker = InertHTML()
    checker.feed(page)
    assert not checker.problems, f"{where}: {checker.problems[:5]}"
    assert not BIDI.search(page), f"{where}: bidi control character in the page"


class _Marks(HTMLParser):
    """(data-start, data-end, text content) of every element carrying data-start, nested ones included."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int, int, list[str]] | None] = []
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.open.append((tag, int(a["data-start"]), int(a["data-end"]), []) if "data-start" in a else None)

    def handle_endtag(self, tag):
        while self.open:
            top = self.open.pop()
            if top is not None:
                self.found.append((top[1], top[2], "".join(top[3])))
                if self.open and self.open[-1] is not None:
                    self.open[-1][3].append("".join(top[3]))
                elif self.open:
                    self._give(top[3])
            if top is None or top[0] == tag:
                break

    def _give(self, parts: list[str]) -> None:
        for item in reversed(self.open):
            if item is not None:
                item[3].append("".join(parts))
                return

    def handle_data(self, data):
        for item in reversed(self.open):
            if item is not None:
                item[3].append(data)
                return


def marks_match_text(page: str, text: str) -> int:
    """Every element carrying data-start/data-end wraps exactly text[start:end] (nested marks
    included: a name inside a quote); returns how many."""
    body = page[page.find('id="article-text"'):] if 'id="article-text"' in page else page
    body = body[:body.find("</div>")] if "</div>" in body else body
    parser = _Marks()
    parser.feed(body[body.find(">") + 1:])
    for start, end, inner in parser.found:
        assert inner == BIDI.sub("", text[start:end]), (start, end, inner, text[start:end])
    return len(parser.found)


# ------------------------------------------------------------------ pages on the seed corpus


def test_search_page_shows_corpus_and_results(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert "articles" in home.text and "Corpus" in home.text
    r = client.get("/", params={"q": "Soleimani"})
    assert r.status_code == 200
    assert '<mark class="hl hit"' in r.text
    assert re.search(r"\d+ articles? match", r.text)


def test_arabic_search_renders_rtl_with_highlight(client: TestClient) -> None:
    r = client.get("/", params={"q": ARABIC_NAME})
    assert r.status_code == 200
    hit = re.search(r'<li class="hit" lang="ar" dir="rtl">(.*?)</li>', r.text, re.S)
    assert hit, "the Arabic article is listed right-to-left"
    marked = re.findall(r'<mark class="hl hit"[^>]*>(.*?)</mark>', hit.group(1))
    assert marked and all(ARABIC_NAME in html.unescape(m) for m in marked)


def test_search_is_normalised_across_spellings(client: TestClient) -> None:
    # the article writes سليماني; the query uses a Persian yeh (ی) and must still match
    r = client.get("/api/search", params={"q": "سلیمانی"})
    assert any(row["lang"] == "ar" for row in r.json()["results"])


def test_search_facets_and_filters(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Soleimani"}).json()
    assert set(data) >= {"total", "results", "facets", "query", "page"}
    assert {f["value"] for f in data["facets"]["lang"]} >= {"en"}
    assert data["facets"]["entity"], "entity facet lists co-occurring entities"
    outlet = next(f["value"] for f in data["facets"]["outlet"] if f["value"])
    narrowed = client.get("/api/search", params={"q": "Soleimani", "outlet": outlet}).json()
    assert narrowed["results"] and all(r["outlet"] == outlet for r in narrowed["results"])
    entity = data["facets"]["entity"][0]["value"]
    by_entity = client.get("/api/search", params={"entity": entity}).json()
    assert by_entity["total"] >= 1
    dated = client.get("/api/search", params={"from": "2020-01-15", "to": "2020-01"}).json()
    assert dated["results"] and all("2020-01-15" <= r["date"] <= "2020-01-31" for r in dated["results"])
    page = client.get("/", params={"q": "Soleimani", "lang": "en", "entity": entity})
    assert page.status_code == 200 and "lang:" in page.text


def test_cached_facets_equal_facets_read_from_rows(seed_db: Path) -> None:
    """The server counts facets from codes cached per database; a plain connection reads the
    article rows. Both must give the same page."""
    from newsgraph.web import queries as Q
    from newsgraph.web.app import ReadOnlyDatabase

    server = ReadOnlyDatabase(seed_db).conn()
    plain = sqlite3.connect(f"file:{seed_db}?mode=ro", uri=True)
    plain.row_factory = sqlite3.Row
    entity = Q.search_articles(plain, Q.Filters(q="Iran"))["facets"]["entity"][0]["value"]
    for f in (*(Q.Filters(q=q) for q in ("Soleimani", "Iran", "Hamas", "سليماني", "the")),
              Q.Filters(), Q.Filters(lang="ar"), Q.Filters(q="Iran", lang="en"), Q.Filters(q="Iran", entity=entity)):
        cached_page, read_page = Q.search_articles(server, f), Q.search_articles(plain, f)
        assert cached_page == read_page, f
    facets = Q.search_articles(server, Q.Filters(q="Iran"))["facets"]
    assert facets["outlet"] and len(facets["entity"]) > 1, "facets are not empty"


def test_server_caches_follow_writes_by_other_processes(seed_db: Path, tmp_path: Path) -> None:
    from newsgraph.web import queries as Q
    from newsgraph.web.app import ReadOnlyDatabase

    db = tmp_path / "live.db"
    shutil.copy(seed_db, db)
    conn = ReadOnlyDatabase(db).conn()
    before = Q.search_articles(conn, Q.Filters(q="Iran"))
    assert Q.layer_status(conn)["dates"] is True
    with sqlite3.connect(db) as writer:  # another process re-labels the outlets
        writer.execute("UPDATE articles SET outlet = 'Renamed Outlet'")
    after = Q.search_articles(conn, Q.Filters(q="Iran"))
    assert [f["value"] for f in after["facets"]["outlet"]] == ["Renamed Outlet"] != before["facets"]["outlet"]
    with sqlite3.connect(db) as writer:
        writer.execute("DROP TABLE dates")
    assert Q.layer_status(conn)["dates"] is False


def test_pages_follow_writes_by_other_processes_between_requests(seed_db: Path, tmp_path: Path) -> None:
    """The server asks SQLite whether the database changed once per request: the next request sees a write."""
    db = tmp_path / "live.db"
    shutil.copy(seed_db, db)
    client = TestClient(create_app(db))
    entities = client.get("/api/search", params={"q": "Iran"}).json()["facets"]["entity"]
    assert entities and client.get("/api/stats").json()["layers"]["dates"] is True
    with sqlite3.connect(db) as writer:  # another process renames the most named entity
        writer.execute("UPDATE entities SET name = 'Renamed Entity' WHERE id = ?", (entities[0]["value"],))
        writer.execute("DROP TABLE dates")
    after = client.get("/api/search", params={"q": "Iran"}).json()["facets"]["entity"]
    assert after[0]["name"] == "Renamed Entity" != entities[0]["name"]
    assert client.get("/api/stats").json()["layers"]["dates"] is False


def test_technique_facet_and_filter(tmp_path: Path) -> None:
    """With the techniques stage run, search offers the techniques of its best matches as a
    facet, and filtering by one keeps only articles where it was found."""
    from newsgraph.pipeline import default_pipeline

    db = tmp_path / "techniques.db"
    pipeline = default_pipeline()
    for stage in ("entities", "quotes", "relations"):  # relations read the other two
        pipeline.remove(stage)
    ng.analyze([EXAMPLES / "003_55b615051a200e60.txt"], db=db, pipeline=pipeline)
    c = TestClient(create_app(db))
    data = c.get("/api/search", params={"q": "Iran"}).json()
    assert data["facets"]["technique"], "the facet lists techniques"
    technique = data["facets"]["technique"][0]["value"]
    narrowed = c.get("/api/search", params={"q": "Iran", "technique": technique}).json()
    assert narrowed["total"] == data["facets"]["technique"][0]["count"] or narrowed["total_capped"]
    with sqlite3.connect(db) as conn:
        having = {r[0] for r in conn.execute("SELECT article_id FROM techniques WHERE technique = ?", (technique,))}
    assert narrowed["results"] and {r["id"] for r in narrowed["results"]} <= having
    page = c.get("/", params={"q": "Iran", "technique": technique})
    assert page.status_code == 200 and "technique:" in page.text and ">Technique</h3>" in page.text


def test_hostile_query_strings_are_harmless(client: TestClient) -> None:
    for q in ['"', "NEAR(a b)", "a OR b AND", "*", "title:x", "'; DROP TABLE articles; --", "<script>x</script>"]:
        r = client.get("/", params={"q": q})
        assert r.status_code == 200, q
        assert "<script>x" not in r.text
        assert client.get("/api/search", params={"q": q}).status_code == 200


def test_arabic_article_reader_is_rtl_with_exact_highlights(client: TestClient, seed_db: Path) -> None:
    article_id, text = _one(seed_db, "SELECT id, text FROM articles WHERE lang = 'ar' AND instr(text, ?) > 0",
                            ARABIC_NAME)
    r = client.get(f"/article/{article_id}")
    assert r.status_code == 200
    assert 'class="reader" lang="ar" dir="rtl"' in r.text
    assert re.search(r'<p class="para [a-z]+" lang="ar" dir="rtl">', r.text)
    assert marks_match_text(r.text, text) >= 1
    assert f">{ARABIC_NAME}</" in r.text


def test_every_article_page_renders_marks_on_the_right_characters(client: TestClient, seed_db: Path) -> None:
    total = 0
    for article_id, text in _all(seed_db, "SELECT id, text FROM articles"):
        r = client.get(f"/article/{article_id}")
        assert r.status_code == 200, article_id
        total += marks_match_text(r.text, text)
        assert_inert(r.text, article_id)
    assert total > 100


def test_reader_draws_every_entity_and_quote_even_where_they_overlap(client: TestClient, seed_db: Path) -> None:
    """Names inside quotes, quotes around names: every stored span inside a kept paragraph is drawn,
    whole (its pieces together cover it), and the page says which colour is which."""
    checked = 0
    for article_id, in _all(seed_db, "SELECT id FROM articles"):
        page = client.get(f"/article/{article_id}").text
        body = page[page.find('id="article-text"'):]
        body = body[:body.find("</div>")]
        drawn: dict[tuple[str, str], set[int]] = {}
        for m in re.finditer(r'<(?:mark|a)[^>]*class="hl (ent|quote)[^"]*" data-start="(\d+)" data-end="(\d+)"[^>]*>',
                             body):
            span = re.search(r' data-span="(\d+-\d+)"', m.group(0))
            whole = span.group(1) if span else f"{m.group(2)}-{m.group(3)}"
            drawn.setdefault((m.group(1), whole), set()).update(range(int(m.group(2)), int(m.group(3))))
        paragraphs = _all(seed_db, "SELECT start, end FROM paragraphs WHERE article_id = ?", article_id)
        for layer, table in (("ent", "mentions"), ("quote", "quotes")):
            for start, end in _all(seed_db, f"SELECT start, end FROM {table} WHERE article_id = ?", article_id):
                if any(ps <= start and end <= pe for ps, pe in paragraphs):
                    assert drawn.get((layer, f"{start}-{end}")) == set(range(start, end)), (article_id, layer, start, end)
                    checked += 1
        assert 'class="legend' in page
    assert checked > 300


def test_article_reader_shows_toggles_removed_source_and_not_analysed(client: TestClient, seed_db: Path) -> None:
    article_id = _one(seed_db, "SELECT article_id FROM removed_blocks GROUP BY article_id ORDER BY count(*) DESC")[0]
    r = client.get(f"/article/{article_id}")
    for needle in ('id="toggle-ent"', 'id="toggle-date"', 'id="toggle-quotes"', "What was cut", 'class="hl ent'):
        assert needle in r.text, needle
    layers = client.get("/api/stats").json()["layers"]
    for stage in ("quotes", "techniques", "reuse"):  # a stage that has not run says so, not an error
        assert (f'data-stage="{stage}"' in r.text) == (not layers[stage]), stage
    assert not layers["techniques"] and "not analysed yet" in r.text
    rule = _one(seed_db, "SELECT rule FROM removed_blocks WHERE article_id = ?", article_id)[0]
    assert rule in r.text
    src = client.get(f"/article/{article_id}/source")
    assert src.status_code == 200 and '<mark class="hl kept' in src.text
    prefix = client.get(f"/article/{article_id[:8]}")
    assert prefix.status_code == 200 and article_id in prefix.text


def test_article_api_shape(client: TestClient, seed_db: Path) -> None:
    article_id = _one(seed_db, "SELECT article_id FROM mentions GROUP BY article_id ORDER BY count(*) DESC")[0]
    data = client.get(f"/api/articles/{article_id}").json()
    assert set(data) == {"article", "paragraphs", "mentions", "dates", "roles", "removed", "layers"}
    layers = client.get("/api/stats").json()["layers"]
    assert set(data["layers"]) == {"quotes", "techniques", "relations", "reuse"}
    text = data["article"]["text"]
    for stage, spans in data["layers"].items():
        assert (spans is None) == (not layers[stage]), stage
        for q in spans or []:
            assert text[q["start"]:q["end"]], stage
    text = data["article"]["text"]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in data["mentions"])
    source = client.get(f"/api/articles/{article_id}/source").json()
    assert source["id"] == data["article"]["document_id"] and source["text"]
    assert client.get("/api/articles/doesnotexist").status_code == 404
    assert client.get("/article/doesnotexist").status_code == 404


def test_entity_page_lists_spellings_articles_and_chart(client: TestClient, seed_db: Path) -> None:
    entity_id, name = _one(seed_db, "SELECT id, name FROM entities WHERE name LIKE '%Soleimani%'"
                                    " ORDER BY mention_count DESC")
    r = client.get(f"/entity/{entity_id}")
    assert r.status_code == 200
    spellings = {s for (s,) in _all(seed_db, "SELECT DISTINCT text FROM mentions WHERE entity_id = ?", entity_id)}
    assert len(spellings) > 1
    for s in spellings:
        assert html.escape(s, quote=False) in r.text, s
    if any("\u0600" <= ch <= "\u06ff" for s in spellings for ch in s):
        assert "Arabic" in r.text  # spellings grouped by script
    assert '<svg class="chart"' in r.text and "Co-mentioned" in r.text
    data = client.get(f"/api/entities/{entity_id}").json()
    assert data["name"] == name and data["articles"] and data["co_mentioned"] and data["by_month"]
    assert {"text", "lang", "script", "n"} <= set(data["spellings"][0])


def test_entities_outlets_timeline_graph_tables_pages(client: TestClient) -> None:
    for url, needle in [("/entities", 'id="entity-table"'), ("/entities?type=PERSON", "PERSON"),
                        ("/outlets", "Press TV"), ("/timeline", 'id="dated-articles"'),
                        ("/graph", 'data-graph="'), ("/graph?type=GPE&min_weight=2", 'data-graph="'),
                        ("/tables", "/csv/articles.csv"), ("/techniques", 'data-stage="techniques"'),
                        ("/techniques/evidence?technique=Doubt", 'data-stage="techniques"'),
                        ("/reuse", 'data-stage="reuse"')]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert needle in r.text, (url, needle)
        assert_inert(r.text, url)


def test_json_api_shapes(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["counts"]["articles"] == 15 and stats["layers"]["entities"] is True
    assert stats["layers"]["techniques"] is False and stats["layers"]["reuse"] is False
    entities = client.get("/api/entities", params={"limit": 5}).json()
    assert len(entities) == 5 and isinstance(entities[0]["aliases"], dict)
    graph = client.get("/api/graph", params={"min_weight": 2}).json()
    assert graph["nodes"] and graph["links"] and all(link["weight"] >= 2 for link in graph["links"])
    timeline = client.get("/api/timeline").json()
    assert set(timeline) == {"months", "articles", "dates"} and timeline["months"]
    outlets = client.get("/api/outlets").json()
    assert any(o["outlet"] == "Press TV" and o["articles"] >= 2 for o in outlets)
    schema = client.get("/openapi.json").json()
    assert {"/api/search", "/api/articles/{article_id}", "/api/entities/{entity_id}", "/api/graph",
            "/api/graph.graphml", "/api/timeline", "/api/outlets", "/api/tables", "/api/stats", "/api/techniques",
            "/api/techniques.csv", "/api/techniques/evidence", "/api/reuse", "/api/reuse.graphml",
            "/api/reuse.csv"} <= set(schema["paths"])
    assert client.get("/api/techniques").json()["analysed"] is False  # the seed database ran without techniques
    assert client.get("/api/reuse").json()["analysed"] is False


def test_relation_network_with_outlet_and_date_filters(client: TestClient, seed_db: Path) -> None:
    data = client.get("/api/graph", params={"edges": "relations", "limit": 2000}).json()
    with sqlite3.connect(seed_db) as conn:
        relation_ids = {r[0] for r in conn.execute("SELECT id FROM relations")}
        outlet = conn.execute("SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
                              " ORDER BY count(*) DESC").fetchone()[0]
    assert data["links"], "the seed pages state relations between named actors"
    for link in data["links"]:
        assert link["arrow"] and sum(link["kinds"].values()) == link["weight"]
        assert set(link["evidence"].split()) <= relation_ids
    page = client.get("/graph", params={"edges": "relations"})
    assert page.status_code == 200 and 'id="graph-kind"' in page.text and "co-mentions</span>" not in page.text
    graphml = client.get("/api/graph.graphml", params={"edges": "relations"})
    parsed = nx.parse_graphml(graphml.text)
    assert parsed.number_of_edges() and all(d["evidence"] for _, _, d in parsed.edges(data=True))
    everything = client.get("/api/graph", params={"limit": 2000}).json()
    one_outlet = client.get("/api/graph", params={"limit": 2000, "outlet": outlet}).json()
    nowhere = client.get("/api/graph", params={"limit": 2000, "from": "2999-01-01"}).json()
    assert 0 < len(one_outlet["links"]) < len(everything["links"]) and not nowhere["links"]


def test_entity_page_shows_relations_and_quotes_about_it(client: TestClient, seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as conn:
        entity_id = conn.execute(
            "SELECT m.entity_id FROM relations r JOIN mentions m ON m.article_id = r.article_id"
            " AND m.start = r.object_start AND m.end = r.object_end WHERE m.entity_id IS NOT NULL"
            " GROUP BY 1 ORDER BY count(*) DESC").fetchone()[0]
    entity = client.get(f"/api/entities/{entity_id}").json()
    assert entity["relations"] and all(entity_id in (r["subject_entity_id"], r["object_entity_id"]) for r in entity["relations"])
    assert isinstance(entity["quotes_about"], list)
    page = client.get(f"/entity/{entity_id}")
    assert 'id="entity-relations"' in page.text


def test_graphml_export(client: TestClient) -> None:
    r = client.get("/api/graph.graphml", params={"type": "PERSON"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    import networkx as nx

    graph = nx.read_graphml(__import__("io").BytesIO(r.content))
    assert graph.number_of_nodes() > 0 and all(d["type"] == "PERSON" for _, d in graph.nodes(data=True))


def test_csv_download_of_every_table(client: TestClient, seed_db: Path) -> None:
    import csv
    import io

    tables = client.get("/api/tables").json()
    names = {t["name"] for t in tables}
    assert {"articles", "documents", "paragraphs", "removed_blocks", "mentions", "entities", "dates", "runs"} <= names
    assert not any(n.startswith(("sqlite_", "articles_fts")) for n in names)
    for t in tables:
        r = client.get(t["csv"])
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), t["name"]
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == t["columns"] and len(rows) - 1 == t["rows"], t["name"]
    assert client.get("/csv/sqlite_master.csv").status_code == 404
    assert client.get('/csv/articles" --.csv').status_code == 404


def test_not_analysed_state_when_a_stage_table_is_absent(tmp_path: Path, seed_db: Path) -> None:
    """A database from before the entities stage (no mentions/entities/dates tables)."""
    old = tmp_path / "old.db"
    shutil.copy(seed_db, old)
    with sqlite3.connect(old) as conn:
        conn.executescript("DROP TABLE mentions; DROP TABLE entities; DROP TABLE article_roles; DROP TABLE dates;"
                           " DROP TABLE techniques; DROP TABLE reuse;")
    c = TestClient(create_app(old))
    article_id = _one(old, "SELECT id FROM articles")[0]
    for url in ("/", "/?q=Iran", f"/article/{article_id}", "/entities", "/timeline", "/graph", "/outlets", "/tables",
                "/techniques", "/techniques/evidence?technique=Doubt", "/reuse", "/api/techniques", "/api/reuse",
                "/api/reuse.csv", "/api/reuse.graphml", "/api/techniques.csv"):
        r = c.get(url)
        assert r.status_code == 200, url
    assert 'data-stage="techniques"' in c.get("/techniques").text and 'data-stage="reuse"' in c.get("/reuse").text
    assert 'data-stage="entities"' in c.get(f"/article/{article_id}").text
    assert 'data-stage="entities"' in c.get("/entities").text


# ------------------------------------------------------------------ security


def test_security_headers(client: TestClient) -> None:
    for url in ("/", "/api/stats", "/static/app.js", "/article/nope"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_no_inline_scripts_in_templates() -> None:
    templates = Path(__import__("newsgraph.web.render", fromlist=["TEMPLATES"]).TEMPLATES)
    for path in templates.glob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path.name
        assert not re.search(r"\son[a-z]+=", source), path.name
        assert "|safe" not in source.replace(" ", ""), path.name


def test_loopback_by_default_and_token_required_elsewhere() -> None:
    import inspect

    from newsgraph.web import commands

    assert inspect.signature(commands.serve).parameters["host"].default.default == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert token_problem("127.0.0.1", None) is None
    assert token_problem("0.0.0.0", None) and token_problem("0.0.0.0", "") is not None
    assert token_problem("0.0.0.0", "s3cret") is None


def test_cli_refuses_public_bind_without_token(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from newsgraph.cli import app
    from newsgraph.web import commands

    monkeypatch.delenv("NEWSGRAPH_TOKEN", raising=False)
    started: list[tuple] = []
    monkeypatch.setattr(commands, "run_server", lambda *args: started.append(args))
    runner = CliRunner()
    refused = runner.invoke(app, ["serve", "--db", str(seed_db), "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and not started
    ok = runner.invoke(app, ["serve", "--db", str(seed_db)])
    assert ok.exit_code == 0 and started[-1][1] == "127.0.0.1" and started[-1][3] is None
    public = runner.invoke(app, ["serve", "--db", str(seed_db), "--host", "0.0.0.0", "--token", "s3cret"])
    assert public.exit_code == 0 and started[-1][1:4] == ("0.0.0.0", 8000, "s3cret")


def test_workers_share_connections_evenly(seed_db: Path) -> None:
    """``newsgraph serve --workers 2``: twenty clients that connect at once and keep their
    connections are split evenly between the two worker processes (uvloop's accept loop alone
    gave one worker most of a burst), and every request is answered."""
    import socket
    import subprocess
    import sys
    import time
    from http.client import HTTPConnection

    import psutil  # a test dependency
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(seed_db), "--port", str(port),
                               "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    clients: list[HTTPConnection] = []
    try:
        deadline = time.monotonic() + 60
        while len(psutil.Process(server.pid).children()) < 2 or not _accepts(port):
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        time.sleep(1)  # both workers listening
        for _ in range(20):  # connected at once: they wait together in the listening socket's queue
            clients.append(HTTPConnection("127.0.0.1", port, timeout=30))
            clients[-1].connect()
        statuses = []
        for conn in clients:
            conn.request("GET", "/?q=Iran")
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        assert statuses == [200] * 20
        on_port = [[c.status for c in child.net_connections("tcp") if c.laddr.port == port]
                   for child in psutil.Process(server.pid).children()]
        held = [states.count("ESTABLISHED") for states in on_port if "LISTEN" in states]  # the workers
        assert sorted(held) in ([10, 10], [9, 11]), held
    finally:
        for conn in clients:
            conn.close()
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()


def _accepts(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_token_enforced_on_every_request(seed_db: Path) -> None:
    c = TestClient(create_app(seed_db, token="s3cret"))
    for url in ("/", "/api/stats", "/static/app.css", "/csv/articles.csv", "/openapi.json", "/article/x"):
        assert c.get(url).status_code == 401, url
    assert c.get("/", headers={"X-Newsgraph-Token": "wrong"}).status_code == 401
    assert c.get("/api/stats", headers={"X-Newsgraph-Token": "s3cret"}).status_code == 200
    assert c.get("/api/stats", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    first = c.get("/?token=s3cret")
    assert first.status_code == 200 and "HttpOnly" in first.headers["set-cookie"]
    assert c.get("/entities").status_code == 200  # the cookie carries it on
    fresh = TestClient(create_app(seed_db, token="s3cret"))
    assert fresh.get("/?token=s3cre").status_code == 401


def test_read_only(client: TestClient, seed_db: Path) -> None:
    before = hashlib.sha256(seed_db.read_bytes()).hexdigest()
    for url in ("/", "/?q=Iran", "/entities", "/graph", "/timeline", "/outlets", "/tables", "/api/stats", "/techniques",
                "/reuse"):
        client.get(url)
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/api/articles/x").status_code == 405
        assert getattr(client, method)("/").status_code == 405
    conn = client.app.state.database.conn()
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM articles")
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("CREATE TABLE x (a)")
    assert hashlib.sha256(seed_db.read_bytes()).hexdigest() == before


# ------------------------------------------------------------------ XSS corpus


def test_xss_corpus_is_large_enough() -> None:
    payloads = xss_payloads()
    assert len(payloads) >= 20
    assert any(BIDI.search(p) for p in payloads)
    assert any("javascript:" in p for p in payloads) and any("onerror" in p for p in payloads)


def xss_urls(db: Path) -> list[str]:
    urls = ["/", "/?q=xss", "/?q=window", "/?q=" + "<script>window.__xss=true</script>", "/entities", "/graph",
            "/timeline", "/outlets", "/tables"]
    urls += [f"/?outlet={o}" for (o,) in _all(db, "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")][:5]
    for (article_id,) in _all(db, "SELECT id FROM articles"):
        urls += [f"/article/{article_id}", f"/article/{article_id}/source"]
    urls += [f"/entity/{e}" for (e,) in _all(db, "SELECT id FROM entities ORDER BY mention_count DESC LIMIT 40")]
    urls += [f"/entity/{e}" for (e,) in _all(db, "SELECT DISTINCT entity_id FROM article_roles")]
    urls += ["/techniques", "/reuse", "/reuse?kind=near", "/reuse?kind=passage", "/reuse?clusters_page=2"]
    urls += [f"/reuse/cluster/{c}" for (c,) in _all(db, "SELECT id FROM reuse_clusters ORDER BY holders DESC LIMIT 10")]
    outlets = [o for (o,) in _all(db, "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL LIMIT 8")]
    techniques = [t for (t,) in _all(db, "SELECT DISTINCT technique FROM techniques")]
    urls += ["/techniques?" + urlencode({"outlet": o}) for o in outlets]
    urls += ["/techniques/evidence?" + urlencode({"technique": t}) for t in techniques]
    urls += ["/techniques/evidence?" + urlencode({"technique": techniques[0], "outlet": o}) for o in outlets]
    urls += ["/stories", "/stories?min_size=1"] + ["/stories?" + urlencode({"outlet": o}) for o in outlets]
    stories = [sid for (sid,) in _all(db, "SELECT id FROM stories ORDER BY size DESC LIMIT 10")]
    urls += [f"/story/{sid}" for sid in stories] + ["/?" + urlencode({"story": sid}) for sid in stories]
    return urls


def test_xss_corpus_reaches_the_dashboard_and_the_reuse_graph(xss_client: TestClient) -> None:
    """Hostile outlet names are nodes of the reuse graph and columns of the dashboard (so the
    pages checked below really render them)."""
    payloads = [p for p in xss_payloads() if "<" in p]
    nodes = [n["label"] for n in xss_client.get("/api/reuse").json()["graph"]["nodes"]]
    assert sum(any(p in n for p in payloads) for n in nodes) >= 5, nodes
    outlets = [o["outlet"] for o in xss_client.get("/api/techniques").json()["outlets"]]
    assert sum(any(p in o for p in payloads) for o in outlets) >= 5


def test_xss_corpus_reaches_the_story_pages(xss_client: TestClient, xss_db: Path) -> None:
    """Hostile titles are story labels, hostile outlets story counts, and payloads are framing evidence,
    actor spellings and speakers on the story page (so the pages checked below really render them)."""
    payloads = [p for p in xss_payloads() if "<" in p]
    listing = xss_client.get("/api/stories", params={"min_size": 1}).json()["stories"]
    labels = [v["title"] for s in listing for v in s["labels"].values()]
    assert any(any(p in label for p in payloads) for label in labels), labels
    assert any(any(p in o for p in payloads) for s in listing for o in s["outlets"])
    shown = [e for s in listing for a in xss_client.get(f"/api/stories/{s['id']}").json()["framing"]
             for o in a["by_outlet"] for e in o["evidence"] if e["text"] in payloads]
    assert len(shown) >= 3 and all(e["speaker_text"] in payloads for e in shown)


def test_xss_payloads_are_stored_as_text(xss_db: Path) -> None:
    """The corpus really reached the pages: payloads are in article text, titles, outlets, authors."""
    texts = " ".join(t for (t,) in _all(xss_db, "SELECT text FROM articles"))
    titles = " ".join(t or "" for (t,) in _all(xss_db, "SELECT coalesce(title, '') || outlet || author FROM articles"))
    payloads = xss_payloads()
    in_text = [p for p in payloads if p in texts]
    in_meta = [p for p in payloads if p in titles]
    assert len(in_text) >= 20 and len(in_meta) >= 20, (len(in_text), len(in_meta))


def test_no_payload_survives_unescaped_in_any_page(xss_client: TestClient, xss_db: Path) -> None:
    payloads = [p for p in xss_payloads() if "<" in p]
    urls = xss_urls(xss_db)
    assert len(urls) > 40
    for url in urls:
        r = xss_client.get(url)
        assert r.status_code == 200, url
        for p in payloads:
            assert p not in r.text, (url, p)
        assert_inert(r.text, url)


def test_javascript_urls_from_documents_never_become_links(xss_client: TestClient, xss_db: Path) -> None:
    for (article_id,) in _all(xss_db, "SELECT id FROM articles WHERE source LIKE '%javascript:%'"):
        page = xss_client.get(f"/article/{article_id}").text
        assert not re.search(r'href="\s*(javascript|data|vbscript):', page, re.I)


def test_xss_report_is_inert(xss_db: Path, tmp_path: Path) -> None:
    from newsgraph.web.report import write_report

    counts = write_report(xss_db, tmp_path / "report")
    assert counts["articles"] > 0
    pages = list((tmp_path / "report").glob("*.html"))
    assert len(pages) == counts["pages"]
    payloads = [p for p in xss_payloads() if "<" in p]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not any(p in text for p in payloads), page.name
        assert_inert(text, page.name)


# ------------------------------------------------------------------ static report


def test_static_report(seed_db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsgraph.cli import app

    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--db", str(seed_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Corpus report" in index and "Content-Security-Policy" in index
    articles = list(out.glob("article-*.html"))
    assert len(articles) == 15
    assert list(out.glob("entity-*.html")) and (out / "graph.html").exists() and (out / "static/graph.js").exists()
    arabic = _one(seed_db, "SELECT id FROM articles WHERE lang = 'ar' AND instr(text, ?) > 0", ARABIC_NAME)[0]
    assert 'dir="rtl"' in (out / f"article-{arabic}.html").read_text(encoding="utf-8")
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text.replace('href="http', 'href="ok')), page.name
        for link in re.findall(r'href="([^"#?]+)"', text):
            if not link.startswith(("http://", "https://")):
                assert (out / html.unescape(link)).exists(), (page.name, link)


# ------------------------------------------------------------------ technique dashboard and reuse graph
# (on conftest's corpus with planted reuse, through the full pipeline and the reuse stage)


@pytest.fixture(scope="module")
def dash_client(reuse_db: Path) -> TestClient:
    return TestClient(create_app(reuse_db))


CELL = re.compile(r'<a href="(/techniques/evidence\?[^"]+)" title="(\d+) spans \(([\d.]+) per 1,000 words before weighting\)')
MIN_CONF = 0.1  # the dashboard's default minimum confidence (web.queries.DEFAULT_MIN_CONFIDENCE)


def test_technique_dashboard_cells_link_to_their_evidence(dash_client: TestClient, reuse_db: Path) -> None:
    r = dash_client.get("/techniques")
    assert r.status_code == 200
    assert_inert(r.text, "/techniques")
    for needle in ('id="by-outlet"', 'id="by-month"', '<svg class="chart"', 'id="nav-techniques"', "Wire A", "2024-02"):
        assert needle in r.text, needle
    cells = CELL.findall(r.text)
    stats = ng.technique_stats(reuse_db, by=("outlet",), min_confidence=MIN_CONF) + \
        ng.technique_stats(reuse_db, by=("month",), min_confidence=MIN_CONF)
    assert len(cells) == len(stats) + len(ng.technique_stats(reuse_db, by=(), min_confidence=MIN_CONF)), \
        "one link per non-empty cell"
    assert 'id="method-mix"' in r.text and "minimum confidence" in r.text
    texts = dict(_all(reuse_db, "SELECT id, text FROM articles"))
    for href, spans, _words in cells:
        api = href.replace("&amp;", "&").replace("/techniques/", "/api/techniques/", 1) + "&limit=500"
        evidence = dash_client.get(api).json()
        assert evidence["total"] == int(spans) == len(evidence["spans"]), href
        for s in evidence["spans"]:
            assert s["evidence"] == texts[s["article_id"]][s["start"]:s["end"]]
            assert texts[s["article_id"]][:s["start"]].endswith(s["context_before"])
    page = dash_client.get(cells[0][0].replace("&amp;", "&"))
    assert page.status_code == 200 and 'class="hl technique evidence-span"' in page.text
    assert_inert(page.text, "evidence")


def test_technique_dashboard_json_is_the_cli_statistics(dash_client: TestClient, reuse_db: Path) -> None:
    data = dash_client.get("/api/techniques").json()
    assert data["analysed"] is True
    assert data["min_confidence"] == MIN_CONF
    assert data["by_outlet"] == ng.technique_stats(reuse_db, by=("outlet",), min_confidence=MIN_CONF)
    assert data["by_month"] == ng.technique_stats(reuse_db, by=("month",), min_confidence=MIN_CONF)
    confidences = [c for (c,) in _all(reuse_db, "SELECT confidence FROM techniques")]
    kept = [c for c in confidences if c >= MIN_CONF]
    assert sum(r["spans"] for r in data["overall"]) == len(kept)
    assert abs(sum(r["expected"] for r in data["overall"]) - sum(kept)) < 0.01 * max(1, len(kept))
    for row in data["overall"]:
        assert row["weighted_per_1000_words"] == round(1000 * row["expected"] / row["words"], 2)
        assert row["weighted_per_1000_words"] <= row["per_1000_words"]
    assert sum(m["spans"] for m in data["methods"]) == len(kept)
    everything = dash_client.get("/api/techniques", params={"min_conf": 0}).json()
    assert sum(r["spans"] for r in everything["overall"]) == len(confidences)
    assert {m["month"] for m in data["months"]} == {"", "2024-01", "2024-02"}
    for total in data["month_totals"]:
        spans = sum(r["spans"] for r in data["by_month"] if r["month"] == total["month"])
        assert total["spans"] == spans and total["per_1000_words"] == round(1000 * spans / total["words"], 2)
    arabic = dash_client.get("/api/techniques", params={"lang": "ar"}).json()
    assert {o["outlet"] for o in arabic["outlets"]} == {"الأخبار"}
    assert arabic["by_outlet"] == ng.technique_stats(reuse_db, lang="ar", by=("outlet",), min_confidence=MIN_CONF)
    one = dash_client.get("/api/techniques", params={"outlet": "Daily B"}).json()
    assert {o["outlet"] for o in one["outlets"]} == {"Daily B"} and all(r["outlet"] == "Daily B" for r in one["by_outlet"])
    page = dash_client.get("/techniques", params={"outlet": "Daily B", "lang": "en"})
    assert page.status_code == 200 and '<option value="Daily B" selected' in page.text


def test_technique_csv_downloads(dash_client: TestClient, reuse_db: Path) -> None:
    import csv
    import io

    for by, keys in (("outlet,month", ("outlet", "month")), ("month", ("month",)), ("", ())):
        r = dash_client.get("/api/techniques.csv", params={"by": by})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        expected = ng.technique_stats(reuse_db, by=keys)
        assert [(x["technique"], *(x[k] for k in keys), int(x["spans"]), float(x["per_1000_words"])) for x in rows] == \
            [(x["technique"], *(x[k] for k in keys), x["spans"], x["per_1000_words"]) for x in expected]
    assert dash_client.get("/api/techniques.csv", params={"by": "technique; DROP"}).status_code == 422


def test_reuse_page_graph_pairs_and_downloads(dash_client: TestClient, reuse_db: Path, tmp_path: Path) -> None:
    import csv
    import io

    import networkx as nx

    data = dash_client.get("/api/reuse").json()
    assert data["analysed"] is True
    links = {(link["source"], link["target"]): link for link in data["graph"]["links"]}
    assert links["Wire A", "Gazette C"]["kinds"]["exact"] == 1 and links["Wire A", "Gazette C"]["arrow"]
    assert links["Daily B", "Gazette C"]["arrow"] is False  # undated copy: no likely original
    r = dash_client.get("/reuse")
    assert r.status_code == 200
    assert_inert(r.text, "/reuse")
    assert 'data-graph="' in r.text and 'id="graph-kind"' in r.text and 'id="nav-reuse"' in r.text
    rows = re.findall(r'<tr class="pair">(.*?)</tr>', r.text, re.S)
    assert len(rows) == data["total_pairs"] == len(data["pairs"]) >= 3
    for row, pair in zip(rows, data["pairs"]):
        assert f'href="/article/{pair["from_id"]}"' in row and f'href="/article/{pair["to_id"]}"' in row
    exact = dash_client.get("/api/reuse", params={"kind": "exact"}).json()
    assert {p["kind"] for p in exact["pairs"]} == {"exact"}
    assert [(link["source"], link["target"]) for link in exact["graph"]["links"]] == [("Wire A", "Gazette C")]
    assert dash_client.get("/api/reuse", params={"kind": "repetition"}).status_code == 422
    # the GraphML download is the file `newsgraph export` writes
    ng.export(reuse_db, tmp_path, "jsonl")
    exported = nx.read_graphml(tmp_path / "reuse.graphml")
    downloaded = nx.read_graphml(io.BytesIO(dash_client.get("/api/reuse.graphml").content))
    assert sorted(downloaded.edges(data=True)) == sorted(exported.edges(data=True))
    assert dict(downloaded.nodes(data=True)) == dict(exported.nodes(data=True))
    passage_only = nx.read_graphml(io.BytesIO(dash_client.get("/api/reuse.graphml", params={"kind": "passage"}).content))
    assert not passage_only.has_edge("Wire A", "Gazette C") and passage_only.has_edge("Wire A", "Daily B")
    pairs_csv = list(csv.DictReader(io.StringIO(dash_client.get("/api/reuse.csv").text)))
    assert [(p["from_id"], p["to_id"], p["kind"]) for p in pairs_csv] == \
        [(p["from_id"], p["to_id"], p["kind"]) for p in data["pairs"]]


def test_article_reader_shows_reused_passages_side_by_side(dash_client: TestClient, reuse_db: Path) -> None:
    texts = dict(_all(reuse_db, "SELECT title, text FROM articles"))
    ids = dict(_all(reuse_db, "SELECT title, id FROM articles"))
    borrowed, original = ids["Borrowed one"], ids["Original one"]
    data = dash_client.get(f"/api/articles/{borrowed}").json()
    rows = data["layers"]["reuse"]
    assert rows and all(r["other_id"] == original and r["original"] == "other" for r in rows)
    for r in rows:
        assert r["other_text"] == texts["Original one"][r["other_start"]:r["other_end"]][:len(r["other_text"])]
    page = dash_client.get(f"/article/{borrowed}").text
    assert_inert(page, "reader")
    assert marks_match_text(page, texts["Borrowed one"]) > 0
    marks = re.findall(r'<a href="([^"]+)" class="hl reuse[^"]*" data-start="(\d+)" data-end="(\d+)"', page)
    assert marks and all(href == f"/article/{original}" for href, _, _ in marks)
    r = rows[0]
    assert all(r["start"] <= int(a) and int(b) <= r["end"] for _, a, b in marks)
    side = re.search(r'<div class="side-by-side">(.*?)</li>', page, re.S).group(1)
    assert f'href="/article/{original}"' in side and "likely original" in page
    passage = texts["Borrowed one"][r["start"]:r["end"]]
    quotes = [html.unescape(q) for q in re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", side, re.S)]
    assert quotes[0].startswith(passage[:200]) and quotes[1].startswith(texts["Original one"][r["other_start"]:][:200])
    # the other way round: the original names its copy
    back = dash_client.get(f"/api/articles/{original}").json()["layers"]["reuse"]
    assert {(x["other_id"], x["original"]) for x in back} >= {(borrowed, "this"), (ids["Copied one"], "this")}


def test_static_report_has_the_dashboard_and_the_reuse_graph(reuse_db: Path, tmp_path: Path) -> None:
    from newsgraph.web.report import write_report

    out = tmp_path / "report"
    write_report(reuse_db, out)
    techniques = (out / "techniques.html").read_text(encoding="utf-8")
    reuse = (out / "reuse.html").read_text(encoding="utf-8")
    assert 'id="by-outlet"' in techniques and 'data-graph="' in reuse and 'class="pair"' in reuse
    evidence = {html.unescape(h) for h in re.findall(r'href="(technique-[^"]+\.html)"', techniques)}
    assert evidence and evidence == {p.name for p in out.glob("technique-*.html")}
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert_inert(text, page.name)
        for link in re.findall(r'href="([^"#?]+)"', text):
            if not link.startswith(("http://", "https://")):
                assert (out / html.unescape(link)).exists(), (page.name, link)


def test_search_operators_phrases_and_notes(client: TestClient) -> None:
    """OR, NOT / -word, "phrases" and NEAR work; what the search changed or left out is said."""
    def total(**params: str) -> int:
        return client.get("/api/search", params=params).json()["total"]

    soleimani, hamas = total(q="Soleimani"), total(q="Hamas")
    either, both = total(q="Soleimani OR Hamas"), total(q="Soleimani Hamas")
    assert either >= max(soleimani, hamas) and both <= min(soleimani, hamas) and either > both
    assert total(q="Soleimani -Hamas") == soleimani - both == total(q="Soleimani NOT Hamas")
    arabic = total(q=f"{ARABIC_NAME} OR هنية")
    assert arabic >= total(q=ARABIC_NAME) > 0
    assert 0 < total(q='"Quds Force"') <= total(q="Quds Force")
    assert 0 < total(q="Soleimani NEAR/5 Quds") <= total(q="Soleimani Quds")
    r = client.get("/api/search", params={"q": "word " * 200 + "Soleimani", "from": "notadate"}).json()
    assert any("500 characters" in n for n in r["notes"]) and any("notadate" in n for n in r["notes"])
    page = client.get("/", params={"q": "NOT Hamas", "from": "notadate"}).text
    assert 'class="notice"' in page and "notadate" in page and "Hamas" in page
    assert client.get("/", params={"q": '(( " NEAR/ OR ) -'}).status_code == 200


def test_entity_page_is_readable_and_counts_undated_mentions(client: TestClient, seed_db: Path) -> None:
    """A much-quoted actor's page shows ten quotes and folds the rest; mentions in undated articles
    are counted, not silently dropped from the chart."""
    entity_id, = _one(seed_db, "SELECT m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id"
                               " WHERE a.date IS NULL AND m.entity_id IS NOT NULL"
                               " GROUP BY m.entity_id ORDER BY count(*) DESC")
    undated, = _one(seed_db, "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
                             " WHERE m.entity_id = ? AND a.date IS NULL", entity_id)
    page = client.get(f"/entity/{entity_id}").text
    assert re.search(rf'id="undated">Not on the chart: {undated} mentions? in \d+ articles? with no date', page)


QUOTE_GROUP = re.compile(r'<section class="quote-group" data-article="([^"]+)" data-quotes="(\d+)">(.*?)</section>', re.S)


def test_entity_quotes_are_grouped_by_article_with_their_counts(client: TestClient, seed_db: Path) -> None:
    """The most-quoted speaker's page: one group per article holding its quotes, each group's count the
    stored count, its first three quotes open and the rest folded, newest article first."""
    by = ("FROM quotes q JOIN mentions m ON m.article_id = q.article_id AND m.start = q.speaker_mention_start"
          " AND m.end = q.speaker_mention_end WHERE m.entity_id IS NOT NULL")
    entity_id, total = _one(seed_db, f"SELECT m.entity_id, count(DISTINCT q.article_id || ':' || q.start) AS n {by}"
                                     " GROUP BY 1 ORDER BY n DESC")
    per_article = dict(_all(seed_db, f"SELECT q.article_id, count(DISTINCT q.start) {by} AND m.entity_id = ?"
                                     " GROUP BY 1", entity_id))
    assert total > 10
    page = client.get(f"/entity/{entity_id}").text
    section = page.split('id="quotes-by"')[1].split('id="quotes-about"')[0]
    groups = QUOTE_GROUP.findall(section)
    assert {a: int(n) for a, n, _ in groups} == per_article and any(int(n) > 3 for _, n, _ in groups)
    assert re.search(rf'id="quotes-by-count"[^>]*>{total} quotes in {len(groups)} articles?, newest article first',
                     section)
    for _, n, body in groups:
        assert body.count('<li class="quote">') == int(n) and re.search(rf"· {n} quotes?</span>", body)
        assert body.split("<details")[0].count('<li class="quote">') == min(3, int(n))
    dates = dict(_all(seed_db, "SELECT id, coalesce(date, '') FROM articles"))
    order = [dates[a] for a, _, _ in groups]
    dated = [d for d in order if d]
    assert dated == sorted(dated, reverse=True) and order == dated + [""] * (len(order) - len(dated))


def test_network_opens_readable_with_a_legend(client: TestClient) -> None:
    """The co-mention network opens with few enough links to read (not 150 nodes and 1,500 links),
    says so, and names its colours; min_weight=1 still shows everything."""
    page = client.get("/graph").text
    data = json.loads(html.unescape(re.search(r'data-graph="([^"]*)"', page).group(1)))
    assert 0 < len(data["links"]) <= 200 and len(data["nodes"]) <= 60
    assert 'class="legend graph-legend"' in page and "dot-PERSON" in page
    everything = json.loads(html.unescape(re.search(r'data-graph="([^"]*)"',
                                                    client.get("/graph", params={"min_weight": 1, "limit": 150}).text).group(1)))
    assert len(everything["links"]) >= len(data["links"])
    if len(everything["links"]) > 200:
        assert 'id="graph-auto-weight"' in page


def test_reuse_page_says_when_there_is_no_network(dash_client: TestClient) -> None:
    page = dash_client.get("/reuse", params={"kind": "exact", "min_weight": 100000}).text
    assert 'id="reuse-empty"' in page and "no network to draw" in page
    assert 'id="reuse-empty"' not in dash_client.get("/reuse").text


def test_search_in_one_script_offers_the_others(client: TestClient) -> None:
    page = client.get("/", params={"q": ARABIC_NAME}).text
    offer = re.search(r'<p class="spellings" id="other-spellings"[^>]*>(.*?)</p>', page, re.S)
    assert offer and "Soleimani" in offer.group(1) and "search every spelling" in offer.group(1)
    href = html.unescape(re.search(r'href="([^"]+)">search every spelling', offer.group(1)).group(1))
    wide = client.get(href).text
    assert int(re.search(r'id="result-count">(\d+)', wide).group(1)) > int(re.search(r'id="result-count">(\d+)', page).group(1))
    assert 'id="other-spellings"' not in client.get("/", params={"q": "the"}).text


def test_other_spellings_leave_out_a_lone_given_name() -> None:
    """«قاسم» alone, an alias of Qassem Soleimani, would find every Qasem: it is offered only inside full names."""
    from newsgraph.web.queries import other_spellings

    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE mentions (x); CREATE TABLE article_roles (x);"
                       "CREATE TABLE entities (id, name, type, aliases, mention_count)")
    aliases = {"fa": ["قاسم", "قاسم سلیمانی", "حاج قاسم"], "en": ["Soleimani", "Qassem Soleimani"], "ar": ["سليماني"]}
    conn.execute("INSERT INTO entities VALUES ('e1', 'Qassem Soleimani', 'PERSON', ?, 9)",
                 (json.dumps(aliases, ensure_ascii=False),))
    offer = other_spellings(conn, "سليماني")
    assert offer and {sp for _, sp in offer["others"]} == {"قاسم سلیمانی", "حاج قاسم", "Soleimani", "Qassem Soleimani"}


# ------------------------------------------------------------------ reuse clusters (the most-copied passages)


@pytest.fixture(scope="module")
def cluster_client(cluster_db: dict) -> TestClient:
    return TestClient(create_app(cluster_db["db"]))


CLUSTER_ITEM = re.compile(r'<li class="cluster" id="cluster-([^"]+)" data-cluster="[^"]+" data-holders="(\d+)"'
                          r' data-spans="(\d+)">(.*?)</li>', re.S)
HOLDER_LINK = re.compile(r'<tr class="holder" data-article="([^"]+)"><td><a href="/article/([^"?]+)\?at=(\d+)-(\d+)#at"')


def _passage_shown(body: str) -> str:
    return html.unescape(re.search(r'<blockquote class="passage"[^>]*>(.*?)</blockquote>', body, re.S).group(1))


def test_reuse_page_lists_clusters_as_stored_most_holders_first(cluster_client: TestClient, cluster_db: dict) -> None:
    """Every cluster drawn is a stored cluster, in the store's order (most holders, then outlets), with
    its stored holder count, and its holder rows are its stored members, each linking to the reader at
    its span; the footer of outlet0 is listed as that outlet's boilerplate, never as a cluster."""
    db = cluster_db["db"]
    stored = _all(db, "SELECT id, holders, text FROM reuse_clusters ORDER BY holders DESC,"
                      " json_array_length(outlets) DESC, id")
    assert [h for _, h, _ in stored][:2] == [12, 5]
    page = cluster_client.get("/reuse").text
    assert_inert(page, "/reuse")
    items = CLUSTER_ITEM.findall(page)
    assert [(cid, int(h)) for cid, h, _, _ in items] == [(cid, h) for cid, h, _ in stored]
    assert re.search(rf'id="cluster-count"[^>]*>{len(stored)} clusters?:', page)
    texts = {cid: text for cid, _, text in stored}
    for cid, holders, spans, body in items:
        members = _all(db, "SELECT article_id, start, end FROM reuse_cluster_members WHERE cluster_id = ?", cid)
        assert int(spans) == len(members) and int(holders) == len({m[0] for m in members})
        links = HOLDER_LINK.findall(body)
        assert sorted((a, int(s), int(e)) for row, a, s, e in links if row == a) == sorted(members)
        assert _passage_shown(body).rstrip("…") == texts[cid][:700]
    top = dict((cid, body) for cid, _, _, body in items)[stored[0][0]]
    assert {a for _, a, _, _ in HOLDER_LINK.findall(top)} == {cluster_db["original"], *cluster_db["holders"]}
    plates = re.findall(r'<tr class="plate"><td><bdi>([^<]*)</bdi></td><td>(\d+)</td>', page)
    assert plates and plates[0][0] == "outlet0" and int(plates[0][1]) >= 28
    footer = cluster_db["footer"][:60]
    assert footer in page.split('id="boilerplate"')[1] and not any(footer in t for t in texts.values())


def test_a_hostile_passage_is_shown_as_text_with_its_original_and_why(cluster_client: TestClient,
                                                                       cluster_db: dict) -> None:
    from conftest import HOSTILE_PASSAGE

    db, original = cluster_db["db"], cluster_db["hostile_original"]
    cid, text, start, end = _one(db, "SELECT id, text, start, end FROM reuse_clusters WHERE source_article_id = ?",
                                 original)
    assert HOSTILE_PASSAGE[:120] in text
    for url in ("/reuse", f"/reuse/cluster/{cid}"):
        page = cluster_client.get(url).text
        assert_inert(page, url)
        assert "<script>window.__xss" not in page and 'href="javascript:' not in page
        body = next(b for c, _, _, b in CLUSTER_ITEM.findall(page) if c == cid)
        assert _passage_shown(body).rstrip("…") == text[:700]
        why = re.search(r'<p class="why"[^>]*>(.*?)</p>', body, re.S).group(1)
        assert f'href="/article/{original}?at={start}-{end}#at"' in why
        assert "why: earliest date: 2024-01-01 (the next holder is dated 2024-01-03)" in " ".join(why.split())
    data = cluster_client.get(f"/api/reuse/clusters/{cid}").json()
    assert data["text"] == text and data["holders"] == 5 and data["source_article_id"] == original
    assert data["evidence"].startswith("earliest date: 2024-01-01")
    assert cluster_client.get("/api/reuse/clusters/nothing").status_code == 404


def test_a_holder_link_opens_the_reader_with_the_passage_outlined(cluster_client: TestClient,
                                                                  cluster_db: dict) -> None:
    db = cluster_db["db"]
    article_id, start, end = _one(db, "SELECT article_id, start, end FROM reuse_cluster_members"
                                      " WHERE article_id = ?", cluster_db["holders"][3])
    text, = _one(db, "SELECT text FROM articles WHERE id = ?", article_id)
    page = cluster_client.get(f"/article/{article_id}", params={"at": f"{start}-{end}"}).text
    assert 'id="at"' in page and 'id="at-note"' in page
    marks_match_text(page, text)
    pieces = [(int(a), int(b)) for a, b in re.findall(r'class="hl at" data-start="(\d+)" data-end="(\d+)"', page)]
    assert pieces and pieces[0][0] == start and pieces[-1][1] == end
    assert all(b == c for (_, b), (c, _) in zip(pieces, pieces[1:]))  # one paragraph: contiguous pieces
    bad = cluster_client.get(f"/article/{article_id}", params={"at": "5-999999999"}).text
    assert 'class="hl at"' not in bad and "not a span of this article" in bad


def test_an_older_database_without_clusters_still_shows_its_reuse(cluster_db: dict, tmp_path: Path) -> None:
    """A database written before migration 11 (no reuse.cluster_id, no clusters or boilerplate tables),
    opened read-only: the reuse page lists its pairs and says the clusters need a new reuse run."""
    from conftest import older_database

    old = older_database(cluster_db["db"], tmp_path / "v10.db", 10)
    c = TestClient(create_app(old))
    page = c.get("/reuse").text
    assert 'id="clusters-absent"' in page and 'id="boilerplate-absent"' in page and "<li class=\"cluster\"" not in page
    pairs = c.get("/api/reuse").json()
    assert pairs["total_pairs"] > 0 and len(re.findall(r'<tr class="pair">', page)) == min(100, pairs["total_pairs"])
    assert c.get("/api/reuse/clusters").json() == {"analysed": True, "page": 1, "stored": False, "total": 0,
                                                   "clusters": []}
    article_id, = _one(old, "SELECT a_article_id FROM reuse WHERE kind = 'passage'")
    assert c.get(f"/article/{article_id}").status_code == 200
    assert c.get(f"/api/articles/{article_id}").json()["layers"]["reuse"]


def _graph_data(page: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-graph="([^"]*)"', page).group(1)))


def test_network_colours_communities_with_a_legend_and_shows_more_on_request(client: TestClient) -> None:
    """Every node drawn has a community of the network drawn; the legend lists each with the number
    of nodes drawn in it; the partition is a real one (positive modularity on the links drawn);
    "show more" doubles the node and link caps and yields a larger network within them."""
    page = client.get("/graph").text
    data = _graph_data(page)
    linked = {x for link in data["links"] for x in (link["source"], link["target"])}
    assert {n["id"] for n in data["nodes"]} == linked  # no node drawn without a link
    drawn = nx.Graph()
    drawn.add_weighted_edges_from((link["source"], link["target"], link["weight"]) for link in data["links"])
    by_community: dict[int, set] = {}
    for n in data["nodes"]:
        by_community.setdefault(n["community"], set()).add(n["id"])
    legend = {int(c): int(size) for c, size in re.findall(r'data-community="(\d+)" data-size="(\d+)"', page)}
    assert legend == {c: len(members) for c, members in by_community.items()}
    assert len(legend) >= 2 and nx.community.modularity(drawn, list(by_community.values())) > 0.1
    assert 'id="graph-colour"' in page and 'data-legend="type" hidden' in page
    more = re.search(r'id="graph-more" href="([^"]+)"', page)
    assert more and "limit=120" in more.group(1) and "links=400" in more.group(1)
    bigger = client.get(html.unescape(more.group(1))).text
    wider = _graph_data(bigger)
    assert len(data["nodes"]) < len(wider["nodes"]) <= 120 and len(wider["links"]) <= 400
    assert 'id="graph-fewer"' in bigger
    relations = _graph_data(client.get("/graph", params={"edges": "relations"}).text)
    assert all(isinstance(n["community"], int) for n in relations["nodes"])


def test_cached_entity_facet_equals_the_query_on_a_bench_store(tmp_path: Path) -> None:
    """The server's entity facet (from per-article entity codes) lists the same entities, counts and
    order as the SQL join, ties included (small article sets tie often), and the search pages of
    the latency bench's store are the same through both connections."""
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from web_latency import build_database  # the latency bench's store (real sentences of examples/pages)

    from newsgraph.web import queries as Q
    from newsgraph.web.app import ReadOnlyDatabase

    db = tmp_path / "bench.db"
    build_database(db, 300, sample_pages=True)
    server = ReadOnlyDatabase(db).conn()
    plain = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    plain.row_factory = sqlite3.Row
    rng = random.Random(3)
    rowids = [r[0] for r in plain.execute("SELECT rowid FROM articles")]
    ties = 0
    for size in [1, 2, 3, 5, 8, 13, 40, 100] * 10:
        chosen = rng.sample(rowids, size)
        cached_facet, read_facet = Q._entity_facet(server, chosen), Q._entity_facet(plain, chosen)
        assert cached_facet == read_facet, chosen
        counts = [e["count"] for e in read_facet]
        ties += len(counts) - len(set(counts))
    assert ties > 20, "the sets tested have ties to order"
    beyond = [max(rowids) + 1, *rowids[:5]]  # a rowid the codes do not cover: read by SQL
    assert Q._entity_facet(server, beyond) == Q._entity_facet(plain, beyond) != []
    words = sorted({w for (t,) in plain.execute("SELECT title FROM articles LIMIT 40") for w in t.split() if len(w) > 4})
    for word in words[:25]:
        for f in (Q.Filters(q=word), Q.Filters(q=word, lang="en"), Q.Filters(q=word, entity="cIRN")):
            assert Q.search_articles(server, f) == Q.search_articles(plain, f), f


def test_filtered_search_ranks_the_newest_matches_that_pass_every_filter(tmp_path: Path, monkeypatch) -> None:
    """A filtered search reads each match once (window and scores in one pass; entity filters
    test rowids without reading the article rows): its page, order and total are those of the
    plain definition, written here as one SQL query per search: the ``RANK_WINDOW`` newest
    matches that pass every filter, best bm25 first (ties oldest first), counted up to
    ``COUNT_CAP``. The window and cap are made small so that they cut."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from web_latency import build_database

    from newsgraph.store.db import fts_query
    from newsgraph.web import queries as Q

    monkeypatch.setattr(Q, "RANK_WINDOW", 30)
    monkeypatch.setattr(Q, "COUNT_CAP", 70)
    db = tmp_path / "bench.db"
    build_database(db, 400, sample_pages=True)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    words = sorted({w for (t,) in conn.execute("SELECT title FROM articles LIMIT 60") for w in t.split()
                    if len(w) > 4 and w.isalpha()})[:20]
    filters = [{"entity": "cIRN"}, {"entity": "cIRQ"}, {"lang": "en"}, {"date_from": "2022-01-01"},
               {"lang": "ar", "entity": "cIRN"}, {"date_to": "2021"}]
    cut = 0
    for word in words:
        for extra in filters:
            f = Q.Filters(q=word, **extra)
            found = Q.search_articles(conn, f, limit=10)
            conditions = {"entity": "a.id IN (SELECT article_id FROM mentions WHERE entity_id = :entity)",
                          "lang": "a.lang = :lang", "date_from": "a.date >= :date_from",
                          "date_to": "substr(a.date, 1, length(:date_to)) <= :date_to"}
            where = " AND ".join(conditions[k] for k in extra)
            matches = [r[0] for r in conn.execute(
                "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                f" WHERE articles_fts MATCH :m AND {where} ORDER BY a.rowid DESC", {"m": fts_query(word), **extra})]
            ranked = [r[0] for r in conn.execute(
                "SELECT id FROM (SELECT a.id, a.rowid AS r, bm25(articles_fts, 5.0, 1.0) AS s FROM articles_fts"
                " JOIN articles a ON a.rowid = articles_fts.rowid"
                f" WHERE articles_fts MATCH :m AND {where} ORDER BY a.rowid DESC LIMIT 30) ORDER BY s, r LIMIT 10",
                {"m": fts_query(word), **extra})]
            assert [r["id"] for r in found["results"]] == ranked, (word, extra)
            assert found["total"] == min(len(matches), 70) and found["total_capped"] == (len(matches) >= 70)
            cut += len(matches) > 30
    assert cut > 10, "the window cuts in some of the searches tested"
