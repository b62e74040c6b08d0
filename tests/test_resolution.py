"""Entity resolution on mentions as the NER stage gives them (spellings taken from the seed pages
and from Arabic and Persian news), without running any model."""

from __future__ import annotations

from pathlib import Path

from newsgraph.corpus.resolution import Overrides, clean_name, resolve
from newsgraph.model import Mention
from newsgraph.text.translit import name_key


def _mentions(article_id: str, text: str, names: list[tuple[str, str]], lang: str = "en") -> list[Mention]:
    out, pos = [], 0
    for name, label in names:
        start = text.index(name, pos)
        out.append(Mention(article_id, start, start + len(name), name, label, lang, "test"))
        pos = start + len(name)
    return out


EN_1 = ("A high-ranking source said Sardar Soleimani was the link to the Leader of the Revolution Sayyed Ali Khamenei. "
        "Prior to his assassination, Qassem Soleimani asked officials to nominate General Ismail Qaani. "
        "Ismail Haniyeh, Hamas Leader, said from Tehran: Soleimani is the martyr of Jerusalem. "
        "Sayyed Khamenei ordered that Qaani keep the plans. Hezbollah's Sayyed Hassan Nasrallah agreed.")
EN_2 = "Khaled al-Batsh told Press TV that Gen. Soleimani helped Hamas. Al-Batsch said Khamnei was right."
EN_3 = "Imam Khomeini passed away in 1989; Ayatollah Ali Khamenei was elected. Khalid al-Batsh spoke later."
AR_1 = "ونائب سليماني العميد إسماعيل قاآني، والأمين العام لحزب الله السيد حسن نصر الله، ورئيس حماس إسماعيل هنية في جنازة قاسم سليماني"
FA_1 = "حاج قاسم همیشه بر وحدت تأکید داشت. شهید قاسم سلیمانی با حاج قاسم یکی است."


def _corpus() -> list[Mention]:
    mentions = []
    mentions += _mentions("en1", EN_1, [
        ("Sardar Soleimani", "PERSON"), ("Sayyed Ali Khamenei", "PERSON"), ("Qassem Soleimani", "PERSON"),
        ("Ismail Qaani", "PERSON"), ("Ismail Haniyeh", "PERSON"), ("Hamas", "ORG"), ("Tehran", "GPE"),
        ("Soleimani", "LOC"), ("Sayyed Khamenei", "PERSON"), ("Qaani", "PERSON"), ("Hezbollah", "ORG"),
        ("Sayyed Hassan Nasrallah", "PERSON")])
    mentions += _mentions("en2", EN_2, [("Khaled al-Batsh", "PERSON"), ("Press TV", "ORG"), ("Soleimani", "PERSON"),
                                        ("Hamas", "ORG"), ("Al-Batsch", "PERSON"), ("Khamnei", "PERSON")])
    mentions += _mentions("en3", EN_3, [("Imam Khomeini", "PERSON"), ("Ayatollah Ali Khamenei", "PERSON"),
                                        ("Khalid al-Batsh", "PERSON")])
    mentions += _mentions("ar1", AR_1, [("سليماني", "PERSON"), ("إسماعيل قاآني", "PERSON"), ("لحزب الله", "ORG"),
                                        ("حسن نصر الله", "PERSON"), ("حماس", "ORG"), ("إسماعيل هنية", "PERSON"),
                                        ("قاسم سليماني", "PERSON")], "ar")
    mentions += _mentions("fa1", FA_1, [("حاج قاسم", "PERSON"), ("قاسم سلیمانی", "PERSON"), ("حاج قاسم", "PERSON")], "fa")
    return mentions


def _entity_of(mentions: list[Mention], text: str, article: str) -> str:
    return next(m.entity_id for m in mentions if m.text == text and m.article_id == article)


