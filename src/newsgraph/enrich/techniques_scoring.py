"""Span scores with the SemEval-2020 Task 11 definitions (Da San Martino et al., 2020).

Span identification (SI): for predicted spans S and gold spans T of the same article (each a set of
character offsets, overlapping spans of one side merged first, as the official scorer does),

    P = 1/|S| * sum_{s in S} sum_{t in T} |s ∩ t| / |s|,   R = 1/|T| * sum_{t in T} sum_{s in S} |s ∩ t| / |t|,

summed over all articles (micro), F1 = 2PR/(P+R). Technique classification (TC): one label predicted
per gold span; micro-F1 = the fraction of gold (span, label) lines matched (a span labelled twice in the
gold must be predicted with both labels).
"""

from __future__ import annotations

from collections import Counter

Spans = dict[str, list[tuple[int, int]]]


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, sorted."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(x for x in spans if x[1] > x[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def si_prf(pred: Spans, gold: Spans) -> dict[str, float]:
    """Micro P/R/F1 of the SemEval-2020 SI scorer over all articles in ``gold`` ∪ ``pred``."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for aid in set(gold) | set(pred):
        ps, gs = merge_spans(pred.get(aid, [])), merge_spans(gold.get(aid, []))
        n_pred += len(ps)
        n_gold += len(gs)
        for s in ps:
            p_sum += sum(_overlap(s, t) for t in gs) / (s[1] - s[0])
        for t in gs:
            r_sum += sum(_overlap(s, t) for s in ps) / (t[1] - t[0])
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "pred_spans": n_pred, "gold_spans": n_gold}


def tc_micro_f1(pred: list[tuple[str, int, int, str]], gold: list[tuple[str, int, int, str]]) -> float:
    """Fraction of gold (article, start, end, label) lines matched by a predicted line (multiset)."""
    remaining = Counter(pred)
    hits = 0
    for line in gold:
        if remaining[line] > 0:
            remaining[line] -= 1
            hits += 1
    return hits / len(gold) if gold else 0.0


Labelled = dict[str, list[tuple[int, int, str]]]


def araieval_prf(pred: Labelled, gold: Labelled) -> dict[str, float]:
    """Micro P/R/F1 of the ArAIEval 2024 task 1 scorer (SemEval-2021 task 6 definition): every predicted
    span earns |s ∩ t| / |s| for every gold span t *of the same technique* in its paragraph, every gold span
    |s ∩ t| / |t|; nothing is merged, so P = sum / #predicted, R = sum / #gold over all paragraphs."""
    p_sum = r_sum = 0.0
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(v) for v in gold.values())
    for pid, spans in pred.items():
        golds = gold.get(pid, [])
        for s, e, technique in spans:
            for gs, ge, gt in golds:
                if gt == technique and e > s and ge > gs:
                    inter = max(0, min(e, ge) - max(s, gs))
                    p_sum += inter / (e - s)
                    r_sum += inter / (ge - gs)
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "pred_spans": n_pred, "gold_spans": n_gold}
