"""Workbench latency: p50/p95 of search and article pages under concurrent clients on loopback.

Builds a synthetic database (default 100,000 articles) directly through the Store: articles
in English, Arabic and Persian made of real sentences (NTREX-128 from ../shared/data when
present, else the paragraphs of examples/pages), ten articles per page, with outlets, dates,
country-name mentions (from the en/ar/fa country gazetteer when present) and resolved entities.
Then it starts `newsgraph serve` on a free loopback port and runs CLIENTS threads, each with
its own keep-alive connection, for SECONDS (a bounded loop: it stops by itself), hitting
search pages (a query word, sometimes with a facet) and article pages in turn.

    python bench/web_latency.py [--articles 100000] [--clients 20] [--seconds 60] [--workers 2]
                                [--db PATH (reused when it exists)] [--out bench/results/web_latency.json]
                                [--frequent]

``--frequent`` builds the store from examples/pages even when NTREX is there and searches only words that
are in at least 30 % of the articles (as "Iran" or "سليماني" are in a corpus of this field), writing
``bench/results/web_latency-frequent.json``.

Targets: search p95 <= 80 ms (NTREX-built store; issue 7 asked <= 100 ms) and <= 150 ms with frequent words
(issue 16), no errors.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
NTREX = SHARED / "data" / "ntrex128-en-ar-fa"
COUNTRIES = SHARED / "data" / "gazetteer-countries-en-ar-fa" / "countries_en_ar_fa.tsv"
LANG_FILES = {"en": "newstest2019-src.eng.txt", "ar": "newstest2019-ref.arb.txt", "fa": "newstest2019-ref.fas.txt"}
ARTICLES_PER_PAGE = 10


# ------------------------------------------------------------------ corpus


def sentences_by_lang(sample_pages: bool = False) -> dict[str, list[str]]:
    """Real sentences per language: NTREX-128 when available (unless ``sample_pages``), else the sample
    pages' paragraphs."""
    if not sample_pages and all((NTREX / f).exists() for f in LANG_FILES.values()):
        return {lang: [s.strip() for s in (NTREX / f).read_text(encoding="utf-8").splitlines() if len(s.strip()) > 20]
                for lang, f in LANG_FILES.items()}
    print("NTREX-128 not found; using examples/pages", file=sys.stderr)
    out: dict[str, list[str]] = {"en": [], "ar": [], "fa": []}
    for path in sorted((ROOT / "examples" / "pages").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            para = " ".join(para.split())
            if len(para) > 40:
                lang = "fa" if re.search("[پچژگکی]", para) else "ar" if re.search("[\u0600-\u06ff]", para) else "en"
                out[lang].append(para)
    return {k: v or out["en"] for k, v in out.items()}


def country_names() -> list[dict[str, str]]:
    """Entity names in three scripts: countries from the gazetteer, else a few built in."""
    if COUNTRIES.exists():
        with COUNTRIES.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        return [{"id": r["cca3"], "en": r["name_en_common"], "ar": r["name_ar_common"], "fa": r["name_fa_common"]}
                for r in rows if r["name_en_common"] and r["name_ar_common"] and r["name_fa_common"]]
    return [{"id": "IRN", "en": "Iran", "ar": "إيران", "fa": "ایران"},
            {"id": "IRQ", "en": "Iraq", "ar": "العراق", "fa": "عراق"},
            {"id": "LBN", "en": "Lebanon", "ar": "لبنان", "fa": "لبنان"},
            {"id": "GBR", "en": "United Kingdom", "ar": "المملكة المتحدة", "fa": "بریتانیا"}]


def synthetic_article(rng: random.Random, lang: str, sentences: list[str], countries: list[dict[str, str]]
                      ) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Article text and its mentions (start, end, spelling, entity id): paragraphs of real
    sentences, some opening with a country name."""
    paragraphs, mentions, pos = [], [], 0
    for _ in range(rng.randint(4, 9)):
        para = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.6:
            country = rng.choice(countries[:60] if rng.random() < 0.8 else countries)
            name = country[lang]
            lead = {"en": f"{name}: ", "ar": f"{name}: ", "fa": f"{name}: "}[lang]
            mentions.append((pos, pos + len(name), name, "c" + country["id"]))
            para = lead + para
        paragraphs.append(para)
        pos += len(para) + 2
    return "\n\n".join(paragraphs), mentions


def build_database(path: Path, count: int, seed: int = 7, sample_pages: bool = False) -> None:
    """Write ``count`` synthetic articles (and their pages, mentions, entities) through the Store."""
    from newsgraph.model import Article, Entity, Mention, Paragraph, SourceDocument, article_id_for, content_hash
    from newsgraph.store.db import Store

    rng = random.Random(seed)
    sentences = sentences_by_lang(sample_pages)
    countries = country_names()
    outlets = [f"{city} {kind}" for city in ("Tehran", "Beirut", "Cairo", "London", "Doha", "Kabul", "Baghdad", "Dubai")
               for kind in ("Times", "News", "Herald", "Daily", "Observer")]
    started = time.monotonic()
    with Store(path) as store:
        run_id = store.start_run("bench", {"bench": "web_latency"}, {"articles": count})
        store.conn.execute("PRAGMA synchronous=OFF")
        counts: dict[tuple[str, str], int] = {}
        spellings: dict[str, dict[str, set[str]]] = {}
        store.conn.execute("BEGIN")
        for page in range(0, count, ARTICLES_PER_PAGE):
            lang = rng.choices(["en", "ar", "fa"], weights=[5, 3, 2])[0]
            bodies = [synthetic_article(rng, lang, sentences[lang], countries)
                      for _ in range(min(ARTICLES_PER_PAGE, count - page))]
            page_text = "\n\n\n".join(b for b, _ in bodies)
            doc = SourceDocument(id=content_hash(f"{page}:{page_text}"), source=f"synthetic://page/{page}",
                                 path="synthetic", record=page, format="text", encoding="utf-8", text=page_text)
            articles, offset = [], 0
            for index, (body, found) in enumerate(bodies):
                aid = article_id_for(doc.id, index)
                paragraphs, p = [], 0
                for para in body.split("\n\n"):
                    paragraphs.append(Paragraph(p, p + len(para), offset + p, offset + p + len(para), lang))
                    p += len(para) + 2
                day = f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                title = " ".join(rng.choice(sentences[lang]).split()[:9])
                mentions = [Mention(aid, s, e, t, "GPE", lang, "bench", eid) for s, e, t, eid in found]
                for m in mentions:
                    counts[(m.entity_id, aid)] = counts.get((m.entity_id, aid), 0) + 1
                    spellings.setdefault(m.entity_id, {}).setdefault(lang, set()).add(m.text)
                articles.append(Article(id=aid, document_id=doc.id, source=doc.source, source_index=index, text=body,
                                        paragraphs=paragraphs, title=title, date=day, outlet=rng.choice(outlets),
                                        lang=lang, mentions=mentions))
                offset += len(body) + 3
            store.conn.execute(
                "INSERT INTO documents (id, source, path, record, format, encoding, text, meta, article_count, run_id,"
                " added) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, datetime('now'))",
                (doc.id, doc.source, doc.path, doc.record, doc.format, doc.encoding, doc.text, len(articles), run_id))
            for article in articles:
                store._insert_article(article, run_id)
            if page % 20000 == 0 and page:
                store.conn.execute("COMMIT")
                print(f"  {page} articles ({time.monotonic() - started:.0f} s)", file=sys.stderr)
                store.conn.execute("BEGIN")
        store.conn.execute("COMMIT")
        names = {"c" + c["id"]: c["en"] for c in countries}
        per_entity: dict[str, list[int]] = {}
        for (eid, _), n in counts.items():
            per_entity.setdefault(eid, []).append(n)
        entities = [Entity(eid, names[eid], "GPE", {k: sorted(v) for k, v in spellings[eid].items()},
                           sum(ns), len(ns)) for eid, ns in per_entity.items()]
        store.replace_entities(entities, [], [])
        store.conn.execute("ANALYZE")
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        store.conn.commit()
        store.finish_run(run_id, {"articles": count})
    print(f"built {count} articles in {time.monotonic() - started:.0f} s → {path} "
          f"({path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)


# ------------------------------------------------------------------ load


def query_words(db: Path, rng: random.Random, n: int = 400, min_share: float = 0.0) -> tuple[list[str], float]:
    """Search words as users type them: real words of the corpus in all three scripts; with ``min_share``
    only words in at least that share of the articles (measured on 2,000 of them). Also the smallest
    share among the words returned."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    texts = [r[0] for r in conn.execute("SELECT substr(text, 1, 600) FROM articles WHERE rowid % 997 = 0 LIMIT 300")]
    sample = [set(re.findall(r"\w{5,}", r[0].lower())) for r in
              conn.execute("SELECT text FROM articles WHERE rowid % 50 = 0 LIMIT 2000")]
    conn.close()
    words = sorted({w for t in texts for w in re.findall(r"\w{5,}", t) if not w.isdigit()})
    if min_share:
        words = [w for w in words if sum(w.lower() in s for s in sample) >= min_share * len(sample)]
    words = rng.sample(words, min(n, len(words)))
    share = min((sum(w.lower() in s for s in sample) / len(sample) for w in words), default=0.0) if sample else 0.0
    return words, round(share, 3)


def article_ids(db: Path, n: int = 5000) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY random() LIMIT ?", (n,))]
    conn.close()
    return ids


def request_plan(rng: random.Random, words: list[str], ids: list[str]) -> tuple[str, str]:
    """(kind, path): alternating search pages (a third of them with a facet) and article pages."""
    if rng.random() < 0.5:
        path = "/?q=" + quote(rng.choice(words))
        if rng.random() < 0.33:
            path += rng.choice(["&lang=en", "&lang=ar", "&lang=fa", "&from=2022-01-01", "&entity=cIRN"])
        return "search", path
    return "article", "/article/" + rng.choice(ids)


def client_loop(port: int, seconds: float, seed: int, words: list[str], ids: list[str],
                out: dict[str, list[float]], errors: dict[str, int], lock: threading.Lock,
                per_client: list[float]) -> None:
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    local: dict[str, list[float]] = {"search": [], "article": []}
    local_errors: dict[str, int] = {"search": 0, "article": 0}
    while time.monotonic() < deadline:
        kind, path = request_plan(rng, words, ids)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = (time.perf_counter() - t0) * 1000
        if ok:
            local[kind].append(elapsed)
        else:
            local_errors[kind] += 1
    conn.close()
    with lock:
        per_client.append(statistics.fmean(local["search"] + local["article"] or [float("nan")]))
        for k in local:
            out[k] += local[k]
            errors[k] += local_errors[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port),
           "--workers", str(workers)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)  # this checkout's code
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server exited")
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_load(db: Path, clients: int, seconds: float, workers: int, min_share: float = 0.0
             ) -> tuple[dict[str, dict[str, float]], float, list[float]]:
    """Latency by page kind, the smallest word share, and each client's mean latency (how evenly the
    server's workers share the clients: a worker holding more connections makes its clients wait longer)."""
    rng = random.Random(11)
    (words, share), ids = query_words(db, rng, min_share=min_share), article_ids(db)
    print(f"{len(words)} query words, each in at least {share:.0%} of the articles sampled")
    port = free_port()
    server = start_server(db, port, workers)
    try:
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for path in ["/", "/?q=" + quote(words[0]), "/article/" + ids[0]]:  # first requests open connections
            warm.request("GET", path)
            warm.getresponse().read()
        warm.close()
        out: dict[str, list[float]] = {"search": [], "article": []}
        errors = {"search": 0, "article": 0}
        lock = threading.Lock()
        per_client: list[float] = []
        threads = [threading.Thread(target=client_loop,
                                    args=(port, seconds, 100 + i, words, ids, out, errors, lock, per_client))
                   for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)
    finally:
        server.terminate()
        try:  # a loaded machine may take longer to stop the workers: the figures are measured already
            server.wait(120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return {kind: {"requests": len(out[kind]), "errors": errors[kind], "p50_ms": round(percentile(out[kind], 50), 1),
                   "p95_ms": round(percentile(out[kind], 95), 1), "p99_ms": round(percentile(out[kind], 99), 1),
                   "mean_ms": round(statistics.fmean(out[kind]), 1) if out[kind] else float("nan"),
                   "per_s": round(len(out[kind]) / seconds, 1)} for kind in out}, share, sorted(per_client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--db", type=Path, help="database to build (or reuse when it exists)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--frequent", action="store_true",
                        help="store from examples/pages, query words in >= 30%% of the articles")
    args = parser.parse_args()
    args.out = args.out or ROOT / "bench" / "results" / ("web_latency-frequent.json" if args.frequent
                                                          else "web_latency.json")
    limit = 150 if args.frequent else 80

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="newsgraph-web-bench-")
        db = Path(tmp.name) / "bench.db"
    if not db.exists():
        build_database(db, args.articles, sample_pages=args.frequent)
    results, share, per_client = run_load(db, args.clients, args.seconds, args.workers,
                                          min_share=0.3 if args.frequent else 0.0)

    print(f"\n{args.clients} clients, {args.seconds:.0f} s, {args.workers} server workers, {args.articles} articles")
    print(f"{'page':<10}{'requests':>10}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, r in results.items():
        print(f"{kind:<10}{r['requests']:>10}{r['errors']:>8}{r['per_s']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}")
    print(f"mean latency per client: {per_client[0]:.1f} to {per_client[-1]:.1f} ms")
    target = results["search"]["p95_ms"] <= limit and not any(r["errors"] for r in results.values())
    print(f"target search p95 <= {limit} ms and no errors: {'met' if target else 'NOT met'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "articles": args.articles, "clients": args.clients, "seconds": args.seconds, "workers": args.workers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_after": [round(x, 1) for x in os.getloadavg()]},
        "store": "examples/pages" if args.frequent else "NTREX-128 (examples/pages when absent)",
        "query_words_min_share": share, "target_p95_ms": limit,
        "results": results, "client_mean_ms": {"min": round(per_client[0], 1), "max": round(per_client[-1], 1)},
        "target_met": target}, indent=2) + "\n")
    print(f"→ {args.out}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
