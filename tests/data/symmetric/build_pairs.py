"""Build the symmetric stance pairs (tests/data/symmetric/pairs_{en,ar,fa}.jsonl) from NTREX-128.

Each pair is one real news sentence (NTREX-128 newstest2019: English source and its human Arabic and
Persian translations, CC BY-SA 4.0) and the same sentence with every actor of a swap table replaced by
its counterpart from the opposing side (Trump <-> Putin, China <-> United States, Democrats <->
Republicans, Kavanaugh <-> Ford, North Korea <-> South Korea, Iran <-> Israel, Syria <-> Turkey, Labour
<-> Conservatives …), keeping Arabic clitics (و ف ب ل ك, ال / لل) and Persian suffixes around the name.
``a_spans`` / ``b_spans`` are the names in each side (the swapped ones). Run from the repository root:

    python tests/data/symmetric/build_pairs.py /path/to/shared/data/ntrex128-en-ar-fa

The output is committed; this script documents how it was made (deterministic: the first ``LIMIT``
sentences in file order that contain an actor, 6-60 words).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

LIMIT = 130  # swapped pairs per language
SUBSTITUTED = 60  # and substituted pairs: the first swapped pairs whose names are whole words, both sides replaced
FILES = {"en": "newstest2019-src.eng.txt", "ar": "newstest2019-ref.arb.txt", "fa": "newstest2019-ref.fas.txt"}

# lang -> list of (forms, partner, definite); every form is replaced by the partner (the swap is done both ways
# by listing both directions). Arabic "definite" names take ال / لل (بالصين، للصين).
SWAPS = {
    "en": [
        (["Trump"], "Putin", False), (["Putin"], "Trump", False),
        (["Kavanaugh"], "Ford", False), (["Ford"], "Kavanaugh", False),
        (["Democrats"], "Republicans", False), (["Republicans"], "Democrats", False),
        (["Democrat"], "Republican", False), (["Republican"], "Democrat", False),
        (["Democratic"], "Republican", False),
        (["China"], "the United States", False), (["the United States", "the US", "the U.S."], "China", False),
        (["Beijing"], "Washington", False), (["Washington"], "Beijing", False),
        (["Russia"], "America", False), (["America"], "Russia", False), (["Moscow"], "Washington", False),
        (["North Korea"], "South Korea", False), (["South Korea"], "North Korea", False),
        (["Pyongyang"], "Seoul", False), (["Seoul"], "Pyongyang", False),
        (["Iran"], "Israel", False), (["Israel"], "Iran", False),
        (["Syria"], "Turkey", False), (["Turkey"], "Syria", False),
        (["Labour"], "Tory", False), (["Tory"], "Labour", False), (["the Conservatives", "the Tories"], "Labour", False),
        (["Corbyn"], "Johnson", False),
    ],
    "ar": [
        (["ترامب"], "بوتين", False), (["بوتين"], "ترامب", False),
        (["كافانو"], "فورد", False), (["فورد"], "كافانو", False),
        (["ديمقراطي", "ديموقراطي"], "جمهوري", True), (["جمهوري"], "ديمقراطي", True),
        (["صين"], "ولايات المتحدة", True), (["ولايات المتحدة"], "صين", True),
        (["بكين"], "واشنطن", False), (["واشنطن"], "بكين", False),
        (["روسيا"], "أمريكا", False), (["أمريكا", "أميركا"], "روسيا", False), (["موسكو"], "واشنطن", False),
        (["كوريا الشمالية"], "كوريا الجنوبية", False), (["كوريا الجنوبية"], "كوريا الشمالية", False),
        (["بيونغ يانغ", "بيونغيانغ"], "سول", False),
        (["إيران", "ايران"], "إسرائيل", False), (["إسرائيل", "اسرائيل"], "إيران", False),
        (["سوريا"], "تركيا", False), (["تركيا"], "سوريا", False),
        (["حزب العمال"], "حزب المحافظين", False), (["حزب المحافظين"], "حزب العمال", False),
        (["كوربين"], "جونسون", False),
    ],
    "fa": [
        (["ترامپ"], "پوتین", False), (["پوتین"], "ترامپ", False),
        (["کاوانا", "کاوانو"], "فورد", False), (["فورد"], "کاوانا", False),
        (["دموکرات"], "جمهوری‌خواه", False), (["جمهوری‌خواه", "جمهوریخواه"], "دموکرات", False),
        (["چین"], "آمریکا", False), (["آمریکا", "ایالات متحده", "امریکا"], "چین", False),
        (["پکن"], "واشنگتن", False), (["واشنگتن"], "پکن", False),
        (["روسیه"], "آمریکا", False), (["مسکو"], "واشنگتن", False),
        (["کره شمالی"], "کره جنوبی", False), (["کره جنوبی"], "کره شمالی", False),
        (["پیونگ یانگ", "پیونگ‌یانگ"], "سئول", False),
        (["ایران"], "اسرائیل", False), (["اسرائیل"], "ایران", False),
        (["سوریه"], "ترکیه", False), (["ترکیه"], "سوریه", False),
        (["حزب کارگر"], "حزب محافظه‌کار", False), (["حزب محافظه‌کار"], "حزب کارگر", False),
        (["کوربین"], "جانسون", False),
    ],
}
# lang -> (side one, side two): actors of opposing sides put in place of the sentence's names, round-robin; several
# of them are (or hold) words the old lexicons and VADER scored (خالد، نصر، عادل، صالح؛ صادق، شریف؛ Hope)
# (persons stand in for persons, states and groups for states and groups)
SUBSTITUTES = {
    "en": {"person": [("Khaled Meshaal", "Mahmoud Abbas"), ("Hassan Nasrallah", "Saad Hariri"),
                      ("Adel al-Jubeir", "Javad Zarif"), ("Hope Hicks", "Maria Zakharova"),
                      ("Grace Mugabe", "Morgan Tsvangirai"), ("Benjamin Netanyahu", "Hassan Rouhani")],
           "other": [("Israel", "Iran"), ("Russia", "the United States"), ("Hamas", "Fatah"), ("Saudi Arabia", "Iran")]},
    "ar": {"person": [("خالد مشعل", "محمود عباس"), ("حسن نصر الله", "سعد الحريري"), ("عادل الجبير", "جواد ظريف"),
                      ("علي عبد الله صالح", "عبد ربه منصور هادي"), ("نبيل العربي", "حسن روحاني"),
                      ("كريم بقرادوني", "سمير جعجع")],
           "other": [("إسرائيل", "إيران"), ("روسيا", "أمريكا"), ("حماس", "فتح"), ("السعودية", "إيران")]},
    "fa": {"person": [("خالد مشعل", "محمود عباس"), ("حسن نصرالله", "سعد حریری"), ("عادل الجبیر", "جواد ظریف"),
                      ("صادق لاریجانی", "محمد بن سلمان"), ("نواز شریف", "عمران خان"), ("امید نوری", "آویگدور لیبرمن")],
           "other": [("اسرائیل", "ایران"), ("روسیه", "آمریکا"), ("حماس", "فتح"), ("عربستان سعودی", "ایران")]},
}
PERSONS = {"en": {"Trump", "Putin", "Kavanaugh", "Ford", "Corbyn"}, "ar": {"ترامب", "بوتين", "كافانو", "فورد", "كوربين"},
           "fa": {"ترامپ", "پوتین", "کاوانا", "کاوانو", "فورد", "کوربین"}}
AR_PREFIX = "(?:وب|ول|فب|فل|وك|و|ف|ب|ل|ك)?"
AR_DEFINITE = "(?:وبال|وال|فال|بال|كال|ولل|فلل|لل|ال)"
AR_SUFFIX = "(?:ين|ون|ه|ة|ي|ان|تين|ات)?"  # only after a definite core (الديمقراطيين، الجمهورية)
FA_SUFFIX = "(?:\u200c?(?:هایی|های|ها|ای|ی|ان))?"


def patterns(lang: str) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for forms, partner, definite in SWAPS[lang]:
        core = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        if lang == "ar":
            pre, suf = (AR_DEFINITE, AR_SUFFIX) if definite else (AR_PREFIX, "")
        elif lang == "fa":
            pre, suf = "", FA_SUFFIX
        else:
            pre, suf = "", ""
        out.append((re.compile(rf"(?<!\w)(?P<pre>{pre})(?P<core>{core})(?P<suf>{suf})(?![\w\u200c])"), partner))
    return out


def swap(text: str, lang: str) -> tuple[str, list[list[int]], list[list[int]]] | None:
    found = []
    for pattern, partner in patterns(lang):
        for m in pattern.finditer(text):
            found.append((m.start("core"), m.end("core"), partner))
    found.sort()
    kept, last = [], -1
    for start, end, partner in found:
        if start >= last:
            kept.append((start, end, partner))
            last = end
    if not kept:
        return None
    out, a_spans, b_spans, pos = [], [], [], 0
    for start, end, partner in kept:
        out.append(text[pos:start])
        new_start = sum(len(p) for p in out)
        out.append(partner)
        a_spans.append([start, end])
        b_spans.append([new_start, new_start + len(partner)])
        pos = end
    out.append(text[pos:])
    return "".join(out), a_spans, b_spans


def whole_words(text: str, spans: list[list[int]], lang: str) -> bool:
    """Every span is a word of its own (in Arabic, after at most one clitic letter و ف ب ل)."""
    for start, end in spans:
        if end < len(text) and (text[end].isalnum() or text[end] == "\u200c"):
            return False
        before = text[:start]
        if lang == "ar" and before[-1:] in ("و", "ف", "ب", "ل") and (len(before) == 1 or not before[-2].isalnum()):
            before = before[:-1]
        if before and before[-1].isalnum():
            return False
    return True


def substitute(text: str, spans: list[list[int]], name: str) -> tuple[str, list[list[int]]]:
    out, new_spans, pos = [], [], 0
    for start, end in spans:
        out.append(text[pos:start])
        new_start = sum(len(p) for p in out)
        out.append(name)
        new_spans.append([new_start, new_start + len(name)])
        pos = end
    out.append(text[pos:])
    return "".join(out), new_spans


def substituted_pairs(pairs: list[dict], lang: str) -> list[dict]:
    out = []
    for pair in pairs:
        if len(out) >= SUBSTITUTED:
            break
        if not whole_words(pair["a"], pair["a_spans"], lang):
            continue
        kinds = {"person" if pair["a"][s:e] in PERSONS[lang] else "other" for s, e in pair["a_spans"]}
        if len(kinds) != 1:
            continue
        choices = SUBSTITUTES[lang][kinds.pop()]
        if lang == "ar" and choices[0][0] == "إسرائيل" and any(pair["a"][s - 1:s] in "وفبل" and s for s, _ in pair["a_spans"]):
            choices = choices[:3]  # no السعودية after a clitic (لالسعودية)
        one, two = choices[len(out) % len(choices)]
        a, a_spans = substitute(pair["a"], pair["a_spans"], one)
        b, b_spans = substitute(pair["a"], pair["a_spans"], two)
        out.append({"id": pair["id"] + "-sub", "lang": lang, "source": pair["source"] + " (names substituted)",
                    "a": a, "b": b, "a_spans": a_spans, "b_spans": b_spans, "swapped": [f"{one} -> {two}"]})
    return out


def main(root: str) -> None:
    here = Path(__file__).parent
    for lang, name in FILES.items():
        lines = (Path(root) / name).read_text(encoding="utf-8").splitlines()
        pairs = []
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not 6 <= len(line.split()) <= 60:
                continue
            swapped = swap(line, lang)
            if swapped is None or swapped[0] == line:
                continue
            b, a_spans, b_spans = swapped
            pairs.append({"id": f"ntrex-{lang}-{number}", "lang": lang, "source": f"NTREX-128 {name} line {number}",
                          "a": line, "b": b, "a_spans": a_spans, "b_spans": b_spans,
                          "swapped": sorted({line[s:e] + " -> " + b[t:u] for (s, e), (t, u) in zip(a_spans, b_spans)})})
            if len(pairs) >= LIMIT:
                break
        pairs += substituted_pairs(pairs, lang)
        with (here / f"pairs_{lang}.jsonl").open("w", encoding="utf-8") as fh:
            for pair in pairs:
                fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
        print(lang, len(pairs))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ntrex128-en-ar-fa")
