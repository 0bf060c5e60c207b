"""An article's paragraphs -> the dates its text states, as Events in reading order.

A date line or the editor gives an article its own date; this stage reads the dates
the text mentions: written out ("4 June, 2019", "Nov. 11, 2025"), without a year
("talks set for June 3"), to the month ("in March 2023") or the year ("since the 2011
uprising"), ranges ("3-5 June", "from 2011 to 2014") and days named relative to the
article ("on Monday", "yesterday", "last year"). What leans on the article's date is
resolved against it, and never guessed when the article has none.

Pure, and cheap enough for every article of a build: one regex scan (each of its
branches opens on a literal character, so the engine skips along the text in C) and
a few str.find calls find the places a date can start: a digit, a capitalised month
or weekday, a relative phrase. An article with none is dismissed there; the finer
patterns run only at those places, in the sentence around them.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from .dates import MONTHS
from .markup import iter_sentence_spans
from .model import Event, EventPrecision

# --- words --------------------------------------------------------------------

# Case matters: news copy capitalises its months and weekdays, and "march", "may"
# and "sun" in lower case are words of another kind.
_MONTH_NUMBER = {name.capitalize(): number for name, number in MONTHS.items()}
# The full names only: an abbreviation ("Mar", "Jan") is a month only beside a number.
_FULL_MONTHS = frozenset(max((name for name in _MONTH_NUMBER if _MONTH_NUMBER[name] == number), key=len)
                         for number in range(1, 13))
_WEEKDAY_NUMBER = {name: number for number, name in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))}

# (precision, how many days, months or years from the article's date)
_RELATIVE = {
    "yesterday": ("day", -1), "last night": ("day", -1), "last evening": ("day", -1),
    "today": ("day", 0), "tonight": ("day", 0), "this morning": ("day", 0),
    "this afternoon": ("day", 0), "this evening": ("day", 0), "tomorrow": ("day", 1),
    "last month": ("month", -1), "this month": ("month", 0), "next month": ("month", 1),
    "last year": ("year", -1), "this year": ("year", 0), "next year": ("year", 1),
}

# Words that make a bare month name a date: "in May", "since June", "last March".
_MONTH_LEADS = frozenset("in since last next this early mid late by until till from during through".split())
# Words that make a weekday a date rather than a habit ("Friday prayers") or a name
# ("the Sunday Times"): "on Monday", "said Tuesday", "late Wednesday".
_WEEKDAY_LEADS = frozenset("on last next this coming since until till by from early late "
                           "said says announced reported added told".split())
_FEAST_DAYS = frozenset("black good bloody palm easter holy ash super cyber maundy".split())
_SPEECH = frozenset("said says announced reported added told stated".split())
# A four-digit number after these is a label or a count, not a year: "Resolution 2254",
# "Vision 2030", "more than 2000".
_NOT_YEAR_AFTER = frozenset(
    "resolution resolutions res unscr no nos number num article articles flight flights route "
    "page pages vision agenda decree highway road room item code paragraph clause section chapter "
    "unit platoon bus train line apartment building plot box model version ref reference pp p "
    "than least nearly almost approximately roughly some about over estimated".split())
_CURRENCY = "$€£¥₪#"
_SPACE_OR_HYPHEN = " \u00a0\t\n-"
_PUNCTUATION = ".,;:()[]\"'“”‘’-"

# --- patterns -----------------------------------------------------------------


def _literal_first(words: Sequence[str]) -> str:
    """Alternatives grouped by their first letter, each ending at a word's end.

    When every branch opens on a literal character, re skips along the text to those
    characters instead of trying each branch at every position: the difference between
    a scan of some 4 ns a character and one of 40."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    return "|".join(first + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")(?![a-z])"
                    for first, rests in by_first.items())


_CAPITAL_CUES = [*_MONTH_NUMBER, *_WEEKDAY_NUMBER, *(phrase.capitalize() for phrase in _RELATIVE)]
# Where a date may start: a run of digits, or a capitalised month, weekday or relative word.
_CUE = re.compile("|".join(f"{digit}[0-9]*" for digit in "0123456789") + "|" + _literal_first(_CAPITAL_CUES))
_CENTURIES = ("19", "20")
# The lower-case relative phrases, found by their first word ("last ", "today").
_RELATIVE_OPENINGS = tuple(dict.fromkeys(phrase.split()[0] + (" " if " " in phrase else "")
                                         for phrase in _RELATIVE))
