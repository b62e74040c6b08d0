"""Arabic and Persian attributions from reporting-verb lexicons and patterns.

Arabic (VSO): ``[و|ف]قال[ت] <speaker> إن/أن/: <content>``, ``«…»، قال <speaker>``, ``بحسب/وفقاً لـ <source>``.
Persian (SOV): ``<speaker> … گفت/افزود/تأکید کرد … که/: <content>``, ``به گفته <source>، …``,
``«…»، <speaker> گفت.``

Each finder returns :class:`~newsgraph.enrich.quotes_en.Candidate` records in article offsets; the
speaker span is the text between the cue and the complementiser (Arabic) or between the clause start
and the cue (Persian), to be narrowed to a mention by :mod:`newsgraph.enrich.quotes`.
"""

from __future__ import annotations

import re

from newsgraph.enrich.quotes_en import Candidate

_AR_VERB_STEMS = [
    "قال", "أكد", "اكد", "أضاف", "اضاف", "أشار", "اشار", "أوضح", "اوضح", "شدد", "شدّد", "اعتبر", "رأى", "صرح", "صرّح",
    "لفت", "تابع", "أعلن", "اعلن", "ذكر", "كشف", "نوه", "نوّه", "بيّن", "حذر", "حذّر", "أفاد", "افاد", "زعم",
    "ادعى", "نفى", "أردف", "اردف", "استطرد", "اختتم", "أوضح", "أقر", "أقرّ", "اعترف", "قالا", "قالوا",
    "أكدوا", "أضافوا", "غرد", "غرّد", "أبلغ", "ابلغ", "أخبر", "اخبر", "توقع", "طالب", "دعا", "أعرب",
    "يقول", "تقول", "يرى", "ترى", "يؤكد", "تؤكد", "يضيف", "تضيف", "يعتقد", "تعتقد", "اعتقد", "أوضحت",
    "مستدركا", "مستدركاً", "مضيفا", "مضيفاً", "مشيرا", "مشيراً", "مؤكدا", "مؤكداً", "معتبرا", "معتبراً", "موضحا",
    "موضحاً", "لافتا", "لافتاً", "محذرا", "محذراً", "قائلا", "قائلاً",
]
# feminine and plural endings on past-tense verbs: قالت، أكدت، قالوا
_AR_VERB = "(?:" + "|".join(sorted({re.escape(v) for v in _AR_VERB_STEMS}, key=len, reverse=True)) + ")(?:ت|وا|ا)?"
AR_CUE = re.compile(r"(?<![\w\u0600-\u06FF])(?:[وف])?(?P<cue>" + _AR_VERB + r")(?![\u0621-\u064A])")
AR_COMP = re.compile(r"(?:\s|^)(?P<comp>(?:ب|وب)?[إأا]نّ?(?:ه|ها|هم|هما|نا|ني)?)(?=[\s«\"“])|\s*(?P<colon>:)|\s*(?P<mark>[«\"“])")
AR_ACCORDING = re.compile(r"(?<![\w\u0600-\u06FF])(?P<cue>(?:و)?(?:بحسب|حسب|وفق(?:ا|اً|ًا)?\s*ل|طبق(?:ا|اً|ًا)?\s*ل|نقلا\s*عن|نقلاً\s*عن))")

_FA_VERBS = [
    "گفت", "گفته است", "گفته‌است", "می‌گوید", "میگوید", "می گوید", "گفتند", "می‌گویند", "افزود", "افزوده است",
    "افزودند", "اظهار داشت", "اظهار کرد", "اظهار داشتند", "عنوان کرد", "اعلام کرد", "اعلام کردند", "اعلام داشت",
    "خاطرنشان کرد", "خاطر نشان کرد", "یادآور شد", "یادآوری کرد", "تصریح کرد", "ادامه داد", "توضیح داد", "اضافه کرد",
    "هشدار داد", "مدعی شد", "ابراز کرد", "ابراز داشت", "بیان کرد", "بیان داشت", "نوشت", "نوشته است", "تاکید کرد",
    "تأکید کرد", "تاکید کردند", "تأکید کردند", "اذعان کرد", "تأیید کرد", "تایید کرد", "پاسخ داد", "اشاره کرد",
    "معتقد است", "ادعا کرد", "گزارش داد", "تصریح کردند", "گفته بود", "افزود", "بیان کردند", "توییت کرد",
    "اعتقاد دارد", "اظهار امیدواری کرد", "ابراز امیدواری کرد", "انتقاد کرد", "گفته", "اشاره دارد",
    "اشاره کرده است", "اضافه می‌کند", "تعریف می‌کند", "تعریف کرد", "می‌افزاید", "اعلام می‌کند", "تأکید می‌کند",
    "تاکید می‌کند", "توضیح می‌دهد", "هشدار می‌دهد", "می‌نویسد", "نوشته", "خبر داد", "گزارش داده است",
]
_FA_VERB = "(?:" + "|".join(sorted({re.escape(v).replace(r"\ ", r"[\s\u200c]?").replace("\u200c", r"[\s\u200c]?")
                                     for v in _FA_VERBS}, key=len, reverse=True)) + ")"
