"""Main-text extraction from one HTML page, with every paragraph tied to its markup.

trafilatura finds the main text and the page metadata. It works on a parsed
tree and returns text only, so it cannot say where a paragraph came from. We
recover that ourselves: a small tolerant scanner projects the raw HTML to
visible text while remembering, for every projected character, its offset in
the raw string; each extracted paragraph is then aligned against that
projection in document order. A paragraph's ``text`` is re-derived from the
markup span it was aligned to, so ``markup_to_text(html[start:end]) ==
paragraph.text`` holds by construction.

Nothing here downloads anything; trafilatura runs on the string it is given.
"""

from __future__ import annotations

import bisect
import html as _html
import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# Pages beyond this many characters are not parsed at all: trafilatura's tree
# and our projection both grow with the page and such pages are never articles.
MAX_HTML_CHARS = 25_000_000

# trafilatura settings chosen with bench/extraction_accuracy.py (see its table).
TRAFILATURA_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "favor_precision": True,
}
# Balanced-mode retry: when precision mode keeps under RETRY_BELOW_CHARS characters
# and balanced mode finds at least RETRY_MIN_GAIN times as much, balanced mode wins.
RETRY_BELOW_CHARS = 1000
RETRY_MIN_GAIN = 4


@dataclass
class HtmlParagraph:
    start: int  # offset in the HTML string where this paragraph's text begins
    end: int  # offset where it ends (exclusive)
    text: str  # display text (whitespace tidied, entities decoded, no tags)
    kind: str = "body"  # "body", or "heading" for h1-h6 inside the body


@dataclass
class HtmlExtraction:
    title: str | None
    author: str | None
    date: str | None  # ISO YYYY-MM-DD when known
    outlet: str | None  # site name
    url: str | None
    lang: str | None  # from <html lang> / meta, if present
    paragraphs: list[HtmlParagraph] = field(default_factory=list)
    unlocated: int = 0  # extracted paragraphs dropped because no source span was found


# --- public API -----------------------------------------------------------------


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of one page; empty ``paragraphs`` when none is found.

    Never raises on bad input: malformed, empty or oversized pages give an
    extraction with no paragraphs, which the caller records as a rejection.
    """
    empty = HtmlExtraction(None, None, None, None, url, None, [])
    if not isinstance(html, str) or not html.strip() or len(html) > MAX_HTML_CHARS:
        return empty
    empty.lang = page_language(html)
    extracted = run_trafilatura(html, url)
    if extracted is None:
        return empty
    metadata, body = extracted
    try:
        paragraphs, unlocated = locate_blocks(html, extracted_blocks(body))
    except Exception as exc:  # a bug here must cost one page, not the run
        log.warning("could not locate the extracted text in the page: %r", exc)
        paragraphs, unlocated = [], 0
    return HtmlExtraction(
        title=_clean(metadata.title),
        author=_clean(metadata.author),
        date=_iso_date(metadata.date),
        outlet=_clean(metadata.sitename),
        url=url or _clean(metadata.url),
        lang=empty.lang,
        paragraphs=paragraphs,
        unlocated=unlocated,
    )


def markup_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags stripped, entities decoded, whitespace collapsed.

    Block-level tags (p, div, li, td, br, h1-h6, ...) separate words; inline
    tags (a, b, span, ...) do not, so ``foo<b>bar</b>`` reads ``foobar``.
    """
    parts: list[str] = []
    for kind, _start, _end, text in scan_markup(fragment):
        parts.append(" " if kind == "break" else text)
    return " ".join("".join(parts).split())


# --- trafilatura ----------------------------------------------------------------