_RELATIVE_PHRASE = re.compile("(?:" + "|".join(sorted(_RELATIVE, key=len, reverse=True)) + ")(?![a-z])")
# What follows a number of one or two digits that may be a day: "3 June", "3rd", "3-5", "3 to 5".
_DAY_AHEAD = re.compile(r"(?:st|nd|rd|th)?(?:\s*[-–—]\s*[0-9]|\s+(?:of|to|until|till|through|and)\s+[0-9A-Z]"
                        r"|\s+[ADFJMNOS][a-z])")

_MONTH = "(?:" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")(?![a-z])\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# A day is not the first digits of a larger number: "May 5,000 people" has no date.
_DAY_END = r"(?![0-9]|[.,][0-9])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])" + _ORDINAL + _DAY_END
_QUANTITIES = (
    "people persons troops fighters soldiers militants gunmen civilians children women men families refugees "
    "migrants residents prisoners detainees hostages members workers employees students patients cases deaths "
    "dead casualties victims votes voters seats km kilometers kilometres miles meters metres feet hectares acres "
    "tons tonnes barrels dollars euros pounds riyals dinars dirhams lira liras shekels rials tomans units homes "
    "houses buildings apartments trucks vehicles rockets missiles drones shells tanks jobs hours days weeks "
    "months years times percent bpd megawatts beds schools villages sites targets strikes airstrikes attacks "
    "violations signatures hrs")
# A year is not a quantity, a decade, a percentage, a clock time or the first digits
# of a larger number or range: "2,000 fighters", "the 1990s", "at 1900 GMT", "2000-strong",
# "2000-3000 fighters".
_YEAR = (r"(?:19|20)[0-9]{2}(?![0-9]|[.,\-–—/][0-9]|%|s\b|['’]s\b|-[a-z]|\s+(?:"
         + "|".join(_QUANTITIES.split()) + r"|per ?cent|GMT|UTC|local time)\b)")
# "3-5 June", "3 to 5 June", "between 3 and 5 June".
_DAY_RANGE = r"(?P<link>\s*[-–—]\s*|\s+(?:to|until|till|through|and)\s+)"

_DAY_MONTH = re.compile(
    rf"(?P<day>{_DAY})(?:{_DAY_RANGE}(?P<day2>{_DAY}))?(?:\s+of)?\s+(?P<month>{_MONTH})"
    rf"(?:\s*[-–—]\s*(?P<day3>{_DAY})\s+(?P<month2>{_MONTH}))?"
    rf"(?:,?\s+(?P<year>{_YEAR}))?")
_MONTH_DAY = re.compile(
    rf"(?P<month>{_MONTH})\s+(?P<day>{_DAY})"
    rf"(?:{_DAY_RANGE}(?:(?P<month2>{_MONTH})\s+)?(?P<day2>{_DAY}))?"
    rf"(?:,?\s+(?P<year>{_YEAR}))?")
_MONTH_YEAR = re.compile(
    rf"(?P<month>{_MONTH})(?:\s*(?:[-–—]|\s(?:to|until|till|through)\s)\s*(?P<month2>{_MONTH}))?"
    rf"(?:,|\s+of)?\s+(?P<year>{_YEAR})")
_ISO_DATE = re.compile(r"(?P<year>(?:19|20)[0-9]{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])(?![0-9])")
_YEAR_SPAN = re.compile(rf"(?P<year>(?:19|20)[0-9]{{2}})(?:\s*[-–—]\s*|/)(?P<year2>{_YEAR}|[0-9]{{2}}(?![0-9]))")
_LONE_YEAR = re.compile(_YEAR)

# A weekday right before a written date is part of it: "Tuesday, 4 June".
_BEFORE_A_DATE = re.compile(rf",?\s+(?:the\s+)?(?:{_DAY}|{_MONTH})")
_WEEKDAY_TAIL = re.compile(r"(?:['’]s\b|\s+(?:night|morning|afternoon|evening)\b)")
_NOT_A_WEEKDAY_AFTER = re.compile(
    r"\s+(?:prayers?|sermons?|mass|Times|Telegraph|Express|Mirror|Herald|Post|Tribune|Observer|Mail)\b")
# "March 13 that year": the year is one the text named before, not the article's.
_ANAPHORIC_YEAR = re.compile(r",?\s+(?:of\s+)?(?:that|the same|the following|the next|the previous|"
                             r"the preceding|the prior) year\b")
