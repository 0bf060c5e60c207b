"""The header blocks that open an article in a dump, one recogniser per page layout.

Two layouts are known (the text is invented; the line structure is exact):

The seeds' layout: a header block the scraper wrote twice, then the body.

    Title
    (standfirst, byline or date line)   optional
    <blank>
    Caption                             zero, one or two copies
    Caption
    TT                                  optional; a stray line ("20") may follow it
    <blank>
    Title                               the title again
    <blank>
    Caption                             the caption again
    Caption
    <blank>
    Body ...

The site-page layout: a saved page of the site, opened by its tagline.

    Asharq Al-awsat English Middle-east and International News and Opinion from ...
    <blank>
    Title
    <blank>
    Title                               the title again
    <blank>
    Tuesday, 4 June, 2019 - 09:30       the date line
    Caption                             optional; a columnist's name in an opinion piece
    Tangier – Leila Example             the byline, optional
    <blank>
    Body ...

Blank lines separate articles as well as paragraphs, so an article start is
found by its structure (a tagline; a title that comes back a few lines later;
a title over a date line; a title followed by a caption block ending in `TT`),
not by counting blank lines. `HeaderFinder.header_at` answers, for one line,
whether an article opens there and where its body starts.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .furniture import (BYLINE_CHARS, byline, date_line, ends_sentence, has_credit, is_headline,
                        is_name, is_tagline)

TT = "TT"
SEEDS, SITE_PAGE = "seeds", "site-page"
LAYOUTS = (SEEDS, SITE_PAGE)
# A title comes back at most this many lines after it, with at most
# HEADER_LINES non-blank lines (captions, byline, TT, stray) in between.
REPEAT_WINDOW = 14
HEADER_LINES = 6
# Without a repeated title, the TT line must follow the title this closely.
TT_WINDOW = 7
# A subheading is a short line that does not end like a sentence.
HEADING_CHARS = 80
# The lines under a site page's title: date line, caption, byline.
META_LINES = 4
# No title is longer (the longest in the archive is about half this).
TITLE_CHARS = 200


@dataclass(frozen=True)
class Header:
    layout: str                     # SEEDS or SITE_PAGE
    title: str
    caption: str | None
    byline: str | None              # as written, or a columnist's name
    date: dt.date | None            # from a date line in the header
    body_start: int                 # index of the first line after the header
    standfirst: str | None = None   # a one-sentence summary under the title


def is_paragraph(text: str) -> bool:
    return len(text) > HEADING_CHARS or ends_sentence(text)


def could_be_title(line: str) -> bool:
    """What no title is: furniture, a list item, or a statement not written as a headline
    (a question or an exclamation may be a title in any case)."""
    return bool(line) and line != TT and not line.startswith("+ ") \
        and not _statement(line) and not is_tagline(line) and date_line(line) is None


def _statement(line: str) -> bool:
    """A line ending in a full stop that is not written as a headline: a paragraph."""
    return line.endswith(".") and not is_headline(line)


class HeaderFinder:
    """Recognises the header block that opens an article, at a given line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.first_text = next((index for index, line in enumerate(lines) if line), len(lines))
        # next_same[i]: the next line with the same text as line i (or -1);
        # next_tt[i]: the next `TT` line after line i (or -1).
        self.next_same = [-1] * len(lines)
        self.next_tt = [-1] * len(lines)
        seen: dict[str, int] = {}
        tt = -1
        for index in range(len(lines) - 1, -1, -1):
            line = lines[index]
            self.next_tt[index] = tt
            if line:
                self.next_same[index] = seen.get(line, -1)
                seen[line] = index
            if line == TT:
                tt = index

    def header_at(self, index: int) -> Header | None:
        lines = self.lines
        line = lines[index]
        if not line:
            return None
        # The tagline opens a page wherever it is, even glued under a body's last line.
        if is_tagline(line):
            return self._after_tagline(index)
        if (index and lines[index - 1]) or len(line) > TITLE_CHARS:
            return None
        # A title over its date line may also open the seeds' layout (with its TT and
        # repeat); that structure, when complete, is the surer reading.
        return self._site_page(index) or self._seeds(index) or self._site_page(index, over_date=True)

    def next_text(self, index: int, limit: int | None = None) -> int | None:
        """The first non-blank line at or after index (within `limit` lines), or None."""
        end = len(self.lines) if limit is None else min(len(self.lines), index + limit)
        return next((k for k in range(index, end) if self.lines[k]), None)

    def loose_header(self, index: int) -> Header | None:
        """A header at a line known to be an article's title (another article has it),
        even with no blank line above it, or with only its caption pair under it."""
        return (self._site_page(index) or self._seeds(index) or self._site_page(index, over_date=True)
                or self._captions_only(index))

    def _captions_only(self, index: int) -> Header | None:
        lines = self.lines
        first = self.next_text(index + 1, limit=2)
        if first is None or first + 1 >= len(lines) or lines[first + 1] != lines[first] \
                or _is_long_paragraph(lines[first]):
            return None
        return Header(SEEDS, lines[index], lines[first], None, None, first + 2)

    # --- the site-page layout ---------------------------------------------------

    def _after_tagline(self, index: int) -> Header | None:
        title_at = self.next_text(index + 1)
        if title_at is None or not could_be_title(self.lines[title_at]):
            return None
        return (self._site_page(title_at, after_tagline=True) or self._seeds(title_at)
                or self._site_page(title_at, after_tagline=True, over_date=True, lenient=True))

    def _site_page(self, index: int, *, after_tagline: bool = False, over_date: bool = False,
                   lenient: bool = False) -> Header | None:
        """The title, the title again, then the meta lines (date line, caption, byline).

        `over_date`: the title need not come back if the meta lines follow it at once.
        Without the tagline, the meta lines must hold a date line: a line that
        recurs over a date is no paragraph. After it, a byline or a credited
        caption is enough, and `lenient` takes the title with no meta lines at all.
        """
        lines = self.lines
        title = lines[index]
        # The structure first (asked at every paragraph): the title back within a few
        # blank lines, or (over_date) a date line right under it.
        again = self.next_same[index]
        if again != -1 and again - index <= 4 and not any(lines[index + 1:again]):
            after = again + 1
        elif not over_date:
            return None
        elif not after_tagline and not (index + 1 < len(lines) and lines[index + 1]
                                        and date_line(lines[index + 1]) and is_headline(title)):
            return None
        else:
            after = index + 1
        if not could_be_title(title):
            return None
        start = self.next_text(after)
        if start is None:
            return None
        meta = _SiteMeta(lines, start)
        if after == index + 1 and not after_tagline and not self._after_break(index) \
                and not (meta.byline or meta.caption_credited):
            return None     # a subheading over a date inside a body ("How the Talks Unfolded")
        if meta.date is not None or (after_tagline and (meta.byline or meta.caption_credited)):
            return Header(SITE_PAGE, title, meta.caption, meta.byline, meta.date, meta.end)
        if lenient:
            return Header(SITE_PAGE, title, None, None, None, start)
        return None

    # --- the seeds' layout ------------------------------------------------------

    def _seeds(self, index: int) -> Header | None:
        lines = self.lines
        title = lines[index]
        if not title or title == TT or title.startswith("+ ") or is_tagline(title):
            return None
        repeat, tt = self.next_same[index], self.next_tt[index]
        header = None
        if repeat != -1 and 2 <= repeat - index <= REPEAT_WINDOW and lines[repeat - 1] in ("", TT):
            header = self._repeated(index, repeat)
        if header is None and tt != -1 and tt - index <= TT_WINDOW:
            header = self._tt_only(index, tt)
        return header

    def _repeated(self, index: int, repeat: int) -> Header | None:
        """Title ... title again: the lines between must look like a header."""
        title = self.lines[index]
        if _statement(title):
            return None     # a sentence that recurs, even with a header between (a shared photo)
        block = _HeaderBlock(self.lines, index, repeat)
        if block.content_lines > HEADER_LINES or block.unexpected:
            return None
        if not block.saw_tt:
            # Without TT, tell a title from a paragraph that merely recurs in a
            # body: a title is no sentence (unless written as a headline), its
            # caption comes back under the repeated title, and with no caption it
            # follows an article break.
            if _statement(title):
                return None
            if block.captions:
                after = next((line for line in self.lines[repeat + 1:repeat + 4] if line), None)
                if after not in block.captions:
                    return None
            elif not self._after_break(index) and not (repeat == index + 2 and _strong_headline(title)):
                return None
        return block.finish(repeat + 1, under_title=repeat + 1)

    def _after_break(self, index: int) -> bool:
        """At the start of the dump, or after two or more blank lines."""
        return index <= self.first_text or (index >= 2 and not self.lines[index - 2])

    def _tt_only(self, index: int, tt: int) -> Header | None:
        """Title, caption(s), TT, with no repeated title: the caption run must end at TT.

        A sentence is no title (unless written as a headline), and neither is a line
        followed by a line that opens an article itself (a title and its repeat).
        """
        title = self.lines[index]
        if _statement(title):
            return None
        if any(not self.lines[k - 1] and self._repeated(k, self.next_same[k]) is not None
               for k in range(index + 2, tt) if 2 <= self.next_same[k] - k <= REPEAT_WINDOW):
            return None
        block = _HeaderBlock(self.lines, index, tt)
        runs = _runs(self.lines, index + 1, tt)
        under_title = bool(runs) and runs[0][0] == index + 1
        if block.unexpected or len(runs) - under_title > 1:
            return None
        if runs and runs[-1][1] != tt and not (under_title and len(runs) == 1):
            return None
        after = tt + 1
        # A line glued to TT is scraping noise, unless it reads like a paragraph.
        while after < len(self.lines) and self.lines[after] and not is_paragraph(self.lines[after]):
            block.strays.append(self.lines[after])
            after += 1
        return block.finish(after)


