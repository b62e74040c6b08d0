"""Entity resolution: mentions across articles, languages and scripts into canonical entities.

The rules, in order, each conservative (two different people must never merge):

0. *Gazetteer*: a mention whose whole text names a place or organisation of
   :mod:`newsgraph.corpus.gazetteer` (Iran/إيران/ایران, Hezbollah/حزب الله, IRGC/سپاه پاسداران/
   الحرس الثوري, the agency of a dateline: خبرگزاري فارس, واس, AP) is the entity of that id, with the
   gazetteer's type whatever the tagger said, and is nobody's short name. A name that is also a
   person's (فارس, Jordan) tagged as a person goes to a full name of its article first; after a
   reporting word (به گزارش, خبرنگار) it is the agency. A one-word "person" that is a known place
   (صيدا, هولندا) is a place.
1. *Clean the name*: titles and honorifics set aside (Sayyed, Imam, Ayatollah, Gen., Archbishop,
   Sardar, الشهيد, الفريق, ولي العهد, شهید, …; "the Leader of the Revolution Sayyed Ali Khamenei"
   becomes Ali Khamenei with the title as the mention's role when the corpus knows the name),
   possessives, years ("Francis’s 2015"), leading dashes and articles dropped.
2. *Key the name*: each word becomes its consonant skeleton
   (:func:`newsgraph.text.translit.token_skeleton`), so Qassem/Qasem/Ghasem/قاسم share ``QSM``.
   An Arabic-script word also keeps its letters, folded only where spellings of one name differ
   (ي/ی, ك/ک, ة/ه, hamza seats, the article, ZWNJ; عبد الله = عبدالله, احمدی نژاد = احمدی‌نژاد):
   حسن and حسين, محمد and محمود, سلمان and سليمان are different names. An Arabic-script spelling meets a Latin one only when the long vowels it
   writes show in the Latin (:func:`newsgraph.text.translit.spellings_agree`: خالد مشعل = Khaled
   Meshaal; حسين ≠ Hassan).
3. *Inside one article*, a one-word person mention ("Soleimani", "Qassem" in حاج قاسم) joins
   the full name of that article whose words contain it: the nearest one before it, else the
   first one after it; a word shared by two full names (Ismail Haniyeh, Ismail Qaani) goes to
   the surname match, never to a first-name match that is ambiguous. In محمد بن سلمان the last
   word is the father's name, not a surname.
4. *Across the corpus*: a full name with a middle initial or a number joins the name without it
   (Donald J. Trump, Robert Mueller III) unless two compete (Pius XI, Pius XII); a Latin "First
   Last" joins the only "First Middle Last"; "X bin Y" joins the only longer name it begins; Arabic-script
   full names join the only Latin full name they agree with; a one-word person left over joins the
   only full name of its script whose surname it is, or the full name its articles gave it in
   at least 80% of (and at least 3) articles ("Trump" alone). A place never joins a person.
5. *Places and organisations* not in the gazetteer merge on equal skeletons of three or more
   consonants, or on equal normalised spelling when shorter.
6. *Overrides* (a TOML file the user edits) merge, split and rename afterwards, and every run
   applies them again.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import tomllib
from functools import lru_cache
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.corpus.gazetteer import Place, lookup as gazetteer_lookup
from newsgraph.model import Entity, Mention
from newsgraph.text.normalize import normalize_for_search
from newsgraph.text.translit import first_vowel_class, name_skeleton, spellings_agree

RESOLUTION_VERSION = "resolution-2026.12.1"
PERSON = "PERSON"
PLACE_OR_GROUP = {"ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "MISC"}

_TITLES_EN = (
    "sayyed", "seyyed", "sayyid", "seyed", "sayed", "syed", "sheikh", "shaykh", "sheik", "imam", "ayatollah",
    "grand", "hojatoleslam", "hojjatoleslam", "gen", "general", "lieutenant", "lt", "major", "maj", "brigadier",
    "brig", "colonel", "col", "commander", "sardar", "dr", "doctor", "prof", "professor", "hajj", "haj", "haji",
    "hajji", "martyr", "mr", "mrs", "ms", "president", "prime", "minister", "foreign", "supreme", "leader",
    "secretary", "secretary-general", "chief", "deputy", "king", "prince", "emir", "sir", "the", "late", "his",
    "eminence", "excellency", "senior", "top", "former", "ex", "prophet", "saint", "st", "pope", "cardinal",
    "bishop", "father", "rabbi", "senator", "sen", "rep", "gov", "governor", "ambassador", "irgc",
    "archbishop", "reverend", "rev", "msgr", "monsignor", "pastor", "judge", "justice", "attorney", "vice",
    "speaker", "chairman", "congressman", "congresswoman", "mayor", "chancellor", "queen", "crown", "sheikha",
    "president-elect", "spokesman", "spokeswoman", "officer", "lord", "lady", "revolution",
)
_TITLES_AR_FA = (
    "الشهيد", "شهيد", "شهید", "الفريق", "اللواء", "العميد", "العقيد", "السيد", "سيد", "سید", "الشيخ", "شيخ",
    "الإمام", "الامام", "امام", "آية", "آیت", "الله", "آيةالله", "آیت‌الله", "آيت", "الرئيس", "رئيس", "رئیس",
    "الدكتور", "دكتور", "دکتر", "د.", "الحاج", "حاج", "حاجی", "القائد", "قائد", "سردار", "سرلشکر", "سپهبد", "سرتیپ",
    "سرهنگ", "رهبر", "المرشد", "مرشد", "الأمين", "العام", "الأخ", "الراحل", "جناب", "حضرت", "آقای", "آقا",
    "الملك", "الأمير", "الامير", "أمير", "ولي", "العهد", "خادم", "الحرمين", "الشريفين", "سمو", "صاحب", "السمو",
    "الملكي", "معالي", "فخامة", "الوزير", "وزير", "حجت‌الاسلام", "حجت‌الاسلام‌والمسلمین", "حجت", "الاسلام",
    "والمسلمین", "دکتر", "مهندس", "سرتیپ", "سرلشگر", "رئیس‌جمهور", "جمهور", "الرئيس", "خانم",
)
_ROMAN = re.compile(r"(?=[IVX]{1,5}$)X{0,3}(?:IX|IV|V?I{0,3})")
_PERSIAN_SURNAME_ENDINGS = {normalize_for_search(w) for w in ("نژاد", "زاده", "پور", "نیا", "فر", "راد", "منش", "خواه")}
_CONNECTORS = {"of", "the", "and", "for", "in", "al", "el"}
_PARTICLES = {"bin", "ibn", "bint", "ben", "al", "el", "abu", "abou", "بن", "ابن", "بنت", "آل", "ال", "أبو", "ابو", "عبد"}
_TITLE_WORDS = {normalize_for_search(t) for t in _TITLES_EN + _TITLES_AR_FA}
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")


def clean_name(text: str, person: bool = True, strip_article: bool = True) -> str:
    """The name without leading titles and honorifics (persons), articles, possessive, digits or punctuation."""
    text = text.strip().strip(".,;:()[]«»“”\"‘’—–-•*|/")
    if person:
        text = split_title(text)[1]
    words = re.split(r"\s+", text)
    if len(words) > 1 and any(not re.search(r"\d", w) for w in words):
        words = [w for w in words if not re.search(r"\d", w)]  # "Francis’s 2015": a year is no part of a name
    titles = _TITLE_WORDS if person else ({"the"} if strip_article else set())
    while len(words) > 1 and normalize_for_search(words[0]).strip(".") in titles:
        words = words[1:]
    if person:
        words = [_POSSESSIVE.sub("", w) or w for w in words]
    name = " ".join(words)
    return _POSSESSIVE.sub("", name).strip()


def split_title(text: str) -> tuple[str, str]:
    """``(role, name)``: "the Leader of the Revolution Sayyed Ali Khamenei" → ("the Leader of the
    Revolution Sayyed", "Ali Khamenei"), when the text starts with a title word and at least two
    words follow the last title word; otherwise ``("", text)``. Whether the rest names a person is
    for the caller to decide (resolution asks the corpus)."""
    words = text.split()
    if len(words) < 3 or normalize_for_search(words[0]).strip(".") not in _TITLE_WORDS | {"the"}:
        return "", text
    titled = [i for i, w in enumerate(words[:-2]) if normalize_for_search(w).strip(".,") in _TITLE_WORDS]
    if not titled or normalize_for_search(words[titled[-1] + 1]) in _CONNECTORS:
        return "", text  # "Minister of Foreign Affairs …": the title runs on
    return " ".join(words[: titled[-1] + 1]), " ".join(words[titled[-1] + 1:])


def _script(text: str) -> str:
    return "arabic" if re.search(r"[\u0600-\u06FF]", text) else "latin"


def _entity_id(kind: str, key: str) -> str:
    return "e" + hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:11]


@dataclass
class _Ref:
    """A mention prepared for resolution."""

    mention: Mention
    date: str | None
    name: str
    tokens: list[str]
    label: str = ""  # the mention's label, corrected by the place gazetteer
    alias: str = ""  # the spelling shown among the entity's aliases
    override_name: str | None = None  # a name set by the overrides file
    cluster: str = ""  # assigned key
    place: Place | None = None  # the gazetteer entry the mention names
    deferred: Place | None = None  # a gazetteer name that is also a person's name (فارس): decided in the article
    role: str = ""  # the title in front of a person's name ("Leader of the Revolution Sayyed")

    @property
    def is_person(self) -> bool:
        return self.label == PERSON


@dataclass
class Resolution:
    entities: list[Entity]
    assignments: dict[int, str] = field(default_factory=dict)  # index of mention -> entity id


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """Person-name words and place names (normalised) from the gazetteer shipped with the NER models."""
    path = Path(__file__).resolve().parents[1] / "data" / "models" / "ner-gazetteer.tsv.gz"
    names: set[str] = set()
    places: set[str] = set()
    if path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                phrase, kind, *_ = line.rstrip("\n").split("\t")
                key = normalize_for_search(phrase)
                if kind.startswith("PER"):
                    names.update(key.split())  # every word of a known full name
                elif kind == "GPE":
                    places.add(key)
    return frozenset(names), frozenset(places)


def _known(word: str, lexicon: frozenset[str]) -> bool:
    key = normalize_for_search(word).strip("()[]«»\"'.,،")
    return key in lexicon or (len(key) > 3 and key[0] in "وبلفك" and key[1:] in lexicon)


def trim_to_name(name: str) -> str:
    """Arabic-script person spans from the CRF often carry a neighbouring word ("جنازة سليماني",
    "قاسم ایرانی"): drop leading and trailing words that are no known name word, as long as
    a known one remains."""
    names, _ = _lexicon()
    words = name.split()
    if len(words) < 2 or not any(_known(w, names) for w in words):
        return name
    while len(words) > 1 and not _known(words[0], names):
        words = words[1:]
    # at the end only a place adjective goes: unknown surnames (نتنياهو) are common at the end
    while len(words) > 1 and _is_place_adjective(words[-1]):
        words = words[:-1]
    return " ".join(words)


def _is_place_adjective(word: str) -> bool:
    """ایرانی, الإيراني, فلسطيني: a place name with the nisba ending, not a surname here."""
    _, places = _lexicon()
    key = normalize_for_search(word)
    key = key[2:] if key.startswith("ال") else key
    for ending in ("يه", "ي"):
        if key.endswith(ending) and key[: -len(ending)] in places:
            return True
    return False


def _label_for(mention: Mention) -> str:
    """Arabic-script places the CRF called ORG (فلسطین, لبنان) go by the place gazetteer."""
    if mention.label in ("ORG", "LOC", "MISC") and _script(mention.text) == "arabic":
        _, places = _lexicon()
        if _known(mention.text, places):
            return "GPE"
    return mention.label


def _prepare(mentions: list[Mention], dates: dict[str, str | None],
             before: dict[tuple[str, int], str] | None = None) -> list[_Ref]:
    refs = []
    for mention in mentions:
        label = _label_for(mention)
        place = deferred = None
        if label != "OUTLET" and mention.text.strip():
            preceding = (before or {}).get((mention.article_id, mention.start), "")
            reported = any(normalize_for_search(w) in _REPORTER_WORDS for w in preceding.split()[-3:])
            # "به گزارش فارس", "خبرنگار فارس": after a reporting word a name is the agency, whatever the tag
            match = gazetteer_lookup(mention.text, "ORG" if reported else mention.label, mention.lang)
            if reported and match and match.entry.type != "ORG":
                match = gazetteer_lookup(mention.text, mention.label, mention.lang)
            if match and match.person_name and reported and match.entry.type == "ORG":
                place, label = match.entry, match.entry.type
                match = None
            if place:
                pass
            elif match and label == PERSON and match.person_name and len(mention.text.split()) == 1:
                deferred = match.entry
            elif match:
                place, label = match.entry, match.entry.type
            elif label == PERSON:
                place = _agency_in_person_span(mention.text)
                label = place.type if place else label
        name = clean_name(mention.text, person=label == PERSON, strip_article=label != "OUTLET")
        alias = mention.text
        role = split_title(mention.text.strip().strip(".,;:()[]«»“”\"‘’—–-•*|/"))[0] if label == PERSON else ""
        if label == PERSON and _script(name) == "arabic":
            trimmed = trim_to_name(name)
            if trimmed != name:
                name = alias = trimmed  # the CRF's span carried a neighbouring word: show the name alone
        if label == PERSON and len(name.split()) == 1 and _is_place_word(name):
            label = "GPE"  # صيدا, هولندا tagged as persons: a place, never a person's short name
        ref = _Ref(mention, dates.get(mention.article_id), name, _keyed_tokens(name), label, alias,
                   place=place, deferred=deferred, role=role)
        if place:
            ref.cluster = "K:" + place.id
        refs.append(ref)
    return refs


_REPORTER_WORDS = {normalize_for_search(w) for w in (
    "خبرنگار", "خبرنگاران", "مراسل", "مراسلة", "مندوب", "reporter", "correspondent", "گزارش", "بگزارش",
    "خبرگزاری", "وكالة", "لوكالة", "told", "according")}


def _agency_in_person_span(text: str) -> Place | None:
    """A "person" span that ends in an organisation's name ("خبرنگار خبرگزاري فارس", the agency's
    reporter): the organisation. A name that is also a person's (فارس) only after a reporter word."""
    words = text.split()
    for k in range(1, len(words)):
        match = gazetteer_lookup(" ".join(words[k:]), "ORG")
        if match and match.entry.type == "ORG" and (
                not match.person_name or normalize_for_search(words[0]) in _REPORTER_WORDS):
            return match.entry
    return None


