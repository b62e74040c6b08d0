"""The workbench: a FastAPI app over one newsgraph database, opened read-only.

Pages are server-rendered Jinja2 (autoescaped); each has a JSON twin under ``/api``
and FastAPI publishes the OpenAPI schema at ``/openapi.json``. Every table can be
downloaded as CSV from ``/csv/TABLE.csv``. When an access token is set, every request
must carry it (``X-Newsgraph-Token`` header, ``Authorization: Bearer``, ``?token=`` or
the cookie set after a ``?token=`` visit).
"""

from __future__ import annotations

import csv
import hmac
import io
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Optional
from urllib.parse import parse_qs

import networkx as nx
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup

from newsgraph.store.db import Store, parse_query
from newsgraph.store.graphs import REUSE_KINDS, actor_graph, comention_graph, reuse_graph, reuse_pair_count, reuse_pair_rows
from newsgraph.web import queries as Q
from newsgraph.web.render import (STATIC, ServerLinks, bar_chart, environment, paragraph_blocks, source_html,
                                  target_span)
from newsgraph.web.snapshot import ReadConnection, SnapshotCache, cached, serving_request

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
       " font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
TOKEN_COOKIE = "newsgraph_token"
PAGE_SIZE = 20


MMAP_BYTES = 4 << 30  # address space only: the OS pages in what is read, and shares it between workers
CACHE_KIB = 64 << 10  # SQLite page cache per connection


class ReadOnlyDatabase:
    """One read-only connection per thread (SQLite reads run in parallel), sharing one
    snapshot cache: graphs and corpus-wide aggregates are built once per state of the
    database and rebuilt after another process writes to it."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        watch = Store(self.path, readonly=True).conn  # fails now, with the Store's message, when absent
        self._local = threading.local()
        self.snapshot = SnapshotCache(watch)

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.open()
            self._local.conn = conn
        return conn

    def open(self) -> sqlite3.Connection:
        store = Store(self.path, readonly=True, connection_class=ReadConnection)
        store.conn.snapshot = self.snapshot  # type: ignore[attr-defined]
        store.conn.execute("PRAGMA query_only = ON")
        # Read pages through a memory map rather than a read() call each (a search touches
        # hundreds of index and row pages), and keep more of them in SQLite's own cache.
        store.conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        store.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return store.conn

    def store(self) -> Store:
        """A Store over this thread's read-only connection (its readers, no second connection)."""
        return Store.over(self.conn(), self.path)

    def cached(self, key: tuple, build: Any) -> Any:
        """``build()`` once per ``key`` and state of the database: aggregates over the whole
        corpus (technique rates, the reuse graph), recomputed after another process writes."""
        return cached(self.conn(), key, lambda conn: build())

    def graph(self, edges: str = "comention", outlet: str = "", date_from: str = "", date_to: str = "") -> Any:
        """The actor network of ``edges`` (co-mentions, or relations as a multigraph) over the
        articles of ``outlet`` between the dates; empty when its stage has not run."""
        return self.cached(("graph", edges, outlet, date_from, date_to),
                           lambda: self._build_graph(edges, outlet or None, date_from or None, date_to or None))

    def _build_graph(self, edges: str, outlet: str | None, date_from: str | None, date_to: str | None) -> Any:
        conn = self.conn()
        if edges == "relations":
            if not Q.layer_status(conn)["relations"] or not Q.has_entities(conn):
                return nx.MultiDiGraph()
            return actor_graph(self.store(), outlet, date_from, date_to)
        if not Q.has_entities(conn):
            return nx.Graph()
        return comention_graph(self.store(), outlet, date_from, date_to)


