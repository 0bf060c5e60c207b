"""Markdown body -> safe HTML, plain text and headings, in one parse.

Article text comes from scraped dumps, so it is data: raw HTML is disabled
(it renders as text), and links may only point to http(s), mailto, or
site-relative/fragment targets; anything else (javascript:, data:, vbscript:)
stays plain text instead of becoming a link.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from slugify import slugify

from .model import Heading

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _is_safe_link(url: str) -> bool:
    # Browsers ignore control characters and whitespace inside a scheme
    # ("java\tscript:"), so strip them before looking at it.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    match = _SCHEME.match(cleaned)
    if not match:
        return True  # relative link, fragment or path
    return (match.group(1).lower() + ":") in _SAFE_SCHEMES


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # With html off these two rules only ever say no, once per block and per "<": raw
    # HTML is text either way, and parsing is some 5% faster without asking them.
    md.disable(["html_block", "html_inline"])
    md.validateLink = _is_safe_link
    return md


_MD = _make_parser()

# Most bodies (all 4,000 of the benchmark's, all of content/) are paragraphs, "#"
# headings and "-" lists of plain text. For them a second parser skips the rules
# that need a character such a body lacks: indented code (four spaces or a tab),
# fences (` ~), block quotes (>), references and links ([), autolinks (<), emphasis
# (* _), entities (&), escapes (\\), rules (three -, * or _ on a line) and "="/"-"
# underlined headings. A rule that cannot match only says no, but each is asked at
# every block and at every "-" or ":" of the text: parsing is 0.35 ms an article
# instead of 0.42 (0.25 with the rest of _make_plain_parser). Any body with one of
# those characters gets the full parser, and so exactly the same tokens ("\r" and
# NUL too, which the parser rewrites first).
_PLAIN_RULES_OFF = ["code", "fence", "blockquote", "hr", "reference", "lheading",
                    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link"]
_MARKUP_CHARACTER = re.compile(r"[>`~<*_&\\\[\t\r\x00=]")
# What a "-" rule or underline needs: two dashes with at most three spaces between
# them (four spaces send a body to the full parser anyway), or a dash ending a line.
# (One regex, starting at a literal: 4 us a body, where eight `in` tests took 26.)
_DASH_LINE = re.compile(r"-(?: {0,3}-| {0,3}\n)")


def _make_plain_parser() -> MarkdownIt:
    md = _make_parser()
    md.disable(_PLAIN_RULES_OFF)
    # With only the text and newline rules left inline, a "-", ":" or "$" that stops
    # the text rule is then added to the text one character at a time, to the same
    # text token: only "\n" need stop it. Nor can two text tokens be neighbours (a
    # text token is closed only by a break), so the passes that join them and pair
    # up delimiters find nothing; and a plain body has no "\r" or NUL to normalise.
    # Parsing 0.30 -> 0.25 ms an article.
    md.inline.terminator_re = re.compile("\n")
    md.disable(["balance_pairs", "fragments_join", "text_join", "normalize"])
    return md


_PLAIN_MD = _make_plain_parser()


def _parser_for(body: str) -> MarkdownIt:
    """The plain parser when no disabled rule can match anywhere in body, else the full one."""
    if _MARKUP_CHARACTER.search(body) is not None or "    " in body \
            or _DASH_LINE.search(body) is not None or body.rstrip(" ").endswith("-"):
        return _MD
    return _PLAIN_MD


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str                       # paragraphs, headings and list items as plain text, blank-line separated
    headings: tuple[Heading, ...]
    lead: str                       # text of the first paragraph ("" if none)
    words: int
    # Each paragraph's plain text; paragraphs[n - 1] is the one with id "p-<n>".
    paragraphs: tuple[str, ...] = ()


def _inline_text(token: Token) -> str:
    children = token.children or ()
    if len(children) == 1 and children[0].type == "text":
        return children[0].content      # most paragraphs: one run of text
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    # Articles of a kind share their headings (313 distinct among the benchmark's
    # 18,487), and slugify takes some 5 us a call.
    return slugify(text) or "section"


def paragraph_id(number: int) -> str:
    """The id of a body's paragraph (1-based, in reading order): what links to it use."""
    return f"p-{number}"


