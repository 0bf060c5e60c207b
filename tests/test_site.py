import datetime as dt
import re

import pytest

from briefing.markup import render_markdown
from briefing.model import Article, Classification, Country, SiteConfig, Topic
from briefing.site import assemble_site, dates_in, infer_updated, prepare_entry, words

TOPICS = (Topic("armed-conflict", "Armed conflict", "War.", "medtop:16000000"),
          Topic("diplomacy", "Diplomacy", "Talks.", "medtop:11000000"),
          Topic("sports", "Sports", "Games.", "medtop:15000000"))
NAMES = {"IQ": "Iraq", "SY": "Syria", "US": "United States", "BR": "Brazil"}


def country(code):
    return Country(code, NAMES[code].lower().replace(" ", "-"), NAMES[code])


def prepared(slug, body, countries=(), mentioned=(), topics=(), date=None, draft=False, title=None,
             summary=None):
    article = Article(slug=slug, title=title or slug.replace("-", " ").title(), id=slug,
                      sources=("000.txt",), body=body, path=f"content/articles/{slug}.md",
                      date=date, draft=draft, summary=summary)
    rendered = render_markdown(body)
    return prepare_entry(article, Classification(tuple(countries), tuple(mentioned), tuple(topics)),
                         rendered)


WAR = "Militias shelled the border town overnight; artillery and drones struck the refinery."
TALKS = "Envoys met in Geneva for ceasefire negotiations about the border town and the refinery."
FOOTBALL = "The national football team won the cup final after extra time and penalties."


def sample_site():
    items = [
        prepared("iraq-war", WAR, ["IQ"], ["US"], ["armed-conflict"], dt.date(2025, 11, 3)),
        prepared("iraq-talks", TALKS, ["IQ", "US"], [], ["diplomacy"], dt.date(2025, 11, 5)),
        prepared("syria-war", WAR + " " + TALKS, ["SY"], ["IQ"], ["armed-conflict"], dt.date(2025, 11, 4)),
        prepared("iraq-war-2", WAR + " More shelling.", ["IQ"], [], ["armed-conflict", "diplomacy"],
                 dt.date(2025, 11, 1)),
        prepared("brazil-cup", FOOTBALL, ["BR"], [], ["sports"], dt.date(2025, 11, 2)),
        prepared("draft-piece", WAR, ["IQ"], [], ["armed-conflict"], dt.date(2025, 12, 1), draft=True),
    ]
    return assemble_site(SiteConfig(), items, country, TOPICS)


def test_entries_are_newest_first_and_drafts_are_left_out():
    site = sample_site()
    assert [e.article.slug for e in site.entries] == [
        "iraq-talks", "syria-war", "iraq-war", "brazil-cup", "iraq-war-2"]
    assert site.updated == dt.date(2025, 11, 5)


def test_previous_and_next_follow_the_order():
    site = sample_site()
    entry = site.by_slug["syria-war"]
    assert (entry.previous, entry.next) == ("iraq-war", "iraq-talks")
    assert site.entries[0].next is None and site.entries[-1].previous is None


def test_country_groups_separate_about_from_mentioned():
    groups = {g.country.code: g for g in sample_site().countries}
    iraq = groups["IQ"]
    assert iraq.about == ("iraq-talks", "iraq-war", "iraq-war-2")
    assert iraq.mentioned == ("syria-war",)
    assert [(c.key, c.count) for c in iraq.topics] == [("armed-conflict", 2), ("diplomacy", 2)]
    assert [(c.key, c.count) for c in iraq.neighbours] == [("US", 1)]
    # A country only mentioned still gets a group, so every link to it resolves.
    assert groups["US"].about == ("iraq-talks",) and groups["US"].mentioned == ("iraq-war",)
    assert iraq.url == "/countries/iraq/"


def test_countries_sorted_by_name_and_topics_keep_taxonomy_order():
    site = sample_site()
    assert [g.country.name for g in site.countries] == ["Brazil", "Iraq", "Syria", "United States"]
    assert [g.topic.slug for g in site.topics] == ["armed-conflict", "diplomacy", "sports"]
    conflict = site.topics[0]
    assert conflict.articles == ("syria-war", "iraq-war", "iraq-war-2")
    assert [(c.key, c.count) for c in conflict.countries] == [("IQ", 2), ("SY", 1)]


def test_related_articles_share_text_countries_or_topics():
    site = sample_site()
    related = site.by_slug["iraq-war"].related
    assert related[0] == "iraq-war-2"          # same country, topic and text
    assert "brazil-cup" not in related           # shares nothing
    assert 3 <= len(related) <= 5
    assert "iraq-war" not in related


def test_an_article_that_shares_nothing_has_no_related_articles():
    assert sample_site().by_slug["brazil-cup"].related == ()