class _SiteMeta:
    """The run of lines under a site page's title: date line, caption, byline (any may be
    missing), or a columnist's name where a caption would be."""

    def __init__(self, lines: list[str], start: int):
        self.date: dt.date | None = None
        self.caption: str | None = None
        self.byline: str | None = None
        index = start
        while index < len(lines) and lines[index] and index - start < META_LINES:
            line = lines[index]
            last = index + 1 >= len(lines) or not lines[index + 1]
            if self.date is None and self.caption is None and self.byline is None and date_line(line):
                self.date = date_line(line)
            elif self.byline is None and byline(line, parenthesised=self.caption is not None) is not None:
                self.byline = line
            elif self.byline is None and self.caption is None and last and is_name(line) \
                    and not has_credit(line):
                self.byline = line      # an opinion piece: the columnist's name
            elif self.caption is None and self.byline is None and (has_credit(line) or not last) \
                    and not _is_long_paragraph(line):
                self.caption = line
            else:
                break
            index += 1
        self.end = index
        self.caption_credited = self.caption is not None and has_credit(self.caption)


def _strong_headline(line: str) -> bool:
    """A line that reads as a headline on its own, enough to open an article when it comes
    back at once after a blank line: four words or more, in headline case."""
    return len(line.split()) >= 4 and is_headline(line)


