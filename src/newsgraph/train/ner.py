"""Train the Arabic and Persian CRF NER models shipped in ``newsgraph/data/models/``.

One reproducible command (L-BFGS is deterministic; the word clusters use a fixed seed and one
worker thread):

    python -m newsgraph.train.ner --lang ar|fa|all --data ../shared/data --out src/newsgraph/data/models/

Data (never copied into the repository; ``CORPORA`` lists the paths):

* Arabic labels: ANERcorp ``anercorp-full/train.txt`` + the Wojood public sample
  ``wojood-sample-ar-ner/train.txt``; dev: the last 10% of ANERcorp train + Wojood ``val.txt``;
  test: ``anercorp-full/test_reconstructed.txt``.
* Persian labels: ArmanPersoNER ``armanpersoner/train/train_fold1.txt`` + PEYMA
  ``peyma-fa-ner/train.txt`` + ParsTwiNER ``parstwiner-fa-ner/train.txt``; dev: the last 10% of
  Arman train + PEYMA ``dev.txt`` + ParsTwiNER ``dev.txt``; test: ``armanpersoner/test_fold1.txt``.
  All corpora are mapped onto one tag set per language (``TRAIN_MAP``); training sentences that
  also occur in a test or dev set are removed first.
* Gazetteers: ``gazetteer-countries-en-ar-fa`` (ODbL), ``gazetteer-world-cities-en-ar``
  (CC BY 4.0; admin prefixes stripped, Latin and known-wrong entries dropped),
  ``gazetteer-iran-provinces-cities-en-fa`` (MIT), ``gazetteer-person-name-tokens-en-ar``
  (CC0), and, if the ``arabic-name-romanizer`` package is installed at training time, the
  Wikidata person names (CC0) of its ``names.sqlite3``. They are merged into
  ``ner-gazetteer.tsv.gz`` (phrase, type, source) next to the models.
* Word clusters: k-means over word2vec vectors trained (gensim, if installed) on the training
  sentences plus the NTREX-128 ar/fa(/prs) sentences (CC BY-SA 4.0) plus unlabelled news (spec key
  ``news``: ``saudinewsnet`` (CC BY-NC-SA 4.0) for Arabic, ``fa-news`` (Fars/Varzesh3) for
  Persian) — unsupervised, no labels.
* Training-label lexicon (``train_lexicon``, Persian): entity strings of the gold training spans,
  jackknifed over 5 contiguous folds during training, written to ``ner-<lang>.trainlex.tsv.gz``.

Method: settings are chosen on the dev sets (``--dev-only`` trains on the train part and scores
them, PER/ORG/LOC span-exact); the shipped model is then retrained on all training sentences
with the chosen setting (``--final-only``, or without either flag: dev run, then final run) and
scored once on test. Scores are written to ``ner-scores.json`` in ``--out``; ``--card``
regenerates the model card's tables from the written JSON.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

from newsgraph.enrich.ner_crf import (
    GAZETTEER_FILE,
    FeatureConfig,
    Gazetteer,
    Resources,
    document_features,
    normalize,
    sentence_features,
)

Sentence = tuple[list[str], list[str]]

UNLABELLED = {
    "ar": ["ntrex128-en-ar-fa/newstest2019-ref.arb.txt"],
    "fa": ["ntrex128-en-ar-fa/newstest2019-ref.fas.txt", "ntrex128-en-ar-fa/newstest2019-ref.prs.txt"],
}

# chosen on the dev sets (see NER_MODEL_CARD.md and bench/results/ner-experiments.json).
# RESEARCH: the models of the research distribution (research-models/: labels or text under research-only or
# non-commercial terms). CORE: the models of the core package, trained only on data whose terms allow any use.
RESEARCH: dict[str, dict] = {"ar": {"name": "A2 aner+wojood, saudinewsnet clusters, 1 pass",
            "features": {"window": 2,
                         "affix_max": 4,
                         "gazetteer": True,
                         "gaz_window": 2,
                         "clusters": True,
                         "cluster_window": 2,
                         "doc_stack": False,
                         "doc_window": 10},
            "crf": {"algorithm": "lbfgs", "c1": 0.05, "c2": 0.01, "max_iterations": 150},
            "extra_train": ["wojood-train"],
            "news": {"saudinewsnet": 3000000},
            "w2v_epochs": 5,
            "cluster_min_count": 3},
     "fa": {"name": "F6 arman+peyma+parstwiner, news clusters, c1 0.3, 100 iterations",
            "features": {"window": 2,
                         "affix_max": 3,
                         "gazetteer": True,
                         "gaz_window": 1,
                         "clusters": True,
                         "cluster_window": 1,
                         "doc_stack": False,
                         "train_lexicon": True},
            "crf": {"algorithm": "lbfgs", "c1": 0.3, "c2": 0.05, "max_iterations": 100},
            "cluster_sizes": [16, 32, 64, 128, 256, 512, 1024, 2048],
            "extra_train": ["peyma-train", "parstwiner-train"],
            "news": {"fa-news": 1400000},
            "w2v_epochs": 10,
            "cluster_min_count": 2}}
CORE: dict[str, dict] = {
    # A1: ANERcorp (CC BY-SA 4.0) + Wojood sample (MIT), clusters from their tokens + NTREX (CC BY-SA 4.0)
    "ar": {"name": "A1 aner+wojood, shipped clusters, 1 pass",
           "features": dict(RESEARCH["ar"]["features"]),
           "crf": dict(RESEARCH["ar"]["crf"]),
           "extra_train": ["wojood-train"]},
    # ParsTwiNER (MIT) is the only Persian NER corpus whose terms allow any use; clusters from its tokens + NTREX
    "fa": {"name": "FC parstwiner only, NTREX clusters (core)",
           "main": "parstwiner-train",
           "features": dict(RESEARCH["fa"]["features"]),
           "crf": dict(RESEARCH["fa"]["crf"]),
           "cluster_sizes": list(RESEARCH["fa"]["cluster_sizes"]),
           "w2v_epochs": 10,
           "cluster_min_count": 2}}
FINAL = {"core": CORE, "research": RESEARCH}
CLUSTER_SIZES = (64, 256, 1024)

# ---------------------------------------------------------------------------------------------
# data


def read_conll(path: Path) -> list[Sentence]:
    """``token TAG`` lines (CoNLL, split on the last space), sentences between blank lines."""
    return read_delimited(path, " ")


def read_delimited(path: Path, sep: str) -> list[Sentence]:
    """``token<sep>TAG`` lines (split on the last ``sep``; PEYMA's ``B_PER`` becomes ``B-PER``)."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            parts = line.rsplit(sep, 1)
            if len(parts) != 2 or not parts[0].strip():
                continue
            tag = parts[1].strip()
            if tag[:2] in ("B_", "I_"):
                tag = tag[0] + "-" + tag[2:]
            toks.append(parts[0].strip())
            tags.append(tag)
    if toks:
        sents.append((toks, tags))
    return sents


def read_wojood(path: Path) -> list[Sentence]:
    """Wojood ``token TAG [TAG ...]``: the outermost layer (first tag) only; the creators'
    ``$#$`` segment markers are dropped."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in list(fh) + [""]:
            parts = line.split()
            if not parts:
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            if parts[0] == "$#$" or len(parts) < 2:
                continue
            toks.append(parts[0])
            tags.append(parts[1])
    return sents


# Labelled corpora: name -> (path, reader). Test splits of PEYMA, ParsTwiNER and Wojood are not
# in shared/data (kept aside by the data owner); their train/dev splits are.
CORPORA = {
    "anercorp-train": ("anercorp-full/train.txt", read_conll),
    "anercorp-test": ("anercorp-full/test_reconstructed.txt", read_conll),
    "arman-train": ("armanpersoner/train/train_fold1.txt", read_conll),
    "arman-test": ("armanpersoner/test_fold1.txt", read_conll),
    "peyma-train": ("peyma-fa-ner/train.txt", lambda p: read_delimited(p, "|")),
    "peyma-dev": ("peyma-fa-ner/dev.txt", lambda p: read_delimited(p, "|")),
    "parstwiner-train": ("parstwiner-fa-ner/train.txt", lambda p: read_delimited(p, "\t")),
    "parstwiner-dev": ("parstwiner-fa-ner/dev.txt", lambda p: read_delimited(p, "\t")),
    "wojood-train": ("wojood-sample-ar-ner/train.txt", read_wojood),
    "wojood-val": ("wojood-sample-ar-ner/val.txt", read_wojood),
}

# Evaluation sets (bench and model selection), all scored on PER/ORG/LOC with ``to_pol``.
EVAL_SETS = {
    "ar": [("anercorp-test", "test"), ("wojood-val", "dev")],
    "fa": [("arman-test", "test"), ("peyma-dev", "dev"), ("parstwiner-dev", "dev")],
}

# Any corpus tag -> PER / ORG / LOC (everything else O). Wojood: PERS->PER, ORG, GPE+LOC->LOC
# (outer layer); ParsTwiNER: POG (political groups) -> ORG, NAT/EVE -> O; PEYMA: DAT/TIM/MON/PCT
# -> O; Arman: fac/event/pro -> O; ANERcorp: MISC -> O. Applied to gold and predictions alike.
POL_MAP = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "POG": "ORG", "LOC": "LOC", "GPE": "LOC"}

# Training label scheme per language: corpus tag (upper-cased) -> model tag (None = O).
# Persian: PER/ORG/LOC + Arman's FAC/EVENT/PRO (ParsTwiNER EVE -> EVENT, POG -> ORG).
# Arabic: ANERcorp's PERS/ORG/LOC/MISC (Wojood GPE/LOC -> LOC, EVENT/PRODUCT -> MISC).
TRAIN_MAP = {
    "fa": {"PER": "PER", "PERS": "PER", "ORG": "ORG", "POG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "FAC",
           "EVENT": "EVENT", "EVE": "EVENT", "PRO": "PRO"},
    "ar": {"PERS": "PERS", "PER": "PERS", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "MISC": "MISC",
           "EVENT": "MISC", "PRODUCT": "MISC"},
}


def map_tags(tags: list[str], mapping: dict[str, str | None]) -> list[str]:
    """Re-label BIO tags; types missing from ``mapping`` become O (a following I- then opens a
    span of its own only if its type maps, as conlleval would read it)."""
    out = []
    for t in tags:
        if t == "O" or len(t) < 3:
            out.append("O")
            continue
        m = mapping.get(t[2:].upper())
        out.append(f"{t[0]}-{m}" if m else "O")
    return out


def to_pol(tags: list[str]) -> list[str]:
    return map_tags(tags, POL_MAP)


def load_corpus(data: Path, name: str) -> list[Sentence] | None:
    rel, reader = CORPORA[name]
    p = data / rel
    return reader(p) if p.is_file() else None


MAIN = {"ar": ("anercorp-train", "anercorp-test"), "fa": ("arman-train", "arman-test")}
DEVS = {"ar": ["wojood-val"], "fa": ["peyma-dev", "parstwiner-dev"]}


def load_lang(data: Path, lang: str, extra: list[str] | None = None, subsample: float = 1.0,
              main_corpus: str | None = None) -> dict:
    """Training and evaluation sentences for ``lang``, tags in the language's training scheme
    (``TRAIN_MAP``). ``extra`` names more training corpora (``"peyma-train"``, or
    ``"wojood-train*2"`` to repeat one). Any training sentence that also occurs in a test or dev
    set is removed. ``main_corpus`` replaces the language's main training corpus (``MAIN``; its test
    set stays the test set). ``train`` = first 90% of the main corpus + the extra corpora; ``main-dev`` =
    the main corpus's last 10%; the other dev sets are the corpora's own dev splits."""
    mapping = TRAIN_MAP[lang]
    train_name, test_name = MAIN[lang]
    train_name = main_corpus or train_name

    def relabel(ss: list[Sentence]) -> list[Sentence]:
        return [(t, map_tags(g, mapping)) for t, g in ss]

    main = relabel(load_corpus(data, train_name))
    test = relabel(load_corpus(data, test_name))
    devs = {name: relabel(ss) for name in DEVS[lang] if (ss := load_corpus(data, name)) is not None}
    held_out = {tuple(t) for t, _ in test} | {tuple(t) for ss in devs.values() for t, _ in ss}
    dups = [i for i, (t, _) in enumerate(main) if tuple(t) in held_out]
    main = [s for i, s in enumerate(main) if i not in set(dups)]
    cut = int(len(main) * 0.9)
    extras: list[Sentence] = []
    removed = {train_name: len(dups)}
    for spec in extra or []:
        name, _, times = spec.partition("*")
        ss = load_corpus(data, name)
        if ss is None:
            raise FileNotFoundError(f"{name}: {data / CORPORA[name][0]} not found")
        keep = [s for s in relabel(ss) if tuple(s[0]) not in held_out]
        removed[name] = len(ss) - len(keep)
        extras += keep * int(times or 1)
    train = main[:cut] + extras
    if subsample < 1.0:  # quick experiments: every k-th sentence of the training part
        k = round(1 / subsample)
        train = train[::k]
    return {"train_all": main + extras, "train": train, "dev": main[cut:], "devs": devs, "test": test,
            "removed_duplicates": dups, "removed": removed}


# ---------------------------------------------------------------------------------------------
# gazetteer

ADMIN_PREFIXES = ("محافظة ", "ولاية ", "منطقة ", "مقاطعة ", "إقليم ", "اقليم ", "قضاء ", "مركز ", "بلدية ", "ناحية ",
                  "مدينة ", "استان ", "شهرستان ", "شهر ")
# wrong Arabic labels seen in gazetteer-world-cities-en-ar (see its README) and generic words
CITY_BLOCKLIST = {("Mosul", "فاموتيدين"), ("Aden", "فيروسات غدانية"), ("San Ramon de la Nueva Oran", "وهران")}
GAZ_STOP = {normalize(w) for w in (
    "شمال جنوب شرق غرب الشمال الجنوب الشرق الغرب جمهورية الجمهورية المتحدة الاسلامية الإسلامية مملكة المملكة جزيرة جزر "
    "العربية الديمقراطية الشعبية الاتحادية دولة ولاية مدينة سان سانت "
    "في من على الى إلى عن مع هذا هذه ذلك التي الذي كان قال بعد قبل بين عند حتى لا ما لم لن قد ثم أو او و "
    "شمالی جنوبی شرقی غربی جمهوری اسلامی متحده پادشاهی جزیره جزایر کشور شهر استان "
    "در از به با که این آن را و یا تا بر برای هم نیز است بود شد کرد می"
).split()}
# names current news uses that the sources spell differently or lack (own list, public domain)
EXTRA_GPE = {
    "ar": "أمريكا امريكا الولايات المتحدة|الولايات المتحدة الأمريكية|إسرائيل|اسرائيل|بريطانيا|روسيا|ايران|إيران|العراق|سوريا|سورية|"
          "لبنان|فلسطين|غزة|الضفة الغربية|القدس|طهران|بغداد|دمشق|بيروت|القاهرة|الرياض|واشنطن|موسكو|لندن|باريس|برلين|"
          "بكين|أنقرة|اسطنبول|إسطنبول|الموصل|عدن|صنعاء|الدوحة|أبوظبي|أبو ظبي|دبي|عمان|الكويت|البحرين|قطر|الإمارات|"
          "الاتحاد الأوروبي|أوروبا|اوروبا|الخليج|الشرق الأوسط",
    "fa": "آمریکا|امریکا|ایالات متحده|ایالات متحده آمریکا|اسرائیل|بریتانیا|انگلستان|انگلیس|روسیه|ایران|عراق|سوریه|"
          "لبنان|فلسطین|غزه|کرانه باختری|قدس|تهران|بغداد|دمشق|بیروت|قاهره|ریاض|واشنگتن|مسکو|لندن|پاریس|برلین|"
          "پکن|آنکارا|استانبول|موصل|عدن|صنعا|دوحه|ابوظبی|دبی|کویت|بحرین|قطر|امارات|اتحادیه اروپا|اروپا|"
          "خاورمیانه|خلیج فارس|افغانستان|کابل|هرات|مشهد|اصفهان|شیراز|تبریز",
}
EXTRA_GPE_MULTI = {"ar": ["الولايات المتحدة"], "fa": []}


def _sqlite_names() -> Path | None:
    try:
        import arabic_name_romanizer  # noqa: F401  (training-time only)
    except ImportError:
        return None
    p = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    return p if p.is_file() else None


def build_gazetteer(data: Path, wikidata_min_count: int = 1) -> list[tuple[str, str, str]]:
    """(phrase, type, source) rows from the shared gazetteers (+ Wikidata names if available)."""
    rows: set[tuple[str, str, str]] = set()

    def add(phrase: str, typ: str, source: str) -> None:
        phrase = " ".join(phrase.split())
        if not phrase or any("a" <= c.lower() <= "z" for c in phrase):
            return
        toks = phrase.split()
        if len(toks) == 1 and (normalize(phrase) in GAZ_STOP or len(normalize(phrase)) < 2):
            return
        rows.add((phrase, typ, source))

    # countries (ODbL 1.0, mledoze/countries)
    with open(data / "gazetteer-countries-en-ar-fa/countries_en_ar_fa.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            for col in ("name_ar_common", "name_ar_official", "name_fa_common", "name_fa_official"):
                if r.get(col):
                    add(r[col], "GPE", "countries")
    # world cities (CC BY 4.0, jamsshhayd/world-cities-translations); noisy: clean
    with open(data / "gazetteer-world-cities-en-ar/world-cities.csv", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            name = r["CityNameAr"].strip()
            if (r["CityNameEn"].strip(), name) in CITY_BLOCKLIST or name == r["CityNameEn"].strip():
                continue
            for p in ADMIN_PREFIXES:
                if name.startswith(p):
                    name = name[len(p):]
            add(name, "GPE", "world-cities")
            add(r["CountryNameAr"], "GPE", "world-cities")
    # Iranian provinces and cities (MIT, amyrmahdy/provinces_cities_iran)
    with open(data / "gazetteer-iran-provinces-cities-en-fa/iran_cities_en_fa.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            add(r["province_fa"], "GPE", "iran-cities")
            add(r["city_fa"], "GPE", "iran-cities")
    for lang in ("ar", "fa"):
        for name in EXTRA_GPE[lang].split("|"):
            add(name, "GPE", "newsgraph")
    # person names. Single tokens are pooled over the two Wikidata sources and given a strength
    # tier by their attestation count (PER1 < 5 <= PER2 < 50 <= PER3); tokens that are frequent in
    # ordinary news text (NTREX, >= 4 times: function words such as في/در/كه that Wikidata
    # mis-splits or that fold onto a name, e.g. على -> علي) are dropped.
    common = _common_words(data)
    per_counts: Counter[str] = Counter()
    per_src: dict[str, set[str]] = {}
    # person-name tokens (CC0, Wikidata via NETransliteration-COLING2018)
    with open(data / "gazetteer-person-name-tokens-en-ar/wd_arabic.normalized.aligned.tokens", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                w = parts[1].replace(" ", "")
                per_counts[w] += int(parts[2])
                per_src.setdefault(w, set()).add("wd-name-tokens")
    # Wikidata person names bundled in arabic-name-romanizer (CC0 part only)
    db = _sqlite_names()
    if db is not None:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        for key, count in con.execute("SELECT arabic_key, SUM(count) FROM units WHERE source='wikidata' GROUP BY arabic_key"):
            if len(key.split()) == 1:
                per_counts[key] += count
                per_src.setdefault(key, set()).add("wikidata-names")
        for key, count in con.execute("SELECT arabic_key, SUM(count) FROM full_names WHERE source='wikidata' GROUP BY arabic_key"):
            if len(key.split()) >= 2 and count >= wikidata_min_count:
                add(key, "PER", "wikidata-names")
        con.close()
    for w, c in per_counts.items():
        if c < 2 or normalize(w) in common:
            continue
        tier = "PER3" if c >= 50 else "PER2" if c >= 5 else "PER1"
        add(w, tier, "+".join(sorted(per_src[w])))
    return sorted(rows)


def _common_words(data: Path, min_count: int = 4) -> set[str]:
    from newsgraph.enrich.ner_crf import tokenize

    c: Counter[str] = Counter()
    for rel in UNLABELLED["ar"] + UNLABELLED["fa"]:
        p = data / rel
        if p.is_file():
            for line in p.read_text(encoding="utf-8").splitlines():
                c.update(normalize(line[s:e]) for s, e in tokenize(line))
    return {w for w, n in c.items() if n >= min_count}


def write_gazetteer(rows: list[tuple[str, str, str]], path: Path) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(("# newsgraph NER gazetteer: phrase<TAB>type<TAB>source. Sources and licences: "
                   "NER_MODEL_CARD.md\n").encode())
        for phrase, typ, src in rows:
            raw.write(f"{phrase}\t{typ}\t{src}\n".encode())


# ---------------------------------------------------------------------------------------------
# word clusters


def _news_texts(data: Path, source: str, max_tokens: int):
    """Paragraphs of the unlabelled news corpora, up to about ``max_tokens`` whitespace tokens.
    ``fa-news``: Fars News + Varzesh3 (all files); ``saudinewsnet``: SaudiNewsNet articles, every
    k-th article so that the cap is met across all days and outlets."""
    import glob
    import zipfile

    n = 0
    if source == "fa-news":
        for f in sorted(glob.glob(str(data / "fa-news-farsnews-varzesh3" / "*.json.gz"))):
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                arts = json.load(fh)
            for a in arts:
                for para in [a.get("title") or "", a.get("abstract") or ""] + (a.get("paragraphs") or []):
                    if para.strip():
                        n += len(para.split())
                        yield para
                        if n >= max_tokens:
                            return
    elif source == "saudinewsnet":
        arts = []
        for z in sorted(glob.glob(str(data / "saudinewsnet-ar" / "dataset" / "*.zip"))):
            with zipfile.ZipFile(z) as zf:
                for name in sorted(zf.namelist()):
                    arts += [a["content"] for a in json.loads(zf.read(name).decode("utf-8")) if (a.get("content") or "").strip()]
        total = sum(len(a.split()) for a in arts)
        step = max(1, round(total / max_tokens)) if total > max_tokens else 1
        for a in arts[::step]:
            for para in a.split("\n"):
                if para.strip():
                    n += len(para.split())
                    yield para
                    if n >= max_tokens:
                        return
    else:
        raise ValueError(source)


def _unlabelled_sentences(data: Path, lang: str, train: list[Sentence], news: dict[str, int] | None = None
                          ) -> list[list[str]]:
    from newsgraph.enrich.ner_crf import split_sentences, tokenize

    sents = [[normalize(t) for t in toks] for toks, _ in train]
    for rel in UNLABELLED[lang]:
        p = data / rel
        if p.is_file():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    sents.append([normalize(line[s:e]) for s, e in tokenize(line)])
    for source, max_tokens in (news or {}).items():
        for para in _news_texts(data, source, max_tokens):
            spans = tokenize(para)
            sents += [[normalize(para[s:e]) for s, e in sent] for sent in split_sentences(para, spans)]
    return sents


def _stable_hash(s: str) -> int:
    """gensim seeds each word's initial vector with hash(); Python's str hash is salted per
    process, so a stable hash is needed for reproducible clusters."""
    import zlib

    return zlib.crc32(s.encode("utf-8"))


def build_clusters(data: Path, lang: str, train: list[Sentence], sizes=CLUSTER_SIZES,
                   dim: int = 100, seed: int = 1, news: dict[str, int] | None = None, epochs: int = 15,
                   min_count: int = 2) -> dict[str, tuple[str, ...]]:
    """Word -> (cluster id per granularity), from word2vec (skip-gram) + k-means on unlabelled
    text (the training tokens without their tags, plus NTREX)."""
    import numpy as np
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans

    from newsgraph.enrich.ner_crf import strip_clitic

    sents = _unlabelled_sentences(data, lang, train, news)
    print(f"[{lang}] word2vec on {len(sents)} sentences, {sum(map(len, sents))} tokens", flush=True)
    # stems too, so that clitic-attached forms share vectors with bare ones
    sents = sents + [[strip_clitic(w, lang)[1] for w in s] for s in sents] if lang == "ar" else sents
    w2v = Word2Vec(sentences=sents, vector_size=dim, window=5, min_count=min_count, sg=1, negative=10,
                   epochs=epochs, workers=1, seed=seed, hashfxn=_stable_hash)
    words = w2v.wv.index_to_key
    vecs = w2v.wv.vectors / (np.linalg.norm(w2v.wv.vectors, axis=1, keepdims=True) + 1e-9)
    labels = []
    for k in sizes:
        km = KMeans(n_clusters=min(k, len(words)), n_init=1, random_state=seed, max_iter=100)
        labels.append(km.fit_predict(vecs))
    return {w: tuple(str(lab[i]) for lab in labels) for i, w in enumerate(words)}


def write_clusters(clusters: dict[str, tuple[str, ...]], path: Path) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        for w in sorted(clusters):
            raw.write(("\t".join((w, *clusters[w])) + "\n").encode())


# ---------------------------------------------------------------------------------------------
# training and scoring


def featurize(sents: list[Sentence], res: Resources) -> list[list[list[str]]]:
    return [sentence_features(toks, res) for toks, _ in sents]


def train_lexicon_rows(sents: list[Sentence], min_rate: float = 0.5) -> list[tuple[str, str]]:
    """(phrase, TYPE) for the entity strings of the gold labels. Single tokens are kept only when
    at least ``min_rate`` of their occurrences are tagged as (part of) an entity."""
    from newsgraph.enrich.ner_crf import bio_spans

    tok_total: Counter[str] = Counter()
    tok_ent: Counter[str] = Counter()
    rows: set[tuple[str, str]] = set()
    for toks, tags in sents:
        for w, t in zip(toks, tags):
            tok_total[normalize(w)] += 1
            if t != "O":
                tok_ent[normalize(w)] += 1
        for a, b, typ in bio_spans(tags):
            rows.add((" ".join(toks[a:b]), typ.upper()))
    out = []
    for phrase, typ in sorted(rows):
        if " " not in phrase:
            w = normalize(phrase)
            if len(w) < 2 or tok_ent[w] < min_rate * tok_total[w]:
                continue
        out.append((phrase, typ))
    return out


def write_train_lexicon(rows: list[tuple[str, str]], path: Path) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(b"# entity strings of the training labels (phrase<TAB>type); licence as the corpus\n")
        for phrase, typ in rows:
            raw.write(f"{phrase}\t{typ}\n".encode())


def featurize_train(sents: list[Sentence], res: Resources, folds: int = 5) -> list[list[list[str]]]:
    """Training features. With ``train_lexicon`` the lexicon of each contiguous fold comes from the
    other folds (jackknife), so the feature is as reliable as on unseen text; afterwards
    ``res.train_gaz`` holds the lexicon of all ``sents`` for tagging new text."""
    if not res.config.train_lexicon:
        return featurize(sents, res)
    import dataclasses

    n = len(sents)
    bounds = [round(n * k / folds) for k in range(folds + 1)]
    X: list[list[list[str]]] = []
    for k in range(folds):
        a, b = bounds[k], bounds[k + 1]
        rk = dataclasses.replace(res, train_gaz=Gazetteer(train_lexicon_rows(sents[:a] + sents[b:])))
        X.extend(featurize(sents[a:b], rk))
    res.train_gaz = Gazetteer(train_lexicon_rows(sents))
    return X


def train_crf(X, Y, crf: dict, model_path: Path) -> float:
    import pycrfsuite

    t0 = time.time()
    trainer = pycrfsuite.Trainer(algorithm=crf.get("algorithm", "lbfgs"), verbose=False)
    for x, y in zip(X, Y):
        trainer.append(x, y)
    params = {"feature.possible_transitions": True, "max_iterations": crf.get("max_iterations", 150)}
    if crf.get("algorithm", "lbfgs") == "lbfgs":
        params.update({"c1": crf.get("c1", 0.05), "c2": crf.get("c2", 0.01)})
    elif crf["algorithm"] == "pa":
        params.update({"c": crf.get("c", 1.0), "type": crf.get("pa_type", 1)})
    elif crf["algorithm"] == "arow":
        params.update({"variance": crf.get("variance", 1.0), "gamma": crf.get("gamma", 1.0)})
    if crf.get("min_freq"):
        params["feature.minfreq"] = crf["min_freq"]
    trainer.set_params(params)
    trainer.train(str(model_path))
    return time.time() - t0


def tag_all(model_path: Path, X) -> tuple[list[list[str]], float]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    t0 = time.time()
    out = [list(tagger.tag(x)) for x in X]
    return out, time.time() - t0


def _span_counts(gold: list[list[str]], pred: list[list[str]]) -> dict[str, list[int]]:
    """Per type [true positives, predicted, gold] of exact (first, last, type) span matches,
    conlleval convention (an I- without a B- opens a span), as seqeval's default mode."""
    from newsgraph.enrich.ner_crf import bio_spans

    c: dict[str, list[int]] = {}
    for g, p in zip(gold, pred):
        gs, ps = set(bio_spans(g)), set(bio_spans(p))
        for _, _, t in gs:
            c.setdefault(t, [0, 0, 0])[2] += 1
        for span in ps:
            row = c.setdefault(span[2], [0, 0, 0])
            row[1] += 1
            row[0] += span in gs
    return c


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Span-exact micro P/R/F1 and per-type scores (same numbers as seqeval's default mode)."""
    c = _span_counts(gold, pred)
    p, r, f = _prf(*(sum(v[i] for v in c.values()) for i in range(3)))
    by_type = {}
    for t in sorted(c):
        tp, npred, ngold = c[t]
        if ngold == 0:
            continue  # seqeval reports gold types only
        tp_, tr_, tf_ = _prf(tp, npred, ngold)
        by_type[t] = {"precision": round(tp_, 4), "recall": round(tr_, 4), "f1-score": round(tf_, 4),
                      "support": float(ngold)}
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "by_type": by_type}


