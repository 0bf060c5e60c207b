"""Placed entries -> the people and organisations with a page, and each country's and
topic's key ones (the site's "who is who"). Pure, like the rest of assembly (site.py).

An entity gets a page when at least `min_articles` articles name it, or an editor
lists it in content/entities.yaml: one-off names do not flood the site. Its page lists
the articles naming it, newest first, each with the sentence that does; the people and
organisations most often named in the same articles; and its roles and countries as
the articles give them, most often given first.
"""
from __future__ import annotations

import bisect
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Mapping, NamedTuple, Sequence

from .model import Count, Entry, EntityGroup

ROLES_SHOWN = 3             # roles an entity's page gives, most often given first
# The newest articles naming it that an entity's page shows, each with its sentence. One
# page, not a paged archive: the organisations named in a thousand benchmark articles
# made twenty pages each, which an article moving in the order shifted one by one (a
# second of a serve edit). Its feed, the API and the search's filter reach the others.
SHOWN_ARTICLES = 50
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


class _Recipe(NamedTuple):
    """What a group was made of, kept unworked: the articles naming it (with what they
    say of it) and the entities each article names."""

    found: list
    shown: Mapping[str, tuple[str, ...]]


def _made_of(found: list, shown: Mapping[str, tuple[str, ...]]) -> tuple:
    return (tuple([mention for _, mention in found]), tuple([entry.article.slug for entry, _ in found]),
            tuple([entry.classification.countries for entry, _ in found]),
            tuple([shown[entry.article.slug] for entry, _ in found]))


def _keyed(url: str, found: list, shown: Mapping[str, tuple[str, ...]], known: tuple | None) -> tuple:
    """(what the group is made of, the group): the known one while that is the same.
    What a group is made of is worked out only when there is a known group to compare
    it with (serve grouping again from scratch): a cold build or a build in a new
    process has none, and working it out for 3,900 groups was a fifth of grouping.
    The lists and dict a _Recipe holds are never changed afterwards (_update copies)."""
    if known is not None and known[0] is not None:
        before = _made_of(*known[0]) if isinstance(known[0], _Recipe) else known[0]
        now = _made_of(found, shown)
        if before == now:
            return now, known[1]
        return now, _group(url, found, now[3])
    return _Recipe(found, shown), _group(url, found, [shown[entry.article.slug] for entry, _ in found])


def _actors(groups: Mapping[str, tuple], panels: dict[str, tuple[Count, ...]]) -> Actors:
    ordered = sorted((group for _, group in groups.values()), key=lambda g: (-len(g.articles), g.name.casefold(), g.url))
    return Actors(people=tuple(g for g in ordered if g.kind == "person"),
                  organisations=tuple(g for g in ordered if g.kind == "organisation"), panels=panels)


def _same_rank(new: EntityGroup, old: EntityGroup) -> bool:
    return len(new.articles) == len(old.articles) and new.name == old.name


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
    where = {slug: i for i, slug in enumerate(slugs)} if moved else None
    named, groups, shown = memo["named"], dict(memo["groups"]), memo["shown"]
    orders = memo.setdefault("orders", {})     # the slugs in named[url], made when first wanted
    for url in affected:
        found = list(named[url])
        # Only the changed articles' pairs are looked at: an organisation named in a
        # thousand articles made a thousand steps of Python per edit, and a sort with a
        # key function as many more when the article moved (45 ms of a serve edit).
        order = list(orders[url]) if url in orders else [entry.article.slug for entry, _ in found]
        same_counts, movers = True, []
        for slug in sorted(now.keys() & set(order)):
            index = order.index(slug)
            entry, mention = now[slug], found[index][1]
            new = entry.entities[known[slug][1].index(url)]
            same_counts = same_counts and new.roles == mention.roles and new.countries == mention.countries
            found[index] = (entry, new)
            if where is not None and slug in moved:
                movers.append(index)
        if movers:
            pairs = [found[index] for index in movers]
            for index in sorted(movers, reverse=True):
                del found[index]
                del order[index]
            for pair in pairs:
                # The others kept their order: each mover goes in at its new place.
                at = bisect.bisect(order, where[pair[0].article.slug], key=where.__getitem__)
                found.insert(at, pair)
                order.insert(at, pair[0].article.slug)
        named[url], orders[url] = found, order
        if url not in groups:
            continue
        if same_counts:
            # What is counted (roles, countries, companions) is as it was: only the order,
            # the sentences and the newest name can differ. The key is made again only if
            # a later grouping from scratch wants it.
            group = replace(groups[url][1], name=found[0][1].name, articles=tuple(order),
                            sentences=tuple([(mention.sentence, mention.paragraph)
                                             for _, mention in found[:SHOWN_ARTICLES]]))
            groups[url] = (None, group)
        else:
            groups[url] = _keyed(url, found, shown, groups[url])
    for entry in changed:
        known[entry.article.slug] = (entry, known[entry.article.slug][1])
    last = memo["actors"]
    if all(_same_rank(groups[url][1], old[1]) for url in affected if url in groups
           for old in (memo["groups"][url],)):
        # The order (most named, then name) stands: the new groups in the old places.
        def placed(listed):
            return tuple([groups[g.url][1] if g.url in affected else g for g in listed])
        actors = Actors(placed(last.people), placed(last.organisations), last.panels)
    else:
        actors = _actors(groups, last.panels)
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
        roles=tuple(role for role, _ in _ranked(roles, ROLES_SHOWN)),
        countries=tuple(countries),
        articles=tuple(entry.article.slug for entry, _ in found),
        sentences=tuple((mention.sentence, mention.paragraph) for _, mention in found[:SHOWN_ARTICLES]),
        companions=tuple(Count(key, n) for key, n in _ranked(companions, COMPANIONS)),
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
    return {key: tuple(Count(url, n) for url, n in _ranked(counter, ACTORS) if n > 1)
            for key, counter in sorted(counts.items())}


def _ranked(counts: Mapping[str, int], first: int | None = None) -> list[tuple[str, int]]:
    """(key, count) pairs, most first, then by key; the first `first` of them. Sorted on
    (-count, key) pairs zipped in C, without a key function: a build ranks some 700,000
    items (companions, panels). When only the first few are wanted, the count they must
    reach is found first, by sorting the bare counts (ints sort several times faster than
    pairs), and only the items reaching it are sorted as pairs."""
    if len(counts) < 2:
        return list(counts.items())
    if first is not None and len(counts) > 4 * first:
        floor = sorted(counts.values(), reverse=True)[first - 1]
        counts = {key: n for key, n in counts.items() if n >= floor}
    return [(key, -negative) for negative, key in sorted(zip(map(operator.neg, counts.values()), counts))[:first]]
