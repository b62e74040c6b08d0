"""MinHash digests and LSH bands for near-duplicate articles (the tasks that use them: :mod:`reuse_index`).

Articles are keyed by their SQLite rowid; pairs are int64 keys ``i * N + j`` with ``i < j`` so
that counting, de-duplicating and sorting stay in numpy. MinHash signatures come from rensa
(chosen over datasketch on the measurements in ``offline-components.md`` §8: 7x faster, 1000/1002
true pairs and 0 false positives against 981/1002 and 9); the band hashes over its digest matrix are
ours so that they are vectorised and give the same buckets in every process.
"""

from __future__ import annotations

import numpy as np
import rensa

NUM_PERM = 128
NUM_BANDS = 32  # 4 rows per band: a pair with Jaccard 0.5 shares a band with p = 1 - (1 - 0.5^4)^32 = 0.87
SEED = 42
MAX_BUCKET = 1000  # LSH buckets holding more articles are boilerplate templates, not evidence
NEAR_JACCARD = 0.5  # estimated Jaccard of word 3-gram sets to call two articles near-duplicates
MAX_DF = 100  # n-grams in more articles than this are boilerplate, not evidence of reuse


def pair_keys(groups: list[np.ndarray], n: int) -> np.ndarray:
    """All ``i * n + j`` (i < j) for members of each group; groups of equal size are done at once."""
    by_size: dict[int, list[np.ndarray]] = {}
    for g in groups:
        by_size.setdefault(len(g), []).append(g)
    out = [np.zeros(0, dtype=np.int64)]
    for size, members in by_size.items():
        rows = np.sort(np.stack(members), axis=1).astype(np.int64)
        x, y = np.triu_indices(size, 1)
        out.append((rows[:, x] * n + rows[:, y]).ravel())
    return np.concatenate(out)


def groups_of_equal(values: np.ndarray, owners: np.ndarray, max_size: int) -> list[np.ndarray]:
    """Owners sharing a value, per value, for values held by 2..max_size distinct owners."""
    order = np.lexsort((owners, values))
    v, o = values[order], owners[order]
    keep = np.ones(len(v), dtype=bool)
    keep[1:] = (v[1:] != v[:-1]) | (o[1:] != o[:-1])  # one entry per (value, owner)
    v, o = v[keep], o[keep]
    if len(v) == 0:
        return []
    bounds = np.flatnonzero(np.r_[True, v[1:] != v[:-1], True])
    sizes = np.diff(bounds)
    return [o[bounds[k]:bounds[k + 1]] for k in np.flatnonzero((sizes >= 2) & (sizes <= max_size))]


def minhash_matrix(shingle_sets: list[np.ndarray]) -> np.ndarray:
    """rensa MinHash digests (rows = articles, NUM_PERM uint32 columns)."""
    if not shingle_sets:
        return np.zeros((0, NUM_PERM), dtype=np.uint32)
    flat = np.concatenate(shingle_sets).astype(np.uint64)
    offsets = np.zeros(len(shingle_sets) + 1, dtype=np.uint64)
    offsets[1:] = np.cumsum([len(s) for s in shingle_sets])
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, NUM_PERM, SEED)
    return np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(len(shingle_sets), NUM_PERM)


def band_hashes(digests: np.ndarray) -> np.ndarray:
    """One uint64 per LSH band of each digest row (its NUM_PERM / NUM_BANDS values combined):
    articles share a band's hash when they share the band (a 64-bit collision only adds a
    candidate, which the Jaccard estimate then rejects)."""
    rows = NUM_PERM // NUM_BANDS
    values = digests.astype(np.uint64).reshape(len(digests), NUM_BANDS, rows)
    with np.errstate(over="ignore"):
        out = np.zeros((len(digests), NUM_BANDS), dtype=np.uint64)
        for k in range(rows):
            out = (out ^ values[:, :, k]) * np.uint64(0x100000001B3 + 2 * k)
        out ^= out >> np.uint64(31)
    return out
