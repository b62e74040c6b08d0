"""The workbench in a real headless Chromium (Debian's chromium + chromedriver, driven by Selenium):
search, open an article, toggle highlights, open an entity, load the graph, the technique dashboard
and the reuse graph (on conftest's corpus with planted reuse); and the XSS corpus
rendered in the browser, where a payload that ran would set ``window.__xss`` or open an alert.
Screenshots go to tests/artifacts/. Skips when Chromium, chromedriver or Selenium is missing."""

from __future__ import annotations

import json
import re
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
if not CHROMIUM or not CHROMEDRIVER:
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
pytest.importorskip("uvicorn")
pytest.importorskip("fastapi")

import uvicorn  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from newsgraph.web.app import create_app  # noqa: E402
from test_web import ARABIC_NAME, _all, _one, hostile_stories, seed_db, xss_corpus  # noqa: E402,F401  (seed_db: the shared fixture)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-US"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving the workbench on a free loopback port, in a thread."""

    def __init__(self, db: Path):
        self.port = free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the workbench did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    profile = tempfile.mkdtemp(prefix="newsgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("unhandledPromptBehavior", "ignore")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def live(seed_db: Path) -> Iterator[LiveServer]:
    with LiveServer(seed_db) as server:
        yield server


def wait_for(driver: webdriver.Chrome, css: str, timeout: float = 10):  # type: ignore[no-untyped-def]
    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def shot(driver: webdriver.Chrome, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


# ------------------------------------------------------------------ the views


def test_search_then_open_article(browser: webdriver.Chrome, live: LiveServer) -> None:
    browser.get(live.url("/"))
    box = wait_for(browser, "form.search #q")
    box.send_keys("Soleimani")
    box.submit()
    wait_for(browser, "li.hit mark.hit")
    assert "match" in browser.find_element(By.ID, "result-count").text
    shot(browser, "search-en")
    first = browser.find_element(By.CSS_SELECTOR, "li.hit h3 a")
    title = first.text
    first.click()
    wait_for(browser, "article.reader")
    assert browser.find_element(By.CSS_SELECTOR, "article.reader h1").text == title


def test_arabic_search_and_reader_are_rtl_with_exact_highlights(browser: webdriver.Chrome, live: LiveServer,
                                                                seed_db: Path) -> None:
    browser.get(live.url("/?q=" + quote(ARABIC_NAME)))
    hit = wait_for(browser, 'li.hit[lang="ar"]')
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", hit) == "rtl"
    marks = hit.find_elements(By.CSS_SELECTOR, "mark.hit")
    assert marks and all(m.text == ARABIC_NAME for m in marks)
    shot(browser, "search-ar")
    article_id, text = _one(seed_db, "SELECT id, text FROM articles WHERE lang = 'ar' AND instr(text, ?) > 0",
                            ARABIC_NAME)
    browser.get(live.url(f"/article/{article_id}"))
    reader = wait_for(browser, "article.reader")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", reader) == "rtl"
    spans = browser.execute_script(
        "return Array.from(document.querySelectorAll('#article-text [data-start]')).map("
        "e => [Number(e.dataset.start), Number(e.dataset.end), e.textContent])")
    assert spans, "the Arabic article has highlighted spans"
    for start, end, shown in spans:
        assert shown == text[start:end]
    marks = browser.find_elements(By.CSS_SELECTOR, "#article-text .hl.ent")
    assert marks and all(m.text for m in marks)
    # the first highlighted word of a right-to-left paragraph is laid out right of the paragraph's centre
    para = browser.find_element(By.CSS_SELECTOR, "#article-text p[dir=rtl]")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", para) == "rtl"
    shot(browser, "article-ar")


def test_toggle_highlights(browser: webdriver.Chrome, live: LiveServer, seed_db: Path) -> None:
    article_id = _one(seed_db, "SELECT article_id FROM mentions GROUP BY article_id ORDER BY count(*) DESC")[0]
    browser.get(live.url(f"/article/{article_id}"))
    mark = wait_for(browser, "#article-text .hl.ent")
    background = "return getComputedStyle(arguments[0]).backgroundColor"
    on = browser.execute_script(background, mark)
    assert on not in ("rgba(0, 0, 0, 0)", "transparent")
    shot(browser, "article-en-highlights")
    browser.find_element(By.ID, "toggle-ent").click()
    assert "show-ent" not in browser.find_element(By.TAG_NAME, "body").get_attribute("class")
    assert browser.execute_script(background, mark) in ("rgba(0, 0, 0, 0)", "transparent")
    shot(browser, "article-en-no-highlights")
    browser.find_element(By.ID, "toggle-ent").click()
    assert browser.execute_script(background, mark) == on
    assert not browser.find_element(By.ID, "toggle-techniques").is_enabled()
    assert "not analysed yet" in browser.find_element(By.CSS_SELECTOR, '[data-stage="techniques"]').text.lower()
    browser.find_element(By.CSS_SELECTOR, "#removed summary").click()
    assert browser.find_element(By.CSS_SELECTOR, "#removed table").is_displayed()
    browser.find_element(By.ID, "source-link").click()
    wait_for(browser, "#source-text mark.kept")


def test_open_entity_from_article(browser: webdriver.Chrome, live: LiveServer, seed_db: Path) -> None:
    article_id = _one(seed_db, "SELECT article_id FROM mentions WHERE entity_id IS NOT NULL GROUP BY article_id"
                               " ORDER BY count(*) DESC")[0]
    browser.get(live.url(f"/article/{article_id}"))
    link = wait_for(browser, "#article-text a.hl.ent")
    link.click()
    name = wait_for(browser, "#entity-name")
    assert name.text
    assert browser.find_elements(By.CSS_SELECTOR, "#entity-articles tbody tr a")
    assert browser.find_elements(By.CSS_SELECTOR, "#spellings tbody tr")
    entity_id = _one(seed_db, "SELECT id FROM entities WHERE name LIKE '%Soleimani%' ORDER BY mention_count DESC")[0]
    browser.get(live.url(f"/entity/{entity_id}"))
    wait_for(browser, "svg.chart rect")
    shot(browser, "entity")


def test_graph_draws_nodes_and_filters(browser: webdriver.Chrome, live: LiveServer) -> None:
    browser.get(live.url("/graph"))  # the default view: a readable network, inside the frame
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn") or 0) > 0)
    time.sleep(2.5)
    shot(browser, "graph-default")
    assert int(canvas.get_attribute("data-drawn")) <= 60
    boxes = json.loads(canvas.get_attribute("data-label-boxes"))
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):  # no two drawn labels overlap
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # coloured by community with its legend; by type on request, with the type legend instead
    community, by_type = (browser.find_element(By.ID, f"legend-{k}") for k in ("community", "type"))
    assert canvas.get_attribute("data-colour-by") == "community" and community.is_displayed()
    assert not by_type.is_displayed()
    Select(browser.find_element(By.ID, "graph-colour")).select_by_value("type")
    WebDriverWait(browser, 10).until(lambda d: canvas.get_attribute("data-colour-by") == "type")
    assert by_type.is_displayed() and not community.is_displayed()
    Select(browser.find_element(By.ID, "graph-colour")).select_by_value("community")
    default_drawn = int(canvas.get_attribute("data-drawn"))
    browser.find_element(By.ID, "graph-more").click()  # show more: a larger network, still drawn
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn") or 0) > default_drawn)
    assert int(canvas.get_attribute("data-drawn")) <= 120
    time.sleep(2.5)
    shot(browser, "graph-more")
    browser.get(live.url("/graph?min_weight=1&limit=150"))  # everything, then filtered in the page
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn") or 0) > 0)
    drawn = int(canvas.get_attribute("data-drawn"))
    painted = browser.execute_script(
        "const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;", canvas)
    assert painted > 1000, "nodes and edges are painted"
    time.sleep(1.5)
    shot(browser, "graph")
    minimum = browser.find_element(By.ID, "graph-min-weight")
    minimum.clear()
    minimum.send_keys("3")
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn") or 0) < drawn)
    href = browser.find_element(By.ID, "graphml-link").get_attribute("href")
    assert parse_qs(urlparse(href).query)["min_weight"] == ["3"]


def test_relation_graph_draws_directed_links_and_filters_by_predicate(browser: webdriver.Chrome,
                                                                      live: LiveServer) -> None:
    browser.get(live.url("/graph?edges=relations"))
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn") or 0) > 0)
    summary = browser.find_element(By.ID, "graph-summary").text
    assert "relations" in summary and "links shown" in summary
    options = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#graph-kind option")]
    assert len(options) > 1, "the predicates of the seed relations are offered"
    predicate = options[1]
    expected = browser.execute_script(
        "return JSON.parse(arguments[0].dataset.graph).links.filter(l => (l.kinds[arguments[1]] || 0) >= 1).length;",
        canvas, predicate)
    Select(browser.find_element(By.ID, "graph-kind")).select_by_value(predicate)
    WebDriverWait(browser, 10).until(
        lambda d: f", {expected} links shown" in d.find_element(By.ID, "graph-summary").text)
    assert expected >= 1
    time.sleep(1.0)
    shot(browser, "graph-relations")
    href = browser.find_element(By.ID, "graphml-link").get_attribute("href")
    assert parse_qs(urlparse(href).query)["edges"] == ["relations"]


def test_static_report_opens_offline(browser: webdriver.Chrome, seed_db: Path, tmp_path: Path) -> None:
    from newsgraph.web.report import write_report

    write_report(seed_db, tmp_path / "report")
    browser.get((tmp_path / "report" / "graph.html").as_uri())
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: int(canvas.get_attribute("data-drawn") or 0) > 0)
    browser.get((tmp_path / "report" / "index.html").as_uri())
    wait_for(browser, "#articles a").click()
    wait_for(browser, "article.reader")
    shot(browser, "report-article")


