"""Raw dumps -> RawArticle values. The dump format lives here and in layouts.py only.

A dump holds articles one after another, each opened by a header block in one of
the site's page layouts (layouts.py: the seeds' layout, the site-page layout),
then its body: one paragraph per line, `+ ` list items, short subheadings, and in
interviews questions (`* Why?`, `1. Why?`, or a question line with its answer
right under it).

Articles are found by their header blocks; whatever lies between two headers is
the first one's body. As a net under that, a body line that opens an article in
any layout (the tagline, a date line under a title, another article's title
followed by its header) splits the body there, and a line that only looks like
one (a bare date line, another article's title) is reported: a story is never
glued quietly to another. `read_dump` turns bytes into text; `parse_dump` is pure.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .furniture import CLOSERS, byline, dateline_date, date_line, ends_sentence, is_name, is_tagline
from .layouts import HEADING_CHARS, LAYOUTS, SEEDS, SITE_PAGE, TT, Header, HeaderFinder
from .model import Block, Diagnostic, RawArticle

__all__ = ["LAYOUTS", "SEEDS", "SITE_PAGE", "TT", "decode_dump", "dump_bytes", "normalise_text",
           "parse_dump", "read_dump"]

HEADING_WORDS = 12
MAX_BAD_LINES_REPORTED = 5
# A body line equal to another article's title is looked at only if the title is this long:
# shorter ones ("The Kazakh") are subheadings that two articles may share.
TITLE_CHECK_WORDS = 4

_QUESTION_MARK = re.compile(r"^\*\s*(?=\S)")
_NUMBERED_QUESTION = re.compile(r"^\d{1,2}\s*[.)-]\s+\S.*\?[\"'”’»)]*$")
_QA_QUESTION = re.compile(r"^Q\s*[:.-]\s+\S")


# --- reading ------------------------------------------------------------------

def read_dump(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """Decode a dump file. Returns (text, diagnostics); text is None when the file is skipped."""
    data, diagnostics = dump_bytes(path)
    return (None, diagnostics) if data is None else decode_dump(data, path.name)


def dump_bytes(path: Path) -> tuple[bytes | None, list[Diagnostic]]:
    """A dump file's bytes, or None with a warning when it cannot be read."""
    try:
        return path.read_bytes(), []
    except OSError as error:
        return None, [Diagnostic(f"can't read dump ({error.strerror}); skipped", path.name)]


