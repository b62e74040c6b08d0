"""The corpus stage for entities: resolve every stored mention, plus outlets and authors.

Runs after each ``analyze`` over the whole store (resolution is cheap next to NER, and a
full pass keeps ids stable and lets new articles join or split old clusters). Outlets and
authors become entities too, linked to their articles through ``article_roles``, so the
graph can say who published whom.
"""

from __future__ import annotations

from pathlib import Path

from newsgraph.corpus.resolution import Overrides, resolve
from newsgraph.model import Mention
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


def resolve_corpus(store: Store, overrides: str | Path | None = None) -> int:
    """Resolve all mentions in ``store``; returns the number of entities."""
    mentions = store.all_mentions()
    roles = role_mentions(store)
    dates = {row["id"]: row["date"] for row in store.article_metadata()}
    loaded = Overrides.load(overrides) if overrides else None
    resolution = resolve(mentions + [m for _, m in roles], dates, loaded, before=words_before(store))
    store.replace_entities(resolution.entities, mentions,
                           [(m.article_id, role, m.entity_id) for role, m in roles if m.entity_id])
    return len(resolution.entities)
