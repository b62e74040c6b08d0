#!/usr/bin/env python3
"""HTML spine speed: `segment_document` pages/s beside plain `trafilatura.extract` on the same pages.

The reference is trafilatura alone (defaults, no metadata), as the article-extraction
benchmark runs it; our system is what `newsgraph analyze` does to an HTML page before
any model runs (trafilatura in precision mode with metadata, the source-span alignment,
language per paragraph, the segmenter's rules and article cuts). Both run in this
process, one page after the other, the order alternating from page to page, so a change
in the machine's load hits both alike. The figure is the ratio of the two pages/s, wall
clock (CPU time beside it); a few pages per set warm both systems up first and are not
timed.

One cost is set apart, as model loading is: the first time htmldate falls back to
dateparser (our metadata pass reads dates; plain trafilatura does not), dateparser builds
its tables for every locale, 2 to 4 s once per process. The bench pays it before timing,
reports it (``one_off_setup_s``), and gives the ratio with it added to our time as well
(``ratio_with_setup``): on a corpus of thousands of pages it vanishes, on these 320 it
does not.

The same run scores both outputs with the accuracy bench's metrics
(``bench/extraction_accuracy.py``): article-body F1 on the article-extraction benchmark
and snippet F1 on trafilatura's evaluation pages, so a speed-up that changes what is
extracted shows here.

Page sets, read from ``--data`` (default ``../shared/data``):
``article-extraction-benchmark/`` (181 pages) and ``trafilatura-eval-en-ar/`` (145 pages).

    python bench/html_speed.py [--data DIR] [--limit N] [--profile] [--output FILE] [--label TEXT]

``bench/results/html_speed-before.json`` is this script run on ``src/`` as it was before the
spine was made faster (``--label``, commit 73773b8), for comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import logging
import platform
import pstats
import sys
import time
from pathlib import Path

import extraction_accuracy as accuracy

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "html_speed.json"
WARMUP = 3  # pages per set run once by both systems before timing (imports, models, caches)

SETS = {
    "article-extraction-benchmark": "181 news and blog pages with a gold article body (Zyte)",
    "trafilatura-eval-en-ar": "145 pages with must-have / must-not-have snippets (trafilatura's evaluation)",
}


def load_pages(data: Path, name: str, limit: int | None) -> dict[str, str]:
    folder = data / name
    if name == "article-extraction-benchmark":
        gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        ids = sorted(gold)[:limit] if limit else sorted(gold)
        return {i: gzip.open(folder / "html" / f"{i}.html.gz", "rt", encoding="utf-8").read() for i in ids}
    items = json.loads((folder / "evaldata-en-ar.json").read_text(encoding="utf-8"))
    urls = sorted(items)[:limit] if limit else sorted(items)
    return {u: accuracy._decode(gzip.open(folder / "html" / items[u]["file"]).read()) for u in urls}


def one_off_setup() -> float:
    """Seconds dateparser takes to load its per-locale tables, paid here rather than on a timed page."""
    try:
        from htmldate.extractors import get_external_parser
    except ImportError:  # another htmldate: its first page pays instead
        return 0.0
    started = time.perf_counter()
    get_external_parser().get_date_data("zz 12 qq 2020")  # no locale reads it, so every locale is loaded
    return time.perf_counter() - started


def timed_side_by_side(pages: dict[str, str], systems: dict, profile: cProfile.Profile | None) -> dict:
    """Each system's output per page and its wall/CPU seconds over the timed pages."""
    outputs: dict[str, dict[str, str]] = {name: {} for name in systems}
    wall = dict.fromkeys(systems, 0.0)
    cpu = dict.fromkeys(systems, 0.0)
    names = list(systems)
    for index, (key, html) in enumerate(pages.items()):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            timed = index >= WARMUP
            if timed and profile is not None and name == "ours":
                profile.enable()
            w0, c0 = time.perf_counter(), time.process_time()
            outputs[name][key] = accuracy._safe(systems[name], html)
            w1, c1 = time.perf_counter(), time.process_time()
            if timed and profile is not None and name == "ours":
                profile.disable()
            if timed:
                wall[name] += w1 - w0
                cpu[name] += c1 - c0
    return {"outputs": outputs, "wall": wall, "cpu": cpu, "timed_pages": max(0, len(pages) - WARMUP)}


def body_f1(data: Path, outputs: dict[str, str]) -> float:
    folder = data / "article-extraction-benchmark"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    counts = [accuracy.shingle_counts(gold[key].get("articleBody", ""), text) for key, text in outputs.items()]
    return accuracy.body_scores(counts)["f1"]


