"""Raw dumps -> RawArticle values. The dump format lives here and only here.

A dump holds articles one after another. Each article opens with a header
block the scraper wrote twice, then the body:

    Title
    (byline or date line)           optional
    <blank>
    Caption                         zero, one or two copies
    Caption
    TT                              optional; a stray line may follow it
    <blank>
    Title                           the title again
    <blank>
    Caption                         the caption again
    Caption
    <blank>
    Body paragraph                  one per line, blank lines between
    + list item
    Short subheading

Blank lines separate articles as well as paragraphs, so an article start is
found by its structure (a title that comes back a few lines later, or a
title followed by a caption block ending in `TT`), not by counting blank
lines. `read_dump` turns bytes into text; `parse_dump` is pure.
"""
from __future__ import annotations

import calendar
import codecs
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .model import Block, Diagnostic, RawArticle
from .site import dates_in

TT = "TT"
# A title comes back at most this many lines after it, with at most
# HEADER_LINES non-blank lines (captions, byline, TT, stray) in between.
REPEAT_WINDOW = 14
HEADER_LINES = 6
# Without a repeated title, the TT line must follow the title this closely.
TT_WINDOW = 7
# A subheading is a short line that does not end like a sentence.
HEADING_CHARS = 80
HEADING_WORDS = 12
# Lines under a title longer than this are captions, never a byline.
BYLINE_CHARS = 100
MAX_BAD_LINES_REPORTED = 5

_CLOSERS = "\"'”’»)]›"
_SENTENCE_END = ".!?…؟۔"
_BYLINE = re.compile(r"^(?:(?:[Ww]ritten|[Rr]eported) )?(?:[Bb]y|BY)\s+(?=[^\W\d_a-z])")
# Words a date line may hold besides the date itself (and up to three more, a place).
_DATE_WORDS = frozenset(word.lower() for word in (
    *calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name, *calendar.day_abbr,
    "sept", "am", "pm", "gmt", "utc", "published", "updated", "last", "on", "at"))
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# "CAIRO, 15 December 2025 – ..." : a place and a date before a dash or colon.
_DATELINE = re.compile(r"^(.{4,60}?)\s*[—–:-]\s")


# --- reading ------------------------------------------------------------------

def read_dump(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """Decode a dump file. Returns (text, diagnostics); text is None when the file is skipped.

    Empty, blank, binary (NUL bytes) and unreadable files are skipped with a
    warning. Invalid UTF-8 bytes become U+FFFD with a warning per line, and the
    rest of the dump is kept.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(f"can't read dump ({error.strerror}); skipped", name)]
    if not data:
        return None, [Diagnostic("empty dump; skipped", name)]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, diagnostics = data.decode("utf-16", errors="replace"), []
    elif b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [Diagnostic("binary file (NUL bytes), not a text dump; skipped", name, line)]
    else:
        text, diagnostics = _decode_utf8(data, name)
    text = normalise_text(text)
    if not text.strip():
        return None, [Diagnostic("blank dump (only whitespace); skipped", name)]
    return text, diagnostics


def _decode_utf8(data: bytes, name: str) -> tuple[str, list[Diagnostic]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    bad = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    diagnostics = [Diagnostic("invalid UTF-8 bytes replaced with U+FFFD; the rest of the dump is kept",
                              name, number) for number in bad[:MAX_BAD_LINES_REPORTED]]
    if len(bad) > MAX_BAD_LINES_REPORTED:
        diagnostics.append(Diagnostic(
            f"invalid UTF-8 bytes on {len(bad) - MAX_BAD_LINES_REPORTED} more line(s)", name))
    return data.decode("utf-8-sig", errors="replace"), diagnostics


def normalise_text(text: str) -> str:
    """The only changes made to dump text: no byte-order mark, LF line ends, NBSP -> space."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


# --- parsing ------------------------------------------------------------------

@dataclass(frozen=True)
class _Header:
    title: str
    caption: str | None
    byline: str | None
    date: dt.date | None
    body_start: int                 # index of the first line after the header


def parse_dump(text: str, source: str) -> tuple[list[RawArticle], list[Diagnostic]]:
    """Split a dump into articles. Pure: `source` is only used to label results."""
    lines = [line.strip() for line in normalise_text(text).split("\n")]
    finder = _HeaderFinder(lines)
    starts: list[tuple[int, _Header]] = []
    index = 0
    while index < len(lines):
        header = finder.header_at(index)
        if header is None:
            index += 1
            continue
        starts.append((index, header))
        index = header.body_start

    diagnostics: list[Diagnostic] = []
    if not starts:
        if any(lines):
            diagnostics.append(Diagnostic(
                "no recognisable article (expected a title, its caption and `TT`, then the title "
                "again); nothing taken from this dump", source, 1))
        return [], diagnostics
    preamble = [number for number in range(starts[0][0]) if lines[number]]
    if preamble:
        diagnostics.append(Diagnostic(
            f"{len(preamble)} line(s) before the first article are not part of any article; skipped",
            source, preamble[0] + 1))

    articles = []
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    for (start, header), end in zip(starts, ends):
        article, found = _article(lines, start, header, end, source)
        diagnostics.extend(found)
        if article is not None:
            articles.append(article)
    return articles, diagnostics


class _HeaderFinder:
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

    def header_at(self, index: int) -> _Header | None:
        lines = self.lines
        title = lines[index]
        if not title or title == TT or title.startswith("+ ") or (index and lines[index - 1]):
            return None
        repeat, tt = self.next_same[index], self.next_tt[index]
        header = None
        if repeat != -1 and 2 <= repeat - index <= REPEAT_WINDOW and lines[repeat - 1] in ("", TT):
            header = self._repeated(index, repeat)
        if header is None and tt != -1 and tt - index <= TT_WINDOW:
            header = self._tt_only(index, tt)
        return header

    def _repeated(self, index: int, repeat: int) -> _Header | None:
        """Title ... title again: the lines between must look like a header."""
        block = _HeaderBlock(self.lines, index, repeat)
        if block.content_lines > HEADER_LINES or block.unexpected:
            return None
        if not block.saw_tt:
            # Without TT, tell a title from a paragraph that merely recurs in a
            # body: a title is no sentence, its caption comes back under the
            # repeated title, and with no caption it follows an article break.
            if self.lines[index].endswith("."):
                return None
            if block.captions:
                after = next((line for line in self.lines[repeat + 1:repeat + 4] if line), None)
                if after not in block.captions:
                    return None
            elif not self._after_break(index):
                return None
        return block.finish(repeat + 1, under_title=repeat + 1)

    def _after_break(self, index: int) -> bool:
        """At the start of the dump, or after two or more blank lines."""
        return index <= self.first_text or (index >= 2 and not self.lines[index - 2])

    def _tt_only(self, index: int, tt: int) -> _Header | None:
        """Title, caption(s), TT, with no repeated title: the caption run must end at TT.

        A paragraph ending in a full stop is no title, and neither is a line
        followed by a line that opens an article itself (a title and its repeat).
        """
        if self.lines[index].endswith("."):
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
        while after < len(self.lines) and self.lines[after] and not _is_paragraph(self.lines[after]):
            block.strays.append(self.lines[after])
            after += 1
        return block.finish(after)


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
                index += 1
            elif not self._byline_or_date(line, directly_under_title=index == title_index + 1):
                self.captions.append(line)
            if line:
                self.content_lines += 1
            index += 1
        if len(set(self.captions)) > 2:
            self.unexpected = True

    def _byline_or_date(self, line: str, directly_under_title: bool) -> bool:
        date = date_line(line)
        if date is not None:
            self.date = self.date or date
        elif is_byline(line) or (directly_under_title and len(line) <= BYLINE_CHARS
                                 and not _ends_sentence(line)):
            self.byline = self.byline or _strip_by(line)
        else:
            return False
        self.meta_lines.append(line)
        return True

    def finish(self, index: int, under_title: int | None = None) -> _Header:
        """Skip the second copy of the header (captions, byline, date) and return it.

        A byline or date line is taken from the second copy only directly under
        the repeated title (`under_title`), so a short first paragraph is never lost.
        """
        lines = self.lines
        known = {*self.captions, *self.strays, *self.meta_lines, self.title}
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
        return _Header(self.title, caption, self.byline, self.date, index)


def _strip_by(line: str) -> str:
    match = _BYLINE.match(line)
    return line[match.end() - 1:].strip() if match else line


def is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line)) and len(line) <= BYLINE_CHARS and not _ends_sentence(line)


