"""The JSON API files, on the small Site of test_feeds."""
from __future__ import annotations

import json

import pytest
from test_feeds import HOSTILE, PREFIXED, make_site

from briefing.api import articles_json, countries_json, topics_json

MAKERS = [articles_json, countries_json, topics_json]


@pytest.mark.parametrize("make", MAKERS)
def test_json_has_one_sorted_utf8_item_per_line_and_a_trailing_newline(make):
    data = make(make_site())
    value = json.loads(data.decode("utf-8"))
    (name, items), = value.items()
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == f'{{"{name}": [' and lines[-1] == "]}" and data.endswith(b"\n")
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == items
    assert lines[1:-1] == [json.dumps(item, sort_keys=True, ensure_ascii=False) + "," for item in items[:-1]] + \
        [json.dumps(items[-1], sort_keys=True, ensure_ascii=False)]
    assert data == make(make_site())


def test_articles_have_every_field_newest_first():
    articles = json.loads(articles_json(make_site(PREFIXED)))["articles"]
    assert [a["slug"] for a in articles] == ["hostile", "older", "undated"]
    assert articles[0] == {
        "slug": "hostile", "title": HOSTILE, "url": PREFIXED + "/articles/hostile/",
        "date": "2024-03-03", "updated": "2024-03-03", "author": None, "place": None,
        "sources": ["hostile.txt"], "countries": ["IQ", "SY"], "countries_mentioned": [], "topics": ["conflict", "health"],
        "summary": "Summary of hostile & more.",
    }
    assert (articles[1]["date"], articles[1]["countries_mentioned"]) == (None, ["SY"])


def test_countries_have_counts_of_articles_about_and_mentioning():
    assert json.loads(countries_json(make_site()))["countries"] == [
        {"code": "IQ", "slug": "iraq", "name": "Iraq", "url": "/countries/iraq/", "articles": 2, "mentioned": 0},
        {"code": "SY", "slug": "syria", "name": "Syria", "url": "/countries/syria/", "articles": 2, "mentioned": 1},
    ]


def test_topics_keep_taxonomy_order_including_empty_ones():
    topics = json.loads(topics_json(make_site(PREFIXED)))["topics"]
    assert [(t["slug"], t["articles"]) for t in topics] == [("conflict", 2), ("health", 1), ("sport", 0)]
    assert topics[0] == {"slug": "conflict", "name": "Conflict & war", "iptc": "medtop:16000000",
                         "url": PREFIXED + "/topics/conflict/", "articles": 2}


def test_articles_memo_gives_what_a_fresh_build_gives_through_edits_moves_and_removals():
    from dataclasses import replace

    site = make_site()
    memo: dict = {}
    first, older, undated = site.entries
    retitled = replace(older, article=replace(older.article, title="Older, retitled"))
    steps = [
        site.entries,
        (first, retitled, undated),                 # an edit in place
        (first, retitled, undated),                 # nothing changed
        (retitled, first, undated),                 # two articles change places
        (first, undated),                           # one removed
        (first, undated, replace(older, article=replace(older.article, slug="new"))),  # one added
        (first, undated, replace(older, article=replace(older.article, slug="other"))),  # one for another
    ]
    for entries in steps:
        changed = replace(site, entries=entries, by_slug={e.article.slug: e for e in entries})
        assert articles_json(changed, memo) == articles_json(changed), [e.article.slug for e in entries]
    assert set(memo["lines"]) == {"hostile", "undated", "other"}
