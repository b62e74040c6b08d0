"""English attributions from spaCy's dependency parse: reporting verb, its subject, its complement.

Patterns (the cue is a verb whose lemma is in :data:`CUE_LEMMAS`):

- ``X said (that) …`` / ``“…,” X said`` — content is the verb's clausal complement (``ccomp``);
- ``…, X said, …`` — the cue clause is a parenthetical (``parataxis``): content is the rest of the sentence;
- ``X said: “…”`` — content is the quote after the colon, possibly the next sentences;
- ``according to X, …`` — content is the clause ``according`` modifies;
- ``adding that …`` / ``and added …`` — the subject comes from the governing verb.

Each candidate is a :class:`Candidate` in article offsets; speaker resolution happens in
:mod:`newsgraph.enrich.quotes`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from newsgraph.enrich.english import SPACY_MODEL, nlp, parse_batch  # noqa: F401 (parse_batch: the shared parse)

CUE_LEMMAS = frozenset("""
say tell add argue note stress claim insist warn accuse explain state declare announce assert
acknowledge admit affirm allege answer boast caution charge comment complain concede conclude confirm
contend continue deny emphasize emphasise hint indicate maintain mention observe predict promise recall
remark reply report respond reveal suggest testify tweet post underline underscore urge vow write
ask question believe think say describe quip recount reiterate repeat lament muse retort shout
yell scream whisper estimate disclose inform insist opine pledge posit proclaim reckon
interject joke brag plead assure speculate echo quote voice express chant retweet
""".split())  # the last line: verbs that head a cue in at least half of their PolNeAR train uses (8+ uses)
WEAK_LEMMAS = frozenset({"believe", "think", "describe", "continue", "answer", "question", "ask", "estimate",
                         "post", "report", "indicate", "suggest", "write"})
# verbs whose attributed content is an object or a complement rather than a clause
# ("called the charges unsubstantiated", "called for compensation", "a poll shows Clinton ahead")
OBJECT_LEMMAS = frozenset("""
call cite show find want plan agree vow criticize criticise attack blast promise question mention praise support
endorse defend urge demand reject deny accuse announce acknowledge admit predict propose slam condemn dismiss
applaud welcome blame hail label brand dub note discuss describe report complain decline tweet
talk refer point comment
decry rail tout denounce mock reference liken list deem assail rebuke portray credit lash
""".split())  # the last line: as above, from PolNeAR train
CUE_OR_OBJECT_LEMMAS = CUE_LEMMAS | OBJECT_LEMMAS  # built once: _is_cue runs on every verb of every paragraph
PREP_ONLY_LEMMAS = frozenset({"talk", "refer", "point", "comment", "complain"})
TOPIC_PREPS = frozenset({"for", "about", "on", "to", "of", "against", "as"})
OBJECT_DEPS = ("dobj", "xcomp", "ccomp", "oprd", "prep", "attr", "dative")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
PRONOUNS = frozenset("he she they i we it you his her".split())


@dataclass
class Candidate:
    content: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    addressee: tuple[int, int] | None = None
    method: str = ""
    score: float = 1.0  # the model's P(cue) for model candidates; 1.0 for the rules


def english_parser():
    """spaCy's small English model (:func:`newsgraph.enrich.english.nlp`, shared by the English stages)."""
    return nlp()


def _span_of_tokens(tokens) -> tuple[int, int]:
    tokens = sorted(tokens, key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subtree_span(token) -> tuple[int, int]:
    return token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)


def _trim_tokens(tokens):
    """Drop edge punctuation and coordinating words from a token list."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in ("cc",) or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in "”’\"»" or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def subject_of(verb):
    """The verb's subject token, climbing through ``and added``/``adding`` to the governing verb."""
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS and child.dep_ != "nsubjpass":
                return child
        if current.dep_ in ("conj", "advcl", "xcomp", "ccomp", "relcl", "acl") and current.head is not current:
            if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
                return current.head
            current = current.head
            continue
        break
    for child in verb.children:  # passive with agent: "was quoted by X"
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _speaker_span(subject) -> tuple[int, int]:
    """The subject's noun phrase with its apposition ("the attaché, Dr. Abbas Khameyar"), without a
    relative or participial clause after it or a prepositional phrase before it."""
    dropped: set[int] = set()
    for child in subject.children:
        if (child.dep_ in ("relcl", "acl") and child.i > subject.i) or (child.dep_ in ("prep", "punct", "advmod") and child.i < subject.i):
            dropped.update(t.i for t in child.subtree)
    keep = sorted((t for t in subject.subtree if t.i not in dropped), key=lambda t: t.i) or [subject]
    while len(keep) > 1 and keep[-1].is_punct:
        keep.pop()
    while len(keep) > 1 and keep[0].is_punct:
        keep.pop(0)
    return keep[0].idx, keep[-1].idx + len(keep[-1].text)