# ------------------------------------------------------------------ technique dashboard and reuse graph


@pytest.fixture(scope="module")
def dash_live(reuse_db: Path) -> Iterator[LiveServer]:
    with LiveServer(reuse_db) as server:
        yield server


def drawn_nodes(canvas) -> int:  # type: ignore[no-untyped-def]
    return int(canvas.get_attribute("data-drawn") or 0)


def test_technique_dashboard_filters_and_opens_evidence(browser: webdriver.Chrome, dash_live: LiveServer) -> None:
    browser.get(dash_live.url("/techniques"))
    wait_for(browser, "svg.chart rect")
    cells = browser.find_elements(By.CSS_SELECTOR, "#by-outlet tbody td a")
    assert cells and all(float(c.text) > 0 for c in cells)
    shot(browser, "techniques")
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "filter-lang")).select_by_value("ar")
    browser.find_element(By.CSS_SELECTOR, "#technique-filters button").click()
    WebDriverWait(browser, 10).until(lambda d: "lang=ar" in d.current_url)
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#by-outlet thead th")]
    assert any("الأخبار" in h for h in heads) and not any("Wire A" in h for h in heads)
    link = wait_for(browser, "#by-outlet tbody td a")
    expected = int(link.get_attribute("title").split()[0])
    link.click()
    wait_for(browser, "#evidence")
    items = browser.find_elements(By.CSS_SELECTOR, "#evidence li.hit")
    assert len(items) == expected and browser.find_element(By.ID, "evidence-count").text.startswith(str(expected))
    assert all(browser.execute_script("return getComputedStyle(arguments[0]).direction", li) == "rtl" for li in items)
    assert all(li.find_element(By.CSS_SELECTOR, "mark.evidence-span").text for li in items)
    shot(browser, "technique-evidence-ar")


