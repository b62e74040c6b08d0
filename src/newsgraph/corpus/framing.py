"""Entity framing: how each actor is cast (protagonist, antagonist, innocent) and by whom, from the evidence
spans that cast it.

Roles are the SemEval-2025 Task 10 entity-framing taxonomy (Piskorski et al. 2025): three main roles,
each with its fine roles (:data:`FINE_ROLES`). A role is never looked up from the actor's name: it comes
only from a span in the article that casts that mention, under rules that read the same way whoever the
actor is (``tests/test_framing.py`` swaps the two sides' names in a text set and gets mirrored roles):

* **Relations** (:mod:`newsgraph.enrich.relations`, not negated). The subject of an *attack* (attack,
  kill, bomb, assassinate …) is cast as Antagonist/Instigator and its object as Innocent/Victim; the
  subject of a *threat* as Antagonist (weight 0.5: a warning is a weaker cast). *Criticize* (condemn,
  accuse, blame …) casts its object as Antagonist and *praise* its object as Protagonist, in the
  subject's voice (``reported``): "X condemned Y" is X casting Y, which the outlet reports.
* **Loaded terms** (:mod:`newsgraph.enrich.loaded_terms`) attached to a mention (:func:`attached_mention`:
  the term overlaps the mention or stands right next to it, "the martyr X", "X's regime", "الإرهابي X"): martyr → Protagonist/Martyr, resistance → Protagonist/Rebel, terrorist → Antagonist/Terrorist,
  regime → Antagonist/Tyrant, occupier and global arrogance → Antagonist/Foreign Adversary, extremist,
  mercenary/puppet, enemy and religious slurs → Antagonist (:data:`CATEGORY_ROLES`); a term that is a word
  of an organisation's own name (:func:`in_own_name`: جبهه پایداری, Islamic Resistance Movement) casts nobody,
  and the occupied named after an occupation word ("the occupation of Iraq", احتلال العراق) is Innocent/Victim
  (:func:`occupied`). "Sacralising
  struggle" (jihad, mujahid) is left out: the same words praise in Arabic and Persian news and condemn in
  English news ("jihadist"), so the category does not say which way it casts.
* **Technique spans** (:mod:`newsgraph.enrich.techniques`): a Name_Calling-Labeling span attached to a
  mention (the same rule, but not through a possessive) and short enough to be a label of it (:func:`is_label_of`:
  at most three words beside the name, on one side) casts it as Antagonist when the label's own words
  are negative and as Protagonist when they are positive (:func:`label_role`: a label can praise, "the
  great king", as well as smear, "the deposed Saleh"; neutral labels cast nobody), weighted by the span's
  calibrated confidence; a span that repeats a loaded term already counted for that mention is not counted
  twice. Loaded_Language is
  not used: it says that words are charged, not whom they cast ("the brutal assassination of X" charges
  the act and casts X as the victim).
* **Quotes** decide the voice: evidence inside a quote is the quoted speaker's cast (``voice="quote"``,
  with the speaker's mention), not the outlet's. Being quoted casts nobody.

A claim's weight is 1 in the article's own voice and 0.5 in a quoted or reported voice (times a
technique's confidence). :func:`summarise` adds the claims of one actor (in a story, by an outlet) into
a main role: the role with more than half the weight, else ``mixed``.

Hand-written rules with no tuned threshold; measured on the SemEval-2025 English training set by
``bench/framing.py`` (rules measured on train: nothing was fitted to it).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsgraph.model import Article, FramingClaim, Mention, Quote

if TYPE_CHECKING:
    from newsgraph.store.db import Store

FRAMING_VERSION = "framing-7"  # 2: no possessive for name-calling; 3: labels by polarity; 4: short labels;
# 5: words of an own name; 6: the occupied is no occupier; 7: an Arabic/Persian "و" term after a name is a second party

MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")
FINE_ROLES: dict[str, tuple[str, ...]] = {  # SemEval-2025 Task 10, subtask 1
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": ("Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy", "Saboteur",
                   "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot"),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})  # who can be cast (not places, dates, events)

# predicate -> (subject's role, object's role, weight, voice of the cast); None: no role
RELATION_ROLES: dict[str, tuple[tuple[str, str | None] | None, tuple[str, str | None] | None, float, str]] = {
    "attack": (("Antagonist", "Instigator"), ("Innocent", "Victim"), 1.0, "article"),
    "threaten": (("Antagonist", None), None, 0.5, "article"),
    "criticize": (None, ("Antagonist", None), 1.0, "reported"),
    "praise": (None, ("Protagonist", None), 1.0, "reported"),
}
CATEGORY_ROLES: dict[str, tuple[str, str | None]] = {
    "sacralising death": ("Protagonist", "Martyr"),
    "resistance framing": ("Protagonist", "Rebel"),
    "labelling as terrorist": ("Antagonist", "Terrorist"),
    "labelling as extremist": ("Antagonist", None),
    "delegitimising a state": ("Antagonist", "Tyrant"),
    "occupation framing": ("Antagonist", "Foreign Adversary"),
    "anti-imperial framing": ("Antagonist", "Foreign Adversary"),
    "religious othering": ("Antagonist", None),
    "labelling as agent": ("Antagonist", None),  # mercenary, puppet, agent: Traitor or Spy depends on whose
    "labelling as enemy": ("Antagonist", None),
}
TECHNIQUE_ROLES = frozenset({"Name_Calling-Labeling"})  # the label's own words say which way (label_role)
LABEL_POLARITY = 0.05  # VADER's neutral band, as the stance view uses it (not tuned here)
MAX_LABEL_WORDS = 3  # a label, not a clause (chosen after reading real-corpus spans; see bench/framing.py notes)
_WORD = re.compile(r"\w+")
# what may stand between a qualifying span and the mention it qualifies: English function words of a
# noun phrase (Arabic and Persian attach by adjacency: the construct state and the ezafe)
CONNECTORS = ("of", "the", "a", "an")
MAX_GAP_CHARS = 16
_CONNECTOR = r"(?i:\b(?:" + "|".join(CONNECTORS) + r")\b)"
_ADJACENT = re.compile(r"(?:[\s\u200c\-–]|['’]s?\b|" + _CONNECTOR + ")*")
_ADJACENT_NO_POSSESSIVE = re.compile(r"(?:[\s\u200c\-–]|" + _CONNECTOR + ")*")
OWN_WEIGHT, OTHER_WEIGHT = 1.0, 0.5


# ------------------------------------------------------------------ claims of one article


def claims_for(article: Article) -> list[FramingClaim]:
    """Every framing claim the article's layers support (see the module docstring), in text order."""
    actors = sorted((m for m in article.mentions if m.label in ACTOR_LABELS and m.start >= 0),
                    key=lambda m: (m.start, m.end))
    claims = relation_claims(article, {(m.start, m.end): m for m in article.mentions})
    claims += term_claims(article, actors)
    claims += technique_claims(article, actors, claims)
    unique: dict[tuple[str, int, int, int, str], FramingClaim] = {}
    for c in claims:  # one claim per evidence span, mention and role (two relations in one sentence: one claim)
        key = (c.kind, c.start, c.end, c.mention_start, c.role)
        if key not in unique or c.weight > unique[key].weight:
            unique[key] = c
    return sorted(unique.values(), key=lambda c: (c.start, c.mention_start, c.kind, c.role))


