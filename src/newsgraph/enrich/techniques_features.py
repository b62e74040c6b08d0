"""Tokens and features shared by the techniques models at training and at run time.

- :func:`tokens_with_offsets`: words and punctuation with character offsets.
- :func:`crf_features`: per-token features of the English span-identification CRF (IO labels).
- :func:`span_context_text` / :func:`span_extra_features`: what the technique classifier sees of a span.

Nothing here loads a model, so the training command and the runtime agree by construction.
"""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"[\w\u200c]+(?:['’][\w]+)*|[^\w\s]", re.UNICODE)
FEATURES_VERSION = "techniques-features-2"


def tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Every word or punctuation mark of ``text`` as (token, start, end)."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def _shape(token: str) -> str:
    if token.isupper() and len(token) > 1:
        return "UPPER"
    if token[:1].isupper():
        return "Title"
    if token.isdigit():
        return "digit"
    if token.isalpha():
        return "lower"
    return "punct" if len(token) == 1 and not token.isalnum() else "mixed"


def _token_features(token: str, lexicon: frozenset[str], prefix: str) -> dict[str, float | str]:
    low = token.lower()
    feats: dict[str, float | str] = {
        f"{prefix}w": low,
        f"{prefix}shape": _shape(token),
        f"{prefix}suf3": low[-3:],
    }
    if low in lexicon:
        feats[f"{prefix}lex"] = 1.0
    return feats


def crf_features(tokens: list[str], lexicon: frozenset[str], sentence_prob: float | None = None) -> list[dict[str, float | str]]:
    """CRF features per token of one sentence: the word, its shape and affixes, a lexicon flag,
    the words around it, and sentence-level cues (question, exclamation, quotes, length, and the
    sentence classifier's probability that the sentence holds a propaganda span)."""
    lows = [t.lower() for t in tokens]
    sentence: dict[str, float | str] = {
        "s:q": 1.0 if "?" in tokens else 0.0,
        "s:excl": 1.0 if "!" in tokens else 0.0,
        "s:quote": 1.0 if any(t in {'"', "“", "”"} for t in tokens) else 0.0,
        "s:len": min(len(tokens), 60) / 60.0,
        "s:lexn": min(sum(1 for w in lows if w in lexicon), 5) / 5.0,
    }
    if sentence_prob is not None:
        sentence["s:prob"] = sentence_prob
        sentence[f"s:pb={min(int(sentence_prob * 5), 4)}"] = 1.0
    out: list[dict[str, float | str]] = []
    for i, token in enumerate(tokens):
        feats: dict[str, float | str] = {"bias": 1.0, "pre3": lows[i][:3], "pos": min(i, 10) / 10.0}
        feats.update(_token_features(token, lexicon, ""))
        feats.update(sentence)
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(tokens):
                feats[f"{offset}:w"] = lows[j]
                if lows[j] in lexicon:
                    feats[f"{offset}:lex"] = 1.0
            else:
                feats[f"{offset}:w"] = "<s>" if j < 0 else "</s>"
        if i > 0:
            feats["-1:w|w"] = f"{lows[i - 1]}|{lows[i]}"
        if i + 1 < len(tokens):
            feats["w|+1:w"] = f"{lows[i]}|{lows[i + 1]}"
        out.append(feats)
    return out


def span_context_text(text: str, start: int, end: int, window: int = 60) -> str:
    """The span itself, marked, with a little context on each side (for the TC classifier)."""
    left = text[max(0, start - window) : start].split()[-6:]
    right = text[end : end + window].split()[:6]
    return " ".join(["L_" + w.lower() for w in left]) + " || " + text[start:end] + " || " + " ".join(
        "R_" + w.lower() for w in right
    )


def span_extra_features(text: str, start: int, end: int) -> list[float]:
    """Dense features: length, how often the span recurs in its text, punctuation cues."""
    span = text[start:end]
    words = span.split()
    normalized = span.strip().lower()
    repeats = text.lower().count(normalized) if len(normalized) > 2 else 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return [
        min(len(words), 40) / 40.0,
        1.0 if len(words) <= 2 else 0.0,
        min(repeats - 1, 5) / 5.0,
        1.0 if repeats > 1 else 0.0,
        1.0 if "?" in line else 0.0,
        1.0 if "!" in span else 0.0,
        1.0 if span[:1].isupper() and len(words) <= 4 else 0.0,
        1.0 if len(span.strip()) > 0 and (end - start) >= 0.8 * max(1, len(line.strip())) else 0.0,
    ]


def hysteresis_runs(probs: list[float], high: float, low: float) -> list[tuple[int, int]]:
    """Token runs (first, last index) whose tokens reach ``high``, grown into neighbours that reach ``low``."""
    on = [p >= high for p in probs]
    changed = True
    while changed:
        changed = False
        for i, p in enumerate(probs):
            if not on[i] and p >= low and ((i > 0 and on[i - 1]) or (i + 1 < len(probs) and on[i + 1])):
                on[i] = changed = True
    runs: list[tuple[int, int]] = []
    for i, flag in enumerate(on):
        if flag and runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        elif flag:
            runs.append((i, i))
    return runs
