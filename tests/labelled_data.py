"""The labelled articles (tests/labelled/), loaded through the real ingest path.

Two label files name, for each article, the countries it is about and the topics an
editor files it under:
  tests/labelled/labels.yaml       parts `tuning`, `seen`, `seen-2`: written for the first
                                   classifier, relabelled by hand on 2026-12-07 to the
                                   convention below; all of it is tuning data now.
  tests/labelled/real/labels.yaml  parts `tuning` and `seen`: 53 articles modelled on real
                                   news, labelled before any classifier ran on them; `seen`
                                   was held out, measured once, and joined the tuning data.
  tests/labelled/fresh/labels.yaml part `seen`: 24 more, written and labelled after that,
                                   held out, measured once, then tuning data too.
  tests/labelled/final/labels.yaml part `heldout`: 30 more, written and labelled after the
                                   last change of the classifier, before it ran on them.
The held-out part (`final-heldout`) is for measuring only: tune on everything else.

Articles are parsed by briefing.dumps (any dump layout) and written and read back as
content files, as ingest and the build do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefing.content import parse_article, render_article
from briefing.dumps import parse_dump
from briefing.model import Article

ROOT = Path(__file__).resolve().parents[1]
LABELLED = Path(__file__).resolve().parent / "labelled"
SETS = {"": LABELLED, "real-": LABELLED / "real", "fresh-": LABELLED / "fresh",
        "final-": LABELLED / "final"}                                             # prefix -> folder
HELD_OUT = "final-heldout"


@dataclass(frozen=True)
class Labelled:
    article: Article
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    part: str


def load_parts() -> dict[str, list[Labelled]]:
    """part name -> its labelled articles, in file order."""
    parts: dict[str, list[Labelled]] = {}
    for prefix, folder in SETS.items():
        labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
        parsed: dict[str, dict[str, Article]] = {}
        for part, entries in labels.items():
            name = prefix + part
            parts[name] = []
            for entry in entries:
                file = entry["file"]
                if file not in parsed:
                    parsed[file] = _articles(ROOT / file if file.startswith("seeds/") else folder / file)
                article = parsed[file][entry["title"]]          # KeyError: a label lost its article
                for code in entry["countries"]:                 # e.g. a bare NO read as false
                    assert isinstance(code, str) and re.fullmatch("[A-Z]{2}", code), entry["title"]
                parts[name].append(Labelled(article, tuple(entry["countries"]), tuple(entry["topics"]),
                                            name))
    return parts


def tuning(parts: dict[str, list[Labelled]]) -> list[Labelled]:
    return [item for name, items in parts.items() if name != HELD_OUT for item in items]


def _articles(path: Path) -> dict[str, Article]:
    raws, _ = parse_dump(path.read_text(encoding="utf-8"), path.name)
    found = {}
    for number, raw in enumerate(raws):
        slug = f"labelled-{number}"
        text = render_article(raw, id=slug, slug=slug, sources=[path.name])
        found[raw.title] = parse_article(text, f"{path.name}#{slug}")
    return found
