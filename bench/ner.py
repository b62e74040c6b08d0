"""Arabic and Persian NER: span-exact precision / recall / F1 of the shipped CRF models on every
labelled set we have, scored on PER / ORG / LOC.

Sets (outside the repository, ../shared/data; a set that is absent is skipped):

* Arabic: ANERcorp ``anercorp-full/test_reconstructed.txt`` (**test**: the CAMeL Lab test block,
  918 sentences) and the Wojood public sample ``wojood-sample-ar-ner/val.txt`` (**dev**: used for
  model selection; news and other domains, outer layer of the nested tags).
* Persian: ArmanPersoNER ``armanpersoner/test_fold1.txt`` (**test**), PEYMA
  ``peyma-fa-ner/dev.txt`` (**dev**, Persian news) and ParsTwiNER ``parstwiner-fa-ner/dev.txt``
  (**dev**, tweets).

Tag mapping (gold and predictions alike, ``newsgraph.train.ner.POL_MAP``): PER/PERS -> PER,
ORG and ParsTwiNER's POG -> ORG, LOC and Wojood's GPE -> LOC; everything else (MISC, fac, event,
pro, DAT, NAT, OCC, ...) -> O. Scoring is entity-level exact match (conlleval convention, the
numbers of seqeval's default mode). The model tags each file in "documents" of 20 consecutive
sentences (the Arabic second pass sees only those). For the two test sets the score in the
corpus's own tag set is also given (``f1_corpus_tags``), and throughput: on the gold tokens
(features + CRF passes) and through ``extract_entities`` on raw text (tokenisation, sentence
splitting and span mapping included), per wall-clock second and per CPU second of this process
(the latter is the per-core figure, steadier on a shared machine).

    python bench/ner.py [--distribution core|research] [--out FILE] [--model-dir DIR]

``core`` (default) scores the models of the core package and writes ``bench/results/ner.json``;
``research`` scores the research distribution's (``research-models/``) and writes ``bench/results/ner-research.json``.
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
DOC_SENTENCES = 20

# one reader, one tag mapping and one scorer for training and the bench
from newsgraph.train.ner import CORPORA, EVAL_SETS, TRAIN_MAP, load_corpus, map_tags, score, to_pol  # noqa: E402


def _tag(model, sents) -> list[list[str]]:
    pred: list[list[str]] = []
    for i in range(0, len(sents), DOC_SENTENCES):
        pred.extend(model.tag_document([t for t, _ in sents[i:i + DOC_SENTENCES]]))
    return pred


def bench_set(lang: str, name: str, split: str, sents, model_dir: Path) -> dict:
    from newsgraph.enrich.ner_crf import extract_entities, get_model

    model = get_model(lang, model_dir)
    ntok = sum(len(t) for t, _ in sents)
    t0, c0 = time.perf_counter(), time.process_time()
    pred = _tag(model, sents)
    tag_s, tag_cpu = time.perf_counter() - t0, time.process_time() - c0
    gold = [t for _, t in sents]
    s = score([to_pol(g) for g in gold], [to_pol(p) for p in pred])
    out = {"file": CORPORA[name][0], "split": split, "sentences": len(sents), "tokens": ntok,
           "precision": s["precision"], "recall": s["recall"], "f1": s["f1"],
           "by_type": {k: {"precision": v["precision"], "recall": v["recall"], "f1": v["f1-score"],
                           "support": int(v["support"])} for k, v in s["by_type"].items()}}
    if split == "test":
        # corpus tag set, spelled as the training scheme (Arman pers -> PER, pro -> PRO, ...)
        out["f1_corpus_tags"] = score([map_tags(g, TRAIN_MAP[lang]) for g in gold],
                                      [map_tags(p, TRAIN_MAP[lang]) for p in pred])["f1"]
        out["tokens_per_s_gold_tokens"] = round(ntok / tag_s)
        out["tokens_per_cpu_s_gold_tokens"] = round(ntok / tag_cpu)
        texts = [" ".join(" ".join(t) for t, _ in sents[i:i + DOC_SENTENCES]) for i in range(0, len(sents), DOC_SENTENCES)]
        t0, c0 = time.perf_counter(), time.process_time()
        out["entities_from_raw_text"] = sum(len(extract_entities(x, lang, model_dir)) for x in texts)
        out["tokens_per_s_extract_entities"] = round(ntok / (time.perf_counter() - t0))
        out["tokens_per_cpu_s_extract_entities"] = round(ntok / (time.process_time() - c0))
    return out


def main() -> int:
    from newsgraph.enrich.ner_crf import MODEL_DIR, available, get_model

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--distribution", choices=["core", "research"], default="core",
                    help="score the core package's models (bench/results/ner.json) or the research "
                         "distribution's (research-models/, bench/results/ner-research.json)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--model-dir", type=Path, default=None)
    ap.add_argument("--lang", choices=["ar", "fa", "all"], default="all")
    args = ap.parse_args()
    research_dir = ROOT / "research-models" / "src" / "newsgraph_research_models" / "data" / "models"
    args.model_dir = args.model_dir or (MODEL_DIR if args.distribution == "core" else research_dir)
    args.out = args.out or ROOT / "bench" / "results" / ("ner.json" if args.distribution == "core" else "ner-research.json")
    data = SHARED / "data"
    results: dict[str, dict] = {}
    load_s: dict[str, float] = {}
    for lang in (("ar", "fa") if args.lang == "all" else (args.lang,)):
        if not available(lang, args.model_dir):
            print(f"[{lang}] no model in {args.model_dir}: skipped")
            continue
        t0 = time.perf_counter()
        get_model(lang, args.model_dir)
        load_s[lang] = round(time.perf_counter() - t0, 2)
        for name, split in EVAL_SETS[lang]:
            sents = load_corpus(data, name)
            if sents is None:
                print(f"[{lang}] {name}: {data / CORPORA[name][0]} not found, skipped")
                continue
            results[name] = {"lang": lang, **bench_set(lang, name, split, sents, args.model_dir)}
    if not results:
        print(f"NER bench skipped: no evaluation data under {data}")
        return 0
    print(f"{'set':<16}{'split':<6}{'type':<5}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}")
    for name, r in results.items():
        for typ in ("PER", "ORG", "LOC"):
            v = r["by_type"].get(typ)
            if v:
                print(f"{name:<16}{r['split']:<6}{typ:<5}{v['precision']*100:8.2f}{v['recall']*100:8.2f}"
                      f"{v['f1']*100:8.2f}{v['support']:9d}")
        print(f"{name:<16}{r['split']:<6}{'ALL':<5}{r['precision']*100:8.2f}{r['recall']*100:8.2f}{r['f1']*100:8.2f}"
              f"{sum(v['support'] for v in r['by_type'].values()):9d}")
    for name, r in results.items():
        if r["split"] == "test":
            print(f"{name}: F1 in the corpus's own tag set {r['f1_corpus_tags']*100:.2f}; {r['tokens']} tokens; "
                  f"{r['tokens_per_s_gold_tokens']} tokens/s on gold tokens, {r['tokens_per_s_extract_entities']} "
                  f"tokens/s extract_entities on raw text (per CPU second: {r['tokens_per_cpu_s_gold_tokens']} / "
                  f"{r['tokens_per_cpu_s_extract_entities']}); model load {load_s[r['lang']]} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "ner", "distribution": args.distribution, "scoring": "entity-level exact match (conlleval convention) "
                                    "on PER/ORG/LOC, see bench/ner.py for the tag mapping",
                                    "model_dir": str(args.model_dir.resolve().relative_to(ROOT)
                                                     if args.model_dir.resolve().is_relative_to(ROOT) else args.model_dir),
                                    "model_load_s": load_s, "results": results},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