def test_reuse_graph_filters_by_kind_and_pairs_open_the_reader(browser: webdriver.Chrome, dash_live: LiveServer,
                                                               reuse_db: Path) -> None:
    browser.get(dash_live.url("/reuse"))
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: drawn_nodes(canvas) > 0)
    everything = drawn_nodes(canvas)
    painted = browser.execute_script(
        "const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;", canvas)
    assert everything == 3 and painted > 500
    time.sleep(1.5)
    shot(browser, "reuse")
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "graph-kind")).select_by_value("exact")
    WebDriverWait(browser, 10).until(lambda d: drawn_nodes(canvas) == 2)  # Wire A → Gazette C only
    assert browser.find_element(By.ID, "graphml-link").get_attribute("href").endswith("kind=exact&min_weight=1")
    assert browser.find_element(By.ID, "graph-summary").text.startswith("2 outlets, 1 links")
    shot(browser, "reuse-exact")
    # a pair: open the copy, see the passages side by side, follow the link to the original
    original, borrowed = (_one(reuse_db, "SELECT id FROM articles WHERE title = ?", t)[0]
                          for t in ("Original one", "Borrowed one"))
    browser.find_element(By.CSS_SELECTOR, f'#reuse-pairs td.to a[href="/article/{borrowed}"]').click()
    wait_for(browser, "#reuse-passages .side-by-side")
    toggle = browser.find_element(By.ID, "toggle-reuse")
    assert toggle.is_enabled() and toggle.is_selected()
    mark = browser.find_element(By.CSS_SELECTOR, "#article-text .hl.reuse")
    background = "return getComputedStyle(arguments[0]).backgroundColor"
    assert browser.execute_script(background, mark) not in ("rgba(0, 0, 0, 0)", "transparent")
    sides = browser.find_elements(By.CSS_SELECTOR, "#reuse-passages .side-by-side .side")
    assert len(sides) == 2 and sides[0].location["x"] < sides[1].location["x"], "this article left, the other right"
    assert sides[0].location["y"] == sides[1].location["y"]
    browser.execute_script("arguments[0].scrollIntoView()", sides[0])
    shot(browser, "article-reuse-side-by-side")
    toggle.click()
    assert browser.execute_script(background, mark) in ("rgba(0, 0, 0, 0)", "transparent")
    sides[1].find_element(By.CSS_SELECTOR, f'a[href="/article/{original}"]').click()
    wait_for(browser, "#reuse-passages")
    assert browser.find_element(By.CSS_SELECTOR, "article.reader h1").text == "Original one"


