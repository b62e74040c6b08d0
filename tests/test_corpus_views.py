"""Corpus-level aggregates shared by the CLI, the export and the workbench: technique rates per
1,000 words (by outlet, month, language) and the outlet-to-outlet reuse graph, on a corpus with
planted reuse run through the real pipeline and reuse stage (conftest.reuse_corpus)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pytest

import newsgraph.api as ng
from newsgraph.store.db import Store
from newsgraph.store.graphs import REUSE_KINDS, reuse_graph, reuse_kinds, reuse_pair_count, reuse_pair_rows

KEY = {"outlet": lambda a: a["outlet"] or "", "month": lambda a: (a["date"] or "")[:7], "lang": lambda a: a["lang"] or ""}


def recount(db: Path, by: tuple[str, ...], outlet: str | None = None, lang: str | None = None) -> dict:
    """Techniques per 1,000 words counted in Python from the raw rows."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        articles = {r["id"]: dict(r) for r in conn.execute("SELECT id, outlet, date, lang, word_count FROM articles")}
        spans = [dict(r) for r in conn.execute("SELECT article_id, technique FROM techniques")]
    keep = {i for i, a in articles.items()
            if (outlet is None or (a["outlet"] or "") == outlet) and (lang is None or (a["lang"] or "") == lang)}
    words: Counter = Counter()
    for i in keep:
        words[tuple(KEY[k](articles[i]) for k in by)] += articles[i]["word_count"]
    counted: Counter = Counter()
    for s in spans:
        if s["article_id"] in keep:
            counted[(s["technique"], *(KEY[k](articles[s["article_id"]]) for k in by))] += 1
    return {key: (n, words[key[1:]], round(1000 * n / words[key[1:]], 2)) for key, n in counted.items()}


@pytest.mark.parametrize("by, outlet, lang", [(("outlet", "month"), None, None), (("outlet",), None, None),
                                              (("month",), None, None), ((), None, None), (("lang",), None, None),
                                              (("month",), "Daily B", None), (("outlet",), None, "ar"),
                                              (("month",), "", None)])
def test_technique_rates_match_a_count_over_the_rows(reuse_db: Path, by, outlet, lang) -> None:
    rows = ng.technique_stats(reuse_db, outlet=outlet, lang=lang, by=by)
    expected = recount(reuse_db, by, outlet, lang)
    got = {(r["technique"], *(r[k] for k in by)): (r["spans"], r["words"], r["per_1000_words"]) for r in rows}
    assert got == expected
    if outlet is None and lang is None:
        assert rows, "the techniques stage found something in the planted corpus"


def test_article_words_are_the_denominators_including_groups_without_techniques(reuse_db: Path) -> None:
    with Store(reuse_db, readonly=True) as store:
        months = store.article_words(by=("month",))
        assert {m["month"] for m in months} == {"", "2024-01", "2024-02"}
        with sqlite3.connect(reuse_db) as conn:
            assert sum(m["words"] for m in months) == conn.execute("SELECT sum(word_count) FROM articles").fetchone()[0]
        with pytest.raises(ValueError):
            store.technique_stats(by=("outlet; DROP TABLE articles",))


def test_default_stats_keep_the_cli_columns(reuse_db: Path) -> None:
    row = ng.technique_stats(reuse_db)[0]
    assert list(row)[:3] == ["technique", "outlet", "month"] and {"spans", "per_1000_words"} <= set(row)


def reuse_records(db: Path) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        outlet = dict(conn.execute("SELECT id, coalesce(outlet, '') FROM articles").fetchall())
        rows = [dict(r) for r in conn.execute("SELECT * FROM reuse WHERE kind != 'repetition'"
                                              " AND a_article_id != b_article_id")]
    for r in rows:
        r["a_outlet"], r["b_outlet"] = outlet[r["a_article_id"]], outlet[r["b_article_id"]]
    return rows


def test_reuse_graphml_from_export_parses_with_networkx(reuse_db: Path, tmp_path: Path) -> None:
    counts = ng.export(reuse_db, tmp_path, "jsonl")
    graph = nx.read_graphml(tmp_path / "reuse.graphml")
    assert graph.is_directed() and counts["reuse.graphml"] == graph.number_of_edges()
    # the same edges, counted independently from the exported reuse records
    expected: dict = defaultdict(Counter)
    for line in (tmp_path / "reuse.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["kind"] == "repetition" or r["a_article_id"] == r["b_article_id"]:
            continue
        rec = next(x for x in reuse_records(reuse_db) if (x["a_article_id"], x["a_start"], x["b_article_id"],
                                                            x["b_start"], x["kind"]) ==
                   (r["a_article_id"], r["a_start"], r["b_article_id"], r["b_start"], r["kind"]))
        if r["source_article_id"] == r["b_article_id"]:
            edge = (rec["b_outlet"], rec["a_outlet"])
        elif r["source_article_id"] == r["a_article_id"]:
            edge = (rec["a_outlet"], rec["b_outlet"])
        else:
            edge = tuple(sorted((rec["a_outlet"], rec["b_outlet"])))
            expected[edge]["undirected"] += 1
        expected[edge][r["kind"]] += 1
        expected[edge]["weight"] += 1
    got = {(u, v): Counter({k: d[k] for k in ("weight", "undirected", *REUSE_KINDS) if d[k]})
           for u, v, d in graph.edges(data=True)}
    assert got == dict(expected)
    # the planted reuse: the exact copy and the pasted paragraphs go from the earlier outlet to
    # the later; the undated copy has no likely original
    assert graph.edges["Wire A", "Gazette C"]["exact"] == 1
    assert graph.edges["Wire A", "Daily B"]["passage"] >= 1 and graph.edges["Wire A", "Daily B"]["undirected"] == 0
    assert graph.edges["Daily B", "Gazette C"]["undirected"] == graph.edges["Daily B", "Gazette C"]["weight"] >= 1
    assert not graph.has_edge("Gazette C", "Wire A") and "الأخبار" not in graph
    assert graph.nodes["Wire A"]["articles"] == 2 and graph.nodes["Wire A"]["label"] == "Wire A"


def test_reuse_pairs_put_the_likely_original_first(reuse_db: Path) -> None:
    with Store(reuse_db, readonly=True) as store:
        pairs = list(reuse_pair_rows(store))
        assert len(pairs) == reuse_pair_count(store) >= 3
        texts = dict(store.conn.execute("SELECT id, text FROM articles").fetchall())
        for p in pairs:
            records = [r for r in reuse_records(reuse_db) if r["kind"] == p["kind"]
                       and {r["a_article_id"], r["b_article_id"]} == {p["from_id"], p["to_id"]}]
            assert len(records) == p["passages"]
            if p["directed"]:
                assert all(r["source_article_id"] == p["from_id"] for r in records)
            copied = sum((r["a_end"] - r["a_start"]) if r["a_article_id"] == p["to_id"] else (r["b_end"] - r["b_start"])
                         for r in records)
            assert p["chars"] == copied and copied <= len(texts[p["to_id"]])
        exact = next(p for p in pairs if p["kind"] == "exact")
        assert (exact["from_title"], exact["to_title"], exact["directed"]) == ("Original one", "Copied one", True)
        passages = reuse_graph(store, ("passage",))
        assert all(d["exact"] == 0 and d["weight"] == d["passage"] for _, _, d in passages.edges(data=True))
        assert not passages.has_edge("Wire A", "Gazette C")
        assert reuse_graph(store, min_weight=1000).number_of_edges() == 0
    assert reuse_kinds("") == REUSE_KINDS
    with pytest.raises(ValueError):
        reuse_kinds("repetition")
