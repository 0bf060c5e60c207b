"""Build only what changed: the engine behind `build` (with its cache) and `serve`.

A Builder keeps, per article file, the content hash it last prepared and the
result (classification, rendered body, terms), and per output file a
fingerprint of everything that file shows. A build re-prepares only files
whose bytes changed, assembles the Site again (related articles and
groupings are site-wide, so they are recomputed, in numpy), and renders only
the pages and feeds whose fingerprint moved: an edited body re-renders its own
page; an edited title also every page that lists or links it; a template
edit the pages whose template uses it. A cold build is the same code with
nothing remembered.

`build.py build` saves this state in the cache folder (.cache/ by default):
articles-*.store (each article's prepared result, appended to as articles
change: see store.py), state.pickle (the rest, and where each article is in
the store) and manifest.pickle (just the stamps of every input and output
file, so an up-to-date site is recognised without loading the rest or
importing the heavy libraries).

Where the files go: a first (or cold) build writes a whole new tree beside
output/ and swaps it in. Later builds render everything in memory first, so a
bad file or template raises before anything is written, and then move the
changed files into output/ one by one (each atomically). A --strict build
instead hard-links the unchanged files into a new tree, checks its links, and
swaps it in whole.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import operator
import os
import pickle
import shutil
import sys
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Generator, Iterable, Sequence

from . import feeds, pipeline
from .content import check_collection
from .model import BuildError, Diagnostic, Entry
from . import store
from .store import Store, StoreError

CACHE_VERSION = 4
STATE_FILE = "state.pickle"
MANIFEST_FILE = "manifest.pickle"
CLASSIFIER_FILES = ("topics.yaml", "country-aliases.yaml")   # what classifying an article reads
SITE_FILE = "site.yaml"     # settings every page shows, none of them an article's prepared result
SEARCH_DIR = "pagefind"
HELD_FILES = 1000       # a rebuild with at most this many pages and feeds to render keeps them in memory

# What a page shows of an article it merely lists or links: everything but
# the body and the article's own links, so a body edit leaves listing pages alone.
_LISTING_FIELDS = tuple(f.name for f in fields(Entry)
                        if f.name not in ("article", "html", "headings", "related", "previous", "next"))


def listing_view(entry: Entry) -> tuple:
    article = entry.article
    return (article.slug, article.title, article.caption, article.date, article.summary, article.sources,
            *(getattr(entry, name) for name in _LISTING_FIELDS))


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


@functools.lru_cache(maxsize=1)
def code_key() -> bytes:
    """The build code itself: cached results from other code are not reused."""
    digest = hashlib.blake2b(str(CACHE_VERSION).encode(), digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(libraries_key())
    return digest.digest()


def libraries_key() -> bytes:
    """Python's version and every installed distribution's name and version.

    Cached pages hold what markdown-it-py, Jinja2 and PyYAML made of the
    content: after an upgrade they are made again. The names of the
    *.dist-info and *.egg-info folders on sys.path carry the versions, and
    listing those folders is cheap enough for the no-change check, unlike
    importing the libraries. Upgrading any distribution (pytest too) counts.
    Only the distributions count, not the folders: how Python was started puts the
    current or the script's folder on sys.path, and that must not make a cold build.
    """
    names = [sys.version]
    seen: set[str] = set()
    for folder in sys.path:
        real = os.path.realpath(folder or ".")
        if real in seen:
            continue
        seen.add(real)
        with contextlib.suppress(OSError):
            names += sorted(n for n in os.listdir(real) if n.endswith((".dist-info", ".egg-info")))
    return "\n".join(names).encode()


# --- what is remembered -------------------------------------------------------

@dataclass(frozen=True)
class Cached:
    """One article file's prepared result, and fingerprints of what pages show of it."""

    digest: bytes                   # of the file's bytes
    prepared: object                # site.Prepared
    full: bytes                     # everything on its own page but the links to others
    listing: bytes                  # what a listing or link shows
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class State:
    code: bytes = b""
    data: bytes = b""
    settings: tuple = ()            # options that change every page (base URL)
    articles: dict[str, Cached] = field(default_factory=dict)          # by file name
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)   # by file name
    output_keys: dict[str, bytes] = field(default_factory=dict)        # inputs of each rendered file
    file_keys: dict[str, bytes] = field(default_factory=dict)          # bytes of each written file
    search_key: bytes | None = None                                    # article pages last indexed
    classifier: object = None           # classify.Classifier built from the data files (`data`)
    templates: bytes = b""              # templates/ stamps the template keys were made from
    template_keys: dict[str, bytes] = field(default_factory=dict)      # template -> its files' key
    related: dict = field(default_factory=dict)     # site.related_articles' memo of text candidates
    api: dict = field(default_factory=dict)         # api.articles_json's memo of each article's line
    store: Store = field(default_factory=Store)     # where `articles` are in the cache folder (saved empty here)


