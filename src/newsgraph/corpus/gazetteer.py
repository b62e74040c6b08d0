"""Places and organisations with ids, in English, Arabic and Persian, for entity resolution.

Two files in ``newsgraph/data/gazetteer/`` (sources and terms in the README there):

* ``countries-mledoze.tsv``: every country, derived from mledoze/countries (ODbL 1.0);
* ``newsgraph-entities.tsv``: written for newsgraph: capitals and cities of the region,
  the organisations, agencies, channels and platforms this news names, and extra spellings
  of countries (Persian اسرائیل, "U.S.", أميركا).

A mention is looked up by its whole text, folded (:func:`normalize_for_search`, spaces and dots
dropped), with an Arabic clitic (و ب ل ف ك) tried off and the article ال tried on, and an English
"the" or possessive dropped. Only whole names match: "Iranian" or "Gaza ceasefire" do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from newsgraph.text.normalize import normalize_for_search

DATA = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
FILES = ("countries-mledoze.tsv", "newsgraph-entities.tsv")
PLACE_TYPES = {"GPE", "LOC", "FAC"}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: ``id`` (``iso:IRN``, ``org:hezbollah``), type, English name."""

    id: str
    type: str
    name: str


@dataclass(frozen=True)
class Match:
    entry: Place
    person_name: bool  # the spelling is also a person's name (Jordan, فارس)


def _arabic(text: str) -> bool:
    return bool(re.search(r"[\u0600-\u06FF]", text))


def fold(text: str) -> str:
    """The lookup key of a name: folded, without spaces, dots, hyphens or quotes."""
    key = normalize_for_search(text.strip()).strip(" .,;:()[]«»\"'“”‘’-–—")
    if not _arabic(key):
        key = re.sub(r"^the\s+", "", key)
        key = re.sub(r"'s?$", "", key)
    return re.sub(r"[\s.\-‐‑'’]+", "", key)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, list[Place]], frozenset[str]]:
    entries: dict[str, Place] = {}
    names: dict[str, list[Place]] = {}
    person_names: set[str] = set()
    for filename in FILES:
        path = DATA / filename
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#") or line.startswith("id\t"):
                continue
            ident, kind, name, spellings = line.split("\t")[:4]
            entry = entries.setdefault(ident, Place(ident, kind, name))
            if filename == "newsgraph-entities.tsv" and ident in entries and entries[ident].name != name:
                entries[ident] = entry = Place(ident, kind, name)  # our English name wins ("United States")
            for spelling in [name, *spellings.split("|")]:
                ambiguous = spelling.startswith("~")
                key = fold(spelling.lstrip("~"))
                if not key:
                    continue
                if ambiguous:
                    person_names.add(key)
                bucket = names.setdefault(key, [])
                if all(p.id != ident for p in bucket):
                    bucket.append(entry)
    # entries re-created above: point every name at the final entry of its id
    for key, bucket in names.items():
        names[key] = [entries[p.id] for p in bucket]
    # Persian لیبی (Libya) is Arabic ليبي (Libyan): a name that is the nisba of another name of the
    # same entry is not taken from Arabic text
    arabic = defaultdict(set)
    for key, bucket in names.items():
        if _arabic(key):
            for p in bucket:
                arabic[p.id].add(key)
    for ident, keys in arabic.items():
        for key in keys:
            nisba = key[:-1] if key.endswith("يا") else key + "ي"  # ليبيا → ليبي, مصر → مصري
            if nisba in keys and nisba != key:
                _NISBA.add((nisba, ident))
    return names, frozenset(person_names)


_NISBA: set[tuple[str, str]] = set()


def _variants(key: str) -> list[str]:
    if not _arabic(key):
        return [key]
    out = [key]
    if len(key) > 3 and key[0] in "وبلفك":
        out.append(key[1:])
        if key.startswith("لل"):
            out.append("ال" + key[2:])
    # the article is added, never taken off: الليبي (Libyan) is not Persian لیبی (Libya)
    out += ["ال" + k for k in out if not k.startswith("ال")]
    return out


def lookup(text: str, label: str = "", lang: str | None = None) -> Match | None:
    """The gazetteer entry named by the whole of ``text``, or None. When a spelling names two
    entries (فارس: the agency and the province), the one whose type agrees with ``label`` wins,
    else the one listed first. ``lang="ar"``: a Persian spelling that is an Arabic adjective of the
    same place (لیبی/ليبي) does not match."""
    names, person_names = _table()
    for key in _variants(fold(text)):
        bucket = names.get(key)
        if bucket and lang == "ar":
            bucket = [p for p in bucket if (key, p.id) not in _NISBA]
        if not bucket:
            continue
        wanted = PLACE_TYPES if label in PLACE_TYPES else {label}
        agreeing = [p for p in bucket if p.type in wanted] or bucket
        if len({p.type for p in agreeing[:2]}) == 1 and len(agreeing) > 1 and len(bucket) == len(agreeing):
            return None  # one spelling, two places of one type (a source's error): no guess
        return Match(agreeing[0], key in person_names)
    return None


def is_place(text: str) -> bool:
    match = lookup(text, "GPE")
    return bool(match and match.entry.type in PLACE_TYPES)
