import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefing.model import BuildError
from briefing.render import Page, Renderer, json_ld, plan_pages, static_files
from tests.fixtures_site import HOSTILE_SLUG, fake_site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KINDS = {"home", "article", "countries", "country", "country_topic", "topics", "topic", "search", "404",
         "people", "person", "organisations", "organisation"}


def render_all(site):
    renderer = Renderer(TEMPLATES, site)
    return {page.path: renderer.render(page) for page in plan_pages(site)}


@pytest.fixture(scope="module")
def small_pages():
    """The fake site paginated at 2 per page, so that listings have several pages."""
    site = fake_site(per_page=2)
    return site, plan_pages(site), render_all(site)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.scripts, self.tags = [], set(), [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src", "action"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def parse(html):
    parser = _Links()
    parser.feed(html)
    return parser


# --- the plan ------------------------------------------------------------------

def test_plan_covers_every_page_kind_with_pagination_and_country_topic_pages(small_pages):
    site, pages, _ = small_pages
    assert {p.kind for p in pages} == KINDS
    urls = [p.url for p in pages]
    assert len(set(urls)) == len(urls) and len({p.path for p in pages}) == len(pages)
    # Iraq: 3 articles about it and 1 that mentions it -> 2 pages of 2.
    iraq = [p for p in pages if p.kind == "country" and p.key == "iraq"]
    assert [(p.url, p.path, p.number) for p in iraq] == [
        ("/countries/iraq/", "countries/iraq/index.html", 1),
        ("/countries/iraq/page/2/", "countries/iraq/page/2/index.html", 2)]
    topics_of_iraq = {p.key for p in pages if p.kind == "country_topic" and p.key.startswith("iraq/")}
    assert topics_of_iraq == {"iraq/diplomacy", "iraq/economy", "iraq/elections"}
    # Armed conflict has 3 articles; a topic without articles still gets its page (its feed exists).
    assert [p.url for p in pages if p.kind == "topic" and p.key == "armed-conflict"] == [
        "/topics/armed-conflict/", "/topics/armed-conflict/page/2/"]
    assert any(p.url == "/topics/sports/" for p in pages)
    assert {p.url for p in pages if p.kind == "article"} == {e.url for e in site.entries}
    assert ("/404.html", "404.html") in {(p.url, p.path) for p in pages}
    for page in pages:
        assert page.path == (page.url.lstrip("/") + "index.html" if page.url.endswith("/")
                             else page.url.lstrip("/"))


def test_plan_order_is_deterministic():
    first, second = plan_pages(fake_site()), plan_pages(fake_site())
    assert first == second
    assert first[0].kind == "home" and first[-1].kind == "404"
    kinds = [p.kind for p in first]
    assert kinds.index("countries") < kinds.index("country") < kinds.index("topics") < kinds.index("topic")


# --- links -----------------------------------------------------------------------

def _known_targets(site, pages):
    known = {p.url for p in pages}
    known |= {"/" + path for path in static_files(TEMPLATES)}
    known |= {"/feed.xml"} | {g.url + "feed.xml" for g in (*site.countries, *site.topics, *site.people,
                                                                      *site.organisations)}
    known |= {"/pagefind/pagefind-ui.js", "/pagefind/pagefind-ui.css"}   # written by the Pagefind step
    return known


@pytest.mark.parametrize("base_url, prefix", [("", ""), ("https://example.org/sub", "/sub")])
def test_every_internal_link_points_to_a_planned_page_or_static_file(base_url, prefix):
    site = fake_site(base_url=base_url, per_page=2)
    pages = plan_pages(site)
    known = _known_targets(site, pages)
    renderer = Renderer(TEMPLATES, site)
    checked = 0
    for page in pages:
        parsed = parse(renderer.render(page))
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") and parts.netloc != "example.org":
                continue    # outside the site (none expected but the IPTC vocabulary)
            if link.startswith("#"):
                assert link[1:] in parsed.ids, f"{page.url}: {link} has no target"
                continue
            path = parts.path
            if parts.netloc:    # canonical-style absolute link to the site itself
                assert base_url and link.startswith(base_url + "/")
            assert path.startswith(prefix + "/"), f"{page.url}: {link} ignores the base path"
            target = path[len(prefix):]
            assert target in known, f"{page.url}: {link} points nowhere"
            checked += 1
    assert checked > 500


def test_a_link_to_a_missing_page_would_be_caught():
    site = fake_site()
    known = _known_targets(site, plan_pages(site))
    assert "/countries/atlantis/" not in known and "/static/style.css" not in known


# --- escaping ----------------------------------------------------------------------

def test_hostile_html_in_dump_is_escaped(small_pages):
    site, pages, rendered = small_pages
    hostile = site.by_slug[HOSTILE_SLUG]
    showing = [p.path for p in pages if HOSTILE_SLUG in rendered[p.path]]
    assert len(showing) >= 5    # its page, home, Syria, its topic, related lists, ...
    for path in showing:
        html = rendered[path]
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "</script>." not in html
    article = rendered[f"articles/{HOSTILE_SLUG}/index.html"]
    assert "Ceasefire &lt;script&gt;alert(1)&lt;/script&gt; holds in Idlib" in article
    assert "Caption with &lt;img src=x onerror=alert(1)&gt; &amp;" in article
    assert 'content="Summary with &lt;script&gt;alert(1)&lt;/script&gt;' in article
    assert hostile.article.title not in article


def test_json_ld_parses_and_cannot_break_out_of_its_script(small_pages):
    site, _, rendered = small_pages
    html = rendered[f"articles/{HOSTILE_SLUG}/index.html"]
    scripts = parse(html).scripts
    assert len(scripts) == 1 and "<" not in scripts[0] and ">" not in scripts[0]
    data = json.loads(scripts[0])
    entry = site.by_slug[HOSTILE_SLUG]
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == entry.article.title
    assert data["description"] == entry.summary
    assert data["datePublished"] == "2025-11-04"
    assert data["about"] == [{"@type": "Country", "name": "Syria"}]
    assert json_ld({"x": "</script><!--&"}) == '{"x":"\\u003c/script\\u003e\\u003c!--\\u0026"}'


# --- template errors ------------------------------------------------------------------

@pytest.fixture
def broken_templates(tmp_path):
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    return copy


def _article_page(site):
    return next(p for p in plan_pages(site) if p.kind == "article")


def test_undefined_variable_names_the_template_and_line(broken_templates):
    path = broken_templates / "article.html"
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "<h1" in text)
    lines[line - 1] = "<h1>{{ entry.article.headline_that_does_not_exist }}</h1>"
    path.write_text("\n".join(lines) + "\n")
    site = fake_site()
    with pytest.raises(BuildError) as caught:
        Renderer(broken_templates, site).render(_article_page(site))
    assert caught.value.path.endswith("article.html") and caught.value.line == line
    assert "headline_that_does_not_exist" in str(caught.value)
    assert f"article.html:{line}:" in str(caught.value)


