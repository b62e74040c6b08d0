"""The reuse stage at corpus scale: maps of independent tasks over partitions spilled to Parquet.

Each task holds one partition in memory, never the corpus; the driver keeps only what the stage
finds (duplicate pairs, candidate keys), so memory is set by the partition sizes below:

1. :func:`index_task`, one per range of :data:`ROWS_PER_INDEX_TASK` article rowids: word 4-gram
   postings ``(hash, owner, position)``, exact-duplicate keys (hash of the normalised word
   sequence) and MinHash LSH band hashes, each written as Parquet split into hash partitions, and
   the rensa MinHash digests as ``.npy``; repetition inside an article is found here and returned.
2. :func:`exact_task` (per key partition): first and later copies of equal keys.
   :func:`band_task` (per band partition): pairs sharing a band, later copies left out;
   :func:`verify_task` (per chunk of those): the pairs whose MinHash Jaccard estimate is ≥ 0.5.
3. :func:`pair_task`, one per hash partition: the postings of shared n-grams become pair entries
   ``(pair key, diagonal, position)`` (diagonal = position in B − position in A, in words), written
   split by pair key. Each holder is paired with the earliest holders (by date, then rowid) only,
   so a passage copied into k articles costs k entries per n-gram at any k: n-grams held by 2..
   ``MAX_DF`` articles pair with the first :data:`STAR` holders; above ``MAX_DF`` the holders are
   grouped by the n-gram *and the next one* (an 8-word run: function-word runs and dates held by
   everyone are split into small groups by what follows them, a copied passage is not) and pair
   with the first :data:`HIGH_HUBS`. An n-gram held by ≥ :data:`BOILERPLATE_MIN` articles of one
   outlet, ≥ :data:`BOILERPLATE_SHARE` of its holders, is that outlet's boilerplate: no entries
   between that outlet's articles, and the postings go to :func:`boilerplate_task`.
4. :func:`candidate_task`, one per key partition: pairs with at least ``MIN_ANCHORS`` shared
   n-grams on one diagonal band (±``BAND`` words; chance sharing scatters over diagonals, a copied
   passage does not, even with words replaced), spread over enough words to make a passage of
   ``min_chars``, are the candidates for alignment (in :mod:`newsgraph.corpus.reuse`).

This is the candidate step of passim (n-gram postings, pairs from shared rare n-grams), written
for numpy and Parquet so that one machine handles a million articles; articles are keyed by their
SQLite rowid, pairs by ``rowid_a * N + rowid_b`` (``N`` = max rowid + 1, so up to ~90M rowids fit
the int64 keys shifted by 10 bits in :func:`candidate_task`), so every task computes the same keys
without coordination, and results do not depend on how the work is split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.corpus.reuse_candidates import (MAX_BUCKET, MAX_DF, NEAR_JACCARD, NUM_BANDS, band_hashes, groups_of_equal,
                                               minhash_matrix, pair_keys)
from newsgraph.corpus.reuse_text import NGRAM, fingerprint_of, ngram_hashes_of, shingle_hashes_of
from newsgraph.model import Reuse
from newsgraph.store.db import Store

ROWS_PER_INDEX_TASK = 5000  # articles read, hashed and written per index task
POSTINGS_PER_PARTITION = 6_000_000  # ~144 MB of postings per pair task (24 bytes each), ~0.6 GB at its peak
STAR = 4  # holders of an n-gram each paired with the first STAR holders (see pair_entries)
KEY_PARTITIONS_PER_HASH_PARTITION = STAR  # ≤ STAR pair entries per posting, so key partitions stay as small
MIN_ANCHORS = 5  # shared n-grams on one diagonal band: a 200-char passage (~33 words, ~30 4-grams)
# with 20 % of its words replaced keeps ~13 on average and 6 when the edits fall every 5th word
BAND = 16  # diagonal band half-width in words (chains in reuse_align drift by ≤ MAX_DRIFT = 12)
MIN_WORDS_NEAR = 20  # shorter articles are too small for MinHash evidence
HIGH_HUBS = 1  # holders of an n-gram held by more than MAX_DF articles are each paired with this many
# earliest holders (by date, then rowid) of the same 8-word run: k entries for k holders, not k²
BOILERPLATE_MIN = 20  # an n-gram in at least this many articles of one outlet ...
BOILERPLATE_SHARE = 0.9  # ... that are at least this share of its holders is that outlet's boilerplate
NO_DATE = 99_999_999  # date key of an article without a date: after every dated one


@dataclass
class IndexTask:
    db: str
    lo: int  # rowid range [lo, hi)
    hi: int
    work: str
    partitions: int
    min_chars: int


def postings_dir(work: str | Path, partition: int) -> Path:
    return Path(work) / "postings" / f"p{partition:04d}"


def pairs_dir(work: str | Path, partition: int) -> Path:
    return Path(work) / "pairs" / f"q{partition:04d}"


def keys_dir(work: str | Path, partition: int) -> Path:
    """Exact-duplicate keys ``(key_hi, key_lo, rowid)``, split by key."""
    return Path(work) / "keys" / f"k{partition:04d}"


def bands_dir(work: str | Path, partition: int) -> Path:
    """MinHash LSH band hashes ``(band, hash, rowid)``, split by hash."""
    return Path(work) / "bands" / f"b{partition:04d}"


def digests_dir(work: str | Path) -> Path:
    """One ``r{lo}.npy`` digest matrix and ``r{lo}.rowids.npy`` per index task."""
    return Path(work) / "digests"


def meta_dir(work: str | Path) -> Path:
    """One ``r{lo}.npz`` per index task: rowid, date key and outlet code of its articles."""
    return Path(work) / "meta"


def boiler_dir(work: str | Path, part: int) -> Path:
    """Boilerplate postings ``(owner, pos, outlet)`` of the rowid range ``part`` (per index task)."""
    return Path(work) / "boiler" / f"o{part:06d}"


def date_key(date: str | None) -> int:
    """YYYYMMDD of an ISO date (the day :func:`newsgraph.corpus.reuse.likely_source` compares;
    YYYYMM00 for a month), :data:`NO_DATE` without one."""
    digits = "".join(ch for ch in (date or "")[:10] if ch.isdigit())
    return int(digits.ljust(8, "0")) if len(digits) >= 6 else NO_DATE


def outlet_code(outlet: str | None, rowid: int) -> int:
    """A stable int64 per outlet name; an article without an outlet is an outlet of its own
    (``-rowid``), so it never makes boilerplate with articles of unknown origin."""
    if not outlet:
        return -rowid - 1
    import hashlib

    return int.from_bytes(hashlib.blake2b(outlet.encode("utf-8"), digest_size=8).digest(), "little") >> 1


def load_meta(work: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted rowids with their date keys and outlet codes, for every article indexed
    (24 bytes an article: 24 MB for a million, read by each pair task)."""
    files = sorted(meta_dir(work).glob("r*.npz"))
    if not files:
        return (np.zeros(0, dtype=np.int64),) * 3
    parts = [np.load(f) for f in files]
    return tuple(np.concatenate([p[c] for p in parts]) for c in ("rowid", "date", "outlet"))  # type: ignore[return-value]


