"""Synthetic corpora with planted reuse: precision/recall of the reuse stage, wall time and peak RSS.

    python bench/reuse_synthetic.py --sizes 10000 100000 1000000 [--schedulers none processes]
                                    [--translations 60] [--keep] [--out bench/results/reuse.json]

Corpus: *base* articles of 15-21 sentences (~415 words) built from real sentences (NTREX-128 en/ar/fa and the
seed pages): each is the first half of one real sentence and the second half of another, with 30 %
of its words swapped for words of other sentences of the same language, so that base articles do
not share text by chance (the pool has only ~6k sentences). Planted
reuse, each derived from its own base article (so derived articles never share text with each other):

- ``verbatim``: a copy of a base article;
- ``edited``: a copy with 5-20 % of its words replaced;
- ``excerpt``: 2-4 consecutive sentences (≥ 200 characters) of a base article, with 0-20 % of the
  words replaced, pasted between the sentences of another, fresh base article;
- ``reordered``: a copy with its paragraphs in another order (truth: every paragraph ≥ 200 chars).

Translation pairs: NTREX documents in en, ar and fa (true pairs: the same document in two languages),
run with ``cross_lingual=True`` on a separate small store (every sentence is embedded once; bench/reuse_xling.py
measures translated passages inside real articles).

Scores: pair precision/recall (unordered article pairs, ``repetition`` excluded) and character-level
precision/recall of the aligned spans over the true pairs found. Each run of the stage happens in a
fresh subprocess so its wall time and peak RSS are its own: ``peak_rss_mb`` is the driver's,
``worker_peak_rss_mb`` the largest Dask worker process's (``processes`` scheduler: 2 workers), and
``total_rss_bound_mb`` = driver + 2 x worker, an upper bound of what the run held at once.
With ``--keep`` the stores (and their truth) stay in ``--work`` and are reused by the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NTREX = ROOT.parent / "shared" / "data" / "ntrex128-en-ar-fa"
NTREX_FILES = (("en", "src.eng"), ("ar", "ref.arb"), ("fa", "ref.fas"))


# ------------------------------------------------------------------ sentences

def pool_sentences() -> dict[str, list[str]]:
    """Real sentences by language: NTREX lines and the seed pages' sentences."""
    pool: dict[str, list[str]] = {"en": [], "ar": [], "fa": []}
    if NTREX.is_dir():
        for lang, name in NTREX_FILES:
            pool[lang] += [s for s in (NTREX / f"newstest2019-{name}.txt").read_text(encoding="utf-8").splitlines()
                           if len(s.split()) >= 6]
    for page in sorted((ROOT / "examples" / "pages").glob("00*.txt")):
        lang = "fa" if page.name.startswith("004") else "en"
        text = page.read_text(encoding="utf-8")
        pool[lang] += [s.strip() for s in re.split(r"(?<=[.!?؟])\s+", text) if 8 <= len(s.split()) <= 60]
    return {k: v for k, v in pool.items() if v}


def scrambled(sentence: str, vocab: list[str], rng: random.Random, share: float = 0.3) -> str:
    words = sentence.split()
    return " ".join(rng.choice(vocab) if rng.random() < share else w for w in words)


def edit_words(text: str, share: float, vocab: list[str], rng: random.Random) -> str:
    """Replace ``share`` of the words (spaces and paragraph breaks kept)."""
    parts = re.split(r"(\s+)", text)
    idx = [k for k in range(0, len(parts), 2) if parts[k]]
    for k in rng.sample(idx, int(len(idx) * share)):
        parts[k] = rng.choice(vocab)
    return "".join(parts)


# ------------------------------------------------------------------ corpus

