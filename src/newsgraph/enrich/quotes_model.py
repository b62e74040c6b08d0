"""English attributions the rules miss, from a small model trained on PolNeAR (see ``data/quotes/MODEL_CARD.md``).

PolNeAR counts as an attribution every verb or noun that reports what someone says, thinks, wants,
plans or does about something ("expected that …", "refused to …", "voted against …", "her claim that …").
The reporting-verb rules of :mod:`newsgraph.enrich.quotes_en` cover the common cues; the long tail is
learned here in two steps, both linear models over features of spaCy's parse:

1. **cue**: is this verb, noun, adjective or auxiliary the head of an attribution cue?
   (:func:`cue_features`, logistic regression);
2. **content**: which of the cue's dependency-derived spans is the content — a child's subtree
   (``ccomp``, ``dobj``, ``xcomp``, the object of ``about``/``for``/…), all the right-hand children,
   the governing clause minus the cue clause, or the sentence minus the cue
   (:func:`content_options`, one logistic score per option, the best kept).

The speaker is the cue's subject (through ``and added``/``adding``), the passive agent, or a possessive
("Trump's claim"). :mod:`newsgraph.enrich.quotes` also uses the two scores on the rules' own cues: a rule
cue below the model's ``rule_floor`` is dropped, and the content model picks the span of dependency-rule
cues. The weights are plain arrays in an ``.npz`` (no pickle); scoring is a dictionary lookup per feature,
so no scikit-learn is needed at run time.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from newsgraph.enrich.quotes_en import Candidate, _speaker_span, subject_of

MODEL_FILE = "quotes/attribution-en.npz"  # research distribution (PolNeAR terms): see newsgraph.weights
CUE_POS = frozenset({"VERB", "NOUN", "AUX", "ADJ"})
QUOTE_CHARS = set("“”\"‘’«»")
# children that never hold the content on their own (the subject and agent are the source)
NOT_CONTENT = frozenset({"nsubj", "aux", "auxpass", "neg", "punct", "cc", "mark", "prt", "det", "poss", "compound",
                         "amod", "advmod", "expl", "case", "nummod", "quantmod", "predet", "intj", "dep", "agent"})
RAISING = frozenset({"seem", "appear", "be", "look", "sound", "remain", "become"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
PRONOUN_SUBJECTS = frozenset("he she they i we it you who that which this".split())


# --- features -------------------------------------------------------------------------------------

def _subject_kind(token, children=None) -> str:
    subj = next((c for c in (token.children if children is None else children)
                 if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
    if subj is None:
        return "none"
    if subj.lower_ in PRONOUN_SUBJECTS:
        return "pron:" + subj.lower_
    if subj.pos_ == "PROPN":
        return "propn"
    return "noun:" + subj.lemma_.lower()


def token_entities(doc, offset: int, mentions) -> dict[int, str]:
    """Token index -> entity label for the tokens of ``doc`` inside a mention ((start, end, label), article offsets)."""
    labels: dict[int, str] = {}
    end_of_doc = offset + len(doc.text)
    spans = sorted((s - offset, e - offset, label) for s, e, label in mentions if offset <= s < end_of_doc)
    if not spans:  # a paragraph without a mention: no token to label
        return labels
    starts = [s for s, _, _ in spans]
    for token in doc:
        k = bisect.bisect_right(starts, token.idx) - 1
        if k >= 0 and token.idx < spans[k][1]:
            labels[token.i] = spans[k][2]
    return labels


def _inside_any(at: int, starts: list[int], spans: list[tuple[int, int]]) -> bool:
    """``at`` lies strictly inside one of the sorted, non-overlapping ``spans`` (``starts``: their starts)."""
    k = bisect.bisect_left(starts, at) - 1
    return k >= 0 and at < spans[k][1]


def cue_features(token, in_quote: bool, first_paragraph: bool, entities: dict[int, str] | None = None,
                 sent_quote: bool | None = None) -> list[str]:
    """Features of a token as the head of an attribution cue (``entities``: :func:`token_entities`;
    ``sent_quote``: whether its sentence holds a quote character, when the caller knows it).

    Runs on every verb, noun, adjective and auxiliary of every English paragraph, so each spaCy
    attribute is read once (each ``token.children`` walk makes new Token objects)."""
    lem, dep, pos, tag, low = token.lemma_.lower(), token.dep_, token.pos_, token.tag_, token.lower_
    head = token.head
    hlem, hpos, hdep = head.lemma_.lower(), head.pos_, head.dep_
    children = list(token.children)
    child_deps = [c.dep_ for c in children]
    feats = ["bias", f"lem={lem}", f"low={low}", f"pos={pos}", f"tag={tag}", f"dep={dep}",
             f"lem|dep={lem}|{dep}", f"lem|tag={lem}|{tag}", f"hlem={hlem}", f"hpos={hpos}",
             f"dep|hpos={dep}|{hpos}", f"suf3={low[-3:]}", f"pos|dep={pos}|{dep}"]
    subj = _subject_kind(token, children)
    subj_kind = subj.split(':')[0]
    feats += [f"subj={subj_kind}", f"subjw={subj}", f"lem|subj={lem}|{subj_kind}"]
    if entities is not None:
        subject = next((c for c, d in zip(children, child_deps) if d in ("nsubj", "nsubjpass")), None)
        label = entities.get(subject.i, "-") if subject is not None else "none"
        feats += [f"subj_ent={label}", f"pos|subj_ent={pos}|{label}"]
        if token.i in entities:
            feats.append(f"self_ent={entities[token.i]}")
    deps = set()
    for child, child_dep in zip(children, child_deps):
        deps.add(child_dep)
        if child_dep == "prep":
            feats += [f"cp={child.lower_}", f"lem|cp={lem}|{child.lower_}"]
        elif child_dep == "prt":
            feats.append(f"lem|prt={lem}|{child.lower_}")
        elif child_dep == "mark":
            feats.append(f"mark={child.lower_}")
    for d in deps:
        feats += [f"c={d}", f"lem|c={lem}|{d}", f"pos|c={pos}|{d}"]
    if hdep == "prep" or (hpos == "ADP"):
        feats.append(f"hprep={head.lower_}")
    doc = token.doc
    i, n = token.i, len(doc)
    feats.append(f"prev={doc[i - 1].lower_ if i > 0 else '<s>'}")
    feats.append(f"next={doc[i + 1].lower_ if i + 1 < n else '</s>'}")
    feats.append(f"prev2={doc[i - 2].lemma_.lower() if i > 1 else '<s>'}")
    feats.append(f"next2={doc[i + 2].lemma_.lower() if i + 2 < n else '</s>'}")
    feats.append(f"lem|hlem={lem}|{hlem}")
    feats.append(f"hdep={hdep}")
    for child, child_dep in zip(children, child_deps):
        if child_dep in ("ccomp", "xcomp", "advcl"):
            marks = [g.lower_ for g in child.children if g.dep_ in ("mark", "aux") and g.i < child.i]
            feats.append(f"{child_dep}_mark={marks[0] if marks else '-'}")
            feats.append(f"lem|{child_dep}_mark={lem}|{marks[0] if marks else '-'}")
        if child_dep == "dobj":
            feats.append(f"dobj={child.lemma_.lower() if child.pos_ != 'PROPN' else 'PROPN'}")
    for ccomp in (c for c, d in zip(children, child_deps) if d == "ccomp"):
        first = next(iter(ccomp.subtree))
        feats.append(f"ccomp_first={first.lower_ if first.pos_ in ('SCONJ', 'PRON', 'DET') else first.pos_}")
    if in_quote:
        feats.append("in_quote")
    if sent_quote if sent_quote is not None else any(t.text in QUOTE_CHARS for t in token.sent):
        feats.append("sent_quote")
    if first_paragraph:
        feats.append("first_paragraph")
    return feats


def _trim(tokens):
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and ((tokens[0].is_punct and tokens[0].text not in "“\"‘'") or tokens[0].dep_ == "cc" or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and ((tokens[-1].is_punct and tokens[-1].text not in "”’\"'") or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def content_options(token) -> list[tuple[str, list]]:
    """(kind, tokens) for each span the cue's content could be, from the dependency parse."""
    raw: list[tuple[str, list]] = []
    own = {t.i for t in token.subtree}
    right = [c for c in token.children if c.i > token.i and c.dep_ not in NOT_CONTENT]
    for child in token.children:
        if child.dep_ in NOT_CONTENT:
            continue
        raw.append((f"child:{child.dep_}", list(child.subtree)))
        if child.dep_ == "prep":
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                raw.append((f"pobj:{child.lower_}", [t for g in objects for t in g.subtree]))
    if len(right) > 1:
        raw.append(("right-all", [t for c in right for t in c.subtree]))
    if token.head.i != token.i:
        raw.append((f"head-minus:{token.dep_}", [t for t in token.head.subtree if t.i not in own]))
    sentence = token.sent
    raw.append(("sent-minus", [t for t in sentence if t.i not in own]))
    raw.append(("sent-minus-cue", [t for t in sentence if t.i != token.i and not (
        t.head.i == token.i and t.dep_ in ("aux", "auxpass", "neg", "advmod", "punct"))]))
    options, seen = [], set()
    for kind, tokens in raw:
        tokens = _trim(tokens)
        if not tokens:
            continue
        key = (tokens[0].i, tokens[-1].i)
        if key in seen:
            continue
        seen.add(key)
        options.append((kind, tokens))
    return options


