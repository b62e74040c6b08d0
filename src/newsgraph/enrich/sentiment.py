"""Sentence polarity for stance: VADER for English, small hand-written lexicons for Arabic and Persian.

English uses vaderSentiment's ``compound`` score (Hutto & Gilbert 2014; lexicon shipped in the package).
No maintained Arabic or Persian sentiment package works offline without downloading weights, so
newsgraph has its own lexicons (:data:`AR_POSITIVE` …): about a hundred words a side of the evaluative
vocabulary of political news (victory, dignity, peace / crime, aggression, betrayal), written in the
folded form of :func:`newsgraph.text.normalize.normalize_for_search` and matched after stripping common
clitics (Arabic و ف ب ل ك ال, plural and pronoun suffixes; Persian ها/های/ی/ان suffixes). A negator
just before (لا لم لن ليس غير / نه) or a negative verb just after (نیست، نبود، نکرد…) flips a word. The
sum ``x`` of +1/−1 hits becomes a score in (−1, 1) as VADER does it: ``x / sqrt(x² + 15)``.

What is never scored:

- **names**: :func:`sentiment` takes ``masks``, the spans of entity mentions, and replaces each by a
  neutral placeholder before scoring (in all three languages: VADER scores "Hope", "Grace", "Justice";
  the lexicons would score خالد، كريم، صادق، امید). Words that are common given names (خالد رشيد صالح
  جميل كريم نبيل مجيد عادل امل وفاء حكيم نصر فضل سلام عزه صادق شريف نزيه مشرف ذكي / عزت اميد حكيم
  كرامت شكوه محبوب دلاور سرافراز صادق شريف پيروز مهربان ستايش نجات وحدت افتخار شجاع) and words inside
  common names (متحد of ملل متحد, تحرير of رئيس التحرير) are not in the lexicons at all;
- **loaded terms**: the framing vocabulary of every side (martyr, resistance, terrorist, regime,
  occupation, arrogance, enemy, extremist … see :mod:`newsgraph.enrich.loaded_terms`) is masked too and
  reported as its own layer, not as sentiment.

The lexicons are a baseline, not a model; ``bench/stance.py`` measures them (with the masking) against
a small hand-labelled set of news sentences in the three languages.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from newsgraph.text.arabic import WORD_RUN as WORD
from newsgraph.text.arabic import light_forms
from newsgraph.text.normalize import normalize_for_search

SENTIMENT_VERSION = "sentiment-2 (vaderSentiment; ar/fa lexicons-2; names and loaded terms masked)"
ALPHA = 15.0  # VADER's normalisation constant


def _folded(words: str) -> frozenset[str]:
    """Lexicon entries in the folded form the matcher sees (آ→ا, ی→ي, no ZWNJ …), whatever their spelling here."""
    return frozenset(normalize_for_search(w) for w in words.split())


AR_POSITIVE = _folded("""
نجاح ناجح انتصار منتصر بطل ابطال بطوله بطولي بطوليه شجاع شجاعه بساله عظيم عظيمه كرامه شرف امن امان استقرار
تقدم ازدهار تضامن اصدقاء حليف حلفاء فخر اعتزاز حكمه اخلاص انجاز انجازات تعاون حريه عداله رحمه خير ممتاز
جيد افضل احترام تقدير اشاده شكر ترحيب ايجابي قوي محبه حب رايع مشرفه انساني نهضه سياده استقلال انتصارات بارز
ثبات وحده اخوه مساعده انقاذ منقذ
""")
AR_NEGATIVE = _folded("""
اجرام اجرامي مجرم مجرمين جريمه جرايم عدوان عدواني قتل قاتل مجزره مجازر وحشي وحشيه ظلم ظالم فساد فاسد خيانه
خاين خونه كذب كاذب اكاذيب تهديد دمار تدمير فشل فاشل هزيمه كارثه كارثي ازمه فوضي عنف انتهاك انتهاكات اعتداء
اعتداءات طغيان طاغيه ديكتاتور عنصري عنصريه غطرسه جبان جبناء نفاق منافق حقد كراهيه همجي همجيه ابتزاز تواطو عار
موامره استبداد قمع حصار ادانه سيي شر شرير دموي جبن خبيث فتنه تخريب اغتيال مجرمون عدوانيه اجرامي غادر غدر مستبد
قمعي قاتله عار وقح وقاحه سفاح كارثيه تعذيب
""")
FA_POSITIVE = _folded("""
پيروزي موفقيت موفق قهرمان قهرماني شجاعت صلح امنيت ثبات پيشرفت دوست دوستي همكاري احترام تقدير خوب عالي بهترين
ارزشمند مثبت درستكار آزادي عدالت دستاورد فداكاري محبت خدمت حكمت سربلند دلاوري بزرگوار ياري رشادت افتخارآميز
برجسته خردمند شجاعانه انسانيت همبستگي برادري
""")
FA_NEGATIVE = _folded("""
جنايت جنايتكار جنايات تجاوز تجاوزگر كشتار قتل ظلم ظالم فساد فاسد خيانت خاين دروغ دروغگو تهديد ويراني تخريب
شكست فاجعه فاجعهبار بحران خشونت نقض ديكتاتور نژادپرست نژادپرستي وحشي وحشيانه جنگطلب ترسو نفاق منافق كينه نفرت
سركوب محاصره ننگ ننگين شرم شرمآور توطيه استبداد بد بدترين زشت جاسوس جاني جانيان ستم ستمگر اهانت غارت شيطان
شيطاني فتنه بيرحم بيرحمانه آدمكش تحقير خونريزي ترور شكنجه
""")
AR_NEGATORS = frozenset("لا لم لن ليس ليست غير ولا ولم ولن بدون دون".split())
FA_NEGATORS_BEFORE = frozenset("نه بدون هرگز".split())
FA_NEGATIVE_AFTER = re.compile(r"^(?:نيست|نبود|نيستند|نبودند|ن(?:مي)?(?:كرد|كن|شد|شو|داشت|دار|بود|است)\w*)$")


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _forms_ar(word: str) -> list[str]:
    return light_forms(word, "ar")


def _forms_fa(word: str) -> list[str]:
    return light_forms(word, "fa")


def lexicon_hits(text: str, lang: str) -> list[tuple[str, int]]:
    """(folded word, +1/-1 after negation) for every lexicon word of an Arabic or Persian text."""
    positive, negative, forms = ((AR_POSITIVE, AR_NEGATIVE, _forms_ar) if lang == "ar"
                                 else (FA_POSITIVE, FA_NEGATIVE, _forms_fa))
    words = WORD.findall(normalize_for_search(text))
    hits = []
    for k, word in enumerate(words):
        candidates = forms(word)
        sign = 1 if any(f in positive for f in candidates) else -1 if any(f in negative for f in candidates) else 0
        if not sign:
            continue
        before = words[max(0, k - 2):k]
        after = words[k + 1:k + 3]
        if lang == "ar" and any(w in AR_NEGATORS for w in before):
            sign = -sign
        elif lang == "fa" and (any(w in FA_NEGATORS_BEFORE for w in before) or any(FA_NEGATIVE_AFTER.match(w) for w in after)):
            sign = -sign
        hits.append((word, sign))
    return hits


MASK = "xx"  # what a masked span becomes: one token that no lexicon (nor VADER) scores, not in capitals


def mask_spans(text: str, spans) -> str:
    """``text`` with each ``(start, end)`` span (offsets in ``text``) replaced by :data:`MASK`; overlapping
    spans are merged, so a name becomes one placeholder whatever its length or spelling."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def sentiment(text: str, lang: str | None, masks=()) -> float | None:
    """A score in [-1, 1] (negative to positive), or None for a language without a scorer.

    ``masks`` are spans of ``text`` (entity mentions) never scored; loaded terms
    (:func:`newsgraph.enrich.loaded_terms.find_loaded_terms`) are masked as well."""
    if lang not in ("en", "ar", "fa"):
        return None
    from newsgraph.enrich.loaded_terms import find_loaded_terms

    spans = list(masks) + [(h.start, h.end) for h in find_loaded_terms(text, lang)]
    text = mask_spans(text, spans) if spans else text
    if lang == "en":
        return float(_vader().polarity_scores(text)["compound"])
    total = sum(sign for _, sign in lexicon_hits(text, lang))
    return total / math.sqrt(total * total + ALPHA) if total else 0.0