class RequestScope:
    """ASGI middleware: each HTTP request starts a new scope for the snapshot cache's freshness
    check (:func:`newsgraph.web.snapshot.serving_request`)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            serving_request()
        await self.app(scope, receive, send)


class Guard:
    """ASGI middleware: access token check (when a token is set) and security headers."""

    def __init__(self, app: Any, token: str | None):
        self.app = app
        self.token = token

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from_query = self._query_token(scope)
        if self.token and not self._authorised(scope, from_query):
            await self._deny(send)
            return
        set_cookie = bool(self.token and from_query)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in SECURITY_HEADER_NAMES]
                headers += SECURITY_HEADERS
                if set_cookie:
                    headers.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict;"
                                    f" Path=/".encode()))
                message = message | {"headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _query_token(scope: dict) -> str:
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [])
        return values[0] if values else ""

    def _authorised(self, scope: dict, from_query: str) -> bool:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        offered = [from_query, headers.get("x-newsgraph-token", "")]
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            offered.append(auth[7:].strip())
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == TOKEN_COOKIE:
                offered.append(value)
        assert self.token is not None
        return any(o and hmac.compare_digest(o.encode(), self.token.encode()) for o in offered)

    @staticmethod
    async def _deny(send: Any) -> None:
        body = b'{"detail":"an access token is required (X-Newsgraph-Token header or ?token=)"}'
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


def create_app(db: str | Path, token: str | None = None) -> FastAPI:
    """The workbench over ``db`` (read-only); ``token`` makes every request prove it."""
    database = ReadOnlyDatabase(db)
    env = environment()
    links = ServerLinks()
    app = FastAPI(title="newsgraph workbench", version="1", docs_url=None, redoc_url=None,
                  description="Read-only views of a newsgraph database; each page has a JSON twin under /api.")
    app.state.database = database
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def page(template: str, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(L=links, layers=Q.layer_status(database.conn()), **context)
        return HTMLResponse(html)

    _add_search_routes(app, database, page)
    _add_article_routes(app, database, page, links)
    _add_entity_routes(app, database, page)
    _add_corpus_routes(app, database, page)
    _add_technique_routes(app, database, page)
    _add_reuse_routes(app, database, page)
    _add_story_routes(app, database, page)
    _add_narrative_routes(app, database, page)
    _add_table_routes(app, database, page)
    app.add_middleware(RequestScope)
    app.add_middleware(Guard, token=token)
    return app


# ------------------------------------------------------------------ search


MAX_QUERY_CHARS = 500
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _filters(q: str, lang: str, outlet: str, date_from: str, date_to: str, entity: str, technique: str,
             story: str = "") -> tuple[Q.Filters, list[str]]:
    """The search filters, and notes for what was changed or left out of them (said to the user)."""
    notes: list[str] = []
    q = q.strip()
    if len(q) > MAX_QUERY_CHARS:
        cut = q[:MAX_QUERY_CHARS]
        q = cut[:cut.rfind(" ")] if " " in cut else cut
        notes.append(f"the query was longer than {MAX_QUERY_CHARS} characters: only its first {len(q.split())} words "
                     "were searched")
    dates = {}
    for name, value in (("from", date_from), ("to", date_to)):
        value = value.strip()
        if value and not _DATE.match(value):
            notes.append(f"“{value}” is not a date ({name}=YYYY, YYYY-MM or YYYY-MM-DD): that filter was left out")
            value = ""
        dates[name] = value
    if q:
        notes += parse_query(q)[1]
    return Q.Filters(q=q, lang=lang, outlet=outlet, date_from=dates["from"], date_to=dates["to"], entity=entity,
                     technique=technique, story=story), notes


def _with_stories(conn: sqlite3.Connection, found: dict[str, Any]) -> dict[str, Any]:
    """The story of each result that is in one (id, size, labels): the search page's story facet."""
    from newsgraph.store.stories import stories_of_articles

    stories = stories_of_articles(conn, [r["id"] for r in found["results"]])
    for row in found["results"]:
        row["story"] = stories.get(row["id"])
    return found


# Search and article pages are ``async def``: they run on the event loop, one at a time per
# worker process, instead of in the thread pool. Their work is bounded (a ranking window of
# RANK_WINDOW matches, counts capped at COUNT_CAP, one article) and mostly CPU, so threads
# only added hand-offs and contention for the GIL: under 20 concurrent clients on two cores
# this doubled the requests served and halved search p95 (bench/web_latency.py). Pages whose
# cost grows with the corpus (graph, CSV, tables) stay in the thread pool.