def test_most_copied_passages_expand_to_holders_that_open_the_reader_at_the_passage(
        browser: webdriver.Chrome, cluster_db: dict) -> None:
    """The reuse page's clusters as drawn: as many as stored, folded holder lists that open to the
    stored members; a holder's link scrolls the reader to the passage, outlined; the hostile passage
    is shown as text and runs nothing."""
    from conftest import HOSTILE_PASSAGE

    db = cluster_db["db"]
    with LiveServer(db) as server:
        browser.get(server.url("/reuse"))
        items = wait_for(browser, "#reuse-clusters") and browser.find_elements(By.CSS_SELECTOR, "li.cluster")
        stored = _all(db, "SELECT id, holders FROM reuse_clusters ORDER BY holders DESC, json_array_length(outlets) DESC, id")
        assert [(i.get_attribute("data-cluster"), int(i.get_attribute("data-holders"))) for i in items] == stored
        top = items[0]
        rows = top.find_elements(By.CSS_SELECTOR, "tr.holder")
        assert rows and not rows[0].is_displayed()  # folded until asked
        top.find_element(By.CSS_SELECTOR, "details summary").click()
        assert len(rows) == stored[0][1] and all(r.is_displayed() for r in rows)
        shot(browser, "reuse-clusters")
        hostile = next(i for i in items if HOSTILE_PASSAGE[:40] in i.find_element(By.CSS_SELECTOR, "blockquote").text)
        browser.execute_script("arguments[0].scrollIntoView()", hostile)
        shot(browser, "reuse-cluster-hostile")
        assert browser.execute_script("return window.__xss") is None
        link = rows[-1].find_element(By.CSS_SELECTOR, "a")
        article_id = rows[-1].get_attribute("data-article")
        start, end = _one(db, "SELECT start, end FROM reuse_cluster_members WHERE cluster_id = ? AND article_id = ?",
                          stored[0][0], article_id)
        link.click()
        marks = WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#article-text .hl.at"))
        text, = _one(db, "SELECT text FROM articles WHERE id = ?", article_id)
        assert "".join(m.text for m in marks).split() == text[start:end].split()
        assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", marks[0]) == "solid"
        anchor = browser.find_element(By.ID, "at")
        assert browser.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top < innerHeight"
                                      " && r.bottom > 0", anchor), "the reader scrolled to the passage"
        shot(browser, "reader-at-passage")


def test_static_report_dashboard_and_reuse_offline(browser: webdriver.Chrome, reuse_db: Path, tmp_path: Path) -> None:
    from newsgraph.web.report import write_report

    write_report(reuse_db, tmp_path / "report")
    browser.get((tmp_path / "report" / "reuse.html").as_uri())
    canvas = wait_for(browser, "canvas#graph")
    WebDriverWait(browser, 10).until(lambda d: drawn_nodes(canvas) == 3)
    browser.get((tmp_path / "report" / "techniques.html").as_uri())
    wait_for(browser, "#by-month tbody td a").click()
    wait_for(browser, "#evidence mark.evidence-span")
    shot(browser, "report-technique-evidence")


