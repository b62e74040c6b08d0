"""Every reader fuzzed with hypothesis: no input ends the batch.

Files of every format newsgraph reads (plain text, HTML, JSONL, WARC, gzipped WARC) are generated
broken in the ways scraped corpora are: truncated, malformed, headers missing, declared in one
encoding and written in another, random bytes, WARC records without a target URI, lines longer
than the document limit, JSON nested too deep or with numbers too long to convert. The properties:

- the reader layer (:mod:`newsgraph.ingest.readers`) never raises; every file gives at least one
  document or a rejection, each rejection with a reason a person can act on;
- in a batch, a good file after the broken ones is still read;
- ``newsgraph analyze`` on such a batch exits 0 or 3 (never 1: these are bad inputs, not bugs),
  prints no traceback, and stores the good file that comes after the broken ones.

Settings keep the whole module under about 30 seconds on a loaded 2-core machine.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.ingest.readers import iter_documents, read_documents
from newsgraph.model import Rejection, SourceDocument

MAX_BYTES = 4096  # a small document limit, so "over the limit" is reached by generated lines and records
GOOD = ("The foreign minister told reporters in Geneva on Tuesday that the talks on the prisoner exchange "
        "would resume next week, and said both delegations had agreed on a timetable. ") * 3
ARABIC = "قال وزير الخارجية للصحفيين في جنيف يوم الثلاثاء إن المحادثات ستستأنف الأسبوع المقبل."
ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-32", "cp1256", "cp1252", "iso8859-6", "latin-1", "koi8-r",
             "shift_jis", "utf-8-sig")
TAGS = ("p", "div", "script", "style", "body", "html", "head", "title", "table", "td", "a", "br", "article", "h1",
        "meta", "!--", "![CDATA[", "?xml")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
prose = st.one_of(words, st.sampled_from([GOOD, ARABIC, GOOD[:40], ARABIC * 5]))


@st.composite
def encoded(draw, text=prose) -> bytes:
    """Text in an encoding, sometimes with the byte-order mark of another (a wrong declaration)."""
    data = draw(text).encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")
    if draw(st.booleans()):
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""])) + data
    return data


def damaged(data: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Bytes as written, cut short, or with random bytes spliced in."""
    return st.one_of(
        data,
        st.tuples(data, st.floats(0, 1)).map(lambda t: t[0][: int(len(t[0]) * t[1])]),
        st.tuples(data, st.binary(max_size=40), st.floats(0, 1)).map(
            lambda t: t[0][: int(len(t[0]) * t[2])] + t[1] + t[0][int(len(t[0]) * t[2]):]),
    )


html_soup = st.recursive(
    st.one_of(words, prose),
    lambda inner: st.tuples(st.sampled_from(TAGS), st.lists(inner, max_size=4), st.booleans(),
                            st.sampled_from(["", ' class="x"', " charset=windows-1256", ' href="javascript:x"'])).map(
        lambda t: f"<{t[0]}{t[3]}>" + "".join(t[1]) + (f"</{t[0]}>" if t[2] else "")),
    max_leaves=25,
)
deep_html = st.integers(1, 3000).map(lambda n: "<div>" * n + GOOD + "</div>" * n)
html_page = st.one_of(html_soup, deep_html, html_soup.map(lambda s: f"<!doctype html><html><body>{s}</body></html>"))

text_file = damaged(st.one_of(encoded(), st.binary(max_size=600), st.just(b""), st.just(b" \n\t "),
                              st.integers(MAX_BYTES, 2 * MAX_BYTES).map(lambda n: b"a " * n)))
html_file = damaged(st.one_of(encoded(html_page), st.binary(max_size=600)))

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), words, st.lists(words, max_size=2),
                        st.dictionaries(words, words, max_size=2))
json_line = st.one_of(
    st.fixed_dictionaries({"text": st.one_of(prose, json_scalar)},
                          optional={"html": st.one_of(html_page, json_scalar), "url": json_scalar,
                                    "title": json_scalar, "date": json_scalar, "outlet": json_scalar,
                                    "lang": json_scalar}).map(json.dumps),
    json_scalar.map(json.dumps),
    st.sampled_from(['{"text": "\\ud800 a lone surrogate in the text, then some words"}', '{"text": NaN}',
                     '{"text": "x", "date": Infinity}', "{", "[]", "null", '{"text": "unterminated']),
    st.integers(1, 100_000).map(lambda n: "[" * n + "]" * (n % 3)),  # nested deeper than the JSON decoder recurses
    st.integers(4000, 9000).map(lambda n: '{"text": "a number too long to convert", "date": ' + "9" * n + "}"),
    st.integers(MAX_BYTES, 2 * MAX_BYTES).map(lambda n: json.dumps({"text": "x " * n})),  # over the limit
    words,
)
jsonl_file = damaged(st.tuples(st.lists(st.one_of(json_line.map(str.encode), st.binary(max_size=50)), max_size=6),
                               st.sampled_from([b"\n", b"\r\n", b"\n\n"])).map(lambda t: t[1].join(t[0])))


