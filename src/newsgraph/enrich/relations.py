"""Who did what to whom: typed relations between named actors, with evidence, in en/ar/fa.

- English: the dependency parse (:mod:`newsgraph.enrich.relations_en`), reusing the quotes stage's parse;
- Arabic and Persian: verb lexicons and word-order patterns (:mod:`newsgraph.enrich.relations_arfa`);
- the taxonomy (nine CAMEO-like predicates with polarity) is :mod:`newsgraph.enrich.relations_lexicon`.

Subject and object are mentions of the entities stage (PERSON, ORG, GPE, LOC, NORP) in the same
sentence; "I" inside a quote is its speaker and "he"/"she"/"وی"/"او" the nearest preceding named
person. A relation inside a quote is attributed to the quote's speaker (``attributed_*``): the article
reports that speaker asserting it; otherwise the article asserts it. Runs after entities and quotes.

Each found cue is read in context (:func:`retype`): "attacked" between people or organisations with no word of
force in the sentence is criticism; a visit or trip to a place is no meeting; a warning is a threat only when it
threatens something; sport fixtures and transfers are no relations. Two mentions of one actor never relate
(:func:`same_actor`). In Arabic and Persian paragraphs a name the entities stage tagged once is an actor where
it recurs (:func:`repeated_names`); such endpoints are added to the article's mentions. Labelling rules and the
gold sets: ``bench/data/RELATIONS_GUIDELINE.md``.
"""

from __future__ import annotations

import re

from newsgraph.enrich.relations_en import Found, MentionIndex, english_relations
from newsgraph.enrich.relations_lexicon import LEXICON_VERSION, POLARITY, VISIT_CUES
from newsgraph.model import Article, Mention, Quote, Relation

RELATIONS_VERSION = "relations-2"
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})


def model_versions() -> str:
    return f"{RELATIONS_VERSION}; {LEXICON_VERSION}"


def _english_docs(article: Article):
    """The shared parse of the article's English paragraphs (made by the entities stage)."""
    from newsgraph.enrich.english import parse_batch, parseable

    paras = [p for p in article.paragraphs if (p.lang or article.lang) == "en" and parseable(article.text[p.start:p.end])]
    if not paras:
        return []
    return list(zip(parse_batch([article.text[p.start:p.end] for p in paras]), [p.start for p in paras]))


def _arabic_script(article: Article, index: MentionIndex) -> list[Found]:
    from newsgraph.enrich.relations_arfa import arabic_relations, persian_relations

    found: list[Found] = []
    for p in article.paragraphs:
        lang = p.lang or article.lang
        if lang == "ar":
            found += arabic_relations(article.text, p.start, p.end, index)
        elif lang == "fa":
            found += persian_relations(article.text, p.start, p.end, index)
    return found


def _enclosing_quote(quotes: list[Quote], position: int) -> Quote | None:
    inside = [q for q in quotes if q.start <= position < q.end]
    return min(inside, key=lambda q: q.end - q.start) if inside else None


def _mention_at(mentions: list[Mention], start: int | None, end: int | None) -> Mention | None:
    return next((m for m in mentions if m.start == start and m.end == end), None)


def _endpoint(article: Article, span: tuple[int, int], pronoun: str, quote: Quote | None,
              extra: list[Mention] = ()) -> Mention | None:
    """The mention itself; for "I" (or a first-person verb) in a quote its speaker; for "he"/"she"/"وی"
    the person :func:`salient_person` finds."""
    if pronoun == "first":
        if quote is None:
            return None
        return _mention_at(article.mentions, quote.speaker_mention_start, quote.speaker_mention_end)
    if pronoun == "third":
        return salient_person(article, span[0])
    if pronoun == "it":  # "its support of Russia": the state or organisation named last before it, in the sentence
        line_start = max(article.text.rfind(". ", 0, span[0]), article.text.rfind("\n", 0, span[0])) + 1
        bodies = [m for m in article.mentions if m.label in ("GPE", "ORG") and line_start <= m.start and m.end <= span[0]]
        return max(bodies, key=lambda m: m.end) if bodies else None
    if pronoun == "latter":  # «الأخير», "the latter": the person named last before it
        people = [m for m in list(article.mentions) + list(extra) if m.label == "PERSON" and m.end <= span[0]]
        return max(people, key=lambda m: m.end) if people else None
    return _mention_at(article.mentions, *span) or _mention_at(list(extra), *span)


REPEATABLE = ("PERSON", "ORG", "GPE")


