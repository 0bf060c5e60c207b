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
        "summary": "Summary of hostile & more.", "news": "", "events": [], "people": [], "organisations": [],
    }
    assert (articles[1]["date"], articles[1]["countries_mentioned"]) == (None, ["SY"])


def test_articles_list_the_dates_their_text_states_with_where_and_whether_ahead():
    import datetime as dt
    from dataclasses import replace

    from briefing.model import Event

    site = make_site(PREFIXED)
    events = (Event(dt.date(2024, 6, 3), "day", "Talks are set for 3-5 June.", 2, True, dt.date(2024, 6, 5)),
              Event(dt.date(2011, 1, 1), "year", "Since 2011 & before.", 0, False))
    first = replace(site.entries[0], events=events, news="Talks resume.")
    entries = (first, *site.entries[1:])
    site = replace(site, entries=entries, by_slug={e.article.slug: e for e in entries})
    article = json.loads(articles_json(site))["articles"][0]
    assert article["news"] == "Talks resume."
    assert article["events"] == [
        {"date": "2024-06-03", "end": "2024-06-05", "precision": "day", "text": "Talks are set for 3-5 June.",
         "anchor": "p-2", "ahead": True},
        {"date": "2011", "end": None, "precision": "year", "text": "Since 2011 & before.",
         "anchor": None, "ahead": False}]


def test_countries_have_counts_latest_developments_and_key_facts():
    countries = json.loads(countries_json(make_site()))["countries"]
    assert [{k: c[k] for k in ("code", "slug", "name", "url", "articles", "mentioned")} for c in countries] == [
        {"code": "IQ", "slug": "iraq", "name": "Iraq", "url": "/countries/iraq/", "articles": 2, "mentioned": 0},
        {"code": "SY", "slug": "syria", "name": "Syria", "url": "/countries/syria/", "articles": 2, "mentioned": 1},
    ]
    iraq = countries[0]
    # Dated articles first, newest first; the news sentence falls back to the summary.
    assert [(row["slug"], row["date"]) for row in iraq["latest"]] == [("hostile", "2024-03-03"), ("older", None)]
    assert iraq["latest"][0]["url"] == "/articles/hostile/" and iraq["latest"][0]["news"]
    assert iraq["facts"]["capital"] == "Baghdad" and iraq["facts"]["population"] > 1_000_000
    assert iraq["facts"]["subregion"] == "Western Asia" and "countryinfo" in iraq["facts"]["source"]


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


def test_people_and_organisations_with_their_articles_and_each_article_names_its_own():
    from briefing.api import entities_json
    from tests.fixtures_site import fake_site

    site = fake_site(base_url="https://example.org")
    people = json.loads(entities_json(site, "person"))["people"]
    assert people == [{"slug": "tom-barrack", "name": "Tom Barrack", "url": "https://example.org/people/tom-barrack/",
                       "roles": ["US envoy"], "countries": ["US", "IQ"],
                       "articles": ["kirkuk-talks-resume", "iraq-oil-revenue"]}]
    organisations = json.loads(entities_json(site, "organisation"))["organisations"]
    assert [o["slug"] for o in organisations] == ["front-script", "north-oil-company"]
    assert all("type" in o for o in organisations)
    articles = {a["slug"]: a for a in json.loads(articles_json(site))["articles"]}
    assert articles["kirkuk-talks-resume"]["people"] == ["tom-barrack"]
    assert articles["kirkuk-talks-resume"]["organisations"] == ["north-oil-company"]
