"""Arabic and Persian relations from verb lexicons and word order.

Both work per sentence on folded words (:func:`newsgraph.text.normalize.normalize_for_search`), each word
keeping its span in the article, and on the actor mentions of the entities stage.

Arabic (VSO, and SVO in headlines): ``[و|ف]<verb> <subject> [<prep>] <object>``, e.g.
``وأدانت حركة حماس الاحتلال``, ``استقبل الرئيس الأسد وزير الخارجية الإيراني``, ``التقى هنية مع نصر الله``,
``إيران تدين …``. The subject is the mention right after the verb (titles and offices may stand
between; a chain "رئيس المكتب السياسي لحركة حماس إسماعيل هنية" gives the person), or, when none
follows, a mention right before it. The object is the next mention after the subject, behind the
preposition the verb takes when it takes one (``أشاد بـ``, ``التقى مع``); no object behind any other
preposition (``قُتل X في غارة`` is not an attack by X on the raid).

Persian (SOV): ``<subject> … <object> را <verb>`` or ``<subject> … <prep> <object> … <verb>``, e.g.
``ایران حمله آمریکا را محکوم کرد``, ``خامنه‌ای از مقاومت فلسطین حمایت کرد``, ``پوتین با رئیسی دیدار کرد``,
``آمریکا اقدام به ترور سلیمانی کرد``. Compound verbs are a noun plus a light verb (کرد/نمود/ساخت/داد/داشت/شد
in any tense, person and polarity); the object is the mention before «را» or after the preposition the
noun takes (از/با/به); the subject is the first mention of the clause (after «که» or a colon) that is not
behind a preposition, else «وی/او/ایشان» (the nearest named person before), else, for a first-person
verb inside a quote, the quote's speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.enrich.relations_en import Found, MentionIndex
from newsgraph.enrich.relations_lexicon import (AR_EVENT_NOUNS, AR_LIGHT, AR_MAX_OBJECT_GAP, AR_MAX_SUBJECT_GAP, AR_NEGATORS,
                                                AR_NOUNS, AR_PREPOSITIONS, FA_GAPPED, FA_NOUNS,
                                                AR_PRESENT, AR_VERBS, FA_ACTION_NOUNS, FA_COMPOUNDS, FA_EVENT_NOUNS, FA_LIGHT,
                                                FA_MAX_GAP, FA_PREPOSITIONS, FA_PRONOUNS, FA_SIMPLE)
from newsgraph.text.normalize import normalize_with_offsets, source_span

SENTENCE = re.compile(r"[^.!?؟؛\n]+(?:[.!?؟؛]+|$)")
WORD = re.compile(r"[^\s.,،:;؛!?؟«»\"“”‘’()\[\]{}<>/\\|–—-]+")
CLAUSE_BREAK = re.compile(r"[:]")  # quote marks often just wrap a name («بان كی‌مون»): not a clause break


@dataclass
class Word:
    norm: str
    start: int  # span in the article text
    end: int
    mention: tuple[int, int, str] | None = None
    sep: str = ""  # the text between the previous word and this one ("، " marks a phrase boundary)


def _sentences(text: str, p_start: int, p_end: int):
    """Sentence spans of a paragraph, questions left out (they assert nothing)."""
    for m in SENTENCE.finditer(text, p_start, p_end):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > 3 and text[end - 1] not in "?؟":
            yield start, end


def _words(text: str, start: int, end: int, index: MentionIndex) -> list[Word]:
    chunk = text[start:end]
    norm, offsets = normalize_with_offsets(chunk)
    words = []
    previous = start
    for m in WORD.finditer(norm):
        s, e = source_span(chunk, offsets, m.start(), m.end())
        words.append(Word(m.group(), start + s, start + e, index.covering(start + s, start + e), text[previous:start + s]))
        previous = start + e
    return words


def _boundary(word: Word) -> bool:
    return any(c in word.sep for c in "،,؛;:")


def _mention_runs(words: list[Word]) -> list[tuple[int, int, tuple[int, int, str]]]:
    """(first word, last word + 1, mention) for each mention of the sentence, in order."""
    runs = []
    k = 0
    while k < len(words):
        m = words[k].mention
        if m is None:
            k += 1
            continue
        j = k
        while j + 1 < len(words) and words[j + 1].mention == m:
            j += 1
        runs.append((k, j + 1, m))
        k = j + 1
    return runs


def _cue_span(words: list[Word], first: int, last: int) -> tuple[int, int]:
    return words[first].start, words[last - 1].end


# ------------------------------------------------------------------------------------------- Arabic

_AR_SUFFIXES = ("", "ت", "وا", "ا", "تا", "ن", "نا")
_AR_OBJECT_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "ني", "نا", "كم", "ك")
_AR_FIRST_WORDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _stem, _spec in AR_VERBS.items():
    _AR_FIRST_WORDS.setdefault(_stem.split()[0], []).append((_stem, _spec))


def _ar_verb_at(words: list[Word], k: int):
    """(predicate, object prepositions, words used, negated, pronoun object, present tense) when a lexicon
    verb starts at ``k``."""
    word = words[k].norm
    bases = [word] + ([word[1:]] if word[:1] in ("و", "ف") and len(word) > 3 else [])
    for base in bases:
        if base in AR_PRESENT:
            stem = AR_PRESENT[base]
            return (*AR_VERBS[stem], 1, _ar_negated(words, k), False, True)
        for stem_word, entries in _candidates(base):
            for stem, (predicate, preps) in entries:
                rest = stem.split()[1:]
                if [w.norm.removeprefix("ال") for w in words[k + 1:k + 1 + len(rest)]] != [r.removeprefix("ال") for r in rest]:
                    continue
                tail = base[len(stem_word):]
                return predicate, preps, 1 + len(rest), _ar_negated(words, k), _has_object_pronoun(tail), False
    return None


def _candidates(base: str):
    for cut in range(len(base), 1, -1):
        head = base[:cut]
        if head in _AR_FIRST_WORDS:
            tail = base[cut:]
            if tail in _AR_SUFFIXES or _has_object_pronoun(tail):
                yield head, _AR_FIRST_WORDS[head]


def _has_object_pronoun(tail: str) -> bool:
    for suffix in _AR_SUFFIXES:
        if tail.startswith(suffix) and tail[len(suffix):] in _AR_OBJECT_PRONOUNS:
            return True
    return False


# heads of organisation names that take a glued ب/ل (بحزب الله، لحركة حماس); names themselves may start with
# those letters (بشار، بغداد، لبنان), so a bare ب/ل is a preposition only before ال or one of these heads
_AR_ORG_HEADS = ("حزب", "حركه", "جماعه", "دوله", "منظمه", "جبهه", "مجلس", "وزاره", "جيش", "قوات", "حكومه", "سلطه",
                 "كتايب", "الويه", "تنظيم", "رييس", "وزير")


def _ar_negated(words: list[Word], k: int) -> bool:
    return k > 0 and words[k - 1].norm in AR_NEGATORS


# common words that start with ب/ل themselves (not a glued preposition)
_AR_B_L_WORDS = frozenset("""بين بعد بيان بلاد بلد بلدان بحث بناء برنامج بطوله ليله لجنه لقاء لدي لكن لان لقد ليس لها له لهم
لهذا لذلك بها به بهم بل بينما بشان بسبب بدء بدايه برلمان بنك بطل بيت بحر بري""".split())


def _glued_prep(word: str, vocabulary: frozenset[str] = frozenset(), mention: bool = False) -> str | None:
    """ب/ل glued to a noun: before ال (بالحركة، للحركة) or an organisation head (بحزب الله، لحركة حماس); on a
    common word («بجهود»، «بمواقف»); on a name when the article also has it bare («بسليماني» and «سليماني»:
    entity spans may carry the clitic; «بشار»، «بغداد»، «لبنان» are names)."""
    word = word.removeprefix("و")
    if word[:1] not in ("ب", "ل") or len(word) < 3:
        return None
    if word[1:3] == "ال" or word.startswith("لل") or word[1:].startswith(_AR_ORG_HEADS):
        return word[:1]
    if mention:
        return word[:1] if word[1:] in vocabulary else None
    if len(word) >= 4 and word not in _AR_B_L_WORDS:
        return word[:1]
    return None


_VOCABULARY: dict[int, frozenset[str]] = {}
_AR_NOT_YET = frozenset("مقرر مرتقب يعتزم تعتزم سوف يتوقع يتاخر تاجيل ارجاء الغاء".split())
_AR_CLAIMS = frozenset("اتهامات اتهام ادعاءات ادعاء مزاعم تصريحات عرض اقتراح احتجاج احتجاجا طلب مطالب رواية".split())
_AR_CLAUSE_OPENERS = ("وهو", "وهي", "وهم", "وقد", "وكان", "ولكن", "لكن", "وهذا", "وذلك", "واضاف", "وقال", "واكد",
                      "واوضح", "وتابع", "واشار", "فيما")
_AR_PREP_WINDOW = 4  # a preposition further back than this heads another phrase («بقصر الحكم أمس محافظ الهيئة …»)
_AR_TIME_WORDS = frozenset("امس يوم ايام اسبوع شهر عام ساعه ساعات مساء صباح وقت فتره ليله لحظه".split())
# words that open an actor's noun phrase (titles, offices, forces): a verb followed by one has its subject after it
_AR_TITLES = frozenset("""صاحب سمو السمو الملكي امير الامير ملك الملك رييس الرييس وزير الوزير وزيره نايب الشيخ الدكتور
السفير المندوب امين الامين خادم ولي محافظ قايد المتحدث الناطق مدير زعيم حركه الحركه حزب الحزب جماعه الجماعه قوات القوات
رييسا وزيرا زعيما طيران الطيران مقاتلات المقاتلات طايرات الطايرات جيش الجيش حكومه الحكومه وزاره الوزاره مجلس المجلس المبعوث منظمه
المنظمه المنسق رابطه جامعه الجامعه اتحاد الاتحاد وكاله الوكاله مسلحو مسلحي عناصر ميليشيات مليشيات الرئيس البيت الادارة
الاداره السلطات سلطات""".split())


def _mention_clitic(w: Word) -> str | None:
    """The preposition glued in front of a mention whose span leaves the clitic out («لترامب» with «ترامب»)."""
    prefix = w.norm[:w.mention[0] - w.start].removeprefix("و").removeprefix("ف")
    if prefix in ("ب", "ل", "لل", "بال", "ك"):
        return prefix[:1]
    return None


def _ar_prep_in(words: list[Word], a: int, b: int, wanted: tuple[str, ...] = ("ل",)) -> str | None:
    """The preposition governing the phrase of the mention at word ``b``: the nearest one before it in
    words[a:b + 1], not across a phrase boundary (comma); a ل of an idafa chain further back is passed over
    («مع الأمين العام لحزب الله»: مع; «اتصالاً هاتفياً بجلالة الملك»: ب; «مواقع لتنظيم داعش»: ل)."""
    vocabulary = _VOCABULARY.get(id(words), frozenset())
    for k in range(b, max(a, b - _AR_PREP_WINDOW) - 1, -1):
        w = words[k]
        bare = w.norm.removeprefix("و")
        if k + 1 < len(words) and words[k + 1].norm.removeprefix("ال") in _AR_TIME_WORDS:
            continue  # «أول من أمس», «في وقت مبكر», «منذ يوم»: a time, not the actor's preposition
        if k < b and (bare in AR_PREPOSITIONS or bare in ("ب", "ل")):
            if bare != "ل" or (k >= b - 1 and "ل" in wanted):
                return bare
        else:
            glued = _mention_clitic(w) if w.mention is not None and w.start < w.mention[0] else \
                _glued_prep(w.norm, vocabulary, mention=w.mention is not None)
            if glued and (glued != "ل" or (k >= b - 1 and "ل" in wanted)):  # else the ل of an idafa («القواعد … لمقاتلي حزب …»)
                return glued
        if _boundary(w) and k > a:
            return None
    return None


def _ar_event_before(words: list[Word], k: int) -> bool:
    """«اغتيال سليماني»: the name is the victim of an event noun, not the target of the verb."""
    return k > 0 and words[k - 1].norm.removeprefix("و").removeprefix("ال") in AR_EVENT_NOUNS


def _pick_person(words: list[Word], group: list[tuple[int, int, tuple[int, int, str]]]):
    people = [r for r in group if r[2][2] == "PERSON"]
    return (people[-1] if people else group[0])


def _ar_chain(runs, first: int, words: list[Word] | None = None) -> list:
    """A mention and the person named right after it (a title chain «… لحركة حماس إسماعيل هنية»); a name
    after a person or two places side by side are two actors («استقبل الأسد ظريف», «تهاجم إيران إسرائيل»)."""
    chain = [runs[first]]
    if first + 1 < len(runs):
        nxt = runs[first + 1]
        coordinated = words is not None and (words[nxt[0]].norm.startswith("و") and words[nxt[0]].start < nxt[2][0])
        if chain[0][2][2] != "PERSON" and nxt[2][2] == "PERSON" and nxt[0] == chain[0][1] and not coordinated:
            chain.append(nxt)  # «وصالح» after «مليشيات الحوثي» is a second actor, not a name in a title chain
    return chain


_AR_PRE_SUBJECT = frozenset("و ان انه كان كانت وكان وكانت قد وقد لقد ثم كما وكما بينما".split())


def _ar_subject_before(words, runs, k: int):
    """The actor right before a verb (SVO: «إيران تدين …», «وكانت ماي استقبلت …», «إن مقاتلات تركية إف-16 قصفت …»):
    the nearest mention ending at most 3 words before it, with no phrase boundary or preposition between, not
    itself behind a preposition."""
    for run in reversed(runs):
        if run[1] > k:
            continue
        between = words[run[1]:k]
        if len(between) > 3 or any(_boundary(w) for w in words[run[1]:k + 1]) or any(
                w.norm in AR_PREPOSITIONS or _glued_prep(w.norm) for w in between):
            return None
        first = words[run[0]]
        if run[0] > 0 and (words[run[0] - 1].norm in AR_PREPOSITIONS or _glued_prep(
                first.norm, _VOCABULARY.get(id(words), frozenset()), mention=True)):
            return None
        return run
    return None


def _coordinated(words, runs, run) -> list:
    """A mention and those joined to it by «و» or a comma («أستراليا وهولندا»، «لهستان، چك و اوكراين»)."""
    out = [run]
    n = runs.index(run) if run in runs else -1
    while 0 <= n < len(runs) - 1:
        nxt = runs[n + 1]
        gap = words[out[-1][1]:nxt[0]]
        joined = (not gap and (words[nxt[0]].norm.startswith("و") and words[nxt[0]].start < nxt[2][0]
                               or "،" in words[nxt[0]].sep or "," in words[nxt[0]].sep)) or (
            len(gap) == 1 and (gap[0].norm == "و" or (gap[0].norm.startswith("و") and gap[0].norm[1:].startswith(
                _AR_ORG_HEADS + ("تنظيم", "مليشيات", "ميليشيات", "قوات")))))
        if not joined:
            break
        out.append(nxt)
        n += 1
    return out


def _coordinated_before(words, runs, run, subject) -> list:
    """Mentions joined to ``run`` from before by «و» or a comma, after the subject («حماس و نوار غزه را»)."""
    out = []
    n = runs.index(run)
    while n > 0:
        prev = runs[n - 1]
        if prev[2][:2] == subject or prev[0] <= next((r[0] for r in runs if r[2][:2] == subject), -1):
            break
        gap = words[prev[1]:(out[0] if out else run)[0]]
        nxt = words[(out[0] if out else run)[0]]
        if not ((len(gap) == 1 and gap[0].norm == "و") or (not gap and ("،" in nxt.sep or "," in nxt.sep))):
            break
        out.insert(0, prev)
        n -= 1
    return out


def _ar_subject_group(words, runs, start: int):
    """Mentions after word ``start`` forming the subject phrase, or []."""
    for n, run in enumerate(runs):
        if run[0] < start:
            continue
        if run[0] - start > AR_MAX_SUBJECT_GAP or _ar_prep_in(words, start, run[0]) not in (None, "ل"):
            return []
        first = words[start].norm
        if run[0] > start and first not in _AR_TITLES and first.removeprefix("و") not in _AR_TITLES and not \
                first.startswith(("ال", "لل")) and first not in _AR_TIME_WORDS:
            return []  # «انتقد … مواصلةَ إيران دعمها»: a noun, not a title, stands first: the mention is no subject
        return _ar_chain(runs, n, words)
    return []


def _ar_light_at(words: list[Word], k: int):
    """A light verb at ``k`` and the act noun after it in its clause («شنت المقاتلات … غارات على …», «أجرى … اتصالاً
    هاتفياً بـ …», «وقعت المملكة … مع ناميبيا على بروتوكول …»): (predicate, object prepositions) or None."""
    word = words[k].norm
    for base in (word, word[1:] if word[:1] in ("و", "ف") else ""):
        for light, (nouns, predicate, preps) in AR_LIGHT.items():
            if base == light or (base.startswith(light) and base[len(light):] in _AR_SUFFIXES) or (
                    base[:1] in ("ي", "ت") and base[1:] == light):
                for w in words[k + 1:k + 26]:
                    if _boundary(w) and w is not words[k + 1]:
                        break
                    if _bare(w.norm) in nouns or w.norm in nouns:
                        return predicate, preps
    return None


def arabic_relations(text: str, p_start: int, p_end: int, index: MentionIndex) -> list[Found]:
    found: list[Found] = []
    vocabulary = _vocabulary(text)
    for s_start, s_end in _sentences(text, p_start, p_end):
        words = _words(text, s_start, s_end, index)
        _VOCABULARY[id(words)] = vocabulary
        runs = _mention_runs(words)
        if len(runs) < 2:
            _VOCABULARY.pop(id(words), None)
            continue
        previous_subject = None
        for k in range(len(words)):
            if words[k].mention is not None:
                continue
            verb = _ar_verb_at(words, k)
            if verb is not None and k > 0 and (words[k - 1].norm in AR_PREPOSITIONS or words[k - 1].norm == "اجل" or (
                    words[k].norm.startswith("و") and AR_NOUNS.get(_bare(words[k - 1].norm)))):
                continue  # «من أجل مساندة ودعم اليمن»: a verbal noun here, read by arabic_nominal
            if verb is None:
                light = _ar_light_at(words, k)
                if light is None:
                    continue
                verb = (light[0], light[1], 1, _ar_negated(words, k), False, False)
            predicate, preps, used, negated, pronoun_object, present = verb
            if pronoun_object:
                continue
            if words[k].norm.removeprefix("و").startswith(("سي", "ست", "سن")) or any(
                    w.norm.removeprefix("و").removeprefix("ال") in _AR_NOT_YET for w in words[max(0, k - 3):k]):
                continue  # «ومن المقرر أن يبحث», «سوف يلتقي»: yet to happen
            after = k + used
            before = _ar_subject_before(words, runs, k)
            adjacent = before is not None and (before[1] == k or (  # «وكانت ماي استقبلت …»: the subject stands before
                after < len(words) and words[after].mention is None and words[after].norm.removeprefix("و") not in _AR_TITLES))
            group = [] if before and (present or adjacent) else _ar_subject_group(words, runs, after)
            subject = obj = None
            if group:
                subject = _pick_person(words, group)
                obj = _ar_object(words, runs, group[-1][1], preps)
            elif before:  # SVO: «إيران تدين …»
                subject = before
                obj = _ar_object(words, runs, after, preps)
            latter = None
            if k > 0 and words[k - 1].norm in ("الاخير", "الاخيره") and not (before and before[1] == k):
                latter = (words[k - 1].start, words[k - 1].end)  # «أن الأخير استقبل …»: the person named last
                group = _ar_subject_group(words, runs, after)
                obj = _pick_person(words, group) if group and not preps else _ar_object(words, runs, after, preps)
                if obj is not None:
                    found.append(Found(predicate, _cue_span(words, k, after), latter, obj[2][:2], (s_start, s_end),
                                       negated, "ar:lexicon", subject_pronoun="latter"))
                continue
            if obj is None and group and before is None and k > 0 and words[k - 1].norm in ("ان", "انه", "حيث") \
                    and not preps:  # «أشار ترامب … بعد أن اتهم الصين»: the subject was named earlier, dropped here
                earlier = next((r for r in runs if r[1] <= k and not (r[0] > 0 and (
                    words[r[0] - 1].norm in AR_PREPOSITIONS or _glued_prep(words[r[0] - 1].norm)))), None)
                if earlier is not None and earlier[2] != group[0][2]:
                    subject, obj = earlier, _pick_person(words, group)
            if obj is None and previous_subject is not None and words[k].norm[:1] == "و":
                subject = previous_subject  # «إيران تدين … وتتهم واشنطن …»: a coordinated verb shares the subject
                obj = _ar_object(words, runs, after, preps)
            if subject is not None and (before or obj is not None):
                previous_subject = subject
            if subject is None or obj is None or obj[2] == subject[2]:
                continue
            if predicate == "deny" and any(w.norm in ("ان", "انه") or (w.mention is None and _bare(w.norm) not in _AR_CLAIMS)
                                           for w in words[subject[1]:obj[0]] if w.norm not in ("ايضا", "بشده")):
                continue  # «نفى X أن موراليس …», «ترفض تنفيذ …»: a proposition or an act is rejected, not an actor's claim
            if predicate == "criticize" and words[subject[0]].norm.removeprefix("ال").startswith("محكمه"):
                continue  # «أدانت المحكمة فلانة»: a court convicts
            cue = _cue_span(words, k, after)
            if text[cue[0]] in "وف" and words[k].norm[1:] != words[k].norm and _ar_verb_at([Word(words[k].norm[1:], 0, 0)], 0):
                cue = (cue[0] + 1, cue[1])  # «وأدانت»: the verb without its conjunction
            for s_run in _coordinated(words, runs, subject):
                for o_run in _coordinated(words, runs, obj):
                    if o_run[2] != s_run[2]:
                        found.append(Found(predicate, cue, s_run[2][:2], o_run[2][:2], (s_start, s_end), negated,
                                           "ar:lexicon"))
        found += arabic_nominal(words, runs, (s_start, s_end))
        _VOCABULARY.pop(id(words), None)
    return found


_VOCAB_CACHE: dict[int, tuple[str, frozenset[str]]] = {}


def _vocabulary(text: str) -> frozenset[str]:
    """The folded words of the whole article (to tell «بسليماني» = ب + «سليماني» from «بشار»)."""
    cached = _VOCAB_CACHE.get(id(text))
    if cached is not None and cached[0] is text:
        return cached[1]
    norm, _ = normalize_with_offsets(text)
    vocabulary = frozenset(WORD.findall(norm))
    _VOCAB_CACHE.clear()
    _VOCAB_CACHE[id(text)] = (text, vocabulary)
    return vocabulary


def _bare(word: str) -> str:
    """A folded Arabic word without conjunction, preposition and article («والاجتماع» → «اجتماع»)."""
    for prefix in ("وبال", "وال", "بال", "لل", "ال", "و", "ب", "ل"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    return word


def _between(words, runs, k: int, limit: int = 8):
    """«… بين X وY» within ``limit`` words after word ``k``: the two mentions, or None."""
    for j in range(k + 1, min(len(words), k + 1 + limit)):
        if words[j].norm in ("بين", "بين", "ميان"):
            after = [r for r in runs if r[0] > j]
            if len(after) >= 2 and after[0][0] - j <= 4 and after[1][0] - after[0][1] <= 4 and not any(
                    w.norm in AR_PREPOSITIONS or w.norm in FA_PREPOSITIONS for w in words[after[0][1]:after[1][0]]):
                return after[0], after[1]
            return None
    return None


def arabic_nominal(words, runs, s_span) -> list[Found]:
    """«اجتماع مع X» (the subject the nearest mention before), «الاتفاق بين روسيا وتركيا», «زيارة أردوغان لألمانيا»."""
    found = []
    for k, w in enumerate(words):
        ally = _ally(words, runs, k)
        if ally is not None:
            found.append(Found("cooperate", (w.start, w.end), ally[0][2][:2], ally[1][2][:2], s_span, False, "ar:noun"))
            continue
        spec = AR_NOUNS.get(w.norm.removeprefix("ال")) or AR_NOUNS.get(_bare(w.norm))  # «لقاءات» is no ل + «قاءات»
        if spec is None and w.mention is None and len(w.norm) > 4:  # «دعمها لنظام بشار الأسد»: the owner is named before
            stem = re.sub(r"(?:هما|هم|ها|ه)$", "", _bare(w.norm))
            spec = AR_NOUNS.get(stem) if stem != _bare(w.norm) else None
            if spec is not None:
                owner = next((r for r in reversed(runs) if r[1] <= k and k - r[1] <= 3), None)
                obj = _ar_object(words, runs, k + 1, spec[1]) if spec[1] else None
                if owner is not None and obj is not None and owner[2] != obj[2]:
                    found.append(Found(spec[0], (w.start, w.end), owner[2][:2], obj[2][:2], s_span, False, "ar:noun"))
                continue
        if spec is None or w.mention is not None or spec[0] == "cooperate" and not spec[1]:
            continue
        predicate, preps = spec
        cue = (w.start, w.end)
        if any(x.norm.removeprefix("و").removeprefix("ال").removeprefix("ي") in _AR_NOT_YET or x.norm.removeprefix("ال")
               in ("مقبل", "مقبله", "مرتقب", "مرتقبه", "محتمل", "محتمله") for x in words[max(0, k - 3):k + 4]):
            continue  # «قد يتأخر اجتماع ترامب مع روزنشتاين», «الزيارة المرتقبة»: not (yet) held
        pair = _between(words, runs, k)
        if pair is not None:
            found.append(Found(predicate, cue, pair[0][2][:2], pair[1][2][:2], s_span, False, "ar:noun"))
            continue
        after = [(n, r) for n, r in enumerate(runs) if r[0] > k]
        if not after or after[0][1][0] - k > 7:
            continue
        n, first = after[0]
        prep = _ar_prep_in(words, k + 1, first[0], preps or ("ل",))
        if prep in preps:  # «عقب اجتماع مع ريك بيري»: the subject is named before
            before = _ar_named_before(words, runs, k)
            if before is not None:
                for o_run in [_pick_person(words, _ar_chain(runs, n, words))] + _ar_list_items(words, runs, first):
                    if o_run[2] != before[2]:
                        found.append(Found(predicate, cue, before[2][:2], o_run[2][:2], s_span, False, "ar:noun"))
            continue
        if first[0] - k > 4:
            continue
        if prep is None and first[0] == k + 1 or (first[0] - k <= 3 and prep is None):  # «زيارة أردوغان لألمانيا»
            subject = _pick_person(words, _ar_chain(runs, n, words))
            obj = _ar_object(words, runs, subject[1], preps)
            if obj is not None and obj[2] != subject[2]:
                found.append(Found(predicate, cue, subject[2][:2], obj[2][:2], s_span, False, "ar:noun"))
            elif obj is None and first[0] == k + 1 and predicate in ("support", "attack", "criticize", "praise"):
                agent = _ar_named_before(words, runs, k)  # «المملكة التي سارعت من أجل مساندة ودعم اليمن»
                if agent is not None and agent[2] != subject[2]:
                    found.append(Found(predicate, cue, agent[2][:2], subject[2][:2], s_span, False, "ar:noun"))
    return found


def _ar_named_before(words, runs, k: int, reach: int = 8):
    """The nearest actor before word ``k`` (within ``reach`` words, no comma between) that is not itself behind a
    preposition («مشعل قدّم بنفسه التعزية بسليماني عبر اتصالات …»: مشعل, not سليماني)."""
    vocabulary = _VOCABULARY.get(id(words), frozenset())
    for run in reversed(runs):
        if run[1] > k:
            continue
        if k - run[1] > reach or any(_boundary(w) for w in words[run[1]:k + 1]):
            return None
        first = words[run[0]]
        clitic = _mention_clitic(first) if first.start < first.mention[0] else _glued_prep(first.norm, vocabulary, mention=True)
        if clitic or (run[0] > 0 and words[run[0] - 1].norm in AR_PREPOSITIONS):
            continue
        return run
    return None


def _ar_list_items(words, runs, run) -> list:
    """The further items of a list after ``run``, each opened by «، و…»: «مع وزير الخارجية … ظريف، والأمين العام
    لحزب الله السيد حسن نصر الله، ونائب سليماني … إسماعيل قاآني» (a person in each item, else its first actor)."""
    items = []
    k = run[1]
    while k < len(words):
        if not (_boundary(words[k]) and words[k].norm.startswith("و")):
            break
        end = k + 1
        while end < len(words) and not _boundary(words[end]):
            end += 1
        inside = [r for r in runs if k <= r[0] and r[1] <= end]
        if not inside:
            break
        people = [r for r in inside if r[2][2] == "PERSON"]
        items.append(people[-1] if people else inside[0])
        k = end
    return items


def _ar_object(words, runs, start: int, preps: tuple[str, ...]):
    """The first mention after word ``start`` behind one of ``preps`` (or behind none, or an idafa ل, when
    ``preps`` is empty); mentions behind other prepositions are adjuncts («في مقر الحكومة») and are passed over."""
    for n, run in enumerate(runs):
        if run[0] < start:
            continue
        if run[0] - start > AR_MAX_OBJECT_GAP or _ar_event_before(words, run[0]):
            return None
        if 0 < run[0] - start <= 3 and all(w.norm in _AR_TITLES or w.norm in ("منطقه", "امير") for w in words[start:run[0]]) \
                and not preps:
            continue  # «الأمير فيصل بن بندر أمير منطقة الرياض»: the place names the subject's office
        if any(_boundary(w) and (w.norm.startswith(_AR_CLAUSE_OPENERS) or w.norm in ("الذي", "التي", "حيث", "بينما"))
               for w in words[start + 1:run[0] + 1]):
            return None  # «…، وهو الاتهام الذي تنفيه الصين»: a new clause
        prep = _ar_prep_in(words, start, run[0], preps or ("ل",))
        if prep == "من" and any(w.norm.isdigit() for w in words[max(start, run[0] - 4):run[0]]):
            prep = None  # «قتلوا 5 من مليشيات الحوثي», «50 عضواً من أعضاء الكونجرس»: a number of them
        if preps:
            if prep in preps or (prep is None and ("مع" in preps or "ضد" in preps)):  # التقى X / بـ X / مع X
                return _pick_person(words, _ar_chain(runs, n, words))
            continue
        if prep in (None, "ل"):
            return _pick_person(words, _ar_chain(runs, n, words))
    return None


# ------------------------------------------------------------------------------------------ Persian

_FA_COMPOUND = re.compile(r"(?<!\S)(?P<noun>" + "|".join(sorted(map(re.escape, FA_COMPOUNDS), key=len, reverse=True))
                          + r")(?: \S+اي)? ?(?P<light>" + FA_LIGHT + r")(?!\S)")  # «ملاقات صمیمانه‌ای داشتند»
_FA_GAPPED = re.compile(r"(?<!\S)(?P<noun>" + "|".join(map(re.escape, FA_GAPPED)) + r") به(?: \S+){1,8}? (?P<light>"
                        + FA_LIGHT + r")(?!\S)")  # «او را متهم به … کرد»
_FA_SIMPLE = re.compile(r"(?<!\S)(?P<verb>(?:ن)?(?:" + "|".join(sorted(map(re.escape, FA_SIMPLE), key=len, reverse=True))
                        + r"))(?!\S)")
_FA_ACTION = re.compile(r"(?<!\S)اقدام به (?P<noun>" + "|".join(map(re.escape, FA_ACTION_NOUNS)) + r")(?!\S)")


def _fa_negated(light: str) -> bool:
    return light.startswith("نمي") or (light.startswith("ن") and not light.startswith(("نمود", "نما")))


def _fa_first_person(light: str) -> bool:
    return bool(re.search(r"(?:كنم|كردم|نمايم|نمودم)$", light))


def _word_index(words: list[Word], position: int) -> int:
    """The index of the word starting at or after an article position."""
    for k, w in enumerate(words):
        if w.end > position:
            return k
    return len(words)


def persian_relations(text: str, p_start: int, p_end: int, index: MentionIndex) -> list[Found]:
    found: list[Found] = []
    for s_start, s_end in _sentences(text, p_start, p_end):
        words = _words(text, s_start, s_end, index)
        if not any(w.mention for w in words):
            continue
        folded = " ".join(w.norm for w in words)
        starts = []  # folded position of each word
        pos = 0
        for w in words:
            starts.append(pos)
            pos += len(w.norm) + 1
        for match, predicate, markers, first_person, negated, action in _fa_verbs(folded):
            first = starts.index(match.start()) if match.start() in starts else None
            if first is None:
                continue
            last = first + len(match.group().split())
            cue = _cue_span(words, first, last)
            rel = _fa_relation(text, words, first, last, markers, action, first_person)
            if rel is None:
                continue
            subject, subject_pronoun, obj, object_pronoun = rel
            runs = _mention_runs(words)
            s_runs = _coordinated(words, runs, next((r for r in runs if r[2][:2] == subject), None)) \
                if not subject_pronoun and any(r[2][:2] == subject for r in runs) else [None]
            o_runs = _coordinated(words, runs, next((r for r in runs if r[2][:2] == obj), None)) \
                if not object_pronoun and any(r[2][:2] == obj for r in runs) else [None]
            if o_runs[0] is not None and not subject_pronoun:  # «حماس و نوار غزه را … تهدید کرد»
                o_runs = _coordinated_before(words, runs, o_runs[0], subject) + o_runs
            for s_run in s_runs:
                for o_run in o_runs:
                    s_span_ = s_run[2][:2] if s_run else subject
                    o_span_ = o_run[2][:2] if o_run else obj
                    if s_span_ != o_span_:
                        found.append(Found(predicate, cue, s_span_, o_span_, (s_start, s_end), negated, "fa:lexicon",
                                           subject_pronoun=subject_pronoun, object_pronoun=object_pronoun))
        found += persian_nominal(words, (s_start, s_end), {f.cue[0] for f in found})
    return found


FA_HYPOTHETICAL = frozenset("هرگونه گونه احتمالي احتمال بازدارنده پيشگيرانه طرح قصد تهديد".split())
FA_ALLY = frozenset("همپيمان متحد حليف حليفه".split())


def _ally(words: list[Word], runs, k: int):
    """«پاکستان، هم‌پیمان نزدیک آمریکا», «موسكو، حليفة رئيس النظام بشار الأسد»: (the actor before, the ally after)."""
    w = words[k]
    if w.mention is not None or not (w.norm in FA_ALLY or (w.norm == "هم" and k + 1 < len(words)
                                                           and words[k + 1].norm == "پيمان")):
        return None
    before = next((r for r in reversed(runs) if r[1] == k), None)
    after = next((r for r in runs if k < r[0] <= k + 5), None)
    if before is None or after is None or before[2] == after[2] or not _boundary(w):
        return None
    return before, after


def persian_nominal(words: list[Word], s_span, taken: set[int]) -> list[Found]:
    """«توافق اخیر بین سوریه و ترکیه», «دیدار … اردوغان از آلمان»: nouns naming the act, no light verb;
    «در حاشیه دیدار با وزیر … X», «با انتقاد از آمریکا»: the subject is the clause's first actor before the noun;
    «پاکستان، هم‌پیمان نزدیک آمریکا»: an ally."""
    runs = _mention_runs(words)
    found = []
    for k, w in enumerate(words):
        ally = _ally(words, runs, k)
        if ally is not None:
            found.append(Found("cooperate", (w.start, w.end), ally[0][2][:2], ally[1][2][:2], s_span, False, "fa:noun"))
            continue
        spec = FA_NOUNS.get(w.norm) or FA_NOUNS.get(re.sub(r"(?:هاي|ها|ي)$", "", w.norm))  # «توافق‌های»
        if spec is None or w.start in taken or w.mention is not None:
            continue
        if (k > 0 and words[k - 1].norm in FA_HYPOTHETICAL) or (k + 1 < len(words) and words[k + 1].norm in FA_HYPOTHETICAL) \
                or (k > 1 and words[k - 2].norm in ("هر", "هزينه", "هزينه‌هاي", "هزينه هاي")):
            continue  # «هر گونه حمله آمریکا به ایران», «حمله احتمالی», «هزینه‌های حمله»: not an act that happened
        predicate, preps = spec
        cue = (w.start, w.end)
        if any(x.norm in ("خواهد", "خواهند", "قرار", "ممكن", "تاخير", "تعويق", "لغو", "احتمالا") for x in words[k:]):
            continue  # «در جریان دیدار با … بررسی خواهد کرد»: yet to happen
        pair = _between(words, runs, k)
        if pair is not None:
            found.append(Found(predicate, cue, pair[0][2][:2], pair[1][2][:2], s_span, False, "fa:noun"))
            continue
        j = k + 1
        while j + 1 < len(words) and words[j].norm == "و" and words[j + 1].norm in FA_NOUNS:  # «دیدار و گفت‌وگو با X»
            j += 2
        if j < len(words) and words[j].norm in preps:  # «دیدار با X», «انتقاد از X»: subject named before
            obj = next((r for r in runs if j < r[0] <= j + 6), None)
            clause = _fa_clause_start(words, "", k)
            subject = next((r for r in runs if clause <= r[0] and r[1] <= k and not _behind_prep(words, r[0])), None) \
                or _fa_head_before_relative(words, runs, clause)
            if obj is not None and subject is not None and obj[2] != subject[2]:
                found.append(Found(predicate, cue, subject[2][:2], obj[2][:2], s_span, False, "fa:noun"))
            continue
        subject = next((r for r in runs if k < r[0] <= k + 5), None)
        if subject is None or _behind_prep(words, subject[0]):
            continue
        for j in range(subject[1], min(len(words), subject[1] + 3)):
            if words[j].norm in preps:
                obj = next((r for r in runs if j < r[0] <= j + 5), None)
                if obj is not None and obj[2] != subject[2]:
                    found.append(Found(predicate, cue, subject[2][:2], obj[2][:2], s_span, False, "fa:noun"))
                break
    return found


_FA_SUBJUNCTIVE = re.compile(r"^(?:ن)?(?:كن|نما|ساز|ده|شو)(?:د|ند|يم|ي|م)$")


def _fa_verbs(folded: str):
    for m in list(_FA_COMPOUND.finditer(folded)) + list(_FA_GAPPED.finditer(folded)):
        predicate, markers = FA_COMPOUNDS[m.group("noun")]
        light = m.group("light")
        if _FA_SUBJUNCTIVE.match(light.replace(" ", "")):
            continue  # «… حمایت نماید», «تا … دیدار کند»: subjunctive, wished or conditional, not asserted
        yield m, predicate, markers, _fa_first_person(light), _fa_negated(light), False
    for m in _FA_SIMPLE.finditer(folded):
        verb = m.group("verb")
        key = verb[1:] if verb.startswith("ن") and verb[1:] in FA_SIMPLE else verb
        predicate, markers = FA_SIMPLE[key]
        yield m, predicate, markers, False, key != verb, False
    for m in _FA_ACTION.finditer(folded):
        yield m, FA_ACTION_NOUNS[m.group("noun")], (), False, False, True


FA_FINITE = re.compile(r"(?:كرد|كردند|شد|شدند|است|بود|بودند|داد|دادند|گفت|گفتند|كند|كنند|شود|دارد|داشت|كرده|شده)$")


def _fa_clause_start(words: list[Word], text: str, before: int) -> int:
    """The first word of the clause ending at word ``before``: after «که», a colon, a quote mark, or a
    comma closing a clause («پس از اینکه … چاپ کرد، سفیر …»)."""
    start = 0
    for k in range(before):
        if words[k].norm == "كه":
            start = k + 1
        if k > 0 and CLAUSE_BREAK.search(words[k].sep):
            start = k
        if k > 0 and FA_FINITE.search(words[k - 1].norm) and "،" in words[k].sep:
            start = k
    return start


def _fa_relation(text: str, words: list[Word], first: int, last: int, markers: tuple[str, ...], action: bool,
                 first_person: bool):
    """((subject span), subject pronoun kind, (object span)) for the verb at words[first:last], or None."""
    clause = _fa_clause_start(words, text, first)
    runs = [r for r in _mention_runs(words) if r[0] >= clause]
    if action:  # «اقدام به ترور X كرد»: X right after the noun
        obj = next((r for r in runs if last <= r[0] <= last + 2), None)
    else:
        obj = _fa_object(words, runs, clause, first, markers)
    if obj is None and "با" in markers and first >= 2 and [w.norm for w in words[first - 2:first]] == ["با", "هم"]:
        together = [r for r in runs if r[1] <= first]  # «رهبران ترکیه و آلمان … با هم دیدار کردند»
        if len(together) >= 2:
            return together[0][2][:2], "", together[1][2][:2], ""
    object_pronoun = ""
    if obj is None and words[first].norm == "خواستار":  # «ایران خواستار تسریع … بخش پاکستانی … شد»: the actor asked
        stop = next((j for j in range(first + 1, len(words)) if words[j].norm == "كه"), len(words))
        obj = next((r for r in runs if first < r[0] <= min(first + 12, stop) and not _fa_event_before(words, r[0])), None)
    if obj is None and "را" in markers:  # «کره شمالی او را متهم … کرد»
        ra = max((k for k in range(clause, first) if words[k].norm == "را"), default=None)
        if ra is not None and ra > 0 and words[ra - 1].norm in FA_PRONOUNS:
            obj, object_pronoun = (ra - 1, ra, (words[ra - 1].start, words[ra - 1].end, "")), "third"
    if obj is None:
        return None
    subject = None
    for run in runs:
        if run[0] >= obj[0] or run[2] == obj[2]:
            break
        if _behind_prep(words, run[0]) or _fa_reporting(words, run[0]):
            continue
        if run[1] < len(words) and words[run[1]].norm == "را":
            continue
        if first - run[1] > FA_MAX_GAP + 24:
            continue
        subject = run
        break
    if subject is None:
        subject = _fa_head_before_relative(words, _mention_runs(words), clause)
    if subject is not None and subject[2] != obj[2]:
        return subject[2][:2], "", obj[2][:2], object_pronoun
    pronoun = next((w for w in words[clause:obj[0]] if w.norm in FA_PRONOUNS), None)
    if pronoun is not None and not object_pronoun:
        return (pronoun.start, pronoun.end), "third", obj[2][:2], ""
    if first_person and not object_pronoun:
        return (words[first].start, words[first].end), "first", obj[2][:2], ""
    return None


def _fa_head_before_relative(words: list[Word], runs, clause: int):
    """«علی‌اکبر صالحی … که برای شرکت در کنفرانس … به سر می‌برد، امروز با شکولنیک دیدار کرد»: when the clause
    opens with a relative «که», the main clause's subject is the actor before it."""
    if clause <= 0 or words[clause - 1].norm != "كه":
        return None
    outer = _fa_clause_start(words, "", clause - 1)
    head = next((r for r in runs if outer <= r[0] and r[1] <= clause - 1 and not _behind_prep(words, r[0])
                 and not (r[1] < len(words) and words[r[1]].norm == "را")), None)
    if head is None or any(FA_FINITE.search(w.norm) for w in words[head[1]:clause - 1]):
        return None  # «… بدین معنی بود که …»: «که» after a finite verb opens a complement, not a relative clause
    return head


