"""Reuse at any fan-out (issue #14): one passage pasted into 2 … 500 articles is found in every
holder and tied to its original; an outlet's footer is that outlet's boilerplate, not reuse.

Two corpora: synthetic words (no shared data needed) and real Saudi articles (SaudiNewsNet, 11
outlets on one day; skipped without ../shared). The original is given the earliest date and sits
in the middle of the rowids, so that pairing holders with the lowest rowids does not find it.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import zipfile
from pathlib import Path

import pytest

from newsgraph.corpus.reuse import run_reuse
from newsgraph.store.db import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from reuse_synthetic import write_store  # noqa: E402  (the reuse benches' store writer)

SAUDI = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet-ar" / "dataset" / "2015-07-21.zip"


def synthetic_words(rng: random.Random, vocab: int = 6000) -> list[str]:
    letters = "abcdefghijklmnoprstuvwyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(vocab)]


def synthetic_articles(count: int, outlets: int, seed: int = 1) -> list[dict]:
    """``count`` articles of 150-300 random words, spread over ``outlets`` outlets, dated 2024-01-02."""
    rng = random.Random(seed)
    vocab = synthetic_words(rng)
    arts = []
    for k in range(count):
        sents = [" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize() + "."
                 for _ in range(rng.randint(12, 22))]
        arts.append({"id": f"a{k:05d}", "text": " ".join(sents), "outlet": f"outlet{k % outlets}",
                     "date": "2024-01-02", "lang": "en"})
    return arts


def saudi_articles(count: int) -> list[dict]:
    """The first ``count`` distinct articles of one day of SaudiNewsNet with at least 80 words."""
    with zipfile.ZipFile(SAUDI) as z:
        rows = json.loads(z.read(z.namelist()[0]).decode("utf-8"))
    arts, seen = [], set()
    for row in rows:
        text = " ".join(row["content"].split())
        key = hashlib.sha1(text.encode()).hexdigest()
        if len(text.split()) < 80 or key in seen:
            continue
        seen.add(key)
        arts.append({"id": f"sa{len(arts):05d}", "text": text, "outlet": row["source"], "date": "2015-07-21", "lang": "ar"})
        if len(arts) == count:
            break
    return arts


def plant(arts: list[dict], fanout: int, rng: random.Random, min_len: int = 300) -> tuple[str, list[str], str]:
    """Copy a passage (≥ ``min_len`` chars of whole words) of one article, the original, into
    ``fanout - 1`` others between two of their words; the original gets the earliest date.
    Returns (original id, holder ids without the original, passage)."""
    middle = len(arts) // 2
    original = arts[middle]
    words = original["text"].split(" ")
    start = len(words) // 3
    end = start + 1
    while len(" ".join(words[start:end])) < min_len:
        end += 1
    passage = " ".join(words[start:end])
    original["date"] = "2015-07-20" if original["date"].startswith("2015") else "2024-01-01"
    others = [k for k in range(len(arts)) if k != middle]
    holders = rng.sample(others, fanout - 1)
    for k in holders:
        parts = arts[k]["text"].split(" ")
        cut = rng.randint(1, len(parts) - 1)
        arts[k]["text"] = " ".join(parts[:cut] + [passage] + parts[cut:])
    return original["id"], [arts[k]["id"] for k in holders], passage


def tied(db: Path, original: str, holders: list[str]) -> dict:
    """Holders tied to the original by a record naming it as source, and by their cluster."""
    with Store(db, readonly=True) as store:
        records = [dict(r) for r in store.conn.execute(
            "SELECT * FROM reuse WHERE kind IN ('passage', 'near', 'exact') AND (a_article_id = ? OR b_article_id = ?)",
            (original, original))]
        clusters = {r["cluster_id"]: dict(r) for r in store.conn.execute(
            "SELECT c.id AS cluster_id, c.source_article_id, c.holders FROM reuse_clusters c"
            " JOIN reuse_cluster_members m ON m.cluster_id = c.id WHERE m.article_id = ?", (original,))}
        in_cluster = {row[0] for row in store.conn.execute(
            f"SELECT article_id FROM reuse_cluster_members WHERE cluster_id IN ({','.join('?' * len(clusters))})"
            " AND article_id != ?", [*clusters, original])} if clusters else set()
        named = {c["cluster_id"] for c in clusters.values() if c["source_article_id"] == original}
    by_record = {r["b_article_id"] if r["a_article_id"] == original else r["a_article_id"]
                 for r in records if r["source_article_id"] == original}
    wanted = set(holders)
    return {"records": len(by_record & wanted) / len(wanted), "cluster": len(in_cluster & wanted) / len(wanted),
            "named": bool(named), "clusters": list(clusters.values())}


def fanout_run(tmp_path: Path, arts: list[dict], fanout: int, seed: int) -> dict:
    rng = random.Random(seed)
    original, holders, passage = plant(arts, fanout, rng)
    db = tmp_path / f"fanout-{fanout}.db"
    write_store(db, arts)
    with Store(db) as store:
        run_reuse(store)
    return tied(db, original, holders) | {"passage": passage}


@pytest.mark.parametrize("fanout", [2, 10, 150, 500])
def test_any_fanout_ties_every_holder_to_the_original_synthetic(tmp_path, fanout):
    result = fanout_run(tmp_path, synthetic_articles(1200, outlets=12), fanout, seed=fanout)
    assert result["records"] >= 0.98, result
    assert result["cluster"] >= 0.98, result
    assert result["named"], result


@pytest.mark.skipif(not SAUDI.exists(), reason="../shared/data/saudinewsnet-ar not available")
@pytest.mark.parametrize("fanout", [2, 10, 150, 500])
def test_any_fanout_ties_every_holder_to_the_original_on_real_arabic_news(tmp_path, fanout):
    result = fanout_run(tmp_path, saudi_articles(1200), fanout, seed=fanout)
    assert result["records"] >= 0.98, {k: v for k, v in result.items() if k != "passage"}
    assert result["cluster"] >= 0.98, {k: v for k, v in result.items() if k != "passage"}
    assert result["named"]


FOOTER = ("Follow us on our channels for the latest news and reports, subscribe to the daily newsletter and share "
          "this story with your friends; all rights reserved to the publisher, reproduction without written "
          "permission is prohibited and will be pursued.")


def test_an_outlets_footer_is_its_boilerplate_never_reuse(tmp_path):
    arts = synthetic_articles(1200, outlets=5, seed=3)
    footed = [a for a in arts if a["outlet"] == "outlet0"][:200]
    for a in footed:
        a["text"] += " " + FOOTER
    db = tmp_path / "footer.db"
    write_store(db, arts)
    with Store(db) as store:
        counts = run_reuse(store)
        rows = store.boilerplate_rows()
        reuse = [dict(r) for r in store.conn.execute("SELECT * FROM reuse WHERE kind != 'repetition'")]
        outlet_of = {r["id"]: r["outlet"] for r in store.conn.execute("SELECT id, outlet FROM articles")}
    assert counts["passage"] == 0 and counts["near"] == 0 and counts["exact"] == 0, counts
    assert not reuse
    mine = [r for r in rows if r["outlet"] == "outlet0"]
    assert mine and mine[0]["articles"] >= 196, rows[:3]
    assert FOOTER[:-1] in mine[0]["text"] or mine[0]["text"].rstrip(".") in FOOTER
    assert all(outlet_of.get(r["article_id"]) == r["outlet"] for r in rows)


def test_a_footer_copied_by_another_outlet_is_reuse(tmp_path):
    """The same passage across outlets is reuse whatever its frequency: a footer of outlet0 in
    200 of its articles is its boilerplate, and the two articles of outlet1 that carry it too are
    tied to outlet0's first copy."""
    arts = synthetic_articles(1200, outlets=5, seed=4)
    footed = [a for a in arts if a["outlet"] == "outlet0"][:200]
    for a in footed:
        a["text"] += " " + FOOTER
    copies = [a for a in arts if a["outlet"] == "outlet1"][:2]
    for a in copies:
        a["text"] += " " + FOOTER
        a["date"] = "2024-01-03"
    db = tmp_path / "footer2.db"
    write_store(db, arts)
    with Store(db) as store:
        run_reuse(store)
        reuse = [dict(r) for r in store.conn.execute("SELECT * FROM reuse WHERE kind = 'passage'")]
        outlet_of = {r["id"]: r["outlet"] for r in store.conn.execute("SELECT id, outlet FROM articles")}
        assert [r for r in store.boilerplate_rows() if r["outlet"] == "outlet0"]
    assert all(outlet_of[r["a_article_id"]] != outlet_of[r["b_article_id"]] for r in reuse)
    tied_copies = {r["a_article_id"] if outlet_of[r["a_article_id"]] == "outlet1" else r["b_article_id"] for r in reuse}
    assert tied_copies == {a["id"] for a in copies}