# What joins two dates so that the first shares the second's year: "March 13 and April 2, 1996".
_JOINED = re.compile(r"\s*(?:,|,?\s*\b(?:and|or|to|until|till|through)\b|[-–—])\s*")
_RANGE_LINK = re.compile(r"\s*(?:[-–—]|\b(?:to|until|till|through)\b)\s*")
_AND = re.compile(r"\s+and\s+")
# Words of a sentence that looks ahead, in lower case, after a space: a literal first
# character, so the engine goes from space to space instead of trying every letter.
_FORWARD = re.compile(
    r" (?:will|won't|won’t|shall|set for|set to|scheduled|slated|is due|are due|was due|were due|"
    r"due on|due in|due by|due for|expected to|expected on|expected in|expected by|plan to|plans to|"
    r"planned for|planned to|next(?! to)|upcoming|forthcoming|coming|is to|are to|going to|to be held|"
    r"later this|later today|later tonight|ahead of)\b")

_UNDATED_NOW = 2026      # no clock in a pure function: the horizon of an undated article's years
_YEARS_AHEAD = 30        # a later "year" is a number ("2150 km" without its unit)
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


# --- mentions -----------------------------------------------------------------

@dataclass(slots=True)
class _Mention:
    """A date read in a sentence, before it is resolved and merged into Events."""

    start: int
    end: int                                # its span in the sentence
    precision: EventPrecision
    date: dt.date | None = None             # None while its year is unknown
    until: dt.date | None = None            # the end of a range
    month: int = 0                          # a date without a year: its month and day (0: month only)
    day: int = 0
    until_month: int = 0
    until_day: int = 0
    modifier: str = ""                      # "last", "next" or "this" before a month or weekday
    anaphoric: bool = False                 # "March 13 that year"
    year_stated: bool = False               # the year is written in the sentence
    reported: bool = False                  # "said on Monday": when it was said, not what comes


class _Sentence:
    """One sentence and what resolving its dates needs: the article's date, and whether
    the sentence looks ahead (asked only when a date depends on it)."""

    __slots__ = ("text", "published", "ceiling", "_forward")

    def __init__(self, text: str, published: dt.date | None):
        self.text = text
        self.published = published
        self.ceiling = (published.year if published else _UNDATED_NOW) + _YEARS_AHEAD
        self._forward: bool | None = None

    @property
    def forward(self) -> bool:
        if self._forward is None:
            lower = " " + self.text.lower()
            self._forward = _FORWARD.search(lower) is not None or "’ll " in lower or "'ll " in lower
        return self._forward

    def word_before(self, position: int) -> str:
        return _word_before(self.text, position)


def _word_before(text: str, position: int) -> str:
    """The word right before `position`, lower case, bare ("mid-May" -> "mid");
    "" when something else is glued to it ("(Monday")."""
    if position == 0 or text[position - 1] not in _SPACE_OR_HYPHEN:
        return ""
    words = text[max(0, position - 24):position].split()
    return words[-1].strip(_PUNCTUATION).lower() if words else ""


def events_in(paragraphs: Sequence[str], published: dt.date | None,
              caption: str | None = None) -> tuple[Event, ...]:
    """Every date the caption (paragraph 0) and paragraphs (1-based) state, in reading
    order: at most one per paragraph, date and precision, and one per sentence and date."""
    texts = (caption or "", *paragraphs)
    # One scan of the whole article: a scan per paragraph costs a call each.
    joined = "\n\n".join(texts)
    cues = _cues(joined, published)
    if not cues:
        return ()
    starts = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 2
    events: list[Event] = []
    index = 0
    while index < len(cues):
        number = bisect.bisect_right(starts, cues[index][0]) - 1
        begin, end = starts[number], starts[number] + len(texts[number])
        here = []
        text = texts[number]
        while index < len(cues) and cues[index][0] < end:
            position, word = cues[index][0] - begin, cues[index][1]
            if word not in _MONTH_NUMBER or _may_read_month(text, position, word):
                here.append((position, word))
            index += 1
        if here:
            events.extend(_paragraph_events(text, number, here, published))
    return tuple(events)