@st.composite
def warc_record(draw) -> bytes:
    """One WARC record, written by hand so that any header can be missing or wrong."""
    status = draw(st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "", "OK", "2000 Big"]))
    ctype = draw(st.sampled_from(["text/html; charset=utf-8", "text/html; charset=windows-1256", "text/plain",
                                  "image/png", "application/xhtml+xml", "", "text/html; charset=bogus"]))
    body = draw(st.one_of(encoded(html_page), encoded(), st.binary(max_size=200)))
    http = draw(st.sampled_from([f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\r\n",
                                 f"HTTP/1.1 {status}\r\n\r\n", "", "garbage line\r\n\r\n", f"HTTP/9 {status}\n\n"]))
    block = http.encode() + body
    headers = {
        "WARC-Type": draw(st.sampled_from(["response", "response", "resource", "request", "metadata", "warcinfo",
                                           "bogus"])),
        "WARC-Target-URI": draw(st.one_of(st.none(), st.just("https://news.test/a"), words, st.just("<>\x00"))),
        "WARC-Date": draw(st.one_of(st.none(), st.just("2024-01-05T10:00:00Z"), words)),
        "WARC-Record-ID": draw(st.one_of(st.none(), st.just("<urn:uuid:1>"))),
        "Content-Type": draw(st.one_of(st.none(), st.sampled_from(["application/http; msgtype=response",
                                                                   "text/html", "text/plain", "image/png", ""]))),
        "Content-Length": draw(st.one_of(st.none(), st.just(str(len(block))),
                                         st.integers(-5, 2 * len(block) + 5).map(str), st.just("many"))),
    }
    version = draw(st.sampled_from(["WARC/1.0", "WARC/1.1", "WARC/1.0", "WARC/0.17", "HTTP/1.1 200 OK", ""]))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items() if v is not None and "\n" not in v)
    return f"{version}\r\n{head}\r\n".encode("utf-8", "surrogatepass") + block + b"\r\n\r\n"


@st.composite
def warc_file(draw, compressed: bool) -> bytes:
    records = draw(st.lists(st.one_of(warc_record(), st.binary(max_size=80)), max_size=4))
    data = b"".join(gzip.compress(r) if compressed and draw(st.booleans()) else r for r in records) if compressed \
        else b"".join(records)
    return draw(damaged(st.just(data)))


FILES = {".txt": text_file, ".html": html_file, ".jsonl": jsonl_file, ".warc": warc_file(False),
         ".warc.gz": warc_file(True)}
any_file = st.sampled_from(sorted(FILES)).flatmap(lambda suffix: st.tuples(st.just(suffix), FILES[suffix]))


def actionable(reason: str) -> bool:
    """A reason a person can act on: a sentence, not an exception dump."""
    return isinstance(reason, str) and len(reason) >= 12 and "Traceback" not in reason and "\n" not in reason


def check_items(items: list, path: Path) -> None:
    assert items, f"{path.name} gave neither a document nor a rejection"
    for item in items:
        assert isinstance(item, (SourceDocument, Rejection))
        if isinstance(item, Rejection):
            assert actionable(item.reason), item.reason
        else:
            assert item.text.strip() and item.path == str(path)
            item.text.encode("utf-8")  # storable: no lone surrogates


def write_batch(folder: Path, files: list[tuple[str, bytes]]) -> Path:
    for i, (suffix, data) in enumerate(files):
        (folder / f"{i:02d}{suffix}").write_bytes(data)
    good = folder / "zz_good.txt"
    good.write_text(GOOD, encoding="utf-8")
    return good


@SETTINGS
@given(any_file)
def test_every_reader_gives_a_document_or_an_actionable_rejection(file):
    suffix, data = file
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        check_items(list(read_documents(path, MAX_BYTES)), path)


@SETTINGS
@given(st.lists(any_file, min_size=1, max_size=5))
def test_a_good_file_after_broken_ones_is_still_read(files):
    with tempfile.TemporaryDirectory() as tmp:
        good = write_batch(Path(tmp), files)
        items = list(iter_documents([tmp], MAX_BYTES))
        assert len(items) >= len(files) + 1  # each file gave something (test above: the single-file property)
        for item in items:
            assert isinstance(item, SourceDocument) or actionable(item.reason), item
        assert isinstance(items[-1], SourceDocument) and items[-1].path == str(good) and items[-1].text == GOOD


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_file, min_size=1, max_size=3))
def test_analyze_on_a_fuzzed_batch_exits_0_or_3_and_stores_the_good_file(files):
    from typer.testing import CliRunner

    from newsgraph import cli

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        good = write_batch(folder, files)
        db = Path(tmp) / "f.db"
        result = CliRunner().invoke(cli.app, ["analyze", str(folder), "--db", str(db), "-q",
                                              "--max-doc-mb", str(MAX_BYTES / 1e6)])
        assert result.exit_code in (0, 3), result.output
        assert "Traceback" not in result.output
        with sqlite3.connect(db) as conn:
            # every place a stored text was read from (a fuzzed file may hold the good file's very text: then
            # the good file is that document's second source)
            stored = {source for (source,) in conn.execute("SELECT source FROM document_sources")}
            rejected = conn.execute("SELECT count(*) FROM rejected").fetchone()[0]
        assert str(good) in stored
        assert (result.exit_code == 3) == (rejected > 0)