def partitions_for(total_words: int) -> int:
    """Hash partitions so that each holds about POSTINGS_PER_PARTITION postings."""
    return max(1, -(-total_words // POSTINGS_PER_PARTITION))


def index_task(task: IndexTask) -> list[tuple[int, Reuse]]:
    """One rowid range: postings, exact-duplicate keys and LSH bands to Parquet (split by hash into
    ``task.partitions`` parts), MinHash digests to ``.npy``. Returns the repetitions inside its
    articles as ``(rowid, Reuse)``: everything else per article stays on disk, so the driver holds
    nothing in proportion to the corpus."""
    from newsgraph.corpus.reuse import ArticleInfo, self_repeats
    from newsgraph.corpus.reuse_text import token_hashes, words_of

    rowids, prints, shingles, eligible, repeats, dates, outlets = [], [], [], [], [], [], []
    grams_all, owners_all, positions_all, next_all = [], [], [], []
    with Store(task.db, readonly=True) as store:
        for rowid, aid, doc, index, date, outlet, text in store.conn.execute(
                "SELECT rowid, id, document_id, source_index, date, outlet, text FROM articles"
                " WHERE rowid >= ? AND rowid < ? ORDER BY rowid", (task.lo, task.hi)):
            hashes = token_hashes(text)
            rowids.append(rowid)
            dates.append(date_key(date))
            outlets.append(outlet_code(outlet, rowid))
            prints.append(fingerprint_of(hashes) if len(hashes) else b"")  # texts without words duplicate nothing
            shingles.append(shingle_hashes_of(hashes))
            eligible.append(len(hashes) >= MIN_WORDS_NEAR)
            every = ngram_hashes_of(hashes, NGRAM)
            grams, first = np.unique(every, return_index=True)
            following = first + NGRAM  # the n-gram after this one: with it, an 8-word run
            next_all.append((np.where(following < len(every), every[np.minimum(following, max(len(every) - 1, 0))],
                                      np.uint64(0)) & np.uint64(0xFFFFFFFF)).astype(np.uint32))  # 32 bits: 4 bytes a posting
            grams_all.append(grams)
            positions_all.append(first.astype(np.int32))
            owners_all.append(np.full(len(grams), rowid, dtype=np.int64))
            if len(grams) < len(hashes) - NGRAM + 1:  # some n-gram occurs twice in this text
                info = ArticleInfo(aid, doc, index, date, len(text))
                repeats.extend((rowid, r) for r in self_repeats(info, words_of(text), task.min_chars))
    if not rowids:
        return []
    ids = np.asarray(rowids, dtype=np.int64)
    write_postings(task, np.concatenate(grams_all), np.concatenate(owners_all), np.concatenate(positions_all),
                   np.concatenate(next_all))
    meta_dir(task.work).mkdir(parents=True, exist_ok=True)
    np.savez(meta_dir(task.work) / f"r{task.lo:012d}.npz", rowid=ids, date=np.asarray(dates, dtype=np.int64),
             outlet=np.asarray(outlets, dtype=np.int64))
    write_keys(task, ids, prints)
    digests = minhash_matrix(shingles)
    out = digests_dir(task.work)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / f"r{task.lo:012d}.npy", digests)
    np.save(out / f"r{task.lo:012d}.rowids.npy", ids)
    write_bands(task, ids[np.asarray(eligible, dtype=bool)], digests[np.asarray(eligible, dtype=bool)])
    return repeats


def write_split(directory: Callable[[int], Path], name: str, split: np.ndarray, columns: dict[str, np.ndarray]) -> None:
    """Rows to ``directory(p)/name`` for each part ``p`` of ``split`` (one Parquet file each)."""
    order = np.argsort(split, kind="stable")
    parts = int(split.max()) + 1 if len(split) else 0
    bounds = np.searchsorted(split[order], np.arange(parts + 1))
    for p in range(parts):
        sel = order[bounds[p]:bounds[p + 1]]
        if len(sel):
            out = directory(p)
            out.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table({c: v[sel] for c, v in columns.items()}), out / name, compression="lz4")


