"""Bad input never loses the batch: a generated corpus of hostile files goes through the CLI
with no traceback, and every input is either stored or rejected with a reason."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = ("The Islamic Jihad official also hailed the uniting power of the resistance’s recent triumph. "
        "The resistance’s victories, he noted, managed to unite all within Palestine as well as pro-Palestinian "
        "people around the world around the Palestinian cause.")
GOOD_AR = "قال نائب رئيس الحركة في غزة، خليل الحية، إن «حماس لا تقبل بديلاً من مصر لإدارة القضايا الوطنية الفلسطينية»."


def _warc(records: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def build_hostile_corpus(root: Path) -> dict[str, str]:
    """Write the hostile corpus; returns {relative path: "ok" | "rejected" | "mixed"} expectations."""
    rng = random.Random(20261123)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes | str, outcome: str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = outcome

    put("good.txt", GOOD, "ok")
    put("empty.txt", b"", "rejected")
    put("whitespace.txt", " \n\t\n\u00a0\n".encode(), "rejected")
    put("binary.txt", bytes(rng.randrange(256) for _ in range(4096)), "rejected")
    put("png-named.html", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)), "rejected")
    put("nul-bytes.txt", b"abc\x00\x00\x00def" * 200, "rejected")
    put("utf16-bom.txt", "\ufeff".encode("utf-16-le") + (GOOD_AR + "\n\n" + GOOD).encode("utf-16-le"), "ok")
    put("cp1256.txt", (GOOD_AR + "\n\n" + GOOD_AR).encode("cp1256"), "ok")
    put("invalid-utf8-mix.txt", GOOD.encode() + b"\xff\xfe\xc3\x28" + GOOD.encode(), "ok")
    put("truncated.warc.gz", _warc([("https://x.test/1", f"<p>{GOOD}</p>".encode() * 30)] * 3)[:1500], "rejected")
    put("not-gzip.warc.gz", b"this is not gzip at all", "rejected")
    put("good.warc.gz", _warc([("https://x.test/ok", f"<html><body><article><p>{GOOD}</p><p>{GOOD}</p></article></body></html>".encode())]), "ok")
    put("malformed.html", "<html><body><div><p>" + GOOD + "<p><b><i>" + GOOD + "</div></span></table><<<>>>&&&#xZZ;", "ok")
    put("only-markup.html", "<html><head><script>alert(1)</script><style>p{}</style></head><body><nav>Home</nav></body></html>", "rejected")
    put("deep.html", "<div>" * 5000 + GOOD + "</div>" * 5000, "any")
    put("script-only.html", "<script>" + "var a=1;" * 1000 + "</script>", "rejected")
    put("hostile-text.html", f"<html><body><article><p>{GOOD}</p><p>&lt;script&gt;alert('x')&lt;/script&gt; \u202e evil \u202c {GOOD}</p></article></body></html>", "ok")
    lines = [json.dumps({"text": GOOD}), "{broken json", json.dumps({"html": 42}), json.dumps(None), "",
             json.dumps({"text": GOOD_AR, "url": "https://x.test/ar", "date": "not a date"}, ensure_ascii=False),
             '{"text": "\\ud800 lone surrogate ' + GOOD + '"}']
    put("mixed.jsonl", "\n".join(lines) + "\n", "mixed")
    put("huge-line.jsonl", b'{"text": "' + b"a" * (3 * 1024 * 1024) + b'"}\n' + json.dumps({"text": GOOD}).encode() + b"\n", "mixed")
    put("big-single-line.txt", b"word " * (700 * 1024), "rejected")  # 3.5 MB, over the 2 MB limit used below
    put("notes.docx", b"PK\x03\x04" + b"\x00" * 100, "rejected")
    put("noext", GOOD, "rejected")
    put("sub/dir/nested.txt", GOOD_AR + "\n\n" + GOOD_AR, "ok")
    os.symlink(root / "does-not-exist.txt", root / "dangling.txt")
    expect["dangling.txt"] = "rejected"
    os.mkfifo(root / "fifo.txt")
    expect["fifo.txt"] = "rejected"
    return expect


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    expect = build_hostile_corpus(corpus)
    db = root / "h.db"
    proc = subprocess.run([sys.executable, "-m", "newsgraph.cli", "analyze", str(corpus), "--db", str(db),
                           "--max-doc-mb", "2"], capture_output=True, text=True, timeout=600)
    return corpus, expect, db, proc


def test_no_traceback_and_exit_code_reports_rejections(hostile_run):
    _, _, _, proc = hostile_run
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "rejected" in proc.stdout


def test_every_input_is_accounted_for(hostile_run):
    corpus, expect, db, _ = hostile_run
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT source FROM document_sources")}
        rejected = dict(conn.execute("SELECT source, reason FROM rejected").fetchall())
    for name, outcome in expect.items():
        path = str(corpus / name)
        in_store = any(s == path or s.startswith(path + ":") for s in stored) or (
            name.endswith(".warc.gz") and any(s.startswith("https://x.test/") for s in stored))
        in_rejected = any(s == path or s.startswith(path + ":") for s in rejected)
        assert in_store or in_rejected, f"{name} is neither stored nor rejected"
        if outcome == "ok":
            assert in_store and path not in rejected, f"{name}: {rejected.get(path)}"
        elif outcome == "rejected":
            assert path in rejected, f"{name} should be rejected"
            assert len(rejected[path]) > 10
        elif outcome == "mixed":
            assert in_store and in_rejected, name


def test_reasons_are_actionable(hostile_run):
    corpus, _, db, _ = hostile_run
    with sqlite3.connect(db) as conn:
        rejected = dict(conn.execute("SELECT source, reason FROM rejected").fetchall())
    assert rejected[str(corpus / "empty.txt")] == "empty file (no text)"
    assert "binary" in rejected[str(corpus / "binary.txt")]
    assert "truncated" in rejected[str(corpus / "truncated.warc.gz")]
    assert "over the 2 MB limit" in rejected[str(corpus / "big-single-line.txt")]
    assert "unsupported file type .docx" in rejected[str(corpus / "notes.docx")]
    assert "broken symbolic link" in rejected[str(corpus / "dangling.txt")]
    assert "not a regular file" in rejected[str(corpus / "fifo.txt")]
    assert "not valid JSON" in rejected[f"{corpus / 'mixed.jsonl'}:2"]
    assert "longer than" in rejected[f"{corpus / 'huge-line.jsonl'}:1"]


def test_hostile_markup_is_stored_as_text_only(hostile_run):
    _, _, db, _ = hostile_run
    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    assert any("<script>alert('x')</script>" in t for t in texts)  # as text, for the UI to escape
    assert not any("var a=1" in t for t in texts)
