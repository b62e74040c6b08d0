"""The corpus stage for entities: resolve every stored mention, plus outlets and authors.

Runs after each ``analyze`` over the whole store (resolution is cheap next to NER, and a
full pass keeps ids stable and lets new articles join or split old clusters). Outlets and
authors become entities too, linked to their articles through ``article_roles``, so the
graph can say who published whom. An organisation named as the report's source (the agency of
"به گزارش خبرگزاری فارس", "خبرنگار فارس", "مراسل الجزيرة", "(Reuters) -", "الرياض (واس) -") gets
the role ``source`` in that article: it is who the text came through, not an actor of the
event, so the co-mention network and the story actors leave it out there (its entity page
still lists every mention and the articles it is the source of). The same rule for every
organisation: the words before the mention decide, never its name.
"""

from __future__ import annotations

from pathlib import Path

import re

from newsgraph.corpus.resolution import Overrides, resolve
from newsgraph.model import Entity, Mention
from newsgraph.text.normalize import normalize_for_search
from newsgraph.store.db import Store


def role_mentions(store: Store) -> list[tuple[str, Mention]]:
    """Outlet and author names of every article, as span-less mentions."""
    out = []
    for row in store.article_metadata():
        if row["outlet"]:
            out.append(("outlet", Mention(row["id"], -1, -1, row["outlet"], "OUTLET", row["lang"], "article-metadata")))
        if row["author"]:
            out.append(("author", Mention(row["id"], -2, -2, row["author"], "PERSON", row["lang"], "article-metadata")))
    return out


def words_before(store: Store, chars: int = 40) -> dict[tuple[str, int], str]:
    """The text just before every mention (the dateline's "به گزارش", "reporter of")."""
    rows = store.conn.execute(
        "SELECT m.article_id, m.start, substr(a.text, max(1, m.start - ? + 1), min(m.start, ?))"
        " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.start > 0", (chars, chars))
    return {(article, start): text for article, start, text in rows}


# the last word before an organisation that makes it the report's source: "به گزارش X" (as X
# reports), "خبرنگار X" (X's reporter), "مراسل X", "X correspondent" is not covered (the name
# comes first); "according to" and "told" are left out: "according to the Pentagon" names an actor
_SOURCE_WORDS = {normalize_for_search(w) for w in (
    "گزارش", "بگزارش", "خبرنگار", "خبرنگاران", "مراسل", "مراسلة", "مراسلو", "مندوب", "reporter", "correspondent")}
_HEAD_CHARS = 150  # a name in parentheses this close to the start is the dateline's agency
_OPEN_PAREN = re.compile(r"[(（]\s*$")


def is_source_mention(start: int, preceding: str) -> bool:
    """Whether an organisation mention at ``start``, after the text ``preceding``, is named as the
    report's source: after a source word, or in parentheses at the head of the text."""
    if start < _HEAD_CHARS and _OPEN_PAREN.search(preceding):
        return True
    words = preceding.split()
    return bool(words) and normalize_for_search(words[-1].strip("«»\"“”:،,")) in _SOURCE_WORDS


def source_roles(mentions: list[Mention], entities: list[Entity],
                 before: dict[tuple[str, int], str]) -> list[tuple[str, str, str]]:
    """(article, "source", entity) for every organisation named as its article's source."""
    organisations = {e.id for e in entities if e.type in ("ORG", "OUTLET")}
    return sorted({(m.article_id, "source", m.entity_id) for m in mentions
                   if m.entity_id in organisations and m.start >= 0
                   and is_source_mention(m.start, before.get((m.article_id, m.start), ""))})


def resolve_corpus(store: Store, overrides: str | Path | None = None) -> int:
    """Resolve all mentions in ``store``; returns the number of entities."""
    mentions = store.all_mentions()
    roles = role_mentions(store)
    dates = {row["id"]: row["date"] for row in store.article_metadata()}
    loaded = Overrides.load(overrides) if overrides else None
    before = words_before(store)
    resolution = resolve(mentions + [m for _, m in roles], dates, loaded, before=before)
    store.replace_entities(resolution.entities, mentions,
                           [(m.article_id, role, m.entity_id) for role, m in roles if m.entity_id]
                           + source_roles(mentions, resolution.entities, before))
    return len(resolution.entities)
