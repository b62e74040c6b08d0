"""The HTML spine's shortcuts give the answers of the slow paths they replace.

Each speed-up in segmentation is a cheaper way to the same result: these tests hold each
shortcut against the computation it stands for, on generated inputs around the decision
boundaries, so a shortcut that changes an output fails here (the speed itself is measured
by bench/html_speed.py, not asserted).
"""

from __future__ import annotations

import gzip
import html as _html
import json
import os
import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from newsgraph.segment import html as H
from newsgraph.segment import teasers as T
from newsgraph.segment.articles import NEAR_CONTAINED_CUTOFF, _near_contained

WORDS = ("the minister said that talks on the border would resume after the holiday while "
         "officials in the capital denied any change of policy on sanctions trade and security").split()


@st.composite
def near_copy_pairs(draw):
    """A paragraph and a longer one holding it with a few random edits, often near the cutoff."""
    short = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=12, max_size=60)))
    chars = list(short)
    for _ in range(draw(st.integers(0, max(1, len(short) // 6)))):
        at = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(("insert", "delete", "replace")))
        letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz ,.'"))
        if action == "insert" or not chars:
            chars.insert(at, letter)
        elif action == "delete":
            del chars[min(at, len(chars) - 1)]
        else:
            chars[min(at, len(chars) - 1)] = letter
    before = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=30)))
    after = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=30)))
    return short, f"{before} {''.join(chars)} {after}".strip()


@st.composite
def edge_cut_pairs(draw):
    """The tight case of the LCS bound: the paragraph with up to a fifth of its characters
    deleted, at the very start or end of the longer one, so the best window is shorter
    than the paragraph and the score sits near the cutoff."""
    short = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=12, max_size=60)))
    gone = set(draw(st.lists(st.integers(0, len(short) - 1), max_size=len(short) // 5)))
    cut = "".join(ch for i, ch in enumerate(short) if i not in gone)
    other = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)))
    return short, cut + " " + other if draw(st.booleans()) else other + " " + cut


@settings(max_examples=400, deadline=None)
@given(st.one_of(near_copy_pairs(), edge_cut_pairs()))
def test_near_contained_agrees_with_partial_ratio(pair):
    short, long = pair
    expected = fuzz.partial_ratio(short, long, score_cutoff=NEAR_CONTAINED_CUTOFF) > 0
    assert _near_contained(short, long) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc de", min_size=1, max_size=120), st.text(alphabet="abc de", min_size=1, max_size=200))
def test_near_contained_agrees_on_arbitrary_strings(a, b):
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    assert _near_contained(short, long) == (fuzz.partial_ratio(short, long, score_cutoff=NEAR_CONTAINED_CUTOFF) > 0)


def test_near_contained_sees_a_pull_quote_and_rejects_another_paragraph():
    quote = ("The minister said the talks on the border would resume after the holiday, "
             "and that no change of policy on sanctions was planned.")
    body = ("Officials in the capital met on Monday. " + quote.replace("holiday,", "holiday")
            + " Trade figures were published later.")
    other = ("Security officials in the capital denied on Monday that trade with the neighbouring "
             "state had resumed, and said sanctions remained in force.")
    assert _near_contained(quote, body)
    assert not _near_contained(quote, other)


# --- the markup projection ------------------------------------------------------------------


def reference_scan(markup: str):
    """The scanner as first written: one token at a time with re.match, the content of a
    raw-text element skipped with a search for its closing tag."""
    pos, size = 0, len(markup)
    while pos < size:
        match = H._TOKEN.match(markup, pos)
        end, group = match.end(), match.lastgroup
        if group == "text":
            yield "text", pos, end, match.group()
        elif group == "entity":
            decoded = _html.unescape(match.group())
            yield "entity", pos, end, decoded if decoded != "\x00" else ""
        elif group == "tag":
            name = match.group("name").lower()
            if name in H._BLOCK_TAGS:
                yield "break", pos, end, " "
            if name in H._RAW_TEXT and not markup.startswith("</", pos):
                closing = re.compile(rf"</{name}\s*>", re.I).search(markup, end)
                end = closing.end() if closing else end
        pos = end


def reference_projection(markup: str) -> tuple[str, list[int], list[int]]:
    """Solid text and, per solid character, its raw start and end, from the reference scan."""
    solid, starts, ends = [], [], []
    for kind, start, end, text in reference_scan(markup):
        if kind == "text":
            for k, ch in enumerate(text):
                if not H._IGNORABLE.fullmatch(ch):
                    solid.append(ch)
                    starts.append(start + k)
                    ends.append(start + k + 1)
        elif kind == "entity":
            for ch in H._IGNORABLE.sub("", text):
                solid.append(ch)
                starts.append(start)
                ends.append(end)
    return "".join(solid), starts, ends