def relation_claims(article: Article, mentions: dict[tuple[int, int], Mention]) -> list[FramingClaim]:
    out: list[FramingClaim] = []
    for r in article.relations:
        rule = RELATION_ROLES.get(r.predicate)
        if rule is None or r.negated:
            continue
        subject_role, object_role, weight, voice = rule
        speaker: tuple[int | None, int | None, str | None] = (None, None, None)
        if r.quote_start is not None:
            voice = "quote"
            speaker = (r.attributed_mention_start, r.attributed_mention_end, r.attributed_text)
        elif voice == "reported":
            speaker = (r.subject_start, r.subject_end, r.subject_text)
        weight *= OWN_WEIGHT if voice == "article" else OTHER_WEIGHT
        for role, (start, end, text) in ((subject_role, (r.subject_start, r.subject_end, r.subject_text)),
                                         (object_role, (r.object_start, r.object_end, r.object_text))):
            if role is None:
                continue
            mention = mentions.get((start, end))
            if mention is not None and mention.label not in ACTOR_LABELS:
                continue
            out.append(FramingClaim(article.id, start, end, text, role[0], role[1], "relation", r.start, r.end,
                                    r.predicate, voice, weight, *speaker))
    return out


def term_claims(article: Article, actors: list[Mention]) -> list[FramingClaim]:
    out: list[FramingClaim] = []
    for term in article.loaded_terms:
        role = CATEGORY_ROLES.get(term.category)
        mention = attached_mention(article.text, term.start, term.end, actors) if role else None
        if role is None or mention is None or in_own_name(article.text, term.start, term.end, mention):
            continue
        if mention.end <= term.start and term.text[:1] == "و" and term.term[:1] != "و":
            continue  # "طالبان ومتطرفين": Taliban *and* extremists, a second party, not a label of the first
        if term.category == "occupation framing" and occupied(term.start, term.end, mention):
            role = ("Innocent", "Victim")
        voice, weight, speaker = _voice(article.quotes, term.start)
        out.append(FramingClaim(article.id, mention.start, mention.end, mention.text, role[0], role[1], "loaded_term",
                                *_joined(term.start, term.end, mention), term.text, voice, weight, *speaker))
    return out


