"""Templates and the pieces of pages built in Python: links, highlighted paragraphs, charts.

The same templates serve the live workbench (:class:`ServerLinks`) and the static report
(:class:`ReportLinks`); a link that has no target in the current mode is ``None`` and the
template shows plain text instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from newsgraph.web.safety import Highlight, clean_display, highlighted_html, layered_html, safe_href, snippet_html, text_dir

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"
PAGES = {"search": "", "entities": "entities", "graph": "graph", "reuse": "reuse", "techniques": "techniques",
         "timeline": "timeline", "outlets": "outlets", "tables": "tables",
         "narratives": "narratives"}


class ServerLinks:
    """URLs of the live workbench."""

    server = True

    def page(self, name: str) -> str:
        return "/" + PAGES[name]

    def article(self, article_id: str) -> str | None:
        return "/article/" + quote(article_id, safe="")

    def source(self, article_id: str) -> str | None:
        return "/article/" + quote(article_id, safe="") + "/source"

    def article_at(self, article_id: str, start: int, end: int) -> str | None:
        """The reader with characters ``start``–``end`` marked and scrolled to."""
        return f"/article/{quote(article_id, safe='')}?at={int(start)}-{int(end)}#at"

    def entity(self, entity_id: str | None) -> str | None:
        return "/entity/" + quote(entity_id, safe="") if entity_id else None

    def search(self, **params: str) -> str | None:
        return "/?" + urlencode({k: v for k, v in params.items() if v})

    def evidence(self, **params: str) -> str | None:
        """The technique spans behind a dashboard cell (technique, outlet, month, lang)."""
        return "/techniques/evidence?" + urlencode({k: v for k, v in params.items() if v})

    def static(self, path: str) -> str:
        return "/static/" + path

    def csv(self, table: str) -> str | None:
        return "/csv/" + quote(table, safe="") + ".csv"

    def api(self, path: str) -> str | None:
        return "/api/" + path


@dataclass
class ReportLinks:
    """Relative URLs inside a static report directory (every page at its top level)."""

    articles: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    techniques: set[str] = field(default_factory=set)
    server = False

    def page(self, name: str) -> str:
        return (PAGES[name] or "index") + ".html"

    def article(self, article_id: str) -> str | None:
        return f"article-{article_id}.html" if article_id in self.articles else None

    def article_at(self, article_id: str, start: int, end: int) -> str | None:
        """A static page cannot mark a span: the article's page, when the report has it."""
        return self.article(article_id)

    def source(self, article_id: str) -> str | None:
        return None

    def entity(self, entity_id: str | None) -> str | None:
        return f"entity-{entity_id}.html" if entity_id in self.entities else None

    def search(self, **params: str) -> str | None:
        return None

    def evidence(self, **params: str) -> str | None:
        """A report has one evidence page per technique (all outlets and months), none for other filters."""
        technique = params.get("technique", "")
        return technique_page(technique) if technique in self.techniques else None

    def static(self, path: str) -> str:
        return "static/" + path

    def csv(self, table: str) -> str | None:
        return None

    def api(self, path: str) -> str | None:
        return None


def facet_links(links: Any, active: dict[str, str], items: list[dict[str, Any]], *keys: str
                ) -> list[tuple[dict[str, Any], str | None]]:
    """Each facet item with the search URL that sets ``keys`` to its value and keeps the other
    active filters (page dropped). The shared part of the query string is encoded once: a
    search page has about a hundred facet links, and encoding every one whole was half of
    its rendering time."""
    rest = {k: v for k, v in active.items() if k not in keys and k != "page"}
    base = links.search(**rest)
    if base is None:
        return [(item, None) for item in items]
    base += "&" if rest else ""
    empty = links.search(**rest)
    return [(item, base + _params(keys, item["value"]) if item["value"] else empty) for item in items]


def _params(keys: tuple[str, ...], value: Any) -> str:
    """``urlencode({k: value for k in keys})``, the value encoded once."""
    encoded = quote_plus(value if isinstance(value, str) else str(value))
    return "&".join(f"{k}={encoded}" for k in keys)


def technique_page(technique: str) -> str:
    """The report file name of a technique's evidence page (names are reduced to safe characters)."""
    return "technique-" + (re.sub(r"[^A-Za-z0-9_-]", "_", technique)[:60] or "_") + ".html"


_DICT_ATTRIBUTES = frozenset(dir(dict))


