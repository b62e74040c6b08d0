"""Network exports: the co-mention network of entities, who published whom, what actors do to
each other (relations), and which outlet reuses which outlet's text, as GraphML (and GEXF for
the co-mentions).

Built with networkx (its writers are the reference implementations of both formats, and
Gephi, Cytoscape and yEd read them). Co-mention and publication weights count articles;
reuse weights count reuse records (aligned passages, or whole articles for exact/near/translation).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph.store.db import Store

MAX_ENTITIES_PER_ARTICLE = 60  # bounds the pairs per article (60 → 1,770 pairs)
REUSE_KINDS = ("exact", "near", "passage", "translation")  # "repetition" stays inside one page: never an edge
NO_OUTLET = "(no outlet)"  # node id and label for articles without an outlet


def article_filter(outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   alias: str = "a") -> tuple[str, list[Any]]:
    """SQL keeping the articles (as ``alias``) of an outlet and a date range (``date_to`` may be
    a prefix: "2020-01" takes the whole month), and its parameters."""
    clauses, params = [], []
    if outlet:
        clauses.append(f"{alias}.outlet = ?")
        params.append(outlet)
    if date_from:
        clauses.append(f"{alias}.date >= ?")
        params.append(date_from)
    if date_to:
        clauses.append(f"substr({alias}.date, 1, length(?)) <= ?")
        params += [date_to, date_to]
    return " AND ".join(clauses) or "1", params


def comention_graph(store: Store, outlet: str | None = None, date_from: str | None = None,
                    date_to: str | None = None) -> nx.Graph:
    """Entities as nodes; an edge per pair named in the same article, weighted by articles
    (the articles of ``outlet`` between ``date_from`` and ``date_to`` when given). An organisation
    that is an article's source there (``article_roles`` role ``source``: "به گزارش خبرگزاری فارس",
    "(Reuters) -") is not one of that article's actors."""
    graph = nx.Graph()
    for row in store.conn.execute("SELECT id, name, type, mention_count, article_count, aliases, first_seen, last_seen"
                                  " FROM entities WHERE mention_count > 0"):
        aliases = json.loads(row["aliases"])
        graph.add_node(row["id"], label=row["name"], type=row["type"], mentions=row["mention_count"],
                       articles=row["article_count"], first_seen=row["first_seen"] or "", last_seen=row["last_seen"] or "",
                       aliases=" | ".join(a for spellings in aliases.values() for a in spellings))
    weights: Counter[tuple[str, str]] = Counter()
    current, members = None, Counter()
    where, params = article_filter(outlet, date_from, date_to)
    if where == "1":
        rows = store.conn.execute("SELECT article_id, entity_id FROM mentions WHERE entity_id IS NOT NULL"
                                  " ORDER BY article_id")
    else:
        rows = store.conn.execute("SELECT m.article_id, m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id"
                                  f" WHERE m.entity_id IS NOT NULL AND {where} ORDER BY m.article_id", params)
    sources = {(r[0], r[1]) for r in store.conn.execute("SELECT article_id, entity_id FROM article_roles WHERE role = 'source'")}
    for article_id, entity_id in itertools.chain(rows, [(None, None)]):
        if article_id != current:
            top = [e for e, _ in members.most_common(MAX_ENTITIES_PER_ARTICLE)]
            for a, b in itertools.combinations(sorted(top), 2):
                weights[(a, b)] += 1
            current, members = article_id, Counter()
        if entity_id and (article_id, entity_id) not in sources:
            members[entity_id] += 1
    for (a, b), weight in weights.items():
        if graph.has_node(a) and graph.has_node(b):
            graph.add_edge(a, b, weight=weight)
    return graph


def publication_graph(store: Store) -> nx.DiGraph:
    """Outlets → authors (published), weighted by articles."""
    graph = nx.DiGraph()
    names = dict(store.conn.execute("SELECT id, name FROM entities").fetchall())
    pairs = store.conn.execute(
        "SELECT o.entity_id, a.entity_id, count(*) FROM article_roles o JOIN article_roles a"
        " ON o.article_id = a.article_id AND o.role = 'outlet' AND a.role = 'author' GROUP BY 1, 2").fetchall()
    for outlet, author, count in pairs:
        graph.add_node(outlet, label=names.get(outlet, outlet), type="OUTLET")
        graph.add_node(author, label=names.get(author, author), type="PERSON")
        graph.add_edge(outlet, author, weight=count, relation="published")
    return graph


