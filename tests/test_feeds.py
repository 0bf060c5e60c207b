"""Atom feeds, sitemap.xml, robots.txt and the URL helpers, on small Site values."""
from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from briefing.feeds import atom_feed, robots_txt, sitemap
from briefing.model import (Article, BuildError, Classification, Count, Country, CountryGroup,
                            Entry, Site, SiteConfig, Topic, TopicGroup)
from briefing.site import FALLBACK_DATE
from briefing.urls import absolute_url, base_path, normalise_base_url, site_url

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE = '<script>alert("x")</script> Tom & Jerry\x0b'
PREFIXED = "https://example.org/sub/path"


def make_entry(slug: str, updated: dt.date, *, title: str | None = None, date: dt.date | None = None,
               countries=("IQ",), mentioned=(), topics=("conflict",), html: str = "<p>Body.</p>\n") -> Entry:
    article = Article(slug=slug, title=title or slug.title(), id=f"id-{slug}", sources=(f"{slug}.txt",),
                      body="Body.", path=f"content/articles/{slug}.md", date=date)
    return Entry(article=article,
                 classification=Classification(tuple(countries), tuple(mentioned), tuple(topics)),
                 html=html, words=1, headings=(), summary=f"Summary of {slug} & more.",
                 reading_minutes=1, updated=updated, url=f"/articles/{slug}/")


def make_site(base_url: str = "") -> Site:
    """Three articles, newest first; the newest has a hostile title and relative links."""
    entries = (
        make_entry("hostile", dt.date(2024, 3, 3), title=HOSTILE, date=dt.date(2024, 3, 3),
                   countries=("IQ", "SY"), topics=("conflict", "health"),
                   html='<h2 id="h">Head</h2>\n<p><a href="#h">here</a> <a href="/countries/iraq/">Iraq</a> '
                        '<a href="../older/">older</a> <a href="https://example.com/?a=1&amp;b=2">out</a></p>\n'),
        make_entry("older", dt.date(2024, 2, 2), mentioned=("SY",)),
        make_entry("undated", dt.date(2024, 1, 1), countries=("SY",), topics=()),
    )
    iraq, syria = Country("IQ", "iraq", "Iraq"), Country("SY", "syria", "Syria")
    return Site(
        config=SiteConfig(base_url=base_url),
        entries=entries,
        countries=(
            CountryGroup(iraq, "/countries/iraq/", ("hostile", "older"), (), (Count("conflict", 2),), ()),
            CountryGroup(syria, "/countries/syria/", ("hostile", "undated"), ("older",),
                         (Count("conflict", 1), Count("health", 1)), (Count("IQ", 1),)),
        ),
        topics=(
            TopicGroup(Topic("conflict", "Conflict & war", "", "medtop:16000000"), "/topics/conflict/",
                       ("hostile", "older"), ()),
            TopicGroup(Topic("health", "Health", "", "medtop:07000000"), "/topics/health/", ("hostile",), ()),
            TopicGroup(Topic("sport", "Sport", "", "medtop:15000000"), "/topics/sport/", (), ()),
        ),
        updated=dt.date(2024, 3, 3),
        by_slug={e.article.slug: e for e in entries},
    )


def feed_of(site: Site, **options) -> ET.Element:
    data = atom_feed(site, site.entries, title="All <news> & more", feed_path="/feed.xml",
                     page_path="/", **options)
    return ET.fromstring(data)


# --- URLs ---------------------------------------------------------------------

@pytest.mark.parametrize("base_url, prefix, origin", [
    ("", "", ""), ("https://example.org", "", "https://example.org"),
    (PREFIXED, "/sub/path", "https://example.org"), (PREFIXED + "/", "/sub/path", "https://example.org")])
def test_site_and_absolute_urls_carry_the_base(base_url, prefix, origin):
    config = SiteConfig(base_url=base_url)
    assert site_url(config, "/countries/iraq/") == f"{prefix}/countries/iraq/"
    assert site_url(config, "feed.xml") == f"{prefix}/feed.xml"
    assert absolute_url(config, "/countries/iraq/") == f"{origin}{prefix}/countries/iraq/"
    assert absolute_url(config, "/") == f"{origin}{prefix}/"
    assert base_path(config) == f"{prefix}/"
    assert site_url(config, "#top") == absolute_url(config, "#top") == "#top"
    assert absolute_url(config, "https://other.org/x") == "https://other.org/x"


