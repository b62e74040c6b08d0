"""Bytes to text: encoding detection that keeps the text as written.

Order of decisions:
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) is authoritative;
2. strict UTF-8 (by far the most common encoding of scraped pages);
3. otherwise charset-normalizer picks among the legacy encodings newsgraph's
   users meet (Windows-1256 and ISO-8859-6 for Arabic, Windows-1252 and the
   ISO-8859 family for European languages, …).

Binary input (images, PDFs, executables saved with a .txt name) is refused
rather than decoded into mojibake.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# Legacy encodings we let charset-normalizer choose from. Restricting the
# candidates keeps it from answering exotic code pages for short Arabic text.
_LEGACY = [
    "cp1256", "iso8859_6", "cp1252", "iso8859_1", "iso8859_2", "iso8859_5",
    "iso8859_7", "iso8859_9", "iso8859_15", "cp1251", "koi8_r", "cp1250",
    "cp1253", "cp1254", "shift_jis", "gb18030", "big5", "euc_kr",
]

_BINARY_SIGNATURES = (
    b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"MZ", b"\x00\x00\x01\x00", b"RIFF",
)


class DecodeError(ValueError):
    """Raised with a reason a person can act on."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> str | None:
    head = data[:4096]
    for sig in _BINARY_SIGNATURES:
        if head.startswith(sig):
            return f"binary content (starts like {sig[:4]!r}), not text or HTML"
    if head.count(b"\x00") > len(head) // 100:
        return "binary content (NUL bytes), not text or HTML"
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and control / len(head) > 0.05:
        return "binary content (control bytes), not text or HTML"
    return None


def _has_multibyte_utf8(data: bytes) -> bool:
    """Whether the bytes hold valid multi-byte UTF-8 sequences (evidence the page is UTF-8)."""
    import re

    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data) is not None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` as written; raise :class:`DecodeError` for empty or binary input."""
    if not data.strip():
        raise DecodeError("empty file (no text)")
    decoded = _decode(data)
    if not decoded.text.strip():  # a byte-order mark alone, or only Unicode spaces (no-break, ideographic)
        raise DecodeError("empty file (no text)")
    return decoded


def _decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"declares {encoding} by its byte-order mark but does not decode: {exc.reason}") from exc
    reason = _looks_binary(data)
    if reason:
        raise DecodeError(reason)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    damaged = lenient.count("\ufffd")
    if damaged and damaged <= max(3, len(data) // 1000) and _has_multibyte_utf8(data):
        # UTF-8 with a few corrupt bytes (a truncated write, a bad concatenation): keep the text,
        # mark only the damaged bytes, rather than re-reading the whole page in a legacy code page
        return Decoded(lenient, f"utf-8 ({damaged} invalid byte sequence(s) replaced)")
    matches = list(from_bytes(data, cp_isolation=_LEGACY))
    if not matches:
        raise DecodeError("not decodable as UTF-8, UTF-16 or a known legacy encoding; re-save it as UTF-8")
    # charset-normalizer's ranking ties on short text (cp1250 and cp1252 both decode
    # "naïve" without chaos); break ties by how common the encoding is on the web.
    best = min(matches, key=lambda m: (round(m.chaos, 2), -round(m.coherence, 1), _LEGACY.index(m.encoding)
                                       if m.encoding in _LEGACY else len(_LEGACY)))
    return Decoded(str(best), best.encoding)