def _is_place_word(word: str) -> bool:
    """A one-word name that is a place (gazetteer, or the NER place list) and no person-name word."""
    names, places = _lexicon()
    match = gazetteer_lookup(word, "GPE")
    if match and match.entry.type in ("GPE", "LOC") and not match.person_name:
        return True
    return _script(word) == "arabic" and _known(word, places) and not _known(word, names)


def _letters(word: str) -> str:
    """An Arabic-script word as written, up to the spellings of one name: ي/ی/ى, ك/ک, ة/ه, hamza
    seats, ZWNJ, diacritics and the article folded; Persian ‑ه‌ای = Arabic ‑ئي (خامنه‌ای, خامنئي)."""
    word = normalize_for_search(word)
    word = re.sub(r"^(?:وال|بال|فال|كال|لل)(?=...)", "ال", word)
    word = re.sub(r"^ال(?=...)", "", word)
    return re.sub(r"هاي$", "يي", word)


def _keyed_tokens(name: str) -> list[str]:
    return list(_keyed_tokens_cached(name))


@lru_cache(maxsize=200_000)
def _keyed_tokens_cached(name: str) -> tuple[str, ...]:
    """Per word: consonant skeleton and first-vowel class, "QSM/A"; "/" alone when the script
    does not write the vowel (Arabic قاسم keeps its alif: "QSM/A"; خميني has none: "XMN/").
    Arabic-script words add their letters ("HSN//حسين"): spellings of Arabic-script names that
    differ in a written letter are different names (حسن, حسين). A Latin initial ("J.") is "J/."."""
    words = [w for w in re.split(r"[\s\u00a0\-‐‑]+", name) if w]
    if _script(name) == "arabic":  # عبد الله = عبدالله, أبو بكر = أبوبكر
        joined: list[str] = []
        for word in words:
            if joined and normalize_for_search(joined[-1]) in ("عبد", "ابو") and len(joined[-1]) <= 3:
                joined[-1] += word
            elif joined and normalize_for_search(word) in _PERSIAN_SURNAME_ENDINGS:
                joined[-1] += word  # احمدی نژاد = احمدی‌نژاد
            else:
                joined.append(word)
        words = joined
    out = []
    for word in words:
        if out and _ROMAN.fullmatch(word.rstrip(".,’'s")):
            out.append("#" + word.rstrip(".,’'s") + "/")  # Pius XI is not Pius XII, John Paul II not John Paul
            continue
        skeleton = name_skeleton(word)
        if not skeleton:
            continue
        if re.fullmatch(r"[A-Z]\.?", word) and len(words) > 2:
            out.append(skeleton[0] + "/.")
        elif _script(word) == "arabic":
            out.append(skeleton[0] + "/" + first_vowel_class(word) + "/" + _letters(word))
        else:
            out.append(skeleton[0] + "/" + first_vowel_class(word))
    return tuple(out)


