"""Train the English attribution model shipped in the research distribution (``research-models/src/newsgraph_research_models/data/quotes/``) (see its MODEL_CARD.md).

    nice -n 19 python -m newsgraph.train.quotes --data ../shared/data --out research-models/src/newsgraph_research_models/data/quotes/ [--cache DIR]

Data: PolNeAR ``train/`` only (840 articles; one annotator's file per article, the first by name, as
``bench/quotes.py`` reads dev and test). Articles are cut into paragraphs at line breaks and parsed
with the same spaCy model as at run time.

* cue model: every VERB/NOUN/AUX/ADJ token; positive when it is the syntactic head of a gold Cue
  span (the cue token whose head lies outside the span, a verb preferred); L2 logistic regression.
* content model: for each positive token, the options of :func:`content_options`; positive the option
  closest to the gold Content span (highest character F1, when above 0.5); L2 logistic regression,
  the best-scoring option is taken at run time.

The cue threshold and the rule floor are not chosen here: ``--threshold`` and ``--rule-floor`` (chosen on PolNeAR dev with
``bench/quotes.py --split dev --sweep``) are written into the model file.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

from newsgraph.enrich.quotes_marks import quote_mark_spans
from newsgraph.enrich.quotes_model import CUE_POS, content_options, cue_features, option_features, token_entities


def read_ann(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    """Attributions of one brat file: role -> fragments. Records split at ``T12\\t``/``E3\\t``/``#1\\t``
    (a few discontinuous surfaces in train hold a blank line)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for record in re.split(r"\n(?=[TE#]\d+\t)", path.read_text(encoding="utf-8")):
        fields = record.split("\t")
        if len(fields) < 2:
            continue
        if fields[0].startswith("T"):
            _, _, where = fields[1].partition(" ")
            spans[fields[0]] = [tuple(map(int, part.split())) for part in where.split(";")]
        elif fields[0].startswith("E"):
            relations.append(dict(part.split(":") for part in fields[1].split() if ":" in part))
    gold = []
    for roles in relations:
        if roles.get("Content") in spans:
            gold.append({role.lower(): spans[roles[role]] for role in ("Content", "Cue", "Source") if roles.get(role) in spans})
    return gold


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """Non-blank lines, stripped (as ``bench/quotes.py`` builds its articles)."""
    paras, pos = [], 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            paras.append((start + lead, start + lead + len(stripped)))
    return paras


def read_split(root: Path, split: str) -> list[tuple[str, str, list[tuple[int, int]], list[dict]]]:
    items = []
    for text_path in sorted((root / split / "text").glob("*.txt")):
        anns = sorted((root / split / "attributions").glob(text_path.stem + "_*.ann"))
        if anns:
            text = text_path.read_text(encoding="utf-8")
            items.append((text_path.stem, text, paragraphs_of(text), read_ann(anns[0])))
    return items


def parsed(items, cache: Path | None, name: str):
    """spaCy docs of every paragraph, in order (cached as a DocBin when ``cache`` is given)."""
    from spacy.tokens import DocBin

    from newsgraph.enrich.quotes_en import english_parser, parse_batch

    path = cache / f"polnear-{name}.spacy" if cache else None
    if path is not None and path.is_file():
        return list(DocBin().from_disk(path).get_docs(english_parser().vocab))
    docs = []
    for _, text, paras, _ in items:
        docs.extend(parse_batch([text[s:e] for s, e in paras]))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        bin_ = DocBin()
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(path)
    return docs


def cue_head(doc, offset: int, fragments: list[tuple[int, int]]):
    """The token heading a gold cue span (its head lies outside the span), a verb preferred."""
    tokens = [t for t in doc if any(s <= offset + t.idx < e for s, e in fragments)]
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    ranked = ([t for t in heads if t.pos_ == "VERB"] or [t for t in heads if t.pos_ in CUE_POS] or heads or tokens)
    return ranked[0] if ranked else None


def char_f1(gold: tuple[int, int], pred: tuple[int, int]) -> float:
    inter = max(0, min(gold[1], pred[1]) - max(gold[0], pred[0]))
    if not inter:
        return 0.0
    p, r = inter / (pred[1] - pred[0]), inter / (gold[1] - gold[0])
    return 2 * p * r / (p + r)