def _cues(text: str, published: dt.date | None) -> list[tuple[int, str]]:
    """Where a date may start, and the word there, in order. Numbers that cannot open one
    ("187 people", "1,500") are dropped here, so a paragraph of quantities is never split
    into sentences."""
    cues = []
    for match in _CUE.finditer(text):
        word = match.group()
        if word[0] <= "9":
            if len(word) <= 2:
                if not _DAY_AHEAD.match(text, match.end()):
                    continue
            elif len(word) != 4 or word[:2] not in _CENTURIES:
                continue
        elif published is None and word not in _MONTH_NUMBER:
            continue    # a weekday or "Yesterday": nothing to count from
        cues.append((match.start(), word))
    if published is not None:
        cues += _relative_cues(text)
        cues.sort()
    return cues


def _may_read_month(text: str, position: int, name: str) -> bool:
    """False where _read_month reads nothing in the sentence around `position` of a
    paragraph's text: most capitalised months (7.5 an article of 9 read) are not dates
    ("May God", "Theresa May"), and dropped before the paragraph is cut into sentences,
    a paragraph with no other cue is not cut at all. Asked of the paragraph, the answer
    errs only towards True: a sentence ends in a stop or quote and whitespace follows
    (the last one ends with the paragraph), so what matches in the sentence matches
    here, and the word before is the same or, at the sentence's start, "". (Not of the
    article's text: there "December 2019\n\n people" is no year.)"""
    return _MONTH_DAY.match(text, position) is not None or _MONTH_YEAR.match(text, position) is not None \
        or (name in _FULL_MONTHS and _word_before(text, position) in _MONTH_LEADS)


def _relative_cues(text: str) -> list[tuple[int, str]]:
    # str.find skips along in C; a regex for these lower-case words would try every space.
    cues = []
    for word in _RELATIVE_OPENINGS:
        at = text.find(word)
        while at >= 0:
            if not (at and text[at - 1].isalpha()):
                phrase = _RELATIVE_PHRASE.match(text, at)
                if phrase:
                    cues.append((at, phrase.group()))
            at = text.find(word, at + 1)
    return cues


def _paragraph_events(text: str, number: int, cues: list[tuple[int, str]],
                      published: dt.date | None) -> list[Event]:
    events: list[Event] = []
    seen: set[tuple[dt.date, str]] = set()
    cue = 0
    for begin, end in iter_sentence_spans(text):
        mine = []
        while cue < len(cues) and cues[cue][0] < end:
            if cues[cue][0] >= begin:
                mine.append((cues[cue][0] - begin, cues[cue][1]))
            cue += 1
        if not mine:
            continue
        sentence = _Sentence(text[begin:end], published)
        for event in _sentence_events(sentence, mine, number):
            if (event.date, event.precision) not in seen:
                seen.add((event.date, event.precision))
                events.append(event)
        if cue == len(cues):
            break
    return events


def _sentence_events(sentence: _Sentence, cues: list[tuple[int, str]], number: int) -> list[Event]:
    mentions: list[_Mention] = []
    taken = 0
    for position, word in cues:
        if position < taken:
            continue    # inside a date already read: the year of "4 June 2019"
        for mention in _read(sentence, position, word):
            mentions.append(mention)
            taken = max(taken, mention.end)
    _resolve_years(sentence, mentions)
    mentions = _merge_ranges(sentence, [m for m in mentions if m.date is not None])
    by_date: dict[dt.date, Event] = {}
    for mention in mentions:
        event = Event(date=mention.date, precision=mention.precision, text=sentence.text, paragraph=number,
                      ahead=_ahead(sentence, mention), end=mention.until)
        kept = by_date.get(event.date)
        if kept is None or _PRECISION_RANK[event.precision] > _PRECISION_RANK[kept.precision]:
            by_date[event.date] = event     # the more precise of two readings of one date
    return list(by_date.values())


# --- reading ------------------------------------------------------------------

def _read(sentence: _Sentence, position: int, word: str) -> list[_Mention]:
    if word[0].isdigit():
        return _read_number(sentence, position, word)
    if word in _MONTH_NUMBER:
        return _read_month(sentence, position, word)
    if word in _WEEKDAY_NUMBER:
        return _read_weekday(sentence, position, word)
    return _read_relative(sentence, position, word)