def repeated_names(article: Article, actors: list[Mention]) -> list[Mention]:
    """In Arabic and Persian paragraphs, the further occurrences of a name the entities stage found once
    elsewhere in the article («هنية»، «مشعل» tagged in one sentence and not in the next), a glued و/ب/ل/ف in
    front left outside the span. Only names of 3+ letters that do not themselves start with a clitic."""
    paragraphs = [p for p in article.paragraphs if (p.lang or article.lang) in ("ar", "fa")]
    if not paragraphs:
        return []
    names: dict[str, str] = {}
    for m in actors:
        text = m.text.strip()
        if m.label in REPEATABLE and len(text) >= 3 and not text.startswith(("و", "ف", "بال", "لل", "ال ")) \
                and not any(c.isdigit() for c in text) and "(" not in text:
            names.setdefault(text, m.label)
    taken = sorted((m.start, m.end) for m in article.mentions)
    extra: list[Mention] = []
    for text, label in names.items():
        pattern = re.compile(r"(?<![\w\u200c])(?:[وفبل]|ول|وب|فل)?(" + re.escape(text) + r")(?![\w\u200c])")
        for p in paragraphs:
            for hit in pattern.finditer(article.text, p.start, p.end):
                start, end = hit.span(1)
                if any(s < end and start < e for s, e in taken):
                    continue
                taken.append((start, end))
                extra.append(Mention(article.id, start, end, text, label, p.lang or article.lang, "relations:repeat"))
    return extra


SENTENCE_BREAK = re.compile(r"[.!?؟]\s|\n")
MAX_SENTENCES_BACK = 4


def salient_person(article: Article, position: int) -> Mention | None:
    """The person a "he"/"she"/"وی" at ``position`` most likely is: the first named person of its own
    sentence before it, else of the nearest earlier sentence naming one (the first-named is usually the
    subject: "Kavanaugh denied … Dr. Christine Blasey Ford. He also condemned …" is Kavanaugh)."""
    people = [m for m in article.mentions if m.label == "PERSON" and m.end <= position and len(m.text) > 2]
    if not people:
        return None
    end = position
    for _ in range(MAX_SENTENCES_BACK + 1):
        breaks = [b.end() for b in SENTENCE_BREAK.finditer(article.text, 0, end)]
        start = breaks[-1] if breaks and breaks[-1] < end else 0
        inside = [m for m in people if start <= m.start < end]
        if inside:
            return inside[0]
        if start == 0:
            return None
        end = start - 1
    return None


# words of force: with none of them in the sentence, "attacked" between people or organisations is verbal
VIOLENCE = re.compile(
    r"\b(?:kill|wound|injur|shot|shoot|stab|bomb|missile|rocket|drone|troop|soldier|army|armed|forces|military|militant"
    r"|gunm|gunfire|weapon|gun|knife|airstrike|air strike|raid|invasion|invad|war\b|tank|artiller|shell|explos|terror"
    r"|violen|physical|punch|beat|hostage|kidnap)"
    r"|قتل|جرح|صاروخ|صواريخ|قصف|غار|مسلح|جيش|قوات|عسكر|سلاح|دباب|تفجير|انفجار|ارهاب|رصاص|اغتيال|طائر|مقاتل"
    r"|كشت|كشته|زخمي|موشك|نيرو|ارتش|نظامي|بمب|انفجار|جنگ|گلوله|تروريست|هوايي|ترور|اسلحه|مسلحانه", re.I)
VERBAL_ATTACK_CUES = ("attack", "هاجم", "يهاجم", "تهاجم", "هجوم", "حمله")
WARN_CUES = ("warn", "حذر", "يحذر", "تحذر", "هشدار")
THREAT_CONTENT = re.compile(
    r"\b(?:attack|strike|war|destroy|retaliat|respond|response|military|force|sanction|consequence|pay the price|hit"
    r"|negativ|harm|damage|relations|punish)"
    r"|(?<!\S)(?:و|ب|ل|ال|بال)?(?:هجوم|حرب|ضرب|رد|صد|عسكري|قوه|قوة|عقوبات|عواقب|حمله|جنگ|پاسخ|نظامي|تلافي)", re.I)
PLACE_LABELS = ("GPE", "LOC", "FAC")
# sport: fixtures ("Rangers host Rapid Vienna", يلتقي الأردن والإمارات، دیدار تیم‌ها), transfers and tackles are no relations
SPORT = re.compile(
    r"\b(?:match|league|striker|goalkeeper|midfield|football|soccer|championship|tournament|fixture|stadium|coach"
    r"|Europa League|Premiership|penalty|scored|season)\b"
    r"|(?<!\S)(?:و|ب|ل|ف)?(?:ال)?(?:مباراه|دوري|لاعب|منتخب|بطوله|ملعب|مدرب|موسم|كره القدم|تعاقد|نادي)(?!\S)"
    r"|(?<!\S)(?:بازيكن|باشگاه|مسابقه|مسابقات|فوتبال|ليگ|سرمربي|قهرماني|تيم ملي|واليبال|تيم فوتبال)(?!\S)", re.I)
SPORT_SENSITIVE = ("meet", "cooperate", "attack", "deny", "support")


def _fold(text: str) -> str:
    from newsgraph.text.normalize import normalize_for_search

    return normalize_for_search(text).strip()


def _name_tokens(text: str) -> frozenset[str]:
    folded = re.sub(r"['’]s$", "", _fold(text))
    return frozenset(t for t in re.split(r"[\s.]+", folded) if t)