def run_trafilatura(html: str, url: str | None):
    """trafilatura's page metadata and extracted body tree, or None.

    Precision mode first (it drops teasers and link lists that balanced mode
    keeps). When it keeps almost nothing, the page is usually one where it
    mistook a notice for the article: balanced mode then decides, if it finds
    several times more text.

    The page is parsed and its metadata read once, and both modes extract from
    copies of that tree: ``bare_extraction(html, with_metadata=True)`` would parse
    the page and read its metadata again in each mode, to the same result (the
    metadata pass runs on the tree before extraction either way, and the URL it
    finds only reaches trafilatura's link conversion, which is off: no
    ``include_links`` in TRAFILATURA_OPTIONS).
    """
    parsed = _parsed_page(html, url)
    if parsed is None:
        return None
    tree, metadata = parsed
    body = _extracted_body(tree, url, TRAFILATURA_OPTIONS)
    kept = _body_length(body)
    if kept < RETRY_BELOW_CHARS:
        balanced = _extracted_body(tree, url, {**TRAFILATURA_OPTIONS, "favor_precision": False})
        if _body_length(balanced) >= max(RETRY_MIN_GAIN * kept, 1):
            body = balanced
    return None if body is None else (metadata, body)


def _parsed_page(html: str, url: str | None):
    """(lxml tree, trafilatura metadata Document) as ``bare_extraction`` makes them, or None."""
    from trafilatura.settings import Extractor
    from trafilatura.utils import load_html

    options = Extractor(url=url, with_metadata=True)
    try:
        tree = load_html(html, options.max_file_size)
        if tree is None:
            return None
        metadata = page_metadata(tree, options.url, options.date_params)
    except Exception as exc:  # trafilatura/lxml can fail on pathological markup; never propagate
        log.debug("trafilatura failed: %s", exc)
        return None
    return tree, metadata


def page_metadata(tree, url: str | None, date_params: dict):
    """trafilatura's ``extract_metadata`` for the fields we keep: title, author, url, date, sitename.

    The same steps in the same order (trafilatura 2.x, ``metadata.extract_metadata``), less
    the categories, tags and licence it reads last from the whole tree, which we never use
    and which cost a third of its time. Its own helpers do the work; a test holds the five
    fields to ``extract_metadata``'s on real pages, so a trafilatura release that changes the
    steps shows there. Falls back to ``extract_metadata`` itself if a helper is missing.
    """
    from trafilatura import metadata as tm

    helpers = ("examine_meta", "extract_meta_json", "extract_title", "extract_author", "extract_url",
               "extract_sitename", "find_date", "META_URL")
    if not all(hasattr(tm, name) for name in helpers):
        return tm.extract_metadata(tree, url, date_params)
    metadata = tm.examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = tm.extract_meta_json(tree, metadata)
    except Exception as exc:  # noqa: BLE001 - as trafilatura: bugs in its JSON-LD reader cost the JSON-LD only
        log.debug("trafilatura JSON-LD metadata failed: %s", exc)
    if not metadata.title:
        metadata.title = tm.extract_title(tree)
    if not metadata.author:
        metadata.author = tm.extract_author(tree)
    if not metadata.url:
        metadata.url = tm.extract_url(tree, url)
    metadata.date = tm.find_date(tree, **{**date_params, "url": metadata.url})
    if not metadata.sitename:
        metadata.sitename = tm.extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        match = tm.META_URL.match(metadata.url)
        if match:
            metadata.sitename = match[1]
    metadata.filedate = date_params.get("max_date")
    metadata.clean_and_trim()  # entities decoded, spaces and control characters removed, length capped
    return metadata


