"""The NTREX entity-resolution gold (bench/data/resolution_gold_ntrex.json) is well formed.

The file carries its documents' text, so these checks run on the repository alone; the last one also
rebuilds it from ../shared (the selection rule applied again, the text compared with NTREX-128)."""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "bench" / "data" / "resolution_gold_ntrex.json"
LANGS = ("en", "ar", "fa")


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def test_every_spelling_occurs_in_its_document_and_language(gold):
    missing = [(d["doc"], lang, s) for d in gold["documents"] for e in d["entities"] for lang in LANGS
               for s in e[lang] if not any(s in line for line in d["text"][lang])]
    assert not missing
    assert sum(len(e[lang]) for d in gold["documents"] for e in d["entities"] for lang in LANGS) >= 250


def test_a_spelling_names_one_entity_in_a_document_and_language(gold):
    clashes = []
    for d in gold["documents"]:
        for lang in LANGS:
            owner: dict[str, str] = {}
            for e in d["entities"]:
                clashes += [(d["doc"], lang, s) for s in e[lang] if owner.setdefault(s, e["id"]) != e["id"]]
    assert not clashes


def test_entity_ids_are_one_inventory_across_languages_and_documents(gold):
    types = defaultdict(set)
    for d in gold["documents"]:
        ids = [e["id"] for e in d["entities"]]
        assert len(ids) == len(set(ids)), d["doc"]  # one entry per entity and document, holding all languages
        for e in d["entities"]:
            assert e["id"].startswith("Q:") and e["type"] in {"PERSON", "ORG", "GPE", "LOC"}
            assert e["en"], (d["doc"], e["id"])  # the inventory is read off the English original
            types[e["id"]].add(e["type"])
    assert all(len(t) == 1 for t in types.values()), {k: t for k, t in types.items() if len(t) > 1}
    shared = {i for i in types if sum(i in {e["id"] for e in d["entities"]} for d in gold["documents"]) > 1}
    assert {"Q:Indonesia", "Q:European Union"} <= shared  # the same entity keeps its id across documents


def test_documents_are_line_aligned_and_split_by_document(gold):
    for d in gold["documents"]:
        first, last = d["lines"]
        assert all(len(d["text"][lang]) == last - first + 1 for lang in LANGS), d["doc"]
    splits = {d["doc"]: d["split"] for d in gold["documents"]}
    assert len(splits) == len(gold["documents"]) and set(splits.values()) == {"dev", "test"}
    assert "bbc.381790" not in splits  # the NTREX article bundled in examples/ is part of the seed gold


def test_the_file_is_what_the_builder_makes_from_ntrex(gold, shared_data):
    ntrex = shared_data / "ntrex128-en-ar-fa"
    if not ntrex.is_dir():
        pytest.skip("NTREX-128 not in ../shared/data")
    spec = importlib.util.spec_from_file_location("build_gold", ROOT / "bench" / "data" / "build_resolution_gold_ntrex.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.build(ntrex) == gold