def _add_search_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    @app.get("/api/search", tags=["search"])
    async def api_search(q: str = "", lang: str = "", outlet: str = "", date_from: str = Query("", alias="from"),
                         date_to: str = Query("", alias="to"), entity: str = "", technique: str = "",
                         story: str = "", page_no: int = Query(1, alias="page", ge=1),
                         limit: int = Query(PAGE_SIZE, ge=1, le=200)) -> dict[str, Any]:
        """Full-text search (normalised, any script) with facets; without ``q`` lists articles newest first.
        ``story`` keeps the articles of one story; each result carries its ``story`` (id, size, labels) or null."""
        f, notes = _filters(q, lang, outlet, date_from, date_to, entity, technique, story)
        found = _with_stories(database.conn(), Q.search_articles(database.conn(), f, limit=limit,
                                                                 offset=(page_no - 1) * limit))
        for row in found["results"]:
            row.pop("text", None)
        return found | {"query": f.active(), "page": page_no, "notes": notes}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(q: str = "", lang: str = "", outlet: str = "", date_from: str = Query("", alias="from"),
                          date_to: str = Query("", alias="to"), entity: str = "", technique: str = "",
                          story: str = "", page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        conn = database.conn()
        f, notes = _filters(q, lang, outlet, date_from, date_to, entity, technique, story)
        found = _with_stories(conn, Q.search_articles(conn, f, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE))
        entity_name = Q.entity_name(conn, entity) if entity else ""
        return page("search.html", f=f, found=found, page_no=page_no, page_size=PAGE_SIZE, notes=notes,
                    spellings=Q.other_spellings(conn, f.q),
                    stats=Q.corpus_stats(conn) if not f.active() else None, entity_name=entity_name)


# ------------------------------------------------------------------ articles


def _article_view_or_404(database: ReadOnlyDatabase, article_id: str) -> dict[str, Any]:
    view = Q.article_view(database.conn(), article_id)
    if view is None:
        raise HTTPException(404, f"no article {article_id}")
    return view


def _add_article_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any, links: ServerLinks) -> None:
    @app.get("/api/articles/{article_id}", tags=["articles"])
    async def api_article(article_id: str) -> dict[str, Any]:
        """An article with paragraphs, mentions, dates, roles, what was cut, and later stages
        (``null`` = that stage has not run on this database)."""
        return _article_view_or_404(database, article_id)

    @app.get("/api/articles/{article_id}/source", tags=["articles"])
    def api_article_source(article_id: str) -> dict[str, Any]:
        """The decoded source document the article's paragraphs map back to."""
        view = _article_view_or_404(database, article_id)
        return Q.document_source(database.conn(), view["article"]["document_id"]) or {}

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(article_id: str, at: str = "") -> HTMLResponse:
        view = _article_view_or_404(database, article_id)
        target = target_span(at, view["article"]["text"]) if at else None
        return page("article.html", v=view, a=view["article"], blocks=paragraph_blocks(view, links, target),
                    at=target, at_asked=at)

    @app.get("/article/{article_id}/source", response_class=HTMLResponse, include_in_schema=False)
    def source_page(article_id: str) -> HTMLResponse:
        view = _article_view_or_404(database, article_id)
        doc = Q.document_source(database.conn(), view["article"]["document_id"])
        if doc is None:
            raise HTTPException(404, "source document missing")
        return page("source.html", a=view["article"], doc=doc, html=source_html(doc["text"], view["paragraphs"]))


# ------------------------------------------------------------------ entities and graph


