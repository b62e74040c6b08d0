"""A script-independent *consonant skeleton* of a name, for matching across spellings and scripts.

Qassem, Qasem, Qasim, Ghasem, قاسم → ``QSM``; Soleimani, Suleimani, سليماني, سلیمانی → ``SLMN``;
Khamenei, Khamnei, خامنئي, خامنه‌ای → ``XMN``; Hezbollah, Hizbullah, حزب الله → ``HZBL``.

Why our own and not a romaniser: romanisers (uroman, ICU, arabic-name-romanizer) produce one
spelling, but English news spells the same Arabic or Persian name many ways, and vowels are
exactly where they differ (Arabic script mostly omits them). Keeping only consonant classes,
merged where English spellings of Arabic and Persian letters merge (ق/غ → Q as in Qasem/Ghasem;
ج/گ → J as in Jamal/Gamal; ض/ظ/ذ/ز → Z as Persian pronounces them), gives the same key for the
spellings researchers meet. The key is for *blocking and comparison*, never for display, and
resolution only merges on it with other evidence (full names, types, fuzzy agreement).
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_CLASSES = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "S", "ج": "J", "چ": "C", "ح": "H", "خ": "X", "د": "D",
    "ذ": "Z", "ر": "R", "ز": "Z", "ژ": "J", "س": "S", "ش": "C", "ص": "S", "ض": "Z", "ظ": "Z", "ع": "",
    "غ": "Q", "ف": "F", "ق": "Q", "ك": "K", "ک": "K", "گ": "J", "ل": "L", "م": "M", "ن": "N", "ه": "H",
    "ة": "", "ء": "", "أ": "", "إ": "", "آ": "", "ا": "", "ٱ": "", "ى": "", "ئ": "", "ؤ": "",
}
# Latin digraphs first (order matters), then single letters; vowels and y vanish.
_LATIN_DIGRAPHS = [("sch", "C"), ("kh", "X"), ("gh", "Q"), ("sh", "C"), ("ch", "C"), ("zh", "J"), ("th", "T"),
                   ("dh", "Z"), ("ph", "F"), ("ou", ""), ("oo", ""), ("ee", "")]
_LATIN_CLASSES = {
    "b": "B", "p": "B", "t": "T", "d": "D", "z": "Z", "s": "S", "c": "K", "k": "K", "q": "Q", "g": "J",
    "j": "J", "h": "H", "x": "X", "f": "F", "v": "W", "w": "W", "l": "L", "m": "M", "n": "N", "r": "R",
}
_ARTICLE = re.compile(r"^(?:al|el|ul|ad|ar|as|at|az|an|ash|ad)[-‐‑’']|^ال(?=..)")
_ARTICLE_WORDS = {"al", "el", "ul", "ال"}
_ZWNJ = "\u200c"
_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def _arabic_token_skeleton(token: str) -> str:
    token = _DIACRITICS.sub("", token)
    token = re.sub(r"ه(?=\u200c|ای$|ي$|ی$)", "", token)  # Persian final -e written ه (خامنه‌ای)
    token = token.replace(_ZWNJ, "")
    token = re.sub(r"^(?:وال|بال|فال|كال|لل)(?=..)", "", token)
    token = _ARTICLE.sub("", token)
    out = []
    chars = list(token)
    for i, ch in enumerate(chars):
        if ch in "وو":
            prev_vowel = i == 0 or chars[i - 1] in "اآى"
            next_vowel = i + 1 < len(chars) and chars[i + 1] in "اآيیىه"
            out.append("W" if prev_vowel or next_vowel else "")
        elif ch in "يی":
            out.append("")
        else:
            out.append(_ARABIC_CLASSES.get(ch, ""))
    return _collapse("".join(out))


def _latin_token_skeleton(token: str) -> str:
    token = unicodedata.normalize("NFKD", token.lower())
    token = "".join(ch for ch in token if not unicodedata.combining(ch))
    token = _ARTICLE.sub("", token)
    token = re.sub(r"[^a-z]", "", token)
    for digraph, cls in _LATIN_DIGRAPHS:
        token = token.replace(digraph, cls)  # classes are upper case, so they pass through below
    out = []
    for i, ch in enumerate(token):
        if ch.isupper():
            out.append(ch)
        elif ch == "c" and i + 1 < len(token) and token[i + 1] in "ei":
            out.append("S")
        else:
            out.append(_LATIN_CLASSES.get(ch, ""))
    return _collapse("".join(out))


def _collapse(skeleton: str) -> str:
    skeleton = re.sub(r"(.)\1+", r"\1", skeleton)
    return skeleton[:-1] if len(skeleton) > 1 and skeleton.endswith("H") else skeleton


_LATIN_VOWEL = re.compile(r"[aeiouy]")
_VOWEL_CLASS = {"a": "A", "e": "E", "i": "E", "y": "E", "o": "O", "u": "O"}


def first_vowel_class(token: str) -> str:
    """The class of the vowel after a word's first consonant: A, E (e/i), O (o/u), or "" when
    the script does not write it. Keeps Khamenei (A) apart from Khomeini (O), Zahar from Zohour,
    while Soleimani/Suleimani (O) and Qassem/Qasim/Ghasem (A) stay together."""
    if re.search(r"[\u0600-\u06FF]", token):
        token = _ARTICLE.sub("", _DIACRITICS.sub("", token).replace(_ZWNJ, ""))
        if len(token) >= 2 and token[0] not in "اأإآعء":
            return {"ا": "A", "آ": "A", "و": "O", "ي": "E", "ی": "E"}.get(token[1], "")
        return ""
    word = unicodedata.normalize("NFKD", token.lower())
    word = _ARTICLE.sub("", "".join(ch for ch in word if ch.isalpha() and not unicodedata.combining(ch)))
    match = re.match(r"^[^aeiouy]*([aeiouy])", word)
    return _VOWEL_CLASS[match.group(1)] if match else ""


def token_skeleton(token: str) -> str:
    """The consonant skeleton of one word, in either script."""
    if re.search(r"[\u0600-\u06FF]", token):
        return _arabic_token_skeleton(token)
    return _latin_token_skeleton(token)


def name_skeleton(name: str) -> list[str]:
    """Skeletons of a name's words (empty ones dropped)."""
    parts = re.split(r"[\s\u00a0\-‐‑]+", name.strip())
    skeletons = []
    for part in parts:
        if part.lower() in _ARTICLE_WORDS:
            continue
        key = token_skeleton(part)
        if key:
            skeletons.append(key)
    return skeletons


