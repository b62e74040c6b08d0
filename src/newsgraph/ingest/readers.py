"""Readers: files and directories in, :class:`SourceDocument` or :class:`Rejection` out.

Everything is streamed: a directory is walked lazily, JSONL and WARC files are
read one record at a time, and an over-long line or record is skipped in
bounded chunks rather than loaded. Every input yields either documents or a
rejection with a reason a person can act on; nothing raises to the caller.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.ingest.decode import DecodeError, decode_bytes
from newsgraph.model import Rejection, SourceDocument, content_hash

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
SUPPORTED = ".txt .html .htm .jsonl .warc .warc.gz"

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # one document; larger ones are rejected, not loaded
_CHUNK = 1 << 20

META_FIELDS = ("url", "title", "date", "outlet", "author", "lang")


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    return path.suffix.lower()


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Rejection]:
    """Yield files under ``paths`` (recursively, sorted for a stable order) or rejections."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            reason = "broken symbolic link (its target does not exist)" if path.is_symlink() else "path does not exist"
            yield Rejection(str(path), reason)
        elif path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        else:
            yield Rejection(str(path), "not a regular file (a pipe, socket or device); skipped")


def _walk(root: Path) -> Iterator[Path | Rejection]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield Rejection(str(root), f"cannot list directory: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # hidden files (.DS_Store, .git) are not inputs
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(path)
            elif entry.is_file():
                yield path
            elif entry.is_symlink():
                yield Rejection(str(path), "broken symbolic link (its target does not exist)")
            else:
                yield Rejection(str(path), "not a regular file (a pipe, socket or device); skipped")
        except OSError as exc:
            yield Rejection(str(path), f"cannot stat: {exc.strerror or exc}")


def read_documents(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceDocument | Rejection]:
    """Read one file into documents, never raising for bad input."""
    suffix = suffix_of(path)
    count = 0
    try:
        if suffix in TEXT_SUFFIXES:
            items = _read_plain(path, "text", max_bytes)
        elif suffix in HTML_SUFFIXES:
            items = _read_plain(path, "html", max_bytes)
        elif suffix in JSONL_SUFFIXES:
            items = _read_jsonl(path, max_bytes)
        elif suffix in WARC_SUFFIXES:
            items = _read_warc(path, max_bytes)
        else:
            yield Rejection(str(path), f"unsupported file type {suffix or '(no extension)'}; newsgraph reads {SUPPORTED}")
            return
        for count, item in enumerate(items, 1):
            yield item
    except PermissionError:
        yield Rejection(str(path), "permission denied: make the file readable")
    except OSError as exc:
        yield Rejection(str(path), f"cannot read: {exc.strerror or exc}")
    else:
        if not count:  # a container that held nothing to read: say so rather than pass it over in silence
            yield Rejection(str(path), _NOTHING_IN[suffix])


_NOTHING_IN = {
    ".jsonl": "no JSON lines in the file (it is empty or blank); give one JSON object per line",
    ".ndjson": "no JSON lines in the file (it is empty or blank); give one JSON object per line",
    ".warc": "no HTML or plain-text page in the WARC (only requests, redirects, errors, images or other "
             "non-page records); check that the crawl saved the pages' responses",
    ".warc.gz": "no HTML or plain-text page in the WARC (only requests, redirects, errors, images or other "
                "non-page records); check that the crawl saved the pages' responses",
}


def _cause(exc: BaseException) -> str:
    """An exception as one short line of a reason (warcio's messages quote the bad record's lines)."""
    return f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:80]}"


def _size_reason(size: int, max_bytes: int) -> str:
    return (f"document is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit; "
            "split it or raise --max-doc-mb")


def _read_plain(path: Path, fmt: str, max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    size = path.stat().st_size
    if size > max_bytes:
        yield Rejection(str(path), _size_reason(size, max_bytes))
        return
    data = path.read_bytes()
    yield _document_or_rejection(data, str(path), str(path), None, fmt, {})


def _document_or_rejection(data: bytes | str, source: str, path: str, record: int | None,
                           fmt: str, meta: dict[str, Any]) -> SourceDocument | Rejection:
    if isinstance(data, str):
        # JSON may carry lone surrogates ("\ud800"), which no UTF-8 store can hold: mark them U+FFFD
        text, encoding = data.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(data) else data, "utf-8"
        if not text.strip():
            return Rejection(source, "empty document (no text)")
    else:
        try:
            decoded = decode_bytes(data)
        except DecodeError as exc:
            return Rejection(source, str(exc))
        text, encoding = decoded.text, decoded.encoding
    if fmt == "text" and _looks_like_html(text):
        fmt = "html"
    return SourceDocument(id=content_hash(text), source=source, path=path, record=record,
                          format=fmt, encoding=encoding, text=text, meta=meta)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:65536])


