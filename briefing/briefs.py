"""What a briefing page says before its list: the latest developments and the timeline.

Both are pure functions of the entries a page lists, newest first, and read only the
first LATEST_FROM of them: the entries a listing's first page shows. So a page's key
(keys.PageKeys: the fingerprints of the entries on it) already covers its briefing,
and an edited article re-renders the briefings it can appear in and no others.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from .markup import paragraph_id, split_sentences
from .model import Entry, Event

LATEST = 5              # one-line developments at the top of a briefing page
LATEST_FROM = 20        # the entries a briefing reads: a listing's first page (SiteConfig.per_page)
TIMELINE_MAX = 20       # events on one timeline: enough to read in a minute, light on a phone

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


@dataclass(frozen=True)
class Development:
    """One line of "latest developments": an article's date (None: undated), and the
    sentence that carries its news."""

    entry: Entry
    date: dt.date | None
    sentence: str


class Moment(NamedTuple):
    """One event on a timeline: a date a text states, or an article's own date.

    A named tuple, not a frozen dataclass: a 4,000-article build makes some 50,000 of
    them, and a frozen dataclass's __init__ (an object.__setattr__ per field) was
    a third of the time of a timeline."""

    date: dt.date
    precision: str                  # day | month | year
    end: dt.date | None
    text: str                       # the sentence; for an article's own date, its news sentence
    url: str                        # site path: the paragraph it came from, or the article
    title: str                      # the article it came from
    ahead: bool | None              # still to come when written; None when the article is undated
    published: bool                 # the article's own date (from its date line or an editor)


class Period(NamedTuple):
    """The moments of one month ("June 2024"), or of one year for those known only to the year."""

    label: str
    anchor: str                     # "2024-06" or "2011"
    moments: tuple[Moment, ...]


NEWS_MIN_WORDS = 8      # shorter sentences are datelines, greetings or fragments, not news
NEWS_MAX_CHARS = 300
_QUOTES = "\"'“‘«"


def news_sentence(summary: str | None, paragraphs: Sequence[str]) -> str:
    """The sentence that carries an article's news, for a one-line development.

    An editor's summary (or the dump's standfirst) is the paper's own statement of it.
    Else the lead's first full sentence that is not a question (an interview's first
    line) or a quotation (a feature's opening), which is what a wire report's first
    sentence is; else the first sentence there is."""
    if summary:
        return _clip(split_sentences(" ".join(summary.split()))[0] if summary.split() else "")
    first = ""
    for paragraph in paragraphs[:3]:
        for sentence in split_sentences(" ".join(paragraph.split())):
            first = first or sentence
            if len(sentence.split()) >= NEWS_MIN_WORDS and not sentence.endswith("?") \
                    and sentence[0] not in _QUOTES:
                return _clip(sentence)
    return _clip(first)


def _clip(sentence: str) -> str:
    if len(sentence) <= NEWS_MAX_CHARS:
        return sentence
    return sentence[:NEWS_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:—–- ") + "…"


def latest_developments(entries: Sequence[Entry], limit: int = LATEST) -> list[Development]:
    """The newest dated articles first, then undated ones (which a reader must be told
    are undated: their place in the site's order comes from dates their text names)."""
    window = entries[:LATEST_FROM]
    dated = sorted((e for e in window if e.article.date),
                   key=lambda e: (-e.article.date.toordinal(), e.article.title.casefold(), e.article.slug))
    undated = [e for e in window if not e.article.date]
    return [Development(entry=e, date=e.article.date, sentence=e.news or e.summary)
            for e in [*dated, *undated][:limit]]


def moments_of(entry: Entry, memo: dict | None = None) -> tuple[Moment, ...]:
    """An article's own date, then every date its text states, in reading order.

    memo (a renderer keeps one): the moments of each article, made again only for
    another Entry: an article's moments are on every briefing it leads."""
    if memo is not None:
        found = memo.get(entry.article.slug)
        if found is not None and found[0] is entry:
            return found[1]
    made = [_own_moment(entry)] if entry.article.date else []
    made += [_event_moment(entry, event) for event in entry.events]
    moments = tuple(made)
    if memo is not None:
        memo[entry.article.slug] = (entry, moments)
    return moments


def _own_moment(entry: Entry) -> Moment:
    return Moment(entry.article.date, "day", None, entry.news or entry.summary, entry.url, entry.article.title,
                  False, True)


def _event_moment(entry: Entry, event: Event) -> Moment:
    return Moment(event.date, event.precision, event.end, event.text, _where(entry, event), entry.article.title,
                  event.ahead, False)


def _where(entry: Entry, event: Event) -> str:
    """Where an event was read: its paragraph's link; the caption sits at the article's top."""
    return f"{entry.url}#{paragraph_id(event.paragraph)}" if event.paragraph else entry.url


def timeline(entries: Sequence[Entry], limit: int | None = TIMELINE_MAX, memo: dict | None = None) -> list[Period]:
    """The events of the newest LATEST_FROM entries, oldest first, grouped by month (by
    year for dates known only to the year).

    With more than `limit` (None: keep all), the ones kept are those nearest the newest article's date:
    a briefing is about what just happened and what comes next, and the background
    years ("since the 2011 uprising") are the first to go."""
    moments = [moment for entry in entries[:LATEST_FROM] for moment in moments_of(entry, memo)]
    if limit is not None and len(moments) > limit:
        moments = _nearest(moments, limit)
    return periods_of(moments)


def _nearest(moments: list[Moment], limit: int) -> list[Moment]:
    """The `limit` moments nearest the newest article's date; of those as near as the
    last one kept, the most precise, then by link and text. The distances are sorted as
    plain numbers and only the ties at the edge by the rest: a keyed sort of every
    moment was half the time of a briefing's timeline."""
    own = [m.date for m in moments if m.published]
    anchor = (max(own) if own else max(m.date for m in moments)).toordinal()
    distances = [abs(m.date.toordinal() - anchor) for m in moments]
    edge = sorted(distances)[limit - 1]
    kept = [m for m, d in zip(moments, distances) if d < edge]
    tied = [m for m, d in zip(moments, distances) if d == edge]
    if len(kept) + len(tied) > limit:
        tied.sort(key=lambda m: (_precision_rank(m), m.url, m.text))
    return kept + tied[:limit - len(kept)]


def article_timeline(entry: Entry) -> tuple[list[Period], list[tuple[int, str]]]:
    """An article page's own dates: the periods of its dated moments, and the years it
    names only as years, each with where it first does ((year, url) in order).

    The reader has the sentences a year comes from right above: one line of years, each
    a link to its paragraph, says as much as a dozen sentences repeated. Most of an
    article's dates are such years, so only the others are made into moments."""
    dated = [_own_moment(entry)] if entry.article.date else []
    years: dict[int, str] = {}
    for event in entry.events:
        if event.precision == "year" and event.end is None:
            if event.date.year not in years:
                years[event.date.year] = _where(entry, event)
        else:
            dated.append(_event_moment(entry, event))
    return periods_of(dated), sorted(years.items())


def periods_of(moments: list[Moment]) -> list[Period]:
    """The moments oldest first, grouped by month (by year for dates known only to the year)."""
    if not moments:
        return []
    moments.sort(key=_chronological)
    grouped: list[tuple[str, str, list[Moment]]] = []
    for moment in moments:
        anchor, label = _period_of(moment)
        if grouped and grouped[-1][0] == anchor:
            grouped[-1][2].append(moment)
        else:
            grouped.append((anchor, label, [moment]))
    return [Period(label, anchor, tuple(group)) for anchor, label, group in grouped]


_RANK = {"day": 0, "month": 1, "year": 2}


def _precision_rank(moment: Moment) -> int:
    return _RANK.get(moment.precision, 3)


def _chronological(moment: Moment) -> tuple:
    # A year known only as a year comes before its months; a month before its days.
    return (moment.date.year, 0 if moment.precision == "year" else 1, moment.date.month,
            0 if moment.precision == "month" else 1, moment.date.day, not moment.published,
            moment.url, moment.text)


def _period_of(moment: Moment) -> tuple[str, str]:
    if moment.precision == "year":
        return str(moment.date.year), f"{moment.date.year}"
    return f"{moment.date.year}-{moment.date.month:02d}", f"{MONTH_NAMES[moment.date.month - 1]} {moment.date.year}"


def say_when(day: dt.date, precision: str, end: dt.date | None) -> str:
    """A date as a reader says it: "3 June 2024", "June 2024", "2011", and ranges
    ("3–5 June 2024", "2011–2014")."""
    start = _say(day, precision)
    if end is None or end == day:
        return start
    last = _say(end, precision)
    if precision == "day" and (day.year, day.month) == (end.year, end.month):
        return f"{day.day}–{last}"
    return f"{start}–{last}"


def _say(day: dt.date, precision: str) -> str:
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def iso_date(day: dt.date, precision: str) -> str:
    """A date for a <time datetime> or the API: as precise as it is known ("2024-06", "2011")."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