def _resolve_in_article(refs: list[_Ref], attached: list[tuple[str, _Ref]]) -> None:
    """Give every person mention of one article the key of its full name. A one-word person
    name given to a full name by its surname is noted in ``attached`` (the corpus-wide evidence
    for bare surnames)."""
    fulls = [r for r in refs if r.is_person and len(r.tokens) >= 2 and not r.cluster]
    for ref in fulls:
        ref.cluster = "P:" + " ".join(ref.tokens)
    for ref in refs:
        if ref.cluster or not ref.tokens:
            continue
        if ref.name.isupper() and len(ref.tokens) == 1:
            pass  # an acronym (MEK, IRGC) is nobody's short name
        elif ref.is_person:
            ref.cluster = _short_form_key(ref, fulls, attached)
        elif len(ref.tokens) == 1 and not _is_place_word(ref.name) and \
                any(_same_token(f.tokens[-1], ref.tokens[0]) and _spellings_agree(ref, f, -1) for f in fulls) and \
                (ref.label != "NORP" or any(_same_word(f.name.split()[-1], ref.name) for f in fulls)):
            ref.cluster = _short_form_key(ref, fulls, attached)  # "Soleimani" tagged LOC next to Qassem Soleimani
        if ref.deferred and not ref.cluster.startswith("P:"):
            ref.place, ref.label = ref.deferred, ref.deferred.type  # فارس with no Fares in the article: the agency
            ref.cluster = "K:" + ref.deferred.id


