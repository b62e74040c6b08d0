"""Entity resolution on short excerpts of real news (Fars News, SaudiNewsNet, PTC English articles,
Press TV), with the labels the taggers really gave: places and organisations join across scripts
through the gazetteer, Arabic-script names that differ in a letter stay apart, a place or an
agency is never a person, titles and years leave names."""

from __future__ import annotations

from newsgraph.corpus.gazetteer import lookup
from newsgraph.corpus.resolution import resolve
from newsgraph.model import Mention
from newsgraph.text.translit import spellings_agree


from test_resolution import _mentions  # noqa: E402  (one helper for both resolution test modules)


def _entity(mentions: list[Mention], text: str, article: str) -> str:
    return next(m.entity_id for m in mentions if m.text == text and m.article_id == article)


def _by_id(result):
    return {e.id: e for e in result.entities}


FA = ("به گزارش خبرگزاري فارس، وزير امور خارجه ایران در دیدار با همتای لبنانی گفت که ایران و لبنان "
      "در برابر اسرائیل ایستاده‌اند.")
AR = "أكدت إيران أن العدوان الإسرائيلي على لبنان وغزة لن يمر، وقال حزب الله إن القدس ستبقى عربية."
EN = "Iran said Israel attacked Gaza. Hezbollah and Hamas warned that al-Quds and Lebanon stand together."


def test_places_and_organisations_are_one_entity_across_scripts_with_the_gazetteer_type():
    mentions = (_mentions("fa", FA, [("خبرگزاري فارس", "ORG"), ("ایران", "ORG"), ("ایران", "ORG"), ("لبنان", "ORG"),
                                     ("اسرائیل", "ORG")], "fa")
                + _mentions("ar", AR, [("إيران", "GPE"), ("لبنان", "GPE"), ("وغزة", "GPE"), ("حزب الله", "ORG"),
                                       ("القدس", "GPE")], "ar")
                + _mentions("en", EN, [("Iran", "GPE"), ("Israel", "GPE"), ("Gaza", "GPE"), ("Hezbollah", "ORG"),
                                       ("Hamas", "ORG"), ("al-Quds", "ORG"), ("Lebanon", "GPE")]))
    result = resolve(mentions, {})
    entities = _by_id(result)
    iran = _entity(mentions, "Iran", "en")
    assert _entity(mentions, "ایران", "fa") == _entity(mentions, "إيران", "ar") == iran
    assert entities[iran].type == "GPE" and entities[iran].name == "Iran"  # the Persian mentions were tagged ORG
    assert _entity(mentions, "لبنان", "fa") == _entity(mentions, "لبنان", "ar") == _entity(mentions, "Lebanon", "en")
    assert _entity(mentions, "اسرائیل", "fa") == _entity(mentions, "Israel", "en")
    assert entities[_entity(mentions, "اسرائیل", "fa")].type == "GPE"
    assert _entity(mentions, "وغزة", "ar") == _entity(mentions, "Gaza", "en")
    assert _entity(mentions, "القدس", "ar") == _entity(mentions, "al-Quds", "en")
    assert _entity(mentions, "حزب الله", "ar") == _entity(mentions, "Hezbollah", "en")
    assert entities[_entity(mentions, "خبرگزاري فارس", "fa")].type == "ORG"


def test_gazetteer_lookup_folds_clitics_and_articles_but_needs_the_whole_name():
    assert lookup("للأمم المتحدة", "ORG").entry.id == lookup("United Nations", "ORG").entry.id
    assert lookup("سپاه پاسداران", "ORG").entry.id == lookup("الحرس الثوري", "ORG").entry.id == \
        lookup("IRGC", "ORG").entry.id
    assert lookup("Iranian", "NORP") is None
    assert lookup("لیبی", "GPE", "fa").entry.id == lookup("ليبيا", "GPE", "ar").entry.id
    assert lookup("ليبي", "GPE", "ar") is None  # Arabic "Libyan", spelled like Persian "Libya"
    assert lookup("Gaza ceasefire", "EVENT") is None


def test_a_bare_country_is_never_the_short_form_of_a_longer_name():
    text = ("Monarchist Iran was never free. Iran today resists, and Iran will win; "
            "the people of Iran know it.")
    mentions = _mentions("a", text, [("Monarchist Iran", "PERSON"), ("Iran", "GPE"), ("Iran", "PERSON"), ("Iran", "GPE")])
    resolve(mentions, {})
    bare = {m.entity_id for m in mentions if m.text == "Iran"}
    assert len(bare) == 1
    assert bare != {_entity(mentions, "Monarchist Iran", "a")}


