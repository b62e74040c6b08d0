"""Transparent rules for persuasion techniques with surface markers, per language (en, ar, fa).

Each rule has a name (recorded as ``rule:<lang>:<name>`` in :attr:`TechniqueSpan.method`), the technique
it signals and a fixed confidence (its precision as judged when writing it: single words lower,
multi-word cues higher). The lexicons live in :mod:`newsgraph.enrich.techniques_lexicons`. Arabic and
Persian rules match on folded text (:func:`normalize_with_offsets`) and map back to the original
characters, so ``text[start:end]`` is always the evidence as written.

Rules return ``(start, end, technique, confidence, rule_name)`` with offsets into the text passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsgraph.enrich import techniques_lexicons as lx
from newsgraph.text.normalize import normalize_for_search, normalize_with_offsets

Hit = tuple[int, int, str, float, str]
WORD_RE = re.compile(r"[\w\u200c]+(?:['’\-][\w]+)*", re.UNICODE)
AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
AR_SUFFIXES = ("هم", "هن", "ها", "ه", "ات", "ين", "ون")
FA_SUFFIXES = ("هاي", "ها", "اي", "ان", "ي")


@dataclass(frozen=True)
class PatternRule:
    name: str
    technique: str
    pattern: re.Pattern[str]
    confidence: float


def _fold(words: list[str]) -> frozenset[str]:
    return frozenset(normalize_for_search(w) for w in words)


@lru_cache(maxsize=1)
def english_lexicon() -> frozenset[str]:
    """Loaded and name-calling words (lower case): also a feature of the English CRF."""
    return frozenset(w.lower() for w in lx.EN_LOADED + lx.EN_NAME_CALLING)


@lru_cache(maxsize=3)
def word_lexicons(lang: str) -> dict[str, tuple[frozenset[str], str, float]]:
    """Single-word lexicons of one language: name -> (folded words, technique, confidence)."""
    if lang == "en":
        return {"loaded-language-lexicon": (frozenset(w.lower() for w in lx.EN_LOADED), "Loaded_Language", 0.55),
                "name-calling-lexicon": (frozenset(w.lower() for w in lx.EN_NAME_CALLING), "Name_Calling-Labeling", 0.5)}
    loaded, names = (lx.AR_LOADED, lx.AR_NAME_CALLING) if lang == "ar" else (lx.FA_LOADED, lx.FA_NAME_CALLING)
    return {"loaded-language-lexicon": (_fold(loaded), "Loaded_Language", 0.55),
            "name-calling-lexicon": (_fold(names), "Name_Calling-Labeling", 0.5)}


def _compile(patterns: list[str], lang: str) -> list[re.Pattern[str]]:
    flags = re.IGNORECASE | re.MULTILINE
    return [re.compile(p if lang == "en" else normalize_for_search(p), flags) for p in patterns]


PATTERN_TABLE = {  # rule name -> (technique, confidence, attribute suffix in techniques_lexicons)
    "loaded-language-phrase": ("Loaded_Language", 0.6, "LOADED_PHRASES"),
    "name-calling-phrase": ("Name_Calling-Labeling", 0.6, "NAME_PHRASES"),
    "appeal-to-fear-cue": ("Appeal_to_Fear-Prejudice", 0.6, "FEAR"),
    "flag-waving-cue": ("Flag_Waving", 0.65, "FLAG"),
    "doubt-cue": ("Doubt", 0.6, "DOUBT"),
    "whataboutism-cue": ("Whataboutism", 0.6, "WHATABOUT"),
    "thought-terminating-cliche": ("Conversation_Killer", 0.6, "CLICHES"),
    "causal-oversimplification-cue": ("Causal_Oversimplification", 0.55, "CAUSAL"),
    "exaggeration-cue": ("Exaggeration-Minimisation", 0.6, "EXAGGERATION"),
    "slogan-cue": ("Slogans", 0.7, "SLOGAN_CUES"),
}


@lru_cache(maxsize=3)
def pattern_rules(lang: str) -> list[PatternRule]:
    prefix = lang.upper()
    rules = []
    for name, (technique, confidence, attr) in PATTERN_TABLE.items():
        for pattern in _compile(getattr(lx, f"{prefix}_{attr}"), lang):
            rules.append(PatternRule(name, technique, pattern, confidence))
    return rules


def _stems(word: str, lang: str) -> list[str]:
    """The word and its forms without common clitics (Arabic prefixes and suffixes, Persian suffixes)."""
    forms = [word]
    if lang == "ar":
        for p in AR_PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 3:
                forms.append(word[len(p):])
        forms += [f[: -len(s)] for f in list(forms) for s in AR_SUFFIXES if f.endswith(s) and len(f) - len(s) >= 3]
    elif lang == "fa":
        forms += [word[: -len(s)] for s in FA_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]
    return forms


def word_hits(text: str, lang: str) -> list[Hit]:
    """Lexicon words (with clitics for ar/fa), one hit per word, as written in ``text``."""
    folded, offsets = _folded(text, lang)
    hits: list[Hit] = []
    for m in WORD_RE.finditer(folded):
        forms = _stems(m.group().replace("\u200c", ""), lang)
        for name, (words, technique, confidence) in word_lexicons(lang).items():
            if any(f in words for f in forms):
                s, e = _orig(offsets, m.start(), m.end(), len(text))
                hits.append((s, e, technique, confidence, name))
                break
    return hits


def _folded(text: str, lang: str) -> tuple[str, list[int] | None]:
    if lang == "en":
        return text.lower(), None
    return normalize_with_offsets(text)


def _orig(offsets: list[int] | None, start: int, end: int, n: int) -> tuple[int, int]:
    """Original-text offsets of a folded-text span."""
    if offsets is None:
        return start, end
    s = offsets[start] if start < len(offsets) else n
    e = offsets[end - 1] + 1 if end - 1 < len(offsets) else n
    return s, max(e, s)


def pattern_hits(text: str, lang: str) -> list[Hit]:
    folded, offsets = _folded(text, lang)
    hits: list[Hit] = []
    for rule in pattern_rules(lang):
        for m in rule.pattern.finditer(folded):
            if m.end() > m.start():
                s, e = _orig(offsets, m.start(), m.end(), len(text))
                s, e = _trim(text, s, e)
                if e > s:
                    hits.append((s, e, rule.technique, rule.confidence, rule.name))
    return hits


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ".,;:،؛"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:،؛"):
        e -= 1
    return s, e


SHOUT_RE = re.compile(r"(?:^|(?<=[.!?؟\n»\"”]))\s*([^.!?؟\n]{3,60}!)", re.MULTILINE)


def slogan_hits(text: str, lang: str) -> list[Hit]:
    """Short exclamations (2-6 words ending in '!'): the typical form of a slogan."""
    hits: list[Hit] = []
    for m in SHOUT_RE.finditer(text):
        s, e = _trim(text, m.start(1), m.end(1))
        if 2 <= len(text[s:e].split()) <= 6:
            hits.append((s, e, "Slogans", 0.45, "short-exclamation"))
    return hits


def repetition_hits(text: str, lang: str, n: int = 3, min_count: int = 3) -> list[Hit]:
    """Word n-grams (n words, no digits) that recur ``min_count`` times or more: every later occurrence."""
    folded, offsets = _folded(text, lang)
    words = [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(folded)]
    seen: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    digits = [any(ch.isdigit() for ch in w) for w, _, _ in words]  # once per word, not once per n-gram
    for i in range(len(words) - n + 1):
        if any(digits[i : i + n]):
            continue
        gram = tuple(w for w, _, _ in words[i : i + n])
        seen.setdefault(gram, []).append((words[i][1], words[i + n - 1][2]))
    hits: list[Hit] = []
    for places in seen.values():
        if len(places) >= min_count:
            for a, b in places[1:]:
                s, e = _orig(offsets, a, b, len(text))
                # 0.12 = its precision on PTC train (English); no better estimate exists for ar/fa
                hits.append((s, e, "Repetition", 0.12, "repeated-phrase"))
    return _calibrated(hits, lang)


# English confidences = the share of the rule's hits that fall inside a gold propaganda span of the PTC
# *train* split (measured with the lexicons above; ``python -m newsgraph.train.techniques`` prints them
# again). Arabic and Persian keep the confidences written with the rules (no span-level training data).
EN_CONFIDENCE = {
    "loaded-language-lexicon": 0.69, "name-calling-lexicon": 0.63, "appeal-to-fear-cue": 0.6, "flag-waving-cue": 0.55,
    "doubt-cue": 0.2, "whataboutism-cue": 0.5, "thought-terminating-cliche": 0.2, "causal-oversimplification-cue": 0.25,
    "exaggeration-cue": 0.32, "slogan-cue": 0.55, "short-exclamation": 0.5, "repeated-phrase": 0.12,
    "loaded-language-phrase": 0.6, "name-calling-phrase": 0.6,  # too rare in PTC train to measure: written value
}


def _calibrated(hits: list[Hit], lang: str) -> list[Hit]:
    if lang != "en":
        return hits
    return [(s, e, t, EN_CONFIDENCE.get(name, c), name) for s, e, t, c, name in hits]


def rule_hits(text: str, lang: str) -> list[Hit]:
    """Every rule of ``lang`` on ``text`` (a paragraph); empty for languages without rules."""
    if lang not in ("en", "ar", "fa"):
        return []
    return _calibrated(word_hits(text, lang) + pattern_hits(text, lang) + slogan_hits(text, lang), lang)
