"""Main-text extraction from HTML (newsgraph.segment.html) on realistic pages.

The fixtures under tests/fixtures/html/ are written for these tests: an
English news story with navigation, share tools, related links, comments, a
footer and scripts; an Arabic RTL story; a Persian story whose words carry
ZWNJ. Every test also checks provenance: each paragraph's text must be what
its markup span reads.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "html"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


import newsgraph.segment.html as H  # noqa: E402
from newsgraph.segment.html import extract_html, markup_to_text  # noqa: E402


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _body(extraction) -> str:
    return "\n".join(p.text for p in extraction.paragraphs)


def assert_provenance(html: str, extraction) -> None:
    """Every paragraph round-trips, spans are in order, inside the page and disjoint."""
    previous_end = 0
    for para in extraction.paragraphs:
        assert 0 <= para.start < para.end <= len(html)
        assert para.start >= previous_end, "paragraph spans overlap or are out of document order"
        assert markup_to_text(html[para.start : para.end]) == " ".join(para.text.split())
        assert para.text == " ".join(para.text.split()) and para.text
        assert para.kind in ("body", "heading")
        previous_end = para.end


# --- English news page ------------------------------------------------------------


@pytest.fixture(scope="module")
def english():
    html = _fixture("en_news.html")
    return html, extract_html(html, url="https://coastal-ledger.example/news/ferry-terminal")


def test_english_main_paragraphs_present(english):
    _html, ex = english
    body = _body(ex)
    assert "The harbour authority voted on Thursday to approve a £48 million ferry terminal" in body
    assert "ending a planning dispute that has run for almost six years." in body
    assert "said the chair, Helen Price, who cast the last vote." in body  # <b> inside a word run
    assert "no piling work between midnight and six in the morning;" in body  # list item
    assert "We are against losing the only safe channel" in body  # blockquote
    assert "roughly double the current figure at the old pier." in body  # last paragraph
    assert len(ex.paragraphs) >= 10


def test_english_boilerplate_absent(english):
    _html, ex = english
    body = _body(ex)
    for junk in ("LEAK", "COMMENT_TEXT", "Subscribe for", "Privacy policy", "All rights reserved",
                 "Related stories", "Storm damages lifeboat station roof", "Share on Facebook", "Leave a reply"):
        assert junk not in body, junk


def test_english_entities_decoded_and_whitespace_tidied(english):
    _html, ex = english
    body = _body(ex)
    assert "AT&T Marine’s engineers" in body  # &amp; &nbsp; &#8217;
    assert "fishermen's association" in body  # &#39;
    assert "\u00a0" not in body and "&amp;" not in body and "&nbsp;" not in body
    assert "“This is the most important decision" in body  # &ldquo;


def test_english_provenance_round_trip(english):
    html, ex = english
    assert_provenance(html, ex)
    first = ex.paragraphs[[p.text for p in ex.paragraphs].index(
        next(t for t in (p.text for p in ex.paragraphs) if t.startswith("Members of the board")))]
    raw = html[first.start : first.end]
    assert raw.startswith("Members of the board") and "AT&amp;T&nbsp;Marine&#8217;s" in raw


def test_english_headings_and_metadata(english):
    _html, ex = english
    headings = [p.text for p in ex.paragraphs if p.kind == "heading"]
    assert "Objections from the fishing fleet" in headings
    assert ex.title == "Harbour authority approves new ferry terminal"
    assert ex.author == "Maria Okafor"
    assert ex.date == "2024-03-14"
    assert ex.outlet == "The Coastal Ledger"
    assert ex.lang == "en-gb"
    assert ex.url == "https://coastal-ledger.example/news/ferry-terminal"
    assert ex.unlocated == 0


# --- Arabic and Persian pages -----------------------------------------------------------


def test_arabic_rtl_page():
    html = _fixture("ar_news.html")
    ex = extract_html(html)
    body = _body(ex)
    assert "افتتحت وزارة المياه صباح الخميس محطة جديدة لتحلية مياه البحر" in body
    assert "ابتداء من الصيف المقبل." in body
    assert "مخاوف بيئية" in [p.text for p in ex.paragraphs if p.kind == "heading"]
    for junk in ("الرئيسية", "اقرأ أيضا", "ارتفاع أسعار الخضار", "جميع الحقوق محفوظة", "SCRIPT_SHOULD_NOT_LEAK"):
        assert junk not in body, junk
    assert ex.lang == "ar"
    assert ex.date == "2024-05-02"
    assert ex.outlet == "جريدة الشاطئ"
    assert_provenance(html, ex)


def test_persian_page_keeps_zwnj():
    html = _fixture("fa_news.html")
    ex = extract_html(html)
    body = _body(ex)
    assert "مدیر کتابخانه می\u200cگوید" in body  # ZWNJ kept, not turned into a space or dropped
    assert "فهرست\u200cنویسی دوباره شده\u200cاند" in body
    assert "در دست بررسی است." in body
    for junk in ("صفحهٔ اصلی", "پربازدیدترین", "قیمت طلا امروز", "کلیهٔ حقوق"):
        assert junk not in body, junk
    assert ex.lang == "fa-ir"
    assert_provenance(html, ex)
    zwnj_para = next(p for p in ex.paragraphs if "می\u200cگوید" in p.text)
    assert "می\u200cگوید" in html[zwnj_para.start : zwnj_para.end]


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "<html>",
        "<html><head><title>Nothing here</title></head><body></body></html>",
        "<<<>>>&&&;;;<!--",
        "<div><p>unclosed <b>tags <i>everywhere <a href='x>",
        "\x00\x01\x02 binary \xff\xfe junk",
        "<script>" + "var x = 1;" * 1000,
        "<p>" + "<" * 5000,
    ],
)
def test_bad_input_returns_empty_without_raising(html):
    ex = extract_html(html)
    assert ex.paragraphs == [] or all(p.text for p in ex.paragraphs)
    assert_provenance(html, ex)


def test_empty_page_has_no_paragraphs():
    assert extract_html("").paragraphs == []
    assert extract_html("<html><body><!-- nothing --><script>var a = 'hidden';</script></body></html>").paragraphs == []
    assert extract_html("<html><body><div>&nbsp;</div><img src='x.jpg'></body></html>").paragraphs == []


def test_non_string_input_does_not_raise():
    assert extract_html(None).paragraphs == []  # type: ignore[arg-type]


def test_malformed_article_still_extracted_with_provenance():
    paragraphs = "".join(
        f"<p>Paragraph {i} of the malformed story reports that the river rose by {i} centimetres overnight "
        f"and that <b>volunteers filled sandbags<p>until dawn near bridge number {i}." for i in range(12)
    )
    html = f"<html><body><div class='content'><h1>Flood watch</h1>{paragraphs}</div><div id=footer>(c) 2024"
    ex = extract_html(html)
    assert len(ex.paragraphs) >= 10
    assert "volunteers filled sandbags" in _body(ex)
    assert_provenance(html, ex)


def test_big_page_is_not_quadratic():
    sentences = [f"Item {i}: the committee heard evidence from witness number {i} about the contract award." for i in range(4000)]
    html = "<html><body><article>" + "".join(f"<p>{s}</p>\n" for s in sentences) + "</article></body></html>"
    started = time.perf_counter()
    ex = extract_html(html)
    elapsed = time.perf_counter() - started
    assert len(ex.paragraphs) > 3000
    assert_provenance(html, ex)
    assert elapsed < 60, elapsed


def test_oversized_page_is_refused_not_raised(monkeypatch):
    monkeypatch.setattr(H, "MAX_HTML_CHARS", 1000)
    assert extract_html(_fixture("en_news.html")).paragraphs == []


# --- markup_to_text ---------------------------------------------------------------------


def test_markup_to_text_rules():
    assert markup_to_text("<p>foo<b>bar</b> baz</p>") == "foobar baz"  # inline tags join
    assert markup_to_text("<td>a</td><td>b</td>") == "a b"  # block tags separate
    assert markup_to_text("line one<br>line two") == "line one line two"
    assert markup_to_text("AT&amp;T&nbsp;&#8217;&#x41;&copy;") == "AT&T ’A©"
    assert markup_to_text("a<script>var s = '<p>hidden</p>';</script>b") == "ab"
    assert markup_to_text("a<style>p{}</style><!-- note -->b") == "ab"
    assert markup_to_text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2"  # stray brackets are text
    assert markup_to_text('<a href="x" target_blank">link</a> after') == "link after"  # stray quote
    assert markup_to_text('<img alt="a > b">text') == "text"  # '>' inside a quoted value
    assert markup_to_text("می\u200cگوید") == "می\u200cگوید"


# --- shared data (skipped when ../shared/data is absent) --------------------------------

_AEB = SHARED / "article-extraction-benchmark"


@pytest.mark.skipif(not _AEB.is_dir(), reason="../shared/data/article-extraction-benchmark not present")
def test_benchmark_pages_round_trip():
    gold = json.loads((_AEB / "ground-truth.json").read_text(encoding="utf-8"))
    for item in sorted(gold)[:8]:
        html = gzip.open(_AEB / "html" / f"{item}.html.gz", "rt", encoding="utf-8").read()
        ex = extract_html(html, url=gold[item].get("url"))
        assert ex.paragraphs, item
        assert_provenance(html, ex)
        # the first gold paragraph's opening words are in the extraction
        opening = " ".join(gold[item]["articleBody"].split()[:6])
        assert opening in " ".join(_body(ex).split()), item


def test_unclosed_raw_text_element_does_not_hide_the_page():
    assert markup_to_text("<title>Headline<p>Body text follows") == "Headline Body text follows"


def test_alignment_tolerates_text_the_extractor_left_out():
    # trafilatura drops ruby readings, MathML and similar inline parts; the span
    # must still cover the paragraph, and its text is what the markup reads.
    html = ("<p>Intro paragraph that stands before the interesting one in this page.</p>"
            "<p>The word <ruby>落<rp>(</rp><rt>お</rt><rp>)</rp></ruby>ち着く means calm down, "
            "as in the sentence quoted by the teacher during the lesson.</p>")
    blocks = [("body", "Intro paragraph that stands before the interesting one in this page."),
              ("body", "The word 落ち着く means calm down, as in the sentence quoted by the teacher during the lesson.")]
    paragraphs, unlocated = H.locate_blocks(html, blocks)
    assert unlocated == 0 and len(paragraphs) == 2
    assert paragraphs[1].text == "The word 落(お)ち着く means calm down, as in the sentence quoted by the teacher during the lesson."
    assert html[paragraphs[1].start :].startswith("The word")
    assert html[: paragraphs[1].end].endswith("lesson.")


def test_alignment_drops_text_absent_from_the_page():
    paragraphs, unlocated = H.locate_blocks("<p>Only this sentence is on the page.</p>",
                                            [("body", "Only this sentence is on the page."),
                                             ("body", "A sentence taken from a meta description, not shown.")])
    assert [p.text for p in paragraphs] == ["Only this sentence is on the page."] and unlocated == 1