def _bounded_lines(stream: io.BufferedReader, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) per line; ``None`` for a line over ``max_bytes``,
    whose rest is skipped in chunks so memory stays bounded."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    with path.open("rb") as stream:
        for number, line in _bounded_lines(stream, max_bytes):
            where = f"{path}:{number}"
            if line is None:
                yield Rejection(where, f"line {number} is longer than {max_bytes / 1e6:.0f} MB; split it or raise --max-doc-mb")
                continue
            if not line.strip():
                continue
            yield _jsonl_record(line, where, str(path), number - 1)


def _jsonl_record(line: bytes, where: str, path: str, record: int) -> SourceDocument | Rejection:
    try:
        obj = json.loads(line)
    except RecursionError:
        return Rejection(where, "JSON nested too deeply to read (arrays or objects inside each other past Python's "
                                "recursion limit); fix or remove the line")
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, and a number too long to convert to int
        return Rejection(where, f"not valid JSON ({_cause(exc)}); fix or remove the line")
    if not isinstance(obj, dict):
        return Rejection(where, "JSON line is not an object with a 'text' or 'html' field")
    body, fmt = obj.get("html"), "html"
    if not isinstance(body, str) or not body.strip():
        body, fmt = obj.get("text"), "text"
    if not isinstance(body, str) or not body.strip():
        return Rejection(where, "record has no non-empty 'text' or 'html' string field")
    meta = {k: str(obj[k]) for k in META_FIELDS if isinstance(obj.get(k), (str, int, float)) and str(obj[k]).strip()}
    source = meta.get("url") or where
    return _document_or_rejection(body, source, path, record, fmt, meta)


def _gzip_damage(path: Path) -> str | None:
    """Why a .gz file is damaged, or None. warcio stops quietly at a truncated member,
    so the whole stream is checked (decompression runs at hundreds of MB/s)."""
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(_CHUNK):
                pass
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        return _cause(exc)
    return None


def _read_warc(path: Path, max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    # warcio is imported here so that a broken optional install can't break text ingest.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    damage = _gzip_damage(path) if path.name.lower().endswith(".gz") else None
    count = complete = 0
    with path.open("rb") as stream:
        try:
            # no_record_parse: warcio parses a response's HTTP headers only when the record names an
            # http(s) target URI and fails on a record with none, which would end the whole archive;
            # _http_headers reads them for every response record instead.
            for record in ArchiveIterator(stream, no_record_parse=True):
                if record.rec_type not in ("response", "resource"):
                    continue
                count += 1
                for item in _warc_record(record, path, count - 1, max_bytes):
                    if getattr(record.raw_stream, "limit", 0):
                        damage = damage or "a record ends before its Content-Length"
                        break
                    complete += 1
                    yield item
        except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError) as exc:
            damage = _cause(exc)
    if damage:
        yield Rejection(str(path), f"WARC is damaged or truncated ({damage}); the {complete} complete record(s) "
                                   "before the damage were read; re-download or repair the archive")


def _http_headers(record: Any) -> Any:
    """The HTTP status and headers at the start of a response record's block (None if it has none)."""
    from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

    if record.rec_type != "response" or "application/http" not in (record.rec_headers.get_header("Content-Type") or
                                                                      "application/http"):
        return None
    try:
        return StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"]).parse(record.raw_stream)
    except (StatusAndHeadersParserException, EOFError, ValueError):
        return None


def _warc_record(record: Any, path: Path, index: int, max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{index}"
    record.http_headers = _http_headers(record)
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return  # redirects and errors carry no article; not an input problem
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    if ctype and not any(t in ctype for t in ("html", "text/plain", "xml")):
        return  # images, scripts, CSS: not pages
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Rejection(url, _size_reason(len(data), max_bytes))
        return
    fmt = "text" if "text/plain" in ctype else "html"
    date = record.rec_headers.get_header("WARC-Date")
    meta = {"url": url} | ({"crawl_date": date} if date else {})
    yield _document_or_rejection(data, url, str(path), index, fmt, meta)


def iter_documents(paths: Iterable[str | os.PathLike[str]], max_bytes: int = DEFAULT_MAX_BYTES
                   ) -> Iterator[SourceDocument | Rejection]:
    """All documents (or rejections) under ``paths``, streamed."""
    for item in iter_input_files(paths):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_documents(item, max_bytes)