def _same_word(a: str, b: str) -> bool:
    """Spelled alike: a NORP-tagged "Soleimani" is the surname, "Iranian" is not Iran."""
    return normalize_for_search(a).strip(".,’'") == normalize_for_search(b).strip(".,’'")


def _short_form_key(ref: _Ref, fulls: list[_Ref], attached: list[tuple[str, _Ref]] | None = None) -> str:
    if len(ref.tokens) != 1:
        return "P:" + " ".join(ref.tokens)
    token = ref.tokens[0]
    surname = [f for f in fulls if _same_token(f.tokens[-1], token) and _spellings_agree(ref, f, -1)
               and not _fathers_name_last(f.tokens)]
    if surname:
        owner = _nearest(ref, surname)
        if attached is not None:
            attached.append((_bare(token), owner))
        return owner.cluster
    given = _prefer_known_names([f for f in fulls if any(_same_token(t, token) and _spellings_agree(ref, f, i)
                                                         for i, t in enumerate(_given_names(f.tokens)))])
    if len({f.cluster for f in given}) == 1:
        owner = _nearest(ref, given)
        if attached is not None:
            attached.append((_bare(token), owner))
        return owner.cluster
    return "P1:" + token  # unknown here, or a first name two people share: decided corpus-wide


def _is_lineage(token: str) -> bool:
    parts = token.split("/")
    return parts[-1] in _LINEAGE or (len(parts) == 2 and parts[0] == "BN" and parts[1] == "E")


def _fathers_name_last(tokens: list[str]) -> bool:
    """محمد بن سلمان: the last word is the father's name (سلمان alone is King Salman), no surname."""
    return len(tokens) >= 3 and _is_lineage(tokens[-2])


