"""Stance: attitude towards a marked actor on labelled news sentences, symmetry of the scorer with the
names the entity stage finds, and loaded terms on state-media text.

1. **Attitude** (bench/data/stance/gold_{en,ar,fa}.jsonl, NTREX-128, in the repository): each sentence is
   scored as ``newsgraph stance`` scores it, with every entity mention the pipeline's entity stage finds
   masked, plus the marked actor (stance always masks the actor, whose mention led to the sentence);
   loaded terms are masked by the scorer itself. ≥ 0.05 is positive, ≤ −0.05 negative, else neutral
   (VADER's thresholds, as in the stance view). Accuracy and macro-F1 over the three labels, on dev and
   test (split declared in the gold README before scoring). Also shown: the same scorer with only the
   actor masked, and the majority label ("neutral") as a floor.
2. **Symmetry with found names** (tests/data/symmetric/pairs_*.jsonl): the pytest check masks the swapped
   names from the pair file; here the masks are the mentions the entity stage finds in each side (plus
   the first swapped name, the marked actor), which is what happens in a store. Pairs whose scores
   differ by more than 0.05 are the ones where the tagger found a name on one side and not the other.
3. **Loaded terms on state media** (needs ../shared/data, skipped when absent): loaded terms per 1,000
   words by category on the first 300 Fars News articles (fa), SaudiNewsNet articles (ar) and PTC dev
   articles (en).

    python bench/stance.py            # writes bench/results/stance.json
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
GOLD = ROOT / "bench" / "data" / "stance"
PAIRS = ROOT / "tests" / "data" / "symmetric"
OUT = ROOT / "bench" / "results" / "stance.json"
LABELS = ("positive", "negative", "neutral")
THRESHOLD = 0.05
NOTES = [
    "Gold: 151 attitude labels given once on the English NTREX-128 sentence by one annotator (the session that "
    "wrote the code, before scoring) and carried to the human ar/fa translations; dev/test split by document "
    "declared before scoring. Nothing was tuned on these figures: the lexicon changes of issue #13 (names and "
    "framing words out, masking) were made before the gold existed; test was scored once.",
    "For reference, the scorer before issue #13 (sentiment-1: names and framing words scored, no masks) on the same "
    "items, accuracy / macro-F1: en dev 0.453 / 0.447, test 0.446 / 0.419; ar dev 0.482 / 0.432, test 0.460 / 0.332; "
    "fa dev 0.451 / 0.335, test 0.435 / 0.294. Masking is about neutrality (the symmetric pairs), not accuracy: "
    "the attitude figures barely move, and in Arabic dev they drop (words that are also names sometimes carried "
    "the sentence's tone).",
    "The bench was run twice: after the first run, the loaded-term lexicon lost false positives seen on the "
    "state-media sample (Arabic عميل/عملاء as 'clients', شهادة as 'certificate'; Persian جهاد کشاورزی, a "
    "ministry); the attitude figures were identical in both runs.",
    "The scorer is sentence sentiment (VADER / ar-fa lexicons) on the words left after masking names and loaded "
    "terms; it does not know which actor the attitude is about, so a sentence criticising A about B counts "
    "against B too. Relations (praise, criticize …) are the other half of the stance view and are not scored here.",
]


def predict(score: float) -> str:
    return "positive" if score >= THRESHOLD else "negative" if score <= -THRESHOLD else "neutral"


def metrics(gold: list[str], pred: list[str]) -> dict:
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label != g for g, p in zip(gold, pred))
        fn = sum(g == label != p for g, p in zip(gold, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"n": len(gold), "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 3),
            "macro_f1": round(sum(f1s) / len(f1s), 3),
            "confusion": dict(Counter(f"{g}->{p}" for g, p in zip(gold, pred)))}


def found_names(text: str, lang: str) -> list[tuple[int, int]]:
    """The spans the pipeline's entity stage finds in ``text`` (one paragraph, one language)."""
    from newsgraph.enrich.entities import find_mentions
    from newsgraph.model import Article, Paragraph

    article = Article("bench", "bench", "bench", 0, text, [Paragraph(0, len(text), 0, len(text), lang)], lang=lang)
    return [(m.start, m.end) for m in find_mentions(article)]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def attitude() -> dict:
    from newsgraph.enrich.sentiment import sentiment

    out = {}
    for lang in ("en", "ar", "fa"):
        items = read_jsonl(GOLD / f"gold_{lang}.jsonl")
        preds = {"names_masked": [], "actor_only_masked": []}
        for item in items:
            actor = tuple(item["actor_span"])
            preds["names_masked"].append(predict(sentiment(item["text"], lang, found_names(item["text"], lang) + [actor])))
            preds["actor_only_masked"].append(predict(sentiment(item["text"], lang, [actor])))
        out[lang] = {}
        for split in ("dev", "test"):
            keep = [i for i, item in enumerate(items) if item["split"] == split]
            gold = [items[i]["label"] for i in keep]
            out[lang][split] = {name: metrics(gold, [p[i] for i in keep]) for name, p in preds.items()}
            out[lang][split]["majority_neutral"] = metrics(gold, ["neutral"] * len(gold))
    return out