def decode_dump(data: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """A dump's bytes -> its text and diagnostics; text is None when the file is skipped.

    Empty, blank and binary (NUL bytes) files are skipped with a warning. Invalid
    UTF-8 bytes become U+FFFD with a warning per line, and the rest of the dump is kept.
    """
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

def parse_dump(text: str, source: str,
               titles: frozenset[str] = frozenset()) -> tuple[list[RawArticle], list[Diagnostic]]:
    """Split a dump into articles. Pure: `source` is only used to label results.

    titles: the titles of articles in other dumps; a body line equal to one of them
    is a place where another article may start (see _split_glued)."""
    lines = [line.strip() for line in normalise_text(text).split("\n")]
    finder = HeaderFinder(lines)
    starts: list[tuple[int, Header]] = []
    index = 0
    while index < len(lines):
        header = finder.header_at(index)
        if header is None:
            index += 1
            continue
        starts.append((index, header))
        index = max(header.body_start, index + 1)

    diagnostics: list[Diagnostic] = []
    if not starts:
        if any(lines):
            diagnostics.append(Diagnostic(
                "no recognisable article (expected a title, its caption and `TT`, then the title "
                "again; or the site's tagline, the title twice and a date line); nothing taken "
                "from this dump", source, 1))
        return [], diagnostics
    preamble = [number for number in range(starts[0][0]) if lines[number]]
    if preamble:
        diagnostics.append(Diagnostic(
            f"{len(preamble)} line(s) before the first article are not part of any article; skipped",
            source, preamble[0] + 1))

    starts = _split_glued(lines, finder, starts, titles | {header.title for _, header in starts},
                          source, diagnostics)
    articles = []
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    for (start, header), end in zip(starts, ends):
        article, found = _article(lines, start, header, end, source)
        diagnostics.extend(found)
        if article is not None:
            articles.append(article)
    return articles, diagnostics


def _split_glued(lines: list[str], finder: HeaderFinder, starts: list[tuple[int, Header]],
                 titles: set[str] | frozenset[str], source: str,
                 diagnostics: list[Diagnostic]) -> list[tuple[int, Header]]:
    """The net under the header finder: look in every body for what opens an article.

    A body line equal to another article's title opens one when a header reads from
    there (the title again, a date line, captions); a line that only looks like
    the start of an article (another title with no header under it, a bare date
    line) is reported with its line, so an editor can look. Nothing is dropped.
    """
    result: list[tuple[int, Header]] = []
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    for (start, header), end in zip(starts, ends):
        result.append((start, header))
        index = header.body_start
        while index < end:
            line = lines[index]
            if not line or index == header.body_start:
                index += 1
                continue
            if line in titles and line != header.title and len(line.split()) >= TITLE_CHECK_WORDS:
                found = finder.loose_header(index)
                if found is not None:
                    result.append((index, found))
                    header = found
                    index = max(found.body_start, index + 1)
                    continue
                diagnostics.append(Diagnostic(
                    f"a line in the body of {header.title!r} is the title of another article; if "
                    "that article starts here, put a blank line and its caption or date line "
                    "under the title", source, index + 1))
            elif date_line(line) is not None and not lines[index - 1]:
                diagnostics.append(Diagnostic(
                    f"a bare date line in the body of {header.title!r}: if another article starts "
                    "here, its title is missing; it was kept as a paragraph", source, index + 1))
            index += 1
    return result


# --- the body -----------------------------------------------------------------

def _article(lines: list[str], start: int, header: Header, end: int,
             source: str) -> tuple[RawArticle | None, list[Diagnostic]]:
    body = [(index, lines[index]) for index in range(header.body_start, end)
            if lines[index] and lines[index] != TT and not is_tagline(lines[index])]
    if not body:
        return None, [Diagnostic(f"article {header.title!r} has no body text; skipped", source, start + 1)]
    blocks: list[Block] = []
    items: list[str] = []
    last_index = body[-1][0]
    for position, (index, line) in enumerate(body):
        if line.startswith("+ ") or line == "+":
            items.append(line[2:])
            continue
        if items:
            blocks.append(Block("list", items=tuple(items)))
            items = []
        # An interview's question may sit right above its answer, with no blank line.
        answer_under = (position + 1 < len(body) and body[position + 1][0] == index + 1)
        blocks.append(_classify(line, is_last=index == last_index, answer_under=answer_under))
    if items:
        blocks.append(Block("list", items=tuple(items)))

    diagnostics = []
    truncated = blocks[-1].kind == "paragraph" and not ends_sentence(blocks[-1].text)
    if truncated:
        diagnostics.append(Diagnostic(
            f"article {header.title!r} seems cut off mid-sentence; its last paragraph is kept as it is",
            source, last_index + 1))
    date = header.date
    if date is None and blocks[0].kind == "paragraph":
        date = dateline_date(blocks[0].text)
    written = byline(header.byline) if header.byline else None
    if written is not None:
        author, place = written.author, written.place
    else:       # a columnist's bare name, or a short line under the title
        author, place = (header.byline if header.byline and is_name(header.byline) else None), None
    return RawArticle(
        title=header.title, caption=header.caption, blocks=tuple(blocks), source=source,
        line=start + 1, date=date, byline=header.byline, truncated=truncated, layout=header.layout,
        author=author, place=place, standfirst=header.standfirst), diagnostics


def _classify(text: str, is_last: bool, answer_under: bool = False) -> Block:
    question = _question(text, answer_under)
    if question is not None:
        return Block("question", text=question)
    if not is_last and _is_heading(text):
        return Block("heading", text=text)
    return Block("paragraph", text=text)


def _question(text: str, answer_under: bool) -> str | None:
    """An interview's question, without the `*` that marks it; None for other lines."""
    first = text[0]
    if first == "*":
        starred = _QUESTION_MARK.match(text)
        if starred and text.count("*") == 1:
            return text[starred.end():]
    elif (first.isdigit() and _NUMBERED_QUESTION.match(text)) or (first == "Q" and _QA_QUESTION.match(text)):
        return text
    if answer_under and text.rstrip("\"'”’») ").endswith(("?", "؟")) and len(text) <= 300:
        return text
    return None


def _is_heading(text: str) -> bool:
    bare = text.rstrip(CLOSERS + " ")
    return (len(text) <= HEADING_CHARS and len(text.split()) <= HEADING_WORDS
            and bool(bare) and bare[-1].isalnum())
