"""Network exports: the co-mention network of entities and who published whom, as GraphML and GEXF.

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


def write_graphs(store: Store, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    comention = comention_graph(store)
    nx.write_graphml(comention, out_dir / "comentions.graphml")
    nx.write_gexf(comention, out_dir / "comentions.gexf")
    published = publication_graph(store)
    nx.write_graphml(published, out_dir / "publications.graphml")
    return {"comentions.graphml": comention.number_of_edges(), "publications.graphml": published.number_of_edges()}