class Generator:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.pool = pool_sentences()
        self.vocab = {lang: [w for s in sents for w in s.split()] for lang, sents in self.pool.items()}
        self.langs = sorted(self.pool)

    def base(self) -> tuple[str, list[str]]:
        lang = self.rng.choice(self.langs)
        sents = [scrambled(self.spliced(lang), self.vocab[lang], self.rng) for _ in range(self.rng.randint(15, 21))]
        return lang, sents

    def spliced(self, lang: str) -> str:
        """The first half of one real sentence joined to the second half of another: ~6k² possible
        sentences, so base articles of a large corpus do not share whole sentences by chance."""
        x, y = self.rng.choice(self.pool[lang]).split(), self.rng.choice(self.pool[lang]).split()
        return " ".join(x[:len(x) // 2] + y[len(y) // 2:])

    @staticmethod
    def as_text(sents: list[str], per_para: int = 3) -> str:
        return "\n\n".join(" ".join(sents[k:k + per_para]) for k in range(0, len(sents), per_para))


def corpus(n: int, gen: Generator) -> tuple[list[dict], list[dict]]:
    """``n`` articles (dicts with id, lang, text) and the planted truth (pairs with spans)."""
    arts: list[dict] = []
    truth: list[dict] = []
    rng = gen.rng

    def add(lang: str, text: str) -> int:
        arts.append({"id": f"s{len(arts):07d}", "lang": lang, "text": text})
        return len(arts) - 1

    while len(arts) < n:
        lang, sents = gen.base()
        kind = rng.choices(["none", "verbatim", "edited", "excerpt", "reordered"], [12, 1, 2, 4, 1])[0]
        text = gen.as_text(sents)
        b = add(lang, text)
        if kind == "none":
            continue
        if kind in ("verbatim", "edited"):
            copy = text if kind == "verbatim" else edit_words(text, rng.uniform(0.05, 0.2), gen.vocab[lang], rng)
            c = add(lang, copy)
            truth.append({"kind": kind, "a": b, "b": c, "a_spans": [(0, len(text))], "b_spans": [(0, len(copy))]})
        elif kind == "excerpt":
            k = rng.randint(0, len(sents) - 4)
            m = rng.randint(2, 4)
            while len(" ".join(sents[k:k + m])) < 200 and k + m < len(sents):
                m += 1
            a_start = text.index(sents[k])
            a_end = text.index(sents[k + m - 1], a_start) + len(sents[k + m - 1])
            piece = text[a_start:a_end]
            if len(piece) < 200:
                continue
            pasted = edit_words(piece, rng.uniform(0, 0.2), gen.vocab[lang], rng)
            _, host = gen.base()
            cut = rng.randint(1, len(host) - 1)
            head, tail = gen.as_text(host[:cut]), gen.as_text(host[cut:])
            host_text = head + "\n\n" + pasted + "\n\n" + tail
            h = add(lang, host_text)
            truth.append({"kind": kind, "a": b, "b": h, "a_spans": [(a_start, a_start + len(piece))],
                          "b_spans": [(len(head) + 2, len(head) + 2 + len(pasted))]})
        else:
            paras = text.split("\n\n")
            order = list(range(len(paras)))
            rng.shuffle(order)
            moved = "\n\n".join(paras[k] for k in order)
            c = add(lang, moved)
            a_spans, b_spans = [], []
            for k in order:
                if len(paras[k]) >= 200:
                    a_spans.append((text.index(paras[k]), text.index(paras[k]) + len(paras[k])))
                    b_spans.append((moved.index(paras[k]), moved.index(paras[k]) + len(paras[k])))
            truth.append({"kind": kind, "a": b, "b": c, "a_spans": a_spans, "b_spans": b_spans})
    return arts[:n], [t for t in truth if t["a"] < n and t["b"] < n]


def ntrex_corpus(docs: int) -> tuple[list[dict], list[dict]]:
    """NTREX documents in en/ar/fa as articles; truth = every pair of languages of one document."""
    ids = [line.split("\t")[0] for line in (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()]
    texts = {lang: (NTREX / f"newstest2019-{name}.txt").read_text(encoding="utf-8").splitlines()
             for lang, name in NTREX_FILES}
    order: dict[str, list[int]] = {}
    for k, d in enumerate(ids):
        order.setdefault(d, []).append(k)
    arts, truth = [], []
    for d in list(order)[:docs]:
        first = len(arts)
        for lang, lines in texts.items():
            body = "\n\n".join(lines[k] for k in order[d][:12])
            arts.append({"id": f"t{len(arts):07d}", "lang": lang, "text": body})
        for x in range(3):
            for y in range(x + 1, 3):
                truth.append({"kind": "translation", "a": first + x, "b": first + y, "a_spans": [], "b_spans": []})
    return arts, truth


def write_store(db: Path, arts: list[dict]) -> None:
    """Store ``arts`` (id, text, lang, and date and outlet when given) as one-paragraph text articles,
    without the per-article stages (the reuse benches and tests need only the text)."""
    from newsgraph.model import Article, Paragraph, SourceDocument, content_hash
    from newsgraph.store.db import Store

    if db.exists():
        db.unlink()
    with Store(db) as store:
        for a in arts:
            doc = SourceDocument(id=content_hash(a["id"] + a["text"]), source=a["id"], path=a["id"], record=None,
                                 format="text", encoding="utf-8", text=a["text"])
            art = Article(id=a["id"], document_id=doc.id, source=a["id"], source_index=0, text=a["text"],
                          paragraphs=[Paragraph(0, len(a["text"]), 0, len(a["text"]), a["lang"])], lang=a["lang"],
                          date=a.get("date"), outlet=a.get("outlet"))
            store.add_document(doc, [art], None)


# ------------------------------------------------------------------ running and scoring

def checkout_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess that must run this checkout's code (``src`` first on its path),
    not a copy of newsgraph installed earlier, with ``extra`` variables."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]), **extra)


def run_stage(db: Path, cross_lingual: bool, scheduler: str | None = None) -> dict:
    """Run the reuse stage in a fresh process: its counts, wall time and peak RSS (driver, workers)."""
    code = ("import json,sys,time,resource; from newsgraph.store.db import Store; from newsgraph.corpus.reuse import run_reuse\n"
            f"t=time.time(); s=Store({str(db)!r}); c=run_reuse(s, cross_lingual={cross_lingual}, scheduler={scheduler!r}); s.close()\n"
            "print(json.dumps({'counts': c, 'seconds': time.time()-t, 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,"
            " 'worker_peak_rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=checkout_env())
    run = json.loads(out.stdout.strip().splitlines()[-1])
    workers = 2 if scheduler else 0
    run["total_rss_bound_mb"] = round(run["peak_rss_mb"] + workers * run["worker_peak_rss_mb"], 1)
    if not scheduler:
        run.pop("worker_peak_rss_mb")
    return run


def synthetic_store(n: int, work: Path, keep: bool) -> tuple[Path, dict, float]:
    """The store of a synthetic corpus of ``n`` articles, what scoring needs (article ids, truth,
    mean words; not the texts, so the bench holds little while the stage runs), build seconds (0
    when ``keep`` found it already built)."""
    import pickle

    db, saved = work / f"synthetic-{n}.db", work / f"synthetic-{n}.truth.pickle"
    if keep and db.exists() and saved.exists():
        with saved.open("rb") as f:
            return db, pickle.load(f), 0.0
    t = time.time()
    arts, truth = corpus(n, Generator())
    write_store(db, arts)
    gold = {"ids": [a["id"] for a in arts], "truth": truth,
            "mean_words": round(sum(len(a["text"].split()) for a in arts) / n)}
    del arts
    if keep:
        with saved.open("wb") as f:
            pickle.dump(gold, f)
    return db, gold, time.time() - t


def overlap(spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> int:
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    return sum(len(covered.intersection(range(s, e))) for s, e in _merged(others))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def score(db: Path, ids: list[str], truth: list[dict], kinds: set[str]) -> dict:
    from newsgraph.store.db import Store

    index = {aid: k for k, aid in enumerate(ids)}
    found: dict[frozenset, list] = {}
    with Store(db, readonly=True) as store:
        for r in store.conn.execute("SELECT * FROM reuse"):
            if r["kind"] in kinds:
                i, j = index[r["a_article_id"]], index[r["b_article_id"]]
                found.setdefault(frozenset((i, j)), []).append(
                    {i: (r["a_start"], r["a_end"]), j: (r["b_start"], r["b_end"])} if i != j else {})
    true_pairs = {frozenset((t["a"], t["b"])): t for t in truth}
    hit = set(found) & set(true_pairs)
    result = {"true_pairs": len(true_pairs), "found_pairs": len(found), "correct_pairs": len(hit),
              "pair_precision": round(len(hit) / max(len(found), 1), 4),
              "pair_recall": round(len(hit) / max(len(true_pairs), 1), 4), "by_kind": {}}
    for kind in sorted({t["kind"] for t in truth}):
        of_kind = [p for p, t in true_pairs.items() if t["kind"] == kind]
        result["by_kind"][kind] = round(sum(p in found for p in of_kind) / max(len(of_kind), 1), 4)
    tp = fspan = tspan = 0
    for pair in hit:
        t = true_pairs[pair]
        for side, spans in ((t["a"], t["a_spans"]), (t["b"], t["b_spans"])):
            if not spans:
                continue
            got = [rec[side] for rec in found[pair] if side in rec]
            tp += overlap(spans, got)
            fspan += sum(e - s for s, e in _merged(got))
            tspan += sum(e - s for s, e in spans)
    if tspan:
        result["span_precision"] = round(tp / max(fspan, 1), 4)
        result["span_recall"] = round(tp / tspan, 4)
    return result


def compare_minhash(arts: list[dict], truth: list[dict]) -> dict:
    """rensa (used) vs datasketch on the same word 3-gram sets: signature time and how many planted
    whole-copy pairs (verbatim, edited) reach the near-duplicate Jaccard estimate of 0.5."""
    import numpy as np

    from newsgraph.corpus.reuse_candidates import NEAR_JACCARD, NUM_PERM, minhash_matrix
    from newsgraph.corpus.reuse_text import shingle_hashes, words_of

    sets = [shingle_hashes(words_of(a["text"])) for a in arts]
    t = time.time()
    rensa_digests = minhash_matrix(sets)
    rensa_s = time.time() - t
    out = {"articles": len(arts), "rensa_seconds": round(rensa_s, 2)}
    pairs = [(x["a"], x["b"]) for x in truth if x["kind"] in ("verbatim", "edited")]
    out["rensa_pairs_at_0.5"] = sum(float(np.mean(rensa_digests[a] == rensa_digests[b])) >= NEAR_JACCARD for a, b in pairs)
    out["whole_copy_pairs"] = len(pairs)
    try:
        from datasketch import MinHash
    except ImportError:
        return out
    t = time.time()
    sketches = []
    for s in sets:
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([int(h).to_bytes(8, "little") for h in s.tolist()])
        sketches.append(m)
    out["datasketch_seconds"] = round(time.time() - t, 2)
    out["datasketch_pairs_at_0.5"] = sum(sketches[a].jaccard(sketches[b]) >= NEAR_JACCARD for a, b in pairs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--schedulers", nargs="*", default=["none"], help="none (one process), processes, local, tcp://...")
    parser.add_argument("--translations", type=int, default=60, help="NTREX documents (x3 languages); 0 to skip")
    parser.add_argument("--compare-minhash", type=int, default=0, help="articles for rensa vs datasketch (0: skip)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsgraph-reuse-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the built stores in --work and reuse them")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reuse.json")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    mono = {"exact", "near", "passage"}
    for n in args.sizes:
        db, gold, built = synthetic_store(n, args.work, args.keep)
        for scheduler in args.schedulers:
            sched = None if scheduler == "none" else scheduler
            run = run_stage(db, cross_lingual=False, scheduler=sched)
            rows.append({"corpus": f"synthetic {n}", "articles": n, "mean_words": gold["mean_words"],
                         "scheduler": scheduler, "build_seconds": round(built, 1), **run,
                         **score(db, gold["ids"], gold["truth"], mono)})
            print(rows[-1], flush=True)
        del gold
    if args.translations and NTREX.is_dir():
        arts, truth = ntrex_corpus(args.translations)
        db = args.work / "ntrex.db"
        write_store(db, arts)
        run = run_stage(db, cross_lingual=True)
        rows.append({"corpus": f"NTREX {args.translations} docs x en/ar/fa", "articles": len(arts), "scheduler": "none",
                     "mean_words": round(sum(len(a["text"].split()) for a in arts) / len(arts)), "build_seconds": 0,
                     **run, **score(db, [a["id"] for a in arts], truth, {"translation"})})
    extra = {}
    if args.compare_minhash:
        arts, truth = corpus(args.compare_minhash, Generator(seed=11))
        extra["minhash"] = compare_minhash(arts, truth)
        print("MinHash:", extra["minhash"])
    extra["growth"] = growth(rows)
    header = ("corpus", "scheduler", "articles", "mean_words", "seconds", "peak_rss_mb", "total_rss_bound_mb", "true_pairs",
              "found_pairs", "pair_precision", "pair_recall", "span_precision", "span_recall")
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(round(row.get(h), 1) if isinstance(row.get(h), float) and h.endswith(("seconds", "_mb"))
                             else row.get(h, "")) for h in header))
        print("    recall by kind:", row["by_kind"])
    for line in extra["growth"]:
        print("growth:", line)
    print("anchor: text-dedup reports MinHash F1 0.953 and 88.8k documents in 15 s (its own benchmark, not this corpus)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"runs": rows, **extra, "python": sys.version.split()[0], "cores": os.cpu_count(),
                                    "note": "2 shared cores; each run in a fresh process"}, indent=2))
    print(f"wrote {args.out}")


def growth(rows: list[dict]) -> list[str]:
    """Seconds per 1,000 articles for each scheduler and size: flat when growth is linear."""
    out = []
    for scheduler in sorted({r["scheduler"] for r in rows if r["corpus"].startswith("synthetic")}):
        runs = sorted((r["articles"], r["seconds"]) for r in rows
                      if r["scheduler"] == scheduler and r["corpus"].startswith("synthetic"))
        out.append(f"{scheduler}: " + ", ".join(f"{n:,} articles {s:.0f} s ({1000 * s / n:.2f} s per 1k)" for n, s in runs))
    return out


if __name__ == "__main__":
    main()
