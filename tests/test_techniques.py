"""Persuasion techniques: taxonomy, rules with their evidence, the shipped models, the Persian gold set.

Sentences are real: the seed pages (``examples/pages``) and the Persian gold set
(``tests/data/techniques_fa.jsonl``: NTREX-128 news sentences, CC BY-SA 4.0, and the Persian seed page).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.enrich import techniques as tq
from newsgraph.enrich.techniques import TAXONOMY, PTC_TO_2023, TechniqueSpan, find_techniques, techniques_component
from newsgraph.enrich.techniques_scoring import araieval_prf, merge_spans, si_prf, tc_micro_f1
from newsgraph.model import Article, Paragraph

ROOT = Path(__file__).resolve().parents[1]
FA_GOLD = ROOT / "tests" / "data" / "techniques_fa.jsonl"


def article_of(text: str, lang: str, aid: str = "a1") -> Article:
    return Article(aid, "d1", "test", 0, text, [Paragraph(0, len(text), 0, len(text), lang)], lang=lang)


def seed_sentence(seeds: Path, prefix: str, start: str, end: str) -> str:
    """The sentence of seed page ``prefix`` running from ``start`` through ``end`` (as written)."""
    text = next(seeds.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def rule_spans(text: str, lang: str) -> list[TechniqueSpan]:
    return [s for s in find_techniques(article_of(text, lang)) if s.method.startswith("rule:")]


# ------------------------------------------------------------------ taxonomy


def test_taxonomy_has_23_techniques_in_6_groups_with_examples_in_three_languages():
    assert len(TAXONOMY) == 23
    assert set(tq.GROUPS) == {"Attack_on_Reputation", "Justification", "Simplification", "Distraction", "Call",
                              "Manipulative_Wording"}
    for name, (group, definition, examples) in TAXONOMY.items():
        assert definition and set(examples) == {"en", "ar", "fa"}, name
        assert all(examples.values()), name


def test_the_14_ptc_labels_map_onto_the_taxonomy():
    assert len(PTC_TO_2023) == 14
    assert set(PTC_TO_2023.values()) <= set(TAXONOMY)
    assert PTC_TO_2023["Thought-terminating_Cliches"] == "Conversation_Killer"
    assert PTC_TO_2023["Black-and-White_Fallacy"] == "False_Dilemma-No_Choice"


def test_every_rule_technique_is_in_the_taxonomy():
    from newsgraph.enrich.techniques_rules import PATTERN_TABLE, word_lexicons

    assert {t for t, _, _ in PATTERN_TABLE.values()} <= set(TAXONOMY)
    for lang in ("en", "ar", "fa"):
        assert {t for _, t, _ in word_lexicons(lang).values()} <= set(TAXONOMY)


# ------------------------------------------------------------------ English rules on the seed pages


def test_english_seed_sentence_loaded_language_with_offsets(seeds: Path):
    # 003: "... the cowardly assassination ..." style wording in an opinion piece
    text = seed_sentence(seeds, "003", "cowardly", ".")
    spans = rule_spans(text, "en")
    hit = [s for s in spans if text[s.start : s.end] == "cowardly"]
    assert hit and hit[0].technique == "Loaded_Language" and hit[0].group == "Manipulative_Wording"
    assert hit[0].method == "rule:en:loaded-language-lexicon" and 0 < hit[0].confidence <= 1


def test_english_seed_name_calling_and_offsets_point_at_the_evidence(seeds: Path):
    text = next(seeds.glob("003_*.txt")).read_text(encoding="utf-8")
    i = text.index("hypocrites")
    sentence = text[text.rfind(".", 0, i) + 1 : text.index(".", i) + 1]
    spans = rule_spans(sentence, "en")
    names = [s for s in spans if s.technique == "Name_Calling-Labeling"]
    assert any(sentence[s.start : s.end] == "hypocrites" for s in names)
    assert all(s.method == "rule:en:name-calling-lexicon" for s in names)


def test_english_pattern_rules_on_real_wording():
    # the NTREX-128 English source (WMT19 newstest2019), line 899 and 977
    waters = '"Lies, lies, and more despicable lies," Waters said in a statement on Twitter.'
    assert [(waters[s.start : s.end], s.technique) for s in rule_spans(waters, "en")] == [("despicable", "Loaded_Language")]
    clicktivism = 'or just another case of so-called "clicktivism" - people feeling like they are making a true difference'
    doubt = [s for s in find_techniques(article_of(clicktivism, "en"), min_confidence=0.0)
             if s.technique == "Doubt" and s.method.startswith("rule:")]
    assert [clicktivism[s.start : s.end] for s in doubt] == ["so-called"]
    assert doubt[0].method == "rule:en:doubt-cue"


def test_english_rules_stay_silent_on_neutral_news(seeds: Path):
    neutral = [
        "The attack occurred just before 7 a.m. near Beacon's Beach in Encinitas.",
        "Sainsbury's said it would be doubling the size of its beauty offering to up to 3,000 products.",
        "The death toll in Indonesia's earthquake and tsunami has climbed to 832, the country's disaster agency said early Sunday.",
        seed_sentence(seeds, "002", "The interview, published originally", "by UWI."),
    ]
    for sentence in neutral:
        assert rule_spans(sentence, "en") == [], sentence


def test_measured_low_precision_rules_are_not_reported_by_default():
    text = "We will win. We will win. We will win. We will win the vote."
    assert [s for s in find_techniques(article_of(text, "en")) if s.technique == "Repetition"] == []
    everything = find_techniques(article_of(text, "en"), min_confidence=0.0)
    assert any(s.technique == "Repetition" and s.method == "rule:en:repeated-phrase" for s in everything)


# ------------------------------------------------------------------ Arabic and Persian rules


def test_arabic_seed_sentence_loaded_language_keeps_original_letters(seeds: Path):
    text = seed_sentence(seeds, "003", "ضمن الحملة المتواصلة", "طهران، وإلقاؤه كلمة هناك.")
    spans = rule_spans(text, "ar")
    assert [(text[s.start : s.end], s.technique, s.method) for s in spans] == [
        ("الشهيد", "Loaded_Language", "rule:ar:loaded-language-lexicon")]


def test_arabic_phrases_and_clitics():
    from newsgraph.enrich.techniques_rules import rule_hits

    text = "وأدان البيان جرائم الكيان الصهيوني الوحشية بحق المدنيين."
    found = {(text[s:e], technique, name) for s, e, technique, _, name in rule_hits(text, "ar")}
    assert ("الكيان الصهيوني", "Name_Calling-Labeling", "name-calling-phrase") in found
    assert ("الوحشية", "Loaded_Language", "loaded-language-lexicon") in found  # article + feminine ending folded away
    assert ("جرائم", "Loaded_Language", "loaded-language-lexicon") in found
    # reported: every rule hit either on its own or folded into an overlapping model span of its technique
    reported = find_techniques(article_of(text, "ar"))
    for s, e, technique, _, name in rule_hits(text, "ar"):
        assert any(r.technique == technique and r.start < e and s < r.end and f"rule:ar:{name}" in r.method
                   for r in reported), name


def test_arabic_rules_stay_silent_on_neutral_news(seeds: Path):
    text = seed_sentence(seeds, "003", "تعقيباً على ذلك", "في مجلس الشورى الحركي.")
    assert rule_spans(text, "ar") == []
    assert rule_spans("وقال الرئيس التنفيذي إن أعمال المقاولات ستبدأ في شهر فبراير المقبل بمحافظة قنا.", "ar") == []


def test_persian_seed_page_rules_with_offsets_through_zwnj_folding(seeds: Path):
    text = next(seeds.glob("004_*.txt")).read_text(encoding="utf-8")
    para = next(p for p in text.split("\n\n") if "رژیم صهیونیستی" in p)
    spans = rule_spans(para, "fa")
    found = {(para[s.start : s.end], s.technique, s.method) for s in spans}
    assert ("رژیم صهیونیستی", "Name_Calling-Labeling", "rule:fa:name-calling-phrase") in found
    assert ("خیانتی", "Loaded_Language", "rule:fa:loaded-language-lexicon") in found
    assert ("مقدس", "Loaded_Language", "rule:fa:loaded-language-lexicon") in found


def test_persian_slogan_and_doubt_cues():
    text = "معترضان فریاد می‌زدند «مرگ بر دیکتاتور!» و این به اصطلاح اصلاحات را رد کردند."
    found = {(text[s.start : s.end], s.technique) for s in rule_spans(text, "fa")}
    assert ("مرگ بر دیکتاتور", "Slogans") in found
    assert ("به اصطلاح", "Doubt") in found


def test_persian_rules_stay_silent_on_neutral_news():
    for record in _fa_gold():
        if not record["spans"]:
            assert rule_spans(record["text"], "fa") == [], record["source"]


def test_other_languages_get_nothing():
    assert find_techniques(article_of("Ein brutaler, feiger Angriff!", "de")) == []


# ------------------------------------------------------------------ the component and the models


def test_component_attaches_spans_to_article(seeds: Path):
    text = seed_sentence(seeds, "003", "cowardly", ".")
    article = techniques_component(article_of(text, "en"))
    assert article.techniques and all(isinstance(s, TechniqueSpan) for s in article.techniques)
    assert all(s.article_id == "a1" and 0 <= s.start < s.end <= len(text) for s in article.techniques)


def test_spans_use_article_offsets_across_paragraphs():
    first, second = "A calm report on the weather.", "They called it a barbaric and cowardly attack."
    text = first + "\n\n" + second
    paras = [Paragraph(0, len(first), 0, len(first), "en"),
             Paragraph(len(first) + 2, len(text), len(first) + 2, len(text), "en")]
    article = Article("a2", "d", "s", 0, text, paras, lang="en")
    rules = [s for s in find_techniques(article) if s.method.startswith("rule:")]
    assert {text[s.start : s.end] for s in rules} == {"barbaric", "cowardly"}


def test_english_model_finds_and_labels_spans():
    from newsgraph.enrich.techniques_models import classifier, span_tagger

    if span_tagger("en") is None or classifier("en") is None:
        pytest.fail("a shipped technique model is missing from the package")
    text = ("This is a brutal, evil, treacherous regime of thugs and liars that murders its own people.\n"
            "The committee will meet on Tuesday.")
    spans = [s for s in find_techniques(article_of(text, "en")) if s.method == tq.MODEL_METHOD]
    assert spans and all(s.end <= text.index("\n") for s in spans)  # nothing in the neutral line
    assert all(s.technique in TAXONOMY and 0 < s.confidence <= 1 for s in spans)
    top2 = [label for label, _ in tq.classify_span(text, text.index("thugs"), text.index("thugs") + 5, "en")[:2]]
    assert "Name_Calling-Labeling" in top2


def test_arabic_classifier_labels_a_span():
    from newsgraph.enrich.techniques_models import classifier

    if classifier("ar") is None:
        pytest.fail("a shipped technique model is missing from the package")
    labels = tq.classify_span("هجوم إرهابي جبان ووحشي", 0, 22, "ar")
    assert labels and labels[0][0] in TAXONOMY and abs(sum(p for _, p in labels) - 1) < 1e-6


def test_arabic_model_loads_offline_and_finds_a_span_in_an_unseen_seed_sentence(seeds: Path, monkeypatch):
    import socket

    from newsgraph.enrich import techniques_models

    def no_network(*args, **kwargs):
        raise AssertionError("the techniques models must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    techniques_models.arabic_tagger.cache_clear()
    if techniques_models.arabic_tagger() is None:
        pytest.fail("the shipped Arabic technique model is missing from the package")
    # al-Akhbar (seed 003), not in ArPro or ArAIEval: "... Fatah websites and others backed by ... spread [word of] a dispute ..."
    text = seed_sentence(seeds, "003", "ضمن الحملة المتواصلة", "طهران، وإلقاؤه كلمة هناك.")
    spans = [s for s in find_techniques(article_of(text, "ar")) if s.method.startswith(tq.AR_MODEL_METHOD)]
    assert spans and all(0 <= s.start < s.end <= len(text) and s.technique in TAXONOMY for s in spans)
    assert all(0 < s.confidence <= 1 and s.group == tq.group_of(s.technique) for s in spans)
    assert ("أشاعت", "Loaded_Language") in {(text[s.start : s.end], s.technique) for s in spans}  # "spread (rumours)"


# ------------------------------------------------------------------ scoring


def test_si_scorer_matches_the_semeval_definition():
    gold = {"a": [(0, 10)]}
    assert si_prf({"a": [(0, 10)]}, gold)["f1"] == 1.0
    half = si_prf({"a": [(0, 5)]}, gold)
    assert half["precision"] == 1.0 and half["recall"] == 0.5
    assert si_prf({"a": [(20, 30)]}, gold)["f1"] == 0.0
    assert merge_spans([(5, 8), (0, 6), (10, 12)]) == [(0, 8), (10, 12)]
    assert tc_micro_f1([("a", 0, 1, "X"), ("a", 0, 1, "Y")], [("a", 0, 1, "X"), ("a", 2, 3, "Z")]) == 0.5


def test_araieval_scorer_counts_overlap_per_technique_without_merging():
    gold = {"p": [(0, 10, "Loaded_Language"), (5, 10, "Doubt")]}
    assert araieval_prf({"p": [(0, 10, "Loaded_Language"), (5, 10, "Doubt")]}, gold)["f1"] == 1.0
    wrong_label = araieval_prf({"p": [(0, 10, "Slogans")]}, gold)
    assert wrong_label["f1"] == 0.0 and wrong_label["pred_spans"] == 1
    half = araieval_prf({"p": [(0, 5, "Loaded_Language")]}, gold)  # P = 5/5, R = (5/10 + 0) / 2
    assert half["precision"] == 1.0 and half["recall"] == 0.25
    assert araieval_prf({}, gold)["f1"] == 0.0


# ------------------------------------------------------------------ the Persian gold set


def _fa_gold() -> list[dict]:
    return [json.loads(line) for line in FA_GOLD.read_text(encoding="utf-8").splitlines()]


def test_persian_gold_set_is_well_formed():
    records = _fa_gold()
    spans = [s for r in records for s in r["spans"]]
    assert len(spans) >= 150
    for r in records:
        assert r["source"].startswith(("ntrex128:", "examples/pages/")) and r["licence"]
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["text"]
            assert s["technique"] in TAXONOMY


def test_persian_rules_are_precise_on_the_gold_set():
    hits = total = 0
    for r in _fa_gold():
        for s in rule_spans(r["text"], "fa"):
            total += 1
            hits += any(min(s.end, g["end"]) > max(s.start, g["start"]) for g in r["spans"])
    assert total >= 20 and hits / total >= 0.6


# ------------------------------------------------------------------ calibration


def test_a_span_carries_the_measured_precision_of_its_detector_and_language():
    """The confidence of a span is the share of its detector's spans of that technique found right on
    held-out gold in its language (data/techniques/calibration.json, bench/technique_calibration.py)."""
    table = json.loads((ROOT / "src" / "newsgraph" / "data" / "techniques" / "calibration.json")
                       .read_text(encoding="utf-8"))["table"]
    waters = '"Lies, lies, and more despicable lies," Waters said in a statement on Twitter.'
    (span,) = rule_spans(waters, "en")
    rule = table["en"]["rule"]
    assert span.confidence == round(rule.get(span.technique, rule["*"]), 3)
    fa = "رژیم صهیونیستی جنایتکار بار دیگر به غزه حمله کرد."
    spans = rule_spans(fa, "fa")
    assert spans and all(s.confidence == round(table["fa"]["rule"].get(s.technique, table["fa"]["rule"]["*"]), 3)
                         for s in spans)


def test_raw_detector_confidences_are_kept_for_the_calibration_bench(monkeypatch):
    waters = '"Lies, lies, and more despicable lies," Waters said in a statement on Twitter.'
    calibrated = rule_spans(waters, "en")[0].confidence
    monkeypatch.setenv("NEWSGRAPH_TECHNIQUES_RAW", "1")
    raw = rule_spans(waters, "en")[0].confidence
    assert raw != calibrated and raw >= tq.MIN_CONFIDENCE


def test_the_dashboard_warns_when_columns_come_from_different_detectors():
    from newsgraph.web.queries import detector_warning

    same = [{"outlet": "A", "lang": "en", "family": "rule", "spans": 10, "mean_confidence": 0.22},
            {"outlet": "B", "lang": "en", "family": "rule", "spans": 4, "mean_confidence": 0.25}]
    assert detector_warning(same) is None
    mixed = same + [{"outlet": "C", "lang": "ar", "family": "model", "spans": 30, "mean_confidence": 0.37}]
    assert "different detectors" in detector_warning(mixed)
    apart = [{"outlet": "A", "lang": "fa", "family": "rule", "spans": 10, "mean_confidence": 0.9},
             {"outlet": "B", "lang": "en", "family": "rule", "spans": 10, "mean_confidence": 0.22}]
    assert "differ in measured precision" in detector_warning(apart)