def _speaker_region(verb, subject) -> tuple[int, int] | None:
    """The subject's span; two subjects side by side ("the attaché, Dr. Abbas Khameyar, said") are joined."""
    if subject is None:
        return None
    spans = [_speaker_span(c) for c in verb.children if c.dep_ == "nsubj"] if subject.head == verb else []
    spans = spans or [_speaker_span(subject)]
    return min(s for s, _ in spans), max(e for _, e in spans)


def _addressee(verb) -> tuple[int, int] | None:
    """"told the Tehran Times", "said in an interview with Press TV", "told Press TV’s Face to Face"."""
    if verb.lemma_ == "tell":
        for child in verb.children:
            if child.dep_ in ("dobj", "dative", "iobj"):
                return _subtree_span(child)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "with", "in"):
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                # (no entity-type test: this rule was tuned on parses without entities)
                if child.lower_ == "to" and pobj.pos_ == "PROPN":
                    return _subtree_span(pobj)
                if pobj.lower_ == "interview":
                    for prep in pobj.children:
                        if prep.dep_ == "prep" and prep.lower_ == "with":
                            for obj in prep.children:
                                if obj.dep_ == "pobj":
                                    return _subtree_span(obj)
    return None


def _content_tokens(verb, sentence):
    """The complement of the cue verb, or the rest of the sentence for a parenthetical cue."""
    for child in verb.children:
        if child.dep_ in ("ccomp",) or (child.dep_ == "xcomp" and verb.lemma_ in ("tell", "urge", "warn", "ask")):
            return list(child.subtree)
    if verb.lemma_.lower() in OBJECT_LEMMAS:
        right = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.i > verb.i
                 and (c.dep_ != "prep" or c.lower_ in TOPIC_PREPS or verb.lemma_.lower() not in PREP_ONLY_LEMMAS)]
        if right:
            return [t for c in right for t in c.subtree]
    if verb.dep_ in ("parataxis", "ROOT") or (verb.dep_ == "ccomp" and verb.i > verb.head.i):
        if verb.dep_ == "ROOT":
            return []
        own = {t.i for t in verb.subtree}
        return [t for t in sentence if t.i not in own]
    return []


def _is_cue(token) -> bool:
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in CUE_OR_OBJECT_LEMMAS:
        return False
    if token.lemma_ == "add" and any(c.dep_ == "dobj" for c in token.children) and not any(c.dep_ == "ccomp" for c in token.children):
        return False
    return True


def _has_quote_edge(tokens) -> bool:
    return any(t.text in "“”\"«»‘’" for t in tokens)


def verb_candidates(doc, offset: int) -> list[Candidate]:
    """Attributions introduced by a reporting verb, in article offsets (``offset`` = paragraph start)."""
    found: list[Candidate] = []
    for sentence in doc.sents:
        for token in sentence:
            if not _is_cue(token):
                continue
            content = _trim_tokens(_content_tokens(token, sentence))
            if len(content) < 3:
                continue
            if token.lemma_.lower() in WEAK_LEMMAS and not _has_quote_edge(content) and subject_of(token) is None:
                continue
            subject = subject_of(token)
            if subject is not None and subject.i in {t.i for t in content}:
                continue
            start, end = _span_of_tokens(content)
            cue = _cue_span(token)
            speaker = _speaker_region(token, subject)
            addressee = _addressee(token)
            found.append(Candidate((offset + start, offset + end), "indirect",
                                   (offset + cue[0], offset + cue[1]),
                                   (offset + speaker[0], offset + speaker[1]) if speaker else None,
                                   (offset + addressee[0], offset + addressee[1]) if addressee else None,
                                   method=f"en:dep:{token.dep_}"))
    return found


def _cue_span(verb) -> tuple[int, int]:
    """The verb with its particle ("pointed out")."""
    tokens = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    return _span_of_tokens(tokens)


def according_candidates(doc, offset: int) -> list[Candidate]:
    """``according to X, …`` and ``…, according to X``."""
    found: list[Candidate] = []
    if "according" not in doc.text.lower():  # most paragraphs: no token to look at
        return found
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in token.children if c.dep_ == "pobj"]
        if not objects:
            continue
        source = objects[0]
        phrase = set(t.i for t in token.subtree) | set(t.i for t in to.subtree) | {token.i, to.i}
        sentence = token.sent
        content = _trim_tokens([t for t in sentence if t.i not in phrase])
        if len(content) < 3:
            continue
        start, end = _span_of_tokens(content)
        src = _span_of_tokens([t for t in source.subtree if not t.is_punct] or [source])
        cue_start, cue_end = token.idx, to.idx + len(to.text)
        found.append(Candidate((offset + start, offset + end), "indirect", (offset + cue_start, offset + cue_end),
                               (offset + src[0], offset + src[1]), method="en:according"))
    return found


SOURCE_NOUNS = frozenset("""
poll polls survey surveys study studies report reports statement statements interview interviews letter memo op-ed
editorial tweet tweets email emails post speech column analysis filing complaint lawsuit ruling opinion book article
essay remarks testimony briefing release ad video documents document data
""".split())


