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


# the last word before a name that makes it the report's source: "به گزارش X" (as X reports),
# "خبرنگار X" (X's reporter), "مراسل X", "قال لـ«X»" (told X: the paper that asked); "X correspondent"
# is not covered (the name comes first); "according to" and "told" are left out: "according to the
# Pentagon" names an actor
_SOURCE_WORDS = {normalize_for_search(w) for w in (
    "بگزارش", "خبرنگار", "خبرنگاران", "مراسل", "مراسلة", "مراسلو", "مندوب", "reporter", "correspondent")}
# گزارش only in the attribution formula "به گزارش X", "بنا بر گزارش X" (as X reports): "انتشار گزارش
# وزارت خارجه" (the ministry's report was published) names an actor
_REPORT, _REPORT_LEADS = normalize_for_search("گزارش"), {normalize_for_search(w) for w in ("به", "بر", "بنابر")}
# "قال لـ«X»", "في تصريحات لـ«X»", "مصادر مطلعة لـ«X»": X is the paper that was told, when a speech
# word stands at most four words before the "لـ" (the bare clitic ل of لإيران, and "لـ«داعش»" after any
# other word, are prepositions)
_TOLD = "لـ"
_SPEECH_WORDS = {normalize_for_search(w) for w in (
    "قال", "قالت", "يقول", "تقول", "قائلا", "أكد", "أكدت", "يؤكد", "أوضح", "أوضحت", "يوضح", "كشف", "كشفت",
    "صرح", "صرحت", "تصريح", "تصريحات", "مصدر", "مصادر", "أفاد", "أفادت", "أبلغ", "حديث", "حديثه", "حديثها",
    "أضاف", "أضافت", "مسؤول", "متحدث")}
_CLAUSE_END = re.compile(r"[:.،؛!?؟,;]$")
# "در گفت‌وگو با X" (in an interview with X)
_WITH, _INTERVIEW_WORDS = normalize_for_search("با"), {normalize_for_search(w) for w in (
    "گفت‌وگو", "گفتگو", "گفتگوی", "گفت‌وگوی", "گو", "مصاحبه")}
_STOPS = {normalize_for_search(w) for w in (
    "از", "به", "با", "در", "برای", "من", "في", "عن", "على", "إلى", "مع", "to", "from", "in", "of", "by", "with",
    "که", "و", "گفت", "أن", "بأن", "إن", "و", "that", "said", "and")}
_HEAD_CHARS = 150  # a name in parentheses this close to the start is the dateline's agency
_OPEN_PAREN = re.compile(r"[(（]\s*$")


def source_cue(start: int, preceding: str) -> str | None:
    """How a mention at ``start``, after the text ``preceding``, is named as the report's source:
    ``"dateline"`` in parentheses at the head of the text, ``"word"`` right after a source word,
    ``"desk"`` after a source word and the desk's words, else None."""
    line = preceding.rsplit("\n", 1)[-1]
    if start < _HEAD_CHARS and _OPEN_PAREN.search(line) and len(line.split()) <= 3 and (
            "\n" in preceding or len(preceding) == start):
        return "dateline"  # "MOSCOW (Reuters) -", "الرياض (واس) -"; not "حركة المقاومة الإسلامية (حماس)"
    words = preceding.split()
    last = words[-1].strip("«»\"“”") if words else ""
    if last == _TOLD and len(words) > 1 and not _definite(words[-2]) and _after_speech(words[-5:-1]):
        return "word"  # "الأمين العام لـ«X»" (of X) is not "told X"
    return _after_source_words(words)


def _after_source_words(words: list[str]) -> str | None:
    """``"word"`` when a source word ends ``words``, ``"desk"`` when it stands in the last four with only
    the desk's words between it and the name ("خبرنگار پارلمانی خبرگزاری فارس", "به گزارش گروه بین‌الملل
    خبرگزاری فارس"); a clause's end ("گزارش، ایران"), a preposition ("به گزارش ایسنا از ایران") or a
    verb or conjunction ("به خبرنگاران گفت که ایران") stops it."""
    for i in range(len(words) - 1, max(-1, len(words) - 5), -1):
        word = words[i].strip("«»\"“”")
        if _CLAUSE_END.search(word):
            return None
        bare, previous = normalize_for_search(word), normalize_for_search(words[i - 1]) if i else ""
        if (bare in _SOURCE_WORDS or (bare == _REPORT and previous in _REPORT_LEADS)
                or (bare == _WITH and previous in _INTERVIEW_WORDS)):
            return "word" if i == len(words) - 1 else "desk"
        if bare in _STOPS:
            return None
    return None


def _definite(word: str) -> bool:
    bare = normalize_for_search(word)
    return bare.startswith("ال") or (bare[:1] in ("و", "ف") and bare[1:].startswith("ال"))


def _after_speech(words: list[str]) -> bool:
    """Whether a speech word is among ``words`` (read backwards, stopping at the end of a clause)."""
    for word in reversed(words):
        if _CLAUSE_END.search(word):
            return False
        bare = normalize_for_search(word.strip("«»\"“”"))
        if bare in _SPEECH_WORDS or (bare[:1] in ("و", "ف") and bare[1:] in _SPEECH_WORDS):
            return True
    return False


def source_roles(mentions: list[Mention], entities: list[Entity],
                 before: dict[tuple[str, int], str]) -> list[tuple[str, str, str]]:
    """(article, "source", entity) for every name its article gives as its source: an organisation
    in the dateline's parentheses or after a source word and a desk, or anything but a person or a
    nationality right after a source word (the tagger may read the paper «الشرق الأوسط» as the region)."""
    types = {e.id: e.type for e in entities}
    out = set()
    for m in mentions:
        kind = types.get(m.entity_id or "")
        if kind is None or m.start < 0 or kind in ("PERSON", "NORP"):
            continue
        cue = source_cue(m.start, before.get((m.article_id, m.start), ""))
        if cue == "word" or (cue in ("dateline", "desk") and kind in ("ORG", "OUTLET")):
            out.add((m.article_id, "source", m.entity_id))
    return sorted(out)


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