class RowsEnvironment(Environment):
    """Jinja's environment, with ``row.key`` on a plain dict looked up as a key first.

    Jinja tries ``getattr(row, "key")`` and catches the AttributeError before it tries
    ``row["key"]``; the pages read their rows (dicts) this way hundreds of times each, and the
    exception was a tenth of a search page's rendering. A name that is an attribute of dict
    (``items``, ``get``) still resolves to the attribute, so every lookup returns what Jinja's
    would."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment() -> Environment:
    """Jinja with autoescape everywhere and bidi controls stripped from every value shown."""
    env = RowsEnvironment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                      default_for_string=True), finalize=clean_display, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)  # templates ship with the package: no stat() per page
    from newsgraph.web.queries import DEFAULT_MIN_CONFIDENCE, param_value, quotes_by_article

    env.globals.update(text_dir=text_dir, safe_href=safe_href, snippet_html=snippet_html, facet_links=facet_links,
                       param_value=param_value, quotes_by_article=quotes_by_article,
                       default_min_conf=DEFAULT_MIN_CONFIDENCE)
    env.filters["combine_dict"] = lambda d, key, value: {**{k: v for k, v in d.items() if k != "page"}, key: value}
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False, default=str)
    return env


# ------------------------------------------------------------------ article body


def mention_highlights(mentions: list[dict[str, Any]], links: Any) -> list[Highlight]:
    return [Highlight(m["start"], m["end"], "ent", m["label"], links.entity(m["entity_id"]),
                      f'{m["label"]}: {m["entity_name"] or m["text"]}') for m in mentions]


def date_highlights(dates: list[dict[str, Any]]) -> list[Highlight]:
    return [Highlight(d["start"], d["end"], "date", d["calendar"], None, f'{d["calendar"]}: {d["value"] or "?"}')
            for d in dates]


# the css class of each stage's marks (the article page's toggles show and hide them by it)
LAYER_CLASSES = {"quotes": "quote", "techniques": "technique", "relations": "relation", "reuse": "reuse"}


def layer_highlights(layer: str, spans: list[dict[str, Any]] | None) -> list[Highlight]:
    css = LAYER_CLASSES.get(layer, layer)
    return [Highlight(s["start"], s["end"], css, str(s.get("span_label") or ""), None, str(s.get("span_label") or layer))
            for s in spans or [] if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)]


def reuse_highlights(rows: list[dict[str, Any]] | None, article_id: str, paragraphs: list[dict[str, Any]],
                     links: Any) -> list[Highlight]:
    """Reused passages, linked to the other article, each cut at paragraph ends (the marks of
    names and quotes inside them nest within)."""
    bounds = [(p["start"], p["end"]) for p in paragraphs] or [(0, 1 << 62)]
    out = []
    for r in rows or []:
        other = r["other_id"] if r["other_id"] != article_id else None
        title = f'{r["kind"]} ({r["similarity"]:.2f}) ' + (f'with “{r["other_title"] or other}”' if other else
                                                           "repeated in this article")
        for start, end in bounds:
            a, b = max(r["start"], start), min(r["end"], end)
            if a < b:
                out.append(Highlight(a, b, "reuse", r["kind"], links.article(other) if other else None, title))
    return out


def article_highlights(view: dict[str, Any], links: Any) -> list[Highlight]:
    """Every span to mark in the article, of every layer; overlapping spans nest (:func:`layered_html`)."""
    spans = mention_highlights(view["mentions"], links) + date_highlights(view["dates"])
    for layer, layer_rows in view["layers"].items():
        if layer != "reuse":
            spans += layer_highlights(layer, layer_rows)
    return spans + reuse_highlights(view["layers"].get("reuse"), view["article"]["id"], view["paragraphs"], links)


def target_span(at: str, text: str) -> tuple[int, int] | None:
    """The span ``START-END`` of a reader link (``?at=``), when it lies inside ``text``."""
    match = re.fullmatch(r"(\d{1,9})-(\d{1,9})", at.strip())
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if 0 <= start < end <= len(text) else None


def paragraph_blocks(view: dict[str, Any], links: Any, at: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    """Each paragraph of the article as highlighted HTML with its language and direction; ``at``
    (a span the link asked for, e.g. a reused passage) is marked in every paragraph it covers, and the
    paragraph where it starts is the ``anchor`` the page scrolls to."""
    text = view["article"]["text"]
    spans = article_highlights(view, links)
    paragraphs = view["paragraphs"] or [{"start": 0, "end": len(text), "lang": view["article"]["lang"], "kind": "body"}]
    blocks = []
    anchored = False
    for p in paragraphs:
        inside = [Highlight(s.start - p["start"], s.end - p["start"], s.layer, s.label, s.href, s.title)
                  for s in spans if s.start >= p["start"] and s.end <= p["end"]]
        anchor = False
        if at and at[0] < p["end"] and p["start"] < at[1]:
            a, b = max(at[0], p["start"]), min(at[1], p["end"])
            inside.append(Highlight(a - p["start"], b - p["start"], "at", "", None,
                                    f"characters {at[0]}–{at[1]}: the passage the link points to"))
            anchor, anchored = not anchored, True
        lang = p.get("lang") or view["article"]["lang"]
        blocks.append({"html": layered_html(text[p["start"]:p["end"]], inside, offset=p["start"]),
                       "lang": lang, "dir": text_dir(lang), "kind": p.get("kind", "body"), "anchor": anchor})
    return blocks


def source_html(text: str, paragraphs: list[dict[str, Any]]) -> Markup:
    """The decoded source with the spans kept as paragraphs marked."""
    spans = [Highlight(p["source_start"], p["source_end"], "kept", "", None, f'paragraph {p["idx"]}')
             for p in paragraphs]
    return highlighted_html(text, spans)


# ------------------------------------------------------------------ charts (inline SVG, no script)


def bar_chart(points: list[tuple[str, int]], width: int = 640, height: int = 160) -> Markup:
    """A bar chart as SVG markup; labels escaped, every number computed here."""
    if not points:
        return Markup("")
    peak = max(v for _, v in points) or 1
    bar = max(2.0, (width - 40) / len(points))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 30}" width="{width}" height="{height + 30}"'
             f' role="img" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(points):
        h = value / peak * height
        x = 30 + i * bar
        tip = highlighted_html(f"{label}: {value}", [])
        parts.append(f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar * 0.8:.1f}" height="{h:.1f}">'
                     f"<title>{tip}</title></rect>")
    step = max(1, len(points) // 8)
    for i in range(0, len(points), step):
        parts.append(f'<text x="{30 + i * bar:.1f}" y="{height + 18}">{highlighted_html(points[i][0], [])}</text>')
    parts.append(f'<text x="0" y="12">{peak}</text></svg>')
    return Markup("".join(parts))