def reuse_kinds(kinds: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """The reuse kinds asked for ("" or None = all four); unknown names raise ValueError."""
    if not kinds:
        return REUSE_KINDS
    wanted = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    unknown = [k for k in wanted if k not in REUSE_KINDS]
    if unknown:
        raise ValueError(f"unknown reuse kind {unknown}; choose from {', '.join(REUSE_KINDS)}")
    return wanted


def reuse_pair_rows(store: Store, kinds: tuple[str, ...] = REUSE_KINDS, limit: int | None = None, offset: int = 0
                    ) -> Iterator[dict[str, Any]]:
    """Reuse between two different articles, one row per article pair and kind, most reused text
    first: ``from_*`` is the likely original and ``to_*`` the copy when ``directed``; without a
    likely original the two are in id order. ``passages`` counts records, ``chars`` the reused
    characters in the ``to`` article, ``similarity`` the best record's."""
    kinds = reuse_kinds(kinds)
    marks = ",".join("?" * len(kinds))
    rows = store.conn.execute(
        "WITH r AS (SELECT *, source_article_id = b_article_id AS b_first,"
        " coalesce(source_article_id IN (a_article_id, b_article_id), 0) AS known FROM reuse"
        f" WHERE kind IN ({marks}) AND a_article_id != b_article_id),"
        " p AS (SELECT kind, known,"
        " CASE WHEN known AND b_first THEN b_article_id WHEN known THEN a_article_id"
        " ELSE min(a_article_id, b_article_id) END AS from_id,"
        " CASE WHEN known AND b_first THEN a_article_id WHEN known THEN b_article_id"
        " ELSE max(a_article_id, b_article_id) END AS to_id,"
        " count(*) AS passages,"
        " sum(CASE WHEN (known AND b_first) OR (NOT known AND a_article_id > b_article_id) THEN a_end - a_start"
        " ELSE b_end - b_start END) AS chars, round(max(similarity), 4) AS similarity FROM r GROUP BY 1, 2, 3, 4)"
        " SELECT p.kind, p.known AS directed, p.from_id, p.to_id, p.passages, p.chars, p.similarity,"
        " coalesce(f.outlet, '') AS from_outlet, f.title AS from_title, f.date AS from_date, f.lang AS from_lang,"
        " coalesce(t.outlet, '') AS to_outlet, t.title AS to_title, t.date AS to_date, t.lang AS to_lang"
        " FROM p JOIN articles f ON f.id = p.from_id JOIN articles t ON t.id = p.to_id"
        " ORDER BY p.chars DESC, p.passages DESC, p.from_id, p.to_id, p.kind LIMIT ? OFFSET ?",
        (*kinds, -1 if limit is None else limit, offset))
    for row in rows:
        yield dict(row) | {"directed": bool(row["directed"])}


def reuse_pair_count(store: Store, kinds: tuple[str, ...] = REUSE_KINDS) -> int:
    """How many rows :func:`reuse_pair_rows` yields without a limit."""
    kinds = reuse_kinds(kinds)
    return store.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM reuse"
        f" WHERE kind IN ({','.join('?' * len(kinds))}) AND a_article_id != b_article_id"
        " GROUP BY kind, min(a_article_id, b_article_id), max(a_article_id, b_article_id))", kinds).fetchone()[0]


def reuse_graph(store: Store, kinds: tuple[str, ...] = REUSE_KINDS, min_weight: int = 1) -> nx.DiGraph:
    """Outlets as nodes; an edge from the outlet of the likely original to the outlet of the copy.

    Edge attributes: ``weight`` (reuse records of the chosen kinds), one count per kind
    (``exact``, ``near``, ``passage``, ``translation``), ``article_pairs``, ``chars`` (reused
    characters in the copies) and ``undirected`` (records without a likely original, counted on
    the edge from the alphabetically first outlet of the two). Reuse inside one outlet is a
    self-loop. Node attributes: ``label``, ``articles``, ``langs``."""
    kinds = reuse_kinds(kinds)
    graph = nx.DiGraph()
    pairs: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in reuse_pair_rows(store, kinds):
        u, v = row["from_outlet"] or NO_OUTLET, row["to_outlet"] or NO_OUTLET
        if not row["directed"]:
            u, v = sorted((u, v))
        if not graph.has_edge(u, v):
            graph.add_edge(u, v, weight=0, **{k: 0 for k in REUSE_KINDS}, article_pairs=0, chars=0, undirected=0)
        edge = graph.edges[u, v]
        edge["weight"] += row["passages"]
        edge[row["kind"]] += row["passages"]
        edge["chars"] += row["chars"] or 0
        edge["undirected"] += 0 if row["directed"] else row["passages"]
        pairs.setdefault((u, v), set()).add((row["from_id"], row["to_id"]))
    for (u, v), members in pairs.items():
        graph.edges[u, v]["article_pairs"] = len(members)
    graph.remove_edges_from([(u, v) for u, v, w in graph.edges(data="weight") if w < min_weight])
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    for outlet, articles, langs in store.conn.execute(
            "SELECT coalesce(outlet, ''), count(*), coalesce(group_concat(DISTINCT lang), '') FROM articles GROUP BY 1"):
        node = outlet or NO_OUTLET
        if graph.has_node(node):
            graph.add_node(node, label=node, articles=articles, langs=langs)
    return graph