def _given_names(tokens: list[str]) -> list[str]:
    """The words before the surname, and before any lineage word (محمد of محمد بن سلمان, not سلمان);
    of a regnal name, the first word only."""
    if tokens[-1].startswith("#"):
        return tokens[:1]  # Benedict of Benedict XVI; "Paul" is not John Paul II
    head = tokens[:-1]
    for i, token in enumerate(head):
        if _is_lineage(token):
            return head[:i]
    return head


def _bare(token: str) -> str:
    return token.split("/")[0] if "/" in token and len(token.split("/")) == 2 else token


def _spellings_agree(ref: _Ref, full: _Ref, index: int) -> bool:
    """A one-word name in one script and a full name in the other: their letters must agree."""
    words = full.name.split()
    if not ref.name.split() or not words or len(words) != len(full.tokens):
        return _script(ref.name) == _script(full.name) or not words  # words and keys not aligned: same script only
    a, b = ref.name.split()[-1], words[index]
    if _script(a) == _script(b):
        return True
    return spellings_agree(a, b) if _script(a) == "arabic" else spellings_agree(b, a)


def _same_token(a: str, b: str) -> bool:
    """Equal skeletons, vowel classes equal or unwritten in one of them, and for two Arabic-script
    words the same letters."""
    pa, pb = a.split("/"), b.split("/")
    if pa[0] != pb[0] or not (pa[1] == pb[1] or not pa[1] or not pb[1]):
        return False
    return len(pa) < 3 or len(pb) < 3 or pa[2] == pb[2]


def _prefer_known_names(candidates: list[_Ref]) -> list[_Ref]:
    """Among Arabic-script full names, those made only of known name words, when there are any
    ("قاسم سلیمانی" over the CRF's "قاسم بهصورت")."""
    names, _ = _lexicon()
    known = [f for f in candidates if _script(f.name) == "latin" or all(_known(w, names) for w in f.name.split())]
    return known or candidates


def _nearest(ref: _Ref, candidates: list[_Ref]) -> _Ref:
    """The closest full name before the mention, else the first after it."""
    before = [f for f in candidates if f.mention.start < ref.mention.start]
    return before[-1] if before else candidates[0]


def _merge_short_persons(refs: list[_Ref], attached: list[tuple[str, _Ref]]) -> None:
    """Corpus-wide, in order: a full name with one middle initial or number joins the same name
    without it (unless two compete: George H. W. / George W. Bush; Robert Mueller III joins Robert
    Mueller, Pius XI and Pius XII stay apart); full names whose vowels the
    script did not write join the only compatible written-out full name whose spelling agrees;
    then one-word persons left over join the only full name with that surname, or the full name
    they were given to in nearly every article where the article itself decided."""
    fulls = sorted({r.cluster for r in refs if r.cluster.startswith("P:")})
    def optional(t: str) -> bool:  # a middle initial, a generational or regnal number
        return t.endswith("/.") or t.startswith("#")

    plain = {c for c in fulls if not any(optional(t) for t in c[2:].split())}
    by_plain: dict[str, set[str]] = defaultdict(set)
    for c in fulls:
        if any(optional(t) for t in c[2:].split()):
            by_plain["P:" + " ".join(t for t in c[2:].split() if not optional(t))].add(c)
    for target, variants in by_plain.items():
        if target in plain and len(variants) == 1:
            for ref in refs:
                if ref.cluster in variants:
                    ref.cluster = target
    _merge_lineage_names(refs)
    _merge_middle_names(refs)
    fulls = sorted({r.cluster for r in refs if r.cluster.startswith("P:")})
    spellings: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for ref in refs:
        if ref.cluster.startswith("P:"):
            spellings[ref.cluster].add(tuple(ref.name.split()))
    context = _co_mentions(refs)
    vowelled: dict[str, list[str]] = defaultdict(list)  # blocked by consonants: _same_name needs them equal
    for c in fulls:
        if all(t.split("/")[1] for t in c[2:].split()):
            vowelled[_consonants(c)].append(c)
    moved: dict[str, str] = {}
    for c in fulls:
        if c in vowelled[_consonants(c)]:
            continue
        owners = [o for o in vowelled[_consonants(c)] if _same_name(o[2:].split(), c[2:].split())
                  and _cluster_spellings_agree(spellings[c], spellings[o])]
        if len(owners) == 1 and _context_agrees(c, owners[0], spellings, context):
            moved[c] = owners[0]
    for ref in refs:
        ref.cluster = moved.get(ref.cluster, ref.cluster)
    fulls = sorted({r.cluster for r in refs if r.cluster.startswith("P:")})
    spellings = defaultdict(set)
    for ref in refs:
        if ref.cluster.startswith("P:"):
            spellings[ref.cluster].add(tuple(ref.name.split()))
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_word: dict[str, set[str]] = defaultdict(set)
    for c in fulls:
        words = c[2:].split()
        by_surname[words[-1].split("/")[0]].append(c)
        for t in words:
            by_word[t.split("/")[0]].add(c)
    evidence: dict[str, Counter] = defaultdict(Counter)
    for token, article, cluster in {(t, o.mention.article_id, o.cluster) for t, o in attached}:
        evidence[token][cluster] += 1  # articles, not mentions
    decided: dict[tuple[str, str], str | None] = {}
    for ref in refs:
        if ref.cluster.startswith("P1:"):
            script = _script(ref.name)  # across scripts a bare name has too little to go on (بني, Penn)
            key = (ref.cluster, script)
            if key not in decided:
                decided[key] = None if _is_place_word(ref.name) else \
                    _bare_name_owner(ref.cluster[3:], script, by_surname, by_word, spellings, evidence)
            ref.cluster = decided[key] or ref.cluster


