"""The seed pages cut the way a careful human editor would cut them.

These are acceptance tests on real scraped pages; the segmenter knows nothing
about them (no rule names a seed, an outlet of a seed, or a line of a seed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsgraph.ingest.readers import iter_documents
from newsgraph.model import Article, SourceDocument
from newsgraph.segment import segment_document

# Lines of the boilerplate kinds of the spine issue, as they occur on the seed pages.
BOILERPLATE = [
    "News \u00a0 / \u00a0 Politics",  # breadcrumb
    "(AFP photo)", "Ilhan Omar",  # a caption from an unrelated story
    "speaks to Press TV’s Face to Face program on May 29, 2021",  # caption
    "Related Videos", "Related Articles", "فيدوات متعلقة", "مقالات متعلقة",
    "Palestinians in Gaza pay tribute to slain Iranian commander",  # related item
    "خامنئي يؤم صلاة الجمعة في مصلى طهران",  # related item (Arabic)
    "Leave a Reply", "Your email address will not be published", "April 2024",
    "licensed under a Creative Commons", "alternate addresses", "Press TV News Roku",
    "bloggers like this", "click here", "Original link:", "support on Patreon",
    "No intention to cover up cause of Ukrainian plane crash",  # teasers inside a body
    "Don’t dishonor our language", "exclusive tour reveals", "may trigger end of US military presence",
    "Trump warns US has 52 Iranian targets", "legitimate self-defense against US terrorism",
    "showed all US bases in West Asia within range", "Iran’s retaliation against US only ‘a slap’",
    "(Photo by AFP)", "لتقى هنية ومشعل في الدوحة",  # captions with credits
    "Front left: President Rouhani", "during the Iraq-Iran war", "with Hamas Leader Ismail Haniya",  # captions
    "do not necessarily reflect those of Press TV",
]


def _articles(path: Path) -> tuple[SourceDocument, list[Article]]:
    docs = [d for d in iter_documents([path]) if isinstance(d, SourceDocument)]
    assert len(docs) == 1
    return docs[0], segment_document(docs[0])


@pytest.fixture(scope="module")
def seed_articles(seeds: Path) -> dict[str, tuple[SourceDocument, list[Article]]]:
    return {p.name[:3]: _articles(p) for p in sorted(seeds.glob("00[0-4]_*.txt"))}


def test_aggregator_page_holds_its_seven_articles(seed_articles):
    _, articles = seed_articles["003"]
    got = [(a.title and " ".join(a.title.split()), a.author, a.date, a.lang) for a in articles]
    assert got == [
        (None, "Elijah J. Magnier", None, "en"),
        ("Iran’s Cultural Attaché in Lebanon: Soleimani Was Transnational, Multi-dimensional Personality that Scared Trump",
         "Nour Rida", None, "en"),
        ("“Death to the Islamic Republic” they chant now- and they call themselves Iranians", "Aram Mirzaei", "2020-01-18", "en"),
        ("مشعل لهنية: لو كنت مكانك لشاركت في عزاء سليماني", None, "2020-01-22", "ar"),
        ("Imam Khamenei: IRGC’s Quds Force Knows No Frontiers, Supports Oppressed People", None, "2020-01-17", "en"),
        ("Senior Hamas official: ‘Qasim Soleimani gave us everything Iran has to offer’", None, "2020-01-15", "en"),
        ("Iran keeps openly blaming itself, yet there is a Ukraine Air cover-up?", "Ramin Mazaheri", "2020-01-13", "en"),
    ]
    outlets = [a.outlet for a in articles]
    assert outlets[2] == "The Saker Blog"
    assert outlets[3] == "الأخبار" and articles[3].meta.get("section") == "فلسطين"
    assert outlets[4] == "Al-Manar English Website and Mehr News Agency"
    assert outlets[5] == "Al-Mayadeen TV"
    assert outlets[6] == "Press TV"


def test_article_bodies_start_and_end_where_an_editor_would_cut(seed_articles):
    _, articles = seed_articles["003"]
    starts = ["The US President Donald Trump assassinated", "The martyrdom of Lieutenant General Qassem Soleimani",
              "Nobody has escaped the news", "ضمن الحملة المتواصلة على", "Supreme Leader of the Islamic Revolution",
              "In an extended interview with Al-Mayadeen TV", "By Ramin Mazaheri"]
    ends = ["remainder of 2020 is expected to be hot.", "willing to listen.", "But only with the Islamic Republic..",
            "على حساب أو ضدّ أيّ دولة أخرى».", "his eminence concluded his speech.", "regarding these suggestions and ideas.",
            "anti-democratic, inhumane climate of war."]
    for article, start, end in zip(articles, starts, ends):
        if start.startswith("By "):
            assert article.text.startswith("Many people have been quite shocked")
        else:
            assert article.text.startswith(start), article.text[:80]
        assert article.text.endswith(end), article.text[-80:]


@pytest.mark.parametrize("key,title,lang", [
    ("000", None, "en"),
    ("001", "We owe defeating Israel to Gen. Soleimani: Islamic Jihad official tells Press TV", "en"),
    ("002", "Upholding Qasem Soleimani’s legacy", "en"),
    ("004", None, "fa"),
])
def test_single_article_pages(seed_articles, key, title, lang):
    _, articles = seed_articles[key]
    assert len(articles) == 1
    assert articles[0].title == title and articles[0].lang == lang


def test_single_article_metadata(seed_articles):
    assert seed_articles["001"][1][0].outlet == "Press TV"
    assert seed_articles["002"][1][0].author == "Mehmet Perinçek"
    assert seed_articles["001"][1][0].text.startswith("A ranking Islamic Jihad official says")
    assert seed_articles["002"][1][0].text.startswith("The Iranian Mehr News Agency conducted an interview")
    assert seed_articles["000"][1][0].text.endswith("and this is a contradiction.")


def test_no_boilerplate_line_in_any_body(seed_articles):
    for key, (_, articles) in seed_articles.items():
        for article in articles:
            for marker in BOILERPLATE:
                assert marker not in article.text, f"{key}/{article.source_index}: {marker!r} left in the body"


def test_repeated_pull_quote_is_kept_once(seed_articles):
    _, (article,) = seed_articles["004"]
    phrase = "خط قرمز حاج قاسم، داشتن روابط با اسرائیل بود"
    assert article.text.count(phrase) == 1
    assert any(b.rule == "pull-quote-repeat" for b in article.removed)


def test_interview_turns_and_subheadings_are_kept(seed_articles):
    _, articles = seed_articles["003"]
    zahar = articles[5].text
    assert zahar.count("The host:") >= 10 and zahar.count("Dr. al-Zahar:") >= 10
    assert "Retaliation to Suleimani Assassination" in articles[4].text
    kinds = {p.kind for p in articles[4].paragraphs}
    assert "subheading" in kinds


def test_every_source_span_round_trips(seed_articles):
    for key, (doc, articles) in seed_articles.items():
        for article in articles:
            for para in article.paragraphs:
                assert article.text[para.start:para.end] == doc.text[para.source_start:para.source_end], key
            rebuilt = "\n\n".join(doc.text[s:e] for s, e in article.source_spans)
            assert rebuilt == article.text


def test_removed_lines_say_why(seed_articles):
    _, articles = seed_articles["003"]
    rules = {b.rule for a in articles for b in a.removed}
    assert {"related-header", "related-item", "teaser-runon-headline", "caption-verbless", "caption-in-header",
            "byline", "dateline", "click-here", "share-widget", "link-label"} <= rules
    for article in articles:
        for block in article.removed:
            assert re.match(r"^[a-z-]+$", block.rule)


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module that are not docstrings (the rules' words)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_generic_rule_holds_a_line_of_a_seed(seeds: Path):
    """The claim of this module: no rule string holds a line of a seed page (seven consecutive words;
    shorter runs are the web's common boilerplate, "your email address will not be published"), and no
    rule names an outlet of the seeds."""
    package = Path(__file__).resolve().parents[1] / "src" / "newsgraph"
    modules = [*package.glob("segment/*.py"), *package.glob("enrich/*.py"), *package.glob("text/*.py"),
               *package.glob("corpus/*.py")]
    rule_text = "\n".join(s.lower() for m in modules for s in _code_strings(m))
    alternatives = [re.findall(r"\w+", alt) for alt in re.split(r"[|()\n]", rule_text)]  # one regex branch each
    seed_grams = set()
    for page in seeds.glob("00[0-4]_*.txt"):
        words = re.findall(r"\w+", page.read_text(encoding="utf-8").lower())
        seed_grams |= {" ".join(words[i:i + 7]) for i in range(len(words) - 6)}
    rule_grams = {" ".join(words[i:i + 7]) for words in alternatives for i in range(len(words) - 6)}
    shared = seed_grams & rule_grams
    assert not shared, sorted(shared)[:10]
    for outlet in ("press tv", "tehran times", "al-manar", "al-mayadeen", "the saker", "mehr news", "الأخبار"):
        assert not re.search(rf"(?<!\w){re.escape(outlet)}(?!\w)", rule_text), outlet
