"""From a page's lines to articles: boilerplate decisions, article cuts, metadata.

The segmenter works in four passes over the page's :class:`Line` units:

1. *line rules*: each line alone (comment forms, share widgets, licence lines,
   breadcrumbs, related-list headers, datelines, bylines, …);
2. *cuts*: where a new article starts (a title followed by its dateline or
   byline, or a title printed twice), so a page holding several articles is
   split apart;
3. *context rules* per article: captions around the title, related-list items,
   teasers for other stories, everything after a comment form, signatures and
   source lines at the end, pull-quotes that repeat the body;
4. *metadata*: title, author, date, outlet and section from the lines the
   rules set aside.

Every decision keeps the rule's name, so ``newsgraph show`` can say why a line
was cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from newsgraph.enrich.language import detect_language
from newsgraph.segment import rules
from newsgraph.segment.captions import is_verbless_caption
from newsgraph.segment.lines import Line, blocks_of
from newsgraph.segment.teasers import headline_runon_split, is_truncated_card
from newsgraph.text.dates import parse_date
from newsgraph.text.normalize import normalize_for_search

KEEP = "body"
METADATA_KINDS = {"title", "dateline", "byline", "source_line", "date_line"}


@dataclass
class Draft:
    """An article being assembled: its lines and what the rules found."""

    lines: list[Line]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    date_text: str | None = None
    outlet: str | None = None
    section: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def body(self) -> list[Line]:
        return [ln for ln in self.lines if ln.kind == KEEP]


# ---------------------------------------------------------------- pass 1


def classify_lines(lines: list[Line]) -> None:
    """Language and the context-free decisions for every line."""
    for line in lines:
        line.lang = detect_language(line.text)
        found = rules.whole_line_kind(line.text)
        tail = rules.WIDGET_TAIL.search(line.text)
        if tail and tail.start() > 0 and not found:
            line.features["widget_tail"] = tail.start()
        if found:
            line.kind, line.rule = found
            continue
        _mark_metadata_line(line)


def _mark_metadata_line(line: Line) -> None:
    text = line.text
    if (m := rules.SOURCE_LINE.match(text)):
        line.kind, line.rule = "source_line", "source-line"
        line.features["value"] = m.group("value").strip()
    elif (m := rules.DATE_LABEL.match(text)) and (d := parse_date(m.group("value"), line.lang)):
        line.kind, line.rule = "date_line", "date-label"
        line.features["date"] = d
    elif (m := rules.BYLINE.match(text)) and _looks_like_name(m.group("name")):
        line.kind, line.rule = "byline", "byline"
        line.features["name"] = m.group("name").strip()
    elif (d := dateline_date(text, line.lang)) is not None:
        line.kind, line.rule = "dateline", "dateline"
        line.features["date"] = d
        line.features["prefix"] = text[: d.start].strip(" -–—|,")


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 12 or rules.ends_sentence(name.rstrip(".")) and not name.rstrip().endswith("."):
        return False
    if re.search(r"[\u0600-\u06FF]", name):
        return len(words) <= 8
    capitals = sum(1 for w in words if w[:1].isupper())
    return capitals >= max(1, (len(words) + 1) // 2)


def dateline_date(text: str, lang: str | None):
    """The date of a line that is (almost) only a date: "January 18, 2020",
    "Monday, 13 January 2020 3:40 PM [ Last Update: … ]", "فلسطين الأخبار الأربعاء 22 كانون الثاني 2020"."""
    words = text.split()
    if len(words) > 18 or rules.ends_sentence(text) and not re.search(r"\d[.)\]]*$", text):
        return None
    found = parse_date(text, lang)
    if found is None or found.value is None:
        return None
    before = text[: found.start].split()
    if re.search(r"@\w|#\w|https?://|pic\.twitter|www\.", text[: found.start]):
        return None  # an embedded tweet's attribution, not a dateline
    if before and (text.rstrip().endswith(".") or any(w[:1].islower() for w in before)):
        return None  # "That was in November 2017." is a sentence; a dateline's prefix is a section or outlet name
    after = re.sub(r"\[.*?\]|\d{1,2}:\d{2}(\s*[AP]M)?|GMT|UTC|[|\-–—,()\[\]]", " ", text[found.end :], flags=re.I).split()
    if len(before) <= 4 and len(after) <= 3:
        return found
    return None


# ---------------------------------------------------------------- pass 2


def same_text(a: str, b: str) -> bool:
    """Equal up to whitespace (a repeated title may differ by an NBSP)."""
    return a.split() == b.split()


def is_title_like(line: Line) -> bool:
    text = line.text
    words = len(text.split())
    if line.kind != KEEP or not 2 <= words <= 30 or text.endswith((":", "：", "،", ",", ";")):
        return False
    stripped = text.rstrip(rules.QUOTE_CLOSERS + " ")
    if stripped[-1:] in ".۔…" and not stripped.endswith(".."):
        return False
    if text.startswith(("(", "[", "◀", "►", "•", "-", "*", "Q:", "A:")):
        return False
    return any(ch.isalpha() for ch in text)


def _header_follows(lines: list[Line], i: int) -> bool:
    """A dateline or byline follows line ``i`` closely (a repeated title or a caption may intervene)."""
    title = lines[i].text
    for j in range(i + 1, min(i + 4, len(lines))):
        nxt = lines[j]
        if nxt.kind in ("dateline", "byline"):
            return True
        if same_text(nxt.text, title):
            continue
        if j == i + 1 and nxt.kind == KEEP and not rules.ends_sentence(nxt.text) and j + 1 < len(lines):
            continue  # a subtitle or caption between title and dateline
        return False
    return False


def article_starts(lines: list[Line]) -> list[int]:
    """Indices of lines where an article begins."""
    starts = [0]
    for i, line in enumerate(lines):
        if i == 0 or not is_title_like(line):
            continue
        repeated = (i + 1 < len(lines) and same_text(lines[i + 1].text, line.text)
                    and not (i + 2 < len(lines) and same_text(lines[i + 2].text, line.text)))
        if same_text(lines[i - 1].text, line.text) or lines[i - 1].kind == "widget" or "widget_tail" in lines[i - 1].features:
            continue
        if repeated or _header_follows(lines, i):
            if i - starts[-1] >= 2 or _only_boilerplate(lines[starts[-1] : i]):
                starts.append(i)
    return starts


def _drop_thin_cuts(lines: list[Line], starts: list[int]) -> list[int]:
    """A cut that opens fewer than MIN_ARTICLE_WORDS words of prose before the next cut is
    a signature or an embedded heading ("Rome, August 22, 2018"), not a new article."""
    kept = [starts[0]]
    bounds = [*starts[1:], len(lines)]
    for start, end in zip(starts[1:], bounds[1:]):
        words = sum(ln.word_count for ln in lines[start:end] if ln.kind == KEEP)
        if words >= MIN_ARTICLE_WORDS:
            kept.append(start)
    return kept


def _only_boilerplate(lines: list[Line]) -> bool:
    return all(line.kind != KEEP for line in lines)


MIN_ARTICLE_WORDS = 50  # a cut must open at least this much prose
MIN_BODY_WORDS = 5  # below this a page holds a menu or a stray label, not an article


def split_articles(lines: list[Line]) -> list[Draft]:
    starts = _drop_thin_cuts(lines, article_starts(lines))
    bounds = [*starts[1:], len(lines)]
    drafts = [Draft(lines=lines[a:b]) for a, b in zip(starts, bounds)]
    return [d for d in drafts if d.lines]


# ---------------------------------------------------------------- pass 3


def apply_context_rules(draft: Draft) -> None:
    _mark_header(draft)
    _mark_after_comment_form(draft)
    _mark_widget_zones(draft)
    _mark_related_items(draft)
    _mark_footer_lists(draft)
    _mark_captions(draft)
    _mark_teasers(draft)
    _mark_signature(draft)
    _mark_repeats(draft)


def _mark_header(draft: Draft) -> None:
    """Title (and its repeat), dateline, byline and captions before the first body paragraph."""
    lines = draft.lines
    i = 0
    while i < len(lines) and lines[i].kind not in (KEEP,):
        i += 1  # breadcrumbs and other boilerplate above the title
    if i < len(lines) and is_title_like(lines[i]) and _title_position_ok(lines, i) and _matches_page_title(draft, lines[i]):
        lines[i].kind, lines[i].rule = "title", "title"
        draft.title = lines[i].text
        j = i + 1
        while j < len(lines) and same_text(lines[j].text, draft.title):
            lines[j].kind, lines[j].rule = "title", "repeated-title"
            j += 1
    first_body = _first_body_index(lines)
    blocks = blocks_of(lines)
    for line in lines[:first_body]:
        if line.kind != KEEP or line.word_count > 60:
            continue
        block = blocks[line.block]
        small_credit_block = len(block) <= 3 and any(_is_header_caption(ln.text) for ln in block)
        if _is_header_caption(line.text) or small_credit_block:
            line.kind, line.rule = "caption", "caption-in-header"


def _matches_page_title(draft: Draft, line: Line) -> bool:
    """On HTML pages the title comes from the markup; a first line is only taken as the title
    (and cut from the body) when it repeats it."""
    page_title = draft.meta.get("page_title")
    if page_title is None:
        return True
    return fuzz.partial_ratio(" ".join(line.text.split()).lower(), " ".join(page_title.split()).lower()) >= 90


def _title_position_ok(lines: list[Line], i: int) -> bool:
    """A title stands alone in its block and is followed by more text."""
    line = lines[i]
    same_block = blocks_of(lines)[line.block]
    if len(same_block) > 1 and not all(same_text(ln.text, line.text) for ln in same_block):
        return False
    return i + 1 < len(lines)


def _first_body_index(lines: list[Line]) -> int:
    """Index of the first line that reads like body prose: some length, no caption marks,
    and not sharing a small block with a caption."""
    blocks = blocks_of(lines)
    for idx, line in enumerate(lines):
        if line.kind != KEEP or line.word_count < 12 or _is_header_caption(line.text):
            continue
        block = blocks[line.block]
        if len(block) <= 3 and any(_is_header_caption(ln.text) for ln in block):
            continue
        return idx
    return len(lines)


def _is_caption_line(text: str) -> bool:
    return bool(rules.PHOTO_CREDIT.search(text) or rules.POSITIONAL_CAPTION.search(text))


_TRAILING_CREDIT = re.compile(r"\(([^()]{2,30})\)\s*$")


def _is_header_caption(text: str) -> bool:
    """Between a title and the lede, a line closing on a short name in parentheses is a
    photo caption with its credit: "… أكثر من مرة (الأخبار)"."""
    if _is_caption_line(text):
        return True
    m = _TRAILING_CREDIT.search(text)
    return bool(m) and len(m.group(1).split()) <= 3 and not rules.ends_sentence(text[: m.start()])


def _mark_after_comment_form(draft: Draft) -> None:
    seen = False
    for line in draft.lines:
        if seen and line.kind in (KEEP, "dateline", "byline", "source_line", "date_line"):
            line.kind, line.rule = "footer", "after-comment-form"
        if line.kind == "comment_form":
            seen = True


def _mark_widget_zones(draft: Draft) -> None:
    """A poll or ad widget runs from its opening line through its short lines (the question,
    the options, the form) until body prose resumes."""
    inside = False
    for line in draft.lines:
        if line.rule == "widget" and rules.WIDGET_START.search(line.text) or "widget_tail" in line.features:
            inside = True
            continue
        if not inside or line.kind != KEEP:
            continue
        if line.word_count >= 12 and rules.ends_sentence(line.text):
            inside = False
            continue
        line.kind, line.rule = "widget", "widget-item"


def _mark_related_items(draft: Draft) -> None:
    """Items listed under a "Related …" header: the short lines after it in its block, or the
    next block when the header stands alone and that block reads like a list of headlines."""
    lines = draft.lines
    blocks = blocks_of(lines)
    for line in lines:
        if line.rule != "related-header":
            continue
        block = blocks[line.block]
        after = block[block.index(line) + 1 :]
        if not after:
            nxt = blocks.get(line.block + 1, [])
            if nxt and all(_is_list_item(ln) for ln in nxt) and (len(nxt) >= 2 or not rules.ends_sentence(nxt[0].text)):
                after = nxt
        for item in after:
            if item.kind != KEEP or not _is_list_item(item):
                break
            item.kind, item.rule = "related", "related-item"


def _is_list_item(line: Line) -> bool:
    """A headline in a list: short, and not a finished sentence of body length."""
    return line.word_count <= 30 and not (line.word_count >= 12 and rules.ends_sentence(line.text))


def _mark_footer_lists(draft: Draft) -> None:
    """Short items right after an "alternate addresses" line ("Press TV News Roku")."""
    lines = draft.lines
    for idx, line in enumerate(lines):
        if line.rule != "alternate-addresses":
            continue
        for item in lines[idx + 1 : idx + 4]:
            if item.kind == KEEP and item.word_count <= 8 and not rules.ends_sentence(item.text):
                item.kind, item.rule = "footer", "alternate-addresses-item"
            else:
                break


def _mark_captions(draft: Draft) -> None:
    """Captions inside the body of a text page: credit or position markers, or verbless
    name-rich English lines. (On HTML pages trafilatura has already set figure captions
    aside, and what remains in the body is text.)"""
    if draft.meta.get("html"):
        return
    blocks = blocks_of(draft.lines)
    for line in draft.lines:
        if line.kind != KEEP or line.word_count > 60:
            continue
        if _is_caption_line(line.text) and len(blocks[line.block]) <= 2:
            line.kind, line.rule = "caption", "caption-credit"
        elif (len(blocks[line.block]) == 1 and line.lang == "en" and not line.text.startswith("(") and ":" not in line.text
              and not line.words[0].isupper() and is_verbless_caption(line.text)):
            line.kind, line.rule = "caption", "caption-verbless"


def _mark_teasers(draft: Draft) -> None:
    blocks = blocks_of(draft.lines)
    body = draft.body
    if len(body) < 3:
        return
    for number, block in blocks.items():
        kept = [ln for ln in block if ln.kind == KEEP]
        if not kept or kept[0] is body[0]:
            continue
        if (len(block) == 1 and block[0].lang == "en" and block[0].word_count <= 80
                and headline_runon_split(block[0].text) is not None):
            block[0].kind, block[0].rule = "teaser", "teaser-runon-headline"
        elif len(kept) == len(block) and is_truncated_card([ln.text for ln in block]):
            for ln in block:
                ln.kind, ln.rule = "teaser", "teaser-truncated-card"


def _mark_signature(draft: Draft) -> None:
    """Bylines, source lines, author signatures and bios at the end of an article."""
    tail = [ln for ln in draft.lines if ln.kind in (KEEP, "byline", "source_line", "date_line")]
    body_seen = 0
    for line in reversed(tail):
        if line.kind != KEEP:
            continue
        if body_seen == 0 and _is_author_bio(line.text):
            line.kind, line.rule = "author_bio", "author-bio"
            continue
        body_seen += 1
        if body_seen > 2:
            break
    # "Mehmet Perinçek" / "Historian and political scientist (Türkiye)" closing the piece
    kept = draft.body
    if len(kept) >= 4:
        last, before = kept[-1], kept[-2]
        if (_is_name_line(before.text) and 2 <= last.word_count <= 10 and not rules.ends_sentence(last.text)
                and re.search(r"\b[a-z]", last.text)):
            before.kind, before.rule = "signature", "author-signature"
            last.kind, last.rule = "signature", "author-signature-title"
            draft.meta["signature"] = before.text
        elif _is_name_line(last.text):
            last.kind, last.rule = "signature", "author-signature"
            draft.meta["signature"] = last.text


_NOT_PERSON = re.compile(r"\b(times|post|news|press|tv|agency|journal|call|herald|tribune|gazette|daily|network|media"
                         r"|radio|magazine|constitution|associated|reuters|staff|editorial|board)\b", re.I)


def _is_name_line(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 4 or rules.ends_sentence(text) or ":" in text or _NOT_PERSON.search(text):
        return False
    return all(w[:1].isupper() or w.lower() in ("al-", "bin", "ibn", "de", "van", "von") for w in words)


def _is_author_bio(text: str) -> bool:
    return (text.startswith("(") and text.rstrip().endswith(")") and len(text.split()) >= 8
            and re.search(r"\b(is|was) (a|an|the)\b", text[:200]) is not None)


def _mark_repeats(draft: Draft) -> None:
    """A paragraph repeated elsewhere in the article (pull-quote, duplicated block) is kept once."""
    body = draft.body
    keys = [(line, _repeat_key(line.text)) for line in body]
    for idx, (line, key) in enumerate(keys):
        if len(key) < 80 or line.word_count < 20:
            continue  # short lines repeat legitimately (list items, interview questions, recipe steps)
        for jdx, (other, okey) in enumerate(keys):
            if other is line or other.kind != KEEP or len(okey) < len(key):
                continue
            if len(okey) == len(key):
                if jdx > idx or line.word_count < 25:
                    continue  # identical twins: keep the first; short ones may repeat on purpose
            if key in okey or _near_contained(key, okey):
                line.kind, line.rule = "repeat", "pull-quote-repeat"
                break


def _repeat_key(text: str) -> str:
    norm = normalize_for_search(text)
    return " ".join(re.sub(r"[^\w\s]", " ", norm).split())


NEAR_CONTAINED_CUTOFF = 92  # partial_ratio a paragraph needs against a longer one to count as its repeat
# partial_ratio >= the cutoff implies LCS(short, long) >= this share of len(short) (see _near_contained)
_LCS_SHARE = (NEAR_CONTAINED_CUTOFF / 200) / (1 - NEAR_CONTAINED_CUTOFF / 200)


def _near_contained(short: str, long: str) -> bool:
    """``short`` occurs in ``long`` up to small edits (punctuation, a word or two).

    ``partial_ratio`` scores every window of ``long`` at most as long as ``short``, about
    0.1 ms for two paragraphs, and the rule asks it of every pair of long paragraphs (tens of
    thousands on a page of reader comments). A cheap necessary condition settles almost all
    pairs first, so the answer is the same: a score of 92 needs a window ``W`` with Indel
    distance ``|s| + |W| - 2 LCS(s, W) <= 0.08 (|s| + |W|)``, i.e. ``LCS(s, W) >= 0.46
    (|s| + |W|)``; as ``LCS(s, W) <= |W|`` that forces ``|W| >= 0.46 / 0.54 |s|``, hence
    ``LCS(s, W) >= 0.46 / 0.54 |s| = 0.852 |s|``, and ``W`` being a substring of ``long``,
    ``LCS(s, long) >= LCS(s, W)``. (Equally long texts are scored both ways; LCS is symmetric.)
    rapidfuzz's bit-parallel LCS checks that in microseconds.
    """
    need = int(0.999 * _LCS_SHARE * min(len(short), len(long)))  # a hair under the bound: float rounding
    if need > 0 and LCSseq.similarity(short, long, score_cutoff=need) < need:
        return False
    return fuzz.partial_ratio(short, long, score_cutoff=NEAR_CONTAINED_CUTOFF) > 0


# ---------------------------------------------------------------- pass 4


def fill_metadata(draft: Draft, credits: set[str]) -> None:
    for line in draft.lines:
        if line.kind == "dateline" and draft.date is None:
            found = line.features["date"]
            draft.date, draft.date_text = found.value, found.text
            _section_and_outlet(draft, line.features.get("prefix", ""), credits)
        elif line.kind == "date_line":
            found = line.features["date"]
            if draft.date is None:
                draft.date, draft.date_text = found.value, found.text
            else:
                draft.meta.setdefault("original_date", found.value)
        elif line.kind == "byline" and draft.author is None:
            _author_from_byline(draft, line.features["name"])
        elif line.kind == "source_line":
            draft.outlet = draft.outlet or line.features["value"]
    if draft.author is None and draft.meta.get("signature"):
        draft.author = draft.meta["signature"]
    if draft.outlet is None:
        draft.outlet = _outlet_from_footer(draft.lines)


def _author_from_byline(draft: Draft, name: str) -> None:
    m = rules.BYLINE_FOR.match(name)
    if m:
        draft.author = m.group("name").strip()
        draft.outlet = draft.outlet or m.group("outlet").strip()
    else:
        draft.author = name.strip()


def _section_and_outlet(draft: Draft, prefix: str, credits: set[str]) -> None:
    words = prefix.split()
    if not words or prefix.rstrip().endswith(":"):
        return  # a field label ("Processing Date:", "Published:") names no section and no outlet
    for size in range(len(words), 0, -1):
        for i in range(0, len(words) - size + 1):
            candidate = " ".join(words[i : i + size])
            if candidate in credits:
                draft.outlet = draft.outlet or candidate
                rest = " ".join(words[:i] + words[i + size :])
                draft.section = rest or None
                return
    if len(words) >= 2:
        draft.section, draft.outlet = words[0], draft.outlet or " ".join(words[1:])
    else:
        draft.section = words[0]


def _outlet_from_footer(lines: list[Line]) -> str | None:
    for line in lines:
        for pattern in (rules.DISCLAIMER_OWNER, rules.WEBSITE_OWNER, rules.LICENCE_OWNER):
            m = pattern.search(line.text)
            if m:
                return m.group("outlet").strip(" .")
    return None


def caption_credits(lines: list[Line]) -> set[str]:
    """Names in parentheses closing captions: "(الأخبار)" names the outlet of the dateline."""
    out = set()
    for line in lines:
        if line.kind == "caption":
            m = re.search(r"\(([^()]{2,40})\)\s*$", line.text)
            if m:
                out.add(m.group(1).strip())
    return out


def segment_lines(lines: list[Line], page_title: str | None = None, html: bool = False) -> list[Draft]:
    """All four passes: the articles of a page. For HTML pages ``page_title`` is the title
    given by the markup (or "" when there is none)."""
    classify_lines(lines)
    drafts = split_articles(lines)
    for index, draft in enumerate(drafts):
        if html:
            draft.meta["html"] = True
            if index == 0:
                draft.meta["page_title"] = page_title or ""
        apply_context_rules(draft)
        fill_metadata(draft, caption_credits(draft.lines))
        draft.meta.pop("page_title", None)
        draft.meta.pop("html", None)
    return [d for d in drafts if sum(line.word_count for line in d.body) >= MIN_BODY_WORDS]
