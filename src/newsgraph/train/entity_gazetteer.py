"""Build ``data/gazetteer/countries-mledoze.tsv``: one row per country with an id, from the
mledoze/countries table (ODbL 1.0) in ``../shared/data/gazetteer-countries-en-ar-fa``.

    python -m newsgraph.train.entity_gazetteer --data ../shared/data --out src/newsgraph/data/gazetteer/

The rows are a derived database under the ODbL: they stay in their own file, with the
attribution in ``data/gazetteer/README.md``. Names we add (Persian اسرائیل, "U.S.", capitals,
organisations) live in ``newsgraph-entities.tsv``, which is ours.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

HEADER = "# derived from mledoze/countries (ODbL 1.0, https://github.com/mledoze/countries); see README.md\n"


def build(data: Path, out: Path) -> int:
    source = data / "gazetteer-countries-en-ar-fa" / "countries_en_ar_fa.tsv"
    rows = []
    with source.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            names = [row["name_en_common"], row["name_en_official"], row["name_ar_common"], row["name_ar_official"],
                     row["name_fa_common"], row["name_fa_official"]]
            # alternative spellings: whole names only (the two- and three-letter codes collide with words)
            names += [a for a in row["alt_spellings"].split("|") if len(a) > 3 and "," not in a]
            seen, kept = set(), []
            for name in names:
                name = name.strip()
                if name and name not in seen:
                    seen.add(name)
                    kept.append(name)
            rows.append((f"iso:{row['cca3']}", "GPE", row["name_en_common"], "|".join(kept)))
    rows.sort()
    target = out / "countries-mledoze.tsv"
    with target.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("id\ttype\tname\tnames\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "gazetteer")
    args = parser.parse_args()
    print(build(args.data, args.out), "countries")


if __name__ == "__main__":
    main()
