"""A small fake Site built straight from the model dataclasses, for tests of the
page side (render, feeds, api, link checks) without classification or site.py.

    from tests.fixtures_site import fake_site
    site = fake_site(base_url="https://example.org/sub", per_page=2)

Nine articles (one undated and unclassified, one with headings, one whose title,
caption, summary and body carry hostile HTML), six countries (one only ever
mentioned), six topics (one without any article), a person and two organisations
with a page (one with hostile HTML in its name).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from briefing.actors import group_entities
from briefing.briefs import news_sentence
from briefing.entities import Mention
from briefing.events import events_in
from briefing.markup import reading_minutes, render_markdown
from briefing.model import (Article, Classification, Count, Country, CountryGroup, Entry,
                            Site, SiteConfig, Topic, TopicGroup)

HOSTILE_SLUG = "ceasefire-holds-in-idlib"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

COUNTRIES = {
    "BR": Country("BR", "brazil", "Brazil"),
    "IQ": Country("IQ", "iraq", "Iraq"),
    "SY": Country("SY", "syria", "Syria"),
    "TR": Country("TR", "turkiye", "Türkiye"),
    "UA": Country("UA", "ukraine", "Ukraine"),
    "US": Country("US", "united-states", "United States"),
}

TOPICS = (
    Topic("armed-conflict", "Armed conflict", "Wars, insurgencies, attacks and ceasefires.",
          "medtop:16000000"),
    Topic("diplomacy", "Diplomacy", "Negotiations, summits, treaties and foreign relations.",
          "medtop:11000000"),
    Topic("economy", "Economy", "Trade, energy, budgets, markets and livelihoods.", "medtop:04000000"),
    Topic("humanitarian", "Humanitarian aid", "Relief, refugees, displacement and famine.",
          "medtop:14000000"),
    Topic("elections", "Elections", "Votes, campaigns and their results.", "medtop:11000019"),
    Topic("sports", "Sports", "Competitions and athletes.", "medtop:15000000"),
)


@dataclass(frozen=True)
class _Spec:
    slug: str
    title: str
    date: dt.date | None
    about: tuple[str, ...]
    mentioned: tuple[str, ...]
    topics: tuple[str, ...]
    body: str
    related: tuple[str, ...]
    caption: str | None = None
    summary: str | None = None
    sources: tuple[str, ...] = ("000_7752e62acdcbb6a0.txt",)
    entities: tuple[Mention, ...] = ()


def _named(name: str, kind: str, paragraph: int, surface: str, sentence: str, slug: str = "",
           roles: tuple[str, ...] = (), countries: tuple[str, ...] = ()) -> Mention:
    return Mention(slug=slug or name.lower().replace(" ", "-"), name=name, kind=kind, roles=roles,  # type: ignore[arg-type]
                   countries=countries, category="", paragraph=paragraph, surface=surface, sentence=sentence,
                   mentions=1, listed=False)


# People and organisations: the envoy and the company are each named in two articles (a page
# each); the hostile one in two as well, so its name must show as text everywhere.
ENVOY = _named("Tom Barrack", "person", 1, "US envoy", "Negotiators met in the presence of a US envoy.",
               roles=("US envoy",), countries=("US",))
HOSTILE_ORG = _named(f"Front {SCRIPT}", "organisation", 1, "ceasefire", "A ceasefire held for a third day.",
                     slug="front-script")


_LONG = ("Officials said the talks would resume after the holiday, and that technical teams "
         "would meet before then to settle the remaining questions about the border crossings, "
         "the payment of salaries and the return of displaced families. ")

SPECS = (
    _Spec("kirkuk-talks-resume", "Baghdad and Erbil resume talks on Kirkuk oil exports",
          dt.date(2025, 11, 5), ("IQ", "US"), ("TR",), ("diplomacy", "economy"),
          "Negotiators from Baghdad and Erbil met in the presence of a US envoy to restart "
          "exports through the Kirkuk pipeline to the Turkish port of Ceyhan.\n\n"
          "Exports have been halted since March 2023. The two sides will meet again on "
          "November 20, the envoy said on Monday.\n\n" + _LONG * 3,
          ("iraq-oil-revenue", "iraq-election-count", "ukraine-grain-exports"),
          caption="The Kirkuk–Ceyhan pipeline near Kirkuk, 3 November 2025",
          entities=(ENVOY, _named("North Oil Company", "organisation", 0, "", "Exports have been halted."))),
    _Spec(HOSTILE_SLUG, f"Ceasefire {SCRIPT} holds in Idlib {IMG}",
          dt.date(2025, 11, 4), ("SY",), (), ("armed-conflict",),
          f"A ceasefire held for a third day. A dump once carried {SCRIPT} and {IMG} "
          "in its text, which must show as text.\n\n" + _LONG,
          ("syria-aid-convoy", "ukraine-front-line", "kirkuk-talks-resume"),
          caption=f"Caption with {IMG} & {SCRIPT}",
          summary=f"Summary with {SCRIPT} and {IMG} & an ampersand, \"quotes\" and </script>.",
          entities=(HOSTILE_ORG,)),
    _Spec("syria-aid-convoy", "First UN aid convoy in months reaches northern Syria",
          dt.date(2025, 11, 3), ("SY",), ("IQ", "TR"), ("humanitarian", "armed-conflict"),
          "Forty trucks crossed from Türkiye carrying food and medicine. Aid agencies warned "
          "that needs in camps along the Iraqi border remain far larger.\n\n" + _LONG * 2,
          (HOSTILE_SLUG, "iraq-oil-revenue", "ukraine-grain-exports"),
          entities=(HOSTILE_ORG._replace(paragraph=1, surface="Aid agencies", sentence=f"Aid agencies {SCRIPT} warned."),)),
    _Spec("ukraine-grain-exports", "Ukraine's grain exports recover despite port strikes",
          dt.date(2025, 11, 2), ("UA",), ("TR",), ("economy",),
          "Shipments through the Black Sea corridor rose for a second month, traders said, "
          "even as drones struck port infrastructure in Odesa.\n\n" + _LONG * 4,
          ("ukraine-front-line", "iraq-oil-revenue", "kirkuk-talks-resume")),
    _Spec("iraq-oil-revenue", "Iraq's oil revenue falls as prices slide",
          dt.date(2025, 11, 1), ("IQ",), (), ("economy",),
          "Revenue from crude sales fell for the third month in a row, squeezing a budget that "
          "pays millions of public salaries.\n\n" + _LONG * 2,
          ("kirkuk-talks-resume", "ukraine-grain-exports", "iraq-election-count"),
          entities=(ENVOY._replace(paragraph=2, surface="Officials", sentence="Officials said the talks would resume."),
                    _named("North Oil Company", "organisation", 0, "", "Crude sales fell."))),
    _Spec("ukraine-front-line", "Along the front line, a winter of drones",
          dt.date(2025, 10, 30), ("UA",), (), ("armed-conflict",),
          "Soldiers describe a front where drones decide who moves and when.\n\n"
          "## The trenches\n\n" + _LONG * 2 + "\n\n## The towns behind\n\n" + _LONG
          + "\n\n- Power cuts every evening\n- Schools teaching underground\n\n"
          "## What comes next\n\n" + _LONG,
          ("ukraine-grain-exports", HOSTILE_SLUG, "syria-aid-convoy"),
          caption="A drone operator at a position near Pokrovsk"),
    _Spec("brazil-climate-summit", "Brazil hosts climate talks at the edge of the Amazon",
          dt.date(2025, 10, 28), ("BR",), ("US",), ("diplomacy",),
          "Delegates arrived in Belém for two weeks of negotiations on forests and finance.\n\n"
          + _LONG,
          ("kirkuk-talks-resume", "ukraine-grain-exports", "iraq-oil-revenue")),
    _Spec("iraq-election-count", "Iraq counts the votes of a quiet election",
          dt.date(2025, 10, 20), ("IQ",), ("US",), ("elections",),
          "Turnout was lower than four years ago, the electoral commission said.\n\n" + _LONG,
          ("iraq-oil-revenue", "kirkuk-talks-resume", "brazil-climate-summit")),
    _Spec("letters-between-leaders", "Alliances, conspiracies and the letters between two leaders",
          None, (), (), (),
          "The relationship between the two capitals was both complicated and intertwined.\n\n"
          + _LONG * 2,
          ("kirkuk-talks-resume", "syria-aid-convoy", "iraq-election-count"),
          sources=("002_86cb71f0a70a661f.txt", "000_7752e62acdcbb6a0.txt")),
)

FALLBACK_DATE = dt.date(2000, 1, 1)


def _entry(spec: _Spec, previous: str | None, next_: str | None) -> Entry:
    article = Article(slug=spec.slug, title=spec.title, id=spec.slug, sources=spec.sources,
                      body=spec.body, path=f"content/articles/{spec.slug}.md", caption=spec.caption,
                      date=spec.date, summary=spec.summary)
    rendered = render_markdown(spec.body)
    return Entry(article=article,
                 classification=Classification(spec.about, tuple(sorted(spec.mentioned)), spec.topics),
                 html=rendered.html, words=rendered.words, headings=rendered.headings,
                 summary=spec.summary or rendered.lead, reading_minutes=reading_minutes(rendered.words),
                 updated=spec.date or FALLBACK_DATE, url=f"/articles/{spec.slug}/",
                 news=news_sentence(spec.summary, rendered.paragraphs),
                 events=events_in(rendered.paragraphs, spec.date, spec.caption), entities=spec.entities,
                 related=spec.related, previous=previous, next=next_)


def _ranked(counter: Counter) -> tuple[Count, ...]:
    return tuple(Count(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def fake_site(base_url: str = "", per_page: int = 20, title: str = "The Briefing") -> Site:
    slugs = [spec.slug for spec in SPECS]    # SPECS are newest first
    entries = tuple(_entry(spec, slugs[i + 1] if i + 1 < len(slugs) else None,
                           slugs[i - 1] if i else None) for i, spec in enumerate(SPECS))
    countries = []
    for code, country in COUNTRIES.items():
        about = [e for e in entries if code in e.classification.countries]
        mentioned = [e.article.slug for e in entries if code in e.classification.countries_mentioned]
        countries.append(CountryGroup(
            country=country, url=f"/countries/{country.slug}/",
            about=tuple(e.article.slug for e in about), mentioned=tuple(mentioned),
            topics=_ranked(Counter(t for e in about for t in e.classification.topics)),
            neighbours=_ranked(Counter(c for e in about for c in e.classification.countries
                                       if c != code))))
    topics = []
    for topic in TOPICS:
        members = [e for e in entries if topic.slug in e.classification.topics]
        topics.append(TopicGroup(
            topic=topic, url=f"/topics/{topic.slug}/",
            articles=tuple(e.article.slug for e in members),
            countries=_ranked(Counter(c for e in members for c in e.classification.countries))))
    actors = group_entities(entries, 2)
    return Site(config=SiteConfig(title=title, base_url=base_url, per_page=per_page),
                entries=entries,
                countries=tuple(sorted(countries, key=lambda g: g.country.name.casefold())),
                topics=tuple(topics), updated=max(e.updated for e in entries),
                by_slug={e.article.slug: e for e in entries},
                people=actors.people, organisations=actors.organisations, actors=actors.panels)