def same_actor(a: Mention, b: Mention) -> bool:
    """Two mentions of one actor: the same resolved entity, or one name's words inside the other's ("Donald
    Trump's" and "Trump", "Kim" and "Kim Jong-un", «السعودية» and «المملكة العربية السعودية»), whatever labels
    the entities stage gave them (it may call one "Trump" PERSON and the next ORG)."""
    if (a.start, a.end) == (b.start, b.end) or a.text == b.text:
        return True
    if a.entity_id and a.entity_id == b.entity_id:
        return True
    ta, tb = _name_tokens(a.text), _name_tokens(b.text)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def retype(article: Article, f: Found, subject: Mention, obj: Mention) -> str | None:
    """The predicate after reading the cue in context, or None to drop the relation:
    - "attacked" between people or organisations, with no word of force in the sentence, is criticism
      ("the Guardian's attacks on Assange", «هاجم الوزير أقوال كيري»);
    - a visit or trip to a place is no meeting ("a trip to Peru", زار إثيوبيا, سفر به مسکو, دیدار … از آلمان);
    - a warning is a threat only when it threatens something ("warned that they would attack").
    """
    cue = _fold(article.text[f.cue[0]:f.cue[1]]).removeprefix("و").removeprefix("ف")
    sentence = article.text[f.evidence[0]:f.evidence[1]]
    if f.predicate in SPORT_SENSITIVE and SPORT.search(_fold(sentence) + " " + sentence):
        return None
    if f.predicate == "attack" and cue.startswith(VERBAL_ATTACK_CUES) and subject.label in ("PERSON", "ORG") \
            and obj.label in ("PERSON", "ORG") and not VIOLENCE.search(sentence.replace(article.text[f.cue[0]:f.cue[1]], " ")):
        return "criticize"
    if f.predicate == "meet" and obj.label in PLACE_LABELS and (
            obj.text.startswith(("بال", "في ")) or article.text[max(0, obj.start - 3):obj.start].strip().endswith(("في", "ب"))):
        return None  # «… بالرياض», «في سنغافورة»: where they met, not whom
    if f.predicate == "meet" and obj.label in PLACE_LABELS:
        between = _fold(article.text[min(f.cue[1], obj.start):obj.start])
        if cue.startswith(VISIT_CUES) or (cue.startswith("ديدار") and re.search(r"(?:^|\s)از(?:\s|$)", between)):
            return None
    if f.predicate == "threaten" and cue.startswith(WARN_CUES) and not THREAT_CONTENT.search(article.text[f.cue[1]:f.evidence[1]]):
        return None
    return f.predicate


def find_relations(article: Article) -> list[Relation]:
    """Every relation of the article, in text order; every span indexes ``article.text``."""
    actors = [m for m in article.mentions if m.label in ACTOR_LABELS]
    if len(actors) < 1:
        return []
    extra = repeated_names(article, actors)
    index = MentionIndex([(m.start, m.end, m.label) for m in actors + extra])
    found = english_relations(_english_docs(article), index) + _arabic_script(article, index)
    if not found:
        return []
    relations: dict[tuple, Relation] = {}
    for f in found:
        quote = _enclosing_quote(article.quotes, f.cue[0])
        subject = _endpoint(article, f.subject, f.subject_pronoun, quote, extra)
        obj = _endpoint(article, f.object, f.object_pronoun, quote, extra)
        if subject is None or obj is None or same_actor(subject, obj):
            continue
        predicate = retype(article, f, subject, obj)
        if predicate is None:
            continue
        speaker = _mention_at(article.mentions, quote.speaker_mention_start, quote.speaker_mention_end) if quote else None
        method = f.method + (":coref" if f.subject_pronoun or f.object_pronoun else "")
        relation = Relation(
            article.id, f.evidence[0], f.evidence[1], predicate, POLARITY[predicate],
            article.text[f.cue[0]:f.cue[1]], f.cue[0], f.cue[1],
            subject.text, subject.start, subject.end, obj.text, obj.start, obj.end, negated=f.negated,
            quote_start=quote.start if quote else None, quote_end=quote.end if quote else None,
            attributed_text=(quote.speaker_text if quote else None),
            attributed_mention_start=speaker.start if speaker else None,
            attributed_mention_end=speaker.end if speaker else None, method=method)
        relations.setdefault((relation.cue_start, relation.subject_start, relation.object_start, relation.predicate),
                             relation)
    one_per_sentence: dict[tuple, Relation] = {}  # a verb and its noun («شنت … غارات») name one act once
    for key, relation in sorted(relations.items(), key=lambda kv: kv[0]):
        one_per_sentence.setdefault((relation.start, relation.subject_start, relation.object_start, relation.predicate,
                                     relation.negated), relation)
    relations = {k: r for k, r in relations.items() if r in one_per_sentence.values()}
    used = {(r.subject_start, r.subject_end) for r in relations.values()} | {(r.object_start, r.object_end)
                                                                             for r in relations.values()}
    article.mentions.extend(m for m in extra if (m.start, m.end) in used)  # endpoints stay mentions of the article
    article.mentions.sort(key=lambda m: (m.start, m.end))
    return sorted(relations.values(), key=lambda r: (r.start, r.cue_start, r.subject_start, r.object_start))


def relations_component(article: Article) -> Article:
    """Pipeline component: fill ``article.relations`` (after entities and quotes)."""
    article.relations = find_relations(article)
    return article