def test_spellings_and_scripts_meet_and_people_stay_apart():
    mentions = _corpus()
    result = resolve(mentions, {"en1": "2020-01-20", "en2": "2021-05-30", "en3": "2020-01-18", "ar1": "2020-01-22"})
    soleimani = _entity_of(mentions, "Qassem Soleimani", "en1")
    for text, article in [("Sardar Soleimani", "en1"), ("Soleimani", "en1"), ("Soleimani", "en2"),
                          ("سليماني", "ar1"), ("قاسم سليماني", "ar1"), ("حاج قاسم", "fa1"), ("قاسم سلیمانی", "fa1")]:
        assert _entity_of(mentions, text, article) == soleimani, text
    khamenei = _entity_of(mentions, "Sayyed Ali Khamenei", "en1")
    assert _entity_of(mentions, "Sayyed Khamenei", "en1") == khamenei
    assert _entity_of(mentions, "Khamnei", "en2") == khamenei  # a typo
    assert _entity_of(mentions, "Ayatollah Ali Khamenei", "en3") == khamenei
    assert _entity_of(mentions, "Imam Khomeini", "en3") != khamenei  # same consonants, another man
    haniyeh = _entity_of(mentions, "Ismail Haniyeh", "en1")
    qaani = _entity_of(mentions, "Ismail Qaani", "en1")
    assert haniyeh != qaani
    assert _entity_of(mentions, "Qaani", "en1") == qaani
    assert _entity_of(mentions, "إسماعيل قاآني", "ar1") == qaani
    assert _entity_of(mentions, "إسماعيل هنية", "ar1") == haniyeh
    batsh = _entity_of(mentions, "Khaled al-Batsh", "en2")
    assert _entity_of(mentions, "Al-Batsch", "en2") == batsh == _entity_of(mentions, "Khalid al-Batsh", "en3")
    assert _entity_of(mentions, "حسن نصر الله", "ar1") == _entity_of(mentions, "Sayyed Hassan Nasrallah", "en1")
    assert _entity_of(mentions, "حماس", "ar1") == _entity_of(mentions, "Hamas", "en2")
    assert _entity_of(mentions, "لحزب الله", "ar1") == _entity_of(mentions, "Hezbollah", "en1")
    people = [soleimani, khamenei, haniyeh, qaani, batsh]
    assert len(set(people)) == len(people)
    by_id = {e.id: e for e in result.entities}
    assert by_id[soleimani].name == "Qassem Soleimani" and by_id[soleimani].type == "PERSON"
    assert set(by_id[soleimani].aliases) == {"en", "ar", "fa"}
    assert by_id[soleimani].first_seen == "2020-01-20" and by_id[soleimani].last_seen == "2021-05-30"


def test_ids_are_stable_across_runs():
    first_mentions = _corpus()
    resolve(first_mentions, {})
    first = {(m.article_id, m.start): m.entity_id for m in first_mentions}
    second_mentions = _corpus()
    resolve(second_mentions, {})
    assert {(m.article_id, m.start): m.entity_id for m in second_mentions} == first


def test_titles_are_set_aside():
    assert clean_name("Sayyed Hassan Nasrallah") == "Hassan Nasrallah"
    assert clean_name("Gen. Soleimani’s") == "Soleimani"
    assert clean_name("الشهيد الفريق قاسم سليماني") == "قاسم سليماني"
    assert clean_name("سردار حاج قاسم سلیمانی") == "قاسم سلیمانی"
    assert clean_name("the Tehran Times", person=False) == "Tehran Times"


def test_skeletons_join_spellings():
    assert len({name_key(n) for n in ["Qassem Soleimani", "Qasem Suleimani", "Ghasem Soleimani", "قاسم سليماني",
                                      "قاسم سلیمانی"]}) == 1
    assert name_key("Hezbollah") == name_key("Hizbullah") == name_key("حزب الله")
    assert name_key("Hassan Nasrallah") == name_key("حسن نصرالله") == name_key("حسن نصر الله")


def test_overrides_merge_split_rename(tmp_path: Path):
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        '[[merge]]\nnames = ["Imam Khomeini", "Ayatollah Ali Khamenei"]\n\n'
        '[[split]]\nalias = "Al-Batsch"\nname = "al-Batsch (check)"\n\n'
        '[rename]\n"Qassem Soleimani" = "Qasem Soleimani"\n', encoding="utf-8")
    mentions = _corpus()
    result = resolve(mentions, {}, Overrides.load(overrides))
    assert _entity_of(mentions, "Imam Khomeini", "en3") == _entity_of(mentions, "Ayatollah Ali Khamenei", "en3")
    assert _entity_of(mentions, "Al-Batsch", "en2") != _entity_of(mentions, "Khaled al-Batsh", "en2")
    names = {e.id: e.name for e in result.entities}
    assert names[_entity_of(mentions, "Qassem Soleimani", "en1")] == "Qasem Soleimani"
    assert names[_entity_of(mentions, "Al-Batsch", "en2")] == "al-Batsch (check)"


def test_a_mention_with_no_name_left_once_cleaned_does_not_end_the_run():
    """Met on Fars News text: the Persian model tagged a lone ' (from "…', '…") as ORG; resolution
    raised on it (max() of nothing) and the whole analyze run ended at the entity stage."""
    text = "نتایج این بازی ها به شرح زیر است:', 'داماش گیلان یک - فجر سپاسی صفر"
    mentions = _mentions("fa9", text, [("'", "ORG"), ("داماش گیلان", "ORG")], "fa")
    resolution = resolve(mentions, {})
    assert all(m.entity_id for m in mentions)
    assert "'" in {e.name for e in resolution.entities}  # its text as written, the only name it has