def _co_mentions(refs: list[_Ref]) -> dict[str, set[str]]:
    """Per person cluster, the gazetteer entries and other people named in its articles."""
    by_article: dict[str, set[str]] = defaultdict(set)
    for ref in refs:
        if ref.cluster.startswith(("P:", "K:")):
            by_article[ref.mention.article_id].add(ref.cluster)
    out: dict[str, set[str]] = defaultdict(set)
    for keys in by_article.values():
        for key in keys:
            if key.startswith("P:"):
                out[key] |= keys
    return out


def _context_agrees(a: str, b: str, spellings: dict[str, set[tuple[str, ...]]],
                    context: dict[str, set[str]]) -> bool:
    """Across scripts, a name joins another only if their articles share a place, organisation
    or person besides them (خالد مشعل and Khaled Meshaal both next to Hamas)."""
    scripts_a = {_script(" ".join(s)) for s in spellings[a]}
    scripts_b = {_script(" ".join(s)) for s in spellings[b]}
    if scripts_a & scripts_b:
        return True
    return bool((context.get(a, set()) & context.get(b, set())) - {a, b})


def _consonants(cluster: str) -> str:
    return "".join(t.split("/")[0] for t in cluster[2:].split())


def _bare_name_owner(token: str, script: str, by_surname: dict[str, list[str]], by_word: dict[str, set[str]],
                     spellings: dict[str, set[tuple[str, ...]]], evidence: dict[str, Counter]) -> str | None:
    def in_script(c: str) -> bool:
        return any(len(s) > 1 and _script(" ".join(s)) == script for s in spellings[c])

    skeleton = token.split("/")[0]
    owners = {c for c in by_surname.get(skeleton, ()) if _same_token(c[2:].split()[-1], token)
              and not _fathers_name_last(c[2:].split()) and in_script(c)}
    if len(owners) == 1:
        return next(iter(owners))
    seen = evidence.get(_bare(token))
    if seen:
        (best, count), total = seen.most_common(1)[0], sum(seen.values())
        if count >= 3 and count >= 0.8 * total and best in by_word.get(skeleton, ()) and in_script(best) \
                and any(_same_token(t, token) for t in best[2:].split()):
            return best  # "Trump" alone, where articles that also name a Trump say Donald Trump
    return None


_LINEAGE = {"بن", "ابن", "bin", "ibn", "ben"}


def _merge_lineage_names(refs: list[_Ref]) -> None:
    """"X bin Y bin Z …" is "X bin Y" named further back (محمد بن سلمان بن عبد العزيز is محمد بن سلمان):
    a name with a lineage word that is the start of exactly one longer full name joins it."""
    fulls = sorted({r.cluster for r in refs if r.cluster.startswith("P:")})
    words = {c: c[2:].split() for c in fulls}
    lineage = {c for c in fulls if len(words[c]) >= 3 and _is_lineage(words[c][1])}
    for short in sorted(lineage, key=lambda c: -len(words[c])):
        longer = [c for c in fulls if len(words[c]) > len(words[short]) and words[c][:len(words[short])] == words[short]]
        if len(longer) == 1:
            fulls.remove(longer[0])
            for ref in refs:
                if ref.cluster == longer[0]:
                    ref.cluster = short


def _merge_middle_names(refs: list[_Ref]) -> None:
    """A Latin "First Last" joins the only "First Middle Last" of the corpus (Christine Ford,
    Christine Blasey Ford; Lee Oswald, Lee Harvey Oswald). Not in Arabic script, where the middle
    word is usually the father's name and "First Last" may well be another man."""
    fulls = sorted({r.cluster for r in refs if r.cluster.startswith("P:")})
    latin = {c for c in fulls if all(len(t.split("/")) == 2 for t in c[2:].split())}
    three: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in latin:
        words = c[2:].split()
        if len(words) == 3 and not any(t.endswith("/.") for t in words):
            three[(words[0], words[2])].append(c)
    moved = {}
    for c in latin:
        words = c[2:].split()
        if len(words) == 2 and len(three.get((words[0], words[1]), [])) == 1:
            moved[c] = three[(words[0], words[1])][0]
    for ref in refs:
        ref.cluster = moved.get(ref.cluster, ref.cluster)


def _cluster_spellings_agree(a: set[tuple[str, ...]], b: set[tuple[str, ...]], last: bool = False) -> bool:
    """Some spelling of ``a`` and some spelling of ``b`` agree word by word where one is in Arabic
    script and the other Latin (always true within one script, or when word counts differ)."""
    for x in a:
        for y in b:
            if last:
                x2, y2 = x[-1:], y[-1:]
            elif len(x) != len(y):
                return True
            else:
                x2, y2 = x, y
            if all(_script(p) == _script(q) or (spellings_agree(p, q) if _script(p) == "arabic" else spellings_agree(q, p))
                   for p, q in zip(x2, y2)):
                return True
    return not a or not b


