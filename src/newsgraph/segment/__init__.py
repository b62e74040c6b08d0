"""Segmentation: a :class:`SourceDocument` in, clean :class:`Article` records out.

Plain-text pages go straight to the line segmenter. HTML pages first go
through trafilatura (:mod:`newsgraph.segment.html`), whose paragraphs, each
tied to its span of markup, then pass the same rules, so a teaser or caption
that survives trafilatura is still caught and a page of several posts is still
split.
"""

from __future__ import annotations

import re

from newsgraph.enrich.language import article_languages, detect_language, language_component
from newsgraph.model import Article, Block, Paragraph, SourceDocument, article_id_for
from newsgraph.segment import rules
from newsgraph.segment.articles import Draft, is_title_like, segment_lines
from newsgraph.segment.lines import Line, split_lines

PARAGRAPH_SEPARATOR = "\n\n"


class NoTextError(ValueError):
    """The page holds no article text (only boilerplate, or nothing at all)."""


def lines_of(doc: SourceDocument) -> tuple[list[Line], dict]:
    """The document's line units and page-level metadata."""
    if not doc.is_html:
        return split_lines(doc.text), {}
    from newsgraph.segment.html import extract_html

    extraction = extract_html(doc.text, doc.meta.get("url"))
    lines = []
    for index, para in enumerate(extraction.paragraphs):
        lines.append(Line(index=index, start=para.start, end=para.end, text=para.text, block=index, gap_before=1))
    meta = {k: getattr(extraction, k) for k in ("title", "author", "date", "outlet", "lang") if getattr(extraction, k)}
    return lines, meta


def segment_document(doc: SourceDocument, languages: bool = True) -> list[Article]:
    """The articles of ``doc``; raises :class:`NoTextError` when there are none.

    Each line's language is detected here (the rules for captions and datelines read it); with
    ``languages`` the paragraph languages are then settled by their article and the article's
    language set (:func:`newsgraph.enrich.language.language_component`). The pipeline leaves that to
    its ``language`` stage."""
    lines, page_meta = lines_of(doc)
    if not lines:
        raise NoTextError("no text found on the page (empty after removing markup)" if doc.is_html
                          else "no text found")
    drafts = segment_lines(lines, page_title=page_meta.get("title") or doc.meta.get("title"), html=doc.is_html)
    if not drafts:
        raise NoTextError("only boilerplate found (navigation, captions, footers); no article text")
    meta = page_meta | {k: v for k, v in doc.meta.items() if v}
    articles = []
    for index, draft in enumerate(drafts):
        if index == 0:
            _apply_page_meta(draft, meta)
        articles.append(build_article(doc, draft, index, exact=not doc.is_html))
    return [language_component(a) for a in articles] if languages else articles


def _apply_page_meta(draft: Draft, meta: dict) -> None:
    """Metadata given by the input (JSONL fields, HTML meta tags) fills what the page text lacks."""
    draft.title = draft.title or meta.get("title")
    draft.author = draft.author or meta.get("author")
    draft.outlet = draft.outlet or meta.get("outlet")
    if draft.date is None and meta.get("date"):
        from newsgraph.text.dates import parse_date

        found = parse_date(str(meta["date"]))
        if found and found.value:
            draft.date, draft.date_text = found.value, str(meta["date"])


def build_article(doc: SourceDocument, draft: Draft, index: int, exact: bool) -> Article:
    """Assemble the article text from the kept lines, recording where each came from."""
    article_id = article_id_for(doc.id, index)
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    removed: list[Block] = []
    offset = 0
    for line in draft.lines:
        if line.kind != "body":
            removed.append(Block(line.start, line.end, line.text, line.kind, line.rule, line.lang))
            continue
        text, source_end = line.text, line.end
        cut, kind, rule = _trailing_cut(line)
        if cut:
            kept = text[:cut].rstrip()
            removed.append(Block(line.start + cut, line.end, text[cut:], kind, rule, line.lang))
            if exact:
                source_end = line.start + len(kept)
            text = kept
        if parts:
            offset += len(PARAGRAPH_SEPARATOR)
        paragraphs.append(Paragraph(start=offset, end=offset + len(text), source_start=line.start,
                                    source_end=source_end, lang=line.lang, kind=paragraph_kind(line)))
        parts.append(text)
        offset += len(text)
    text = PARAGRAPH_SEPARATOR.join(parts)
    return Article(
        id=article_id, document_id=doc.id, source=doc.source, source_index=index, text=text,
        paragraphs=paragraphs, title=_clean(draft.title), author=_clean(draft.author), date=draft.date,
        date_text=draft.date_text, outlet=_clean(draft.outlet), lang=None, removed=removed,
        meta={k: v for k, v in (draft.meta | {"section": draft.section}).items() if v},
    )


def text_article(text: str, lang: str | None = None, title: str | None = None, date: str | None = None) -> Article:
    """One string as one article, nothing cut: each non-empty line a paragraph, offsets into ``text``."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    paragraphs = [Paragraph(start=m.start(), end=m.end(), source_start=m.start(), source_end=m.end(),
                            lang=lang or detect_language(m.group()))
                  for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    for para in paragraphs:  # trim the spaces around a line: a paragraph starts and ends on text
        while text[para.start].isspace():
            para.start = para.source_start = para.start + 1
        while text[para.end - 1].isspace():
            para.end = para.source_end = para.end - 1
    article_lang = lang
    if lang is None:  # a language the caller gives is taken as it is
        settled, article_lang = article_languages([text[p.start:p.end] for p in paragraphs], [p.lang for p in paragraphs])
        for para, para_lang in zip(paragraphs, settled):
            para.lang = para_lang
    return Article(id=digest, document_id=digest, source="<text>", source_index=0, text=text, paragraphs=paragraphs,
                   title=title, date=date, lang=article_lang)


def _trailing_cut(line: Line) -> tuple[int | None, str, str]:
    """Where boilerplate glued to the end of a paragraph starts (licence sentences, a poll widget)."""
    if "widget_tail" in line.features:
        return line.features["widget_tail"], "widget", "widget-glued"
    cut = rules.trailing_boilerplate_start(line.text)
    return cut, "licence", "trailing-licence-sentence"


def paragraph_kind(line: Line) -> str:
    text = line.text
    if re.match(r"^(Q|Question|س|سؤال|سوال|پرسش)\s*[:：]|^◀", text) or (text.endswith(("?", "؟")) and line.word_count <= 40):
        return "question"
    if re.match(r"^(A|Answer|ج|جواب|پاسخ)\s*[:：]", text):
        return "answer"
    if is_title_like(line) and line.word_count <= 14 and not rules.ends_sentence(text):
        return "subheading"
    return "body"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip(" \t\u00a0\u200b\ufeff")  # edges only: the title stays as written
    return value or None
