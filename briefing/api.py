"""Site -> the JSON API files under /api/ (bytes, UTF-8, deterministic).

Each file is one object with a single list in it ({"articles": [...]}), so a
field can be added later without breaking readers. URLs are absolute when the
base URL is known, else base-path-prefixed site paths.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from . import briefs, maps
from .markup import paragraph_id
from .model import Entry, Event, Site
from .urls import absolute_url


def _dump(value: dict[str, list[Any]]) -> bytes:
    """{"name": [item, ...]} with one item per line: readable and diffable, yet written by
    json's C encoder (an indent would switch to the pure-Python one, slow at 10,000 items)."""
    (name, items), = value.items()
    return _join(name, [_line(item) for item in items])


def _line(item: Any) -> bytes:
    return json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _join(name: str, lines: list[bytes]) -> bytes:
    # Lines are bytes already: joining 2 MB of them is a copy, encoding the joined text
    # again (serve does this at every edit) cost more than the rest of the file.
    if not lines:
        return f'{{"{name}": []}}\n'.encode("utf-8")
    return b"".join([f'{{"{name}": [\n'.encode("utf-8"), b",\n".join(lines), b"\n]}\n"])


def articles_json(site: Site, memo: dict | None = None,
                  shown: Callable[[Entry], object] | None = None) -> bytes:
    """/api/articles.json: every published article, newest first.

    memo (the builder keeps it, in its cache too, less its "entries" and "order"): each
    article's line, reused while what the line shows of the article and the site
    settings are the same. shown(entry): what a line shows of an article, or a digest
    of it (the builder's is the article's listing fingerprint, which covers all of it);
    by default the fields themselves, which the memo would then keep, dates and events
    and all, in the cache.
    """
    shown = shown or _shown
    memo = {} if memo is None else memo
    if memo.get("config") != site.config:
        memo.clear()
        memo.update(config=site.config, lines={})
    known: dict[str, tuple[tuple, bytes]] = memo["lines"]
    # The Entry each line was last checked against: the very same object shows the same.
    checked: dict[str, Entry] = memo.get("entries", {})

    def line(entry: Entry) -> bytes:
        article = entry.article
        found = known.get(article.slug)
        if found is None or checked.get(article.slug) is not entry:
            now = shown(entry)
            if found is None or found[0] != now:
                found = known[article.slug] = (now, _line(_article(site, entry)))
            checked[article.slug] = entry
        return found[1]

    entries = site.entries
    previous, lines = memo.get("order"), memo.get("ordered")
    if previous is not None and len(previous) == len(entries):
        # The same articles in the same places (an edit in place): only the entries that
        # are new objects are looked at. The identity pass is a tenth of the full one.
        moved = [i for i, (old, new) in enumerate(zip(previous, entries)) if old is not new]
        if all(previous[i].article.slug == entries[i].article.slug for i in moved):
            lines = list(lines)
            for i in moved:
                lines[i] = line(entries[i])
            memo.update(order=entries, ordered=lines)
            return _join("articles", lines)
    fresh, fresh_checked = {}, {}
    lines = []
    for entry in entries:
        lines.append(line(entry))
        slug = entry.article.slug
        fresh[slug], fresh_checked[slug] = known[slug], entry
    memo.update(lines=fresh, entries=fresh_checked, order=entries, ordered=lines)
    return _join("articles", lines)


def _shown(entry: Entry) -> tuple:
    article = entry.article
    return (article.title, article.date, entry.updated, article.author, article.place, article.sources,
            entry.classification, entry.summary, entry.url, entry.news, entry.events, entry.entities)


def _article(site: Site, entry: Entry) -> dict[str, Any]:
    article, classification = entry.article, entry.classification
    return {
        "slug": article.slug,
        "title": article.title,
        "url": absolute_url(site.config, entry.url),
        "date": article.date.isoformat() if article.date else None,
        "updated": entry.updated.isoformat(),
        "author": article.author,
        "place": article.place,
        "sources": list(article.sources),
        "countries": list(classification.countries),
        "countries_mentioned": list(classification.countries_mentioned),
        "topics": list(classification.topics),
        "summary": entry.summary,
        "news": entry.news,
        "events": [_event(event) for event in entry.events],
        # Slugs of every person and organisation it names, first named first; those named
        # often enough have a page and a line in api/people.json or api/organisations.json.
        "people": [m.slug for m in entry.entities if m.kind == "person"],
        "organisations": [m.slug for m in entry.entities if m.kind == "organisation"],
    }


def _event(event: Event) -> dict[str, Any]:
    """A date the article states: as precise as the text ("2024-06", "2011"), where it
    was read, and whether it was still to come when the article was written (null when
    the article is undated)."""
    return {
        "date": briefs.iso_date(event.date, event.precision),
        "end": briefs.iso_date(event.end, event.precision) if event.end else None,
        "precision": event.precision,
        "text": event.text,
        "anchor": paragraph_id(event.paragraph) if event.paragraph else None,  # on the article's page; None: its top
        "ahead": event.ahead,
    }


def countries_json(site: Site) -> bytes:
    """/api/countries.json: every country with an article, with counts of articles about
    it and mentioning it, its latest developments and its key facts."""
    by_slug = site.by_slug
    return _dump({"countries": [{
        "code": group.country.code,
        "slug": group.country.slug,
        "name": group.country.name,
        "url": absolute_url(site.config, group.url),
        "articles": len(group.about),
        "mentioned": len(group.mentioned),
        "latest": [{
            "slug": row.entry.article.slug,
            "title": row.entry.article.title,
            "date": row.date.isoformat() if row.date else None,
            "news": row.sentence,
            "url": absolute_url(site.config, row.entry.url),
        } for row in briefs.latest_developments([by_slug[s] for s in group.about[:briefs.LATEST_FROM]])],
        "facts": _facts(group.country.code),
    } for group in site.countries]})


def _facts(code: str) -> dict[str, Any] | None:
    facts = maps.key_facts(code)
    if facts is None:
        return None
    return {"capital": facts.capital, "population": facts.population, "region": facts.region,
            "subregion": facts.subregion, "source": facts.source}


def entities_json(site: Site, kind: str) -> bytes:
    """/api/people.json or /api/organisations.json: those with a page, most named first,
    with their roles and countries as the articles give them, and the articles' slugs."""
    name = "people" if kind == "person" else "organisations"
    groups = site.people if kind == "person" else site.organisations
    return _dump({name: [{
        "slug": group.slug,
        "name": group.name,
        **({"type": group.category or None} if kind == "organisation" else {}),
        "url": absolute_url(site.config, group.url),
        "roles": list(group.roles),
        "countries": list(group.countries),
        "articles": list(group.articles),
    } for group in groups]})


def topics_json(site: Site) -> bytes:
    """/api/topics.json: every topic of the taxonomy, in taxonomy order, with its article count."""
    return _dump({"topics": [{
        "slug": group.topic.slug,
        "name": group.topic.name,
        "iptc": group.topic.iptc,
        "url": absolute_url(site.config, group.url),
        "articles": len(group.articles),
    } for group in site.topics]})
