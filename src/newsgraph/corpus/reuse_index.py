"""Candidate pairs for the reuse stage at corpus scale: partitions that spill to Parquet.

The stage runs as three maps of independent tasks (in this process, or as Dask tasks), each with
memory bounded by its partition, never by the corpus:

1. :func:`index_task`, one per range of article rowids: word n-gram postings ``(hash, owner,
   position)``, written as one Parquet file per hash partition; the article's exact-duplicate key,
   MinHash digest, and repetition inside the article, returned to the caller (about 530 bytes per
   article: the only per-article state the driver keeps).
2. :func:`pair_task`, one per hash partition: the postings of n-grams held by 2..``MAX_DF``
   articles become pair entries ``(pair key, diagonal)`` (diagonal = position in B − position in
   A, in words), written as one Parquet file per key partition.
3. :func:`candidate_task`, one per key partition: pairs with at least ``MIN_ANCHORS`` shared
   n-grams on one diagonal band (±``BAND`` words; chance sharing scatters over diagonals, a copied
   passage does not, even with words replaced), spread over enough words to make a passage of
   ``min_chars``, are the candidates for alignment.

This is the candidate step of passim (n-gram postings, pairs from shared rare n-grams), written
for numpy and Parquet so that one machine handles a million articles; articles are keyed by their
SQLite rowid, pairs by ``rowid_a * N + rowid_b`` (``N`` = max rowid + 1), so every task computes
the same keys without coordination, and results do not depend on how the work is split.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.corpus.reuse_candidates import MAX_DF, minhash_matrix
from newsgraph.corpus.reuse_text import NGRAM, ngram_hashes_of

ROWS_PER_INDEX_TASK = 5000  # articles read, hashed and written per index task
POSTINGS_PER_PARTITION = 6_000_000  # ~120 MB of postings per pair task (20 bytes each), ~0.6 GB at its peak
STAR = 4  # holders of an n-gram each paired with the first STAR holders (see pair_entries)
KEY_PARTITIONS_PER_HASH_PARTITION = STAR  # ≤ STAR pair entries per posting, so key partitions stay as small
MIN_ANCHORS = 5  # shared n-grams on one diagonal band: a 200-char passage (~33 words, ~30 4-grams)
# with 20 % of its words replaced keeps ~13 on average and 6 when the edits fall every 5th word
BAND = 16  # diagonal band half-width in words (chains in reuse_align drift by ≤ MAX_DRIFT = 12)
MIN_WORDS_NEAR = 20  # shorter articles are too small for MinHash evidence


@dataclass
class IndexTask:
    db: str
    lo: int  # rowid range [lo, hi)
    hi: int
    work: str
    partitions: int
    min_chars: int


@dataclass
class IndexPart:
    """What one index task returns: per-article arrays (rowid order) and repetitions found."""

    rowids: np.ndarray  # int64
    fingerprints: np.ndarray  # S16: hash of the normalised word sequence (exact duplicates)
    digests: np.ndarray  # uint32 (articles x NUM_PERM) rensa MinHash of word 3-grams
    eligible: np.ndarray  # bool: long enough for near-duplicate evidence
    repeats: list = field(default_factory=list)  # (rowid, Reuse) repetitions inside an article


def postings_dir(work: str | Path, partition: int) -> Path:
    return Path(work) / "postings" / f"p{partition:04d}"


def pairs_dir(work: str | Path, partition: int) -> Path:
    return Path(work) / "pairs" / f"q{partition:04d}"


def partitions_for(total_words: int) -> int:
    """Hash partitions so that each holds about POSTINGS_PER_PARTITION postings."""
    return max(1, -(-total_words // POSTINGS_PER_PARTITION))


def fingerprint_of(hashes: np.ndarray) -> bytes:
    """Exact-duplicate key: equal for texts whose normalised word sequences are equal."""
    return hashlib.blake2b(hashes.astype("<u8").tobytes(), digest_size=16).digest()


def shingles_of(hashes: np.ndarray) -> np.ndarray:
    """Distinct word 3-gram hashes (the MinHash set); the words themselves for shorter texts."""
    grams = ngram_hashes_of(hashes, 3)
    return np.unique(grams) if len(grams) else np.unique(hashes)


def index_task(task: IndexTask) -> IndexPart:
    """Postings of a rowid range to Parquet (one file per hash partition); per-article keys back."""
    from newsgraph.corpus.reuse import ArticleInfo, self_repeats
    from newsgraph.corpus.reuse_text import token_hashes, words_of

    conn = sqlite3.connect(f"file:{task.db}?mode=ro", uri=True)
    rowids, prints, shingles, eligible, repeats = [], [], [], [], []
    grams_all, owners_all, positions_all = [], [], []
    for rowid, aid, doc, index, date, text in conn.execute(
            "SELECT rowid, id, document_id, source_index, date, text FROM articles WHERE rowid >= ? AND rowid < ?"
            " ORDER BY rowid", (task.lo, task.hi)):
        hashes = token_hashes(text)
        rowids.append(rowid)
        prints.append(fingerprint_of(hashes))
        shingles.append(shingles_of(hashes))
        eligible.append(len(hashes) >= MIN_WORDS_NEAR)
        grams, first = np.unique(ngram_hashes_of(hashes, NGRAM), return_index=True)
        grams_all.append(grams)
        positions_all.append(first.astype(np.int32))
        owners_all.append(np.full(len(grams), rowid, dtype=np.int64))
        if len(grams) < len(hashes) - NGRAM + 1:  # some n-gram occurs twice in this text
            info = ArticleInfo(aid, doc, index, date, len(text))
            repeats.extend((rowid, r) for r in self_repeats(info, words_of(text), task.min_chars))
    conn.close()
    if grams_all:
        write_postings(task, np.concatenate(grams_all), np.concatenate(owners_all), np.concatenate(positions_all))
    return IndexPart(np.asarray(rowids, dtype=np.int64), np.asarray(prints, dtype="S16"), minhash_matrix(shingles),
                     np.asarray(eligible, dtype=bool), repeats)


def write_postings(task: IndexTask, grams: np.ndarray, owners: np.ndarray, positions: np.ndarray) -> None:
    part = (grams % np.uint64(task.partitions)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(task.partitions + 1))
    for p in range(task.partitions):
        sel = order[bounds[p]:bounds[p + 1]]
        if len(sel):
            out = postings_dir(task.work, p)
            out.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table({"hash": grams[sel], "owner": owners[sel], "pos": positions[sel]}),
                           out / f"r{task.lo:012d}.parquet", compression="lz4")


@dataclass
class PairTask:
    work: str
    partition: int
    key_partitions: int
    n: int  # pair key = rowid_a * n + rowid_b
    excluded: np.ndarray  # sorted rowids left out (later copies of exact duplicates)


def read_dir(path: Path, columns: list[str]) -> dict[str, np.ndarray]:
    files = sorted(path.glob("*.parquet")) if path.is_dir() else []
    if not files:
        return {}
    tables = [pq.read_table(f, columns=columns) for f in files]
    return {c: np.concatenate([t.column(c).to_numpy() for t in tables]) for c in columns}


def pair_task(task: PairTask) -> int:
    """Pair entries of one hash partition, written per key partition; returns how many."""
    data = read_dir(postings_dir(task.work, task.partition), ["hash", "owner", "pos"])
    if not data:
        return 0
    keep = ~np.isin(data["owner"], task.excluded)
    hashes, owners, positions = data["hash"][keep], data["owner"][keep], data["pos"][keep]
    order = np.lexsort((owners, hashes))
    hashes, owners, positions = hashes[order], owners[order], positions[order]
    keys, diagonals, starts = pair_entries(hashes, owners, positions, task.n)
    if len(keys) == 0:
        return 0
    q = (keys % task.key_partitions).astype(np.int64)
    order = np.argsort(q, kind="stable")
    bounds = np.searchsorted(q[order], np.arange(task.key_partitions + 1))
    for k in range(task.key_partitions):
        sel = order[bounds[k]:bounds[k + 1]]
        if len(sel):
            out = pairs_dir(task.work, k)
            out.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table({"key": keys[sel], "diagonal": diagonals[sel], "pos": starts[sel]}),
                           out / f"p{task.partition:04d}.parquet", compression="lz4")
    return len(keys)


def pair_entries(hashes: np.ndarray, owners: np.ndarray, positions: np.ndarray, n: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For postings sorted by (hash, owner): pairs of owners of a hash held by 2..MAX_DF owners,
    as ``(owner_a * n + owner_b, position_b - position_a, position_a)``, owner_a < owner_b.

    Each holder is paired with the first :data:`STAR` holders only (a star, not a clique): a
    passage lifted into fifty articles links every copy to the earliest ones, which is where the
    likely original is, at ``STAR`` entries per posting instead of fifty; pairs of later copies
    still meet through their other shared n-grams when they share more than the passage."""
    bounds = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1], True])
    sizes = np.diff(bounds)
    keys, diagonals, starts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)]
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_DF)]).tolist():
        first = bounds[:-1][sizes == size]
        rows = first[:, None] + np.arange(size)[None, :]  # postings of each group
        x, y = np.triu_indices(size, 1)
        star = x < STAR
        a, b = rows[:, x[star]].ravel(), rows[:, y[star]].ravel()
        keys.append(owners[a] * n + owners[b])
        diagonals.append((positions[b] - positions[a]).astype(np.int32))
        starts.append(positions[a])
    return np.concatenate(keys), np.concatenate(diagonals), np.concatenate(starts)


