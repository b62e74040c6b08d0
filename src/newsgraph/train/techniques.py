"""Train the persuasion-technique models shipped in the research distribution (``research-models/src/newsgraph_research_models/data/techniques/``).

One reproducible command (L-BFGS and liblinear are deterministic; the split is by sorted article id):

    nice -n 10 python -m newsgraph.train.techniques --data ../shared/data --out research-models/src/newsgraph_research_models/data/techniques/

Models:

* ``si-en.crfsuite``: English span identification, a token CRF (IO labels) on the PTC *train* split
  (``semeval2020-task11-ptc/train``). The marginal threshold that turns token probabilities into spans
  (tokens >= threshold, grown into neighbours >= grow) is chosen by 5-fold cross-validation on the train
  articles (folds ``ids[k::5]``, the same as the sentence model's cross-fitting) for what ``find_techniques``
  reports: the CRF spans together with the English rule hits. The shipped model is fit on all train articles.
* ``sent-en.npz``: English sentence classifier (TF-IDF word 1-2-grams, logistic regression: does the sentence hold a
  propaganda span?) whose probability is a feature of the CRF; the CRF is trained on 5-fold cross-fitted
  probabilities (each article scored by a model that never saw it), the shipped one is fit on all train sentences.
* ``tc-en.npz``: English technique classification of a given span, TF-IDF (word 1-2 + char 2-5 n-grams of
  the span and its context) + dense cues, multinomial logistic regression, trained on all PTC train spans.
* ``tc-ar.npz``: Arabic technique classification of a given span, same recipe on the Arabic translations of
  PTC spans (``arabic-ptc-translated-spans`` Dev + Test, CC0; labels merged to the 14 PTC-2020 classes).

The PTC dev split, ArPro and ArAIEval-2024 are never read here (they are for ``bench/techniques.py``).
Scores on the held-out parts are written to ``scores.json`` in ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsgraph.enrich.techniques_features import (
    crf_features,
    hysteresis_runs,
    span_context_text,
    span_extra_features,
    tokens_with_offsets,
)

PTC_MERGE = {  # 18 unmerged PTC labels -> the 14 SemEval-2020 classes
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring", "Straw_Men": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring", "Bandwagon": "Bandwagon,Reductio_ad_hitlerum",
    "Reductio_ad_hitlerum": "Bandwagon,Reductio_ad_hitlerum", "Obfuscation,Intentional_Vagueness,Confusion": None,
}


def read_ptc(root: Path, articles_dir: str, labels_file: str) -> tuple[dict[str, str], list[tuple[str, str, int, int]]]:
    """PTC articles (id -> text, read as UTF-8 with the BOM kept) and TC labels (id, technique, start, end)."""
    texts = {p.stem.removeprefix("article"): p.read_text(encoding="utf-8") for p in sorted((root / articles_dir).glob("*.txt"))}
    labels = []
    for line in (root / labels_file).read_text(encoding="utf-8").splitlines():
        aid, technique, start, end = line.split("\t")
        labels.append((aid, technique, int(start), int(end)))
    return texts, labels


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """PTC articles have one sentence per line."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


SentenceProbs = dict[tuple[str, int], float]


def crf_sequences(text: str, gold: list[tuple[int, int]], lexicon: frozenset[str], probs: dict[int, float]):
    """(features, IO labels, token offsets) per sentence of one article; ``probs``: sentence start -> probability."""
    inside = np.zeros(len(text) + 1, dtype=bool)
    for s, e in gold:
        inside[s:e] = True
    for a, b in sentence_spans(text):
        toks = tokens_with_offsets(text[a:b])
        if not toks:
            continue
        words = [t for t, _, _ in toks]
        labels = ["I" if inside[a + s : a + e].any() else "O" for _, s, e in toks]
        yield crf_features(words, lexicon, probs.get(a)), labels, [(a + s, a + e) for _, s, e in toks]