def occupied(start: int, end: int, mention: Mention) -> bool:
    """Whether the name an occupation word qualifies is the occupied, not the occupier: a name after the word
    that is not an adjective of nationality ("the occupation of Iraq", "احتلال العراق", "اشغال عراق") is
    occupied; before it ("Israel's occupation", "Israeli occupation") or an adjective after it
    ("الاحتلال الإسرائيلي") is the occupier."""
    return mention.start >= end and mention.label != "NORP"


def in_own_name(text: str, start: int, end: int, mention: Mention) -> bool:
    """Whether a loaded term is a word of an organisation's own name rather than a label of it: inside an ORG
    mention and not its head noun (the first word in Arabic script, the last in Latin): "جبهه پایداری"
    (a party), "جنبش مقاومت اسلامی" (Hamas's own name), "Islamic Resistance Movement" are names; "رژیم
    صهیونیستی", "the Zionist regime" are labels."""
    if mention.label != "ORG" or not (mention.start <= start and end <= mention.end):
        return False
    words = list(_WORD.finditer(text, mention.start, mention.end))
    if not words:
        return False
    arabic_script = any("\u0600" <= ch <= "\u06ff" for ch in text[mention.start:mention.end])
    head = words[0] if arabic_script else words[-1]
    return not (start <= head.start() < end)


def technique_claims(article: Article, actors: list[Mention], counted: list[FramingClaim]) -> list[FramingClaim]:
    terms = [(c.mention_start, c.start, c.end) for c in counted if c.kind == "loaded_term"]
    out: list[FramingClaim] = []
    for span in article.techniques:
        if span.technique not in TECHNIQUE_ROLES:
            continue
        mention = attached_mention(article.text, span.start, span.end, actors, possessive=False)
        if mention is None or not is_label_of(article.text, span.start, span.end, mention):
            continue
        role = label_role(article, span.start, span.end, actors)
        if role is None or mention is None:
            continue
        if any(m == mention.start and s < span.end and span.start < e for m, s, e in terms):
            continue  # the loaded term inside it already casts this mention
        voice, weight, speaker = _voice(article.quotes, span.start)
        out.append(FramingClaim(article.id, mention.start, mention.end, mention.text, role[0], role[1], "technique",
                                *_joined(span.start, span.end, mention), span.technique, voice,
                                round(weight * span.confidence, 3), *speaker))
    return out


def is_label_of(text: str, start: int, end: int, mention: Mention) -> bool:
    """Whether a name-calling span is a short label of the mention: outside the mention it holds at most
    :data:`MAX_LABEL_WORDS` words, all on one side ("the deposed Saleh", "صدام ديكتاتور"), not a clause that
    happens to contain a name ("stolen by Russian spies", "the greatest leader in modern Western history")."""
    before = text[start:max(start, min(mention.start, end))]
    after = text[min(end, max(mention.end, start)):end]
    words = _WORD.findall(before) + _WORD.findall(after)
    return len(words) <= MAX_LABEL_WORDS and not (_WORD.search(before) and _WORD.search(after))


def label_role(article: Article, start: int, end: int, actors: list[Mention]) -> tuple[str, str | None] | None:
    """Which way a name-calling label casts: by the polarity of its own words (names and loaded terms masked,
    :func:`newsgraph.enrich.sentiment.sentiment`; VADER's ±0.05), since a label can praise ("the great
    king") as well as smear ("the deposed Saleh"); None when its words carry no polarity."""
    from newsgraph.enrich.sentiment import sentiment

    lang = next((p.lang for p in article.paragraphs if p.start <= start < p.end and p.lang), article.lang)
    masks = [(max(m.start, start) - start, min(m.end, end) - start) for m in actors if m.start < end and start < m.end]
    score = sentiment(article.text[start:end], lang, masks)
    if score is None or abs(score) < LABEL_POLARITY:
        return None
    return ("Antagonist", None) if score < 0 else ("Protagonist", None)