def test_assembly_is_deterministic():
    assert sample_site() == sample_site()


def test_dates_in_text_in_the_common_news_formats():
    text = "FILED - 02 November 2025, Najaf ... polls on Nov. 11, 2025 and on March 3 2024."
    assert sorted(dates_in(text)) == [dt.date(2024, 3, 3), dt.date(2025, 11, 2), dt.date(2025, 11, 11)]
    assert dates_in("31 February 2025") == []


def test_undated_article_takes_the_latest_date_it_names():
    article = Article(slug="a", title="A", id="a", sources=(), body="", path="a.md",
                      caption="Election day, Nov. 11, 2025. (AP)")
    assert infer_updated(article, "Back on 1 May 2003 ...") == dt.date(2025, 11, 11)


def test_summary_prefers_front_matter():
    item = prepared("x", "Lead sentence here. Second.", summary="Editor's summary.")
    site = assemble_site(SiteConfig(), [item], country, TOPICS)
    assert site.entries[0].summary == "Editor's summary."


def test_a_date_is_not_read_out_of_the_middle_of_a_word():
    assert dates_in("ref x12 March 2025, code 7May 2024") == []
    assert dates_in("a" * 200 + " on 12 March 2025.") == [dt.date(2025, 3, 12)]
    # A year glued to a letter, digit or underscore before it is no year.
    assert dates_in("on 12 Marchx2025, 12 March 12025, 12 March _2025") == []
    assert dates_in("on 12 March 2025x") == []
    assert dates_in("é 12 March 2025") == [dt.date(2025, 3, 12)]


@pytest.mark.parametrize("text", [
    "plain ascii words, and a few: one-two three_four 3rd 2024s",
    "“quoted” — dashed–words… don’t stop",
    "café naïve straße état são paulo İstanbul",
    "x²yz abⅧcd ١٢٣ __init__ abc_def",
])
def test_words_are_the_runs_of_three_letters_or_more(text):
    lower = text.lower()
    assert words(lower) == re.findall(r"[^\W\d_]{3,}", lower)


# --- related articles on a larger set, with the memo the build engine keeps ---

WORDS = ("refinery pipeline drones artillery ceasefire envoy militia border convoy harvest drought "
         "election ballot parliament stadium football vaccine clinic tanker port customs").split()
CODES = ["IQ", "SY", "US", "BR"]


def body(i):
    words = [WORDS[(i * 3 + k) % len(WORDS)] for k in range(6)]
    return " ".join(f"The {w} story {w} again." for w in words) + f" Unique{i}word."


def corpus(n=40):
    return [prepared(f"story-{i:02d}", body(i), [CODES[i % 4]], [CODES[(i + 1) % 4]],
                     [TOPICS[i % 3].slug], dt.date(2025, 1, 1 + i % 28)) for i in range(n)]


def related_of(items, memo=None):
    site = assemble_site(SiteConfig(), items, country, TOPICS, related_memo=memo)
    return {e.article.slug: e.related for e in site.entries}


def test_the_related_memo_gives_what_a_fresh_computation_gives(monkeypatch):
    import briefing.related as related_module

    items = corpus()
    memo: dict = {}
    assert related_of(items, memo) == related_of(items)
    assert all(len(r) == 5 for r in related_of(items).values())
    calls = []
    real = related_module.text_candidates
    monkeypatch.setattr(related_module, "text_candidates", lambda terms: calls.append(1) or real(terms))

    retitled = [prepared("story-05", body(5), ["SY"], ["BR"], ["sports"], dt.date(2025, 1, 6),
                         title="A New Title")] + items[:5] + items[6:]
    assert related_of(retitled, memo) == related_of(retitled)
    assert len(calls) == 1      # only the fresh computation: the memo's candidates were reused

    rewritten = items[:5] + [prepared("story-05", "Football stadium vaccine clinic.", ["BR"], [],
                                      ["sports"], dt.date(2025, 1, 6))] + items[6:]
    assert related_of(rewritten, memo) == related_of(rewritten)

    reclassified = items[:7] + [prepared("story-07", body(7), ["SY", "US"], [],
                                         ["armed-conflict"], dt.date(2025, 1, 8))] + items[8:]
    assert related_of(reclassified, memo) == related_of(reclassified)


