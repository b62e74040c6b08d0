"""Figures in the README and the model cards are the ones in bench/results (bench/figures.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _figures():
    spec = importlib.util.spec_from_file_location("figures", ROOT / "bench" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_marked_figure_matches_its_benchmark_result():
    figures = _figures()
    drift = []
    for doc in figures.documents():
        drift += [f"{doc.name}: {c}" for c in figures.render(doc.read_text(encoding="utf-8"))[1]]
    assert not drift, "run python bench/figures.py:\n" + "\n".join(drift)


def test_a_changed_result_is_caught(tmp_path: Path, monkeypatch):
    figures = _figures()
    (tmp_path / "x.json").write_text('{"a": {"b": 0.5}}', encoding="utf-8")
    monkeypatch.setattr(figures, "RESULTS", tmp_path)
    text = "F1 <!--fig x a/b .3f-->0.512<!--/fig--> on test"
    new, changes = figures.render(text)
    assert new == "F1 <!--fig x a/b .3f-->0.500<!--/fig--> on test" and len(changes) == 1


def test_the_published_scores_are_marked():
    figures = _figures()
    marked = sum(len(figures.MARKER.findall(d.read_text(encoding="utf-8"))) for d in figures.documents())
    assert marked >= 20


def test_the_ner_card_tables_are_the_ones_generated_from_bench_results():
    """NER_MODEL_CARD.md's tables are written by `python -m newsgraph.train.ner --card` from bench/results."""
    import re

    from newsgraph.train.ner import card_tables

    card = (ROOT / "src" / "newsgraph" / "data" / "models" / "NER_MODEL_CARD.md").read_text(encoding="utf-8")
    tables = card_tables(ROOT)
    assert len(tables) >= 4
    for name, table in tables.items():
        block = re.search(rf"<!-- BEGIN generated:{re.escape(name)} -->\n(.*?)\n<!-- END generated:{re.escape(name)} -->",
                          card, re.DOTALL)
        assert block, f"the card has no generated block {name}"
        assert block.group(1) == table, f"{name}: run python -m newsgraph.train.ner --card"
