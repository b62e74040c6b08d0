"""Build bench/data/stance/gold_{en,ar,fa}.jsonl from labels.tsv and NTREX-128 (run from the repository root):

    python bench/data/stance/build_gold.py /path/to/shared/data/ntrex128-en-ar-fa

Each label was given once, on the English sentence, and carried to its human Arabic and Persian
translations (a translation keeps who praises or blames whom). The actor's span in each language is
found with the name table of the symmetric pairs (tests/data/symmetric/build_pairs.py); an item whose
actor cannot be found in a translation is left out of that language.

Split (declared before any scoring or tuning): an item is **test** when the SHA-1 of its NTREX
document id is odd, **dev** otherwise, so sentences of one article never straddle the split.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2] / "tests" / "data" / "symmetric"))
from build_pairs import FILES, swap  # noqa: E402

ACTOR_FORMS = {  # the English actor -> its spellings in the three languages (cores as the name table has them)
    "Trump": "Trump ترامب ترامپ", "Putin": "Putin بوتين پوتین", "Kavanaugh": "Kavanaugh كافانو کاوانا کاوانو",
    "Ford": "Ford فورد", "Democrats": "Democrats Democratic Democrat ديمقراطي ديموقراطي دموکرات",
    "Republicans": "Republicans Republican جمهوري جمهوری‌خواه جمهوریخواه", "China": "China صين چین",
    "the U.S.": "the_U.S. the_US the_United_States America ولايات_المتحدة أمريكا أميركا آمریکا ایالات_متحده امریکا",
    "Beijing": "Beijing بكين پکن", "Washington": "Washington واشنطن واشنگتن", "Russia": "Russia روسيا روسیه",
    "Moscow": "Moscow موسكو مسکو", "North Korea": "North_Korea كوريا_الشمالية کره_شمالی",
    "South Korea": "South_Korea كوريا_الجنوبية کره_جنوبی", "Syria": "Syria سوريا سوریه",
    "Pyongyang": "Pyongyang بيونغ_يانغ بيونغيانغ پیونگ_یانگ پیونگ‌یانگ", "Turkey": "Turkey تركيا ترکیه",
    "Labour": "Labour حزب_العمال حزب_کارگر", "the Conservatives": "the_Conservatives the_Tories حزب_المحافظين حزب_محافظه‌کار",
    "Corbyn": "Corbyn كوربين کوربین",
}
ALIASES = {"Democratic": "Democrats", "Democrat": "Democrats", "Republican": "Republicans", "the US": "the U.S.",
           "the United States": "the U.S."}


def forms(actor: str) -> set[str]:
    return {f.replace("_", " ") for f in ACTOR_FORMS[ALIASES.get(actor, actor)].split()}


def main(root: str) -> None:
    lines = {lang: (Path(root) / name).read_text(encoding="utf-8").splitlines() for lang, name in FILES.items()}
    docs = (Path(root) / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    out: dict[str, list[dict]] = {lang: [] for lang in FILES}
    for row in (HERE / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        number, actor, label = row.split("\t")
        doc = docs[int(number) - 1].split("\t")[0]
        split = "test" if int(hashlib.sha1(doc.encode()).hexdigest(), 16) % 2 else "dev"
        for lang in FILES:
            text = lines[lang][int(number) - 1].strip()
            found = swap(text, lang)
            spans = [s for s in (found[1] if found else []) if text[s[0]:s[1]] in forms(actor)]
            if not spans:
                continue
            out[lang].append({"id": f"ntrex-{number}-{ALIASES.get(actor, actor)}", "lang": lang, "document": doc,
                              "split": split, "text": text, "actor": text[spans[0][0]:spans[0][1]],
                              "actor_span": spans[0], "label": label})
    for lang, items in out.items():
        with (HERE / f"gold_{lang}.jsonl").open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        counts = {s: sum(i["split"] == s for i in items) for s in ("dev", "test")}
        print(lang, len(items), counts)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ntrex128-en-ar-fa")