def make_resources(lang: str, cfg: FeatureConfig, gaz: Gazetteer | None, clusters) -> Resources:
    return Resources(lang=lang, config=cfg, gazetteer=gaz if cfg.gazetteer else None,
                     clusters=clusters if cfg.clusters else None)


def _tag_with(model_path: Path, X) -> list[list[str]]:
    return tag_all(model_path, X)[0]


def train_model(lang: str, train: list[Sentence], res: Resources, crf: dict, model_path: Path,
                folds: int = 5) -> dict:
    """Train the (one- or two-pass) model; returns timings. Two-pass: the first-pass CRF's tags
    on the training sentences come from ``folds``-fold jackknifing (contiguous folds), so the
    second pass learns from first-pass tags as noisy as on unseen text."""
    t0 = time.time()
    X = featurize_train(train, res)
    if res.config.train_lexicon:
        write_train_lexicon(train_lexicon_rows(train),
                            model_path.with_name(model_path.name.replace(".crfsuite", ".trainlex.tsv.gz")))
    Y = [t for _, t in train]
    feat_time = time.time() - t0
    t0 = time.time()
    cfg = res.config
    if not cfg.doc_stack:
        train_crf(X, Y, crf, model_path)
        return {"feature_time_s": round(feat_time, 1), "train_time_s": round(time.time() - t0, 1)}
    stage1_path = model_path.with_name(model_path.name.replace(".crfsuite", ".stage1.crfsuite"))
    n = len(train)
    bounds = [round(n * k / folds) for k in range(folds + 1)]
    first: list[list[str]] = [[] for _ in range(n)]
    tmp = model_path.with_name(model_path.name + ".fold")
    for k in range(folds):
        a, b = bounds[k], bounds[k + 1]
        train_crf(X[:a] + X[b:], Y[:a] + Y[b:], crf, tmp)
        first[a:b] = _tag_with(tmp, X[a:b])
    tmp.unlink(missing_ok=True)
    train_crf(X, Y, crf, stage1_path)
    extra = document_features([t for t, _ in train], first, lang, cfg.doc_window)
    X2 = [[f + e for f, e in zip(xs, es)] for xs, es in zip(X, extra)]
    train_crf(X2, Y, crf, model_path)
    return {"feature_time_s": round(feat_time, 1), "train_time_s": round(time.time() - t0, 1)}