def test_base_url_is_normalised_or_refused():
    assert normalise_base_url(" https://example.org/sub/path/ ") == PREFIXED
    assert normalise_base_url("") == ""
    for bad in ("example.org", "ftp://example.org", "https://example.org/?q=1"):
        with pytest.raises(BuildError):
            normalise_base_url(bad)


# --- Atom -----------------------------------------------------------------------

@pytest.mark.parametrize("base_url", ["", PREFIXED])
def test_feed_is_atom_with_every_required_element(base_url):
    root = feed_of(make_site(base_url))
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated", "author/" + A + "name"):
        assert (root.findtext(A + name) or "").strip(), name
    assert {link.get("rel") for link in root.findall(A + "link")} == {"self", "alternate"}
    entries = root.findall(A + "entry")
    assert len(entries) == 3
    for entry in entries:
        for name in ("id", "title", "updated", "summary", "content"):
            assert (entry.findtext(A + name) or "").strip(), name
        assert entry.find(A + "link").get("href").endswith("/")
    ids = [e.findtext(A + "id") for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("tag:") and "articles/id-" in i for i in ids)


def test_feed_dates_come_from_the_content_not_the_clock():
    root = feed_of(make_site())
    assert root.findtext(A + "updated") == "2024-03-03T00:00:00Z"
    entries = root.findall(A + "entry")
    assert [e.findtext(A + "updated") for e in entries] == [
        "2024-03-03T00:00:00Z", "2024-02-02T00:00:00Z", "2024-01-01T00:00:00Z"]
    assert [e.findtext(A + "published") for e in entries] == ["2024-03-03T00:00:00Z", None, None]


def test_hostile_text_stays_text():
    data = atom_feed(make_site(), make_site().entries, title="<b>x</b> & y", feed_path="/feed.xml", page_path="/")
    assert b"<script>" not in data and b"<b>" not in data
    root = ET.fromstring(data)
    assert root.findtext(A + "title") == "<b>x</b> & y"
    newest = root.find(A + "entry")
    assert newest.findtext(A + "title") == HOSTILE.replace("\x0b", "")   # no XML 1.0 form for \x0b
    assert newest.findtext(A + "summary") == "Summary of hostile & more."
    assert newest.find(A + "content").get("type") == "html"
    assert newest.findtext(A + "content").startswith('<h2 id="h">Head</h2>')


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_characters_xml_cannot_carry_are_dropped_wherever_they_are(bad):
    site = make_site()
    entry = dataclasses.replace(
        site.entries[1], article=dataclasses.replace(site.entries[1].article, title=f"T{bad}itle"),
        html=f"<p>Bo{bad}dy \u00e9\t</p>\n", summary=f"Sum{bad}mary")
    data = atom_feed(site, [entry], title=f"Fe{bad}ed", feed_path="/feed.xml", page_path="/")
    root = ET.fromstring(data)          # would raise on any of them
    assert root.findtext(A + "title") == "Feed"
    found = root.find(A + "entry")
    assert (found.findtext(A + "title"), found.findtext(A + "summary"), found.findtext(A + "content")) == (
        "Title", "Summary", "<p>Body \u00e9\t</p>\n")


@pytest.mark.parametrize("base_url, page", [("", "/articles/hostile/"),
                                            (PREFIXED, PREFIXED + "/articles/hostile/")])
def test_links_in_content_point_at_the_site_not_the_feed(base_url, page):
    root = feed_of(make_site(base_url))
    content = root.find(A + "entry").find(A + "content")
    html = content.text
    origin_and_prefix = page.removesuffix("/articles/hostile/")
    assert f'href="{page}#h"' in html
    assert f'href="{origin_and_prefix}/countries/iraq/"' in html
    assert f'href="{origin_and_prefix}/articles/older/"' in html
    assert 'href="https://example.com/?a=1&amp;b=2"' in html
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == (page if base_url else None)


def test_base_url_with_a_path_prefix_is_applied_to_every_link():
    root = feed_of(make_site(PREFIXED))
    links = {link.get("rel"): link.get("href") for link in root.findall(A + "link")}
    assert links == {"self": PREFIXED + "/feed.xml", "alternate": PREFIXED + "/"}
    assert root.findtext(A + "id") == PREFIXED + "/feed.xml"
    assert [e.find(A + "link").get("href") for e in root.findall(A + "entry")] == [
        PREFIXED + "/articles/hostile/", PREFIXED + "/articles/older/", PREFIXED + "/articles/undated/"]


def test_feed_and_entry_ids_are_stable_tag_uris_without_a_base_url():
    root = feed_of(make_site())
    assert root.findtext(A + "id") == "tag:the-briefing,2026:/feed.xml"
    assert root.find(A + "entry").findtext(A + "id") == "tag:the-briefing,2026:/articles/id-hostile"


