"""Words of an article for reuse detection: normalised tokens with their spans in the display text.

Matching runs on ``normalize_for_search`` text (Arabic/Persian letter variants, digits, diacritics
folded), but every span reported goes back to the article's own text through the offset map of
:func:`newsgraph.text.normalize.normalize_with_offsets`, so ``article.text[start:end]`` is always
the passage a reader sees.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import rensa

from newsgraph.text.normalize import normalize_for_search, normalize_with_offsets, source_span

WORD = re.compile(r"\w+")
NGRAM = 4  # words per n-gram (passim uses 5; 4 still leaves anchors when every 5th word is edited)

# Odd 64-bit multipliers for the rolling combination of word hashes into n-gram hashes (our own,
# vectorised in numpy: one hash per word, then n-gram hashes with wrapping uint64 arithmetic).
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53], dtype=np.uint64)


@dataclass
class Words:
    """The normalised words of one text and where each sits in the display text."""

    text: str  # the display text
    tokens: list[str]
    starts: np.ndarray  # int64 offsets in the display text
    ends: np.ndarray
    hashes: np.ndarray  # uint64 hash of each token (:func:`hashes_of`)

    def __len__(self) -> int:
        return len(self.tokens)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Display-text span from word ``first`` to word ``last - 1``, widened over the punctuation
        attached to them (an opening quote before, a full stop or closing quote after)."""
        start, end = int(self.starts[first]), int(self.ends[last - 1])
        while start > 0 and _attached(self.text[start - 1]):
            start -= 1
        while end < len(self.text) and _attached(self.text[end]):
            end += 1
        return start, end


def _attached(ch: str) -> bool:
    """Punctuation that belongs to the neighbouring word (not a space, not a letter or digit)."""
    return not ch.isspace() and not ch.isalnum() and ch != "_"


def words_of(text: str) -> Words:
    """Tokenise ``text`` on its normalised form, keeping display-text spans of each word."""
    norm, offsets = normalize_with_offsets(text)
    spans = [m.span() for m in WORD.finditer(norm)]
    tokens = [norm[s:e] for s, e in spans]
    if spans:
        # source_span for every token at once; only tokens followed by removed characters
        # (tashkeel, tatweel, ZWNJ) need the per-token check, so the loop runs on those alone
        table = np.asarray(offsets, dtype=np.int64)
        first, after = np.asarray(spans, dtype=np.int64).T
        starts, ends, limits = table[first], table[after - 1] + 1, table[after]
        for k in np.flatnonzero(ends < limits).tolist():
            ends[k] = source_span(text, offsets, int(first[k]), int(after[k]))[1]
    else:
        starts = ends = np.zeros(0, dtype=np.int64)
    return Words(text, tokens, starts, ends, hashes_of(tokens))


def hashes_of(tokens: list[str]) -> np.ndarray:
    """uint64 hash of each token, by rensa's token hasher (in Rust, 5x faster than crc32 from
    Python; unlike ``hash()`` stable across processes and machines, fixed for a rensa version)."""
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    return np.asarray(rensa.RMinHash.hash_token_sets([tokens])[0], dtype=np.uint64)


def token_hashes(text: str) -> np.ndarray:
    """``words_of(text).hashes`` without the display-text spans: the cheap path of the index pass."""
    return hashes_of(WORD.findall(normalize_for_search(text)))


def ngram_hashes(words: Words, n: int = NGRAM) -> np.ndarray:
    """uint64 hash of every n-word window (position i covers words i..i+n-1); empty if too short."""
    return ngram_hashes_of(words.hashes, n)


def ngram_hashes_of(hashes: np.ndarray, n: int = NGRAM) -> np.ndarray:
    """:func:`ngram_hashes` over an array of word hashes."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        out = np.zeros(count, dtype=np.uint64)
        for k in range(n):
            out = out + hashes[k:k + count] * _MULTIPLIERS[k]
        out ^= out >> np.uint64(29)
    return out


def shingle_hashes(words: Words, n: int = 3) -> np.ndarray:
    """Distinct word n-gram hashes for MinHash (sets, so order and repeats do not matter)."""
    return shingle_hashes_of(words.hashes, n)


def shingle_hashes_of(hashes: np.ndarray, n: int = 3) -> np.ndarray:
    """:func:`shingle_hashes` over an array of word hashes (the words themselves for shorter texts)."""
    return np.unique(ngram_hashes_of(hashes, n)) if len(hashes) >= n else np.unique(hashes)


def fingerprint_of(hashes: np.ndarray) -> bytes:
    """Exact-duplicate key of an array of word hashes: equal for texts that differ only in
    spelling variants, spacing, punctuation or diacritics (their normalised words are equal)."""
    return hashlib.blake2b(hashes.astype("<u8").tobytes(), digest_size=16).digest()