def render_markdown(body: str) -> Rendered:
    """One parse: the HTML, with ids on headings (from their text) and on paragraphs
    ("p-1", "p-2", ... in reading order, so a link to a paragraph holds while the text
    before it stays), and the plain text of both."""
    md = _parser_for(body)
    tokens = md.parse(body)
    headings: list[Heading] = []
    used: dict[str, int] = {}
    blocks: list[str] = []
    paragraphs: list[str] = []
    lead = ""
    paragraph: Token | None = None
    item: Token | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "paragraph_open":
            paragraph = token
        elif kind == "paragraph_close":
            paragraph = None
        elif kind == "list_item_open":
            item = token
        elif kind == "inline":
            text = _inline_text(token)
            heading = tokens[index - 1] if index else None
            if heading is not None and heading.type == "heading_open":
                # Its id from its text: the first "background", then "background-2".
                base = _slug(text)
                count = used.get(base, 0)
                used[base] = count + 1
                anchor = base if count == 0 else f"{base}-{count + 1}"
                heading.attrSet("id", anchor)
                headings.append(Heading(level=int(heading.tag[1]), text=text, anchor=anchor))
            if text:
                blocks.append(text)
                if paragraph is not None:
                    paragraphs.append(text)
                    # A tight list hides its paragraphs' <p>: the id goes on the item.
                    holder = item if paragraph.hidden and item is not None else paragraph
                    holder.attrSet("id", paragraph_id(len(paragraphs)))
                    if not lead and token.level <= 1:
                        lead = text
        elif kind in ("code_block", "fence"):
            blocks.append(token.content.strip())
    text = "\n\n".join(blocks)
    html = _render_plain(tokens) if md is _PLAIN_MD else md.renderer.render(tokens, md.options, {})
    return Rendered(html=html, text=text, headings=tuple(headings), lead=lead,
                    words=len(text.split()), paragraphs=tuple(paragraphs))


def _render_plain(tokens: list[Token]) -> str:
    """What markdown-it's renderer makes of the plain parser's tokens, made here in one
    loop: blocks without a rule of their own as its renderToken writes them, and inline
    text, the only inline token besides breaks, escaped as its text rule does. 0.066 ->
    0.03 ms an article."""
    renderer = _PLAIN_MD.renderer
    rules, options = renderer.rules, _PLAIN_MD.options
    out: list[str] = []
    append = out.append
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            for child in token.children or ():
                append(escapeHtml(child.content) if child.type == "text" else _BREAKS[child.type])
        elif kind in rules:     # a list item's (a task list's box)
            append(rules[kind](tokens, index, options, {}))
        elif not token.hidden:
            # As markdown_it.renderer.RendererHTML.renderToken: every token of the plain
            # parser is a block, and none closes itself.
            nesting, tag = token.nesting, token.tag
            if nesting != -1 and index and tokens[index - 1].hidden:
                append("\n")
            append(("</" if nesting == -1 else "<") + tag)
            if token.attrs:
                for key, value in token.attrs.items():
                    append(f' {escapeHtml(key)}="{escapeHtml(str(value))}"')
            if nesting == 1 and index < last and (
                    (following := tokens[index + 1]).type == "inline" or following.hidden
                    or (following.nesting == -1 and following.tag == tag)):
                append(">")
            else:
                append(">\n")
    return "".join(out)


# The plain parser's breaks as the renderer writes them (xhtmlOut, breaks off).
_BREAKS = {"softbreak": "\n", "hardbreak": "<br />\n"}


# A sentence ends at . ! ? or … (perhaps followed by a closing quote or bracket)
# and whitespace, when the next sentence starts with a capital, digit or quote.
_BREAK_TAIL = r"[\"'”’)\]]?(\s+)(?=[A-Z0-9“\"'‘(])"
_SENTENCE_BREAK = re.compile(r"[.!?…]" + _BREAK_TAIL)
# The last break that ends before a search's end (greedy, it backs off to it); group 1 its
# stop, group 2 its white space.
_LAST_BREAK = re.compile(r".*([.!?…])" + _BREAK_TAIL, re.DOTALL)
# Words whose trailing period is not a sentence end ("U.S. forces", "Nov. 11").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt maj capt sgt st jr sr no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e".split())


def summarise(text: str, target: int = 220, limit: int = 320) -> str:
    """The lead cut at a sentence: whole sentences up to about `target` characters.

    A single sentence longer than `limit` is cut at a word with an ellipsis, so
    a summary never ends mid-word.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    summary = ""
    for sentence in split_sentences(text):
        candidate = f"{summary} {sentence}".strip()
        if summary and len(candidate) > target:
            break
        summary = candidate
        if len(summary) >= target:
            break
    if len(summary) > limit:
        cut = summary[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
        summary = cut + "…"
    return summary


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of text starts and ends, in order (split_sentences' cuts)."""
    return list(iter_sentence_spans(text))


def iter_sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """sentence_spans one at a time: a reader of the first few sentences leaves the
    rest of the text unscanned (events read up to a paragraph's last date)."""
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        if _abbreviated(text, match.start() + 1):
            continue
        if match.start(1) > start:
            yield start, match.start(1)
        start = match.end(1)
    if len(text) > start:
        yield start, len(text)


