"""Cut a page's text into line units with exact offsets.

A *line* is a non-blank line of the page, trimmed of surrounding whitespace;
a *block* is a run of lines with no blank line between them. Scraped pages
mark paragraphs either way (blank-line separated, or one per line), so the
segmenter decides per line and uses blocks as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Unicode line separators a scraper may leave besides \n (\r handled by strip).
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_EDGE_SPACE = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff\u200b"


@dataclass
class Line:
    index: int  # position among the page's lines
    start: int  # offsets of the trimmed line in the page text
    end: int
    text: str
    block: int  # index of the block (blank-line separated run) holding it
    gap_before: int  # blank lines before it (large gaps often separate stories)
    kind: str = "body"
    rule: str = ""
    lang: str | None = None
    features: dict = field(default_factory=dict)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def split_lines(text: str, base: int = 0) -> list[Line]:
    """Non-blank lines of ``text`` with offsets (shifted by ``base``) and block numbers."""
    lines: list[Line] = []
    pos = 0
    block = -1
    blanks = 0
    previous_blank = True
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[pos:end]
        stripped = raw.strip(_EDGE_SPACE)
        if stripped:
            lead = len(raw) - len(raw.lstrip(_EDGE_SPACE))
            start = pos + lead
            if previous_blank:
                block += 1
            lines.append(Line(index=len(lines), start=base + start, end=base + start + len(stripped),
                              text=stripped, block=block, gap_before=blanks if lines else 0))
            blanks = 0
            previous_blank = False
        else:
            blanks += 1
            previous_blank = True
        if match:
            pos = match.end()
    return lines


def blocks_of(lines: list[Line]) -> dict[int, list[Line]]:
    out: dict[int, list[Line]] = {}
    for line in lines:
        out.setdefault(line.block, []).append(line)
    return out