def _same_name(a: list[str], b: list[str]) -> bool:
    """Word by word when the word counts agree; else the same consonants overall
    (حسن نصر الله has three words, Hassan Nasrallah two) with compatible first words, and the
    same letters overall when both are in Arabic script."""
    if len(a) == len(b):
        return all(_same_token(x, y) for x, y in zip(a, b))
    consonants_a = "".join(t.split("/")[0] for t in a)
    consonants_b = "".join(t.split("/")[0] for t in b)
    if all(len(t.split("/")) > 2 for t in a + b):
        if "".join(t.split("/")[2] for t in a) != "".join(t.split("/")[2] for t in b):
            return False
    return consonants_a == consonants_b and _same_token(a[0], b[0])


_CLITICS = ("W", "B", "L", "F", "K")  # و ب ل ف ك written onto an Arabic word


def _strip_clitic_keys(refs: list[_Ref]) -> None:
    """An Arabic-script key that is another key with a clitic in front (لحزب الله, وحماس)
    joins that key."""
    keys = {r.cluster for r in refs}
    by_surname: dict[str, list[str]] = defaultdict(list)
    for c in keys:
        if c.startswith("P:"):
            by_surname[c[2:].split()[-1].split("/")[0]].append(c)
    arabic_surnames: dict[str, set[str]] = defaultdict(set)  # the letters of each person's Arabic-script surnames
    for ref in refs:
        words = ref.name.split()
        if ref.cluster.startswith("P:") and len(words) >= 2 and _script(words[-1]) == "arabic":
            arabic_surnames[ref.cluster].add(_letters(words[-1]))
    decided: dict[str, str | None] = {}
    for ref in refs:
        if _script(ref.mention.text) != "arabic":
            continue
        key = ref.cluster
        if key.startswith("G:"):
            _, kind, skeleton = key.split(":", 2)
            if skeleton[:1] in _CLITICS and f"G:{kind}:{skeleton[1:]}" in keys:
                ref.cluster = f"G:{kind}:{skeleton[1:]}"
        elif key.startswith("P1:"):
            token = key[3:]
            if token[:1] in _CLITICS:
                if key not in decided:
                    parts = token.split("/")
                    stripped = parts[0][1:] + "/" + ("/" + parts[2][1:] if len(parts) > 2 else "")
                    letters = parts[2][1:] if len(parts) > 2 else ""
                    owners = {c for c in by_surname.get(parts[0][1:], ())  # an Arabic-script spelling of it only
                              if (_same_token(c[2:].split()[-1], stripped) if len(c[2:].split()[-1].split("/")) > 2
                                  else letters in arabic_surnames[c])
                              and not _fathers_name_last(c[2:].split())}
                    decided[key] = next(iter(owners)) if len(owners) == 1 else None
                ref.cluster = decided[key] or key


_TYPE_GROUP = {"GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org", "NORP": "group", "EVENT": "event",
               "MISC": "misc", "OUTLET": "outlet"}


def _group_key(ref: _Ref) -> str:
    """Places, organisations and groups: one key per type group and consonant skeleton, so
    Israel (place) and Israeli (group) stay apart while Hamas and حماس meet."""
    kind = _TYPE_GROUP.get(ref.label, "misc")
    skeleton = "".join(t.split("/")[0] for t in ref.tokens)
    if len(skeleton) >= 3:
        return f"G:{kind}:{skeleton}"
    return f"G={kind}:" + normalize_for_search(ref.name)


def _titled_names(refs: list[_Ref]) -> None:
    """A span that is a title and then a person's name ("the Leader of the Revolution Sayyed Ali
    Khamenei" tagged ORG; "Minister of Foreign Affairs Javad Zarif" tagged PERSON) becomes that
    person, the title kept as the mention's role, when the corpus names the person elsewhere:
    the rest of the span, or its last words, is a full name of some person mention."""
    known = Counter(" ".join(r.tokens) for r in refs if r.is_person and len(r.tokens) >= 2)
    for ref in refs:
        if ref.place or ref.label in ("OUTLET", "NORP"):
            continue
        role, rest = split_title(ref.mention.text.strip().strip(".,;:()[]«»“”\"‘’—–-•*|/"))
        if not role and not ref.role:
            continue
        words = clean_name(rest).split() if role else ref.name.split()
        for start in range(0, max(len(words) - 1, 0)):
            tokens = _keyed_tokens(" ".join(words[start:]))
            key = " ".join(tokens)
            own = 1 if ref.is_person and tokens == ref.tokens else 0
            if len(tokens) >= 2 and known[key] - own > 0:
                if tokens == ref.tokens:
                    break
                ref.label, ref.name, ref.tokens = PERSON, " ".join(words[start:]), tokens
                ref.role = ref.role or role
                break


def _canonical_name(refs: list[_Ref]) -> str:
    """The most frequent full name (Latin spellings first), preferring one without initials
    ("Donald Trump" over "Donald J. Trump"); a one-word name when there is no full one."""
    latin = Counter(r.name for r in refs if _script(r.name) == "latin" and r.name)
    # a mention with no name left once cleaned (a lone ' tagged ORG by the Persian model on Fars text, or
    # tokenised text: "Reid ,") keeps its text as written rather than ending the run
    pool = latin or Counter(r.name for r in refs if r.name) or Counter(r.mention.text for r in refs)
    words = {n: len(_keyed_tokens(n)) for n in pool}  # عبد العزيز is one name word
    longest = max(words.values())
    full = Counter({n: c for n, c in pool.items() if words[n] >= min(longest, 2)})
    plain = Counter({n: c for n, c in full.items() if not re.search(r"(?:^|\s)[A-Z]\.?(?:\s|$)", n)})
    ranked = sorted((plain or full).items(), key=lambda nc: (-nc[1], -words[nc[0]]))  # ties: first seen
    return ranked[0][0]