def _fa_reporting(words: list[Word], k: int) -> bool:
    """Word ``k`` is inside «به گزارش …،» / «به نقل از …،» (the news agency reporting, not an actor of the clause)."""
    for j in range(k - 1, -1, -1):
        if _boundary(words[j + 1]):
            return False
        if words[j].norm in ("گزارش", "نقل") or "خبرگزاري" in words[j].norm:
            return True
    return False


def _behind_prep(words: list[Word], k: int) -> bool:
    return k > 0 and words[k - 1].norm in FA_PREPOSITIONS


def _fa_event_before(words: list[Word], k: int) -> bool:
    """«ترور سلیمانی را محکوم کرد»: the name is the victim of the act condemned, not its target."""
    return k > 0 and words[k - 1].norm in FA_EVENT_NOUNS


def _fa_object(words: list[Word], runs, clause: int, verb: int, markers: tuple[str, ...]):
    """The object mention: before «را» or after the noun's preposition, in the words before the verb."""
    for marker in markers:
        if marker == "را":
            ra = max((k for k in range(clause, verb) if words[k].norm == "را"), default=None)
            if ra is None:
                continue
            if any(FA_FINITE.search(w.norm) for w in words[ra + 1:verb]):
                continue  # that «را» belongs to a verb in between («… را روی صفحات … ارسال کرده، رد کرد»)
            # the last mention before «را» that is not inside a prepositional phrase
            # («حمله آمریکا به عراق را محکوم کرد»: آمریکا, not عراق)
            if ra > 0 and words[ra - 1].norm in FA_PRONOUNS:
                return None  # «او را»: a pronoun object, resolved by the caller
            before = [r for r in runs if r[1] <= ra and not _behind_prep(words, r[0]) and (
                ra - r[1] <= 3 or (ra - r[1] <= 8 and any(w.norm in FA_PREPOSITIONS for w in words[r[1]:ra])))]
            if before and not _fa_event_before(words, before[-1][0]):
                return before[-1]
        else:
            prep = max((k for k in range(clause, verb) if words[k].norm == marker), default=None)
            if prep is None or verb - prep > FA_MAX_GAP:
                continue
            after = [r for r in runs if prep < r[0] < verb and r[0] - prep <= 7
                     and not any(w.norm in FA_PREPOSITIONS for w in words[prep + 1:r[0]])]
            if after and not _fa_event_before(words, after[0][0]):
                return after[0]
    return None
