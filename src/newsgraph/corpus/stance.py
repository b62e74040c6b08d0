"""Stance towards one actor: how each outlet and each quoted speaker talks about it.

Two measures, both read from the store at query time:

- **relations**: the relations whose object is the actor (not negated), counted by predicate, with
  their net polarity (sum of +1/−1), grouped by the outlet that published them and, for relations
  inside a quote, by the speaker the article attributes them to;
- **sentiment**: every sentence naming the actor (a mention resolved to it), scored by
  :func:`newsgraph.enrich.sentiment.sentiment` (VADER for English, lexicons for Arabic and Persian).
  A sentence inside a quote counts for the quote's speaker (only the quoted part is scored); the others
  are the outlet's own voice. Mean score, and how many are positive (≥ 0.05) or negative (≤ −0.05),
  VADER's usual thresholds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from newsgraph.enrich.sentiment import sentiment
from newsgraph.store.db import Store

THRESHOLD = 0.05
UNKNOWN_OUTLET = "(outlet not stated)"
BOUNDARY = re.compile(r"[.!?؟\n]")


@dataclass
class Voice:
    """What one outlet or speaker says about the actor."""

    name: str
    entity_id: str | None = None
    relations: Counter = field(default_factory=Counter)
    net: int = 0
    scores: list[float] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        scores = self.scores
        return {"name": self.name, "entity_id": self.entity_id, "relations": dict(self.relations.most_common()),
                "relation_count": sum(self.relations.values()), "net_polarity": self.net, "sentences": len(scores),
                "sentiment": round(sum(scores) / len(scores), 3) if scores else None,
                "positive": sum(s >= THRESHOLD for s in scores), "negative": sum(s <= -THRESHOLD for s in scores)}


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: from after the previous full stop (or line) to the next."""
    left = start
    while left > 0 and not BOUNDARY.match(text[left - 1]):
        left -= 1
    nxt = BOUNDARY.search(text, end)
    right = nxt.end() if nxt and text[nxt.start()] != "\n" else (nxt.start() if nxt else len(text))
    while left < right and text[left].isspace():
        left += 1
    return left, right


def _speaker_key(row) -> tuple[str, str | None]:
    return (row["speaker_name"] or (f"({row['speaker_text']})" if row["speaker_text"] else "(unattributed quote)"),
            row["speaker_entity_id"])


def stance(store: Store, actor: str) -> dict[str, Any] | None:
    """Stance towards ``actor`` (entity id, name or any spelling), or None when no entity has that name."""
    entity_id = store.entity_id_for(actor)
    if entity_id is None:
        return None
    entity = store.conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
    outlets: dict[str, Voice] = {}
    speakers: dict[tuple[str, str | None], Voice] = {}

    def outlet_voice(name: str | None) -> Voice:
        key = name or UNKNOWN_OUTLET
        return outlets.setdefault(key, Voice(key))

    def speaker_voice(key: tuple[str, str | None]) -> Voice:
        return speakers.setdefault(key, Voice(key[0], key[1]))

    for r in store.relation_rows(actor=entity_id):
        if r["object_entity_id"] != entity_id or r["negated"]:
            continue
        voices = [outlet_voice(r["outlet"])]
        if r["quote_start"] is not None:
            voices.append(speaker_voice((r["attributed_name"] or (f"({r['attributed_text']})" if r["attributed_text"]
                                                                   else "(unattributed quote)"), r["attributed_to"])))
        for voice in voices:
            voice.relations[r["predicate"]] += 1
            voice.net += r["polarity"]

    by_article: dict[str, list] = defaultdict(list)
    for m in store.conn.execute("SELECT article_id, start, end, lang FROM mentions WHERE entity_id = ? ORDER BY article_id,"
                                " start", (entity_id,)):
        by_article[m["article_id"]].append(m)
    for article_id, mentions in by_article.items():
        article = store.conn.execute("SELECT text, outlet, lang FROM articles WHERE id = ?", (article_id,)).fetchone()
        quotes = store.quote_rows(article_id=article_id)
        seen: set[tuple[int, int]] = set()
        for m in mentions:
            span = sentence_span(article["text"], m["start"], m["end"])
            quote = next((q for q in quotes if q["start"] <= m["start"] < q["end"]), None)
            if quote is not None:
                span = (max(span[0], quote["start"]), min(span[1], quote["end"]))
            if span in seen:
                continue
            seen.add(span)
            score = sentiment(article["text"][span[0]:span[1]], m["lang"] or article["lang"])
            if score is None:
                continue
            voice = speaker_voice(_speaker_key(quote)) if quote is not None else outlet_voice(article["outlet"])
            voice.scores.append(score)
    return {"entity": dict(entity),
            "by_outlet": sorted((v.row() for v in outlets.values()), key=lambda r: (-r["relation_count"] - r["sentences"], r["name"])),
            "by_speaker": sorted((v.row() for v in speakers.values()), key=lambda r: (-r["relation_count"] - r["sentences"], r["name"]))}
