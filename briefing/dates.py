"""Full dates written out in English text ("4 June, 2019", "Nov. 11, 2025").

Shared by the dump parser (a date line, a dateline) and the site (the newest date
an undated article names), so it sits below both.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
)

# No \b in front: the regex engine cannot skip ahead to a pattern that starts with
# one, and tried every position of every text (200 us an article, against 70).
_YEAR = re.compile(r"(?:19|20)\d\d\b")
_DIGIT = re.compile(r"\d")
# Patterns for a date ending at a year: searched only in the few characters before each
# year a text contains, instead of across the whole text (years are rare, words are not).
_DATE_ENDINGS = tuple(re.compile(pattern.pattern + "$", re.I) for pattern in _DATE_PATTERNS)
_WINDOW = 40    # longer than any date these patterns match, plus one character


def dates_in(text: str) -> list[dt.date]:
    """Every full date (day, month, year) the text writes out, in order."""
    found = []
    for year in _YEAR.finditer(text):
        begin = year.start()
        if begin and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
            continue    # inside a word or number: what \b in front would have refused
        start = max(0, begin - _WINDOW)
        window = text[start:year.end()]
        if not _DIGIT.search(window, 0, begin - start):
            continue    # every pattern has a day before the year; most years stand alone
        for pattern in _DATE_ENDINGS:
            match = pattern.search(window)
            # A match at the window's first character may be the tail of a longer word.
            if match is None or (match.start() == 0 and start > 0):
                continue
            try:
                found.append(dt.date(int(match["year"]), MONTHS[match["month"].lower()],
                                     int(match["day"])))
            except ValueError:
                continue
    return found