def sentence_labels(texts: dict[str, str], spans: dict[str, list[tuple[int, int]]], ids: list[str]):
    """Every sentence of ``ids`` with 1 when it overlaps a gold span."""
    out = []
    for aid in ids:
        for a, b in sentence_spans(texts[aid]):
            out.append((aid, a, texts[aid][a:b], int(any(min(b, e) > max(a, s) for s, e in spans.get(aid, [])))))
    return out


def fit_sentence_model(rows):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True, max_features=80000)
    clf = LogisticRegression(C=2.0, max_iter=1000)
    clf.fit(vec.fit_transform([r[2] for r in rows]), [r[3] for r in rows])
    return vec, clf


def cross_fitted_probs(texts, spans, ids: list[str], folds: int = 5) -> SentenceProbs:
    """P(sentence holds a span) for every train sentence from a model that never saw its article."""
    probs: SentenceProbs = {}
    for k in range(folds):
        test = set(ids[k::folds])
        vec, clf = fit_sentence_model(sentence_labels(texts, spans, [a for a in ids if a not in test]))
        rows = sentence_labels(texts, spans, sorted(test))
        if rows:
            for (aid, start, _, _), p in zip(rows, clf.predict_proba(vec.transform([r[2] for r in rows]))[:, 1]):
                probs[(aid, start)] = float(p)
    return probs


def save_sentence_model(vec, clf, path: Path) -> None:
    np.savez_compressed(path, vocab=np.array(sorted(vec.vocabulary_, key=vec.vocabulary_.get), dtype=str),
                        idf=vec.idf_, coef=clf.coef_[0].astype(np.float32), intercept=clf.intercept_.astype(np.float32))


def _article_probs(probs: SentenceProbs, aid: str) -> dict[int, float]:
    return {start: p for (a, start), p in probs.items() if a == aid}


def train_crf(texts: dict[str, str], spans: dict[str, list[tuple[int, int]]], ids: list[str], path: Path,
              lexicon: frozenset[str], probs: SentenceProbs) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for aid in ids:
        for feats, labels, _ in crf_sequences(texts[aid], spans.get(aid, []), lexicon, _article_probs(probs, aid)):
            trainer.append(feats, labels)
    # c1/c2 chosen on the held-out 15% of train among (0.05, 0.05), (0.1, 0.1), (0.3, 0.01), (1.0, 0.001):
    # all within 0.005 F1 of each other; the strongest L1 gives a model 8x smaller
    trainer.set_params({"c1": 1.0, "c2": 0.001, "max_iterations": 150, "feature.possible_transitions": True})
    trainer.train(str(path))


def cross_validated_marginals(texts, spans, ids: list[str], lexicon: frozenset[str], probs: SentenceProbs,
                              scratch: Path, folds: int = 5) -> dict[str, list[tuple[list[tuple[int, int]], list[float]]]]:
    """Per article, per sentence: token offsets and marginal P(I) from a CRF that never saw the article."""
    import pycrfsuite

    oof: dict[str, list[tuple[list[tuple[int, int]], list[float]]]] = {}
    for k in range(folds):
        test = set(ids[k::folds])
        train_crf(texts, spans, [a for a in ids if a not in test], scratch, lexicon, probs)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(scratch))
        for aid in sorted(test):
            rows = []
            for feats, _, offsets in crf_sequences(texts[aid], [], lexicon, _article_probs(probs, aid)):
                tagger.set(feats)
                rows.append((offsets, [tagger.marginal("I", i) for i in range(len(offsets))]))
            oof[aid] = rows
        tagger.close()
        print(f"SI fold {k + 1}/{folds} done", flush=True)
    return oof


def oof_spans(rows, threshold: float, grow: float) -> list[tuple[int, int]]:
    return [(offsets[a][0], offsets[b][1]) for offsets, probs in rows for a, b in hysteresis_runs(probs, threshold, grow)]


