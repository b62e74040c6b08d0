"""English speed: the whole newsgraph pipeline beside one full en_core_web_sm pass, in one run.

The same PTC news articles (the first ``--articles`` of PTC dev, sorted by name) go through

- ``spacy``: en_core_web_sm with every component, one ``nlp.pipe`` pass over the article texts
  (the reference: what any spaCy-based tool pays at least);
- ``stages``: ``newsgraph.pipeline.process_document`` on each article (segmentation and every
  stage of the default pipeline), in this process;
- ``analyze``: ``newsgraph.pipeline.analyze`` into a fresh store (adds SQLite writes and entity
  resolution), one worker, in this process;
- ``analyze --workers 2``: the same, two worker processes (forked from this warm process, so
  model loading is not counted).

Models are loaded and warmed before any timing. The single-core figures are CPU time of this
process (``time.process_time``: the machine is shared, and wall time counts the others' load);
the two-worker figure compares wall times, measured alternately with the one-worker wall time.
Each measurement is repeated ``--rounds`` times, interleaved, and the fastest kept.

    python bench/english_speed.py [--articles 60] [--rounds 2] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
PTC = SHARED / "data" / "semeval2020-task11-ptc" / "dev-articles"
sys.path.insert(0, str(ROOT / "src"))


def article_paths(count: int) -> list[Path]:
    return sorted(PTC.glob("*.txt"))[:count]


def source_documents(paths: list[Path]):
    from newsgraph.ingest.readers import read_documents
    from newsgraph.model import SourceDocument

    return [d for p in paths for d in read_documents(p) if isinstance(d, SourceDocument)]


def spacy_pass(nlp, texts: list[str]) -> int:
    return sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))


def stages_pass(pipeline, docs) -> int:
    from newsgraph.pipeline import process_document

    articles = 0
    for doc in docs:  # nothing kept: like analyze, which stores each batch and lets it go
        outcome = process_document(pipeline, doc)
        if not isinstance(outcome, list):
            raise SystemExit(f"pipeline failed on {doc.source}: {outcome}")
        articles += len(outcome)
    return articles


def analyze_pass(directory: Path, workers: int) -> int:
    from newsgraph.pipeline import analyze

    work = Path(tempfile.mkdtemp(prefix="ng-en-speed-"))
    try:
        result = analyze([str(directory)], work / "bench.db", workers=workers)
        if result.errors or result.rejected:
            raise SystemExit(f"analyze: {result.counts}")
        return result.articles
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _forget_parses() -> None:
    try:
        from newsgraph.enrich import english
    except ImportError:  # a version before the shared parse (run from a checkout of it: the "before" figures)
        from newsgraph.enrich import quotes_en

        quotes_en._PARSED.clear()
        return
    english.forget()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn, *args) -> tuple[float, float, float]:
    """(CPU seconds of this process, wall seconds, CPU seconds of the worker processes it ended),
    with no parse kept from an earlier pass."""
    _forget_parses()
    cpu, wall, children = time.process_time(), time.perf_counter(), _children_cpu()
    fn(*args)
    return time.process_time() - cpu, time.perf_counter() - wall, _children_cpu() - children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="write a cProfile of one stages pass here (no timing run)")
    parser.add_argument("--no-workers", action="store_true", help="skip the two-worker measurement")
    parser.add_argument("--workers-only", action="store_true", help="only the one- and two-worker analyze passes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "english_speed.json")
    args = parser.parse_args()
    if not PTC.is_dir():
        raise SystemExit(f"{PTC} not found")
    import spacy

    from newsgraph.enrich.quotes_en import SPACY_MODEL
    from newsgraph.pipeline import default_pipeline

    paths = article_paths(args.articles)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    docs = source_documents(paths)
    corpus = Path(tempfile.mkdtemp(prefix="ng-en-corpus-"))
    for p in paths:
        shutil.copy(p, corpus / p.name)
    nlp = spacy.load(SPACY_MODEL)
    pipeline = default_pipeline()
    spacy_pass(nlp, texts[:3])  # warm: load every model once, outside the timings
    stages_pass(pipeline, docs[:3])
    if args.profile:
        _forget_parses()
        profiler = cProfile.Profile()
        profiler.enable()
        stages_pass(pipeline, docs)
        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(45)
        return
    chars = sum(len(t) for t in texts)
    best: dict[str, tuple[float, float, float]] = {}

    def keep(name: str, value: tuple[float, float, float]) -> None:
        old = best.get(name)
        best[name] = value if old is None else (min(old[0], value[0]), min(old[1], value[1]), min(old[2], value[2]))

    for _ in range(args.rounds):
        if not args.workers_only:
            keep("spacy", timed(spacy_pass, nlp, texts))
            keep("stages", timed(stages_pass, pipeline, docs))
        keep("analyze", timed(analyze_pass, corpus, 1))
        if not args.no_workers:
            keep("analyze_w2", timed(analyze_pass, corpus, 2))
    shutil.rmtree(corpus, ignore_errors=True)
    n = len(texts)
    rows = {}
    for name, (cpu, wall, workers_cpu) in best.items():
        rows[name] = {"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "workers_cpu_s": round(workers_cpu, 2),
                      "articles_per_cpu_s": round(n / cpu, 2) if cpu > 0.05 else None,
                      "articles_per_wall_s": round(n / wall, 2),
                      # CPU seconds of this process and its workers per wall second: two workers can only beat
                      # one when they get more CPU, which a machine busy with other sessions does not give
                      # (Linux shares CPU between sessions first: kernel.sched_autogroup_enabled)
                      "cores_used": round((cpu + workers_cpu) / wall, 2)}
    result: dict[str, object] = {
        "articles": n, "characters": chars, "source": "PTC dev-articles (first by name)", "rounds": args.rounds,
        "cores": os.cpu_count(), "load_average": [round(x, 1) for x in os.getloadavg()],
        "timings": rows}
    if "spacy" in best:  # single core: CPU seconds of the full spaCy pass / CPU seconds of newsgraph (higher is faster)
        result["stages_vs_spacy"] = round(best["spacy"][0] / best["stages"][0], 3)
        result["analyze_vs_spacy"] = round(best["spacy"][0] / best["analyze"][0], 3)
    if "analyze_w2" in best:  # wall: one worker / two workers
        result["workers2_vs_workers1"] = round(best["analyze"][1] / best["analyze_w2"][1], 3)
    print(f"{'pass':<12} {'CPU s':>7} {'workers CPU s':>14} {'wall s':>7} {'articles/CPU s':>15} {'articles/wall s':>16}"
          f" {'cores used':>11}")
    for name, r in rows.items():
        print(f"{name:<12} {r['cpu_s']:>7} {r['workers_cpu_s']:>14} {r['wall_s']:>7} {r['articles_per_cpu_s']!s:>15} "
              f"{r['articles_per_wall_s']:>16} {r['cores_used']:>11}")
    print("   ".join(f"{key}: {result[key]}×" for key in ("stages_vs_spacy", "analyze_vs_spacy", "workers2_vs_workers1")
                       if key in result) + f"   load {result['load_average']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
