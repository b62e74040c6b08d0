"""What the text-page rules remove from clean news text, and how many pages they split.

The PTC articles (../shared/data/semeval2020-task11-ptc, train split: we tune on it,
the dev split is reported) are single news articles already stripped of most page
furniture: every removed line that is not a title, a real widget or a real repeat is
a false positive of a rule, and every page cut into two articles is a false split.
The table lists per rule how many lines it removed, with examples in the JSON, so a
reader can judge them.

    python bench/segment_precision.py [--split dev|train] [--out bench/results/segment_precision.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "segment_precision.json")
    args = parser.parse_args()
    base = SHARED / "data" / "semeval2020-task11-ptc"
    folder = base / ("dev-articles" if args.split == "dev" else "train/train-articles")
    if not folder.is_dir():
        print(f"skipped: {folder} not found (../shared/data absent)")
        return
    from newsgraph.model import SourceDocument, content_hash
    from newsgraph.segment import NoTextError, segment_document

    files = sorted(folder.glob("*.txt"))
    rules: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    split_pages, empty_pages, lines_total = [], [], 0
    start = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines_total += sum(1 for line in text.splitlines() if line.strip())
        doc = SourceDocument(content_hash(text), str(path), str(path), None, "text", "utf-8", text)
        try:
            articles = segment_document(doc)
        except NoTextError:
            empty_pages.append(path.name)
            continue
        if len(articles) > 1:
            split_pages.append(path.name)
        for article in articles:
            for block in article.removed:
                rules[block.rule] += 1
                if len(examples[block.rule]) < 8:
                    examples[block.rule].append(f"{path.name}: {block.text[:120]}")
    seconds = time.perf_counter() - start
    print(f"PTC {args.split}: {len(files)} pages, {lines_total} non-blank lines, {seconds:.1f} s "
          f"({len(files) / seconds:.0f} pages/s on {os.cpu_count()} cores)")
    print(f"pages split into several articles: {len(split_pages)}; pages left with no text: {len(empty_pages)}")
    print(f"{'rule':<32} {'lines removed':>13} {'% of lines':>10}")
    for rule, count in rules.most_common():
        print(f"{rule:<32} {count:>13} {100 * count / lines_total:>9.2f}%")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"split": args.split, "pages": len(files), "lines": lines_total,
                                    "split_pages": split_pages, "empty_pages": empty_pages,
                                    "removed_by_rule": dict(rules.most_common()), "examples": examples,
                                    "seconds": round(seconds, 2)}, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
