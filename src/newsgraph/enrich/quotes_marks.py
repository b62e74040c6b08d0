"""Quotation-mark spans in an article: every mark style, over several paragraphs, unbalanced marks kept local.

A span is ``(start, end)`` in article offsets and *includes* its marks. A quote whose
paragraph ends before the closing mark continues into the next paragraph only when that
paragraph opens with a quote mark (the newspaper convention); otherwise it stops at the end
of its own paragraph, so one stray mark never swallows the rest of the article.
"""

from __future__ import annotations

import bisect
import re

# opening mark -> closing marks it accepts
PAIRS: dict[str, str] = {
    "“": "”“",  # some outlets close with “ by mistake; German-style „…“ is below
    "„": "“”",
    "«": "»",
    "‹": "›",
    "‘": "’",
    "‚": "‘’",
    '"': '"',
    "»": "«",  # Danish/Swedish style »…«
}
OPENERS = set(PAIRS)
CLOSERS = set("".join(PAIRS.values()))
MAX_QUOTE_CHARS = 20_000  # a closing mark further away than this is not looked for (keeps hostile input linear)
ANY_MARK = set("“”„«»‹›‘’‚\"")
_WORD = re.compile(r"\w", re.UNICODE)


def _is_apostrophe(text: str, i: int) -> bool:
    """’ or ‘ between letters (don’t, Qa’ani), or ’ after s (leaders’): not a quote mark."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == "’":
        return bool(_WORD.match(after)) or (before in "sS" and not after.strip(".,;:!?»”\"") == "")
    if text[i] == "‘":
        return bool(_WORD.match(before))
    return False


def _closing_index(text: str, opener: str, i: int, end: int, closers_at: dict[str, list[int]] | None = None) -> int | None:
    """The first closing mark for ``opener`` after ``i`` and before ``end`` (``closers_at``: precomputed
    positions of each closing character, so a paragraph of unclosed marks stays linear)."""
    closers = PAIRS[opener]
    if closers_at is None:
        closers_at = _closer_positions(text, i + 1, end)
    best = None
    for ch in closers:
        positions = closers_at.get(ch, [])
        k = bisect.bisect_right(positions, i if opener == '"' else i + 1)
        if k < len(positions) and positions[k] < end and (best is None or positions[k] < best):
            best = positions[k]
    return best


def _closer_positions(text: str, start: int, end: int) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for j in range(start, end):
        ch = text[j]
        if ch in CLOSERS and not (ch in "’‘" and _is_apostrophe(text, j)):
            found.setdefault(ch, []).append(j)
    return found


def _opens_quote(text: str, i: int) -> bool:
    ch = text[i]
    if ch not in OPENERS:
        return False
    if ch in "‘’" and _is_apostrophe(text, i):
        return False
    if ch == "»":  # only as an opener when no « precedes it in the paragraph (Scandinavian style)
        return False
    return True


DOUBLED = re.compile(r"''(?=\S)(.+?)''")  # ''…'' (two apostrophes, as some wire and NYT texts write quotes)


def paragraph_mark_spans(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quote spans inside ``text[start:end]`` and the offset of an opening mark left unclosed."""
    spans: list[tuple[int, int]] = [m.span() for m in DOUBLED.finditer(text, start, end)]
    if spans:
        return spans, None
    closers_at = _closer_positions(text, start, end)
    i = start
    if text[start:start + 1] == "”":  # a paragraph opened with a closing mark by mistake (”Mr. Trump … .” ― Name)
        close = _closing_index(text, "“", start, min(end, start + MAX_QUOTE_CHARS), closers_at)
        if close is not None:
            spans.append((start, close + 1))
            i = close + 1
    while i < end:
        if _opens_quote(text, i):
            close = _closing_index(text, text[i], i, min(end, i + MAX_QUOTE_CHARS), closers_at)
            if close is None:
                if text[i] in "‘'\"" and i > start:  # a stray single or straight mark mid-paragraph: ignore it
                    i += 1
                    continue
                return spans, i
            spans.append((i, close + 1))
            i = close + 1
            continue
        i += 1
    return spans, None


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    stripped = text[start:end].lstrip()
    return bool(stripped) and stripped[0] in OPENERS


def quote_mark_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every quoted span of the article, multi-paragraph quotes joined (ending at the last paragraph's close)."""
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(paragraphs):
        p_start, p_end = paragraphs[k]
        inner, open_at = paragraph_mark_spans(text, p_start, p_end)
        spans.extend(inner)
        k += 1
        if open_at is None:
            continue
        end = p_end
        while k < len(paragraphs) and _opens_with_mark(text, *paragraphs[k]):
            q_start, q_end = paragraphs[k]
            lead = q_start + len(text[q_start:q_end]) - len(text[q_start:q_end].lstrip())
            close = _closing_index(text, text[lead], lead, q_end)
            k += 1
            if close is not None:  # the quote closes here; marks after it start new quotes
                end = close + 1
                rest, _ = paragraph_mark_spans(text, close + 1, q_end)
                spans.append((open_at, end))
                spans.extend(rest)
                open_at = None
                break
            end = q_end
        if open_at is not None:
            spans.append((open_at, end))
    return sorted(spans)


def strip_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace, quote marks and trailing sentence punctuation."""
    while start < end and (text[start].isspace() or text[start] in ANY_MARK):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ANY_MARK or text[end - 1] in ",،;:"):
        end -= 1
    return start, end
