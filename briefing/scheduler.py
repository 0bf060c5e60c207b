"""The scheduler (Build Systems à la Carte): what a build redoes, in which order, on
which worker.

scan() finds the article files whose bytes changed; prepare_files() prepares them
(read, parse, classify, render the body: a batch at a time, on every core);
render_jobs() picks, from the keys, the pages and feeds whose inputs changed; and
render_job() renders one of them on a worker, handing the bytes back only when they
changed. ArticleViews keeps the prepared articles in the orders every build goes
through them.
"""
from __future__ import annotations

import itertools
import operator
import os
from pathlib import Path
from typing import Callable, Iterable

from .cache import Cached, State, stamps
from .keys import PageKeys, file_digest, fingerprint, full_fingerprint, listing_view
from .model import BuildError, Diagnostic
from .plan import feed_entries, feed_specs, render_feed
from .workers import WORKER

# A rebuild with at most this many pages and feeds to render keeps them in memory.
HELD_FILES = 1000


# --- which articles changed ---------------------------------------------------------

def scan(state: State, folder: Path, changed: Iterable[str] | None,
         last: dict[str, tuple[int, int]] | None) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """Names of the article files in `folder` whose bytes changed since they were
    prepared, and the stamps of every article file now (for the next scan's `last`).
    Forgets the articles whose files are gone, and keeps state.stamps up to date.

    changed: the paths the caller knows changed since the last scan (serve watches
    the tree anyway); only those are looked at again. None: look at every file."""
    if not folder.is_dir():
        raise BuildError("no articles folder: run `python build.py ingest` first, or pass --content DIR.",
                         str(folder))
    if changed is None or last is None:
        current = stamps(folder, ".md")
        looked_at: Iterable[str] = current
    else:
        # Only the named files (and any that failed to prepare before) are looked at:
        # going over every article's stamp was 5 ms of each edit serve rebuilds.
        current = dict(last)
        touched = set()
        for path in changed:
            name = os.path.basename(path)
            if os.path.dirname(path) != str(folder) or not name.endswith(".md") or name.startswith("."):
                continue
            touched.add(name)
            try:
                stat = os.stat(path)
                current[name] = (stat.st_mtime_ns, stat.st_size)
            except FileNotFoundError:
                current.pop(name, None)
        if not touched <= last.keys():     # a new file: keep the names in order
            current = dict(sorted(current.items()))
        looked_at = sorted((touched & current.keys()) | (current.keys() - state.articles.keys()))
    stale = []
    for name in looked_at:
        stamp = current[name]
        cached = state.articles.get(name)
        if cached is None:
            stale.append(name)
        elif state.stamps.get(name) != stamp:
            data = (folder / name).read_bytes()
            if file_digest(data) != cached.digest:
                stale.append(name)
    gone = state.articles.keys() - current.keys()
    for name in gone:
        del state.articles[name]
    stale_names = set(stale)     # a set: a cold build's stale list names every article
    if looked_at is current:
        state.stamps = {name: stamp for name, stamp in current.items() if name not in stale_names}
    else:
        for name in gone | stale_names | (touched - current.keys()):
            state.stamps.pop(name, None)
        for name in looked_at:
            if name not in stale_names:
                state.stamps[name] = current[name]
    return stale, current


# --- views of the prepared articles ---------------------------------------------

class ArticleViews:
    """The prepared articles in the orders every build goes through them: by file name
    (their records, articles and prepared entries) and by slug.

    Kept between builds (serve) and brought up to date from the records that changed,
    found by identity in one pass in C: making these lists again from every record
    was 9 ms of each one-article rebuild at 4,000 articles."""

    def __init__(self) -> None:
        self._order: list[str] = []         # the records' names in the dict's own order
        self._records: list[Cached] = []    # and the records, in that order
        self.names: list[str] = []          # sorted
        self.records: list[Cached] = []     # by sorted name, and so on
        self.articles: list = []
        self.prepared: list = []
        self.by_slug: dict[str, Cached] = {}
        self._position: dict[str, int] = {}

    def refresh(self, articles: dict[str, Cached]) -> None:
        order, records = list(articles), list(articles.values())
        if order != self._order:    # an article added or removed: make them all again
            self.names = sorted(order)
            self._position = {name: i for i, name in enumerate(self.names)}
            self.records = [articles[name] for name in self.names]
            self.articles = [cached.prepared.entry.article for cached in self.records]
            self.prepared = [cached.prepared for cached in self.records]
            self.by_slug = {cached.prepared.entry.article.slug: cached for cached in records}
        else:
            changed = list(itertools.compress(order, map(operator.is_not, records, self._records)))
            if changed:
                # New lists and dict, changed from copies (in C): the last build's keys and
                # memos may hold the old ones.
                self.records, self.prepared, self.articles = list(self.records), list(self.prepared), list(self.articles)
                by_slug = dict(self.by_slug)
                for name in changed:
                    i, cached = self._position[name], articles[name]
                    old = self.records[i].prepared.entry.article.slug
                    if by_slug.get(old) is self.records[i]:
                        del by_slug[old]
                    self.records[i], self.prepared[i] = cached, cached.prepared
                    self.articles[i] = cached.prepared.entry.article
                    by_slug[self.articles[i].slug] = cached
                if len(by_slug) != len(records):    # two articles shared a slug meanwhile
                    by_slug = {cached.prepared.entry.article.slug: cached for cached in records}
                self.by_slug = by_slug
        self._order, self._records = order, records


