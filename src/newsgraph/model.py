"""The typed records that flow between newsgraph's stages.

The shape follows spaCy's ``Doc``: an :class:`Article` holds its text, and
everything found in it later (paragraphs, entities, quotes, techniques) is a
span of offsets into that text. Every article also maps back to the exact
characters of the page it was cut from (:attr:`Paragraph.source_start`), so a
fact can always be traced to the bytes a scraper saved.

Nothing in this module imports the CLI, the web layer or any model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """A stable id for a piece of decoded text (first 32 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def article_id_for(document_id: str, index: int) -> str:
    """Article ids derive from the page's content hash and the article's order on
    the page, so analysing the same input twice yields the same ids."""
    return hashlib.sha256(f"{document_id}:{index}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Span:
    """A span of an article's text: ``article.text[start:end]``."""

    article_id: str
    start: int
    end: int

    def text_of(self, article: "Article") -> str:
        return article.text[self.start : self.end]


@dataclass
class SourceDocument:
    """One unit of input: a file, or one record of a container (JSONL line, WARC record).

    ``text`` is the decoded source text (HTML markup included for HTML inputs);
    all ``source_start``/``source_end`` offsets index into it.
    """

    id: str  # content hash of ``text``
    source: str  # URL when the input names one, else the file path (with #record for containers)
    path: str  # the file it was read from
    record: int | None  # 0-based record index inside a container, None for plain files
    format: str  # "text" or "html"
    encoding: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)  # url/title/date/outlet/author given by the input

    @property
    def is_html(self) -> bool:
        return self.format == "html"


@dataclass
class Rejection:
    """An input that could not be processed, with a reason a person can act on."""

    source: str
    reason: str


@dataclass
class ProcessingError:
    """An input that met a bug in newsgraph: not a problem of the input, so not a rejection.

    ``stage`` names the pipeline stage that failed (``segment``, ``entities`` …), ``error`` the
    exception, ``detail`` its traceback, for the bug report."""

    source: str
    stage: str
    error: str
    detail: str = ""


@dataclass
class Block:
    """A paragraph-level unit of a page with the segmenter's decision about it.

    ``kind`` is ``"body"`` for kept text; anything else names the boilerplate
    or metadata it was recognised as (``title``, ``byline``, ``dateline``,
    ``source_line``, ``breadcrumb``, ``caption``, ``related``, ``teaser``,
    ``comment_form``, ``licence``, ``share``, ``click_here``, ``repeat``, …).
    ``rule`` names the rule that decided, so a user can see why.
    """

    start: int  # offsets in SourceDocument.text
    end: int
    text: str  # display text (for HTML: the extracted text of the markup span)
    kind: str = "body"
    rule: str = ""
    lang: str | None = None


@dataclass
class Paragraph:
    """A kept paragraph: where it sits in the article and in the source."""

    start: int  # offsets in Article.text
    end: int
    source_start: int  # offsets in SourceDocument.text
    source_end: int
    lang: str | None = None
    kind: str = "body"  # body | subheading | question | answer


@dataclass
class Mention:
    """A name in an article: PERSON, ORG, GPE, LOC, NORP, EVENT, FAC, …"""

    article_id: str
    start: int  # offsets in Article.text
    end: int
    text: str
    label: str
    lang: str | None = None
    method: str = ""  # which model or rule found it
    entity_id: str | None = None  # set by resolution


@dataclass
class DateRef:
    """A date expression in an article, normalised to ISO when it can be."""

    article_id: str
    start: int
    end: int
    text: str
    value: str | None
    calendar: str  # gregorian | jalali | hijri
    resolved: bool = True
    relative: bool = False


@dataclass
class Quote:
    """Who said what: the quoted content, its speaker and the cue that introduces it."""

    article_id: str
    start: int  # content span in Article.text
    end: int
    text: str
    kind: str  # direct | indirect | mixed | interview
    cue: str | None = None  # the reporting verb or marker as written ("said", "قال", "گفت", "Q:")
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_mention_start: int | None = None  # the mention naming the speaker: the speaker span itself, or the
    speaker_mention_end: int | None = None  # antecedent of a pronoun or description; None when unresolved
    speaker_resolved: bool = False  # False when the speaker is a description or pronoun left unresolved
    addressee: str | None = None  # "the Tehran Times", "Press TV"
    method: str = ""


@dataclass
class Relation:
    """Who did what to whom: a typed triple between two named actors with its evidence.

    ``start``/``end`` is the evidence (the sentence, as the article has it); subject and object are
    entity mentions (their spans resolve to entity ids after corpus resolution, as quote speakers do).
    When the relation sits inside a quote, ``quote_start``/``quote_end`` locate the quote and the
    ``attributed_*`` fields its speaker's mention: the article reports someone asserting it.
    """

    article_id: str
    start: int  # evidence span in Article.text
    end: int
    predicate: str  # praise | criticize | threaten | attack | support | meet | cooperate | demand | deny
    polarity: int  # +1 cooperation, -1 conflict (CAMEO quad class of the predicate)
    cue: str  # the verb or phrase as written
    cue_start: int
    cue_end: int
    subject_text: str
    subject_start: int  # the subject's mention (for "I" in a quote, the speaker's; for "he", its antecedent)
    subject_end: int
    object_text: str
    object_start: int
    object_end: int
    negated: bool = False
    quote_start: int | None = None
    quote_end: int | None = None
    attributed_text: str | None = None  # the speaker as written in the quote
    attributed_mention_start: int | None = None  # the mention naming that speaker (None when unresolved)
    attributed_mention_end: int | None = None
    method: str = ""

    @property
    def id(self) -> str:
        """A stable id (evidence in the exports and the actor graph)."""
        key = f"{self.article_id}:{self.cue_start}:{self.subject_start}:{self.object_start}:{self.predicate}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class LoadedTerm:
    """A loaded (framing) term in an article: martyr, terrorist, regime, occupation … with a side-neutral
    category (see :mod:`newsgraph.enrich.loaded_terms`). Reported as a layer of its own, never as sentiment."""

    article_id: str
    start: int  # offsets in Article.text
    end: int
    text: str  # as written
    term: str  # the lexicon entry it matched
    category: str  # "sacralising death", "labelling as terrorist", "delegitimising a state" …
    lang: str | None = None


@dataclass
class Reuse:
    """Text shared by two articles (or repeated inside one): aligned spans in both."""

    a_article_id: str
    a_start: int
    a_end: int
    b_article_id: str
    b_start: int
    b_end: int
    similarity: float
    kind: str  # exact | near | passage | translation | repetition (inside one page or article)
    source_article_id: str | None = None  # the likely original (earliest date, else other evidence)
    cluster_id: str | None = None  # the reuse cluster: every holder of the same text (exact, near, passage)


@dataclass
class Entity:
    """A canonical person, organisation or place, linked across spellings and scripts."""

    id: str
    name: str
    type: str
    aliases: dict[str, list[str]] = field(default_factory=dict)  # script/lang -> spellings
    mention_count: int = 0
    article_count: int = 0
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass
class Article:
    """A clean article cut from a page.

    ``text`` is the body as written (no normalisation), paragraphs joined by a
    blank line. ``removed`` keeps what the segmenter cut, for inspection.
    """

    id: str
    document_id: str
    source: str
    source_index: int
    text: str
    paragraphs: list[Paragraph]
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD, or YYYY-MM when only the month is known)
    date_text: str | None = None  # the date as written on the page
    outlet: str | None = None
    lang: str | None = None
    removed: list[Block] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)  # filled by the entities component
    dates: list[DateRef] = field(default_factory=list)  # filled by the dates component
    quotes: list[Quote] = field(default_factory=list)  # filled by the quotes component
    techniques: list[Any] = field(default_factory=list)  # TechniqueSpan records from the techniques component
    relations: list[Relation] = field(default_factory=list)  # filled by the relations component
    loaded_terms: list[LoadedTerm] = field(default_factory=list)  # filled by the loaded_terms component
    layers: dict[str, list[Any]] = field(default_factory=dict)  # custom components' output, by table name

    @property
    def source_spans(self) -> list[tuple[int, int]]:
        return [(p.source_start, p.source_end) for p in self.paragraphs]

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class RunInfo:
    """What a run used: versions of code, models and rule sets (the ``runs`` table)."""

    id: int | None
    started: str
    finished: str | None
    newsgraph_version: str
    components: dict[str, str]
    args: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class StoryMember:
    """An article in a story: its centrality (mean link score to the other members) and how many
    days after the story's first article it was published (None when either is undated)."""

    article_id: str
    story_id: str
    score: float
    lag_days: float | None = None


