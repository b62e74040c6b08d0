"""Arabic and Persian mentions a reader can cite: clean spans and every occurrence in the article.

The CRF taggers (:mod:`newsgraph.enrich.ner_crf`) label whole written words, as their training
corpora do, so a span carries its proclitics (لطهران، والأردن، بسليماني) and sometimes the word
before the name (باستشهاد سليماني، ونفى النونو). This module turns tagger spans into name spans:

1. a span is cut at brackets, quote marks and commas inside it («أبو العبد (هنية» → two names);
2. leading words that are never part of a name are dropped: verbs of saying, event nouns that
   govern a name (جنازة، استشهاد، اغتيال) and prepositions; for persons also titles and ranks
   (الرئيس، الشيخ، آیت‌الله، سردار), which are a role of the person, not the name;
3. a proclitic is split off the first word (:func:`newsgraph.text.arabic.proclitic_length`) when
   the rest is a known name: in the gazetteer, or found elsewhere in the same article;
4. document consistency: a name found once in an article is a mention at each of its other
   occurrences, with or without a proclitic, and so is a person's last name on its own (هنية
   after إسماعيل هنية). Single words must be at least three letters and not a boundary word,
   and a form claimed by two labels or two persons is left alone.

The lists are written here because no Arabic/Persian library ships them; they hold common words
only, no names of anyone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from newsgraph.text.arabic import normalize, proclitic_length, strip_clitic, tokenize

_WORDS_BEFORE_NAMES = """
قال قالت يقول تقول أكد أكدت يؤكد أضاف أضافت أعلن أعلنت اعتبر اعتبرت رأى يرى دعا دعت شدد شددت أشار أشارت
لفت أوضح أوضحت تابع تابعت كشف كشفت زار زارت التقى التقت استقبل استقبلت هاجم هاجمت اتهم اتهمت انتقد انتقدت
طالب طالبت حذر حذرت هدد هددت نفى نفت أبلغ سأل يسأل أجاب رد ردت وصف وصفت خاطب ناشد بحث بحثت
استشهاد اغتيال مقتل قتل جنازة تشييع عزاء وفاة رحيل اسم صورة زيارة لقاء اجتماع خطاب كلمة تصريح تصريحات
بيان رسالة موقف مواقف دور عهد حكم ضد مع عن إلى في من بين لدى عند حول منذ بعد قبل حتى أن إن
گفت گفته افزود تاکید اعلام کرد کرده سخنان دیدار پیام ترور شهادت تشییع مراسم از با به در برای با
""".split()

_TITLES = """
الرئيس رئيس الشيخ السيد سيد الدكتور دكتور اللواء العميد الفريق العقيد المقدم النقيب الشهيد شهيد
الجنرال جنرال الأمير الملك الإمام إمام القائد الأستاذ المهندس الأخ النائب المرشد سماحة فخامة معالي
آية آيت آیت‌الله آیت‌اللہ حجت‌الاسلام حجت‌الاسلام‌والمسلمین حضرت آقای آقا خانم سردار سرلشکر سرتیپ سرهنگ
سرباز شهید رهبر رئیس‌جمهور رییس‌جمهور جمهور امام مهندس دکتر الله اللہ
""".split()
# English titles, only to tell two people from one person written with and without a title
_EN_TITLES = "sardar general major gen president sayyed sayed seyed sheikh shaikh hajj haj imam ayatollah martyr " \
             "commander dr mr mrs ms prince king minister lieutenant brigadier colonel".split()

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_SPLIT_CHARS = "()[]«»\"“”،,:؛;"
_NEVER_ALONE = {normalize(w) for w in "الله الدين عبد ابو أبو بن ابن بنت ام أم آل".split()}
_PATRONYMIC = {normalize(w) for w in "بن ابن بنت ابو أبو عبد ام أم آل".split()}


@lru_cache(maxsize=1)
def _boundary_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in _WORDS_BEFORE_NAMES)


@lru_cache(maxsize=1)
def _bare_titles() -> frozenset[str]:
    """Titles that the tagger sometimes takes for a name when they stand alone."""
    english = _EN_TITLES + "pope cardinal archbishop bishop saint queen emperor sultan caliph rabbi reverend " \
        "senator governor chancellor pontiff".split()
    return _titles() | frozenset(normalize(w) for w in english)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(normalize(w) for w in _TITLES)


Span = tuple[int, int, str]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at brackets, quote marks and commas, each piece trimmed."""
    out, a = [], start
    for i in range(start, end + 1):
        if i == end or text[i] in _SPLIT_CHARS:
            s, e = a, i
            while s < e and (text[s].isspace() or text[s] in _SPLIT_CHARS or text[s] in ".-_"):
                s += 1
            while e > s and (text[e - 1].isspace() or text[e - 1] in _SPLIT_CHARS or text[e - 1] in ".-_"):
                e -= 1
            if e > s:
                out.append((s, e))
            a = i + 1
    return out


