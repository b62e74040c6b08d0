"""English relations from spaCy's dependency parse: a relation verb, its subject and its object.

The verb's lemma picks the predicate (:mod:`newsgraph.enrich.relations_lexicon`); the subject is its
``nsubj`` (through ``and``-coordination, participles and relative clauses; the ``by``-agent of a
passive), the object its ``dobj``, the object of a listed preposition ("met with", "called on"), the
passive subject, or the object after a light-verb noun ("held talks with", "launched an attack on").
Subject and object tokens become entity mentions: the mention covering the token, else one attached to
it as apposition, compound, possessor, nationality adjective or ``of``-complement ("the crimes of
Israel", "Israel's crimes", "the American enemy"). Embedded verbs that are not asserted ("threatened to
attack", "urged X to support", "denied attacking", "could strike") give no relation of their own.

The parse is the one the English stages share (:func:`newsgraph.enrich.english.parse_batch`).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.enrich.relations_lexicon import (EN_BLOCKING, EN_LIGHT, EN_MODALS, EN_NON_FACTUAL_HEADS, EN_NOUNS,
                                                EN_OBJECT_PREPS, EN_PARTICLE, EN_PREP_VERBS, EN_RECEIVE, EN_VERBS)

SUBJECT_DEPS = ("nsubj", "csubj")
PRONOUNS = {"he": "third", "she": "third", "him": "third", "her": "third", "his": "third", "i": "first", "me": "first",
            "my": "first", "its": "it"}
POSSESSIVE_PRONOUNS = frozenset("his her its their my our".split())
BACKING = frozenset("backed supported funded armed sponsored financed".split())  # "Iran-backed Houthi rebels"
RELATIVE = frozenset("who which that whom".split())
SYMMETRIC = frozenset({"meet", "cooperate"})
NOT_YET = frozenset("planned proposed possible potential future upcoming expected prospective".split())
EVENT_NOUNS = frozenset("""killing assassination murder attack attacks death martyrdom arrest occupation invasion strike
bombing execution detention shooting massacre siege""".split())
CLAIM_NOUNS = frozenset("""claim claims accusation accusations allegation allegations report reports statement
statements remarks charge charges assertion assertions letter letters complaint complaints testimony lawsuit""".split())
RELATIONAL_NOUNS = frozenset("""killer killers murderer murderers assassin assassins enemy enemies ally allies opponent
opponents rival rivals critic critics supporter supporters victim victims friend friends proxy proxies""".split())


@dataclass
class Found:
    """A relation before quote attribution; subject/object are (start, end) of a mention, or of a pronoun
    (``*_pronoun`` "first" for I/me and a first-person verb, "third" for he/she/وی) that the caller resolves."""

    predicate: str
    cue: tuple[int, int]
    subject: tuple[int, int]
    object: tuple[int, int]
    evidence: tuple[int, int]
    negated: bool
    method: str
    subject_pronoun: str = ""
    object_pronoun: str = ""


class MentionIndex:
    """Actor mentions of an article, looked up by character position."""

    def __init__(self, spans: list[tuple[int, int, str]]):
        self.spans = sorted(spans)

    def covering(self, start: int, end: int) -> tuple[int, int, str] | None:
        for s, e, label in self.spans:
            if s <= start < e or (start <= s < end):
                return s, e, label
            if s >= end:
                break
        return None

    def within(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return [m for m in self.spans if start <= m[0] and m[1] <= end]


def predicate_of(verb) -> tuple[str, tuple[str, ...], bool, object] | None:
    """(predicate, object prepositions, takes a direct object, light-verb noun) for a verb token."""
    if verb.pos_ != "VERB":
        return None
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "prt" and (lemma, child.lower_) in EN_PARTICLE:  # "hit out at the IMF"
            predicate, preps = EN_PARTICLE[(lemma, child.lower_)]
            return predicate, preps, False, None
    for child in verb.children:
        if child.dep_ == "dobj":
            light = EN_LIGHT.get((lemma, child.lemma_.lower()))
            if light:
                return light[0], light[1], False, child
    if lemma in EN_PREP_VERBS:
        predicate, preps = EN_PREP_VERBS[lemma]
        return predicate, preps, False, None
    if lemma in EN_VERBS:
        if lemma == "strike" and any(c.dep_ == "dobj" and c.lemma_.lower() in ("deal", "agreement", "balance", "chord", "note")
                                     for c in verb.children):
            return None
        return EN_VERBS[lemma], EN_OBJECT_PREPS.get(lemma, ()), True, None
    return None


def lemma_of(token) -> str:
    return token.lemma_.lower()


def _conjuncts(token) -> list:
    return [token] + [t for t in token.conjuncts if t.i > token.i]


def _passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def subjects_of(verb) -> list:
    """The doer(s): nsubj, the agent of a passive, through coordination, participles and relative clauses."""
    if _passive(verb):
        for child in verb.children:
            if child.dep_ == "agent":
                return [t for g in child.children if g.dep_ == "pobj" for t in _conjuncts(g)]
        return []
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.lower_ in RELATIVE and current.dep_ == "relcl":  # "Trump, who threatened …"
                    return [current.head]
                return _conjuncts(child)
        if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
            return [current.head]
        if current.dep_ == "acl" and current.tag_ == "VBG":  # "the letter from Ford accusing Kavanaugh"
            return [current.head]
        if current.dep_ == "pcomp" and current.head.head.pos_ == "VERB":  # "after accusing China …"
            main = current.head.head
            if current.head.lower_ == "for":  # "fired Guyger for killing Jean", "blamed X for attacking Y"
                objects = [c for c in main.children if c.dep_ == "dobj"]
                if objects:
                    return _conjuncts(objects[0])
            current = main
            continue
        if current.dep_ in ("conj", "advcl", "xcomp") and current.head is not current:
            if current.dep_ == "xcomp":
                objects = [c for c in current.head.children if c.dep_ == "dobj"]
                if objects:
                    return objects
            current = current.head
            continue
        break
    return []


def objects_of(verb, preps: tuple[str, ...], direct: bool, light) -> list:
    """The undergoer(s) of the act."""
    found = []
    if _passive(verb):
        if verb.dep_ == "acl":
            found.append(verb.head)
        found += [t for c in verb.children if c.dep_ == "nsubjpass" for t in _conjuncts(c)]
        return found
    if verb.dep_ == "relcl" and any(c.dep_ == "dobj" and c.lower_ in RELATIVE for c in verb.children):
        found.append(verb.head)  # "Dustin Lance Black, who he met in 2013"
    holders = [verb] + ([light] if light is not None else [])
    for holder in holders:
        for child in holder.children:
            if direct and holder is verb and child.dep_ in ("dobj", "dative"):
                found += _conjuncts(child)
            elif child.dep_ == "prep" and child.lower_ in preps:
                found += [t for g in child.children if g.dep_ == "pobj" for t in _conjuncts(g)]
            elif child.dep_ == "prt" and child.lower_ in preps:  # "called upon Hamas" parsed as particle + dobj
                found += [t for c in verb.children if c.dep_ == "dobj" for t in _conjuncts(c)]
    return found


def threat_objects(verb) -> list:
    """"threatened to attack Israel": the object of the threatened act."""
    out = []
    for child in verb.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ == "VERB":
            spec = predicate_of(child)
            if spec is not None:
                out += objects_of(child, spec[1], spec[2], spec[3])
            else:
                out += [t for c in child.children if c.dep_ == "dobj" for t in _conjuncts(c)]
    return out


def asserted(verb) -> bool:
    """False for hypothetical or embedded acts: modals, conditionals, complements of want/urge/deny/threaten."""
    current = verb
    chain = [verb]
    while current.dep_ == "conj" and current.head is not current:
        current = current.head
        chain.append(current)
    for token in chain:
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in EN_MODALS:
                return False
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return False
    if current.dep_ in ("xcomp", "ccomp", "pcomp") and current.head.lemma_.lower() in EN_NON_FACTUAL_HEADS:
        return False
    if current.dep_ == "pcomp" and current.head.head.lemma_.lower() in EN_NON_FACTUAL_HEADS:  # "accused of plotting to"
        return False
    return True


def negated(verb) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) and c.dep_ == "advmod" for c in verb.children)


def _attached(token, index: MentionIndex, offset: int, depth: int = 0):
    """The mention a noun phrase names: covering its head, else attached to it (see the module docstring)."""
    hit = index.covering(offset + token.idx, offset + token.idx + len(token.text))
    if hit or depth > 1:
        return hit
    lower = token.lower_
    order = ("appos", "compound", "flat", "nmod", "poss", "amod")
    for dep in order:
        if dep == "poss" and lower in RELATIONAL_NOUNS:
            continue
        for child in token.children:
            if dep == "poss" and child.dep_ == "poss" and child.lower_ == "whose":  # "Fox News, whose hosts backed …"
                owner = next((a for a in child.ancestors if a.dep_ == "relcl"), None)
                if owner is not None:
                    return _attached(owner.head, index, offset, depth + 1)
            if child.dep_ == dep:
                hit = index.covering(offset + child.idx, offset + child.idx + len(child.text))
                if hit and (dep != "amod" or hit[2] in ("NORP", "GPE")):
                    return hit
                if dep in ("appos", "compound"):
                    deeper = _attached(child, index, offset, depth + 1)
                    if deeper:
                        return deeper
    wanted = ("by",) if lower in EVENT_NOUNS else ("by", "of", "from") if lower in CLAIM_NOUNS else (
        ("of",) if lower not in RELATIONAL_NOUNS else ())
    preps = [c for c in token.children if c.dep_ == "prep"]
    if lower in CLAIM_NOUNS:  # "the claims made by Washington"
        preps += [a for c in token.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"]
    for child in preps:
        if child.lower_ in wanted:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    hit = _attached(pobj, index, offset, depth + 1)
                    if hit:
                        return hit
    return None


def _endpoint(token, index: MentionIndex, offset: int) -> tuple[tuple[int, int], str] | None:
    """((start, end), pronoun kind or "") of a subject or object token."""
    if token.lower_ in PRONOUNS and token.pos_ == "PRON":
        return (offset + token.idx, offset + token.idx + len(token.text)), PRONOUNS[token.lower_]
    hit = _attached(token, index, offset)
    return ((hit[0], hit[1]), "") if hit else None


def _sentence_span(sentence, offset: int) -> tuple[int, int]:
    tokens = [t for t in sentence if not t.is_space]
    if not tokens:
        return offset + sentence.start_char, offset + sentence.end_char
    return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)


def _cue(verb, light, offset: int) -> tuple[int, int]:
    tokens = [verb] + [c for c in verb.children if c.dep_ == "prt"] + ([light] if light is not None else [])
    tokens.sort(key=lambda t: t.i)
    return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)


def english_relations(docs_and_offsets, index: MentionIndex) -> list[Found]:
    """Relations in parsed English paragraphs (``offset`` = the paragraph's start in the article)."""
    found: list[Found] = []
    for doc, offset in docs_and_offsets:
        for sentence in doc.sents:
            evidence = _sentence_span(sentence, offset)
            if doc.text[evidence[1] - offset - 1:evidence[1] - offset] in ("?", "؟"):
                continue  # a question asserts nothing
            for verb in sentence:
                spec = predicate_of(verb)
                if spec is None or not asserted(verb):
                    continue
                predicate, preps, direct, light = spec
                if verb.lemma_ == "warn" and any(c.dep_ == "xcomp" for c in verb.children):
                    continue  # "warned Mexicans to stay away": advice, not a threat
                objects = objects_of(verb, preps, direct, light)
                if not objects and direct:  # "I reject, condemn and oppose Farrakhan's views": the object of a conjunct
                    objects = [t for v in verb.conjuncts if v.pos_ == "VERB" and v.i > verb.i
                               for c in v.children if c.dep_ == "dobj" for t in _conjuncts(c)]
                if lemma_of(verb) == "deny":  # "deny Jacobs" (keep him from scoring) is no denial of a claim
                    objects = [o for o in objects if not (o.dep_ == "dobj" and o.head is verb and index.covering(
                        offset + o.idx, offset + o.idx + len(o.text)))]
                if predicate == "threaten" and not objects:
                    objects = threat_objects(verb)
                subjects = subjects_of(verb)
                method = f"en:dep:{verb.lemma_.lower()}"
                if not objects and predicate in SYMMETRIC:  # "the leaders of Turkey and Germany met"
                    found += _reciprocal(subjects, index, offset, predicate, _cue(verb, light, offset), evidence,
                                         negated(verb), method)
                    continue
                found += _pairs(subjects, objects, index, offset, predicate, _cue(verb, light, offset), evidence,
                                negated(verb), method)
            found += nominal_relations(sentence, index, offset, evidence)
    return found


def _pairs(subjects, objects, index, offset, predicate, cue, evidence, is_negated, method) -> list[Found]:
    out = []
    for s_token in subjects:
        subject = _endpoint(s_token, index, offset)
        if subject is None:
            continue
        for o_token in objects:
            obj = _endpoint(o_token, index, offset)
            if obj is None or obj[0] == subject[0] or (subject[1] and obj[1]):
                continue
            out.append(Found(predicate, cue, subject[0], obj[0], evidence, is_negated, method, subject[1], obj[1]))
    return out


def _reciprocal(subjects, index, offset, predicate, cue, evidence, is_negated, method) -> list[Found]:
    """Actors that met or cooperated with each other: the conjoined subjects, or the conjoined
    ``of``-complements of one subject ("the leaders of Turkey and Germany")."""
    tokens = list(subjects)
    if len(tokens) == 1:
        for prep in tokens[0].children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                tokens = [t for p in prep.children if p.dep_ == "pobj" for t in _conjuncts(p)]
    ends = [e for e in (_endpoint(t, index, offset) for t in tokens) if e is not None and not e[1]]
    return [Found(predicate, cue, ends[0][0], other[0], evidence, is_negated, method)
            for other in ends[1:] if other[0] != ends[0][0]]


def _governing_verb(noun):
    """The verb a noun phrase hangs from through prepositions ("said following a meeting with …")."""
    current = noun
    for _ in range(4):
        head = current.head
        if head is current:
            return None
        if head.pos_ in ("VERB", "AUX") and head.dep_ != "prep":  # "following", "including" act as prepositions
            return head if current.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "attr", "prep") else None
        if current.dep_ not in ("pobj", "prep") and not (current is not noun and current.dep_ == "dobj"):
            return None  # through "approved [a new tranche] of aid to Kiev", "spent [$40 billion] in aid to Ukraine"
        current = head
    return None