def test_clusters_and_boilerplate_reach_the_cli_and_the_exports(tmp_path):
    from typer.testing import CliRunner

    import newsgraph.api as ng
    from newsgraph.cli import app

    arts = synthetic_articles(600, outlets=6, seed=5)
    for a in [a for a in arts if a["outlet"] == "outlet0"][:60]:
        a["text"] += " " + FOOTER
    original, holders, passage = plant(arts, 120, random.Random(5))
    db = tmp_path / "cli.db"
    write_store(db, arts)
    result = CliRunner().invoke(app, ["reuse", "--db", str(db), "--quiet"])
    assert result.exit_code == 0 and "clusters:" in result.output
    top = ng.reuse_clusters(db, top=1)[0]
    assert top["holders"] == 120 and top["source_article_id"] == original and passage in top["text"]
    assert len(top["outlets"]) == 6
    result = CliRunner().invoke(app, ["reuse", "--db", str(db), "--top", "3"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and top["id"] in result.output and "120" in result.output
    result = CliRunner().invoke(app, ["reuse", "--db", str(db), "--boilerplate"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "outlet0" in result.output
    out = tmp_path / "export"
    ng.export(db, out, fmt="jsonl")
    records = [json.loads(line) for line in (out / "reuse.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records and all("cluster_id" in r for r in records)
    assert {r["cluster_id"] for r in records if original in (r["a_article_id"], r["b_article_id"])} == {top["id"]}
    clusters = [json.loads(line) for line in (out / "reuse_clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    assert clusters[0]["id"] == top["id"] and clusters[0]["holders"] == 120 and isinstance(clusters[0]["outlets"], list)
    plates = [json.loads(line) for line in (out / "boilerplate.jsonl").read_text(encoding="utf-8").splitlines()]
    assert plates and plates[0]["outlet"] == "outlet0" and plates[0]["articles"] >= 58


def test_a_whole_text_cluster_and_a_passage_cluster_over_the_same_span_get_their_own_ids(tmp_path):
    """Found on SaudiNewsNet: an article that is a near-duplicate of one article and shares its
    whole text as a passage with another has two nodes with one extent."""
    from newsgraph.corpus.reuse import clustered
    from newsgraph.model import Reuse

    arts = synthetic_articles(3, outlets=3, seed=6)
    write_store(tmp_path / "c.db", arts)
    a, b, c = (x["id"] for x in arts)
    n = len(arts[0]["text"])
    records = [Reuse(a, 0, n, b, 0, len(arts[1]["text"]), 0.9, "near", a),
               Reuse(a, 0, n, c, 0, len(arts[2]["text"]), 0.8, "passage", a)]
    with Store(tmp_path / "c.db") as store:
        out, clusters, members = clustered(store.conn, records)
        store.replace_reuse(out, clusters=clusters, members=members, boilerplate=[])
    assert len({x["id"] for x in clusters}) == 2 and out[0].cluster_id != out[1].cluster_id


def test_a_passage_beside_other_shared_text_is_its_own_cluster(tmp_path):
    """Found on SaudiNewsNet 10k with passages planted in 1,000 and 3,333 articles: in an article that
    also shares a longer stretch around the planted passage with another article, the wider span must
    not swallow the passage, or the two passages' clusters chain into one."""
    from newsgraph.corpus.reuse import clustered
    from newsgraph.model import Reuse

    arts = synthetic_articles(4, outlets=4, seed=7)
    write_store(tmp_path / "c.db", arts)
    x, y, a1, a2 = (art["id"] for art in arts)
    records = [Reuse(x, 500, 800, a1, 100, 400, 0.95, "passage", x),  # the passage, in x, a1 and a2
               Reuse(x, 500, 800, a2, 120, 420, 0.95, "passage", x),
               Reuse(x, 200, 1100, y, 0, 900, 0.9, "passage", x)]  # other shared text around it, with y
    with Store(tmp_path / "c.db") as store:
        out, clusters, members = clustered(store.conn, records)
    holders = sorted(sorted({m["article_id"] for m in members if m["cluster_id"] == c["id"]}) for c in clusters)
    assert holders == sorted([sorted([x, a1, a2]), sorted([x, y])])
    assert out[0].cluster_id == out[1].cluster_id != out[2].cluster_id


def test_exact_copies_of_a_holder_are_holders_of_its_passages_too(tmp_path):
    """Outlets of a network republish one story word for word: the later copies are not indexed
    (their reuse is the first copy's), but they hold the passage and count in its cluster."""
    arts = synthetic_articles(300, outlets=6, seed=7)
    original, holders, _ = plant(arts, 10, random.Random(7))
    first = next(a for a in arts if a["id"] == holders[0])
    copies = [dict(first, id=f"copy{k}", outlet=f"outlet{k}", date="2024-01-03") for k in range(5)]
    write_store(tmp_path / "x.db", arts + copies)
    with Store(tmp_path / "x.db") as store:
        run_reuse(store)
        top = store.reuse_cluster_rows(limit=1)[0]
        members = {r[0] for r in store.conn.execute("SELECT article_id FROM reuse_cluster_members WHERE cluster_id = ?",
                                                    (top["id"],))}
    assert top["source_article_id"] == original and top["holders"] == 15
    assert {c["id"] for c in copies} <= members
