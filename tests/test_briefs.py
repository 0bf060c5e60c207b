"""Latest developments, the news sentence and timelines, on small Entry values."""
import datetime as dt

from briefing.briefs import (LATEST_FROM, TIMELINE_MAX, iso_date, latest_developments, moments_of,
                             news_sentence, say_when, timeline)


def when(moment) -> str:
    return say_when(moment.date, moment.precision, moment.end)


def iso(moment) -> str:
    return iso_date(moment.date, moment.precision)
from briefing.model import Article, Classification, Entry, Event


def entry(slug: str, date: dt.date | None, events=(), news: str = "", title: str | None = None) -> Entry:
    article = Article(slug=slug, title=title or slug.title(), id=slug, sources=(), body="",
                      path=f"content/articles/{slug}.md", date=date)
    return Entry(article=article, classification=Classification((), (), ()), html="", words=0,
                 headings=(), summary=f"Summary of {slug}.", reading_minutes=1,
                 updated=date or dt.date(2000, 1, 1), url=f"/articles/{slug}/", news=news,
                 events=tuple(events))


def test_news_sentence_is_the_summary_first_sentence_when_an_editor_gave_one():
    assert news_sentence("Talks resumed in Baghdad. More later.", ["Ignored lead."]) == "Talks resumed in Baghdad."


def test_news_sentence_skips_questions_quotes_and_fragments_in_the_lead():
    paragraphs = ["Baghdad -", "What comes next for the talks?",
                  "“We will not yield,” the minister said on the steps of the parliament building.",
                  "Iraq’s parliament approved the budget on Sunday after months of delay over oil revenue."]
    # Only the first three paragraphs are read: the fourth is not the lead.
    assert news_sentence(None, paragraphs) == "Baghdad -"
    paragraphs = ["What comes next?", "Iraq’s parliament approved the budget on Sunday after months "
                  "of delay. Kurdish members walked out."]
    assert news_sentence(None, paragraphs) == "Iraq’s parliament approved the budget on Sunday after months of delay."


def test_news_sentence_is_clipped_at_a_word():
    long = "The council " + "met again and again " * 40 + "today."
    found = news_sentence(None, [long])
    assert len(found) <= 301 and found.endswith("…") and not found[:-1].endswith(" ")


def test_latest_developments_put_dated_articles_first_newest_first_then_undated():
    entries = [entry("undated-a", None), entry("old", dt.date(2024, 1, 2), news="Old news."),
               entry("new", dt.date(2024, 3, 4), news="New news."), entry("undated-b", None)]
    rows = latest_developments(entries, limit=3)
    assert [(r.entry.article.slug, r.date, r.sentence) for r in rows] == [
        ("new", dt.date(2024, 3, 4), "New news."), ("old", dt.date(2024, 1, 2), "Old news."),
        ("undated-a", None, "Summary of undated-a.")]


def test_latest_developments_read_only_a_listing_first_page():
    entries = [entry(f"a{i:02d}", None) for i in range(LATEST_FROM)] + [entry("late", dt.date(2025, 1, 1))]
    assert "late" not in [r.entry.article.slug for r in latest_developments(entries)]


def test_timeline_groups_by_month_oldest_first_and_links_paragraphs():
    events = (Event(dt.date(2024, 6, 3), "day", "Talks are set for 3 June.", 2, True),
              Event(dt.date(2011, 1, 1), "year", "Since the 2011 uprising, little has changed.", 3, False),
              Event(dt.date(2024, 5, 1), "month", "In May, the first convoy crossed.", 0, False))
    periods = timeline([entry("talks", dt.date(2024, 5, 20), events, news="Talks are coming.", title="Talks")])
    assert [(p.label, p.anchor) for p in periods] == [("2011", "2011"), ("May 2024", "2024-05"),
                                                       ("June 2024", "2024-06")]
    may = periods[1].moments
    # The month known only as a month comes before the days of that month.
    assert [(m.precision, m.published, m.url) for m in may] == [
        ("month", False, "/articles/talks/"), ("day", True, "/articles/talks/")]
    june = periods[2].moments[0]
    assert (june.url, june.ahead, june.text) == ("/articles/talks/#p-2", True, "Talks are set for 3 June.")
    assert periods[0].moments[0].url == "/articles/talks/#p-3"


