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
