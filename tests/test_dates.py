"""newsgraph.text.dates: datelines and date expressions in English, Arabic and Persian."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.text.dates import DateMention, find_dates, parse_date

REF = dt.date(2020, 1, 5)  # a Sunday, two days after the Baghdad airport strike


def values(text, lang=None, reference=None):
    found = find_dates(text, lang, reference)
    for m in found:
        assert text[m.start:m.end] == m.text
    return [(m.text, m.value) for m in found]


# ---------------------------------------------------------------- parse_date: datelines


@pytest.mark.parametrize("text, lang, expected, calendar", [
    ("January 18, 2020", None, "2020-01-18", "gregorian"),
    ("January 17, 2020", "en", "2020-01-17", "gregorian"),
    ("Jan. 17, 2020", "en", "2020-01-17", "gregorian"),
    ("Friday, 17th of January 2020", "en", "2020-01-17", "gregorian"),
    ("Date: 11-01-2020", "en", "2020-01-11", "gregorian"),
    ("11-01-2020", None, "2020-01-11", "gregorian"),
    ("11/01/2020", "en-US", "2020-11-01", "gregorian"),
    ("3/25/2020", "en", "2020-03-25", "gregorian"),          # 25 cannot be a month
    ("25.03.2020", "en-US", "2020-03-25", "gregorian"),
    ("2020-01-13T15:40:00Z", None, "2020-01-13", "gregorian"),
    ("Mon, 13 Jan 2020 15:40:00 GMT", None, "2020-01-13", "gregorian"),
    ("فلسطين الأخبار الأربعاء 22 كانون الثاني 2020", "ar", "2020-01-22", "gregorian"),
    ("الخميس، 23 يناير/كانون الثاني 2020م", "ar", "2020-01-23", "gregorian"),
    ("نشر بتاريخ: ٠٣ يناير ٢٠٢٠", "ar", "2020-01-03", "gregorian"),
    ("جانفي 2020", "ar", "2020-01", "gregorian"),
    ("الجزائر - 12 جويلية 2020", "ar", "2020-07-12", "gregorian"),
    ("April 2024", None, "2024-04", "gregorian"),
    ("۱۳ دی ۱۳۹۸", None, "2020-01-03", "jalali"),
    ("جمعه ۱۳ دی‌ماه ۱۳۹۸", "fa", "2020-01-03", "jalali"),
    ("۱۳۹۸/۱۰/۱۳", None, "2020-01-03", "jalali"),
    ("1398-10-13", "fa", "2020-01-03", "jalali"),
    ("۳ ژانویه ۲۰۲۰", "fa", "2020-01-03", "gregorian"),
    ("٢٢ جمادى الأولى ١٤٤١", None, "2020-01-17", "hijri"),
    ("الجمعة 22 جمادى الأولى 1441هـ", "ar", "2020-01-17", "hijri"),
    ("1441/05/22هـ", "ar", "2020-01-17", "hijri"),
    ("۸ جمادی‌الاول ۱۴۴۱ ق", "fa", "2020-01-03", "hijri"),
    ("فروردین ۱۳۹۹", "fa", "2020", "jalali"),             # the whole month lies in 2020
])
def test_parse_date(text, lang, expected, calendar):
    m = parse_date(text, lang)
    assert m is not None, text
    assert (m.value, m.calendar) == (expected, calendar)
    assert text[m.start:m.end] == m.text
    assert m.resolved and not m.relative


def test_parse_date_takes_the_publication_date_not_the_update():
    text = "Monday, 13 January 2020 3:40 PM  [ Last Update: Monday, 14 January 2020 4:16 PM ]"
    m = parse_date(text, "en")
    assert m == DateMention(0, 23, "Monday, 13 January 2020", "2020-01-13", "gregorian")


def test_weekday_belongs_to_the_date_span():
    text = "فلسطين الأخبار الأربعاء 22 كانون الثاني 2020"
    m = parse_date(text, "ar")
    assert m.text == "الأربعاء 22 كانون الثاني 2020"
    assert text[: m.start].strip() == "فلسطين الأخبار"


@pytest.mark.parametrize("text, lang", [
    ("1398-10-13", None),          # solar or lunar? no context
    ("1441/05/22", "ar"),          # lunar in Saudi usage, but not said
    ("دی ۱۳۹۸", "fa"),             # Dey 1398 straddles 2019/2020: no ISO value
    ("دی ماه ۹۸", "fa"),           # two-digit year
    ("03/01/20", "en"),            # two-digit year
    ("31 February 2020", "en"),    # invalid day
    ("13/13/2020", "en"),
    ("1 January 1848", "en"),      # outside 1900–2100
    ("in 2020", "en"),             # bare year
    ("3:40 PM", "en"),             # time alone
    ("2 3 4", None),
    ("۱۳۹۸ در", "fa"),
    ("yesterday", "en"),           # relative: nothing to anchor it to
    ("", None),
])
def test_parse_date_refuses_to_guess(text, lang):
    assert parse_date(text, lang) is None


# ---------------------------------------------------------------- find_dates: explicit


def test_english_news_sentence():
    text = ("General Qassem Soleimani was killed in a US drone strike at Baghdad airport on "
            "Friday, January 3, 2020, and buried in Kerman on 7 January 2020.")
    assert values(text, "en") == [("Friday, January 3, 2020", "2020-01-03"),
                                  ("7 January 2020", "2020-01-07")]


def test_arabic_levantine_and_egyptian_months():
    text = ("أعلن البنتاغون في 3 كانون الثاني/يناير 2020 مقتل سليماني، "
            "وفي ٨ يناير ٢٠٢٠ ردت إيران بقصف قاعدة عين الأسد، ثم عقد البرلمان جلسة في 5 شباط 2020.")
    assert values(text, "ar") == [("3 كانون الثاني/يناير 2020", "2020-01-03"),
                                  ("٨ يناير ٢٠٢٠", "2020-01-08"),
                                  ("5 شباط 2020", "2020-02-05")]


def test_maghrebi_months():
    text = "وقد صادق البرلمان على القانون في 15 جوان 2020، بعد نقاش بدأ في أفريل 2020."
    assert values(text, "ar") == [("15 جوان 2020", "2020-06-15"), ("أفريل 2020", "2020-04")]


def test_persian_jalali_in_persian_digits():
    text = "سردار سلیمانی بامداد جمعه ۱۳ دی‌ماه ۱۳۹۸ در فرودگاه بغداد به شهادت رسید."
    [m] = find_dates(text, "fa")
    assert (m.text, m.value, m.calendar) == ("جمعه ۱۳ دی‌ماه ۱۳۹۸", "2020-01-03", "jalali")


def test_persian_gregorian_and_hijri_in_one_sentence():
    text = "این دیدار در ۲۰ ژانویه ۲۰۲۰ برابر با ۲۵ جمادی‌الاول ۱۴۴۱ قمری برگزار شد."
    found = find_dates(text, "fa")
    assert [(m.value, m.calendar) for m in found] == [("2020-01-20", "gregorian"), ("2020-01-20", "hijri")]


def test_lunar_hijri_with_marker():
    text = "تقرر عقد المؤتمر في 15 رمضان 1441 هـ الموافق 8 مايو 2020م."
    found = find_dates(text, "ar")
    assert [(m.text, m.value, m.calendar) for m in found] == [
        ("15 رمضان 1441 هـ", "2020-05-08", "hijri"),
        ("8 مايو 2020م", "2020-05-08", "gregorian"),
    ]


def test_numeric_dates_in_prose():
    text = "The report (dated 2020-01-03) was updated on 03.01.2020 and again on 3/1/2020."
    assert [v for _, v in values(text, "en")] == ["2020-01-03", "2020-01-03", "2020-01-03"]
    assert [v for _, v in values("Updated 1/3/2020.", "en-US")] == ["2020-01-03"]


def test_persian_numbers_without_a_date_give_nothing():
    for text in (
        "در سال ۱۳۹۸ در این حادثه ۲ نفر کشته و ۳ نفر زخمی شدند.",
        "۱۳۹۸ در ۲ ۳ ۴ نفر",
        "بیش از ۱۲۰۰ نفر در ۳۵ استان بازداشت شدند و ۴۰ درصد آنان زیر ۲۵ سال بودند.",
        "قیمت دلار به ۱۳۹۸۰ تومان رسید و شاخص بورس ۱٫۵ درصد افت کرد.",
        "امام جمعه تهران گفت که ۳ تیر شلیک شد.",
    ):
        assert find_dates(text, "fa", REF) == [], text


def test_english_words_that_look_like_months_are_not_dates():
    assert values("It may 12 times be said; the march 2020 was long.", "en") == []
    assert values("In 2020 the war ended. COVID-19 spread. Call 555-1234.", "en") == []


# ---------------------------------------------------------------- find_dates: relative


def test_relative_english_without_reference():
    found = find_dates("He was killed on Friday, officials said yesterday.", "en")
    assert [(m.text, m.value, m.resolved, m.relative) for m in found] == [
        ("on Friday", None, False, True), ("yesterday", None, False, True)]


def test_relative_english_with_reference():
    text = ("He was killed on Friday. Two days ago crowds gathered in Ahvaz; last week the "
            "parliament voted, and yesterday the minister said Friday's attack was a crime. "
            "Officials said Saturday the talks would resume next Tuesday.")
    assert values(text, "en", REF) == [
        ("on Friday", "2020-01-03"), ("Two days ago", "2020-01-03"), ("last week", "2019-12"),
        ("yesterday", "2020-01-04"), ("Friday's", "2020-01-03"), ("Saturday", "2020-01-04"),
        ("next Tuesday", "2020-01-07"),
    ]


def test_on_weekday_means_the_most_recent_one_on_or_before_the_reference():
    friday = dt.date(2020, 1, 3)
    assert values("The strike came on Friday.", "en", friday) == [("on Friday", "2020-01-03")]
    assert values("The strike came last Friday.", "en", friday) == [("last Friday", "2019-12-27")]


def test_relative_arabic():
    text = ("وقال المتحدث أمس إن الهجوم وقع يوم الجمعة الماضية، قبل يومين من التشييع، "
            "وإن البرلمان صوّت الأسبوع الماضي. وقال الرئيس الخميس إن صلاة الجمعة ستقام.")
    assert values(text, "ar", REF) == [
        ("أمس", "2020-01-04"), ("يوم الجمعة الماضية", "2020-01-03"),
        ("الأسبوع الماضي", "2019-12"), ("الخميس", "2020-01-02"),
    ]
    unresolved = find_dates(text, "ar")
    assert all(m.value is None and not m.resolved and m.relative for m in unresolved)
    assert len(unresolved) == 4


def test_relative_persian():
    text = ("دیروز هزاران نفر در مراسم تشییع شرکت کردند و هفته گذشته ۱۲ نفر کشته شدند. "
            "امام جمعه تهران روز جمعه گفت دو روز پیش حمله رخ داد.")
    assert values(text, "fa", REF) == [
        ("دیروز", "2020-01-04"), ("هفته گذشته", "2019-12"), ("روز جمعه", "2020-01-03"),
        ("دو روز پیش", "2020-01-03"),
    ]
    assert [m.value for m in find_dates(text, "fa")] == [None] * 4


def test_persian_month_relative_is_jalali():
    # ماه گذشته on 2020-01-05 (15 Dey 1398) is Azar 1398 = 2019-11-22 … 2019-12-21
    [m] = find_dates("قیمت‌ها ماه گذشته افزایش یافت.", "fa", REF)
    assert (m.calendar, m.value, m.resolved) == ("jalali", "2019", True)
    # سال گذشته is the Jalali year 1397 = 2018-03-21 … 2019-03-20: no single ISO value
    [m] = find_dates("سال گذشته تورم بالا بود.", "fa", REF)
    assert (m.calendar, m.value, m.resolved, m.relative) == ("jalali", None, False, True)
    [m] = find_dates("Prices rose last month.", "en", REF)
    assert (m.calendar, m.value) == ("gregorian", "2019-12")


def test_not_relative_when_it_is_a_construct():
    assert values("منذ عام 2003 لم يحدث ذلك، وقبل يومين من الانتخابات.", "ar", REF) == []
    assert values("در ۳ سال گذشته و دی ماه گذشته", "fa", REF) == []


def test_day_month_without_year():
    text = "On 3 January, 20 people died; the funeral was held on January 7."
    assert values(text, "en") == [("3 January", None), ("January 7", None)]
    assert values(text, "en", REF) == [("3 January", "2020-01-03"), ("January 7", "2020-01-07")]
    assert values("در مراسم ۱۳ دی شرکت کردند", "fa", REF) == [("۱۳ دی", "2020-01-03")]
    # the year is the one closest to the reference
    assert values("On 28 December the talks failed.", "en", REF) == [("28 December", "2019-12-28")]


def test_arabic_year_words_and_double_month_names():
    assert values("توفي توفيق الحكيم في 26 يوليو من عام 1987، وهذا يعني", "ar") == [
        ("26 يوليو من عام 1987", "1987-07-26")]
    assert values("بعد هجمات 11 سبتمبر أيلول 2001 على نيويورك", "ar") == [
        ("11 سبتمبر أيلول 2001", "2001-09-11")]
    assert values("تزوج في 6 كانون الثاني (يناير) 1903 في برن", "ar") == [
        ("6 كانون الثاني (يناير) 1903", "1903-01-06")]
    assert values("بين 20 يوليوز و20 غشت 2019 بمراكش", "ar") == [
        ("20 يوليوز", None), ("20 غشت 2019", "2019-08-20")]


def test_day_month_that_names_an_event_is_not_a_date():
    for text, lang in (
        ("وانتقد الأسد قوى 14 آذار واتهمها بأنها منتج إسرائيلي", "ar"),
        ("بعد هجمات 11 سبتمبر تغيرت السياسة الأمريكية", "ar"),
        ("در سالگرد قیام ۱۵ خرداد سخنرانی کرد", "fa"),
        ("Since the September 11 attacks, security has tightened.", "en"),
        ("وقعت المعركة في ( 25 ذي الحجة 634 هـ )", "ar"),   # year 634 is out of range, not absent
    ):
        assert find_dates(text, lang, REF) == [], text


def test_direction_word_after_a_yearless_date():
    assert values("سيعقد الاجتماع في 14 ديسمبر المقبل", "ar", REF) == [("14 ديسمبر", "2020-12-14")]
    assert values("عقد الاجتماع في 4 يناير الماضي", "ar", REF) == [("4 يناير", "2020-01-04")]


def test_words_that_only_look_relative():
    assert values("لا يزال النازحون في أمسّ الحاجة إلى الطعام", "ar", REF) == []   # "in dire need"
    assert values("طائرة تقل عشرين فردا من الأسرة", "ar", REF) == []             # فردا: individuals
    assert values("لإحياء هذه السنة النبوية", "ar", REF) == []                    # Sunnah, not year
    assert values("آنچه طی چند ماه گذشته رخ داد", "fa", REF) == []              # the past few months
    assert values("بیش از ۲۰ میلیون نفر در روز پنجشنبه از طریق ۶ شبکه", "fa", REF) == [
        ("روز پنجشنبه", "2020-01-02")]


def test_weekday_adjacent_to_explicit_date_is_not_a_separate_mention():
    found = find_dates("Officials said on Monday, 6 January 2020, that the talks had failed.", "en", REF)
    assert [(m.text, m.value, m.relative) for m in found] == [("Monday, 6 January 2020", "2020-01-06", False)]


def test_reference_may_be_a_datetime():
    [m] = find_dates("yesterday", "en", dt.datetime(2020, 1, 5, 23, 59))
    assert m.value == "2020-01-04"


# ---------------------------------------------------------------- robustness


WORDS = st.sampled_from([
    "on", "Friday", "January", "2020", "13", "۱۳", "دی", "۱۳۹۸", "در", "يوم", "الجمعة", "أمس",
    "كانون", "الثاني", "٢٢", "/", "-", ".", ",", " ", "\u200c", "ماه", "هـ", "ago", "two", "days",
    "1441", "رمضان", "هفته", "گذشته", "last", "week", "03.01.2020", "x", "\n",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=25).map(" ".join), st.sampled_from([None, "en", "ar", "fa", "en-US"]),
       st.sampled_from([None, REF]))
def test_spans_always_round_trip_and_never_overlap(text, lang, reference):
    found = find_dates(text, lang, reference)
    previous_end = 0
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.start >= previous_end
        previous_end = m.end
        assert m.calendar in ("gregorian", "jalali", "hijri")
        assert m.resolved == (m.value is not None)
        if m.value is not None:
            assert 1900 <= int(m.value[:4]) <= 2100
            dt.date.fromisoformat(m.value) if len(m.value) == 10 else None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_does_not_crash(text):
    for m in find_dates(text, None, REF):
        assert text[m.start:m.end] == m.text
    parse_date(text)


def test_find_dates_speed_on_a_megabyte():
    chunk = ("سردار سلیمانی بامداد جمعه ۱۳ دی‌ماه ۱۳۹۸ در فرودگاه بغداد به شهادت رسید و ۱۲ نفر کشته شدند. "
             "وقال المتحدث أمس إن الهجوم وقع يوم الجمعة 3 كانون الثاني 2020. "
             "General Qassem Soleimani was killed on January 3, 2020, officials said on Saturday. ")
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    t0 = time.perf_counter()
    found = find_dates(text, None, REF)
    elapsed = time.perf_counter() - t0
    assert len(found) > 10_000
    assert elapsed < 5.0  # ≈ 0.3–0.6 s on the development machine
