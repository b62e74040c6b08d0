"""Dates inside article text: every expression with its span, normalised to ISO.

Calendars and relative expressions are handled by :func:`newsgraph.text.dates.find_dates`
(Gregorian in English, Arabic and Persian with Levantine and Maghrebi month names, Solar and
Lunar Hijri); relative dates ("yesterday", "on Friday") are resolved against the article's
own date when it is known and marked unresolved otherwise.
"""

from __future__ import annotations

from datetime import date

from newsgraph.model import Article, DateRef
from newsgraph.text.dates import find_dates


def article_reference_date(article: Article) -> date | None:
    if article.date and len(article.date) == 10:
        try:
            return date.fromisoformat(article.date)
        except ValueError:
            return None
    return None


def find_article_dates(article: Article) -> list[DateRef]:
    reference = article_reference_date(article)
    found = []
    for para in article.paragraphs:
        text = article.text[para.start : para.end]
        for m in find_dates(text, para.lang or article.lang, reference):
            found.append(DateRef(article.id, para.start + m.start, para.start + m.end, m.text, m.value, m.calendar,
                                 m.resolved, m.relative))
    return found


def dates_component(article: Article) -> Article:
    """Pipeline component: fill ``article.dates``."""
    article.dates = find_article_dates(article)
    return article
