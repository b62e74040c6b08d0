"""English outputs before and after a change: entity mentions, quotes and relations on PTC dev.

    python bench/english_equal.py --dump FILE            # the outputs of the code on PYTHONPATH
    python bench/english_equal.py --compare BEFORE AFTER [--labels B A]  # how many differ (bench/results/english_equal.json)

Every PTC dev article goes through the default pipeline (segmentation and every stage); the
comparison counts the mentions (start, end, label, method), quotes (span, kind, cue, speaker) and
relations (span, predicate, subject, object) found by one side only.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
PTC = SHARED / "data" / "semeval2020-task11-ptc" / "dev-articles"


def dump(out: Path) -> None:
    from newsgraph.ingest.readers import read_documents
    from newsgraph.pipeline import default_pipeline, process_document

    pipeline = default_pipeline()
    rows: dict[str, dict[str, list]] = {}
    for path in sorted(PTC.glob("*.txt")):
        for doc in read_documents(path):
            outcome = process_document(pipeline, doc)
            if not isinstance(outcome, list):
                raise SystemExit(f"{path.name}: {outcome}")
            for n, a in enumerate(outcome):
                rows[f"{path.name}#{n}"] = {
                    "mentions": sorted([m.start, m.end, m.label, m.method] for m in a.mentions),
                    "quotes": sorted([q.start, q.end, q.kind, q.cue_start, q.speaker_start, q.speaker_end,
                                      q.speaker_mention_start, q.method] for q in a.quotes),
                    "relations": sorted([r.start, r.end, r.predicate, r.subject_start, r.object_start, r.negated]
                                        for r in a.relations)}
    out.write_text(json.dumps(rows))


def compare(before: Path, after: Path, out: Path, labels: tuple[str, str]) -> None:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    result: dict[str, object] = {"before": labels[0], "after": labels[1], "set": "PTC dev-articles, default pipeline",
                                 "articles": len(a), "same_articles": sorted(a) == sorted(b)}
    for layer in ("mentions", "quotes", "relations"):
        old = {(k, json.dumps(x)) for k, v in a.items() for x in v[layer]}
        new = {(k, json.dumps(x)) for k, v in b.items() for x in v[layer]}
        result[layer] = {"before": len(old), "after": len(new), "only_before": len(old - new),
                         "only_after": len(new - old)}
        for k, x in sorted(old - new)[:5]:
            print(f"{layer} only before: {k} {x}")
        for k, x in sorted(new - old)[:5]:
            print(f"{layer} only after:  {k} {x}")
    print(json.dumps(result, indent=2))
    out.write_text(json.dumps(result, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path)
    parser.add_argument("--labels", nargs=2, default=("before", "after"), help="what the two dumps ran")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "english_equal.json")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump)
    if args.compare:
        compare(*args.compare, args.out, tuple(args.labels))


if __name__ == "__main__":
    main()