def snippet_f1(data: Path, outputs: dict[str, str]) -> float:
    folder = data / "trafilatura-eval-en-ar"
    items = json.loads((folder / "evaldata-en-ar.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for url, text in outputs.items():
        output = accuracy._norm(text)
        found = sum(accuracy._norm(s) in output for s in items[url]["with"])
        tp, fn = tp + found, fn + len(items[url]["with"]) - found
        fp += sum(accuracy._norm(s) in output for s in items[url]["without"])
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def speed_row(run: dict) -> dict:
    pages = run["timed_pages"]
    row: dict = {"timed_pages": pages}
    for clock in ("wall", "cpu"):
        ours, reference = run[clock]["ours"], run[clock]["trafilatura"]
        row[f"{clock}_seconds"] = {"ours": round(ours, 3), "trafilatura": round(reference, 3)}
        row[f"{clock}_pages_per_s"] = {"ours": round(pages / ours, 2) if ours else 0.0,
                                       "trafilatura": round(pages / reference, 2) if reference else 0.0}
        row[f"{clock}_ratio"] = round(reference / ours, 3) if ours else 0.0
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set (smoke runs)")
    parser.add_argument("--profile", action="store_true", help="cProfile our system; print and store the top items")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--label", default=None, help="what code was measured, stored in the JSON (e.g. a commit)")
    args = parser.parse_args(argv)
    present = [name for name in SETS if (args.data / name).is_dir()]
    if not present:
        print(f"html_speed: no page set under {args.data}; nothing to measure (pass --data DIR).")
        return 0
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    accuracy.load_extractor()  # src/ on the path: the checkout's code, not an installed copy
    import trafilatura

    systems = {"ours": accuracy.pipeline, "trafilatura": accuracy.baseline}
    setup = one_off_setup()
    profile = cProfile.Profile() if args.profile else None
    report: dict = {"reference": f"trafilatura.extract {trafilatura.__version__} (defaults, include_comments=False)",
                    "ours": "newsgraph.segment.segment_document on an HTML SourceDocument",
                    "warmup_pages_per_set": WARMUP, "one_off_setup_s": round(setup, 3),
                    "label": args.label,
                    "profiled": args.profile,  # under cProfile our timings are inflated: read the profile, not the ratio
                    "python": platform.python_version(), "sets": {}}
    total = {"wall": {"ours": 0.0, "trafilatura": 0.0}, "cpu": {"ours": 0.0, "trafilatura": 0.0}, "timed_pages": 0}
    for name in present:
        pages = load_pages(args.data, name, args.limit)
        run = timed_side_by_side(pages, systems, profile)
        score = body_f1 if name == "article-extraction-benchmark" else snippet_f1
        row = {"pages": len(pages), "about": SETS[name],
               "metric": "article-body F1 (4-shingles)" if score is body_f1 else "snippet F1",
               "f1": {system: round(score(args.data, run["outputs"][system]), 4) for system in systems}}
        report["sets"][name] = row | speed_row(run)
        for clock in ("wall", "cpu"):
            for system in systems:
                total[clock][system] += run[clock][system]
        total["timed_pages"] += run["timed_pages"]
    report["all_pages"] = {"sets": present} | speed_row(total)
    ours_with_setup = total["wall"]["ours"] + setup
    report["all_pages"]["ratio_with_setup"] = round(total["wall"]["trafilatura"] / ours_with_setup, 3)

    lines = [f"{'page set':<30} {'pages':>5} {'ours p/s':>9} {'traf p/s':>9} {'ratio':>6} {'cpu ratio':>9} "
             f"{'F1 ours':>8} {'F1 traf':>8}"]
    for name, row in report["sets"].items():
        lines.append(f"{name:<30} {row['timed_pages']:>5} {row['wall_pages_per_s']['ours']:>9.1f} "
                     f"{row['wall_pages_per_s']['trafilatura']:>9.1f} {row['wall_ratio']:>6.3f} {row['cpu_ratio']:>9.3f} "
                     f"{row['f1']['ours']:>8.4f} {row['f1']['trafilatura']:>8.4f}")
    row = report["all_pages"]
    lines.append(f"{'all pages':<30} {row['timed_pages']:>5} {row['wall_pages_per_s']['ours']:>9.1f} "
                 f"{row['wall_pages_per_s']['trafilatura']:>9.1f} {row['wall_ratio']:>6.3f} {row['cpu_ratio']:>9.3f}")
    lines.append(f"one-off setup (dateparser locale tables) {setup:.2f} s, not in the rows above; "
                 f"with it: ratio {report['all_pages']['ratio_with_setup']:.3f}")
    print("\n".join(lines))
    if profile is not None:
        print("(profiled run: our pages/s above are slowed by cProfile; the ratio is not the figure)")
        buffer = io.StringIO()
        pstats.Stats(profile, stream=buffer).sort_stats("cumulative").print_stats(30)
        print(buffer.getvalue())
        stats = pstats.Stats(profile).stats  # (file, line, function) -> (cc, nc, tottime, cumtime, callers)
        top = sorted(stats.items(), key=lambda item: -item[1][3])[:25]
        report["profile_top_cumulative"] = [
            {"function": f"{Path(f).name}:{line}({func})", "calls": nc, "cumulative_s": round(ct, 3),
             "share_of_ours": round(ct / total["cpu"]["ours"], 3) if total["cpu"]["ours"] else None}
            for (f, line, func), (_cc, nc, _tt, ct, _callers) in top]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
