"""Ingest throughput: pages/s, MB/s and peak RSS of `newsgraph analyze` on this machine.

The corpus is made of real pages: the seed pages (../shared/seeds or the copies in
examples/pages) and, when ../shared/data is present, the PTC news articles, each
copied N times with a numbered line appended so every copy is a new document.
The run happens in a child process so its peak RSS is measured alone.

    python bench/ingest_throughput.py [--pages 2000] [--out bench/results/ingest_throughput.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))


def source_pages() -> list[Path]:
    pages = sorted((SHARED / "seeds").glob("*.txt")) or sorted((ROOT / "examples" / "pages").glob("*.txt"))
    ptc = SHARED / "data" / "semeval2020-task11-ptc" / "train" / "train-articles"
    if ptc.is_dir():
        pages += sorted(ptc.glob("*.txt"))
    return pages


def build_corpus(directory: Path, count: int) -> int:
    pages = source_pages()
    total = 0
    for i in range(count):
        src = pages[i % len(pages)]
        data = src.read_text(encoding="utf-8") + f"\n\nCopy {i} of the page.\n"
        (directory / f"{i:06d}_{src.name}").write_text(data, encoding="utf-8")
        total += len(data.encode("utf-8"))
    return total


def run(pages: int, skip: list[str], workers: int = 1) -> dict:
    work = Path(tempfile.mkdtemp(prefix="ng-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, pages)
        db = work / "bench.db"
        start = time.perf_counter()
        command = [sys.executable, "-m", "newsgraph.cli", "analyze", str(corpus), "--db", str(db), "-q"]
        for stage in skip:
            command += ["--skip", stage]
        command += ["--workers", str(workers)]
        proc = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if proc.returncode not in (0, 3):
            raise SystemExit(f"analyze failed:\n{proc.stderr[-3000:]}")
        import sqlite3

        with sqlite3.connect(db) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stages = ("entities", "dates", "quotes", "techniques")
        return {"stages": "segment" + "".join(f",{s}" for s in stages if s not in skip),
                "workers": workers, "pages": pages, "megabytes": round(size / 1e6, 2), "articles": articles, "seconds": round(wall, 2),
                "pages_per_s": round(pages / wall, 1), "mb_per_s": round(size / 1e6 / wall, 3),
                "peak_rss_mb": round(peak_kb / 1024, 1), "cores": os.cpu_count(), "python": platform.python_version()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ingest_throughput.json")
    args = parser.parse_args()
    spine = ["entities", "dates", "quotes", "techniques"]
    results = [run(args.pages, spine), run(args.pages, spine, workers=2), run(args.pages, []),
               run(args.pages, [], workers=2)]
    print(f"{'stages':<42} {'workers':>7} {'pages':>6} {'MB':>6} {'articles':>9} {'seconds':>8} {'pages/s':>8} {'MB/s':>7} "
          f"{'peak RSS MB':>12} {'cores':>6}")
    for r in results:
        print(f"{r['stages']:<42} {r['workers']:>7} {r['pages']:>6} {r['megabytes']:>6} {r['articles']:>9} {r['seconds']:>8} "
              f"{r['pages_per_s']:>8} {r['mb_per_s']:>7} {r['peak_rss_mb']:>12} {r['cores']:>6}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
