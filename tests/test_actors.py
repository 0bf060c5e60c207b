"""actors.py: which people and organisations get a page, and what their pages and the
countries' and topics' panels show."""
from __future__ import annotations

import dataclasses

import random

from briefing.actors import _ranked, entity_url, group_entities
from tests.fixtures_site import ENVOY, fake_site


def _entries():
    return fake_site().entries


def test_only_entities_named_in_enough_articles_get_a_page():
    actors = group_entities(_entries(), 2)
    assert [g.url for g in actors.people] == ["/people/tom-barrack/"]
    assert sorted(g.url for g in actors.organisations) == ["/organisations/front-script/",
                                                           "/organisations/north-oil-company/"]
    assert group_entities(_entries(), 3).people == ()


def test_an_entity_an_editor_lists_gets_a_page_when_named_once():
    entries = list(_entries())
    listed = dataclasses.replace(entries[3], entities=(ENVOY._replace(slug="ana-listed", name="Ana Listed",
                                                                       listed=True),))
    entries[3] = listed
    actors = group_entities(entries, 2)
    assert "/people/ana-listed/" in {g.url for g in actors.people}


def test_a_page_lists_its_articles_newest_first_with_the_sentence_naming_it():
    group = group_entities(_entries(), 2).people[0]
    assert group.articles == ("kirkuk-talks-resume", "iraq-oil-revenue")
    assert group.sentences == (("Negotiators met in the presence of a US envoy.", 1),
                               ("Officials said the talks would resume.", 2))
    assert group.roles == ("US envoy",)
    # Tied by the text to the US; by the articles (both about Iraq) to Iraq.
    assert group.countries == ("US", "IQ")
    assert [c.key for c in group.companions] == ["/organisations/north-oil-company/"]


def test_a_country_panel_lists_those_named_in_two_of_its_articles():
    panels = group_entities(_entries(), 2).panels
    assert [(c.key, c.count) for c in panels["IQ"]] == [("/organisations/north-oil-company/", 2),
                                                         ("/people/tom-barrack/", 2)]
    assert [(c.key, c.count) for c in panels["SY"]] == [("/organisations/front-script/", 2)]
    assert "UA" not in panels       # no one named there
    assert [c.key for c in panels["topic:economy"]] == ["/organisations/north-oil-company/", "/people/tom-barrack/"]


def test_groups_are_reused_while_what_they_show_is_the_same():
    memo: dict = {}
    entries = _entries()
    first = group_entities(entries, 2, memo)
    again = group_entities(entries, 2, memo)
    assert again.people[0] is first.people[0]
    changed = list(entries)
    changed[0] = dataclasses.replace(changed[0], entities=(ENVOY._replace(sentence="Another sentence."),
                                                           *changed[0].entities[1:]))
    third = group_entities(changed, 2, memo)
    assert third.people[0] is not first.people[0]
    assert third.people[0].sentences[0] == ("Another sentence.", 1)
    unchanged = {g.url: g for g in first.organisations}["/organisations/front-script/"]
    assert {g.url: g for g in third.organisations}["/organisations/front-script/"] is unchanged


def test_entity_urls():
    assert entity_url("person", "a-b") == "/people/a-b/"
    assert entity_url("organisation", "un") == "/organisations/un/"


def test_an_edit_naming_the_same_ones_is_brought_up_to_date_and_equals_grouping_afresh():
    memo: dict = {}
    entries = list(_entries())
    group_entities(entries, 2, memo)
    # A sentence edited (the same people named), then the article moved to last place.
    edited = dataclasses.replace(entries[0], entities=(ENVOY._replace(sentence="Edited."), *entries[0].entities[1:]))
    # A role given anew changes what is counted: that group is counted again.
    retitled = dataclasses.replace(edited, entities=(ENVOY._replace(sentence="Edited.", roles=("Ambassador",)),
                                                     *entries[0].entities[1:]))
    steps = [([edited, *entries[1:]], ()), ([*entries[1:], edited], (edited.article.slug,)),
             ([*entries[1:], retitled], ()), ([*entries[1:], edited], ())]
    for step, moved in steps:
        updated = group_entities(step, 2, memo, moved)
        assert updated == group_entities(step, 2), step[0].article.slug
    assert memo["actors"] is updated
    assert updated.people[0].articles == ("iraq-oil-revenue", "kirkuk-talks-resume")
    # Naming someone else is grouped afresh, and still right.
    renamed = dataclasses.replace(edited, entities=(ENVOY._replace(slug="someone-else"),))
    again = [*entries[1:], renamed]
    before = {g.url: g for g in memo["actors"].organisations}
    regrouped = group_entities(again, 2, memo)
    assert regrouped == group_entities(again, 2)
    # ...reusing each group whose articles and what they say of it are the same.
    kept = {g.url: g for g in regrouped.organisations}
    assert kept["/organisations/front-script/"] is before["/organisations/front-script/"]
    # Another order with no mover named: afresh too.
    assert group_entities(entries, 2, memo) == group_entities(entries, 2)


def test_the_first_few_ranked_are_those_a_whole_sort_gives_ties_included():
    rng = random.Random(7)
    for size in (3, 9, 40, 500):
        counts = {f"/people/p{index}/": rng.randint(1, 6) for index in range(size)}
        whole = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        for first in (1, 3, 8, None):
            assert _ranked(counts, first) == whole[:first]


def test_random_moves_and_edits_brought_up_to_date_equal_grouping_afresh():
    # Large groups (each entity named in many articles), one or two articles moving at a
    # time to anywhere in the order, some with a new sentence: the kept groups must be
    # what grouping from scratch makes, order of articles and sentences included.
    rng = random.Random(11)
    template = _entries()[0]
    pool = [ENVOY._replace(slug=f"person-{n}", name=f"Person {n}") for n in range(6)]
    entries = []
    for number in range(60):
        article = dataclasses.replace(template.article, slug=f"article-{number:02}")
        named = tuple(rng.sample(pool, 3))
        entries.append(dataclasses.replace(template, article=article, entities=named))
    memo: dict = {}
    group_entities(entries, 2, memo)
    for step in range(40):
        movers = rng.sample(range(len(entries)), rng.choice((1, 1, 2)))
        moved = [entries[index] for index in movers]
        if step % 3 == 0:
            moved = [dataclasses.replace(entry, entities=tuple(m._replace(sentence=f"Step {step}.")
                                                                for m in entry.entities)) for entry in moved]
        rest = [entry for index, entry in enumerate(entries) if index not in movers]
        for entry in moved:
            rest.insert(rng.randrange(len(rest) + 1), entry)
        entries = rest
        updated = group_entities(entries, 2, memo, [entry.article.slug for entry in moved])
        assert updated == group_entities(entries, 2), step
