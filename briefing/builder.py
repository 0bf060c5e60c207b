"""The build engine's story of one build: `Builder.build()` reads it top-down.

Set up (the classifier and the site settings, when their files changed), scan (which
article files changed), prepare them (on every core), assemble the site, plan and key
its pages and feeds, render those whose keys moved (on every core), make the
site-wide documents, and commit: the changed files into output/ (or a whole new tree
swapped in), the files the site no longer has removed. Then `save()` writes what the
next build needs into the cache (cache.py).

The parts have rooms of their own: cache.py (what is kept on disk), keys.py (what
each output shows, and what a change reaches), scheduler.py (what to redo and on
which worker), output.py (writing the output folder). A cold build is the same code
with nothing remembered; `serve` keeps one Builder and calls build() per change.

Where the files go: a first (or cold) build writes a whole new tree beside output/
and swaps it in. Later builds render everything in memory first, so a bad file or
template raises before anything is written, and then move the changed files into
output/ one by one (each atomically). A --strict build instead hard-links the
unchanged files into a new tree, checks its links, and swaps it in whole.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import os
import shutil
import time
from dataclasses import dataclass
from typing import Generator, Iterable, Sequence

from . import searchindex, store, workers
from .cache import (CLASSIFIER_FILES, SITE_FILE, Cached, State, code_key, collector_paused, load_state,
                    save_state, snapshot)
from .content import check_collection
from .keys import DocumentKeys, PageKeys, file_digest, fingerprint, folder_key
from .model import BuildError
from .options import Options
from .output import link_tree, remove_file, staging_dir, swap_into_place, write_file
from .plan import feed_specs, plan_pages, render_feed
from .report import Reporter
from .shards import MANIFEST, indexed_digest, is_article_page, plan_parts
from .scheduler import (HELD_FILES, PREPARE_BATCH, ArticleViews, prepare_files, render_job, render_jobs,
                        scan)
from .workers import parallel_map, parallel_results

SEARCH_DIR = "pagefind"
# Pagefind processes at a time: each is single-threaded and holds one part of the index.
SEARCH_JOBS = 2
# The pages that draw a map (render.Renderer): their workers want the country shapes.
MAP_PAGES = frozenset({"home", "countries", "country", "topic"})


@dataclass(frozen=True)
class Rebuild:
    pages: int                      # pages and feeds rendered
    written: int                    # files whose bytes changed
    seconds: float
    changed: tuple[str, ...]        # output-relative paths written or removed
    site: object = None             # model.Site
    files: int = 0                  # files in the site (search index aside)
    html_pages: int = 0


class Builder:
    """Brings output/ up to date with content/ and templates/; remembers what it did."""

    def __init__(self, options: Options, reporter: Reporter | None = None,
                 *, reindex: bool = True, repeat_warnings: bool = True):
        self.options = options
        self.reporter = reporter or Reporter(quiet=True)
        self.reindex = reindex                  # serve re-indexes in the background instead (search_job)
        self.repeat_warnings = repeat_warnings  # a build reports every file's warnings; serve the new ones
        self.state = State()
        self.site = None
        self._classifier = None
        self._config = None
        self._config_key: bytes | None = None
        self._renderer = None
        self._held: dict[str, bytes] | None = None     # changed files of the build under way (see _render)
        self._renderer_key: bytes | None = None
        self._output_stamps: dict[str, tuple[int, int]] | None = None
        self._stored: dict[str, Cached] = {}   # file name -> the Cached the cache's store holds for it
        self._fresh_store: store.FreshWrite | None = None   # a cold build's store, being written
        self._current: dict[str, tuple[int, int]] | None = None   # article files seen by the last scan
        self._views = ArticleViews()            # of state.articles, refreshed when prepared
        # Memos kept in memory between builds (serve), never saved: they hold whole pages' data.
        self._entry_memo: dict = {}
        self._group_memo: dict = {}
        self._plan_memo: dict = {}
        self._key_memo: dict = {}
        self._documents = DocumentKeys()
        self.timings: dict[str, float] = {}   # seconds per phase of the last build

    @contextlib.contextmanager
    def _phase(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    # -- the cache folder --

    def restore(self, manifest: dict | None = None) -> bool:
        """Load the state a previous build saved (when output/ was changed since, less
        what it knew of output/: see cache.load_state). manifest: this run's, when
        up_to_date() already made it."""
        loaded = load_state(self.options, manifest)
        if loaded is None:
            return False
        self.state, self._output_stamps = loaded
        self._stored = dict(self.state.articles)
        return True

    def save(self, manifest: dict | None = None) -> None:
        """Write the state and the manifest (cache.save_state); the output stamps are
        those this build brought up to date rather than a new walk over output/."""
        pending, self._fresh_store = self._fresh_store, None
        save_state(self.options, self.state, self._stored, pending, self._output_stamps, manifest)
        self._stored = dict(self.state.articles)

    # -- inputs --

    def _data_key(self, names: Sequence[str] = CLASSIFIER_FILES) -> bytes:
        content = self.options.content
        return fingerprint(*((name, (content / name).read_bytes() if (content / name).exists() else b"")
                             for name in names))

    def _prepare(self, stale: list[str]) -> None:
        state = self.state
        errors: list[BuildError] = []
        progress = self.reporter.progress("prepare", len(stale))
        state_for_workers = {"articles": self.options.content / "articles", "classifier": self._classifier}
        results = parallel_map(prepare_files, stale, self.options.jobs, state_for_workers,
                                        batch=PREPARE_BATCH,
                                        progress=progress)
        for name, result, diagnostics in results:
            if not self.repeat_warnings:
                for diagnostic in diagnostics:
                    self.reporter.warn(diagnostic)
            if isinstance(result, BuildError):
                errors.append(result)
                state.articles.pop(name, None)
            else:
                state.articles[name] = result
                state.stamps[name] = self._current[name]
        if self.repeat_warnings:
            for name in sorted(state.articles):
                for diagnostic in state.articles[name].diagnostics:
                    self.reporter.warn(diagnostic)
        self._views.refresh(state.articles)     # the articles as this build has them, from here on
        for diagnostic in check_collection(self._views.articles, errors, self.options.content):
            self.reporter.warn(diagnostic)

    # -- the build --

    def build(self, changed: Iterable[str] | None = None) -> Rebuild:
        """Bring output/ up to date. Raises BuildError, leaving output/ as it was, when
        anything is wrong. changed: see scheduler.scan."""
        try:
            return self._build(changed)
        except BaseException:
            # What this build's `changed` named may not have been looked at: look at
            # every file next time.
            self.forget_changes()
            raise

    @property
    def renderer(self):
        """The renderer of the last build that got as far as rendering (None before)."""
        return self._renderer

    def warm(self) -> None:
        """Render one page of each template and throw it away, so that serve's first edit
        finds its templates loaded: a start-up build from the cache may render nothing."""
        if self.site is None or self._renderer is None:
            return
        done: set[str] = set()
        for page in plan_pages(self.site, self._plan_memo):
            if page.template not in done:
                done.add(page.template)
                self._renderer.render(page)

    def warm_feeds_and_pages(self) -> Generator[None, None, bool]:
        """Make every feed, then render every page, once each and thrown away, a feed or a
        page per step (serve runs the steps while idle). feeds.py keeps each article's
        feed entry and the renderer each story card, so an edit then makes only its own
        article's entry and cards again, not those of every feed and listing it is in
        (at 4,000 articles these were a sixth of a one-article rebuild; the whole warm-up
        takes a few seconds of idle time). Returns True when done; False when it stops
        short because a build failed after binding the renderer to a site that is not
        the last good one."""
        for kind in ("feeds", "pages"):
            number, site, work = 0, None, []
            while self.site is not None and self._renderer is not None and self._renderer.site is self.site:
                if self.site is not site:   # a build came between: its feeds and pages from here on
                    site = self.site
                    if kind == "feeds":
                        work = feed_specs(site)
                    else:   # listings first: they hold most story cards
                        work = sorted(plan_pages(site, self._plan_memo), key=lambda page: page.kind == "article")
                if number >= len(work):
                    break
                if kind == "feeds":
                    render_feed(site, work[number])
                else:
                    self._renderer.render(work[number])
                number += 1
                yield
            else:
                return False    # stopped short: nothing built yet, or a failed build's site
        return True

    def forget_changes(self) -> None:
        """Look at every article file in the next build, not just those it is told about."""
        self._current = None
        # Listing pages' keys are reused while none of their articles changed since the
        # last keying; a build that failed part-way may not have keyed them all.
        self._key_memo.clear()

    def _build(self, changed: Iterable[str] | None) -> Rebuild:
        from .classify import load_classifier
        from .config import load_config
        from .site import assemble_site

        started = time.perf_counter()
        self.timings = {}
        state = self.state
        data_key = self._data_key()
        settings = (self.options.base_url, self.options.search)
        if data_key != state.data or state.code != code_key() or state.classifier is None:
            state.classifier = load_classifier(self.options.content)
            state.articles.clear()  # the taxonomy or aliases changed: classify everything again
            state.stamps.clear()
        # site.yaml changes what every page shows (its key has the config in it), not
        # what an article's preparation made: the articles stay prepared.
        config_key = self._data_key((SITE_FILE,))
        if self._config is None or config_key != self._config_key:
            self._config = load_config(self.options.content, self.options.base_url)
            self._config_key = config_key
        self._classifier = state.classifier
        self._fresh = not state.file_keys or not self.options.output.is_dir() or settings != state.settings
        if self._fresh:
            state.output_keys.clear()
            state.file_keys.clear()
        state.data, state.code, state.settings = data_key, code_key(), settings

        self.timings["setup"] = time.perf_counter() - started
        with self._phase("scan"):
            stale, self._current = scan(state, self.options.content / "articles", changed, self._current)
        with self._phase("prepare"):
            self._prepare(stale)
        if self.options.cache and not state.store.name and self._fresh_store is None \
                and len(state.articles) >= workers.PARALLEL_THRESHOLD:
            # With no store yet, save() writes every article to a fresh file: a forked
            # process does that now, on the core that assembling the site leaves idle.
            self.options.cache.mkdir(parents=True, exist_ok=True)
            self._fresh_store = store.write_in_background(self.options.cache, state.articles)
        with self._phase("assemble"), collector_paused():
            site = assemble_site(self._config, self._views.prepared,
                                 self._classifier.gazetteer.country, self._classifier.taxonomy.topics,
                                 related_memo=state.related, entry_memo=self._entry_memo,
                                 group_memo=self._group_memo, min_articles=self._classifier.entities.min_articles)
        written, rendered, keys, documents, html_pages = self._render(site)
        with self._phase("write"):
            changed = self._commit(written, set(keys) | set(documents))
        state.output_keys = keys
        self.site = site
        return Rebuild(pages=rendered, written=len(changed), seconds=time.perf_counter() - started,
                       changed=tuple(changed), site=site, files=len(state.file_keys), html_pages=html_pages)

    def _renderer_for(self, site):
        """One Jinja environment per template version, so compiled templates are reused."""
        from .render import Renderer

        key = folder_key(self.options.templates)
        if self._renderer is None or key != self._renderer_key:
            compiled = None
            if self.options.cache:
                # Compiled templates are Jinja's output: one folder per version of the code.
                compiled = self.options.cache / "templates" / code_key().hex()[:16]
                compiled.mkdir(parents=True, exist_ok=True)
                for other in compiled.parent.iterdir():
                    if other.is_dir() and other != compiled:
                        shutil.rmtree(other, ignore_errors=True)
                    elif not other.is_dir():
                        other.unlink(missing_ok=True)
            self._renderer = Renderer(self.options.templates, site, bytecode_cache=compiled)
            self._renderer_key = key
        else:
            self._renderer.use_site(site)
        if key != self.state.templates:
            self.state.templates, self.state.template_keys = key, {}
        return self._renderer

    def _template_key(self, renderer, name: str) -> bytes:
        keys = self.state.template_keys
        if name not in keys:
            parts = []
            for dependency in renderer.template_dependencies(name):
                parts.append((dependency, (self.options.templates / dependency).read_bytes()))
            keys[name] = fingerprint(*parts, sorted(renderer.static.items()))
        return keys[name]

    def _render(self, site):
        state = self.state
        self._stage = staging_dir(self.options.output)
        try:
            with self._phase("plan"):
                renderer = self._renderer_for(site)
                pages = plan_pages(site, self._plan_memo)
                page_key = PageKeys(site, self._views.by_slug, self._key_memo)
                jobs, keys = render_jobs(state, pages, page_key,
                                         functools.partial(self._template_key, renderer), self._fresh)
            worker = {"renderer": renderer, "site": site, "file_keys": state.file_keys}
            parallel = workers.process_count(self.options.jobs) > 1 and len(jobs) >= workers.PARALLEL_THRESHOLD
            if parallel and any(job[2].kind in MAP_PAGES for job in jobs if job[0] == "page"):
                # The country shapes, loaded once here, before the workers fork, instead of
                # once in each (80 ms apiece): the API's key facts want them here anyway.
                from .maps import preload
                preload()
            # A few changed files (an edit) are held in memory until the commit, which then
            # writes each straight into output/: creating their folders in a staging tree
            # first cost more than rendering them. Many go to the staging tree as they come.
            self._held = {} if not self._fresh and len(jobs) <= HELD_FILES else None
            # The site-wide documents (the API, the sitemap) are made on a thread while the
            # workers render: the parent mostly waits on them meanwhile, and the API's
            # 11 MB at 4,000 articles were a serial quarter second after them. Started once
            # the workers are forked, so that no thread runs across a fork.
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1) if parallel else None
            made = None
            try:
                with self._phase("render"):
                    digests = {}
                    for path, digest, data in parallel_results(
                            render_job, jobs, self.options.jobs, worker,
                            progress=self.reporter.progress("render", len(jobs))):
                        if pool is not None and made is None:
                            made = pool.submit(self._make_documents, site, pages, page_key)
                        if data is not None:
                            self._put(path, data)
                        digests[path] = digest
                with self._phase("documents"):
                    documents, changed = (made.result() if made is not None
                                          else self._make_documents(site, pages, page_key))
                    for path, (key, _) in documents.items():
                        keys[path] = key
                    for path, (digest, data) in changed.items():
                        if state.file_keys.get(path) != digest:
                            self._put(path, data)
                        digests[path] = digest
            finally:
                if pool is not None:    # no thread outlives the render: later builds fork again
                    pool.shutdown(wait=True)
        except BaseException:
            shutil.rmtree(self._stage, ignore_errors=True)
            raise
        written = {path: digest for path, digest in sorted(digests.items())
                   if state.file_keys.get(path) != digest}
        return written, len(jobs), keys, documents, len(pages)

    def _make_documents(self, site, pages, page_key) -> tuple[dict, dict[str, tuple[bytes, bytes]]]:
        """The documents' keys and makers, and (digest, bytes) of those whose key changed.
        Reads the state, writes nothing: it may run on a thread beside the render."""
        from .render import static_files

        state = self.state
        documents = self._documents(site, pages, page_key, static_files(self.options.templates), state.api)
        changed = {}
        for path, (key, make) in documents.items():
            if state.output_keys.get(path) == key and path in state.file_keys:
                continue
            data = make()
            changed[path] = (file_digest(data), data)
        return documents, changed

    def _put(self, path: str, data: bytes) -> None:
        """A rendered file whose bytes changed: held for the commit, or staged."""
        if self._held is not None:
            self._held[path] = data
        else:
            write_file(self._stage, path, data)

    # -- writing --

    def _commit(self, written: dict[str, bytes], keep: set[str]) -> list[str]:
        """Put the staged files in place; remove files the site no longer has; bring the
        search index's parts whose pages changed up to date."""
        state, output, stage = self.state, self.options.output.resolve(), self._stage
        removed = sorted(set(state.file_keys) - keep)
        fresh = self._fresh
        held, self._held = self._held, None
        # A link check needs the whole site in one place: then the unchanged files are
        # hard-linked beside the new ones and the tree is swapped in whole, so a failing
        # check leaves output/ as it was.
        staged = fresh or self.options.strict
        search = self._search_plan(written, removed, held, staged) if self.options.search else None
        stale = search[1] if search and (fresh or self.reindex) else ()
        scratch = output.parent / f".{output.name}.search-{os.getpid()}"
        try:
            if staged:
                for path, data in (held or {}).items():
                    write_file(stage, path, data)
                if not fresh:
                    link_tree(output, stage, skip=set(removed), skip_dirs=set())
                if stale:
                    self._index(scratch, stale, lambda path: stage / path, stage / SEARCH_DIR)
                if self.options.strict:
                    from .verify import strict_check     # crawling a site needs more imports

                    strict_check(stage, self._config, self.options, self.reporter)
                swap_into_place(stage, output)
            else:
                # Indexed before anything is written: a failing Pagefind leaves output/ as it was.
                job = self._gather(scratch, stale, held) if stale else None
                if job:
                    with self._phase("search"):
                        searchindex.run(job, SEARCH_JOBS)
                # Until the state is updated below, a file being replaced is one whose bytes
                # nobody knows: should this stop part way, the next build writes it again.
                for path in [*written, *removed]:
                    state.file_keys.pop(path, None)
                for path in written:
                    target = output / path
                    if held is not None:    # written beside its target, then renamed over it
                        folder, _, name = path.rpartition("/")
                        hidden = f".{name}.{os.getpid()}.tmp"   # another process may write the same page
                        temporary = f"{folder}/{hidden}" if folder else hidden
                        try:
                            write_file(output, temporary, held[path])
                            os.replace(output / temporary, target)
                        except BaseException:
                            with contextlib.suppress(OSError):
                                os.unlink(output / temporary)
                            raise
                    else:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(stage / path, target)
                for path in removed:
                    remove_file(output, path)
                if job:
                    self.finish_search(job)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(scratch, ignore_errors=True)
        shown = self.options.output  # stamps are keyed by the path as given, like _manifest's
        if staged or self._output_stamps is None:
            self._output_stamps = snapshot([shown]) if self.options.cache else None
        else:
            for path in [*written, *removed]:
                target = shown / path
                self._output_stamps.pop(str(target), None)
                if target.exists():
                    stat = target.stat()
                    self._output_stamps[str(target)] = (stat.st_mtime_ns, stat.st_size)
        if fresh:
            state.file_keys = {}
        state.file_keys.update(written)
        for path in removed:
            state.file_keys.pop(path, None)
        if not self.options.search:
            state.search_pages, state.search_parts = {}, {}
        elif staged:     # the swapped-in tree's index: what was indexed now, and what was linked
            state.search_parts = {part.name: part.key for part in search[0]
                                  if part in stale or state.search_parts.get(part.name) == part.key}
        return sorted([*written, *removed])

    # -- the search index (shards.py: its parts; searchindex.py: Pagefind) --

    def _search_plan(self, written, removed, held, staged) -> tuple[tuple, tuple]:
        """(the index's parts, those not indexed as they are now). Records what Pagefind
        reads of each article page written (shards.indexed_digest)."""
        pages = self.state.search_pages = {} if self._fresh else dict(self.state.search_pages)
        for path in removed:
            pages.pop(path, None)
        for path in written:
            if is_article_page(path):
                data = held[path] if held is not None and path in held else (self._stage / path).read_bytes()
                pages[path] = indexed_digest(data)
        parts = plan_parts(pages)
        index = (self._stage if staged else self.options.output.resolve()) / SEARCH_DIR
        return parts, (tuple(self._stale(parts, index)) if (index / MANIFEST).is_file() else parts)

    def _stale(self, parts, index: Path) -> list:
        """Of `parts`, those not indexed as their pages are now, or missing from `index`."""
        done = self.state.search_parts
        return [part for part in parts if done.get(part.name) != part.key or not (index / part.name).is_dir()]

    def _gather(self, scratch, parts, held=None) -> searchindex.Job:
        """The parts' pages, for Pagefind: a page being written comes from this build."""
        output, stage = self.options.output.resolve(), self._stage

        def source(path: str):
            if held is not None and path in held:
                return held[path]
            staged = stage / path
            return staged if staged.is_file() else output / path
        return searchindex.gather(scratch, parts, source)

    def _index(self, scratch, parts, source, index) -> None:
        with self._phase("search"):
            job = searchindex.gather(scratch, parts, source)
            searchindex.run(job, SEARCH_JOBS)
            searchindex.place(job, index, plan_parts(self.state.search_pages))

    def search_job(self, scratch: Path) -> searchindex.Job | None:
        """For serve: the parts of the index that its builds (reindex=False) left behind
        the pages in output/, gathered (quick: hard links) for searchindex.run on another
        thread; finish_search(job) then puts them in place. None when all are current."""
        stale = self.search_stale()
        if not stale:
            return None
        output = self.options.output.resolve()
        return searchindex.gather(scratch, stale, lambda path: output / path)

    def search_stale(self) -> list:
        """The parts of the search index not indexed as the pages in output/ are now."""
        if not self.options.search or self.site is None:
            return []
        return self._stale(plan_parts(self.state.search_pages), self.options.output.resolve() / SEARCH_DIR)

    def finish_search(self, job: searchindex.Job) -> None:
        """Put a finished job's parts into output/ (in the build's thread: no build is
        writing meanwhile), and remember the keys they were indexed at."""
        index = self.options.output.resolve() / SEARCH_DIR
        searchindex.place(job, index, plan_parts(self.state.search_pages))
        for part in job.parts:
            self.state.search_parts[part.name] = part.key
        for name in list(self.state.search_parts):
            if not (index / name).is_dir():
                del self.state.search_parts[name]
        if self._output_stamps is not None:
            shown = str(self.options.output / SEARCH_DIR) + os.sep
            self._output_stamps = {path: stamp for path, stamp in self._output_stamps.items()
                                   if not path.startswith(shown)}
            self._output_stamps.update(snapshot([self.options.output / SEARCH_DIR]))
