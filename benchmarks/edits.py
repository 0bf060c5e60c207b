"""Every kind of edit an editor makes to a content file, as the benchmark makes them (issue 21).

Each edit is a pure function of a content file's text (YAML front matter, then the
markdown body), so the same edit can be made to our content and to the Hugo site made
from it (whose pages keep our front matter and body, with taxonomies added):

    paragraph added      a new paragraph at the end of the body
    title prefixed       "Edited " put before the title
    typo fixed           one word of the body changed (two letters swapped)
    headline rewritten   the title replaced by other words (it moves in a title order)
    article added        a new file: a copy of an article under a new title and slug
    article deleted      a file removed

A variant of the corpus with dates (`with_dates`) lets the benchmark time each edit on
articles that carry dates and on articles that do not (the generator's, like seeds/).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

KINDS = ("paragraph added", "title prefixed", "typo fixed", "headline rewritten", "article added",
         "article deleted")

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
_TITLE = re.compile(r"^title:[ \t]*(['\"]?)(.*?)\1[ \t]*$", re.M)
_SLUG = re.compile(r"^slug:[ \t]*(.*)$", re.M)
_WORD = re.compile(r"\b([a-z])([a-z])([a-z]{5,})\b")
FIRST_DATE = dt.date(2025, 1, 1)


def _split(text: str, where: str) -> tuple[str, str]:
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"{where}: no YAML front matter (a first line `---`)")
    return text[:match.end()], text[match.end():]


def _retitled(text: str, where: str, make: Callable[[str], str]) -> str:
    front, body = _split(text, where)
    match = _TITLE.search(front)
    if not match:
        raise ValueError(f"{where}: no `title:` line in its front matter")
    title = make(match.group(2))
    return front[:match.start()] + f"title: {_quoted(title)}" + front[match.end():] + body


def _quoted(title: str) -> str:
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def paragraph_added(text: str, where: str = "") -> str:
    front, body = _split(text, where)
    return front + body.rstrip("\n") + "\n\nOfficials added on Friday that talks would continue next week.\n"


def title_prefixed(text: str, where: str = "") -> str:
    return _retitled(text, where, lambda title: "Edited " + title)


def typo_fixed(text: str, where: str = "") -> str:
    """Two letters of the body's first long lower-case word swapped: a typo made or mended."""
    front, body = _split(text, where)
    match = _WORD.search(body)
    if not match:
        raise ValueError(f"{where}: no word of seven letters or more in the body to change")
    swapped = match.group(2) + match.group(1) + match.group(3)
    return front + body[:match.start()] + swapped + body[match.end():]


def headline_rewritten(text: str, where: str = "") -> str:
    """The title's words in reverse order: another headline, another place in a title order."""
    return _retitled(text, where, lambda title: " ".join(reversed(title.split())) or "Rewritten")


def added_copy(text: str, number: int, where: str = "") -> str:
    """A new article made from this one: a title and slug of its own."""
    front, body = _split(text, where)
    front = _SLUG.sub(lambda match: f"slug: {match.group(1).strip()}-added-{number}", front, count=1)
    front = "".join(line for line in front.splitlines(keepends=True) if not line.startswith("id:"))  # ingest's
    return _retitled(front + body, where, lambda title: f"Added {number}: {title}")


def with_date(text: str, date: dt.date, where: str = "") -> str:
    """The article with `date:` set in its front matter (replacing one it has)."""
    front, body = _split(text, where)
    lines = [line for line in front.splitlines(keepends=True) if not line.startswith("date:")]
    return "".join(lines[:-1]) + f"date: {date.isoformat()}\n" + lines[-1] + body


def with_dates(source: Path, target: Path) -> int:
    """Copy a content folder, each article given a date: one a day back from FIRST_DATE
    in name order, wrapping every three years, so many share none. Returns how many."""
    articles = sorted((source / "articles").glob("*.md"))
    (target / "articles").mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.is_file():
            (target / path.name).write_bytes(path.read_bytes())
    for number, path in enumerate(articles):
        date = FIRST_DATE - dt.timedelta(days=number % 1096)
        (target / "articles" / path.name).write_text(with_date(path.read_text(encoding="utf-8"), date, str(path)),
                                                     encoding="utf-8")
    return len(articles)


def planned_edit(kind: str, articles: Path, pick: int) -> tuple[Path, str | None]:
    """One edit of `kind` in a folder of content files (ours or the Hugo site's), not yet
    made: (the file, its new text, or None to remove it). The file is the one `pick`
    files after the middle one in name order, or a new file beside it for "article added"."""
    files = sorted(articles.glob("*.md"))
    if not files:
        raise ValueError(f"no content files in {articles} to edit")
    path = files[(len(files) // 2 + pick) % len(files)]
    if kind == "article deleted":
        return path, None
    text = path.read_text(encoding="utf-8")
    if kind == "article added":
        return articles / f"{path.stem}-added-{pick}.md", added_copy(text, pick, str(path))
    edit = {"paragraph added": paragraph_added, "title prefixed": title_prefixed, "typo fixed": typo_fixed,
            "headline rewritten": headline_rewritten}[kind]
    return path, edit(text, str(path))


def make(path: Path, text: str | None) -> None:
    """Save a planned edit: write the file, or remove it."""
    if text is None:
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")
