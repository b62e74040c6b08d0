"""Re-running one stage on a stored corpus (`analyze --redo`) against a fresh analysis, same run.

The corpus is real news text: the NTREX-128 documents (123 news articles in English, Arabic and
Persian, ../shared/data/ntrex128-en-ar-fa) when present, else the seed pages; each copied with a
numbered line appended so that every copy is a new document. The store is built by a fresh
analysis (timed, models loaded beforehand and apart), then each stage of ``--redo`` is re-run on
a copy of it (timed) and the copy is compared table by table with the fresh store: the re-run must
give the same rows, so the ratio compares equal work. Timings are ratios to the fresh analysis
measured in this run.

``--pipeline full`` is the default pipeline; ``light`` keeps the rule stages (language, dates,
loaded terms), which lets a 10k-article store be built in minutes on 2 busy cores.

    python bench/redo.py [--documents 200] [--pipeline full|light] [--redo dates,quotes]
                         [--out bench/results/redo.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
NTREX = SHARED / "data" / "ntrex128-en-ar-fa"
LIGHT = ("language", "dates", "loaded_terms")


def source_texts() -> tuple[str, list[str]]:
    """(name of the source, the texts of its documents)."""
    if (NTREX / "DOCUMENT_IDS.tsv").is_file():
        ids = [line.split("\t")[0].strip() for line in (NTREX / "DOCUMENT_IDS.tsv").open(encoding="utf-8")]
        texts = []
        for name in ("newstest2019-src.eng.txt", "newstest2019-ref.arb.txt", "newstest2019-ref.fas.txt"):
            lines = (NTREX / name).read_text(encoding="utf-8").splitlines()
            documents: dict[str, list[str]] = {}
            for doc_id, line in zip(ids, lines):
                documents.setdefault(doc_id, []).append(line)
            texts += ["\n\n".join(sentences) for sentences in documents.values()]
        return "NTREX-128 documents (en, ar, fa)", texts
    pages = sorted((SHARED / "seeds").glob("*.txt")) or sorted((ROOT / "examples" / "pages").glob("*.txt"))
    return "seed pages", [p.read_text(encoding="utf-8") for p in pages]


def build_corpus(directory: Path, count: int, texts: list[str]) -> None:
    for i in range(count):
        (directory / f"{i:06d}.txt").write_text(texts[i % len(texts)] + f"\n\nCopy {i} of the page.\n",
                                                 encoding="utf-8")


def pipeline_for(kind: str):
    from newsgraph.pipeline import default_pipeline

    pipeline = default_pipeline()
    if kind == "light":
        for name in [n for n in pipeline.names if n not in LIGHT]:
            pipeline.remove(name)
    return pipeline


def tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                                            " 'sqlite_%' AND name NOT LIKE 'articles_fts%' AND name NOT IN"
                                            " ('runs', 'redo_done', 'component_tables')")]
        return {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--pipeline", choices=("full", "light"), default="full")
    parser.add_argument("--redo", default="dates,quotes", help="stages to re-run, one at a time (comma-separated)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "redo.json")
    args = parser.parse_args()

    import newsgraph.api as ng

    source, texts = source_texts()
    work = Path(tempfile.mkdtemp(prefix="ng-redo-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        build_corpus(corpus, args.documents, texts)
        ng.annotate("The minister said on Monday that talks in Doha would resume.")  # models loaded, apart
        ng.annotate("قال الوزير يوم الاثنين إن المحادثات ستستأنف في الدوحة.")
        ng.annotate("وزیر روز دوشنبه گفت که گفتگوها در دوحه از سر گرفته می‌شود.")
        fresh = work / "fresh.db"
        started = time.perf_counter()
        result = ng.analyze([corpus], fresh, pipeline=pipeline_for(args.pipeline))
        fresh_seconds = time.perf_counter() - started
        reference = tables(fresh)
        rows = []
        for stage in [s.strip() for s in args.redo.split(",") if s.strip()]:
            copy = work / f"redo-{stage}.db"
            shutil.copy(fresh, copy)
            started = time.perf_counter()
            redone = ng.redo(copy, [stage], pipeline=pipeline_for(args.pipeline))
            seconds = time.perf_counter() - started
            after = tables(copy)
            rows.append({"redo": stage, "stages_rerun": redone.stages, "corpus_steps": redone.corpus_steps,
                         "articles": redone.articles, "seconds": round(seconds, 2),
                         "ratio_to_fresh": round(seconds / fresh_seconds, 3),
                         "same_rows_as_fresh": after == reference,
                         "tables_changed": sorted(n for n in reference if reference[n] != after.get(n))})
            copy.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {"source": source, "pipeline": args.pipeline, "documents": args.documents, "articles": result.articles,
              "fresh_seconds": round(fresh_seconds, 2),
              "fresh_articles_per_s": round(result.articles / fresh_seconds, 1), "redo": rows,
              "cores": os.cpu_count(), "python": platform.python_version(),
              "note": "one process; models loaded before timing; the machine's 2 cores shared with other work"}
    print(f"{source}: {args.documents} documents, {result.articles} articles, pipeline {args.pipeline}; "
          f"fresh analysis {report['fresh_seconds']} s ({report['fresh_articles_per_s']} articles/s)")
    print(f"{'--redo':<14} {'stages re-run':<34} {'articles':>8} {'seconds':>8} {'× fresh':>8} {'same rows':>10}")
    for row in rows:
        print(f"{row['redo']:<14} {','.join(row['stages_rerun']):<34} {row['articles']:>8} {row['seconds']:>8} "
              f"{row['ratio_to_fresh']:>8} {str(row['same_rows_as_fresh']):>10}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(args.out.read_text()) if args.out.is_file() else {}
    existing[f"{args.pipeline}-{args.documents}"] = report
    args.out.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
