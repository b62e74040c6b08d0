"""Who copies whom: exact and near-duplicate articles, reused passages, repetition inside a page.

``run_reuse(store)`` makes two passes over the articles:

1. **Streaming pass** (articles read in store order, one at a time; MinHash digests computed per
   batch of :data:`BATCH` articles): the exact-duplicate key (hash of the normalised word
   sequence), rensa MinHash of word 3-gram sets, the article's distinct word 4-gram hashes
   (postings for passage candidates) and repetition inside the article (a passage that occurs
   twice in its own text). Exact duplicates after the first are not indexed again: their reuse
   is the reuse of the first copy.
2. **Pair pass**: near-duplicate pairs from MinHash LSH, passage candidates from shared rare
   4-grams, and local alignment of each candidate pair (texts fetched from the store per chunk of
   :data:`CHUNK` pairs) into aligned spans. With a Dask ``scheduler`` each chunk is one task that
   opens the database read-only; the records are sorted and de-duplicated, so the result is the
   same as in one process.

Pairs of articles cut from one page (same ``document_id``) are recorded with kind ``repetition``,
never as reuse between outlets; so are the pull-quotes the segmenter removed as repeats of the
body (``removed_blocks.kind = 'repeat'``): that copy lies outside the article text, so its record
has ``b`` = ``a`` (the body passage it repeats), and the page-level block keeps the other copy.

What stays in memory for the whole corpus: per article a few metadata fields, its 128-value
MinHash digest and its distinct 4-gram hashes (8 bytes each, plus 4 for the owner).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from newsgraph.corpus.reuse_align import aligned_passages
from newsgraph.corpus.reuse_candidates import minhash_matrix, near_duplicate_pairs, passage_candidates
from newsgraph.corpus.reuse_text import NGRAM, Words, ngram_hashes, shingle_hashes, text_fingerprint, words_of
from newsgraph.model import Reuse

if TYPE_CHECKING:
    from newsgraph.store.db import Store

BATCH = 2000  # articles per MinHash batch
CHUNK = 2000  # candidate pairs aligned per chunk of texts loaded from the store
MIN_WORDS_NEAR = 20  # shorter articles are too small for MinHash evidence


@dataclass(frozen=True)
class ArticleInfo:
    """What the pair pass needs to know about an article besides its text."""

    id: str
    document_id: str
    source_index: int
    date: str | None
    length: int


@dataclass
class Index:
    """The streaming pass's output."""

    infos: list[ArticleInfo]
    digests: np.ndarray  # rows = articles
    eligible: np.ndarray  # bool: article takes part in near-duplicate search
    ngrams: np.ndarray  # uint64 n-gram hashes
    owners: np.ndarray  # int32 article index of each n-gram
    exact: list[tuple[int, int]]  # (first copy, later copy)
    repeats: list[Reuse]  # repetition inside one article


def likely_source(a: ArticleInfo, b: ArticleInfo, whole_text: bool = False) -> str | None:
    """The likely original: the earlier date; on one page the earlier article; for whole-text
    duplicates the longer text (copies get trimmed); else unknown (None)."""
    if a.date and b.date and a.date[:10] != b.date[:10]:
        return a.id if a.date < b.date else b.id
    if a.document_id == b.document_id and a.source_index != b.source_index:
        return a.id if a.source_index < b.source_index else b.id
    if whole_text and a.length != b.length:
        return a.id if a.length > b.length else b.id
    return None


def kind_for(a: ArticleInfo, b: ArticleInfo, kind: str) -> str:
    """Articles cut from the same page are repetition inside that page, never reuse."""
    return "repetition" if a.document_id == b.document_id else kind


def whole_text_record(a: ArticleInfo, b: ArticleInfo, similarity: float, kind: str) -> Reuse:
    kind = kind_for(a, b, kind)
    return Reuse(a.id, 0, a.length, b.id, 0, b.length, similarity, kind, likely_source(a, b, whole_text=True))