def test_error_inside_an_imported_macro_names_that_template(broken_templates):
    path = broken_templates / "_macros.html"
    path.write_text(path.read_text().replace("{{ entry.summary }}", "{{ entry.nothing_here }}"))
    site = fake_site()
    with pytest.raises(BuildError) as caught:
        Renderer(broken_templates, site).render(plan_pages(site)[0])
    assert caught.value.path.endswith("_macros.html") and caught.value.line


def test_syntax_error_names_the_template_and_line(broken_templates):
    (broken_templates / "404.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n')
    site = fake_site()
    with pytest.raises(BuildError) as caught:
        Renderer(broken_templates, site).render(plan_pages(site)[-1])
    assert caught.value.path.endswith("404.html") and caught.value.line == 3


def test_template_dependencies_follow_extends_and_imports():
    deps = Renderer(TEMPLATES, fake_site()).template_dependencies("article.html")
    assert deps[0] == "article.html" and set(deps) == {"article.html", "base.html", "_macros.html"}


def test_each_template_is_parsed_once_for_the_dependencies_of_every_page_template(monkeypatch):
    """Every page template names base.html and _macros.html: parsed again for each, they
    were most of a cold build's 0.1 s of keying templates."""
    renderer = Renderer(TEMPLATES, fake_site())
    parsed = []
    real_parse = renderer.env.parse
    monkeypatch.setattr(renderer.env, "parse", lambda source, name, filename: (
        parsed.append(name), real_parse(source, name, filename))[1])
    page_templates = sorted({page.template for page in plan_pages(fake_site())})
    for template in page_templates:
        assert "base.html" in renderer.template_dependencies(template)
    assert sorted(parsed) == sorted(set(parsed)) and "_macros.html" in parsed


# --- output ----------------------------------------------------------------------------

def test_rendering_twice_gives_identical_output():
    assert render_all(fake_site(base_url="https://example.org/sub")) == \
        render_all(fake_site(base_url="https://example.org/sub"))


def test_static_files_carry_a_content_hash_and_pages_use_those_names(small_pages):
    _, _, rendered = small_pages
    files = static_files(TEMPLATES)
    css = next(name for name in files if name.endswith(".css"))
    assert re.fullmatch(r"static/style\.[0-9a-f]{8}\.css", css)
    assert files[css] == (TEMPLATES / "static" / "style.css").read_bytes()
    assert all(f'href="/{css}"' in html for html in rendered.values())


def test_every_page_has_title_description_canonical_feeds_and_landmarks():
    site = fake_site(base_url="https://example.org/sub", per_page=2)
    renderer = Renderer(TEMPLATES, site)
    for page in plan_pages(site):
        html = renderer.render(page)
        tags = parse(html).tags
        names = [t for t, _ in tags]
        assert html.startswith("<!DOCTYPE html>") and re.search(r"<title>[^<]+</title>", html)
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in names, (page.url, landmark)
        assert '<a class="skip-link" href="#main">' in html and 'id="main"' in html
        meta = {a.get("name") or a.get("property"): a.get("content") for t, a in tags if t == "meta"}
        assert meta["description"] and meta["og:title"] and meta["og:type"]
        assert meta["og:url"] == f"https://example.org/sub{page.url}"
        links = [(a["rel"], a["href"]) for t, a in tags if t == "link"]
        assert ("canonical", f"https://example.org/sub{page.url}") in links
        assert ("alternate", "/sub/feed.xml") in links
        if page.kind in ("country", "topic"):
            group_url = page.url.split("page/")[0]
            assert ("alternate", f"/sub{group_url}feed.xml") in links
        if page.number > 1:
            assert ("prev", f"/sub{page.url.split('page/')[0]}" + (
                f"page/{page.number - 1}/" if page.number > 2 else "")) in links
        if page.kind != "home":
            assert 'aria-label="Breadcrumb"' in html, page.url


def test_search_box_on_every_page_but_the_search_page_which_loads_pagefind(small_pages):
    _, _, rendered = small_pages
    for path, html in rendered.items():
        if path != "search/index.html":
            assert re.search(r'<form class="site-search" role="search" action="/search/" method="get">', html)
            assert 'name="q"' in html
    search = rendered["search/index.html"]
    assert 'class="site-search"' not in search and "<input" not in search  # Pagefind adds the one box
    assert '<script src="/pagefind/pagefind-ui.js" defer></script>' in search
    assert 'href="/pagefind/pagefind-ui.css"' in search
    assert re.search(r'<script src="/static/search\.[0-9a-f]{8}\.js" defer>', search)


def test_only_article_pages_are_indexed_for_search(small_pages):
    _, pages, rendered = small_pages
    for page in pages:
        html = rendered[page.path]
        assert ("data-pagefind-body" in html) == (page.kind == "article"), page.url
    article = rendered["articles/kirkuk-talks-resume/index.html"]
    assert re.search(r'data-pagefind-filter="country">Iraq<', article)
    assert re.search(r'data-pagefind-filter="country">United States<', article)
    assert re.search(r'data-pagefind-filter="topic">Diplomacy<', article)
    assert 'data-pagefind-meta="title"' in article and 'data-pagefind-meta="date"' in article


def test_article_page_shows_its_facts_and_neighbours(small_pages):
    site, _, rendered = small_pages
    html = rendered["articles/kirkuk-talks-resume/index.html"]
    assert '<time datetime="2025-11-05"' in html and "5 November 2025" in html
    assert "The Kirkuk–Ceyhan pipeline near Kirkuk" in html
    assert 'href="/countries/turkiye/"' in html          # mentioned only
    for slug in site.by_slug["kirkuk-talks-resume"].related:
        assert f'href="/articles/{slug}/"' in html
    assert '<a href="/articles/ceasefire-holds-in-idlib/" rel="prev">' in html
    assert 'rel="next"' not in html     # the newest article
    undated = rendered["articles/letters-between-leaders/index.html"]
    head = undated.split('<header class="article-head">')[1].split("</header>")[0]
    assert "<time" not in head and ".txt" not in head and "dump" not in head
    assert "min read" in head


def test_kicker_and_meta_lines_are_kept_out_of_search_excerpts(small_pages):
    _, _, rendered = small_pages
    article = rendered["articles/kirkuk-talks-resume/index.html"]
    head = article.split('<header class="article-head">')[1].split("</header>")[0]
    marked = {attrs["class"]: "data-pagefind-ignore" in attrs
              for _, attrs in parse(head).tags if attrs.get("class") in ("kicker", "article-meta")}
    assert marked == {"kicker": True, "article-meta": True}


DUMP_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|From dump|dump \d")
SOURCES = re.compile(r'<details class="sources">(.*?)</details>', re.S)


def test_dump_file_names_show_only_folded_away_in_the_article_footer(small_pages):
    _, pages, rendered = small_pages
    for page in pages:
        assert not DUMP_NAME.search(SOURCES.sub("", rendered[page.path])), page.url
    undated = rendered["articles/letters-between-leaders/index.html"]
    folded = SOURCES.findall(undated)
    assert len(folded) == 1 and "<summary>Sources: 2 dump files</summary>" in folded[0]
    assert re.findall(r'<li class="source">([^<]*)</li>', folded[0]) == [
        "002_86cb71f0a70a661f.txt", "000_7752e62acdcbb6a0.txt"]
    assert undated.index('<footer class="article-foot"') < undated.index('<details class="sources">')
    assert "<summary>Sources: 1 dump file</summary>" in rendered["articles/kirkuk-talks-resume/index.html"]


def test_country_page_lists_topics_neighbours_then_mentions(small_pages):
    _, _, rendered = small_pages
    first = rendered["countries/iraq/index.html"]
    assert 'href="/countries/iraq/economy/"' in first and 'href="/countries/united-states/"' in first
    assert "Articles about Iraq" in first and "Also mentioned in" not in first
    assert first.index("kirkuk-talks-resume") < first.index("iraq-oil-revenue")
    second = rendered["countries/iraq/page/2/index.html"]
    assert "Also mentioned in" in second and "syria-aid-convoy" in second
    assert 'rel="prev" href="/countries/iraq/"' in second
    economy = rendered["countries/iraq/economy/index.html"]
    assert "iraq-oil-revenue" in economy and "iraq-election-count" not in economy


def test_topic_page_keeps_the_iptc_label_and_code_on_one_line(small_pages):
    _, _, rendered = small_pages
    economy = rendered["topics/economy/index.html"]
    assert '<span class="iptc">IPTC <code>medtop:04000000</code></span>' in economy
    css = (TEMPLATES / "static" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"\.iptc \{[^}]*white-space: nowrap", css)


def test_unknown_page_kind_is_a_build_error():
    site = fake_site()
    with pytest.raises(BuildError):
        Renderer(TEMPLATES, site).render(Page("x/index.html", "/x/", "home.html", "archive", ""))


@pytest.mark.parametrize("number, pages, window", [
    (1, 1, [1]),
    (1, 5, [1, 2, 3, 4, 5]),
    (1, 50, [1, 2, 3, None, 50]),
    (9, 50, [1, None, 7, 8, 9, 10, 11, None, 50]),
    (4, 50, [1, 2, 3, 4, 5, 6, None, 50]),
    (50, 50, [1, None, 48, 49, 50]),
    (47, 50, [1, None, 45, 46, 47, 48, 49, 50]),
])
def test_pager_links_the_ends_and_two_pages_either_side(number, pages, window):
    from briefing.render import paginate
    slugs = [f"a{i}" for i in range(pages * 20)]
    assert paginate(slugs, "/countries/iraq/", number, 20).window == window


def test_a_topic_in_many_countries_shows_twelve_and_folds_the_rest():
    import dataclasses

    from briefing.model import Count, Country, CountryGroup

    site = fake_site()
    extra = [CountryGroup(country=Country(f"X{i}", f"land-{i:02d}", f"Land {i:02d}"), url=f"/countries/land-{i:02d}/",
                          about=(), mentioned=(), topics=(), neighbours=()) for i in range(20)]
    topic = dataclasses.replace(site.topics[0], countries=tuple(Count(f"X{i}", 40 - i) for i in range(20)))
    site = dataclasses.replace(site, countries=site.countries + tuple(extra), topics=(topic, *site.topics[1:]))
    page = next(p for p in plan_pages(site) if p.kind == "topic" and p.key == topic.topic.slug)
    html = Renderer(TEMPLATES, site).render(page)
    shown, folded = html.split('<details class="more-bars">')
    assert [f"Land {i:02d}" in shown for i in range(20)] == [True] * 12 + [False] * 8
    assert "<summary>All 20 countries</summary>" in folded
    assert all(f"Land {i:02d}" in folded for i in range(12, 20))
    assert 'class="bar w100"' in shown and 'class="bar w100"' not in folded   # one scale for both


def test_template_calls_reach_helpers_macros_and_context_functions_alike():
    # Renderer's context calls its own helpers and macros directly; every other
    # callable must still get what Jinja promises it (here: the active context).
    import jinja2

    renderer = Renderer(TEMPLATES, fake_site())
    renderer.env.globals["page_name"] = jinja2.pass_context(lambda context: context["name"])
    renderer.env.globals["halt"] = lambda: next(iter(()))
    template = renderer.env.from_string(
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{% for n in [1] %}{{ twice(url('/a b/')) }}|{{ page_name() }}|{{ halt() is undefined }}{% endfor %}")
    assert template.render(name="<Iraq>") == "/a b//a b/|&lt;Iraq&gt;|True"


def test_only_unmarked_helpers_are_called_directly():
    import jinja2

    from briefing.render import direct_helpers

    def plain():
        return 1

    marked = jinja2.pass_context(lambda context: 2)
    renderer = Renderer(TEMPLATES, fake_site())
    chosen = direct_helpers({"plain": plain, "marked": marked, "url": renderer.url, "text": "x"})
    assert chosen == {plain, renderer.url}


# --- briefings: latest developments, timeline, maps, key facts ---------------------

def test_country_page_leads_with_developments_timeline_map_and_key_facts():
    pages = render_all(fake_site())
    iraq = pages["countries/iraq/index.html"]
    main = iraq.split('class="briefing-main"', 1)[1]
    # Developments, then the timeline, then the list: the briefing before the archive.
    assert main.index('class="developments"') < main.index('<section id="timeline"') < main.index('id="about-heading"')
    developments = re.findall(r'<li class="development">(.*?)</li>', iraq, re.S)
    dates = [re.search(r'datetime="([\d-]+)"', row).group(1) for row in developments]
    assert dates == sorted(dates, reverse=True) and len(developments) == 3
    # The Kirkuk article's dates: the caption's (its top), March 2023 and 20 November (their paragraph).
    timeline = iraq.split('<section id="timeline"', 1)[1].split("</section>", 1)[0]
    assert '<h3 class="timeline-period" id="t-2023-03">March 2023</h3>' in timeline
    assert 'href="/articles/kirkuk-talks-resume/#p-2">The two sides will meet again on November 20' in timeline
    assert 'Ahead when written' in timeline and 'datetime="2025-11-20"' in timeline
    assert 'href="/articles/kirkuk-talks-resume/#p-2">Exports have been halted since March 2023.' in timeline
    # A locator map (a picture with its text alternative) and key facts with their source.
    assert re.search(r'<svg [^>]*class="map map-locator"[^>]*role="img"', iraq)
    assert "Locator map: Iraq" in iraq and "<dt>Capital</dt><dd>Baghdad</dd>" in iraq
    assert "Source: countryinfo" in iraq


def test_only_a_listing_first_page_carries_the_briefing(small_pages):
    _, _, pages = small_pages
    first, second = pages["countries/iraq/index.html"], pages["countries/iraq/page/2/index.html"]
    assert 'id="timeline"' in first and 'class="developments"' in first and "map-locator" in first
    assert 'id="timeline"' not in second and 'class="developments"' not in second and "map-locator" not in second


def test_article_page_shows_its_own_dates_linked_to_their_paragraphs():
    page = render_all(fake_site())["articles/kirkuk-talks-resume/index.html"]
    assert '<p id="p-2">Exports have been halted since March 2023.' in page
    timeline = page.split('<section id="timeline"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'href="([^"]+)"', timeline)
    # A paragraph of the same page is a fragment away; the article's own date links the article.
    assert "#p-2" in links and "/articles/kirkuk-talks-resume/" in links
    assert "/articles/kirkuk-talks-resume/#p-2" not in links
    assert "Reported" in timeline        # its own date, from its date line


def test_countries_index_and_home_show_the_coverage_map_linking_each_country():
    pages = render_all(fake_site())
    for path in ("countries/index.html", "index.html"):
        page = pages[path]
        assert re.search(r'<svg [^>]*class="map map-coverage"[^>]*role="img"', page), path
        layer = page.split('class="map map-coverage map-links"', 1)[1].split("</svg>", 1)[0]
        assert 'href="/countries/iraq/" aria-label="Iraq: 3 articles"' in layer, path
        assert "turkiye" not in layer, path     # only mentioned: not shaded
    home = pages["index.html"]
    assert home.index('class="developments"') < home.index('id="latest-heading"')
    # The story list goes on where the developments stop: no article in both.
    developments = set(re.findall(r'class="development-title" href="([^"]+)"|href="([^"]+)" class="development-title"', home))
    listed = home.split('id="latest-heading"', 1)[1]
    for pair in developments:
        url = next(u for u in pair if u)
        assert f'<a href="{url}">' not in listed


def test_topic_page_shades_the_countries_of_the_topic():
    page = render_all(fake_site())["topics/economy/index.html"]
    layer = page.split('class="map map-coverage map-links"', 1)[1].split("</svg>", 1)[0]
    linked = set(re.findall(r'href="/countries/([^/]+)/"', layer))
    assert linked == {"iraq", "ukraine", "united-states"}


def test_an_article_page_lists_every_date_it_states_however_many():
    import dataclasses
    import datetime as dt

    from briefing.briefs import TIMELINE_MAX
    from briefing.model import Event

    site = fake_site()
    events = tuple(Event(dt.date(1950 + i, 3, 1), "month", f"In March {1950 + i} something happened.", 2, False)
                   for i in range(TIMELINE_MAX + 5))
    events += (Event(dt.date(1940, 1, 1), "year", "In 1940, and in 1930.", 3, False),
               Event(dt.date(1930, 1, 1), "year", "In 1940, and in 1930.", 3, False))
    entry = dataclasses.replace(site.by_slug["kirkuk-talks-resume"], events=events)
    entries = tuple(entry if e.article.slug == entry.article.slug else e for e in site.entries)
    site = dataclasses.replace(site, entries=entries, by_slug={e.article.slug: e for e in entries})
    page = render_all(site)["articles/kirkuk-talks-resume/index.html"]
    assert page.count('<li class="moment') == TIMELINE_MAX + 5 + 1     # and its own date
    # The years it names only as years: one line, each linking its paragraph on the page.
    line = page.split('<p class="timeline-years">', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'href="([^"]+)"><time datetime="(\d+)">', line) == [("#p-3", "1930"), ("#p-3", "1940")]


# --- people and organisations ----------------------------------------------------

def test_a_person_page_lists_each_article_with_the_sentence_naming_it(small_pages):
    _, _, rendered = small_pages
    html = rendered["people/tom-barrack/index.html"]
    assert "<h1>Tom Barrack" in html and "US envoy" in html
    # Newest first, each sentence linked to its paragraph.
    assert html.index("Negotiators met in the presence") < html.index("Officials said the talks")
    assert 'href="/articles/kirkuk-talks-resume/#p-1"' in html and 'href="/articles/iraq-oil-revenue/#p-2"' in html
    assert 'href="/people/tom-barrack/feed.xml"' in html
    assert 'href="/organisations/north-oil-company/"' in html        # named with him
    assert '<a href="/countries/united-states/">United States</a>' in html


def test_entity_names_and_sentences_from_dumps_are_escaped(small_pages):
    _, pages, rendered = small_pages
    showing = [p.path for p in pages if "front-script" in rendered[p.path]]
    assert "organisations/front-script/index.html" in showing and "organisations/index.html" in showing
    for path in showing:
        assert "<script>alert" not in rendered[path], path
    assert "Front &lt;script&gt;alert(1)&lt;/script&gt;" in rendered["organisations/front-script/index.html"]
    assert "Aid agencies &lt;script&gt;alert(1)&lt;/script&gt; warned." in rendered["organisations/front-script/index.html"]


def test_an_article_links_the_first_mention_of_each_one_with_a_page_and_lists_them(small_pages):
    _, _, rendered = small_pages
    html = rendered["articles/kirkuk-talks-resume/index.html"]
    assert '<a class="entity-link" href="/people/tom-barrack/">US envoy</a>' in html
    assert html.count('class="entity-link"') == 1      # the company is named only in the caption
    assert 'data-pagefind-filter="person">Tom Barrack</a>' in html
    assert 'data-pagefind-filter="organisation">North Oil Company</a>' in html


def test_country_and_topic_pages_show_their_key_people_and_organisations(small_pages):
    _, _, rendered = small_pages
    iraq = rendered["countries/iraq/index.html"]
    assert "Key people and organisations" in iraq
    assert iraq.index('href="/organisations/north-oil-company/"') < iraq.index('href="/people/tom-barrack/"')
    assert "Key people and organisations" in rendered["topics/economy/index.html"]
    assert "Key people and organisations" not in rendered["countries/ukraine/index.html"]


def test_the_indexes_list_most_named_first_with_their_countries_for_the_filter(small_pages):
    _, _, rendered = small_pages
    people = rendered["people/index.html"]
    assert '<li data-countries="US IQ"><a href="/people/tom-barrack/">Tom Barrack</a>' in people
    assert '<option value="IQ">Iraq</option>' in people and "entities." in people     # the filter's script
    organisations = rendered["organisations/index.html"]
    # Both named in two articles: then by name.
    assert organisations.index("Front &lt;script&gt;") < organisations.index("North Oil Company")