def _is_dropped_word(word: str, label: str, lang: str = "ar") -> bool:
    norm = normalize(word)
    forms = {norm, strip_clitic(norm, "ar")[1]} if lang == "ar" else {norm}
    if forms & _boundary_words():
        return True
    return label == "PERSON" and bool(forms & _titles())


def clean_span(text: str, start: int, end: int, label: str, known: Callable[[str], bool],
               keep: Callable[[str], bool], lang: str = "ar",
               known_after_two: Callable[[str, tuple[str, ...]], bool] | None = None) -> list[Span]:
    """The name spans inside one tagger span (none if nothing of a name is left); ``known`` and
    ``keep`` as in :func:`newsgraph.text.arabic.proclitic_length`; ``known_after_two(form,
    following)`` is its ``known_after_two``, given the normalised words after ``form`` in the span."""
    out: list[Span] = []
    for s, e in _pieces(text, start, end):
        words = [(s + a, s + b) for a, b in tokenize(text[s:e])]
        while len(words) > 1 and _is_dropped_word(text[words[0][0]:words[0][1]], label, lang):
            words.pop(0)
        if not words or (len(words) == 1 and _is_dropped_word(text[words[0][0]:words[0][1]], label, lang)):
            continue
        first = words[0][0]
        if lang == "ar":  # Persian writes no proclitic onto a name (بسیج is Basij, not ب + سیج)
            after_two = None if known_after_two is None else (  # the following words normalised only if asked
                lambda form: known_after_two(form, tuple(normalize(text[a:b]) for a, b in words[1:])))  # noqa: B023
            first += proclitic_length(text[first:words[0][1]], known, keep, after_two)
        out.append((first, words[-1][1], label))
    return out


def _forms_of(text: str, spans: list[Span], single_min: int = 1) -> dict[tuple[str, ...], str]:
    """Normalised token sequences of the article's names → label, with persons' last names.

    A form given two labels, or a last name shared by two different persons, is left out; a
    one-word name the tagger found fewer than ``single_min`` times is left out too."""
    labels: dict[tuple[str, ...], Counter] = {}
    owners: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    singles: dict[tuple[str, ...], int] = {}
    for s, e, label in spans:
        toks = tuple(normalize(text[s + a:s + b]) for a, b in tokenize(text[s:e]))
        toks = tuple(t for t in toks if any(ch.isalpha() for ch in t))
        if not toks:
            continue
        if len(toks) == 1 and (len(toks[0]) < 3 or toks[0] in _boundary_words() or toks[0] in _NEVER_ALONE
                               or toks[0] in _bare_titles()):
            continue  # a title alone ("Pope", الرئيس) names whoever the sentence is about: not spread
        if len(toks) == 1:
            singles[toks] = singles.get(toks, 0) + 1
            if singles[toks] < single_min:
                continue
        labels.setdefault(toks, Counter())[label] += 1
        if label == "PERSON" and len(toks) >= 2 and len(toks[-1]) >= 3 and toks[-2] not in _PATRONYMIC \
                and toks[-1] not in _NEVER_ALONE and toks[-1] not in _boundary_words():
            last = (toks[-1],)
            labels.setdefault(last, Counter())[label] += 1
            owners.setdefault(last, set()).add(toks)
    for last, full_names in owners.items():
        if len({f for f in full_names if len(f) >= 2}) > 1 and not _one_person(full_names):
            labels[last] = Counter({"": 1})  # two people
    return {form: ls.most_common(1)[0][0] for form, ls in labels.items() if _clear_label(ls)}


def _clear_label(counts: Counter) -> bool:
    """One label, or one that the tagger gave at least twice as often as any other."""
    top = counts.most_common(2)
    return bool(top) and top[0][0] != "" and (len(top) == 1 or top[0][1] >= 2 * top[1][1])


