"""Runtime wrappers of the shipped techniques models (see ``data/techniques/MODEL_CARD.md``).

- :class:`SpanTagger`: the English span-identification CRF (python-crfsuite), spans from token marginals.
- :class:`TechniqueClassifier`: TF-IDF + logistic regression stored as plain arrays (``.npz``, no pickle);
  the vectorisers are rebuilt with scikit-learn from the stored vocabulary and idf.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from pathlib import Path

import numpy as np

from newsgraph.enrich.techniques_features import (
    crf_features,
    hysteresis_runs,
    span_context_text,
    span_extra_features,
    tokens_with_offsets,
)

from newsgraph.weights import locate

# The trained technique models are research-only or non-commercial (PTC, ArPro): they ship in the research
# distribution (newsgraph.weights). Without it, classifier/span_tagger/arabic_tagger return None and the
# techniques stage runs on its rules.


def _model_file(name: str) -> Path | None:
    return locate(f"techniques/{name}")


def _tfidf(vocab: np.ndarray, idf: np.ndarray, **params):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(**params)
    vec.vocabulary_ = {str(term): i for i, term in enumerate(vocab)}
    vec.idf_ = idf
    return vec


class TechniqueClassifier:
    """Which technique a given span uses: probabilities over the labels the model was trained on."""

    def __init__(self, path: str | Path) -> None:
        data = np.load(path, allow_pickle=False)
        self.word = _tfidf(data["word_vocab"], data["word_idf"], analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                           lowercase=True, token_pattern=r"(?u)\b\w+\b|\|\|")
        self.char = _tfidf(data["char_vocab"], data["char_idf"], analyzer="char_wb", ngram_range=(2, 5),
                           sublinear_tf=True, lowercase=True)
        self.coef, self.intercept = data["coef"], data["intercept"]
        self.classes = [str(c) for c in data["classes"]]

    def probabilities(self, items: list[tuple[str, int, int]], context: bool = True) -> np.ndarray:
        from scipy.sparse import csr_matrix, hstack

        contexts = [span_context_text(t, s, e) if context else f" || {t[s:e]} || " for t, s, e in items]
        extras = np.asarray([span_extra_features(t, s, e) for t, s, e in items], dtype=np.float64)
        x = hstack([self.word.transform(contexts), self.char.transform([t[s:e] for t, s, e in items]),
                    csr_matrix(extras)]).tocsr()
        scores = np.asarray(x @ self.coef.T) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, text: str, start: int, end: int, context: bool = True) -> list[tuple[str, float]]:
        """Labels with probabilities, best first."""
        probs = self.probabilities([(text, start, end)], context)[0]
        return [(self.classes[i], float(probs[i])) for i in np.argsort(-probs)]


class SentenceScorer:
    """P(a sentence holds a propaganda span): TF-IDF + logistic regression, a feature of the span CRF."""

    def __init__(self, path: str | Path) -> None:
        data = np.load(path, allow_pickle=False)
        self.vec = _tfidf(data["vocab"], data["idf"], ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
        self.coef, self.intercept = data["coef"], float(data["intercept"][0])

    def probabilities(self, sentences: list[str]) -> list[float]:
        scores = np.asarray(self.vec.transform(sentences) @ self.coef).ravel() + self.intercept
        return [float(p) for p in 1.0 / (1.0 + np.exp(-scores))]


class SpanTagger:
    """Propaganda spans in one sentence or paragraph: runs of tokens with marginal P(I) >= threshold,
    grown into neighbouring tokens with P(I) >= ``grow`` (both chosen on the training data, ``scores.json``)."""

    def __init__(self, path: str | Path, lexicon: frozenset[str], threshold: float,
                 sentences: SentenceScorer | None = None, grow: float | None = None) -> None:
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(path))
        self.lexicon, self.threshold, self.sentences = lexicon, threshold, sentences
        self.grow = threshold / 2 if grow is None else grow

    def spans(self, text: str) -> list[tuple[int, int, float]]:
        return self.spans_batch([text])[0]

    def spans_batch(self, texts: list[str]) -> list[list[tuple[int, int, float]]]:
        """Spans of several texts (each split into lines), the sentence scorer run once over all lines."""
        lines = [text.split("\n") for text in texts]
        flat = [line for group in lines for line in group]
        probs: list[float | None] = self.sentences.probabilities(flat) if self.sentences and flat else [None] * len(flat)
        out: list[list[tuple[int, int, float]]] = []
        i = 0
        for group in lines:
            found: list[tuple[int, int, float]] = []
            pos = 0
            for line in group:
                found.extend((pos + s, pos + e, p) for s, e, p in self._line_spans(line, probs[i]))
                pos += len(line) + 1
                i += 1
            out.append(found)
        return out

    def _line_spans(self, line: str, prob: float | None) -> list[tuple[int, int, float]]:
        toks = tokens_with_offsets(line)
        if not toks:
            return []
        self.tagger.set(crf_features([t for t, _, _ in toks], self.lexicon, prob))
        probs = [self.tagger.marginal("I", i) for i in range(len(toks))]
        runs = hysteresis_runs(probs, self.threshold, self.grow)
        return [(toks[a][1], toks[b][2], sum(probs[a : b + 1]) / (b - a + 1)) for a, b in runs]


@lru_cache(maxsize=4)
def classifier(lang: str) -> TechniqueClassifier | None:
    path = _model_file(f"tc-{lang}.npz")
    return TechniqueClassifier(path) if path else None


@lru_cache(maxsize=2)
def span_tagger(lang: str) -> SpanTagger | None:
    import json

    path, scores = _model_file(f"si-{lang}.crfsuite"), _model_file("scores.json")
    if path is None or scores is None:
        return None
    from newsgraph.enrich.techniques_rules import english_lexicon

    chosen = json.loads(scores.read_text()).get(f"si-{lang}", {})
    threshold = chosen.get("threshold", 0.3)
    sentence_model = _model_file(f"sent-{lang}.npz")
    return SpanTagger(path, english_lexicon(), threshold, SentenceScorer(sentence_model) if sentence_model else None,
                      chosen.get("grow"))


class ArabicSpanTagger:
    """Arabic technique spans: one CRF per technique (``si-ar-*.crfsuite``) over the features of
    :mod:`newsgraph.enrich.techniques_features_ar`; a span is a run of tokens with marginal P(I) >= the
    technique's threshold, grown into neighbours >= ``grow`` (both chosen by cross-validation, ``si-ar.json``).
    A span's confidence is the cross-validated precision of the technique's spans with a similar mean marginal."""

    def __init__(self, meta_path: str | Path) -> None:
        import json

        import pycrfsuite

        meta = json.loads(Path(meta_path).read_text(encoding="utf-8"))
        self.cues = meta["cues"]
        self.techniques: dict[str, tuple[Any, float, float, dict[str, list[float]]]] = {}
        for technique, info in meta["techniques"].items():
            tagger = pycrfsuite.Tagger()
            tagger.open(str(Path(meta_path).parent / info["file"]))
            self.techniques[technique] = (tagger, info["threshold"], info["grow"], info["confidence"])

    def spans(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, technique, confidence) in ``text`` (one paragraph)."""
        from newsgraph.enrich.techniques_features_ar import crf_features, rule_tags_of
        from newsgraph.enrich.techniques_features_ar import tokens_with_offsets as ar_tokens
        from newsgraph.enrich.techniques_rules import rule_hits

        toks = ar_tokens(text)
        if not toks:
            return []
        hits = [(s, e, t) for s, e, t, _, _ in rule_hits(text, "ar")]
        feats = crf_features([t for t, _, _ in toks], rule_tags_of(text, toks, hits), self.cues)
        out: list[tuple[int, int, str, float]] = []
        for technique, (tagger, threshold, grow, bins) in self.techniques.items():
            tagger.set(feats)
            probs = [tagger.marginal("I", i) for i in range(len(toks))]
            for a, b in hysteresis_runs(probs, threshold, grow):
                mean = sum(probs[a : b + 1]) / (b - a + 1)
                out.append((toks[a][1], toks[b][2], technique, _binned(bins, mean)))
        return out


def _binned(bins: dict[str, list[float]], value: float) -> float:
    """The cross-validated precision of the bin ``value`` falls in (spans with a similar mean marginal)."""
    k = max([i for i, edge in enumerate(bins["lower_edges"]) if value >= edge] or [0])
    return max(0.01, bins["precision"][k])


@lru_cache(maxsize=1)
def arabic_tagger() -> ArabicSpanTagger | None:
    path = _model_file("si-ar.json")
    return ArabicSpanTagger(path) if path else None
