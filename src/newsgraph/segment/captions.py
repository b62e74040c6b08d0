"""Photo captions that carry no credit: verbless, name-rich fragments.

Pages lose their <figcaption> markup when scraped to text, so a caption sits
between paragraphs as a line like "Sayyed Ali Khamenei and IRGC General Ismail
Qaani during the Iraq-Iran war". What gives it away is grammar: it names people
but has no finite verb, unlike body sentences and most subheadings. For English
the tagger of en_core_web_sm (loaded once for every English stage) decides; other languages only get the
credit- and position-marker rules in :mod:`newsgraph.segment.rules`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NAME_RUN = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin |ibn |abu |de |van )?[A-Z][\w’'-]+)+")
_CAPTION_PREPOSITIONS = re.compile(r"\b(with|during|at|in|alongside|beside|next to|and|meets?|attends?)\b")


@lru_cache(maxsize=1)
def _tagger():
    """The English stages' en_core_web_sm (:mod:`newsgraph.enrich.english`), of which only the tagger
    components run here; None when the model is not installed."""
    try:
        from newsgraph.enrich.english import nlp, tagged

        nlp()
        return tagged
    except Exception:
        return None


def has_finite_verb(text: str) -> bool | None:
    """Whether an English fragment has a finite verb; None when no tagger is installed."""
    nlp = _tagger()
    if nlp is None:
        return None
    doc = nlp(text)  # tags and morphology only
    for token in doc:
        if token.pos_ in ("VERB", "AUX") and ("Fin" in token.morph.get("VerbForm") or token.tag_ in ("VBZ", "VBP", "VBD", "MD")):
            return True
    return False


def person_name_runs(text: str) -> int:
    """Runs of two or more capitalised words that are not the first words of the line."""
    runs = 0
    for match in _NAME_RUN.finditer(text):
        runs += 1
    return runs


def is_verbless_caption(text: str) -> bool:
    """An English line that reads like a picture caption: names, a linking word, no finite verb."""
    words = text.split()
    if not 7 <= len(words) <= 40:
        return False
    if person_name_runs(text) < 2 or not _CAPTION_PREPOSITIONS.search(text):
        return False
    verb = has_finite_verb(text)
    return verb is False