def test_a_title_in_front_of_a_name_is_no_organisation():
    text = ("A source said the Leader of the Revolution Sayyed Ali Khamenei received him. "
            "Ayatollah Ali Khamenei then spoke.")
    mentions = _mentions("a", text, [("the Leader of the Revolution Sayyed Ali Khamenei", "ORG"),
                                     ("Ayatollah Ali Khamenei", "PERSON")])
    result = resolve(mentions, {})
    khamenei = _entity(mentions, "Ayatollah Ali Khamenei", "a")
    assert _entity(mentions, "the Leader of the Revolution Sayyed Ali Khamenei", "a") == khamenei
    assert _by_id(result)[khamenei].type == "PERSON" and _by_id(result)[khamenei].name == "Ali Khamenei"


def test_arabic_script_names_that_differ_in_a_letter_stay_apart():
    # SaudiNewsNet and Fars: حسن/حسين, محمد/محمود, سلمان/سليمان/سلیمانی share consonants
    a = "قال الرئيس حسن روحاني إن الاتفاق تاريخي. وأضاف محمد أن الوفد وصل."
    b = "وصرح حسين روحاني للصحفيين. وقال محمود إن الملك سلمان استقبل سليمان."
    c = "سلیمانی فرمانده بود. کریم و كريم یکی هستند."
    mentions = (_mentions("a", a, [("حسن روحاني", "PERSON"), ("محمد", "PERSON")], "ar")
                + _mentions("b", b, [("حسين روحاني", "PERSON"), ("محمود", "PERSON"), ("سلمان", "PERSON"),
                                     ("سليمان", "PERSON")], "ar")
                + _mentions("c", c, [("سلیمانی", "PERSON"), ("کریم", "PERSON"), ("كريم", "PERSON")], "fa"))
    resolve(mentions, {})
    assert _entity(mentions, "حسن روحاني", "a") != _entity(mentions, "حسين روحاني", "b")
    assert _entity(mentions, "محمد", "a") != _entity(mentions, "محمود", "b")
    assert len({_entity(mentions, "سلمان", "b"), _entity(mentions, "سليمان", "b"), _entity(mentions, "سلیمانی", "c")}) == 3
    assert _entity(mentions, "کریم", "c") == _entity(mentions, "كريم", "c")  # ک/ك: one letter in two scripts


def test_spellings_of_one_name_across_arabic_and_persian_letters_join():
    a = "اغتيال قاسم سليماني في بغداد. ودعا خامنئي إلى الانتقام."
    b = "شهید قاسم سلیمانی در بغداد ترور شد. خامنه‌ای گفت انتقام سخت است."
    mentions = (_mentions("a", a, [("قاسم سليماني", "PERSON"), ("خامنئي", "PERSON")], "ar")
                + _mentions("b", b, [("قاسم سلیمانی", "PERSON"), ("خامنه‌ای", "PERSON")], "fa"))
    resolve(mentions, {})
    assert _entity(mentions, "قاسم سليماني", "a") == _entity(mentions, "قاسم سلیمانی", "b")
    assert _entity(mentions, "خامنئي", "a") == _entity(mentions, "خامنه‌ای", "b")


def test_a_place_is_never_a_persons_alias():
    text = ("استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود في السعودية الرئيس "
            "عبد ربه منصور هادي، وبحثا الوضع في الحديدة.")
    mentions = _mentions("a", text, [("سلمان بن عبدالعزيز آل سعود", "PERSON"), ("السعودية", "PERSON"),
                                     ("عبد ربه منصور هادي", "PERSON"), ("الحديدة", "PERSON")], "ar")
    result = resolve(mentions, {})
    entities = _by_id(result)
    saudi, hodeidah = _entity(mentions, "السعودية", "a"), _entity(mentions, "الحديدة", "a")
    assert saudi != _entity(mentions, "سلمان بن عبدالعزيز آل سعود", "a")
    assert hodeidah != _entity(mentions, "عبد ربه منصور هادي", "a")
    assert entities[saudi].type == entities[hodeidah].type == "GPE"


def test_a_lineage_name_is_one_person_and_its_last_word_is_the_father():
    a = "استقبل الملك سلمان ولي العهد الأمير محمد بن سلمان بن عبدالعزيز آل سعود."
    b = "وقال ولي العهد محمد بن سلمان إن سلمان أمر بذلك، وحضر الأمير محمد بن سلمان."
    mentions = (_mentions("a", a, [("الملك سلمان", "PERSON"), ("محمد بن سلمان بن عبدالعزيز آل سعود", "PERSON")], "ar")
                + _mentions("b", b, [("محمد بن سلمان", "PERSON"), ("سلمان", "PERSON"), ("محمد بن سلمان", "PERSON")], "ar"))
    resolve(mentions, {})
    mbs = _entity(mentions, "محمد بن سلمان", "b")
    assert _entity(mentions, "محمد بن سلمان بن عبدالعزيز آل سعود", "a") == mbs
    assert _entity(mentions, "سلمان", "b") != mbs
    assert _entity(mentions, "الملك سلمان", "a") != mbs


