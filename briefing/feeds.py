"""Site -> Atom feeds, sitemap.xml and robots.txt (bytes, UTF-8, deterministic).

Pure functions: no clock, no disk. Dates come from the content (Entry.updated,
Article.date), so building twice gives the same bytes, and readers are not told
that every article changed just because the site was rebuilt.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Iterable, Sequence
from urllib.parse import quote, urljoin, urlsplit

from .model import FALLBACK_DATE, Entry, Site, SiteConfig
from .urls import absolute_url

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The date part of every tag: URI (RFC 4151). It must never change, or every
# feed reader would see every article as new.
TAG_DATE = "2026"

# Characters XML 1.0 cannot carry at all, not even escaped; scraped text can hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", ":"): _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def site_tag(config: SiteConfig) -> str:
    """The stable prefix of the site's tag: URIs, e.g. "tag:example.org,2026:/sub/".

    The authority is the host of the base URL when there is one, else the
    site's title as a DNS-style name ("the-briefing"): ids must not depend on
    the machine or the clock.
    """
    parts = urlsplit(config.base_url)
    if parts.hostname:
        authority, prefix = parts.hostname, parts.path.rstrip("/") + "/"
    else:
        authority = re.sub(r"[^a-z0-9]+", "-", config.title.lower()).strip("-") or "briefing"
        prefix = "/"
    return f"tag:{authority},{TAG_DATE}:{prefix}"


def entry_id(config: SiteConfig, entry: Entry) -> str:
    return site_tag(config) + "articles/" + quote(entry.article.id, safe="-._~!$&'()*+,;=:@/")


def _absolute_links(body: str, config: SiteConfig, page: str) -> str:
    """Make every href/src in rendered article HTML absolute (or site-rooted).

    A feed reader resolves relative links against the feed, not the article, so
    "#section" or "../other/" would point elsewhere; a site path also needs the
    base path prefix. Entry.html comes from markdown-it, which always writes
    attributes double-quoted and escaped.
    """
    def fix(match: re.Match[str]) -> str:
        target = html.unescape(match.group(2))
        if not urlsplit(target).scheme and not target.startswith("//"):
            target = absolute_url(config, urljoin(page, target))
        return match.group(1) + html.escape(target, quote=True) + match.group(3)

    return _LINK_ATTR.sub(fix, body)


def _categories(site: Site) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    countries = {g.country.code: (g.country.slug, g.country.name) for g in site.countries}
    topics = {g.topic.slug: g.topic.name for g in site.topics}
    return countries, topics


def atom_feed(site: Site, entries: Sequence[Entry], *, title: str, feed_path: str,
              page_path: str, limit: int = 50) -> bytes:
    """An Atom feed (RFC 4287) of the `limit` newest of `entries`.

    feed_path is the feed's own site path ("/countries/iraq/feed.xml") and
    page_path the HTML page it follows ("/countries/iraq/").
    """
    config = site.config
    chosen = sorted(entries, key=lambda e: e.updated, reverse=True)[:max(limit, 0)]
    countries, topics = _categories(site)
    country_scheme = absolute_url(config, "/countries/")
    topic_scheme = absolute_url(config, "/topics/")

    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    feed_id = absolute_url(config, feed_path) if config.base_url else site_tag(config) + feed_path.lstrip("/")
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    _sub(feed, "subtitle", config.description)
    _sub(feed, "updated", _timestamp(max((e.updated for e in chosen), default=site.updated)))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=absolute_url(config, feed_path))
    _sub(feed, "link", rel="alternate", type="text/html", href=absolute_url(config, page_path))
    _sub(_sub(feed, "author"), "name", config.title)

    for entry in chosen:
        article = entry.article
        url = absolute_url(config, entry.url)
        item = _sub(feed, "entry")
        _sub(item, "id", entry_id(config, entry))
        _sub(item, "title", article.title)
        _sub(item, "updated", _timestamp(entry.updated))
        if article.date:
            _sub(item, "published", _timestamp(article.date))
        _sub(item, "link", rel="alternate", type="text/html", href=url)
        _sub(item, "summary", entry.summary)
        for code in entry.classification.countries:
            slug, name = countries.get(code, (code.lower(), code))
            _sub(item, "category", term=slug, label=name, scheme=country_scheme)
        for slug in entry.classification.topics:
            _sub(item, "category", term=slug, label=topics.get(slug, slug), scheme=topic_scheme)
        content = _absolute_links(entry.html, config, entry.url)
        if config.base_url:
            _sub(item, "content", content, type="html", xml_base=url)
        else:
            _sub(item, "content", content, type="html")
    return _serialise(feed)


# --- sitemap and robots.txt ---------------------------------------------------

def _page_dates(site: Site) -> dict[str, date]:
    """The newest content date shown on each page, by site path (without pagination)."""
    dates: dict[str, date] = {"/": site.updated, "/countries/": site.updated, "/topics/": site.updated}
    by_slug = site.by_slug or {e.article.slug: e for e in site.entries}

    def newest(slugs: Iterable[str]) -> date | None:
        return max((by_slug[s].updated for s in slugs if s in by_slug), default=None)

    for entry in site.entries:
        dates[entry.url] = entry.updated
    for group in site.countries:
        found = newest((*group.about, *group.mentioned))
        if found:
            dates[group.url] = found
        for count in group.topics:
            found = newest(s for s in group.about
                           if s in by_slug and count.key in by_slug[s].classification.topics)
            if found:
                dates[f"{group.url}{count.key}/"] = found
    for topic in site.topics:
        found = newest(topic.articles)
        if found:
            dates[topic.url] = found
    return dates


_PAGINATION = re.compile(r"page/\d+/$")


def sitemap(site: Site, paths: Sequence[str]) -> bytes:
    """sitemap.xml for the given HTML page paths (the error page is left out).

    lastmod is the newest content date the page shows; a paginated page takes
    the date of its listing. A page with no known date (only the fallback that
    stands in for one) gets no lastmod rather than a made-up one. Locations are
    absolute when the base URL is known.
    """
    dates = _page_dates(site)
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    seen: set[str] = set()
    for path in paths:
        if path in seen or path.endswith("/404.html"):
            continue
        seen.add(path)
        url = _sub(root, "url")
        _sub(url, "loc", absolute_url(site.config, path))
        day = dates.get(path) or dates.get(_PAGINATION.sub("", path))
        if day and day != FALLBACK_DATE:
            _sub(url, "lastmod", day.isoformat())
    return _serialise(root)


def robots_txt(site: Site) -> bytes:
    """Allow every crawler everywhere, and say where the sitemap is.

    Crawlers only read /robots.txt at the domain root, so with a path prefix
    in the base URL this file is informative only.
    """
    return (f"User-agent: *\nDisallow:\n\n"
            f"Sitemap: {absolute_url(site.config, '/sitemap.xml')}\n").encode("utf-8")
