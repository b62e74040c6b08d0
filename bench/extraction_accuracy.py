#!/usr/bin/env python3
"""Main-text extraction accuracy: newsgraph's HTML extractor against plain trafilatura.

Two gold sets, read from outside the repository (``--data``, default
``../shared/data`` next to the repo root):

* ``article-extraction-benchmark/`` (Zyte/Scrapinghub, 181 pages): article-body
  precision / recall / F1 as that benchmark defines them. Both texts are cut
  into ``\\w+`` tokens; each page is scored on 4-token shingle counts
  (TP = shared shingles, FP = extra predicted, FN = missing), normalised by
  the page's TP+FP+FN so every page weighs the same; precision and recall are
  averaged over pages and F1 is the harmonic mean of the two averages;
  accuracy is the share of pages whose token sequence equals the gold.
  Standard deviations come from a bootstrap over pages.
* ``trafilatura-eval-en-ar/`` (145 pages): "with" snippets that must appear in
  the whitespace-normalised output (TP, else FN) and "without" snippets that
  must not (FP if found, else TN), pooled over all pages.

Our system's output for a page is its paragraphs joined by blank lines. It
also reports provenance health: paragraphs trafilatura extracted that could
not be tied to a source span (dropped), and round-trip failures
(``markup_to_text(html[start:end]) != text``), which must be 0.

Usage::

    python bench/extraction_accuracy.py [--data DIR] [--ablations] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "extraction_accuracy.json"


def load_extractor():
    """newsgraph.segment.html (the bench runs from a checkout, so src/ goes on the path)."""
    sys.path.insert(0, str(REPO / "src"))
    from newsgraph.segment import html as module

    return module


# --- systems ----------------------------------------------------------------------


class OurExtractor:
    """newsgraph's extract_html; keeps provenance counters while it runs."""

    def __init__(self, module, settings: tuple[dict, int] | None = None):
        self.module = module
        self.settings = settings  # (trafilatura options, retry threshold) overriding the module's
        self.unlocated = 0
        self.paragraphs = 0
        self.roundtrip_failures = 0

    def __call__(self, html: str) -> str:
        if self.settings is None:
            extraction = self.module.extract_html(html)
        else:
            saved = self.module.TRAFILATURA_OPTIONS, self.module.RETRY_BELOW_CHARS
            self.module.TRAFILATURA_OPTIONS, self.module.RETRY_BELOW_CHARS = self.settings
            try:
                extraction = self.module.extract_html(html)
            finally:
                self.module.TRAFILATURA_OPTIONS, self.module.RETRY_BELOW_CHARS = saved
        self.unlocated += extraction.unlocated
        self.paragraphs += len(extraction.paragraphs)
        for para in extraction.paragraphs:
            if self.module.markup_to_text(html[para.start : para.end]) != " ".join(para.text.split()):
                self.roundtrip_failures += 1
        return "\n\n".join(para.text for para in extraction.paragraphs)

    def reset(self) -> None:
        self.unlocated = self.paragraphs = self.roundtrip_failures = 0

    def health(self) -> dict:
        return {"paragraphs": self.paragraphs, "unlocated_dropped": self.unlocated,
                "roundtrip_failures": self.roundtrip_failures}


def pipeline(html: str) -> str:
    """What `newsgraph analyze` stores for the page: extract_html, then the segmenter's rules
    (title, captions, teasers, related lists, comment forms) and article cuts."""
    from newsgraph.model import SourceDocument, content_hash
    from newsgraph.segment import NoTextError, segment_document

    doc = SourceDocument(content_hash(html), "bench", "bench", None, "html", "utf-8", html)
    try:
        articles = segment_document(doc)
    except NoTextError:
        return ""
    return "\n\n".join(article.text for article in articles)


