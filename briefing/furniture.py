"""The lines a scraped page wraps around an article: what each one is, read from its text.

The site's tagline, a date line ("Tuesday, 4 June, 2019 - 09:30"), a byline
("Tangier – Leila Example", "Cairo - Asharq Al-Awsat", "By Layla Hassan",
"Huda al-Husseini (London)"), a columnist's bare name, a photo caption with its
credit ("... (Reuters)"), a headline. Pure functions of one line each; the dump
parser (dumps.py, layouts.py) decides from them where an article starts.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .dates import dates_in

CLOSERS = "\"'”’»)]›"
SENTENCE_END = ".!?…؟۔"
# Lines longer than these are prose, never a byline, a name or a date line.
BYLINE_CHARS = 100
NAME_WORDS = 6
DATE_LINE_CHARS = 60

# "Asharq Al-awsat English Middle-east and International News and Opinion from Asharq
# Al-awsat Newspaper", "Middle-east Arab News Opinion | Asharq Al-awsat", and the like:
# the paper's name, "News" and "Opinion" in one short line that is not a sentence and
# has no colon (a headline may name the paper and the news: "Envoy to Asharq Al-Awsat: ...").
_PAPER = r"asharq\s*al[-\s]?awsat"
TAGLINE_CHARS = 160
_TAGLINE = re.compile(rf"(?i)^(?=.*\b{_PAPER}\b)(?=.*\bnews\b)(?=.*\bopinion\b)[^:]*$")

_BY = re.compile(r"^(?:(?:[Ww]ritten|[Rr]eported) )?(?:[Bb]y|BY)\s+(?=[^\W\d_a-z])")
# Between a place and a name: a dash with spaces around it, or an en or em dash.
_BYLINE_DASH = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")
_NAME_IN_PARENS = re.compile(r"^(?P<who>[^()]+?)\s*\((?P<where>[^()]+)\)$")
# Words of a transliterated Arabic name (and a few others) that are written in lower case.
_PARTICLES = frozenset(("al", "el", "bin", "bint", "ibn", "abu", "abd", "abdul", "bu", "ben", "de",
                        "da", "di", "du", "la", "le", "van", "von", "der", "and", "&"))
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.]*|(?:al|el|bin|ibn|abu|abd)-[\w'’.]+)(?:-[\w'’.]+)*$")
# Who a byline names when it is no person: the paper, a wire agency, "agencies".
_OUTLETS = frozenset((
    "asharq al-awsat", "asharq al awsat", "asharq alawsat", "aawsat", "agencies", "agency", "reuters",
    "afp", "ap", "associated press", "dpa", "anadolu", "xinhua", "wam", "spa", "kuna", "qna", "bna",
    "mena", "petra", "map", "sana", "irna", "ina", "nna", "saba", "efe", "ansa", "upi", "bloomberg",
    "the associated press", "staff", "newsroom", "epa", "getty", "getty images", "saudi press agency",
    "file", "file photo", "handout", "courtesy", "social media", "white house", "ap photo", "afp photo",
    "reuters photo", "pool", "x", "twitter", "telegram"))
# Words of a role, not of a name: "President Donald Trump (White House)" is a caption.
_ROLE_WORDS = frozenset(("president", "minister", "king", "queen", "prince", "princess", "sheikh", "emir",
                         "sultan", "crown", "secretary", "general", "commander", "chief", "former", "late",
                         "ambassador", "envoy", "spokesman", "spokeswoman", "leader", "senator", "governor",
                         "mayor", "pope", "imam", "patriarch", "speaker", "deputy", "head", "officials"))
_OUTLET_SPLIT = re.compile(r"\s*(?:/|,|&|\band\b|\s[–—-]\s)\s*", re.I)
# "(AFP)" at the end of a caption, glued to the last word or not; "Photo: ...".
_CREDIT = re.compile(r"(?:\(\s*[^()]{1,40}\)|\bphoto(?:graph)?s?\s*[:/-].{1,80})\s*\.?$", re.I)

_HAS_DIGIT = re.compile(r"\d")
_HEADLINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DATE_WORDS = frozenset(word.lower() for word in (
    *calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name, *calendar.day_abbr,
    "sept", "am", "pm", "gmt", "utc", "published", "updated", "last", "on", "at"))
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# "CAIRO, 15 December 2025 – ..." : a place and a date before a dash or colon.
_DATELINE = re.compile(r"^(.{4,60}?)\s*[—–:-]\s")


@dataclass(frozen=True)
class Byline:
    author: str | None              # a person; None when the byline names the paper or a wire
    place: str | None               # where it was filed from ("Damascus, London" for several)


def ends_sentence(text: str) -> bool:
    bare = text.rstrip(CLOSERS + " ")
    return bool(bare) and bare[-1] in SENTENCE_END


def is_tagline(line: str) -> bool:
    """The site's tagline, which opens every page the scraper saved."""
    # Asked of every line of every dump: most are paragraphs, longer than any tagline.
    return len(line) <= TAGLINE_CHARS and ("wsat" in line or "WSAT" in line) \
        and bool(_TAGLINE.match(line)) and not ends_sentence(line)


