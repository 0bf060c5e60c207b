"""Keys and traces (Build Systems à la Carte): the fingerprint of what each output
shows, made from the fingerprints of the articles and groups it shows, and what a
change reaches.

Every prepared article carries two fingerprints (listing_view: what a listing or a
link shows of it; the whole entry: its own page and feed entry). A page's key joins
its template's key, the site's names and the fingerprints of what it shows, so an
output is rendered again exactly when one of those changed. PageKeys also keeps the
traces the other way round, for an edit: from a changed article to the pages that
list or link it (a reverse index of links, each listing's slice of its list), so a
rebuild keys only those pages rather than every page of the site.
"""
from __future__ import annotations

import hashlib
import itertools
import operator
import pickle
from dataclasses import fields
from pathlib import Path
from typing import Callable, Sequence

from . import feeds
from .actors import entity_url
from .cache import Cached, snapshot
from .model import Entry
from .plan import entity_per_page, feed_entries, site_documents

# What a page shows of an article it merely lists or links: everything but
# the body and the article's own links, so a body edit leaves listing pages alone.
_LISTING_FIELDS = tuple(f.name for f in fields(Entry)
                        if f.name not in ("article", "html", "headings", "related", "previous", "next", "events",
                                          "entities"))


def listing_view(entry: Entry) -> tuple:
    article = entry.article
    # The events (a briefing's timeline shows them) and the people and organisations (their
    # pages show the sentence naming them) pickled whole: one call, not one per item.
    return (article.slug, article.title, article.caption, article.date, article.summary, article.sources,
            article.author, article.place, pickle.dumps((entry.events, entry.entities), protocol=5),
            *(getattr(entry, name) for name in _LISTING_FIELDS))


def full_fingerprint(entry: Entry, listing: bytes) -> bytes:
    """The fingerprint of everything an article's own page and feed entry show: its
    listing fingerprint and the rest of the entry (the article, the body, its headings;
    its links are keyed on their own). Not the whole Entry pickled again: the listing
    has the events and the rest already, and pickling them twice was a tenth of
    preparing an article."""
    return fingerprint(listing, entry.html, pickle.dumps((entry.article, entry.headings), protocol=5))


def file_digest(data: bytes) -> bytes:
    """16 bytes that tell one file's bytes from another's: of each article file read
    and each page written. SHA-256, as processors since about 2017 compute it in
    hardware: on this project's 2-core machine it hashes a 30 KB page in 22 us,
    BLAKE2b in 89 us (0.4 s of CPU over a 4,000-article site's 190 MB)."""
    return hashlib.sha256(data).digest()[:16]


def fingerprint(*parts) -> bytes:
    """A 16-byte digest of the parts. Bytes, strings, numbers, None and tuples of them
    are encoded directly (keying thousands of pages per build); anything else is pickled."""
    digest = hashlib.blake2b(digest_size=16)
    _feed(digest, parts)
    return digest.digest()


def _feed(digest, value) -> None:
    kind = type(value)
    if kind is bytes:
        digest.update(b"b%d:" % len(value) + value)
    elif kind is str:
        data = value.encode("utf-8", "surrogatepass")
        digest.update(b"s%d:" % len(data) + data)
    elif value is None:
        digest.update(b"n")
    elif kind is int:
        digest.update(b"i%d;" % value)
    elif kind is tuple or kind is list:
        digest.update(b"t%d:" % len(value))
        for item in value:
            _feed(digest, item)
    else:
        data = pickle.dumps(value, protocol=5)
        digest.update(b"p%d:" % len(data) + data)