def test_the_agency_of_a_dateline_is_an_organisation():
    fa = "به گزارش فارس، خبرنگار خبرگزاري فارس از شیراز گزارش داد."
    ar = "الرياض (واس) - أعلنت الوزارة اليوم."
    en = "WASHINGTON (AP) — The Senate voted on Tuesday."
    mentions = (_mentions("fa", fa, [("فارس", "PERSON"), ("خبرنگار خبرگزاري فارس", "PERSON")], "fa")
                + _mentions("ar", ar, [("واس", "PERSON")], "ar") + _mentions("en", en, [("AP", "PERSON")]))
    before = {(m.article_id, m.start): {"fa": fa, "ar": ar, "en": en}[m.article_id][max(0, m.start - 40):m.start]
              for m in mentions}
    result = resolve(mentions, {}, before=before)
    entities = _by_id(result)
    for text, article in [("فارس", "fa"), ("خبرنگار خبرگزاري فارس", "fa"), ("واس", "ar"), ("AP", "en")]:
        assert entities[_entity(mentions, text, article)].type == "ORG", text
    assert _entity(mentions, "فارس", "fa") == _entity(mentions, "خبرنگار خبرگزاري فارس", "fa")


def test_a_persons_name_that_is_also_an_agency_stays_the_person_in_its_article():
    text = "قال فارس الحربي إن المشروع اكتمل، وأضاف فارس أن الافتتاح قريب."
    mentions = _mentions("a", text, [("فارس الحربي", "PERSON"), ("فارس", "PERSON")], "ar")
    resolve(mentions, {})
    assert _entity(mentions, "فارس", "a") == _entity(mentions, "فارس الحربي", "a")


def test_english_names_lose_years_possessives_dashes_and_join_their_person():
    articles = {
        "p1": ("Donald Trump spoke. Trump said the wall would be built. — Donald J. Trump", [
            ("Donald Trump", "PERSON"), ("Trump", "PERSON"), ("— Donald J. Trump", "PERSON")]),
        "p2": ("Archbishop McCarrick resigned. Theodore McCarrick was accused; Twitter erupted.", [
            ("Archbishop McCarrick", "PERSON"), ("Theodore McCarrick", "PERSON"), ("Twitter", "PERSON")]),
        "p3": ("Francis’s 2015 encyclical was praised by Barack Obama.", [
            ("Francis’s 2015", "PERSON"), ("Barack Obama", "PERSON")]),
    }
    for i in range(4, 9):  # articles where the full name and the bare surname meet
        articles[f"p{i}"] = ("Barack Obama met him. Obama smiled. Donald Trump replied; Trump left.", [
            ("Barack Obama", "PERSON"), ("Obama", "PERSON"), ("Donald Trump", "PERSON"), ("Trump", "PERSON")])
    articles["p9"] = ("Obama and Trump never agreed.", [("Obama", "PERSON"), ("Trump", "PERSON")])
    articles["p10"] = ("Ivanka Trump and Melania Trump smiled.", [("Ivanka Trump", "PERSON"), ("Melania Trump", "PERSON")])
    mentions = [m for a, (text, names) in articles.items() for m in _mentions(a, text, names)]
    result = resolve(mentions, {})
    entities = _by_id(result)
    trump = _entity(mentions, "Donald Trump", "p1")
    assert _entity(mentions, "Trump", "p1") == _entity(mentions, "— Donald J. Trump", "p1") == trump
    assert _entity(mentions, "Trump", "p9") == trump  # alone in its article: the corpus decides
    assert _entity(mentions, "Obama", "p9") == _entity(mentions, "Barack Obama", "p3")
    assert entities[trump].name == "Donald Trump"
    assert _entity(mentions, "Archbishop McCarrick", "p2") == _entity(mentions, "Theodore McCarrick", "p2")
    assert entities[_entity(mentions, "Francis’s 2015", "p3")].name == "Francis"
    assert entities[_entity(mentions, "Twitter", "p2")].type == "ORG"
    assert _entity(mentions, "Ivanka Trump", "p10") != trump