def _length_bucket(n: int) -> str:
    return "1" if n == 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"


def option_features(token, kind: str, tokens) -> list[str]:
    """Features of one content option of a cue."""
    lem, dep = token.lemma_.lower(), token.dep_
    first, last = tokens[0], tokens[-1]
    group = kind.split(":")[0]
    feats = ["bias", f"k={kind}", f"k|lem={kind}|{lem}", f"k|dep={kind}|{dep}", f"k|pos={kind}|{token.pos_}",
             f"k|len={kind}|{_length_bucket(len(tokens))}", f"g|len={group}|{_length_bucket(len(tokens))}",
             f"k|subj={kind}|{_subject_kind(token).split(':')[0]}",
             f"k|first={kind}|{first.lower_ if first.pos_ in ('SCONJ', 'ADP', 'PART', 'DET', 'PRON') else first.pos_}",
             f"k|side={kind}|{'right' if first.i > token.i else 'left' if last.i < token.i else 'around'}"]
    if any(t.text in QUOTE_CHARS for t in tokens):
        feats.append(f"k|quote={kind}")
    if any(t.pos_ in ("VERB", "AUX") for t in tokens):
        feats.append(f"k|verb={kind}")
    if any(c.dep_ == "auxpass" for c in token.children):
        feats.append(f"k|pass={kind}")
    return feats