def self_repeats(info: ArticleInfo, words: Words, min_chars: int) -> list[Reuse]:
    """Passages of at least ``min_chars`` repeated inside one article's text."""
    return [Reuse(info.id, p.a_start, p.a_end, info.id, p.b_start, p.b_end, p.similarity, "repetition", None)
            for p in aligned_passages(words, None, min_chars)]


def build_index(rows: Iterable[sqlite3.Row], min_chars: int) -> Index:
    """The streaming pass over the store's articles."""
    infos: list[ArticleInfo] = []
    digests: list[np.ndarray] = []
    eligible: list[bool] = []
    ngrams: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    exact: list[tuple[int, int]] = []
    repeats: list[Reuse] = []
    first_copy: dict[str, int] = {}
    shingles: list[np.ndarray] = []
    for row in rows:
        k = len(infos)
        info = ArticleInfo(row["id"], row["document_id"], row["source_index"], row["date"], len(row["text"]))
        infos.append(info)
        words = words_of(row["text"])
        fingerprint = text_fingerprint(words)
        if fingerprint in first_copy and len(words):
            exact.append((first_copy[fingerprint], k))
            shingles.append(np.zeros(0, dtype=np.uint64))
            eligible.append(False)
        else:
            first_copy[fingerprint] = k
            shingles.append(shingle_hashes(words))
            eligible.append(len(words) >= MIN_WORDS_NEAR)
            grams = np.unique(ngram_hashes(words))
            ngrams.append(grams)
            owners.append(np.full(len(grams), k, dtype=np.int32))
            if len(grams) < len(words) - NGRAM + 1:  # some n-gram occurs twice in this text
                repeats.extend(self_repeats(info, words, min_chars))
        if len(shingles) == BATCH:
            digests.append(minhash_matrix(shingles))
            shingles = []
    digests.append(minhash_matrix(shingles))
    return Index(infos, np.concatenate(digests), np.asarray(eligible, dtype=bool),
                 np.concatenate(ngrams) if ngrams else np.zeros(0, dtype=np.uint64),
                 np.concatenate(owners) if owners else np.zeros(0, dtype=np.int32), exact, repeats)


def texts_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """Article texts for a bounded set of ids."""
    ids = list(ids)
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        out.update(conn.execute(f"SELECT id, text FROM articles WHERE id IN ({','.join('?' * len(part))})", part))
    return out


def aligned_records(conn: sqlite3.Connection, pairs: list[tuple[ArticleInfo, ArticleInfo]], min_chars: int
                    ) -> list[Reuse]:
    """Aligned passages of a bounded chunk of candidate pairs (texts loaded for this chunk only)."""
    texts = texts_by_id(conn, {info.id for pair in pairs for info in pair})
    words = {aid: words_of(text) for aid, text in texts.items()}
    return [Reuse(a.id, p.a_start, p.a_end, b.id, p.b_start, p.b_end, p.similarity, kind_for(a, b, "passage"),
                  likely_source(a, b))
            for a, b in pairs for p in aligned_passages(words[a.id], words[b.id], min_chars)]


def aligned_records_task(task: tuple[str, list[tuple[ArticleInfo, ArticleInfo]], int]) -> list[Reuse]:
    """One Dask task: a chunk of pairs aligned against a read-only connection of its own."""
    from newsgraph.store.db import Store

    db, pairs, min_chars = task
    with Store(db, readonly=True) as store:
        return aligned_records(store.conn, pairs, min_chars)