def _extracted_body(tree, url: str | None, options: dict):
    """The body tree trafilatura extracts from a copy of ``tree`` with ``options``, or None."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
    except Exception as exc:  # trafilatura/lxml can fail on pathological markup; never propagate
        log.debug("trafilatura failed: %s", exc)
        return None
    return getattr(document, "body", None) if document is not None else None


def _body_length(body) -> int:
    if body is None:
        return 0
    return sum(len(piece.strip()) for piece in body.itertext())


# Elements of trafilatura's output tree that hold other blocks rather than text.
_CONTAINERS = {"body", "doc", "main", "list", "quote", "div", "table", "row", "article", "section"}
_TEXT_BLOCKS = {"p", "head", "item", "quote", "code", "cell", "row", "table", "list"}


def extracted_blocks(body) -> list[tuple[str, str]]:
    """(kind, text) for every paragraph, heading, list item, quote and table row of the body.

    Our own walk (trafilatura's text serialiser flattens the paragraphs we need).
    A table row is one paragraph (its cells read left to right); a list item
    holding a nested list yields its own text, then the nested items.
    """
    blocks: list[tuple[str, str]] = []
    if body is None:
        return blocks
    _walk_blocks(body, blocks, is_root=True)
    return [(kind, text) for kind, text in blocks if _SOLID.search(text)]


def _walk_blocks(element, blocks: list[tuple[str, str]], is_root: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "row" or (not is_root and not _has_block_child(element)):
        blocks.append(("heading" if tag == "head" else "body", _tidy("".join(element.itertext()))))
        return
    # A container's loose text and inline children between its blocks form paragraphs of their own.
    run: list[str] = [element.text or ""]
    for child in element:
        child_tag = child.tag if isinstance(child.tag, str) else ""
        if child_tag in _TEXT_BLOCKS or child_tag in _CONTAINERS:
            blocks.append(("body", _tidy("".join(run))))
            run = []
            _walk_blocks(child, blocks)
        elif child_tag and child_tag not in ("graphic", "lb"):
            run.append("".join(child.itertext()))
        run.append(child.tail or "")
    blocks.append(("body", _tidy("".join(run))))


def _has_block_child(element) -> bool:
    return any(isinstance(child.tag, str) and (child.tag in _TEXT_BLOCKS or child.tag in _CONTAINERS) for child in element)


# --- projection of the raw markup -------------------------------------------------
#
# Quotes delimit an attribute value only right after "=", as in browsers, so a
# stray quote (``target_blank"``) does not swallow the rest of the page.
#
# Own code rather than lxml: lxml's tree does not keep source offsets for text,
# and the HTML parsers that do (html.parser) are slow and normalise entities
# without reporting their extent. A regex scanner over the raw string is linear,
# never raises, and gives exact offsets.

# A comment runs to the first "-->" (or the end of the page); a tag to the first ">" not
# inside a quoted value. Runs of ordinary characters are taken whole (the forms with one
# character per step, ``.*?`` and ``(?:...|[^>])*``, match the same text several times slower).
_COMMENT = r"<!--(?>[^-]*(?:-(?!->)[^-]*)*)(?:-->|\Z)"
_DECL = r"<[!?][^>]*>?"
_TAG_REST = r"""(?:[^>=\s]+|\s*=\s*(?:"[^"]*"|'[^']*')|[^>])*>?"""
_ENTITY = r"&(?:\#[0-9]{1,8};?|\#[xX][0-9A-Fa-f]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
_TOKEN = re.compile(
    rf"(?P<comment>{_COMMENT})|(?P<decl>{_DECL})|(?P<tag></?(?P<name>[A-Za-z][^\s/>]*){_TAG_REST})"
    rf"|(?P<entity>{_ENTITY})|(?P<text>[^<&]+|[<&])",
    re.S,
)

# Elements whose content is not markup (browsers treat it as raw text) or not displayed
# (MathML <annotation> holds the TeX source of a formula). Skipped up to their
# closing tag; an element never closed is read as an ordinary tag instead, so one
# malformed <title> cannot hide the rest of the page.
_RAW_TEXT = {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "template", "annotation"}
_RAW_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in _RAW_TEXT}

# What the projection skips, as one pattern so that a run of tags and the whitespace
# between them is one match (Python then visits each text node once, not each token):
# the tokens above that show no text, each with the ignorable characters after it. An
# entity is matched on its own, and so is the opening tag of a raw-text element (whose
# content is then skipped to its closing tag); the text is what lies between matches.
# Matches start where scan_markup's tokens start (every "<" and "&" starts one there),
# so both read a page alike; tests/test_spine_speed.py checks it.
_RAW_NAME = rf"(?i:{'|'.join(sorted(_RAW_TEXT))})(?=[\s/>]|\Z)"
_HIDDEN = re.compile(
    rf"(?P<entity>{_ENTITY})|(?P<raw_open><(?P<raw>{_RAW_NAME}){_TAG_REST})"
    rf"|(?:(?:{_COMMENT}|{_DECL}|</[A-Za-z][^\s/>]*{_TAG_REST}|<(?!{_RAW_NAME})[A-Za-z][^\s/>]*{_TAG_REST})"
    rf"[\s\u00ad\u200b\u2060\ufeff]*)+",
    re.S,
)


def _raw_text_end(html: str, name: str, start: int, unclosed: dict[str, int]) -> int | None:
    """Where the closing tag of raw-text element ``name``, open at ``start``, ends; None when
    it is never closed. ``unclosed`` remembers where a search failed: no later one can succeed,
    so a page of unclosed <script> tags is read in linear time."""
    if unclosed.get(name, len(html) + 1) <= start:
        return None
    closing = _RAW_END[name].search(html, start)
    if closing is None:
        unclosed[name] = start
        return None
    return closing.end()


# Tags that break a line when rendered; everything else is inline (joins words).
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "body", "head", "legend", "li", "main", "menu", "nav", "ol", "option", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "img", "select",
    "button", "input", "label", "video", "audio", "picture", "svg",
}


