"""Entity framing against the SemEval-2025 Task 10 English entity-framing gold (train; research terms,
evaluation only). Needs ../shared/data (skipped when absent).

Each training document is annotated as ``newsgraph.api.annotate`` does (every per-article stage, the
text as given, so gold offsets are offsets into it), and its framing claims are read by
:func:`newsgraph.corpus.framing.claims_for`. A gold mention is **covered** when the rules cast it; the
prediction is :func:`~newsgraph.corpus.framing.summarise` over the claims read two ways:

* ``mention``: claims whose mention overlaps the gold mention;
* ``name_in_document``: claims about any mention in the document with the same name (case-folded), which
  is how the story page adds claims up (per actor, not per occurrence).

Reported on the covered mentions: main-role accuracy and macro-F1 over Protagonist / Antagonist /
Innocent ("mixed" counts as covered and wrong), the fine role (the rules' most frequent fine role is one
of the gold fine roles, over covered mentions whose prediction has one), coverage, and beside them the
majority class (Antagonist) on the same mentions and on all. Also per rule (relation predicate and side,
loaded-term category, technique), and on two halves of the documents by a hash of their id, to show how
much the figures move. These are hand-written rules measured on train: nothing was fitted to the gold and
no threshold was tuned on it.

    python bench/framing.py            # writes bench/results/framing.json
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "data" / "semeval2025-task10-narratives" / "train" / "EN"
OUT = ROOT / "bench" / "results" / "framing.json"
CACHE = Path(os.environ.get("FRAMING_CACHE", "/tmp/newsgraph-framing-bench.pkl"))
ROLES = ("Protagonist", "Antagonist", "Innocent")
NOTES = [
    "The name-calling rule changed twice after the first run, because of what it did on a real corpus (SaudiNewsNet, "
    "Fars News, PTC articles), not to raise these figures; the figures of each version were seen, so read them as "
    "train figures. framing-1 (every Name_Calling span next to a name casts it as Antagonist, also through a "
    "possessive): mention-level 51 covered, accuracy 0.863, macro-F1 0.738, the rule right on 9 of 11 gold mentions, "
    "but on the real corpus it cast praise ('the great king', 'the Saudi star') and non-labels as antagonists. "
    "framing-3 (the label's polarity decides the role): 45 covered, accuracy 0.822, macro-F1 0.753, the rule right on "
    "2 of 5. framing-4 (this run: only short labels, at most three words on one side of the name): the rule casts no "
    "gold mention; the other rules are unchanged since framing-1.",
    "Per-rule precision counts each claim on a gold mention against its gold main role; the gold is 70% Antagonist, "
    "so any rule that says Antagonist looks good here: compare with majority_accuracy_on_covered.",
]


def load() -> tuple[dict[str, str], list[dict]]:
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted((GOLD / "raw-documents").glob("*.txt"))}
    gold = []
    for line in (GOLD / "subtask-1-annotations.lf-offsets.tsv").read_text(encoding="utf-8").splitlines():
        doc, mention, _, _, start, end, main, *fine = line.split("\t")
        assert docs[doc][int(start):int(end)] == mention
        gold.append({"doc": doc, "mention": mention, "start": int(start), "end": int(end), "role": main,
                     "fine": [f for f in fine if f]})
    return docs, gold


def claims_by_doc(docs: dict[str, str], wanted: set[str]) -> tuple[dict[str, list], float]:
    """The framing claims of each document (cached: annotating the set takes minutes)."""
    import newsgraph.api as ng
    from newsgraph.corpus.framing import claims_for

    key = hashlib.sha256("".join(sorted(wanted)).encode()).hexdigest()  # the annotations, not the rules
    if CACHE.exists() and os.environ.get("FRAMING_REANNOTATE") != "1":
        cached = pickle.loads(CACHE.read_bytes())
        if cached.get("key") == key:
            return {d: claims_for(cached["articles"][d]) for d in wanted}, cached["seconds"]
    started = time.perf_counter()
    articles = {}
    for k, doc in enumerate(sorted(wanted)):
        articles[doc] = ng.annotate(docs[doc], lang="en")
        if k % 50 == 0:
            print(f"  annotated {k}/{len(wanted)}", file=sys.stderr)
    seconds = time.perf_counter() - started
    CACHE.write_bytes(pickle.dumps({"key": key, "articles": articles, "seconds": seconds}))
    return {d: claims_for(a) for d, a in articles.items()}, seconds


def half_of(doc: str) -> str:
    return "A" if int(hashlib.sha256(doc.encode()).hexdigest(), 16) % 2 == 0 else "B"


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    scores = []
    for role in ROLES:
        tp = sum(1 for g, p in pairs if g == role and p == role)
        fp = sum(1 for g, p in pairs if g != role and p == role)
        fn = sum(1 for g, p in pairs if g == role and p != role)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def score(gold: list[dict], predictions: list[dict | None]) -> dict:
    covered = [(g, p) for g, p in zip(gold, predictions) if p is not None]
    pairs = [(g["role"], p["role"]) for g, p in covered]
    fine = [(g, p) for g, p in covered if p["fine_roles"]]
    majority = Counter(g["role"] for g in gold).most_common(1)[0][0]
    return {
        "mentions": len(gold), "covered": len(covered), "coverage": round(len(covered) / len(gold), 4) if gold else 0,
        "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else None,
        "macro_f1": round(macro_f1(pairs), 4) if pairs else None,
        "mixed": sum(p == "mixed" for _, p in pairs),
        "predicted": dict(Counter(p for _, p in pairs)), "gold_on_covered": dict(Counter(g for g, _ in pairs)),
        "majority_class": majority,
        "majority_accuracy_on_covered": round(sum(g == majority for g, _ in pairs) / len(pairs), 4) if pairs else None,
        "majority_macro_f1_on_covered": round(macro_f1([(g, majority) for g, _ in pairs]), 4) if pairs else None,
        "majority_accuracy_all": round(sum(g["role"] == majority for g in gold) / len(gold), 4) if gold else None,
        "fine_scored": len(fine),
        "fine_accuracy": round(sum(max(p["fine_roles"], key=p["fine_roles"].get) in g["fine"] for g, p in fine)
                               / len(fine), 4) if fine else None,
    }


def predictions(gold: list[dict], claims: dict[str, list], how: str) -> list[dict | None]:
    from newsgraph.corpus.framing import summarise

    out: list[dict | None] = []
    for g in gold:
        if how == "mention":
            mine = [c for c in claims[g["doc"]] if c.mention_start < g["end"] and g["start"] < c.mention_end]
        else:
            name = g["mention"].casefold()
            mine = [c for c in claims[g["doc"]] if c.mention_text.casefold() == name
                    or (c.mention_start < g["end"] and g["start"] < c.mention_end)]
        out.append(summarise(mine).as_dict() if mine else None)
    return out


def per_rule(gold: list[dict], claims: dict[str, list]) -> dict:
    """Each claim on a gold mention (overlap) against that mention's gold main role, by rule."""
    table: dict[str, Counter] = defaultdict(Counter)
    for g in gold:
        for c in claims[g["doc"]]:
            if c.mention_start < g["end"] and g["start"] < c.mention_end:
                rule = f"{c.kind}:{c.cue if c.kind != 'loaded_term' else c.role + '/' + str(c.fine_role)}"
                table[rule]["claims"] += 1
                table[rule]["right"] += c.role == g["role"]
    return {k: {"claims": v["claims"], "right": v["right"], "precision": round(v["right"] / v["claims"], 3)}
            for k, v in sorted(table.items(), key=lambda kv: -kv[1]["claims"])}


