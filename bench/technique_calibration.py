"""Technique confidences calibrated per language and method: what share of a detector's spans are right.

A technique rate compares outlets and languages only if a span found by the English CRF, an Arabic rule
and a Persian rule count for what they are worth. This bench measures, per language and method family
(``rule`` = newsgraph's rules and lexicons; ``model`` = a trained model, alone or confirmed by a rule), the
precision of the predicted spans against gold: a span is right when it overlaps a gold span of the same
technique (SemEval-2023 names). Per technique too, shrunk towards the family's precision (``K`` pseudo-spans)
so that a technique with few spans does not get an extreme value.

Each gold set is split in two halves by document (a fixed hash of the id, declared here):
* **calibration** half: the precisions shipped in ``src/newsgraph/data/techniques/calibration.json``
  (written only with ``--write-table``), which ``find_techniques`` gives each span as its confidence;
* **evaluation** half: the calibrated confidence's mean vs the observed precision per family
  (the calibration error a user should expect), never used to set anything.

Gold (outside the repository, ``../shared/data``; the Persian set is in ``tests/data``):
* en: PTC dev (75 articles; the English models were trained on PTC train only);
* ar: ArPro test paragraphs (ArMPro V2) whose page has no paragraph in ArPro dev (the Arabic model's
  training data), as in ``bench/techniques.py``;
* fa: ``tests/data/techniques_fa.jsonl`` (NTREX sentences and one sample page, CC BY-SA 4.0).

Which models run depends on what is installed (``newsgraph models``): with the research distribution the
``model`` rows exist; with the core package alone only ``rule`` rows do.

    python bench/technique_calibration.py [--out bench/results/technique-calibration.json] [--write-table]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared")) / "data"
sys.path.insert(0, str(ROOT / "bench"))

from techniques import (FA_GOLD, article_from_lines, arpro_dev_pages, jsonl_paragraphs)  # noqa: E402

from newsgraph.enrich.techniques import PTC_TO_2023, find_techniques, method_family  # noqa: E402
from newsgraph.model import Article, Paragraph  # noqa: E402

K = 10  # pseudo-spans of the family's precision added to each technique's count
MIN_SPANS = 5  # a technique needs this many calibration spans to get its own value
TABLE = ROOT / "src" / "newsgraph" / "data" / "techniques" / "calibration.json"


def half(doc_id: str) -> str:
    return "calibration" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "evaluation"


def ptc_docs() -> tuple[dict[str, Article], dict[str, list[tuple[int, int, str]]]]:
    root = SHARED / "semeval2020-task11-ptc"
    if not (root / "dev-articles").is_dir():
        return {}, {}
    texts = {p.stem.removeprefix("article"): p.read_text(encoding="utf-8")
             for p in sorted((root / "dev-articles").glob("*.txt"))}
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for line in (root / "dev-task-TC.labels").read_text().splitlines():
        a, t, s, e = line.split("\t")
        gold[a].append((int(s), int(e), PTC_TO_2023[t]))
    return {a: article_from_lines(a, t, "en") for a, t in texts.items()}, gold


def arpro_docs() -> tuple[dict[str, Article], dict[str, list[tuple[int, int, str]]], dict[str, str]]:
    path = SHARED / "arpro" / "ArMPro_span_test_V2.jsonl"
    if not path.is_file():
        return {}, {}, {}
    articles, gold, pages = jsonl_paragraphs(path, "paragraph")
    dev = arpro_dev_pages()
    keep = {a for a in articles if pages[a] not in dev}
    return ({a: v for a, v in articles.items() if a in keep}, {a: gold[a] for a in keep},
            {a: str(pages[a]) for a in keep})


def persian_docs() -> tuple[dict[str, Article], dict[str, list[tuple[int, int, str]]]]:
    articles, gold = {}, {}
    for i, line in enumerate(FA_GOLD.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        aid, text = f"fa{i}", rec["text"]
        articles[aid] = Article(aid, aid, aid, 0, text, [Paragraph(0, len(text), 0, len(text), "fa")], lang="fa")
        gold[aid] = [(l["start"], l["end"], l["technique"]) for l in rec["spans"]]
    return articles, gold


def judged_spans(lang: str, articles: dict[str, Article], gold: dict[str, list[tuple[int, int, str]]],
                 group_of_doc: dict[str, str] | None = None) -> list[dict]:
    """Every predicted span with its family, technique, confidence, half and whether it is right."""
    out = []
    for aid, article in articles.items():
        for t in find_techniques(article):
            right = any(t.technique == g and min(t.end, ge) > max(t.start, gs) for gs, ge, g in gold.get(aid, ()))
            out.append({"lang": lang, "family": method_family(t.method), "technique": t.technique,
                        "confidence": t.confidence, "half": half((group_of_doc or {}).get(aid, aid)), "right": right})
    return out


def _groups(spans: list[dict], which: str) -> list[tuple[tuple[str, str], list[dict]]]:
    """The spans of one half by (language, method family), sorted."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for s in spans:
        if s["half"] == which:
            groups[(s["lang"], s["family"])].append(s)
    return sorted(groups.items())


