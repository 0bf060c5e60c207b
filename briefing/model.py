"""The plain values passed between stages. No I/O, no behaviour beyond formatting.

The flow (see README): dumps -> RawArticle -> content file -> Article
-> Classification -> Site -> output/. Every value is frozen: a stage makes a new
value with `dataclasses.replace` rather than editing the one it was given.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    import numpy as np


class BuildError(Exception):
    """A problem the user must fix; carries the file (and line) it is about.

    The CLI prints str(error) and exits 1, never a traceback.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)

    def __reduce__(self):
        # Keep path and line when the error crosses a process boundary.
        return (BuildError, (self.message, self.path, self.line))


@dataclass(frozen=True)
class Diagnostic:
    """A warning: the stage went on, but the user should look. `--strict` fails on any."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)


def format_location(path: str | None, line: int | None, message: str) -> str:
    if path and line:
        return f"{path}:{line}: {message}"
    if path:
        return f"{path}: {message}"
    return message


# --- ingest -----------------------------------------------------------------

BlockKind = Literal["paragraph", "heading", "list", "question"]


@dataclass(frozen=True)
class Block:
    """One piece of an article body, as the dump gave it (text is verbatim)."""

    kind: BlockKind
    text: str = ""                  # paragraph, heading, and an interview's question
    items: tuple[str, ...] = ()     # list: one string per `+ ` item


@dataclass(frozen=True)
class RawArticle:
    """An article as parsed out of one dump, before dedup."""

    title: str
    caption: str | None
    blocks: tuple[Block, ...]
    source: str                     # dump file name, e.g. "000_7752e62acdcbb6a0.txt"
    line: int                       # 1-based line of the title in that dump
    date: dt.date | None = None     # only when the text states the article's own date
    byline: str | None = None       # as the dump wrote it
    truncated: bool = False         # last paragraph cut off mid-sentence
    layout: str = "seeds"           # the page layout it was found in (layouts.LAYOUTS)
    author: str | None = None       # a person named by the byline, never the paper or a wire
    place: str | None = None        # where the byline says it was filed from
    standfirst: str | None = None   # the one-sentence summary under the title


# --- content ----------------------------------------------------------------

@dataclass(frozen=True)
class Article:
    """An article as loaded from content/articles/<slug>.md (editors own these)."""

    slug: str
    title: str
    id: str
    sources: tuple[str, ...]
    body: str                       # markdown, front matter removed
    path: str                       # e.g. "content/articles/foo.md", for messages
    caption: str | None = None
    date: dt.date | None = None
    summary: str | None = None
    draft: bool = False
    author: str | None = None       # a person; None for the paper's own or wire reports
    place: str | None = None        # where it was filed from, as the byline says
    # Editor overrides. None means "not set": the computed value stands.
    countries: tuple[str, ...] | None = None
    topics: tuple[str, ...] | None = None
    exclude_countries: tuple[str, ...] = ()
    exclude_topics: tuple[str, ...] = ()


# --- classification ---------------------------------------------------------

@dataclass(frozen=True)
class Country:
    code: str                       # ISO 3166-1 alpha-2, e.g. "IQ"
    slug: str                       # e.g. "iraq"
    name: str                       # common English name, e.g. "Iraq"


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    iptc: str                       # e.g. "medtop:16000000"


@dataclass(frozen=True)
class Classification:
    countries: tuple[str, ...]            # alpha-2 codes the article is about, strongest first
    countries_mentioned: tuple[str, ...]  # alpha-2 codes only mentioned, sorted
    topics: tuple[str, ...]               # topic slugs, strongest first


# --- site -------------------------------------------------------------------

# Undated articles with no date in their text sort last and use this in feeds;
# a fixed value keeps builds reproducible (never the clock).
FALLBACK_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


EventPrecision = Literal["day", "month", "year"]


class Event(NamedTuple):
    """A date an article's text states, with the sentence that states it (events.py).

    Only a date line or the editor gives an article its own date; an event is a date
    the text mentions, and is never shown as the article's date.

    A named tuple, not a frozen dataclass: an article has a dozen, made in every build
    that prepares it and pickled three times (its key, the way back from a worker, the
    cache), and a tuple is made and pickled in a fraction of the time."""

    date: dt.date                   # the first day of the month or year when less precise
    precision: EventPrecision
    text: str                       # the sentence that states it, plain text
    paragraph: int                  # 1-based: the paragraph with anchor "p-<n>"; 0 = the caption
    ahead: bool | None              # still to come when the article was written; None: article undated
    end: dt.date | None = None      # the last day of a range ("3-5 June"), same precision


@dataclass(frozen=True)
class Entry:
    """An article placed in the site: everything a page about it needs."""

    article: Article
    classification: Classification
    html: str                       # rendered body (safe HTML from markdown-it)
    words: int                      # words in the body
    headings: tuple[Heading, ...]
    summary: str                    # front matter summary, else the lead cut at a sentence
    reading_minutes: int
    updated: dt.date                # article.date, else the latest date its text names
    url: str                        # site path, "/articles/<slug>/"
    news: str = ""                  # the sentence that carries its news (briefs.news_sentence)
    events: tuple[Event, ...] = ()  # the dates its caption and text state, in reading order
    entities: tuple = ()            # entities.Mention: the people and organisations it names, first named first
    related: tuple[str, ...] = ()   # slugs, best first
    previous: str | None = None     # slug of the next-older article
    next: str | None = None         # slug of the next-newer article


@dataclass(frozen=True)
class Count:
    """A labelled count in a grouping, e.g. ("IQ", 4) for "Iraq: 4 articles"."""

    key: str
    count: int


@dataclass(frozen=True)
class CountryGroup:
    country: Country
    url: str                                  # "/countries/<slug>/"
    about: tuple[str, ...]                    # entry slugs, newest first
    mentioned: tuple[str, ...]                # entry slugs that only mention it, newest first
    topics: tuple[Count, ...]                 # topic slug counts over `about`, most first
    neighbours: tuple[Count, ...]             # other country codes covered with it, most first


@dataclass(frozen=True)
class TopicGroup:
    topic: Topic
    url: str                                  # "/topics/<slug>/"
    articles: tuple[str, ...]                 # entry slugs, newest first
    countries: tuple[Count, ...]              # country codes, most first


EntityKind = Literal["person", "organisation"]


@dataclass(frozen=True)
class EntityGroup:
    """A person or organisation with a page: what the articles naming it say of it."""

    kind: EntityKind
    slug: str
    name: str
    url: str                                  # "/people/<slug>/" or "/organisations/<slug>/"
    category: str                             # an organisation's type, as an editor gave it ("" if none)
    roles: tuple[str, ...]                    # as the articles give them, most often first
    countries: tuple[str, ...]                # alpha-2 codes it is tied to, strongest first
    articles: tuple[str, ...]                 # entry slugs, newest first
    sentences: tuple[tuple[str, int], ...]    # per article (same order): (sentence naming it, paragraph)
    companions: tuple[Count, ...]             # urls of the others named with it most often, most first
    listed: bool = False                      # named in content/entities.yaml


@dataclass(frozen=True)
class SiteConfig:
    title: str = "The Briefing"
    description: str = "A curated briefing on world news, by country and topic."
    language: str = "en"
    base_url: str = ""              # "" = links from the domain root; may carry a path prefix
    per_page: int = 20


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    entries: tuple[Entry, ...]                # newest first; drafts excluded
    countries: tuple[CountryGroup, ...]       # every country with at least one article, by name
    topics: tuple[TopicGroup, ...]            # every topic of the taxonomy, taxonomy order
    updated: dt.date                          # newest entry's `updated`
    people: tuple[EntityGroup, ...] = ()      # those with a page, most named first
    organisations: tuple[EntityGroup, ...] = ()
    # The key people and organisations of a country (by its code) or topic ("topic:<slug>"):
    # their pages' urls, with the articles about it naming each, most first (actors.py).
    actors: dict[str, tuple[Count, ...]] = field(default_factory=dict, compare=False, hash=False)
    by_slug: dict[str, Entry] = field(default_factory=dict, compare=False, hash=False)


# --- related articles -----------------------------------------------------------

RELATED_MIN, RELATED_MAX = 3, 5   # how many related articles an article page shows


@dataclass(frozen=True)
class Terms:
    """An article's content-word counts: stable 64-bit term ids (ascending) and their counts.

    Kept as bytes, which pickle and unpickle at memcpy speed (a build cache holds
    10,000 of these), and read as numpy arrays without copying.
    """

    id_bytes: bytes                 # uint64 array
    count_bytes: bytes              # uint32 array, same length
    digest: bytes                   # of both: equal digests, equal terms

    @property
    def ids(self) -> "np.ndarray":
        import numpy as np
        return np.frombuffer(self.id_bytes, dtype=np.uint64)

    @property
    def counts(self) -> "np.ndarray":
        import numpy as np
        return np.frombuffer(self.count_bytes, dtype=np.uint32)


@dataclass(frozen=True)
class Candidates:
    """related.text_candidates' answer: for each article (in slug order) the `keep` others
    most similar by text, as int64 indices and float64 cosines (0 = none), row by row.

    Bytes rather than numpy arrays: the build cache keeps it, and unpickling arrays
    would import numpy in every rebuild, most of which never need it."""

    rows: int
    keep: int
    best_bytes: bytes
    value_bytes: bytes