def main() -> int:
    if not GOLD.exists():
        print(f"skipped: {GOLD} not found")
        return 0
    docs, gold = load()
    claims, seconds = claims_by_doc(docs, {g["doc"] for g in gold})
    result: dict = {
        "data": "SemEval-2025 Task 10 subtask 1 (entity framing), English train, lf-offsets gold; research terms, "
                "evaluation only",
        "split": "train (rules measured on train; nothing fitted, no threshold tuned); halves A/B by sha256(doc id)",
        "documents": len({g["doc"] for g in gold}), "gold_mentions": len(gold),
        "annotate_seconds": round(seconds, 1),
        "claims": sum(len(c) for c in claims.values()),
        "notes": NOTES,
    }
    for how in ("mention", "name_in_document"):
        pred = predictions(gold, claims, how)
        result[how] = score(gold, pred)
        result[how]["halves"] = {h: score([g for g in gold if half_of(g["doc"]) == h],
                                          [p for g, p in zip(gold, pred) if half_of(g["doc"]) == h]) for h in "AB"}
    result["per_rule"] = per_rule(gold, claims)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{'read':18} {'covered':>8} {'coverage':>9} {'acc':>6} {'macroF1':>8} {'maj acc':>8} {'maj F1':>7} {'fine':>6}")
    for how in ("mention", "name_in_document"):
        r = result[how]
        print(f"{how:18} {r['covered']:>8} {r['coverage']:>9.3f} {r['accuracy'] or 0:>6.3f} {r['macro_f1'] or 0:>8.3f}"
              f" {r['majority_accuracy_on_covered'] or 0:>8.3f} {r['majority_macro_f1_on_covered'] or 0:>7.3f}"
              f" {r['fine_accuracy'] or 0:>6.3f}")
    print("per rule:", json.dumps(result["per_rule"], ensure_ascii=False))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
