"""newsgraph.text.normalize: folding for search, the offset map, digit folding."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.text.normalize import fold_digits, normalize_for_search, normalize_with_offsets, source_span

N = normalize_for_search


# ---------------------------------------------------------------- equalities the brief requires


def test_persian_zwnj_and_without_normalise_identically():
    assert N("می‌کرد") == N("میکرد")
    sentence_zwnj = "حاج قاسم همیشه ما را دعوت به برقراری ارتباط با تمام اعراب می‌کرد"
    sentence_plain = "حاج قاسم همیشه ما را دعوت به برقراری ارتباط با تمام اعراب میکرد"
    assert N(sentence_zwnj) == N(sentence_plain)


def test_arabic_and_persian_spellings_of_a_name_match():
    assert N("قاسم سليماني") == N("قاسم سلیمانی")
    assert N("الحاج قاسم سليماني") in N("قال إن الحاج قاسم سلیمانی كان قائداً")


@pytest.mark.parametrize("variant, base", [
    ("كتاب", "کتاب"),            # kaf / keheh
    ("مستشفى", "مستشفي"),        # alef maksura
    ("مدرسة", "مدرسه"),          # teh marbuta
    ("خانۀ", "خانه"),            # heh with yeh above
    ("خانهٔ", "خانه"),           # heh + combining hamza above
    ("أحمد", "احمد"), ("إبراهيم", "ابراهيم"), ("آذر", "اذر"), ("ٱلله", "الله"),
    ("مؤتمر", "موتمر"), ("رئيس", "رييس"),
])
def test_arabic_letter_variants_unified(variant, base):
    assert N(variant) == N(base)


def test_hamza_on_its_own_is_kept():
    assert N("سماء").endswith("ء")
    assert N("سماء") != N("سما")


def test_tatweel_and_tashkeel_removed():
    assert N("مُحَمَّدٌ") == N("محمد") == "محمد"
    assert N("الـعـربـيـة") == N("العربية")
    assert N("إِنَّ ٱللَّهَ") == N("ان الله")
    assert N("قُرْآنٌ") == N("قران")


def test_arabic_presentation_forms_folded():
    assert N("ﻻ") == "لا"
    assert N("ﷲ") == "الله"
    assert N("ﺍﻟﻌﺮﺑﻴﺔ") == N("العربية")   # isolated/final/medial forms of العربية


def test_invisible_characters_removed():
    assert N("\u202bإيران\u202c") == N("إيران")
    assert N("\ufeffTehran") == "tehran"
    assert N("co\u00adoperate") == "cooperate"
    assert N("a\u200eb\u200fc\u2066d\u2069e\u200bf\u2060g") == "abcdefg"
    assert N("\u061cالعراق") == N("العراق")


def test_all_spaces_become_ascii_space():
    for space in "\u00a0\u2009\u202f\u2007\u2002\u3000\u205f":
        assert N(f"Gaza{space}Strip") == "gaza strip"


def test_latin_casefold_and_diacritics():
    assert N("Perinçek") == "perincek"
    assert N("Erdoğan") == N("ERDOGAN") == "erdogan"
    assert N("Straße") == N("STRASSE")
    assert N("Ḥizbullāh") == "hizbullah"
    assert N("Qurʾān") == "quran"
    assert N("Łódź") == "lodz"
    # NFD input folds like NFC input
    assert N(unicodedata.normalize("NFD", "Perinçek Ñíguez")) == N("Perinçek Ñíguez")


def test_apostrophes_and_nonbreaking_hyphen():
    assert N("Soleimani’s") == N("Soleimani's")
    assert N("al\u2011Batsh") == N("al-Batsh")


def test_digits_folded_in_search_form():
    assert N("۱۳ دی ۱۳۹۸") == "13 دي 1398"
    assert N("٢٢ يناير ٢٠٢٠") == "22 يناير 2020"
    assert N("۳٫۵") == "3.5"


def test_non_latin_scripts_keep_their_letters():
    assert N("नमस्ते") == "नमस्ते"                 # Devanagari vowel signs are not diacritics
    assert N("한국어") == "한국어"
    assert N("שָׁלוֹם") == "שלום"                  # Hebrew points, like tashkeel, go


def test_control_characters_and_lines_survive():
    assert N("one\ntwo\tthree") == "one\ntwo\tthree"
    assert N("a\u2028b") == "a\nb"


# ---------------------------------------------------------------- fold_digits


def test_fold_digits():
    assert fold_digits("۱۳۹۸/۱۰/۱۳") == "1398/10/13"
    assert fold_digits("٢٢ جمادى الأولى ١٤٤١") == "22 جمادى الأولى 1441"
    assert fold_digits("२०२०") == "2020"
    text = "کشته شدن ۱۲ نفر در ٣ حادثه و 5 زخمی"
    assert len(fold_digits(text)) == len(text)
    assert fold_digits("no digits here") == "no digits here"
    assert fold_digits("²") == "²"  # not a decimal digit


# ---------------------------------------------------------------- offsets


def test_offsets_simple_identity():
    norm, offsets = normalize_with_offsets("Gaza")
    assert norm == "gaza" and offsets == [0, 1, 2, 3, 4]


def test_offsets_skip_removed_and_repeat_expanded():
    text = "مُحَمَّد"
    norm, offsets = normalize_with_offsets(text)
    assert norm == "محمد"
    assert [text[i] for i in offsets[:-1]] == list("محمد")
    assert offsets[-1] == len(text)

    norm, offsets = normalize_with_offsets("Straße")
    assert norm == "strasse"
    assert offsets == [0, 1, 2, 3, 4, 4, 5, 6]


def test_match_maps_back_to_display_text():
    text = "اعلن الرئيسُ العراقيُّ أنَّ قاسم سلیمانی قُتل"
    norm, offsets = normalize_with_offsets(text)
    a = norm.index(N("قاسم سليماني"))
    b = a + len(N("قاسم سليماني"))
    start, end = source_span(text, offsets, a, b)
    assert text[start:end] == "قاسم سلیمانی"
    # the simple next-char rule gives the same here
    assert text[offsets[a]:offsets[b]].strip() == "قاسم سلیمانی"


def test_source_span_keeps_tashkeel_but_not_zwnj():
    text = "محمدٌ\u200c"
    norm, offsets = normalize_with_offsets(text)
    assert source_span(text, offsets, 0, len(norm)) == (0, 5)  # the tanween, not the ZWNJ
    text = "Straße"
    norm, offsets = normalize_with_offsets(text)
    assert text[slice(*source_span(text, offsets, 0, 5))] == "Straß"  # match ends inside ß


def test_persian_search_through_offsets():
    text = "حاج قاسم همیشه ... دعوت می‌کرد و این را وظیفه همه می‌دانست"
    norm, offsets = normalize_with_offsets(text)
    a = norm.index(N("میکرد"))
    start, end = source_span(text, offsets, a, a + len(N("میکرد")))
    assert text[start:end] == "می‌کرد"


MIXED = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(
            "قاسم سلیمانی سليماني مُحَمَّدٌ أإآٱؤئءةۀـ\u200c\u200d\u200e\u200f\u202a\u202b\u202c"
            "\u2066\u2069\ufeff\u00ad\u00a0\u2009\u202f۰۱۲۳٤٥٦٧٨٩ﻻﷲﺍﻟﻌﺮﺑﻴﺔ Perinçek Straße İı "
            "ﬁ½…’ \n\t"
        )),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(MIXED)
def test_offset_map_properties(text):
    norm, offsets = normalize_with_offsets(text)
    assert norm == normalize_for_search(text)
    assert len(offsets) == len(norm) + 1
    assert offsets[-1] == len(text)
    assert all(x <= y for x, y in zip(offsets, offsets[1:]))
    assert all(0 <= x < len(text) for x in offsets[:-1])
    # every normalised character derives from text[offsets[i]]: the characters produced by
    # one source character are exactly that character's normal form
    i = 0
    while i < len(norm):
        j = i
        while j < len(norm) and offsets[j] == offsets[i]:
            j += 1
        assert norm[i:j] == normalize_for_search(text[offsets[i]])
        i = j
    # and the characters skipped between them normalise to nothing
    kept = set(offsets[:-1])
    assert all(normalize_for_search(ch) == "" for k, ch in enumerate(text) if k not in kept)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_normalisation_is_idempotent_and_concatenative(text):
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once
    half = len(text) // 2
    assert normalize_for_search(text[:half]) + normalize_for_search(text[half:]) == once


@settings(max_examples=200, deadline=None)
@given(MIXED, st.data())
def test_source_span_is_inside_text(text, data):
    norm, offsets = normalize_with_offsets(text)
    a = data.draw(st.integers(0, len(norm)))
    b = data.draw(st.integers(a, len(norm)))
    start, end = source_span(text, offsets, a, b)
    assert 0 <= start <= end <= len(text)
    if b > a:
        assert normalize_for_search(text[start:end]) == norm[a:b] or norm[a:b] in normalize_for_search(text[start:end])


def test_speed_on_a_megabyte():
    chunk = ("سردار سلیمانی بامداد جمعه ۱۳ دی‌ماه ۱۳۹۸ در فرودگاه بغداد به شهادت رسید. "
             "وقال المتحدثُ أمسِ إنّ الهجومَ وقع يوم الجمعة. "
             "General Qassem Soleimani was killed on January 3, 2020, at Baghdad airport. ")
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    normalize_with_offsets(text)  # warm the lazy tables
    t0 = time.perf_counter()
    norm, offsets = normalize_with_offsets(text)
    elapsed = time.perf_counter() - t0
    assert len(offsets) == len(norm) + 1
    assert elapsed < 2.0  # ≈ 0.06–0.09 s on the development machine