def symmetry() -> dict:
    from newsgraph.enrich.sentiment import sentiment

    out = {}
    for lang in ("en", "ar", "fa"):
        pairs = read_jsonl(PAIRS / f"pairs_{lang}.jsonl")
        unequal = []
        for pair in pairs:
            a = sentiment(pair["a"], lang, found_names(pair["a"], lang) + [tuple(pair["a_spans"][0])])
            b = sentiment(pair["b"], lang, found_names(pair["b"], lang) + [tuple(pair["b_spans"][0])])
            if abs(a - b) > THRESHOLD:
                unequal.append({"id": pair["id"], "a": round(a, 3), "b": round(b, 3)})
        out[lang] = {"pairs": len(pairs), "equal": len(pairs) - len(unequal), "unequal": unequal[:10]}
    return out


def state_media_texts(limit: int = 300) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    fars = SHARED / "data" / "fa-news-farsnews-varzesh3" / "fars-news-1.json.gz"
    if fars.exists():
        with gzip.open(fars, "rt", encoding="utf-8") as fh:
            texts["fa (Fars News)"] = ["\n".join([a.get("abstract") or ""] + [p if isinstance(p, str) else str(p)
                                                                         for p in a.get("paragraphs") or []])
                                       for a in json.load(fh)[:limit]]
    saudi = SHARED / "data" / "saudinewsnet-ar" / "dataset" / "2015-07-21.zip"
    if saudi.exists():
        with zipfile.ZipFile(saudi) as z:
            texts["ar (SaudiNewsNet)"] = [a["content"] for a in json.loads(z.read(z.namelist()[0]))[:limit]]
    ptc = SHARED / "data" / "semeval2020-task11-ptc" / "dev-articles"
    if ptc.is_dir():
        texts["en (PTC dev)"] = [p.read_text(encoding="utf-8") for p in sorted(ptc.glob("*.txt"))[:limit]]
    return texts


def loaded_on_state_media() -> dict:
    from newsgraph.enrich.loaded_terms import find_loaded_terms

    out = {}
    for name, texts in state_media_texts().items():
        lang = name.split()[0]
        counts: Counter = Counter()
        terms: Counter = Counter()
        words = 0
        for text in texts:
            words += len(text.split())
            for hit in find_loaded_terms(text, lang):
                counts[hit.category] += 1
                terms[hit.term] += 1
        out[name] = {"articles": len(texts), "words": words,
                     "per_1000_words": {c: round(1000 * n / words, 2) for c, n in counts.most_common()},
                     "top_terms": dict(terms.most_common(12))}
    return out


def main() -> None:
    started = time.time()
    results = {"attitude": attitude(), "symmetry_with_found_names": symmetry()}
    loaded = loaded_on_state_media()
    results["loaded_terms_on_state_media"] = loaded or "skipped: ../shared/data not present"
    results["notes"] = NOTES
    results["seconds"] = round(time.time() - started, 1)
    for lang, splits in results["attitude"].items():
        for split, scores in splits.items():
            line = "  ".join(f"{name}: acc {s['accuracy']:.3f} macro-F1 {s['macro_f1']:.3f}" for name, s in scores.items())
            print(f"{lang} {split:4} (n={scores['names_masked']['n']}) {line}")
    for lang, s in results["symmetry_with_found_names"].items():
        print(f"{lang} symmetric pairs, masks = names the entity stage finds: {s['equal']}/{s['pairs']} equal")
    for name, s in loaded.items():
        print(f"{name}: {s['articles']} articles, loaded terms per 1,000 words {s['per_1000_words']}")
    if not loaded:
        print("loaded terms on state media: skipped (../shared/data not present)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
