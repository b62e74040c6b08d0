"""Arabic and Persian text units, in one place: tokens, sentences, clitics and name spans.

Every stage that reads Arabic or Persian (NER, the entity spans, relations, quotes, techniques)
should cut words, sentences and clitics the same way; this module is where that is done.

* :func:`normalize` folds one token for features and matching (never for display);
* :func:`tokenize` / :func:`split_sentences` give character spans, clitics kept on the word as
  in ANERcorp and ArmanPersoNER;
* :func:`strip_clitic` splits an Arabic proclitic off a normalised token;
* :func:`proclitic_length` says how many characters at the start of a written word are a
  proclitic that a cited name must not include (لطهران → طهران, والأردن → الأردن);
* :func:`persian_letters` writes Persian typed with the Arabic letters ي/ك in its own letters,
  character for character, so offsets do not move.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

# ---------------------------------------------------------------------------------------------
# normalisation

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d\u200e\u200f\u202a-\u202e\ufeff]")
_LETTER_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ک": "ك", "ڪ": "ك", "ؤ": "و",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
_AR_CLITICS = ("وبال", "وكال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


@lru_cache(maxsize=200_000)
def normalize(token: str) -> str:
    """Letter-normalised, diacritic-free, lower-cased form used for features and gazetteers.

    Persian and Arabic letter variants are folded together (ی/ي/ى -> ي, ک -> ك, ة/ۀ -> ه, hamza
    seats -> bare letter) and ZWNJ is removed, so one gazetteer serves both languages.
    """
    t = unicodedata.normalize("NFKC", token)
    t = _DIACRITICS.sub("", t).translate(_LETTER_MAP).lower()
    return t or token


@lru_cache(maxsize=200_000)
def strip_clitic(norm: str, lang: str) -> tuple[str, str]:
    """(clitic, stem) for an Arabic proclitic (و ف ب ل ك and ال combinations); ('', norm) if none.

    Persian prefixes are not stripped (they are rare in names); for fa, the part before a ZWNJ
    is used instead as the stem form (see features).
    """
    if lang == "ar":
        for c in _AR_CLITICS:
            if norm.startswith(c) and len(norm) - len(c) >= 2:
                return c, norm[len(c):]
    return "", norm


# ---------------------------------------------------------------------------------------------
# tokenisation

_TOKEN_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)*"  # numbers (ASCII or Arabic-Indic digits), with separators
    r"|[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+"  # words incl. marks, ZWNJ
    r"|[^\s\w]",  # any other single non-space character
    re.UNICODE,
)
_SENT_END = {".", "!", "?", "؟", "…"}
MAX_SENT_TOKENS = 120


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character spans of tokens: words (with their clitics, as in ANERcorp/Arman), numbers and
    single punctuation characters. ZWNJ and diacritics stay inside words."""
    spans = []
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span()
        # a word run must not begin or end with a joiner
        while s < e and text[s] in "\u200c\u200d":
            s += 1
        while e > s and text[e - 1] in "\u200c\u200d":
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


def split_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group token spans into sentences: after . ! ? ؟ …, at blank lines/newlines, and at most
    MAX_SENT_TOKENS tokens each."""
    sents: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    prev_end = 0
    for s, e in spans:
        if cur and "\n" in text[prev_end:s]:
            sents.append(cur)
            cur = []
        cur.append((s, e))
        prev_end = e
        if text[s:e] in _SENT_END or len(cur) >= MAX_SENT_TOKENS:
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    return sents




# ---------------------------------------------------------------------------------------------
# Persian in Arabic letter forms

_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def persian_letters(text: str) -> str:
    """Persian text with ي ى ك written as ی ی ک (one character for one, so spans stay valid).

    Fars News and much of the Persian web archive type Persian with the Arabic letter forms;
    the Persian models were trained on Persian letters."""
    return text.translate(_PERSIAN_LETTERS)


# ---------------------------------------------------------------------------------------------
# proclitics on names

# Written proclitic groups as they appear before a name (normalised letters). A group that ends
# in ال keeps the article on the name (والأردن → الأردن, بالعراق → العراق): only the letters
# before ال are the clitic. One letter is tried before two, so وكوريا is و + كوريا, not وك + وريا.
_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "بال", "فال", "كال", "لل", "و", "ف", "ب", "ل", "ك",
               "وب", "ول", "وك", "فب", "فل")


def proclitic_length(word: str, known: Callable[[str], bool], keep: Callable[[str], bool] | None = None,
                     known_after_two: Callable[[str], bool] | None = None) -> int:
    """How many leading characters of ``word`` (as written) are a proclitic to leave out of a name.

    ``known(form)`` says whether a normalised form is a known name (a gazetteer entry, or a name
    found elsewhere in the same article). A proclitic is split off only when what is left is a
    known name and the whole word is not (وليد، بشار، لبنان، كريم stay whole), or when the word
    is clitic + ال + at least three letters (والأردن، بالسعودية): Arabic writes no name that way.
    ``keep(form)`` (default: ``known``) says whether the whole word is a name as written.
    ``known_after_two`` (default: ``known``) decides instead after two stacked proclitics (وك، وب،
    ول، فب، فل): a word that starts with two such letters is more often a word of its own
    (وكالة is not و + ك + الة), so the caller can ask for more there.
    Diacritics and tatweel inside the clitic are counted in the returned length.
    """
    norm = normalize(word)
    if len(norm) < 4 or (keep or known)(norm):
        return 0
    after_two = known_after_two or known
    for clitic in _PROCLITICS:
        if not norm.startswith(clitic):
            continue
        rest = norm[len(clitic):]
        if clitic.endswith("ال") and clitic != "ال":
            if len(rest) >= 3:
                return _written_length(word, len(clitic) - 2)
            continue
        if clitic == "لل":  # ل + ال, whose alif is not written: the name is ال + rest
            if len(rest) >= 3 and (known(rest) or known("ال" + rest)):
                return _written_length(word, 2)
            continue
        if len(rest) >= 3 and (after_two if len(clitic) == 2 else known)(rest):
            return _written_length(word, len(clitic))
    return 0


def _written_length(word: str, letters: int) -> int:
    """Characters of ``word`` that hold its first ``letters`` letters (marks and tatweel included)."""
    seen = 0
    for i, ch in enumerate(word):
        if seen == letters and not _DIACRITICS.match(ch):
            return i
        if not _DIACRITICS.match(ch):
            seen += 1
    return len(word)


# ---------------------------------------------------------------------------------------------
# words and light stems of folded text (lexicon matching: sentiment, loaded terms)

# A word of folded text: anything between spaces and punctuation (Arabic and Latin alike).
WORD_RUN = re.compile(r"[^\s.,،:;؛!?؟«»\"“”()\[\]]+")
_AR_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("ات", "ين", "ون", "يه", "ها", "هم", "ه", "ي", "ا")  # ا: the accusative tanween seat (ناجحاً)
_FA_SUFFIXES = ("هاي", "ها", "ان", "ي", "اي")


def light_forms(word: str, lang: str) -> list[str]:
    """``word`` (folded by ``normalize_for_search``) and its light stems: Arabic without a proclitic
    group and/or a suffix, Persian without a plural or ezafe suffix; each keeps at least three letters."""
    if lang == "fa":
        return [word] + [word[:-len(s)] for s in _FA_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]
    forms = [word]
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            forms.append(word[len(prefix):])
    for form in list(forms):
        for suffix in _AR_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                forms.append(form[:-len(suffix)])
    return forms