def _read_number(sentence: _Sentence, position: int, digits: str) -> list[_Mention]:
    text = sentence.text
    if position and (text[position - 1].isalpha() or text[position - 1] in _CURRENCY):
        return []   # a code or a price: "F16", "A320", "$2019"
    if len(digits) <= 2:
        match = _DAY_MONTH.match(text, position)
        return _day_mentions(sentence, match, match["day2"] or match["day3"]) if match else []
    if len(digits) != 4 or digits[:2] not in _CENTURIES:
        return []
    if match := _ISO_DATE.match(text, position):
        date = _date(int(match["year"]), int(match["month"]), int(match["day"]))
        return [_Mention(position, match.end(), "day", date, year_stated=True)] if date else []
    if sentence.word_before(position) in _NOT_YEAR_AFTER:
        return []
    if match := _YEAR_SPAN.match(text, position):
        first, last = int(match["year"]), _full_year(int(match["year"]), match["year2"])
        if first < last <= sentence.ceiling:
            return [_Mention(position, match.end(), "year", dt.date(first, 1, 1), dt.date(last, 1, 1),
                             year_stated=True)]
    if match := _LONE_YEAR.match(text, position):
        year = int(digits)
        if year <= sentence.ceiling:
            return [_Mention(position, match.end(), "year", dt.date(year, 1, 1), year_stated=True)]
    return []


def _full_year(first: int, written: str) -> int:
    """"2011-14" ends in 2014; "1998-02" in 2002."""
    if len(written) == 4:
        return int(written)
    year = first // 100 * 100 + int(written)
    return year if year > first else year + 100


def _read_month(sentence: _Sentence, position: int, name: str) -> list[_Mention]:
    text = sentence.text
    if match := _MONTH_DAY.match(text, position):
        return _day_mentions(sentence, match, match["day2"])
    if match := _MONTH_YEAR.match(text, position):
        year = int(match["year"])
        date = dt.date(year, _MONTH_NUMBER[match["month"].rstrip(".")], 1)
        until = dt.date(year, _MONTH_NUMBER[match["month2"].rstrip(".")], 1) if match["month2"] else None
        if until is not None and until <= date:
            until = None
        return [_Mention(position, match.end(), "month", date, until, year_stated=True)]
    lead = sentence.word_before(position)
    if name not in _FULL_MONTHS or lead not in _MONTH_LEADS:
        return []   # "May God ...", "Theresa May", "the March of ..."
    return [_Mention(position, position + len(name), "month", month=_MONTH_NUMBER[name],
                     modifier=lead if lead in ("last", "next", "this", "since") else "",
                     anaphoric=_ANAPHORIC_YEAR.match(text, position + len(name)) is not None)]


def _day_mentions(sentence: _Sentence, match: re.Match, last_day: str | None) -> list[_Mention]:
    """The day (or days) a "4 June 2019" or "June 3-5" match states, with or without its year."""
    month = _MONTH_NUMBER[match["month"].rstrip(".")]
    day = int(match["day"].rstrip("stndrh"))
    last_month = match["month2"]
    until_month = _MONTH_NUMBER[last_month.rstrip(".")] if last_month else month
    until_day = int(last_day.rstrip("stndrh")) if last_day else 0
    start, end = match.start(), match.end()
    base = _Mention(start, end, "day", month=month, day=day,
                    anaphoric=_ANAPHORIC_YEAR.match(sentence.text, end) is not None,
                    reported=_reported(sentence, start, end))
    if until_day and match["link"] and _AND.fullmatch(match["link"]) \
            and sentence.word_before(start) != "between":
        # "on 3 and 5 June": two days, not the days between them.
        other = _Mention(start, end, "day", month=until_month, day=until_day, anaphoric=base.anaphoric,
                         reported=base.reported)
        mentions = [base, other]
    else:
        base.until_month, base.until_day = (until_month, until_day) if until_day else (0, 0)
        mentions = [base]
    if match["year"]:
        year = int(match["year"])
        return [m for m in mentions if _settle(m, year, stated=True)]
    return mentions


def _read_weekday(sentence: _Sentence, position: int, name: str) -> list[_Mention]:
    text = sentence.text
    end = position + len(name)
    if sentence.published is None or _BEFORE_A_DATE.match(text, end) or _NOT_A_WEEKDAY_AFTER.match(text, end):
        return []
    lead = sentence.word_before(position)
    if lead in _FEAST_DAYS or (lead not in _WEEKDAY_LEADS and not _WEEKDAY_TAIL.match(text, end)):
        return []
    published = sentence.published
    weekday = _WEEKDAY_NUMBER[name]
    back = (published.weekday() - weekday) % 7
    reported = _reported(sentence, position, end)
    if lead == "last":
        date = published - dt.timedelta(days=back or 7)
    elif lead in ("next", "coming") or (_clause_looks_ahead(text, position) and not reported):
        date = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    else:
        date = published - dt.timedelta(days=back)
    return [_Mention(position, end, "day", date, reported=reported)]


