"""Dates in news text, in the Gregorian, Solar Hijri (Jalali) and Lunar Hijri calendars.

Two entry points:

* :func:`parse_date` — a short string that is (or contains) one date, such as a dateline
  or a ``Date:`` field; returns the *first* explicit, fully resolvable date (so for
  "Monday, 13 January 2020 3:40 PM [ Last Update: Monday, 13 January 2020 4:16 PM ]" the
  publication date), or ``None`` when there is none or it is ambiguous.
* :func:`find_dates` — every date expression in running text, with exact character spans,
  including relative ones ("yesterday", "الجمعة الماضية", "هفته گذشته") resolved against
  a reference date (the article's date) when one is given.

How it works: the text is folded with :func:`newsgraph.text.normalize.normalize_with_offsets`
(casefold, ASCII digits, Arabic/Persian letter variants unified, ZWNJ/tatweel/tashkeel
removed), a handful of compiled regexes built from the month/weekday tables below find
candidate spans in the folded text, overlapping candidates are settled longest-first,
and each survivor is converted and validated; spans are mapped back to the original text
through the offset map, so ``text[m.start:m.end] == m.text`` always holds.
``dateparser`` is deliberately not used: its ``search_dates`` invents dates from Persian
number soup, and regexes give exact offsets far faster.

Decisions (each one errs towards returning nothing rather than a wrong date):

* **Values are Gregorian ISO**: ``YYYY-MM-DD``, or ``YYYY-MM``/``YYYY`` when only that is
  known. A Jalali or Hijri month without a day ("دی ۱۳۹۸") is given the most precise ISO
  prefix that contains the *whole* month (Farvardin 1399 → "2020"); when the month spans
  two Gregorian years (Dey 1398 = 2019-12-22 … 2020-01-20) the value is ``None``.
* **Plausible years**: Gregorian 1900–2100; Jalali and Hijri dates must convert into that
  range (Hijri also within the Umm al-Qura table, AH 1343–1500).
* **Bare years are not dates** ("سال ۱۳۹۸", "in 2020"), nor are times, nor number soup.
* **Two-digit years are never read** ("دی ماه ۹۸", "03/01/20"): "۱۳ دی ۹۸" yields only the
  day-month "۱۳ دی", whose year comes from the reference date, if any.
* **Ambiguous numeric dates** (both parts ≤ 12) are day-first — the convention of the
  Arabic, Persian, British and Commonwealth press this tool reads — except when ``lang``
  is US English (``en-US``/``en_US``), which is month-first. A part > 12 settles it.
* **Numeric years 1300–1499** are Solar Hijri only with Persian context (``lang`` fa, Persian
  digits ۰–۹ in the date, or Persian letters ی/ک/پ/چ/ژ/گ outnumbering Arabic ي/ك in the
  text) or a solar marker (ه.ش, ش); Lunar Hijri only with a lunar marker (هـ, ه.ق, ق,
  هجري); otherwise ``None`` — "1441/05/22" alone could be either.
* **Month names that are also common words** need more context: آب (water/father), مه
  (fog), می, ماي, تیر (bullet), مهر (seal), رجب and شعبان (given names) need a year
  unless followed by "ماه"; صفر (zero) and the Afghan solar names (حمل, اسد, میزان …)
  need day *and* year; English "May"/"March"/"Mar" must be capitalised in the source.
* **Day-month without a year** ("13 January", "۱۳ دی") and all relative expressions have
  ``relative=True``: their value depends on the reference. With a reference the year is
  the one that puts the date closest to it (or the next/previous one when المقبل/الماضي,
  آینده/گذشته, next/last follows; the reference's own year for الجاري); without one
  ``value=None, resolved=False``. A day-month followed by a 3–4 digit number is not
  yearless (it has an out-of-range year, "25 ذي الحجة 634 هـ") and yields nothing; one
  that names an event, movement or place ("قوى 14 آذار", "هجمات 11 سبتمبر",
  "قیام ۱۵ خرداد", "September 11 attacks") yields nothing.
* **Connecting words** are part of the date: "13th of January", "27 من صفر",
  "26 يوليو من عام 1987", "سنة2006"; so are double month names, "3 كانون الثاني/يناير
  2020", "11 سبتمبر أيلول 2001", "6 كانون الثاني (يناير) 1903" (they must agree).
* **Relative weekdays**: "on Friday", "يوم الجمعة", "روز جمعه", "Friday night" → the most
  recent Friday on or before the reference (news prose reports the past); "last Friday",
  "الجمعة الماضية", "جمعه گذشته" → strictly before; "next Friday", "الجمعة المقبلة" →
  strictly after. Bare Arabic weekdays ("وقال الرئيس الخميس") count, except الأحد and
  الاثنين (also "the one", "the two") and after صلاة/خطبة/إمام/ليلة (Friday prayer, the
  eve of a day). Bare English and Persian weekdays do not count, except after a
  reporting verb ("said Friday"). Arabic "اليوم" (also "the day") is not read as today.
  Arabic relative patterns are not run on Persian text and Persian ones not on Arabic
  text (Arabic فردا "individual" vs Persian فردا "tomorrow"; "أمسّ الحاجة" is "in dire
  need", not yesterday).
* **Weeks** are given the precision of Saturday … Sunday around the ISO week (covering
  Saturday-, Sunday- and Monday-start weeks); Persian "ماه/سال گذشته" are Jalali months
  and years, Arabic and English ones Gregorian.
* Hijri conversion uses Umm al-Qura (hijridate); dates announced by moon sighting in other
  countries may differ by a day — a known limit.

Speed (development machine, CPython 3.11): ``find_dates`` ≈ 0.3 s per MB of mixed
en/ar/fa news text (the full regexes only scan windows around digits and around
relative-expression keywords); ``parse_date`` ≈ 30–130 µs per dateline.

Known limits: ordinal day words ("الأول من أكتوبر", "اول اکتبر", "the first of May") are
not read (the month-year part is, when a year follows); nor are dates before 1900, week
numbers, ranges as ranges ("3–5 January 2020" gives only its last day or its month), seasons, times, or Hijri
dates outside Umm al-Qura's AH 1343–1500.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import re
from dataclasses import dataclass
from typing import Callable

import jdatetime
from hijridate import Gregorian, Hijri

from newsgraph.text.normalize import normalize_for_search, normalize_with_offsets, source_span

__all__ = ["DateMention", "parse_date", "find_dates"]


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets into the text passed in
    end: int
    text: str  # text[start:end]
    value: str | None  # ISO YYYY-MM-DD / YYYY-MM / YYYY (Gregorian); None when unresolved
    calendar: str  # "gregorian" | "jalali" | "hijri"
    resolved: bool = True  # False when no value could be given (e.g. relative, no reference)
    relative: bool = False  # True when the value depends on the reference date


GREGORIAN, JALALI, HIJRI = "gregorian", "jalali", "hijri"
MIN_YEAR, MAX_YEAR = 1900, 2100

# ------------------------------------------------------------------ month tables
# Spellings as printed; they are folded with normalize_for_search when the regexes are
# built, so hamza/yeh/kaf/teh-marbuta variants need not be listed.

# English: full names and the common abbreviations (AP/Reuters style, RFC 2822 headers).
ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Arabic, Egypt/Gulf/Sudan/Libya usage (from the Latin names), as in Al-Ahram, Al-Riyadh.
ARABIC_MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
}
# Arabic, Levant and Iraq (Syriac-derived), as in Al-Akhbar, SANA, WAFA, Al-Sumaria.
LEVANTINE_MONTHS = {
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين أول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الأول": 12, "كانون أول": 12,
}
# Arabic, Algeria/Tunisia (French-derived), as in El Khabar, APS; and Morocco (Hespress).
MAGHREBI_MONTHS = {
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
    "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
}
# Persian names of Gregorian months (IRNA, BBC Persian), with colloquial جولای/آگوست/می.
PERSIAN_GREGORIAN_MONTHS = {
    "ژانویه": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "مه": 5, "می": 5, "ژوئن": 6,
    "ژوئیه": 7, "جولای": 7, "اوت": 8, "آگوست": 8, "سپتامبر": 9, "اکتبر": 10,
    "نوامبر": 11, "دسامبر": 12,
}
# Solar Hijri (Iran), and the zodiac names used for the same months in Afghanistan.
JALALI_MONTHS = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "شهریور": 6,
    "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}
AFGHAN_JALALI_MONTHS = {
    "حمل": 1, "ثور": 2, "جوزا": 3, "سرطان": 4, "اسد": 5, "سنبله": 6, "میزان": 7,
    "عقرب": 8, "قوس": 9, "جدی": 10, "دلو": 11, "حوت": 12,
}
# Lunar Hijri, Arabic and Persian spellings, with the customary epithets.
HIJRI_MONTHS = {
    "محرم": 1, "محرم الحرام": 1, "صفر": 2, "صفر المظفر": 2, "صفر الخير": 2,
    "ربيع الأول": 3, "ربيع أول": 3, "ربيع الثاني": 4, "ربيع ثاني": 4, "ربيع الآخر": 4,
    "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى أول": 5, "جمادى الأولي": 5,
    "جمادى الآخرة": 6, "جمادى الثانية": 6, "جمادى الثاني": 6, "جمادى الآخر": 6,
    "جمادى ثاني": 6, "رجب": 7, "رجب المرجب": 7, "شعبان": 8, "شعبان المعظم": 8,
    "رمضان": 9, "رمضان المبارك": 9, "شوال": 10, "شوال المكرم": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذیقعده": 11, "ذو الحجة": 12, "ذي الحجة": 12,
    "ذیحجه": 12,
}
# How much context a month name needs: 0 any; 1 a year (or "ماه" after it); 2 day and year.
NEEDS_YEAR, NEEDS_DAY_AND_YEAR = 1, 2
AMBIGUOUS_MONTHS = {
    "آب": NEEDS_YEAR, "مه": NEEDS_YEAR, "می": NEEDS_YEAR, "ماي": NEEDS_YEAR,
    "تیر": NEEDS_YEAR, "مهر": NEEDS_YEAR, "رجب": NEEDS_YEAR,
    "شعبان": NEEDS_YEAR, "صفر": NEEDS_DAY_AND_YEAR,
    **{name: NEEDS_DAY_AND_YEAR for name in AFGHAN_JALALI_MONTHS},
}
CAPITALISED_ONLY = {"may", "march", "mar"}  # English month names that are also words

# Weekdays, Monday = 0 as in datetime.
ENGLISH_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
ENGLISH_WEEKDAY_ABBR = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}
ARABIC_WEEKDAYS = {
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4,
    "السبت": 5, "الأحد": 6,
}
ARABIC_BARE_WEEKDAYS = {"الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
PERSIAN_WEEKDAYS = {
    "دوشنبه": 0, "سه شنبه": 1, "چهارشنبه": 2, "چهار شنبه": 2, "پنجشنبه": 3,
    "پنج شنبه": 3, "جمعه": 4, "شنبه": 5, "یکشنبه": 6, "یک شنبه": 6,
}

# Calendar-year markers after a year (none ends in "." — that is usually the full stop).
YEAR_MARKERS = {
    "م": GREGORIAN, "ميلادي": GREGORIAN, "ميلادية": GREGORIAN,
    "للميلاد": GREGORIAN, "میلادی": GREGORIAN,
    "هـ": HIJRI, "ه": HIJRI, "ه.ق": HIJRI, "هـ.ق": HIJRI, "ه ق": HIJRI,
    "ق": HIJRI, "هجري": HIJRI, "هجرية": HIJRI, "للهجرة": HIJRI, "قمری": HIJRI,
    "هجری قمری": HIJRI,
    "ه.ش": JALALI, "هـ.ش": JALALI, "ه ش": JALALI, "ش": JALALI,
    "شمسی": JALALI, "هجری شمسی": JALALI, "خورشیدی": JALALI,
}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "ثلاثة": 3, "أربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7, "ثمانية": 8, "تسعة": 9,
    "عشرة": 10,
    "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8,
    "نه": 9, "ده": 10,
}


def _key(name: str) -> str:
    """Lookup key of a (folded) name: folded, without spaces."""
    return "".join(normalize_for_search(name).split())


def _alternation(names) -> str:
    """Regex alternation of folded names, longest first, spaces matching any (or no) space."""
    folded = {normalize_for_search(n).strip() for n in names}
    parts = [r"\s*".join(re.escape(w) for w in f.split()) for f in folded]
    return "|".join(sorted(parts, key=len, reverse=True))


@dataclass(frozen=True)
class _Month:
    calendar: str
    number: int
    needs: int = 0
    english: bool = False


def _month_table() -> dict[str, _Month]:
    table: dict[str, _Month] = {}
    sources = (
        (ENGLISH_MONTHS, GREGORIAN, True), (ARABIC_MONTHS, GREGORIAN, False),
        (LEVANTINE_MONTHS, GREGORIAN, False), (MAGHREBI_MONTHS, GREGORIAN, False),
        (PERSIAN_GREGORIAN_MONTHS, GREGORIAN, False), (JALALI_MONTHS, JALALI, False),
        (AFGHAN_JALALI_MONTHS, JALALI, False), (HIJRI_MONTHS, HIJRI, False),
    )
    needs = {_key(k): v for k, v in AMBIGUOUS_MONTHS.items()}
    for names, calendar, english in sources:
        for name, number in names.items():
            key = _key(name)
            month = _Month(calendar, number, needs.get(key, 0), english)
            if table.setdefault(key, month) != month:
                raise AssertionError(f"month name {name!r} has two meanings")
    return table


MONTHS = _month_table()
WEEKDAYS = {_key(k): v for table in (ENGLISH_WEEKDAYS, ENGLISH_WEEKDAY_ABBR, ARABIC_WEEKDAYS,
                                     PERSIAN_WEEKDAYS) for k, v in table.items()}
MARKERS = {normalize_for_search(k): v for k, v in YEAR_MARKERS.items()}
NUMBERS = {_key(k): v for k, v in NUMBER_WORDS.items()}

# ------------------------------------------------------------------ regexes (on folded text)

def _f(pattern: str) -> str:
    """Fold the Arabic/Persian words of a regex written in natural spelling (ASCII syntax kept)."""
    return re.sub(r"[^\x00-\x7f]+", lambda m: normalize_for_search(m.group()), pattern)


_MONTH_ALT = _alternation([name for table in (
    ENGLISH_MONTHS, ARABIC_MONTHS, LEVANTINE_MONTHS, MAGHREBI_MONTHS, PERSIAN_GREGORIAN_MONTHS,
    JALALI_MONTHS, AFGHAN_JALALI_MONTHS, HIJRI_MONTHS) for name in table])
_WD_ALT = _alternation([*ENGLISH_WEEKDAYS, *ENGLISH_WEEKDAY_ABBR, *ARABIC_WEEKDAYS, *PERSIAN_WEEKDAYS])
_MARKER_ALT = _alternation(YEAR_MARKERS)
_MAH = normalize_for_search("ماه")

MONTH = rf"(?P<mon>{_MONTH_ALT})(?:(?<=[a-z])\.(?=\s*\d))?(?P<mah>\s*{_MAH})?(?!\w)"
MONTH2 = rf"(?:\s*[/(]?\s*(?P<mon2>{_MONTH_ALT})(?!\w)(?:\s*\))?)?"  # يناير/كانون الثاني, سبتمبر (أيلول)
WEEKDAY = rf"(?:(?<!\w)(?P<wd>{_WD_ALT})\.?\s*[,،\-]?\s*)?"
DAY = r"(?<![\d.,:/\-])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?P<y>\d{4})(?!\d)"
MARKER = rf"(?:\s*(?P<mk>{_MARKER_ALT})(?!\w))?"
SEP = r"\s*[\-/.,،]?\s*"

OF = _f(r"\s*(?:(?:of|من)\s+)?")  # "13th of January", "27 من صفر"
YEAR_WORD = _f(r"(?:(?:من\s+)?(?:عام|العام|سنة|سال|of)\s*)?")  # "26 يوليو من عام 1987", "سنة2006"
NO_YEAR = r"(?!" + SEP + YEAR_WORD + r"\d{3,4}(?!\d))"  # "25 ذي الحجة 634 هـ" is no yearless date

_PATTERNS = {
    "dmy": WEEKDAY + DAY + OF + SEP + MONTH + MONTH2 + SEP + YEAR_WORD + YEAR + MARKER,
    "mdy": WEEKDAY + r"(?<!\w)" + MONTH + r"\s*" + DAY + r"\s*,?\s*" + YEAR + MARKER,
    "my": r"(?<![\w.])" + MONTH + MONTH2 + SEP + YEAR_WORD + YEAR + MARKER,
    "dm": WEEKDAY + DAY + OF + SEP + MONTH + MONTH2 + NO_YEAR,
    "md": WEEKDAY + r"(?<!\w)" + MONTH + r"\s*" + DAY + r"(?![:.]\d)" + NO_YEAR,
    "ymd": WEEKDAY + r"(?<![\d.,:/\-])(?P<y>\d{4})(?P<s>[\-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
           r"(?!\d|[\-/.]\d)" + MARKER,
    "dmy_num": WEEKDAY + r"(?<![\d.,:/\-])(?P<a>\d{1,2})(?P<s>[\-/.])(?P<b>\d{1,2})(?P=s)"
               r"(?P<y>\d{4})(?!\d|[\-/.:]\d)" + MARKER,
}
EXPLICIT = {name: re.compile(p) for name, p in _PATTERNS.items()}


_EN_WD = _alternation(ENGLISH_WEEKDAYS)
_AR_WD = _alternation(ARABIC_WEEKDAYS)
_AR_BARE_WD = _alternation(ARABIC_BARE_WEEKDAYS)
_FA_WD = _alternation(PERSIAN_WEEKDAYS)
_EN_NUM = r"\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_AR_NUM = r"\d{1,3}|" + _alternation(["ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"])
_FA_NUM = r"\d{1,3}|" + _alternation(["یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده"])
_AR_PAST = _alternation(["الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة"])
_AR_NEXT = _alternation(["المقبل", "المقبلة", "القادم", "القادمة"])
_AR_THIS = _alternation(["الجاري", "الجارية", "الحالي", "الحالية"])
_AR_PART = _alternation(["مساء", "صباح", "فجر", "ظهر", "عصر", "ظهيرة"])
_FA_PART = _alternation(["صبح", "عصر", "ظهر", "بامداد", "بعدازظهر", "غروب"])

# Relative expressions: (language, kind, regex). The span is group "span" when present, else
# the match. Arabic patterns are not run on Persian text nor Persian ones on Arabic text
# (Arabic فردا is "individual", Persian فردا "tomorrow").
RELATIVE = [(lang, kind, re.compile(p)) for lang, kind, p in [
    # English
    ("en", "day", r"(?<!\w)(?P<w>the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow"
            r"|last\s+night|this\s+(?:morning|afternoon|evening))(?!\w)"),
    ("en", "ago", rf"(?<!\w)(?P<n>{_EN_NUM})\s+(?P<u>day|week|month|year)s?\s+ago(?!\w)"),
    ("en", "period", r"(?<!\w)(?P<dir>last|next|this|earlier\s+this|later\s+this)\s+(?P<u>week|month|year)(?!\w)"),
    ("en", "weekday", rf"(?<!\w)(?P<dir>on|last|next|since|until|by|from|early|late)\s+(?P<wd>{_EN_WD})(?!\w)"),
    ("en", "weekday", rf"(?<!\w)(?P<wd>{_EN_WD})(?:\s+(?:morning|afternoon|evening|night)|'s)(?!\w)"),
    ("en", "weekday", rf"(?<!\w)(?:said|says|told|announced|added|reported|warned|stated|confirmed"
                rf"|denied|claimed)\s+(?P<span>(?P<wd>{_EN_WD}))(?!\w)"),
    # Arabic
    ("ar", "day", _f(r"(?<!\w)(?:(?:يوم|مساء|صباح|ليلة|فجر|ظهر)\s+)?(?P<w>أول\s+أمس|أمس\s+الأول|بالأمس|الأمس|أمس"
               r"|البارحة|غدا|بعد\s+غد|الليلة\s+الماضية)(?!\w)(?!\s+(?:ال)?حاج)")),  # not أمسّ الحاجة, "in dire need"
    ("ar", "ago", _f(rf"(?<!\w)(?:منذ|قبل)\s+(?:(?P<n>{_AR_NUM})\s+)?(?P<u>يوما|يومين|يومان|يوم|أيام|أسبوعا|أسبوعين"
               r"|أسبوع|أسابيع|شهرا|شهرين|شهر|أشهر|شهور|عاما|عامين|عام|أعوام|سنة|سنتين|سنوات)(?!\w)"
               r"(?!\s*\d)(?!\s+من(?!\w))(?!\s+ال)")),
    ("ar", "period", _f(rf"(?<!\w)(?P<u>الأسبوع|الشهر|العام|السنة)\s+(?P<dir>{_AR_PAST}|{_AR_NEXT}|{_AR_THIS})(?!\w)")),
    ("ar", "period", _f(r"(?<!\w)(?P<dir>هذا)\s+(?P<u>الأسبوع|الشهر|العام)(?!\w)")),  # not هذه السنة, "this Sunnah"
    ("ar", "weekday", _f(rf"(?<!\w)(?:(?:{_AR_PART})\s+)?يوم\s+(?P<wd>{_AR_WD})(?:\s+(?P<dir>{_AR_PAST}|{_AR_NEXT}))?(?!\w)")),
    ("ar", "weekday", _f(rf"(?<!\w)(?:{_AR_PART})\s+(?P<wd>{_AR_WD})(?:\s+(?P<dir>{_AR_PAST}|{_AR_NEXT}))?(?!\w)")),
    ("ar", "weekday", _f(rf"(?<!\w)(?P<wd>{_AR_WD})\s+(?P<dir>{_AR_PAST}|{_AR_NEXT})(?!\w)")),
    ("ar", "bare_weekday", _f(rf"(?<!\w)(?P<wd>{_AR_BARE_WD})(?!\w)")),
    # Persian
    ("fa", "day", _f(r"(?<!\w)(?P<w>دیروز|پریروز|امروز|فردا|دیشب|امشب|روز\s+گذشته|شب\s+گذشته)(?!\w)")),
    ("fa", "ago", _f(rf"(?<!\w)(?P<n>{_FA_NUM})\s+(?P<u>روز|هفته|ماه|سال)\s+(?:پیش|قبل)(?!\w)(?!\s*از(?!\w))")),
    ("fa", "period", _f(r"(?<!\w)(?P<u>هفته|ماه|سال)\s+(?P<dir>گذشته|پیش|قبل|جاری|آینده|بعد)(?!\w)(?!\s*از(?!\w))")),
    ("fa", "period", _f(r"(?<!\w)(?P<dir>این)\s+(?P<u>هفته|ماه)(?!\w)")),
    ("fa", "period", _f(r"(?<!\w)(?P<w>امسال|پارسال)(?!\w)")),
    ("fa", "weekday", _f(rf"(?<!\w)(?:(?:{_FA_PART})\s+)?ب?روز\s+(?P<wd>{_FA_WD})(?:\s+(?P<dir>گذشته|پیش|قبل|آینده)(?!\w)(?!\s*از(?!\w)))?(?!\w)")),
    ("fa", "weekday", _f(rf"(?<!\w)(?:{_FA_PART})\s+(?P<wd>{_FA_WD})(?!\w)")),
    ("fa", "weekday", _f(rf"(?<!\w)(?P<wd>{_FA_WD})\s+(?:(?P<dir>گذشته|پیش|آینده)(?!\w)(?!\s*از(?!\w))|(?:صبح|عصر|ظهر|شب)(?!\w))")),
]]

# Every explicit date contains a digit, and every relative expression one of these words
# (folded); the full regexes only scan `margin` characters around them.
_EXPLICIT_TRIGGER = re.compile(r"\d+")
_EXPLICIT_MARGIN = 60  # > the longest weekday + month name + separators around the digits
_RELATIVE_TRIGGER = re.compile(_alternation([
    "yesterday", "today", "tonight", "tomorrow", "night", "morning", "ago", "week", "month",
    "year", *ENGLISH_WEEKDAYS, "أمس", "البارحة", "غدا", "غد", "الليلة", "منذ", "قبل", "الأسبوع",
    "الشهر", "العام", "السنة", *ARABIC_WEEKDAYS, "دیروز", "پریروز", "امروز", "فردا", "دیشب",
    "امشب", "گذشته", "پیش", "قبل", "جاری", "آینده", "بعد", "این", "امسال", "پارسال", "روز",
    *PERSIAN_WEEKDAYS]))
_RELATIVE_MARGIN = 40  # > the longest relative expression on either side of its trigger

# Words after which a bare Arabic weekday is not a date (Friday prayer, the eve of a day).
_AR_BARE_BLOCKERS = {_key(w) for w in ("صلاة", "خطبة", "إمام", "خطيب", "ليلة", "مساجد")}
_EVENT_BEFORE = {_key(w) for w in (
    "قوى", "ثورة", "هجمات", "اعتداءات", "أحداث", "حرب", "مدينة", "حركة", "تيار", "تحالف",
    "انتفاضة", "جسر", "شارع", "ميدان", "ذكرى", "مجزرة", "قیام", "انقلاب", "حماسه", "خیابان",
    "میدان", "بزرگراه", "سالگرد", "واقعه", "حادثه", "فاجعه", "حرکت", "جنبش", "پل",
)}
_EVENT_AFTER = {_key(w) for w in (
    "attacks", "attack", "revolution", "uprising", "movement", "alliance", "street", "square",
    "bridge", "anniversary", "massacre", "war", "protests",
)}
_VAGUE = {_key(w) for w in ("چند", "چندین", "طول", "ظرف")}  # "the past few months", "over the past …"
_PAST = {_key(w) for w in ("last", "الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة",
                           "گذشته", "پیش", "قبل")}
_NEXT = {_key(w) for w in ("next", "المقبل", "المقبلة", "القادم", "القادمة", "آینده", "بعد")}
_THIS = {_key(w) for w in ("this", "earlier this", "later this", "الجاري", "الجارية", "الحالي",
                           "الحالية", "هذا", "هذه", "جاری", "این")}
_UNITS = {_key(w): u for ws, u in (
    (("day", "يوما", "يومين", "يومان", "يوم", "أيام", "روز"), "day"),
    (("week", "الأسبوع", "أسبوعا", "أسبوعين", "أسبوع", "أسابيع", "هفته"), "week"),
    (("month", "الشهر", "شهرا", "شهرين", "شهر", "أشهر", "شهور", "ماه"), "month"),
    (("year", "العام", "السنة", "عاما", "عامين", "عام", "أعوام", "سنة", "سنتين", "سنوات", "سال"), "year"),
) for w in ws}
_DUALS = {_key(w) for w in ("يومين", "يومان", "أسبوعين", "شهرين", "عامين", "سنتين")}
_PLURALS = {_key(w) for w in ("أيام", "أسابيع", "أشهر", "شهور", "أعوام", "سنوات")}
_DAY_WORDS = {_key(w): n for w, n in (
    ("the day before yesterday", -2), ("yesterday", -1), ("today", 0), ("tonight", 0),
    ("tomorrow", 1), ("last night", -1), ("this morning", 0), ("this afternoon", 0),
    ("this evening", 0), ("أول أمس", -2), ("أمس الأول", -2), ("بالأمس", -1), ("الأمس", -1),
    ("أمس", -1), ("البارحة", -1), ("غدا", 1), ("بعد غد", 2), ("الليلة الماضية", -1),
    ("دیروز", -1), ("پریروز", -2), ("امروز", 0), ("فردا", 1), ("دیشب", -1), ("امشب", 0),
    ("روز گذشته", -1), ("شب گذشته", -1),
)}
_PERSIAN_LETTERS = re.compile("[یکپچژگ]")
_ARABIC_ONLY_LETTERS = re.compile("[يك]")
_PERSIAN_DIGITS = re.compile("[۰-۹]")
_ARABIC_DIGITS = re.compile("[٠-٩]")
_NUMBERISH = re.compile(r"^(?:\d+|" + "|".join(map(re.escape, NUMBERS)) + r")$")


# ------------------------------------------------------------------ context


@dataclass
class _Context:
    text: str
    norm: str
    offsets: list[int]
    lang: str | None
    reference: _dt.date | None

    def span(self, a: int, b: int) -> tuple[int, int]:
        return source_span(self.text, self.offsets, a, b)

    def source(self, a: int, b: int) -> str:
        start, end = self.span(a, b)
        return self.text[start:end]

    @property
    def month_first(self) -> bool:
        return (self.lang or "").lower().replace("_", "-") in ("en-us", "en-us-posix")

    def persian(self, a: int, b: int) -> bool:
        """Whether digits in norm[a:b] are to be read in a Persian (Solar Hijri) context."""
        source = self.source(a, b)
        if _PERSIAN_DIGITS.search(source):
            return True
        lang = (self.lang or "").lower()
        if lang.startswith(("fa", "prs", "pes")):
            return True
        if lang.startswith("ar") or _ARABIC_DIGITS.search(source):
            return False
        return self.persian_text

    @property
    def is_persian(self) -> bool:
        lang = (self.lang or "").lower()
        return lang.startswith(("fa", "prs", "pes")) or not lang.startswith("ar") and self.persian_text

    @property
    def is_arabic(self) -> bool:
        lang = (self.lang or "").lower()
        return lang.startswith("ar") or not self.is_persian and bool(_ARABIC_ONLY_LETTERS.search(self.text))

    @functools.cached_property
    def persian_text(self) -> bool:
        """Persian-only letters (ی ک پ چ ژ گ) outnumber the Arabic-only ي ك in the text."""
        persian = len(_PERSIAN_LETTERS.findall(self.text))
        return persian > 0 and persian > len(_ARABIC_ONLY_LETTERS.findall(self.text))

    def windows(self, trigger: re.Pattern[str], margin: int) -> list[tuple[int, int]]:
        """Merged stretches of norm within `margin` of a trigger match: every date
        expression contains a trigger, so the full regexes need only scan these."""
        spans: list[tuple[int, int]] = []
        n = len(self.norm)
        for m in trigger.finditer(self.norm):
            lo, hi = max(0, m.start() - margin), min(n, m.end() + margin)
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
        return spans


def _context(text: str, lang: str | None, reference) -> _Context:
    if isinstance(reference, _dt.datetime):
        reference = reference.date()
    norm, offsets = normalize_with_offsets(text)
    return _Context(text, norm, offsets, lang, reference)


# ------------------------------------------------------------------ calendar conversion


def _valid_gregorian(d: _dt.date | None) -> _dt.date | None:
    return d if d is not None and MIN_YEAR <= d.year <= MAX_YEAR else None


def gregorian_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _valid_gregorian(_dt.date(y, m, d))
    except ValueError:
        return None


def jalali_to_gregorian(y: int, m: int, d: int) -> _dt.date | None:
    if not MIN_YEAR - 622 <= y <= MAX_YEAR - 620:
        return None
    try:
        return _valid_gregorian(jdatetime.date(y, m, d).togregorian())
    except (ValueError, OverflowError):
        return None


def hijri_to_gregorian(y: int, m: int, d: int) -> _dt.date | None:
    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return _valid_gregorian(_dt.date(g.year, g.month, g.day))


# Longest possible month (leap years included), to check a day-month without a year.
MONTH_DAYS = {
    GREGORIAN: (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
    JALALI: (31,) * 6 + (30,) * 6,
    HIJRI: (30,) * 12,
}

TO_GREGORIAN: dict[str, Callable[[int, int, int], _dt.date | None]] = {
    GREGORIAN: gregorian_date, JALALI: jalali_to_gregorian, HIJRI: hijri_to_gregorian,
}


def month_period(calendar: str, y: int, m: int) -> tuple[_dt.date, _dt.date] | None:
    """First and last Gregorian day of month m of year y in the given calendar."""
    first = TO_GREGORIAN[calendar](y, m, 1)
    nxt = TO_GREGORIAN[calendar](y + m // 12, m % 12 + 1, 1)
    if first is None or nxt is None:
        return None
    return first, nxt - _dt.timedelta(days=1)


def iso_prefix(first: _dt.date, last: _dt.date) -> str | None:
    """The most precise ISO value true of every day in [first, last]."""
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    if first.year == last.year:
        return f"{first.year:04d}"
    return None


def calendar_today(calendar: str, day: _dt.date) -> tuple[int, int, int]:
    """The (year, month, day) of a Gregorian date in the given calendar."""
    if calendar == JALALI:
        j = jdatetime.date.fromgregorian(date=day)
        return j.year, j.month, j.day
    if calendar == HIJRI:
        try:
            h = Gregorian(day.year, day.month, day.day).to_hijri()
        except (ValueError, OverflowError):
            return 0, 0, 0
        return h.year, h.month, h.day
    return day.year, day.month, day.day


def nearest_year(calendar: str, m: int, d: int, reference: _dt.date, direction: str = "on") -> _dt.date | None:
    """Day d of month m in the year (of that calendar) that puts it closest to reference;
    with direction "next"/"last" the closest on or after / on or before it, with "this" the
    one in the reference's own year."""
    year = calendar_today(calendar, reference)[0]
    if direction == "this":
        return TO_GREGORIAN[calendar](year, m, d)
    candidates = [g for y in (year - 1, year, year + 1) if (g := TO_GREGORIAN[calendar](y, m, d))]
    if direction == "next":
        candidates = [g for g in candidates if g >= reference]
    elif direction == "last":
        candidates = [g for g in candidates if g <= reference]
    return min(candidates, key=lambda g: (abs((g - reference).days), g > reference), default=None)


