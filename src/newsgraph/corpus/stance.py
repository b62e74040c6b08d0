"""Stance towards one actor: how each outlet and each quoted speaker talks about it.

Four measures, all read from the store at query time, grouped by the outlet that published them
and, inside a quote, by the speaker the article attributes the quote to:

- **relations** (stance): the relations whose object is the actor (not negated) and whose predicate
  is an attitude of the subject towards it — praise, criticize, support, demand, deny, meet,
  cooperate — counted by predicate, with their net polarity (sum of +1/−1);
- **target of**: relations whose object is the actor and whose predicate is an act done *to* it
  (:data:`TARGET_PREDICATES`: attack, threaten). Being attacked or threatened says nothing about
  the attitude of the outlet or speaker reporting it towards the victim, so these are counted apart
  and never enter the net polarity;
- **sentiment**: every sentence naming the actor (a mention resolved to it), scored by
  :func:`newsgraph.enrich.sentiment.sentiment` (VADER for English, lexicons for Arabic and Persian)
  on the words *about* it: every entity mention in the sentence (the actor's and all others) is
  masked first, and so are loaded terms, so no name and no framing word moves the score. A sentence
  inside a quote counts for the quote's speaker (only the quoted part is scored); the others are the
  outlet's own voice. Mean score, and how many are positive (≥ 0.05) or negative (≤ −0.05), VADER's
  usual thresholds;
- **loaded terms**: the framing vocabulary (:mod:`newsgraph.enrich.loaded_terms`: martyr, terrorist,
  regime, occupation …) in those same sentences, counted by side-neutral category: what words the
  outlet or speaker uses near the actor, reported as such, not as sentiment.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from newsgraph.enrich.sentiment import sentiment
from newsgraph.store.db import Store

THRESHOLD = 0.05
TARGET_PREDICATES = frozenset({"attack", "threaten"})  # acts done to the object: not an attitude towards it
UNKNOWN_OUTLET = "(outlet not stated)"
BOUNDARY = re.compile(r"[.!?؟\n]")


@dataclass
class Voice:
    """What one outlet or speaker says about the actor."""

    name: str
    entity_id: str | None = None
    relations: Counter = field(default_factory=Counter)
    net: int = 0
    target_of: Counter = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    loaded: Counter = field(default_factory=Counter)

    def row(self) -> dict[str, Any]:
        scores = self.scores
        return {"name": self.name, "entity_id": self.entity_id, "relations": dict(self.relations.most_common()),
                "relation_count": sum(self.relations.values()), "net_polarity": self.net,
                "target_of": dict(self.target_of.most_common()), "target_count": sum(self.target_of.values()),
                "loaded_terms": dict(sorted(self.loaded.items(), key=lambda kv: (-kv[1], kv[0]))),
                "sentences": len(scores),
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
            if r["predicate"] in TARGET_PREDICATES:
                voice.target_of[r["predicate"]] += 1
            else:
                voice.relations[r["predicate"]] += 1
                voice.net += r["polarity"]

    has_loaded = store.has_table("loaded_terms")
    by_article: dict[str, list] = defaultdict(list)
    for m in store.conn.execute("SELECT article_id, start, end, lang FROM mentions WHERE entity_id = ? ORDER BY article_id,"
                                " start", (entity_id,)):
        by_article[m["article_id"]].append(m)
    for article_id, mentions in by_article.items():
        article = store.conn.execute("SELECT text, outlet, lang FROM articles WHERE id = ?", (article_id,)).fetchone()
        quotes = store.quote_rows(article_id=article_id)
        names = [(r["start"], r["end"]) for r in store.conn.execute(
            "SELECT start, end FROM mentions WHERE article_id = ?", (article_id,))]
        loaded = [(r["start"], r["end"], r["category"]) for r in store.conn.execute(
            "SELECT start, end, category FROM loaded_terms WHERE article_id = ?", (article_id,))] if has_loaded else []
        seen: set[tuple[int, int]] = set()
        for m in mentions:
            span = sentence_span(article["text"], m["start"], m["end"])
            quote = next((q for q in quotes if q["start"] <= m["start"] < q["end"]), None)
            if quote is not None:
                span = (max(span[0], quote["start"]), min(span[1], quote["end"]))
            if span in seen:
                continue
            seen.add(span)
            masks = [(max(a, span[0]) - span[0], min(b, span[1]) - span[0]) for a, b in names
                     if a < span[1] and b > span[0]]
            score = sentiment(article["text"][span[0]:span[1]], m["lang"] or article["lang"], masks)
            if score is None:
                continue
            voice = speaker_voice(_speaker_key(quote)) if quote is not None else outlet_voice(article["outlet"])
            voice.scores.append(score)
            voice.loaded.update(category for a, b, category in loaded if a >= span[0] and b <= span[1])
    def order(row: dict[str, Any]) -> tuple[int, str]:
        return -row["relation_count"] - row["target_count"] - row["sentences"], row["name"]

    return {"entity": dict(entity),
            "by_outlet": sorted((v.row() for v in outlets.values()), key=order),
            "by_speaker": sorted((v.row() for v in speakers.values()), key=order)}
