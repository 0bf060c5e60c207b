"""The plan of the site: its HTML pages (plan_pages, a pure function of Site, and
how listings are paged), its feeds, and the other site-wide documents (sitemap,
robots.txt, the JSON API) with how to make their bytes. Shared by the renderer, the
build engine (which keys and schedules them) and the commands."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from . import api, feeds
from .model import BuildError, CountryGroup, Entry, Site


# --- pages ----------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    path: str            # output-relative file, e.g. "articles/<slug>/index.html"
    url: str             # site path, e.g. "/articles/<slug>/" (base path applied at render)
    template: str        # e.g. "article.html"
    kind: str            # home | article | countries | country | country_topic | topics | topic
                         # | people | person | organisations | organisation | search | 404
    key: str             # slug ("" for single pages; "<country>/<topic>" for country_topic)
    number: int = 1      # pagination page number


def _page(url: str, template: str, kind: str, key: str = "", number: int = 1) -> Page:
    path = url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")
    return Page(path=path, url=url, template=template, kind=kind, key=key, number=number)


def page_url(base: str, number: int) -> str:
    """The site path of page `number` of a listing at `base`: "/x/", "/x/page/2/"."""
    return base if number == 1 else f"{base}page/{number}/"


def entity_per_page(config) -> int:
    """Articles on a page of a person or organisation: each is one line (a title and a
    sentence), so more than a listing's story cards; the 24 organisations of the
    benchmark site named in most articles made 1,400 pages at 20 a page."""
    return config.per_page * 5 // 2


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page))


def _paged(base: str, template: str, kind: str, key: str, items: int, per_page: int) -> list[Page]:
    return [_page(page_url(base, n), template, kind, key, n)
            for n in range(1, page_count(items, per_page) + 1)]


def entries_by_slug(site: Site) -> dict[str, Entry]:
    return site.by_slug or {entry.article.slug: entry for entry in site.entries}


def country_topic_entries(site: Site, group: CountryGroup, topic_slug: str) -> list[str]:
    """Slugs of the articles about the country that are about the topic, newest first."""
    entries = entries_by_slug(site)
    return [slug for slug in group.about if topic_slug in entries[slug].classification.topics]


def plan_pages(site: Site, memo: dict | None = None) -> list[Page]:
    """Every HTML page of the site, in a fixed order (same Site, same list).

    memo (kept between builds by serve): Pages made before, by everything they are made
    of, so a rebuild does not make 10,000 new ones to find them equal to the old."""
    made = memo if memo is not None else {}
    # The same articles and the very same groups page the same way: the last list will do.
    made_of = ([e.url for e in site.entries], site.countries, site.topics, site.people, site.organisations,
               site.config.per_page)
    if memo is not None and memo.get("made_of") == made_of:
        return list(memo["pages"])
    fresh: dict = {}

    def page(url: str, template: str, kind: str, key: str = "") -> Page:
        found = made.get((url, kind))
        if found is None or found.template != template or found.key != key:
            found = _page(url, template, kind, key)
        fresh[(url, kind)] = found
        return found

    def paged(base: str, template: str, kind: str, key: str, items: int, size: int = 0) -> list[Page]:
        size = size or per_page
        signature = (base, template, kind, key, page_count(items, size))
        found = made.get(signature)
        if found is None:
            found = _paged(base, template, kind, key, items, size)
        fresh[signature] = found
        return found

    per_page = site.config.per_page
    topics = {group.topic.slug for group in site.topics}
    pages = [page("/", "home.html", "home")]
    pages += [page(e.url, "article.html", "article", e.article.slug) for e in site.entries]
    pages.append(page("/countries/", "countries.html", "countries"))
    for group in site.countries:
        slug = group.country.slug
        pages += paged(group.url, "country.html", "country", slug, len(group.about) + len(group.mentioned))
        for count in group.topics:
            if count.key in topics:
                # count.count: the articles about the country that are about the topic
                pages += paged(f"{group.url}{count.key}/", "country_topic.html", "country_topic",
                               f"{slug}/{count.key}", count.count)
    pages.append(page("/topics/", "topics.html", "topics"))
    for group in site.topics:
        pages += paged(group.url, "topic.html", "topic", group.topic.slug, len(group.articles))
    for index, kind, groups in (("/people/", "person", site.people),
                                ("/organisations/", "organisation", site.organisations)):
        pages.append(page(index, "entities.html", index.strip("/")))
        for entity in groups:
            pages += paged(entity.url, "entity.html", kind, entity.slug, len(entity.articles),
                           entity_per_page(site.config))
    pages.append(page("/search/", "search.html", "search"))
    pages.append(page("/404.html", "404.html", "404"))
    if memo is not None:
        memo.clear()
        memo.update(fresh)
        memo.update(made_of=made_of, pages=tuple(pages))
    return pages


@dataclass(frozen=True)
class Pager:
    number: int
    pages: int
    items: tuple[str, ...]          # the slugs shown on this page
    offset: int                     # index of items[0] in the whole listing
    total: int
    prev_url: str | None            # site paths
    next_url: str | None
    base: str

    def url(self, number: int) -> str:
        return page_url(self.base, number)

    @property
    def window(self) -> list[int | None]:
        """The page numbers a pager links: the first, the last and two either side of
        this one, None for each gap ("1 … 7 8 [9] 10 11 … 50"): a long listing does not
        put fifty links on each of its fifty pages."""
        shown = sorted({1, self.pages, *range(max(1, self.number - 2), min(self.pages, self.number + 2) + 1)})
        window: list[int | None] = []
        for number in shown:
            if window and number - window[-1] > 2:  # type: ignore[operator]
                window.append(None)
            elif window and number - window[-1] == 2:  # type: ignore[operator]
                window.append(number - 1)  # a gap of one page: link it rather than "…"
            window.append(number)
        return window


def paginate(slugs: Sequence[str], base: str, number: int, per_page: int) -> Pager:
    pages = page_count(len(slugs), per_page)
    if not 1 <= number <= pages:
        raise BuildError(f"page {number} of {base} does not exist (it has {pages}).")
    start = (number - 1) * per_page
    return Pager(number=number, pages=pages, items=tuple(slugs[start:start + per_page]),
                 offset=start, total=len(slugs),
                 prev_url=page_url(base, number - 1) if number > 1 else None,
                 next_url=page_url(base, number + 1) if number < pages else None, base=base)



# --- feeds and documents --------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    path: str                       # output-relative, e.g. "countries/iraq/feed.xml"
    title: str
    feed_path: str                  # site path of the feed
    page_path: str                  # site path of the page it follows
    slugs: tuple[str, ...]          # candidate entries, newest first
    content: bool = True            # whole articles, else summaries (feeds.atom_feed)


FEED_LIMIT = 50


def feed_specs(site: Site) -> list[FeedSpec]:
    """The site's Atom feeds: the whole site, then one per country, topic, person and
    organisation with a page."""
    specs = [FeedSpec("feed.xml", site.config.title, "/feed.xml", "/",
                      tuple([e.article.slug for e in site.entries[:FEED_LIMIT]]))]
    for group in site.countries:
        specs.append(FeedSpec(f"countries/{group.country.slug}/feed.xml",
                              f"{group.country.name} — {site.config.title}",
                              f"{group.url}feed.xml", group.url, group.about))
    for topic in site.topics:
        specs.append(FeedSpec(f"topics/{topic.topic.slug}/feed.xml",
                              f"{topic.topic.name} — {site.config.title}",
                              f"{topic.url}feed.xml", topic.url, topic.articles))
    for entity in (*site.people, *site.organisations):
        specs.append(FeedSpec(f"{entity.url.lstrip('/')}feed.xml", f"{entity.name} — {site.config.title}",
                              f"{entity.url}feed.xml", entity.url, entity.articles, content=False))
    return specs


def feed_entries(site: Site, spec: FeedSpec) -> list[str]:
    """The slugs a feed shows: its newest FEED_LIMIT. The Site's lists are newest first
    (newest date, then title), so they are the first ones, in the order atom_feed gives."""
    return list(spec.slugs[:FEED_LIMIT])


def render_feed(site: Site, spec: FeedSpec) -> bytes:
    return feeds.atom_feed(site, [site.by_slug[s] for s in feed_entries(site, spec)], title=spec.title,
                           feed_path=spec.feed_path, page_path=spec.page_path, limit=FEED_LIMIT,
                           content=spec.content)


def site_documents(site: Site, page_urls: Sequence[str], api_memo: dict | None = None,
                   shown: Callable[[Entry], object] | None = None) -> dict[str, Callable[[], bytes]]:
    """The sitemap, robots.txt and the JSON API (the site-wide files that are not pages
    or feeds), each as a function making its bytes, so a build makes only those it needs.
    The sitemap leaves the error page out (feeds.sitemap_lastmod). api_memo, shown: see
    api.articles_json."""
    return {
        "sitemap.xml": lambda: feeds.sitemap(site, page_urls),
        "robots.txt": lambda: feeds.robots_txt(site),
        "api/articles.json": lambda: api.articles_json(site, api_memo, shown),
        "api/countries.json": lambda: api.countries_json(site),
        "api/topics.json": lambda: api.topics_json(site),
        "api/people.json": lambda: api.entities_json(site, "person"),
        "api/organisations.json": lambda: api.entities_json(site, "organisation"),
    }
