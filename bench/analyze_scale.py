"""analyze on one process, two local worker processes and a two-worker Dask LocalCluster, in one run.

The same N articles (English PTC articles as .txt files; Arabic SaudiNewsNet and Persian Fars News
articles as JSONL, from ``../shared/data``) go through ``newsgraph.pipeline.analyze`` into a fresh store
three ways:

- ``one``: one process (this one);
- ``workers2``: ``--workers 2``, two local worker processes forked from this process;
- ``cluster2``: ``--scheduler tcp://…`` on a ``dask.distributed.LocalCluster`` with two worker processes
  of one thread each (what a real cluster does: tasks and results cross process boundaries).

Models are loaded before any timing (this process warms them before the pool forks; the cluster's
workers are warmed by an untimed run on a few articles), so each figure is the analysis, with the one
writer, the store's search index and entity resolution. Wall times are compared (ratios to ``one``
measured in this run), with the load average, and with the cores this run actually got (CPU seconds of
this process and its workers per wall second): on a shared machine two workers can only be faster
when they get more CPU than one, and ``cores_used`` says whether they did. The three stores are
compared table by table (less run ids and timestamps).

    python bench/analyze_scale.py [--articles 120] [--share-ar 0.2] [--share-fa 0.2] [--rounds 1]
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
sys.path.insert(0, str(ROOT / "src"))

RUN_COLUMNS = {"run_id", "added", "at", "started", "finished"}


def english(count: int) -> list[Path]:
    ptc = DATA / "semeval2020-task11-ptc"
    paths = sorted(ptc.glob("dev-articles/*.txt")) + sorted(ptc.glob("train/*/*.txt"))
    return paths[:count]


def persian(count: int) -> list[dict]:
    rows: list[dict] = []
    for f in sorted(glob.glob(str(DATA / "fa-news-farsnews-varzesh3" / "fars-news-*.json.gz"))):
        for a in json.load(gzip.open(f, "rt", encoding="utf-8")):
            text = "\n\n".join(p for p in a.get("paragraphs") or [] if p)
            if len(text) > 400 and len(rows) < count:
                rows.append({"text": text, "title": a.get("title") or "", "outlet": "Fars News",
                             "url": a.get("link") or f"fars-{len(rows)}"})
    return rows


def arabic(count: int) -> list[dict]:
    rows: list[dict] = []
    for z in sorted(glob.glob(str(DATA / "saudinewsnet-ar" / "dataset" / "*.zip"))):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for a in json.loads(zf.read(name).decode("utf-8")):
                    if len(rows) < count and len((a.get("content") or "").strip()) > 400:
                        rows.append({"text": a["content"], "title": a.get("title") or "",
                                     "date": (a.get("date_extracted") or "")[:10], "outlet": a.get("source"),
                                     "url": a["url"]})
    return rows


def build_corpus(folder: Path, n: int, share_ar: float, share_fa: float) -> dict[str, int]:
    n_ar, n_fa = round(n * share_ar), round(n * share_fa)
    n_en = n - n_ar - n_fa
    for p in english(n_en):
        shutil.copy(p, folder / p.name)
    counts = {"en": len(list(folder.glob("*.txt")))}
    for lang, rows in (("ar", arabic(n_ar)), ("fa", persian(n_fa))):
        with (folder / f"{lang}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        counts[lang] = len(rows)
    return counts


def self_cpu() -> float:
    return time.process_time()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _worker_cpu() -> float:
    return time.process_time()


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cluster_cpu(client) -> float:
    return sum(client.run(_worker_cpu).values()) if client is not None else 0.0


def one_pass(corpus: Path, db: Path, workers: int = 1, scheduler: str | None = None, client=None) -> dict:
    from newsgraph.enrich import english
    from newsgraph.pipeline import analyze

    english.forget()  # no paragraph parse kept from the warm-up or an earlier pass, here or on the cluster
    if client is not None:
        client.run(english.forget)
    cpu, kids, remote, wall = self_cpu(), children_cpu(), cluster_cpu(client), time.perf_counter()
    result = analyze([str(corpus)], db, workers=workers, scheduler=scheduler)
    wall = time.perf_counter() - wall
    writer = self_cpu() - cpu  # this process: reading, the writer, entity resolution (and every stage for "one")
    used = writer + (children_cpu() - kids) + (cluster_cpu(client) - remote)
    if result.errors or result.rejected:
        raise SystemExit(f"analyze: {result.counts}")
    return {"wall_s": round(wall, 2), "cpu_s": round(used, 2), "this_process_cpu_s": round(writer, 2),
            "this_process_cpu_ms_per_article": round(1000 * writer / max(1, result.articles), 1), "cores_used": round(used / wall, 2),
            "articles": result.articles, "articles_per_wall_s": round(result.articles / wall, 2),
            "load_average": [round(x, 1) for x in os.getloadavg()]}


def store_contents(db: Path) -> dict[str, list[tuple]]:
    """Every table of the store, row for row, less run ids and timestamps (and less the runs table itself,
    and FTS's internal tables, whose pages depend on write timing); and the articles in the order written
    (tests/test_store_pipeline.py compares stores with it too)."""
    out = {}
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                  if t not in ("runs", "sqlite_stat1") and not t.startswith("articles_fts_")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in RUN_COLUMNS]
            select = ", ".join(f'"{c}"' for c in columns)
            # as sorted rows: which pages a document was also found at (document_sources) is noted when the
            # first copy is stored, and with more documents in flight that comes later; the order of the
            # articles themselves is compared apart
            out[table] = sorted(conn.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
        out["article order"] = conn.execute("SELECT id FROM articles ORDER BY rowid").fetchall()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--share-ar", type=float, default=0.2)
    parser.add_argument("--share-fa", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "analyze_scale.json")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"{DATA} not found")
    from dask.distributed import Client, LocalCluster

    from newsgraph.pipeline import analyze

    work = Path(tempfile.mkdtemp(prefix="ng-scale-"))
    corpus, warm = work / "corpus", work / "warm"
    corpus.mkdir()
    warm.mkdir()
    counts = build_corpus(corpus, args.articles, args.share_ar, args.share_fa)
    build_corpus(warm, 6, 1 / 3, 1 / 3)  # the corpus's first articles; the parses they leave are forgotten
    load_before = [round(x, 1) for x in os.getloadavg()]
    analyze([str(warm)], work / "warm-here.db")  # every model of every language loaded here before the pool forks
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        analyze([str(warm)], work / "warm-cluster.db", scheduler=cluster.scheduler_address)  # the workers load models
        client.run(lambda: None)
        best: dict[str, dict] = {}
        for r in range(args.rounds):
            for name, kwargs in (("one", {}), ("workers2", {"workers": 2}),
                                 ("cluster2", {"scheduler": cluster.scheduler_address, "client": client})):
                db = work / f"{name}-{r}.db"
                row = one_pass(corpus, db, **kwargs)
                print(f"round {r + 1} {name:<9} {row}", flush=True)
                if name not in best or row["wall_s"] < best[name]["wall_s"]:
                    best[name] = row
        peak_worker_mb = max(client.run(_worker_peak_mb).values())
    finally:
        client.close()
        cluster.close()
    contents = {name: store_contents(work / f"{name}-0.db") for name in best}
    same = {name: contents[name] == contents["one"] for name in best}
    chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt")) + sum(
        len(json.loads(line)["text"]) for f in corpus.glob("*.jsonl") for line in f.open(encoding="utf-8"))
    result = {
        "articles_in": args.articles, "by_language": counts, "characters": chars,
        "source": "PTC dev+train articles (en, by name), SaudiNewsNet (ar) and Fars News (fa), first by file order",
        "rounds": args.rounds, "cores": os.cpu_count(), "load_average_before": load_before,
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "timings": best,
        "workers2_vs_one": round(best["one"]["wall_s"] / best["workers2"]["wall_s"], 3),
        "cluster2_vs_one": round(best["one"]["wall_s"] / best["cluster2"]["wall_s"], 3),
        "same_store_as_one": same,
        # what the figures imply for a large corpus (derived here, so the README quotes them from this file):
        # CPU seconds per article of the whole analysis in one process, the core-hours for a million
        # articles at that rate, and how many workers one writer keeps busy at the writer's CPU per article
        "cpu_s_per_article": round(best["one"]["cpu_s"] / best["one"]["articles"], 3),
        "core_hours_per_million": round(1e6 * best["one"]["cpu_s"] / best["one"]["articles"] / 3600),
        "workers_one_writer_keeps_busy": round(best["one"]["cpu_s"] / best["cluster2"]["this_process_cpu_s"]),
        "peak_rss_mb": {"this_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "cluster_worker": round(peak_worker_mb)},
    }
    shutil.rmtree(work, ignore_errors=True)
    print(f"{'pass':<9} {'wall s':>7} {'CPU s':>7} {'cores used':>11} {'articles/s':>11}")
    for name, row in best.items():
        print(f"{name:<9} {row['wall_s']:>7} {row['cpu_s']:>7} {row['cores_used']:>11} {row['articles_per_wall_s']:>11}")
    print(f"workers2: {result['workers2_vs_one']}×  cluster2: {result['cluster2_vs_one']}× one process   "
          f"same store: {same}   peak RSS {result['peak_rss_mb']} MB   load {load_before} -> "
          f"{result['load_average_after']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
