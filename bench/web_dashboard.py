"""Technique dashboard and reuse graph: how long their pages take on a large synthetic corpus.

Builds (or reuses) the synthetic database of bench/web_latency.py, then adds synthetic
technique spans (``--spans`` per article on average, on word boundaries of the real text) and
reuse records (``--reuse`` article pairs per 100 articles, passages or whole copies between
random outlets, the earlier article as the likely original), one passage held by ``FANOUT``
articles, and the reuse clusters of all of them. Then it times each page in one
process (FastAPI's TestClient, no network): the first request (nothing cached: the server
computes the corpus-wide aggregates) and the median of ``--repeat`` further requests (served from
the read-only server's cache), each also as a ratio to one article page timed in the same run
(``x_article``), plus ``reuse_graph`` as ``newsgraph export`` runs it.

    python bench/web_dashboard.py [--articles 100000] [--spans 4] [--reuse 5] [--repeat 5]
                                  [--db PATH (reused when it has the spans)] [--out bench/results/web_dashboard.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

TECHNIQUES = ["Loaded_Language", "Name_Calling-Labeling", "Doubt", "Appeal_to_Fear-Prejudice", "Exaggeration-Minimisation",
              "Flag_Waving", "Causal_Oversimplification", "Repetition", "Slogans", "Appeal_to_Authority"]


def add_layers(db: Path, spans_per_article: float, reuse_per_100: float, seed: int = 11) -> None:
    """Synthetic technique spans and reuse records, written straight into the tables."""
    import sqlite3

    rng = random.Random(seed)
    started = time.monotonic()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    techniques, ids = [], []
    for aid, text, outlet, date in conn.execute("SELECT id, text, outlet, date FROM articles"):
        ids.append((aid, len(text), outlet, date))
        words = [m.span() for m in re.finditer(r"\S+", text)]
        for _ in range(int(rng.expovariate(1 / spans_per_article)) if words else 0):
            i = rng.randrange(len(words))
            j = min(len(words) - 1, i + rng.randint(0, 6))
            techniques.append((aid, words[i][0], words[j][1], rng.choice(TECHNIQUES), None,
                               round(rng.uniform(0.3, 0.9), 2), "bench"))
    conn.executemany("INSERT OR IGNORE INTO techniques VALUES (?, ?, ?, ?, ?, ?, ?)", techniques)
    reuse = []
    for _ in range(int(len(ids) * reuse_per_100 / 100)):
        a, b = rng.sample(ids, 2)
        kind = rng.choices(["passage", "near", "exact", "translation"], weights=[6, 2, 1, 1])[0]
        source = (a if a[3] < b[3] else b)[0] if a[3] != b[3] else None
        if kind == "passage":
            la, lb = min(a[1], 600), min(b[1], 600)
            sa, sb = rng.randrange(max(1, a[1] - la)), rng.randrange(max(1, b[1] - lb))
            reuse.append((a[0], sa, sa + la, b[0], sb, sb + lb, 0.9, kind, source))
        else:
            reuse.append((a[0], 0, a[1], b[0], 0, b[1], 0.95, kind, source))
    reuse += fanout_passage(ids, FANOUT, rng)
    conn.executemany("INSERT OR IGNORE INTO reuse (a_article_id, a_start, a_end, b_article_id, b_start, b_end,"
                     " similarity, kind, source_article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", reuse)
    conn.commit()
    add_clusters(conn)
    conn.close()
    print(f"added {len(techniques)} technique spans and {len(reuse)} reuse records in"
          f" {time.monotonic() - started:.0f} s", file=sys.stderr)


FANOUT = 2000  # holders of one planted passage: the reuse page's largest cluster


def fanout_passage(ids: list[tuple], fanout: int, rng: random.Random) -> list[tuple]:
    """Records of one passage held by ``fanout`` articles, each tied to the earliest holder, as the
    reuse stage pairs them (its first 300 characters in every holder)."""
    holders = sorted(rng.sample([i for i in ids if i[1] > 400], min(fanout, len(ids))), key=lambda i: (i[3] or "", i[0]))
    first = holders[0]
    return [(first[0], 0, 300, h[0], 0, 300, 1.0, "passage", first[0] if (first[3] or "") < (h[3] or "") else None)
            for h in holders[1:]]


def add_clusters(conn) -> None:  # type: ignore[no-untyped-def]
    """Reuse clusters of the records, as the reuse stage groups them (newsgraph.corpus.reuse.clustered)."""
    from newsgraph.corpus.reuse import clustered
    from newsgraph.model import Reuse
    from newsgraph.store.db import Store

    store = Store.over(conn)
    records = [Reuse(*r) for r in conn.execute("SELECT a_article_id, a_start, a_end, b_article_id, b_start, b_end,"
                                               " similarity, kind, source_article_id FROM reuse")]
    records, clusters, members = clustered(conn, records)
    store.replace_reuse(records, clusters=clusters, members=members, boilerplate=[])


def timed(client, url: str, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    r = client.get(url)
    first = (time.perf_counter() - t) * 1000
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    again = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        again.append((time.perf_counter() - t) * 1000)
    return {"first_ms": round(first, 1), "cached_median_ms": round(statistics.median(again), 1) if again else None,
            "bytes": len(r.content)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100000)
    parser.add_argument("--spans", type=float, default=4.0)
    parser.add_argument("--reuse", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "web_dashboard.json")
    args = parser.parse_args()

    import sqlite3

    from fastapi.testclient import TestClient

    from newsgraph.store.db import Store
    from newsgraph.store.graphs import reuse_graph
    from newsgraph.web.app import create_app
    from web_latency import build_database

    db = args.db or Path(f"/tmp/newsgraph-dashboard-{args.articles}.db")
    if not db.exists():
        build_database(db, args.articles)
    Store(db).close()  # a database built before the newest migrations gets them
    with sqlite3.connect(db) as conn:
        has_spans = conn.execute("SELECT count(*) FROM techniques").fetchone()[0]
        has_clusters = conn.execute("SELECT count(*) FROM reuse_clusters").fetchone()[0]
    if not has_spans:
        add_layers(db, args.spans, args.reuse)
    elif not has_clusters:  # built before clusters: the planted fan-out and the clusters only
        with sqlite3.connect(db) as conn:
            ids = [tuple(r) for r in conn.execute("SELECT id, length(text), outlet, date FROM articles")]
            conn.executemany("INSERT OR IGNORE INTO reuse (a_article_id, a_start, a_end, b_article_id, b_start, b_end,"
                             " similarity, kind, source_article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             fanout_passage(ids, FANOUT, random.Random(12)))
            conn.commit()
            add_clusters(conn)
    with sqlite3.connect(db) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "techniques", "reuse", "reuse_clusters", "reuse_cluster_members")}
        top_cluster, top_holders = conn.execute("SELECT id, holders FROM reuse_clusters ORDER BY holders DESC").fetchone()
        article = conn.execute("SELECT id FROM articles WHERE rowid = 1").fetchone()[0]
        entity = conn.execute("SELECT id FROM entities ORDER BY mention_count DESC").fetchone()[0]
    counts["largest_cluster_holders"] = top_holders

    client = TestClient(create_app(db))
    technique = TECHNIQUES[0]
    outlet = client.get("/api/outlets").json()[0]["outlet"]
    pages = {
        "/techniques": "/techniques",
        "/techniques?lang=ar": "/techniques?lang=ar",
        "/techniques?outlet=OUTLET": "/techniques?outlet=" + outlet,
        "/techniques/evidence (technique)": f"/techniques/evidence?technique={technique}",
        "/techniques/evidence (technique, outlet, month)": f"/techniques/evidence?technique={technique}"
                                                             f"&outlet={outlet}&month=2021-03",
        "/api/techniques.csv?by=outlet,month": "/api/techniques.csv?by=outlet,month",
        "/reuse": "/reuse",
        "/reuse?kind=passage": "/reuse?kind=passage",
        "/api/reuse.graphml": "/api/reuse.graphml",
        "/api/reuse.csv": "/api/reuse.csv",
        "/reuse?clusters_page=40": "/reuse?clusters_page=40",
        "/api/reuse/clusters": "/api/reuse/clusters",
        "/reuse/cluster/LARGEST (every holder)": f"/reuse/cluster/{top_cluster}",
        "/entity/MOST_MENTIONED": f"/entity/{entity}",
        "/graph (default)": "/graph",
        "/graph?limit=120&links=400 (show more)": "/graph?limit=120&links=400",
    }
    reference = timed(client, f"/article/{article}", args.repeat)  # the same-run reference: one article page
    results = {name: timed(client, url, args.repeat) for name, url in pages.items()}
    for r in results.values():
        r["x_article"] = round(r["cached_median_ms"] / reference["cached_median_ms"], 1)
    with Store(db, readonly=True) as store:
        t = time.perf_counter()
        graph = reuse_graph(store)
        results["reuse_graph (export)"] = {"first_ms": round((time.perf_counter() - t) * 1000, 1),
                                           "cached_median_ms": None, "bytes": graph.number_of_edges()}
    print(f"\n{counts['articles']} articles, {counts['techniques']} technique spans, {counts['reuse']} reuse records,"
          f" {counts['reuse_clusters']} clusters (the largest {top_holders} holders)")
    print(f"reference: /article/ID cached median {reference['cached_median_ms']:.1f} ms")
    print(f"{'page':52} {'first ms':>10} {'cached ms':>10} {'x article':>10}")
    for name, r in results.items():
        cached = "" if r["cached_median_ms"] is None else f"{r['cached_median_ms']:.1f}"
        ratio = "" if r.get("x_article") is None else f"{r['x_article']:.1f}"
        print(f"{name:52} {r['first_ms']:>10.1f} {cached:>10} {ratio:>10}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"counts": counts, "repeat": args.repeat, "reference": {"/article/ID": reference},
                                    "results": results,
                                    "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version(),
                                                "platform": platform.platform()}}, indent=2) + "\n")
    print(f"→ {args.out}")


if __name__ == "__main__":
    main()
