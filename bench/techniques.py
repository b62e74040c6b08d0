"""Persuasion techniques: span identification and technique classification scores, and throughput.

Data (outside the repository, ../shared/data; nothing here is used for training):
* PTC dev (``semeval2020-task11-ptc``: ``dev-articles``, ``dev-task-SI.labels``, ``dev-task-TC.labels``):
  SI P/R/F1 with the SemEval-2020 scorer's character-overlap definitions (all spans of
  ``find_techniques``, rules and model, unlabelled), and TC micro-F1 given the gold spans (the English
  classifier's PTC labels; a span labelled k times in the gold gets the k best labels).
* ArPro test (``arpro/ArMPro_span_test_V2.jsonl``, 1,326 paragraphs): span micro-F1 with the ArAIEval 2024
  task 1 scorer (``araieval_prf``: partial overlap with gold spans *of the same technique*, nothing merged;
  the number the ArAIEval 2024 ranking reports), a per-technique table, the model's and the rules' shares, the
  unlabelled SemEval-2020 SI score for reference, and the same on the test paragraphs whose page has no
  paragraph in ArPro dev (the Arabic model's training data shares 225 pages with test: the official splits
  are by paragraph). ArAIEval 2024 task 1 dev is the Arabic model's *training* data: its score is in-sample,
  printed only as a sanity check (the honest estimate is the model's cross-validation score in ``si-ar.json``).
* Persian gold set (``tests/data/techniques_fa.jsonl``, in the repository): the rules' precision (predicted
  spans overlapping a gold span) and span F1.

    python bench/techniques.py [--out bench/results/techniques.json]

Prints a table, writes JSON, exits 0 with a message when ../shared/data is absent (the Persian part still runs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared")) / "data"
FA_GOLD = ROOT / "tests" / "data" / "techniques_fa.jsonl"

from newsgraph.enrich.techniques import PTC_TO_2023, find_techniques  # noqa: E402
from newsgraph.enrich.techniques_models import classifier  # noqa: E402
from newsgraph.enrich.techniques_scoring import araieval_prf, si_prf, tc_micro_f1  # noqa: E402
from newsgraph.model import Article, Paragraph  # noqa: E402

Labelled = dict[str, list[tuple[int, int, str]]]


def article_from_lines(aid: str, text: str, lang: str) -> Article:
    """One paragraph per non-empty line, offsets into ``text`` unchanged."""
    paras, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paras.append(Paragraph(pos, pos + len(line), pos, pos + len(line), lang))
        pos += len(line) + 1
    return Article(aid, aid, aid, 0, text, paras, lang=lang)


def predict(articles: dict[str, Article]) -> tuple[Labelled, float]:
    t0 = time.perf_counter()
    out = {aid: [(t.start, t.end, t.technique) for t in find_techniques(a)] for aid, a in articles.items()}
    return out, time.perf_counter() - t0


def unlabelled(spans: Labelled) -> dict[str, list[tuple[int, int]]]:
    return {aid: [(s, e) for s, e, _ in v] for aid, v in spans.items()}


def labelled_prf(pred: Labelled, gold: Labelled) -> dict[str, float]:
    """Overlap P/R/F1 summed over techniques (each technique scored like SI on its own spans)."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for technique in {t for v in list(pred.values()) + list(gold.values()) for _, _, t in v}:
        sc = si_prf({a: [(s, e) for s, e, t in v if t == technique] for a, v in pred.items()},
                    {a: [(s, e) for s, e, t in v if t == technique] for a, v in gold.items()})
        p_num += sc["precision"] * sc["pred_spans"]
        r_num += sc["recall"] * sc["gold_spans"]
        n_pred += sc["pred_spans"]
        n_gold += sc["gold_spans"]
    p, r = (p_num / n_pred if n_pred else 0.0), (r_num / n_gold if n_gold else 0.0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def per_technique(pred: Labelled, gold: Labelled) -> dict[str, dict[str, float]]:
    techniques = sorted({t for v in gold.values() for _, _, t in v} | {t for v in pred.values() for _, _, t in v})
    out = {}
    for technique in techniques:
        sc = si_prf({a: [(s, e) for s, e, t in v if t == technique] for a, v in pred.items()},
                    {a: [(s, e) for s, e, t in v if t == technique] for a, v in gold.items()})
        out[technique] = sc
    return out


def ptc_dev() -> dict:
    root = SHARED / "semeval2020-task11-ptc"
    texts = {p.stem.removeprefix("article"): p.read_text(encoding="utf-8") for p in sorted((root / "dev-articles").glob("*.txt"))}
    si_gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for line in (root / "dev-task-SI.labels").read_text().splitlines():
        aid, s, e = line.split("\t")
        si_gold[aid].append((int(s), int(e)))
    tc_gold = [(a, int(s), int(e), t) for a, t, s, e in (l.split("\t") for l in (root / "dev-task-TC.labels").read_text().splitlines())]
    articles = {aid: article_from_lines(aid, text, "en") for aid, text in texts.items()}
    pred, seconds = predict(articles)
    gold_l: Labelled = defaultdict(list)
    for a, s, e, t in tc_gold:
        gold_l[a].append((s, e, PTC_TO_2023[t]))
    si = si_prf(unlabelled(pred), {a: si_gold.get(a, []) for a in texts})
    model_only = {a: [(t.start, t.end) for t in find_techniques(articles[a]) if t.method.startswith("crf")] for a in texts}
    rules_only = {a: [(t.start, t.end) for t in find_techniques(articles[a]) if t.method.startswith("rule")] for a in texts}
    tc, tc_table = ptc_tc(texts, tc_gold)
    chars = sum(len(t) for t in texts.values())
    return {"articles": len(texts), "si": si, "si_model_only": si_prf(model_only, si_gold), "si_rules_only": si_prf(rules_only, si_gold),
            "si_labelled": labelled_prf(pred, gold_l), "tc_micro_f1": round(tc, 4), "tc_per_technique": tc_table,
            "throughput_chars_per_s": round(chars / seconds), "throughput_articles_per_s": round(len(texts) / seconds, 2)}


def ptc_tc(texts: dict[str, str], gold: list[tuple[str, int, int, str]]) -> tuple[float, dict]:
    model = classifier("en")
    by_span = Counter((a, s, e) for a, s, e, _ in gold)
    keys = list(by_span)
    probs = model.probabilities([(texts[a], s, e) for a, s, e in keys])
    pred = []
    for (a, s, e), row in zip(keys, probs):
        for i in row.argsort()[::-1][: by_span[(a, s, e)]]:
            pred.append((a, s, e, model.classes[i]))
    table = {}
    for label in sorted({t for *_, t in gold}):
        g = [x for x in gold if x[3] == label]
        p = [x for x in pred if x[3] == label]
        hit = len(set(g) & set(p))
        prec, rec = (hit / len(p) if p else 0.0), (hit / len(g) if g else 0.0)
        table[PTC_TO_2023[label]] = {"gold": len(g), "precision": round(prec, 3), "recall": round(rec, 3),
                                     "f1": round(2 * prec * rec / (prec + rec) if prec + rec else 0.0, 3)}
    return tc_micro_f1(pred, gold), table


def jsonl_paragraphs(path: Path, text_key: str) -> tuple[dict[str, Article], Labelled, dict[str, str]]:
    """Paragraphs as one-paragraph Arabic articles, their gold spans, and their page (ArPro) or own id."""
    articles, gold, pages = {}, {}, {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        aid = str(rec.get("paragraph_id") or rec.get("id") or i)
        text = rec[text_key]
        articles[aid] = Article(aid, aid, aid, 0, text, [Paragraph(0, len(text), 0, len(text), "ar")], lang="ar")
        gold[aid] = [(l["start"], l["end"], l["technique"]) for l in rec["labels"]]
        pages[aid] = rec.get("page_id", aid)
    return articles, gold, pages


def araieval_per_technique(pred: Labelled, gold: Labelled) -> dict[str, dict[str, float]]:
    techniques = {t for v in gold.values() for _, _, t in v} | {t for v in pred.values() for _, _, t in v}
    return {t: araieval_prf({a: [x for x in v if x[2] == t] for a, v in pred.items()},
                            {a: [x for x in v if x[2] == t] for a, v in gold.items()}) for t in sorted(techniques)}


def arabic(path: Path, text_key: str, training_pages: set[str] | None = None) -> dict:
    articles, gold, pages = jsonl_paragraphs(path, text_key)
    t0 = time.perf_counter()
    found = {aid: find_techniques(a) for aid, a in articles.items()}
    seconds = time.perf_counter() - t0
    pred = {aid: [(t.start, t.end, t.technique) for t in v] for aid, v in found.items()}
    by_method = {name: {aid: [(t.start, t.end, t.technique) for t in v if t.method.startswith(prefix)] for aid, v in found.items()}
                 for name, prefix in (("model", "crf:"), ("rules", "rule:"))}
    out = {"paragraphs": len(articles), "gold_spans": sum(map(len, gold.values())),
           "span_araieval": araieval_prf(pred, gold),
           "span_araieval_model_only": araieval_prf(by_method["model"], gold),
           "span_araieval_rules_only": araieval_prf(by_method["rules"], gold),
           "span_unlabelled_semeval2020": si_prf(unlabelled(pred), unlabelled(gold)),
           "per_technique": araieval_per_technique(pred, gold),
           "methods": dict(Counter(t.method.split("+")[0] for v in found.values() for t in v)),
           "throughput_chars_per_s": round(sum(len(a.text) for a in articles.values()) / seconds)}
    if training_pages is not None:
        keep = [a for a in articles if pages[a] not in training_pages]
        out["unseen_pages"] = {"paragraphs": len(keep),
                               "span_araieval": araieval_prf({a: pred[a] for a in keep}, {a: gold[a] for a in keep})}
    return out


def arpro_dev_pages() -> set[str]:
    return {json.loads(line)["page_id"] for line in (SHARED / "arpro" / "ArMPro_span_dev_V2.jsonl").read_text(encoding="utf-8").splitlines()}


def persian() -> dict:
    articles, gold, sources = {}, {}, Counter()
    for i, line in enumerate(FA_GOLD.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        aid = f"fa{i}"
        text = rec["text"]
        articles[aid] = Article(aid, aid, aid, 0, text, [Paragraph(0, len(text), 0, len(text), "fa")], lang="fa")
        gold[aid] = [(l["start"], l["end"], l["technique"]) for l in rec["spans"]]
        sources[rec["source"].split(":")[0]] += 1
    pred, _ = predict(articles)
    hits = sum(any(min(e, ge) > max(s, gs) for gs, ge, _ in gold[a]) for a, v in pred.items() for s, e, _ in v)
    n_pred = sum(map(len, pred.values()))
    return {"records": len(articles), "gold_spans": sum(map(len, gold.values())), "sources": dict(sources),
            "rule_precision_overlap": round(hits / n_pred, 4) if n_pred else 0.0, "predicted_spans": n_pred,
            "span": si_prf(unlabelled(pred), unlabelled(gold)), "span_labelled": labelled_prf(pred, gold),
            "per_technique": per_technique(pred, gold)}


def print_table(results: dict) -> None:
    rows = []
    if "ptc_dev" in results:
        r = results["ptc_dev"]
        rows += [("PTC dev SI (rules+CRF)", r["si"], "≥ 0.35"), ("PTC dev SI (CRF only)", r["si_model_only"], ""),
                 ("PTC dev SI (rules only)", r["si_rules_only"], "")]
        print(f"PTC dev TC micro-F1 (gold spans): {r['tc_micro_f1']:.3f}   target ≥ 0.50")
    if "arpro_test" in results:
        r = results["arpro_test"]
        rows += [("ArPro test span (ArAIEval scorer)", r["span_araieval"], "≥ 0.25"),
                 ("  model spans only", r["span_araieval_model_only"], ""), ("  rule hits outside model spans", r["span_araieval_rules_only"], ""),
                 (f"  pages not in dev ({r['unseen_pages']['paragraphs']} par.)", r["unseen_pages"]["span_araieval"], ""),
                 ("  unlabelled, SemEval-2020 SI", r["span_unlabelled_semeval2020"], "")]
    if "araieval24_dev" in results:
        rows.append(("ArAIEval24 dev (training data!)", results["araieval24_dev"]["span_araieval"], "in-sample"))
    if "persian_gold" in results:
        rows.append(("Persian gold span", results["persian_gold"]["span"], ""))
        rows.append(("Persian gold span (labelled)", results["persian_gold"]["span_labelled"], ""))
    print(f"{'set':38} {'P':>6} {'R':>6} {'F1':>6}  target")
    for name, sc, target in rows:
        print(f"{name:38} {sc['precision']:6.3f} {sc['recall']:6.3f} {sc['f1']:6.3f}  {target}")
    if "persian_gold" in results:
        print(f"Persian rules' precision (overlap): {results['persian_gold']['rule_precision_overlap']:.3f}   target ≥ 0.6")
    if "ptc_dev" in results:
        print("\nPTC dev TC per technique (gold spans)")
        for t, v in sorted(results["ptc_dev"]["tc_per_technique"].items(), key=lambda kv: -kv[1]["gold"]):
            print(f"  {t:34} n={v['gold']:4} P={v['precision']:.2f} R={v['recall']:.2f} F1={v['f1']:.2f}")
        print(f"throughput (PTC dev, rules+CRF): {results['ptc_dev']['throughput_chars_per_s']} chars/s")
    if "arpro_test" in results:
        print("\nArPro test per technique (ArAIEval scorer; CRF + rules)")
        for t, v in sorted(results["arpro_test"]["per_technique"].items(), key=lambda kv: -kv[1]["gold_spans"]):
            if v["gold_spans"] or v["pred_spans"]:
                print(f"  {t:34} gold={v['gold_spans']:5} pred={v['pred_spans']:5} P={v['precision']:.2f} "
                      f"R={v['recall']:.2f} F1={v['f1']:.2f}")
        print(f"  detections by method: {results['arpro_test']['methods']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "techniques.json"))
    args = parser.parse_args(argv)
    results: dict = {}
    if FA_GOLD.exists():
        results["persian_gold"] = persian()
    if not SHARED.exists():
        print(f"{SHARED} not found: PTC/ArPro/ArAIEval parts skipped")
    else:
        results["ptc_dev"] = ptc_dev()
        results["arpro_test"] = arabic(SHARED / "arpro" / "ArMPro_span_test_V2.jsonl", "paragraph", arpro_dev_pages())
        results["araieval24_dev"] = arabic(SHARED / "araieval24-task1" / "araieval24_task1_dev.jsonl", "text")
    print_table(results)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