def _abbreviated(text: str, end: int) -> bool:
    """Whether the stop before `end` ends an abbreviation or an initial ("U.S.", "J."),
    not a sentence. The word before the stop; a longer one than the window is no
    abbreviation. (The window need not stop at the sentence before: that one's break ends
    in white space, so the last word is the same either way.)"""
    if text[end - 1] != "." or end > 5 and text[end - 6:end - 1].isalpha():
        return False        # "!", "?" or a word of five letters or more: no abbreviation
    word = text[max(0, end - 24):end].rsplit(None, 1)[-1].rstrip(".").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


_NOT_IN_BREAK = re.compile(r"[^.!?…\"'”’)\]\s]")


def sentence_at(text: str, position: int) -> str:
    """The sentence of text that holds the character at `position` (as sentence_spans
    cuts it; the whole text if none does), found from there both ways: the break before
    it and the break after, not every break of the text. A break is the same wherever a
    scan starts (none starts inside another), so this is sentence_spans' sentence."""
    if not (0 <= position < len(text)) or not _NOT_IN_BREAK.match(text, position):
        # at white space or a stop, quote or bracket, which a break may hold: the long way
        for start, end in sentence_spans(text):
            if start <= position < end:
                return text[start:end]
        return text
    # Back: the last break before it. (It ends before the position, which is no break's
    # character, and reads no further; the one before a stop reads no further than it.)
    start, limit = 0, position + 1
    while True:
        match = _LAST_BREAK.match(text, 0, limit)
        if match is None:
            break
        limit = match.start(1)
        if not _abbreviated(text, limit + 1):
            start = match.end(2)
            break
    # On: the first break after it.
    end, at = len(text), position
    while True:
        match = _SENTENCE_BREAK.search(text, at)
        if match is None:
            break
        if not _abbreviated(text, match.start() + 1):
            end = match.start(1)
            break
        at = match.end()
    return text[start:end]


def reading_minutes(words: int, per_minute: int = 230) -> int:
    return max(1, round(words / per_minute))


_TAG = re.compile(r"(<[^>]*>)")


def html_text(text: str) -> str:
    """Plain text as markdown-it writes it into HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def link_mentions(html: str, links: Sequence[tuple[int, str, str]]) -> str:
    """The body's HTML with, for each (paragraph number, text, href), the first time that
    paragraph says the text as whole words outside a link made a link to href.

    On the rendered HTML rather than the markdown: the text comes from the paragraph's
    plain text, and a mention that markup splits (half of it in italics) stays plain.
    One pass over the body, paragraph by paragraph in reading order: an article names
    a dozen or more, and a search and a copy of the whole body per link was a quarter
    of an article page."""
    wanted: dict[int, list[tuple[str, str]]] = {}
    for number, text, href in links:
        if text:
            wanted.setdefault(number, []).append((html_text(text), href))
    parts, at = [], 0
    for number in sorted(wanted):
        for opening, closing in ((f'<p id="{paragraph_id(number)}">', "</p>"),
                                 (f'<li id="{paragraph_id(number)}">', "</li>")):   # a tight list's item
            start = html.find(opening, at)
            if start >= 0:
                break
        else:
            continue
        start += len(opening)
        end = html.find(closing, start)
        if end < 0:
            continue
        segment = html[start:end]
        for text, href in wanted[number]:
            segment = _link_first(segment, text, href) or segment
        parts += [html[at:start], segment]
        at = end
    parts.append(html[at:])
    return "".join(parts)


def _link_first(segment: str, wanted: str, href: str) -> str | None:
    """segment with the first whole-word `wanted` (HTML text) outside a link linked; None if none."""
    if wanted not in segment:
        return None     # most often so for all but the first few: one scan, no split
    parts = _TAG.split(segment) if "<" in segment else [segment]
    in_link = 0
    for i, part in enumerate(parts):
        if i % 2:       # a tag
            if part.startswith("<a ") or part == "<a>":
                in_link += 1
            elif part == "</a>":
                in_link = max(0, in_link - 1)
            continue
        if in_link:
            continue
        at = part.find(wanted)
        while at >= 0:
            before = part[at - 1] if at else " "
            after = part[at + len(wanted)] if at + len(wanted) < len(part) else " "
            if not before.isalnum() and not after.isalnum():
                parts[i] = (f'{part[:at]}<a class="entity-link" href="{html_text(href)}">{wanted}</a>'
                            f'{part[at + len(wanted):]}')
                return "".join(parts)
            at = part.find(wanted, at + 1)
    return None