def calibrate(spans: list[dict]) -> dict:
    """lang -> family -> {"*": precision, technique: shrunk precision, "_spans": n} from the calibration half."""
    table: dict = {}
    for (lang, family), rows in _groups(spans, "calibration"):
        p_family = sum(r["right"] for r in rows) / len(rows)
        entry = {"*": round(p_family, 4), "_spans": len(rows)}
        by_tech: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            by_tech[r["technique"]].append(r)
        for tech, trs in sorted(by_tech.items()):
            if len(trs) >= MIN_SPANS:
                entry[tech] = round((sum(r["right"] for r in trs) + K * p_family) / (len(trs) + K), 4)
        table.setdefault(lang, {})[family] = entry
    return table


def evaluate(spans: list[dict], table: dict) -> dict:
    """On the evaluation half: per language and family, spans, observed precision, mean calibrated confidence."""
    out: dict = {}
    for (lang, family), rows in _groups(spans, "evaluation"):
        entry = table.get(lang, {}).get(family, {})
        conf = [entry.get(r["technique"], entry.get("*")) for r in rows]
        known = [c for c in conf if c is not None]
        observed = sum(r["right"] for r in rows) / len(rows)
        out.setdefault(lang, {})[family] = {
            "spans": len(rows), "observed_precision": round(observed, 4),
            "mean_calibrated_confidence": round(sum(known) / len(known), 4) if known else None,
            "abs_error": round(abs(observed - sum(known) / len(known)), 4) if known else None}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "technique-calibration.json")
    ap.add_argument("--write-table", action="store_true", help=f"write the calibration half's table to {TABLE}")
    args = ap.parse_args()
    os.environ["NEWSGRAPH_TECHNIQUES_RAW"] = "1"  # measure the detectors' own spans, not a previous calibration
    spans: list[dict] = []
    sets = {}
    articles, gold = ptc_docs()
    if articles:
        spans += judged_spans("en", articles, gold)
        sets["en"] = f"PTC dev, {len(articles)} articles"
    articles, gold, pages = arpro_docs()
    if articles:
        spans += judged_spans("ar", articles, gold, pages)
        sets["ar"] = f"ArPro test paragraphs on pages unseen in training, {len(articles)} paragraphs"
    articles, gold = persian_docs()
    spans += judged_spans("fa", articles, gold)
    sets["fa"] = f"tests/data/techniques_fa.jsonl, {len(articles)} records"
    table = calibrate(spans)
    evaluation = evaluate(spans, table)
    from newsgraph.weights import research_data

    result = {"benchmark": "technique calibration", "sets": sets,
              "split": "two halves by a SHA-1 of the document id (ArPro: of the page id); the table comes from "
                       "the calibration half, the error is measured on the evaluation half",
              "research_models": research_data() is not None, "K": K, "min_spans": MIN_SPANS,
              "table": table, "evaluation": evaluation}
    print(f"{'lang':<5}{'family':<8}{'cal. spans':>11}{'cal. P':>8}{'eval spans':>11}{'eval P':>8}{'mean conf':>10}{'|err|':>7}")
    for lang, fams in evaluation.items():
        for fam, e in fams.items():
            t = table.get(lang, {}).get(fam, {})
            print(f"{lang:<5}{fam:<8}{t.get('_spans', 0):>11}{t.get('*', float('nan')):>8.3f}{e['spans']:>11}"
                  f"{e['observed_precision']:>8.3f}{(e['mean_calibrated_confidence'] or float('nan')):>10.3f}"
                  f"{(e['abs_error'] if e['abs_error'] is not None else float('nan')):>7.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if args.write_table:
        TABLE.write_text(json.dumps({"about": "precision of technique spans per language and method family (rule / "
                                              "model) and technique, from bench/technique_calibration.py "
                                              "(calibration half); a span's confidence in newsgraph",
                                     "sets": sets, "K": K, "table": table}, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
        print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
