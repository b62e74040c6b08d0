"""Reuse at any fan-out (issue #14): passages planted into 2 … 10,000 articles, found in every holder?

    python bench/reuse_fanout.py --corpora synthetic:10000 saudi:10000 fars:3000 \
                                 [--fanouts 2 10 100 1000] [--out bench/results/reuse-fanout.json]

For each corpus one passage per fan-out is planted: ≥ 300 characters of whole words cut from one
article (the *original*, which gets the earliest date and sits among the middle rowids) and pasted
between two words of ``fanout - 1`` other articles (holders are disjoint across fan-outs). Then the
reuse stage runs in a fresh process (wall time, peak RSS) and the store is scored:

- ``holder_recall``: holders with a record (exact, near or passage) to the original naming it as
  source; ``cluster_recall``: holders in a reuse cluster with the original whose likely original is
  the original (0 before clusters existed); ``original_named``: that cluster names the original;
- ``pair_precision``: of the passage records that touch a planted copy (a span over most of it),
  the share whose other article holds the same passage (a planted holder, or an article whose text
  has the passage's middle 100 characters, ≥ 80 % alike by rapidfuzz's partial ratio: a natural copy
  of the original, a Saudi outlet's edit of the same agency story, holds it too);
  whole-text records (exact, near) are left out: a holder's near-duplicate is right to be one.

Corpora: ``synthetic:N`` (bench/reuse_synthetic.py's articles; outlets assigned round-robin to 20),
``saudi:N`` (SaudiNewsNet, real outlets and dates; ../shared), ``fars:N`` (Fars news + Varzesh3, the
articles spread round-robin over 20 outlets, as a network would). Run it with ``PYTHONPATH`` on an
older checkout for the "before" figures: the stores are built by the code under test.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from reuse_synthetic import write_store  # noqa: E402  (one store writer for the reuse benches)
from reuse_synthetic import Generator, corpus, run_stage  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
SAUDI = SHARED / "saudinewsnet-ar" / "dataset"
FARS = SHARED / "fa-news-farsnews-varzesh3"


def synthetic(n: int) -> list[dict]:
    arts, _ = corpus(n, Generator())
    return [{"id": a["id"], "text": a["text"], "lang": a["lang"], "outlet": f"outlet{k % 20:02d}", "date": "2024-01-02"}
            for k, a in enumerate(arts)]


def _distinct(rows: list[dict], n: int) -> list[dict]:
    out, seen = [], set()
    for row in rows:
        key = hashlib.sha1(row["text"].encode()).hexdigest()
        if len(row["text"].split()) >= 80 and key not in seen:
            seen.add(key)
            out.append(row)
            if len(out) == n:
                break
    return out


def saudi(n: int) -> list[dict]:
    rows = []
    for path in sorted(SAUDI.glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            for r in json.loads(z.read(z.namelist()[0]).decode("utf-8")):
                rows.append({"text": " ".join(r["content"].split()), "outlet": r["source"],
                             "date": r["date_extracted"][:10], "lang": "ar"})
        if len(rows) > 2 * n:
            break
    return [dict(r, id=f"sa{k:06d}") for k, r in enumerate(_distinct(rows, n))]


def fars_paragraphs(record: dict) -> list[str]:
    """The non-empty paragraphs of a Fars News / Varzesh3 record (a JSON list of strings in all 4,000).
    Joining ``str()`` of the list itself, as this bench and bench/stories.py once did, fed the stage
    its Python repr: brackets, quotes and every ZWNJ as the six characters ``\\u200c``."""
    return [p for p in record.get("paragraphs") or [] if p]


def fars(n: int) -> list[dict]:
    rows = []
    for path in sorted(FARS.glob("*.json.gz")):
        for r in json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")):
            rows.append({"text": " ".join(" ".join(fars_paragraphs(r)).split()), "date": "2020-01-02", "lang": "fa"})
    return [dict(r, id=f"fa{k:06d}", outlet=f"outlet{k % 20:02d}") for k, r in enumerate(_distinct(rows, n))]


def plant(arts: list[dict], fanouts: list[int], rng: random.Random, min_len: int = 300) -> list[dict]:
    """One passage per fan-out; returns, per fan-out, the original, the holders and each copy's span."""
    originals = [len(arts) // 2 + f * 7 for f in range(len(fanouts))]  # originals among the middle rowids,
    free = [k for k in range(len(arts)) if k not in set(originals)]  # set aside first: an original planted as a copy
    rng.shuffle(free)  # of another passage would be a second holder dated 2000-01-01, and its original ambiguous
    planted = []
    for f, fanout in enumerate(fanouts):
        if fanout > len(free) - 1:
            continue
        original = arts[originals[f]]
        words = original["text"].split(" ")
        start = len(words) // 3
        end = start + 1
        while len(" ".join(words[start:end])) < min_len and end < len(words):
            end += 1
        passage = " ".join(words[start:end])
        original["date"] = "2000-01-01"
        begin = len(" ".join(words[:start])) + (1 if start else 0)
        spans = {original["id"]: (begin, begin + len(passage))}
        holders = [free.pop() for _ in range(fanout - 1)]
        for k in holders:
            parts = arts[k]["text"].split(" ")
            cut = rng.randint(1, max(1, len(parts) - 1))
            head = " ".join(parts[:cut])
            arts[k]["text"] = " ".join(parts[:cut] + [passage] + parts[cut:])
            spans[arts[k]["id"]] = (len(head) + 1, len(head) + 1 + len(passage))
        planted.append({"fanout": fanout, "original": original["id"], "holders": [arts[k]["id"] for k in holders],
                        "spans": spans, "chars": len(passage),
                        "middle": passage[len(passage) // 2 - 50:len(passage) // 2 + 50]})
    return planted


def score(db: Path, planted: list[dict]) -> list[dict]:
    import sqlite3

    from rapidfuzz import fuzz

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    has_clusters = bool(conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'reuse_clusters'").fetchone())
    records = [dict(r) for r in conn.execute("SELECT * FROM reuse WHERE kind IN ('exact', 'near', 'passage')"
                                             " AND a_article_id != b_article_id")]
    out = []
    for p in planted:
        original, holders, spans = p["original"], set(p["holders"]), p["spans"]
        tied = {r["b_article_id"] if r["a_article_id"] == original else r["a_article_id"] for r in records
                if original in (r["a_article_id"], r["b_article_id"]) and r["source_article_id"] == original}

        def on_copy(aid: str, start: int, end: int) -> bool:
            s = spans.get(aid)
            return s is not None and min(end, s[1]) - max(start, s[0]) > 0.5 * (s[1] - s[0])

        touching = [r for r in records if r["kind"] == "passage" and (on_copy(r["a_article_id"], r["a_start"], r["a_end"])
                                                                      or on_copy(r["b_article_id"], r["b_start"], r["b_end"]))]
        middle = p["middle"]

        def holds(aid: str) -> bool:
            if aid in spans:
                return True
            text = conn.execute("SELECT text FROM articles WHERE id = ?", (aid,)).fetchone()[0]
            return fuzz.partial_ratio(middle, " ".join(text.split())) >= 80

        correct = [r for r in touching if holds(r["a_article_id"]) and holds(r["b_article_id"])]
        row = {"fanout": p["fanout"], "passage_chars": p["chars"], "holders": len(holders),
               "holder_recall": round(len(tied & holders) / len(holders), 4),
               "pair_precision": round(len(correct) / len(touching), 4) if touching else None,
               "records_on_copies": len(touching), "cluster_recall": 0.0, "original_named": False, "cluster_holders": 0}
        if has_clusters:
            best = conn.execute(
                "SELECT c.id, c.source_article_id, c.holders FROM reuse_clusters c JOIN reuse_cluster_members m"
                " ON m.cluster_id = c.id WHERE m.article_id = ? ORDER BY c.holders DESC LIMIT 1", (original,)).fetchone()
            if best:
                members = {r[0] for r in conn.execute("SELECT article_id FROM reuse_cluster_members WHERE cluster_id = ?",
                                                      (best["id"],))}
                named = best["source_article_id"] == original
                row.update({"cluster_recall": round(len(members & holders) / len(holders), 4) if named else 0.0,
                            "original_named": named, "cluster_holders": best["holders"]})
        out.append(row)
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", nargs="*", default=["synthetic:10000", "saudi:10000", "fars:3000"])
    parser.add_argument("--fanouts", type=int, nargs="*", default=[2, 10, 100, 1000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsgraph-reuse-fanout"))
    parser.add_argument("--label", default="after", help="what code ran (before/after), kept in the JSON")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reuse-fanout.json")
    parser.add_argument("--rescore", action="store_true", help="score the stores left in --work by an earlier run "
                        "(the corpora are rebuilt in memory, deterministically) and keep its seconds and RSS from --out")
    args = parser.parse_args()
    earlier = {r["corpus"]: r for r in json.loads(args.out.read_text())["runs"]} if args.rescore else {}
    args.work.mkdir(parents=True, exist_ok=True)
    loaders = {"synthetic": synthetic, "saudi": saudi, "fars": fars}
    runs = []
    for spec in args.corpora:
        name, n = spec.split(":")
        if name in ("saudi", "fars") and not (SAUDI if name == "saudi" else FARS).is_dir():
            print(f"skip {spec}: ../shared/data not available")
            continue
        t = time.time()
        arts = loaders[name](int(n))
        planted = plant(arts, args.fanouts, random.Random(14))
        db = args.work / f"{name}-{n}.db"
        if args.rescore:
            run = {k: earlier[spec][k] for k in ("seconds", "peak_rss_mb", "counts")}
            built = earlier[spec]["build_seconds"]
        else:
            write_store(db, arts)
            built = time.time() - t
            run = run_stage(db, cross_lingual=False)
        del arts
        rows = score(db, planted)
        runs.append({"corpus": spec, "code": args.label, "build_seconds": round(built, 1), "seconds": round(run["seconds"], 1),
                     "peak_rss_mb": round(run["peak_rss_mb"], 1), "counts": run["counts"], "fanouts": rows})
        print(f"{spec} ({args.label}): {run['seconds']:.1f} s, peak RSS {run['peak_rss_mb']:.0f} MB, counts {run['counts']}")
        print("  fanout | holder_recall | cluster_recall | original_named | pair_precision | records_on_copies")
        for r in rows:
            print(f"  {r['fanout']:>6} | {r['holder_recall']:>13} | {r['cluster_recall']:>14} | {str(r['original_named']):>14} |"
                  f" {r['pair_precision']!s:>14} | {r['records_on_copies']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"runs": runs, "python": sys.version.split()[0],
                                    "note": "2 shared cores (load from other workers); each stage run in a fresh process"},
                                   indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
