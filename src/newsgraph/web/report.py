"""``newsgraph report``: the key views as static HTML files, for sharing without a server.

One flat directory: ``index.html`` (corpus statistics and the article list), an
``article-ID.html`` per article, an ``entity-ID.html`` per listed entity, the network,
the reuse page (the most-copied passages, the outlet-to-outlet reuse graph, the top pairs and
each outlet's boilerplate), the technique dashboard with a ``technique-NAME.html``
evidence page per technique, the timeline and the outlets, plus ``static/`` (CSS and JS
copied from the package).
Nothing is loaded from elsewhere; pages carry a Content-Security-Policy meta tag.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from newsgraph.web import queries as Q
from newsgraph.web.app import ReadOnlyDatabase
from newsgraph.store.graphs import REUSE_KINDS, reuse_graph, reuse_pair_count, reuse_pair_rows
from newsgraph.web.render import STATIC, ReportLinks, bar_chart, environment, paragraph_blocks, technique_page

MAX_ARTICLES = 5000
MAX_ENTITIES = 1000
MAX_EVIDENCE = 1000  # spans per technique evidence page
MAX_PAIRS = 1000  # article pairs listed on the reuse page
MAX_CLUSTERS = 200  # most-copied passages listed on the reuse page (each with its first holders)


def write_report(db: str | Path, out_dir: str | Path, max_articles: int = MAX_ARTICLES,
                 max_entities: int = MAX_ENTITIES) -> dict[str, int]:
    """Write the report into ``out_dir``; returns how many pages of each kind were written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    database = ReadOnlyDatabase(db)
    conn = database.conn()
    graph = Q.graph_json(database.graph())
    entity_ids = [e["id"] for e in Q.entity_list(conn, "", max_entities)]
    links = ReportLinks(articles=set(Q.article_ids(conn, max_articles)),
                        entities=set(entity_ids) | {n["id"] for n in graph["nodes"]})
    layers = Q.layer_status(conn)
    dashboard = Q.technique_dashboard(database.store()) if layers["techniques"] else {}
    links.techniques = {t["technique"] for t in dashboard.get("overall", [])}
    writer = _PageWriter(out, links, layers)
    _copy_static(out / "static")
    found = Q.search_articles(conn, Q.Filters(), limit=max_articles)
    writer.write("index.html", "report_index.html", stats=Q.corpus_stats(conn), rows=found["results"],
                 total=found["total"])
    for article_id in sorted(links.articles):
        view = Q.article_view(conn, article_id)
        assert view is not None
        writer.write(f"article-{article_id}.html", "article.html", v=view, a=view["article"],
                     blocks=paragraph_blocks(view, links))
    for entity_id in sorted(links.entities):
        entity = Q.entity_view(conn, entity_id)
        if entity is not None:
            chart = bar_chart([(r["month"], r["mentions"]) for r in entity["by_month"]])
            writer.write(f"entity-{entity_id}.html", "entity.html", e=entity, chart=chart)
    writer.write("entities.html", "entities.html", rows=Q.entity_list(conn, "", max_entities),
                 types=Q.entity_types(conn), kind="", page_no=1)
    writer.write("graph.html", "graph.html", data=graph, edges="comention", kind="", min_weight=1, limit=len(graph["nodes"]),
                 types=Q.entity_types(conn))
    timeline = {"months": Q.timeline(conn), "articles": Q.dated_articles(conn), "dates": Q.date_mentions(conn)}
    writer.write("timeline.html", "timeline.html",
                 chart=bar_chart([(r["month"], r["articles"]) for r in timeline["months"]]), **timeline)
    writer.write("outlets.html", "outlets.html", rows=Q.outlets(conn))
    _write_techniques(writer, database, dashboard)
    _write_reuse(writer, database, layers["reuse"])
    conn.close()
    return {"articles": len(links.articles), "entities": len(links.entities), "pages": writer.count}


def _write_techniques(writer: "_PageWriter", database: ReadOnlyDatabase, dashboard: dict[str, Any]) -> None:
    """The dashboard (every outlet and month) and one evidence page per technique."""
    data = {"analysed": bool(dashboard), **dashboard}
    chart = bar_chart([(m["month"] or "undated", m["per_1000_words"] or 0) for m in dashboard.get("month_totals", [])])
    writer.write("techniques.html", "techniques.html", d=data, chart=chart, choices={"outlets": [], "langs": []},
                 by_outlet=Q.pivot(dashboard.get("by_outlet", []), "outlet"),
                 by_month=Q.pivot(dashboard.get("by_month", []), "month"))
    for technique in sorted(writer.links.techniques):
        found = Q.technique_evidence(database.store(), technique, limit=MAX_EVIDENCE)
        writer.write(technique_page(technique), "technique_evidence.html", e={"analysed": True, "page": 1} | found,
                     page_size=MAX_EVIDENCE)


def _write_reuse(writer: "_PageWriter", database: ReadOnlyDatabase, analysed: bool) -> None:
    """The most-copied passages, the outlet-to-outlet reuse graph (all kinds; the page's script
    filters), the top pairs and each outlet's boilerplate."""
    store = database.store()
    graph = Q.reuse_graph_json(reuse_graph(store)) if analysed else {"nodes": [], "links": []}
    data = {"analysed": analysed, "kind": "", "graph": graph, "page": 1,
            "pairs": list(reuse_pair_rows(store, REUSE_KINDS, MAX_PAIRS)) if analysed else [],
            "total_pairs": reuse_pair_count(store) if analysed else 0}
    conn = database.conn()
    clusters = Q.reuse_clusters(conn, MAX_CLUSTERS) if analysed else {"stored": False, "total": 0, "clusters": []}
    plates = Q.boilerplate(conn) if analysed else {"stored": False, "total": 0, "rows": []}
    writer.write("reuse.html", "reuse.html", r=data, graph=graph, kind="", kinds=REUSE_KINDS, min_weight=1,
                 page_no=1, page_size=MAX_PAIRS, c=clusters, clusters_page=1, clusters_size=MAX_CLUSTERS, plates=plates)


class _PageWriter:
    def __init__(self, out: Path, links: ReportLinks, layers: dict[str, bool]):
        self.out, self.links, self.layers = out, links, layers
        self.env = environment()
        self.count = 0

    def write(self, name: str, template: str, **context: Any) -> None:
        html = self.env.get_template(template).render(L=self.links, layers=self.layers, **context)
        (self.out / name).write_text(html, encoding="utf-8")
        self.count += 1


def _copy_static(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(STATIC, target)
