"""Article -> Classification: the countries it is about, those it only
mentions, and its topics.

Classification is a pure function of the article and the two data files
(content/topics.yaml, content/country-aliases.yaml): the Classifier carries a
fingerprint of both, so a build cache keyed on it reclassifies everything when
either changes. The article is split into passages (title, caption, headings,
lead paragraphs, body, list items) and tokenised once; countries.py and
topics.py each make one pass over those tokens.

Editors have the last word: front matter `countries` / `topics` replace the
computed lists, `exclude_countries` / `exclude_topics` remove items. Unknown
values are reported as Diagnostics and ignored.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .entities import ENTITIES_FILE, EntityRules, parse_entity_rules
from .countries import (MARKS, SEPARATOR, Document, Gazetteer, build_gazetteer, clean, focus,
                        parse_aliases, split_passages)
from .model import Article, BuildError, Classification, Diagnostic
from .topics import Taxonomy, parse_taxonomy, select

# Part of the fingerprint: bump when a code change alters results, so build
# caches keyed on the fingerprint do not serve stale classifications.
CLASSIFIER_VERSION = "3"
TOPICS_FILE = "topics.yaml"
ALIASES_FILE = "country-aliases.yaml"
LEAD_PARAGRAPHS = 3

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_AUTOLINK = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*>")
# Each starts with a newline (the body gets one in front): the regex engine
# then skips to the next newline at C speed, where `^` with re.M would try
# every position.
_QUOTE = re.compile(r"\n[ \t]*>[ \t]?")
_HEADING_LINE = re.compile(r"\n[ \t]*#{1,6}[ \t]+")     # a heading runs to the next blank line
_ITEM_LINE = re.compile(r"\n[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_HEADING_MARK, _ITEM_MARK = MARKS


@dataclass(frozen=True)
class Classifier:
    gazetteer: Gazetteer
    taxonomy: Taxonomy
    fingerprint: str            # sha256 of the data files (and CLASSIFIER_VERSION)
    entities: EntityRules | None = None     # content/entities.yaml: people and organisations


def load_classifier(content_dir: Path) -> Classifier:
    """Read content_dir/topics.yaml and content_dir/country-aliases.yaml."""
    texts = []
    for name in (TOPICS_FILE, ALIASES_FILE):
        path = Path(content_dir) / name
        try:
            texts.append((path.read_bytes(), str(path)))
        except OSError as error:
            raise BuildError(f"cannot read {name}: {error.strerror}", str(path)) from None
    (topics, topics_path), (aliases, aliases_path) = texts
    # Optional: with no entities file, the extractor's own rules alone.
    entities_path = Path(content_dir) / ENTITIES_FILE
    try:
        entities = entities_path.read_bytes()
    except FileNotFoundError:
        entities = b""
    except OSError as error:
        raise BuildError(f"cannot read {ENTITIES_FILE}: {error.strerror}", str(entities_path)) from None
    return _classifier(topics, topics_path, aliases, aliases_path, entities, str(entities_path))


@functools.lru_cache(maxsize=4)
def _classifier(topics: bytes, topics_path: str, aliases: bytes, aliases_path: str,
                entities: bytes = b"", entities_path: str = ENTITIES_FILE) -> Classifier:
    # Cached on the files' bytes: `serve` reloads on every rebuild, and
    # building the gazetteer from the country data takes a noticeable moment.
    taxonomy = parse_taxonomy(_decode(topics, topics_path), topics_path)
    gazetteer = build_gazetteer(parse_aliases(_decode(aliases, aliases_path), aliases_path))
    rules = parse_entity_rules(_decode(entities, entities_path), entities_path)
    digest = hashlib.sha256()
    for part in (CLASSIFIER_VERSION.encode(), topics, aliases, entities):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return Classifier(gazetteer=gazetteer, taxonomy=taxonomy, fingerprint=digest.hexdigest(), entities=rules)


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise BuildError("not valid UTF-8", path, line) from None


def document(article: Article) -> Document:
    """The article's text as one tokenised Document, passages in reading order.

    The markdown body is marked up with regular expressions rather than read
    line by line (this runs for every article of every build): a separator
    between blocks, and a mark opening each heading and list item.
    """
    body = "\n" + clean(article.body)
    if "](" in body or "<" in body:
        body = _AUTOLINK.sub(" ", _LINK_TARGET.sub("]", body))
    if ">" in body:
        body = _QUOTE.sub("\n", body)
    if "#" in body:
        body = _HEADING_LINE.sub(f" {SEPARATOR} {_HEADING_MARK} ", body)
    body = _ITEM_LINE.sub(f" {SEPARATOR} {_ITEM_MARK} ", body)
    body = _BLANK_LINES.sub(f" {SEPARATOR} ", body)
    head = [clean(article.title)] + ([clean(article.caption)] if article.caption else [])
    tokens, starts = split_passages(f" {SEPARATOR} ".join(head + [body]))
    kinds = ["title", "caption"][:len(head)]
    paragraphs = 0
    for start in starts[len(head):]:
        first = tokens[start] if start < len(tokens) else SEPARATOR
        if first == _HEADING_MARK:
            kinds.append("heading")
        elif first == _ITEM_MARK:
            kinds.append("item")
        elif first == SEPARATOR:           # an empty block
            kinds.append("body")
        else:
            paragraphs += 1
            kinds.append("lead" if paragraphs <= LEAD_PARAGRAPHS else "body")
    return Document(tokens, starts, tuple(kinds))


def classify(article: Article, classifier: Classifier
             ) -> tuple[Classification, tuple[Diagnostic, ...]]:
    """The article's countries and topics, with editors' overrides applied."""
    found = document(article)
    scan = classifier.gazetteer.scan(found)
    about, mentioned = focus(scan.scores, scan.headline)
    topic_scores, words = classifier.taxonomy.scores(found)
    topics = select(topic_scores, words, classifier.taxonomy.thresholds)

    diagnostics: list[Diagnostic] = []
    gazetteer = classifier.gazetteer

    def countries(field: str, values: Iterable[str]) -> list[str]:
        codes: list[str] = []
        for value in values:
            country = gazetteer.resolve(str(value))
            if country is None:
                diagnostics.append(Diagnostic(
                    f"unknown country {value!r} in `{field}`; use a name, slug or ISO code "
                    f"such as Iraq, iraq, IQ or IRQ", article.path))
            elif country.code not in codes:
                codes.append(country.code)
        return codes

    known_topics = set(classifier.taxonomy.slugs)

    def slugs(field: str, values: Iterable[str]) -> list[str]:
        chosen: list[str] = []
        for value in values:
            slug = str(value).strip().lower()
            if slug not in known_topics:
                diagnostics.append(Diagnostic(
                    f"unknown topic {value!r} in `{field}`; known topics: "
                    f"{', '.join(classifier.taxonomy.slugs)}", article.path))
            elif slug not in chosen:
                chosen.append(slug)
        return chosen

    if article.countries is not None:
        chosen = countries("countries", article.countries)
        mentioned = tuple(code for code in sorted({*about, *mentioned}) if code not in chosen)
        about = tuple(chosen)
    excluded = set(countries("exclude_countries", article.exclude_countries))
    if article.topics is not None:
        topics = tuple(slugs("topics", article.topics))
    dropped = set(slugs("exclude_topics", article.exclude_topics))

    return (Classification(
        countries=tuple(code for code in about if code not in excluded),
        countries_mentioned=tuple(sorted(code for code in mentioned if code not in excluded)),
        topics=tuple(slug for slug in topics if slug not in dropped)),
        tuple(diagnostics))