def write_keys(task: IndexTask, rowids: np.ndarray, prints: list[bytes]) -> None:
    has = np.asarray([bool(p) for p in prints])
    keys = np.frombuffer(b"".join(p for p in prints if p), dtype="<u8").reshape(-1, 2)
    write_split(lambda p: keys_dir(task.work, p), f"r{task.lo:012d}.parquet",
                (keys[:, 0] % np.uint64(task.partitions)).astype(np.int64),
                {"hi": keys[:, 0], "lo": keys[:, 1], "rowid": rowids[has]})


def write_bands(task: IndexTask, rowids: np.ndarray, digests: np.ndarray) -> None:
    hashes = band_hashes(digests)  # (articles, NUM_BANDS)
    write_split(lambda p: bands_dir(task.work, p), f"r{task.lo:012d}.parquet",
                (hashes.ravel() % np.uint64(task.partitions)).astype(np.int64),
                {"band": np.tile(np.arange(NUM_BANDS, dtype=np.int16), len(rowids)), "hash": hashes.ravel(),
                 "rowid": np.repeat(rowids, NUM_BANDS)})


def write_postings(task: IndexTask, grams: np.ndarray, owners: np.ndarray, positions: np.ndarray,
                   following: np.ndarray) -> None:
    write_split(lambda p: postings_dir(task.work, p), f"r{task.lo:012d}.parquet",
                (grams % np.uint64(task.partitions)).astype(np.int64),
                {"hash": grams, "owner": owners, "pos": positions, "next": following})