# --- the model ------------------------------------------------------------------------------------

class LinearScorer:
    """A logistic regression stored as a feature vocabulary and one weight per feature."""

    def __init__(self, vocab: np.ndarray, weights: np.ndarray, intercept: float) -> None:
        self.weights = dict(zip((str(v) for v in vocab), (float(w) for w in weights)))
        self.intercept = intercept

    def score(self, features: list[str]) -> float:
        z = self.intercept + sum(map(self.weights.get, features, repeat(0.0)))  # same sum, no generator frame per word
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class AttributionModel:
    cue: LinearScorer
    content: LinearScorer
    threshold: float  # P(cue) from which a word the rules left is taken as a cue
    rule_floor: float  # a rule's cue word the model scores below this is no cue

    @classmethod
    def load(cls, path: str | Path) -> "AttributionModel":
        data = np.load(path, allow_pickle=False)
        return cls(LinearScorer(data["cue_vocab"], data["cue_weights"], float(data["cue_intercept"][0])),
                   LinearScorer(data["content_vocab"], data["content_weights"], float(data["content_intercept"][0])),
                   float(data["threshold"][0]), float(data["rule_floor"][0]))


@lru_cache(maxsize=1)
def attribution_model() -> AttributionModel | None:
    """The installed model, or None without the research distribution (the rules still run)."""
    path = model_path()
    return AttributionModel.load(path) if path else None


