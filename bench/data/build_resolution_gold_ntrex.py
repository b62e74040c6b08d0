"""Build bench/data/resolution_gold_ntrex.json from the hand labels and the NTREX-128 text.

    python bench/data/build_resolution_gold_ntrex.py [--ntrex ../shared/data/ntrex128-en-ar-fa]

The labels (``resolution_gold_ntrex_labels.txt``) were written by reading each chosen document in
English, Arabic and Persian; this script only applies the document selection rule, copies the
documents' text (CC BY-SA 4.0, so the gold can be checked without ../shared) and checks the labels:
every spelling occurs in its document's text in that language, no spelling names two entities in one
document and language, every labelled document is one the rule chose. See README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = {"en": "newstest2019-src.eng.txt", "ar": "newstest2019-ref.arb.txt", "fa": "newstest2019-ref.fas.txt"}
DOCUMENTS = 16  # how many documents the rule takes (first 8, then extended to 16 by the same rule)
MAX_LINES = 16  # longer documents are passed over (annotation time), decided before reading any
BUNDLED = {"bbc.381790"}  # examples/pages/ntrex-welsh-assembly.jsonl: in the seed gold the rules were written from


def chosen_documents(ids: list[str]) -> list[str]:
    """The rule: documents in md5(id) order, minus the bundled one, at most MAX_LINES lines, first DOCUMENTS
    (each was then read and had at least 3 named persons/organisations/places in English; all did)."""
    lines = Counter(ids)
    order = sorted(lines, key=lambda d: hashlib.md5(d.encode()).hexdigest())
    return [d for d in order if d not in BUNDLED and lines[d] <= MAX_LINES][:DOCUMENTS]


def parse_labels(path: Path) -> dict[str, list[dict]]:
    docs: dict[str, list[dict]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("@doc "):
            current = raw.split()[1]
            docs[current] = []
            continue
        entity, kind, en, ar, fa = raw.split("|")
        docs[current].append({"id": entity, "type": kind,
                              **{lang: [s for s in cell.split(";") if s] for lang, cell in zip(FILES, (en, ar, fa))}})
    return docs


def build(ntrex: Path) -> dict:
    """The gold document: the chosen documents' text and labels, checked."""
    ids = [line.strip() for line in (ntrex / "DOCUMENT_IDS.tsv").open(encoding="utf-8")]
    lines = {lang: [line.rstrip("\r\n") for line in (ntrex / name).open(encoding="utf-8")] for lang, name in FILES.items()}
    chosen = chosen_documents(ids)
    labels = parse_labels(HERE / "resolution_gold_ntrex_labels.txt")
    assert list(labels) == chosen, (list(labels), chosen)
    documents = []
    for position, doc in enumerate(chosen):
        numbers = [n for n, d in enumerate(ids) if d == doc]
        text = {lang: [lines[lang][n] for n in numbers] for lang in FILES}
        for lang in FILES:
            seen: dict[str, str] = {}
            for entity in labels[doc]:
                for spelling in entity[lang]:
                    assert any(spelling in line for line in text[lang]), (doc, lang, spelling)
                    assert seen.setdefault(spelling, entity["id"]) == entity["id"], (doc, lang, spelling)
        documents.append({"doc": doc, "split": "dev" if position % 2 == 0 else "test",
                          "lines": [numbers[0], numbers[-1]], "text": text, "entities": labels[doc]})
    return {
        "description": "Entity resolution gold on NTREX-128 news (not the seed pages): for each chosen document and each of "
                       "en/ar/fa, the spellings of every named person, organisation and place as written, each under a "
                       "real-world entity id shared by the three languages and across documents. See bench/data/README.md.",
        "source": "NTREX-128 (MicrosoftTranslator/NTREX, WMT19 newstest2019 English with human Arabic and Persian "
                  "translations), lines 'lines' (0-based, inclusive) of each document",
        "licence": "CC BY-SA 4.0 (derived from NTREX-128; this file is shared under the same licence)",
        "selection": f"documents in md5(document id) order, without {sorted(BUNDLED)} (a bundled sample page), at most "
                     f"{MAX_LINES} lines, the first {DOCUMENTS}; split: 1st, 3rd, ... dev, 2nd, 4th, ... test",
        "documents": documents,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ntrex", type=Path, default=ROOT.parent / "shared" / "data" / "ntrex128-en-ar-fa")
    args = parser.parse_args()
    out = build(args.ntrex)
    documents = out["documents"]
    target = HERE / "resolution_gold_ntrex.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{target}: {len(documents)} documents, "
          f"{sum(len(e[l]) for d in documents for e in d['entities'] for l in FILES)} spellings")


if __name__ == "__main__":
    main()