PIECES = ["<p>", "</p>", "<div class='a b'>", "<br/>", "<b>", "</b>", "<a href=\"x>y\">", "</a>", "<script>",
          "</script>", "<SCRIPT type=x>", "</Script >", "<style>", "</style>", "<title>", "</title>", "<titles>",
          "<script a=\"</script>\">", "<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<?xml?>", "&amp;", "&#x41;",
          "&#0;", "&nbsp;", "&bogus", "&", "<", "< b", "</ ", "<3", ">", "\u00ad", "\u200b", "\ufeff", "\u200c",
          "\n", "  ", "\t", "word", "كلمة", "x", "'", '"', "=", "<textarea>", "</textarea>", "<math><annotation>",
          "</annotation>", "<iframe src=a>", "</iframe>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@example("<titles>shown</title> text")  # a longer name is not a raw-text element
@example('<script a="</script>">shown, the tag ends after its quoted value</script> text')
@example("<SCRIPT type=x>hidden</Script >shown &amp; &bogus &#0; <3 </ x")
@example("<style>never closed, so an ordinary tag: shown <!-- and an unclosed comment")
def test_scanner_and_projection_read_markup_as_the_token_loop_did(markup):
    assert list(H.scan_markup(markup)) == list(reference_scan(markup))
    solid, starts, ends = reference_projection(markup)
    projection = H.Projection(markup)
    assert projection.solid == solid
    assert [projection.raw_start(i) for i in range(len(solid))] == starts
    assert [projection.raw_end(i) for i in range(len(solid))] == ends


# --- page metadata --------------------------------------------------------------------------


FIXTURES = Path(__file__).parent / "fixtures" / "html"
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data"
KEPT_FIELDS = ("title", "author", "url", "date", "sitename")


def metadata_pages(shared: Path) -> list[str]:
    """The test fixtures, and a spread of the benchmark pages when ../shared/data is here."""
    pages = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.html"))]
    folder = shared / "article-extraction-benchmark" / "html"
    if folder.is_dir():
        pages += [gzip.open(path, "rt", encoding="utf-8").read() for path in sorted(folder.glob("*.html.gz"))[::6]]
    folder = shared / "trafilatura-eval-en-ar"
    if folder.is_dir():
        items = json.loads((folder / "evaldata-en-ar.json").read_text(encoding="utf-8"))
        for url in sorted(items)[::6]:
            raw = gzip.open(folder / "html" / items[url]["file"]).read()
            pages.append(raw.decode("utf-8", "replace"))
    return pages


def test_page_metadata_gives_extract_metadatas_fields():
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import Extractor
    from trafilatura.utils import load_html

    options = Extractor(with_metadata=True)
    pages = metadata_pages(SHARED)
    compared = 0
    for page in pages:
        for url in (None, "https://example.org/2021/05/17/story.html"):
            ours = H.page_metadata(load_html(page), url, options.date_params)
            theirs = extract_metadata(load_html(page), url, options.date_params)
            assert {f: getattr(ours, f) for f in KEPT_FIELDS} == {f: getattr(theirs, f) for f in KEPT_FIELDS}
            compared += 1
    assert compared >= 2 * len(list(FIXTURES.glob("*.html")))


# --- teaser headlines -----------------------------------------------------------------------


def reference_first_sentence_length(tokens) -> int:
    for n, token in enumerate(tokens, 1):
        if token.group().rstrip(T.QUOTE_CLOSERS)[-1:] in T.TERMINAL:
            return n
    return len(tokens)


def reference_sentence_count(tokens) -> int:
    count = 1
    for current, following in zip(tokens, tokens[1:]):
        word = current.group()
        if word.lower().lstrip("“\"‘(") in T._ABBREVIATIONS:
            continue
        if word.rstrip(T.QUOTE_CLOSERS)[-1:] in T.TERMINAL and T._is_sentence_start(following.group()):
            count += 1
    return count


TEASER_WORDS = ["Iran", "says", "the", "minister", "Gen.", "Dr.", "talks.", "ended!", "“Look", "range”", "U.S.",
                "(AP)", "resumed?", "He", "said:", "strikes", "Foreign", "no.", "it.”", "Zarif"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEASER_WORDS), max_size=40))
def test_sentence_tables_give_each_suffixs_first_sentence_and_count(words):
    tokens = list(T._TOKEN.finditer(" ".join(words)))
    first_lengths, counts = T._sentence_tables(tokens)
    assert first_lengths == [reference_first_sentence_length(tokens[i:]) for i in range(len(tokens))]
    assert counts == [reference_sentence_count(tokens[i:]) for i in range(len(tokens))]
