"""Narratives: what the texts say again and again, across stories, outlets and languages.

``build_narratives(store)`` computes them from what the other stages stored:

1. **Claims.** A *claim sentence* is a sentence (as :func:`newsgraph.corpus.reuse_xling.sentences_of`
   cuts the text, the spans the stored embeddings use) of :attr:`Params.min_words` words or more
   (shorter ones cluster by their form: exclamations, datelines) that overlaps at least one
   of these spans of its article: a **quote** (``quotes``: the quoted words, so every sentence of a
   long quote), a **relation**'s evidence sentence (``relations``), a persuasion **technique** span
   (``techniques``) or a **loaded term** (``loaded_terms``). Nothing else makes a sentence a claim;
   the layers that carried it are kept with it (``carriers``).
2. **Embeddings, once.** Claim sentences are embedded with multilingual-e5-small (the helper and the
   ``sentence_vectors`` rows of :mod:`newsgraph.corpus.reuse_xling`, shared with cross-lingual reuse and
   stories); only sentences without a stored vector are embedded, and they are stored for the next
   stage (with the lead sentences of an article embedded for the first time, which the stories stage
   expects of an article with stored rows). Vectors are centred on their language's mean (:func:`newsgraph.corpus.stories.centred`) so
   that an Arabic and a Persian sentence saying the same thing meet as closely as two Arabic ones.
3. **Clusters.** Average-linkage agglomerative clustering on cosine distance (scikit-learn), cut at
   :attr:`Params.distance` (tuned on the SemEval-2025 English *train* articles of the tuning half,
   ``bench/narratives.py``; HDBSCAN measured there too, see ``bench/results/narratives.json``). Past
   :attr:`Params.max_clustered` sentences a fixed sample (chosen by a hash of each sentence's span, so
   the same sentence is always in or out) is clustered and the others join the nearest cluster centre
   when it is close enough, which bounds the quadratic cost.
4. **Recurrence.** A cluster is a narrative when it has :attr:`Params.min_sentences` sentences and
   recurs: its sentences come from at least two stories (an article in no story counts as a story of
   its own) or from two articles of different outlets. A cluster inside one article is repetition.
5. **Ids, overrides, description.** A narrative keeps the id of the previous run's cluster most of its
   sentences come from (as stories keep theirs); a new one takes an id made from its first sentence.
   The user's overrides file (:class:`NarrativeOverrides`) then names, merges and splits narratives.
   Each gets keywords per language by class-based TF-IDF (every narrative of a language a class, the
   claim sentences in no narrative one more class, so that words common to every claim weigh little),
   its representative sentences (closest to its centre, one per article first) as evidence
   ``(article_id, start, end)``, and the articles carrying it by outlet and by month.

Narratives are clusters of what the texts say: no name, outlet or side is scored, listed or weighted
anywhere in this module (``tests/test_narratives.py`` swaps the sides of a corpus and gets mirrored
narratives). The stage **recomputes** every narrative when its inputs changed (new articles, re-run
layers, stories, overrides; a fingerprint of them is stored): clustering is global, so a new batch can
join or split existing clusters; the embeddings are not recomputed, and ids persist where members do.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsgraph.corpus.reuse_xling import (
    DIM,
    EMBEDDING_MODEL,
    LEAD,
    MAX_SENTENCE_CHARS,
    embed,
    sentence_key,
    sentences_of,
)
from newsgraph.corpus.stories import assign_ids as group_ids
from newsgraph.corpus.stories import centred
from newsgraph.store import narratives as sql
from newsgraph.store import vectors as vector_sql
from newsgraph.text.normalize import normalize_for_search

if TYPE_CHECKING:
    from newsgraph.store.db import Store

NARRATIVES_VERSION = "narratives-1"
MODEL = EMBEDDING_MODEL
EMBED_BATCH = 256
WORD = re.compile(r"[^\W\d_]{3,}")  # keyword candidates: letters only, three or more


@dataclass(frozen=True)
class Params:
    """The stage's settings (tuned on the SemEval-2025 English train articles, tuning half)."""

    distance: float = 0.70  # average-linkage cut, cosine distance of centred sentence vectors (best adjusted Rand
    # index on the SemEval tuning half over 0.45-0.80; bench/results/narratives.json "tuning")
    min_words: int = 6  # shorter claim sentences are left out ("Long live the people!" clusters by its form)
    min_sentences: int = 3  # a narrative has at least this many sentences ...
    min_stories: int = 2  # ... from this many stories (an article in no story is a story of its own)
    min_outlets: int = 2  # ... or from this many outlets
    max_clustered: int = 6000  # sentences clustered directly; the rest join the nearest centre
    evidence: int = 6  # representative sentences kept per narrative
    keywords: int = 8  # keywords per language