def _one_person(full_names: set[tuple[str, ...]]) -> bool:
    """Whether the multi-word names that end in one last name are spellings of one person's name:
    each one's other words are all found, or spelled nearly alike (Qassem/Qasem), in the longest."""
    from rapidfuzz.fuzz import ratio

    titles = _titles() | set(_EN_TITLES)
    names = {tuple(w for w in f[:-1] if w not in titles) for f in full_names}
    longest = max(names, key=len)
    return all(all(any(w == v or ratio(w, v) >= 80 for v in longest) for w in f) for f in names)


def every_occurrence(text: str, spans: list[Span], cased: bool = False, clitics: bool = False) -> list[Span]:
    """Spans of the article's names at their other occurrences (not overlapping ``spans``).

    ``cased`` (English): an occurrence must be capitalised as a name is ("Haniyeh", not
    "haniyeh"), a one-word name must have been tagged twice (spaCy's one-off "Martyr" GPE is
    not spread), and nationality adjectives are not spread. ``clitics`` (Arabic): an occurrence
    may carry a proclitic, which stays outside the span (لهنية → هنية)."""
    if cased:  # nationality adjectives (NORP) are too often half of a longer name to spread
        spans = [s for s in spans if s[2] != "NORP"]
    forms = _forms_of(text, spans, single_min=2 if cased else 1)
    if not forms:
        return []
    longest = max(len(f) for f in forms)
    firsts = {f[0] for f in forms}
    taken = sorted((s, e) for s, e, _ in spans)
    words = tokenize(text)
    norms = [normalize(text[a:b]) for a, b in words]
    found: list[Span] = []
    i = 0
    while i < len(words):
        match = None
        variants = [(norms[i], 0)]
        clitic, stem = strip_clitic(norms[i], "ar") if clitics else ("", norms[i])
        if clitic and len(stem) >= 3:
            cut = proclitic_length(text[words[i][0]:words[i][1]], lambda form: form == stem or form == "ال" + stem)
            if cut:
                variants.append((normalize(text[words[i][0] + cut:words[i][1]]), cut))
        for first, cut in variants:
            if first not in firsts:
                continue
            for n in range(min(longest, len(words) - i), 0, -1):
                form = (first, *norms[i + 1:i + n])
                if form in forms and _contiguous(text, words[i:i + n]) and not (cased and not _capitalised(text, words[i:i + n])):
                    match = (words[i][0] + cut, words[i + n - 1][1], forms[form], n)
                    break
            if match:
                break
        if match and not _overlaps(taken, match[0], match[1]):
            found.append(match[:3])
            i += match[3]
        else:
            i += 1
    return found


def _capitalised(text: str, words: list[tuple[int, int]]) -> bool:
    return all(text[a].isupper() for a, _ in words if text[a].isalpha())


def _contiguous(text: str, words: list[tuple[int, int]]) -> bool:
    """Words of one name: separated by spaces only (no comma, bracket or line break between)."""
    return all(text[a[1]:b[0]].strip(" \u200c") == "" for a, b in zip(words, words[1:]))


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


# A name set off by commas after a role and before the verb or the next clause:
# «قال نائب رئيس الحركة في غزة، خليل الحية، إن …», «سخنگوی وزارت خارجه، سعید خطیب‌زاده، گفت».
_APPOSITIVE = re.compile(r"،\s*(?P<name>(?:[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC\u200c]+\s+){1,3}"
                         r"[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC\u200c]+)\s*"
                         r"(?=،|\s+(?:إن|أن|قال|قائلا|قائلاً|گفت|افزود|اظهار|تاکید|تأکید)(?![\u0600-\u06FF]))")


def appositive_names(text: str, start: int, end: int) -> list[Span]:
    """PERSON spans for names set off by commas in ``text[start:end]``: two to four words, the first
    a common given name (attested at least 50 times in the gazetteer's Wikidata names), none a word
    that stands before names (a verb, a preposition, a title). The tagger misses such names when
    their last word is also a common word (الحية is "the snake")."""
    types = _gazetteer_types()
    out: list[Span] = []
    for m in _APPOSITIVE.finditer(text, start, end):
        words = m.group("name").split()
        if words[0] == "على" or "PER3" not in types.get(normalize(words[0]), ()):
            continue
        if any(normalize(w) in _boundary_words() or normalize(w) in _titles() or len(normalize(w)) < 2 for w in words):
            continue
        out.append((m.start("name"), m.end("name"), "PERSON"))
    return out


