"""Loaded terms: the framing vocabulary of every side, reported as what it is, not as sentiment.

Words such as *martyr* / شهيد / شهید, *resistance* / مقاومة / مقاومت, *terrorist* / إرهابي / تروریست,
*regime* / نظام (السوري…) / رژیم, *occupation* / احتلال / اشغال, *arrogance* / استكبار / استکبار,
*Zionist entity*, *crusader*, *takfiri*, *mercenary*, *puppet* name a side's view of an actor or an
event. Scoring them as positive or negative sentiment would make any outlet that uses its side's
vocabulary look "positive" or "negative" about whatever it names, so they are taken out of
:mod:`newsgraph.enrich.sentiment` (masked before scoring) and reported here as their own layer: each
hit with its span ``(article_id, start, end)``, the term as the lexicon has it and a side-neutral
category.

Categories (:data:`CATEGORIES`) describe what the word does, whichever side uses it; each holds
the vocabulary of every side that does that (both *martyr* and *terrorist*; both *crusader* and
*rafidi*). The lexicon (:data:`LEXICON`) is category → language → entries; an entry is one or
more words. Arabic and Persian entries are written in the folded form of
:func:`newsgraph.text.normalize.normalize_for_search` and matched with the clitic handling of the
sentiment lexicons (Arabic و ف ب ل ك ال prefixes and plural/pronoun suffixes; Persian ها/های/ی/ان
suffixes); English entries are matched case-insensitively with a plural or possessive ending.
A few words are loaded only in some contexts: Arabic نظام ("system" / "regime") only with the
state it names (النظام السوري، نظام الأسد), عميل / عملاء ("agent" / "client") only before whose agent
(عملاء إيران); English *occupation* not after a possessive (*his occupation*), *regime* not after
*sanctions*, *visa* …; Persian رژیم not before غذایی (diet), جهاد not in جهاد کشاورزی (a ministry).
Arabic شهادة (certificate, testimony) is not an entry; Persian شهادت is (martyrdom, far more often).

Hand-written, not measured for recall; the lists are short on purpose and meant to be extended.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsgraph.text.arabic import WORD_RUN as WORD
from newsgraph.text.arabic import light_forms
from newsgraph.text.normalize import normalize_for_search, normalize_with_offsets, source_span

LEXICON_VERSION = "loaded-terms-2"  # 2: Arabic construct-state plural إرهابيو

CATEGORIES = {
    "sacralising death": "the dead (or a death) of one side as sacred: martyr, martyrdom",
    "sacralising struggle": "armed struggle as religious duty: jihad, mujahid",
    "resistance framing": "one side's armed action as resistance, steadfastness, struggle",
    "labelling as terrorist": "an actor or act called terrorist / terrorism",
    "labelling as extremist": "an actor called extremist, radical, obscurantist",
    "delegitimising a state": "a state or government called a regime, an entity, usurping, a puppet government",
    "occupation framing": "a presence or territory called an occupation, occupier, occupied",
    "anti-imperial framing": "an actor called arrogant (global arrogance), imperialist, colonialist, the Great Satan",
    "religious othering": "an actor named by a religious slur: crusader, takfiri, rafidi, Safavid, kharijite, infidel",
    "labelling as agent": "an actor called a mercenary, puppet, agent, lackey of another",
    "labelling as enemy": "an actor called the enemy",
}

# category -> lang -> entries (space separates the words of a multi-word entry; ";" separates entries)
LEXICON: dict[str, dict[str, str]] = {
    "sacralising death": {
        "en": "martyr; martyrs; martyrdom; martyred",
        "ar": "شهيد; شهداء; شهدا; شهيده; استشهاد; استشهد; استشهدوا; استشهادي; استشهاديه",
        "fa": "شهيد; شهدا; شهادت; شهادتطلبانه; ايثار; ايثارگر; ايثارگري",
    },
    "sacralising struggle": {
        "en": "jihad; jihadi; jihadist; mujahid; mujahideen; mujahedin; holy war",
        "ar": "جهاد; جهادي; مجاهد; مجاهدين; مجاهدون; جهاديه",
        "fa": "جهاد; جهادي; مجاهد; مجاهدان; مجاهدين",
    },
    "resistance framing": {
        "en": "resistance; axis of resistance; steadfastness; resistance fighters",
        "ar": "مقاومه; مقاوم; مقاومين; مقاومون; صمود; صامد; صامدين; كفاح; نضال; محور المقاومه",
        "fa": "مقاومت; مقاوم; محور مقاومت; جبهه مقاومت; پايداري; استقامت",
    },
    "labelling as terrorist": {
        "en": "terrorist; terrorists; terrorism; terror; terror group; terror groups",
        "ar": "ارهاب; ارهابي; ارهابيه; ارهابيين; ارهابيون; ارهابيو",  # ارهابيو: construct state (إرهابيو داعش)
        "fa": "تروريست; تروريستي; تروريستها; تروريسم",
    },
    "labelling as extremist": {
        "en": "extremist; extremists; extremism; radical; radicals",
        "ar": "تطرف; متطرف; متطرفه; متطرفين; متطرفون; ظلامي; ظلاميه",
        "fa": "افراطي; افراطگرا; افراطگرايان; افراطگرايي; تندرو; تندروها",
    },
    "delegitimising a state": {
        "en": ("regime; regimes; zionist entity; zionist regime; usurping entity; puppet government; puppet regime;"
               " zionist enemy"),
        "ar": ("كيان; الكيان الصهيوني; الكيان الغاصب; كيان الاحتلال; نظام الاسد; نظام سوري; نظام ايراني;"
               " نظام صهيوني; نظام سعودي; نظام اسرائيلي; نظام بحريني; نظام اميركي; نظام امريكي; نظام الملالي;"
               " نظام ال سعود; نظام قطري; نظام تركي; نظام مصري; نظام انقلابي; نظام حاكم; غاصب; غاصبين"),
        "fa": "رژيم; رژيمهاي; رژيم صهيونيستي; رژيم اشغالگر قدس; غاصب; رژيم سعودي; رژيم آل سعود",
    },
    "occupation framing": {
        "en": ("occupation; occupier; occupiers; occupying forces; occupying power; occupying army; occupied territories;"
               " occupied territory; occupied palestine; occupied golan; occupied jerusalem; occupied west bank;"
               " occupied lands; occupied crimea; occupied kashmir"),
        "ar": "احتلال; محتل; محتله; محتلين; محتلون",
        "fa": "اشغال; اشغالگر; اشغالگران; اشغالگري; اشغالي",
    },
    "anti-imperial framing": {
        "en": "arrogance; global arrogance; arrogant powers; great satan; imperialism; imperialist; imperialists;"
              " colonialism; colonialist; neo-colonialism; hegemony",
        "ar": "استكبار; مستكبر; مستكبرين; الاستكبار العالمي; الشيطان الاكبر; امبرياليه; امبريالي; استعمار; استعماري; هيمنه",
        "fa": "استكبار; مستكبر; مستكبران; استكبار جهاني; شيطان بزرگ; امپرياليسم; امپرياليستي; استعمار; استعماري;"
              " سلطه; سلطهگر; نظام سلطه",
    },
    "religious othering": {
        "en": "crusader; crusaders; takfiri; takfiris; rafidi; rafida; rawafid; safavid; safavids; kharijite; kharijites;"
              " infidel; infidels; kuffar; apostate; apostates; magian; wahhabi; wahhabis; nawasib",
        "ar": "صليبي; صليبيين; صليبيون; تكفيري; تكفيريه; تكفيريين; رافضي; رافضه; روافض; صفوي; صفويه; صفويين; خوارج;"
              " كافر; كفار; مرتد; مرتدين; مجوس; مجوسي; وهابي; وهابيه; نواصب; ناصبي",
        "fa": "صليبي; تكفيري; تكفيريها; رافضي; صفوي; خوارج; كافر; كفار; مرتد; وهابي; وهابيت",
    },
    "labelling as agent": {
        "en": "mercenary; mercenaries; puppet; puppets; lackey; lackeys; stooge; stooges; proxies of; agents of",
        "ar": "مرتزقه; عميل; عملاء; اذناب; اداه; ادوات; دميه",
        "fa": "مزدور; مزدوران; عامل; عوامل; دستنشانده; نوكر; نوكران",
    },
    "labelling as enemy": {
        "en": "enemy; enemies; the enemy",
        "ar": "عدو; اعداء; العدو الصهيوني",
        "fa": "دشمن; دشمنان; دشمني",
    },
}

# (lang, folded single word) -> words that, right before it, make it ordinary (not loaded) …
NOT_AFTER = {
    ("en", "occupation"): frozenset("his her their its my your our whose an new previous former main".split()),
    ("en", "regime"): frozenset("sanctions sanction visa tax trade inspection inspections treaty control export"
                                " legal regulatory monetary exchange-rate fiscal tariff".split()),
    ("en", "regimes"): frozenset("sanctions sanction visa tax trade inspection treaty control export legal"
                                 " regulatory".split()),
    ("en", "resistance"): frozenset("antibiotic antimicrobial drug insulin water heat wind electrical".split()),
}
# … unless one of these follows it ("its occupation of the Sinai" is the territorial sense)
UNLESS_BEFORE = {("en", "occupation"): frozenset({"of"})}
# … and words that, right after it, do
NOT_BEFORE = {
    ("fa", "رژيم"): frozenset("غذايي لاغري".split()),
    ("fa", "جهاد"): frozenset("كشاورزي دانشگاهي سازندگي".split()),  # ministries and institutions so named
    ("en", "resistance"): frozenset("to training band bands".split()),
}
# single words that are loaded only inside a listed multi-word entry or with a context word after them
CONTEXT_ONLY = {
    ("fa", "عامل"): frozenset("دشمن بيگانه بيگانگان استكبار اسراييل امريكا".split()),
    ("fa", "عوامل"): frozenset("دشمن بيگانه بيگانگان استكبار اسراييل امريكا".split()),
    ("ar", "اداه"): frozenset("بيد بيدي في".split()),
    ("ar", "ادوات"): frozenset("بيد في".split()),
    ("ar", "كيان"): frozenset("صهيوني الصهيوني الاحتلال الغاصب المحتل الاسراييلي".split()),
    # عميل / عملاء are also "client(s)": an agent only when whose agent follows (عملاء إيران، عميل للاحتلال)
    ("ar", "عميل"): frozenset("ايران اسراييل امريكا اميركا الاحتلال احتلال النظام نظام الصهاينه الغرب الخارج"
                              " السعوديه قطر تركيا روسيا الموساد المخابرات".split()),
    ("ar", "عملاء"): frozenset("ايران اسراييل امريكا اميركا الاحتلال احتلال النظام نظام الصهاينه الغرب الخارج"
                               " السعوديه قطر تركيا روسيا الموساد المخابرات".split()),
}



@dataclass(frozen=True)
class LoadedHit:
    """One loaded term in a text: offsets in the text as given, the text there, the lexicon entry, its category."""

    start: int
    end: int
    text: str
    term: str
    category: str


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict[tuple[str, ...], tuple[str, str]]]:
    """lang -> folded word tuple -> (entry as written, category)."""
    out: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {"en": {}, "ar": {}, "fa": {}}
    for category, by_lang in LEXICON.items():
        for lang, entries in by_lang.items():
            for entry in entries.split(";"):
                entry = entry.strip()
                if entry:
                    out[lang].setdefault(tuple(normalize_for_search(entry).split()), (entry, category))
    return out


@lru_cache(maxsize=4)
def _first_words(lang: str) -> frozenset[str]:
    """The words the entries of ``lang`` start with: no entry can start at a token with none of them."""
    return frozenset(key[0] for key in _entries()[lang] if key)


def _forms(word: str, lang: str) -> list[str]:
    if lang in ("ar", "fa"):
        return light_forms(word, lang)  # the same clitic handling as sentiment
    word = word.strip("'’-")
    forms = [word]
    for suffix in ("'s", "’s", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[:-len(suffix)])
    return forms


def find_loaded_terms(text: str, lang: str | None) -> list[LoadedHit]:
    """Every loaded term in ``text`` (en, ar or fa; [] for other languages), longest entry first, no overlaps."""
    if lang not in ("en", "ar", "fa"):
        return []
    entries = _entries()[lang]
    longest = max((len(k) for k in entries), default=1)
    norm, offsets = normalize_with_offsets(text)
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(norm)]
    forms = [set(_forms(t[2], lang)) for t in tokens]
    hits: list[LoadedHit] = []
    first_words = _first_words(lang)
    k = 0
    while k < len(tokens):
        if first_words.isdisjoint(forms[k]):  # most words: no entry starts here, nothing to try
            k += 1
            continue
        found = None
        for n in range(min(longest, len(tokens) - k), 0, -1):
            for key in _candidates(forms[k:k + n], n, entries):
                if n == 1 and not _single_ok(key[0], lang, tokens, k):
                    continue
                found = (n, key)
                break
            if found:
                break
        if found is None:
            k += 1
            continue
        n, key = found
        start, end = source_span(text, offsets, tokens[k][0], tokens[k + n - 1][1])
        term, category = entries[key]
        hits.append(LoadedHit(start, end, text[start:end], term, category))
        k += n
    return hits


def _candidates(window: list[set[str]], n: int, entries: dict) -> list[tuple[str, ...]]:
    """Entries of ``n`` words matching the token forms in ``window``."""
    if n == 1:
        return [(f,) for f in sorted(window[0], key=lambda f: (-len(f), f)) if (f,) in entries][:1]
    keys = [()]
    for options in window:
        keys = [key + (f,) for key in keys for f in options]
        if len(keys) > 64:
            return []
    return [key for key in keys if key in entries][:1]


def _single_ok(word: str, lang: str, tokens: list[tuple[int, int, str]], k: int) -> bool:
    before = tokens[k - 1][2] if k else ""
    after = tokens[k + 1][2] if k + 1 < len(tokens) else ""
    after_forms = set(_forms(after, lang)) if after else set()
    if before in NOT_AFTER.get((lang, word), ()) and not after_forms & UNLESS_BEFORE.get((lang, word), frozenset()):
        return False
    if after_forms & NOT_BEFORE.get((lang, word), frozenset()):
        return False
    needed = CONTEXT_ONLY.get((lang, word))
    return needed is None or bool(after_forms & needed)


def loaded_terms_component(article):
    """Pipeline component: fill ``article.loaded_terms`` paragraph by paragraph (each in its own language)."""
    from newsgraph.model import LoadedTerm

    found = []
    for para in article.paragraphs:
        lang = para.lang or article.lang
        for hit in find_loaded_terms(article.text[para.start:para.end], lang):
            found.append(LoadedTerm(article.id, para.start + hit.start, para.start + hit.end, hit.text, hit.term,
                                    hit.category, lang))
    article.loaded_terms = found
    return article


RULES_VERSION = LEXICON_VERSION