def actor_graph(store: Store, outlet: str | None = None, date_from: str | None = None,
                date_to: str | None = None) -> nx.MultiDiGraph:
    """Actors as nodes; one edge per (subject, object, predicate), weighted by relations, carrying their ids
    (relations in the articles of ``outlet`` between ``date_from`` and ``date_to`` when given).

    Edge attributes: ``predicate``, ``polarity`` (+1/-1), ``weight`` (relations), ``articles``,
    ``attributed`` (how many were inside a quote, i.e. reported as someone's claim) and ``evidence``
    (the relation ids, space-separated, as in ``relations.jsonl``). Negated relations are left out."""
    graph = nx.MultiDiGraph()
    where, params = article_filter(outlet, date_from, date_to)
    rows = store.conn.execute(
        "SELECT r.id, r.article_id, r.predicate, r.polarity, r.quote_start, ms.entity_id AS subject, mo.entity_id AS object"
        " FROM relations r JOIN mentions ms ON ms.article_id = r.article_id AND ms.start = r.subject_start"
        " AND ms.end = r.subject_end JOIN mentions mo ON mo.article_id = r.article_id AND mo.start = r.object_start"
        " AND mo.end = r.object_end JOIN articles a ON a.id = r.article_id WHERE r.negated = 0"
        " AND ms.entity_id IS NOT NULL AND mo.entity_id IS NOT NULL AND ms.entity_id != mo.entity_id"
        f" AND {where} GROUP BY r.id ORDER BY r.id", params).fetchall()
    edges: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        edge = edges.setdefault((row["subject"], row["object"], row["predicate"]),
                                {"polarity": row["polarity"], "ids": [], "articles": set(), "attributed": 0})
        edge["ids"].append(row["id"])
        edge["articles"].add(row["article_id"])
        edge["attributed"] += row["quote_start"] is not None
    nodes = {n for s, o, _ in edges for n in (s, o)}
    for row in store.conn.execute("SELECT id, name, type, mention_count FROM entities"):
        if row["id"] in nodes:
            graph.add_node(row["id"], label=row["name"], type=row["type"], mentions=row["mention_count"])
    for (subject, obj, predicate), edge in sorted(edges.items()):
        graph.add_edge(subject, obj, key=predicate, predicate=predicate, polarity=edge["polarity"],
                       weight=len(edge["ids"]), articles=len(edge["articles"]), attributed=edge["attributed"],
                       evidence=" ".join(edge["ids"]))
    return graph


# the tables each graph reads: a database written by an older newsgraph (opened read-only, not migrated)
# may lack them, and its graph is then written empty
GRAPH_TABLES = {"comentions": ("entities", "mentions"), "publications": ("article_roles", "entities"),
                "reuse": ("reuse",), "actors": ("relations", "mentions", "entities")}


def _has_tables(store: Store, graph: str) -> bool:
    return all(store.has_table(t) for t in GRAPH_TABLES[graph])


def write_graphs(store: Store, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    comention = comention_graph(store) if _has_tables(store, "comentions") else nx.Graph()
    nx.write_graphml(comention, out_dir / "comentions.graphml")
    nx.write_gexf(comention, out_dir / "comentions.gexf")
    published = publication_graph(store) if _has_tables(store, "publications") else nx.DiGraph()
    nx.write_graphml(published, out_dir / "publications.graphml")
    reused = reuse_graph(store) if _has_tables(store, "reuse") else nx.DiGraph()
    nx.write_graphml(reused, out_dir / "reuse.graphml")
    actors = actor_graph(store) if _has_tables(store, "actors") else nx.MultiDiGraph()
    nx.write_graphml(actors, out_dir / "actors.graphml")
    return {"comentions.graphml": comention.number_of_edges(), "publications.graphml": published.number_of_edges(),
            "reuse.graphml": reused.number_of_edges(), "actors.graphml": actors.number_of_edges()}