def scan_markup(html: str):
    """Yield (kind, raw_start, raw_end, text) for the visible parts of ``html``.

    kind is "text" (a run of literal characters), "entity" (one decoded
    character reference) or "break" (a block-level tag).
    """
    for group, start, end, match in _tokens(html):
        if group == "text":
            yield "text", start, end, match.group()
        elif group == "entity":
            yield "entity", start, end, _decode_entity(match.group())
        elif group == "tag" and match.group("name").lower() in _BLOCK_TAGS:
            yield "break", start, match.end(), " "


def _tokens(html: str):
    """(group, start, end, match) for each token of ``html``, the content of raw-text
    elements (script, style, ...) skipped: ``end`` is then past their closing tag."""
    pos, size = 0, len(html)
    unclosed: dict[str, int] = {}
    while pos < size:
        for match in _TOKEN.finditer(html, pos):  # always matches: [<&] and [^<&]+ cover any character
            start, end, group = match.start(), match.end(), match.lastgroup
            if group == "tag" and html[start + 1] != "/":
                name = match.group("name").lower()
                if name in _RAW_TEXT and (closed := _raw_text_end(html, name, end, unclosed)) is not None:
                    yield group, start, closed, match
                    pos = closed
                    break  # scan on from the closing tag
            yield group, start, end, match
        else:
            pos = size


def _decode_entity(entity: str) -> str:
    decoded = _html.unescape(entity)
    return decoded if decoded != "\x00" else ""


# Characters ignored when aligning (whitespace, soft hyphen, zero-width space,
# word joiner, BOM): extractors drop or change them freely. ZWNJ/ZWJ are kept:
# they are letters' shaping in Persian and Arabic and extractors keep them.
_IGNORABLE = re.compile(r"[\s\u00ad\u200b\u2060\ufeff]+")
_SOLID = re.compile(r"[^\s\u00ad\u200b\u2060\ufeff]+")


