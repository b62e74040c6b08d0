"""Near-duplicate article pairs: MinHash LSH bands (passage candidates: :mod:`reuse_index`).

Articles are numbered 0..N-1 in store order; pairs are int64 keys ``i * N + j`` with ``i < j`` so
that counting, de-duplicating and sorting stay in numpy. MinHash signatures come from rensa
(chosen over datasketch on the measurements in ``offline-components.md`` §8: 7x faster, 1000/1002
true pairs and 0 false positives against 981/1002 and 9); the banding over its digest matrix is ours
so that it runs vectorised on the whole matrix and gives the same buckets in every process.
"""

from __future__ import annotations

import numpy as np
import rensa

NUM_PERM = 128
NUM_BANDS = 32  # 4 rows per band: a pair with Jaccard 0.5 shares a band with p = 1 - (1 - 0.5^4)^32 = 0.87
SEED = 42
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


def near_duplicate_pairs(digests: np.ndarray, eligible: np.ndarray) -> dict[int, float]:
    """Pair key -> estimated Jaccard for LSH candidates (same band) whose estimate is ≥ NEAR_JACCARD.
    Row k of ``digests`` is article k; only rows where ``eligible`` is True take part."""
    n_articles = len(digests)
    ids = np.flatnonzero(eligible)
    digests_e = digests[ids]
    rows = NUM_PERM // NUM_BANDS
    keys = []
    for band in range(NUM_BANDS):
        block = np.ascontiguousarray(digests_e[:, band * rows:(band + 1) * rows]).view(np.dtype((np.void, 4 * rows)))
        bucket = np.unique(block.ravel(), return_inverse=True)[1].astype(np.int64)
        keys.append(pair_keys(groups_of_equal(bucket, ids, 1000), n_articles))
    candidates = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    found = {}
    for key in candidates.tolist():
        i, j = divmod(key, n_articles)
        jaccard = float(np.mean(digests[i] == digests[j]))
        if jaccard >= NEAR_JACCARD:
            found[key] = round(jaccard, 4)
    return found