def test_an_article_moved_in_the_order_reuses_the_related_memo_whole(monkeypatch):
    """A new title or date moves an article among the others without changing what is
    related to what (unless an article had to be topped up, which depends on the order)."""
    import briefing.related as related_module

    items = corpus()
    memo: dict = {}
    related_of(items, memo)
    calls = []
    real = related_module.rescore
    monkeypatch.setattr(related_module, "rescore", lambda *a: calls.append(1) or real(*a))
    moved = items[:5] + [prepared("story-05", body(5), [CODES[1]], [CODES[2]], [TOPICS[2].slug],
                                  dt.date(2024, 6, 1), title="Moved to the end")] + items[6:]
    assert memo["result"][1] is None      # nothing was topped up in this corpus
    import briefing.site as site_module

    digests = []
    real_digest = site_module.hashlib.blake2b
    monkeypatch.setattr(site_module.hashlib, "blake2b", lambda *a, **k: digests.append(1) or real_digest(*a, **k))
    reused = related_of(moved, memo)
    # Only the order's own digest: no re-sorting and digesting every article's terms
    # and classification to find out that they are all the same.
    assert len(digests) == 1
    assert reused == related_of(moved)
    assert len(calls) == 1                # the fresh computation only


def test_a_title_edit_in_place_reuses_the_last_answer_without_going_over_every_article(monkeypatch):
    import briefing.site as site_module

    items = corpus()
    memo: dict = {}
    related_of(items, memo)
    calls = []
    real = site_module._related_articles
    monkeypatch.setattr(site_module, "_related_articles", lambda *a: calls.append(1) or real(*a))
    # story-05 keeps its place: same date, and its new title sorts as its old one did.
    retitled = items[:5] + [prepared("story-05", body(5), [CODES[1]], [CODES[2]], [TOPICS[2].slug],
                                     dt.date(2025, 1, 6), title="Story 05 with more words")] + items[6:]
    assert related_of(retitled, memo) == related_of(retitled)
    assert len(calls) == 1      # only the fresh computation
    reclassified = items[:5] + [prepared("story-05", body(5), ["SY", "US"], [], ["armed-conflict"],
                                         dt.date(2025, 1, 6))] + items[6:]
    assert related_of(reclassified, memo) == related_of(reclassified)
    assert len(calls) == 3      # a new classification is worked out again, with and without the memo


def test_a_site_made_from_the_last_one_equals_one_made_afresh_through_a_run_of_edits(monkeypatch):
    """serve's memos let assemble_site place again only what an edit touched; after every
    kind of edit the site must be the one a fresh assembly makes, and in-place edits
    (titles, bodies, classifications) must take that way."""
    import random

    import briefing.site as site_module

    taken = []
    real = site_module._reassemble
    monkeypatch.setattr(site_module, "_reassemble", lambda *a: taken.append(real(*a)) or taken[-1])
    items = corpus(60)
    memos = ({}, {}, {})
    choose = random.Random(7)

    def edit(i, **change):
        old = items[i].entry
        spec = dict(slug=old.article.slug, body=body(i), countries=old.classification.countries,
                    mentioned=old.classification.countries_mentioned, topics=old.classification.topics,
                    date=old.article.date, title=old.article.title)
        spec.update(change)
        items[i] = prepared(spec.pop("slug"), spec.pop("body"), **spec)

    for step in range(40):
        i = choose.randrange(len(items))
        kind = step % 8
        if kind in (0, 1):      # a title edit that keeps its place: only its ending changes
            edit(i, title=items[i].entry.article.title + " again")
        elif kind == 2:         # a new body: other articles' related lists change
            edit(i, body=body(choose.randrange(1000)) + " Football stadium vaccine clinic.")
        elif kind == 3:         # a new classification
            edit(i, countries=[choose.choice(CODES)], topics=[TOPICS[choose.randrange(3)].slug])
        elif kind == 4:         # a new date: it moves
            edit(i, date=dt.date(2025, 2, 1 + choose.randrange(27)))
        elif kind == 5:         # a draft, or published again
            old = items[i].entry.article
            items[i] = prepared(old.slug, body(i), old_codes(items[i]), (), items[i].entry.classification.topics,
                                old.date, draft=not old.draft, title=old.title)
        elif kind == 6:         # a title that moves it to the end of its day
            edit(i, title="Zz " + items[i].entry.article.title)
        elif step % 16 == 7:    # the newest article, a day newer: it stays first, the site's date moves
            newest = max(range(len(items)), key=lambda k: (items[k].entry.updated, not items[k].entry.article.draft))
            edit(newest, date=items[newest].entry.updated + dt.timedelta(days=1))
        else:                   # another article: one added
            items.append(prepared(f"added-{step}", body(step + 100), [choose.choice(CODES)], [],
                                  [TOPICS[step % 3].slug], dt.date(2025, 1, 1 + step % 28)))
        remembered = assemble_site(SiteConfig(), items, country, TOPICS, related_memo=memos[0],
                                   entry_memo=memos[1], group_memo=memos[2])
        afresh = assemble_site(SiteConfig(), items, country, TOPICS)
        assert remembered == afresh, (step, kind)
        assert remembered.by_slug == afresh.by_slug, (step, kind)
    assert sum(site is not None for site in taken) >= 10     # the in-place edits took the short way


def old_codes(item):
    return item.entry.classification.countries