def baseline(html: str) -> str:
    """Plain trafilatura, as the article-extraction benchmark runs it."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


# Configurations of our extractor tried while tuning (``--ablations``): each sets
# the module's trafilatura options and the balanced-mode retry threshold.
ABLATIONS = {
    "balanced (trafilatura defaults)": ({"favor_precision": False}, 0),
    "balanced, no tables": ({"favor_precision": False, "include_tables": False}, 0),
    "favor_recall": ({"favor_precision": False, "favor_recall": True}, 0),
    "fast (no fallback extractors)": ({"favor_precision": False, "fast": True}, 0),
    "favor_precision": ({"favor_precision": True}, 0),
    "favor_precision + fast": ({"favor_precision": True, "fast": True}, 0),
    "favor_precision + deduplicate": ({"favor_precision": True, "deduplicate": True}, None),
    "favor_precision + balanced retry (default)": ({"favor_precision": True}, None),
}


def ablation_system(module, options: dict, retry_below: int | None) -> OurExtractor:
    """Our extractor with some trafilatura options / the retry threshold overridden."""
    settings = {**DEFAULT_SETTINGS[0], **options}
    return OurExtractor(module, (settings, DEFAULT_SETTINGS[1] if retry_below is None else retry_below))


DEFAULT_SETTINGS: tuple[dict, int] = ({}, 0)


# --- article-extraction-benchmark metric (reimplemented from its definition) -------

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_counts(true: str, pred: str) -> tuple[float, float, float]:
    """Page-normalised (TP, FP, FN) over 4-token shingle counts."""
    gold, got = _shingles(true), _shingles(pred)
    tp = sum((gold & got).values())
    fp = sum((got - gold).values())
    fn = sum((gold - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def body_scores(counts: list[tuple[float, float, float]]) -> dict:
    """Macro precision/recall over pages, F1 of the two averages."""
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def bootstrap_sd(counts: list, accuracies: list[float], n: int, seed: int = 0) -> dict:
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(n):
        idx = [rng.randrange(len(counts)) for _ in counts]
        scores = body_scores([counts[i] for i in idx])
        scores["accuracy"] = statistics.mean(accuracies[i] for i in idx)
        for key, value in scores.items():
            samples.setdefault(key, []).append(value)
    return {f"{key}_sd": statistics.stdev(values) if len(values) > 1 else 0.0 for key, values in samples.items()}


def article_benchmark(data: Path, systems: dict, n_bootstrap: int, limit: int | None) -> dict:
    folder = data / "article-extraction-benchmark"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    pages = {item: gzip.open(folder / "html" / f"{item}.html.gz", "rt", encoding="utf-8").read() for item in ids}
    results = {}
    for name, system in systems.items():
        counts, accuracies = [], []
        getattr(system, "reset", lambda: None)()
        started = time.perf_counter()
        outputs = {item: _safe(system, html) for item, html in pages.items()}
        elapsed = time.perf_counter() - started
        for item in ids:
            truth, pred = gold[item].get("articleBody", ""), outputs[item]
            counts.append(shingle_counts(truth, pred))
            accuracies.append(float(_TOKEN.findall(truth) == _TOKEN.findall(pred)))
        row = body_scores(counts) | {"accuracy": statistics.mean(accuracies)}
        row |= bootstrap_sd(counts, accuracies, n_bootstrap) if n_bootstrap > 1 else {}
        row |= {"pages": len(ids), "seconds": elapsed, "pages_per_s": len(ids) / elapsed if elapsed else 0.0}
        row |= system.health() if hasattr(system, "health") else {}
        results[name] = row
        print(f"  article-extraction-benchmark  {name}: F1 {row['f1']:.4f}", file=sys.stderr, flush=True)
    return results


# --- trafilatura evaluation snippets ------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("utf-8", "replace")


def snippet_benchmark(data: Path, systems: dict, limit: int | None) -> dict:
    folder = data / "trafilatura-eval-en-ar"
    items = json.loads((folder / "evaldata-en-ar.json").read_text(encoding="utf-8"))
    urls = sorted(items)[:limit] if limit else sorted(items)
    pages = {url: _decode(gzip.open(folder / "html" / items[url]["file"]).read()) for url in urls}
    results = {}
    for name, system in systems.items():
        tp = fp = fn = tn = 0
        getattr(system, "reset", lambda: None)()
        started = time.perf_counter()
        outputs = {url: _norm(_safe(system, html)) for url, html in pages.items()}
        elapsed = time.perf_counter() - started
        for url in urls:
            item, output = items[url], outputs[url]
            found = sum(_norm(s) in output for s in item["with"])
            leaked = sum(_norm(s) in output for s in item["without"])
            tp, fn = tp + found, fn + len(item["with"]) - found
            fp, tn = fp + leaked, tn + len(item["without"]) - leaked
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        row = {"precision": precision, "recall": recall,
               "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
               "accuracy": (tp + tn) / (tp + fp + fn + tn) if tp + fp + fn + tn else 0.0,
               "tp": tp, "fp": fp, "fn": fn, "tn": tn, "pages": len(urls), "seconds": elapsed,
               "pages_per_s": len(urls) / elapsed if elapsed else 0.0}
        row |= system.health() if hasattr(system, "health") else {}
        results[name] = row
        print(f"  trafilatura-eval-en-ar        {name}: F1 {row['f1']:.4f}", file=sys.stderr, flush=True)
    return results


def _safe(system, html: str) -> str:
    """A crash counts as empty output (a full miss), as in both upstream evaluations."""
    try:
        return system(html) or ""
    except Exception as exc:  # noqa: BLE001 - scored, reported, never fatal
        print(f"  ! {getattr(system, '__name__', type(system).__name__)} raised {exc!r}", file=sys.stderr)
        return ""


# --- report -------------------------------------------------------------------------


def table(title: str, rows: dict, extra: str) -> str:
    lines = [title, f"  {'system':<46} {'F1':>15} {'precision':>15} {'recall':>15} {'accuracy':>9} {'pages/s':>8}  {extra}"]
    for name, row in rows.items():
        def cell(key):
            sd = row.get(f"{key}_sd")
            return f"{row[key]:.4f} ± {sd:.4f}" if sd is not None else f"{row[key]:.4f}"
        detail = (f"dropped {row['unlocated_dropped']}/{row['paragraphs'] + row['unlocated_dropped']}, "
                  f"round-trip fails {row['roundtrip_failures']}") if "paragraphs" in row else "-"
        if "tp" in row:
            detail = f"tp {row['tp']} fp {row['fp']} fn {row['fn']} tn {row['tn']}; " + detail
        lines.append(f"  {name:<46} {cell('f1'):>15} {cell('precision'):>15} {cell('recall'):>15} "
                     f"{row['accuracy']:>9.4f} {row['pages_per_s']:>8.1f}  {detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder holding article-extraction-benchmark/ and trafilatura-eval-en-ar/")
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set (smoke runs)")
    parser.add_argument("--ablations", action="store_true", help="also score the configurations tried while tuning")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"extraction_accuracy: data directory {args.data} not found; nothing to evaluate (pass --data DIR).")
        return 0
    import logging

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its per-page warnings drown the table
    module = load_extractor()
    global DEFAULT_SETTINGS
    DEFAULT_SETTINGS = (dict(module.TRAFILATURA_OPTIONS), module.RETRY_BELOW_CHARS)

    import trafilatura

    systems: dict = {"newsgraph extract_html": OurExtractor(module)}
    try:
        import newsgraph.segment  # noqa: F401  (the whole package, not just html.py)

        systems["newsgraph analyze (extract_html + segment rules)"] = pipeline
    except ImportError as exc:
        print(f"newsgraph package not importable ({exc}): pipeline row skipped")
    systems[f"baseline trafilatura.extract {trafilatura.__version__}"] = baseline
    report: dict = {"trafilatura_version": trafilatura.__version__,
                    "settings": {"trafilatura_options": DEFAULT_SETTINGS[0], "retry_below_chars": DEFAULT_SETTINGS[1],
                                 "retry_min_gain": module.RETRY_MIN_GAIN}}
    blocks = []
    if (args.data / "article-extraction-benchmark").is_dir():
        report["article_extraction_benchmark"] = article_benchmark(args.data, systems, args.n_bootstrap, args.limit)
        blocks.append(table("article-extraction-benchmark (article body, 4-shingle P/R/F1 macro over pages, ± bootstrap SD)",
                            report["article_extraction_benchmark"], "provenance"))
    else:
        print("article-extraction-benchmark/ not found: skipped")
    if (args.data / "trafilatura-eval-en-ar").is_dir():
        report["trafilatura_eval_en_ar"] = snippet_benchmark(args.data, systems, args.limit)
        blocks.append(table("trafilatura-eval-en-ar (with/without snippets, pooled)",
                            report["trafilatura_eval_en_ar"], "snippets; provenance"))
    else:
        print("trafilatura-eval-en-ar/ not found: skipped")

    if args.ablations and (args.data / "article-extraction-benchmark").is_dir():
        variants = {name: ablation_system(module, options, retry) for name, (options, retry) in ABLATIONS.items()}
        report["ablations_article_extraction_benchmark"] = article_benchmark(args.data, variants, 0, args.limit)
        blocks.append(table("configurations tried (article-extraction-benchmark)",
                            report["ablations_article_extraction_benchmark"], "provenance"))
    if args.ablations and (args.data / "trafilatura-eval-en-ar").is_dir():
        variants = {name: ablation_system(module, options, retry) for name, (options, retry) in ABLATIONS.items()}
        report["ablations_trafilatura_eval_en_ar"] = snippet_benchmark(args.data, variants, args.limit)
        blocks.append(table("configurations tried (trafilatura-eval-en-ar)",
                            report["ablations_trafilatura_eval_en_ar"], "snippets; provenance"))

    print("\n\n".join(blocks))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