# ------------------------------------------------------------------ XSS corpus


def no_script_ran(driver: webdriver.Chrome, where: str) -> None:
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"{where}: an alert opened ({text!r})")
    except NoAlertPresentException:
        pass
    try:
        flag = driver.execute_script("return window.__xss === true")
    except UnexpectedAlertPresentException:
        pytest.fail(f"{where}: an alert opened")
    assert flag is False, f"{where}: a payload set window.__xss"


@pytest.fixture(scope="module")
def xss_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import newsgraph.api as ng

    base = tmp_path_factory.mktemp("xss-browser")
    db = base / "xss.db"
    ng.analyze([xss_corpus(base / "pages")], db=db)
    ng.reuse(db)
    hostile_stories(db)
    return db


def test_xss_corpus_never_runs_in_the_browser(browser: webdriver.Chrome, xss_db: Path, tmp_path: Path) -> None:
    urls = ["/", "/?q=xss", "/?q=window", "/?q=" + quote("<script>window.__xss=true</script>"), "/entities", "/graph",
            "/timeline", "/outlets", "/tables", "/techniques", "/reuse", "/reuse?kind=near"]
    urls += ["/techniques/evidence?technique=" + quote(t) for (t,) in _all(xss_db, "SELECT DISTINCT technique FROM techniques")]
    for (article_id,) in _all(xss_db, "SELECT id FROM articles"):
        urls += [f"/article/{article_id}", f"/article/{article_id}/source"]
    urls += [f"/entity/{e}" for (e,) in _all(xss_db, "SELECT id FROM entities ORDER BY mention_count DESC LIMIT 15")]
    urls += [f"/entity/{e}" for (e,) in _all(xss_db, "SELECT DISTINCT entity_id FROM article_roles LIMIT 15")]
    urls += ["/stories?min_size=1"] + [f"/story/{s}" for (s,) in _all(xss_db, "SELECT id FROM stories ORDER BY size DESC LIMIT 5")]
    with LiveServer(xss_db) as server:
        for i, url in enumerate(urls):
            browser.get(server.url(url))
            time.sleep(0.05)
            if i % 9 == 0:
                for box in browser.find_elements(By.CSS_SELECTOR, "input.layer-toggle:not([disabled])"):
                    box.click()
                for details in browser.find_elements(By.CSS_SELECTOR, "details summary"):
                    details.click()
            no_script_ran(browser, url)
        browser.get(server.url("/?q=xss"))
        shot(browser, "xss-search")
        article = _one(xss_db, "SELECT id FROM articles WHERE title LIKE '%onerror%' LIMIT 1")[0]
        browser.get(server.url(f"/article/{article}"))
        shot(browser, "xss-article")
        no_script_ran(browser, "xss article")
    from newsgraph.web.report import write_report

    write_report(xss_db, tmp_path / "report")
    for page in sorted((tmp_path / "report").glob("*.html"))[:60]:
        browser.get(page.as_uri())
        time.sleep(0.02)
        no_script_ran(browser, page.name)


# ------------------------------------------------------------------ every view on the seed corpus, every stage run


