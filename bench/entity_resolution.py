"""Entity resolution: B-cubed precision and recall on a labelled set, and the entity stage's speed.

The labelled set (tests/data/resolution_gold.json) lists, for the spellings that occur on the
bundled sample pages in English, Arabic and Persian, the real-world entity each one names there.
The pages go through the whole pipeline (NER, then resolution); every mention whose spelling is in
the gold set is scored (B-cubed over mentions, Bagga & Baldwin 1998). A second table shows the
same with every spelling as its own entity (no resolution), as the floor.

    python bench/entity_resolution.py [--out bench/results/entity_resolution.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def b_cubed(system: dict[int, str], gold: dict[int, str]) -> tuple[float, float, float]:
    by_system, by_gold = defaultdict(set), defaultdict(set)
    for m, c in system.items():
        by_system[c].add(m)
    for m, c in gold.items():
        by_gold[c].add(m)
    precision = sum(len(by_system[system[m]] & by_gold[gold[m]]) / len(by_system[system[m]]) for m in gold) / len(gold)
    recall = sum(len(by_system[system[m]] & by_gold[gold[m]]) / len(by_gold[gold[m]]) for m in gold) / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_resolution.json")
    args = parser.parse_args()
    import newsgraph.api as ng

    gold_doc = json.loads((ROOT / "tests" / "data" / "resolution_gold.json").read_text(encoding="utf-8"))
    spelling_to_gold = {s: name for name, spellings in gold_doc["clusters"].items() for s in spellings}
    db = Path(tempfile.mkdtemp()) / "res.db"
    start = time.perf_counter()
    result = ng.analyze([ROOT / "examples" / "pages"], db)
    seconds = time.perf_counter() - start
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT rowid, text, entity_id, lang FROM mentions").fetchall()
    gold = {rowid: spelling_to_gold[text] for rowid, text, _, _ in rows if text in spelling_to_gold}
    system = {rowid: entity for rowid, _, entity, _ in rows if rowid in gold}
    floor = {rowid: text for rowid, text, _, _ in rows if rowid in gold}
    langs = defaultdict(int)
    for rowid, _, _, lang in rows:
        if rowid in gold:
            langs[lang] += 1
    report = {"mentions_scored": len(gold), "by_language": dict(langs), "gold_entities": len(set(gold.values())),
              "resolution": dict(zip(("precision", "recall", "f1"), map(lambda v: round(v, 4), b_cubed(system, gold)))),
              "no_resolution_floor": dict(zip(("precision", "recall", "f1"), map(lambda v: round(v, 4), b_cubed(floor, gold)))),
              "pipeline_articles_per_s": round(result.articles / seconds, 2), "cores": os.cpu_count()}
    print(f"B-cubed over {len(gold)} mentions ({dict(langs)}) of {report['gold_entities']} gold entities")
    print(f"{'system':<28} {'precision':>9} {'recall':>7} {'F1':>7}")
    for label, key in (("newsgraph resolution", "resolution"), ("each spelling alone", "no_resolution_floor")):
        r = report[key]
        print(f"{label:<28} {r['precision']:>9} {r['recall']:>7} {r['f1']:>7}")
    print(f"whole pipeline on the sample pages: {result.articles} articles in {seconds:.1f} s "
          f"({report['pipeline_articles_per_s']} articles/s, {os.cpu_count()} cores, model loading included)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
