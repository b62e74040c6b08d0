"""Arabic vs Persian on real news text, including Persian written with the Arabic letters ي/ك."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from newsgraph.enrich.language import article_language, detect_language, settle_paragraph_languages

SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))

# A Fars News paragraph as the agency publishes it: ي and ك for ی and ک, spaces for ZWNJ.
FARS_STYLE = ("به گزارش فارس به نقل از وزارت ارتباطات و فناوري اطلاعات، وارسته با بيان اين مطلب، اظهارداشت: "
              "به زودي اين نرم افزار در تمام دفاتر كشور نصب خواهد شد.")


def test_persian_in_arabic_letter_forms_is_persian():
    assert detect_language(FARS_STYLE) == "fa"
    # the same text with no پ چ ژ گ at all still reads as Persian, by its function words
    assert detect_language("وي از بهره برداري 6 هزار دفتر روستايي تا پايان مرداد ماه سال جاري در كشور خبر داد") == "fa"


def test_arabic_stays_arabic():
    assert detect_language("وقال المتحدث باسم الحركة إن الاجتماع عقد في الدوحة بحضور عدد من قادة الفصائل.") == "ar"
    # tashkeel inside a word must not cut it into Persian-looking pieces (شدّدت is not شد + دت)
    assert detect_language("شدّدت موسكو مرارًا على أن العقوبات لن تغير موقفها") == "ar"


def test_short_paragraph_takes_its_articles_language():
    paragraphs = [FARS_STYLE, "مقاومت البرز 1 شهروند ساري 1"]
    first = [detect_language(p) for p in paragraphs]
    settled = settle_paragraph_languages(paragraphs, first)
    assert settled == ["fa", "fa"]
    arabic = ["قال وزير الخارجية إن بلاده لن تقبل بأي تدخل في شؤونها الداخلية وإن الحوار هو الطريق الوحيد.", "صبح روز بعد"]
    assert settle_paragraph_languages(arabic, [detect_language(p) for p in arabic])[1] == "ar"


@pytest.mark.skipif(not (SHARED / "data" / "fa-news-farsnews-varzesh3").is_dir(), reason="../shared/data absent")
def test_fars_news_articles_are_persian():
    texts = []
    for path in sorted((SHARED / "data" / "fa-news-farsnews-varzesh3").glob("fars-news-*.json.gz")):
        for a in json.load(gzip.open(path)):
            texts.append("\n".join([a.get("title") or "", a.get("abstract") or "", *(a.get("paragraphs") or [])]))
    persian = sum(article_language(t) == "fa" for t in texts)
    assert persian >= 0.99 * len(texts)
