"""Site -> HTML pages: the Jinja2 environment, one context per page type.

Renderer.render() turns one page of the plan (plan.plan_pages) into HTML. Each page type gets a small
context of its own built from Site; the only site-wide values templates see are
the helper functions registered as globals (url, absolute_url, static, and
look-ups by slug or code), never a settings dict.

Templates run with autoescape on and StrictUndefined; the one value marked safe
is Entry.html (markdown-it output with raw HTML disabled). Any template problem
becomes a BuildError naming the template file and line.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections import ChainMap
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any, Callable, Sequence

import jinja2
from jinja2 import meta
from markupsafe import Markup, escape

from . import briefs, maps
from .actors import entity_url
from .markup import link_mentions, paragraph_id
from .model import BuildError, CountryGroup, EntityGroup, Entry, Site, TopicGroup
from .plan import Page, country_topic_entries, entries_by_slug, entity_per_page, paginate, plan_pages  # noqa: F401 (plan_pages: render.plan_pages)
from .urls import absolute_url as _absolute_url
from .urls import site_url

STATIC_DIR = "static"
HOME_LATEST = 12            # articles with summaries on the home page
HOME_GROUPS = 10            # countries / topics with most coverage on the home page
HOME_DEVELOPMENTS = 8       # one-line latest developments leading the home page
MOMENTS_KEPT = 200_000      # timeline moments a Renderer keeps made (a 10,000-article site has ~100,000)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# --- static files -------------------------------------------------------------

def static_files(templates_dir: Path) -> dict[str, bytes]:
    """templates/static/* with a content hash in each name: {"static/style.<hash8>.css": bytes}.

    The hash changes whenever the file does, so the files can be cached forever.
    """
    return {hashed: data for _, (hashed, data) in _static_index(Path(templates_dir)).items()}


def _static_index(templates_dir: Path) -> dict[str, tuple[str, bytes]]:
    """{"style.css": ("static/style.<hash8>.css", bytes)} for every file below templates/static/."""
    root = templates_dir / STATIC_DIR
    index = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else ():
        name = path.relative_to(root).as_posix()
        if path.name.startswith("."):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:8]
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"
        index[name] = (f"{STATIC_DIR}/{hashed}", data)
    return index


# --- helpers for templates ----------------------------------------------------

def format_date(day: dt.date) -> str:
    """"5 November 2025", whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def json_ld(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: it can never close the
    element or open a comment, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def index_letter(name: str) -> str:
    """The A-Z heading a name is filed under ("Åland" -> "A"); "#" for anything else."""
    for char in unicodedata.normalize("NFKD", name):
        if char.isascii() and char.isalpha():
            return char.upper()
        if char.isalnum():
            return "#"
    return "#"


def share(count: int, most: int) -> int:
    """count as a share of most, in steps of 5 (for the CSS bar classes w0..w100)."""
    if most <= 0:
        return 0
    return max(5, min(100, int(round(count * 20 / most)) * 5)) if count else 0


# --- the renderer -------------------------------------------------------------

_HELPER_TYPES = (MethodType, FunctionType)


class _Template(jinja2.Template):
    """A template whose `{% import %}` reuses the imported module as Jinja's own does,
    with the same test made on the dicts behind the globals' ChainMap: Jinja's set
    difference with a ChainMap's keys runs in Python, key by key, twice per page."""

    def _get_default_module(self, ctx=None):
        if ctx is not None and isinstance(self.globals, ChainMap) and self._module is not None \
                and not ctx.globals_keys.difference(*self.globals.maps):
            return self._module
        return super()._get_default_module(ctx)


def direct_helpers(globals_: dict[str, Any]) -> frozenset:
    """The template globals _Context may call straight away: plain functions and methods
    with no pass_context / pass_environment marker (those need Jinja's own call)."""
    return frozenset(helper for helper in globals_.values()
                     if type(helper) in _HELPER_TYPES and not hasattr(helper, "jinja_pass_arg"))


class _Context(jinja2.runtime.Context):
    """Calls macros and the renderer's own helpers straight away.

    Jinja's Context.call looks at every callable for pass_context markers (four
    hasattr lookups) before calling it; a page calls url(), story_card() and
    macros about a hundred times, so at 6,000 pages that was a tenth of the
    render. Macros and the helpers carry no markers; anything else goes the
    usual way.
    """

    helpers: frozenset = frozenset()     # set per Renderer on a subclass

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        if type(__obj) is jinja2.runtime.Macro or (type(__obj) in _HELPER_TYPES and __obj in __self.helpers):
            if kwargs:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


class Renderer:
    """Renders planned pages of one Site with the templates of one folder."""

    def __init__(self, templates_dir: Path, site: Site, bytecode_cache: Path | None = None):
        """bytecode_cache: a folder where compiled templates are kept between runs."""
        self.templates_dir = Path(templates_dir)
        self._bind(site)
        self.static = {name: hashed for name, (hashed, _) in _static_index(self.templates_dir).items()}
        self._referenced: dict[str, list[str]] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.templates_dir)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A Renderer lives as long as one version of the templates folder (the builder
            # makes a new one when any file in it changes), so no stat() per page.
            auto_reload=False,
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_cache)) if bytecode_cache else None,
        )
        self.env.template_class = _Template
        self.env.filters["date"] = format_date
        self.env.filters["json_ld"] = json_ld
        self.env.globals.update(
            url=self.url,
            absolute_url=self.absolute_url,
            static=self.static_url,
            entry=self.entry,
            country=self.country,
            topic=self.topic,
            story_card=self.story,
            timeline_periods=self.periods,
            development_rows=self.development_rows,
            timeline_years=self.years,
            kicker=self.kicker,
            share=share,
        )
        self.env.context_class = type("Context", (_Context,), {"helpers": direct_helpers(self.env.globals)})
        self._bind_config()
        self._contexts: dict[str, Callable[[Page], dict[str, Any]]] = {
            "home": self._home, "article": self._article, "countries": self._countries,
            "country": self._country, "country_topic": self._country_topic,
            "topics": self._topics, "topic": self._topic, "search": self._search,
            "people": self._entities, "organisations": self._entities,
            "person": self._entity, "organisation": self._entity,
            "404": self._not_found,
        }

    def _bind(self, site: Site) -> None:
        # Memos of pure functions of (site, templates): a story card or a link is made
        # once per process, not once per page that shows it.
        self._urls: dict[str, str] = {}
        self._stories: dict[tuple, Markup] = {}
        self._story_keys: dict[str, list[tuple]] = {}    # slug -> its keys in _stories
        # Maps drawn, by what they show: a country's locator map is on its page and on
        # each of its topic pages, and drawing one costs a millisecond or more.
        self._maps: dict[tuple, Any] = {}
        self._moments: dict[tuple, Markup] = {}         # what a moment shows -> its markup
        self._moments_of: dict[str, tuple] = {}         # briefs.moments_of's memo
        self._developments: dict[str, tuple] = {}       # slug -> (its Entry, its row's markup)
        self.site = site
        self.config = site.config
        self.entries = entries_by_slug(site)
        self.countries_by_code = {g.country.code: g for g in site.countries}
        self.countries_by_slug = {g.country.slug: g for g in site.countries}
        self.topics_by_slug = {g.topic.slug: g for g in site.topics}
        self.entities_by_url = {g.url: g for g in (*site.people, *site.organisations)}
        self._names = (site.config, tuple((g.country, g.url) for g in site.countries),
                       tuple((g.topic, g.url) for g in site.topics))

    def _bind_config(self) -> None:
        self.env.globals.update(site_title=self.config.title, site_description=self.config.description,
                                language=self.config.language)

    def use_site(self, site: Site) -> None:
        """Render another Site with the same templates, keeping the compiled ones (serve),
        and the story cards of articles that show the same, as long as the settings and
        every country's and topic's name and address are the same."""
        old_entries, old_stories, old_urls, old_names = self.entries, self._stories, self._urls, self._names
        old_keys, old_maps, old_moments, old_moments_of = self._story_keys, self._maps, self._moments, self._moments_of
        self._bind(site)
        self._bind_config()
        if self._names == old_names:
            # A moment card is made from the moment alone (and the urls): a changed
            # article makes new moments, and its old ones are simply not asked for.
            self._urls, self._maps, self._moments = old_urls, old_maps, old_moments
            self._moments_of = old_moments_of
            # Only an article that is gone or a new object can show something new: the
            # others' cards stay, without a look at each of the tens of thousands kept.
            for slug in list(old_keys):
                new, old = self.entries.get(slug), old_entries.get(slug)
                # A card does not show an article's links, which change whenever
                # articles change places: compare what it does show.
                if new is not old and (new is None or old is None or _card(new) != _card(old)):
                    for key in old_keys.pop(slug):
                        old_stories.pop(key, None)
            self._stories, self._story_keys = old_stories, old_keys

    # -- helpers registered as template globals --

    def country(self, code: str) -> CountryGroup | None:
        return self.countries_by_code.get(code)

    def topic(self, slug: str) -> TopicGroup | None:
        return self.topics_by_slug.get(slug)

    def kicker(self, entry: Entry, skip: Sequence[str] = ()) -> tuple[list[CountryGroup], list[TopicGroup]]:
        """The first three countries and two topics a story card names, less those in skip."""
        classification = entry.classification
        countries = [g for g in map(self.countries_by_code.get,
                                    (c for c in classification.countries if c not in skip)) if g][:3]
        topics = [g for g in map(self.topics_by_slug.get,
                                 (t for t in classification.topics if t not in skip)) if g][:2]
        return countries, topics

    def url(self, path: str) -> str:
        """A site path as a link that works at a domain root and under a base path."""
        try:
            return self._urls[path]
        except KeyError:
            made = self._urls[path] = site_url(self.config, path)
            return made

    def story(self, slug: str, level: int = 3, summary: bool = True, skip: Sequence[str] = ()) -> Markup:
        """The `story` macro of _macros.html for one article, made once per arguments."""
        key = (slug, level, summary, tuple(skip))
        try:
            return self._stories[key]
        except KeyError:
            macro = self.env.get_template("_macros.html").module.story  # type: ignore[attr-defined]
            made = self._stories[key] = Markup(macro(self.entry(slug), level, summary, skip))
            self._story_keys.setdefault(slug, []).append(key)
            return made

    def periods(self, periods: Sequence[briefs.Period], source: bool = True) -> Markup:
        """A timeline's periods, each a heading and the list of its moments."""
        parts = []
        for period in periods:
            parts.append(f'  <h3 class="timeline-period" id="t-{period.anchor}">{period.label}</h3>\n'
                         '  <ol class="timeline-list">\n')
            for moment in period.moments:
                parts.append(self.moment(moment, source))
                parts.append("\n")
            parts.append("  </ol>\n")
        return Markup("".join(parts))

    def years(self, years: Sequence[tuple[int, str]]) -> Markup:
        """The years a page names only as years, one link each to where it first does
        (a fragment when that is on the page itself). In Python: an article page has a
        handful, and a Jinja loop of them cost a tenth of the page."""
        return Markup(" · ".join(f'<a href="{self._href(link, here=True)}"><time datetime="{year:04d}">{year}</time></a>'
                                 for year, link in years))

    def _href(self, link: str, here: bool) -> str:
        """A link to a site path, perhaps with a #fragment, for an href: only the fragment
        when the page is `here` (the one being drawn), else the path as url() makes it."""
        page, hash_, fragment = link.partition("#")
        return escape(f"#{fragment}" if hash_ and here else self.url(page) + hash_ + fragment)

    def development_rows(self, rows: Sequence[briefs.Development]) -> Markup:
        """The rows of a "latest developments" list. In Python and made once per article:
        an article leads the briefings of each of its countries and topics and of their
        pairs, and a Jinja loop of them was a third of a country-and-topic page."""
        parts = []
        for row in rows:
            slug = row.entry.article.slug
            found = self._developments.get(slug)
            if found is None or found[0] is not row.entry:     # date and sentence come from it
                when = (f'<time datetime="{row.date.isoformat()}">{format_date(row.date)}</time>' if row.date
                        else '<span class="undated">Undated</span>')
                news = f' <span class="development-news">{escape(row.sentence)}</span>' if row.sentence else ""
                made = Markup(
                    '    <li class="development">\n'
                    f'      <p class="development-date">{when}</p>\n'
                    f'      <p class="development-text"><a href="{escape(self.url(row.entry.url))}" '
                    f'class="development-title">{escape(row.entry.article.title)}</a>{news}</p>\n'
                    '    </li>\n')
                found = self._developments[slug] = (row.entry, made)
            parts.append(found[1])
        return Markup("".join(parts))

    def moment(self, moment: briefs.Moment, source: bool = True) -> Markup:
        """One timeline moment as a list item, made once per arguments: an article's
        dates are on its page and on every briefing it leads. In Python, not a macro:
        an article page shows a score of them, and the macro was half its render.
        source: name the article it comes from (not on that article's own page)."""
        # An article's own page (no source named) shows its moments once: not kept.
        key = (moment, source) if source else None
        found = self._moments.get(key) if key else None
        if found is not None:
            return found
        classes = "moment" + (" moment-ahead" if moment.ahead else "") + (" moment-published" if moment.published else "")
        hidden = "" if moment.precision == "day" or moment.end else ' class="visually-hidden"'
        if moment.published:
            tag = ' <span class="moment-tag">Reported</span>'
        elif moment.ahead:
            tag = ' <span class="moment-tag moment-tag-ahead">Ahead when written</span>'
        elif moment.ahead is False:
            tag = ' <span class="moment-tag moment-tag-past">Past when written</span>'
        else:
            tag = ""
        title = escape(moment.title)
        text = title if moment.published else escape(moment.text)
        after = f' <span class="moment-source">— {title}</span>' if source and not moment.published else ""
        # On the article's own page (no source named) a paragraph is a fragment away.
        href = self._href(moment.url, here=not source)
        made = Markup(
            f'    <li class="{classes}">\n'
            f'      <p class="moment-when"><time datetime="{briefs.iso_date(moment.date, moment.precision)}"{hidden}>'
            f'{briefs.say_when(moment.date, moment.precision, moment.end)}</time>{tag}</p>\n'
            f'      <p class="moment-text"><a href="{href}">{text}</a>{after}</p>\n'
            f'    </li>')
        if key:
            if len(self._moments) > MOMENTS_KEPT:     # serve: old articles' moments are never asked for again
                self._moments.clear()
            self._moments[key] = made
        return made

    def absolute_url(self, path: str) -> str:
        """The full URL (canonical, OpenGraph, JSON-LD); root-relative when base_url is ""."""
        return _absolute_url(self.config, path)

    def static_url(self, name: str) -> str:
        try:
            return self.url("/" + self.static[name])
        except KeyError:
            raise jinja2.TemplateRuntimeError(
                f"no file {name!r} in {self.templates_dir / STATIC_DIR}") from None

    def entry(self, slug: str) -> Entry:
        try:
            return self.entries[slug]
        except KeyError:
            raise jinja2.TemplateRuntimeError(f"no article with slug {slug!r}") from None

    # -- rendering --

    def render(self, page: Page) -> str:
        try:
            build = self._contexts[page.kind]
        except KeyError:
            raise BuildError(f"unknown page kind {page.kind!r} for {page.url}") from None
        context = build(page)
        if page.number > 1:
            context["breadcrumbs"] = [*context["breadcrumbs"], (f"Page {page.number}", page.url)]
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, **context)
        except jinja2.TemplateSyntaxError as error:
            raise BuildError(f"template error: {error.message}",
                             self._template_path(error.filename, error.name or page.template),
                             error.lineno) from None
        except jinja2.TemplateNotFound as error:
            raise BuildError(f"template {error.name!r} not found in {self.templates_dir}",
                             str(self.templates_dir / page.template)) from None
        except jinja2.TemplateError as error:
            path, line = self._template_location(error, page.template)
            raise BuildError(f"template error while rendering {page.url}: {error}",
                             path, line) from None

    def _template_path(self, filename: str | None, name: str) -> str:
        return filename or str(self.templates_dir / name)

    def _template_location(self, error: BaseException, fallback: str) -> tuple[str, int | None]:
        """The innermost template frame of a runtime error (Jinja rewrites tracebacks
        so template frames carry the template's file name and line)."""
        root = str(self.templates_dir.resolve())
        found: tuple[str, int | None] = (str(self.templates_dir / fallback), None)
        tb = error.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.startswith(root) or Path(filename).resolve().is_relative_to(root):
                found = (filename, tb.tb_lineno)
            tb = tb.tb_next
        return found

    def template_dependencies(self, template: str) -> tuple[str, ...]:
        """The template and every template it extends, includes or imports, recursively."""
        seen: list[str] = []
        pending = [template]
        while pending:
            name = pending.pop(0)
            if name not in seen:
                seen.append(name)
                pending += self._references(name)
        return tuple(seen)

    def _references(self, name: str) -> list[str]:
        """The templates this one names, parsed once per Renderer: every page template
        names base.html and _macros.html, and parsing is most of the cost."""
        try:
            return self._referenced[name]
        except KeyError:
            pass
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            parsed = self.env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as error:
            raise BuildError(f"template error: {error.message}",
                             self._template_path(error.filename, name), error.lineno) from None
        except jinja2.TemplateNotFound:
            raise BuildError(f"template {name!r} not found in {self.templates_dir}") from None
        found = self._referenced[name] = sorted(n for n in meta.find_referenced_templates(parsed) if n is not None)
        return found

    # -- one context per page type --

    def _feeds(self, *extra: tuple[str, str]) -> list[tuple[str, str]]:
        """(title, site path) of the Atom feeds a page announces."""
        return [(f"{self.config.title}: all articles", "/feed.xml"), *extra]

    def _group_feed(self, name: str, group_url: str) -> tuple[str, str]:
        return (f"{self.config.title}: {name}", f"{group_url}feed.xml")

    def _home(self, page: Page) -> dict[str, Any]:
        # The developments lead; the story list goes on with the articles they leave out.
        developments = briefs.latest_developments(self.site.entries, HOME_DEVELOPMENTS)
        shown = {row.entry.article.slug for row in developments}
        latest = [e for e in self.site.entries[:HOME_LATEST + len(shown)] if e.article.slug not in shown][:HOME_LATEST]
        covered = sorted((g for g in self.site.countries if g.about),
                         key=lambda g: (-len(g.about), g.country.name.casefold()))
        topics = sorted((g for g in self.site.topics if g.articles), key=lambda g: -len(g.articles))
        return dict(
            title=self.config.title,
            description=self.config.description,
            breadcrumbs=[],
            feeds=self._feeds(),
            latest=latest,
            developments=developments,
            coverage=self._coverage_map("home-map"),
            more=max(0, len(self.site.entries) - len(shown) - len(latest)),
            updated=self.site.entries[0].updated if self.site.entries else None,
            article_count=len(self.site.entries),
            country_count=len(self.site.countries),
            topic_count=len(topics),
            country_bars=_country_rows(covered[:HOME_GROUPS]),
            topic_bars=[(g.topic.name, g.url, len(g.articles)) for g in topics[:HOME_GROUPS]],
        )

    def _article(self, page: Page) -> dict[str, Any]:
        entry = self.entries[page.key]
        missing = [s for s in (*entry.related, entry.previous, entry.next)
                   if s and s not in self.entries]
        if missing:
            raise BuildError(f"links to article {missing[0]!r}, which is not in the site",
                             entry.article.path)
        classification = entry.classification
        about = [self.countries_by_code[c] for c in classification.countries if c in self.countries_by_code]
        mentioned = [self.countries_by_code[c] for c in classification.countries_mentioned
                     if c in self.countries_by_code]
        topics = [self.topics_by_slug[t] for t in classification.topics if t in self.topics_by_slug]
        crumbs = [("Home", "/")]
        if about:
            crumbs.append((about[0].country.name, about[0].url))
        elif topics:
            crumbs.append((topics[0].topic.name, topics[0].url))
        named = [(mention, self.entities_by_url[url]) for mention in entry.entities
                 for url in (entity_url(mention.kind, mention.slug),) if url in self.entities_by_url]
        # Each one with a page is linked where the body first names it.
        links = [(mention.paragraph, mention.surface, self.url(group.url))
                 for mention, group in named if mention.paragraph]
        return dict(
            title=entry.article.title,
            description=entry.summary,
            breadcrumbs=crumbs,
            feeds=self._feeds(),
            entry=entry,
            body=Markup(link_mentions(entry.html, links) if links else entry.html),
            people=[group for _, group in named if group.kind == "person"],
            organisations=[group for _, group in named if group.kind == "organisation"],
            about=about,
            mentioned=mentioned,
            topics=topics,
            related=[self.entries[s] for s in entry.related],
            **dict(zip(("periods", "years"), briefs.article_timeline(entry))),
            previous=self.entries[entry.previous] if entry.previous else None,
            next=self.entries[entry.next] if entry.next else None,
            structured=self._news_article(entry, about, topics),
        )

    def _news_article(self, entry: Entry, about: list[CountryGroup],
                      topics: list[TopicGroup]) -> dict[str, Any]:
        article = entry.article
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": entry.summary,
            "url": self.absolute_url(entry.url),
            "mainEntityOfPage": self.absolute_url(entry.url),
            "inLanguage": self.config.language,
            "dateModified": entry.updated.isoformat(),
            "wordCount": entry.words,
            "isAccessibleForFree": True,
            "publisher": {"@type": "Organization", "name": self.config.title,
                          "url": self.absolute_url("/")},
        }
        if article.date:
            data["datePublished"] = article.date.isoformat()
        if article.author:
            data["author"] = {"@type": "Person", "name": article.author}
        if article.place:
            data["contentLocation"] = {"@type": "Place", "name": article.place}
        if about:
            data["about"] = [{"@type": "Country", "name": g.country.name} for g in about]
        if topics:
            data["keywords"] = [g.topic.name for g in topics]
        return data

    def _countries(self, page: Page) -> dict[str, Any]:
        letters: dict[str, list[CountryGroup]] = {}
        for group in self.site.countries:
            letters.setdefault(index_letter(group.country.name), []).append(group)
        most = sorted((g for g in self.site.countries if g.about),
                      key=lambda g: (-len(g.about), g.country.name.casefold()))
        return dict(
            title="Countries",
            description=f"Every country in {self.config.title}, with how many articles "
                        "are about it or mention it.",
            breadcrumbs=[("Home", "/"), ("Countries", "/countries/")],
            feeds=self._feeds(),
            letters=sorted(letters.items(), key=lambda kv: (kv[0] == "#", kv[0])),
            most_covered=_country_rows(most[:HOME_GROUPS]),
            count=len(self.site.countries),
            coverage=self._coverage_map("coverage-map"),
        )

    def _country(self, page: Page) -> dict[str, Any]:
        group = self.countries_by_slug[page.key]
        listing = paginate((*group.about, *group.mentioned), group.url, page.number,
                           self.config.per_page)
        split = max(0, len(group.about) - listing.offset)
        name = group.country.name
        return dict(
            title=name if page.number == 1 else f"{name}, page {page.number}",
            description=f"{name} in {self.config.title}: {_articles(len(group.about))} about "
                        f"{name}, mentioned in {len(group.mentioned)} more.",
            breadcrumbs=[("Home", "/"), ("Countries", "/countries/"), (name, group.url)],
            feeds=self._feeds(self._group_feed(name, group.url)),
            group=group,
            listing=listing,
            about_here=listing.items[:split],
            mentioned_here=listing.items[split:],
            topic_bars=[(self.topics_by_slug[c.key].topic.name, f"{group.url}{c.key}/", c.count)
                        for c in group.topics if c.key in self.topics_by_slug],
            neighbours=[(self.countries_by_code[c.key], c.count) for c in group.neighbours
                        if c.key in self.countries_by_code],
            **self._briefing(page, group.about),
            actors=self._actors(page, group.country.code),
            locator=self._locator_map(group.country.code),
            facts=maps.key_facts(group.country.code),
        )

    def _country_topic(self, page: Page) -> dict[str, Any]:
        country_slug, _, topic_slug = page.key.partition("/")
        group = self.countries_by_slug[country_slug]
        topic = self.topics_by_slug[topic_slug]
        base = f"{group.url}{topic_slug}/"
        listing = paginate(country_topic_entries(self.site, group, topic_slug), base,
                           page.number, self.config.per_page)
        name = f"{topic.topic.name} in {group.country.name}"
        return dict(
            title=name if page.number == 1 else f"{name}, page {page.number}",
            description=f"{_articles(listing.total)} about {group.country.name} on "
                        f"{topic.topic.name.lower()}. {topic.topic.description}",
            breadcrumbs=[("Home", "/"), ("Countries", "/countries/"),
                         (group.country.name, group.url), (topic.topic.name, base)],
            feeds=self._feeds(self._group_feed(group.country.name, group.url),
                              self._group_feed(topic.topic.name, topic.url)),
            group=group,
            topic_group=topic,
            listing=listing,
            other_topics=[c for c in group.topics if c.key in self.topics_by_slug],
            **self._briefing(page, listing.items),
        )

    def _topics(self, page: Page) -> dict[str, Any]:
        return dict(
            title="Topics",
            description=f"Every topic in {self.config.title}, with its articles and the "
                        "countries it concerns.",
            breadcrumbs=[("Home", "/"), ("Topics", "/topics/")],
            feeds=self._feeds(),
            topics=self.site.topics,
            most=max((len(g.articles) for g in self.site.topics), default=0),
        )

    def _topic(self, page: Page) -> dict[str, Any]:
        group = self.topics_by_slug[page.key]
        listing = paginate(group.articles, group.url, page.number, self.config.per_page)
        name = group.topic.name
        return dict(
            title=name if page.number == 1 else f"{name}, page {page.number}",
            description=group.topic.description or f"{_articles(len(group.articles))} on {name}.",
            breadcrumbs=[("Home", "/"), ("Topics", "/topics/"), (name, group.url)],
            feeds=self._feeds(self._group_feed(name, group.url)),
            group=group,
            listing=listing,
            country_bars=[(self.countries_by_code[c.key].country.name,
                           self.countries_by_code[c.key].url, c.count)
                          for c in group.countries if c.key in self.countries_by_code],
            **self._briefing(page, listing.items),
            actors=self._actors(page, f"topic:{group.topic.slug}"),
            coverage=self._coverage_map("topic-map", {c.key: c.count for c in group.countries}),
        )

    def _actors(self, page: Page, key: str) -> list[tuple[EntityGroup, int]]:
        """A country's or topic's key people and organisations (its first page only)."""
        if page.number != 1:
            return []
        return [(self.entities_by_url[c.key], c.count) for c in self.site.actors.get(key, ())
                if c.key in self.entities_by_url]

    def _entities(self, page: Page) -> dict[str, Any]:
        people = page.kind == "people"
        groups = self.site.people if people else self.site.organisations
        noun = "People" if people else "Organisations"
        codes = sorted({code for g in groups for code in g.countries if code in self.countries_by_code},
                       key=lambda code: self.countries_by_code[code].country.name.casefold())
        return dict(
            title=noun,
            description=f"The {noun.lower()} named in {self.config.title}, most named first.",
            breadcrumbs=[("Home", "/"), (noun, page.url)],
            feeds=self._feeds(),
            noun=noun,
            one="person" if people else "organisation",
            groups=groups,
            filter_countries=[self.countries_by_code[code] for code in codes],
        )

    def _entity(self, page: Page) -> dict[str, Any]:
        folder = "people" if page.kind == "person" else "organisations"
        group = self.entities_by_url[f"/{folder}/{page.key}/"]
        listing = paginate(group.articles, group.url, page.number, entity_per_page(self.config))
        sentences = dict(zip(group.articles, group.sentences))
        noun = "People" if page.kind == "person" else "Organisations"
        return dict(
            title=group.name if page.number == 1 else f"{group.name}, page {page.number}",
            description=f"{group.name} in {self.config.title}: {_articles(len(group.articles))}"
                        + (f"; {', '.join(group.roles)}." if group.roles else "."),
            breadcrumbs=[("Home", "/"), (noun, f"/{folder}/"), (group.name, group.url)],
            feeds=self._feeds(self._group_feed(group.name, group.url)),
            group=group,
            listing=listing,
            countries=[self.countries_by_code[code] for code in group.countries if code in self.countries_by_code],
            companions=[(self.entities_by_url[c.key], c.count) for c in group.companions
                        if c.key in self.entities_by_url],
            said=[(self.entries[slug], *sentences[slug]) for slug in listing.items],
            paragraph_id=paragraph_id,
        )

    def _briefing(self, page: Page, slugs: Sequence[str]) -> dict[str, Any]:
        """Latest developments and the timeline of the newest of `slugs`, on a listing's
        first page only: the pages after it are the archive."""
        if page.number != 1:
            return dict(developments=[], periods=[])
        entries = [self.entries[slug] for slug in slugs[:briefs.LATEST_FROM]]
        return dict(developments=briefs.latest_developments(entries),
                    periods=briefs.timeline(entries, memo=self._moments_of))

    def _locator_map(self, code: str) -> maps.Map | None:
        key = ("locator", code)
        if key not in self._maps:
            self._maps[key] = maps.locator_map(code, self._country_name)
        return self._maps[key]

    def _coverage_map(self, id_prefix: str, counts: dict[str, int] | None = None) -> maps.Map | None:
        """The countries' articles as a shaded map: those about each country (`counts`
        to count something else, a topic's articles say)."""
        if counts is None:
            counts = {g.country.code: len(g.about) for g in self.site.countries if g.about}
        counts = {code: n for code, n in counts.items() if code in self.countries_by_code and n}
        if not counts:
            return None
        key = ("coverage", id_prefix, tuple(sorted(counts.items())))
        if key not in self._maps:
            urls = {code: self.url(self.countries_by_code[code].url) for code in counts}
            self._maps[key] = maps.coverage_map(counts, urls, self._country_name, id_prefix=id_prefix)
        return self._maps[key]

    def _country_name(self, code: str) -> str:
        group = self.countries_by_code.get(code)
        return group.country.name if group else maps.country_name(code)

    def _search(self, page: Page) -> dict[str, Any]:
        return dict(
            title="Search",
            description=f"Search every article in {self.config.title}.",
            breadcrumbs=[("Home", "/"), ("Search", "/search/")],
            feeds=self._feeds(),
        )

    def _not_found(self, page: Page) -> dict[str, Any]:
        return dict(
            title="Page not found",
            description="There is no page at this address.",
            breadcrumbs=[("Home", "/"), ("Page not found", "/404.html")],
            feeds=self._feeds(),
            latest=self.site.entries[:5],
        )


def _card(entry: Entry) -> tuple:
    """What the story macro shows of an entry (compared by identity first)."""
    return (entry.article, entry.classification, entry.summary, entry.updated, entry.reading_minutes,
            entry.url)


def _country_rows(groups: Sequence[CountryGroup]) -> list[tuple[str, str, int]]:
    """(name, site path, articles about it) rows for the bar lists."""
    return [(g.country.name, g.url, len(g.about)) for g in groups]


def _articles(count: int) -> str:
    return f"{count} article" + ("" if count == 1 else "s")