@dataclass(frozen=True)
class Rebuild:
    pages: int                      # pages and feeds rendered
    written: int                    # files whose bytes changed
    seconds: float
    changed: tuple[str, ...]        # output-relative paths written or removed
    site: object = None             # model.Site
    files: int = 0                  # files in the site (search index aside)
    html_pages: int = 0


# --- cheap change detection ---------------------------------------------------

def stamps(folder: Path, suffix: str = "") -> dict[str, tuple[int, int]]:
    """(mtime, size) of the files directly in folder whose names end with suffix, by name."""
    found = {}
    if folder.is_dir():
        with os.scandir(folder) as items:
            for item in items:
                if item.name.endswith(suffix) and not item.name.startswith(".") and item.is_file():
                    stat = item.stat()
                    found[item.name] = (stat.st_mtime_ns, stat.st_size)
    return dict(sorted(found.items()))


def watched_name(name: str) -> bool:
    """Whether snapshot() looks at a file or folder of this name: not at hidden ones,
    but for ingest's manifest (a change to it is a change to the content)."""
    return not name.startswith(".") or name == ".ingest-manifest.json"


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file below the given folders, for change detection."""
    found: dict[str, tuple[int, int]] = {}
    stack = [str(f) for f in folders if Path(f).is_dir()]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as items:
            for item in items:
                if not watched_name(item.name):
                    continue
                if item.is_dir(follow_symlinks=False):
                    stack.append(item.path)
                elif item.is_file():    # a file, or a link to one (stamped as the file it links to)
                    stat = item.stat()
                    found[item.path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_paths(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))


def _manifest(options: pipeline.Options, output: dict | None = None) -> dict:
    """Stamps of everything a build reads and writes: equal manifests, equal site."""
    return manifest_of(options, snapshot([options.content, options.templates]), (options.base_url, options.search),
                       snapshot([options.output]) if output is None else output)


def manifest_of(options: pipeline.Options, files: dict[str, tuple[int, int]], settings: tuple | None,
                output: dict | None = None) -> dict:
    """The manifest of a snapshot() of the content and templates folders (serve keeps
    one of what it built): the data files beside articles/, the articles, the templates."""
    content, templates = str(options.content) + os.sep, str(options.templates) + os.sep
    articles = content + "articles" + os.sep
    data, found, used = {}, {}, {}
    for path, stamp in files.items():
        if path.startswith(articles):
            name = path[len(articles):]
            if name.endswith(".md") and os.sep not in name and not name.startswith("."):
                found[name] = stamp
        elif path.startswith(content):
            name = path[len(content):]
            if os.sep not in name and not name.startswith("."):
                data[name] = stamp
        elif path.startswith(templates):
            used[path] = stamp
    return {
        "code": code_key(),
        "settings": settings,
        "data": dict(sorted(data.items())),
        "articles": dict(sorted(found.items())),
        "templates": used,
        "output": output,
    }


def up_to_date(options: pipeline.Options) -> tuple[bool, dict]:
    """(True, manifest) when the last build saved to the cache saw exactly these inputs
    and left exactly this output/: nothing to do, decided without loading the cache."""
    current = _manifest(options)
    try:
        with open(options.cache / MANIFEST_FILE, "rb") as file:
            saved = pickle.load(file)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return False, current
    return saved == current, current


# --- views of the prepared articles -------------------------------------------

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


# --- the work done in worker processes (their inputs: pipeline.WORKER) ---------


PREPARE_BATCH = 16     # files a worker prepares together


def _prepare_files(names: list[str]) -> list[tuple[str, object, tuple[Diagnostic, ...]]]:
    """Read, parse, classify and render content files: (name, Cached or BuildError,
    warnings) for each. One stage at a time over all of them, not one file at a time
    through every stage: each stage's code and tables stay in the processor's caches,
    which makes preparing about 9% faster."""
    from .classify import classify
    from .content import read_article
    from .markup import render_markdown
    from .site import prepare_entry

    folder, classifier = pipeline.WORKER["articles"], pipeline.WORKER["classifier"]
    done: dict[str, tuple[str, object, tuple[Diagnostic, ...]]] = {}
    read = []
    for name in names:
        try:
            read.append((name, *read_article(folder / name)))  # type: ignore[operator]
        except BuildError as error:
            done[name] = (name, error, ())
    classified = [classify(article, classifier) for _, article, _, _ in read]  # type: ignore[arg-type]
    rendered = [render_markdown(article.body) for _, article, _, _ in read]
    for (name, article, found, data), (classification, diagnostics), markup in zip(read, classified, rendered):
        prepared = prepare_entry(article, classification, markup)
        entry = prepared.entry
        cached = Cached(digest=file_digest(data), prepared=prepared,
                        full=fingerprint(entry), listing=fingerprint(listing_view(entry)),
                        diagnostics=tuple(found) + tuple(diagnostics))
        done[name] = (name, cached, cached.diagnostics)
    return [done[name] for name in names]


def _render_job(job: tuple) -> tuple[str, bytes, bytes | None]:
    """Render one page or feed: (path, digest, the bytes if they changed else None).

    The bytes go back to the parent to be written there: two processes creating
    thousands of files and folders at once spend more time contending in the kernel
    than rendering (7.6 s of system time against 0.9 s from one process at 4,000
    articles, on a disk busy with files deleted a little earlier). On a settled disk
    two processes write the 6,239 files no faster than one, with twice the CPU.
    """
    kind, path, what = job
    if kind == "page":
        data = pipeline.WORKER["renderer"].render(what).encode("utf-8")  # type: ignore[union-attr]
    else:
        data = pipeline.render_feed(pipeline.WORKER["site"], what)  # type: ignore[arg-type]
    digest = file_digest(data)
    changed = pipeline.WORKER["file_keys"].get(path) != digest  # type: ignore[union-attr]
    return path, digest, data if changed else None


# --- the builder ----------------------------------------------------------------

class Builder:
    """Brings output/ up to date with content/ and templates/; remembers what it did."""

    def __init__(self, options: pipeline.Options, reporter: pipeline.Reporter | None = None,
                 *, reindex: bool = True, repeat_warnings: bool = True):
        self.options = options
        self.reporter = reporter or pipeline.Reporter(quiet=True)
        self.reindex = reindex                  # serve keeps its first search index
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
        self._sitemap_memo: dict = {}
        self._plan_lists_memo: dict = {}
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
        """Load the state a previous build saved, unless output/ was changed since.
        manifest: this run's, when up_to_date() already made it."""
        try:
            with open(self.options.cache / MANIFEST_FILE, "rb") as file:
                last = pickle.load(file)
            output = (manifest or {}).get("output")
            if output is None:
                output = snapshot([self.options.output])
            if last.get("output") != output:
                return False  # someone changed output/: build it whole again
            with open(self.options.cache / STATE_FILE, "rb") as file:
                saved = pickle.load(file)
            if not isinstance(saved, State) or saved.code != code_key():
                return False
            with _collector_paused():
                saved.articles = store.read(self.options.cache, saved.store)  # type: ignore[assignment]
        except (OSError, StoreError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError,
                ValueError):
            return False
        self.state = saved
        self._stored = dict(saved.articles)
        self._output_stamps = output
        return True

    def save(self, manifest: dict | None = None) -> None:
        """Write the state and the manifest; the output stamps are updated for the
        files this build changed rather than walking output/ again. The articles go
        to an append-only store: only those prepared since the last save are written."""
        cache = self.options.cache
        cache.mkdir(parents=True, exist_ok=True)
        articles = self.state.articles
        unchanged = {name for name, cached in articles.items() if self._stored.get(name) is cached}
        before = self.state.store
        pending, self._fresh_store = self._fresh_store, None
        stored = pending.result(articles) if pending is not None else None
        if stored is None:
            stored = store.write(cache, before, articles, unchanged)
        # related's "inputs" and "last" hold every article's classification again: in memory only.
        # So do api's "entries" and "order", and every page's HTML with them.
        related = {k: v for k, v in self.state.related.items() if k not in ("inputs", "last")}
        api = {k: v for k, v in self.state.api.items() if k not in ("entries", "order", "ordered")}
        temporary = cache / f".{STATE_FILE}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump(State(**{**self.state.__dict__, "articles": {}, "related": related, "api": api,
                                 "store": stored}), file, protocol=5)
        os.replace(temporary, cache / STATE_FILE)
        self.state.store = stored
        self._stored = dict(articles)
        if stored.name != before.name:
            store.remove_others(cache, stored.name)
        # The inputs as they were when this build began (manifest, from up_to_date): a file
        # saved while the build ran is then a change the next build sees.
        inputs = manifest if manifest is not None else _manifest(self.options, output={})
        temporary = cache / f".{MANIFEST_FILE}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump({**inputs, "output": self._output_stamps}, file, protocol=5)
        os.replace(temporary, cache / MANIFEST_FILE)

    # -- inputs --

    def _data_key(self, names: Sequence[str] = CLASSIFIER_FILES) -> bytes:
        content = self.options.content
        return fingerprint(*((name, (content / name).read_bytes() if (content / name).exists() else b"")
                             for name in names))

    def _scan(self, changed: Iterable[str] | None = None) -> list[str]:
        """Names of the article files whose bytes changed since they were prepared.

        changed: the paths the caller knows changed since the last build (serve watches
        the tree anyway); only those are looked at again. None: look at every file."""
        state = self.state
        folder = self.options.content / "articles"
        if not folder.is_dir():
            raise BuildError("no articles folder: run `python build.py ingest` first, or pass --content DIR.",
                             str(folder))
        if changed is None or self._current is None:
            current = stamps(folder, ".md")
            looked_at: Iterable[str] = current
        else:
            # Only the named files (and any that failed to prepare before) are looked at:
            # going over every article's stamp was 5 ms of each edit serve rebuilds.
            current = dict(self._current)
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
            if not touched <= self._current.keys():     # a new file: keep the names in order
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
        self._current = current
        return stale

    def _prepare(self, stale: list[str]) -> None:
        state = self.state
        errors: list[BuildError] = []
        progress = self.reporter.progress("prepare", len(stale))
        state_for_workers = {"articles": self.options.content / "articles", "classifier": self._classifier}
        results = pipeline.parallel_map(_prepare_files, stale, self.options.jobs, state_for_workers,
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
        anything is wrong. changed: see _scan."""
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
        from .render import plan_pages

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
        from .render import plan_pages

        for kind in ("feeds", "pages"):
            number, site, work = 0, None, []
            while self.site is not None and self._renderer is not None and self._renderer.site is self.site:
                if self.site is not site:   # a build came between: its feeds and pages from here on
                    site = self.site
                    if kind == "feeds":
                        work = pipeline.feed_specs(site)
                    else:   # listings first: they hold most story cards
                        work = sorted(plan_pages(site, self._plan_memo), key=lambda page: page.kind == "article")
                if number >= len(work):
                    break
                if kind == "feeds":
                    pipeline.render_feed(site, work[number])
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
            stale = self._scan(changed)
        with self._phase("prepare"):
            self._prepare(stale)
        if self.options.cache and not state.store.name and self._fresh_store is None \
                and len(state.articles) >= pipeline.PARALLEL_THRESHOLD:
            # With no store yet, save() writes every article to a fresh file: a forked
            # process does that now, on the core that assembling the site leaves idle.
            self.options.cache.mkdir(parents=True, exist_ok=True)
            self._fresh_store = store.write_in_background(self.options.cache, state.articles)
        with self._phase("assemble"), _collector_paused():
            site = assemble_site(self._config, self._views.prepared,
                                 self._classifier.gazetteer.country, self._classifier.taxonomy.topics,
                                 related_memo=state.related, entry_memo=self._entry_memo,
                                 group_memo=self._group_memo)
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

        key = _folder_key(self.options.templates)
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
        from .render import plan_pages

        state = self.state
        self._stage = pipeline.staging_dir(self.options.output)
        try:
            with self._phase("plan"):
                renderer = self._renderer_for(site)
                pages = plan_pages(site, self._plan_memo)
                page_key = _PageKeys(site, self._views.by_slug, self._key_memo)
                jobs, keys = self._jobs(renderer, pages, page_key)
            worker = {"renderer": renderer, "site": site, "file_keys": state.file_keys}
            # A few changed files (an edit) are held in memory until the commit, which then
            # writes each straight into output/: creating their folders in a staging tree
            # first cost more than rendering them. Many go to the staging tree as they come.
            self._held = {} if not self._fresh and len(jobs) <= HELD_FILES else None
            with self._phase("render"):
                digests = {}
                for path, digest, data in pipeline.parallel_results(
                        _render_job, jobs, self.options.jobs, worker,
                        progress=self.reporter.progress("render", len(jobs))):
                    if data is not None:
                        self._put(path, data)
                    digests[path] = digest
            with self._phase("documents"):
                documents = self._documents(site, pages, page_key)
                for path, (key, make) in documents.items():
                    keys[path] = key
                    if state.output_keys.get(path) == key and path in state.file_keys:
                        continue
                    data = make()
                    digest = file_digest(data)
                    if state.file_keys.get(path) != digest:
                        self._put(path, data)
                    digests[path] = digest
        except BaseException:
            shutil.rmtree(self._stage, ignore_errors=True)
            raise
        written = {path: digest for path, digest in sorted(digests.items())
                   if state.file_keys.get(path) != digest}
        return written, len(jobs), keys, documents, len(pages)

    def _put(self, path: str, data: bytes) -> None:
        """A rendered file whose bytes changed: held for the commit, or staged."""
        if self._held is not None:
            self._held[path] = data
        else:
            pipeline.write_file(self._stage, path, data)

    def _jobs(self, renderer, pages, page_key: "_PageKeys") -> tuple[list, dict[str, bytes]]:
        """The pages and feeds whose inputs changed, and every output's key."""
        state = self.state
        jobs = []
        output_keys, file_keys = state.output_keys, state.file_keys
        last, affected = page_key.last_plan(), None
        if last is not None and not self._fresh:
            templates = {name: self._template_key(renderer, name) for name in last["templates"]}
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
            templates = {page.template: self._template_key(renderer, page.template) for page in pages}
        for page in affected:
            key = keys[page.path] = page_key(page, templates[page.template])
            if output_keys.get(page.path) != key or page.path not in file_keys:
                jobs.append(("page", page.path, page))
        page_key.remember_plan(pages, templates, keys, index)
        # A feed the same as last time (its spec, and so its entries, and the site's date)
        # with none of its entries changed has its last key.
        last_feeds = last["feeds"] if affected is not pages and last["updated"] == page_key.site.updated else {}
        feeds = {}
        for spec in pipeline.feed_specs(page_key.site):
            found = last_feeds.get(spec.path)
            if found is None or found[0] != spec or not page_key.changed.isdisjoint(pipeline.feed_entries(page_key.site, spec)):
                found = (spec, page_key.feed(spec))
            feeds[spec.path], keys[spec.path] = found, found[1]
            if output_keys.get(spec.path) != found[1] or spec.path not in file_keys:
                jobs.append(("feed", spec.path, spec))
        page_key.remember_feeds(feeds)
        return jobs, keys

    def _documents(self, site, pages, page_key: "_PageKeys") -> dict[str, tuple[bytes, Callable[[], bytes]]]:
        """Static assets, sitemap, robots.txt and the API: {path: (key, make bytes)}."""
        from .render import static_files

        documents: dict[str, tuple[bytes, Callable[[], bytes]]] = {}
        static = static_files(self.options.templates)
        for path, data in static.items():
            documents[path] = (fingerprint("static", data), lambda data=data: data)
        plan = self._plan_lists(site, pages, page_key)
        urls = plan["urls"]
        makers = pipeline.site_documents(site, urls, self.state.api)
        # Joined strings, not tuples: these cover every article and page of the site.
        lastmod = self._sitemap_key(site, urls)
        listings = b"".join(plan["listings"])
        inputs = {
            "sitemap.xml": (lastmod,),
            "robots.txt": (),
            "api/articles.json": (listings,),
            "api/countries.json": (page_key.country_counts,),
            "api/topics.json": (page_key.topic_counts,),
        }
        for path, parts in inputs.items():
            documents[path] = (fingerprint(path, page_key.names, *parts), makers[path])
        return documents

    def _plan_lists(self, site, pages, page_key: "_PageKeys") -> dict:
        """Every page's URL and every article's listing fingerprint (in the site's order)
        for this plan: kept while the plan is the last one, which an edit in place leaves
        (then the articles are in the same order), with the changed articles' listings
        put in. Going over every page and article for them was 4 ms of each edit."""
        memo, by_slug = self._plan_lists_memo, page_key.by_slug
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

    def _sitemap_key(self, site, urls: list[str]) -> bytes:
        """What the sitemap lists, worked out again only when the pages or their dates
        changed (a set and a dict compared, instead of 6,000 lines sorted and joined)."""
        memo = self._sitemap_memo
        # Page dates come from the articles' dates and the groups: when those and the
        # pages are what they were (an edit of a title or a body), so is the sitemap.
        made_of = (urls, [e.updated for e in site.entries], site.countries, site.topics)
        if memo.get("made_of") == made_of:
            return memo["key"]
        paths, dates = frozenset(urls), feeds.page_dates(site)
        memo["made_of"] = made_of
        if memo.get("paths") != paths or memo.get("dates") != dates:
            listed = feeds.sitemap_lastmod(site, urls)
            memo.update(paths=paths, dates=dates,
                        key=fingerprint("\n".join([f"{path}\0{day}" for path, day in listed])))
        return memo["key"]

    # -- writing --

    def _commit(self, written: dict[str, bytes], keep: set[str]) -> list[str]:
        """Put the staged files in place; remove files the site no longer has."""
        state, output, stage = self.state, self.options.output.resolve(), self._stage
        removed = sorted(set(state.file_keys) - keep)
        fresh = self._fresh
        search = self.options.search and (fresh or self.reindex)
        indexed = _search_key(state, written, removed) if search else state.search_key
        reindex = search and (fresh or indexed != state.search_key or not (output / SEARCH_DIR).is_dir())
        # A new search index or a link check needs the whole site in one place: then the
        # unchanged files are hard-linked beside the new ones and the tree is swapped in
        # whole, so a failing Pagefind or check leaves output/ as it was.
        staged = fresh or self.options.strict or reindex
        held, self._held = self._held, None
        try:
            if staged:
                for path, data in (held or {}).items():
                    pipeline.write_file(stage, path, data)
                if not fresh:
                    _link_tree(output, stage, skip=set(removed), skip_dirs={SEARCH_DIR} if reindex else set())
                if reindex:
                    pipeline.index_search(stage)
                if self.options.strict:
                    pipeline.strict_check(stage, self._config, self.options, self.reporter)
                pipeline.swap_into_place(stage, output)
            else:
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
                            pipeline.write_file(output, temporary, held[path])
                            os.replace(output / temporary, target)
                        except BaseException:
                            with contextlib.suppress(OSError):
                                os.unlink(output / temporary)
                            raise
                    else:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(stage / path, target)
                for path in removed:
                    _remove(output, path)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
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
        state.search_key = indexed if search else None
        return sorted([*written, *removed])


class _PageKeys:
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
        groups.clear()
        groups.update(fresh)
        self.country_counts = fingerprint(*(key for _, key, _ in self.countries.values()))
        self.topic_counts = fingerprint(*(key for _, key, _ in self.topics.values()))
        self.country_topics = _country_topics(site, memo.setdefault("country_topics", {}))
        summary = (len(site.entries), site.updated, tuple(self.listing(e.article.slug) for e in site.entries[:40]),
                   tuple((g.country.code, len(g.about), len(g.mentioned)) for g in site.countries),
                   tuple((g.topic.slug, len(g.articles), _counts(g.countries[:5])) for g in site.topics))
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
        slugs = set(self.changed)
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

    def _slice(self, slugs: Sequence[str], number: int) -> bytes:
        start = (number - 1) * self.per_page
        by_slug = self.by_slug
        return b"".join([by_slug[s].listing for s in slugs[start:start + self.per_page]])

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
                        and changed.isdisjoint(entry.related):
                    return found[2]
            linked = b"".join([by_slug[s].listing for s in (*entry.related, entry.previous, entry.next) if s])
            links = "\0".join([*entry.related, "|", entry.previous or "", entry.next or ""]).encode()
            key = _digest(template, self.names, by_slug[page.key].full, links, linked)
            self._articles[page.key] = (entry, template, key)
            return key
        if page.kind in ("country", "country_topic", "topic"):
            group, key, dirty = (self.topics[page.key] if page.kind == "topic"
                                 else self.countries[page.key.split("/")[0]])
            # The same group object lists the same articles in the same order: while none
            # of them changed, each of its pages shows what it showed.
            found = self._listings.get(page.path)
            if found is not None and found[0] is group and found[1] == template and not dirty:
                return found[2]
            if page.kind == "country":
                shown = self._slice((*group.about, *group.mentioned), page.number)
            elif page.kind == "country_topic":
                shown = self._slice(self.country_topics[page.key], page.number)
            else:
                shown = self._slice(group.articles, page.number)
            made = _digest(template, self.names, key, f"{page.kind}\0{page.key}\0{page.number}".encode(), shown)
            self._listings[page.path] = (group, template, made)
            return made
        # Home, the indexes, search and 404 summarise the whole site; they are few.
        return _digest(template, self.names, self.whole, f"{page.kind}\0{page.key}\0{page.number}".encode())

    def feed(self, spec) -> bytes:
        by_slug = self.by_slug
        return _digest(b"feed", self.names,
                       f"{spec.path}\0{spec.title}\0{spec.feed_path}\0{spec.page_path}\0{self.site.updated}".encode(),
                       b"".join([by_slug[s].full for s in pipeline.feed_entries(self.site, spec)]))


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


@contextlib.contextmanager
def _collector_paused():
    """No cyclic garbage collection while making many long-lived, acyclic objects (the
    collector would walk them again and again as they pile up); afterwards they are
    frozen out of its view."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _digest(*parts: bytes) -> bytes:
    """Parts are fixed-size digests, or one variable part last but one followed by
    digests, so joining them with a separator cannot make two inputs collide."""
    return hashlib.blake2b(b"\x1f".join(parts), digest_size=16).digest()


def _folder_key(folder: Path) -> bytes:
    return fingerprint(sorted(snapshot([folder]).items()))


def _search_key(state: State, written: dict[str, bytes], removed: list[str]) -> bytes:
    """The article pages' bytes: Pagefind indexes only them (data-pagefind-body)."""
    keys = {**state.file_keys, **written}
    for path in removed:
        keys.pop(path, None)
    return fingerprint(*sorted((p, k) for p, k in keys.items() if p.startswith("articles/")))


def _remove(root: Path, relative: str) -> None:
    """Delete a file and the folders it leaves empty."""
    target = root / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _link_tree(source: Path, target: Path, *, skip: set[str], skip_dirs: set[str]) -> None:
    """Hard-link every file of source into target that target does not have yet."""
    for folder, dirs, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        if relative.parts and relative.parts[0] in skip_dirs:
            dirs[:] = []
            continue
        for name in files:
            path = (relative / name).as_posix()
            if path in skip or (target / path).exists():
                continue
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(Path(folder) / name, target / path)
            except OSError:
                shutil.copy2(Path(folder) / name, target / path)
