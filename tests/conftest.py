from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples" / "pages"


def seeds_dir() -> Path | None:
    """The seed pages: ../shared/seeds when present, else the copies bundled in examples/."""
    for candidate in (SHARED / "seeds", EXAMPLES):
        if candidate.is_dir() and any(candidate.glob("00[0-4]_*.txt")):
            return candidate
    return None


@pytest.fixture(scope="session")
def seeds() -> Path:
    found = seeds_dir()
    if found is None:
        pytest.skip("seed pages not available")
    return found


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data not available")
    return data


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, seeds: Path) -> Path:
    """The seed pages through the default pipeline, once per test module."""
    import newsgraph.api as ng

    db = tmp_path_factory.mktemp("seeded") / "seeds.db"
    result = ng.analyze([seeds], db)
    assert not result.rejected
    return db


# ------------------------------------------------------------------ a small corpus with planted reuse

REUSE_OUTLETS = ("Wire A", "Daily B", "Gazette C")


def reuse_corpus(root: Path) -> Path:
    """JSONL pages in three English outlets and one Arabic one, made of the paragraphs of a bundled
    seed page: "Copied one" (Gazette C) repeats "Original one" (Wire A) word for word a month
    later; "Borrowed one" (Daily B, two days later) pastes two of its paragraphs; "Borrowed two"
    (Gazette C, undated, so no likely original) pastes two paragraphs of "Original two" (Daily B)."""
    import json

    root.mkdir(parents=True, exist_ok=True)
    page = next(EXAMPLES.glob("003_*.txt")).read_text(encoding="utf-8")
    p = [para for para in page.split("\n\n") if len(para) > 200]
    arabic = next(r for r in map(json.loads, (EXAMPLES / "ntrex-welsh-assembly.jsonl").open(encoding="utf-8"))
                  if r["lang"] == "ar")
    records = [
        ("Wire A", "2024-01-05", "Original one", p[0:6]),
        ("Daily B", "2024-01-07", "Borrowed one", p[6:8] + p[2:4] + p[8:9]),
        ("Gazette C", "2024-02-02", "Copied one", p[0:6]),
        ("Daily B", "2024-02-10", "Original two", p[10:16]),
        ("Gazette C", None, "Borrowed two", p[16:18] + p[12:14] + p[18:19]),
        ("Wire A", "2024-02-12", "Unrelated", p[20:25]),
    ]
    with (root / "reuse.jsonl").open("w", encoding="utf-8") as out:
        for i, (outlet, date, title, paras) in enumerate(records):
            text = "\n\n".join(paras) + "\n" * (i + 1)  # the exact copy must differ as a page, not as an article
            out.write(json.dumps({"text": text, "title": title, "outlet": outlet, "date": date,
                                  "url": f"https://example.org/{i}"}, ensure_ascii=False) + "\n")
        out.write(json.dumps({"text": arabic["text"], "title": arabic["title"], "outlet": "الأخبار",
                              "date": "2024-02-03", "url": "https://example.org/ar"}, ensure_ascii=False) + "\n")
    return root


@pytest.fixture(scope="session")
def reuse_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`reuse_corpus` through the full pipeline (techniques included) and the reuse stage."""
    import newsgraph.api as ng

    base = tmp_path_factory.mktemp("reuse-corpus")
    db = base / "reuse.db"
    ng.analyze([reuse_corpus(base / "pages")], db=db)
    ng.reuse(db)
    return db


# ------------------------------------------------------------------ a database written by an older newsgraph


def older_database(src: Path, dst: Path, version: int) -> Path:
    """A copy of ``src`` as a newsgraph at schema ``version`` would have written it: only the first
    ``version`` migrations applied (no later tables or columns, ``user_version`` = ``version``), and
    every row of ``src`` in the columns that schema has. Opened read-only (export, the workbench) it
    is not migrated, as a researcher's archived database would not be."""
    import sqlite3

    from newsgraph.store.schema import MIGRATIONS

    if dst.exists():
        dst.unlink()
    conn = sqlite3.connect(dst)
    for number, migration in enumerate(MIGRATIONS[:version], start=1):
        conn.executescript("BEGIN;" + migration + f"; PRAGMA user_version = {number}; COMMIT;")
    conn.execute("ATTACH DATABASE ? AS src", (str(src),))
    tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'"
                                         " AND name NOT LIKE 'articles_fts%' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        old = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
        new = {r[1] for r in conn.execute(f'PRAGMA src.table_info("{table}")')}
        columns = ", ".join(f'"{c}"' for c in old if c in new)
        conn.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM src."{table}"')
    conn.execute("INSERT INTO main.articles_fts (rowid, title, text) SELECT rowid, title, text FROM src.articles_fts")
    conn.commit()
    conn.execute("DETACH DATABASE src")
    conn.close()
    return dst


# ------------------------------------------------------------------ reuse clusters with a hostile passage and a footer

HOSTILE_PASSAGE = ('<script>window.__xss=1</script> "council" & <img src=x onerror=alert(1)> The statement of the '
                   'council was read out in full by every outlet of the network that morning, word for word, with the '
                   'same closing line about the unity of the nation and its leadership and the same call to vigilance '
                   '</blockquote><a href="javascript:alert(2)">read more</a>')


@pytest.fixture(scope="session")
def cluster_db(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """120 synthetic articles in four outlets (the reuse tests' corpus, stored without the per-article
    stages) through the reuse stage: one of their passages pasted into 11 others, the hostile
    passage above in 5 articles of three outlets (its first holder dated a day earlier), and the
    reuse tests' footer in 30 articles of outlet0 (that outlet's boilerplate). Returns the database
    and what was planted."""
    import random
    import sys

    from newsgraph.corpus.reuse import run_reuse
    from newsgraph.store.db import Store

    sys.path.insert(0, str(ROOT / "bench"))
    from reuse_synthetic import write_store  # the reuse benches' store writer
    from test_reuse_fanout import FOOTER, plant, synthetic_articles

    arts = synthetic_articles(120, outlets=4, seed=11)
    for a in [a for a in arts if a["outlet"] == "outlet0"][:30]:
        a["text"] += " " + FOOTER
    original, holders, passage = plant(arts, 12, random.Random(11))
    taken = {original, *holders}
    hostile = [a for a in arts if a["id"] not in taken and a["outlet"] != "outlet0"][:5]
    for k, a in enumerate(hostile):
        words = a["text"].split(" ")
        a["text"] = " ".join(words[:40] + [HOSTILE_PASSAGE] + words[40:])
        a["date"] = "2024-01-01" if k == 0 else "2024-01-03"
    db = tmp_path_factory.mktemp("clusters") / "clusters.db"
    write_store(db, arts)
    with Store(db) as store:
        run_reuse(store)
    return {"db": db, "original": original, "holders": holders, "passage": passage, "footer": FOOTER,
            "hostile_original": hostile[0]["id"], "hostile_holders": [a["id"] for a in hostile]}


@pytest.fixture(scope="module")
def dask_cluster():
    """A real LocalCluster: two worker processes, so tasks and results cross process boundaries."""
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster
    cluster.close()


@pytest.fixture(scope="session")
def framing_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/framing/story_corpus.jsonl (one event in en/ar/fa from four outlets, and an unrelated one)
    through the pipeline, the stories stage and the framing stage."""
    import newsgraph.api as ng

    db = tmp_path_factory.mktemp("framing") / "stories.db"
    ng.analyze([Path(__file__).parent / "data" / "framing" / "story_corpus.jsonl"], db)
    ng.build_stories(db)
    ng.build_framing(db)
    return db
