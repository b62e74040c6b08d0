"""Who said what: quotes with their speaker, cue and addressee, in English, Arabic and Persian.

- English: reporting verbs and their subjects from spaCy's dependency parse
  (:mod:`newsgraph.enrich.quotes_en`), plus every quotation-mark span; then a small model trained on
  PolNeAR (:mod:`newsgraph.enrich.quotes_model`) drops rule cues it finds unlikely, picks the content
  span of dependency-rule cues, and adds the attributions whose cue the rules do not know
  ("expected that …", "refused to …", "her claim that …");
- Arabic and Persian: reporting-verb lexicons and patterns (:mod:`newsgraph.enrich.quotes_arfa`);
- all languages: quote marks of every style over several paragraphs (:mod:`newsgraph.enrich.quotes_marks`),
  and interview layouts (``Q:``/``A:``, ``The host:``/``Dr. al-Zahar:``), answers given to the interviewee.

The speaker is narrowed to a mention of the entities stage (PERSON first, then ORG); pronouns and
descriptions ("he", "the official", "his eminence") go to the nearest preceding fitting named person,
or stay unresolved (``speaker_resolved=False``). Every span indexes ``article.text``.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsgraph.enrich.english import parse_batch, parseable
from newsgraph.enrich.quotes_arfa import AR_CUE, FA_CUE, arabic_candidates, persian_candidates
from newsgraph.enrich.quotes_en import Candidate, english_candidates, in_source_candidates, is_pronoun
from newsgraph.enrich.quotes_marks import quote_mark_spans, strip_marks
from newsgraph.enrich.quotes_model import attribution_model, best_content, cue_scores, model_candidates
from newsgraph.model import Article, Mention, Quote

QUOTES_VERSION = "quotes-2"
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
HOST_LABELS = re.compile(r"^(?:q|question|the host|host|interviewer|presenter|anchor|moderator|"
                         r"س|سؤال|السؤال|پرسش|سوال|سؤال)$", re.I)
# A turn labelled with a publication's name is the publication asking ("The Daily Star:", "Al-Ahram:")
PUBLICATION_LABEL = re.compile(r"^(?:the\s+)?(?:[A-Z][\w.’'\-]*\s+){0,3}(?:Times|News|TV|Post|Daily|Herald|Journal|Agency|"
                               r"Press|Radio|Magazine|Gazette|Tribune|Observer|Monitor|Review|Star|Telegraph)$")
ANSWER_LABELS = re.compile(r"^(?:a|answer|ج|جواب|الجواب|پاسخ)$", re.I)
TURN_LABEL = re.compile(r"(?:(?<=^)|(?<=^[\"“])|(?<=[.?!؟…\"”’:]\s)|(?<=[.?!؟…]))\s*(?P<label>Q|A|س|ج|[A-Z][\w.’'\- ]{1,30}?|[\u0600-\u06FF][\u0600-\u06FF\s.]{1,25}?)\s?[:：]\s*",
                        re.M)
FLOATING_MIN_WORDS = 6


# --- interview turns ------------------------------------------------------------------------------

def _turn_labels(article: Article) -> list[tuple[int, int, str]]:
    """(label start, content start, label) for each turn marker: at a paragraph start, or Q:/A: after a sentence."""
    found = []
    for para in article.paragraphs:
        chunk = article.text[para.start:para.end]
        for m in TURN_LABEL.finditer(chunk):
            label = m.group("label").strip()
            inline = bool(chunk[:m.start()].strip(" \"“'"))
            if inline and label not in ("Q", "A", "س", "ج"):
                continue
            found.append((para.start + m.start("label"), para.start + m.end(), label))
    counts: dict[str, int] = {}
    for _, _, label in found:
        counts[label] = counts.get(label, 0) + 1
    pairs = {"Q": "A", "A": "Q", "س": "ج", "ج": "س"}
    keep = [t for t in found if counts[t[2]] >= 2 and (t[2] not in pairs or counts.get(pairs[t[2]], 0) >= 1)]
    named = {t[2] for t in keep}
    return keep if len(named) >= 2 else []


def _turn_end(article: Article, start: int, next_label: int | None) -> int:
    """A turn runs to the next label, or to the end of its paragraph when it is the last one."""
    if next_label is not None:
        return next_label
    para = next((p for p in article.paragraphs if p.start <= start <= p.end), None)
    return para.end if para else len(article.text)


QUESTION_BULLET = re.compile(r"^\s*[◀►▶■▪]")
MAX_ANSWER_PARAGRAPHS = 12


def _bullet_turns(article: Article) -> list[tuple[int, int, int, int, str]]:
    """``◀ question?`` paragraphs with unlabelled answers after them (as on the Persian seed 004): each
    question is a host turn ("Q"), the paragraphs up to the next question an answer ("A", no cue)."""
    paras = article.paragraphs
    bullets = [k for k, p in enumerate(paras) if QUESTION_BULLET.match(article.text[p.start:p.end])]
    asks = bullets or [k for k, p in enumerate(paras) if p.kind == "question"]
    if not bullets and len(asks) < 2:
        return []
    turns = []
    for n, k in enumerate(asks):
        q = paras[k]
        turns.append((q.start, q.start, q.start, q.end, "Q"))
        last = min(asks[n + 1] if n + 1 < len(asks) else len(paras), k + 1 + MAX_ANSWER_PARAGRAPHS)
        if last > k + 1:
            turns.append((paras[k + 1].start, paras[k + 1].start, paras[k + 1].start, paras[last - 1].end, "A"))
    return turns


def interview_turns(article: Article) -> list[tuple[int, int, int, int, str]]:
    """(label start, label end, content start, content end, label) for every turn."""
    labels = _turn_labels(article)
    if not labels:
        return _bullet_turns(article)
    turns = []
    for k, (l_start, c_start, label) in enumerate(labels):
        nxt = labels[k + 1][0] if k + 1 < len(labels) else None
        end = _turn_end(article, c_start, nxt)
        turns.append((l_start, l_start + len(label), c_start, end, label))
    return turns


def _lede_speaker(article: Article, quotes: list[Quote], before: int, any_person: bool = True) -> Mention | None:
    """The interviewee named before the first turn: the speaker of a quote there, else (for labelled
    Q:/A: layouts) the first PERSON named there; None when the page does not say."""
    for q in quotes:
        if q.start < before and q.speaker_mention_start is not None:
            return _mention_at(article, q.speaker_mention_start, q.speaker_mention_end)
    if not any_person:
        return None
    return next((m for m in article.mentions if m.label == "PERSON" and m.start < before), None)


def _mention_at(article: Article, start: int | None, end: int | None) -> Mention | None:
    return next((m for m in article.mentions if m.start == start and m.end == end), None)


def _label_mention(article: Article, label: str, l_start: int) -> Mention | None:
    """The mention the label names: one inside the label, else an earlier PERSON sharing its last word."""
    inside = [m for m in article.mentions if l_start <= m.start and m.end <= l_start + len(label) and m.label == "PERSON"]
    if inside:
        return inside[0]
    last = re.split(r"[\s.]+", label.strip())[-1].lower()
    for m in article.mentions:
        if m.label == "PERSON" and last and last in m.text.lower():
            return m
    return None


def _is_host_label(label: str, article: Article) -> bool:
    """Q, Host, Interviewer … or the name of a publication (the article's own outlet included)."""
    label = label.strip()
    outlet = (article.outlet or "").strip().lower()
    return bool(HOST_LABELS.match(label) or PUBLICATION_LABEL.match(label) or (outlet and label.lower() == outlet))


def interview_quotes(article: Article, lede_quotes: list[Quote], turns) -> tuple[list[Quote], list[tuple[int, int]]]:
    """Answers as ``interview`` quotes of the interviewee; returns also the host turns' ranges."""
    if not turns:
        return [], []
    labelled = any(l_end > l_start for l_start, l_end, *_ in turns)
    interviewee = _lede_speaker(article, lede_quotes, turns[0][0], any_person=labelled)
    quotes: list[Quote] = []
    host: list[tuple[int, int]] = []
    for l_start, l_end, c_start, c_end, label in turns:
        if _is_host_label(label, article):
            host.append((l_start, c_end))
            continue
        start, end = strip_marks(article.text, c_start, c_end)
        if end - start < 2:
            continue
        if ANSWER_LABELS.match(label):
            mention = interviewee
            speaker = (mention.start, mention.end) if mention else None
        else:
            mention = _label_mention(article, label, l_start)
            speaker = (l_start, l_end)
        cue = (l_start, l_end + 1 if article.text[l_end:l_end + 1] in ":：" else l_end) if l_end > l_start else None
        quotes.append(_make_quote(article, (start, end), "interview", cue, speaker, mention, None, "interview"))
    return quotes, host


# --- speakers -------------------------------------------------------------------------------------

def _mentions_in(article: Article, start: int, end: int) -> list[Mention]:
    return [m for m in article.mentions if start <= m.start and m.end <= end and m.label in SPEAKER_LABELS]


def _inside_marks(pos: int, marks: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in marks)


def antecedent(article: Article, before: int, marks: list[tuple[int, int]], want: str = "PERSON",
               recent: list[Mention] | None = None) -> Mention | None:
    """The nearest preceding named ``want`` mention outside quotation marks (recent speakers first)."""
    if recent:
        for m, said_at in reversed(recent):
            if m.label == want and m.end <= before and 0 <= before - said_at < 3000:
                return m
    best = None
    for m in article.mentions:
        if m.label == want and m.end <= before and not _inside_marks(m.start, marks) and len(m.text) > 2:
            best = m
    return best


PERSON_PRONOUNS = frozenset("he she his eminence her eminence هو هي او وی ایشان".split()) | {"his eminence", "her eminence"}
PERSON_NOUNS = frozenset("""
official politician diplomat leader minister president spokesman spokeswoman spokesperson commander attaché attache
envoy ambassador secretary chief head general cleric lawmaker senator governor mayor analyst expert professor scholar
writer author activist eminence imam sheikh chairman director representative premier candidate nominee congressman
congresswoman judge lawyer colonel lieutenant ayatollah cleric founder deputy adviser advisor aide
المسؤول الدبلوماسي الوزير الرئيس المتحدث القيادي السفير المستشار الأمين النائب الزعيم الشيخ القائد الملحق المبعوث
وزیر سخنگو رئیس سفیر مقام دیپلمات فرمانده رهبر نماینده مشاور دبیر معاون
""".split())


def _fits_person(text: str) -> bool:
    """A pronoun or a singular person description ("the diplomat", "the Leader", "his eminence", "الوزير")."""
    words = re.findall(r"[\w’'-]+", text.lower())
    if not words or len(words) > 12:
        return False
    if " ".join(words) in PERSON_PRONOUNS or (len(words) == 1 and words[0] in PERSON_PRONOUNS):
        return True
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    return head in PERSON_NOUNS or (words[0] in PERSON_NOUNS and len(words) <= 3)


def _speaker_mention(article: Article, region: tuple[int, int] | None, marks, recent) -> tuple[Mention | None, tuple[int, int] | None]:
    """(mention naming the speaker, speaker span as written) for a speaker region."""
    if region is None:
        return None, None
    region = _without_dateline(article.text, region)
    inside = _mentions_in(article, *region)
    people = [m for m in inside if m.label == "PERSON"]
    if people:
        return people[0], (people[0].start, people[0].end)
    heads = [m for m in inside if _is_head(article.text, m, region)]
    if heads:
        return heads[0], region
    text = article.text[region[0]:region[1]]
    if _fits_person(text):
        return antecedent(article, region[0], marks, "PERSON", recent), region
    return None, region


DATELINE = re.compile(r"^[A-Z][A-Z .,]+ ?[–—-]+ ?")


def _without_dateline(text: str, region: tuple[int, int]) -> tuple[int, int]:
    m = DATELINE.match(text, region[0], region[1])
    return (m.end(), region[1]) if m and m.end() < region[1] else region


def _is_head(text: str, mention: Mention, region: tuple[int, int]) -> bool:
    """The mention is the speaker itself ("Hamas said"), not a modifier of a description ("a Hamas official")."""
    tail = text[mention.end:region[1]].strip(" ,’'s")
    head = text[region[0]:mention.start].strip(" ,").lower()
    return (not tail or tail.startswith(("(", ","))) and head in ("", "the", "al", "ال")


def _make_quote(article: Article, content, kind, cue, speaker, mention: Mention | None, addressee, method) -> Quote:
    text = article.text
    return Quote(
        article.id, content[0], content[1], text[content[0]:content[1]], kind,
        cue=text[cue[0]:cue[1]] if cue else None, cue_start=cue[0] if cue else None, cue_end=cue[1] if cue else None,
        speaker_text=text[speaker[0]:speaker[1]] if speaker else None,
        speaker_start=speaker[0] if speaker else None, speaker_end=speaker[1] if speaker else None,
        speaker_mention_start=mention.start if mention else None, speaker_mention_end=mention.end if mention else None,
        speaker_resolved=mention is not None,
        addressee=text[addressee[0]:addressee[1]] if addressee else None, method=method)


# --- candidates -----------------------------------------------------------------------------------

def _english_docs(article: Article, skip: list[tuple[int, int]]):
    # a paragraph too long to parse (english.parseable) gets quote marks only
    paras = [p for p in article.paragraphs if (p.lang or article.lang) == "en" and not _covered(p.start, p.end, skip)
             and parseable(article.text[p.start:p.end])]
    docs = parse_batch([article.text[p.start:p.end] for p in paras])
    return list(zip(docs, [p.start for p in paras]))


def _covered(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _direct_kind(text: str, content: tuple[int, int], marks) -> str:
    inner = [(s, e) for s, e in marks if content[0] <= s + 1 and e - 1 <= content[1]]
    if not inner:
        return "indirect"
    covered = sum(e - s for s, e in inner)
    return "direct" if covered >= 0.9 * (content[1] - content[0]) else "mixed"


def _with_marks(text: str, content: tuple[int, int], marks) -> tuple[int, int]:
    """Widen a content span to the quote marks that enclose it (``“…,” he said`` keeps its marks; a quote
    that opened paragraphs earlier keeps its opening)."""
    for s, e in marks:
        if s <= content[0] <= e and e - 3 <= content[1] <= e and (content[0] <= s + 2 or "\n" in text[s:content[0]]):
            return (s, e)
    return content


def _arabic_script_candidates(article: Article, marks, skip) -> list[Candidate]:
    found: list[Candidate] = []
    for p in article.paragraphs:
        lang = p.lang or article.lang
        if _covered(p.start, p.end, skip):
            continue
        if lang == "ar":
            found.extend(arabic_candidates(article.text, p.start, p.end, marks))
        elif lang == "fa":
            found.extend(persian_candidates(article.text, p.start, p.end, marks))
    return found


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


TRAILING = re.compile(r"[\s,;:—–-]*(?:\b(?:and|but|or|while|as|because|so)\b[\s,]*)?$", re.I)


def _trimmed_before(text: str, start: int, end: int) -> int:
    """``end`` moved left over spaces, commas and a dangling conjunction ("…, and" / "… but")."""
    m = TRAILING.search(text, start, end)
    return m.start() if m else end


def _inner_start(outer: Candidate, inner: Candidate) -> int | None:
    """Where an attribution nested inside ``outer``'s content begins (its speaker, cue or content, whichever is
    first inside the outer content), or None when ``inner`` is not nested there."""
    lo, hi = outer.content
    if inner is outer or inner.cue is None or not (lo < inner.cue[0] < hi) or (outer.cue and lo <= outer.cue[0] < hi):
        return None
    starts = [inner.cue[0]] + [span[0] for span in (inner.speaker, inner.content) if span and lo < span[0] < hi]
    return min(starts)


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content region: with a speaker first, then the longer."""
    ranked = sorted(cands, key=lambda c: (c.speaker is None, c.method in ("colon", "dash", "headline"), -(c.content[1] - c.content[0])))
    kept: list[Candidate] = []
    for c in ranked:
        if any(_overlaps(c.content, k.content) and _share(c.content, k.content) > 0.5 for k in kept):
            continue
        if c.speaker and any(_overlaps(c.speaker, k.content) for k in kept if k.speaker):
            pass
        kept.append(c)
    return sorted(kept, key=lambda c: c.content)


def _share(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))


def _floating(article: Article, marks, cands: list[Candidate], skip) -> list[Candidate]:
    """Quote-mark spans no cue claimed: long ones (a sentence or more) go to the speaker before them."""
    found = []
    for s, e in marks:
        if _covered(s, e, skip) or any(_overlaps((s, e), c.content) for c in cands):
            continue
        inner = article.text[s:e]
        if len(inner.split()) < FLOATING_MIN_WORDS:
            continue
        found.append(Candidate(strip_marks(article.text, s, e), "direct", None, None, method="marks:floating"))
    return found


COLON_SPEAKER = re.compile(r"(?:^|(?<=[.!?؟»”\"]\s))(?P<spk>[^:.!?؟«»\"“”\n]{2,60}?)\s*:\s*(?=[«\"“„‹])")


EN_CUE_WORD = re.compile(r"\b(?:said|says|say|added|adds|told|tells|wrote|writes|asked|explained|stated|declared|"
                         r"noted|continued|insisted|warned|argued|tweeted|replied|responded)\b", re.I)


def _names_a_cue(region: str) -> bool:
    return bool(EN_CUE_WORD.search(region) or AR_CUE.search(region) or FA_CUE.search(region))


def _colon_candidates(article: Article, marks, skip) -> list[Candidate]:
    """``Mr. Adams: “…”`` / ``آقای آدامز: «…»``: a short name, a colon and a quote."""
    found = []
    for p in article.paragraphs:
        if _covered(p.start, p.end, skip):
            continue
        for m in COLON_SPEAKER.finditer(article.text, p.start, p.end):
            span = next(((s, e) for s, e in marks if s == m.end()), None)
            words = m.group("spk").split()
            if span is None or len(words) > 6:
                continue
            region = (m.start("spk"), m.end("spk"))
            if _names_a_cue(m.group("spk")):  # "وأضاف: «…»", "he said: “…”" belong to the cue finders
                continue
            if len(words) > 3 and not _mentions_in(article, *region):
                continue
            colon = article.text.index(":", m.end("spk"))
            found.append(Candidate(span, "direct", (colon, colon + 1), region, method="colon"))
    return found


DASH_SPEAKER = re.compile(r"\s*[―—–-]\s*(?P<spk>[^\n.,;:!?“”\"«»]{2,60}?)(?=[.,;]?\s*(?:$|[“\"«”]|\n))")


def _dash_candidates(article: Article, marks, skip) -> list[Candidate]:
    """``“…” ― Sonya Herridge``: a quote signed with a dash and a short name."""
    found = []
    for s, e in marks:
        if _covered(s, e, skip):
            continue
        m = DASH_SPEAKER.match(article.text, e)
        if m is None or len(m.group("spk").split()) > 5 or not m.group("spk")[:1].isupper():
            continue
        dash = article.text.index(m.group().strip()[0], e)
        found.append(Candidate((s, e), "direct", (dash, dash + 1), (m.start("spk"), m.end("spk")), method="dash"))
    return found


# labels that open a line with a colon and name no speaker
NOT_SPEAKERS = frozenset({"q", "a", "note", "update", "updated", "correction", "corrections", "clarification", "editor's note",
                          "editors' note", "the latest", "related", "read more", "watch", "video", "photos", "breaking",
                          "exclusive", "opinion", "analysis", "disclosure", "source", "sources"})
HEADLINE_SPEAKER = re.compile(r"^(?P<spk>[A-Z][\w.’'\- ]{1,40}?|[\u0600-\u06FF][\u0600-\u06FF\s]{1,30}?)\s?:\s+(?=\S)")


def _headline_candidates(article: Article, skip) -> list[Candidate]:
    """``Graham: Trump’s rhetoric destroying GOP’s chance`` — a short paragraph led by a name and a colon."""
    found = []
    for p in article.paragraphs:
        chunk = article.text[p.start:p.end]
        m = HEADLINE_SPEAKER.match(chunk)
        if m is None or _covered(p.start, p.end, skip) or len(chunk.split()) > 30 or len(m.group("spk").split()) > 4:
            continue
        if any(ch.isdigit() for ch in m.group("spk")) or m.group("spk").strip().lower().replace("’", "'") in NOT_SPEAKERS:
            continue
        content = (p.start + m.end(), p.end)
        if len(article.text[content[0]:content[1]].split()) < 3:
            continue
        colon = p.start + chunk.index(":", m.end("spk"))
        found.append(Candidate(content, "indirect", (colon, colon + 1), (p.start + m.start("spk"), p.start + m.end("spk")),
                               method="headline"))
    return found


SPLIT_SCORE = 0.8  # a model cue at least this likely inside a rule's content ends that content (chosen on PolNeAR dev)


def _split_host(text: str, host: Candidate, inner: Candidate, min_words: int = 3) -> bool:
    """End ``host``'s content where ``inner`` (a cue found inside it) begins; False when that is not possible."""
    if host.kind == "direct" or host.method in ("colon", "dash", "headline", "marks:floating", "interview"):
        return False
    cut = _inner_start(host, inner)
    if cut is None:
        return False
    end = _trimmed_before(text, host.content[0], cut)
    if len(text[host.content[0]:end].split()) < min_words:
        return False
    host.content = (host.content[0], end)
    return True


def _additions(text: str, extra: list[Candidate], marks, kept: list[Candidate], skip) -> list[Candidate]:
    """Candidates found after the rules (``in a poll, …``, the model's cues, most likely first): kept when
    neither their cue nor most of their content falls inside an attribution already found, as PolNeAR gives
    each word one role; a likely cue inside a rule's content ends that content instead."""
    added: list[Candidate] = []
    for c in extra:
        if _inside_marks(c.cue[0], marks) or _covered(c.content[0], c.content[1], skip):
            continue
        hosts = [k for k in kept + added if _overlaps(c.cue, k.content)]
        if len(hosts) == 1 and c.score >= SPLIT_SCORE:
            _split_host(text, hosts[0], c)
        if any(_overlaps(c.cue, k.content) or (k.cue and _overlaps(k.cue, c.content))
               or _share(c.content, k.content) > 0.5 for k in kept + added):
            continue
        added.append(c)
    return added


def _with_model_scores(cands: list[Candidate], scored, model) -> list[Candidate]:
    """English rule candidates get the model's P(cue) of their cue word: those below the model's rule floor are
    dropped, and for dependency-rule candidates the content model picks the span among the cue's dependents
    (unless it would hold the speaker or the cue)."""
    p_at = {offset + token.idx: (p, token, offset) for token, offset, p in scored}
    kept = []
    for c in cands:
        if c.method.startswith("en:") and c.cue is not None and c.cue[0] in p_at:
            c.score, token, offset = p_at[c.cue[0]]
            if c.score < model.rule_floor:
                continue
            if c.method.startswith("en:dep"):
                content = _option_span(best_content(model, token), offset)
                if content and not (c.speaker and _overlaps(content, c.speaker)) and not _overlaps(content, c.cue):
                    c.content = content
        kept.append(c)
    return kept


def _option_span(option, offset: int) -> tuple[int, int] | None:
    if option is None or len(option[1]) < 2:
        return None
    first, last = option[1][0], option[1][-1]
    return offset + first.idx, offset + last.idx + len(last.text)


def find_candidates(article: Article, marks, skip) -> list[Candidate]:
    docs = _english_docs(article, skip)
    cands = [c for c in english_candidates(docs, marks) if not _inside_marks(c.cue[0], marks)]
    cands += _dash_candidates(article, marks, skip)
    cands += _arabic_script_candidates(article, marks, skip)
    cands += _colon_candidates(article, marks, skip)
    cands += _headline_candidates(article, skip)
    cands = [c for c in cands if not _covered(c.content[0], c.content[1], skip)]
    model = attribution_model()
    scored = cue_scores(docs, marks, [(m.start, m.end, m.label) for m in article.mentions], model) if model else []
    if model is not None:
        cands = _with_model_scores(cands, scored, model)
    cands = _dedupe(cands)
    extra = [c for doc, offset in docs for c in in_source_candidates(doc, offset)]
    if model is not None:
        taken = {c.cue[0] for c in cands if c.cue}
        extra += sorted(model_candidates(scored, taken, model), key=lambda c: -c.score)
    cands += _additions(article.text, extra, marks, cands, skip)
    cands += _floating(article, marks, cands, skip)
    return _join_continuations(article, sorted(cands, key=lambda c: c.content), marks)


def _same_paragraph(article: Article, a: int, b: int) -> bool:
    return any(p.start <= a and b <= p.end for p in article.paragraphs)


def _join_continuations(article: Article, cands: list[Candidate], marks=()) -> list[Candidate]:
    """``“A,” Graham said. “B.”`` / ``“A,” he said, “and B.”``: the quote after an attributed quote's cue
    continues it (as PolNeAR and readers take it); a cue-less candidate inside the continuation goes."""
    out: list[Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and c.method == "marks:floating" and prev.cue is not None
                and 0 <= c.content[0] - prev.content[1] <= 250 and _same_paragraph(article, prev.content[0], c.content[1])):
            prev.content = (prev.content[0], c.content[1])
            continue
        out.append(c)
    for c in out:
        if c.cue is None or c.cue[0] < c.content[1] or article.text[c.content[0]] not in "“\"«„‹‘'":
            continue
        nxt = next(((s, e) for s, e in marks if c.cue[1] <= s <= c.cue[1] + 200 and _same_paragraph(article, c.content[0], e)
                    and not any(o is not c and o.cue and o.cue != c.cue and (c.cue[1] <= o.cue[0] < s or _overlaps(o.content, (s, e)))
                                for o in out)), None)
        if nxt is None:
            continue
        between = article.text[c.cue[1]:nxt[0]]
        if not re.search(r"[.?!]", between) or (len(between.split()) <= 12 and between.rstrip().endswith((".", "?", "!"))):
            c.content = (c.content[0], nxt[1])
    kept = []
    for c in out:
        if any(o is not c and (c.cue is None or c.cue == o.cue) and _share(c.content, o.content) > 0.5
               and (o.content[1] - o.content[0]) > (c.content[1] - c.content[0]) for o in out):
            continue
        kept.append(c)
    return kept


def _previous_speaker(last, position: int):
    """(mention, span) of the last attributed quote when it ended within 3,000 characters, else (None, None)."""
    if last is None or position - last[2] > 3000:
        return None, None
    return last[0], last[1]


def _speaker_for(article: Article, c: Candidate, marks, recent, last):
    """(mention, speaker span) for a candidate: its own speaker, else the previous quote's (pro-drop, floating)."""
    if c.speaker is not None:
        return _speaker_mention(article, c.speaker, marks, recent)
    if c.method.startswith("en:model"):  # no subject ("X is expected to …"): PolNeAR gives no source either
        return None, None
    mention, span = _previous_speaker(last, c.content[0])
    if span is None and c.method != "marks:floating":
        mention = antecedent(article, c.content[0], marks)
        span = (mention.start, mention.end) if mention else None
    return mention, span


def _resolve(article: Article, cands: list[Candidate], marks) -> list[Quote]:
    quotes: list[Quote] = []
    recent: list[tuple[Mention, int]] = []
    last = None  # (mention, speaker span, end of the quote)
    for c in cands:
        mention, speaker = _speaker_for(article, c, marks, recent, last)
        content = _with_marks(article.text, c.content, marks) if c.kind != "indirect" or c.method.startswith("en") else c.content
        kind = c.kind if c.method.startswith(("ar", "fa")) else _direct_kind(article.text, content, marks)
        if c.method == "marks:floating":
            kind = "direct"
        quotes.append(_make_quote(article, content, kind, c.cue, speaker, mention, c.addressee, c.method))
        if c.method.startswith("en:model"):
            continue  # the model's broader attributions ("X enjoyed wide appeal") do not decide who "he" is next
        if mention is not None and mention.label in ("PERSON", "ORG"):
            recent.append((mention, c.content[1]))
        if speaker is not None and not (c.speaker is not None and _is_pronoun_span(article, speaker) and mention is None):
            last = (mention, (mention.start, mention.end) if mention and c.speaker is None else speaker, c.content[1])
    return quotes


def _is_pronoun_span(article: Article, span: tuple[int, int]) -> bool:
    return is_pronoun(article.text[span[0]:span[1]])


def find_quotes(article: Article) -> list[Quote]:
    """Every quote of the article, in text order, spans into ``article.text``."""
    paragraphs = [(p.start, p.end) for p in article.paragraphs] or [(0, len(article.text))]
    marks = quote_mark_spans(article.text, paragraphs)
    turns = interview_turns(article)
    if not turns:
        return _resolve(article, find_candidates(article, marks, []), marks)
    lede = _resolve(article, find_candidates(article, marks, [(turns[0][0], len(article.text))]), marks)
    interview, host = interview_quotes(article, lede, turns)
    skip = [(q.cue_start if q.cue_start is not None else q.start, q.end) for q in interview] + host  # answers are the interviewee's; host turns are no quotes
    quotes = _resolve(article, find_candidates(article, marks, skip), marks)
    return sorted(quotes + interview, key=lambda q: (q.start, q.end))


def model_versions() -> str:
    """What shaped the output, for the ``runs`` table: the rules' version and the shipped model file."""
    import hashlib

    from newsgraph.enrich.quotes_model import MODEL_FILE, model_path

    path = model_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path else "no model (rules only)"
    return f"{QUOTES_VERSION}; {Path(MODEL_FILE).name}:{digest}"


def quotes_component(article: Article) -> Article:
    """Pipeline component: fill ``article.quotes``."""
    article.quotes = find_quotes(article)
    return article
