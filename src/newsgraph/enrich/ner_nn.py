"""Arabic named-entity recognition with a small BiLSTM-CRF, run in numpy (an experiment).

The network is trained with torch by ``python -m newsgraph.train.ner_nn`` (training time only)
and written as plain arrays in one ``.npz`` file (no pickle); this module runs it with numpy, so
torch is never needed at run time. No such model is shipped and ``ner_crf.extract_entities`` does
not call this module: the best run did not beat the CRF on both dev sets by the required margin
(``bench/results/ner-neural-experiments.json``, NER_MODEL_CARD.md). Architecture, per token:

* word embedding of the normalised form and of its clitic-stripped stem (one table, initialised
  from word2vec on the permitted training text), a learned clitic and word-shape embedding,
  gazetteer flags (single-token type and multi-token phrase B-/I- matches of the shared
  ``ner-gazetteer.tsv.gz``), a character CNN over the normalised form, and optionally static
  subword vectors (``SubwordVectors``: multilingual-e5-small input embeddings of the word's pieces);
* one bidirectional LSTM over the sentence, a linear layer to BIO tag scores, and Viterbi
  decoding with the learned CRF transition scores.

The encoder here (token -> integer ids and flags) is shared by training and runtime, so the two
cannot drift apart. Written by hand rather than with a library because the runtime must not
depend on torch or onnx export of a CRF; the numpy forward pass is checked against torch's in
training (``newsgraph.train.ner_nn --parity``), and against the LSTM equations written out by
``tests/test_ner_nn.py``.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsgraph.enrich.ner_crf import MODEL_DIR, Gazetteer, _shape, load_gazetteer
from newsgraph.text.arabic import _AR_CLITICS, normalize, strip_clitic

PAD, UNK = 0, 1  # ids shared by every vocabulary
BOW, EOW = 2, 3  # character-sequence boundary markers
MAX_CHARS = 20


def nn_model_path(lang: str, model_dir: Path = MODEL_DIR) -> Path:
    """Where the neural model for ``lang`` lives (the one place that names the file)."""
    return model_dir / f"ner-{lang}-nn.npz"


def _vocab(items: Sequence[str]) -> dict[str, int]:
    return {w: i for i, w in enumerate(items)}


def _chars(norm: str) -> str:
    return norm if len(norm) <= MAX_CHARS else norm[:12] + norm[-8:]


class SubwordVectors:
    """Static subword vectors: a word is cut into the SentencePiece-unigram pieces of
    multilingual-e5-small's vocabulary (Arabic-script pieces only, best-scoring segmentation, as
    the SentencePiece unigram model does) and its vector is the mean of its pieces' input
    embeddings (reduced by PCA at training time). Pieces and vectors are shipped in the model
    file; the segmentation is written out here because the runtime has no SentencePiece."""

    CACHE = 200_000

    def __init__(self, pieces: Sequence[str], scores: np.ndarray, vecs: np.ndarray, unk_score: float):
        self.ids = {p: i for i, p in enumerate(pieces)}
        self.scores = [float(x) for x in scores]
        self.vecs = np.asarray(vecs, dtype=np.float32)
        self.unk_score = float(unk_score)
        self.max_len = max(len(p) for p in pieces)
        self._cache: dict[str, np.ndarray] = {}

    def segment(self, word: str) -> list[int]:
        """Piece ids of the best segmentation of ``word`` (-1 for a character no piece covers)."""
        s = "\u2581" + unicodedata.normalize("NFKC", word)
        n = len(s)
        best = [0.0] + [-1e30] * n
        bp = [-1] * (n + 1)
        bf = [0] * (n + 1)
        ids, scores = self.ids, self.scores
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                k = ids.get(s[i:e])
                if k is not None and best[i] + scores[k] > best[e]:
                    best[e], bp[e], bf[e] = best[i] + scores[k], k, i
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], bp[i + 1], bf[i + 1] = best[i] + self.unk_score, -1, i
        out = []
        i = n
        while i > 0:
            out.append(bp[i])
            i = bf[i]
        return out[::-1]

    def vector(self, word: str) -> np.ndarray:
        v = self._cache.get(word)
        if v is None:
            ids = [k for k in self.segment(word) if k >= 0]
            v = self.vecs[ids].mean(axis=0) if ids else np.zeros(self.vecs.shape[1], dtype=np.float32)
            if len(self._cache) >= self.CACHE:
                self._cache.clear()
            self._cache[word] = v
        return v

    def vectors(self, tokens: Sequence[str]) -> np.ndarray:
        return np.stack([self.vector(t) for t in tokens]).astype(np.float32)


class Encoder:
    """Token -> integer ids and gazetteer flags; vocabularies are lists whose index is the id
    (entries 0 and 1 are padding and unknown)."""

    def __init__(self, words: Sequence[str], chars: Sequence[str], shapes: Sequence[str],
                 gaz_types: Sequence[str], gazetteer: Gazetteer | None, lang: str = "ar",
                 subwords: SubwordVectors | None = None):
        self.subwords = subwords
        self.words, self.chars, self.shapes, self.gaz_types = list(words), list(chars), list(shapes), list(gaz_types)
        self.w2i, self.c2i, self.s2i = _vocab(self.words), _vocab(self.chars), _vocab(self.shapes)
        self.clitics = ["<pad>", ""] + list(_AR_CLITICS)
        self.cl2i = _vocab(self.clitics)
        self.gaz = gazetteer
        self.lang = lang
        self.flag_names = ([f"t:{t}" for t in self.gaz_types] + [f"B-{t}" for t in self.gaz_types]
                           + [f"I-{t}" for t in self.gaz_types])
        self.f2i = _vocab(self.flag_names)

    @property
    def n_flags(self) -> int:
        return len(self.flag_names)

    def encode(self, tokens: Sequence[str]) -> dict[str, np.ndarray | list[str]]:
        """Ids for one sentence: ``word``, ``stem``, ``clitic``, ``shape`` (n,), ``flags`` (n, F)
        and ``norms`` (the normalised forms, for the character CNN)."""
        n = len(tokens)
        norms = [normalize(t) for t in tokens]
        cs = [strip_clitic(x, self.lang) for x in norms]
        stems = [s for _, s in cs]
        w2i = self.w2i
        flags = np.zeros((n, self.n_flags), dtype=np.float32)
        if self.gaz is not None:
            f2i = self.f2i
            for i in range(n):
                for t in self.gaz.token_types(norms[i], stems[i]):
                    j = f2i.get("t:" + t)
                    if j is not None:
                        flags[i, j] = 1.0
            for i, tags in enumerate(self.gaz.matches(norms, stems)):
                for t in tags:
                    j = f2i.get(t)
                    if j is not None:
                        flags[i, j] = 1.0
        return {
            "word": np.array([w2i.get(x, UNK) for x in norms], dtype=np.int64),
            "stem": np.array([w2i.get(s, UNK) for s in stems], dtype=np.int64),
            "clitic": np.array([self.cl2i.get(c, UNK) for c, _ in cs], dtype=np.int64),
            "shape": np.array([self.s2i.get(_shape(t), UNK) for t in tokens], dtype=np.int64),
            "flags": flags,
            "norms": norms,
            **({"subword": self.subwords.vectors(tokens)} if self.subwords is not None else {}),
        }

    def char_ids(self, norm: str) -> list[int]:
        return [BOW] + [self.c2i.get(ch, UNK) for ch in _chars(norm)] + [EOW]

    def char_matrix(self, norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(ids (m, L), valid conv-window count per word (m,)) for a list of normalised words."""
        seqs = [self.char_ids(w) for w in norms]
        L = max(len(s) for s in seqs)
        out = np.zeros((len(seqs), L), dtype=np.int64)
        for i, s in enumerate(seqs):
            out[i, :len(s)] = s
        return out, np.array([len(s) - 2 for s in seqs], dtype=np.int64)

    def meta(self) -> dict:
        return {"words": self.words, "chars": self.chars, "shapes": self.shapes, "gaz_types": self.gaz_types,
                "lang": self.lang}


