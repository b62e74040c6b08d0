"""Arabic and Persian named-entity recognition with a linear-chain CRF.

``extract_entities(text, lang)`` returns ``(start, end, label)`` character spans into ``text``
for ``lang`` in ``{"ar", "fa"}``. The models are trained by ``python -m newsgraph.train.ner``
(Arabic: ANERcorp + the Wojood public sample; Persian: ArmanPersoNER fold 1 + PEYMA + ParsTwiNER)
and shipped in ``newsgraph/data/models/`` (``ner-ar.crfsuite``/``ner-ar.json``, ``ner-fa.*``),
together with a compact gazetteer (``ner-gazetteer.tsv.gz``), word clusters
(``ner-<lang>.clusters.tsv.gz``) and, for Persian, a lexicon of the training labels' entity
strings (``ner-fa.trainlex.tsv.gz``); see ``NER_MODEL_CARD.md`` there for data, licences, scores
and limits. Loading is lazy and cached per language; nothing is downloaded.

Label mapping (model tag -> newsgraph label). The training corpora are first mapped onto one
tag set per language (``newsgraph.train.ner.TRAIN_MAP``); older models used the corpus tags
directly, which map the same way:

============================  ===========  ==============================================
corpus tags                   model tag    newsgraph label
============================  ===========  ==============================================
ANERcorp PERS, Wojood PERS    PERS         PERSON
Arman pers, PEYMA/Twi PER     PER          PERSON
ORG (all), ParsTwiNER POG     ORG          ORG
ANERcorp LOC, Wojood GPE/LOC  LOC          GPE if the span (or, after clitic stripping,
Arman loc, PEYMA/Twi LOC                   its head) is a country, capital, city or
                                           province in the gazetteer, else LOC (the
                                           corpora do not separate geopolitical
                                           entities from other places)
ANERcorp MISC, Wojood         MISC         MISC
EVENT/PRODUCT
Arman fac                     FAC          FAC
Arman event, ParsTwiNER EVE   EVENT        EVENT
Arman pro                     PRO          MISC (newsgraph has no PRODUCT label)
============================  ===========  ==============================================

Other corpus types (PEYMA dates/times/money/percent, Wojood OCC/NORP/DATE/…, ParsTwiNER NAT)
are trained as O.
NORP is in the label set for parity with the English pipeline but the models are not trained
on nationalities or groups as such (Wojood NORP and ParsTwiNER NAT are trained as O), so they
never produce it.

The feature extractor here is shared by training (``newsgraph.train.ner``) and runtime, so the
two cannot drift apart: the model's JSON sidecar records the feature configuration it was
trained with.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from newsgraph.text.arabic import normalize, split_sentences, strip_clitic, tokenize

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models"  # the core package's models
GAZETTEER_FILE = "ner-gazetteer.tsv.gz"
LANGS = ("ar", "fa")
LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "MISC")

# corpus tag (upper-cased) -> newsgraph label; "LOC" is resolved to GPE/LOC in _resolve_loc
TAG_MAP = {"PERS": "PERSON", "PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC",
           "FAC": "FAC", "EVENT": "EVENT", "PRO": "MISC"}

def _shape(token: str) -> str:
    out = []
    for ch in token:
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
            c = "a"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "X" if ch.isupper() else "x"
        elif ch == "\u200c":
            c = "z"
        else:
            c = ch if ch in ".,:;!?()[]\"'«»-/،؛؟" else "p"
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


# ---------------------------------------------------------------------------------------------
# feature configuration and resources


@dataclass
class FeatureConfig:
    window: int = 2  # context window for word forms
    affix_max: int = 3  # prefix/suffix lengths 1..affix_max of the current token
    gazetteer: bool = True  # token and multi-token gazetteer membership
    gaz_window: int = 1  # context window for token gazetteer flags
    clusters: bool = False  # unsupervised word clusters (shipped with the model)
    cluster_window: int = 1
    train_lexicon: bool = False  # entity strings seen in the training labels (jackknifed in training)
    bigrams: bool = True
    doc_stack: bool = False  # second pass with document-level features from a first-pass CRF
    doc_window: int = 10  # sentences either side that count as "the same document"
    extra: list[str] = field(default_factory=list)  # named feature switches, e.g. "fa_zwnj"

    @classmethod
    def from_dict(cls, d: dict) -> FeatureConfig:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_dict(self) -> dict:
        return asdict(self)


class Gazetteer:
    """Phrase gazetteer over normalised tokens: phrase -> set of types (PER, LOC, GPE, ORG, ...).

    ``token_types`` answers single-token membership (PER name units included); ``matches``
    finds multi-token phrases (longest first) with clitic stripping on the first token.
    """

    MAX_LEN = 6

    def __init__(self, entries: Iterable[tuple[str, str]] = ()):
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.tokens: dict[str, set[str]] = {}
        for phrase, typ in entries:
            self.add(phrase, typ)

    def add(self, phrase: str, typ: str) -> None:
        toks = tuple(normalize(t) for t in phrase.split())
        if not toks or len(toks) > self.MAX_LEN:
            return
        variants = {toks}
        if toks[0].startswith("ال") and len(toks[0]) >= 4:
            variants.add((toks[0][2:], *toks[1:]))  # العراق also as عراق (stem after وال/بال/...)
        for v in variants:
            if len(v) == 1:
                self.tokens.setdefault(v[0], set()).add(typ)
            else:
                self.phrases.setdefault(v, set()).add(typ)

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        g = cls()
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    g.add(parts[0], parts[1])
        return g

    def token_types(self, norm: str, stem: str) -> set[str]:
        out = self.tokens.get(norm)
        if stem != norm:
            s2 = self.tokens.get(stem)
            if s2:
                out = (out or set()) | s2
        return out or set()

    def matches(self, norms: Sequence[str], stems: Sequence[str]) -> list[list[str]]:
        """Per token, BIO-style tags ``B-TYPE``/``I-TYPE`` of multi-token phrase matches."""
        n = len(norms)
        tags: list[list[str]] = [[] for _ in range(n)]
        if not self.phrases:
            return tags
        for i in range(n):
            firsts = {norms[i], stems[i]}
            for length in range(min(self.MAX_LEN, n - i), 1, -1):
                rest = tuple(norms[i + 1:i + length])
                found = None
                for f in firsts:
                    found = self.phrases.get((f, *rest))
                    if found:
                        break
                if found:
                    for t in found:
                        tags[i].append("B-" + t)
                        for j in range(i + 1, i + length):
                            tags[j].append("I-" + t)
                    break
        return tags


@dataclass
class Resources:
    lang: str
    config: FeatureConfig
    gazetteer: Gazetteer | None = None
    clusters: dict[str, tuple[str, ...]] | None = None  # norm -> cluster ids (coarse..fine)
    train_gaz: Gazetteer | None = None  # entity strings of the training labels (train_lexicon)


# ---------------------------------------------------------------------------------------------
# features


def _token_feats(raw: str, norm: str, clitic: str, stem: str, cfg: FeatureConfig, lang: str) -> list[str]:
    f = ["b", "w=" + raw, "n=" + norm, "st=" + stem, "cl=" + clitic, "sh=" + _shape(raw)]
    for k in range(1, cfg.affix_max + 1):
        if len(norm) >= k:
            f.append(f"p{k}={norm[:k]}")
            f.append(f"s{k}={norm[-k:]}")
        if stem != norm and len(stem) >= k:
            f.append(f"sp{k}={stem[:k]}")
            f.append(f"ss{k}={stem[-k:]}")
    if any(c.isdigit() for c in norm):
        f.append("hasdig")
        if norm.isdigit():
            f.append("alldig")
    f.append("len=%d" % min(len(norm), 8))
    if lang == "fa" and "\u200c" in raw:
        parts = raw.split("\u200c")
        f.append("zw")
        f.append("zw0=" + normalize(parts[0]))
        f.append("zwl=" + normalize(parts[-1]))
    if any("a" <= c.lower() <= "z" for c in raw):
        f.append("latin")
    if "cng" in cfg.extra:  # character n-grams (2..5) of the clitic-stripped form, word-internal
        w = stem if len(stem) <= 20 else stem[:20]
        for k in range(2, 6):
            for a in range(1, len(w) - k):  # interior n-grams only: edges are the affix features
                f.append(f"cg{k}={w[a:a + k]}")
    return f


def _phrase_match_features(prefix: str, matches: Sequence[Sequence[str]], i: int) -> list[str]:
    """Phrase-match tags of token ``i`` and its two neighbours ("gm=…", "gm-1=…", "gm+1=…")."""
    out = [f"{prefix}={t}" for t in matches[i]]
    if i > 0:
        out += [f"{prefix}-1={t}" for t in matches[i - 1]]
    if i < len(matches) - 1:
        out += [f"{prefix}+1={t}" for t in matches[i + 1]]
    return out


def sentence_features(tokens: Sequence[str], res: Resources) -> list[list[str]]:
    """CRFsuite feature strings for one sentence of raw tokens."""
    cfg, lang = res.config, res.lang
    n = len(tokens)
    norms = [normalize(t) for t in tokens]
    cs = [strip_clitic(x, lang) for x in norms]
    clitics = [c for c, _ in cs]
    stems = [s for _, s in cs]
    shapes = [_shape(t) for t in tokens]
    gaz = res.gazetteer if cfg.gazetteer else None
    gtok = [sorted(gaz.token_types(norms[i], stems[i])) for i in range(n)] if gaz else None
    gmat = gaz.matches(norms, stems) if gaz else None
    clus = res.clusters if cfg.clusters else None
    tgaz = res.train_gaz if cfg.train_lexicon else None
    ttok = [sorted(tgaz.token_types(norms[i], stems[i])) for i in range(n)] if tgaz else None
    tmat = tgaz.matches(norms, stems) if tgaz else None
    ctok = [clus.get(stems[i]) or clus.get(norms[i]) for i in range(n)] if clus else None

    out = []
    for i in range(n):
        f = _token_feats(tokens[i], norms[i], clitics[i], stems[i], cfg, lang)
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        for d in range(1, cfg.window + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if 0 <= j < n:
                    f.append(f"{sign}{d}n={norms[j]}")
                    f.append(f"{sign}{d}st={stems[j]}")
                    if d == 1:
                        f.append(f"{sign}1s3={norms[j][-3:]}")
                        f.append(f"{sign}1p2={norms[j][:2]}")
                        f.append(f"{sign}1sh={shapes[j]}")
                        f.append(f"{sign}1cl={clitics[j]}")
                elif d == 1:
                    f.append(f"{sign}1pad")
        if cfg.bigrams:
            if i > 0:
                f.append(f"bg-={norms[i - 1]}|{norms[i]}")
            if i < n - 1:
                f.append(f"bg+={norms[i]}|{norms[i + 1]}")
        if gaz is not None:
            for d in range(-cfg.gaz_window, cfg.gaz_window + 1):
                j = i + d
                if 0 <= j < n:
                    for t in gtok[j]:
                        f.append(f"g{d}={t}")
            f.extend(_phrase_match_features("gm", gmat, i))
        if tgaz is not None:
            for t in ttok[i]:
                f.append("tl=" + t)
            f.extend(_phrase_match_features("tm", tmat, i))
        if ctok is not None:
            for d in range(-cfg.cluster_window, cfg.cluster_window + 1):
                j = i + d
                if 0 <= j < n and ctok[j]:
                    for lvl, c in enumerate(ctok[j]):
                        f.append(f"c{d}.{lvl}={c}")
                elif 0 <= j < n:
                    f.append(f"c{d}=unk")
        out.append(f)
    return out


def document_features(sents: Sequence[Sequence[str]], stage1: Sequence[Sequence[str]], lang: str,
                      window: int) -> list[list[list[str]]]:
    """Second-pass features: the first-pass tags of the token and its neighbours, and how the
    same word (clitic-stripped) and the same multi-token names were tagged by the first pass in
    the other sentences within ``window`` sentences (label consistency within an article)."""
    stems = [[strip_clitic(normalize(t), lang)[1] for t in s] for s in sents]
    n_s = len(sents)
    # per sentence: word -> Counter of entity types; spans -> type
    word_types: list[dict[str, dict[str, int]]] = []
    span_entries: list[list[tuple[tuple[str, ...], str]]] = []
    for st, tags in zip(stems, stage1):
        wt: dict[str, dict[str, int]] = {}
        for w, t in zip(st, tags):
            if len(w) >= 3:
                d = wt.setdefault(w, {})
                key = t[2:] if t != "O" else "O"
                d[key] = d.get(key, 0) + 1
        word_types.append(wt)
        span_entries.append([(tuple(st[a:b]), typ) for a, b, typ in bio_spans(tags) if b - a >= 2])
    out = []
    for k in range(n_s):
        lo, hi = max(0, k - window), min(n_s, k + window + 1)
        agg: dict[str, dict[str, int]] = {}
        dyn = Gazetteer()
        for j in range(lo, hi):
            if j == k:
                continue
            for w, d in word_types[j].items():
                a = agg.setdefault(w, {})
                for t, c in d.items():
                    a[t] = a.get(t, 0) + c
            for toks, typ in span_entries[j]:
                dyn.phrases.setdefault(toks, set()).add(typ)
        tags = stage1[k]
        st = stems[k]
        mat = dyn.matches(st, st)
        feats = []
        for i in range(len(st)):
            f = ["s1=" + tags[i], "s1-1=" + (tags[i - 1] if i > 0 else "BOS"),
                 "s1+1=" + (tags[i + 1] if i + 1 < len(tags) else "EOS")]
            d = agg.get(st[i])
            if d:
                ents = {t: c for t, c in d.items() if t != "O"}
                if ents:
                    best = max(ents, key=ents.get)
                    f.append("dk=" + best)
                    f.append("dk=%s|%s" % (best, tags[i]))
                    if d.get("O", 0) == 0:
                        f.append("dkall=" + best)
                else:
                    f.append("dk=O")
            for t in mat[i]:
                f.append("ds=" + t)
            feats.append(f)
        out.append(feats)
    return out


# ---------------------------------------------------------------------------------------------
# spans


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first_token, last_token_exclusive, TYPE) from BIO tags; an I- without a B- opens a span
    (conlleval convention)."""
    spans = []
    start, typ = None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
            if start is not None:
                spans.append((start, i, typ))
                start, typ = None, None
            if t != "O":
                start, typ = i, t[2:]
    return spans