def _is_long_paragraph(line: str) -> bool:
    return len(line) > 400


def _runs(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """(first, end) of each run of non-blank lines in lines[start:end]."""
    runs, first = [], None
    for index in range(start, end + 1):
        if index < end and lines[index]:
            first = index if first is None else first
        elif first is not None:
            runs.append((first, index))
            first = None
    return runs


class _HeaderBlock:
    """Classifies the lines between a title and its repetition (or its TT line)."""

    def __init__(self, lines: list[str], title_index: int, end: int):
        self.lines = lines
        self.title = lines[title_index]
        self.captions: list[str] = []
        self.doubled: set[str] = set()
        self.standfirst: str | None = None
        self.strays: list[str] = []
        self.byline: str | None = None
        self.date: dt.date | None = None
        self.meta_lines: list[str] = []         # the byline and date lines as written
        self.saw_tt = False
        self.unexpected = False
        self.content_lines = 0
        after_tt = False
        index = title_index + 1
        while index < end:
            line = lines[index]
            if not line:
                after_tt = False
            elif line == TT:
                self.saw_tt = after_tt = True
            elif after_tt:
                self.strays.append(line)
            elif index + 1 < end and lines[index + 1] == line:
                self.captions.append(line)
                self.doubled.add(line)
                index += 1
            elif not self._byline_or_date(line, directly_under_title=index == title_index + 1):
                self.captions.append(line)
            if line:
                self.content_lines += 1
            index += 1
        self._find_standfirst()
        if len(set(self.captions)) > 2:
            self.unexpected = True

    def _find_standfirst(self) -> None:
        """A sentence of its own above the doubled caption is a standfirst, not a caption."""
        if not self.doubled:
            return
        first_doubled = next(index for index, line in enumerate(self.captions) if line in self.doubled)
        singles = [line for line in self.captions[:first_doubled] if line not in self.doubled]
        if len(singles) == 1 and ends_sentence(singles[0]) and not has_credit(singles[0]):
            self.standfirst = singles[0]
            self.captions.remove(singles[0])

    def _byline_or_date(self, line: str, directly_under_title: bool) -> bool:
        date = date_line(line)
        if date is not None:
            self.date = self.date or date
        elif byline(line) is not None or (directly_under_title and len(line) <= BYLINE_CHARS
                                          and not ends_sentence(line)):
            self.byline = self.byline or line
        else:
            return False
        self.meta_lines.append(line)
        return True

    def finish(self, index: int, under_title: int | None = None) -> Header:
        """Skip the second copy of the header (captions, byline, date) and return it.

        A byline or date line is taken from the second copy only directly under
        the repeated title (`under_title`), so a short first paragraph is never lost.
        """
        lines = self.lines
        known = {*self.captions, *self.strays, *self.meta_lines, self.title}
        if self.standfirst:
            known.add(self.standfirst)
        while index < len(lines):
            line = lines[index]
            if line in self.strays and not self.captions:     # the "stray" was the caption
                self.captions.append(line)
            if not line or line == TT or line in known:
                index += 1
            elif not self.captions and index + 1 < len(lines) and lines[index + 1] == line:
                self.captions.append(line)
                known.add(line)
                index += 2
            elif index == under_title and self._byline_or_date(line, directly_under_title=False):
                index += 1
                under_title = index
            else:
                break
        caption = self.captions[0] if self.captions else None
        return Header(SEEDS, self.title, caption, self.byline, self.date, index, self.standfirst)
