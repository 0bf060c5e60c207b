"""Site -> Atom feeds, sitemap.xml and robots.txt (bytes, UTF-8, deterministic).

Pure functions: no clock, no disk. Dates come from the content (Entry.updated,
Article.date), so building twice gives the same bytes, and readers are not told
that every article changed just because the site was rebuilt.
"""
from __future__ import annotations

import html
import re
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


# UTF-8 bytes that only those characters give: C0 controls (never part of a longer
# sequence), and the noncharacters U+FFFE and U+FFFF. Lone surrogates do not encode.
_CONTROL_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0D})
_NONCHARACTERS = ("\ufffe".encode("utf-8"), "\uffff".encode("utf-8"))


def _xml(text: str) -> bytes:
    """The text as UTF-8 without the characters XML cannot carry.

    Checked on the bytes, once per feed entry or document: scanning every string
    with _NOT_XML was half the cost of a feed entry (48 us of an article's 7 KB)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:      # a lone surrogate
        return _NOT_XML.sub("", text).encode("utf-8")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or any(n in data for n in _NONCHARACTERS):
        return _NOT_XML.sub("", text).encode("utf-8")
    return data


# The feeds and the sitemap are written as strings in ElementTree's indented layout:
# building and serialising an element tree cost more than the rest of a feed,
# and an article's <entry> is the same in every feed that carries it (memoised).

def _escape(value: str) -> str:
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                    "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


def _element(depth: int, tag: str, text: str | None = None, **attrs: str) -> str:
    """One indented element with no children: <tag a="v">text</tag>, or <tag a="v" />."""
    pad = "  " * depth
    attributes = "".join(f' {k.replace("_", ":")}="{v.translate(_ATTRIBUTE_ESCAPES)}"'
                         for k, v in attrs.items())
    if text:
        return f"{pad}<{tag}{attributes}>{_escape(text)}</{tag}>\n"
    return f"{pad}<{tag}{attributes} />\n"


def _document(tag: str, attrs: dict[str, str], children: Iterable[str | bytes]) -> bytes:
    """The XML declaration and one element holding the children: strings, or bytes
    already encoded (a feed's entries are, once each, rather than at every feed)."""
    head = "".join(f' {k}="{v.translate(_ATTRIBUTE_ESCAPES)}"' for k, v in attrs.items())
    body = b"".join([c if isinstance(c, bytes) else _xml(c) for c in children])
    if not body:
        return _xml(f"<?xml version='1.0' encoding='utf-8'?>\n<{tag}{head} />\n")
    return b"".join([_xml(f"<?xml version='1.0' encoding='utf-8'?>\n<{tag}{head}>\n"),
                     body, f"</{tag}>\n".encode("utf-8")])


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
    if 'href="' not in body and 'src="' not in body:
        return body     # most bodies link nowhere; `in` scans ten times faster than the regex

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
              page_path: str, limit: int = 50, content: bool = True) -> bytes:
    """An Atom feed (RFC 4287) of the `limit` newest of `entries`.

    feed_path is the feed's own site path ("/countries/iraq/feed.xml") and
    page_path the HTML page it follows ("/countries/iraq/"). content: whole articles
    in it, else each one's summary alone (the thousands of people's and organisations'
    feeds: whole, they were 300 MB at 4,000 articles).
    """
    config = site.config
    chosen = sorted(entries, key=lambda e: e.updated, reverse=True)[:max(limit, 0)]
    countries, topics = _categories(site)
    feed_id = absolute_url(config, feed_path) if config.base_url else site_tag(config) + feed_path.lstrip("/")
    head = [
        _element(1, "id", feed_id),
        _element(1, "title", title),
        _element(1, "subtitle", config.description),
        _element(1, "updated", _timestamp(max((e.updated for e in chosen), default=site.updated))),
        _element(1, "link", rel="self", type="application/atom+xml", href=absolute_url(config, feed_path)),
        _element(1, "link", rel="alternate", type="text/html", href=absolute_url(config, page_path)),
        "  <author>\n", _element(2, "name", config.title), "  </author>\n",
    ]
    return _document("feed", {"xmlns": ATOM_NS, "xml:lang": config.language},
                     [*head, *(_feed_entry(config, entry, countries, topics, content) for entry in chosen)])


# slug -> (the Entry, what else its <entry> depends on, the <entry>), for this process:
# whole entries, and those with a summary alone.
_ENTRY_MEMO: dict[str, tuple[Entry, tuple, bytes]] = {}
_SUMMARY_MEMO: dict[str, tuple[Entry, tuple, bytes]] = {}


