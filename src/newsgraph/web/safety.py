"""Rendering document text inertly: escaping, bidi controls, links, highlights.

Every piece of document text that reaches a page goes through :func:`clean_display`
(Jinja's ``finalize`` hook calls it on every ``{{ }}`` value) and is escaped by
autoescape. Highlighted text is built here by slicing the *original* article text at
span offsets, cleaning and escaping each slice, and joining the pieces with our own
``<mark>``/``<a>`` tags, so offsets stay exact in right-to-left text and no document
character is ever interpreted as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from newsgraph.text.normalize import normalize_for_search, normalize_with_offsets, source_span

# Removed from every value shown, in one pass (clean_display runs on hundreds of values per page):
# LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069), which can
# reorder the UI around them (LRM/RLM/ALM, U+200E, U+200F, U+061C, only set direction and are kept),
# and C0/C1 controls other than tab/newline/CR, which would be invisible noise in a page.
HIDDEN_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`]+\Z", re.IGNORECASE)
RTL_LANGS = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "sd", "ug", "yi", "dv"})


def clean_display(value: object) -> object:
    """``value`` with bidi override/isolate and control characters removed (strings only;
    :class:`Markup` built by this module is already clean)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return HIDDEN_CONTROLS.sub("", value)


def escaped(text: str) -> Markup:
    """``text`` cleaned and HTML-escaped."""
    return escape(clean_display(text))


