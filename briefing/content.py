"""Content files: RawArticle -> markdown with YAML front matter, and back to Article.

Editors own content/articles/*.md, so reading is strict and helpful: every bad
file is reported (with its line) in one error, and an unknown front matter key
is a warning that suggests the key it probably meant. Writing escapes only
what markdown would misread, so a paragraph renders back to its exact text.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Any, Iterable, Sequence

import yaml

from .model import Article, Block, BuildError, Diagnostic, RawArticle

# The keys a content file may carry. `byline` (a byline ingest could not read as an
# author and a place), `truncated` and `merged` (the near-copies ingest merged into
# this article) are written for the editor's information; the build does not use
# them. `not_duplicate_of` is the editor's answer to a wrong merge (see ingest.py).
FIELDS = ("title", "slug", "id", "sources", "caption", "date", "author", "place", "summary",
          "countries", "topics", "exclude_countries", "exclude_topics", "draft", "byline", "truncated",
          "merged", "not_duplicate_of")
SLUG = re.compile(r"[a-z0-9-]+")


# --- writing ------------------------------------------------------------------

# Inline: a backslash before punctuation, code and emphasis markers, link and
# autolink openers, and `&` where it would start an entity.
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)|[`*_\[<]|&(?=#?[0-9A-Za-z]+;)")
# At the start of a paragraph: heading, quote, bullet, thematic break, fence.
_BLOCK_START = re.compile(r"#{1,6}(?:[ \t]|$)|>|[-+](?:[ \t]|$)|-[ \t]*-[ \t]*-[- \t]*$|~~~")
_ORDERED_START = re.compile(r"\d{1,9}(?=[.)](?:[ \t]|$))")
_HYPHENS = re.compile(r"-[- \t]*")


def escape_markdown(text: str) -> str:
    """Paragraph text (no line breaks, no surrounding whitespace) -> markdown that renders as exactly it."""
    text = _INLINE.sub(lambda match: "\\" + match.group(0), text)
    if _BLOCK_START.match(text):
        return "\\" + text
    ordered = _ORDERED_START.match(text)
    if ordered:
        return f"{text[:ordered.end()]}\\{text[ordered.end():]}"
    return text


def _inline(text: str) -> str:
    return _INLINE.sub(lambda match: "\\" + match.group(0), text)


def escape_heading(text: str) -> str:
    """Heading text -> markdown for after `## `: trailing #s would be read as a closing sequence."""
    text = _inline(text)
    closing = re.search(r"#+$", text)
    return f"{text[:closing.start()]}\\{text[closing.start():]}" if closing else text


def render_block(block: Block) -> str:
    if block.kind == "heading":
        return "## " + escape_heading(block.text)
    if block.kind == "question":        # an interview's question, in bold as the site prints it
        return f"**{_inline(block.text)}**"
    if block.kind == "list":
        return "\n".join(_list_item(item) for item in block.items)
    return escape_markdown(block.text)


def _list_item(text: str) -> str:
    text = escape_markdown(text)
    if _HYPHENS.fullmatch(text):            # "- --" would be a thematic break
        text = "\\" + text
    return ("- " + text).rstrip()


def render_body(blocks: Sequence[Block]) -> str:
    return "\n\n".join(render_block(block) for block in blocks) + "\n"


# libyaml's dumper: six times faster, and unlike the pure-Python one it escapes
# U+0085 and the other line separators, so every string loads back unchanged.
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render_article(article: RawArticle, *, id: str, slug: str, sources: Iterable[str],
                   merged: Sequence[dict[str, Any]] = ()) -> str:
    """The content file ingest writes for an article: front matter, a blank line, the body.
    merged: what ingest merged into it as near-copies (dedupe.Merge.record())."""
    data: dict[str, Any] = {"title": article.title, "slug": slug, "id": id,
                            "sources": sorted(set(sources))}
    if article.caption:
        data["caption"] = article.caption
    if article.date:
        data["date"] = article.date
    if article.author:
        data["author"] = article.author
    if article.place:
        data["place"] = article.place
    if article.standfirst:
        data["summary"] = article.standfirst
    if article.byline and not (article.author or article.place):
        data["byline"] = article.byline
    if article.truncated:
        data["truncated"] = True
    if merged:
        data["merged"] = [dict(record) for record in merged]
    front = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                      default_flow_style=False, width=1_000_000_000)
    return f"---\n{front}---\n\n{render_body(article.blocks)}"