# ------------------------------------------------------------------ explicit dates


def _month_of(m: re.Match, group: str = "mon") -> _Month | None:
    return MONTHS.get("".join(m.group(group).split())) if m.group(group) else None


def _month_ok(m: re.Match, ctx: _Context, month: _Month, has_day: bool, has_year: bool) -> bool:
    """Whether the month name has the context it needs (see AMBIGUOUS_MONTHS)."""
    needs = month.needs
    if needs == NEEDS_YEAR and m.group("mah"):
        needs = 0
    if needs >= NEEDS_YEAR and not has_year or needs == NEEDS_DAY_AND_YEAR and not has_day:
        return False
    if month.english and m.group("mon") in CAPITALISED_ONLY:
        return ctx.text[ctx.offsets[m.start("mon")]].isupper()
    return True


def _marker_ok(m: re.Match, calendar: str) -> bool:
    marker = m.groupdict().get("mk")
    return marker is None or MARKERS.get(marker) == calendar


def _named(m: re.Match, ctx: _Context, has_day: bool, has_year: bool) -> tuple[str, str | None, bool] | None:
    """(calendar, value, relative) of a date with a month name, or None when invalid."""
    month = _month_of(m)
    if month is None or not _month_ok(m, ctx, month, has_day, has_year):
        return None
    second = _month_of(m, "mon2") if "mon2" in m.re.groupindex else None
    if second is not None and (second.calendar, second.number) != (month.calendar, month.number):
        return None
    if has_year and not _marker_ok(m, month.calendar):
        return None
    cal, mon = month.calendar, month.number
    day = int(m.group("d")) if has_day else None
    if has_year:
        year = int(m.group("y"))
        if day is not None:
            g = TO_GREGORIAN[cal](year, mon, day)
            return (cal, g.isoformat(), False) if g else None
        period = month_period(cal, year, mon)
        return (cal, iso_prefix(*period), False) if period else None
    if not 1 <= day <= MONTH_DAYS[cal][mon - 1] or _names_an_event(m, ctx):
        return None
    if ctx.reference is None:
        return cal, None, True
    g = nearest_year(cal, mon, day, ctx.reference, _direction(_word_after(m, ctx)))
    return (cal, g.isoformat(), True) if g else None


