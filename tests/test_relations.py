"""Relations between actors: typed triples with evidence, in English, Arabic and Persian; attribution to
the speaker of the quote they sit in; the store, the CLI, the exports and the actor graph; stance.

Sentences are real: the seed pages, and NTREX-128 news sentences (CC BY-SA 4.0; line numbers are those
of ``newstest2019-*.txt``), quoted here as they are in the data. NTREX Arabic and Persian are human
translations of the English lines.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import newsgraph.api as ng
from newsgraph.cli import app
from newsgraph.enrich.quotes import quotes_component
from newsgraph.enrich.relations import relations_component
from newsgraph.enrich.relations_lexicon import POLARITY
from newsgraph.enrich.sentiment import lexicon_hits, sentiment
from newsgraph.model import Article
from test_quotes import article_of  # the same Article-from-paragraphs builder the quote tests use

DATA = Path(__file__).parent / "data"


def analysed(*paragraphs: str, lang: str = "en") -> Article:
    return relations_component(quotes_component(article_of(*paragraphs, lang=lang)))


def triples(article: Article) -> set[tuple[str, str, str]]:
    return {(r.subject_text, r.predicate, r.object_text) for r in article.relations}


def assert_round_trip(article: Article) -> None:
    mentions = {(m.start, m.end) for m in article.mentions}
    for r in article.relations:
        assert 0 <= r.start < r.end <= len(article.text)
        assert article.text[r.cue_start:r.cue_end] == r.cue and r.start <= r.cue_start < r.cue_end <= r.end
        assert article.text[r.subject_start:r.subject_end] == r.subject_text
        assert article.text[r.object_start:r.object_end] == r.object_text
        assert (r.subject_start, r.subject_end) in mentions and (r.object_start, r.object_end) in mentions
        assert r.polarity == POLARITY[r.predicate]
        if r.quote_start is not None:
            assert r.quote_start <= r.cue_start < r.quote_end


# --- English ----------------------------------------------------------------------------------------

def test_english_verbs_passives_and_light_verbs():
    article = analysed(
        # NTREX lines 834, 1114, 1926, 1055, 1512
        "Kanye West was booed in the studio during a Saturday Night Live after a rambling performance in which he "
        "praised U.S. President Donald Trump and said he would run for office in 2020.",
        "Lt Col Vann was killed by a German sniper on 4 October 1918 - just over a month before the war ended.",
        "Patricia Schroeder, then a Democratic congresswoman from Colorado, had worked with Gary Hart on his "
        "presidential runs.",
        "A week after an official Chinese newspaper ran a four-page ad in a U.S. daily touting the mutual benefits of "
        "U.S.-China trade, the U.S. ambassador to China accused Beijing of using the American press to spread propaganda.",
        "Mr. Trump had a warm meeting with President Juan Carlos Varela of Panama in June 2017.")
    assert_round_trip(article)
    found = triples(article)
    assert ("Kanye West", "praise", "Donald Trump") in found  # "he" is the person named first in the sentence
    assert ("German", "attack", "Lt Col Vann") in found  # passive: the by-agent is the subject
    assert ("Patricia Schroeder", "cooperate", "Gary Hart") in found
    assert any(s.startswith("U.S") and p == "criticize" and o == "Beijing" for s, p, o in found)
    assert ("Trump", "meet", "Juan Carlos Varela") in found  # "had a meeting with"
    assert not any(o in ("Panama", "Colorado") for _, _, o in found)


def test_english_nouns_and_reciprocal_meetings():
    article = analysed(
        # NTREX lines 330, 1004, 1472
        "There were smiles and blue skies on Saturday (September 29) as the leaders of Turkey and Germany met for "
        "breakast in Berlin.",
        "\"I have a big problem when a third state interferes in our energy supply,\" Dieter Kempf, head of the "
        "Federation of German Industries (BDI) said following a recent meeting between German Chancellor Angela "
        "Merkel and Russian President Vladimir Putin.",
        "UN diplomats say a recent agreement between Russia and Turkey to set up a buffer zone in the last major rebel "
        "stronghold of Idlib has created an opportunity to press ahead with political talks.")
    assert_round_trip(article)
    pairs = {(s, p, o) for s, p, o in triples(article)}
    assert ("Turkey", "meet", "Germany") in pairs
    assert ("Angela Merkel", "meet", "Vladimir Putin") in pairs
    assert ("Russia", "cooperate", "Turkey") in pairs
    assert not any("Berlin" in (s, o) for s, _, o in pairs)


def test_what_is_not_asserted_gives_no_relation():
    article = analysed(
        # NTREX lines 1528 (a counterfactual) and 273 (advice, not a threat)
        "In 1938, German officers were ready to stage a coup d\"état against Hitler, if only the West had resisted him "
        "and backed the Czechoslovaks at Munich.",
        "The National Center for Disaster Prevention warned Mexicans on Saturday to stay away from the volcano after "
        "activity picked up in the crater and it registered 183 emissions of gas and ash over 24 hours.")
    assert article.mentions and not article.relations


def test_negation_is_kept_and_marked(seed_003):
    article = _with(seed_003, "I am not disparaging all Ukraine")
    negated = [r for r in article.relations if r.negated]
    assert negated and all(r.cue.startswith("disparag") for r in negated)  # "I am not disparaging all Ukraine"


# --- quotes: who asserts it ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_003(seeds: Path) -> list[Article]:
    """The aggregator page (several articles: Khamenei's sermon, al-Zahar's interview, …), analysed once."""
    from newsgraph.ingest.readers import read_documents
    from newsgraph.pipeline import default_pipeline

    path = next(seeds.glob("003_*.txt"))
    return [a for doc in read_documents(path, 10**8) for a in default_pipeline().process(doc)]


def _with(articles: list[Article], needle: str) -> Article:
    return next(a for a in articles if needle in a.text)


def test_relation_inside_a_quote_is_attributed_to_its_speaker(seed_003):
    article = _with(seed_003, "The US government assassinated Suleimani")
    assert_round_trip(article)
    killed = next(r for r in article.relations if r.cue == "assassinated" and r.object_text == "Suleimani")
    assert killed.subject_text == "US" and killed.quote_start is not None
    speaker = article.text[killed.attributed_mention_start:killed.attributed_mention_end]
    assert "Khamenei" in speaker  # the sermon quote ("…, he added") is Khamenei's
    praised = next(r for r in article.relations if r.cue == "praised")
    assert "Khamenei" in praised.subject_text and praised.object_text == "Suleimani"
    assert praised.quote_start is None and praised.attributed_text is None  # the article itself asserts it


def test_first_person_in_an_interview_answer_is_the_interviewee(seed_003):
    article = _with(seed_003, "I met with President Ahmadinejad")
    met = next(r for r in article.relations if r.predicate == "meet" and r.object_text == "Ahmadinejad")
    assert "Zahar" in met.subject_text and met.method.endswith(":coref")  # "I met with President Ahmadinejad"
    assert "Zahar" in article.text[met.attributed_mention_start:met.attributed_mention_end]


# --- Arabic and Persian -------------------------------------------------------------------------------

def test_arabic_verbs_and_nouns():
    article = analysed(
        # NTREX lines 330, 1004, 1472 (Arabic)
        "كانت هناك أجواء من الفرح والصفاء يوم السبت (29 سبتمبر) حيث التقى رئيسا تركيا وألمانيا لتناول الإفطار في برلين.",
        "وقال ديتر كيمبف، رئيس اتحاد الصناعات الألمانية(BDI) عقب اجتماع عُقد مؤخرًا بين المستشارة الألمانية أنجيلا "
        "ميركل والرئيس الروسي فلاديمير بوتين: \"عندما تتدخل دولة ثالثة في إمدادات الطاقة لدينا، فهذا يُمثّل عائقًا كبيرًا "
        "بالنسبة لي\".",
        "يقول دبلوماسيون من الأمم المتحدة إن الاتفاق الأخير بين روسيا وتركيا لإقامة منطقة عازلة في آخر معقل رئيسي "
        "للمتمردين في إدلب قد خلق فرصة للمضي قدمًا في المحادثات السياسية.", lang="ar")
    assert_round_trip(article)
    found = triples(article)
    assert ("تركيا", "meet", "ألمانيا") in found  # the name without its و
    assert ("أنجيلا ميركل", "meet", "فلاديمير بوتين") in found
    assert ("روسيا", "cooperate", "تركيا") in found
    cue = next(r.cue for r in article.relations if r.predicate == "meet" and r.subject_text == "تركيا")
    assert cue == "التقى"


def test_arabic_word_order_prepositions_and_negation():
    # the mentions are given (as the entities stage would find them) to test the patterns on their own;
    # the sentences are modelled on NTREX 1461/1926 and on the seed's «استقبل رئيس حكومة العدو، بنيامين نتنياهو»
    from newsgraph.enrich.relations_arfa import arabic_relations
    from newsgraph.enrich.relations_en import MentionIndex

    def run(text: str, *names: tuple[str, str]):
        spans = [(text.index(n), text.index(n) + len(n), label) for n, label in names]
        found = arabic_relations(text, 0, len(text), MentionIndex(spans))
        return {(text[f.subject[0]:f.subject[1]], f.predicate, text[f.object[0]:f.object[1]], f.negated) for f in found}

    assert run("واستقبل السلطان قابوس بن سعيد رئيس حكومة العدو بنيامين نتنياهو في مسقط.",
               ("قابوس بن سعيد", "PERSON"), ("بنيامين نتنياهو", "PERSON"), ("مسقط", "GPE")) == {
        ("قابوس بن سعيد", "meet", "بنيامين نتنياهو", False)}
    assert run("والتقى رئيس المكتب السياسي لحركة حماس إسماعيل هنية مع الأمين العام لحزب الله حسن نصر الله.",
               ("حماس", "ORG"), ("إسماعيل هنية", "PERSON"), ("لحزب الله", "ORG"), ("حسن نصر الله", "PERSON")) == {
        ("إسماعيل هنية", "meet", "حسن نصر الله", False)}
    assert run("وأشاد حسن نصر الله بحركة حماس.", ("حسن نصر الله", "PERSON"), ("حماس", "ORG")) == {
        ("حسن نصر الله", "praise", "حماس", False)}
    assert run("ولم تهاجم إيران إسرائيل.", ("إيران", "GPE"), ("إسرائيل", "GPE")) == {("إيران", "attack", "إسرائيل", True)}
    # «قُتل X في غارة»: a mention behind another preposition is no object
    assert run("وقتل سليماني في غارة قرب مطار بغداد.", ("سليماني", "PERSON"), ("بغداد", "GPE")) == set()


def test_persian_compound_verbs_nouns_and_pronouns():
    article = analysed(
        # NTREX lines 330, 331, 765, 1055, 1472 (Persian)
        "در روز شنبه (۲۹ سپتامبر) رهبران ترکیه و آلمان در آسمان آبی برلین با لبخند با هم دیدار کردند.",
        "این آخرین روز دیدار بحث‌انگیز رئیس جمهور اردوغان از آلمان است که هدف آن اصلاح روابط با متحدان ناتو می‌باشد.",
        "پومپئو پیش از این و در طی امسال، سه بار به کره شمالی سفر کرده اما سفر آخر او خوب پیش نرفت.",
        "یک هفته پس از اینکه یک روزنامه رسمی چینی یک آگهی تبلیغاتی چهار صفحه‌ای در یکی از روزنامه‌های ایالات متحده در "
        "مورد مزایای دوجانبه توافق چین-ایالات متحده چاپ کرد، سفیر ایالات متحده در چین، پکن را به استفاده از مطبوعات "
        "آمریکایی برای نشر تبلیغات پروپاگاندا متهم کرد.",
        "دیپلماتهای سازمان ملل متحد درباره توافق اخیر بین سوریه و ترکیه می گویند که یک منطقه حایل در اصلی ترین منطقه "
        "پایگاه شورشی ها در ادلب ساخته شده که فرصتی برای مذاکرات سیاسی ایجاد کرده است.", lang="fa")
    assert_round_trip(article)
    found = triples(article)
    assert ("ترکیه", "meet", "آلمان") in found  # «با هم دیدار کردند»
    # a visit or trip to a place is no meeting: «دیدار … اردوغان از آلمان», «به کره شمالی سفر کرده»
    assert not any(s in ("اردوغان", "پومپئو") and p == "meet" for s, p, _ in found)
    assert ("ایالات متحده", "criticize", "پکن") in found  # the clause after «چاپ کرد،»
    assert ("سوریه", "cooperate", "ترکیه") in found
    assert not any(o == "برلین" for _, _, o in found)


def test_persian_object_marking_and_negation():
    from newsgraph.enrich.relations_arfa import persian_relations
    from newsgraph.enrich.relations_en import MentionIndex

    def run(text: str, *names: str):
        spans = [(text.index(n), text.index(n) + len(n), "GPE") for n in names]
        found = persian_relations(text, 0, len(text), MentionIndex(spans))
        return {(text[f.subject[0]:f.subject[1]], f.predicate, text[f.object[0]:f.object[1]], f.negated) for f in found}

    # «X را محکوم کرد» with the object's own prepositional phrase: آمریکا is condemned, not عراق; the noun
    # «حمله آمریکا به عراق» is itself a relation
    assert run("ایران حمله آمریکا به عراق را محکوم کرد.", "ایران", "آمریکا", "عراق") == {
        ("ایران", "criticize", "آمریکا", False), ("آمریکا", "attack", "عراق", False)}
    assert run("وزیر خارجه گفت که آمریکا به ایران حمله نکرده است.", "آمریکا", "ایران") == {
        ("آمریکا", "attack", "ایران", True)}
    # seed 004: «ایالات متحده اقدام به ترور شهید قاسم سلیمانی کرد»
    assert run("به نظر شما چرا ایالات متحده اقدام به ترور شهید قاسم سلیمانی کرد", "ایالات متحده", "قاسم سلیمانی") == {
        ("ایالات متحده", "attack", "قاسم سلیمانی", False)}


# --- reading the cue in context (bench/data/RELATIONS_GUIDELINE.md) ----------------------------------------

def with_actors(text: str, lang: str, *actors: tuple[str, str]) -> Article:
    """One sentence with the given actors as its mentions (as the bench's gold-actor mode does)."""
    from newsgraph.model import Mention

    article = article_of(text, lang=lang, mentions=False)
    article.mentions = [Mention("t", text.index(name), text.index(name) + len(name), name, label, lang, "test")
                        for name, label in actors]
    return relations_component(quotes_component(article))


def test_verbal_attacks_self_relations_and_joining():
    # PTC dev article 730246508 (propaganda corpus, quoted for evaluation only)
    verbal = with_actors("What this misses is that the Guardian’s attacks on Assange are not exceptional or motivated "
                         "solely by personal animosity.", "en", ("Guardian", "ORG"), ("Assange", "PERSON"))
    assert triples(verbal) == {("Guardian", "criticize", "Assange")}  # words, not force
    # gold dev item ptc:E81's article: "Donald Trump’s" and "Trump’s" are one actor; joining a campaign is no relation
    text = ("Manafort held secret talks with Assange in Ecuadorian embassy Donald Trump’s former campaign manager Paul "
            "Manafort held secret talks with Julian Assange inside the Ecuadorian embassy in London, and visited around "
            "the time he joined Trump’s campaign, the Guardian has been told.")
    article = article_of(text)
    article = relations_component(quotes_component(article))
    found = triples(article)
    assert any(s.endswith("Manafort") and p == "meet" and o.endswith("Assange") for s, p, o in found)
    assert not any({s.removesuffix("’s"), o.removesuffix("’s")} <= {"Trump", "Donald Trump"} for s, _, o in found)
    assert not any(p == "cooperate" for _, p, _ in found)


def test_trips_to_places_and_sport_fixtures_are_no_relations():
    # NTREX lines 702 and 307, English and Arabic (dev split of the gold sets)
    assert not with_actors("Saturday will be the second time in the past month that Trump has visited West Virginia, "
                           "the state he won by more than 40 percentage points in 2016.", "en",
                           ("Trump", "PERSON"), ("West Virginia", "GPE")).relations
    assert not with_actors("ستمثل الزيارة المقررة يوم السبت الزيارة الثانية لترامب في الشهر الماضي لفيرجينيا الغربية، وهي "
                           "الولاية التي فاز فيها بأكثر من 40 في المائة في عام 2016.", "ar",
                           ("ترامب", "PERSON"), ("فيرجينيا الغربية", "GPE")).relations
    assert not with_actors("Before then, Rangers host Rapid Vienna in the Europa League on Thursday.", "en",
                           ("Rangers", "ORG"), ("Rapid Vienna", "ORG")).relations
    assert not with_actors("وفي المباراة الثانية يلتقي الأردن والإمارات الساعة التاسعة و15 دقيقة.", "ar",
                           ("الأردن", "GPE"), ("الإمارات", "GPE")).relations
    # a meeting with a person stays a meeting (gold dev item semeval2025:S60)
    met = with_actors("Since then, North Korea and Russia have grown increasingly close, as recently seen when North Korean "
                      "leader Kim Jong Un visited eastern Russia, where he held a summit with Russian President Vladimir "
                      "Putin last week.", "en", ("Kim Jong Un", "PERSON"), ("Russia", "GPE"), ("Vladimir Putin", "PERSON"))
    assert ("Kim Jong Un", "meet", "Vladimir Putin") in triples(met) and ("Kim Jong Un", "meet", "Russia") not in triples(met)


def run_ar(text: str, *actors: str, lang: str = "ar"):
    """Relations found with the given actor spans; an actor may carry a glued clitic («لحزب الله»)."""
    from newsgraph.enrich.relations_arfa import arabic_relations, persian_relations
    from newsgraph.enrich.relations_en import MentionIndex

    spans = [(text.index(a), text.index(a) + len(a), "ORG") for a in actors]
    finder = arabic_relations if lang == "ar" else persian_relations
    found = finder(text, 0, len(text), MentionIndex(spans))
    return {(text[f.subject[0]:f.subject[1]], f.predicate, text[f.object[0]:f.object[1]], f.negated) for f in found}


def test_arabic_actor_spans_with_or_without_a_clitic():
    # SaudiNewsNet 2015 (gold dev item saudinewsnet:C13): «دعم إيران لهم ولحزب الله» — the ل belongs to the
    # object, whether the entity span includes it or not
    text = "وعن اليمن قال إنهم يرفضون ما يقوم به الحوثيون من نشاط عسكري ويرفضون دعم إيران لهم ولحزب الله اللبناني."
    assert ("إيران", "support", "حزب الله", False) in run_ar(text, "إيران", "حزب الله")
    assert ("إيران", "support", "لحزب الله", False) in run_ar(text, "إيران", "لحزب الله")
    # SVO after «وكانت» (saudinewsnet:B45) and with a model number between subject and verb (saudinewsnet:B88)
    assert run_ar("وكانت ماي استقبلت أول من أمس نظيرها الفرنسي برنار كازنوف في حين بدأ الجدل يأخذ أبعادا خطيرة في فرنسا.",
                  "ماي", "برنار كازنوف") == {("ماي", "meet", "برنار كازنوف", False)}
    assert ("تركية", "attack", "داعش", False) in run_ar(
        "وقال مكتب رئيس الوزراء في بيان إن مقاتلات تركية إف-16 قصفت مواقع لتنظيم داعش داخل سوريا في وقت مبكر أمس الجمعة.",
        "تركية", "داعش")
    # a glued ب on a name is a preposition only if the article has the name bare too: «بشار» is a name
    assert run_ar("استقبل بشار الأسد وزير الخارجية الإيراني.", "بشار الأسد", "الإيراني") == {
        ("بشار الأسد", "meet", "الإيراني", False)}


def test_persian_quoted_names_coordinated_objects_and_demands():
    # Fars News (gold dev items farsnews:H72, G192, G55 — G55 is on the test side only as a duplicate title, not used)
    assert run_ar("به گزارش گروه بين‌الملل خبرگزاري فارس، «بني گانتز» ئيس حزب آبي‌وسفيد در رژيم صهيونيستي نيز بعد از "
                  "نخست‌وزير اين رژيم، جنبش مقاومت اسلامي فلسطين «حماس» و نوار غزه را به اقدام نظامي تهديد كرد.",
                  "بني گانتز", "حماس", "نوار غزه", lang="fa") >= {
        ("بني گانتز", "threaten", "حماس", False), ("بني گانتز", "threaten", "نوار غزه", False)}
    assert ("رستم زوهبي", "criticize", "امريكا", False) in run_ar(
        "از ديگر سو«رستم زوهبي»، سفير سوريه در واشنگتن از امريكا به دليل اظهارات وزير دفاع اين كشور انتقاد كرد.",
        "رستم زوهبي", "امريكا", lang="fa")


def test_gold_sets_are_well_formed_and_large_enough():
    root = Path(__file__).resolve().parents[1] / "bench" / "data"
    for lang in ("en", "ar", "fa"):
        items = [json.loads(line) for line in (root / f"relations_gold_{lang}.jsonl").open(encoding="utf-8")]
        assert sum(1 for i in items if i["relations"]) >= 150
        assert {i["split"] for i in items} == {"dev", "test"}
        for item in items:
            spans = {(a["start"], a["end"]) for a in item["actors"]}
            for a in item["actors"]:
                assert item["text"][a["start"]:a["end"]] == a["text"]
            for r in item["relations"]:
                assert tuple(r["subject"]) in spans and tuple(r["object"]) in spans and r["predicate"] in POLARITY
        by_doc: dict[str, set[str]] = {}
        for item in items:
            by_doc.setdefault(item["doc"], set()).add(item["split"])
        assert all(len(splits) == 1 for splits in by_doc.values())  # split by document


# --- the labelled sets --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_labelled_sets_are_well_formed(lang: str):
    rows = [json.loads(line) for line in (DATA / f"relations_{lang}.jsonl").open(encoding="utf-8")]
    with_relations = [r for r in rows if r["relations"]]
    assert len(with_relations) >= 40
    for row in rows:
        assert row["lang"] == lang and "NTREX-128" in row["source"] and row["text"]
        for rel in row["relations"]:
            assert rel["predicate"] in POLARITY and rel["subject"] and rel["object"]


# --- sentiment ----------------------------------------------------------------------------------------

def test_sentence_sentiment_in_three_languages():
    assert sentiment("Imam Khamenei praised Gen. Suleimani as one of the most powerful commanders.", "en") > 0.05
    assert sentiment("The US government assassinated Suleimani in a cowardly manner, a true disgrace.", "en") < -0.05
    assert sentiment("وأدانت حماس الجرائم الإسرائيلية الوحشية", "ar") < 0
    assert sentiment("الشهيد قاسم سليماني بطل المقاومة", "ar") > 0
    assert sentiment("سردار سلیمانی قهرمان مقاومت و افتخار ملت بود", "fa") > 0
    assert [sign for _, sign in lexicon_hits("این اقدام خوب نیست", "fa")] == [-1]  # «نیست» flips «خوب»
    assert [sign for _, sign in lexicon_hits("لم يكن ناجحا", "ar")] == [-1]
    assert sentiment("Bonjour", "fr") is None


# --- store, API, CLI, exports, graph ------------------------------------------------------------------

def test_stored_relations_resolve_to_entities(seeded_db: Path):
    rows = ng.relations(seeded_db)
    assert len(rows) >= 20
    assert all(r["subject_entity_id"] and r["object_entity_id"] for r in rows)
    assert {r["predicate"] for r in rows} >= {"attack", "support", "meet", "praise"}
    khamenei = ng.relations(seeded_db, actor="Khamenei")
    assert khamenei and all("Khamenei" in (r["subject_name"] + r["object_name"]) for r in khamenei)
    soleimani_id = ng.entity(seeded_db, "Soleimani")["id"]
    assert ng.relations(seeded_db, actor=soleimani_id) == ng.relations(seeded_db, actor="Qassem Soleimani")
    attacks = ng.relations(seeded_db, predicate="attack")
    assert attacks and all(r["predicate"] == "attack" for r in attacks)
    for r in rows:
        assert r["evidence"].strip()
        text = ng.show(seeded_db, r["article_id"]).text
        assert text[r["subject_start"]:r["subject_end"]] == r["subject_text"]


def test_stance_by_outlet_and_speaker(seeded_db: Path):
    found = ng.stance(seeded_db, "Soleimani")
    assert found["entity"]["name"] == "Qassem Soleimani"
    outlets = {row["name"]: row for row in found["by_outlet"]}
    assert "Press TV" in outlets and outlets["Press TV"]["sentences"] > 0
    speakers = {row["name"]: row for row in found["by_speaker"]}
    khamenei = speakers["Ali Khamenei"]
    # "The US … assassinated Suleimani": Soleimani is the target of an attack Khamenei reports; that is not
    # Khamenei's stance towards Soleimani, so it is counted apart and leaves the net polarity alone
    assert khamenei["target_of"].get("attack") == 1 and "attack" not in khamenei["relations"]
    assert khamenei["net_polarity"] >= 0
    assert khamenei["sentences"] > 0 and -1 <= khamenei["sentiment"] <= 1
    assert ng.stance(seeded_db, "nobody by this name") is None


def test_cli_relations_quotes_and_stance(seeded_db: Path):
    runner = CliRunner()
    result = runner.invoke(app, ["relations", "--db", str(seeded_db), "--actor", "Khamenei"])
    assert result.exit_code == 0 and "praise" in result.output and "relations" in result.output
    result = runner.invoke(app, ["relations", "--db", str(seeded_db), "--predicate", "hug"])
    assert result.exit_code == 2 and "unknown predicate" in result.output
    result = runner.invoke(app, ["quotes", "--db", str(seeded_db), "--speaker", "Zahar"])
    assert result.exit_code == 0 and "quotes" in result.output
    result = runner.invoke(app, ["stance", "--db", str(seeded_db), "--actor", "Soleimani"])
    assert result.exit_code == 0 and "Press TV" in result.output
    result = runner.invoke(app, ["stance", "--db", str(seeded_db), "--actor", "Nobody Atall"])
    assert result.exit_code == 2 and "no entity" in result.output


REQUIRED_RELATION_FIELDS = {"article_id", "subject_entity_id", "predicate", "object_entity_id", "start", "end",
                            "attributed_to"}
REQUIRED_QUOTE_FIELDS = {"article_id", "start", "end", "text", "speaker_entity_id", "speaker_text", "speaker_start",
                         "speaker_end", "cue", "kind"}


def test_exports_carry_the_contract_fields_in_every_format(seeded_db: Path, tmp_path: Path):
    import pyarrow.parquet as pq

    result = CliRunner().invoke(app, ["export", "--db", str(seeded_db), "--format", "jsonl", "--out", str(tmp_path / "jsonl")])
    assert result.exit_code == 0 and "actors.graphml" in result.output
    relations = [json.loads(line) for line in (tmp_path / "jsonl" / "relations.jsonl").open(encoding="utf-8")]
    quotes = [json.loads(line) for line in (tmp_path / "jsonl" / "quotes.jsonl").open(encoding="utf-8")]
    assert relations and quotes
    assert all(REQUIRED_RELATION_FIELDS <= set(r) for r in relations)
    assert all(REQUIRED_QUOTE_FIELDS <= set(q) for q in quotes)
    assert any(r["attributed_to"] for r in relations) and any(r["attributed_to"] is None for r in relations)
    texts = {a["id"]: a["text"] for a in map(json.loads, (tmp_path / "jsonl" / "articles.jsonl").open(encoding="utf-8"))}
    for r in relations:
        assert texts[r["article_id"]][r["object_start"]:r["object_end"]] == r["object_text"]
        assert r["start"] <= r["cue_start"] < r["cue_end"] <= r["end"]
    for q in quotes:
        assert texts[q["article_id"]][q["start"]:q["end"]] == q["text"]
    ng.export(seeded_db, tmp_path / "csv", "csv")
    ng.export(seeded_db, tmp_path / "parquet", "parquet")
    with (tmp_path / "csv" / "relations.csv").open(encoding="utf-8", newline="") as fh:
        assert REQUIRED_RELATION_FIELDS <= set(next(csv.DictReader(fh)))
    table = pq.read_table(tmp_path / "parquet" / "relations.parquet")
    assert REQUIRED_RELATION_FIELDS <= set(table.column_names) and table.num_rows == len(relations)
    assert REQUIRED_QUOTE_FIELDS <= set(pq.read_table(tmp_path / "parquet" / "quotes.parquet").column_names)


def test_actor_graph_has_typed_weighted_edges_with_evidence(seeded_db: Path, tmp_path: Path):
    ng.export(seeded_db, tmp_path, "jsonl")
    graph = nx.read_graphml(tmp_path / "actors.graphml")
    relation_ids = {json.loads(line)["id"] for line in (tmp_path / "relations.jsonl").open(encoding="utf-8")}
    edges = list(graph.edges(data=True))
    assert edges
    for _, _, data in edges:
        assert data["predicate"] in POLARITY and data["polarity"] == POLARITY[data["predicate"]]
        evidence = data["evidence"].split()
        assert evidence and set(evidence) <= relation_ids and data["weight"] == len(evidence)
    labels = {graph.nodes[a]["label"]: b for a, b, d in edges if d["predicate"] == "praise"}
    assert graph.nodes[labels["Ali Khamenei"]]["label"] == "Qassem Soleimani"
