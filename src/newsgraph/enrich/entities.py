"""Named-entity mentions per article, routed by paragraph language.

- English: the entities of spaCy's en_core_web_sm 3.8.0, from the one parse per paragraph that
  the English stages share (:mod:`newsgraph.enrich.english`).
- Arabic and Persian: newsgraph's own CRF models (:mod:`newsgraph.enrich.ner_crf`), trained on
  ANERcorp and ArmanPersoNER with gazetteer features and shipped in the package.
- Other languages: no mentions (recorded as such; nothing is guessed).

Mentions whose label is a date, number or amount are dropped here: dates have their own stage.
"""

from __future__ import annotations

import re

from newsgraph.enrich.english import SPACY_MODEL, entity_docs
from newsgraph.model import Article, Mention
from newsgraph.text.arabic import persian_letters

KEEP_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"}


def english_mentions(text: str) -> list[tuple[int, int, str]]:
    return english_mentions_batch([text])[0]


def english_mentions_batch(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Entity spans of each text; the Docs are the shared parse the quotes and relations stages read."""
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in entity_docs(texts)]


def arabic_script_mentions(text: str, lang: str) -> list[tuple[int, int, str]]:
    try:
        from newsgraph.enrich import ner_crf
    except ImportError:
        return []
    if not ner_crf.available(lang):
        return []
    # Persian typed with ي/ك is tagged in Persian letters (same length, so spans hold)
    return ner_crf.extract_entities(persian_letters(text) if lang == "fa" else text, lang)


def _method(lang: str) -> str:
    return f"spacy:{SPACY_MODEL}" if lang == "en" else f"crf:ner-{lang}"


def find_mentions(article: Article) -> list[Mention]:
    """Mentions in every paragraph whose language has a model, with article offsets.

    Arabic and Persian tagger spans are made into name spans (no proclitic, no word before the
    name), and a name found once is a mention at each of its occurrences in the article
    (:mod:`newsgraph.enrich.entities_arfa`)."""
    mentions: list[Mention] = []
    english = [p for p in article.paragraphs if (p.lang or article.lang) == "en"]
    english_found = dict(zip(map(id, english), english_mentions_batch([article.text[p.start : p.end] for p in english])))
    tagged: list[tuple[int, int, str]] = []
    arfa_paragraphs: list[tuple[int, int, str]] = []
    for para in article.paragraphs:
        lang = para.lang or article.lang
        text = article.text[para.start : para.end]
        if lang == "en":
            for start, end, label in english_found[id(para)]:
                if label == "PERSON" and _inside_title(text, end):
                    continue  # "Watts Up With That?": a blog's name, not a person
                if label in KEEP_LABELS and (span := _trimmed(text, start, end)):
                    mentions.append(_mention(article, para.start + span[0], para.start + span[1], label, lang, _method(lang)))
        elif lang in ("ar", "fa"):
            arfa_paragraphs.append((para.start, para.end, lang))
            tagged += [(para.start + s, para.start + e, label) for s, e, label in arabic_script_mentions(text, lang)
                       if label in KEEP_LABELS]
    if english:  # a name spaCy found once is a mention wherever the article writes it so
        from newsgraph.enrich.entities_arfa import every_occurrence

        spans = [(m.start, m.end, m.label) for m in mentions]
        for start, end, label in every_occurrence(article.text, spans, cased=True):
            if any(p.start <= start and end <= p.end for p in english):
                mentions.append(_mention(article, start, end, label, "en", "doc:en"))
    if arfa_paragraphs:
        from newsgraph.enrich.entities_arfa import appositive_names, name_spans

        found = set(tagged)
        for lang in sorted({lg for _, _, lg in arfa_paragraphs}):
            ranges = [(s, e) for s, e, lg in arfa_paragraphs if lg == lang]
            own = [t for t in tagged if any(s <= t[0] < e for s, e in ranges)]
            appositives = [a for s, e in ranges for a in appositive_names(article.text, s, e)
                           if not any(t[0] < a[1] and a[0] < t[1] for t in own)]
            for start, end, label in name_spans(article.text, own + appositives, lang):
                if not any(s <= start < e for s, e in ranges):
                    continue
                if any(s <= start and end <= e for s, e, _ in found):
                    method = _method(lang)
                elif any(s <= start and end <= e for s, e, _ in appositives):
                    method = f"rule:{lang}-appositive"
                else:
                    method = f"doc:{lang}"
                mentions.append(_mention(article, start, end, label, lang, method))
    return sorted(mentions, key=lambda m: (m.start, m.end))


# a capitalised function word followed by another capitalised word: the run is the title of a work, a blog,
# a programme ("Watts Up With That", "Keeping Up With The Kardashians"), and a person span in it is no person
_TITLE_CONTINUES = re.compile(r"\s+(?:With|That|The|Of|And|For|To|From|In|On|At|Is|Are|Was|About|Without)\s+[A-Z]")


def _inside_title(text: str, end: int) -> bool:
    """In running text (a headline in title case capitalises every word: "Trump To Meet Kim" keeps Trump)."""
    return bool(_TITLE_CONTINUES.match(text, end)) and not _title_case(text)


def _title_case(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) > 0 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without leading or trailing punctuation and without a possessive and what follows
    it ("— Donald J. Trump" → "Donald J. Trump", "Francis’s 2015" → "Francis", "Soleimani’s" → "Soleimani")."""
    surface = text[start:end]
    possessive = re.search(r"['’]s\b(?!\s+[A-Z])", surface)  # "St. Peter's Square" is one name
    if possessive and possessive.start() > 1:
        surface = surface[:possessive.start()]
    stripped = surface.rstrip(".,;:’'”\"»)-–— ")
    lead = len(stripped) - len(stripped.lstrip("-–—•·*,;:.'\"“‘(« "))
    return (start + lead, start + len(stripped)) if len(stripped) > lead else None


def _mention(article: Article, start: int, end: int, label: str, lang: str, method: str) -> Mention:
    return Mention(article.id, start, end, article.text[start:end], label, lang, method)


def entities_component(article: Article) -> Article:
    """Pipeline component: fill ``article.mentions``."""
    article.mentions = find_mentions(article)
    return article