def english_rule_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the English rules that ``find_techniques`` reports by default (one line at a time)."""
    from newsgraph.enrich.techniques import MIN_CONFIDENCE
    from newsgraph.enrich.techniques_rules import repetition_hits, rule_hits

    out = [(a + s, a + e) for a, b in sentence_spans(text) for s, e, _, c, _ in rule_hits(text[a:b], "en") if c >= MIN_CONFIDENCE]
    return out + [(s, e) for s, e, _, c, _ in repetition_hits(text, "en") if c >= MIN_CONFIDENCE]


def si_scores(pred: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]) -> dict[str, float]:
    from newsgraph.enrich.techniques_scoring import si_prf

    return si_prf(pred, gold)


def tc_vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True,
                           token_pattern=r"(?u)\b\w+\b|\|\|", max_features=60000)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=True,
                           max_features=80000)
    return word, char


def tc_matrix(word, char, contexts: list[str], spans_only: list[str], extras: list[list[float]], fit: bool):
    from scipy.sparse import csr_matrix, hstack

    if fit:
        xw, xc = word.fit_transform(contexts), char.fit_transform(spans_only)
    else:
        xw, xc = word.transform(contexts), char.transform(spans_only)
    return hstack([xw, xc, csr_matrix(np.asarray(extras, dtype=np.float64))]).tocsr()


def train_tc(contexts: list[str], spans_only: list[str], extras: list[list[float]], labels: list[str], path: Path,
             c: float = 4.0) -> None:
    from sklearn.linear_model import LogisticRegression

    word, char = tc_vectorizers()
    x = tc_matrix(word, char, contexts, spans_only, extras, fit=True)
    clf = LogisticRegression(C=c, max_iter=2000, class_weight=None)
    clf.fit(x, labels)
    np.savez_compressed(
        path,
        word_vocab=np.array(sorted(word.vocabulary_, key=word.vocabulary_.get), dtype=str),
        word_idf=word.idf_, char_vocab=np.array(sorted(char.vocabulary_, key=char.vocabulary_.get), dtype=str),
        char_idf=char.idf_, coef=clf.coef_.astype(np.float32), intercept=clf.intercept_.astype(np.float32),
        classes=np.array([str(c) for c in clf.classes_], dtype=str),
    )


def ptc_tc_examples(texts: dict[str, str], labels: list[tuple[str, str, int, int]]):
    contexts, spans_only, extras, ys = [], [], [], []
    for aid, technique, s, e in labels:
        text = texts[aid]
        contexts.append(span_context_text(text, s, e))
        spans_only.append(text[s:e])
        extras.append(span_extra_features(text, s, e))
        ys.append(technique)
    return contexts, spans_only, extras, ys


def arabic_tc_examples(root: Path) -> tuple[list[str], list[str], list[list[float]], list[str]]:
    contexts, spans_only, extras, ys = [], [], [], []
    for name in ("Dev.txt", "Test.txt"):
        with open(root / "arabic-ptc-translated-spans" / name, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[0] == "id" or not row[2].strip():
                    continue
                label = PTC_MERGE.get(row[2].strip(), row[2].strip())
                if label is None:
                    continue
                span = row[1].strip()
                contexts.append(f" || {span} || ")
                spans_only.append(span)
                extras.append(span_extra_features(span, 0, len(span)))
                ys.append(label)
    return contexts, spans_only, extras, ys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--out", default="research-models/src/newsgraph_research_models/data/techniques")
    parser.add_argument("--only", choices=["all", "si", "tc"], default="all")
    args = parser.parse_args(argv)
    root, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from newsgraph.enrich.techniques_rules import english_lexicon

    lexicon = english_lexicon()
    ptc = root / "semeval2020-task11-ptc" / "train"
    texts, labels = read_ptc(ptc, "train-articles", "train-task2-TC.labels")
    scores_path = out / "scores.json"
    scores = json.loads(scores_path.read_text()) if scores_path.exists() else {}
    ids = sorted(texts)
    cut = int(len(ids) * 0.85)
    fit_ids, held_ids = ids[:cut], ids[cut:]
    if args.only in ("all", "si"):
        spans: dict[str, list[tuple[int, int]]] = {}
        for aid, _, s, e in labels:
            spans.setdefault(aid, []).append((s, e))
        t0 = time.time()
        probs = cross_fitted_probs(texts, spans, ids)
        oof = cross_validated_marginals(texts, spans, ids, lexicon, probs, out / "si-en.crfsuite")
        rules = {aid: english_rule_spans(texts[aid]) for aid in ids}
        gold = {aid: spans.get(aid, []) for aid in ids}
        best = (0.0, 0.3, 0.15, {})
        for threshold in (0.15, 0.2, 0.25, 0.3, 0.35):
            for ratio in (0.35, 0.5, 0.7, 1.0):
                grow = round(threshold * ratio, 3)
                pred = {aid: oof_spans(oof[aid], threshold, grow) + rules[aid] for aid in ids}
                sc = si_scores(pred, gold)
                print(f"SI threshold {threshold} grow {grow}: {sc}", flush=True)
                if sc["f1"] > best[0]:
                    best = (sc["f1"], threshold, grow, sc)
        train_crf(texts, spans, ids, out / "si-en.crfsuite", lexicon, probs)  # shipped: all train articles
        save_sentence_model(*fit_sentence_model(sentence_labels(texts, spans, ids)), out / "sent-en.npz")
        scores["si-en"] = {"threshold_chosen_on": f"5-fold cross-validation on {len(ids)} train articles, CRF + rules",
                           "threshold": best[1], "grow": best[2], "cv": best[3], "shipped_model_train_articles": len(ids),
                           "seconds": round(time.time() - t0, 1)}
        print("SI best", scores["si-en"], flush=True)
    if args.only in ("all", "tc"):
        t0 = time.time()
        from newsgraph.enrich.techniques_models import TechniqueClassifier

        fit_labels = [l for l in labels if l[0] in set(fit_ids)]
        held_labels = [l for l in labels if l[0] in set(held_ids)]
        train_tc(*ptc_tc_examples(texts, fit_labels), out / "tc-en.npz")
        clf = TechniqueClassifier(out / "tc-en.npz")
        preds = [clf.predict(texts[a], s, e)[0][0] for a, _, s, e in held_labels]
        acc = sum(p == l[1] for p, l in zip(preds, held_labels)) / max(1, len(held_labels))
        train_tc(*ptc_tc_examples(texts, labels), out / "tc-en.npz")  # shipped: all train spans
        scores["tc-en"] = {"heldout_spans": len(held_labels), "heldout_micro_f1": round(acc, 4),
                           "trained_on_spans": len(labels), "seconds": round(time.time() - t0, 1)}
        print("TC en", scores["tc-en"], flush=True)
        ctx, so, ex, ys = arabic_tc_examples(root)
        order = list(range(len(ys)))
        held = set(order[int(len(order) * 0.85) :])
        fit = [i for i in order if i not in held]
        train_tc([ctx[i] for i in fit], [so[i] for i in fit], [ex[i] for i in fit], [ys[i] for i in fit], out / "tc-ar.npz")
        clf = TechniqueClassifier(out / "tc-ar.npz")
        correct = sum(clf.predict(so[i], 0, len(so[i]))[0][0] == ys[i] for i in held)
        train_tc(ctx, so, ex, ys, out / "tc-ar.npz")
        scores["tc-ar"] = {"heldout_spans": len(held), "heldout_micro_f1": round(correct / max(1, len(held)), 4),
                           "trained_on_spans": len(ys), "labels": dict(Counter(ys).most_common())}
        print("TC ar", scores["tc-ar"], flush=True)
    scores_path.write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