def model_path() -> Path | None:
    from newsgraph.weights import locate

    return locate(MODEL_FILE)


def best_content(model: AttributionModel, token):
    """(kind, tokens, score) of the best-scoring content option, or None."""
    options = content_options(token)
    if not options:
        return None
    return max(((kind, tokens, model.content.score(option_features(token, kind, tokens))) for kind, tokens in options),
               key=lambda o: o[2])


def _speaker_token(token):
    """The source of a model cue: the subject, the passive agent, or a possessive ("Trump's claim")."""
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if child.dep_ == "poss":
                return child
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ == "PROPN":  # (no entity test: trained on parses without entities)
                    return pobj
        if token.dep_ in ("dobj", "attr", "pobj"):
            verb = token.head.head if token.dep_ == "pobj" else token.head
            return subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
        return None
    if token.lemma_.lower() in RAISING or (any(c.dep_ == "auxpass" for c in token.children)
                                           and not any(c.dep_ == "agent" for c in token.children)):
        return None  # "X seems to …", "X is expected to …": X is not the source
    subject = subject_of(token)
    if subject is not None and subject.lower_ in RELATIVE and token.dep_ == "relcl" and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head  # "Brooks, who said …"
    return subject


def _span_of(tokens) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def cue_scores(docs_and_offsets, marks: list[tuple[int, int]], mentions, model: AttributionModel | None = None):
    """(token, paragraph offset, P(cue)) for every verb, noun, adjective and auxiliary of the parsed paragraphs
    (``mentions``: the article's entity mentions as (start, end, label))."""
    model = model or attribution_model()
    if model is None:
        return []
    scored = []
    marks = sorted(marks)
    starts = [s for s, _ in marks]
    for n, (doc, offset) in enumerate(docs_and_offsets):
        entities = token_entities(doc, offset, mentions)
        for sentence in doc.sents:  # whether a sentence holds a quote character: once per sentence, not per word
            sent_quote = any(t.text in QUOTE_CHARS for t in sentence)
            for token in sentence:
                if token.pos_ not in CUE_POS:
                    continue
                in_quote = _inside_any(offset + token.idx, starts, marks)
                features = cue_features(token, in_quote, n == 0, entities, sent_quote)
                scored.append((token, offset, model.cue.score(features)))
    return scored


def model_candidates(scored, taken: set[int], model: AttributionModel | None = None,
                     threshold: float | None = None) -> list[Candidate]:
    """Attributions for the cues of ``scored`` (from :func:`cue_scores`) at or above ``threshold`` (default: the
    model's), skipping cues at article offsets in ``taken`` (already found by the rules)."""
    model = model or attribution_model()
    if model is None:
        return []
    threshold = model.threshold if threshold is None else threshold
    found: list[Candidate] = []
    for token, offset, p in scored:
        if p < threshold or offset + token.idx in taken:
            continue
        option = best_content(model, token)
        if option is None or len(option[1]) < 2:
            continue

        content = _span_of(option[1])
        speaker_token = _speaker_token(token)
        speaker = None
        if speaker_token is not None:
            s, e = _speaker_span(speaker_token)
            if not (content[0] <= s < content[1]):
                speaker = (offset + s, offset + e)
        cue = _cue_span(token)
        found.append(Candidate((offset + content[0], offset + content[1]), "indirect", (offset + cue[0], offset + cue[1]),
                               speaker, None, method=f"en:model:{option[0]}", score=p))
    return found


def _cue_span(token) -> tuple[int, int]:
    tokens = [token] + [c for c in token.children if c.dep_ in ("prt", "aux", "auxpass", "neg")]
    tokens = sorted(tokens, key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