def _word_before(m: re.Match, ctx: _Context) -> str:
    words = ctx.norm[max(0, m.start() - 30): m.start()].split()
    return words[-1] if words else ""


def _word_after(m: re.Match, ctx: _Context) -> str:
    words = ctx.norm[m.end(): m.end() + 30].split()
    return words[0].strip(".,،;:)") if words else ""


def _names_an_event(m: re.Match, ctx: _Context) -> bool:
    """A day-month without a year that is the name of an event, movement or place
    ("قوى 14 آذار", "هجمات 11 سبتمبر", "قیام ۱۵ خرداد", "September 11 attacks"), whose year
    is not the article's."""
    return _word_before(m, ctx) in _EVENT_BEFORE or _word_after(m, ctx) in _EVENT_AFTER


def _numeric_calendar(m: re.Match, ctx: _Context, year: int) -> str | None:
    """Which calendar a numeric date's year is in, or None when that is not certain."""
    marker = MARKERS.get(m.group("mk")) if m.group("mk") else None
    if MIN_YEAR <= year <= MAX_YEAR:
        return GREGORIAN if marker in (None, GREGORIAN) else None
    if 1300 <= year <= 1499:
        if marker in (JALALI, HIJRI):
            return marker
        if marker is None and ctx.persian(m.start("y"), m.end("y")):
            return JALALI
    return None