def name_key(name: str) -> str:
    """One string per name, word boundaries ignored (نصر الله = Nasrallah)."""
    return "".join(name_skeleton(name))


# --- Vowels between consonants, for checking an Arabic-script spelling against a Latin one ---

_LATIN_LONG = [("ou", "uu"), ("oo", "uu"), ("ee", "ii")]  # digraph vowels the skeleton drops: kept as long here


def _latin_slots(token: str) -> list[list[str]] | None:
    token = unicodedata.normalize("NFKD", token.lower())
    token = "".join(ch for ch in token if not unicodedata.combining(ch))
    token = _ARTICLE.sub("", token)
    token = re.sub(r"[^a-z]", "", token)
    for digraph, cls in _LATIN_DIGRAPHS:
        token = token.replace(digraph, dict(_LATIN_LONG).get(digraph, cls))
    units: list[list[str]] = [["", ""]]  # [consonant class, vowels after it]; the first has no consonant
    for i, ch in enumerate(token):
        if ch.isupper():
            cls = ch
        elif ch == "c" and i + 1 < len(token) and token[i + 1] in "ei":
            cls = "S"
        else:
            cls = _LATIN_CLASSES.get(ch, "")
        if cls:
            units.append([cls, ""])
        else:
            units[-1][1] += ch
    return units


def _arabic_slots(token: str) -> list[list[str]] | None:
    token = _DIACRITICS.sub("", token)
    token = re.sub(r"ه(?=\u200c|ای$|ي$|ی$)", "", token)
    token = token.replace(_ZWNJ, "")
    token = re.sub(r"^(?:وال|بال|فال|كال|لل)(?=..)", "", token)
    token = _ARTICLE.sub("", token)
    units: list[list[str]] = [["", ""]]
    chars = list(token)
    for i, ch in enumerate(chars):
        if ch == "و":
            prev_vowel = i == 0 or chars[i - 1] in "اآى"
            next_vowel = i + 1 < len(chars) and chars[i + 1] in "اآيیىه"
            if prev_vowel or next_vowel:
                units.append(["W", ""])
            else:
                units[-1][1] += "U"
        elif ch in "يی":
            units[-1][1] += "I"
        elif ch in "اآى":
            units[-1][1] += "A"
        elif _ARABIC_CLASSES.get(ch, ""):
            units.append([_ARABIC_CLASSES[ch], ""])
        else:
            units[-1][1] += "?"  # ع, hamza, ة: a sound Latin spellings write in many ways or not at all
    return units


def _collapse_units(units: list[list[str]]) -> list[list[str]]:
    out = [list(units[0])]
    for cls, vowels in units[1:]:
        if len(out) > 1 and out[-1][0] == cls:
            out[-1][1] += vowels
        else:
            out.append([cls, vowels])
    if len(out) > 2 and out[-1][0] == "H":
        out[-2][1] += out.pop()[1]
    return out


def _slot_agrees(arabic: str, latin: str) -> bool:
    if "?" in arabic:
        return True
    if not arabic:  # no long vowel written: one short vowel at most ("Hassan" for حسن, not "Hussein")
        return len(latin) <= 1 or latin == "y"
    if arabic[0] == "A":  # alif also writes a foreign short vowel (ترامب Trump)
        return bool(latin)
    wanted = {"I": "iey", "U": "ouw"}[arabic[0]]
    return any(ch in wanted for ch in latin)


def spellings_agree(arabic_token: str, latin_token: str) -> bool:
    """Whether a Latin spelling can transliterate an Arabic-script word: besides equal consonants,
    every long vowel the Arabic writes between two consonants (ا و ي) shows in the Latin, and where
    the Arabic writes none the Latin has one short vowel at most. Soleimani/سليماني and
    Hussein/حسين agree; Hassan/حسين, Hussein/حسن, Mohammad/محمود, Suleiman/سلمان do not."""
    a = _collapse_units(_arabic_slots(arabic_token) or [])
    b = _collapse_units(_latin_slots(latin_token) or [])
    if [u[0] for u in a[1:]] != [u[0] for u in b[1:]] or len(a) < 2:
        return token_skeleton(arabic_token) == token_skeleton(latin_token)  # alignment unsure: consonants only
    return all(_slot_agrees(x[1], y[1]) for x, y in zip(a[1:-1], b[1:-1]))