def resolve(mentions: list[Mention], article_dates: dict[str, str | None],
            overrides: "Overrides | None" = None,
            before: dict[tuple[str, int], str] | None = None) -> Resolution:
    """Assign every mention an entity; returns the entities and the assignment. ``before``: the
    text just before each mention, by (article id, start), when the caller has it."""
    refs = _prepare(mentions, article_dates, before)
    by_article: dict[str, list[_Ref]] = defaultdict(list)
    for ref in refs:
        by_article[ref.mention.article_id].append(ref)
    _titled_names(refs)
    attached: list[tuple[str, _Ref]] = []
    for article_refs in by_article.values():
        _resolve_in_article(sorted(article_refs, key=lambda r: r.mention.start), attached)
    _merge_short_persons(refs, attached)
    for ref in refs:
        if not ref.cluster and not ref.is_person:
            ref.cluster = _group_key(ref)
        elif not ref.cluster:
            ref.cluster = "P=" + normalize_for_search(ref.name)
    _strip_clitic_keys(refs)
    if overrides:
        overrides.apply(refs)
    return _entities(refs)


def _entities(refs: list[_Ref]) -> Resolution:
    clusters: dict[str, list[_Ref]] = defaultdict(list)
    for ref in refs:
        clusters[ref.cluster].append(ref)
    entities, assignments = [], {}
    index = {id(r.mention): i for i, r in enumerate(refs)}
    for key, members in clusters.items():
        kind = Counter(r.label for r in members).most_common(1)[0][0]
        if key.startswith("P") and any(r.is_person for r in members):
            kind = PERSON  # a person's full name holds it: "Assange" tagged ORG 95 times is still Julian Assange
        entity_id = _entity_id("PERSON" if key.startswith("P") else "GROUP", key)
        place = next((r.place for r in members if r.place), None)
        name = members[0].override_name or (place.name if place else _canonical_name(members))
        if place and not members[0].override_name:
            kind = place.type  # the gazetteer's type, whatever the tagger said (ایران tagged ORG)
        aliases: dict[str, list[str]] = defaultdict(list)
        for ref in members:
            lang = ref.mention.lang or _script(ref.mention.text)
            if ref.alias not in aliases[lang]:
                aliases[lang].append(ref.alias)
        dates = sorted(d for d in (r.date for r in members) if d)
        spans = [r for r in members if r.mention.start >= 0]  # roles (outlet, author) have no span
        entities.append(Entity(entity_id, name, kind, dict(aliases), len(spans),
                               len({r.mention.article_id for r in members}), dates[0] if dates else None,
                               dates[-1] if dates else None))
        for ref in members:
            ref.mention.entity_id = entity_id
            assignments[index[id(ref.mention)]] = entity_id
    entities.sort(key=lambda e: (-e.mention_count, e.name))
    return Resolution(entities, assignments)


@dataclass
class Overrides:
    """User corrections, read from a TOML file:

    .. code-block:: toml

        [[merge]]                 # these names (or entity ids) are one entity
        names = ["Hajj Qassem", "Qassem Soleimani"]

        [[split]]                 # mentions spelled like this leave their entity
        alias = "Ismail"
        name = "Ismail (unresolved)"

        [rename]                  # entity id or current name -> new canonical name
        "Qassem Soleimani" = "Qasem Soleimani"
    """

    merge: list[list[str]] = field(default_factory=list)
    split: list[dict[str, str]] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "Overrides":
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return cls(merge=[list(m.get("names", [])) for m in data.get("merge", [])],
                   split=list(data.get("split", [])), rename=dict(data.get("rename", {})))

    def apply(self, refs: list[_Ref]) -> None:
        def clusters_named(name: str) -> set[str]:
            target = normalize_for_search(name)
            found = {r.cluster for r in refs if normalize_for_search(r.mention.text) == target
                     or normalize_for_search(r.name) == target or _entity_id_of(r.cluster) == name}
            return found

        for entry in self.split:
            alias = normalize_for_search(entry.get("alias", ""))
            for ref in refs:
                if normalize_for_search(ref.mention.text) == alias:
                    ref.cluster = "S:" + alias
                    if entry.get("name"):
                        ref.override_name = entry["name"]
        for group in self.merge:
            keys = set().union(*(clusters_named(n) for n in group)) if group else set()
            if len(keys) > 1:
                target = sorted(keys)[0]
                for ref in refs:
                    if ref.cluster in keys:
                        ref.cluster = target
        for old, new in self.rename.items():
            for key in clusters_named(old):
                for ref in refs:
                    if ref.cluster == key:
                        ref.override_name = new


def _entity_id_of(cluster: str) -> str:
    return _entity_id("PERSON" if cluster.startswith("P") else "GROUP", cluster)