class PageKeys:
    """Fingerprints of what each page and feed shows, from per-article fingerprints
    made once when the article was prepared, so keying 10,000 pages costs little.

    memo (kept between builds by serve): keys of groups and article pages made from the
    very same objects last time, which an edit leaves nearly all of."""

    def __init__(self, site, by_slug: dict[str, Cached], memo: dict | None = None):
        self.site = site
        self.by_slug = by_slug
        self.per_page = site.config.per_page
        memo = memo if memo is not None else {}
        names = (site.config, tuple(g.country for g in site.countries), tuple(g.topic for g in site.topics))
        if memo.get("names", (None,))[0] != names:
            memo.clear()
            memo["names"] = (names, fingerprint(*names))
        self.names = memo["names"][1]
        self._articles: dict = memo.setdefault("articles", {})
        self._listings: dict = memo.setdefault("listings", {})
        # The articles whose prepared record is not the one the last build used.
        previous = memo.get("by_slug", {})
        if previous is by_slug:
            self.changed: set[str] = set()
        else:   # in C: a Python pass over every slug was 2 ms of each edit
            slugs = list(by_slug)
            self.changed = set(itertools.compress(slugs, map(operator.is_not, map(by_slug.__getitem__, slugs),
                                                             map(previous.get, slugs))))
            self.changed.update(previous.keys() - by_slug.keys())
        memo["by_slug"] = by_slug
        self._memo = memo
        groups: dict = memo.setdefault("groups", {})
        fresh: dict = {}
        self.remade: set[str] = set()      # urls of the groups that are not the last build's objects

        def group_key(group, make, members) -> tuple:
            found = groups.get(group.url)
            if found is None or found[0] is not group:
                found = (group, make(group), frozenset(members(group)))
                self.remade.add(group.url)
            fresh[group.url] = found
            # (group, key, whether an article it lists has changed)
            return group, found[1], not self.changed.isdisjoint(found[2])

        # A listing page shows its group's counts and its own slice of the list, not the
        # whole list: an article moving within it re-renders only the slices it touches.
        self.countries = {g.country.slug: group_key(g, _country_key, lambda g: (*g.about, *g.mentioned))
                          for g in site.countries}
        self.topics = {g.topic.slug: group_key(g, _topic_key, lambda g: g.articles) for g in site.topics}
        self.entities = {g.url: group_key(g, _entity_key, lambda g: g.articles)
                         for g in (*site.people, *site.organisations)}
        groups.clear()
        groups.update(fresh)
        self.entity_keys = {kind: fingerprint(*(key for group, key, _ in self.entities.values() if group.kind == kind))
                            for kind in ("person", "organisation")}
        # Each country's and topic's key people and organisations (first page only); and
        # the people and organisations with a page, by url, with their names: an article
        # links those it names, so one that gains or loses a page changes those articles.
        last_panels = memo.get("panels", {})
        self.panels = site.actors
        self.panels_changed = {key for key in self.panels.keys() | last_panels.keys()
                               if self.panels.get(key) != last_panels.get(key)}
        memo["panels"] = self.panels
        self.paged = {g.url: g.name for g in (*site.people, *site.organisations)}
        last_paged = memo.get("paged")
        self.relinked: set[str] = set()    # articles whose links to people and organisations changed
        if last_paged is not None and last_paged != self.paged:
            flipped = {url for url in self.paged.keys() | last_paged.keys()
                       if self.paged.get(url) != last_paged.get(url)}
            self.relinked = {entry.article.slug for entry in site.entries
                             if any(_entity_url(m) in flipped for m in entry.entities)}
        memo["paged"] = self.paged
        self.country_counts = fingerprint(*(key for _, key, _ in self.countries.values()))
        self.topic_counts = fingerprint(*(key for _, key, _ in self.topics.values()))
        self.country_topics = _country_topics(site, memo.setdefault("country_topics", {}))
        summary = (len(site.entries), site.updated, tuple(self.listing(e.article.slug) for e in site.entries[:40]),
                   tuple((g.country.code, len(g.about), len(g.mentioned)) for g in site.countries),
                   tuple((g.topic.slug, len(g.articles), _counts(g.countries[:5])) for g in site.topics),
                   self.entity_keys["person"], self.entity_keys["organisation"])
        self.whole = fingerprint(summary)

    def listing(self, slug: str) -> bytes:
        return self.by_slug[slug].listing

    def affected(self, pages: list, templates: dict[str, bytes]) -> list | None:
        """The pages whose key may differ from the one the last build gave them, in
        their order; None when the last build planned other pages (in any order, the
        same ones will do), with other templates, or none at all, or had other
        articles. The others' keys are the last build's.

        What __call__ finds by looking at every page, found from what changed: the
        articles changed, those placed again (new links: an article moved, its old and
        new neighbours), the articles linking to a changed one (a reverse index of
        links kept up to date), the groups made again or listing a changed article, and
        the few pages about the whole site. Keying every page was 12 ms of each
        one-article edit at 4,000 articles."""
        last = self.last_plan()
        if last is None or last["templates"] != templates or len(last["pages"]) != len(pages) \
                or last["by_slug"].keys() != self.site.by_slug.keys():
            return None
        same_order = all(map(operator.is_, pages, last["pages"]))
        if not same_order and frozenset(map(id, pages)) != last["ids"]:
            return None
        index = last["index"]
        if not same_order:      # the same pages, in another order: only their places changed
            index = last["index"] = {**index, "position": {page.path: i for i, page in enumerate(pages)}}
        slugs = set(self.changed) | self.relinked
        slugs.update(_update_links(last["links_to"], last["by_slug"], self.site.by_slug))
        for slug in self.changed:
            slugs.update(last["links_to"].get(slug, ()))
        chosen = [index["article"][slug] for slug in slugs if slug in index["article"]]
        # A group made again is keyed whole; one that is the same object, listing a changed
        # article, only on the pages whose slice of its list shows one.
        for slug, (group, _, dirty) in self.countries.items():
            if group.url in self.remade:
                chosen += index["group"].get(("country", slug), ())
            elif dirty:
                chosen += self._showing(index, "country", slug, (*group.about, *group.mentioned))
                for count in group.topics:
                    key = f"{slug}/{count.key}"
                    chosen += self._showing(index, "country_topic", key, self.country_topics.get(key, ()))
        for slug, (group, _, dirty) in self.topics.items():
            if group.url in self.remade:
                chosen += index["group"].get(("topic", slug), ())
            elif dirty:
                chosen += self._showing(index, "topic", slug, group.articles)
        for url, (group, _, dirty) in self.entities.items():
            if group.url in self.remade or dirty:   # its sentences are on every one of its pages
                chosen += index["group"].get((group.kind, group.slug), ())
        if self.panels_changed:     # on the first page of a country's or a topic's listing
            slugs_of = {g.country.code: g.country.slug for g in self.site.countries}
            for key in self.panels_changed:
                kind, slug = ("topic", key[6:]) if key.startswith("topic:") else ("country", slugs_of.get(key))
                if (kind, slug, 1) in index["paged"]:
                    chosen.append(index["paged"][kind, slug, 1])
        chosen += index["whole"]
        position = index["position"]
        return sorted(set(chosen), key=lambda page: position[page.path])

    def _showing(self, index: dict, kind: str, key: str, listed: Sequence[str]) -> list:
        """The pages of a listing (kind, key) whose slice of `listed` holds a changed article."""
        numbers = set()
        for slug in self.changed:
            try:
                numbers.add(listed.index(slug) // self.per_page + 1)
            except ValueError:
                pass
        paged = index["paged"]
        return [paged[kind, key, number] for number in sorted(numbers) if (kind, key, number) in paged]

    def remember_plan(self, pages: list, templates: dict[str, bytes], keys: dict[str, bytes],
                      index: dict | None = None) -> None:
        """Keep what affected() needs for the next build: this build's plan, templates,
        page keys, placed articles and the reverse index of links. index: the plan's
        index when affected() found the pages the last build's; else it is made again."""
        last = self._memo.get("planned")
        by_slug = self.site.by_slug
        if index is None:
            index = {"position": {page.path: i for i, page in enumerate(pages)}, "article": {}, "group": {},
                     "paged": {}, "whole": [], "paths": frozenset(page.path for page in pages)}
            for page in pages:
                if page.kind == "article":
                    index["article"][page.key] = page
                elif page.kind in ("person", "organisation"):
                    index["group"].setdefault((page.kind, page.key), []).append(page)
                elif page.kind in ("country", "country_topic", "topic"):
                    group = ("topic", page.key) if page.kind == "topic" else ("country", page.key.split("/")[0])
                    index["group"].setdefault(group, []).append(page)
                    index["paged"][page.kind, page.key, page.number] = page
                else:
                    index["whole"].append(page)
            if last is not None and last["by_slug"].keys() == by_slug.keys():
                links_to = last["links_to"]     # the same articles: only those placed again
                _update_links(links_to, last["by_slug"], by_slug)
            else:
                links_to = {}
                for entry in by_slug.values():
                    for target in _links(entry):
                        links_to.setdefault(target, set()).add(entry.article.slug)
        else:
            links_to = last["links_to"]     # brought up to date by affected()
        self._memo["planned"] = {"pages": list(pages), "ids": frozenset(map(id, pages)), "templates": dict(templates),
                                 "keys": dict(keys), "by_slug": by_slug, "index": index, "links_to": links_to}

    def remember_feeds(self, feeds: dict[str, tuple]) -> None:
        """Keep each feed's spec and key, and the site's date, for the next build."""
        self._memo["planned"].update(feeds=feeds, updated=self.site.updated)

    def last_plan(self) -> dict | None:
        """What remember_plan() kept at the last build (None: nothing, or a failed build since)."""
        return self._memo.get("planned")

    def _slice(self, slugs: Sequence[str], number: int, per_page: int = 0) -> bytes:
        per_page = per_page or self.per_page
        start = (number - 1) * per_page
        by_slug = self.by_slug
        return b"".join([by_slug[s].listing for s in slugs[start:start + per_page]])

    def __call__(self, page, template: bytes) -> bytes:
        """The key of one page rendered with a template whose own key is `template`.

        Made by joining fixed-size digests and slugs into one string and hashing it
        once: this runs for every page of the site on every build."""
        if page.kind == "article":
            entry = self.site.by_slug[page.key]
            by_slug = self.by_slug
            # The placed Entry is the same object while the article and its links are
            # (site.assemble_site): then only a change to it or an article it links to
            # changes its page.
            found = self._articles.get(page.key)
            if found is not None and found[0] is entry and found[1] == template:
                changed = self.changed
                if page.key not in changed and entry.previous not in changed and entry.next not in changed \
                        and changed.isdisjoint(entry.related) and page.key not in self.relinked:
                    return found[2]
            linked = b"".join([by_slug[s].listing for s in (*entry.related, entry.previous, entry.next) if s])
            links = "\0".join([*entry.related, "|", entry.previous or "", entry.next or ""])
            named = "\0".join([f"{url}\0{self.paged[url]}" for url in map(_entity_url, entry.entities)
                                if url in self.paged])
            key = join_digests(template, self.names, by_slug[page.key].full, f"{links}\0{named}".encode(), linked)
            self._articles[page.key] = (entry, template, key)
            return key
        if page.kind in ("person", "organisation"):
            group, key, dirty = self.entities[f"/{'people' if page.kind == 'person' else 'organisations'}/{page.key}/"]
            found = self._listings.get(page.path)
            if found is not None and found[0] is group and found[1] == template and not dirty:
                return found[2]
            made = join_digests(template, self.names, key, f"{page.kind}\0{page.key}\0{page.number}".encode(),
                                self._slice(group.articles, page.number, entity_per_page(self.site.config)))
            self._listings[page.path] = (group, template, made)
            return made
        if page.kind in ("country", "country_topic", "topic"):
            group, key, dirty = (self.topics[page.key] if page.kind == "topic"
                                 else self.countries[page.key.split("/")[0]])
            # What its key people and organisations panel shows (first pages of countries and topics).
            panel = None
            if page.number == 1 and page.kind != "country_topic":
                panel = self.panels.get(f"topic:{page.key}" if page.kind == "topic" else group.country.code)
            # The same group object lists the same articles in the same order: while none
            # of them changed, each of its pages shows what it showed.
            found = self._listings.get(page.path)
            if found is not None and found[0] is group and found[1] == template and not dirty and found[3] == panel:
                return found[2]
            if page.kind == "country":
                shown = self._slice((*group.about, *group.mentioned), page.number)
            elif page.kind == "country_topic":
                shown = self._slice(self.country_topics[page.key], page.number)
            else:
                shown = self._slice(group.articles, page.number)
            made = join_digests(template, self.names, key, fingerprint(_counts(panel or ())),
                                f"{page.kind}\0{page.key}\0{page.number}".encode(), shown)
            self._listings[page.path] = (group, template, made, panel)
            return made
        # Home, the indexes, search and 404 summarise the whole site; they are few.
        return join_digests(template, self.names, self.whole, f"{page.kind}\0{page.key}\0{page.number}".encode())

    def feed(self, spec) -> bytes:
        by_slug = self.by_slug
        return join_digests(b"feed", self.names,
                       f"{spec.path}\0{spec.title}\0{spec.feed_path}\0{spec.page_path}\0{self.site.updated}"
                       f"\0{spec.content}".encode(),
                       b"".join([by_slug[s].full for s in feed_entries(self.site, spec)]))


def _update_links(links_to: dict[str, set[str]], old: dict, new: dict) -> list[str]:
    """Bring the reverse index of links from the placed articles `old` to `new` (the same
    slugs); the slugs of the articles placed again (found by identity, in C)."""
    slugs = list(new)
    placed = list(itertools.compress(slugs, map(operator.is_not, map(new.__getitem__, slugs),
                                                 map(old.__getitem__, slugs))))
    for slug in placed:
        for target in _links(old[slug]):
            links_to.get(target, set()).discard(slug)
        for target in _links(new[slug]):
            links_to.setdefault(target, set()).add(slug)
    return placed


def _links(entry) -> tuple[str, ...]:
    """The slugs an article's page links to (and shows the listing of)."""
    return tuple(slug for slug in (*entry.related, entry.previous, entry.next) if slug)


def _counts(counts) -> tuple:
    return tuple([(c.key, c.count) for c in counts])


def _country_key(g) -> bytes:
    return fingerprint(g.country.code, g.url, len(g.about), len(g.mentioned), _counts(g.topics), _counts(g.neighbours))


def _entity_url(mention) -> str:
    return entity_url(mention.kind, mention.slug)


def _entity_key(g) -> bytes:
    return fingerprint(g.kind, g.slug, g.name, g.url, g.category, g.roles, g.countries, g.articles,
                       tuple(g.sentences), _counts(g.companions), g.listed)


def _topic_key(g) -> bytes:
    return fingerprint(g.topic.slug, g.url, len(g.articles), _counts(g.countries))


def _country_topics(site, memo: dict) -> dict[str, list[str]]:
    """The articles about each country that are about each topic, newest first, by
    "<country slug>/<topic slug>"; a country's lists are reused while its group is the
    same object (the same articles with the same classifications)."""
    by_slug = site.by_slug
    index: dict[str, list[str]] = {}
    fresh = {}
    for group in site.countries:
        found = memo.get(group.url)
        if found is None or found[0] is not group:
            lists: dict[str, list[str]] = {}
            for slug in group.about:
                for topic in by_slug[slug].classification.topics:
                    lists.setdefault(f"{group.country.slug}/{topic}", []).append(slug)
            found = (group, lists)
        fresh[group.url] = found
        index.update(found[1])
    memo.clear()
    memo.update(fresh)
    return index


def join_digests(*parts: bytes) -> bytes:
    """Parts are fixed-size digests, or one variable part last but one followed by
    digests, so joining them with a separator cannot make two inputs collide."""
    return hashlib.blake2b(b"\x1f".join(parts), digest_size=16).digest()


def folder_key(folder: Path) -> bytes:
    return fingerprint(sorted(snapshot([folder]).items()))


class DocumentKeys:
    """The keys of the site-wide documents (static assets, sitemap, robots.txt, the API)
    and how to make each, with what it keeps between builds of one session (serve)."""

    def __init__(self) -> None:
        self._plan_lists: dict = {}
        self._sitemap: dict = {}

    def __call__(self, site, pages, page_key: PageKeys, static: dict[str, bytes],
                 api_memo: dict) -> dict[str, tuple[bytes, Callable[[], bytes]]]:
        """{path: (key, make its bytes)} for the static assets, sitemap, robots.txt and the API."""
        documents: dict[str, tuple[bytes, Callable[[], bytes]]] = {}
        for path, data in static.items():
            documents[path] = (fingerprint("static", data), lambda data=data: data)
        plan = self.plan_lists(site, pages, page_key)
        urls = plan["urls"]
        by_slug = page_key.by_slug
        # An article's line in the API shows what its listing fingerprint covers: the
        # memo keeps that, not the fields (a dozen dated events an article) in the cache.
        makers = site_documents(site, urls, api_memo, lambda entry: by_slug[entry.article.slug].listing)
        # Joined strings, not tuples: these cover every article and page of the site.
        lastmod = self.sitemap_key(site, urls)
        listings = b"".join(plan["listings"])
        inputs = {
            "sitemap.xml": (lastmod,),
            "robots.txt": (),
            "api/articles.json": (listings,),
            # Each country's latest developments: what listings show of its articles.
            "api/countries.json": (page_key.country_counts, listings),
            "api/topics.json": (page_key.topic_counts,),
            "api/people.json": (page_key.entity_keys["person"],),
            "api/organisations.json": (page_key.entity_keys["organisation"],),
        }
        for path, parts in inputs.items():
            documents[path] = (fingerprint(path, page_key.names, *parts), makers[path])
        return documents

    def plan_lists(self, site, pages, page_key: PageKeys) -> dict:
        """Every page's URL and every article's listing fingerprint (in the site's order)
        for this plan: kept while the plan is the last one, which an edit in place leaves
        (then the articles are in the same order), with the changed articles' listings
        put in. Going over every page and article for them was 4 ms of each edit."""
        memo, by_slug = self._plan_lists, page_key.by_slug
        last = memo.get("pages")
        if last is not None and len(last) == len(pages) and all(map(operator.is_, pages, last)):
            listings, where = memo["listings"], memo["where"]
            for slug in page_key.changed:
                if slug in where:
                    listings[where[slug]] = by_slug[slug].listing
        else:
            slugs = [entry.article.slug for entry in site.entries]
            memo.update(pages=list(pages), urls=[page.url for page in pages],
                        where={slug: i for i, slug in enumerate(slugs)},
                        listings=[by_slug[slug].listing for slug in slugs])
        return memo

    def sitemap_key(self, site, urls: list[str]) -> bytes:
        """What the sitemap lists, worked out again only when the pages or their dates
        changed (a set and a dict compared, instead of 6,000 lines sorted and joined)."""
        memo = self._sitemap
        # Page dates come from the articles' dates and the groups: when those and the
        # pages are what they were (an edit of a title or a body), so is the sitemap.
        made_of = (urls, [e.updated for e in site.entries], site.countries, site.topics, site.people,
                   site.organisations)
        if memo.get("made_of") == made_of:
            return memo["key"]
        paths, dates = frozenset(urls), feeds.page_dates(site)
        memo["made_of"] = made_of
        if memo.get("paths") != paths or memo.get("dates") != dates:
            listed = feeds.sitemap_lastmod(site, urls)
            memo.update(paths=paths, dates=dates,
                        key=fingerprint("\n".join([f"{path}\0{day}" for path, day in listed])))
        return memo["key"]
