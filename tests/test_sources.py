"""An organisation named as the report's source ("به گزارش خبرگزاری فارس", "(Reuters) -",
"الرياض (واس) -") is its article's source, not one of its actors: stored as role ``source``,
left out of the co-mention network and the story actors, the same rule in every language and for
every agency, while an organisation cited as an actor ("according to the IAEA") stays one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import newsgraph.api as ng
from newsgraph.corpus.entities import source_cue
from newsgraph.store.db import Store
from newsgraph.store.graphs import comention_graph
from newsgraph.store.stories import entity_counts

TEXTS = {
    "fa.txt": "دیدار لاریجانی و پوتین در مسکو\n\nبه گزارش خبرگزاری فارس، علی لاریجانی رئیس مجلس شورای اسلامی روز"
              " سه‌شنبه در مسکو با ولادیمیر پوتین رئیس‌جمهور روسیه دیدار و گفت‌وگو کرد. لاریجانی در این دیدار گفت"
              " روابط تهران و مسکو راهبردی است و پوتین نیز بر گسترش همکاری‌ها تأکید کرد.\n",
    "en.txt": "Putin meets Larijani in Moscow\n\nMOSCOW (Reuters) - Russian President Vladimir Putin met Iranian"
              " parliament speaker Ali Larijani in Moscow on Tuesday, according to the International Atomic Energy"
              " Agency, which said Larijani and Putin discussed the nuclear deal.\n",
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "t.db"
    ng.analyze([folder / name for name in TEXTS], db)
    return db


def names_by_role(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT r.role, e.name FROM article_roles r JOIN entities e ON e.id = r.entity_id"))


def test_the_agency_after_a_reporting_word_or_in_the_dateline_is_the_source(store_path: Path) -> None:
    roles = names_by_role(store_path)
    assert ("source", "Fars News Agency") in roles
    assert ("source", "Reuters") in roles
    assert not any(name == "IAEA" for _, name in roles)  # "according to the IAEA": an actor


def test_sources_are_not_actors_in_the_network_or_the_stories(store_path: Path) -> None:
    with Store(store_path, readonly=True) as store:
        graph = comention_graph(store)
        linked = {graph.nodes[n]["label"] for edge in graph.edges for n in edge}
        assert {"Ali Larijani", "Vladimir Putin", "IAEA"} <= linked
        assert not linked & {"Fars News Agency", "Reuters"}
        names = dict(store.conn.execute("SELECT id, name FROM entities"))
        actors = {names[entity] for _, entity, _, _ in entity_counts(store.conn)}
    assert "Vladimir Putin" in actors and not actors & {"Fars News Agency", "Reuters"}


@pytest.mark.parametrize("start, before, expected", [
    (9, "به گزارش ", "word"), (40, "در گفت‌وگو با خبرنگار ", "word"), (30, "قال مراسل ", "word"),
    (300, "وأكد مصدر قبلي في شبوة لـ«", "word"), (300, " قالت مصادر مطلعة لـ«", "word"),
    (8, "الرياض (", "dateline"), (8, "MOSCOW (", "dateline"), (30, "Putin meets Larijani\n\nMOSCOW (", "dateline"),
    (60, "د من حركة المقاومة الإسلامية (", None), (90, "the Iranian Revolutionary Guards (", None),
    (300, "ما الانضمام لـ«", None), (300, "كاميرون، قال الأمين العام لـ«", None),
    (300, "مجاهدين به دنبال انتشار گزارش ", None), (90, "لامی در گفت‌وگو با خبرنگار پارلمانی ", "desk"),
    (60, "به گزارش گروه بین‌الملل ", "desk"), (90, "ه ايران چند روز پيش به خبرنگاران گفت كه ", None), (40, "یزاده شامگاه پنج‌شنبه در گفت‌وگو با ", "word"),
    (40, "به گزارش ایسنا از ", None), (40, "به گزارش خبرنگار فارس از تهران، ", None), (300, "ادامه یافته است.\n\nبنا بر گزارش ", "word"), (300, "الله قائلا: كان من السهل لـ«", None),
    (900, "a statement (", None), (60, "according to the ", None), (60, "said the spokesman of ", None),
    (12, "", None), (300, "لعبت موسكو بصفتها حليفة ل", None), (200, "بر اساس این گزارش، ", None)])
def test_the_words_before_decide_never_the_name(start: int, before: str, expected: str | None) -> None:
    assert source_cue(start, before) == expected