@dataclass
class CandidateTask:
    work: str
    partition: int
    min_chars: int


def min_spread(min_chars: int) -> int:
    """Words a passage of ``min_chars`` must span between its first and last shared n-gram: half
    its expected length (≈ 5-6 characters a word in en/ar/fa), so edits at the edges still pass,
    while chance sharing (a set phrase, a sentence half) spans fewer words."""
    return max(2 * NGRAM, min_chars // 10)


def candidate_task(task: CandidateTask) -> np.ndarray:
    """Sorted pair keys of one key partition with ≥ MIN_ANCHORS entries on one diagonal band,
    spread over ≥ :func:`min_spread` words of article A."""
    data = read_dir(pairs_dir(task.work, task.partition), ["key", "diagonal", "pos"])
    if not data:
        return np.zeros(0, dtype=np.int64)
    keys, diagonals, positions = data["key"], data["diagonal"].astype(np.int64), data["pos"]
    found = []
    for shift in (0, BAND):  # two grids offset by half a band: anchors within BAND of each other share a cell
        cell = np.clip((diagonals + shift) // (2 * BAND) + 512, 0, 1023)
        combined = (keys << 10) | cell
        order = np.argsort(combined)
        combined, pos = combined[order], positions[order]
        first = np.flatnonzero(np.r_[True, combined[1:] != combined[:-1]])
        counts = np.diff(np.r_[first, len(combined)])
        spread = np.maximum.reduceat(pos, first) - np.minimum.reduceat(pos, first) + NGRAM
        found.append(combined[first][(counts >= MIN_ANCHORS) & (spread >= min_spread(task.min_chars))] >> 10)
    return np.unique(np.concatenate(found))