@dataclass
class PartitionTask:
    work: str
    partition: int


def exact_task(task: PartitionTask) -> list[tuple[int, int]]:
    """``(first copy, later copy)`` rowid pairs of equal exact-duplicate keys in one partition."""
    data = read_dir(keys_dir(task.work, task.partition), ["hi", "lo", "rowid"])
    if not data:
        return []
    order = np.lexsort((data["rowid"], data["lo"], data["hi"]))
    hi, lo, rowids = data["hi"][order], data["lo"][order], data["rowid"][order]
    same = np.r_[False, (hi[1:] == hi[:-1]) & (lo[1:] == lo[:-1])]
    starts = np.flatnonzero(~same)
    first = np.repeat(rowids[starts], np.diff(np.r_[starts, len(rowids)]))
    return list(zip(first[same].tolist(), rowids[same].tolist()))


@dataclass
class BandTask:
    work: str
    partition: int
    n: int
    excluded: np.ndarray  # sorted rowids left out (later copies of exact duplicates)


def band_task(task: BandTask) -> np.ndarray:
    """Pair keys of articles sharing a MinHash LSH band (groups of up to MAX_BUCKET) in one partition."""
    data = read_dir(bands_dir(task.work, task.partition), ["band", "hash", "rowid"])
    if not data:
        return np.zeros(0, dtype=np.int64)
    keep = ~np.isin(data["rowid"], task.excluded)
    band, hashes, rowids = data["band"][keep].astype(np.uint64), data["hash"][keep], data["rowid"][keep]
    bucket = hashes ^ (band * np.uint64(0x9E3779B97F4A7C15))  # one key for (band, hash)
    return np.unique(pair_keys(groups_of_equal(bucket, rowids, MAX_BUCKET), task.n))


@dataclass
class VerifyTask:
    work: str
    keys: np.ndarray  # candidate pair keys
    n: int


