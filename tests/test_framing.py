"""Entity framing (newsgraph.corpus.framing): roles from the evidence that casts an actor, the same rules for
every side (the symmetric test), the voice of quoted and reported casts, the store, the ``story`` command
and the exports."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph.api as ng
from newsgraph.cli import app
from newsgraph.corpus.framing import CATEGORY_ROLES, FINE_ROLES, MAIN_ROLES, attached_mention, claims_for, summarise
from newsgraph.model import Mention

DATA = Path(__file__).parent / "data" / "framing"


def _symmetric_items() -> list[dict]:
    return [json.loads(line) for line in (DATA / "symmetric.jsonl").open(encoding="utf-8")]


def _sided(text: str, claims: list, first: str, second: str) -> Counter:
    """The claims as (side, role, fine role, kind, voice): side 0 is ``first``'s mention, 1 ``second``'s."""
    out: Counter = Counter()
    for c in claims:
        names = [k for k, name in enumerate((first, second)) if name in c.mention_text]
        side = names[0] if len(names) == 1 else "?"
        out[(side, c.role, c.fine_role, c.kind, c.voice)] += 1
    return out


@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_swapping_the_sides_mirrors_the_roles(lang: str) -> None:
    """Every per-article stage runs on each sentence and on the sentence with the two names swapped; each
    side must get in the swapped text exactly the claims the other side got in the original."""
    items = [i for i in _symmetric_items() if i["lang"] == lang]
    assert len(items) >= 4
    total = 0
    for item in items:
        a, b = item["sides"]
        original = item["template"].format(A=a, B=b)
        swapped = item["template"].format(A=b, B=a)
        claims = claims_for(ng.annotate(original, lang=lang))
        mirrored = claims_for(ng.annotate(swapped, lang=lang))
        assert claims, f"{item['id']}: no claim in {original!r}"
        assert _sided(original, claims, a, b) == _sided(swapped, mirrored, b, a), (item["id"], claims, mirrored)
        total += len(claims)
    assert total >= 2 * len(items) - 2


def test_roles_come_from_the_evidence_the_rules_name() -> None:
    text = "Israel attacked Iran on Monday, killing three soldiers near the border."
    claims = {(c.mention_text, c.role, c.fine_role) for c in claims_for(ng.annotate(text, lang="en"))}
    assert claims == {("Israel", "Antagonist", "Instigator"), ("Iran", "Innocent", "Victim")}
    negated = claims_for(ng.annotate("Israel did not attack Iran on Monday.", lang="en"))
    assert not [c for c in negated if c.kind == "relation"]


def test_a_quoted_or_reported_cast_is_not_the_outlets_voice() -> None:
    fa = claims_for(ng.annotate("سخنگوی ایران گفت که رژیم اسرائیل تروریست است.", lang="fa"))
    assert fa and all(c.voice == "quote" and c.weight == 0.5 for c in fa)
    assert {c.fine_role for c in fa} == {"Tyrant", "Terrorist"}
    en = claims_for(ng.annotate("Iran condemned Israel for the raid on Friday.", lang="en"))
    assert [(c.mention_text, c.role, c.voice, c.speaker_text) for c in en] == [("Israel", "Antagonist", "reported",
                                                                                "Iran")]


def _mention(text: str, name: str) -> Mention:
    start = text.index(name)
    return Mention("a", start, start + len(name), name, "GPE")


@pytest.mark.parametrize("text, term, name", [
    ("the martyr Soleimani", "martyr", "Soleimani"),
    ("the martyrdom of Soleimani", "martyrdom", "Soleimani"),
    ("Hamas terrorists fired", "terrorists", "Hamas"),
    ("Iran's regime said", "regime", "Iran"),
    ("رژیم صهیونیستی گفت", "رژیم", "صهیونیستی"),
])
def test_a_loaded_term_attaches_to_the_name_next_to_it(text: str, term: str, name: str) -> None:
    start = text.index(term)
    assert attached_mention(text, start, start + len(term), [_mention(text, name)]).text == name


@pytest.mark.parametrize("text, term, name", [
    ("terrorists attacked Mosul", "terrorists", "Mosul"),
    ("Soleimani was killed by terrorists", "terrorists", "Soleimani"),
    ("the martyr, said Iran", "martyr", "Iran"),
])
def test_a_word_between_breaks_the_attachment(text: str, term: str, name: str) -> None:
    start = text.index(term)
    assert attached_mention(text, start, start + len(term), [_mention(text, name)]) is None


def test_summary_needs_more_than_half_the_weight() -> None:
    rows = [{"role": "Antagonist", "fine_role": "Terrorist", "weight": 1.0, "voice": "article"},
            {"role": "Antagonist", "fine_role": None, "weight": 0.5, "voice": "quote"},
            {"role": "Innocent", "fine_role": "Victim", "weight": 1.0, "voice": "article"}]
    summary = summarise(rows)
    assert (summary.role, summary.fine_roles, summary.claims, summary.own_voice) == ("Antagonist", {"Terrorist": 1}, 3, 2)
    assert summarise(rows[:1] + rows[2:]).role == "mixed"
    assert summarise([]).role == ""


def test_every_rule_names_a_role_of_the_taxonomy() -> None:
    for role, fine in CATEGORY_ROLES.values():
        assert role in MAIN_ROLES and (fine is None or fine in FINE_ROLES[role])


# ------------------------------------------------------------------ store, story command, exports


def _main_story(db: Path) -> dict:
    top = ng.stories(db)[0]
    return ng.story(db, top["id"], evidence=None)


def test_story_framing_by_outlet_with_evidence_spans(framing_db: Path) -> None:
    story = _main_story(framing_db)
    assert story["size"] >= 4 and len(story["langs"]) == 3
    actors = {a["name"]: a for a in story["framing"]}
    us = actors["United States"]
    assert us["overall"]["role"] == "Antagonist" and us["main"]
    assert {o["outlet"] for o in us["by_outlet"]} >= {"Wire Service", "Arabic Desk", "Persian Service"}
    soleimani = actors["Qassem Soleimani"]
    assert soleimani["overall"]["role"] in ("Innocent", "Protagonist")
    tehran = [o for o in soleimani["by_outlet"] if o["outlet"] == "Tehran Daily"][0]
    assert tehran["role"] == "Protagonist" and "Martyr" in tehran["fine_roles"]
    with sqlite3.connect(framing_db) as conn:
        for actor in story["framing"]:
            for outlet in actor["by_outlet"]:
                for e in outlet["evidence"]:
                    text = conn.execute("SELECT text FROM articles WHERE id = ?", (e["article_id"],)).fetchone()[0]
                    assert text[e["start"]:e["end"]] == e["text"] and e["text"]
                    assert text[e["mention_start"]:e["mention_end"]] == e["mention_text"]


def test_framing_is_read_once_and_again_after_a_rerun(framing_db: Path, tmp_path: Path) -> None:
    assert ng.build_framing(framing_db)["framed"] == 0
    copy = tmp_path / "copy.db"
    copy.write_bytes(framing_db.read_bytes())
    before = ng.story(copy, ng.stories(copy)[0]["id"], evidence=None)["framing"]
    ng.redo(copy, ["loaded_terms"])
    again = ng.build_framing(copy)
    assert again["framed"] == 6
    assert ng.story(copy, ng.stories(copy)[0]["id"], evidence=None)["framing"] == before


def test_story_command_shows_framing_with_evidence(framing_db: Path) -> None:
    story_id = ng.stories(framing_db)[0]["id"]
    result = CliRunner().invoke(app, ["story", story_id[:8], "--db", str(framing_db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "United States" in result.output and "Antagonist" in result.output and "Tehran Daily" in result.output
    result = CliRunner().invoke(app, ["story", story_id, "--db", str(framing_db), "--json"])
    found = json.loads(result.output)
    assert found["id"] == story_id and found["framing"][0]["by_outlet"][0]["evidence"]
    missing = CliRunner().invoke(app, ["story", "nope", "--db", str(framing_db)])
    assert missing.exit_code == 2 and "newsgraph stories" in missing.output and "Traceback" not in missing.output


def test_stories_command_filters(framing_db: Path) -> None:
    run = CliRunner()
    listed = json.loads(run.invoke(app, ["stories", "--db", str(framing_db), "--json", "-q"]).output)
    assert len(listed) == 2
    fa = json.loads(run.invoke(app, ["stories", "--db", str(framing_db), "--json", "-q", "--lang", "fa"]).output)
    assert len(fa) == 1 and "fa" in fa[0]["langs"]
    late = json.loads(run.invoke(app, ["stories", "--db", str(framing_db), "--json", "-q", "--since", "2020-01-10"]).output)
    assert len(late) == 1 and late[0]["first_date"] == "2020-01-24"
    outlet = json.loads(run.invoke(app, ["stories", "--db", str(framing_db), "--json", "-q", "--outlet", "Tehran Daily"]).output)
    assert [s["id"] for s in outlet] == [listed[0]["id"]]
    bad = run.invoke(app, ["stories", "--db", str(framing_db), "--since", "last week"])
    assert bad.exit_code == 2 and "ISO date" in bad.output


def test_exports_stories_story_list_and_framing(framing_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(framing_db), "--out", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    read = lambda name: [json.loads(line) for line in (tmp_path / f"{name}.jsonl").open(encoding="utf-8")]  # noqa: E731
    members = read("stories")
    assert len(members) == 6 and set(members[0]) == {"story_id", "article_id", "score"}
    listing = read("story_list")
    assert {s["id"] for s in listing} == {m["story_id"] for m in members}
    assert {"labels", "first_article_id", "first_date", "last_date", "outlets", "langs"} <= set(listing[0])
    framing = read("framing")
    articles = {a["id"]: a["text"] for a in read("articles")}
    assert {f["actor"] for f in framing} >= {"United States", "Qassem Soleimani"}
    for record in framing:
        assert record["role"] in (*MAIN_ROLES, "mixed") and record["evidence"]
        for e in record["evidence"]:
            assert articles[e["article_id"]][e["start"]:e["end"]] == e["text"]
    help_text = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200"}).output
    assert "story_list" in help_text and "framing" in help_text


def test_a_name_calling_phrase_after_a_possessive_is_not_the_owners() -> None:
    text = "Madagascar's black death outbreak spread"
    start, end = text.index("black"), text.index(" spread")
    assert attached_mention(text, start, end, [_mention(text, "Madagascar")], possessive=False) is None
    assert attached_mention(text, start, end, [_mention(text, "Madagascar")]).text == "Madagascar"


@pytest.mark.parametrize("text, name, label", [
    ("the deposed Saleh", "Saleh", True),
    ("صدام ديكتاتور", "صدام", True),
    ("thousands of emails stolen by Russian spies", "Russian", False),   # a clause, not a label
    ("the greatest leader in Western history", "Western", False),        # words on both sides
])
def test_only_a_short_label_of_a_name_casts_it(text: str, name: str, label: bool) -> None:
    from newsgraph.corpus.framing import is_label_of

    assert is_label_of(text, 0, len(text), _mention(text, name)) is label


@pytest.mark.parametrize("name, term, own", [
    ("جبهه پایداری", "پایداری", True),                   # a party's own name
    ("جنبش مقاومت اسلامی فلسطین", "مقاومت", True),       # Hamas's own name
    ("Islamic Resistance Movement", "Resistance", True),
    ("رژیم صهیونیستی", "رژیم", False),                   # a label: the head noun
    ("the Zionist regime", "regime", False),
])
def test_a_word_of_an_organisations_own_name_is_no_label(name: str, term: str, own: bool) -> None:
    from newsgraph.corpus.framing import in_own_name

    start = name.index(term)
    assert in_own_name(name, start, start + len(term), Mention("a", 0, len(name), name, "ORG")) is own


@pytest.mark.parametrize("text, lang, name, role", [
    ("The occupation of Iraq went on for years.", "en", "Iraq", "Innocent"),
    ("Israel's occupation went on for years.", "en", "Israel", "Antagonist"),
    ("استمر احتلال العراق سنوات.", "ar", "العراق", "Innocent"),
])
def test_the_occupied_is_cast_as_victim_and_the_occupier_as_antagonist(text: str, lang: str, name: str, role: str
                                                                      ) -> None:
    claims = [c for c in claims_for(ng.annotate(text, lang=lang)) if c.kind == "loaded_term"]
    assert [(c.mention_text, c.role) for c in claims] == [(name, role)]


def test_a_conjoined_term_is_a_second_party_not_a_label() -> None:
    text = ("وما زالت طائرات حربية أميركية وطائرات بلا طيار تنفذ ضربات في أفغانستان مستهدفة حركة طالبان ومتطرفين آخرين"
            " حتى بعد انسحاب معظم القوات الاجنبية بنهاية العام الماضي.")  # Asharq al-Awsat, 2015-07-21
    article = ng.annotate(text, lang="ar")
    assert any("طالبان" in m.text for m in article.mentions) and article.loaded_terms  # the case really arises
    assert not [c for c in claims_for(article) if c.kind == "loaded_term" and "طالبان" in c.mention_text]