FA_CUE = re.compile(r"(?<![\u0600-\u06FF\u200c])(?<!باید )(?<!می‌توان )(?<!\sبه )(?<!^به )(?<!\sطبق )(?<!^طبق )(?P<cue>" + _FA_VERB + r")(?![\u0600-\u06FF\u200c])(?!\s*(?:شد|شده|می‌شود|است\s+که\s+او))")
FA_COMP = re.compile(r"\s*(?:(?P<comp>که)(?=\s)|(?P<colon>:)|(?P<mark>[«\"“]))")
FA_ACCORDING = re.compile(r"(?<![\u0600-\u06FF])(?P<cue>به\s*گفته(?:\u200cی|ی)?|طبق\s*گزارش|به\s*گزارش|به\s*نقل\s*از|طبق\s*گفته(?:\u200cی|ی)?|بنا\s*بر\s*گفته(?:\u200cی|ی)?|به\s*اعتقاد)(?=\s)")

SENTENCE_END = re.compile(r"[.!?؟]+(?=\s|$|[»”\"])|\n")


def trim_at_next_cue(found: list[Candidate]) -> list[Candidate]:
    """A content stops where another reporting clause of the paragraph begins (its speaker, else its cue)."""
    for c in found:
        for other in found:
            if other is c or other.cue is None:
                continue
            head = min(other.cue[0], other.speaker[0]) if other.speaker and other.speaker[0] > c.content[0] else other.cue[0]
            if c.content[0] + 8 < head < c.content[1] and not (other.content[0] <= c.content[0]):
                c.content = (c.content[0], head)
    return [c for c in found if c.content[1] - c.content[0] >= 8]


def _inside_curly(text: str, pos: int, marks: list[tuple[int, int]]) -> bool:
    """Inside a «…» or “…” span (straight-quote spans are too often unbalanced to trust for this)."""
    return any(s < pos < e and text[s] != '"' for s, e in marks)


def _sentence_end(text: str, pos: int, limit: int, marks: list[tuple[int, int]]) -> int:
    """The end of the sentence that starts at or before ``pos`` (a quote span running past it wins)."""
    for m in SENTENCE_END.finditer(text, pos, limit):
        end = m.start()
        inside = next((e for s, e in marks if s < end < e and text[s] != '"'), None)
        if inside is not None:
            if inside >= limit:
                return limit
            return _sentence_end(text, inside, limit, marks) if inside < limit else limit
        return end
    return limit


def _sentence_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in ".!?؟\n":
        i -= 1
    while i < pos and text[i].isspace():
        i += 1
    return i


def _mark_at(marks: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in marks if s == pos), None)