def _numeric(m: re.Match, ctx: _Context, day_first_parts: tuple[int, int] | None) -> tuple[str, str | None, bool] | None:
    year = int(m.group("y"))
    cal = _numeric_calendar(m, ctx, year)
    if cal is None:
        return None
    if day_first_parts is None:  # year-first
        mon, day = int(m.group("m")), int(m.group("d"))
    else:
        a, b = day_first_parts
        if a > 12 and b > 12:
            return None
        month_first = b > 12 or (a <= 12 and ctx.month_first and cal == GREGORIAN)
        day, mon = (b, a) if month_first else (a, b)
    g = TO_GREGORIAN[cal](year, mon, day)
    return (cal, g.isoformat(), False) if g else None


def _explicit_value(kind: str, m: re.Match, ctx: _Context):
    if kind == "dmy":
        return _named(m, ctx, True, True)
    if kind in ("mdy", "md"):
        month = _month_of(m)
        if month is None or not month.english:
            return None
        return _named(m, ctx, True, kind == "mdy")
    if kind == "my":
        return _named(m, ctx, False, True)
    if kind == "dm":
        return _named(m, ctx, True, False)
    if kind == "ymd":
        return _numeric(m, ctx, None)
    if kind == "dmy_num":
        return _numeric(m, ctx, (int(m.group("a")), int(m.group("b"))))
    raise ValueError(kind)