def date_line(line: str) -> dt.date | None:
    """The date a short header line states ("Monday, 15 December 2025 - 10:30"), else None."""
    if len(line) > 60 or _ends_sentence(line):
        return None
    words = [word for word in re.findall(r"[^\W\d_]+", line.lower()) if word not in _DATE_WORDS]
    return _one_date(line) if len(words) <= 3 else None


def _one_date(text: str) -> dt.date | None:
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
    return _one_date(match.group(1))


# --- the body -----------------------------------------------------------------

def _article(lines: list[str], start: int, header: _Header, end: int,
             source: str) -> tuple[RawArticle | None, list[Diagnostic]]:
    body = [(index, lines[index]) for index in range(header.body_start, end)
            if lines[index] and lines[index] != TT]
    if not body:
        return None, [Diagnostic(f"article {header.title!r} has no body text; skipped", source, start + 1)]
    blocks: list[Block] = []
    items: list[str] = []
    last_index = body[-1][0]
    for index, line in body:
        if line.startswith("+ ") or line == "+":
            items.append(line[2:])
            continue
        if items:
            blocks.append(Block("list", items=tuple(items)))
            items = []
        blocks.append(_classify(line, is_last=index == last_index))
    if items:
        blocks.append(Block("list", items=tuple(items)))

    diagnostics = []
    truncated = blocks[-1].kind == "paragraph" and not _ends_sentence(blocks[-1].text)
    if truncated:
        diagnostics.append(Diagnostic(
            f"article {header.title!r} seems cut off mid-sentence; its last paragraph is kept as it is",
            source, last_index + 1))
    date = header.date
    if date is None and blocks[0].kind == "paragraph":
        date = dateline_date(blocks[0].text)
    return RawArticle(title=header.title, caption=header.caption, blocks=tuple(blocks), source=source,
                      line=start + 1, date=date, byline=header.byline, truncated=truncated), diagnostics


def _classify(text: str, is_last: bool) -> Block:
    if not is_last and _is_heading(text):
        return Block("heading", text=text)
    return Block("paragraph", text=text)


def _is_heading(text: str) -> bool:
    bare = text.rstrip(_CLOSERS + " ")
    return (len(text) <= HEADING_CHARS and len(text.split()) <= HEADING_WORDS
            and bool(bare) and bare[-1].isalnum())


def _is_paragraph(text: str) -> bool:
    return len(text) > HEADING_CHARS or _ends_sentence(text)


def _ends_sentence(text: str) -> bool:
    bare = text.rstrip(_CLOSERS + " ")
    return bool(bare) and bare[-1] in _SENTENCE_END