def _joined(start: int, end: int, mention: Mention) -> tuple[int, int]:
    """The evidence span of a qualifying word: the word and the name it qualifies ("the martyr X")."""
    return min(start, mention.start), max(end, mention.end)


def attached_mention(text: str, start: int, end: int, actors: list[Mention], possessive: bool = True
                     ) -> Mention | None:
    """The actor mention a qualifying span (a loaded term, a name-calling label) attaches to: one it
    overlaps (the nearest to the span's start when several), else one standing right next to it, with
    nothing between but spaces, a hyphen, a possessive or one of :data:`CONNECTORS` ("the martyr X",
    "Hamas terrorists", "X's regime", "the martyrdom of X", "الإرهابي X", "رژیم صهیونیستی"); the mention
    after the span wins a tie. None when no mention is that close: a word between ("terrorists attacked X",
    "X by terrorists") may change who is meant, so it breaks the attachment (precision over recall).
    ``possessive=False`` (name-calling spans, which are whole phrases) leaves out "X's …": in "Madagascar's
    black death outbreak" the label is the outbreak's, not Madagascar's."""
    inside = [m for m in actors if m.start < end and start < m.end]
    if inside:
        return min(inside, key=lambda m: (abs(m.start - start), m.start))
    best: tuple[int, int, Mention] | None = None
    for m in actors:
        if m.start >= end:
            gap, after = text[end:m.start], 0
        elif m.end <= start:
            gap, after = text[m.end:start], 1
        else:
            continue
        if len(gap) > MAX_GAP_CHARS or not (_ADJACENT if possessive else _ADJACENT_NO_POSSESSIVE).fullmatch(gap):
            continue
        key = (len(gap), after, m)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _voice(quotes: list[Quote], position: int) -> tuple[str, float, tuple[int | None, int | None, str | None]]:
    inside = [q for q in quotes if q.start <= position < q.end]
    if not inside:
        return "article", OWN_WEIGHT, (None, None, None)
    q = min(inside, key=lambda q: q.end - q.start)
    return "quote", OTHER_WEIGHT, (q.speaker_mention_start, q.speaker_mention_end, q.speaker_text)


# ------------------------------------------------------------------ adding claims up


@dataclass
class RoleSummary:
    """The claims about one actor (by one outlet, in one story) added up."""

    role: str  # the main role with more than half the weight, else "mixed"; "" without claims
    weights: dict[str, float] = field(default_factory=dict)  # main role -> weight
    fine_roles: dict[str, int] = field(default_factory=dict)  # fine roles of the winning main role -> claims
    claims: int = 0
    own_voice: int = 0  # claims in the article's own voice

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "weights": self.weights, "fine_roles": self.fine_roles, "claims": self.claims,
                "own_voice": self.own_voice}


def summarise(claims: Iterable[Any]) -> RoleSummary:
    """Add claims (FramingClaim records or rows with ``role``, ``fine_role``, ``weight``, ``voice``) into a
    main role: the one holding more than half the weight, else ``mixed``."""
    weights: dict[str, float] = defaultdict(float)
    fine: dict[str, Counter[str]] = defaultdict(Counter)
    n = own = 0
    for c in claims:
        role, fine_role, weight, voice = _get(c, "role"), _get(c, "fine_role"), _get(c, "weight"), _get(c, "voice")
        weights[role] += weight
        if fine_role:
            fine[role][fine_role] += 1
        n += 1
        own += voice == "article"
    if not n:
        return RoleSummary("")
    total = sum(weights.values())
    leader = max(MAIN_ROLES, key=lambda r: (weights.get(r, 0.0), -MAIN_ROLES.index(r)))
    role = leader if weights.get(leader, 0.0) > total / 2 else "mixed"
    fine_roles = dict(fine[role].most_common()) if role != "mixed" else {}
    return RoleSummary(role, {r: round(w, 3) for r, w in sorted(weights.items())}, fine_roles, n, own)


def _get(claim: Any, key: str) -> Any:
    return claim[key] if isinstance(claim, dict) else getattr(claim, key)


# ------------------------------------------------------------------ the corpus stage