def predict(lang: str, sents: list[Sentence], res: Resources, model_path: Path) -> list[list[str]]:
    X = featurize(sents, res)
    if not res.config.doc_stack:
        return _tag_with(model_path, X)
    stage1_path = model_path.with_name(model_path.name.replace(".crfsuite", ".stage1.crfsuite"))
    first = _tag_with(stage1_path, X)
    extra = document_features([t for t, _ in sents], first, lang, res.config.doc_window)
    return _tag_with(model_path, [[f + e for f, e in zip(xs, es)] for xs, es in zip(X, extra)])


def _scores(sents: list[Sentence], pred: list[list[str]]) -> dict:
    """PER/ORG/LOC span-exact scores (``to_pol``), plus the F1 in the training tag scheme."""
    gold = [t for _, t in sents]
    out = score([to_pol(g) for g in gold], [to_pol(p) for p in pred])
    out["f1_all_tags"] = score(gold, pred)["f1"]
    return out


def run_config(lang: str, d: dict, spec: dict, gaz: Gazetteer | None, clusters_dev, clusters_all,
               workdir: Path, final: bool, evaluate_test: bool = True) -> dict:
    """Train on train (scored on the dev sets) or, if final, on train_all (scored on test);
    returns PER/ORG/LOC scores and timings."""
    cfg = FeatureConfig.from_dict(spec["features"])
    res = make_resources(lang, cfg, gaz, clusters_all if final else clusters_dev)
    train = d["train_all"] if final else d["train"]
    model_path = workdir / f"ner-{lang}.crfsuite"
    timing = train_model(lang, train, res, spec["crf"], model_path, folds=spec.get("doc_folds", 5))
    out = {"lang": lang, "spec": spec, "final": final, "train_sentences": len(train),
           "train_tokens": sum(len(t) for t, _ in train), **timing}
    sets = {"test": d["test"]} if final else {"main-dev": d["dev"], **d["devs"]}
    if final and not evaluate_test:
        sets = {}
    for name, sents in sets.items():
        t0 = time.time()
        pred = predict(lang, sents, res, model_path)
        total = time.time() - t0
        out[name] = _scores(sents, pred)
        out[name]["tokens_per_s"] = round(sum(len(t) for t, _ in sents) / total)
    return out