# ---------------------------------------------------------------------------------------------
# numpy forward pass


def _bilstm(P: np.ndarray, lengths: np.ndarray, W_hh: np.ndarray) -> np.ndarray:
    """Both LSTM directions at once over padded inputs already projected: ``P`` (2, B, T, 4H) is
    x @ W_ih.T + biases for the forward and the backward direction, with gates in the order i, f,
    o, g and the i, f, o rows of every weight and bias halved (``NNTagger`` prepares them so, from
    torch's i, f, g, o, so that one tanh call per step gives all four gates);
    ``W_hh`` (2, H, 4H) is the transposed recurrent weights. Returns (B, T, 2H): forward states,
    then backward states, each at its own token."""
    _, B, T, H4 = P.shape
    H = H4 // 4
    idx = np.tile(np.arange(T), (B, 1))  # reverse each sequence within its length; padding stays at the end
    for b, n in enumerate(lengths):
        idx[b, :n] = np.arange(n - 1, -1, -1)
    P = P.copy()
    P[1] = np.take_along_axis(P[1], idx[:, :, None], axis=1)
    h = np.zeros((2, B, H), dtype=np.float32)
    c = np.zeros((2, B, H), dtype=np.float32)
    out = np.empty((2, B, T, H), dtype=np.float32)
    for t in range(T):
        g = np.tanh(P[:, :, t] + np.matmul(h, W_hh))  # i, f, o pre-halved: sigmoid(x) = (1 + tanh(x / 2)) / 2
        s = 0.5 * g[..., :3 * H] + 0.5
        c = s[..., H:2 * H] * c + s[..., :H] * g[..., 3 * H:]
        h = s[..., 2 * H:] * np.tanh(c)
        out[:, :, t] = h
    out[1] = np.take_along_axis(out[1], idx[:, :, None], axis=1)
    return np.concatenate([out[0], out[1]], axis=2)


