"""Stance is neutral by construction (issue #13): the same sentence scores the same whichever side's actor
it names; no given name and no framing word moves a sentiment score; being attacked is not hostility.

The symmetric pairs (``tests/data/symmetric/pairs_{en,ar,fa}.jsonl``, see the README there) are real
NTREX-128 news sentences with the actors of opposing sides swapped (Trump <-> Putin, China <-> United
States, Democrats <-> Republicans …). The sentence is scored as stance scores it: with the names masked.
The checks call ``sentiment(text, lang, masks)`` and fall back to ``sentiment(text, lang)`` when the
scorer takes no masks, so that they measure behaviour (and fail on a scorer that reads names).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.enrich.loaded_terms import CATEGORIES, CONTEXT_ONLY, LEXICON, find_loaded_terms
from newsgraph.enrich.sentiment import sentiment
from newsgraph.text.normalize import normalize_for_search

PAIRS = Path(__file__).parent / "data" / "symmetric"
TOLERANCE = 0.05


def score(text: str, lang: str, spans=()) -> float:
    try:
        return sentiment(text, lang, [tuple(s) for s in spans])
    except TypeError:  # a scorer without masks scores the names
        return sentiment(text, lang)


def load_pairs(lang: str) -> list[dict]:
    with (PAIRS / f"pairs_{lang}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


# --- symmetric pairs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_swapping_the_sides_of_a_sentence_does_not_change_its_score(lang: str):
    pairs = load_pairs(lang)
    assert len(pairs) >= 100
    unequal = [(p["id"], round(score(p["a"], lang, p["a_spans"]), 3), round(score(p["b"], lang, p["b_spans"]), 3))
               for p in pairs
               if abs(score(p["a"], lang, p["a_spans"]) - score(p["b"], lang, p["b_spans"])) > TOLERANCE]
    assert not unequal, f"{len(unequal)} of {len(pairs)} pairs score differently: {unequal[:5]}"


# --- given names ------------------------------------------------------------------------------------------

GIVEN_NAMES = {
    "ar": "خالد رشيد صالح جميل كريم نبيل مجيد عادل أمل وفاء حكيم نصر فضل سلام عزة صادق شريف نزيه ذكي مخلص مشرف "
          "أمين سعيد منصور فايز ناصر حسن حسين علي محمد",
    "fa": "امید عزت صادق شریف پیروز مهربان ستایش نجات وحدت افتخار شجاع کرامت شکوه محبوب دلاور سرافراز "
          "حسن حسین علی محمد رضا مهدی",
    "en": "Hope Grace Joy Faith Justice Charity Patience Victory Rich Sunny Earnest Noble Happy Precious Lucky "
          "Merry Bliss Glory Honor Love",
}
TEMPLATES = {  # (sentence with a name, the same with a role instead)
    "ar": ("قال {} إن الاجتماع عقد في الدوحة", "رئيس الوزراء"),
    "fa": ("{} گفت که نشست در دوحه برگزار شد", "نخست وزیر"),
    "en": ("{} Smith said the meeting was held in Doha.", "The minister"),
}


@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_no_given_name_moves_a_score(lang: str):
    template, role = TEMPLATES[lang]
    reference = score(template.format(role), lang, [(0, len(role))] if lang == "en" else [])
    for name in GIVEN_NAMES[lang].split():
        text = template.format(name)
        start = text.index(name)
        end = start + len(name) + (len(" Smith") if lang == "en" else 0)
        assert score(text, lang, [(start, end)]) == reference, name  # masked, as stance scores it
        if lang != "en":  # and the ar/fa lexicons hold no given name at all
            assert score(text, lang) == reference, name


def test_the_reported_example():
    """«قال خالد مشعل إن الاجتماع عقد في الدوحة» scored +0.25, the same with «رئيس الوزراء» 0."""
    text = "قال خالد مشعل إن الاجتماع عقد في الدوحة"
    assert score(text, "ar") == score(text, "ar", [(4, 13)]) == score(text.replace("خالد مشعل", "رئيس الوزراء"), "ar") == 0
    assert score("Hope Hicks said the meeting was held in Doha.", "en", [(0, 10)]) == \
        score("Ms Hicks said the meeting was held in Doha.", "en", [(0, 8)])


# --- framing vocabulary ------------------------------------------------------------------------------------

FRAME = {  # (template, a neutral word of the same length in tokens)
    "en": ("The statement described them as {} in the city.", "residents"),
    "ar": ("وصف البيان {} في المدينة أمس", "السكان"),
    "fa": ("بیانیه از {} در شهر نام برد", "ساکنان"),
}


def _entries(lang: str):
    for category, by_lang in LEXICON.items():
        for entry in by_lang[lang].split(";"):
            if entry.strip():
                yield category, entry.strip()


@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_no_framing_term_moves_a_score_and_each_is_reported(lang: str):
    template, neutral = FRAME[lang]
    reference = score(template.format(neutral), lang)
    for category, entry in _entries(lang):
        text = template.format(entry)
        assert score(text, lang) == reference, entry
        words = normalize_for_search(entry).split()
        if len(words) == 1 and (lang, words[0]) in CONTEXT_ONLY:
            continue  # loaded only with a context word (عامل دشمن، كيان الاحتلال)
        hits = find_loaded_terms(text, lang)
        assert [h.category for h in hits] == [category], entry
        assert text[hits[0].start:hits[0].end] == hits[0].text


def test_framing_words_that_scored_as_sentiment_before_score_nothing():
    for text, lang in (("الشهيد قاسم سليماني", "ar"), ("محور المقاومة والصمود", "ar"), ("الاستكبار العالمي", "ar"),
                       ("شهید سلیمانی", "fa"), ("جبهه مقاومت", "fa"), ("استکبار جهانی", "fa"),
                       ("the terrorist group", "en"), ("the enemy", "en"), ("the Zionist regime", "en"),
                       ("الإرهابيين", "ar"), ("تروریست‌ها", "fa"), ("the martyrs", "en")):
        assert score(text, lang) == 0, text


def test_every_category_is_side_neutral_and_holds_every_language():
    assert set(LEXICON) == set(CATEGORIES)
    for category, by_lang in LEXICON.items():
        assert set(by_lang) == {"en", "ar", "fa"}, category
        assert not any(word in category for word in ("positive", "negative", "good", "bad", "hostile", "friendly"))
    # both sides' vocabulary is there: the martyr and the terrorist, the resistance and the regime
    english = {e.strip() for by_lang in LEXICON.values() for e in by_lang["en"].split(";")}
    assert {"martyr", "terrorist", "resistance", "regime", "occupation", "crusader", "takfiri", "rafidi"} <= english


def test_loaded_terms_spans_in_context():
    hits = find_loaded_terms("وقصفت قوات الاحتلال مواقع للمقاومة في الأراضي المحتلة، وقال النظام السوري", "ar")
    assert [(h.text, h.category) for h in hits] == [
        ("الاحتلال", "occupation framing"), ("للمقاومة", "resistance framing"), ("المحتلة", "occupation framing"),
        ("النظام السوري", "delegitimising a state")]
    assert [h.text for h in find_loaded_terms("the new tax regime and his occupation as a teacher", "en")] == []
    assert [h.text for h in find_loaded_terms("رژیم غذایی و رژیم صهیونیستی", "fa")] == ["رژیم صهیونیستی"]


# --- being a target is not stance --------------------------------------------------------------------------

def test_being_attacked_is_not_the_reporters_hostility(tmp_path: Path):
    import newsgraph.api as ng
    from newsgraph.corpus.stance import stance
    from newsgraph.model import Article, Entity, Mention, Paragraph, Relation, SourceDocument
    from newsgraph.store.db import Store

    text = "The US killed Soleimani in Baghdad. Khamenei praised Soleimani."
    doc = SourceDocument("d1", "test", "test", None, "text", "utf-8", text, {"outlet": "Outlet A"})
    article = Article("a1", "d1", "test", 0, text, [Paragraph(0, len(text), 0, len(text), "en")], outlet="Outlet A",
                      lang="en")
    spans = {"us": (4, 6), "sol1": (14, 23), "kh": (36, 44), "sol2": (53, 62)}
    ids = {"us": "e-us", "sol1": "e-sol", "kh": "e-kh", "sol2": "e-sol"}
    article.mentions = [Mention("a1", s, e, text[s:e], "PERSON", "en", "test", ids[k]) for k, (s, e) in spans.items()]
    article.relations = [
        Relation("a1", 0, 35, "attack", -1, "killed", 7, 13, "US", 4, 6, "Soleimani", 14, 23),
        Relation("a1", 36, 62, "praise", 1, "praised", 45, 52, "Khamenei", 36, 44, "Soleimani", 53, 62)]
    db = tmp_path / "t.db"
    with Store(db) as store:
        store.add_document(doc, [article], None)
        store.replace_entities([Entity("e-sol", "Qassem Soleimani", "PERSON"), Entity("e-us", "United States", "GPE"),
                                Entity("e-kh", "Ali Khamenei", "PERSON")], article.mentions, [])
        found = stance(store, "e-sol")
    outlet = found["by_outlet"][0]
    assert outlet["name"] == "Outlet A"
    assert outlet["target_of"] == {"attack": 1}
    assert outlet["relations"] == {"praise": 1} and outlet["net_polarity"] == 1
    assert ng.stance(db, "Qassem Soleimani")["by_outlet"][0]["target_of"] == {"attack": 1}


# --- the layer in a store: pipeline, API, stance view, export ----------------------------------------------

def test_loaded_terms_are_stored_exported_and_shown_in_stance(seeded_db: Path, tmp_path: Path):
    import newsgraph.api as ng

    rows = ng.loaded_terms(seeded_db)
    assert rows and {r["category"] for r in rows} <= set(CATEGORIES)
    for r in rows[:50]:
        assert ng.show(seeded_db, r["article_id"]).text[r["start"]:r["end"]] == r["text"]
    assert all(r["category"] == rows[0]["category"] for r in ng.loaded_terms(seeded_db, category=rows[0]["category"]))
    view = ng.stance(seeded_db, "Soleimani")
    for row in view["by_outlet"] + view["by_speaker"]:
        assert set(row["loaded_terms"]) <= set(CATEGORIES) and "target_of" in row
    assert any(row["loaded_terms"] for row in view["by_outlet"])  # Press TV's "martyr", "resistance" …
    counts = ng.export(seeded_db, tmp_path / "out", fmt="jsonl")
    assert counts["loaded_terms"] == len(rows)
    first = json.loads((tmp_path / "out" / "loaded_terms.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"article_id", "start", "end", "text", "term", "category"} <= set(first)
