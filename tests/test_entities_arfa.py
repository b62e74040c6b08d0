"""Arabic and Persian name spans: no clitic or neighbouring word inside, every occurrence found."""

from __future__ import annotations

import re
import sqlite3

from newsgraph.enrich.entities_arfa import clean_span, every_occurrence, name_spans
from newsgraph.text.arabic import normalize, proclitic_length

KNOWN = {normalize(w) for w in ["طهران", "الأردن", "سليماني", "حزب", "طاهر", "لبنان", "وليد", "كريم", "ريم"]}


def known(form: str) -> bool:
    return form in KNOWN


def test_proclitic_is_split_only_off_a_known_name():
    assert [w[proclitic_length(w, known):] for w in ["لطهران", "والأردن", "بسليماني", "لحزب", "وبالسعودية"]] \
        == ["طهران", "الأردن", "سليماني", "حزب", "السعودية"]
    # names that begin with the letters of a clitic stay whole
    assert [proclitic_length(w, known) for w in ["لبنان", "وليد", "كريم", "بشار", "فلسطين"]] == [0, 0, 0, 0, 0]


def test_two_stacked_proclitics_need_the_name_itself():
    """وكالة (agency) is not و + ك + الة: after two proclitics the first word of some gazetteer
    name (اله starts one) is not enough, the name has to go on as written; one proclitic before a
    name's first word still goes (لحزب الله)."""
    text = ("ذكرت وكالة الأنباء السعودية أن ولي العهد استقبل وزير الخارجية، وقال مصدر لوكالة الأنباء السعودية "
            "إن الاجتماع تناول دعم لبنان، فيما أكد الأمين العام لحزب الله السيد حسن نصر الله موقفه.")
    tagged = [(m.start(), m.end(), label) for phrase, label in [("وكالة الأنباء السعودية", "ORG"),
                                                              ("لوكالة الأنباء السعودية", "ORG"),
                                                              ("لحزب الله", "ORG")]
              for m in re.finditer(re.escape(phrase), text)]
    names = {text[s:e] for s, e, _ in name_spans(text, tagged)}
    assert {"وكالة الأنباء السعودية", "حزب الله"} <= names
    assert not any(n.startswith(("الة", "لوكالة")) for n in names), names
    # without the stricter rule for two proclitics the gazetteer's first words alone split وك off
    assert proclitic_length("وكالة", lambda form: form == normalize("الة")) == 2
    assert proclitic_length("وكالة", lambda form: form == normalize("الة"), None, lambda form: False) == 0


def test_words_before_a_name_and_brackets_stay_outside_the_span():
    text = "وأفادت المصادر باستشهاد سليماني، ونفى النونو ذلك، وتحدث أبو العبد (هنية) للصحافيين."
    spans = []
    for phrase, label in [("باستشهاد سليماني", "PERSON"), ("ونفى النونو", "PERSON"), ("أبو العبد (هنية", "PERSON")]:
        start = text.index(phrase)
        spans += clean_span(text, start, start + len(phrase), label, known, known)
    assert [text[s:e] for s, e, _ in spans] == ["سليماني", "النونو", "أبو العبد", "هنية"]


def test_a_name_found_once_is_found_at_each_occurrence():
    text = ("قال رئيس المكتب السياسي إسماعيل هنية إن الحركة ماضية. وأضاف هنية أن الوفد زار القاهرة، "
            "ثم التقى وفد الحركة لهنية مسؤولين. ولم يعلق مشعل.")
    start = text.index("إسماعيل هنية")
    found = every_occurrence(text, [(start, start + len("إسماعيل هنية"), "PERSON")], clitics=True)
    assert [text[s:e] for s, e, _ in found] == ["هنية", "هنية"]  # the second one without its ل
    assert all(label == "PERSON" for _, _, label in found)


def test_a_last_name_shared_by_two_people_is_not_spread():
    text = "التقى محمد حسن وعلي حسن أمس، وقال حسن إن اللقاء كان مثمرا."
    spans = [(text.index("محمد حسن"), text.index("محمد حسن") + 8, "PERSON"),
             (text.index("علي حسن"), text.index("علي حسن") + 7, "PERSON")]
    assert every_occurrence(text, spans) == []