def test_arabic_spellings_join_the_english_person_only_when_the_letters_agree():
    en = "Hamas leader Khaled Meshaal met Hassan Rouhani in Tehran."
    ar = "التقى رئيس المكتب السياسي لحماس خالد مشعل الرئيس حسين روحاني في طهران."
    mentions = (_mentions("en", en, [("Khaled Meshaal", "PERSON"), ("Hassan Rouhani", "PERSON"), ("Tehran", "GPE")])
                + _mentions("ar", ar, [("خالد مشعل", "PERSON"), ("حسين روحاني", "PERSON"), ("طهران", "GPE")], "ar"))
    resolve(mentions, {})
    assert _entity(mentions, "خالد مشعل", "ar") == _entity(mentions, "Khaled Meshaal", "en")
    assert _entity(mentions, "حسين روحاني", "ar") != _entity(mentions, "Hassan Rouhani", "en")
    assert _entity(mentions, "طهران", "ar") == _entity(mentions, "Tehran", "en")


def test_spellings_agree():
    for arabic, latin in [("سليماني", "Soleimani"), ("حسين", "Hussein"), ("حسن", "Hassan"), ("محمود", "Mahmoud"),
                          ("قاسم", "Ghasem"), ("خامنه‌ای", "Khamenei"), ("مشعل", "Meshaal"), ("ترامب", "Trump")]:
        assert spellings_agree(arabic, latin), (arabic, latin)
    for arabic, latin in [("حسين", "Hassan"), ("حسن", "Hussein"), ("محمود", "Mohammad"), ("سلمان", "Suleiman"),
                          ("محمد", "Mahmoud")]:
        assert not spellings_agree(arabic, latin), (arabic, latin)


def test_across_scripts_a_name_needs_shared_context():
    en = "Hamas leader Khaled Meshaal spoke in Doha."
    ar = "حضر خالد مشعل حفل الزفاف في القرية."  # nothing else in common: maybe another Khaled Meshaal
    mentions = (_mentions("en", en, [("Hamas", "ORG"), ("Khaled Meshaal", "PERSON"), ("Doha", "GPE")])
                + _mentions("ar", ar, [("خالد مشعل", "PERSON")], "ar"))
    resolve(mentions, {})
    assert _entity(mentions, "خالد مشعل", "ar") != _entity(mentions, "Khaled Meshaal", "en")


def test_a_first_and_last_name_joins_the_only_name_with_a_middle_name():
    a = "Christine Blasey Ford testified. Christine Ford was calm."
    b = "Lee Harvey Oswald fired. Lee Oswald was arrested. George Walker Bush and George Herbert Walker Bush."
    mentions = (_mentions("a", a, [("Christine Blasey Ford", "PERSON"), ("Christine Ford", "PERSON")])
                + _mentions("b", b, [("Lee Harvey Oswald", "PERSON"), ("Lee Oswald", "PERSON"),
                                     ("George Walker Bush", "PERSON"), ("George Herbert Walker Bush", "PERSON")]))
    resolve(mentions, {})
    assert _entity(mentions, "Christine Ford", "a") == _entity(mentions, "Christine Blasey Ford", "a")
    assert _entity(mentions, "Lee Oswald", "b") == _entity(mentions, "Lee Harvey Oswald", "b")
    assert _entity(mentions, "George Walker Bush", "b") != _entity(mentions, "George Herbert Walker Bush", "b")


def test_numbers_after_a_name():
    text = ("Pius XII was silent, unlike Pius XI. Robert Mueller III was appointed; Robert Mueller said nothing. "
            "John Paul II prayed. Saint Paul wrote.")
    mentions = _mentions("a", text, [("Pius XII", "PERSON"), ("Pius XI", "PERSON"), ("Robert Mueller III", "PERSON"),
                                     ("Robert Mueller", "PERSON"), ("John Paul II", "PERSON"), ("Saint Paul", "PERSON")])
    resolve(mentions, {})
    assert _entity(mentions, "Pius XII", "a") != _entity(mentions, "Pius XI", "a")
    assert _entity(mentions, "Robert Mueller III", "a") == _entity(mentions, "Robert Mueller", "a")
    assert _entity(mentions, "Saint Paul", "a") != _entity(mentions, "John Paul II", "a")


def test_a_persian_compound_surname_written_with_a_space_is_the_surname():
    a = "محمود احمدی‌نژاد در نیویورک سخنرانی کرد."
    b = "احمدی نژاد گفت که تحریم‌ها اثری ندارد."
    mentions = (_mentions("a", a, [("محمود احمدی‌نژاد", "PERSON")], "fa")
                + _mentions("b", b, [("احمدی نژاد", "PERSON")], "fa"))
    resolve(mentions, {})
    assert _entity(mentions, "احمدی نژاد", "b") == _entity(mentions, "محمود احمدی‌نژاد", "a")
