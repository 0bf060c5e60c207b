"""Placed entries -> the people and organisations with a page, and each country's and
topic's key ones (the site's "who is who"). Pure, like the rest of assembly (site.py).

An entity gets a page when at least `min_articles` articles name it, or an editor
lists it in content/entities.yaml: one-off names do not flood the site. Its page lists
the articles naming it, newest first, each with the sentence that does; the people and
organisations most often named in the same articles; and its roles and countries as
the articles give them, most often given first.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from .model import Count, Entry, EntityGroup

ROLES_SHOWN = 3             # roles an entity's page gives, most often given first
COMPANIONS = 8              # others named with it that its page lists
ACTORS = 8                  # key people and organisations on a country's or topic's page
# A country an entity is tied to by the articles alone (not by the text around its name)
# is one at least this share of the articles naming it are about.
COUNTRY_SHARE = 0.5
FOLDERS = {"person": "people", "organisation": "organisations"}


@dataclass(frozen=True)
class Actors:
    people: tuple[EntityGroup, ...]
    organisations: tuple[EntityGroup, ...]
    panels: dict[str, tuple[Count, ...]]        # country or topic url -> entity urls, most named first


def entity_url(kind: str, slug: str) -> str:
    return f"/{FOLDERS[kind]}/{slug}/"


def group_entities(entries: Sequence[Entry], min_articles: int, memo: dict | None = None,
                   moved: Sequence[str] = ()) -> Actors:
    """The entities of the placed entries (newest first) that get a page, most named
    first. memo (kept between builds by serve): what the last call made, from which an
    edit that leaves every article naming the same ones makes the answer in a few
    milliseconds (_update); and each entity's group, reused while the articles naming it
    and what they say of it are the same. moved: the slugs of the articles that moved in
    the order since that call, when the others kept theirs (a title or date edit).

    Counting goes through Counter.update over lists (in C): at 4,000 benchmark articles,
    with some 60,000 mentions, a count per pair in Python was two seconds."""
    if memo is not None and memo.get("min_articles") == min_articles:
        updated = _update(entries, memo, moved)
        if updated is not None:
            return updated
    named: dict[str, list[tuple[Entry, object]]] = defaultdict(list)
    urls_of = []          # each entry's entity urls, as it names them
    for entry in entries:
        urls = tuple([entity_url(mention.kind, mention.slug) for mention in entry.entities])
        urls_of.append(urls)
        for url, mention in zip(urls, entry.entities):
            named[url].append((entry, mention))
    paged = {url for url, found in named.items()
             if len(found) >= min_articles or any(mention.listed for _, mention in found)}
    # Each entry's entities with a page: who is named with whom, and the panels.
    shown = {entry.article.slug: tuple([url for url in urls if url in paged])
             for entry, urls in zip(entries, urls_of) if urls}
    previous = memo.get("groups", {}) if memo is not None else {}
    fresh: dict[str, tuple] = {}
    for url in paged:
        fresh[url] = _keyed(url, named[url], shown, previous.get(url))
    actors = _actors(fresh, _panels(entries, shown))
    if memo is not None:
        memo.clear()
        memo.update(min_articles=min_articles, groups=fresh, named=named, shown=shown, actors=actors,
                    slugs=[entry.article.slug for entry in entries],
                    entries={entry.article.slug: (entry, urls) for entry, urls in zip(entries, urls_of)})
    return actors


def _keyed(url: str, found: list, shown: Mapping[str, tuple[str, ...]], known: tuple | None) -> tuple:
    """(what the group is made of, the group): the known one while that is the same."""
    key = (tuple([mention for _, mention in found]), tuple([entry.article.slug for entry, _ in found]),
           tuple([entry.classification.countries for entry, _ in found]),
           tuple([shown[entry.article.slug] for entry, _ in found]))
    if known is None or known[0] != key:
        known = (key, _group(url, found, key[3]))
    return known


def _actors(groups: Mapping[str, tuple], panels: dict[str, tuple[Count, ...]]) -> Actors:
    ordered = sorted((group for _, group in groups.values()), key=lambda g: (-len(g.articles), g.name.casefold(), g.url))
    return Actors(people=tuple(g for g in ordered if g.kind == "person"),
                  organisations=tuple(g for g in ordered if g.kind == "organisation"), panels=panels)


# An edit of more articles than this is grouped from scratch.
UPDATE_MAX = 50


def _update(entries: Sequence[Entry], memo: dict, moved: Sequence[str]) -> Actors | None:
    """The last answer brought up to date with the few articles that changed, when each
    names the same people and organisations as before with the same classification (a
    title, date or body edit in serve): only the groups naming them are made again, and
    the pages and panels stand. None when that is not so."""
    known: dict[str, tuple[Entry, tuple[str, ...]]] = memo["entries"]
    if len(known) != len(entries):
        return None
    slugs = [entry.article.slug for entry in entries]
    if slugs != memo["slugs"] and not moved:
        return None     # another order, and not one article moving: from scratch
    moved = set(moved)
    changed = [entry for entry in entries
               if (known.get(entry.article.slug) or (None,))[0] is not entry or entry.article.slug in moved]
    if not changed:
        return memo["actors"]
    if len(changed) > UPDATE_MAX:
        return None
    affected: set[str] = set()
    for entry in changed:
        old = known.get(entry.article.slug)
        if old is None or entry.classification != old[0].classification \
                or tuple([entity_url(m.kind, m.slug) for m in entry.entities]) != old[1]:
            return None
        affected.update(old[1])
    now = {entry.article.slug: entry for entry in changed}
    where = {slug: i for i, slug in enumerate(slugs)}
    named, groups, shown = memo["named"], dict(memo["groups"]), memo["shown"]
    for url in affected:
        found = []
        for entry, mention in named[url]:
            slug = entry.article.slug
            if slug in now:
                entry = now[slug]
                mention = entry.entities[known[slug][1].index(url)]
            found.append((entry, mention))
        found.sort(key=lambda pair: where[pair[0].article.slug])
        named[url] = found
        if url in groups:
            groups[url] = _keyed(url, found, shown, groups[url])
    for entry in changed:
        known[entry.article.slug] = (entry, known[entry.article.slug][1])
    actors = _actors(groups, memo["actors"].panels)
    memo.update(groups=groups, actors=actors, slugs=slugs)
    return actors


def _group(url: str, found: list, shown: Sequence[Sequence[str]]) -> EntityGroup:
    first = found[0][1]
    # The newest article's name and kind stand: an editor's name is the same in all.
    roles: dict[str, int] = {}
    told: dict[str, int] = {}           # countries the text ties it to
    about: dict[str, int] = {}          # countries of the articles naming it
    companions: Counter = Counter()
    for (entry, mention), others in zip(found, shown):
        # Plain dicts for these few items: a Counter's update costs more (3,800 groups).
        for counts, items in ((roles, mention.roles), (told, mention.countries),
                              (about, entry.classification.countries)):
            for item in set(items) if len(items) > 1 else items:
                counts[item] = counts.get(item, 0) + 1
        companions.update(others)   # in C; an article names each one once
    companions.pop(url, None)
    countries = [code for code, _ in _ranked(told)]
    countries += [code for code, n in _ranked(about)
                  if n >= COUNTRY_SHARE * len(found) and code not in countries]
    return EntityGroup(
        kind=first.kind, slug=first.slug, name=first.name, url=url,
        category=next((m.category for _, m in found if m.category), ""),
        roles=tuple(role for role, _ in _ranked(roles)[:ROLES_SHOWN]),
        countries=tuple(countries),
        articles=tuple(entry.article.slug for entry, _ in found),
        sentences=tuple((mention.sentence, mention.paragraph) for _, mention in found),
        companions=tuple(Count(key, n) for key, n in heapq.nsmallest(COMPANIONS, companions.items(), key=_rank)),
        listed=any(mention.listed for _, mention in found))


def _panels(entries: Sequence[Entry], shown: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[Count, ...]]:
    """Each country's and topic's key people and organisations: those with a page named
    in most of the articles about it (two at least)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for entry in entries:
        urls = shown.get(entry.article.slug)
        if urls:
            distinct = set(urls)
            for code in entry.classification.countries:
                counts[code].update(distinct)
            for topic in entry.classification.topics:
                counts["topic:" + topic].update(distinct)
    return {key: tuple(Count(url, n) for url, n in heapq.nsmallest(ACTORS, counter.items(), key=_rank) if n > 1)
            for key, counter in sorted(counts.items())}


def _ranked(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=_rank) if len(counts) > 1 else list(counts.items())


def _rank(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