# --- reading ------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML, but dates stay text (checked below with a clear message) and keys are unique."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark)
            seen.add(key if isinstance(key, str) else id(key_node))
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    body: str
    key_lines: dict[str, int]       # top-level key -> 1-based line in the file


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Separate and parse the YAML front matter. Raises BuildError naming the line."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    name = PurePath(path).name
    if lines[0].rstrip() != "---":
        raise BuildError(f"Couldn't find front matter in `{name}`. Did you forget to add `---`?", path, 1)
    end = next((number for number in range(1, len(lines)) if lines[number].rstrip() in ("---", "...")), None)
    if end is None:
        raise BuildError(f"The front matter in `{name}` is not closed: add a `---` line after it.", path, 1)
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        # Marks count from the line after the opening `---`. A problem found at
        # the end of the YAML (an unclosed bracket or quote) is on the closing
        # `---`, so the message also names the line where the construct began.
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        problem = error.problem or error.context or "not valid YAML"
        if error.context and error.context_mark and error.problem:
            problem += f" ({error.context} that starts on line {error.context_mark.line + 2})"
        raise BuildError(f"Invalid YAML in the front matter: {problem}.", path, line) from None
    except yaml.YAMLError as error:
        raise BuildError(f"Invalid YAML in the front matter: {error}.", path, 1) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError("The front matter must be keys with values, like `title: ...`.", path, 2)
    key_lines = {}
    for number in range(1, end):
        match = re.match(r"([^\s:#][^:]*?)\s*:", lines[number])
        if match:
            key_lines.setdefault(match.group(1).strip("'\""), number + 1)
    return FrontMatter(data=data, body="\n".join(lines[end + 1:]).lstrip("\n"), key_lines=key_lines)


def parse_article(text: str, path: str) -> Article:
    """A content file's text -> Article. Pure; raises BuildError with the path and line."""
    return parse_article_checked(text, path)[0]


def parse_article_checked(text: str, path: str) -> tuple[Article, list[Diagnostic]]:
    """Like parse_article, and also the warnings (unknown keys)."""
    front = split_front_matter(text, path)
    fields = _Fields(front, path)
    diagnostics = [fields.unknown(key) for key in front.data if key not in FIELDS]
    title = fields.text("title")
    if not title or not title.strip():
        raise BuildError("The front matter has no `title`: add one, e.g. `title: What happened`.",
                         path, fields.line("title"))
    stem = PurePath(path).stem
    slug = fields.text("slug")
    slug = stem if slug is None else slug
    if not SLUG.fullmatch(slug):
        where = "slug" if "slug" in front.data else "file name"
        raise BuildError(f"The {where} {slug!r} is not a safe slug: use only lowercase letters a-z, "
                         "digits and hyphens (it becomes the page's folder, /articles/<slug>/).",
                         path, fields.line("slug"))
    fields.text("byline")
    fields.flag("truncated")
    fields.names("not_duplicate_of")
    fields.records("merged")
    article = Article(
        slug=slug, title=title, id=fields.text("id") or slug, sources=fields.names("sources") or (),
        body=front.body, path=path, caption=fields.text("caption"), date=fields.date("date"),
        summary=fields.text("summary"), draft=fields.flag("draft"),
        author=fields.text("author"), place=fields.text("place"),
        countries=fields.names("countries"), topics=fields.names("topics"),
        exclude_countries=fields.names("exclude_countries") or (),
        exclude_topics=fields.names("exclude_topics") or ())
    return article, diagnostics


_TYPE_NAMES = {bool: "true/false", int: "a number", float: "a number", list: "a list",
               dict: "keys with values"}