def viterbi(em: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray
            ) -> list[list[int]]:
    """Best tag sequences for padded emission scores ``em`` (B, T, K)."""
    B, T, K = em.shape
    score = start[None, :] + em[:, 0]
    back = np.zeros((B, T, K), dtype=np.int64)
    for t in range(1, T):
        cand = score[:, :, None] + trans[None, :, :]  # from i to j
        best = cand.argmax(axis=1)
        new = cand.max(axis=1) + em[:, t]
        live = (t < lengths)[:, None]
        score = np.where(live, new, score)
        back[:, t] = best
    out = []
    for b in range(B):
        n = int(lengths[b])
        k = int((score[b] + end).argmax())
        path = [k]
        for t in range(n - 1, 0, -1):
            k = int(back[b, t, k])
            path.append(k)
        out.append(path[::-1])
    return out


class NNTagger:
    """The numpy BiLSTM-CRF loaded from an ``.npz`` written by ``newsgraph.train.ner_nn``."""

    CHAR_CACHE = 100_000

    def __init__(self, path: Path, gazetteer: Gazetteer | None = None):
        with np.load(path, allow_pickle=False) as z:
            self.meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            self.p = {k: np.asarray(z[k], dtype=np.float32) for k in z.files if k != "meta"}
        m = self.meta
        if gazetteer is None and m["gaz_types"]:
            gazetteer = load_gazetteer(path.parent)
        self.gazetteer = gazetteer
        sub = None
        if "subword.vectors" in self.p:
            sub = SubwordVectors(m["subword_pieces"], self.p["subword.scores"], self.p["subword.vectors"],
                                 m["subword_unk_score"])
        self.encoder = Encoder(m["words"], m["chars"], m["shapes"], m["gaz_types"], gazetteer, m["lang"], sub)
        self.tags: list[str] = m["tags"]
        p = self.p
        self.conv_w = p["char_conv.weight"]  # (F, C, 3)
        F_, C, K = self.conv_w.shape
        self.conv_mat = self.conv_w.transpose(2, 1, 0).reshape(K * C, F_)  # window (k, c) -> filter
        H = p["lstm.weight_hh_l0"].shape[1]
        order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]  # torch gates i, f, g, o -> i, f, o, g
        half = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(np.float32)[:, None]  # see _bilstm
        dirs = ("", "_reverse")
        # input projection of both directions in one matmul: (D, 8H); recurrent weights (2, H, 4H)
        self.W_in = np.concatenate([(p[f"lstm.weight_ih_l0{s}"][order] * half).T for s in dirs], axis=1)
        self.b_in = np.concatenate([(p[f"lstm.bias_ih_l0{s}"] + p[f"lstm.bias_hh_l0{s}"])[order] * half[:, 0]
                                    for s in dirs])
        self.W_hh = np.stack([(p[f"lstm.weight_hh_l0{s}"][order] * half).T for s in dirs])
        self._char_cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _char_vectors(self, norms: Sequence[str]) -> np.ndarray:
        cache = self._char_cache
        todo = sorted({w for w in norms if w not in cache})
        if todo:
            ids, nwin = self.encoder.char_matrix(todo)
            E = self.p["char_emb.weight"][ids]  # (m, L, C)
            L = E.shape[1]
            K = self.conv_w.shape[2]
            win = np.concatenate([E[:, k:L - K + 1 + k] for k in range(K)], axis=2)  # (m, L-K+1, K*C)
            out = win @ self.conv_mat + self.p["char_conv.bias"]
            pos = np.arange(L - K + 1)[None, :]
            out = np.where((pos < nwin[:, None])[:, :, None], out, -np.inf).max(axis=1)
            if len(cache) + len(todo) > self.CHAR_CACHE:
                cache.clear()
            for w, v in zip(todo, out.astype(np.float32)):
                cache[w] = v
        return np.stack([cache[w] for w in norms])

    def token_inputs(self, enc: dict) -> np.ndarray:
        """The concatenated per-token input vector (n, D) of one encoded sentence."""
        p = self.p
        return np.concatenate([
            p["word_emb.weight"][enc["word"]], p["word_emb.weight"][enc["stem"]],
            p["clitic_emb.weight"][enc["clitic"]], p["shape_emb.weight"][enc["shape"]],
            enc["flags"], *([enc["subword"]] if "subword" in enc else []), self._char_vectors(enc["norms"]),
        ], axis=1)

    def emissions(self, sents: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Padded tag scores (B, T, K) and lengths for non-empty sentences."""
        xs = [self.token_inputs(self.encoder.encode(s)) for s in sents]
        lengths = np.array([len(x) for x in xs], dtype=np.int64)
        B, T = len(xs), int(lengths.max())
        # projections on the real tokens only (no padding), then laid out as (B, T, ...)
        bi = np.repeat(np.arange(B), lengths)
        ti = np.concatenate([np.arange(n) for n in lengths])
        Pcat = np.concatenate(xs) @ self.W_in + self.b_in  # (N, 8H)
        H4 = Pcat.shape[1] // 2
        P = np.zeros((2, B, T, H4), dtype=np.float32)
        P[0, bi, ti] = Pcat[:, :H4]
        P[1, bi, ti] = Pcat[:, H4:]
        em = np.zeros((B, T, len(self.tags)), dtype=np.float32)
        em[bi, ti] = _bilstm(P, lengths, self.W_hh)[bi, ti] @ self.p["out.weight"].T + self.p["out.bias"]
        return em, lengths

    def tag_document(self, sents: Sequence[Sequence[str]], batch: int = 64) -> list[list[str]]:
        """BIO tags per sentence (empty sentences give empty lists). Sentences are batched by
        length so that padding stays small."""
        out: list[list[str]] = [[] for _ in sents]
        order = sorted((i for i, s in enumerate(sents) if s), key=lambda i: len(sents[i]))
        with self._lock, _one_blas_thread():  # the caches are shared; see _one_blas_thread
            for k in range(0, len(order), batch):
                idx = order[k:k + batch]
                em, lengths = self.emissions([sents[i] for i in idx])
                paths = viterbi(em, lengths, self.p["crf.trans"], self.p["crf.start"], self.p["crf.end"])
                for i, path in zip(idx, paths):
                    out[i] = [self.tags[j] for j in path]
        return out

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_document([tokens])[0] if tokens else []


def _one_blas_thread():
    """BLAS on one thread while tagging: the matrices are small, and a multi-threaded BLAS spends
    its time synchronising (measured: 20x slower per CPU second on a busy machine)."""
    try:
        from threadpoolctl import threadpool_limits  # comes with scikit-learn
    except ImportError:
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


_CACHE: dict[Path, NNTagger] = {}
_CACHE_LOCK = threading.Lock()


def available(lang: str, model_dir: Path = MODEL_DIR) -> bool:
    return nn_model_path(lang, model_dir).is_file()


def get_tagger(lang: str, model_dir: Path = MODEL_DIR) -> NNTagger:
    path = nn_model_path(lang, model_dir)
    t = _CACHE.get(path)
    if t is None:
        built = NNTagger(path)
        with _CACHE_LOCK:
            t = _CACHE.setdefault(path, built)
    return t


def save(path: Path, params: dict[str, np.ndarray], meta: dict) -> None:
    """Write the weights and the JSON metadata (vocabularies, tags, settings) as one .npz."""
    arrays = {k: np.asarray(v, dtype=np.float16 if k == "subword.vectors" else np.float32) for k, v in params.items()}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)