class Projection:
    """The page's visible text with all ignorable characters removed (``solid``),
    and a map from each solid character back to its raw HTML offsets.

    One segment per text token or entity; where a solid character sits inside a text
    token is worked out only for the characters asked about (paragraph ends).
    """

    def __init__(self, html: str):
        pieces: list[str] = []
        self.seg_solid: list[int] = []  # solid offset where each segment starts
        self.seg_raw: list[int] = []  # raw offset of the segment's first character
        self.seg_atomic: list[int] = []  # raw end for entities (one unit), -1 for literal runs
        self.seg_text: list[str] = []  # a text run's raw text ("" for entities)
        self._runs: dict[int, tuple[list[int], list[int]]] = {}  # per text segment: raw and solid run starts
        length, pos, size = 0, 0, len(html)
        unclosed: dict[str, int] = {}
        scan_from = 0
        while scan_from < size:
            for match in _HIDDEN.finditer(html, scan_from):
                start = match.start()
                if start > pos:  # the text between two hidden runs
                    length += self._add_text(pieces, html, pos, start, length)
                pos = match.end()
                if match.group("entity"):
                    solid = _IGNORABLE.sub("", _decode_entity(match.group()))
                    if solid:
                        self._add(solid, length, start, pos, "")
                        pieces.append(solid)
                        length += len(solid)
                elif match.group("raw_open"):
                    closed = _raw_text_end(html, match.group("raw").lower(), pos, unclosed)
                    if closed is not None:  # skip the content; scan on from the closing tag
                        pos = scan_from = closed
                        break
            else:
                scan_from = size
        if pos < size:
            self._add_text(pieces, html, pos, size, length)
        self.solid = "".join(pieces)

    def _add_text(self, pieces: list[str], html: str, start: int, end: int, at: int) -> int:
        """Add the literal text html[start:end] at solid offset ``at``; its solid length."""
        text = html[start:end]
        solid = _IGNORABLE.sub("", text)
        if solid:
            self._add(solid, at, start, -1, text)
            pieces.append(solid)
        return len(solid)

    def _add(self, solid: str, at: int, raw: int, atomic_end: int, text: str) -> None:
        self.seg_solid.append(at)
        self.seg_raw.append(raw)
        self.seg_atomic.append(atomic_end)
        self.seg_text.append(text)

    def raw_start(self, index: int) -> int:
        """Raw offset where solid character ``index`` begins."""
        seg = bisect.bisect_right(self.seg_solid, index) - 1
        if self.seg_atomic[seg] >= 0:
            return self.seg_raw[seg]
        return self.seg_raw[seg] + self._literal_offset(seg, index - self.seg_solid[seg])

    def raw_end(self, index: int) -> int:
        """Raw offset just after solid character ``index``."""
        seg = bisect.bisect_right(self.seg_solid, index) - 1
        if self.seg_atomic[seg] >= 0:
            return self.seg_atomic[seg]
        return self.seg_raw[seg] + self._literal_offset(seg, index - self.seg_solid[seg]) + 1

    def _literal_offset(self, seg: int, k: int) -> int:
        """Offset in text segment ``seg`` of its ``k``-th solid character. Its runs of solid
        characters are listed the first time (one text node may hold many paragraphs)."""
        runs = self._runs.get(seg)
        if runs is None:
            raw_starts, solid_starts, at = [], [], 0
            for run in _SOLID.finditer(self.seg_text[seg]):
                raw_starts.append(run.start())
                solid_starts.append(at)
                at += run.end() - run.start()
            runs = self._runs[seg] = (raw_starts, solid_starts)
        r = bisect.bisect_right(runs[1], k) - 1
        return runs[0][r] + k - runs[1][r]


# --- alignment ---------------------------------------------------------------------

# Paragraphs shorter than this (solid characters) are too ambiguous to anchor
# the order: they are placed after the long ones, between their neighbours.
_SHORT = 40
# Anchor size for the fuzzy fallback, and the share of a paragraph's characters
# the anchors must cover for a fuzzy span to be accepted.
_CHUNK = 16
_MIN_COVER = 0.5


def locate_blocks(html: str, blocks: list[tuple[str, str]]) -> tuple[list[HtmlParagraph], int]:
    """Source spans for the extracted blocks, in document order, and how many could not be located.

    Exact (whitespace-insensitive) search first, long paragraphs before short
    ones so a heading repeated in the navigation is not matched there; then a
    search allowing source text trafilatura left out between the paragraph's
    pieces; then an anchor-based fuzzy search for text trafilatura altered. A block that still
    cannot be located is dropped (its text has no source we can justify) and
    counted, never guessed.
    """
    if not blocks:
        return [], 0
    projection = Projection(html)
    keys = [_IGNORABLE.sub("", text) for _kind, text in blocks]
    spans: list[tuple[int, int] | None] = [None] * len(blocks)
    order = [i for i, key in enumerate(keys) if len(key) >= _SHORT] + [i for i, key in enumerate(keys) if len(key) < _SHORT]
    located: list[int] = []  # indices of located blocks, sorted, to find a block's neighbours
    for i in order:
        spans[i] = _locate(projection.solid, keys[i], *_window(spans, located, i, len(projection.solid)))
        if spans[i] is not None:
            bisect.insort(located, i)
    paragraphs: list[HtmlParagraph] = []
    seen: set[tuple[int, int]] = set()
    for (kind, _text), span in zip(blocks, spans):
        if span is None or span in seen:
            continue
        seen.add(span)
        start, end = projection.raw_start(span[0]), projection.raw_end(span[1] - 1)
        text = markup_to_text(html[start:end])
        if text:
            paragraphs.append(HtmlParagraph(start, end, text, kind))
    paragraphs.sort(key=lambda p: p.start)
    return paragraphs, sum(span is None for span in spans)