def date_line(line: str) -> dt.date | None:
    """The date a short header line states ("Monday, 15 December 2025 - 10:30"), else None."""
    if not line or len(line) > DATE_LINE_CHARS or not _HAS_DIGIT.search(line) or ends_sentence(line):
        return None
    words = [word for word in re.findall(r"[^\W\d_]+", line.lower()) if word not in _DATE_WORDS]
    return one_date(line) if len(words) <= 3 else None


def one_date(text: str) -> dt.date | None:
    """The one full date a text states; None for none, or for two different ones."""
    found = set(dates_in(text))
    for year, month, day in _ISO_DATE.findall(text):
        try:
            found.add(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return found.pop() if len(found) == 1 else None


def dateline_date(paragraph: str) -> dt.date | None:
    """The date of a dateline opening the first paragraph ("CAIRO, 15 December 2025 – ...")."""
    match = _DATELINE.match(paragraph)
    if match is None or len(match.group(1).split()) > 8:
        return None
    return one_date(match.group(1))


def has_credit(line: str) -> bool:
    """A photo caption's credit ends the line: "(Reuters)", "(AFP)" glued on, "Photo: ..."."""
    return bool(_CREDIT.search(line))


def is_name(text: str, max_words: int = NAME_WORDS) -> bool:
    """A person's name as bylines write it: capitalised words and name particles
    ("Huda al-Example", "Abdul Rahman bin Saleh"), no digits, no sentence."""
    words = text.split()
    if not 1 <= len(words) <= max_words or len(text) > 60 or ends_sentence(text.removesuffix(".")):
        return False
    if any(char.isdigit() for char in text):
        return False
    capitalised = 0
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if word.lower().strip(".,") in _ROLE_WORDS:
            return False
        if not _NAME_WORD.match(word):
            return False
        capitalised += 1
    return capitalised >= 1


def is_outlet(text: str) -> bool:
    """The paper, a wire agency, or several of them ("Asharq Al-Awsat and agencies")."""
    parts = [part.strip(" .").lower() for part in _OUTLET_SPLIT.split(text) if part.strip(" .")]
    return bool(parts) and all(part in _OUTLETS for part in parts)


def _is_place(text: str) -> bool:
    return is_name(text, max_words=4) and not is_outlet(text)


def byline(line: str, parenthesised: bool = False) -> Byline | None:
    """A byline's author and place, or None when the line is no byline.

    "Tangier – Leila Example" (place, person), "Cairo - Asharq Al-Awsat" (place, the
    paper: no author), "Damascus - London - Asharq Al-Awsat" (two places),
    "By Layla Hassan"; with `parenthesised`, also "Huda al-Example (London)" (a form
    a photo caption shares: "Leila Example (Reuters)", so asked only where the layout
    has had its caption already).
    """
    if len(line) > BYLINE_CHARS or (ends_sentence(line) and not line.endswith(")")):
        return None
    by = _BY.match(line)
    text = line[by.end():].strip() if by else line.strip()
    parens = _NAME_IN_PARENS.match(text) if parenthesised else None
    if parens and _is_place(parens["where"].strip()):
        who, places = parens["who"].strip(), [parens["where"].strip()]
    else:
        parts = [part.strip() for part in _BYLINE_DASH.split(text)]
        who, places = parts[-1], parts[:-1]
        if not places and not by:
            # A bare name is a byline only where a layout expects one; the paper's or a
            # wire's name alone is one wherever it stands.
            return Byline(None, None) if is_outlet(who) else None
    if not all(_is_place(place) for place in places):
        return None
    if is_outlet(who):
        return Byline(None, ", ".join(places) or None)
    if not is_name(who):
        return None
    return Byline(who, ", ".join(places) or None)


def is_headline(line: str) -> bool:
    """A line written as a headline: short, most longer words capitalised
    ("Minister Says Protests Cannot Topple the Govt."), where a sentence has most in lower case."""
    if len(line) > 200:
        return False
    words = _HEADLINE_WORD.findall(line)
    if not words or len(words) > 30:
        return False
    long_words = [word for word in words if len(word) >= 4]
    if not long_words:
        return True
    return sum(word[0].isupper() for word in long_words) / len(long_words) >= 0.6