# A clause looking ahead to the weekday it ends on: "will meet on", "would resume on",
# "is set to vote on". Only the clause's own words: in wire copy a weekday is nearly
# always a day just gone, and "the next pandemic" or "plans to meet next week" further
# along a sentence do not move "adopted on Tuesday" a week ahead.
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:and|but|while|whereas|after|before|as)\s")
_CLAUSE_AHEAD = re.compile(
    r"\b(?:will|won't|won’t|would|shall|is set to|are set to|set for|scheduled for|is scheduled|"
    r"are scheduled|is due|are due|is expected|are expected|plans? to|is to|are to|going to|"
    r"upcoming|later this)\b")


def _clause_looks_ahead(text: str, position: int, would: bool = True) -> bool:
    """would=False: "would" does not count ("How would you describe it today?" asks of now)."""
    clause = _CLAUSE_BREAK.split(text[max(0, position - 120):position])[-1]
    found = _CLAUSE_AHEAD.search(clause.lower())
    return found is not None and (would or found.group() != "would" or
                                  _CLAUSE_AHEAD.search(clause.lower(), found.end()) is not None)


def _reported(sentence: _Sentence, start: int, end: int) -> bool:
    """"said on Monday it will ...", "on Monday said it will ...": the date is the day it
    was said, whatever the rest of the sentence looks ahead to."""
    lead = sentence.word_before(start)
    if lead in _SPEECH or (lead == "on" and sentence.word_before(start - 3) in _SPEECH):
        return True
    following = sentence.text[end:end + 16].split(None, 1)
    return bool(following) and following[0].strip(",") in _SPEECH


