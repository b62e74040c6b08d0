"""Entity resolution on news it was not written from: B-cubed on NTREX-128 in English, Arabic and Persian.

The labelled set (bench/data/resolution_gold_ntrex.json, built by bench/data/build_resolution_gold_ntrex.py;
selection rule, licence and split in bench/data/README.md) gives, for sixteen NTREX-128 news documents and each
of en/ar/fa, the spellings of every named person, organisation and place as written, under a real-world entity
id that is the same in the three languages and across documents. None of these documents is a seed or bundled
page, so no resolution rule was written from them; settings may be chosen on the dev documents only.

The 48 articles (16 documents x 3 languages, each language version its own article, as JSONL records like
examples/pages/ntrex-welsh-assembly.jsonl) go through the whole pipeline into one store. Every mention whose
text is a gold spelling of its document and language is scored, B-cubed over mentions (Bagga & Baldwin 1998):
per language, and cross-lingual (the three languages together: an entity should be one across scripts).
The floor puts every spelling alone (no resolution). "entities reached" is how many gold (document, language,
entity) triples have at least one scored mention: the share of the gold that NER lets resolution see.

    python bench/entity_resolution_ntrex.py [--out bench/results/entity_resolution_ntrex.json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from entity_resolution import b_cubed

GOLD = ROOT / "bench" / "data" / "resolution_gold_ntrex.json"
LANGS = ("en", "ar", "fa")


def records(gold: dict) -> list[dict]:
    """One JSONL record per (document, language): first line the title, the others paragraphs."""
    out = []
    for d in gold["documents"]:
        for lang in LANGS:
            lines = d["text"][lang]
            out.append({"url": f"urn:ntrex128:newstest2019:{d['doc']}:{lang}", "title": lines[0],
                        "text": "\n\n".join(lines[1:]), "outlet": d["doc"].rsplit(".", 1)[0], "lang": lang})
    return out


def scored_mentions(gold: dict, db: Path) -> list[dict]:
    """Mentions whose text is a gold spelling of their document and language, with gold and system entity."""
    keys = {f"urn:ntrex128:newstest2019:{d['doc']}:{lang}": (d["doc"], lang, d["split"])
            for d in gold["documents"] for lang in LANGS}
    spellings = {(d["doc"], lang): {s: e["id"] for e in d["entities"] for s in e[lang]}
                 for d in gold["documents"] for lang in LANGS}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT a.source, m.rowid, m.text, m.entity_id, m.label FROM mentions m "
                            "JOIN articles a ON a.id = m.article_id").fetchall()
    out = []
    for source, rowid, text, entity, label in rows:
        doc, lang, split = keys[source]
        if text in spellings[(doc, lang)]:
            out.append({"id": rowid, "doc": doc, "lang": lang, "split": split, "text": text, "label": label,
                        "gold": spellings[(doc, lang)][text], "system": entity or f"none:{rowid}"})
    return out


def _prf(values: tuple[float, float, float]) -> dict[str, float]:
    return dict(zip(("precision", "recall", "f1"), (round(x, 4) for x in values)))


def scores(mentions: list[dict]) -> dict:
    gold = {m["id"]: m["gold"] for m in mentions}
    if not gold:
        return {"mentions": 0}
    system = {m["id"]: m["system"] for m in mentions}
    floor = {m["id"]: f"{m['lang']}:{m['text']}" for m in mentions}
    return {"mentions": len(gold), "gold_entities": len(set(gold.values())),
            "resolution": _prf(b_cubed(system, gold)), "no_resolution_floor": _prf(b_cubed(floor, gold))}


def errors(mentions: list[dict]) -> dict:
    """System entities holding two gold entities (merges) and gold entities over two system entities (splits)."""
    by_system, by_gold = defaultdict(set), defaultdict(set)
    for m in mentions:
        by_system[m["system"]].add((m["gold"], f"{m['lang']}:{m['text']}"))
        by_gold[m["gold"]].add((m["system"], f"{m['lang']}:{m['text']}"))
    merges = [sorted(v) for v in by_system.values() if len({g for g, _ in v}) > 1]
    splits = {}
    for g, v in by_gold.items():
        groups = defaultdict(set)
        for s, spelling in v:
            groups[s].add(spelling)
        if len(groups) > 1:
            splits[g] = sorted(sorted(group) for group in groups.values())
    return {"merges": merges, "splits": splits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_resolution_ntrex.json")
    args = parser.parse_args()
    import newsgraph.api as ng

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp())
    source = work / "ntrex.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(gold)), encoding="utf-8")
    result = ng.analyze([source], work / "ntrex.db")
    assert result.articles == 3 * len(gold["documents"]) and not result.rejected, result
    mentions = scored_mentions(gold, work / "ntrex.db")
    triples = {(d["doc"], lang, e["id"]): d["split"] for d in gold["documents"] for lang in LANGS
               for e in d["entities"] if e[lang]}
    reached = {(m["doc"], m["lang"], m["gold"]) for m in mentions}
    report: dict = {"gold": str(GOLD.relative_to(ROOT)), "documents": {s: [d["doc"] for d in gold["documents"]
                                                                          if d["split"] == s] for s in ("dev", "test")},
                    "splits": {}}
    for split in ("test", "dev"):
        part = [m for m in mentions if m["split"] == split]
        entry = {lang: scores([m for m in part if m["lang"] == lang]) for lang in LANGS}
        entry["cross_lingual"] = scores(part)
        for lang in LANGS:
            keys = [k for k, s in triples.items() if s == split and k[1] == lang]
            entry[lang]["entities_reached"] = [sum(k in reached for k in keys), len(keys)]
        entry["errors"] = errors(part)
        entry["errors"]["not_reached"] = sorted(f"{lang}:{doc}:{e}" for (doc, lang, e), s in triples.items()
                                                if s == split and (doc, lang, e) not in reached)
        report["splits"][split] = entry
    print(f"B-cubed over gold-spelled mentions, NTREX-128 ({len(gold['documents'])} documents x en/ar/fa, one store)")
    print(f"{'split':<5} {'scope':<14} {'mentions':>8} {'reached':>8} {'P':>6} {'R':>6} {'F1':>6} | "
          f"{'floor P':>7} {'R':>6} {'F1':>6}")
    for split, entry in report["splits"].items():
        for scope in (*LANGS, "cross_lingual"):
            r = entry[scope]
            if not r["mentions"]:
                continue
            got = r.get("entities_reached")
            print(f"{split:<5} {scope:<14} {r['mentions']:>8} {f'{got[0]}/{got[1]}' if got else '':>8} "
                  f"{r['resolution']['precision']:>6.3f} {r['resolution']['recall']:>6.3f} {r['resolution']['f1']:>6.3f} | "
                  f"{r['no_resolution_floor']['precision']:>7.3f} {r['no_resolution_floor']['recall']:>6.3f} "
                  f"{r['no_resolution_floor']['f1']:>6.3f}")
    test_errors = report["splits"]["test"]["errors"]
    print(f"\ntest: {len(test_errors['merges'])} system entities merge gold entities, "
          f"{len(test_errors['splits'])} gold entities are split")
    for merged in test_errors["merges"]:
        print("  merged:", merged)
    for entity, parts in test_errors["splits"].items():
        print("  split:", entity, "->", " | ".join(", ".join(group) for group in parts))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
