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