def test_an_undated_article_gives_no_date_of_its_own():
    moments = moments_of(entry("undated", None, (Event(dt.date(2020, 2, 2), "day", "On 2 February 2020 x.", 1, None),)))
    assert [(m.published, m.ahead) for m in moments] == [(False, None)]


def test_a_long_timeline_keeps_the_moments_nearest_the_newest_article():
    events = [Event(dt.date(1950 + i, 1, 1), "year", f"Year {i}.", 1, False) for i in range(50)]
    near = Event(dt.date(2024, 5, 1), "day", "Near.", 2, False)
    periods = timeline([entry("long", dt.date(2024, 5, 2), [*events, near])])
    moments = [m for p in periods for m in p.moments]
    assert len(moments) == TIMELINE_MAX
    assert moments[-1].published and moments[-2].text == "Near."
    assert all(m.date.year >= 1950 + 50 - (TIMELINE_MAX - 2) for m in moments)


def test_when_and_iso_say_a_date_as_precisely_as_it_is_known():
    day = moments_of(entry("x", None, (Event(dt.date(2024, 6, 3), "day", "t", 1, None, dt.date(2024, 6, 5)),)))[0]
    assert when(day) == "3–5 June 2024" and iso(day) == "2024-06-03"
    years = day._replace(precision="year", date=dt.date(2011, 1, 1), end=dt.date(2014, 1, 1))
    assert when(years) == "2011–2014" and iso(years) == "2011"
    month = day._replace(precision="month", end=None)
    assert when(month) == "June 2024" and iso(month) == "2024-06"


def test_an_article_timeline_puts_the_years_it_names_on_one_line():
    from briefing.briefs import article_timeline

    events = (Event(dt.date(1976, 1, 1), "year", "A pact signed in 1976.", 3, False),
              Event(dt.date(2021, 3, 1), "month", "In March 2021 they signed again.", 4, False),
              Event(dt.date(1976, 1, 1), "year", "The 1976 pact again.", 6, False),
              Event(dt.date(1963, 1, 1), "year", "Since 1963.", 2, False),
              Event(dt.date(2011, 1, 1), "year", "From 2011 to 2014.", 5, False, dt.date(2014, 1, 1)))
    periods, years = article_timeline(entry("pact", dt.date(2024, 5, 2), events))
    # Each year once, where it is first named, in order; a range keeps its sentence.
    assert years == [(1963, "/articles/pact/#p-2"), (1976, "/articles/pact/#p-3")]
    assert [(p.label, [m.text for m in p.moments]) for p in periods] == [
        ("2011", ["From 2011 to 2014."]), ("March 2021", ["In March 2021 they signed again."]),
        ("May 2024", ["Summary of pact."])]


def test_a_long_timeline_keeps_what_a_sort_of_every_moment_by_nearness_would():
    # Many moments at the same distances, so ties at the edge decide what is kept.
    import random
    from briefing.briefs import _precision_rank
    rng = random.Random(7)
    for _ in range(30):
        events = tuple(Event(dt.date(2024, 5, 2) + dt.timedelta(days=rng.choice((-40, -3, 0, 3, 9, 40))),
                             rng.choice(("day", "month", "year")), f"S{rng.randrange(5)}.", rng.randrange(1, 4), False)
                       for _ in range(rng.randrange(15, 40)))
        entries = [entry(f"a{i}", dt.date(2024, 5, 2), events[i::3]) for i in range(3)]
        kept = sorted((m for p in timeline(entries) for m in p.moments), key=repr)
        every = [m for e in entries for m in moments_of(e)]
        every.sort(key=lambda m: (abs((m.date - dt.date(2024, 5, 2)).days), _precision_rank(m), m.url, m.text))
        assert kept == sorted(every[:TIMELINE_MAX], key=repr)