def _add_entity_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    @app.get("/api/entities", tags=["entities"])
    def api_entities(type: str = "", limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)
                     ) -> list[dict[str, Any]]:
        """Canonical entities, most mentioned first."""
        return Q.entity_list(database.conn(), type, limit, offset)

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def api_entity(entity_id: str) -> dict[str, Any]:
        """An entity: aliases by language, spellings by script, articles, roles, co-mentions, mentions per month."""
        entity = Q.entity_view(database.conn(), entity_id)
        if entity is None:
            raise HTTPException(404, f"no entity {entity_id}")
        return entity

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(type: str = "", page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        conn = database.conn()
        rows = Q.entity_list(conn, type, 100, (page_no - 1) * 100)
        return page("entities.html", rows=rows, types=Q.entity_types(conn), kind=type, page_no=page_no)

    @app.get("/entity/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: str) -> HTMLResponse:
        entity = api_entity(entity_id)
        chart = bar_chart([(r["month"], r["mentions"]) for r in entity["by_month"]])
        return page("entity.html", e=entity, chart=chart)

    @app.get("/api/graph", tags=["graph"])
    def api_graph(edges: GraphEdges = "comention", type: str = "", min_weight: int = Query(1, ge=1),
                  limit: int = Query(150, ge=1, le=2000), outlet: str = "", date_from: str = Query("", alias="from"),
                  date_to: str = Query("", alias="to")) -> dict[str, Any]:
        """The actor network: ``edges=comention`` (edge weight = articles naming both) or
        ``edges=relations`` (directed, weight = relations, counts per predicate in ``kinds``),
        over the articles of ``outlet`` between the dates, filtered by node type and weight. Each node has
        its ``community`` in the network returned (Louvain on the links returned; ``communities`` lists
        them, largest first, with their size and most mentioned members)."""
        graph = database.graph(edges, outlet, date_from, date_to)
        if edges == "relations":
            return Q.relation_graph_json(graph, type, min_weight, limit)
        return Q.graph_json(graph, type, min_weight, limit)

    @app.get("/api/graph.graphml", tags=["graph"])
    def api_graphml(edges: GraphEdges = "comention", type: str = "", min_weight: int = Query(1, ge=1),
                    limit: int = Query(2000, ge=1, le=100000), outlet: str = "",
                    date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to")) -> Response:
        """The filtered actor network as GraphML (Gephi, Cytoscape, yEd); relation edges carry
        ``predicate``, ``polarity``, ``weight`` and ``evidence`` (relation ids)."""
        graph = database.graph(edges, outlet, date_from, date_to)
        sub = Q.filtered_relation_graph(graph, type, min_weight, limit) if edges == "relations" \
            else Q.filtered_graph(graph, type, min_weight, limit)
        buffer = io.BytesIO()
        nx.write_graphml(sub, buffer)
        name = "actors.graphml" if edges == "relations" else "comentions.graphml"
        return Response(buffer.getvalue(), media_type="application/xml",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(edges: GraphEdges = "comention", type: str = "", min_weight: Optional[int] = Query(None, ge=1),
                   limit: int = Query(60, ge=1, le=2000), links: int = Query(Q.READABLE_LINKS, ge=1, le=20000),
                   outlet: str = "", date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to")
                   ) -> HTMLResponse:
        auto = min_weight is None  # the page opens on a network one can read; min weight 1 shows every link
        graph = database.graph(edges, outlet, date_from, date_to)
        if auto:
            min_weight = database.cached(("readable-weight", edges, type, limit, links, outlet, date_from, date_to),
                                         lambda: Q.readable_min_weight(graph, type, limit, relations=edges == "relations",
                                                                       links=links))
        data = api_graph(edges, type, min_weight, limit, outlet, date_from, date_to)
        conn = database.conn()
        keep = {"edges": edges, "type": type, "outlet": outlet, "from": date_from, "to": date_to}
        keep |= {} if auto else {"min_weight": min_weight}
        linked = database.cached(("linked-nodes", edges, type, outlet, date_from, date_to),
                                 lambda: Q.linked_nodes(graph, type))
        scale = {"linked": linked, "more": {**keep, "limit": min(2000, limit * 2),
                                                                "links": min(20000, links * 2)},
                 "fewer": {**keep, "limit": max(1, limit // 2), "links": max(1, links // 2)}}
        return page("graph.html", data=data, edges=edges, kind=type, min_weight=min_weight, limit=limit, links=links,
                    auto_weight=auto, outlet=outlet, date_from=date_from, date_to=date_to, types=Q.entity_types(conn),
                    outlets=Q.dashboard_choices(conn).get("outlets", []), scale=scale,
                    predicates=sorted({k for link in data["links"] for k in link.get("kinds", {})}))


# ------------------------------------------------------------------ corpus views


def _add_corpus_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    @app.get("/api/stats", tags=["corpus"])
    def api_stats() -> dict[str, Any]:
        """Row counts, languages, outlets, date range and which stages have run."""
        return Q.corpus_stats(database.conn())

    @app.get("/api/timeline", tags=["corpus"])
    def api_timeline() -> dict[str, Any]:
        """Articles per month, the dated articles and the dates found in the text."""
        conn = database.conn()
        return {"months": Q.timeline(conn), "articles": Q.dated_articles(conn), "dates": Q.date_mentions(conn)}

    @app.get("/api/outlets", tags=["corpus"])
    def api_outlets() -> list[dict[str, Any]]:
        """Outlets with article counts, languages, date range and author counts."""
        return Q.outlets(database.conn())

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page() -> HTMLResponse:
        data = api_timeline()
        return page("timeline.html", chart=bar_chart([(r["month"], r["articles"]) for r in data["months"]]), **data)

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page() -> HTMLResponse:
        return page("outlets.html", rows=api_outlets())


# ------------------------------------------------------------------ technique dashboard


GraphEdges = Literal["comention", "relations"]
TechniqueGroup = Literal["outlet", "month", "lang", "outlet,month", "outlet,lang", "month,lang", "outlet,month,lang", ""]


def csv_response(header: list[str], rows: Any, filename: str) -> Response:
    """Rows (dicts) as a CSV download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(k) for k in header])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def _add_technique_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    def analysed() -> bool:
        return Q.layer_status(database.conn())["techniques"]

    @app.get("/api/techniques", tags=["techniques"])
    def api_techniques(outlet: str = "", lang: str = "",
                       min_conf: float = Query(Q.DEFAULT_MIN_CONFIDENCE, ge=0, le=1)) -> dict[str, Any]:
        """Techniques per 1,000 words overall, by technique x outlet and by technique x month, with
        the words of every outlet and month and the total rate per month, raw and weighted by each span's
        calibrated confidence; ``methods`` says which detectors found the spans per outlet and language, and
        ``detector_warning`` when they differ. Spans below ``min_conf`` are left out. ``outlet``/``lang``
        filter the articles (``(none)`` = articles without an outlet). ``analysed`` is false when
        the techniques stage has not run (every list is then empty)."""
        if not analysed():
            empty: dict[str, Any] = {k: [] for k in ("overall", "by_outlet", "by_month", "outlets", "months",
                                                     "month_totals", "methods")}
            return {"analysed": False, "filters": {"outlet": outlet, "lang": lang}, "min_confidence": min_conf,
                    "detector_warning": None} | empty
        data = database.cached(("techniques", outlet, lang, min_conf),
                               lambda: Q.technique_dashboard(database.store(), outlet=outlet, lang=lang,
                                                             min_confidence=min_conf))
        return {"analysed": True} | data

    @app.get("/api/techniques.csv", tags=["techniques"])
    def api_techniques_csv(by: TechniqueGroup = "outlet,month", outlet: str = "", lang: str = "",
                           min_conf: float = Query(0.0, ge=0, le=1)) -> Response:
        """Techniques per 1,000 words by technique and ``by`` (comma-separated outlet, month, lang;
        empty = per technique) as CSV, raw and weighted by calibrated confidence: the same numbers as
        ``newsgraph techniques --stats``."""
        keys = tuple(k for k in by.split(",") if k)
        rows = database.store().technique_stats(Q.filter_value(outlet), lang=Q.filter_value(lang), by=keys,
                                                min_confidence=min_conf) if analysed() else []
        return csv_response(["technique", *keys, "spans", "articles", "words", "per_1000_words", "expected",
                             "weighted_per_1000_words"], rows,
                            "techniques-" + ("-".join(keys) or "overall") + ".csv")

    @app.get("/api/techniques/evidence", tags=["techniques"])
    def api_technique_evidence(technique: str = "", outlet: str = "", month: str = "", lang: str = "",
                               page_no: int = Query(1, alias="page", ge=1), limit: int = Query(50, ge=1, le=500),
                               min_conf: float = Query(Q.DEFAULT_MIN_CONFIDENCE, ge=0, le=1)) -> dict[str, Any]:
        """The technique spans behind a dashboard cell, with context (``month`` is YYYY-MM;
        ``(none)`` selects articles without an outlet or date)."""
        if not analysed():
            return {"analysed": False, "total": 0, "spans": [], "page": page_no,
                    "filters": {"technique": technique, "outlet": outlet, "month": month, "lang": lang}}
        found = Q.technique_evidence(database.store(), technique, outlet, month, lang, limit, (page_no - 1) * limit,
                                     min_confidence=min_conf)
        return {"analysed": True, "page": page_no} | found

    @app.get("/techniques", response_class=HTMLResponse, include_in_schema=False)
    def techniques_page(outlet: str = "", lang: str = "",
                        min_conf: float = Query(Q.DEFAULT_MIN_CONFIDENCE, ge=0, le=1)) -> HTMLResponse:
        data = api_techniques(outlet, lang, min_conf)
        chart = bar_chart([(m["month"] or "undated", m["weighted_per_1000_words"] or 0) for m in data["month_totals"]])
        return page("techniques.html", d=data, chart=chart, choices=Q.dashboard_choices(database.conn()),
                    by_outlet=Q.pivot(data["by_outlet"], "outlet"), by_month=Q.pivot(data["by_month"], "month"))

    @app.get("/techniques/evidence", response_class=HTMLResponse, include_in_schema=False)
    def evidence_page(technique: str = "", outlet: str = "", month: str = "", lang: str = "",
                      page_no: int = Query(1, alias="page", ge=1),
                      min_conf: float = Query(Q.DEFAULT_MIN_CONFIDENCE, ge=0, le=1)) -> HTMLResponse:
        found = api_technique_evidence(technique, outlet, month, lang, page_no, 50, min_conf)
        return page("technique_evidence.html", e=found, page_size=50)


# ------------------------------------------------------------------ outlet-to-outlet reuse


ReuseKind = Literal["", "exact", "near", "passage", "translation"]
CLUSTERS_PER_PAGE = 25
PAIR_COLUMNS = ["kind", "directed", "from_id", "from_outlet", "from_title", "from_date", "from_lang", "to_id",
                "to_outlet", "to_title", "to_date", "to_lang", "passages", "chars", "similarity"]


def _add_reuse_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    def analysed() -> bool:
        return Q.layer_status(database.conn())["reuse"]

    def kinds_of(kind: str) -> tuple[str, ...]:
        return (kind,) if kind else REUSE_KINDS

    def graph_of(kind: str, min_weight: int) -> nx.DiGraph:
        if not analysed():
            return nx.DiGraph()
        return database.cached(("reuse", kind, min_weight),
                               lambda: reuse_graph(database.store(), kinds_of(kind), min_weight))

    @app.get("/api/reuse", tags=["reuse"])
    def api_reuse(kind: ReuseKind = "", min_weight: int = Query(1, ge=1), page_no: int = Query(1, alias="page", ge=1),
                  limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
        """Outlet-to-outlet reuse: outlets as nodes, links from the outlet of the likely original to
        the outlet of the copy (weight = reuse records, with counts by kind; ``undirected`` counts
        records without a likely original), and one page of article pairs, most reused text first.
        ``analysed`` is false when the reuse stage has not run."""
        if not analysed():
            return {"analysed": False, "kind": kind, "graph": {"nodes": [], "links": []}, "pairs": [],
                    "total_pairs": 0, "page": page_no}
        store = database.store()
        kinds = kinds_of(kind)
        return {"analysed": True, "kind": kind, "graph": Q.reuse_graph_json(graph_of(kind, min_weight)),
                "pairs": list(reuse_pair_rows(store, kinds, limit, (page_no - 1) * limit)),
                "total_pairs": database.cached(("reuse-pairs", kind), lambda: reuse_pair_count(store, kinds)),
                "page": page_no}

    @app.get("/api/reuse.graphml", tags=["reuse"])
    def api_reuse_graphml(kind: ReuseKind = "", min_weight: int = Query(1, ge=1)) -> Response:
        """The outlet-to-outlet reuse graph as GraphML (the file ``newsgraph export`` writes as reuse.graphml)."""
        buffer = io.BytesIO()
        nx.write_graphml(graph_of(kind, min_weight), buffer)
        return Response(buffer.getvalue(), media_type="application/xml",
                        headers={"content-disposition": 'attachment; filename="reuse.graphml"'})

    @app.get("/api/reuse.csv", tags=["reuse"])
    def api_reuse_csv(kind: ReuseKind = "") -> StreamingResponse:
        """Every reusing article pair (one row per pair and kind) as CSV."""
        def lines() -> Iterator[str]:
            conn = database.open()
            try:
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                writer.writerow(PAIR_COLUMNS)
                ran = Q.layer_status(conn)["reuse"]
                rows = reuse_pair_rows(Store.over(conn, database.path), kinds_of(kind)) if ran else iter(())
                for row in rows:
                    writer.writerow([row[c] for c in PAIR_COLUMNS])
                    if buffer.tell() > 65536:
                        yield buffer.getvalue()
                        buffer.seek(0)
                        buffer.truncate()
                yield buffer.getvalue()
            finally:
                conn.close()
        return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": 'attachment; filename="reuse-pairs.csv"'})

    @app.get("/api/reuse/clusters", tags=["reuse"])
    def api_reuse_clusters(page_no: int = Query(1, alias="page", ge=1), limit: int = Query(25, ge=1, le=500),
                           holders: int = Query(Q.CLUSTER_HOLDERS_SHOWN, ge=0, le=1000)) -> dict[str, Any]:
        """The most-copied passages: reuse clusters (articles holding one passage, or one whole text),
        most holders first, then most outlets; each with its outlets, languages, the likely original
        and ``evidence`` (why it was named, or why none was), the record kinds joining it and its first
        ``holders`` holders (article, span, outlet, date), earliest first. ``stored`` is false for a
        database written before clusters existed (run ``newsgraph reuse`` again)."""
        if not analysed():
            return {"analysed": False, "stored": False, "total": 0, "clusters": [], "page": page_no}
        found = Q.reuse_clusters(database.conn(), limit, (page_no - 1) * limit, holders=holders)
        return {"analysed": True, "page": page_no} | found

    @app.get("/api/reuse/clusters/{cluster_id}", tags=["reuse"])
    def api_reuse_cluster(cluster_id: str, holders: int = Query(5000, ge=0, le=100000)) -> dict[str, Any]:
        """One reuse cluster with up to ``holders`` of its holders, earliest first."""
        found = Q.reuse_clusters(database.conn(), 1, cluster_id=cluster_id, holders=holders) if analysed() else {}
        if not found.get("clusters"):
            raise HTTPException(404, f"no reuse cluster {cluster_id}")
        return found["clusters"][0]

    @app.get("/api/reuse/boilerplate", tags=["reuse"])
    def api_boilerplate(limit: int = Query(200, ge=1, le=10000)) -> dict[str, Any]:
        """Each outlet's boilerplate: text it repeats across its own articles (footers, standing
        lines), kept apart and never reported as reuse; most repeated first."""
        return Q.boilerplate(database.conn(), limit) if analysed() else {"stored": False, "total": 0, "rows": []}

    @app.get("/reuse", response_class=HTMLResponse, include_in_schema=False)
    def reuse_page(kind: ReuseKind = "", min_weight: int = Query(1, ge=1), page_no: int = Query(1, alias="page", ge=1),
                   clusters_page: int = Query(1, ge=1)) -> HTMLResponse:
        data = api_reuse(kind, min_weight, page_no, 100)
        everything = Q.reuse_graph_json(graph_of("", 1))  # the script filters by kind and weight in the page
        return page("reuse.html", r=data, graph=everything, kind=kind, kinds=REUSE_KINDS, min_weight=min_weight,
                    page_no=page_no, page_size=100, c=api_reuse_clusters(clusters_page, CLUSTERS_PER_PAGE, Q.CLUSTER_HOLDERS_SHOWN),
                    clusters_page=clusters_page, clusters_size=CLUSTERS_PER_PAGE, plates=api_boilerplate(200))

    @app.get("/reuse/cluster/{cluster_id}", response_class=HTMLResponse, include_in_schema=False)
    def cluster_page(cluster_id: str) -> HTMLResponse:
        return page("reuse_cluster.html", cluster=api_reuse_cluster(cluster_id, 5000))


# ------------------------------------------------------------------ stories and framing


STORIES_PER_PAGE = 50
TIMELINE_COLUMNS = 31  # days shown one by one; a longer story is shown by ISO week, then by month


def _story_timeline(members: list[dict[str, Any]]) -> dict[str, Any]:
    """Members counted by (outlet, language) and by day (ISO week or month when the story spans more than
    :data:`TIMELINE_COLUMNS` of them; "undated" last): the rows and columns of the story page's strip."""
    from datetime import date

    days = sorted({m["date"][:10] for m in members if m.get("date") and len(m["date"]) >= 10})
    try:
        first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
        span = (last - first).days + 1
    except (IndexError, ValueError):
        first, span = None, 0

    def column(value: str | None) -> str:
        if not value or len(value) < 10:
            return "undated"
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return "undated"
        if span <= TIMELINE_COLUMNS:
            return day.isoformat()
        if span <= TIMELINE_COLUMNS * 7:
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        return day.isoformat()[:7]

    if first is not None and span <= TIMELINE_COLUMNS:
        columns = [date.fromordinal(first.toordinal() + k).isoformat() for k in range(span)]
    else:
        columns = sorted({column(m.get("date")) for m in members} - {"undated"})
    if any(column(m.get("date")) == "undated" for m in members):
        columns.append("undated")
    rows: dict[tuple[str, str], dict[str, int]] = {}
    for m in members:
        cells = rows.setdefault((m.get("outlet") or "", m.get("lang") or ""), {})
        key = column(m.get("date"))
        cells[key] = cells.get(key, 0) + 1
    first_seen = {key: min((c for c in cells if c != "undated"), default="undated") for key, cells in rows.items()}
    ordered = sorted(rows, key=lambda k: (first_seen[k] == "undated", first_seen[k], k))
    return {"unit": "day" if span <= TIMELINE_COLUMNS else ("week" if span <= TIMELINE_COLUMNS * 7 else "month"),
            "columns": columns,
            "rows": [{"outlet": o or None, "lang": lang or None, "cells": rows[(o, lang)],
                      "total": sum(rows[(o, lang)].values())} for o, lang in ordered]}


def _add_story_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    from newsgraph.corpus.framing import story_framing
    from newsgraph.store import stories as story_sql

    def built() -> bool:
        return Q.table_exists(database.conn(), "stories")

    def since_of(since: str) -> str | None:
        since = since.strip()
        if since and not _DATE.match(since):
            raise HTTPException(400, f"since={since!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return since or None

    @app.get("/api/stories", tags=["stories"])
    def api_stories(since: str = "", outlet: str = "", lang: str = "", min_size: int = Query(2, ge=1),
                    page_no: int = Query(1, alias="page", ge=1),
                    limit: int = Query(STORIES_PER_PAGE, ge=1, le=1000)) -> dict[str, Any]:
        """Stories (articles about one event across outlets and languages), largest first: labels per
        language, first article and date, followers with lags, counts by outlet and language. ``since``
        keeps stories with an article dated on or after it; ``min_size`` hides smaller stories (2: stories
        of one article are left out). ``built`` is false when ``newsgraph stories`` has not run."""
        conn = database.conn()
        filters = {"since": since_of(since), "outlet": outlet or None, "lang": lang or None, "min_size": min_size}
        if not built():
            return {"built": False, "total": 0, "stories": [], "page": page_no}
        rows = story_sql.story_rows(conn, limit=limit, offset=(page_no - 1) * limit, **filters)
        return {"built": True, "total": story_sql.story_count(conn, **filters),
                "all": story_sql.story_count(conn), "stories": rows, "page": page_no}

    def story_or_404(story_id: str, evidence: int | None) -> dict[str, Any]:
        conn = database.conn()
        found = story_sql.story_row(conn, story_id) if built() else None
        if found is None:
            raise HTTPException(404, f"no story {story_id}")
        found["framing"] = story_framing(conn, found, limit=evidence)
        found["clusters"] = story_sql.member_clusters(conn, found["id"])
        found["timeline"] = _story_timeline(found["members"])
        return found

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str, evidence: Optional[int] = Query(None, ge=0)) -> dict[str, Any]:
        """One story: members (score, lag), reuse and translation links between them, the reuse clusters
        holding them, a timeline by outlet and language, and ``framing``: each actor's role by outlet with
        the evidence spans that cast it (``evidence`` caps the spans per actor and outlet; default all)."""
        return story_or_404(story_id, evidence)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(since: str = "", outlet: str = "", lang: str = "", min_size: int = Query(2, ge=1),
                     page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        data = api_stories(since, outlet, lang, min_size, page_no, STORIES_PER_PAGE)
        return page("stories.html", s=data, since=since, outlet=outlet, lang=lang, min_size=min_size,
                    page_no=page_no, page_size=STORIES_PER_PAGE)

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        found = story_or_404(story_id, 8)
        titles = {m["article_id"]: m for m in found["members"]}
        return page("story.html", story=found, members=titles)


# ------------------------------------------------------------------ narratives


def share_bar(share: float, width: int = 60, height: int = 10) -> Markup:
    """A horizontal bar of ``share`` (0..1) as SVG attributes (the CSP forbids inline styles); no text in it."""
    w = max(0.0, min(1.0, float(share))) * width
    return Markup(f'<svg class="share" width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true"'
                  f' xmlns="http://www.w3.org/2000/svg"><rect width="{width}" height="{height}" fill="#eef0f3"/>'
                  f'<rect width="{w:.1f}" height="{height}" fill="#1f5fbf"/></svg>')


def outlet_month_table(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """The narrative's articles per outlet (rows) and month (columns), with their share of all the outlet's
    articles that month."""
    months = sorted({c["month"] for c in cells}, key=lambda m: (m == "", m))
    rows: dict[str, dict[str, Any]] = {}
    for c in cells:
        row = rows.setdefault(c["outlet"] or "", {"outlet": c["outlet"], "cells": {}, "articles": 0, "of_all": 0})
        share = c["articles"] / c["of_all"] if c["of_all"] else 0.0
        row["cells"][c["month"]] = {"articles": c["articles"], "of_all": c["of_all"], "share": share,
                                    "bar": share_bar(share)}
        row["articles"] += c["articles"]
        row["of_all"] += c["of_all"]
    return {"months": months, "rows": sorted(rows.values(), key=lambda r: (-r["articles"], r["outlet"] or ""))}


def _add_narrative_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    from newsgraph.store import narratives as NQ

    def ran() -> bool:
        return NQ.state(database.conn(), "fingerprint") is not None

    @app.get("/api/narratives", tags=["narratives"])
    def api_narratives(since: str = "", outlet: str = "", lang: str = "", page_no: int = Query(1, alias="page", ge=1),
                       limit: int = Query(50, ge=1, le=1000)) -> dict[str, Any]:
        """Narratives (recurrent claim sentences across stories and languages), most articles first: one page,
        the total matching, and ``analysed`` false when ``newsgraph narratives`` has not run."""
        if since and not _DATE.match(since):
            raise HTTPException(422, "since: write YYYY, YYYY-MM or YYYY-MM-DD")
        if not ran():
            return {"analysed": False, "total": 0, "narratives": [], "page": page_no}
        rows, total = NQ.narrative_rows(database.conn(), limit=page_no * limit, since=since or None,
                                        outlet=outlet or None, lang=lang or None)
        return {"analysed": True, "total": total, "narratives": rows[(page_no - 1) * limit:], "page": page_no,
                "filters": {"since": since, "outlet": outlet, "lang": lang}}

    @app.get("/api/narratives/{narrative_id}", tags=["narratives"])
    def api_narrative(narrative_id: str) -> dict[str, Any]:
        """One narrative with its evidence sentences (article id, span, text) and its articles per outlet and
        month beside all the outlet's articles that month."""
        found = NQ.narrative_row(database.conn(), narrative_id) if ran() else None
        if found is None:
            raise HTTPException(404, f"no narrative {narrative_id}")
        found["by_outlet_month"] = NQ.outlet_months(database.conn(), found["id"])
        return found

    @app.get("/narratives", response_class=HTMLResponse, include_in_schema=False)
    def narratives_page(since: str = "", outlet: str = "", lang: str = "",
                        page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        data = api_narratives(since, outlet, lang, page_no, 50)
        return page("narratives.html", n=data, page_size=50)

    @app.get("/narrative/{narrative_id}", response_class=HTMLResponse, include_in_schema=False)
    def narrative_page(narrative_id: str) -> HTMLResponse:
        found = api_narrative(narrative_id)
        return page("narrative.html", n=found, grid=outlet_month_table(found["by_outlet_month"]))


# ------------------------------------------------------------------ tables as CSV


def csv_lines(conn: sqlite3.Connection, table: str) -> Iterator[str]:
    """The table as CSV text, streamed row by row (``table`` must be checked by the caller)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    cursor = conn.execute(f'SELECT * FROM "{table}"')  # name checked against sqlite_master
    writer.writerow([d[0] for d in cursor.description])
    for row in cursor:
        writer.writerow(row)
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
    conn.close()


def _add_table_routes(app: FastAPI, database: ReadOnlyDatabase, page: Any) -> None:
    @app.get("/api/tables", tags=["tables"])
    def api_tables() -> list[dict[str, Any]]:
        """Every table with its columns, row count and CSV address."""
        conn = database.conn()
        return [{"name": t, "columns": Q.table_columns(conn, t), "csv": f"/csv/{t}.csv",
                 "rows": conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]} for t in Q.table_names(conn)]

    @app.get("/csv/{table}.csv", tags=["tables"])
    def table_csv(table: str) -> StreamingResponse:
        """A whole table as CSV (UTF-8)."""
        if table not in Q.table_names(database.conn()):
            raise HTTPException(404, f"no table {table}")
        return StreamingResponse(csv_lines(database.open(), table), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{table}.csv"'})

    @app.get("/tables", response_class=HTMLResponse, include_in_schema=False)
    def tables_page() -> HTMLResponse:
        return page("tables.html", tables=api_tables())

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(("/api/", "/csv/")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = environment().get_template("error.html").render(L=ServerLinks(), layers={}, status=exc.status_code,
                                                               detail=str(exc.detail))
        return HTMLResponse(html, status_code=exc.status_code)
