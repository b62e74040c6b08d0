"""Tokens and CRF features of the Arabic span tagger (``si-ar``), shared by training and run time.

Arabic words carry clitics (و ف ب ل ك ال before, pronoun suffixes after) and come in many spellings, so
every token is seen folded (:func:`normalize_for_search`: alef/yeh/teh-marbuta unified, no tashkeel) and
as a light stem with the clitics stripped; the CRF also sees its affixes, the words around it, whether the
hand-written Arabic rules fire on it, and how strongly its stem is tied to each technique in the Arabic
translations of PTC propaganda spans (``cue_scores``, computed at training time and shipped with the model).

A light stemmer of our own rather than a morphological analyser: the few analysers on PyPI (qalsadi,
tashaphyne) are unmaintained or pull in large dictionaries, and a stem is only one feature among many here.
"""

from __future__ import annotations

import re

from newsgraph.text.normalize import normalize_for_search

FEATURES_VERSION = "techniques-features-ar-1"
# words (letters, digits, tashkeel, tatweel, ZWNJ), hashtags, or one punctuation mark
TOKEN_RE = re.compile(r"#?[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c]+|[^\w\s]", re.UNICODE)
PREFIXES = ("وبال", "وكال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال", "وب", "ول", "وس", "فس", "و", "ف", "ب", "ل", "ك", "س")
SUFFIXES = ("هما", "كما", "تها", "تهم", "هم", "هن", "ها", "كم", "نا", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ك")

Token = tuple[str, int, int]
CueScores = dict[str, dict[str, float]]  # technique -> folded stem -> log-odds against news text


def tokens_with_offsets(text: str) -> list[Token]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def light_stem(folded: str) -> str:
    """``folded`` without one prefix clitic group and one suffix (each kept only if >= 3 letters remain)."""
    word = folded.lstrip("#")
    for p in PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            word = word[len(p):]
            break
    for s in SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            word = word[: -len(s)]
            break
    return word


def _shape(token: str) -> str:
    if token.startswith("#"):
        return "hash"
    if token.isdigit():
        return "digit"
    if token.isascii() and token.isalpha():
        return "latin"
    if not token[0].isalnum() and len(token) == 1:
        return "punct"
    return "word"


CUE_MIN = 2.0  # log-odds: the stem is e^2 = 7x more frequent in translated propaganda spans than in news


def crf_features(tokens: list[str], rule_tags: list[set[str]], cues: CueScores, kind: str = "paragraph",
                 para_probs: dict[str, float] | None = None) -> list[dict[str, float | str]]:
    """Features per token of one paragraph. ``rule_tags[i]``: techniques whose Arabic rules cover token i;
    ``para_probs``: the paragraph classifier's P(technique somewhere in the paragraph)."""
    folded = [normalize_for_search(t) for t in tokens]
    stems = [light_stem(f) for f in folded]
    n = len(tokens)
    para: dict[str, float | str] = {
        "p:q": 1.0 if any(t in {"?", "؟"} for t in tokens) else 0.0,
        "p:excl": 1.0 if "!" in tokens else 0.0,
        "p:len": min(n, 80) / 80.0,
        "p:rules": min(sum(1 for r in rule_tags if r), 4) / 4.0,
        "p:kind": kind,
    }
    for technique, p in (para_probs or {}).items():
        para[f"pp={technique}"] = p
        para[f"pp={technique}:{min(int(p * 5), 4)}"] = 1.0
    quote_depth, inside = 0, []
    for t in tokens:
        if t in {"«", "“"}:
            quote_depth += 1
        inside.append(quote_depth > 0 or None)
        if t in {"»", "”"}:
            quote_depth = max(0, quote_depth - 1)
    out: list[dict[str, float | str]] = []
    for i in range(n):
        w, st = folded[i], stems[i]
        feats: dict[str, float | str] = {
            "bias": 1.0, "w": w, "st": st, "shape": _shape(tokens[i]), "pre2": st[:2], "suf2": st[-2:],
            "suf3": st[-3:], "len": min(len(st), 8), "pos": min(i, 20) / 20.0, "rpos": (n - 1 - i == 0) * 1.0,
        }
        for k in (3, 4):
            for j in range(len(st) - k + 1):
                feats[f"c{k}={st[j : j + k]}"] = 1.0
        if w != st:
            feats["clitic"] = w[: len(w) - len(st)] if w.endswith(st) else "x"
        if inside[i]:
            feats["quoted"] = 1.0
        for technique in rule_tags[i]:
            feats[f"rule={technique}"] = 1.0
        for technique, table in cues.items():
            score = table.get(st, 0.0)
            if score >= CUE_MIN:
                feats[f"cue={technique}"] = 1.0
        feats.update(para)
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                feats[f"{off}:w"] = folded[j]
                feats[f"{off}:st"] = stems[j]
                for technique in rule_tags[j]:
                    feats[f"{off}:rule={technique}"] = 1.0
            else:
                feats[f"{off}:w"] = "<s>" if j < 0 else "</s>"
        if i > 0:
            feats["-1:st|st"] = f"{stems[i - 1]}|{st}"
        if i + 1 < n:
            feats["st|+1:st"] = f"{st}|{stems[i + 1]}"
        out.append(feats)
    return out


def rule_tags_of(text: str, toks: list[Token], hits: list[tuple[int, int, str]]) -> list[set[str]]:
    """For every token, the techniques of the rule hits ``(start, end, technique)`` that overlap it."""
    tags: list[set[str]] = [set() for _ in toks]
    for s, e, technique in hits:
        for i, (_, a, b) in enumerate(toks):
            if a < e and b > s:
                tags[i].add(technique)
    return tags