def safe_href(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) URL, else None (``javascript:``, ``data:``, URNs,
    relative paths and anything with whitespace or controls never become links)."""
    if not url or not SAFE_URL.match(url):
        return None
    return url


def text_dir(lang: str | None) -> str:
    """The ``dir`` attribute for text in ``lang`` (``auto`` when unknown)."""
    if not lang:
        return "auto"
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGS else "ltr"


@dataclass(frozen=True)
class Highlight:
    """A span to mark in a text: ``text[start:end]``, with our own tag attributes."""

    start: int
    end: int
    layer: str  # css class: ent, date, quote, technique, reuse, hit
    label: str = ""
    href: str | None = None
    title: str = ""


def non_overlapping(spans: Iterable[Highlight]) -> list[Highlight]:
    """Spans sorted by start; a span overlapping one already kept is dropped (earlier and
    longer first), so the marks nest cleanly."""
    kept: list[Highlight] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.start >= end and span.end > span.start:
            kept.append(span)
            end = span.end
    return kept


def _open_tag(span: Highlight, offset: int, piece: tuple[int, int] | None = None) -> str:
    """The opening tag of ``span``; for a piece of a span cut by other spans' boundaries, data-start
    and data-end are the piece's (what the element wraps) and data-span the whole span's."""
    classes = f"hl {span.layer}" + (f" {span.layer}-{_css_token(span.label)}" if span.label else "")
    start, end = piece or (span.start, span.end)
    attrs = (f' class="{escape(classes)}" data-start="{start + offset}" data-end="{end + offset}"'
             f' data-label="{escape(clean_display(span.label))}"')
    if piece and piece != (span.start, span.end):
        attrs += f' data-span="{span.start + offset}-{span.end + offset}"'
    if span.title:
        attrs += f' title="{escape(clean_display(span.title))}"'
    if span.href:
        return f'<a href="{escape(span.href)}"{attrs}>'
    return f"<mark{attrs}>"


def _css_token(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", label)[:32]


def highlighted_html(text: str, spans: Iterable[Highlight], offset: int = 0) -> Markup:
    """``text`` escaped, with each span wrapped in a mark (or a link when it has an href).

    Span offsets index ``text``; ``offset`` is added to the ``data-start``/``data-end``
    attributes (so a paragraph's marks carry offsets into the whole article)."""
    out: list[str] = []
    pos = 0
    for span in non_overlapping(spans):
        if span.start < pos or span.end > len(text):
            continue
        out.append(str(escaped(text[pos:span.start])))
        out.append(_open_tag(span, offset))
        out.append(str(escaped(text[span.start:span.end])))
        out.append("</a>" if span.href else "</mark>")
        pos = span.end
    out.append(str(escaped(text[pos:])))
    return Markup("".join(out))


def layered_html(text: str, spans: Iterable[Highlight], offset: int = 0) -> Markup:
    """``text`` escaped with every span marked, overlapping spans included (a name inside a quote, a
    technique around a name): the text is cut at every span boundary and each piece is wrapped in
    the marks of all spans covering it, longest outermost, so the tags nest and no span is dropped.
    Each element's ``data-start``/``data-end`` are the characters it wraps; a span cut into pieces
    carries its whole range in ``data-span`` on each piece. Links do not nest in HTML:
    in a piece covered by several linked spans, the shortest (the most specific) is the link.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    order = sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.layer))
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in order if s.start <= a and b <= s.end]
        if not covering:
            out.append(str(escaped(text[a:b])))
            continue
        linked = [s for s in covering if s.href]
        link = linked[-1] if linked else None
        for span in covering:
            out.append(_open_tag(span if span is link else _unlinked(span), offset, (a, b)))
        out.append(str(escaped(text[a:b])))
        out.extend("</a>" if span is link else "</mark>" for span in reversed(covering))
    return Markup("".join(out))


def _unlinked(span: Highlight) -> Highlight:
    return Highlight(span.start, span.end, span.layer, span.label, None, span.title) if span.href else span


def query_terms(query: str) -> list[tuple[str, bool]]:
    """Normalised query words to highlight and whether each is a prefix (``word*``): the search
    operators (OR, NOT, NEAR) and the words a query excludes (``-word``, ``NOT word``) are not."""
    kept, skip_next = [], False
    for token in query.replace("(", " ").replace(")", " ").split():
        if token in ("OR", "NOT") or re.match(r"^NEAR(/\d+)?$", token):
            skip_next = token == "NOT"
            continue
        if not (skip_next or (token.startswith("-") and len(token) > 1)):
            kept.append(token)
        skip_next = False
    terms = []
    for word in normalize_for_search(" ".join(kept)).split():
        prefix = word.endswith("*")
        word = "".join(ch for ch in word if ch.isalnum() or ch in "-'_")
        if word:
            terms.append((word, prefix))
    return terms


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of ``query`` occur in ``text`` as whole words (prefixes for ``word*``),
    compared in normalised form and mapped back to display offsets."""
    patterns = _query_patterns(query)
    if patterns is None:
        return []
    norm, offsets = normalize_with_offsets(text)
    spans = []
    for pattern in patterns.each:
        for m in pattern.finditer(norm):
            spans.append(source_span(text, offsets, m.start(), m.end()))
    return sorted(set(spans))


SNIPPET_CHUNK = 2000


@dataclass(frozen=True)
class QueryPatterns:
    """The regexes of a query's words: each word alone, any word, and any word as typed in any case."""

    each: tuple[re.Pattern[str], ...]
    any: re.Pattern[str]
    any_ignorecase: re.Pattern[str]


@lru_cache(maxsize=256)
def _query_patterns(query: str) -> QueryPatterns | None:
    """Built once per query, not once per result snippet (a search page shows twenty)."""
    terms = query_terms(query)
    if not terms:
        return None
    each = [r"(?<!\w)" + re.escape(w) + ("" if prefix else r"(?!\w)") for w, prefix in terms]
    return QueryPatterns(tuple(re.compile(p) for p in each), re.compile("|".join(each)),
                         re.compile("|".join(each), re.IGNORECASE))


def first_match(text: str, query: str) -> int | None:
    """Display offset of a match of ``query`` in ``text``: where the words occur as typed
    (case-insensitively) when they do, else the first match after folding, which folds the
    text a chunk at a time (folding is per character, so a chunk folds as it does inside the
    whole text). The unfolded try costs a regex scan instead of folding every character
    before the match, which was most of a search page's time."""
    patterns = _query_patterns(query)
    if patterns is None:
        return None
    m = patterns.any_ignorecase.search(text)
    if m:
        return m.start()
    for start in range(0, len(text), SNIPPET_CHUNK):
        chunk = text[start:start + SNIPPET_CHUNK + 100]
        m = patterns.any.search(normalize_for_search(chunk))
        if m:
            _, offsets = normalize_with_offsets(chunk)
            return start + offsets[m.start()]
    return None


def snippet_html(text: str, query: str, width: int = 220) -> Markup:
    """A window of ``text`` around the first match of ``query``, matches in it marked."""
    hit = first_match(text, query) if query else None
    start = 0 if hit is None else max(0, hit - width // 3)
    while 0 < start < hit and not text[start - 1].isspace():  # do not start inside a word
        start += 1
    end = min(len(text), start + width)
    window = text[start:end]
    spans = [Highlight(a, b, "hit") for a, b in match_spans(window, query)] if hit is not None else []
    body = highlighted_html(window, spans, offset=start)
    return Markup(("…" if start else "") + body + ("…" if end < len(text) else ""))