@lru_cache(maxsize=1)
def _gazetteer_forms() -> tuple[frozenset[str], frozenset[str]]:
    """(single-word gazetteer names, first words of multi-word gazetteer names), normalised."""
    from newsgraph.enrich import ner_crf

    gaz = ner_crf.load_gazetteer()
    return frozenset(gaz.tokens), frozenset(p[0] for p in gaz.phrases)


def name_spans(text: str, tagged: list[Span], lang: str = "ar") -> list[Span]:
    """Clean name spans for the tagger's spans in ``text``, plus the names' other occurrences."""
    words, firsts = _gazetteer_forms()
    types = _gazetteer_types()
    phrases = _gazetteer_phrases()
    in_article = {normalize(text[s + a:s + b]) for s, e, _ in tagged for a, b in tokenize(text[s:e])}

    def keep(form: str) -> bool:  # the whole word is a name as written (كوريا starts كوريا الشمالية)
        return form in words or form in firsts

    def named(form: str) -> bool:  # a name on its own (a rare Wikidata name unit is not enough)
        return bool(types.get(form, set()) - {"PER1"}) or form in in_article

    def known(form: str) -> bool:  # what is left after a clitic is a name, or the first word of one
        return named(form) or form in firsts

    def known_after_two(form: str, following: tuple[str, ...]) -> bool:
        """After two proclitics, the first word of some multi-word name is not enough: the name
        must go on as written (اله starts a gazetteer name, and وكالة الأنباء السعودية lost وك)."""
        return named(form) or (form in firsts and any((form, *following[:n]) in phrases
                                                      for n in range(1, min(len(following), 5) + 1)))

    cleaned = sorted({(s, e, _label_of(text[s:e], label, lang)) for start, end, label in tagged
                      for s, e, _ in clean_span(text, start, end, label, known, keep, lang, known_after_two)
                      if not _is_function_word(text[s:e]) and not _holds_a_clause_word(text[s:e])})
    return sorted(cleaned + every_occurrence(text, cleaned, clitics=lang == "ar"))


# Written function words that fold onto names (على → علي "Ali", إلى → الي): the written form decides.
_FUNCTION_WORDS = frozenset("على إلى الى حتى لدى متى عليه عليها".split())


# Words that open or mark a clause: no name holds one («شاه را شکسته بودند» is a clause the Persian
# tagger called a PERSON). Compared after normalize(), so ي/ی and ك/ک spellings both count.
_CLAUSE_WORDS = frozenset(normalize(w) for w in "را که الذي التي الذين اللذين إن أن لقد سوف بودند بود است شد".split())


def _holds_a_clause_word(surface: str) -> bool:
    return any(normalize(w) in _CLAUSE_WORDS for w in surface.split()[1:])


def _is_function_word(surface: str) -> bool:
    return _MARKS.sub("", surface) in _FUNCTION_WORDS


_NISBA = ("یی", "ايي", "ائی", "ی", "ي", "یه", "يه", "ية", "يون", "يين", "ها")


def _label_of(surface: str, label: str, lang: str) -> str:
    """A one-word name the gazetteer knows as a country or city is a GPE whatever the tagger said
    (the Persian tagger calls ایران an ORG in political sentences), unless it is also a common
    given name (فارس is the agency as often as the province); its nisba adjective (ایرانی،
    آمريكايي، الإيرانية) is NORP, not a place or an organisation."""
    if label not in ("ORG", "GPE", "LOC") or len(surface.split()) != 1:
        return label
    form = normalize(surface)
    if lang == "ar":
        form = strip_clitic(form, "ar")[1] if form.startswith("ال") else form
    types = _gazetteer_types()
    place = types.get(form) or types.get("ال" + form) or set()
    if "GPE" in place and "PER3" not in place:  # not also a common given name (فارس، هند)
        return "GPE"
    for ending in _NISBA:
        base = normalize(form[: -len(ending)]) if form.endswith(normalize(ending)) else ""
        if len(base) >= 3 and ("GPE" in types.get(base, ()) or "GPE" in types.get("ال" + base, ())):
            return "NORP"
    return label


@lru_cache(maxsize=1)
def _gazetteer_phrases() -> dict[tuple[str, ...], object]:
    """Multi-word gazetteer names, as tuples of normalised words."""
    from newsgraph.enrich import ner_crf

    return ner_crf.load_gazetteer().phrases


@lru_cache(maxsize=1)
def _gazetteer_types() -> dict[str, set[str]]:
    from newsgraph.enrich import ner_crf

    return ner_crf.load_gazetteer().tokens
