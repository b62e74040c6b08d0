"""Train the Arabic span tagger ``si-ar`` shipped in the research distribution (``research-models/src/newsgraph_research_models/data/techniques/``).

    nice -n 19 python -m newsgraph.train.techniques_ar --data ../shared/data --out research-models/src/newsgraph_research_models/data/techniques/

Training data (the ArPro *train* split is not available here):

* ArPro V2 **dev** (``arpro/ArMPro_span_dev_V2.jsonl``, 672 news paragraphs, CC BY-NC-SA 4.0);
* the 249 tweets of ArAIEval 2024 task 1 dev (``araieval24-task1``; its 672 paragraphs are the ArPro dev ones,
  read once); tweet spans whose offsets are shifted are re-anchored on their text;
* the Arabic translations of PTC spans (``arabic-ptc-translated-spans``, CC0): not as sequences (measured
  worse) but as a cue lexicon, stems much more frequent in those spans than in Arabic news (NTREX-128 ar).

ArPro **test** is the benchmark: it is read here only to check that no training text occurs in it.
One IO-label CRF per technique (python-crfsuite, L-BFGS, deterministic). Everything is chosen by 5-fold
cross-validation on the training items (folds grouped by ArPro page, so paragraphs of one article stay
together; scored on the news paragraphs, the genre of the test set, with the ArAIEval 2024 scorer):
which techniques get a model (CV F1 >= ``MIN_CV_F1``) and each technique's marginal threshold.
The shipped CRFs are then fit on all items. Settings compared by the same CV while building this (paragraph
micro-F1 of LL + NC + EM): char 3/4-grams +0.007; PTC cues as graded scores -0.007 vs binary, translated
fragments as extra sequences -0.02; a paragraph classifier feature (+ ArAIEval 2023 paragraphs) and
ArAIEval 2023 paragraphs as negative-only sequences: within +-0.003, not kept; c1 0.05 best of 0.05-1.0.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from newsgraph.enrich.techniques_features import hysteresis_runs
from newsgraph.enrich.techniques_features_ar import (
    FEATURES_VERSION,
    CueScores,
    crf_features,
    light_stem,
    rule_tags_of,
    tokens_with_offsets,
)
from newsgraph.enrich.techniques_scoring import araieval_prf
from newsgraph.text.normalize import normalize_for_search

CANDIDATES = ("Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation", "Questioning_the_Reputation",
              "Obfuscation-Vagueness-Confusion", "Causal_Oversimplification", "Doubt", "Appeal_to_Authority",
              "Flag_Waving", "Slogans", "Appeal_to_Fear-Prejudice")  # the techniques with >= 10 dev spans
CUE_TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation", "Doubt",
                  "Appeal_to_Fear-Prejudice", "Flag_Waving")
THRESHOLDS = (0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.4)
GROW = 0.5  # a run grows into neighbours with P >= threshold * GROW (0.35-1.0 within 0.002 F1 on CV)
MIN_CV_F1 = 0.1
C1, C2, ITERATIONS = 0.05, 0.01, 100
PTC_TO_ARPRO = {  # unmerged PTC labels of the translated spans -> SemEval-2023 names
    "Appeal_to_Authority": "Appeal_to_Authority", "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon": "Appeal_to_Popularity", "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification", "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation", "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language", "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Obfuscation,Intentional_Vagueness,Confusion": "Obfuscation-Vagueness-Confusion",
    "Red_Herring": "Red_Herring", "Reductio_ad_hitlerum": "Guilt_by_Association", "Repetition": "Repetition",
    "Slogans": "Slogans", "Straw_Men": "Straw_Man", "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism": "Whataboutism",
}


def slug(technique: str) -> str:
    return re.sub(r"[^a-z]+", "-", technique.lower()).strip("-")


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip()


def _reanchor(text: str, start: int, end: int, span: str) -> tuple[int, int] | None:
    """Offsets of ``span`` in ``text``: as given when they match, else its occurrence nearest ``start``."""
    if text[start:end] == span:
        return start, end
    places = [m.start() for m in re.finditer(re.escape(span), text)]
    if not places:
        return None
    best = min(places, key=lambda p: abs(p - start))
    return best, best + len(span)


def training_items(root: Path) -> list[dict]:
    """ArPro dev paragraphs and ArAIEval 2024 dev tweets: id, group (page), text, kind, labels."""
    items = []
    for line in (root / "arpro" / "ArMPro_span_dev_V2.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        items.append({"id": r["paragraph_id"], "group": r["page_id"], "text": r["paragraph"], "kind": "paragraph",
                      "labels": [(x["start"], x["end"], x["technique"]) for x in r["labels"]]})
    seen = {it["id"] for it in items}
    for line in (root / "araieval24-task1" / "araieval24_task1_dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["id"] in seen:
            continue
        labels = []
        for x in r["labels"]:
            where = _reanchor(r["text"], x["start"], x["end"], x["text"])
            if where:
                labels.append((where[0], where[1], x["technique"]))
        items.append({"id": r["id"], "group": "tweet:" + r["id"], "text": r["text"], "kind": r["type"], "labels": labels})
    return items


def assert_disjoint_from_test(root: Path, items: list[dict]) -> int:
    """No training text (compared without punctuation and spacing) is an ArPro test paragraph."""
    test = {_squash(json.loads(line)["paragraph"])
            for line in (root / "arpro" / "ArMPro_span_test_V2.jsonl").read_text(encoding="utf-8").splitlines()}
    shared = sum(_squash(it["text"]) in test for it in items)
    if shared:
        raise SystemExit(f"{shared} training items occur in ArPro test")
    return len(test)


def cue_scores(root: Path, min_count: int = 2) -> CueScores:
    """Per technique, stems whose smoothed log-odds of occurring in translated PTC spans of that technique
    rather than in Arabic news sentences (NTREX-128) is positive."""
    spans: dict[str, Counter[str]] = defaultdict(Counter)
    for name in ("Dev.txt", "Test.txt"):
        with open(root / "arabic-ptc-translated-spans" / name, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[0] == "id" or row[2].strip() not in PTC_TO_ARPRO:
                    continue
                for token, _, _ in tokens_with_offsets(row[1]):
                    spans[PTC_TO_ARPRO[row[2].strip()]][light_stem(normalize_for_search(token))] += 1
    news: Counter[str] = Counter()
    for line in (root / "ntrex128-en-ar-fa" / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines():
        news.update(light_stem(normalize_for_search(t)) for t, _, _ in tokens_with_offsets(line))
    n_news = sum(news.values())
    out: CueScores = {}
    for technique in CUE_TECHNIQUES:
        counts = spans[technique]
        n, vocab = sum(counts.values()), len(set(counts) | set(news))
        table = {}
        for stem, k in counts.items():
            if k >= min_count and any(ch.isalpha() for ch in stem):
                score = math.log((k + 1) / (n + vocab)) - math.log((news[stem] + 1) / (n_news + vocab))
                if score > 0:
                    table[stem] = round(score, 2)
        out[technique] = dict(sorted(table.items()))
    return out


def item_features(text: str, cues: CueScores, kind: str = "paragraph"):
    """Tokens and CRF features of one text, exactly as the runtime tagger computes them."""
    from newsgraph.enrich.techniques_rules import rule_hits

    toks = tokens_with_offsets(text)
    hits = [(s, e, t) for s, e, t, _, _ in rule_hits(text, "ar")]
    return toks, crf_features([t for t, _, _ in toks], rule_tags_of(text, toks, hits), cues, kind)


def io_labels(toks, labels, technique: str) -> list[str]:
    inside = np.zeros(len(toks) and toks[-1][2] + 1, dtype=bool)
    for s, e, t in labels:
        if t == technique:
            inside[s:e] = True
    return ["I" if inside[a:b].any() else "O" for _, a, b in toks]


def fit(seqs, items, technique: str, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for (toks, feats), it in zip(seqs, items):
        if toks:
            trainer.append(feats, io_labels(toks, it["labels"], technique))
    trainer.set_params({"c1": C1, "c2": C2, "max_iterations": ITERATIONS, "feature.possible_transitions": True})
    trainer.train(str(path))


def marginals(path: Path, seqs) -> list[list[float]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    out = []
    for toks, feats in seqs:
        tagger.set(feats)
        out.append([tagger.marginal("I", i) for i in range(len(toks))] if toks else [])
    tagger.close()
    return out


def spans_of(toks, probs: list[float], threshold: float) -> list[tuple[int, int]]:
    return [(toks[a][1], toks[b][2]) for a, b in hysteresis_runs(probs, threshold, threshold * GROW)]


def span_means(probs: list[float], threshold: float) -> list[float]:
    """Mean marginal of every span :func:`spans_of` returns, in the same order."""
    return [float(np.mean(probs[a : b + 1])) for a, b in hysteresis_runs(probs, threshold, threshold * GROW)]


def confidence_bins(spans: list[tuple[float, float]], n_bins: int = 4) -> dict[str, list[float]]:
    """Span confidence = the cross-validated precision of spans with a similar mean marginal: the held-out
    spans ``(mean marginal, precision credit)`` cut into ``n_bins`` equal-count bins by mean marginal."""
    spans = sorted(spans)
    edges, precision = [], []
    for k in range(n_bins):
        part = spans[k * len(spans) // n_bins : (k + 1) * len(spans) // n_bins]
        if part:
            edges.append(round(part[0][0], 4))
            precision.append(round(min(1.0, float(np.mean([c for _, c in part]))), 3))
    return {"lower_edges": edges, "precision": precision}


def precision_credit(span: tuple[int, int], gold: list[tuple[int, int, str]], technique: str) -> float:
    s, e = span
    return sum(max(0, min(e, ge) - max(s, gs)) for gs, ge, t in gold if t == technique) / (e - s)


def page_folds(items: list[dict], k: int = 5) -> list[int]:
    """Fold of every item: pages in sorted order dealt round-robin after a fixed shuffle (seed 0)."""
    groups = sorted({it["group"] for it in items})
    np.random.RandomState(0).shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [fold_of[it["group"]] for it in items]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--out", default="research-models/src/newsgraph_research_models/data/techniques")
    args = parser.parse_args(argv)
    root, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    items = training_items(root)
    n_test = assert_disjoint_from_test(root, items)
    cues = cue_scores(root)
    seqs = [item_features(it["text"], cues, it["kind"]) for it in items]
    folds = page_folds(items)
    paragraphs = [i for i, it in enumerate(items) if it["kind"] == "paragraph"]
    scratch = out / "si-ar-cv.crfsuite"
    chosen: dict[str, dict] = {}
    oof_spans: dict[str, list[list[tuple[int, int]]]] = {}
    for technique in CANDIDATES:
        oof: list[list[float]] = [[] for _ in items]
        for k in range(5):
            train = [i for i in range(len(items)) if folds[i] != k]
            held = [i for i in range(len(items)) if folds[i] == k]
            fit([seqs[i] for i in train], [items[i] for i in train], technique, scratch)
            for i, m in zip(held, marginals(scratch, [seqs[i] for i in held])):
                oof[i] = m
        gold = {items[i]["id"]: [x for x in items[i]["labels"] if x[2] == technique] for i in paragraphs}
        best = (-1.0, 0.0, {})
        for threshold in THRESHOLDS:
            pred = {items[i]["id"]: [(s, e, technique) for s, e in spans_of(seqs[i][0], oof[i], threshold)] for i in paragraphs}
            sc = araieval_prf(pred, gold)
            if sc["f1"] > best[0]:
                best = (sc["f1"], threshold, sc)
        print(f"{technique}: CV {best[2]} at threshold {best[1]}", flush=True)
        if best[0] >= MIN_CV_F1:
            scored = [(m, min(1.0, precision_credit(sp, items[i]["labels"], technique)))
                      for i in paragraphs for sp, m in zip(spans_of(seqs[i][0], oof[i], best[1]), span_means(oof[i], best[1]))]
            chosen[technique] = {"threshold": best[1], "grow": round(best[1] * GROW, 4), "cv": best[2],
                                 "confidence": confidence_bins(scored), "file": f"si-ar-{slug(technique)}.crfsuite"}
            oof_spans[technique] = [spans_of(seqs[i][0], oof[i], best[1]) for i in range(len(items))]
    scratch.unlink(missing_ok=True)
    gold_all = {items[i]["id"]: items[i]["labels"] for i in paragraphs}
    combined = araieval_prf({items[i]["id"]: [(s, e, t) for t in chosen for s, e in oof_spans[t][i]] for i in paragraphs},
                            gold_all)
    print("CV, chosen techniques together:", combined, flush=True)
    for old in out.glob("si-ar-*.crfsuite"):
        old.unlink()
    for technique, info in chosen.items():
        fit(seqs, items, technique, out / info["file"])
    meta = {
        "features": FEATURES_VERSION, "c1": C1, "c2": C2, "max_iterations": ITERATIONS,
        "trained_on": {"arpro_dev_paragraphs": len(paragraphs), "araieval24_dev_tweets": len(items) - len(paragraphs),
                       "spans": sum(len(it["labels"]) for it in items),
                       "checked_disjoint_from_arpro_test_paragraphs": n_test},
        "chosen_on": "5-fold CV grouped by page, scored on the ArPro dev paragraphs (ArAIEval 2024 scorer)",
        "cv_paragraphs": combined, "techniques": chosen, "cues": cues,
        "licence": "CC BY-NC-SA 4.0 (derived from ArPro / ArAIEval 2024): non-commercial research use, share alike",
    }
    (out / "si-ar.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    scores_path = out / "scores.json"
    scores = json.loads(scores_path.read_text()) if scores_path.exists() else {}
    scores["si-ar"] = {"cv_paragraphs": combined, "per_technique": {t: v["cv"] for t, v in chosen.items()},
                       "thresholds": {t: v["threshold"] for t, v in chosen.items()}, "seconds": round(time.time() - t0, 1)}
    scores_path.write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
