"""Licences a user can see and choose: the core package ships only weights whose terms allow any use,
the research distribution (research-models/) the rest, and every stage runs without it.

The wheel tests build the real wheels from this checkout (setuptools, no network) and read their file lists.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from newsgraph import weights

ROOT = Path(__file__).resolve().parents[1]
RESEARCH_SRC = ROOT / "research-models"
SEEDS = ROOT.parent / "shared" / "seeds"


def _build_wheel(project: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(project)], capture_output=True, text=True, timeout=600,
                          cwd=out)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = out.glob("*.whl")
    return wheel


@pytest.fixture(scope="module")
def core_wheel(tmp_path_factory) -> Path:
    # build from a copy: a wheel build writes build/ and *.egg-info into the project folder
    src = tmp_path_factory.mktemp("core-src")
    for name in ("pyproject.toml", "README.md", "src"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    return _build_wheel(src, tmp_path_factory.mktemp("core-wheel"))


@pytest.fixture(scope="module")
def research_wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("research-src") / "research-models"
    shutil.copytree(RESEARCH_SRC, src)
    return _build_wheel(src, tmp_path_factory.mktemp("research-wheel"))


def test_core_wheel_ships_every_core_model_and_no_research_weights(core_wheel):
    assert weights.wheel_problems(core_wheel, weights.CORE) == []
    names = zipfile.ZipFile(core_wheel).namelist()
    assert "newsgraph/data/models/ner-fa.crfsuite" in names
    assert not [n for n in names if n.startswith("newsgraph/data/techniques/") and n.endswith((".npz", ".crfsuite"))]
    assert "newsgraph/data/quotes/attribution-en.npz" not in names


def test_a_model_removed_from_the_wheel_is_reported(core_wheel, tmp_path):
    """The check above can fail: the same wheel without one shipped model file is caught."""
    broken = tmp_path / core_wheel.name
    with zipfile.ZipFile(core_wheel) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            if item.filename != "newsgraph/data/models/ner-ar.crfsuite":
                zout.writestr(item, zin.read(item.filename))
    assert weights.wheel_problems(broken, weights.CORE) == [
        "missing newsgraph/data/models/ner-ar.crfsuite (ner-ar)"]


def test_research_weights_put_in_the_core_wheel_are_reported(core_wheel, tmp_path):
    bad = tmp_path / core_wheel.name
    shutil.copy(core_wheel, bad)
    research = RESEARCH_SRC / "src" / "newsgraph_research_models" / "data"
    with zipfile.ZipFile(bad, "a") as zf:
        zf.write(research / "techniques" / "si-en.crfsuite", "newsgraph/data/techniques/si-en.crfsuite")
    problems = weights.wheel_problems(bad, weights.CORE)
    assert problems == ["research weights in the core wheel: newsgraph/data/techniques/si-en.crfsuite"]


def test_research_wheel_ships_every_research_model(research_wheel):
    assert weights.wheel_problems(research_wheel, weights.RESEARCH) == []
    meta = json.loads(zipfile.ZipFile(research_wheel).read("newsgraph_research_models/data/models/ner-fa.json"))
    assert "arman-train" in meta["labels_source"]


def test_core_ner_models_are_trained_on_permissive_data_only():
    for lang in ("ar", "fa"):
        meta = json.loads((weights.CORE_DATA / "models" / f"ner-{lang}.json").read_text(encoding="utf-8"))
        assert set(meta["labels_source"]) <= weights.PERMISSIVE_CORPORA, meta["labels_source"]
        assert not meta.get("unlabelled_news_for_clusters")


def test_every_model_is_listed_with_data_and_licence():
    rows = {r["name"]: r for r in weights.model_rows()}
    for row in rows.values():
        assert row["data"] and row["licence"] and row["stage"]
        assert row["distribution"] in {weights.CORE, weights.RESEARCH, weights.PYPI}
    # every core model file in the source tree is in the registry (nothing ships unlisted)
    listed = {f for info in weights.MODELS if info.distribution == weights.CORE for f in info.files}
    shipped = {str(p.relative_to(weights.CORE_DATA)) for p in weights.CORE_DATA.rglob("*")
               if p.suffix in {".crfsuite", ".npz"} or p.name.endswith((".clusters.tsv.gz", ".trainlex.tsv.gz"))}
    assert shipped <= listed, shipped - listed
    assert all(rows[name]["installed"] for name in ("ner-ar", "ner-fa", "ner-gazetteer", "entity-gazetteer"))


def _run_cli(args: list[str], env_extra: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "newsgraph", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=900)


def test_models_command_shows_both_states(tmp_path):
    hidden = _run_cli(["models", "--json"], {"NEWSGRAPH_MODELS": "core"}, tmp_path)
    assert hidden.returncode == 0, hidden.stderr
    rows = {r["name"]: r for r in json.loads(hidden.stdout)}
    assert rows["ner-fa"]["in_use"] and rows["ner-fa"]["distribution"] == "core"
    assert not rows["techniques-en"]["installed"] and not rows["quotes-en"]["in_use"]
    assert rows["ner-fa-research"]["licence"] == "academic research only"
    table = _run_cli(["models"], {"NEWSGRAPH_MODELS": "core", "COLUMNS": "80"}, tmp_path)
    assert "research distribution not installed" in table.stdout
    if weights._research_package_data() is None:
        pytest.fail("the research distribution is not installed: install it as the README says "
                    "(pip install ./research-models) to test the full models")
    full = {r["name"]: r for r in json.loads(_run_cli(["models", "--json"], {}, tmp_path).stdout)}
    assert full["ner-fa-research"]["in_use"] and not full["ner-fa"]["in_use"] and full["ner-fa"]["installed"]
    assert full["techniques-en"]["in_use"] and full["quotes-en"]["in_use"]


def test_core_models_alone_analyse_the_pages_end_to_end(tmp_path):
    """What `pip install .` alone gives: every stage runs, on the core models and rules."""
    inputs = [str(ROOT / "examples" / "pages")] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    db = tmp_path / "core.db"
    done = _run_cli(["analyze", *inputs, "--db", str(db)], {"NEWSGRAPH_MODELS": "core"}, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    con = sqlite3.connect(db)
    langs = {lang for (lang,) in con.execute("SELECT DISTINCT a.lang FROM mentions m JOIN articles a "
                                             "ON a.id = m.article_id")}
    assert {"en", "ar"} <= langs
    if SEEDS.is_dir():
        assert "fa" in langs
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
    methods = {m for (m,) in con.execute("SELECT DISTINCT method FROM techniques")}
    assert methods and all(m.startswith("rule:") for m in methods), methods
    (components,) = con.execute("SELECT components FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    used = json.loads(components)["models"]
    assert "ner-fa (core)" in used and "ner-ar (core)" in used and "research distribution not installed" in used
    assert "techniques-en" not in used
