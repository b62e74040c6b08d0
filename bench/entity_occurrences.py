"""Entity stage: name occurrences vs linked mentions on the seed pages, and throughput per language.

Table 1 (seeds): for every PERSON, ORG or GPE entity with at least 3 mentions, each of its
spellings (the mention texts) is looked up as a whole word in the article texts where the entity is
mentioned; an occurrence counts as linked when a mention of that entity covers it. This is the
"every occurrence" check of the issue: a name the article writes ten times should be ten mentions.
Spellings that are part of another entity's name at that place (Soleimani inside "Soleimani
Foundation") are counted apart, as "inside another name".

Table 2 (throughput): the entity stage (tagger, span cleaning, every-occurrence pass) on one core,
in whitespace tokens per second, on real news: Fars News (fa), SaudiNewsNet (ar) and PTC (en)
articles from ../shared/data, 200 each when present. Model loading is excluded (warm-up article).

    python bench/entity_occurrences.py [--out bench/results/entity_occurrences.json]
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))


def occurrence_table(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    texts = dict(conn.execute("SELECT id, text FROM articles"))
    mentions = conn.execute("SELECT article_id, start, end, text, entity_id FROM mentions").fetchall()
    entities = {i: (n, t) for i, n, t in conn.execute("SELECT id, name, type FROM entities")}
    by_entity = defaultdict(list)
    for m in mentions:
        by_entity[m[4]].append(m)
    spans = defaultdict(list)
    for aid, s, e, _, eid in mentions:
        spans[aid].append((s, e, eid))
    rows = []
    for eid, ms in by_entity.items():
        name, kind = entities.get(eid, ("?", "?"))
        if kind not in ("PERSON", "ORG", "GPE") or len(ms) < 3:
            continue
        occurrences = linked = inside_other = 0
        spellings = {m[3] for m in ms if len(m[3]) >= 3}
        for aid in {m[0] for m in ms}:
            text = texts[aid]
            found = {(f.start(), f.end()) for sp in spellings
                     for f in re.finditer(rf"(?<![\w\u0600-\u06FF]){re.escape(sp)}(?![\w\u0600-\u06FF])", text)}
            # an occurrence inside a longer occurrence of the same entity's spelling is that one
            found = {o for o in found if not any(p != o and p[0] <= o[0] and o[1] <= p[1] for p in found)}
            for start, end in found:
                covering = [x for x in spans[aid] if x[0] < end and start < x[1]]
                if any(x[2] == eid for x in covering):
                    linked += 1
                    occurrences += 1
                elif covering:
                    inside_other += 1
                else:
                    occurrences += 1
        rows.append({"entity": name, "type": kind, "mentions": len(ms), "occurrences": occurrences,
                     "linked": linked, "inside_another_name": inside_other})
    rows.sort(key=lambda r: -r["mentions"])
    return rows


def corpora(n: int) -> dict[str, list[str]]:
    data = SHARED / "data"
    out: dict[str, list[str]] = {}
    fars = sorted(glob.glob(str(data / "fa-news-farsnews-varzesh3" / "fars-news-*.json.gz")))
    if fars:
        out["fa"] = ["\n".join(a.get("paragraphs") or []) for a in json.load(gzip.open(fars[0]))][:n]
    saudi = sorted(glob.glob(str(data / "saudinewsnet-ar" / "dataset" / "*.zip")))
    if saudi:
        with zipfile.ZipFile(saudi[0]) as zf:
            out["ar"] = [a["content"] for a in json.loads(zf.read(zf.namelist()[0]).decode("utf-8"))
                         if (a.get("content") or "").strip()][:n]
    ptc = sorted((data / "semeval2020-task11-ptc" / "train" / "train-articles").glob("*.txt"))
    if ptc:
        out["en"] = [p.read_text(encoding="utf-8") for p in ptc[:n]]
    return out


def throughput(texts: list[str], lang: str) -> dict:
    import newsgraph.api as ng
    from newsgraph.enrich.entities import find_mentions
    from newsgraph.segment import text_article

    ng.annotate(texts[0], lang=lang)  # load the models
    articles = [text_article(t, lang=lang) for t in texts]
    start = time.process_time()
    mentions = sum(len(find_mentions(a)) for a in articles)
    seconds = time.process_time() - start
    tokens = sum(len(t.split()) for t in texts)
    return {"articles": len(texts), "tokens": tokens, "mentions": mentions, "cpu_seconds": round(seconds, 2),
            "tokens_per_cpu_second": round(tokens / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_occurrences.json")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    import newsgraph.api as ng

    result: dict = {}
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "seeds.db"
            ng.analyze([seeds], db)
            rows = occurrence_table(db)
        print(f"{'entity':<40} {'type':<7} {'mentions':>8} {'occurrences':>11} {'linked':>7} {'inside other':>12}")
        for r in rows[:40]:
            print(f"{r['entity'][:40]:<40} {r['type']:<7} {r['mentions']:>8} {r['occurrences']:>11} {r['linked']:>7} "
                  f"{r['inside_another_name']:>12}")
        total_occ = sum(r["occurrences"] for r in rows)
        total_linked = sum(r["linked"] for r in rows)
        print(f"all {len(rows)} entities: {total_linked} of {total_occ} occurrences linked ({total_linked / max(total_occ, 1):.3f})")
        result["seeds"] = {"entities": rows, "occurrences": total_occ, "linked": total_linked}
    else:
        print(f"skipped the seed table: {seeds} not found")
    result["throughput"] = {}
    print(f"\n{'lang':<5} {'articles':>8} {'tokens':>8} {'mentions':>8} {'cpu s':>7} {'tokens/s (1 core)':>18}")
    for lang, texts in corpora(args.n).items():
        row = throughput(texts, lang)
        result["throughput"][lang] = row
        print(f"{lang:<5} {row['articles']:>8} {row['tokens']:>8} {row['mentions']:>8} {row['cpu_seconds']:>7} "
              f"{row['tokens_per_cpu_second']:>18}")
    result["cores"] = os.cpu_count()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