def test_seed_articles_arabic_and_persian_spans_are_names(seeded_db):
    """On real pages: no stored ar/fa span starts with a proclitic before a name that the same article
    also writes bare, and a person's last name, once recognised, is a mention wherever it is written."""
    with sqlite3.connect(seeded_db) as conn:
        rows = conn.execute("SELECT m.article_id, m.start, m.end, m.text, m.label, a.text FROM mentions m "
                            "JOIN articles a ON a.id = m.article_id WHERE m.lang IN ('ar', 'fa')").fetchall()
    assert rows
    by_article: dict[str, tuple[str, list]] = {}
    for article_id, start, end, surface, label, body in rows:
        assert body[start:end] == surface
        by_article.setdefault(article_id, (body, []))[1].append((start, end, label))
    for body, spans in by_article.values():
        bare = {normalize(body[s:e]) for s, e, _ in spans}
        for s, e, _ in spans:
            first = body[s:e].split()[0]
            assert proclitic_length(first, bare.__contains__) == 0, body[s:e]
        # every whole-word occurrence of a recognised person's last name is covered, where the
        # article gives that word no other label and no other person
        people = [body[s:e].split() for s, e, label in spans if label == "PERSON" and len(body[s:e].split()) >= 2]
        other = {body[s:e] for s, e, label in spans if label != "PERSON"}
        for last in {p[-1] for p in people if len(p[-1]) >= 4} - other:
            if len({tuple(p) for p in people if p[-1] == last}) > 1:
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(last)}(?!\w)", body):
                assert any(s <= m.start() and m.end() <= e for s, e, _ in spans), (last, m.start())


def test_persian_names_keep_their_first_letter_and_places_are_places():
    """Persian writes no proclitic onto a name: بسیج (Basij) is not ب + سیج; a country the Persian
    tagger calls an organisation is a GPE, and its adjective (ایرانی) is NORP."""
    text = "فرمانده بسیج گفت ایران و لبنان در کنار هم هستند و مردم ایرانی از بسیج حمایت می‌کنند."
    spans = [(text.index("بسیج"), text.index("بسیج") + 4, "ORG"), (text.index("ایران"), text.index("ایران") + 5, "ORG"),
             (text.index("لبنان"), text.index("لبنان") + 5, "ORG"), (text.index("ایرانی"), text.index("ایرانی") + 6, "ORG")]
    found = {(text[s:e], label) for s, e, label in name_spans(text, spans, "fa")}
    assert {("بسیج", "ORG"), ("ایران", "GPE"), ("لبنان", "GPE"), ("ایرانی", "NORP")} <= found
    assert sum(1 for s, e, _ in name_spans(text, spans, "fa") if text[s:e] == "بسیج") == 2


def test_a_name_between_commas_after_a_role_is_a_person():
    from newsgraph.enrich.entities_arfa import appositive_names

    text = "وقال رئيس البلدية، خالد الصقر، إن المشروع سينجز قريبا. وقال، على الرغم من ذلك، إن الاتفاق قائم."
    found = [text[s:e] for s, e, label in appositive_names(text, 0, len(text)) if label == "PERSON"]
    assert found == ["خالد الصقر"]
    persian = "سخنگوی وزارت امور خارجه، سعید خطیب‌زاده، گفت که ایران آماده گفتگو است."
    assert [persian[s:e] for s, e, _ in appositive_names(persian, 0, len(persian))] == ["سعید خطیب‌زاده"]


def test_real_news_clitics_and_function_words():
    """Seen on SaudiNewsNet: كوريا lost its ك to the clitic rule, and على ("on") was a PERSON (علي)."""
    import newsgraph.api as ng

    text = ("وتصر كوريا الشمالية على موقفها بينما قال علي عبد الله صالح إن على الجميع الحذر. "
            "وزار الوفد ليبيا وكوريا الجنوبية.")
    names = [m.text for m in ng.annotate(text, lang="ar").mentions]
    assert "كوريا الجنوبية" in names and "وريا الجنوبية" not in names
    assert "على" not in names


def test_a_clause_is_not_a_name():
    """Seen on Fars News: the Persian tagger called «شاه را شكسته بودند» ("had broken the Shah") a PERSON."""
    text = "مردم در آن روزها شاه را شكسته بودند و حسن روحانی سخنرانی کرد."
    spans = [(text.index("شاه"), text.index("بودند") + 5, "PERSON"), (text.index("حسن"), text.index("روحانی") + 6, "PERSON")]
    assert [text[s:e] for s, e, _ in name_spans(text, spans, "fa")] == ["حسن روحانی"]
