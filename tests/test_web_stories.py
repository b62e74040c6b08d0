"""The story pages of the workbench (/stories, /story/{id}, their JSON twins) and the story facet in search,
on tests/data/framing/story_corpus.jsonl through the real pipeline, stories and framing stages."""

from __future__ import annotations

import re
import sqlite3
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web import seed_db  # noqa: F401  (the shared fixture)

import newsgraph.api as ng
from newsgraph.web.app import _story_timeline, create_app


@pytest.fixture(scope="module")
def client(framing_db: Path) -> TestClient:
    return TestClient(create_app(framing_db))


def _main_id(db: Path) -> str:
    return ng.stories(db)[0]["id"]


def test_stories_list_labels_counts_and_filters(client: TestClient, framing_db: Path) -> None:
    data = client.get("/api/stories").json()
    assert data["built"] and data["all"] == 2 and data["total"] == 1  # stories of one article hidden by default
    story = data["stories"][0]
    assert set(story["langs"]) == {"en", "ar", "fa"} and story["followers"][0]["lag_days"] == 0
    assert client.get("/api/stories", params={"min_size": 1}).json()["total"] == 2
    assert client.get("/api/stories", params={"lang": "fa"}).json()["total"] == 1
    assert client.get("/api/stories", params={"outlet": "Nobody"}).json()["total"] == 0
    assert client.get("/api/stories", params={"since": "2020-01-10", "min_size": 1}).json()["total"] == 1
    assert client.get("/api/stories", params={"since": "soon"}).status_code == 400
    html = client.get("/stories").text
    for lang, label in story["labels"].items():
        assert f'dir="auto" lang="{lang}"' in html and label["title"] in unescape(html)
    assert "Tehran Daily" in html and "stories-empty" not in html


def test_stories_page_says_how_to_build_them(seed_db: Path) -> None:
    html = TestClient(create_app(seed_db)).get("/stories").text
    assert 'id="stories-empty"' in html and "newsgraph stories --db FILE" in html


def test_story_page_timeline_first_members_and_framing(client: TestClient, framing_db: Path) -> None:
    story_id = _main_id(framing_db)
    data = client.get(f"/api/stories/{story_id}").json()
    assert data["timeline"]["unit"] == "day" and data["timeline"]["columns"] == ["2020-01-03", "2020-01-04"]
    assert sum(r["total"] for r in data["timeline"]["rows"]) == data["size"]
    actors = {a["name"]: a for a in data["framing"]}
    assert actors["United States"]["overall"]["role"] == "Antagonist"
    html = client.get(f"/story/{story_id}").text
    assert 'id="story-timeline"' in html and 'id="followers"' in html and 'id="story-members"' in html
    assert '<th title="2020-01-03">01-03</th>' in html
    links = re.findall(r'class="evidence-link" href="([^"]+)"', html)
    assert len(links) >= 6
    with sqlite3.connect(framing_db) as conn:
        for href in links:
            article_id, start, end = re.match(r"/article/([^?]+)\?at=(\d+)-(\d+)#at", unescape(href)).groups()
            text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
            assert 0 <= int(start) < int(end) <= len(text)
            reader = client.get(unescape(href).split("#")[0])
            assert reader.status_code == 200 and 'id="at"' in reader.text
    assert client.get("/story/nope").status_code == 404
    assert client.get("/api/stories/nope").status_code == 404


def test_search_story_facet(client: TestClient, framing_db: Path) -> None:
    story_id = _main_id(framing_db)
    inside = client.get("/api/search", params={"story": story_id}).json()
    assert inside["total"] == 5 and all(r["story"]["id"] == story_id for r in inside["results"])
    everything = client.get("/api/search").json()
    assert everything["total"] == 6 and sum(r["story"]["id"] == story_id for r in everything["results"]) == 5
    html = client.get("/", params={"q": "Soleimani"}).text
    assert f'href="/story/{story_id}"' in html and "only this story" in html
    assert f'name="story" value="{story_id}"' in client.get("/", params={"story": story_id}).text


def test_timeline_by_week_and_undated() -> None:
    members = [{"date": "2020-01-01", "outlet": "A", "lang": "en"}, {"date": "2020-03-01", "outlet": "B", "lang": "ar"},
               {"date": None, "outlet": "A", "lang": "en"}]
    timeline = _story_timeline(members)
    assert timeline["unit"] == "week" and timeline["columns"][-1] == "undated"
    assert timeline["rows"][0] == {"outlet": "A", "lang": "en", "cells": {"2020-W01": 1, "undated": 1}, "total": 2}