# ------------------------------------------------------------------ relative dates


def _weekday_date(reference: _dt.date, weekday: int, direction: str) -> _dt.date:
    if direction == "last":
        return reference - _dt.timedelta(days=(reference.weekday() - weekday) % 7 or 7)
    if direction == "next":
        return reference + _dt.timedelta(days=(weekday - reference.weekday()) % 7 or 7)
    return reference - _dt.timedelta(days=(reference.weekday() - weekday) % 7)


def _direction(word: str | None) -> str:
    key = _key(word) if word else ""
    if key in _PAST:
        return "last"
    if key in _NEXT:
        return "next"
    if key in _THIS:
        return "this"
    return "on"


def _shift_period(unit: str, back: int, reference: _dt.date, calendar: str) -> str | None:
    """ISO value of the week/month/year `back` units before (negative: after) the reference."""
    if unit == "day":
        return (reference - _dt.timedelta(days=back)).isoformat()
    if unit == "week":
        d = reference - _dt.timedelta(days=7 * back)
        monday = d - _dt.timedelta(days=d.weekday())
        return iso_prefix(monday - _dt.timedelta(days=2), monday + _dt.timedelta(days=6))
    y, mo, _ = calendar_today(calendar, reference)
    if unit == "month":
        index = y * 12 + mo - 1 - back
        period = month_period(calendar, index // 12, index % 12 + 1)
    else:
        first = TO_GREGORIAN[calendar](y - back, 1, 1)
        nxt = TO_GREGORIAN[calendar](y - back + 1, 1, 1)
        period = (first, nxt - _dt.timedelta(days=1)) if first and nxt else None
    return iso_prefix(*period) if period else None


def _relative_value(kind: str, m: re.Match, ctx: _Context) -> tuple[str, str | None, bool] | None:
    """(calendar, value, relative=True) of a relative expression; value None without reference."""
    groups = m.groupdict()
    ref = ctx.reference
    persian = bool(re.search("[\u0600-\u06ff]", m.group())) and ctx.persian(m.start(), m.end())
    calendar = GREGORIAN
    if kind == "day":
        back = -_DAY_WORDS[_key(groups["w"])]
        unit = "day"
    elif kind == "ago":
        unit = _UNITS[_key(groups["u"])]
        n = groups.get("n")
        if n is not None:
            back = int(n) if n.isdigit() else NUMBERS.get(_key(n), 0)
        elif _key(groups["u"]) in _PLURALS:
            return None  # "منذ أيام", days ago — how many is not said
        else:
            back = 2 if _key(groups["u"]) in _DUALS else 1
        if not 0 < back <= 100:
            return None
    elif kind == "period":
        if groups.get("w"):  # امسال / پارسال
            unit, back = "year", (0 if _key(groups["w"]) == _key("امسال") else 1)
        else:
            unit = _UNITS[_key(groups["u"])]
            back = {"last": 1, "next": -1}.get(_direction(groups["dir"]), 0)
        if persian and unit in ("month", "year"):
            calendar = JALALI
    else:  # weekday / bare_weekday
        weekday = WEEKDAYS[_key(groups["wd"])]
        if ref is None:
            return calendar, None, True
        direction = _direction(groups.get("dir"))
        return calendar, _weekday_date(ref, weekday, "on" if direction == "this" else direction).isoformat(), True
    if ref is None:
        return calendar, None, True
    return calendar, _shift_period(unit, back, ref, calendar), True


def _relative_allowed(kind: str, m: re.Match, ctx: _Context) -> bool:
    """Context checks regexes cannot express (fixed-width lookbehind)."""
    before = ctx.norm[max(0, m.start() - 30): m.start()].split()
    previous = before[-1] if before else ""
    if kind == "bare_weekday":
        return previous not in _AR_BARE_BLOCKERS
    unit = m.groupdict().get("u")
    if kind == "period" and unit is not None and not unit.startswith("ال"):
        # Persian "دی ماه گذشته" (last Dey) and "۳ سال گذشته" (the past three years)
        if _key(unit) in (_key("ماه"), _key("سال"), _key("هفته")):
            return previous not in MONTHS and previous not in _VAGUE and not _NUMBERISH.match(previous)
    return True


# ------------------------------------------------------------------ selection


@dataclass(frozen=True)
class _Candidate:
    a: int
    b: int
    rank: int  # lower wins ties: explicit before relative
    build: Callable[[], DateMention | None]


def _candidates(ctx: _Context, relative: bool) -> list[_Candidate]:
    found: list[_Candidate] = []
    for lo, hi in ctx.windows(_EXPLICIT_TRIGGER, _EXPLICIT_MARGIN):
        for rank, (kind, rx) in enumerate(EXPLICIT.items()):
            for m in rx.finditer(ctx.norm, lo, hi):
                found.append(_Candidate(m.start(), m.end(), rank,
                                        lambda m=m, kind=kind: _mention(ctx, m, m.span(), _explicit_value(kind, m, ctx))))
    if not relative:
        return found
    skip = "ar" if ctx.is_persian else "fa" if ctx.is_arabic else None
    patterns = [(rank, kind, rx) for rank, (lang, kind, rx) in enumerate(RELATIVE, start=len(EXPLICIT))
                if lang != skip]
    for lo, hi in ctx.windows(_RELATIVE_TRIGGER, _RELATIVE_MARGIN):
        for rank, kind, rx in patterns:
            for m in rx.finditer(ctx.norm, lo, hi):
                if not _relative_allowed(kind, m, ctx):
                    continue
                span = m.span("span") if "span" in rx.groupindex else m.span()
                found.append(_Candidate(span[0], span[1], rank,
                                        lambda m=m, kind=kind, span=span: _mention(ctx, m, span, _relative_value(kind, m, ctx))))
    return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (ties: lower rank, then earlier)."""
    starts: list[int] = []  # sorted starts of the taken spans
    ends: list[int] = []  # their ends, in the same order (taken spans never overlap)
    taken: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.a - c.b, c.rank, c.a)):
        if c.b <= c.a:
            continue
        i = bisect.bisect_right(starts, c.a)
        if (i > 0 and ends[i - 1] > c.a) or (i < len(starts) and starts[i] < c.b):
            continue
        starts.insert(i, c.a)
        ends.insert(i, c.b)
        taken.append(c)
    return sorted(taken, key=lambda c: c.a)


def _mention(ctx: _Context, m: re.Match, span: tuple[int, int], found) -> DateMention | None:
    if found is None:
        return None
    calendar, value, relative = found
    start, end = ctx.span(*span)
    return DateMention(start, end, ctx.text[start:end], value, calendar,
                       resolved=value is not None, relative=relative)


# ------------------------------------------------------------------ public API


def find_dates(text: str, lang: str | None = None, reference: _dt.date | None = None) -> list[DateMention]:
    """Every date expression in ``text``, in order, with exact spans and ISO values.

    ``lang`` (e.g. "en", "en-US", "ar", "fa") steers the ambiguous cases: month-first
    numeric dates for US English, Solar Hijri for numeric 13xx/14xx years in Persian.
    ``reference`` (the article's date) anchors relative expressions and day-month dates
    without a year; without it they come back with ``value=None, resolved=False``."""
    if not text or not any(ch.isalnum() for ch in text):
        return []
    ctx = _context(text, lang, reference)
    mentions = (c.build() for c in _select(_candidates(ctx, relative=True)))
    return [m for m in mentions if m is not None]


def parse_date(text: str, lang: str | None = None) -> DateMention | None:
    """The first explicit, fully resolvable date in a short string (a dateline, a ``Date:``
    field, a metadata value such as "2020-01-13T15:40:00Z"), or ``None`` when there is none
    or it cannot be resolved without guessing."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    ctx = _context(text, lang, None)
    for candidate in _select(_candidates(ctx, relative=False)):
        mention = candidate.build()
        if mention is not None and mention.value is not None and not mention.relative:
            return mention
    return None
