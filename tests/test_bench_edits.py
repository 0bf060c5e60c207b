"""The benchmark's edits (benchmarks/edits.py): each kind changes what it says and only
that, and the result is still a content file our build reads."""
from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from briefing.content import parse_article

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_edits", ROOT / "benchmarks" / "edits.py")
edits = importlib.util.module_from_spec(_spec)
sys.modules["bench_edits"] = edits
_spec.loader.exec_module(edits)

ARTICLE = """---
title: 'Talks in "Baghdad" resume'
slug: talks-in-baghdad-resume
caption: Delegates arrive.
---

Negotiators returned to the capital on Monday after a pause of several weeks.

A second paragraph follows.
"""


def _read(text: str, tmp_path: Path, name: str = "talks.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_article(text, path)


def test_each_edit_changes_what_it_says_and_stays_a_content_file(tmp_path):
    before = _read(ARTICLE, tmp_path)
    assert before.title == 'Talks in "Baghdad" resume'
    prefixed = _read(edits.title_prefixed(ARTICLE), tmp_path)
    assert prefixed.title == 'Edited Talks in "Baghdad" resume' and prefixed.body == before.body
    rewritten = _read(edits.headline_rewritten(ARTICLE), tmp_path)
    assert rewritten.title == 'resume "Baghdad" in Talks' and rewritten.body == before.body
    added = _read(edits.paragraph_added(ARTICLE), tmp_path)
    assert added.body.startswith(before.body.rstrip()) and added.body.count("\n\n") == before.body.count("\n\n") + 1
    typo = _read(edits.typo_fixed(ARTICLE), tmp_path)
    assert typo.title == before.title and typo.body != before.body
    assert sum(a != b for a, b in zip(typo.body, before.body)) == 2 and len(typo.body) == len(before.body)
    copy = _read(edits.added_copy(ARTICLE, 3), tmp_path, "copy.md")
    assert copy.slug == "talks-in-baghdad-resume-added-3" and copy.title.startswith("Added 3: ")


def test_a_dated_copy_gives_every_article_a_date(tmp_path):
    source, target = tmp_path / "content", tmp_path / "dated"
    (source / "articles").mkdir(parents=True)
    (source / "site.yaml").write_text("title: T\n", encoding="utf-8")
    for number in range(3):
        (source / "articles" / f"a{number}.md").write_text(ARTICLE.replace("Talks in", f"Talks {number} in"),
                                                           encoding="utf-8")
    assert edits.with_dates(source, target) == 3
    assert (target / "site.yaml").read_text(encoding="utf-8") == "title: T\n"
    dates = [_read((target / "articles" / f"a{n}.md").read_text(encoding="utf-8"), tmp_path).date for n in range(3)]
    assert dates == [dt.date(2025, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 30)]


@pytest.mark.parametrize("kind", edits.KINDS)
def test_a_planned_edit_is_made_only_when_saved(tmp_path, kind):
    articles = tmp_path / "articles"
    articles.mkdir()
    for number in range(4):
        (articles / f"a{number}.md").write_text(ARTICLE, encoding="utf-8")
    before = {path.name: path.read_text(encoding="utf-8") for path in articles.iterdir()}
    path, text = edits.planned_edit(kind, articles, 1)
    assert {p.name: p.read_text(encoding="utf-8") for p in articles.iterdir()} == before
    edits.make(path, text)
    after = {p.name: p.read_text(encoding="utf-8") for p in articles.iterdir()}
    if kind == "article deleted":
        assert set(before) - set(after) == {path.name}
    elif kind == "article added":
        assert set(after) - set(before) == {path.name}
    else:
        assert [name for name in before if after[name] != before[name]] == [path.name]