SPOKEN_SOURCES = frozenset("""
statement interview letter memo op-ed tweet email post speech column remark remarks testimony briefing book article essay
""".split())


def in_source_candidates(doc, offset: int) -> list[Candidate]:
    """``In a CNN poll released Monday, Clinton led by 5 points`` / ``…, in a statement``: the poll, report or
    statement is the source, the rest of the sentence the content (PolNeAR's ``in`` cue)."""
    found: list[Candidate] = []
    for token in doc:
        if token.lower_ not in ("in", "among") or token.dep_ != "prep" or token.head.pos_ not in ("VERB", "AUX"):
            continue
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in SOURCE_NOUNS and pobj.lower_ not in SOURCE_NOUNS:
            continue
        if token.head.lemma_.lower() in CUE_OR_OBJECT_LEMMAS:  # "said in a statement": the verb is the cue
            continue
        phrase = {t.i for t in token.subtree}
        source_tokens = [t for t in pobj.subtree if t.i > token.i and not t.is_punct] or [pobj]
        if pobj.lemma_.lower() in SPOKEN_SOURCES:  # "in a statement, Clinton said …": the speaker is the author
            author = next((c for c in pobj.children if c.dep_ == "poss"), None) or subject_of(token.head)
            if author is None:
                continue
            source_tokens = [author] if author.dep_ == "poss" else list(author.subtree)
            phrase |= {t.i for t in source_tokens}
        content = _trim_tokens([t for t in token.sent if t.i not in phrase])
        if len(content) < 4:
            continue
        start, end = _span_of_tokens(content)
        source = _span_of_tokens(source_tokens)
        found.append(Candidate((offset + start, offset + end), "indirect", (offset + token.idx, offset + token.idx + len(token.text)),
                               (offset + source[0], offset + source[1]), method="en:in-source"))
    return found


def quote_after_cue_candidates(doc, offset: int, marks: list[tuple[int, int]]) -> list[Candidate]:
    """``Issa said, “Well, …”`` / ``he said: “…”``: a reporting verb followed by a comma or colon and a quote."""
    doc_end = offset + len(doc.text)
    starts = {s: e for s, e in marks if offset <= s < doc_end}
    found: list[Candidate] = []
    if not starts:  # no quote opens in this paragraph: no cue can be followed by one
        return found
    for token in doc:
        if not _is_cue(token) or token.i + 1 >= len(doc):
            continue
        nxt = doc[token.i + 1]
        mark = doc[token.i + 2] if nxt.text in (",", ":") and token.i + 2 < len(doc) else nxt
        end = starts.get(offset + mark.idx)
        if end is None:
            continue
        speaker = _speaker_region(token, subject_of(token))
        cue = _cue_span(token)
        found.append(Candidate((offset + mark.idx, end), "direct", (offset + cue[0], offset + cue[1]),
                               (offset + speaker[0], offset + speaker[1]) if speaker else None,
                               _shift(_addressee(token), offset), method="en:cue-quote"))
    return found


def quote_before_cue_candidates(doc, offset: int, marks: list[tuple[int, int]]) -> list[Candidate]:
    """``“Wall Street's a pretty cynical place,” said Tim Hess`` / ``“…,” the agency said``: a quote and,
    within the next few words of its sentence, a reporting verb."""
    found: list[Candidate] = []
    doc_end = offset + len(doc.text)
    if not any(offset <= s and e <= doc_end for s, e in marks):  # no quote in this paragraph
        return found
    token_starts = [offset + t.idx for t in doc]  # bisect, not a scan per quote: linear on quote-dense pages
    for s, e in marks:
        if not (offset <= s and e <= doc_end):
            continue
        k = bisect.bisect_left(token_starts, e)
        if k >= len(doc):
            continue
        after = doc[k]
        for token in doc[after.i: min(len(doc), after.i + 8)]:
            if token.is_sent_start and token.i != after.i or token.text in ("“", "\"", "«"):
                break
            if _is_cue(token):
                speaker = _speaker_region(token, subject_of(token))
                cue = _cue_span(token)
                found.append(Candidate((s, e), "direct", (offset + cue[0], offset + cue[1]),
                                       _shift(speaker, offset), _shift(_addressee(token), offset), method="en:quote-cue"))
                break
    return found


def _shift(span, offset: int):
    return (offset + span[0], offset + span[1]) if span else None


def english_candidates(docs_and_offsets, marks: list[tuple[int, int]] | None = None) -> list[Candidate]:
    found: list[Candidate] = []
    for doc, offset in docs_and_offsets:
        found.extend(verb_candidates(doc, offset))
        found.extend(according_candidates(doc, offset))
        if marks:
            found.extend(quote_after_cue_candidates(doc, offset, marks))
            found.extend(quote_before_cue_candidates(doc, offset, marks))
    return found


def is_pronoun(text: str) -> bool:
    return text.strip().lower() in PRONOUNS