def _read_relative(sentence: _Sentence, position: int, phrase: str) -> list[_Mention]:
    published = sentence.published
    key = phrase.lower()
    if published is None or key not in _RELATIVE:
        return []
    if phrase[0].isupper() and position and sentence.text[:position].strip("\"'“‘(["):
        return []   # "Egypt Today", "USA Today": a title, unless it opens the sentence
    if sentence.word_before(position) == "the":
        return []   # "over the last year": a span of time, not the calendar's
    precision, step = _RELATIVE[key]
    if precision == "day":
        date = published + dt.timedelta(days=step)
    elif precision == "month":
        months = published.year * 12 + published.month - 1 + step
        date = dt.date(months // 12, months % 12 + 1, 1)
    else:
        date = dt.date(published.year + step, 1, 1)
    return [_Mention(position, position + len(phrase), precision, date)]


# --- resolving ----------------------------------------------------------------

def _resolve_years(sentence: _Sentence, mentions: list[_Mention]) -> None:
    """Give each date written without a year its year: from the date it is listed with
    ("March 13 and April 2, 1996"), else from the article's date, else (in an undated
    article) from a year the sentence states; else it stays unresolved and is dropped."""
    for index in range(len(mentions) - 1, -1, -1):
        mention = mentions[index]
        if mention.date is not None:
            continue
        after = mentions[index + 1] if index + 1 < len(mentions) else None
        if after is not None and after.year_stated and after.date is not None \
                and _JOINED.fullmatch(sentence.text, mention.end, after.start):
            _settle(mention, after.date.year, stated=True)
        elif mention.day and _named(sentence, mention):
            continue
        elif mention.anaphoric or sentence.published is None:
            if not mention.modifier:
                year = _stated_year(mentions, index, before_only=mention.anaphoric)
                if year is not None:
                    _settle(mention, year, stated=True)
        else:
            year = _year_near(sentence, mention)
            if year is not None:
                _settle(mention, year, stated=False)


# A month and day with no year used as a name ("the October 7 attack", "the March 14
# alliance", "the June 30 revolution") points at one day of some past year that only
# world knowledge can tell; the article's year would be wrong, so it is not read.
_NAMING = re.compile(r"\W*(?:attacks?|alliance|bloc|camp|coalition|movement|revolution|uprising|"
                     r"massacre|war|agreement|accord|protests?|anniversary|events|forces|decision|"
                     r"declaration|deal|strikes?|raid|offensive|operation|bombings?)\b", re.I)


def _named(sentence: _Sentence, mention: _Mention) -> bool:
    # "the 2nd of April" is a date; "the October 7 ..." with the month first, a name.
    month_first = sentence.text[mention.start:mention.start + 1].isalpha()
    return (month_first and sentence.word_before(mention.start) == "the") or \
        _NAMING.match(sentence.text, mention.end) is not None


def _settle(mention: _Mention, year: int, stated: bool) -> bool:
    """Put the year on a yearless mention; False when the day does not exist that year."""
    mention.date = _date(year, mention.month, mention.day or 1)
    mention.year_stated = stated
    if mention.until_month and mention.date is not None:
        # "30 December - 2 January": the range ends in the next year.
        until_year = year + 1 if mention.until_month < mention.month else year
        mention.until = _date(until_year, mention.until_month, mention.until_day or 1)
        if mention.until is None or mention.until <= mention.date:
            mention.until = None
    return mention.date is not None


def _stated_year(mentions: list[_Mention], index: int, before_only: bool) -> int | None:
    """The year of the nearest mention in the sentence that writes one."""
    around = [(abs(i - index), i > index, m) for i, m in enumerate(mentions)
              if m.year_stated and m.date is not None and (i < index or not before_only)]
    return min(around, key=lambda item: item[:2])[2].date.year if around else None


def _year_near(sentence: _Sentence, mention: _Mention) -> int | None:
    """The year that puts a month (and day) nearest the article's date, on the side the
    sentence's tense and the mention's "last"/"next" point to: of the two candidates
    within twelve months, the later when the sentence looks ahead, else the earlier."""
    published = sentence.published
    precision = mention.precision
    here = _key(published, precision)
    candidates = [(year, date) for year in (published.year - 1, published.year, published.year + 1)
                  if (date := _date(year, mention.month, mention.day or 1)) is not None]
    if mention.modifier == "this":
        chosen = [c for c in candidates if c[0] == published.year]
    elif mention.modifier == "last":
        chosen = [c for c in candidates if _key(c[1], precision) < here][-1:]
    elif mention.modifier == "next":
        chosen = [c for c in candidates if _key(c[1], precision) > here][:1]
    elif mention.modifier == "since":     # "since May": gone by, whatever the sentence looks to
        chosen = [c for c in candidates if _key(c[1], precision) <= here][-1:]
    elif sentence.forward and not mention.reported:
        chosen = [c for c in candidates if _key(c[1], precision) >= here][:1]
    else:
        chosen = [c for c in candidates if _key(c[1], precision) <= here][-1:]
    return chosen[0][0] if chosen else None


def _merge_ranges(sentence: _Sentence, mentions: list[_Mention]) -> list[_Mention]:
    """"from 2011 to 2014", "between March 2011 and June 2014": two dates of one
    precision joined as a range become one mention."""
    merged: list[_Mention] = []
    for mention in mentions:
        if merged and _is_range(sentence, merged[-1], mention):
            merged[-1].until = mention.date
            merged[-1].end = mention.end
        else:
            merged.append(mention)
    return merged


def _is_range(sentence: _Sentence, first: _Mention, second: _Mention) -> bool:
    if first.precision != second.precision or first.until or second.until or second.date <= first.date:
        return False
    if _RANGE_LINK.fullmatch(sentence.text, first.end, second.start):
        return True
    return bool(_AND.fullmatch(sentence.text, first.end, second.start)) \
        and sentence.word_before(first.start) == "between"


def _ahead(sentence: _Sentence, mention: _Mention) -> bool | None:
    """Still to come when the article was written: its end after the article's date at
    its own precision; the same day, month or year only when the sentence looks ahead."""
    published = sentence.published
    if published is None:
        return None
    last, here = _key(mention.until or mention.date, mention.precision), _key(published, mention.precision)
    if last != here:
        return last > here
    if mention.precision == "day":    # "will vote today" is ahead; "adopted today ... next year" is not
        return _clause_looks_ahead(sentence.text, mention.start, would=False) and not mention.reported
    return sentence.forward and not mention.reported


def _key(date: dt.date, precision: str) -> int:
    if precision == "day":
        return date.toordinal()
    if precision == "month":
        return date.year * 12 + date.month
    return date.year


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None     # 30 February, 29 February of a common year