def mentions_of(text: str, paras: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The English entity mentions the entities stage finds (spaCy NER per paragraph), article offsets."""
    from newsgraph.enrich.entities import KEEP_LABELS, english_mentions_batch

    found = english_mentions_batch([text[s:e] for s, e in paras])
    return [(s + a, s + b, label) for (s, _), ents in zip(paras, found) for a, b, label in ents if label in KEEP_LABELS]


def examples(items, docs, mentions):
    """(cue features, cue labels, content features, content labels) of a split."""
    cue_x, cue_y, con_x, con_y = [], [], [], []
    k = 0
    for (_, text, paras, gold), article_mentions in zip(items, mentions):
        para_docs = list(zip(docs[k:k + len(paras)], [s for s, _ in paras]))
        k += len(paras)
        marks = quote_mark_spans(text, paras)
        positives: dict[tuple[int, int], tuple[int, int]] = {}  # (paragraph, token) -> gold content bounds
        for g in gold:
            if "cue" not in g:
                continue
            at = g["cue"][0][0]
            n = next((n for n, (doc, off) in enumerate(para_docs) if off <= at < off + len(doc.text)), None)
            if n is None:
                continue
            head = cue_head(*para_docs[n], g["cue"])
            if head is not None:
                content = g["content"]
                positives[(n, head.i)] = (min(s for s, _ in content), max(e for _, e in content))
        for n, (doc, offset) in enumerate(para_docs):
            entities = token_entities(doc, offset, article_mentions)
            for token in doc:
                if token.pos_ not in CUE_POS:
                    continue
                at = offset + token.idx
                cue_x.append(cue_features(token, any(s < at < e for s, e in marks), n == 0, entities))
                gold_content = positives.get((n, token.i))
                cue_y.append(int(gold_content is not None))
                if gold_content is None:
                    continue
                options = content_options(token)
                scores = [char_f1(gold_content, (offset + ts[0].idx, offset + ts[-1].idx + len(ts[-1].text))) for _, ts in options]
                if not scores or max(scores) <= 0.5:
                    continue
                best = int(np.argmax(scores))
                for j, (kind, tokens) in enumerate(options):
                    con_x.append(option_features(token, kind, tokens))
                    con_y.append(int(j == best))
    return cue_x, cue_y, con_x, con_y


PRUNE = 0.01  # weights smaller than this are dropped from the shipped file (no change on dev; a smaller file)


def fit(features: list[list[str]], labels: list[int], c: float, min_count: int = 2):
    """L2 logistic regression on binary indicator features seen at least ``min_count`` times."""
    from collections import Counter

    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for fs in features for f in set(fs))
    vocab = sorted(f for f, n in counts.items() if n >= min_count and f != "bias")
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, fs in enumerate(features):
        for f in set(fs):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(features), len(vocab)))
    clf = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
    clf.fit(x, np.asarray(labels))
    weights = clf.coef_[0]
    keep = np.abs(weights) > PRUNE
    return np.asarray(vocab)[keep], weights[keep], float(clf.intercept_[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("research-models/src/newsgraph_research_models/data/quotes"))
    parser.add_argument("--cache", type=Path, default=None, help="keep the spaCy parses of train here")
    parser.add_argument("--cue-c", type=float, default=0.3, help="chosen on dev (cue average precision)")
    parser.add_argument("--content-c", type=float, default=1.0)
    parser.add_argument("--threshold", type=float, default=0.6, help="P(cue) for the model's own cues (chosen on dev)")
    parser.add_argument("--rule-floor", type=float, default=0.1, help="P(cue) below which a rule's cue is dropped (chosen on dev)")
    args = parser.parse_args()
    root = args.data / "polnear"
    items = read_split(root, "train")
    docs = parsed(items, args.cache, "train")
    mentions = [mentions_of(text, paras) for _, text, paras, _ in items]
    cue_x, cue_y, con_x, con_y = examples(items, docs, mentions)
    print(f"train: {len(items)} articles, {len(cue_y)} cue candidates ({sum(cue_y)} cues), "
          f"{len(con_y)} content options ({sum(con_y)} best)")
    cue = fit(cue_x, cue_y, args.cue_c)
    content = fit(con_x, con_y, args.content_c)
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "attribution-en.npz", cue_vocab=cue[0], cue_weights=cue[1], cue_intercept=np.asarray([cue[2]]),
                        content_vocab=content[0], content_weights=content[1], content_intercept=np.asarray([content[2]]),
                        threshold=np.asarray([args.threshold]), rule_floor=np.asarray([args.rule_floor]))
    info = {"train_articles": len(items), "cue_candidates": len(cue_y), "cues": sum(cue_y), "content_options": len(con_y),
            "cue_features": len(cue[0]), "content_features": len(content[0]), "cue_c": args.cue_c,
            "content_c": args.content_c, "threshold": args.threshold, "rule_floor": args.rule_floor}
    (args.out / "training.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