# ---------------------------------------------------------------------------------------------
# model loading (lazy, cached)


def installed_model_dir(lang: str) -> Path:
    """The folder of the ``lang`` model the stage runs on: the research distribution's when it is
    installed (``newsgraph.weights``), else the core package's. Looked up once per distribution state,
    not per call (the stage asks for every paragraph)."""
    from newsgraph.weights import research_data

    return _model_dir(lang, research_data())


@lru_cache(maxsize=8)
def _model_dir(lang: str, research: Path | None) -> Path:  # ``research`` in the key: NEWSGRAPH_MODELS=core
    from newsgraph.weights import folder_of

    return folder_of(f"models/ner-{lang}.crfsuite", "models")


class CRFModel:
    def __init__(self, lang: str, model_dir: Path = MODEL_DIR):
        import pycrfsuite  # python-crfsuite

        meta = json.loads((model_dir / f"ner-{lang}.json").read_text(encoding="utf-8"))
        self.lang = lang
        self.meta = meta
        cfg = FeatureConfig.from_dict(meta["features"])
        # the gazetteer (open data) ships with the core package only
        gaz_dir = model_dir if (model_dir / GAZETTEER_FILE).is_file() else MODEL_DIR
        gaz = load_gazetteer(gaz_dir) if cfg.gazetteer else None
        clusters = None
        if cfg.clusters:
            clusters = _load_clusters(model_dir / f"ner-{lang}.clusters.tsv.gz")
        tgaz = Gazetteer.load(model_dir / f"ner-{lang}.trainlex.tsv.gz") if cfg.train_lexicon else None
        self.resources = Resources(lang=lang, config=cfg, gazetteer=gaz, clusters=clusters, train_gaz=tgaz)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_dir / f"ner-{lang}.crfsuite"))
        self.stage1 = None
        if cfg.doc_stack:
            self.stage1 = pycrfsuite.Tagger()
            self.stage1.open(str(model_dir / f"ner-{lang}.stage1.crfsuite"))
        self._lock = threading.Lock()  # a crfsuite Tagger is not thread-safe

    def tag_document(self, sents: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for the sentences of one document (the second pass sees all of them)."""
        feats = [sentence_features(toks, self.resources) if toks else [] for toks in sents]
        with self._lock:
            if self.stage1 is None:
                tags = [list(self.tagger.tag(f)) if f else [] for f in feats]
            else:
                first = [list(self.stage1.tag(f)) if f else [] for f in feats]
                extra = document_features(sents, first, self.lang, self.resources.config.doc_window)
                tags = [list(self.tagger.tag([a + b for a, b in zip(f, e)])) if f else []
                        for f, e in zip(feats, extra)]
        return tags

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_document([tokens])[0] if tokens else []


def _load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                out[parts[0]] = tuple(parts[1:])
    return out


_GAZ_CACHE: dict[Path, Gazetteer] = {}
_MODEL_CACHE: dict[tuple[str, Path], CRFModel] = {}
_CACHE_LOCK = threading.Lock()


def load_gazetteer(model_dir: Path = MODEL_DIR) -> Gazetteer:
    path = model_dir / GAZETTEER_FILE
    with _CACHE_LOCK:
        if path not in _GAZ_CACHE:
            _GAZ_CACHE[path] = Gazetteer.load(path)
        return _GAZ_CACHE[path]


def get_model(lang: str, model_dir: Path | None = None) -> CRFModel:
    if lang not in LANGS:
        raise ValueError(f"no NER model for language {lang!r} (have {', '.join(LANGS)})")
    model_dir = model_dir or installed_model_dir(lang)
    key = (lang, model_dir)
    m = _MODEL_CACHE.get(key)
    if m is None:
        built = CRFModel(lang, model_dir)
        with _CACHE_LOCK:
            m = _MODEL_CACHE.setdefault(key, built)
    return m


def available(lang: str, model_dir: Path | None = None) -> bool:
    model_dir = model_dir or installed_model_dir(lang)
    return (model_dir / f"ner-{lang}.crfsuite").is_file() and (model_dir / f"ner-{lang}.json").is_file()


def model_versions() -> str:
    """The installed Arabic and Persian models, by name and file digest (for the ``runs`` table)."""
    import hashlib

    parts = []
    for lang in LANGS:
        if not available(lang):
            parts.append(f"ner-{lang}: not installed")
            continue
        folder = installed_model_dir(lang)
        meta = json.loads((folder / f"ner-{lang}.json").read_text(encoding="utf-8"))
        digest = hashlib.sha256((folder / f"ner-{lang}.crfsuite").read_bytes()).hexdigest()[:12]
        parts.append(f"ner-{lang}: {meta.get('name', '?')} ({digest})")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# public API


def _resolve_loc(text: str, gaz: Gazetteer | None, lang: str) -> str:
    """GPE if the place name is a known country/city/province, else LOC."""
    if gaz is None:
        return "LOC"
    toks = [text[s:e] for s, e in tokenize(text)]
    norms = [normalize(t) for t in toks]
    if not norms:
        return "LOC"
    stems = list(norms)
    stems[0] = strip_clitic(norms[0], "ar")[1]  # also for fa: Arabic-style و/ال prefixes are harmless here
    for cand in (tuple(norms), tuple(stems)):
        if len(cand) == 1:
            if "GPE" in gaz.tokens.get(cand[0], ()):
                return "GPE"
        elif "GPE" in gaz.phrases.get(cand, ()):
            return "GPE"
    return "LOC"


# PEYMA and ParsTwiNER leave honorifics outside PER spans, so the models tag only "قاسم" in
# "حاج قاسم". A bare first name is ambiguous; with حاج it is the conventional way of naming one person
# (the round-2 model returned "حاج قاسم", and entity resolution links that form), so a one-token
# PERSON span keeps a directly preceding حاج/حاجی/الحاج. Longer names are left as tagged.
_HAJ = {normalize(w) for w in ("حاج", "حاجی", "الحاج")}


def extract_entities(text: str, lang: str, model_dir: Path | None = None) -> list[tuple[int, int, str]]:
    """Named entities in Arabic (``lang="ar"``) or Persian (``"fa"``) text.

    Returns ``(start, end, label)`` with ``text[start:end]`` the entity's surface form (clitics
    such as Arabic و/ب/ل/ال stay attached, as in the training corpora) and ``label`` one of
    PERSON, ORG, GPE, LOC, FAC, EVENT, MISC (see the module docstring for the mapping).
    ``model_dir`` selects another model folder (benchmarks of candidate models); by default the
    installed one (:func:`installed_model_dir`).
    """
    if not text or not text.strip():
        return []
    model = get_model(lang, model_dir)
    spans = tokenize(text)
    out: list[tuple[int, int, str]] = []
    sents = split_sentences(text, spans)
    all_tags = model.tag_document([[text[s:e] for s, e in sent] for sent in sents])
    for sent, tags in zip(sents, all_tags):
        for a, b, typ in bio_spans(tags):
            label = TAG_MAP.get(typ.upper(), "MISC")
            if label == "PERSON" and b - a == 1 and a > 0 and normalize(text[slice(*sent[a - 1])]) in _HAJ:
                a -= 1  # "حاج قاسم": a bare first name keeps the honorific that makes it a name (see below)
            start, end = sent[a][0], sent[b - 1][1]
            if label == "LOC":
                label = _resolve_loc(text[start:end], model.resources.gazetteer, lang)
            out.append((start, end, label))
    return out


__all__ = ["extract_entities", "tokenize", "normalize", "split_sentences", "bio_spans", "get_model", "available",
           "FeatureConfig", "Gazetteer", "Resources", "sentence_features", "document_features", "LABELS", "TAG_MAP"]
