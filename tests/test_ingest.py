"""Readers: encodings, formats, containers, and bad input turned into rejections."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newsgraph.ingest.decode import DecodeError, decode_bytes
from newsgraph.ingest.readers import iter_documents
from newsgraph.model import Rejection, SourceDocument

ARABIC = "قال نائب رئيس الحركة في غزة، خليل الحية، إن «حماس لا تقبل بديلاً من مصر»."
PERSIAN = "حاج قاسم همیشه بر وحدت گروه‌های اسلامی تأکید داشت."
ENGLISH = "Khaled al-Batsh told Press TV’s Face to Face program on Saturday that the résistance won."


def split(items):
    docs = [i for i in items if isinstance(i, SourceDocument)]
    rejected = [i for i in items if isinstance(i, Rejection)]
    return docs, rejected


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", ARABIC), ("utf-8-sig", PERSIAN), ("utf-16", ARABIC + "\n" + ENGLISH), ("utf-16-be", PERSIAN),
    ("cp1256", ARABIC + "\n\n" + ARABIC), ("iso8859-6", "قال الرئيس في غزة إن الحركة لا تقبل بديلا من مصر وإن العلاقة محورية"),
    ("cp1252", ENGLISH.replace("’", "'") + " Perinçek, café, naïve."), ("iso8859-1", "Le président a déclaré à la presse française que la réunion était très importante."),
])
def test_decoding_keeps_text_as_written(encoding, text):
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    decoded = decode_bytes(data)
    assert decoded.text == text


def test_empty_and_binary_input_are_refused_with_a_reason():
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(b"   \n\n ")
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(bytes(range(256)) * 40)


def test_directory_walk_reads_every_format(tmp_path: Path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    sub = tmp_path / "nested" / "deeper"
    sub.mkdir(parents=True)
    (sub / "b.html").write_text(f"<html><body><article><p>{ENGLISH}</p></article></body></html>", encoding="utf-8")
    (sub / "c.jsonl").write_text(
        json.dumps({"text": ARABIC, "url": "https://example.org/ar/1", "outlet": "الأخبار", "date": "2020-01-22"},
                   ensure_ascii=False) + "\n"
        + json.dumps({"html": f"<p>{PERSIAN}</p>", "title": "حاج قاسم"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    docs, rejected = split(list(iter_documents([tmp_path])))
    assert not rejected
    by_source = {d.source: d for d in docs}
    assert by_source[str(tmp_path / "a.txt")].text == ENGLISH
    assert by_source[str(sub / "b.html")].format == "html"
    arabic = by_source["https://example.org/ar/1"]
    assert arabic.text == ARABIC and arabic.meta["outlet"] == "الأخبار" and arabic.record == 0
    persian = by_source[f"{sub / 'c.jsonl'}:2"]
    assert persian.format == "html" and persian.meta["title"] == "حاج قاسم"


def test_jsonl_bad_lines_are_rejected_and_the_rest_read(tmp_path: Path):
    path = tmp_path / "crawl.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": ENGLISH}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://x.test/no-body"}),
        json.dumps({"text": ARABIC}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    docs, rejected = split(list(iter_documents([path])))
    assert [d.text for d in docs] == [ENGLISH, ARABIC]
    reasons = {r.source: r.reason for r in rejected}
    assert "not valid JSON" in reasons[f"{path}:2"]
    assert "object" in reasons[f"{path}:3"]
    assert "no non-empty 'text' or 'html'" in reasons[f"{path}:4"]


def test_overlong_jsonl_line_is_skipped_in_bounded_memory(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "x" * 5000}) + "\n")
        fh.write(json.dumps({"text": ENGLISH}) + "\n")
    docs, rejected = split(list(iter_documents([path], max_bytes=1000)))
    assert [d.text for d in docs] == [ENGLISH]
    assert "longer than" in rejected[0].reason


def _warc_bytes(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def test_warc_pages_are_read_and_non_pages_skipped(tmp_path: Path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc_bytes([
        ("https://news.test/a", "text/html; charset=utf-8", f"<html><body><p>{ENGLISH}</p></body></html>".encode()),
        ("https://news.test/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://news.test/b", "text/html; charset=windows-1256", f"<html><body><p>{ARABIC}</p></body></html>".encode("cp1256")),
    ]))
    docs, rejected = split(list(iter_documents([path])))
    assert not rejected
    assert [d.source for d in docs] == ["https://news.test/a", "https://news.test/b"]
    assert ARABIC in docs[1].text


def test_warc_record_without_a_target_uri_is_read_and_the_batch_goes_on(tmp_path: Path):
    """warcio fails on a response record with no WARC-Target-URI; the archive and the inputs after it must not."""
    path = tmp_path / "a.warc.gz"
    path.write_bytes(_warc_bytes([
        (None, "text/html; charset=utf-8", f"<html><body><p>{ENGLISH}</p></body></html>".encode()),
        ("https://news.test/b", "text/html; charset=utf-8", f"<html><body><p>{ENGLISH} b</p></body></html>".encode()),
    ]))
    after = tmp_path / "b.txt"
    after.write_text(ENGLISH, encoding="utf-8")
    docs, rejected = split(list(iter_documents([tmp_path])))
    assert not rejected
    assert [d.source for d in docs] == [f"{path}#0", "https://news.test/b", str(after)]


def test_truncated_warc_keeps_earlier_records_and_says_why(tmp_path: Path):
    data = _warc_bytes([(f"https://news.test/{i}", "text/html", f"<p>{ENGLISH} {i}</p>".encode() * 50) for i in range(3)])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: int(len(data) * 0.7)])
    docs, rejected = split(list(iter_documents([path])))
    assert len(docs) >= 1
    assert len(rejected) == 1 and "truncated" in rejected[0].reason


def test_unreadable_and_missing_paths_are_rejected(tmp_path: Path):
    missing = tmp_path / "nope.txt"
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04")
    docs, rejected = split(list(iter_documents([missing, odd])))
    assert not docs
    reasons = {r.source: r.reason for r in rejected}
    assert reasons[str(missing)] == "path does not exist"
    assert "unsupported file type .docx" in reasons[str(odd)]


def test_gzip_text_is_not_mistaken_for_text(tmp_path: Path):
    path = tmp_path / "page.txt"
    path.write_bytes(gzip.compress(ENGLISH.encode()))
    docs, rejected = split(list(iter_documents([path])))
    assert not docs and "binary" in rejected[0].reason


def test_a_field_label_before_a_date_names_no_outlet(tmp_path):
    """A record pasted in a story ("Processing Date: 06-22-2017", seen in a PTC article) made "Date:" an outlet."""
    from newsgraph.ingest.readers import read_documents
    from newsgraph.segment import segment_document

    page = tmp_path / "page.txt"
    page.write_text("Police identify suspect in death of two officers\n\n"
                    "The police have identified the suspect in the death of two officers as John Smith, 30.\n"
                    "Name: John Smith\nLocation: Columbus, Ohio\nAge: 30 years\nProcessing Date: 06-22-2017\n"
                    "Booking Charge:\nHe was arrested on Saturday after officers responded to a call.\n",
                    encoding="utf-8")
    articles = [a for doc in read_documents(page) for a in segment_document(doc)]
    assert articles and all(a.outlet is None for a in articles)