def _window(spans: list, located: list[int], i: int, size: int) -> tuple[int, int]:
    """Where block ``i`` should be: after the nearest located block before it,
    before the nearest located block after it."""
    at = bisect.bisect_left(located, i)
    low = spans[located[at - 1]][1] if at > 0 else 0
    high = spans[located[at]][0] if at < len(located) else size
    return low, max(high, low)


def _locate(solid: str, key: str, low: int, high: int) -> tuple[int, int] | None:
    """Solid-text span of ``key``: inside the expected window, else after it, else anywhere."""
    if not key:
        return None
    for start, stop in ((low, high), (low, len(solid)), (0, len(solid))):
        found = solid.find(key, start, stop)
        if found >= 0:
            return found, found + len(key)
    found = _locate_gappy(solid, key, low, high) or _locate_gappy(solid, key, low, len(solid))
    if found or len(key) < 2 * _CHUNK:
        return found
    return _locate_fuzzy(solid, key, low) or _locate_fuzzy(solid, key, 0)


def _longest_prefix(solid: str, key: str, start: int, stop: int) -> tuple[int, int]:
    """(position, length) of the longest prefix of ``key`` found in ``solid[start:stop]``."""
    best, lo, hi = (-1, 0), 1, len(key)
    while lo <= hi:  # found-ness is monotone in the prefix length: binary search
        mid = (lo + hi) // 2
        at = solid.find(key[:mid], start, stop)
        if at >= 0:
            best, lo = (at, mid), mid + 1
        else:
            hi = mid - 1
    return best


def _locate_gappy(solid: str, key: str, low: int, high: int) -> tuple[int, int] | None:
    """Span holding all of ``key`` in order, with extra source text between its pieces.

    For inline markup trafilatura leaves out (ruby readings, MathML, footnote
    marks): the paragraph is consumed greedily as the longest pieces found in
    order, within three times its length of where it starts. Rejected when the
    pieces are too many (averaging under ~4 characters) to be more than chance.
    """
    at, length = _longest_prefix(solid, key, low, high)
    if at < 0:
        return None
    begin, cursor, done, pieces = at, at + length, length, 1
    limit = begin + 3 * len(key) + 200
    while done < len(key):
        at, length = _longest_prefix(solid, key[done:], cursor, limit)
        if at < 0:
            return None
        cursor, done, pieces = at + length, done + length, pieces + 1
        if pieces > 2 + len(key) // 4:
            return None
    return begin, cursor


def _locate_fuzzy(solid: str, key: str, low: int) -> tuple[int, int] | None:
    """Span covered by ``key``'s 16-character anchors found in order after ``low``.

    For text trafilatura changed a little (a dropped footnote marker, an entity
    decoded differently): the span runs from the first to the last anchor found,
    bounded to twice the paragraph's length, and is kept only when the anchors
    cover at least half of the paragraph.
    """
    chunks = [key[k : k + _CHUNK] for k in range(0, len(key) - _CHUNK + 1, _CHUNK)]
    for first in range(min(4, len(chunks))):
        begin = solid.find(chunks[first], low)
        if begin < 0:
            continue
        limit = begin + 2 * len(key) + 200
        cursor, end, covered = begin + _CHUNK, begin + _CHUNK, _CHUNK
        for chunk in chunks[first + 1 :]:
            found = solid.find(chunk, cursor, limit)
            if found >= 0:
                cursor = end = found + _CHUNK
                covered += _CHUNK
        if covered >= _MIN_COVER * len(key):
            return begin, end
    return None


# --- metadata ---------------------------------------------------------------------

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.I)
_META_LANG = re.compile(
    r"<meta\b[^>]*?(?:http-equiv\s*=\s*[\"']?content-language|property\s*=\s*[\"']?og:locale\b|name\s*=\s*[\"']?language)"
    r"[^>]*?content\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)",
    re.I,
)


def page_language(html: str) -> str | None:
    """Language declared by the page (<html lang>, else a content-language meta), as a lower-case tag."""
    head = html[:200_000]
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return match.group(1).replace("_", "-").lower() if match else None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\d{4}-\d{2}-\d{2}", value.strip())
    return match.group() if match else None


def _clean(value: str | None) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _tidy(text: str) -> str:
    return " ".join(text.split())
