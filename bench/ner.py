"""Arabic and Persian NER: span-exact precision / recall / F1 of the shipped CRF models.

Test data (outside the repository, ../shared/data):
* Arabic: ANERcorp ``anercorp-full/test_reconstructed.txt`` (the CAMeL Lab test block, rebuilt
  from the original corpus; 918 sentences, 25,007 tokens; PERS/LOC/ORG/MISC).
* Persian: ArmanPersoNER ``armanpersoner/test_fold1.txt`` (2,560 sentences, 82,119 tokens;
  pers/org/loc/fac/pro/event).

Scoring is seqeval's entity-level exact match (conlleval convention) on the gold tokenisation,
in the corpus's own tag set (the PERSON/GPE/... mapping of ``extract_entities`` is not applied, so
LOC is not split into GPE/LOC here). Throughput is end to end on the gold tokens (features + both
CRF passes), with the test file fed as one document per 20 sentences, and separately for
``extract_entities`` on raw text (tokenisation, sentence splitting and span mapping included).

    python bench/ner.py [--out bench/results/ner.json]

Exits 0 with a message when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
TEST = {"ar": "anercorp-full/test_reconstructed.txt", "fa": "armanpersoner/test_fold1.txt"}
DOC_SENTENCES = 20

from newsgraph.train.ner import read_conll  # noqa: E402  (one reader for training and the bench)


def bench_lang(lang: str, path: Path) -> dict:
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    from newsgraph.enrich.ner_crf import extract_entities, get_model

    t0 = time.perf_counter()
    model = get_model(lang)
    load_s = time.perf_counter() - t0
    sents = read_conll(path)
    gold = [t for _, t in sents]
    ntok = sum(len(t) for t, _ in sents)
    t0 = time.perf_counter()
    pred: list[list[str]] = []
    for i in range(0, len(sents), DOC_SENTENCES):
        pred.extend(model.tag_document([t for t, _ in sents[i:i + DOC_SENTENCES]]))
    tag_s = time.perf_counter() - t0
    rep = classification_report(gold, pred, output_dict=True, zero_division=0)
    by_type = {k: {"precision": round(float(v["precision"]), 4), "recall": round(float(v["recall"]), 4),
                   "f1": round(float(v["f1-score"]), 4), "support": int(v["support"])}
               for k, v in rep.items() if k not in ("micro avg", "macro avg", "weighted avg")}
    # raw-text path: one "article" per 20 sentences joined with spaces
    texts = [" ".join(" ".join(t) for t, _ in sents[i:i + DOC_SENTENCES]) for i in range(0, len(sents), DOC_SENTENCES)]
    t0 = time.perf_counter()
    n_ents = sum(len(extract_entities(x, lang)) for x in texts)
    raw_s = time.perf_counter() - t0
    return {
        "test_file": str(TEST[lang]),
        "sentences": len(sents),
        "tokens": ntok,
        "precision": round(precision_score(gold, pred), 4),
        "recall": round(recall_score(gold, pred), 4),
        "f1": round(f1_score(gold, pred), 4),
        "by_type": by_type,
        "model_load_s": round(load_s, 2),
        "tokens_per_s_gold_tokens": round(ntok / tag_s),
        "tokens_per_s_extract_entities": round(ntok / raw_s),
        "entities_from_raw_text": n_ents,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ner.json")
    args = ap.parse_args()
    data = SHARED / "data"
    if not all((data / p).is_file() for p in TEST.values()):
        print(f"NER bench skipped: test data not found under {data} (needs {', '.join(TEST.values())})")
        return 0
    results = {}
    for lang in ("ar", "fa"):
        results[lang] = bench_lang(lang, data / TEST[lang])
    print(f"{'lang':<5}{'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}")
    for lang, r in results.items():
        for typ, v in sorted(r["by_type"].items()):
            print(f"{lang:<5}{typ:<8}{v['precision']*100:8.2f}{v['recall']*100:8.2f}{v['f1']*100:8.2f}{v['support']:9d}")
        print(f"{lang:<5}{'ALL':<8}{r['precision']*100:8.2f}{r['recall']*100:8.2f}{r['f1']*100:8.2f}"
              f"{sum(v['support'] for v in r['by_type'].values()):9d}")
    for lang, r in results.items():
        print(f"{lang}: {r['tokens']} tokens; {r['tokens_per_s_gold_tokens']} tokens/s on gold tokens, "
              f"{r['tokens_per_s_extract_entities']} tokens/s extract_entities on raw text; model load {r['model_load_s']} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "ner", "scoring": "seqeval entity-level exact match (default mode)",
                                    "results": results}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