def build_framing(store: Store, progress: Callable[[str, int, int], None] | None = None,
                  batch: int = 200) -> dict[str, int]:
    """Read the framing claims of every stored article not read yet (or read by an older version, or
    whose layers a re-run replaced since); returns counts. Each article's claims are a function of its own
    layers, so the result does not depend on the order articles arrive in."""
    from newsgraph.store import framing as sql

    todo = sql.articles_to_frame(store.conn, FRAMING_VERSION)
    written = 0
    for k in range(0, len(todo), batch):
        part = todo[k:k + batch]
        claims = {a.id: claims_for(a) for a in store.articles_by_id(part)}
        sql.replace_claims(store.conn, claims, FRAMING_VERSION)
        written += sum(len(c) for c in claims.values())
        if progress:
            progress("frame", min(k + batch, len(todo)), len(todo))
    return {"framed": len(todo), "claims": written, "total_claims": sql.claim_count(store.conn)}


# ------------------------------------------------------------------ by story, actor and outlet

MAX_EVIDENCE = 12  # claims shown per actor and outlet on the story page (the export has them all)


def _claim_view(row: dict[str, Any]) -> dict[str, Any]:
    return {"article_id": row["article_id"], "start": row["start"], "end": row["end"], "text": row["evidence"],
            "mention_start": row["mention_start"], "mention_end": row["mention_end"],
            "mention_text": row["mention_text"], "kind": row["kind"], "cue": row["cue"], "role": row["role"],
            "fine_role": row["fine_role"], "voice": row["voice"], "weight": row["weight"],
            "speaker_text": row["speaker_text"], "speaker_entity_id": row["speaker_entity_id"],
            "date": row["date"], "lang": row["lang"]}


def actor_framing(rows: list[dict[str, Any]], main: Iterable[str] = (), limit: int | None = MAX_EVIDENCE
                  ) -> list[dict[str, Any]]:
    """Claim rows of one story (:func:`newsgraph.store.framing.story_claims`) added up per actor and per
    outlet: ``[{entity_id, name, type, main, overall, by_outlet: [{outlet, ..summary, evidence}]}]``; the
    story's main actors and places (``main``) first, then by claims. ``limit`` caps the evidence listed per
    outlet (None: all)."""
    main_ids = list(main)
    by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["entity_type"] in ACTOR_LABELS:  # a mention resolved to a place (LOC, FAC) is no actor
            by_actor[row["entity_id"]].append(row)
    out = []
    for entity_id, claims in by_actor.items():
        by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in claims:
            by_outlet[row["outlet"] or ""].append(row)
        outlets = [{"outlet": outlet or None, **summarise(part).as_dict(),
                    "evidence": [_claim_view(r) for r in (part if limit is None else part[:limit])]}
                   for outlet, part in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        out.append({"entity_id": entity_id, "name": claims[0]["entity_name"], "type": claims[0]["entity_type"],
                    "main": entity_id in main_ids, "overall": summarise(claims).as_dict(), "by_outlet": outlets})
    rank = {e: k for k, e in enumerate(main_ids)}
    return sorted(out, key=lambda a: (rank.get(a["entity_id"], len(rank)), -a["overall"]["claims"], a["name"]))


def story_framing(conn: Any, story: dict[str, Any], limit: int | None = MAX_EVIDENCE) -> list[dict[str, Any]]:
    """How the actors of one story (a :func:`newsgraph.store.stories.story_row`) are cast, per outlet."""
    from newsgraph.store import framing as sql

    main = [a["entity_id"] for a in story.get("actors", []) + story.get("places", [])]
    return actor_framing(sql.story_claims(conn, story["id"]), main, limit)


def framing_records(conn: Any) -> Iterable[dict[str, Any]]:
    """One record per (story, actor, outlet) with every evidence span and its text: the ``framing`` export."""
    from itertools import groupby

    from newsgraph.store import framing as sql

    claims = (r for r in sql.all_story_claims(conn) if r["entity_type"] in ACTOR_LABELS)
    for (story_id, entity_id, outlet), group in groupby(claims, key=lambda r: (r["story_id"], r["entity_id"], r["outlet"])):
        rows = list(group)
        summary = summarise(rows)
        yield {"story_id": story_id, "entity_id": entity_id, "actor": rows[0]["entity_name"], "outlet": outlet,
               "role": summary.role, "fine_roles": summary.fine_roles, "weights": summary.weights,
               "claims": summary.claims, "own_voice": summary.own_voice,
               "evidence": [{k: v for k, v in _claim_view(r).items() if k not in ("date", "lang")} for r in rows]}