def verify_task(task: VerifyTask) -> list[tuple[int, float]]:
    """``(pair key, estimated Jaccard)`` for candidates whose MinHash estimate is ≥ NEAR_JACCARD;
    the digests are read from the index tasks' ``.npy`` files (memory-mapped)."""
    files = sorted(digests_dir(task.work).glob("r*.rowids.npy"))
    starts = np.asarray([np.load(f, mmap_mode="r")[0] for f in files], dtype=np.int64)
    cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def digest(rowid: int) -> np.ndarray:
        k = int(np.searchsorted(starts, rowid, side="right")) - 1
        if k not in cache:
            stem = str(files[k])[:-len(".rowids.npy")]
            cache[k] = (np.load(files[k]), np.load(stem + ".npy", mmap_mode="r"))
        ids, digests = cache[k]
        return digests[int(np.searchsorted(ids, rowid))]

    found = []
    for key in task.keys.tolist():
        i, j = divmod(key, task.n)
        jaccard = float(np.mean(digest(i) == digest(j)))
        if jaccard >= NEAR_JACCARD:
            found.append((key, round(jaccard, 4)))
    return found


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
    """Pair entries of one hash partition, written per key partition; returns how many. The
    postings of outlets' boilerplate n-grams are written per rowid range for :func:`boilerplate_task`."""
    where = postings_dir(task.work, task.partition)
    data = read_dir(where, ["hash", "owner"])
    if not data:
        return 0
    hashes, owners = data["hash"], data["owner"]
    del data
    idx, df = shared_postings(hashes, owners, task.excluded)  # postings of n-grams held by ≥ 2 owners
    hashes, owners = hashes[idx], owners[idx]
    positions = read_dir(where, ["pos"])["pos"][idx]
    following = read_dir(where, ["next"])["next"][idx]
    del idx
    meta = load_meta(task.work)
    keys, diagonals, starts, boiler = pair_entries(hashes, owners, positions, task.n, following, meta, df)
    if len(boiler):
        b_owners, b_pos = owners[boiler], positions[boiler]
        b_outlets = meta[2][np.searchsorted(meta[0], b_owners)]
        write_split(lambda r: boiler_dir(task.work, r), f"p{task.partition:04d}.parquet",
                    (b_owners // ROWS_PER_INDEX_TASK).astype(np.int64),
                    {"owner": b_owners, "pos": b_pos, "outlet": b_outlets})
    if len(keys) == 0:
        return 0
    write_split(lambda k: pairs_dir(task.work, k), f"p{task.partition:04d}.parquet",
                (keys % task.key_partitions).astype(np.int64), {"key": keys, "diagonal": diagonals, "pos": starts})
    return len(keys)


def shared_postings(hashes: np.ndarray, owners: np.ndarray, excluded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes of the postings (owners not ``excluded``) whose n-gram is held by ≥ 2 owners, and
    that count (postings are one per (n-gram, owner)); int32 indexes, as a partition holds
    ≤ 2^31 postings, and the full-length arrays made here are freed before the next is made."""
    keep = np.flatnonzero(~np.isin(owners, excluded)).astype(np.int32)
    order = np.argsort(hashes[keep], kind="stable")
    keep = keep[order]
    del order
    h = hashes[keep]
    bounds = np.flatnonzero(np.r_[True, h[1:] != h[:-1], True])
    del h
    sizes = np.diff(bounds)
    live = np.repeat(sizes >= 2, sizes)
    return keep[live], np.repeat(sizes[sizes >= 2], sizes[sizes >= 2])


def pair_entries(hashes: np.ndarray, owners: np.ndarray, positions: np.ndarray, n: int,
                 following: np.ndarray | None = None,
                 meta: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None, df: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pair entries of shared n-grams ``(owner_a * n + owner_b, position_b - position_a,
    position_a)``, owner_a < owner_b, and the indexes of the postings that are outlet boilerplate.

    Each holder is paired with the earliest holders only (a star, not a clique; earliest by
    date, then rowid; ``meta`` = sorted rowids, their date keys and outlet codes, see
    :func:`load_meta`): a passage lifted into fifty or fifty thousand articles links every copy
    to the earliest ones, which is where the likely original is, at a bounded number of entries per
    posting. n-grams held by 2..MAX_DF owners: the first :data:`STAR` holders; held by more: the
    holders are grouped by (n-gram, next n-gram), the first :data:`HIGH_HUBS` of each group.
    Groups whose largest outlet holds ≥ BOILERPLATE_MIN and ≥ BOILERPLATE_SHARE of them are that
    outlet's boilerplate: no entries between two of its holders in that outlet. With ``df`` (the
    number of holders of each posting's n-gram) the postings are those of shared n-grams already
    (:func:`shared_postings`)."""
    count = len(hashes)
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32),
             np.zeros(0, dtype=np.int64))
    if count == 0:
        return empty
    if df is None:  # postings of n-grams held by ≥ 2 owners (``df`` given: they are all)
        idx, df = shared_postings(hashes, owners, np.zeros(0, dtype=np.int64))
    else:
        idx = np.arange(count)
    hashes, owners, positions = hashes[idx], owners[idx], positions[idx]
    following = np.zeros(len(idx), dtype=np.uint32) if following is None else following[idx]
    if meta is None:
        dates, outlets = np.zeros(len(idx), dtype=np.int64), -owners - 1
    else:
        at = np.searchsorted(meta[0], owners)
        dates, outlets = meta[1][at], meta[2][at]
    high = df > MAX_DF
    with np.errstate(over="ignore"):
        group = np.where(high, (hashes ^ (following.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))) | np.uint64(1),
                         hashes & ~np.uint64(1))  # low bit: which path, so the two never share a group
    order = np.lexsort((owners, dates, group))
    g = group[order]
    bounds = np.flatnonzero(np.r_[True, g[1:] != g[:-1], True])
    sizes = np.diff(bounds)
    first = np.repeat(bounds[:-1], sizes)
    size = np.repeat(sizes, sizes)
    rank = np.arange(len(order)) - first
    hubs = np.where(high[order], HIGH_HUBS, STAR)
    # boilerplate: the largest outlet of each group
    out_sorted = np.lexsort((outlets[order], np.repeat(np.arange(len(sizes)), sizes)))
    gid = np.repeat(np.arange(len(sizes)), sizes)[out_sorted]
    o = outlets[order][out_sorted]
    runs = np.flatnonzero(np.r_[True, (gid[1:] != gid[:-1]) | (o[1:] != o[:-1]), True])
    run_size = np.diff(runs)
    run_gid, run_outlet = gid[runs[:-1]], o[runs[:-1]]
    best = np.zeros(len(sizes), dtype=np.int64)
    np.maximum.at(best, run_gid, run_size)
    boiler_run = (run_size == best[run_gid]) & (run_size >= BOILERPLATE_MIN) & (run_size >= BOILERPLATE_SHARE * sizes[run_gid])
    boiler_outlet = np.full(len(sizes), np.iinfo(np.int64).min, dtype=np.int64)
    boiler_outlet[run_gid[boiler_run]] = run_outlet[boiler_run]
    is_boiler = outlets[order] == np.repeat(boiler_outlet, sizes)
    keys, diagonals, starts = [empty[0]], [empty[1]], [empty[2]]
    for k in range(STAR):
        pick = (rank > k) & (hubs > k) & (size >= 2)
        a, b = order[first[pick] + k], order[pick]
        pick2 = ~(is_boiler[first[pick] + k] & is_boiler[pick])
        a, b = a[pick2], b[pick2]
        swap = owners[a] > owners[b]
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        keys.append(owners[a] * n + owners[b])
        diagonals.append((positions[b] - positions[a]).astype(np.int32))
        starts.append(positions[a].astype(np.int32))
    return (np.concatenate(keys), np.concatenate(diagonals), np.concatenate(starts),
            np.sort(idx[order[is_boiler]]))