PARAMS = Params()


@dataclass(frozen=True)
class Claim:
    """A claim sentence: its span, its order in the article (the stored vector's idx) and what carried it."""

    article_id: str
    idx: int
    start: int
    end: int
    carriers: tuple[str, ...]


# ------------------------------------------------------------------ overrides


@dataclass
class NarrativeOverrides:
    """The user's corrections, read from a TOML file (``newsgraph narratives --overrides FILE``); the
    database keeps the last file given, so later runs apply it without the option:

    .. code-block:: toml

        [name]                        # narrative id -> the name to show
        nr3f2a9c01d4e5 = "The US as the real terrorist"

        [[merge]]                     # these narratives are one (it keeps the first id)
        ids = ["nr3f2a9c01d4e5", "nr77b0e1aa9c20"]
        name = "optional name"

        [[split]]                     # the sentences of narrative `id` holding any of `terms` (any script,
        id = "nr3f2a9c01d4e5"         # spelling variants folded) leave it for a narrative of their own,
        terms = ["airliner", "هواپیما"]  # with an id made from `id` and the terms
        name = "optional name"

    An id the run does not find is reported (``unknown_ids``), not an error: the narrative may have
    dissolved as the corpus grew."""

    name: dict[str, str] = field(default_factory=dict)
    merge: list[dict[str, Any]] = field(default_factory=list)
    split: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> NarrativeOverrides:
        """Read and check a file; ValueError with what is wrong (tomllib's errors are ValueErrors too)."""
        return cls.from_dict(tomllib.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NarrativeOverrides:
        unknown = set(data) - {"name", "merge", "split"}
        if unknown:
            raise ValueError(f"unknown section {', '.join(sorted(unknown))} (expected name, merge, split)")
        names = data.get("name", {})
        if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
            raise ValueError("[name] maps narrative ids to names (strings)")
        merges, splits = data.get("merge", []), data.get("split", [])
        for m in merges:
            if not isinstance(m, dict) or not isinstance(m.get("ids"), list) or len(m["ids"]) < 2 \
                    or not all(isinstance(i, str) for i in m["ids"]):
                raise ValueError("each [[merge]] needs ids = [two or more narrative ids]")
        for s in splits:
            if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not isinstance(s.get("terms"), list) \
                    or not s["terms"] or not all(isinstance(t, str) and t.strip() for t in s["terms"]):
                raise ValueError("each [[split]] needs id = \"narrative id\" and terms = [one or more words]")
        return cls(dict(names), [dict(m) for m in merges], [dict(s) for s in splits])

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def split_id(parent: str, terms: list[str]) -> str:
    key = parent + "|" + "|".join(sorted(normalize_for_search(t) for t in terms))
    return "nr" + hashlib.sha256(key.encode()).hexdigest()[:12]


def apply_overrides(groups: dict[str, list[int]], texts: list[str], overrides: NarrativeOverrides
                    ) -> tuple[dict[str, list[int]], dict[str, str], list[str]]:
    """The narratives after the user's merges, then splits: id -> member indices; the names; and the ids
    the file names that are not there."""
    out = {k: list(v) for k, v in groups.items()}
    alias: dict[str, str] = {}
    names: dict[str, str] = {}
    unknown: list[str] = []
    for m in overrides.merge:
        present = [i for i in m["ids"] if i in out]
        unknown += [i for i in m["ids"] if i not in out and i not in alias]
        if not present:
            continue
        target = present[0]
        for other in present[1:]:
            out[target] += out.pop(other)
            alias[other] = target
        out[target].sort()
        if m.get("name"):
            names[target] = str(m["name"])
    for s in overrides.split:
        parent = alias.get(s["id"], s["id"])
        if parent not in out:
            unknown.append(s["id"])
            continue
        terms = [normalize_for_search(t) for t in s["terms"]]
        leaving = [k for k in out[parent] if any(t in normalize_for_search(texts[k]) for t in terms)]
        if leaving and len(leaving) < len(out[parent]):
            child = split_id(parent, s["terms"])
            out[child] = leaving
            out[parent] = [k for k in out[parent] if k not in set(leaving)]
            if s.get("name"):
                names[child] = str(s["name"])
    for nid, name in overrides.name.items():
        target = alias.get(nid, nid)
        if target in out:
            names[target] = name
        else:
            unknown.append(nid)
    return out, names, sorted(set(unknown))


# ------------------------------------------------------------------ 1. claims


def claim_sentences(conn: Any, min_words: int = PARAMS.min_words) -> tuple[list[Claim], dict[str, str]]:
    """Every claim sentence (see the module docstring) of ``min_words`` words or more, sorted by article and
    start; and the texts of their articles."""
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for aid, start, end, layer in sql.carrier_spans(conn):
        spans[aid].append((start, end, layer))
    texts = vector_sql.article_texts(conn, sorted(spans))
    claims = []
    for aid in sorted(spans):
        marks = sorted(spans[aid])
        for idx, s in enumerate(sentences_of(texts.get(aid, ""))):
            carriers = sorted({layer for a, b, layer in marks if a < s.end and b > s.start})
            if carriers and len(texts[aid][s.start:s.end].split()) >= min_words:
                claims.append(Claim(aid, idx, s.start, s.end, tuple(carriers)))
    return claims, texts


# ------------------------------------------------------------------ 2. embeddings


def claim_vectors(conn: Any, claims: list[Claim], texts: dict[str, str],
                  progress: Callable[[str, int, int], None] | None = None) -> tuple[np.ndarray, int]:
    """A unit vector per claim, from ``sentence_vectors`` where stored for the same span, else embedded now
    and stored; and how many were embedded."""
    stored = vector_sql.stored_sentences(conn, sorted({c.article_id for c in claims}), MODEL)
    out = np.zeros((len(claims), DIM), dtype=np.float32)
    missing = []
    for k, c in enumerate(claims):
        row = stored.get(c.article_id, {}).get(c.idx)
        if row is not None and row[0] == c.start and row[1] == c.end:
            out[k] = row[2]
        else:
            missing.append(k)
    # the stories stage takes an article with any stored row for one with its lead sentences stored: an article
    # embedded here for the first time gets its lead sentences too (at most LEAD more), so that stays true
    todo = [(k, claims[k].article_id, claims[k].idx, claims[k].start, claims[k].end) for k in missing]
    have = {(a, i) for _, a, i, _, _ in todo}
    for aid in sorted({a for _, a, _, _, _ in todo} - set(stored)):
        todo += [(-1, aid, i, s.start, s.end) for i, s in enumerate(sentences_of(texts[aid])[:LEAD]) if (aid, i) not in have]
    for b in range(0, len(todo), EMBED_BATCH):
        part = todo[b:b + EMBED_BATCH]
        vectors = embed([texts[a][s:e][:MAX_SENTENCE_CHARS] for _, a, _, s, e in part])
        vector_sql.add_sentence_vectors(conn, MODEL, [(a, i, s, e, v, sentence_key(texts[a][s:e]))
                                                      for (_, a, i, s, e), v in zip(part, vectors)])
        for (k, *_), v in zip(part, vectors):
            if k >= 0:
                out[k] = v
        if progress:
            progress("embed", min(b + EMBED_BATCH, len(todo)), len(todo))
    return out, len(todo)


# ------------------------------------------------------------------ 3. clusters


def cluster_labels(vectors: np.ndarray, keys: list[str], params: Params = PARAMS) -> np.ndarray:
    """A cluster number per row of ``vectors`` (unit rows; -1: in no cluster). Average linkage on cosine
    distance cut at ``params.distance``; past ``max_clustered`` rows a sample fixed by the hash of ``keys``
    is clustered and the other rows join the nearest cluster centre within the same distance."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(vectors)
    if n < 2:
        return np.full(n, -1 if n == 0 else 0, dtype=np.int64)
    if n <= params.max_clustered:
        sample = np.arange(n)
    else:
        digest = [hashlib.sha256(k.encode()).hexdigest() for k in keys]
        sample = np.sort(np.argsort(digest, kind="stable")[:params.max_clustered])
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=params.distance)
    labels = np.full(n, -1, dtype=np.int64)
    labels[sample] = model.fit_predict(vectors[sample])
    if len(sample) < n:
        rest = np.setdiff1d(np.arange(n), sample)
        count = int(labels[sample].max()) + 1
        centres = np.zeros((count, vectors.shape[1]), dtype=np.float32)
        np.add.at(centres, labels[sample], vectors[sample])
        centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
        for start in range(0, len(rest), 4096):
            rows = rest[start:start + 4096]
            sims = vectors[rows] @ centres.T
            best = sims.argmax(axis=1)
            near = sims[np.arange(len(rows)), best] >= 1.0 - params.distance
            labels[rows[near]] = best[near]
    return labels


def recurrent(members: list[int], claims: list[Claim], story_of: dict[str, str],
              outlet_of: dict[str, str | None], params: Params = PARAMS) -> bool:
    """Whether a cluster recurs: enough sentences, from enough stories or outlets."""
    if len(members) < params.min_sentences:
        return False
    articles = {claims[k].article_id for k in members}
    stories = {story_of.get(a, "article:" + a) for a in articles}
    outlets = {outlet_of.get(a) for a in articles} - {None, ""}
    return len(stories) >= params.min_stories or len(outlets) >= params.min_outlets


def assign_ids(clusters: list[list[int]], claims: list[Claim], previous: dict[tuple[str, int], str]) -> list[str]:
    """An id per cluster: the previous cluster most of its sentences were in (each old id to one cluster, the
    one holding most of its sentences), else one made from its first sentence (as story ids are kept)."""
    members = [[(claims[i].article_id, claims[i].start) for i in m] for m in clusters]
    founders = [f"{claims[min(m)].article_id}:{claims[min(m)].start}" for m in clusters]
    return group_ids(members, previous, founders, set(), prefix="nr")


# ------------------------------------------------------------------ 5. description


@lru_cache(maxsize=8)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of ``lang`` (en, ar, fa and the others spaCy has), folded as the keywords are; none
    for a language spaCy lacks. Function words otherwise fill the keywords of small narratives."""
    import importlib

    try:
        words = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    except (ImportError, AttributeError, ValueError):
        return frozenset()
    return frozenset(normalize_for_search(w) for w in words)


def class_tfidf(classes: dict[str, list[str]], top: int, lang: str = "") -> dict[str, list[tuple[str, float]]]:
    """Class-based TF-IDF (Grootendorst 2022): a word's frequency in a class (L1-normalised) times
    log(1 + average words per class / the word's frequency over all classes); a keyword is in two sentences
    of its class at least and is not a stop word of ``lang``. Words are folded with normalize_for_search and
    shown as most often written. Hand-written: BERTopic, which defines it, is a large dependency for these
    few lines, and scikit-learn's TfidfTransformer computes document IDF."""
    stops = stop_words(lang) if lang else frozenset()
    counts: dict[str, Counter[str]] = {}
    spread: dict[str, Counter[str]] = {}
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for name, texts in classes.items():
        c: Counter[str] = Counter()
        in_sentences: Counter[str] = Counter()
        for text in texts:
            keys = []
            for m in WORD.finditer(text):
                key = normalize_for_search(m.group())
                if key in stops:
                    continue
                keys.append(key)
                surface[key][m.group()] += 1
            c.update(keys)
            in_sentences.update(set(keys))
        counts[name], spread[name] = c, in_sentences
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    if not total:
        return {name: [] for name in classes}
    average = sum(total.values()) / max(1, len(counts))
    out = {}
    for name, c in counts.items():
        size = sum(c.values()) or 1
        scored = sorted(((c[w] / size * math.log(1 + average / total[w]), w) for w in c if spread[name][w] >= 2),
                        key=lambda x: (-x[0], x[1]))
        out[name] = [(min(surface[w].items(), key=lambda x: (-x[1], x[0]))[0], round(s, 5)) for s, w in scored[:top]]
    return out


def short(text: str, limit: int = 80) -> str:
    """A sentence cut at a word before ``limit`` characters (the label of a narrative without keywords)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def evidence_order(members: list[int], scores: np.ndarray, claims: list[Claim]) -> list[int]:
    """Members in the order they are shown as evidence: closest to the centre first, one per article before
    any article's second."""
    ranked = sorted(members, key=lambda k: (-round(float(scores[k]), 6), claims[k].article_id, claims[k].start))
    seen: set[str] = set()
    first, later = [], []
    for k in ranked:
        (later if claims[k].article_id in seen else first).append(k)
        seen.add(claims[k].article_id)
    return first + later


def fingerprint(conn: Any, overrides: NarrativeOverrides, params: Params) -> str:
    return json.dumps({"version": NARRATIVES_VERSION, "params": asdict(params), "inputs": sql.input_counts(conn),
                       "overrides": overrides.to_json(), "centred": sorted(language_centres_known())}, sort_keys=True)


def language_centres_known() -> list[str]:
    from newsgraph.corpus.stories import language_centres

    return list(language_centres())


def stored_overrides(conn: Any) -> NarrativeOverrides:
    value = sql.state(conn, "overrides")
    return NarrativeOverrides.from_dict(json.loads(value)) if value else NarrativeOverrides()


def build_narratives(store: Store, overrides: NarrativeOverrides | None = None, force: bool = False,
                     progress: Callable[[str, int, int], None] | None = None, params: Params = PARAMS
                     ) -> dict[str, Any]:
    """Compute the narratives when their inputs changed (or ``force``); ``overrides`` replaces the stored
    user file (None: keep it). Returns counts, ``recomputed`` and ``unknown_ids`` of the overrides."""
    conn = store.conn
    if overrides is not None:
        sql.set_state(conn, "overrides", overrides.to_json())
    overrides = stored_overrides(conn)
    mark = fingerprint(conn, overrides, params)
    if not force and sql.state(conn, "fingerprint") == mark:
        return {"recomputed": False, **json.loads(sql.state(conn, "counts") or "{}")}
    counts = compute(conn, overrides, progress, params)
    sql.set_state(conn, "counts", json.dumps(counts))
    sql.set_state(conn, "fingerprint", fingerprint(conn, overrides, params))
    return {"recomputed": True, **counts}


def compute(conn: Any, overrides: NarrativeOverrides, progress: Callable[[str, int, int], None] | None,
            params: Params) -> dict[str, Any]:
    from newsgraph.store import stories as story_sql

    claims, texts = claim_sentences(conn, params.min_words)
    vectors, embedded = claim_vectors(conn, claims, texts, progress)
    meta = {r["id"]: dict(r) for r in story_sql.article_rows(conn)}
    langs = [meta.get(c.article_id, {}).get("lang") for c in claims]
    vectors = centred(vectors, langs)
    if progress:
        progress("cluster", 0, 1)
    labels = cluster_labels(vectors, [f"{c.article_id}:{c.start}" for c in claims], params)
    if progress:
        progress("cluster", 1, 1)
    groups: dict[int, list[int]] = defaultdict(list)
    for k, label in enumerate(labels):
        if label >= 0:
            groups[int(label)].append(k)
    story_of = sql.story_of_articles(conn)
    outlet_of = {a: m.get("outlet") for a, m in meta.items()}
    kept = sorted((g for g in groups.values() if recurrent(g, claims, story_of, outlet_of, params)), key=min)
    ids = assign_ids(kept, claims, sql.previous_clusters(conn))
    cluster_of = {k: nid for nid, members in zip(ids, kept) for k in members}
    sentence_texts = [texts[c.article_id][c.start:c.end] for c in claims]
    final, names, unknown = apply_overrides(dict(zip(ids, kept)), sentence_texts, overrides)
    narratives, rows = describe(final, names, claims, vectors, sentence_texts, langs, meta, story_of, cluster_of, params)
    sql.replace_narratives(conn, narratives, rows)
    return {"claims": len(claims), "embedded": embedded,
            "clusters": len(groups), "narratives": len(narratives), "sentences": len(rows), "unknown_ids": unknown}


def describe(final: dict[str, list[int]], names: dict[str, str], claims: list[Claim], vectors: np.ndarray,
             texts: list[str], langs: list[str | None], meta: dict[str, dict[str, Any]], story_of: dict[str, str],
             cluster_of: dict[int, str], params: Params
             ) -> tuple[list[dict[str, Any]], list[tuple[str, int, int, str, str, float, int, str]]]:
    """The narrative records and their member rows."""
    by_lang: dict[str, dict[str, list[str]]] = defaultdict(dict)
    member_of = {k for members in final.values() for k in members}
    for nid, members in final.items():
        for k in members:
            by_lang[langs[k] or ""].setdefault(nid, []).append(texts[k])
    for k, lang in enumerate(langs):
        if k not in member_of:
            by_lang[lang or ""].setdefault("", []).append(texts[k])  # the background class
    keywords: dict[str, dict[str, list[tuple[str, float]]]] = defaultdict(dict)
    for lang, classes in by_lang.items():
        for nid, words in class_tfidf(classes, params.keywords, lang).items():
            if nid and words:
                keywords[nid][lang] = words
    narratives, rows = [], []
    for nid, members in sorted(final.items()):
        centre = vectors[members].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
        scores = np.zeros(len(claims), dtype=np.float64)
        scores[members] = vectors[members].astype(np.float64) @ centre.astype(np.float64)
        rank = {k: r + 1 for r, k in enumerate(evidence_order(members, scores, claims)[:params.evidence])}
        articles = sorted({claims[k].article_id for k in members})
        lang_counts = Counter(langs[k] or "" for k in members)
        main_lang = min(lang_counts, key=lambda x: (-lang_counts[x], x))
        label = names.get(nid) or " · ".join(w for w, _ in keywords[nid].get(main_lang, [])[:3]) \
            or "“" + short(texts[evidence_order(members, scores, claims)[0]]) + "”"
        dates = sorted(meta[a]["date"][:10] for a in articles if meta.get(a, {}).get("date"))
        narratives.append({
            "id": nid, "label": label, "named": nid in names, "size": len(members), "articles": len(articles),
            "stories": len({story_of.get(a, "article:" + a) for a in articles}),
            "keywords": {lang: [[w, s] for w, s in ws] for lang, ws in sorted(keywords[nid].items())},
            "outlets": dict(sorted(Counter(meta.get(a, {}).get("outlet") or "" for a in articles).items())),
            "months": dict(sorted(Counter((meta.get(a, {}).get("date") or "")[:7] for a in articles).items())),
            "langs": dict(sorted(lang_counts.items())), "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None})
        rows += [(claims[k].article_id, claims[k].start, claims[k].end, cluster_of[k], nid, round(float(scores[k]), 4),
                  rank.get(k, 0), ",".join(claims[k].carriers)) for k in members]
    return narratives, rows