def _feed_entry(config: SiteConfig, entry: Entry, countries: dict[str, tuple[str, str]],
                topics: dict[str, str], content: bool = True) -> bytes:
    """One article's <entry>, the same in every feed that carries it."""
    names = (config,
             tuple(countries.get(code) for code in entry.classification.countries),
             tuple(topics.get(slug) for slug in entry.classification.topics))
    kept = _ENTRY_MEMO if content else _SUMMARY_MEMO
    memo = kept.get(entry.article.slug)
    if memo is not None and memo[0] is entry and memo[1] == names:
        return memo[2]
    article = entry.article
    url = absolute_url(config, entry.url)
    country_scheme = absolute_url(config, "/countries/")
    topic_scheme = absolute_url(config, "/topics/")
    parts = ["  <entry>\n",
             _element(2, "id", entry_id(config, entry)),
             _element(2, "title", article.title),
             _element(2, "updated", _timestamp(entry.updated))]
    if article.author:
        parts.extend(("    <author>\n", _element(3, "name", article.author), "    </author>\n"))
    if article.date:
        parts.append(_element(2, "published", _timestamp(article.date)))
    parts.append(_element(2, "link", rel="alternate", type="text/html", href=url))
    parts.append(_element(2, "summary", entry.summary))
    for code in entry.classification.countries:
        slug, name = countries.get(code, (code.lower(), code))
        parts.append(_element(2, "category", term=slug, label=name, scheme=country_scheme))
    for slug in entry.classification.topics:
        parts.append(_element(2, "category", term=slug, label=topics.get(slug, slug), scheme=topic_scheme))
    if content:
        html = _absolute_links(entry.html, config, entry.url)
        if config.base_url:
            parts.append(_element(2, "content", html, type="html", xml_base=url))
        else:
            parts.append(_element(2, "content", html, type="html"))
    parts.append("  </entry>\n")
    made = _xml("".join(parts))
    if len(kept) > 50_000:   # a bound on what a long serve session keeps
        kept.clear()
    kept[article.slug] = (entry, names, made)
    return made


# --- sitemap and robots.txt ---------------------------------------------------

def page_dates(site: Site) -> dict[str, date]:
    """The newest content date shown on each page, by site path (without pagination).

    The Site's lists are newest first, so a list's newest date is its first entry's."""
    dates: dict[str, date] = {path: site.updated for path in ("/", "/countries/", "/topics/", "/people/",
                                                              "/organisations/")}
    by_slug = site.by_slug or {e.article.slug: e for e in site.entries}

    def first(slugs: Iterable[str]) -> Entry | None:
        return next((by_slug[s] for s in slugs if s in by_slug), None)

    def newest(*lists: Sequence[str]) -> date | None:
        return max((entry.updated for entry in map(first, lists) if entry), default=None)

    for entry in site.entries:
        dates[entry.url] = entry.updated
    for group in site.countries:
        found = newest(group.about, group.mentioned)
        if found:
            dates[group.url] = found
        for count in group.topics:
            found = first(s for s in group.about
                          if s in by_slug and count.key in by_slug[s].classification.topics)
            if found:
                dates[f"{group.url}{count.key}/"] = found.updated
    for topic in site.topics:
        found = newest(topic.articles)
        if found:
            dates[topic.url] = found
    for entity in (*site.people, *site.organisations):
        found = newest(entity.articles)
        if found:
            dates[entity.url] = found
    return dates


_PAGINATION = re.compile(r"page/\d+/$")


def sitemap_lastmod(site: Site, paths: Iterable[str]) -> list[tuple[str, date | None]]:
    """(site path, lastmod) of each page the sitemap lists, in the order it lists them:
    by path, so articles changing places in the site's order leave it alone. The error
    page is left out. lastmod is the newest content date the page shows (a paginated
    page takes its listing's); None when only the fallback date stands in for one."""
    dates = page_dates(site)
    listed = []
    for path in sorted(set(paths)):
        if path.endswith("/404.html"):
            continue
        day = dates.get(path) or dates.get(_PAGINATION.sub("", path))
        listed.append((path, day if day and day != FALLBACK_DATE else None))
    return listed


def sitemap(site: Site, paths: Sequence[str]) -> bytes:
    """sitemap.xml for the given HTML page paths (see sitemap_lastmod). Locations are
    absolute when the base URL is known."""
    urls: list[str] = []
    for path, day in sitemap_lastmod(site, paths):
        loc = _element(2, "loc", absolute_url(site.config, path))
        lastmod = _element(2, "lastmod", day.isoformat()) if day else ""
        urls.append(f"  <url>\n{loc}{lastmod}  </url>\n")
    return _document("urlset", {"xmlns": SITEMAP_NS}, ["".join(urls)])


def robots_txt(site: Site) -> bytes:
    """Allow every crawler everywhere, and say where the sitemap is when the site
    knows its own address: the Sitemap line must be an absolute URL, so without a
    base URL it is left out rather than be invalid.

    Crawlers only read /robots.txt at the domain root, so with a path prefix
    in the base URL this file is informative only.
    """
    text = "User-agent: *\nDisallow:\n"
    if site.config.base_url:
        text += f"\nSitemap: {absolute_url(site.config, '/sitemap.xml')}\n"
    return text.encode("utf-8")
