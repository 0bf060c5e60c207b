"""The labelled people and organisations (tests/labelled/entities/), loaded through the
real ingest path: dump -> content file -> Article -> markdown render -> paragraphs.

Four label files, each for one part:
  tests/labelled/entities/labels.yaml          part `dev`: articles modelled on real news,
                                               labelled before any extractor ran on them;
                                               the extractor is tuned on it.
  tests/labelled/entities/heldout-labels.yaml  part `heldout`: written and labelled the same
                                               way, held out, measured once (2026-12-07),
                                               then tuning data too.
  tests/labelled/entities/fresh-labels.yaml    part `fresh`: 20 more, written and labelled by
                                               another hand after that, never shown to the
                                               extractor's authors: for measuring only.
  tests/labelled/entities/fresh2-labels.yaml   part `fresh2`: 24 more (fresh2-1 ... fresh2-6),
                                               written and labelled by another hand on
                                               2026-12-08, never shown to the extractor's
                                               authors: for measuring only.
The convention is tests/labelled/entities/CONVENTION.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from labelled_data import _articles          # a dump's articles, through ingest's path

from briefing.markup import render_markdown

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(__file__).resolve().parent / "labelled" / "entities"
PARTS = {"dev": FOLDER / "labels.yaml", "heldout": FOLDER / "heldout-labels.yaml",
         "fresh": FOLDER / "fresh-labels.yaml", "fresh2": FOLDER / "fresh2-labels.yaml"}


@dataclass(frozen=True)
class Label:
    name: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelledArticle:
    file: str
    title: str
    caption: str | None
    paragraphs: tuple[str, ...]
    people: tuple[Label, ...]
    organisations: tuple[Label, ...]
    optional: tuple[str, ...]


def load_part(part: str) -> list[LabelledArticle]:
    """The labelled articles of a part ("dev" or "heldout"), in file order."""
    labels = yaml.safe_load(PARTS[part].read_text(encoding="utf-8"))
    parsed: dict[str, dict] = {}
    found = []
    for entry in labels[part]:
        file = entry["file"]
        if file not in parsed:
            parsed[file] = _articles(FOLDER / file)
        article = parsed[file][entry["title"]]        # KeyError: a label lost its article
        found.append(LabelledArticle(
            file=file, title=article.title, caption=article.caption,
            paragraphs=render_markdown(article.body).paragraphs,
            people=_labels(entry.get("people")), organisations=_labels(entry.get("organisations")),
            optional=tuple(str(item) for item in entry.get("optional") or ())))
    return found


def _labels(items) -> tuple[Label, ...]:
    return tuple(Label(str(item["name"]), tuple(str(form) for form in item.get("also") or ()))
                 for item in items or ())

