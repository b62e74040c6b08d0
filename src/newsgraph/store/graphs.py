"""Network exports: the co-mention network of entities, who published whom and what actors do to each
other (relations), as GraphML (and GEXF for co-mentions).

Built with networkx (its writers are the reference implementations of both formats, and
Gephi, Cytoscape and yEd read them). Edge weights count articles.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import networkx as nx

from newsgraph.store.db import Store

MAX_ENTITIES_PER_ARTICLE = 60  # bounds the pairs per article (60 → 1,770 pairs)


def comention_graph(store: Store) -> nx.Graph:
    """Entities as nodes; an edge per pair named in the same article, weighted by articles."""
    graph = nx.Graph()
    for row in store.conn.execute("SELECT id, name, type, mention_count, article_count, aliases, first_seen, last_seen"
                                  " FROM entities WHERE mention_count > 0"):
        aliases = json.loads(row["aliases"])
        graph.add_node(row["id"], label=row["name"], type=row["type"], mentions=row["mention_count"],
                       articles=row["article_count"], first_seen=row["first_seen"] or "", last_seen=row["last_seen"] or "",
                       aliases=" | ".join(a for spellings in aliases.values() for a in spellings))
    weights: Counter[tuple[str, str]] = Counter()
    current, members = None, Counter()
    rows = store.conn.execute("SELECT article_id, entity_id FROM mentions WHERE entity_id IS NOT NULL ORDER BY article_id")
    for article_id, entity_id in itertools.chain(rows, [(None, None)]):
        if article_id != current:
            top = [e for e, _ in members.most_common(MAX_ENTITIES_PER_ARTICLE)]
            for a, b in itertools.combinations(sorted(top), 2):
                weights[(a, b)] += 1
            current, members = article_id, Counter()
        if entity_id:
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


def actor_graph(store: Store) -> nx.MultiDiGraph:
    """Actors as nodes; one edge per (subject, object, predicate), weighted by relations, carrying their ids.

    Edge attributes: ``predicate``, ``polarity`` (+1/-1), ``weight`` (relations), ``articles``,
    ``attributed`` (how many were inside a quote, i.e. reported as someone's claim) and ``evidence``
    (the relation ids, space-separated, as in ``relations.jsonl``). Negated relations are left out."""
    graph = nx.MultiDiGraph()
    rows = store.conn.execute(
        "SELECT r.id, r.article_id, r.predicate, r.polarity, r.quote_start, ms.entity_id AS subject, mo.entity_id AS object"
        " FROM relations r JOIN mentions ms ON ms.article_id = r.article_id AND ms.start = r.subject_start"
        " AND ms.end = r.subject_end JOIN mentions mo ON mo.article_id = r.article_id AND mo.start = r.object_start"
        " AND mo.end = r.object_end WHERE r.negated = 0 AND ms.entity_id IS NOT NULL AND mo.entity_id IS NOT NULL"
        " AND ms.entity_id != mo.entity_id GROUP BY r.id ORDER BY r.id").fetchall()
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


def write_graphs(store: Store, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    comention = comention_graph(store)
    nx.write_graphml(comention, out_dir / "comentions.graphml")
    nx.write_gexf(comention, out_dir / "comentions.gexf")
    published = publication_graph(store)
    nx.write_graphml(published, out_dir / "publications.graphml")
    actors = actor_graph(store)
    nx.write_graphml(actors, out_dir / "actors.graphml")
    return {"comentions.graphml": comention.number_of_edges(), "publications.graphml": published.number_of_edges(),
            "actors.graphml": actors.number_of_edges()}
