"""Entity resolution on real news: the checks a reader of the entity table makes, on three corpora.

* Fars News (the first 990 articles of ``fa-news-farsnews-varzesh3/fars-news-*.json.gz``, Persian),
  as published (Arabic ي/ك, so language ID reads 405 of them as Arabic today) and with Persian
  ی/ک (``fars_persian_letters``: what the Persian NER sees once language ID reads them right),
* SaudiNewsNet (the first 1,500 non-empty articles of ``saudinewsnet-ar``, Arabic),
* the 446 English PTC articles (``semeval2020-task11-ptc``, train + dev).

Each is analysed once (NER and entities only) into ``--work``; later runs re-resolve the stored
mentions with the code under test (seconds). Checks, per corpus:

* ``merged_given_names``: PERSON entities holding two Arabic-script spellings of the same shape
  whose words differ in a written letter (حسن/حسين, محمد/محمود, سلمان/سليمان), after the folds
  that do not change a name (ي/ی, ك/ک, ة/ه, hamza seats, the article);
* ``places_aliased_to_persons``: PERSON entities with a spelling that is a gazetteer place;
* ``gazetteer_names_among_top60_persons``: top-60 PERSON entities whose name is a gazetteer
  place or organisation (agencies in datelines, platforms); ``function_words_among_top60_persons``
  the same for names made only of function words (an NER error, listed for the NER owners);
* PTC only, over the 40 largest PERSON entities: bare surnames apart from a full name of the same
  corpus with that surname, names with digits / possessive 's / leading punctuation, gazetteer
  organisations typed PERSON.

    python bench/entity_resolution_real.py [--work /tmp/newsgraph-res-bench] [--as-stored]

``--as-stored`` reads the entity table as it is in the databases (no re-resolution). Skips
cleanly when ``../shared/data`` is absent. Writes ``bench/results/entity_resolution_real.json``.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import re
import shutil
import sqlite3
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FUNCTION_WORDS = set("""در را با به از که این آن اين كه براي برای بود شد داد كرد کرد شود مي می هم نیز
    خواهد است های هاي وي وی افزود گفت كشور کشور مورد بيان بیان اينكه اینکه پايان پایان بخش روزهاي روزهای
    في من على إلى الى عن مع هذا هذه ذلك التي الذي كان قال وقال أن ان لا ما قد كما بعد قبل حتى""".split())


def build_inputs(work: Path) -> dict[str, Path]:
    work.mkdir(parents=True, exist_ok=True)
    fars, snn, ptc = work / "fars.jsonl", work / "snn.jsonl", work / "ptc"
    if not fars.exists():
        rows = []
        for f in sorted(glob.glob(str(DATA / "fa-news-farsnews-varzesh3" / "fars-news-*.json.gz"))):
            rows += json.load(gzip.open(f, "rt", encoding="utf-8"))
        with fars.open("w", encoding="utf-8") as out:
            for i, a in enumerate(rows[:990]):
                text = "\n\n".join(p for p in a.get("paragraphs") or [] if p)
                out.write(json.dumps({"text": text, "title": a.get("title") or "", "outlet": "Fars News",
                                      "url": a.get("link") or f"fars-{i}"}, ensure_ascii=False) + "\n")
    if not snn.exists():
        n = 0
        with snn.open("w", encoding="utf-8") as out:
            for z in sorted(glob.glob(str(DATA / "saudinewsnet-ar" / "dataset" / "*.zip"))):
                with zipfile.ZipFile(z) as zf:
                    for name in zf.namelist():
                        for a in json.loads(zf.read(name).decode("utf-8")):
                            if n < 1500 and (a.get("content") or "").strip():
                                out.write(json.dumps({"text": a["content"], "title": a.get("title") or "",
                                                      "date": (a.get("date_extracted") or "")[:10],
                                                      "outlet": a.get("source"), "url": a["url"]},
                                                     ensure_ascii=False) + "\n")
                                n += 1
    persian = work / "fars_persian_letters.jsonl"
    if not persian.exists():  # the same articles with Persian ی/ک: what language ID reads as Persian today
        with fars.open(encoding="utf-8") as src, persian.open("w", encoding="utf-8") as out:
            for line in src:
                out.write(line.replace("\u064a", "\u06cc").replace("\u0643", "\u06a9").replace("ي", "ی").replace("ك", "ک"))
    if not ptc.exists():
        ptc.mkdir()
        for f in glob.glob(str(DATA / "semeval2020-task11-ptc" / "*" / "*" / "article*.txt")) + \
                glob.glob(str(DATA / "semeval2020-task11-ptc" / "*" / "article*.txt")):
            shutil.copy(f, ptc)
    return {"fars": fars, "fars_persian_letters": persian, "saudinewsnet": snn, "ptc": ptc}


def analyse(inputs: dict[str, Path], work: Path, as_stored: bool) -> dict[str, Path]:
    import newsgraph.api as ng
    from newsgraph.corpus.entities import resolve_corpus
    from newsgraph.pipeline import default_pipeline
    from newsgraph.store.db import Store

    dbs = {}
    for name, path in inputs.items():
        db = work / f"{name}.db"
        if not db.exists():
            pipeline = default_pipeline()
            for stage in ("dates", "quotes", "relations", "techniques"):
                if stage in pipeline.names:
                    pipeline.remove(stage)
            start = time.perf_counter()
            ng.analyze([path], db, pipeline=pipeline)
            print(f"{name}: analysed in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        elif not as_stored:
            with Store(db) as store:
                resolve_corpus(store)
        dbs[name] = db
    return dbs


def _letters(word: str) -> str:
    from newsgraph.text.normalize import normalize_for_search

    word = normalize_for_search(word).replace("\u0621", "").strip("«»\"'()[].,:؛،")
    word = re.sub(r"^(?:وال|بال|فال|كال|لل|ال)(?=..)", "", word)
    return re.sub(r"(?:هاي|يي)$", "ي", word)


def _arabic(text: str) -> bool:
    return bool(re.search(r"[\u0600-\u06FF]", text))


def checks(db: Path, ptc: bool) -> dict:
    from newsgraph.corpus.gazetteer import is_place, lookup
    from newsgraph.text.translit import name_key

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, type, aliases, mention_count FROM entities ORDER BY mention_count DESC, name")
        entities = [(n, t, json.loads(a), c) for n, t, a, c in rows]
    persons = [e for e in entities if e[1] == "PERSON"]
    merged, aliased = [], []
    for name, _, aliases, count in persons:
        spellings = {s for group in aliases.values() for s in group}
        shapes: dict[str, set[str]] = {}
        for s in spellings:
            if _arabic(s):
                words = s.split()
                skeleton = " ".join(name_key(w) for w in words)
                shapes.setdefault(skeleton, set()).add(" ".join(_letters(w) for w in words))
        clashes = [sorted(v) for v in shapes.values() if len(v) > 1]
        if clashes:
            merged.append({"name": name, "mentions": count, "differing": clashes[:4]})
        places = sorted(s for s in spellings if (m := lookup(s, "GPE")) and m.entry.type in ("GPE", "LOC")
                        and not m.person_name)
        if places and not is_place(name):  # an entity that is all place is a typing error, counted below
            aliased.append({"name": name, "mentions": count, "places": places})
    top60 = persons[:60]
    gaz = [f"{n} ({c})" + (" [also a person's name]" if m.person_name else "")
           for n, _, _, c in top60 if (m := lookup(n, "PERSON"))]
    function = [f"{n} ({c})" for n, _, _, c in top60 if all(w in FUNCTION_WORDS for w in n.split())]
    out = {"entities": len(entities), "person_entities": len(persons),
           "merged_given_names": len(merged), "merged_given_names_examples": merged[:10],
           "places_aliased_to_persons": len(aliased), "places_aliased_examples": aliased[:10],
           "gazetteer_names_among_top60_persons": gaz, "function_words_among_top60_persons": function,
           "top60_persons": [f"{n} ({c})" for n, _, _, c in top60]}
    if ptc:
        top40 = persons[:40]
        full_surnames = Counter(n.split()[-1] for n, _, _, c in persons if len(n.split()) >= 2)
        out["ptc_top40"] = {
            "bare_surnames_apart": [n for n, _, _, _ in top40 if len(n.split()) == 1 and full_surnames[n] > 0],
            "digits_possessive_punctuation": [n for n, _, _, _ in top40
                                              if re.search(r"\d|['’]s\b|^\W", n)],
            "organisations_as_person": [n for n, _, _, _ in top40 if (m := lookup(n, "PERSON"))
                                        and m.entry.type == "ORG" or n.lower() in ("email", "tweet")],
            "same_person_twice": _same_person_twice([n for n, _, _, _ in top40]),
        }
    return out


def _same_person_twice(names: list[str]) -> list[list[str]]:
    """Top names that are one person under a title or initial (Archbishop McCarrick / Theodore
    McCarrick, Donald J. Trump / Donald Trump)."""
    from newsgraph.corpus.resolution import clean_name

    words = {n: {w.lower() for w in clean_name(re.sub(r"^\W+", "", n)).split() if len(w.strip(".")) > 1} for n in names}
    return [[a, b] for i, a in enumerate(names) for b in names[i + 1:]
            if words[a] and words[b] and (words[a] <= words[b] or words[b] <= words[a])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsgraph-res-bench"))
    parser.add_argument("--as-stored", action="store_true", help="read the entity tables as stored")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_resolution_real.json")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    dbs = analyse(build_inputs(args.work), args.work, args.as_stored)
    report = {}
    for name, db in dbs.items():
        report[name] = r = checks(db, ptc=name == "ptc")
        print(f"== {name}: {r['entities']} entities, {r['person_entities']} PERSON")
        print(f"  PERSON entities joining names that differ in a letter: {r['merged_given_names']}")
        print(f"  PERSON entities with a place among their spellings:    {r['places_aliased_to_persons']}")
        print(f"  gazetteer places/organisations among top-60 PERSON:    {r['gazetteer_names_among_top60_persons']}")
        print(f"  function words among top-60 PERSON (NER):             {r['function_words_among_top60_persons']}")
        if "ptc_top40" in r:
            for key, value in r["ptc_top40"].items():
                print(f"  top-40 PERSON {key}: {value}")
        print("  top-20 PERSON:", ", ".join(r["top60_persons"][:20]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