def nominal_relations(sentence, index: MentionIndex, offset: int, evidence: tuple[int, int]) -> list[Found]:
    """Relations named by a noun: "a meeting between X and Y", "X's visit to Y", "his support for Y",
    "Trump's accusation that Beijing …", "X got backing from Y", "… said following a meeting with Y"."""
    found: list[Found] = []
    found += backed_relations(sentence, index, offset, evidence)
    for noun in sentence:
        if noun.lemma_.lower() not in EN_NOUNS or not (noun.pos_ == "NOUN" or (
                noun.pos_ == "PROPN" and any(c.dep_ == "prep" and c.lower_ == "between" for c in noun.children))):
            continue
        if any(c.dep_ == "amod" and c.lower_ in NOT_YET for c in noun.children):
            continue
        predicate, preps = EN_NOUNS[noun.lemma_.lower()]
        verb = _governing_verb(noun)
        if verb is not None and (not asserted(verb) or verb.lemma_.lower() in EN_BLOCKING):
            continue  # "could mean a meeting with …", "has been blocking assistance for Ukraine"
        subjects, objects = [], []
        for child in noun.children:
            if child.dep_ == "poss" or (child.dep_ in ("amod", "compound") and index.covering(
                    offset + child.idx, offset + child.idx + len(child.text))):
                subjects.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                subjects += [t for g in child.children if g.dep_ == "pobj" for t in _conjuncts(g)]
            elif child.dep_ == "prep" and child.lower_ == "between":
                pair = [t for g in child.children if g.dep_ == "pobj" for t in _conjuncts(g)]
                subjects, objects = pair[:1], pair[1:]
                break
            elif child.dep_ == "prep" and child.lower_ in preps:
                objects += [t for g in child.children if g.dep_ == "pobj" for t in _conjuncts(g)]
            elif child.dep_ in ("acl", "ccomp") and predicate in ("criticize", "deny"):  # "accusation that Beijing …"
                objects += [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
        if verb is not None and noun.dep_ in ("dobj", "pobj") and verb.lemma_.lower() in EN_RECEIVE:
            objects = subjects_of(verb)  # "West got backing from X": X supports West; "received $140m in American aid"
        elif verb is not None and noun.dep_ == "pobj" and (not subjects or all(
                t.lower_ in POSSESSIVE_PRONOUNS for t in subjects)):
            subjects = subjects_of(verb)  # "North Korea pledged in a meeting with Moon"; "In his meeting with Putin, Modi said"
        cue = (offset + noun.idx, offset + noun.idx + len(noun.text))
        method = f"en:noun:{noun.lemma_.lower()}"
        if not objects and predicate in SYMMETRIC and len(subjects) > 1:
            found += _reciprocal(subjects, index, offset, predicate, cue, evidence, False, method)
        else:
            found += _pairs(subjects, objects, index, offset, predicate, cue, evidence, False, method)
    return found


def backed_relations(sentence, index: MentionIndex, offset: int, evidence: tuple[int, int]) -> list[Found]:
    """"Iran-backed Houthi rebels", "Russian-backed Syrian forces": the actor before "-backed" supports the noun."""
    found: list[Found] = []
    for token in sentence:
        if token.lower_ not in BACKING or token.dep_ != "amod" or token.i < 2 or sentence.doc[token.i - 1].text != "-":
            continue
        backer = _endpoint(sentence.doc[token.i - 2], index, offset)
        backed = _endpoint(token.head, index, offset)
        if backer and backed and not backer[1] and not backed[1] and backer[0] != backed[0]:
            cue = (offset + token.idx, offset + token.idx + len(token.text))
            found.append(Found("support", cue, backer[0], backed[0], evidence, False, "en:dep:backed"))
    return found