TRAILING_CONJUNCTION = re.compile(r"[\s،,]+(?:و?لكن(?:ه|ها|هم)?|و|اما|ولی)$")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Without edge spaces and commas, a dangling «ولكنه»/«اما», and with a closing quote mark that
    the sentence's full stop left outside (``«… الحماقة.»``)."""
    while start < end and (text[start].isspace() or text[start] in "،,:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "،,:"):
        end -= 1
    tail = TRAILING_CONJUNCTION.search(text, start, end)
    if tail and tail.start() > start:
        end = tail.start()
    if re.match(r"[.!?؟]?[\"”»]", text[end:end + 2]) and _open_straight(text[start:end]):
        end += 2 if text[end] in ".!?؟" else 1
    return start, end


def _open_straight(chunk: str) -> bool:
    return chunk.count('"') % 2 == 1 or chunk.count("«") > chunk.count("»") or chunk.count("“") > chunk.count("”")


def _content_after(text: str, comp: re.Match, limit: int, marks) -> tuple[tuple[int, int], str]:
    """Content after إن/أن/که/: — the quote span when one opens there, else to the sentence end."""
    start = comp.end() if comp.group("mark") is None else comp.start("mark")
    while start < limit and text[start].isspace():
        start += 1
    span = _mark_at(marks, start)
    if span:
        rest = text[span[1]:limit]
        tail = SENTENCE_END.search(rest)
        tail_end = span[1] + (tail.start() if tail else len(rest))
        kind = "mixed" if comp.group("comp") else "direct"
        return (comp.start("comp") if comp.group("comp") else span[0], span[1]), kind
    end = _sentence_end(text, start, limit, marks)
    kind = "mixed" if any(start <= s < end for s, _ in marks) else "indirect"
    head = comp.start("comp") if comp.group("comp") else start
    return (head, end), kind


def arabic_candidates(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> list[Candidate]:
    found: list[Candidate] = []
    for m in AR_CUE.finditer(text, p_start, p_end):
        if _inside_curly(text, m.start(), marks):
            continue
        window_end = min(p_end, m.end() + 260)
        comp = None
        for c in AR_COMP.finditer(text, m.end(), window_end):
            if c.group("mark") and len(text[slice(*(_mark_at(marks, c.start("mark")) or (0, 0)))].split()) < 3:
                continue
            if c.group("colon") or c.group("mark"):
                between = text[m.end():c.start()]
                if len(between.split()) <= 24:
                    comp = c
                break
            comp = c
            break
        if comp is None:
            found.extend(_arabic_quote_before(text, m, p_start, p_end, marks))
            continue
        between_end = comp.start("comp") if comp.group("comp") else comp.start()
        if len(text[m.end():between_end].split()) > 24:
            continue
        content, kind = _content_after(text, comp, p_end, marks)
        content = _strip(text, *_cut_at_next_cue(text, content))
        if content[1] - content[0] < 8:
            continue
        speaker, addressee = _arabic_speaker(text, m.end(), between_end)
        if speaker is None:
            speaker = _arabic_speaker_before(text, _sentence_start(text, m.start(), p_start), m.start())
        found.append(Candidate(content, kind, (m.start("cue"), m.end("cue")), speaker, addressee, method="ar:cue"))
    found.extend(_according(text, p_start, p_end, marks, AR_ACCORDING, "ar"))
    return trim_at_next_cue(found)


def _cut_at_next_cue(text: str, content: tuple[int, int]) -> tuple[int, int]:
    """``إن مكتبه أصدر بيانًا وقال، … إن …``: a content stops where the next reporting clause begins."""
    for m in AR_CUE.finditer(text, content[0] + 10, content[1]):
        if text[m.start()] in "وف" or re.search(r"[،,]\s*(?:لكنه|لكنها|ولكنه|ولكنها)?\s*$", text[content[0]:m.start()]):
            if not _inside_curly(text, m.start(), []):
                return content[0], m.start()
    return content


AR_SETTING = re.compile(r"\s(?:في|خلال|أمام)\s+(?:ال)?(?:شهادة|مقابلة|حديث|تصريح|تصريحات|بيان|مؤتمر|تجمع|كلمة|خطاب|لقاء|إحاطة|جلسة)")


AR_ADVERBIAL = re.compile(r"^(?:في|خلال|قبل|بعد|أمس|اليوم|عبر|على|لـ?\S*|ل|إلى|الى|أيضا|أيضاً|كذلك)(?:\s|$)")
AR_TO = re.compile(r"(?:في\s+(?:حديث|مقابلة|تصريح(?:ات)?)\s+(?:إلى|الى|ل|لـ|مع)\s*|ل)(?P<to>[^،,]+)")


def _arabic_speaker(text: str, start: int, end: int):
    """(speaker region, addressee) between the cue and إن/أن/:; no speaker when the region is an adverbial."""
    span = _strip(text, start, end)
    if span[1] <= span[0]:
        return None, None
    region = text[span[0]:span[1]]
    to = AR_TO.match(region)
    addressee = (span[0] + to.start("to"), span[0] + to.end("to")) if to and region.startswith("في") else None
    relative = re.search(r"،\s*(?:التي|الذي|الذين|وهو|وهي)\s", region) or AR_SETTING.search(region)
    if relative:
        span = (span[0], span[0] + relative.start())
        region = text[span[0]:span[1]]
    if AR_ADVERBIAL.match(region):
        rest = region.split("،", 1)
        if len(rest) == 2 and rest[1].strip() and not AR_ADVERBIAL.match(rest[1].strip()):
            offset = span[0] + len(rest[0]) + 1
            return _strip(text, offset, span[1]), addressee
        return None, addressee
    return span, addressee


# The subject written before the verb: «وسبق لفلان، وهو …، أن أكد», «وكان فلان قد أكد»
AR_SUBJECT_BEFORE = re.compile(r"(?<![\w\u0600-\u06FF])(?:و|ف)?(?:سبق\s*ل(?:ـ)?(?P<after>[^،.]+?)(?:،[^.]*)?\s+[أا]ن"
                               r"|كان(?:ت)?\s+(?P<before>[^،.]+?)\s+قد)\s*$")


def _arabic_speaker_before(text: str, sentence_start: int, cue_start: int) -> tuple[int, int] | None:
    """The speaker named before the cue in «سبق لـX أن قال» and «كان X قد قال» (pluperfect), else None."""
    found = AR_SUBJECT_BEFORE.search(text, sentence_start, cue_start)
    if not found:
        return None
    group = "after" if found.group("after") else "before"
    return _strip(text, found.start(group), found.end(group))


def _arabic_quote_before(text, m, p_start, p_end, marks) -> list[Candidate]:
    """``«…»، قال فلان`` — a quote ending just before the cue."""
    before = re.sub(r"[\s،,]*(?:كما|و)?[\s،,]*$", "", text[p_start:m.start()])
    prior = next(((s, e) for s, e in marks if e == p_start + len(before)), None)
    if prior is None:
        return []
    end = _sentence_end(text, m.end(), p_end, marks)
    speaker = _strip(text, m.end(), end)
    speaker = (speaker[0], min(speaker[1], speaker[0] + 80))
    return [Candidate(prior, "direct", (m.start("cue"), m.end("cue")), speaker if speaker[1] > speaker[0] else None,
                      method="ar:quote-before")]


def _according(text, p_start, p_end, marks, pattern, lang) -> list[Candidate]:
    """``بحسب X، …`` / ``به گفته X، …``: the source runs to the next comma; the content is the rest of the sentence."""
    found = []
    for m in pattern.finditer(text, p_start, p_end):
        if any(s < m.start() < e for s, e in marks):
            continue
        comma = re.compile(r"[،,:]").search(text, m.end(), min(p_end, m.end() + 100))
        s_start = _sentence_start(text, m.start(), p_start)
        s_end = _sentence_end(text, m.end(), p_end, marks)
        if comma and comma.start() < s_end:
            source = _strip(text, m.end(), comma.start())
            content = _strip(text, comma.end(), s_end)
            if m.start() - s_start > 10:  # "…، بحسب X" at the end: content before it
                content = _strip(text, s_start, m.start())
                source = _strip(text, m.end(), s_end)
        elif m.start() - s_start > 10:
            source = _strip(text, m.end(), s_end)
            content = _strip(text, s_start, m.start())
        else:  # «به گفته وی بیکاری …»: a one-word source, the rest is the content
            word = re.compile(r"\S+").search(text, m.end(), s_end)
            if word is None:
                continue
            source, content = word.span(), _strip(text, word.end(), s_end)
        if lang == "fa":
            source = _fa_speaker_region(text, *source) or source
        if content[1] - content[0] < 10 or source[1] <= source[0] or len(text[source[0]:source[1]].split()) > 10:
            continue
        if (AR_CUE if lang == "ar" else FA_CUE).search(text, content[0], min(content[1], content[0] + 12)):
            continue
        found.append(Candidate(content, "indirect", (m.start("cue"), m.end("cue")), source, method=f"{lang}:according"))
    return found


def persian_candidates(text: str, p_start: int, p_end: int, marks: list[tuple[int, int]]) -> list[Candidate]:
    found: list[Candidate] = []
    for m in FA_CUE.finditer(text, p_start, p_end):
        if _inside_curly(text, m.start(), marks):
            continue
        cand = _persian_candidate(text, m, p_start, p_end, marks)
        if cand is not None:
            found.append(cand)
    found.extend(_according(text, p_start, p_end, marks, FA_ACCORDING, "fa"))
    return trim_at_next_cue(found)


def _persian_candidate(text: str, m: re.Match, p_start: int, p_end: int, marks) -> Candidate | None:
    """One cue: content after که/:/«, else a quote just before, else the rest of the sentence, else before a comma."""
    s_start = _sentence_start(text, m.start(), p_start)
    prior = _quote_ending_before(text, marks, s_start, m.start())
    comp = FA_COMP.match(text, m.end())
    speaker = _fa_speaker_region(text, prior[1] if prior else s_start, m.start())
    if comp is not None and (comp.group("comp") or comp.group("colon") or comp.group("mark")):
        content, kind = _content_after(text, comp, p_end, marks)
    elif prior is not None:
        content, kind = prior, "direct"
    else:
        s_end = _sentence_end(text, m.end(), p_end, marks)
        rest = _strip(text, m.end(), s_end)
        if len(text[rest[0]:rest[1]].split()) >= 4:  # zero complementiser: «او گفت تلاش‌های وی …»
            content, kind = rest, "indirect"
        else:
            content, kind = _fa_content_before(text, s_start, m.start())
            if content is None:
                return None
            speaker = _fa_speaker_region(text, content[1], m.start())
    content = _strip(text, *content)
    if content[1] - content[0] < 8:
        return None
    return Candidate(content, kind, (m.start("cue"), m.end("cue")), speaker, method="fa:cue")


def _quote_ending_before(text, marks, s_start, cue_start):
    for s, e in marks:
        if s_start <= s and e <= cue_start and len(text[e:cue_start].split()) <= 6 and len(text[s:e].split()) >= 3:
            return (s, e)
    return None


FA_ADJUNCT = re.compile(r"(?:^|\s)(?:از|پس|قبل|بعد|روز|صبح|شب|عصر|هنگام|وقتی|اینکه)(?:\s|$)")
FA_SUBORDINATE = re.compile(r"^(?:پس از|بعد از|قبل از|هنگامی|وقتی|در حالی|با توجه|اگر|چون|صبح|عصر|روز|شب)")


def _fa_speaker_region(text: str, start: int, cue_start: int) -> tuple[int, int] | None:
    """Persian subject: from the clause start to the cue, without a leading subordinate clause and cut
    before «در/با/به …» adjuncts."""
    span = _strip(text, start, cue_start)
    if span[1] <= span[0]:
        return None
    region = text[span[0]:span[1]]
    relative = re.search(r"\sکه\s", region)
    if relative and relative.start() > 1:
        span = (span[0], span[0] + relative.start())
        region = text[span[0]:span[1]]
    coordinated = re.search(r"\s(?:است|بود|شد|کرد|کرده|اند|بودند)\s+و\s+", region)
    if coordinated:
        span = _strip(text, span[0] + coordinated.end(), span[1])
        region = text[span[0]:span[1]]
    if "،" in region and (FA_SUBORDINATE.match(region) or FA_ADJUNCT.search(region.split("،", 1)[0])):
        span = _strip(text, span[0] + region.index("،") + 1, span[1])
        region = text[span[0]:span[1]]
    earlier = list(FA_CUE.finditer(region))
    if earlier:  # «… می‌گوید که …، اما به این نکته هم اشاره دارد»: the subject is the earlier clause's
        span = _strip(text, span[0] + earlier[-1].end(), span[1])
        region = text[span[0]:span[1]]
    cut = re.search(r"(?:^|\s)(?:در|با|روز|امروز|دیروز|طی|ضمن|هنگام|پس از|به|صبح|عصر|شب)\s", region)
    if cut:
        span = (span[0], span[0] + cut.start())
    lead = re.match(r"(?:(?:اما|ولی|و|همچنین|نیز|هم)\s+)+", text[span[0]:span[1]])
    if lead:
        span = (span[0] + lead.end(), span[1])
    span = _strip(text, *span)
    return span if span[1] > span[0] and text[span[0]:span[1]] not in ("اما", "و", "ولی", "هم") else None


def _fa_content_before(text: str, s_start: int, cue_start: int):
    """``…، او گفت.``: content before the last comma of the clause, speaker after it."""
    clause = text[s_start:cue_start]
    comma = clause.rfind("،")
    if comma < 10 or len(clause[comma + 1:].split()) > 6:
        return None, "indirect"
    return (s_start, s_start + comma), "indirect"