def test_entries_carry_country_and_topic_categories():
    entry = feed_of(make_site()).find(A + "entry")
    assert [(c.get("term"), c.get("label")) for c in entry.findall(A + "category")] == [
        ("iraq", "Iraq"), ("syria", "Syria"), ("conflict", "Conflict & war"), ("health", "Health")]


def test_feed_keeps_the_newest_entries_up_to_the_limit():
    site = make_site()
    data = atom_feed(site, tuple(reversed(site.entries)), title="t", feed_path="/feed.xml", page_path="/", limit=2)
    assert [e.findtext(A + "title") for e in ET.fromstring(data).findall(A + "entry")] == [
        HOSTILE.replace("\x0b", ""), "Older"]


def test_empty_feed_is_valid_and_dated_by_the_site():
    site = make_site()
    root = ET.fromstring(atom_feed(site, (), title="t", feed_path="/topics/sport/feed.xml",
                                   page_path="/topics/sport/"))
    assert root.findall(A + "entry") == [] and root.findtext(A + "updated") == "2024-03-03T00:00:00Z"


def test_feed_bytes_are_deterministic():
    assert atom_feed(make_site(PREFIXED), make_site(PREFIXED).entries, title="t", feed_path="/feed.xml",
                     page_path="/") == atom_feed(make_site(PREFIXED), make_site(PREFIXED).entries, title="t",
                                                 feed_path="/feed.xml", page_path="/")


# --- sitemap and robots.txt ------------------------------------------------------

PAGES = ["/", "/articles/hostile/", "/articles/older/", "/countries/syria/", "/countries/syria/page/2/",
         "/countries/iraq/conflict/", "/topics/sport/", "/search/", "/404.html", "/articles/older/"]


@pytest.mark.parametrize("base_url", ["", PREFIXED])
def test_sitemap_lists_the_given_pages_once_by_path_with_content_dates(base_url):
    root = ET.fromstring(sitemap(make_site(base_url), PAGES))
    assert root.tag == f"{SM}urlset"
    rows = [(u.findtext(SM + "loc"), u.findtext(SM + "lastmod")) for u in root.findall(SM + "url")]
    assert rows == [(base_url + path, day) for path, day in [
        ("/", "2024-03-03"), ("/articles/hostile/", "2024-03-03"), ("/articles/older/", "2024-02-02"),
        ("/countries/iraq/conflict/", "2024-03-03"), ("/countries/syria/", "2024-03-03"),
        ("/countries/syria/page/2/", "2024-03-03"), ("/search/", None), ("/topics/sport/", None)]]


def test_sitemap_does_not_change_when_articles_only_change_places():
    site = make_site()
    assert sitemap(site, PAGES) == sitemap(site, list(reversed(PAGES)))


def test_sitemap_gives_no_lastmod_where_only_the_fallback_date_is_known():
    site = make_site()
    undated = dataclasses.replace(site.by_slug["undated"], updated=FALLBACK_DATE)
    entries = tuple(undated if e.article.slug == "undated" else e for e in site.entries)
    site = dataclasses.replace(site, entries=entries, by_slug={e.article.slug: e for e in entries})
    root = ET.fromstring(sitemap(site, ["/articles/undated/", "/articles/older/", "/countries/syria/"]))
    rows = [(u.findtext(SM + "loc"), u.findtext(SM + "lastmod")) for u in root.findall(SM + "url")]
    assert rows == [("/articles/older/", "2024-02-02"), ("/articles/undated/", None),
                    ("/countries/syria/", "2024-03-03")]
    only_undated = dataclasses.replace(site, entries=(undated,), by_slug={"undated": undated},
                                       updated=FALLBACK_DATE)
    assert b"lastmod" not in sitemap(only_undated, ["/", "/articles/undated/", "/countries/syria/"])


def test_robots_txt_allows_everything_and_names_the_sitemap_by_its_absolute_url():
    text = robots_txt(make_site(PREFIXED)).decode()
    assert text.splitlines() == ["User-agent: *", "Disallow:", "", f"Sitemap: {PREFIXED}/sitemap.xml"]


def test_robots_txt_without_a_base_url_leaves_the_sitemap_line_out():
    # A relative Sitemap URL is invalid in robots.txt; better none than a wrong one.
    text = robots_txt(make_site("")).decode()
    assert text.splitlines() == ["User-agent: *", "Disallow:"]