def passage_records(store: Store, index: Index, keys: np.ndarray, min_chars: int, scheduler: str | None) -> list[Reuse]:
    """Aligned passages for candidate pair keys, in chunks of CHUNK pairs: in this process, or one
    Dask task per chunk (``scheduler``: local | processes | tcp://HOST:PORT), same records either way."""
    n = len(index.infos)
    chunks = [[(index.infos[i], index.infos[j]) for i, j in (divmod(int(key), n) for key in keys[s:s + CHUNK])]
              for s in range(0, len(keys), CHUNK)]
    if scheduler is None:
        return [r for chunk in chunks for r in aligned_records(store.conn, chunk, min_chars)]
    tasks = [(store.path, chunk, min_chars) for chunk in chunks]
    if "://" in scheduler:  # a running cluster: tcp://HOST:PORT (or inproc:// for an in-process LocalCluster)
        from dask.distributed import Client

        with Client(scheduler) as client:
            results = client.gather(client.map(aligned_records_task, tasks, pure=False))
    else:
        from newsgraph.pipeline import make_mapper

        with make_mapper(workers=2, scheduler=scheduler) as mapper:
            results = mapper.map(aligned_records_task, tasks)
    return [r for part in results for r in part]


def pull_quote_records(conn: sqlite3.Connection, min_chars: int) -> list[Reuse]:
    """Blocks the segmenter removed as repeats of the body (pull-quotes), each tied to the body
    passage it repeats; recorded as ``repetition`` with b = a (the copy is outside the article)."""
    records = []
    for article_id, block_text, text in conn.execute(
            "SELECT r.article_id, r.text, a.text FROM removed_blocks r JOIN articles a ON a.id = r.article_id"
            " WHERE r.kind = 'repeat' ORDER BY r.article_id, r.source_start"):
        block = words_of(block_text)
        shortest = min(min_chars, int(0.8 * len(block_text.strip())))
        for p in aligned_passages(words_of(text), block, max(shortest, 1)):
            records.append(Reuse(article_id, p.a_start, p.a_end, article_id, p.a_start, p.a_end, p.similarity,
                                 "repetition", None))
    return records


def monolingual_records(store: Store, min_chars: int, scheduler: str | None = None) -> list[Reuse]:
    """Exact, near, passage and repetition records for the whole store."""
    index = build_index(store.article_rows(), min_chars)
    n = len(index.infos)
    records = [whole_text_record(index.infos[i], index.infos[j], 1.0, "exact") for i, j in index.exact]
    near = near_duplicate_pairs(index.digests, index.eligible)
    records += [whole_text_record(index.infos[key // n], index.infos[key % n], sim, "near")
                for key, sim in sorted(near.items())]
    keys = passage_candidates(index.ngrams, index.owners, n)
    keys = keys[~np.isin(keys, np.fromiter(near, dtype=np.int64, count=len(near)))]
    records += passage_records(store, index, keys, min_chars, scheduler)
    return records + index.repeats + pull_quote_records(store.conn, min_chars)


def deduplicated(records: Iterable[Reuse]) -> list[Reuse]:
    """One record per table key (the store's primary key), the most similar kept, sorted."""
    best: dict[tuple, Reuse] = {}
    for r in records:
        key = (r.a_article_id, r.a_start, r.b_article_id, r.b_start, r.kind)
        if key not in best or r.similarity > best[key].similarity:
            best[key] = r
    return [best[k] for k in sorted(best)]


def run_reuse(store: Store, min_chars: int = 200, cross_lingual: bool = False, scheduler: str | None = None
              ) -> dict[str, int]:
    """Find reuse in ``store``, replace the ``reuse`` table with it and return counts by kind.

    With ``scheduler`` the pair alignment (the costly part) runs as Dask tasks, one per chunk of
    candidate pairs; the streaming index pass and cross-lingual verification stay in this process.
    Records are sorted and de-duplicated, so the table is the same either way."""
    records = monolingual_records(store, min_chars, scheduler)
    if cross_lingual:
        from newsgraph.corpus.reuse_xling import translation_records

        records += translation_records(store)
    records = deduplicated(records)
    store.replace_reuse(records)
    counts = Counter(r.kind for r in records)
    return {kind: counts.get(kind, 0) for kind in ("exact", "near", "passage", "translation", "repetition")}