def _summary(out: dict) -> str:
    return "  ".join(f"{k} {v['f1'] * 100:.2f}" for k, v in out.items() if isinstance(v, dict) and "f1" in v)


# ---------------------------------------------------------------------------------------------
# model card tables (generated from the written JSON, never typed by hand)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.2f}"


def card_tables(root: Path) -> dict[str, str]:
    """Markdown tables for NER_MODEL_CARD.md from ``bench/results/ner.json`` (the core models),
    ``bench/results/ner-research.json`` (the research distribution's) and
    ``bench/results/ner-experiments.json`` (dev-only runs)."""
    res = root / "bench" / "results"
    out: dict[str, str] = {}
    now = json.loads((res / "ner.json").read_text(encoding="utf-8"))["results"]
    research_p = res / "ner-research.json"
    research = json.loads(research_p.read_text(encoding="utf-8"))["results"] if research_p.is_file() else {}
    lines = ["| set | split | lang | core: P / R / F1 | core PER F1 | core ORG F1 | core LOC F1 | research: P / R / F1 "
             "| research PER / ORG / LOC F1 | entities |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in now.items():
        b = research.get(name)
        bt = f"{_pct(b['precision'])} / {_pct(b['recall'])} / **{_pct(b['f1'])}**" if b else "–"
        bty = " / ".join(_pct(b["by_type"].get(t, {}).get("f1")) for t in ("PER", "ORG", "LOC")) if b else "–"
        lines.append(f"| {name} | {r['split']} | {r['lang']} | {_pct(r['precision'])} / {_pct(r['recall'])} / "
                     f"**{_pct(r['f1'])}** | " + " | ".join(_pct(r['by_type'].get(t, {}).get('f1')) for t in ("PER", "ORG", "LOC"))
                     + f" | {bt} | {bty} | {sum(v['support'] for v in r['by_type'].values()):,} |")
    out["bench"] = "\n".join(lines)
    lines = [("| test set | models | P | R | F1 (PER/ORG/LOC) | F1 in the corpus's own tags | tokens per CPU s, gold tokens | "
              "tokens per CPU s, extract_entities | tokens/s wall, extract_entities |"),
             "|---|---|---|---|---|---|---|---|---|"]
    for (dist, results), (name, r) in ((d, item) for d in (("core", now), ("research", research))
                                       for item in d[1].items()):
        if r["split"] == "test":
            lines.append(f"| {name} | {dist} | {_pct(r['precision'])} | {_pct(r['recall'])} | {_pct(r['f1'])} | "
                         f"{_pct(r.get('f1_corpus_tags'))} | {r.get('tokens_per_cpu_s_gold_tokens', 0):,} | "
                         f"{r.get('tokens_per_cpu_s_extract_entities', 0):,} | {r['tokens_per_s_extract_entities']:,} |")
    out["test"] = "\n".join(lines)
    exp_p = res / "ner-experiments.json"
    if exp_p.is_file():
        exps = json.loads(exp_p.read_text(encoding="utf-8"))
        for lang, runs in exps.items():
            devs = ["main-dev"] + DEVS[lang]
            lines = ["| run | train sentences | " + " | ".join(f"{d} F1" for d in devs) + " | mean |",
                     "|---|---|" + "---|" * (len(devs) + 1)]
            for key, r in runs.items():
                f1s = [r.get(d, {}).get("f1") for d in devs]
                got = [f for f in f1s if f is not None]
                sub = "" if r.get("subsample", 1.0) == 1.0 else f" (1/{round(1 / r['subsample'])} of train)"
                lines.append(f"| {key}{sub} | {r['train_sentences']:,} | " + " | ".join(_pct(f) for f in f1s)
                             + f" | {_pct(sum(got) / len(got)) if got else '–'} |")
            out[f"experiments-{lang}"] = "\n".join(lines)
    nn_p = res / "ner-neural-experiments.json"
    if nn_p.is_file():  # dev runs of the Arabic BiLSTM-CRF (newsgraph.train.ner_nn)
        lines = [("| run | train sentences | epochs run | epoch chosen | main-dev F1 | wojood-val F1 | mean "
                  "| numpy = torch tags | tokens per CPU s: numpy / CRF A1 (ratio) |"),
                 "|---|---|---|---|---|---|---|---|---|"]
        for key, r in json.loads(nn_p.read_text(encoding="utf-8")).items():
            f1s = [r.get(d, {}).get("f1") for d in ("main-dev", "wojood-val")]
            par = r.get("numpy_parity")
            lines.append(f"| {key} | {r['train_sentences']:,} | {len(r['history'])}{' (stopped)' if r.get('stopped') else ''} | "
                         f"{r.get('best_epoch', r.get('best_epoch_so_far'))} | " + " | ".join(_pct(f) for f in f1s)
                         + f" | {_pct(sum(f1s) / 2) if None not in f1s else '–'} | "
                         + (f"{par['same_tag']:,} / {par['tokens']:,}" if par else "–") + " | "
                         + (f"{sp['numpy_bilstm_crf_tokens_per_cpu_s']:,} / {sp['crf_a1_tokens_per_cpu_s']:,} ({sp['ratio_to_crf']})"
                            if (sp := r.get("speed")) else "–") + " |")
        out["experiments-ar-nn"] = "\n".join(lines)
    return out


def update_card(root: Path) -> None:
    """Replace each ``<!-- BEGIN generated:NAME -->`` … ``<!-- END generated:NAME -->`` block of
    the model card with the table of that name."""
    import re

    card = root / "src" / "newsgraph" / "data" / "models" / "NER_MODEL_CARD.md"
    text = card.read_text(encoding="utf-8")
    for name, table in card_tables(root).items():
        pat = re.compile(rf"(<!-- BEGIN generated:{re.escape(name)} -->\n).*?(<!-- END generated:{re.escape(name)} -->)",
                         re.DOTALL)
        text = pat.sub(lambda m, table=table: m.group(1) + table + "\n" + m.group(2), text)
    card.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", choices=["ar", "fa", "all"], default="all")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NEWSGRAPH_SHARED", "../shared")) / "data")
    ap.add_argument("--out", type=Path, default=None,
                    help="default: the distribution's model folder (src/newsgraph/data/models or research-models/…)")
    ap.add_argument("--distribution", choices=["core", "research"], default="core",
                    help="which shipped spec to train: the core package's or the research distribution's")
    ap.add_argument("--spec", type=str, default=None, help="JSON feature/CRF spec overriding the chosen one")
    ap.add_argument("--dev-only", action="store_true", help="experiment: train on the train part, score the dev sets only")
    ap.add_argument("--experiments", type=Path, default=None,
                    help="JSON of dev-only runs (written by --dev-only, read by --final-only); default OUT/ner-experiments.json")
    ap.add_argument("--final-only", action="store_true",
                    help="train and test-score the final model only (its dev run done separately with --dev-only)")
    ap.add_argument("--subsample", type=float, default=1.0, help="experiment: keep every 1/x-th training sentence")
    ap.add_argument("--cluster-cache", type=Path, default=None, help="reuse/store the word clusters in this file")
    ap.add_argument("--card", action="store_true", help="only regenerate the model card's tables from the JSON")
    args = ap.parse_args(argv)
    if args.card:
        update_card(Path(__file__).resolve().parents[3])
        return 0
    if not (args.data / "anercorp-full").is_dir():
        print(f"no training data under {args.data}", file=sys.stderr)
        return 2
    if args.out is None:
        root = Path(__file__).resolve().parents[3]
        args.out = (root / "src" / "newsgraph" / "data" / "models" if args.distribution == "core"
                    else root / "research-models" / "src" / "newsgraph_research_models" / "data" / "models")
    random.seed(0)
    args.out.mkdir(parents=True, exist_ok=True)
    langs = ["ar", "fa"] if args.lang == "all" else [args.lang]

    rows = build_gazetteer(args.data)
    write_gazetteer(rows, args.out / GAZETTEER_FILE)
    gaz = Gazetteer((p, t) for p, t, _ in rows)
    print(f"gazetteer: {len(rows)} entries ({dict(Counter(s for _, _, s in rows))})", flush=True)

    exp_p = args.experiments or args.out / "ner-experiments.json"
    scores_path = exp_p if args.dev_only else args.out / "ner-scores.json"
    all_scores = json.loads(scores_path.read_text()) if scores_path.is_file() else {}
    for lang in langs:
        spec = json.loads(args.spec) if args.spec else FINAL[args.distribution][lang]
        d = load_lang(args.data, lang, spec.get("extra_train"), args.subsample, spec.get("main"))
        print(f"[{lang}] train {len(d['train_all'])} sentences (removed as also in test/dev: {d['removed']}), "
              f"train part {len(d['train'])}, main dev {len(d['dev'])}, test {len(d['test'])}", flush=True)
        t0 = time.time()
        clusters = None
        cpath = args.out / f"ner-{lang}.clusters.tsv.gz"
        if spec["features"].get("clusters"):
            if args.cluster_cache and args.cluster_cache.is_file():
                from newsgraph.enrich.ner_crf import _load_clusters

                clusters = _load_clusters(args.cluster_cache)
            else:
                clusters = build_clusters(args.data, lang, d["train_all"],
                                          sizes=tuple(spec.get("cluster_sizes", CLUSTER_SIZES)),
                                          news=spec.get("news"), epochs=spec.get("w2v_epochs", 15),
                                          min_count=spec.get("cluster_min_count", 2))
                if args.cluster_cache:
                    write_clusters(clusters, args.cluster_cache)
            write_clusters(clusters, cpath)
        cluster_time = time.time() - t0
        print(f"[{lang}] clusters: {len(clusters or {})} words, {cluster_time:.0f}s", flush=True)
        # dev score of the setting (trained on the train part; clusters from all train text — no labels)
        if args.final_only:
            exps = json.loads(exp_p.read_text()) if exp_p.is_file() else {}
            dev_run = exps.get(lang, {}).get(spec.get("name", json.dumps(spec, sort_keys=True)), {})
        else:
            dev_run = run_config(lang, d, spec, gaz, clusters, clusters, args.out, final=False, evaluate_test=False)
            print(f"[{lang}] dev: {_summary(dev_run)}  train {dev_run['train_time_s']}s", flush=True)
        if args.dev_only:
            key = spec.get("name", json.dumps(spec, sort_keys=True))
            all_scores.setdefault(lang, {})[key] = {"subsample": args.subsample, **dev_run}
            scores_path.write_text(json.dumps(all_scores, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            continue
        final = run_config(lang, d, spec, gaz, clusters, clusters, args.out, final=True)
        sources = [spec.get("main") or MAIN[lang][0]] + list(spec.get("extra_train") or [])
        meta = {"lang": lang, "features": spec["features"], "crf": spec["crf"],
                "cluster_sizes": list(spec.get("cluster_sizes", CLUSTER_SIZES)),
                "labels_source": sources, "unlabelled_news_for_clusters": spec.get("news") or {},
                "trained": {"sentences": final["train_sentences"], "tokens": final["train_tokens"],
                            "removed_as_in_test_or_dev": d["removed"]},
                "scores_per_org_loc": {"dev": {k: v["f1"] for k, v in dev_run.items()
                                               if isinstance(v, dict) and "f1" in v},
                                       "test": final["test"]["f1"]}}
        (args.out / f"ner-{lang}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        all_scores[lang] = {"scoring": "span-exact, PER/ORG/LOC (newsgraph.train.ner.to_pol); f1_all_tags = all "
                                       "types of the training tag scheme",
                            "dev (model trained on the train part)": {k: v for k, v in dev_run.items()
                                                                      if isinstance(v, dict) and "f1" in v},
                            "test": final["test"], "train_time_s": final["train_time_s"],
                            "feature_time_s": final["feature_time_s"], "cluster_time_s": round(cluster_time, 1),
                            "spec": spec, "removed_as_in_test_or_dev": d["removed"]}
        print(f"[{lang}] test P {final['test']['precision']:.4f} R {final['test']['recall']:.4f} "
              f"F1 {final['test']['f1']:.4f}  train {final['train_time_s']}s", flush=True)
        scores_path.write_text(json.dumps(all_scores, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