@pytest.fixture(scope="module")
def full_seed_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The seed pages through the whole default pipeline (techniques and relations included)
    and the reuse stage, served."""
    import newsgraph.api as ng
    from test_web import EXAMPLES

    db = tmp_path_factory.mktemp("full-seed") / "seed.db"
    ng.analyze([EXAMPLES], db=db)
    ng.reuse(db)
    with LiveServer(db) as server:
        server.db = db  # type: ignore[attr-defined]
        yield server


def test_every_view_works_on_the_seed_corpus(browser: webdriver.Chrome, full_seed_live: LiveServer) -> None:
    db = full_seed_live.db  # type: ignore[attr-defined]
    article = _one(db, "SELECT article_id FROM techniques GROUP BY article_id ORDER BY count(*) DESC")[0]
    entity = _one(db, "SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC")[0]
    views = {  # path -> an element that only renders when the view has data
        "/?q=Iran": "ol.hits li.hit",
        f"/article/{article}": "#article-text .hl.technique",
        f"/entity/{entity}": "#entity-articles tbody tr td a",
        "/graph": "canvas#graph[data-drawn]",
        "/graph?edges=relations": "canvas#graph[data-drawn]",
        "/techniques": "svg.chart rect",
        "/reuse": "canvas#graph",
        "/timeline": "main",
        "/outlets": "main table",
        "/tables": "main table",
    }
    for path, css in views.items():
        browser.get(full_seed_live.url(path))
        wait_for(browser, css)
        assert "not analysed yet" not in browser.find_element(By.TAG_NAME, "main").text.lower(), path
        assert not browser.find_elements(By.CSS_SELECTOR, ".error"), path
    shot(browser, "seed-techniques")
    browser.get(full_seed_live.url(f"/article/{article}"))
    toggle = browser.find_element(By.ID, "toggle-techniques")
    mark = browser.find_element(By.CSS_SELECTOR, "#article-text .hl.technique")
    shown = mark.value_of_css_property("background-color")
    toggle.click()
    WebDriverWait(browser, 5).until(lambda d: mark.value_of_css_property("background-color") != shown)
    shot(browser, "seed-article-all-stages")


def test_reader_draws_every_stored_span_of_every_layer(browser: webdriver.Chrome, full_seed_live: LiveServer) -> None:
    """For every article of the seed corpus with every stage run, and every layer, the spans drawn in the
    DOM (pieces of one span counted once) are the stored spans inside the kept paragraphs."""
    db = full_seed_live.db  # type: ignore[attr-defined]
    tables = {"ent": "mentions", "date": "dates", "quote": "quotes", "technique": "techniques", "relation": "relations"}
    checked = 0
    with sqlite3.connect(db) as conn:
        articles = [r[0] for r in conn.execute("SELECT id FROM articles")]
        for article_id in articles:
            browser.get(full_seed_live.url(f"/article/{article_id}"))
            wait_for(browser, "#article-text")
            drawn = browser.execute_script(
                "const out = {}; for (const e of document.querySelectorAll('#article-text .hl')) {"
                " const layer = [...e.classList].find(c => arguments[0].includes(c)); if (!layer) continue;"
                " (out[layer] = out[layer] || new Set()).add(e.dataset.span || (e.dataset.start + '-' + e.dataset.end)); }"
                " return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));", list(tables))
            paragraphs = conn.execute("SELECT start, end FROM paragraphs WHERE article_id = ?", (article_id,)).fetchall()
            for layer, table in tables.items():
                stored = {f"{s}-{e}" for s, e in conn.execute(f"SELECT start, end FROM {table} WHERE article_id = ?",
                                                               (article_id,))
                          if any(ps <= s and e <= pe for ps, pe in paragraphs)}
                assert set(drawn.get(layer, [])) == stored, (article_id, layer)
                checked += len(stored)
    assert checked > 500


def test_story_page_renders_and_its_evidence_opens_the_reader_at_the_span(browser: webdriver.Chrome,
                                                                          framing_db: Path) -> None:
    """The stories list opens a story; its timeline, first-and-followers chain and framing table are drawn;
    an evidence link opens the reader with exactly that span outlined and scrolled to."""
    with LiveServer(framing_db) as server:
        browser.get(server.url("/stories"))
        wait_for(browser, "#stories")
        shot(browser, "stories")
        browser.find_element(By.CSS_SELECTOR, "tr.story td a").click()
        wait_for(browser, "#story-timeline")
        assert browser.find_elements(By.CSS_SELECTOR, "#story-timeline td.hit")
        assert browser.find_elements(By.CSS_SELECTOR, "#followers li")
        sections = browser.find_elements(By.CSS_SELECTOR, "section.actor-framing")
        assert sections and any("Antagonist" in s.text for s in sections)
        shot(browser, "story")
        browser.execute_script("arguments[0].scrollIntoView()", sections[0])
        shot(browser, "story-framing")
        link = browser.find_element(By.CSS_SELECTOR, "a.evidence-link")
        article_id, start, end = re.match(r".*/article/([^?]+)\?at=(\d+)-(\d+)#at", link.get_attribute("href")).groups()
        link.click()
        marks = WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#article-text .hl.at"))
        text, = _one(framing_db, "SELECT text FROM articles WHERE id = ?", article_id)
        # the outline is cut into pieces where other marks (the name) nest in it; compare without spaces
        assert "".join("".join(m.text for m in marks).split()) == "".join(text[int(start):int(end)].split())
        assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", marks[0]) == "solid"
        shot(browser, "story-evidence-in-reader")