# --- the work done in worker processes (their inputs: workers.WORKER) ------------


PREPARE_BATCH = 16     # files a worker prepares together


def prepare_files(names: list[str]) -> list[tuple[str, object, tuple[Diagnostic, ...]]]:
    """Read, parse, classify and render content files: (name, Cached or BuildError,
    warnings) for each. One stage at a time over all of them, not one file at a time
    through every stage: each stage's code and tables stay in the processor's caches,
    which makes preparing about 9% faster."""
    from .classify import classify
    from .content import read_article
    from .entities import extract_entities
    from .markup import render_markdown
    from .site import prepare_entry

    folder, classifier = WORKER["articles"], WORKER["classifier"]
    done: dict[str, tuple[str, object, tuple[Diagnostic, ...]]] = {}
    read = []
    for name in names:
        try:
            read.append((name, *read_article(folder / name)))  # type: ignore[operator]
        except BuildError as error:
            done[name] = (name, error, ())
    classified = [classify(article, classifier) for _, article, _, _ in read]  # type: ignore[arg-type]
    rendered = [render_markdown(article.body) for _, article, _, _ in read]
    rules, gazetteer = classifier.entities, classifier.gazetteer  # type: ignore[union-attr]
    named = [extract_entities(article.title, article.caption, markup.paragraphs, rules, gazetteer)
             if rules is not None else () for (_, article, _, _), markup in zip(read, rendered)]
    for (name, article, found, data), (classification, diagnostics), markup, entities in zip(
            read, classified, rendered, named):
        prepared = prepare_entry(article, classification, markup, entities)
        entry = prepared.entry
        listing = fingerprint(listing_view(entry))
        cached = Cached(digest=file_digest(data), prepared=prepared,
                        full=full_fingerprint(entry, listing), listing=listing,
                        diagnostics=tuple(found) + tuple(diagnostics))
        done[name] = (name, cached, cached.diagnostics)
    return [done[name] for name in names]


def render_job(job: tuple) -> tuple[str, bytes, bytes | None]:
    """Render one page or feed: (path, digest, the bytes if they changed else None).

    The bytes go back to the parent to be written there: two processes creating
    thousands of files and folders at once spend more time contending in the kernel
    than rendering (7.6 s of system time against 0.9 s from one process at 4,000
    articles, on a disk busy with files deleted a little earlier). On a settled disk
    two processes write the 6,239 files no faster than one, with twice the CPU.
    """
    kind, path, what = job
    if kind == "page":
        data = WORKER["renderer"].render(what).encode("utf-8")  # type: ignore[union-attr]
    else:
        data = render_feed(WORKER["site"], what)  # type: ignore[arg-type]
    digest = file_digest(data)
    changed = WORKER["file_keys"].get(path) != digest  # type: ignore[union-attr]
    return path, digest, data if changed else None


# --- which pages and feeds to render ------------------------------------------------

def render_jobs(state: State, pages, page_key: PageKeys, template_key: Callable[[str], bytes],
                fresh: bool) -> tuple[list, dict[str, bytes]]:
    """The pages and feeds whose inputs changed, as jobs for render_job, and every
    output's key. template_key(name): a template's key. fresh: nothing is on disk to
    keep (a cold build), so the last plan's keys are no help."""
    jobs = []
    output_keys, file_keys = state.output_keys, state.file_keys
    last, affected = page_key.last_plan(), None
    if last is not None and not fresh:
        templates = {name: template_key(name) for name in last["templates"]}
        affected = page_key.affected(pages, templates)
    if affected is not None:
        keys = dict(last["keys"])   # the same pages as last time: their keys, but for those affected
        index = last["index"]       # (affected() puts the pages' new places in it)
        missing = index["paths"] - file_keys.keys()
        if missing:
            affected = sorted({*affected, *(page for page in pages if page.path in missing)},
                              key=lambda page: index["position"][page.path])
    else:
        keys, index, affected = {}, None, pages
        templates = {page.template: template_key(page.template) for page in pages}
    for page in affected:
        key = keys[page.path] = page_key(page, templates[page.template])
        if output_keys.get(page.path) != key or page.path not in file_keys:
            jobs.append(("page", page.path, page))
    page_key.remember_plan(pages, templates, keys, index)
    # A feed the same as last time (its spec, and so its entries, and the site's date)
    # with none of its entries changed has its last key.
    last_feeds = last["feeds"] if affected is not pages and last["updated"] == page_key.site.updated else {}
    feeds = {}
    for spec in feed_specs(page_key.site):
        found = last_feeds.get(spec.path)
        if found is None or found[0] != spec or not page_key.changed.isdisjoint(feed_entries(page_key.site, spec)):
            found = (spec, page_key.feed(spec))
        feeds[spec.path], keys[spec.path] = found, found[1]
        if output_keys.get(spec.path) != found[1] or spec.path not in file_keys:
            jobs.append(("feed", spec.path, spec))
    page_key.remember_feeds(feeds)
    return jobs, keys