@dataclass
class Story:
    """Articles about one real-world event, across outlets and languages (``newsgraph.corpus.stories``).

    ``labels`` maps a language to its most central member's title (``{"article_id", "title"}``);
    ``actors`` and ``places`` are the entities most member articles name (``{"entity_id", "name",
    "articles"}``); ``followers`` is the chain of outlets in the order they first ran the story
    (``{"outlet", "article_id", "date", "lag_days"}``, the first article's outlet first)."""

    id: str
    size: int
    first_article_id: str
    first_date: str | None
    last_date: str | None
    labels: dict[str, dict[str, str]]
    actors: list[dict[str, Any]]
    places: list[dict[str, Any]]
    followers: list[dict[str, Any]]
    outlets: dict[str, int]
    langs: dict[str, int]
    members: list[StoryMember] = field(default_factory=list)


@dataclass
class FramingClaim:
    """One piece of evidence that casts an actor (``newsgraph.corpus.framing``): the actor's mention, the
    SemEval-2025 Task 10 main role (Protagonist | Antagonist | Innocent) and fine role it supports (None
    when the evidence supports only the main role), and the evidence itself: its kind (relation |
    loaded_term | technique), its span ``(article_id, start, end)`` and cue. ``voice`` says who casts:
    ``article`` (the outlet in its own words), ``quote`` (a quoted speaker) or ``reported`` (the subject
    of a reported speech act: "X condemned Y" is X casting Y); ``speaker_*`` is that speaker's mention.
    The actor's entity is the entity of its mention (joined at query time, so it follows resolution)."""

    article_id: str
    mention_start: int
    mention_end: int
    mention_text: str
    role: str
    fine_role: str | None
    kind: str
    start: int
    end: int
    cue: str
    voice: str
    weight: float
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_text: str | None = None