@dataclass
class BoilerplateTask:
    db: str
    work: str
    part: int  # rowid range [part * ROWS_PER_INDEX_TASK, (part + 1) * ROWS_PER_INDEX_TASK)


def boilerplate_task(task: BoilerplateTask) -> dict[tuple[str, str], dict]:
    """The outlets' boilerplate in one rowid range: each article's runs of boilerplate n-grams as
    display text, counted by (outlet, normalised text); the driver adds the counts of all ranges.
    Values: ``articles`` (count), ``text``, and the first article holding it (``article_id``,
    ``start``, ``end``, ``rowid``)."""
    from newsgraph.corpus.reuse_text import words_of

    data = read_dir(boiler_dir(task.work, task.part), ["owner", "pos"])
    if not data:
        return {}
    order = np.lexsort((data["pos"], data["owner"]))
    owners, positions = data["owner"][order], data["pos"][order].astype(np.int64)
    with Store(task.db, readonly=True) as store:
        from newsgraph.corpus.reuse import rows_by_rowid

        rows = rows_by_rowid(store.conn, np.unique(owners).tolist(), "rowid, id, outlet, text")
    found: dict[tuple[str, str], dict] = {}
    bounds = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1], True])
    for s, e in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        rowid, aid, outlet, text = rows[int(owners[s])]
        words = words_of(text)
        pos = positions[s:e]
        breaks = np.flatnonzero(np.r_[True, pos[1:] > pos[:-1] + NGRAM, True])  # runs of overlapping n-grams
        seen = set()
        for r0, r1 in zip(breaks[:-1].tolist(), breaks[1:].tolist()):
            first, last = int(pos[r0]), min(int(pos[r1 - 1]) + NGRAM, len(words))
            key = (outlet or "", " ".join(words.tokens[first:last]))
            if key in seen:
                continue
            seen.add(key)
            start, end = words.char_span(first, last)
            entry = found.get(key)
            if entry is None:
                found[key] = {"articles": 1, "text": text[start:end], "article_id": aid, "start": start, "end": end,
                              "rowid": int(rowid)}
            else:
                entry["articles"] += 1
    return found


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
