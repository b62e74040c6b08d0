"""Sentence polarity for stance: VADER for English, small hand-written lexicons for Arabic and Persian.

English uses vaderSentiment's ``compound`` score (Hutto & Gilbert 2014; lexicon shipped in the package).
No maintained Arabic or Persian sentiment package works offline without downloading weights, so
newsgraph has its own lexicons (:data:`AR_POSITIVE` …): about a hundred words a side of the evaluative
vocabulary of political news (victory, martyr, dignity / terrorism, crime, aggression, betrayal),
written in the folded form of :func:`newsgraph.text.normalize.normalize_for_search` and matched after
stripping common clitics (Arabic و ف ب ل ك ال, plural and pronoun suffixes; Persian ها/های/ی/ان
suffixes). A negator just before (لا لم لن ليس غير / نه) or a negative verb just after (نیست، نبود، نکرد…)
flips a word. The sum ``x`` of +1/−1 hits becomes a score in (−1, 1) as VADER does it:
``x / sqrt(x² + 15)``. These lexicons are a baseline, not a model: they were not measured against
a gold set (none exists for Persian news), and they score the words of the sentence, not the
speaker's attitude to one actor in it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from newsgraph.text.normalize import normalize_for_search

SENTIMENT_VERSION = "sentiment-1 (vaderSentiment; ar/fa lexicons-1)"
ALPHA = 15.0  # VADER's normalisation constant


def _folded(words: str) -> frozenset[str]:
    """Lexicon entries in the folded form the matcher sees (آ→ا, ی→ي, no ZWNJ …), whatever their spelling here."""
    return frozenset(normalize_for_search(w) for w in words.split())


AR_POSITIVE = _folded("""
نجاح ناجح انتصار نصر منتصر بطل ابطال بطوله بطولي بطوليه شجاع شجاعه بساله عظيم عظيمه كريم كرامه شريف شرف
سلام امن امان استقرار تقدم ازدهار تضامن صديق اصدقاء حليف حلفاء شهيد شهداء فخر اعتزاز عزه حكيم حكمه مخلص اخلاص
وفاء امل انجاز انجازات تعاون حريه عداله عادل رحمه خير ممتاز جيد افضل احترام تقدير اشاده شكر ترحيب ايجابي
نزيه صادق قوي محبه حب صمود نبيل رايع مشرف مشرفه انساني نهضه سياده استقلال انتصارات بارز حكيمه فضل جميل
مجيد خالد ابي كفاح نضال مقاومه ثبات وحده اخوه مساعده انقاذ منقذ تحرير محرر صالح رشيد ذكي
""")
AR_NEGATIVE = _folded("""
ارهاب ارهابي ارهابيه ارهابيين اجرام اجرامي مجرم مجرمين جريمه جرايم عدوان عدواني احتلال محتل قتل قاتل مجزره مجازر
وحشي وحشيه ظلم ظالم فساد فاسد خيانه خاين خونه كذب كاذب اكاذيب عدو اعداء تهديد دمار تدمير فشل فاشل هزيمه كارثه
كارثي ازمه فوضي عنف انتهاك انتهاكات اعتداء اعتداءات استكبار طغيان طاغيه ديكتاتور عنصري عنصريه غطرسه جبان جبناء
نفاق منافق حقد كراهيه همجي همجيه ابتزاز تواطو عار موامره هيمنه استبداد قمع حصار ادانه سيي شر شرير غاصب
مرتزقه عميل عملاء دموي ارهابيون جبن خبيث فتنه تخريب تطرف متطرف اغتيال مجرمون عدوانيه اجرامي غادر غدر
ظلامي تكفيري مستبد قمعي قاتله عار وقح وقاحه سفاح كارثيه تعذيب
""")
FA_POSITIVE = _folded("""
پيروزي پيروز موفقيت موفق قهرمان قهرماني شجاع شجاعت عزت افتخار شهيد شهدا صلح امنيت ثبات پيشرفت دوست دوستي
متحد همكاري احترام تقدير ستايش خوب عالي بهترين ارزشمند مثبت صادق درستكار شريف آزادي عدالت اميد دستاورد
ايثار فداكاري مهربان محبت خدمت كرامت حكيم حكمت شكوه سربلند سرافراز دلاور دلاوري بزرگوار ارجمند محبوب
نجات ياري پايداري استقامت مقاومت رشادت افتخارآميز درخشان برجسته خردمند شجاعانه انسانيت همبستگي وحدت برادري
""")
FA_NEGATIVE = _folded("""
تروريست تروريستي تروريسم جنايت جنايتكار جنايات تجاوز تجاوزگر اشغالگر اشغال كشتار قتل ظلم ظالم فساد فاسد خيانت
خاين دروغ دروغگو دشمن دشمني تهديد ويراني تخريب شكست فاجعه فاجعهبار بحران خشونت نقض استكبار ديكتاتور نژادپرست
نژادپرستي وحشي وحشيانه جنگطلب ترسو نفاق منافق كينه نفرت سركوب محاصره ننگ ننگين شرم شرمآور توطيه سلطه استبداد
بد بدترين زشت جاسوس مزدور مزدوران جاني جانيان تكفيري افراطي ستم ستمگر اهانت غارت غاصب شيطان شيطاني فتنه
بيرحم بيرحمانه آدمكش تحقير خونريزي ترور شكنجه
""")
AR_NEGATORS = frozenset("لا لم لن ليس ليست غير ولا ولم ولن بدون دون".split())
FA_NEGATORS_BEFORE = frozenset("نه بدون هرگز".split())
FA_NEGATIVE_AFTER = re.compile(r"^(?:نيست|نبود|نيستند|نبودند|ن(?:مي)?(?:كرد|كن|شد|شو|داشت|دار|بود|است)\w*)$")
WORD = re.compile(r"[^\s.,،:;؛!?؟«»\"“”()\[\]]+")
_AR_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("ات", "ين", "ون", "يه", "ها", "هم", "ه", "ي", "ا")  # ا: the accusative tanween seat (ناجحاً)
_FA_SUFFIXES = ("هاي", "ها", "ان", "ي", "اي")


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _forms_ar(word: str) -> list[str]:
    forms = [word]
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            forms.append(word[len(prefix):])
    for form in list(forms):
        for suffix in _AR_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                forms.append(form[:-len(suffix)])
    return forms


def _forms_fa(word: str) -> list[str]:
    forms = [word]
    for suffix in _FA_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[:-len(suffix)])
    return forms


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


def sentiment(text: str, lang: str | None) -> float | None:
    """A score in [-1, 1] (negative to positive), or None for a language without a scorer."""
    if lang == "en":
        return float(_vader().polarity_scores(text)["compound"])
    if lang in ("ar", "fa"):
        total = sum(sign for _, sign in lexicon_hits(text, lang))
        return total / math.sqrt(total * total + ALPHA) if total else 0.0
    return None