class _Fields:
    """Typed access to front matter values; a wrong type is a BuildError naming the key's line."""

    def __init__(self, front: FrontMatter, path: str):
        self.data, self.key_lines, self.path = front.data, front.key_lines, path

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def _wrong(self, key: str, wanted: str, value: Any) -> BuildError:
        got = _TYPE_NAMES.get(type(value), type(value).__name__)
        return BuildError(f"`{key}` must be {wanted}, not {got} ({value!r}); "
                          "quote it if it is meant as text.", self.path, self.line(key))

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, str):
            raise self._wrong(key, "text", value)
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def names(self, key: str) -> tuple[str, ...] | None:
        """A list of strings, or one string meaning a list of one; None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._wrong(key, "a list of text items", value)
        return tuple(value)

    def records(self, key: str) -> list[dict[str, Any]]:
        """A list of mappings (or nothing)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self._wrong(key, "a list of entries with keys", value)
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise BuildError(f"`{key}` must be a date written YYYY-MM-DD (e.g. 2025-12-15), "
                         f"not {value!r}.", self.path, self.line(key))

    def unknown(self, key: Any) -> Diagnostic:
        close = difflib.get_close_matches(str(key), FIELDS, n=1, cutoff=0.6)
        hint = f": did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(FIELDS)})"
        return Diagnostic(f"unknown key {key!r} in the front matter{hint}", self.path,
                          self.key_lines.get(str(key)))


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    shown = _shown_folder(path.parent, os.getcwd())
    return str(path) if shown is None else os.path.join(shown, path.name) if shown != "." else path.name


@functools.lru_cache(maxsize=64)
def _shown_folder(folder: Path, cwd: str) -> str | None:
    # Once per folder, not once per file: resolve() costs a system call per component.
    try:
        return str(folder.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return None


def article_files(content_dir: Path) -> list[Path]:
    folder = content_dir / "articles"
    if not folder.is_dir():
        return []
    return sorted(file for file in folder.glob("*.md") if file.is_file() and not file.name.startswith("."))


def read_article(path: Path) -> tuple[Article, list[Diagnostic], bytes]:
    """One content file: (article, warnings, the file's bytes). BuildError names the file."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
        article, found = parse_article_checked(data.decode("utf-8"), shown)
    except UnicodeDecodeError as error:
        raise BuildError(f"not UTF-8 text (byte {error.start}); save it as UTF-8.", shown) from None
    except OSError as error:
        raise BuildError(f"can't read the file ({error.strerror}).", shown) from None
    return article, found, data


def check_collection(articles: Sequence[Article], errors: list[BuildError],
                     content_dir: Path) -> list[Diagnostic]:
    """The articles, in file order, as one collection: a shared slug is an error (raised
    with every other problem in `errors`, numbered), a shared id a warning (returned)."""
    errors = list(errors)
    for article, other in _clashes(articles, "slug"):
        errors.append(BuildError(f"slug {article.slug!r} is already used by {other.path}; "
                                 "each article needs its own slug.", article.path))
    if errors:
        listing = "\n".join(f"  {number}. {error}" for number, error in enumerate(errors, start=1))
        raise BuildError(f"{len(errors)} problem(s) in article files:\n{listing}",
                         display_path(content_dir / "articles"))
    return [Diagnostic(f"id {article.id!r} is also the id of {other.path}; "
                       "give a copied article an id of its own", article.path)
            for article, other in _clashes(articles, "id")]


def load_articles(content_dir: Path) -> tuple[list[Article], list[Diagnostic]]:
    """Every content/articles/*.md, by file name. All bad files are reported in one BuildError."""
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    errors: list[BuildError] = []
    for file in article_files(content_dir):
        try:
            article, found, _ = read_article(file)
        except BuildError as error:
            errors.append(error)
        else:
            articles.append(article)
            diagnostics.extend(found)
    diagnostics += check_collection(articles, errors, content_dir)
    return articles, diagnostics


def _clashes(articles: Sequence[Article], field: str) -> list[tuple[Article, Article]]:
    """(article, the earlier article with the same value of field), in file order."""
    # Nearly always there is none, and counting distinct values runs in C: serve asks
    # this of every article at every edit.
    if len(set(map(attrgetter(field), articles))) == len(articles):
        return []
    first: dict[str, Article] = {}
    return [(article, other) for article in articles
            if (other := first.setdefault(getattr(article, field), article)) is not article]
