"""Teasers for other stories embedded in a body.

News sites drop "read also" cards between paragraphs; scraped to text, a card
becomes a headline run straight into its lede with no full stop between them:

    Zarif: Iran missile strikes legitimate self-defense against US terrorism Foreign Minister Zarif says …

Two signs give it away and are checked together: a point where a headline-like
prefix (no sentence punctuation, a few words) runs into a capitalised word that
starts a new sentence, and a lede that repeats the headline's content words
(ledes restate their headline). Cards cut short by the scraper ("… : Shamkhani"
followed by "The secretary of Iran") are caught by their missing sentence end.
"""

from __future__ import annotations

import re

from newsgraph.segment.rules import QUOTE_CLOSERS, TERMINAL, ends_sentence

_TOKEN = re.compile(r"\S+")
_STOP = {
    "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "but", "with", "at", "by", "from", "as",
    "is", "are", "was", "were", "be", "has", "have", "had", "that", "this", "its", "it", "their", "his",
    "her", "not", "no", "will", "would", "can", "could", "says", "said", "say", "after", "over", "into",
    "about", "against", "behind", "between", "among", "many", "much", "more", "most", "some", "any", "all",
    "when", "where", "which", "who", "whom", "what", "why", "how", "than", "then", "there", "here", "they",
    "them", "we", "us", "our", "you", "your", "he", "she", "him", "i", "me", "my", "such", "also", "only",
    "very", "even", "both", "each", "other", "another", "these", "those", "through", "during", "before",
    "under", "upon", "within", "without", "toward", "towards", "across", "along", "around", "near", "via",
    "per", "since", "until", "while", "whether", "if", "so", "yet", "nor", "do", "does", "did", "been",
    "being", "may", "might", "must", "shall", "should", "talk", "meet", "visit", "every", "last", "next",
}
_GLUED = re.compile(r"[a-z\u00e0-\u024f][“\"‘][A-Z]")  # "range“Look": two texts concatenated


def _content_words(words: list[str]) -> set[str]:
    out = set()
    for word in words:
        key = re.sub(r"(’s|'s)$", "", word.strip("“”‘’\"'(),:;.!?–-")).lower()
        if len(key) >= 3 and key not in _STOP:
            out.add(key)
    return out


def _is_sentence_start(word: str) -> bool:
    stripped = word.lstrip("“\"‘'(")
    return bool(stripped) and stripped[0].isupper()


_TITLE_WORDS = {
    "president", "minister", "prime", "foreign", "general", "gen.", "leader", "secretary", "chief", "commander",
    "sayyed", "sheikh", "ayatollah", "imam", "dr.", "mr.", "mrs.", "ms.", "king", "prince", "emir", "deputy",
    "supreme", "speaker", "senator", "rep.", "gov.", "governor", "ambassador", "spokesman", "spokeswoman",
}
_FUNCTION_END = _STOP - {"says", "said", "say"}
_PROSE_OPENERS = {"in", "on", "at", "during", "after", "before", "when", "while", "as", "if", "our", "we", "i", "he",
                  "she", "they", "it", "this", "that", "there", "but", "and", "so", "then", "however", "meanwhile"}
_PRONOUNS = {"he", "she", "they", "we", "i", "you", "him", "her", "them", "our", "their", "his", "its", "my", "me"}


def headline_runon_split(text: str) -> int | None:
    """Character offset where a run-on headline ends and its lede begins, if any."""
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) < 8:
        return None
    # Glued texts first: "…within range“Look at the faces…"
    for m in _GLUED.finditer(text):
        cut = m.start() + 1
        prefix = text[:cut].split()
        if 4 <= len(prefix) <= 25 and not any(w.rstrip(QUOTE_CLOSERS)[-1:] in TERMINAL for w in prefix):
            if _content_words(prefix) & _content_words(text[cut:].split()[:30]):
                return cut
    if not _is_sentence_start(tokens[0].group()) or tokens[0].group().strip("“\"‘'(").lower() in _PROSE_OPENERS:
        return None
    tables = None  # each start's first-sentence length and sentence count, when first asked
    for i in range(4, min(len(tokens) - 3, 26)):
        previous, word = tokens[i - 1].group(), tokens[i].group()
        bare = previous.rstrip(QUOTE_CLOSERS)
        if bare[-1:] in TERMINAL:
            return None  # a sentence ended inside the would-be headline: ordinary prose
        if bare[-1:] in ",;:–-" or previous.lower() in _FUNCTION_END or previous.lower() in _TITLE_WORDS:
            continue
        if not _is_sentence_start(word):
            continue
        prefix = [t.group() for t in tokens[:i]]
        lede = [t.group() for t in tokens[i : i + 15]]
        if ":" not in " ".join(prefix) and any(w.strip("“”\"‘’(),:;") in _PRONOUNS for w in prefix):
            break  # headlines name people, prose refers to them (a quoted headline "X: …" may say "our")
        if i < 5:
            continue
        tables = tables or _sentence_tables(tokens)
        if tables[0][i] < 6 or tables[1][i] > 1:
            continue  # a card is a headline and ONE lede sentence
        shared = _content_words(prefix) & _content_words(lede)
        names = {w for w in shared if any(_is_sentence_start(p) and _content_words([p]) == {w} for p in prefix)}
        if len(shared) >= 2 and names:
            return tokens[i].start()
    return None


_ABBREVIATIONS = {"gen.", "dr.", "mr.", "mrs.", "ms.", "st.", "u.s.", "u.n.", "lt.", "col.", "maj.", "sgt.", "no.",
                  "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "vs.", "etc.", "inc.", "co.", "jr.", "sr."}


def _sentence_tables(tokens: list[re.Match[str]]) -> tuple[list[int], list[int]]:
    """For every i, ``_first_sentence_length(tokens[i:])`` and ``_sentence_count(tokens[i:])``,
    in one pass from the end (the headline search asks them for up to 22 starts)."""
    size = len(tokens)
    first_lengths, counts = [0] * size, [0] * size
    next_end, count = size, 1  # the first full stop at or after i; sentences from i on
    for i in range(size - 1, -1, -1):
        word = tokens[i].group()
        terminal = word.rstrip(QUOTE_CLOSERS)[-1:] in TERMINAL
        if terminal:
            next_end = i
        if (i + 1 < size and terminal and word.lower().lstrip("“\"‘(") not in _ABBREVIATIONS
                and _is_sentence_start(tokens[i + 1].group())):
            count += 1
        first_lengths[i] = next_end - i + 1 if next_end < size else size - i
        counts[i] = count
    return first_lengths, counts


def is_truncated_card(lines: list[str]) -> bool:
    """A block of a headline and a lede cut off mid-sentence ("… : Shamkhani" / "The secretary of Iran")."""
    if len(lines) < 2 or len(lines) > 3:
        return False
    first, last = lines[0], lines[-1]
    return (not ends_sentence(first) and not ends_sentence(last) and 3 <= len(first.split()) <= 25
            and len(last.split()) <= 15 and not first.endswith(":"))
