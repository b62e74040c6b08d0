"""Local alignment of two texts (or of a text with itself) from shared word n-grams.

Our own code, in the spirit of passim: shared n-grams are anchors ``(i, j)`` (word positions in
A and B); anchors that follow each other on roughly the same diagonal within a gap are chained
into one aligned passage, so edits, insertions and deletions between anchors stay inside the
passage while reordered paragraphs become separate passages. Each passage is widened over equal
words at both ends and scored by rapidfuzz's Indel similarity over the two word sequences.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from newsgraph.corpus.reuse_text import NGRAM, Words, ngram_hashes

MAX_GAP = 30  # words allowed between consecutive anchors of one passage
MAX_DRIFT = 12  # how far the diagonal may move between consecutive anchors (insertions/deletions)
MAX_REPEATS = 8  # n-grams occurring more often than this in one text are not anchors
MIN_SIMILARITY = 0.7  # word-level Indel similarity; 20 % of words replaced gives 0.8
EDGE_ALLOWANCE = 0.9  # edited words at a passage's very edges cannot be aligned: a 208-char
# passage whose last word was changed aligns over ~195 chars, and still counts as ≥ min_chars
EDGE_SIMILARITY = 0.8  # ... but only when the alignment is close (≤ 20 % of words edited)
MAX_SKIP = 3  # words skipped on either side when extending a passage over an edit


@dataclass(frozen=True)
class Passage:
    """An aligned pair of spans (display-text offsets) and their word-level similarity."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    similarity: float


def shared_anchors(a: Words, b: Words | None, n: int = NGRAM) -> list[tuple[int, int]]:
    """Positions ``(i, j)`` of equal n-grams; with ``b`` None, pairs ``i < j`` inside ``a``."""
    positions: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(ngram_hashes(a, n).tolist()):
        positions[h].append(i)
    if b is None:
        return [(p[x], p[y]) for p in positions.values() if 1 < len(p) <= MAX_REPEATS
                for x in range(len(p)) for y in range(x + 1, len(p))]
    anchors = []
    b_positions: dict[int, list[int]] = defaultdict(list)
    for j, h in enumerate(ngram_hashes(b, n).tolist()):
        if h in positions:
            b_positions[h].append(j)
    for h, js in b_positions.items():
        is_ = positions[h]
        if len(is_) <= MAX_REPEATS and len(js) <= MAX_REPEATS:
            anchors.extend((i, j) for i in is_ for j in js)
    return anchors


def chains_of(anchors: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group anchors into monotone chains along near-diagonals (greedy, sorted by position in A)."""
    chains: list[list[tuple[int, int]]] = []
    open_chains: list[int] = []
    for i, j in sorted(anchors):
        open_chains = [c for c in open_chains if i - chains[c][-1][0] <= MAX_GAP]
        best, best_drift = -1, MAX_DRIFT + 1
        for c in open_chains:
            li, lj = chains[c][-1]
            di, dj = i - li, j - lj
            drift = abs(dj - di)
            if 0 < di and 0 < dj <= MAX_GAP and drift < best_drift:
                best, best_drift = c, drift
        if best >= 0:
            chains[best].append((i, j))
        else:
            chains.append([(i, j)])
            open_chains.append(len(chains) - 1)
    return chains


def _resync(a: list[str], b: list[str], i: int, j: int, step: int) -> tuple[int, int] | None:
    """Positions ``(i', j')`` a few words further (in direction ``step``) where two consecutive
    words agree again after an edit at ``(i, j)``; None when the texts do not re-synchronise."""
    best = None
    for skip_a in range(MAX_SKIP + 1):
        for skip_b in range(MAX_SKIP + 1):
            x, y = i + step * skip_a, j + step * skip_b
            x2, y2 = x + step, y + step
            if not (0 <= min(x, x2) and max(x, x2) < len(a) and 0 <= min(y, y2) and max(y, y2) < len(b)):
                continue
            if a[x] == b[y] and a[x2] == b[y2] and (best is None or skip_a + skip_b < best[0]):
                best = (skip_a + skip_b, x, y)
    return None if best is None else (best[1], best[2])


def _extend(a: list[str], b: list[str], i: int, j: int, step: int) -> tuple[int, int]:
    """Last aligned positions walking from ``(i, j)`` in direction ``step`` over equal words and
    over short edits after which the texts agree again (a gapped extension, our own)."""
    while True:
        ni, nj = i + step, j + step
        if 0 <= ni < len(a) and 0 <= nj < len(b) and a[ni] == b[nj]:
            i, j = ni, nj
            continue
        jump = _resync(a, b, ni, nj, step)
        if jump is None:
            return i, j
        i, j = jump


def word_ranges(chain: list[tuple[int, int]], a: Words, b: Words, n: int = NGRAM) -> tuple[int, int, int, int]:
    """Word ranges ``[a0, a1) x [b0, b1)`` covered by a chain, extended over equal words and short
    edits at both ends."""
    a0, b0 = _extend(a.tokens, b.tokens, chain[0][0], chain[0][1], -1)
    last_i = max(i for i, _ in chain)
    last_j = max(j for _, j in chain)
    a1, b1 = _extend(a.tokens, b.tokens, last_i + n - 1, last_j + n - 1, +1)
    return a0, a1 + 1, b0, b1 + 1


def aligned_passages(a: Words, b: Words | None, min_chars: int, n: int = NGRAM) -> list[Passage]:
    """Passages of at least ``min_chars`` (in both texts) shared by ``a`` and ``b``; with ``b``
    None, passages repeated inside ``a`` (the two copies never overlap)."""
    other = a if b is None else b
    passages = []
    for chain in chains_of(shared_anchors(a, b, n)):
        if len(chain) < 2:
            continue
        a0, a1, b0, b1 = word_ranges(chain, a, other, n)
        if b is None and a1 > b0:
            continue  # a text overlapping itself (a run like "x x x x"), not a repeat
        a_start, a_end = a.char_span(a0, a1)
        b_start, b_end = other.char_span(b0, b1)
        if min(a_end - a_start, b_end - b_start) < EDGE_ALLOWANCE * min_chars:
            continue
        similarity = Indel.normalized_similarity(a.tokens[a0:a1], other.tokens[b0:b1])
        short = min(a_end - a_start, b_end - b_start) < min_chars
        if similarity >= (EDGE_SIMILARITY if short else MIN_SIMILARITY):
            passages.append(Passage(a_start, a_end, b_start, b_end, round(similarity, 4)))
    return passages
