"""The commands: ingest, build, check, and plain `build.py` (ingest + build).

This is where I/O, warnings, --strict and the summary lines live; the stages
themselves are functions in their own modules. A build writes into a fresh
folder beside output/ and swaps it in only when everything succeeded, so a
failed build leaves the previous site untouched.
"""
from __future__ import annotations

import functools
import gc
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import api, feeds
from .config import load_config
from .model import BuildError, Diagnostic, Site, SiteConfig
from .urls import base_path
from .workers import ordered_map

# Below this many articles a process pool costs more than it saves.
PARALLEL_THRESHOLD = 150
WINDOW = 512    # parallel_results keeps at most two windows of results in flight
CHUNK = 16      # most items a worker takes at once, unless parallel_results is told a batch size


@dataclass(frozen=True)
class Options:
    seeds: Path
    content: Path
    templates: Path
    output: Path
    cache: Path | None              # None: no cache, every build is cold
    base_url: str | None = None
    strict: bool = False
    quiet: bool = False
    search: bool = True
    jobs: int = 0                   # 0 = one per core
    timings: bool = False           # print where the build spent its time


class Reporter:
    """Prints warnings (always, to stderr) and summary lines (unless quiet)."""

    def __init__(self, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream
        self.warnings: list[Diagnostic] = []

    def warn(self, diagnostic: Diagnostic) -> None:
        self.warnings.append(diagnostic)
        print(f"warning: {diagnostic}", file=self.stream or sys.stderr)

    def info(self, line: str) -> None:
        if not self.quiet:
            print(line, file=self.stream or sys.stdout)

    def progress(self, label: str, total: int, minimum: int | None = None) -> "Progress":
        """A progress bar on a terminal for long runs (at least `minimum` items); nothing
        when quiet or piped."""
        stream = self.stream or sys.stderr
        if self.quiet or total < (PROGRESS_MIN if minimum is None else minimum) or not getattr(stream, "isatty", lambda: False)():
            return Progress.none()
        return Progress(label, total, stream)

    def check_strict(self, strict: bool) -> None:
        if strict and self.warnings:
            raise BuildError(f"Aborted with {len(self.warnings)} warning(s) in strict mode.")


# Fewer items than this finish too fast for a progress bar to help.
PROGRESS_MIN = 500
INGEST_PROGRESS_MIN = {"read": 20}     # dump files hold many articles each


class Progress:
    """`label [#####.....] 1200/4000` redrawn in place, at most ten times a second."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream=None):
        self.label, self.total, self.stream = label, total, stream
        self.done = 0
        self._drawn = 0.0

    @classmethod
    def none(cls) -> "Progress":
        return cls("", 0, None)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self._drawn >= 0.1 or self.done >= self.total:
            self._drawn = now
            filled = self.WIDTH * self.done // max(1, self.total)
            self.stream.write(f"\r{self.label:8} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                              f"{self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.done:
            self.stream.write("\n")
            self.stream.flush()
            self.stream = None


def run(command: str, options: Options, reporter: Reporter | None = None) -> int:
    reporter = reporter or Reporter(options.quiet)
    if command in ("all", "ingest"):
        run_ingest(options, reporter)
    if command in ("all", "build"):
        run_build(options, reporter)
    if command == "check":
        run_check(options, reporter)
    return 0


# --- explain ----------------------------------------------------------------

def run_explain(options: Options, slug: str | None, stream=None) -> None:
    """Print why the article `slug` got its countries and topics."""
    import difflib

    from .classify import load_classifier
    from .content import article_files, display_path, read_article
    from .explain import explain

    if not slug:
        raise BuildError("explain needs an article's slug: python build.py explain <slug> "
                         "(the name of its file in content/articles/, without .md)")
    files = {path.stem: path for path in article_files(options.content)}
    path = files.get(slug)
    if path is None:
        close = [name for name in sorted(files) if slug in name][:3] \
            or difflib.get_close_matches(slug, list(files), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise BuildError(f"no article {slug!r} in {display_path(options.content / 'articles')}{hint}")
    article, _, data = read_article(path)
    text = explain(article, load_classifier(options.content), data.decode("utf-8"))
    print(text, end="", file=stream or sys.stdout)


# --- ingest -----------------------------------------------------------------

def run_ingest(options: Options, reporter: Reporter) -> None:
    from .ingest import ingest

    if not options.seeds.is_dir():
        raise BuildError("seeds folder not found: create it and put dump files (*.txt) in it, "
                         "or pass --seeds DIR.", str(options.seeds))
    bars: dict[str, Progress] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            bars[stage] = reporter.progress(stage, total, minimum=INGEST_PROGRESS_MIN.get(stage, PROGRESS_MIN))
        bars[stage].advance(done - bars[stage].done)

    try:
        result = ingest(options.seeds, options.content, progress=progress, jobs=options.jobs)
    finally:
        for bar in bars.values():
            bar.close()
    for diagnostic in result.diagnostics:
        reporter.warn(diagnostic)
    for line in result.merges:
        reporter.info(line)
    reporter.info(result.summary)
    reporter.check_strict(options.strict)


def stale_content(options: Options) -> Diagnostic | None:
    """A warning when seeds/ holds dumps that content/ was not ingested from as they are."""
    from .ingest import stale_dumps

    stale = stale_dumps(options.seeds, options.content)
    if not stale:
        return None
    shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
    return Diagnostic(f"content/ is out of date with seeds/: {len(stale)} dump(s) new or changed since "
                      f"the last ingest ({shown}); run `make ingest` and commit content/",
                      str(options.content))


# --- build ------------------------------------------------------------------

@dataclass(frozen=True)
class BuildResult:
    site: Site
    pages: int                      # HTML pages in the site
    files: int                      # files in the site (search index aside)
    seconds: float
    rendered: int = 0               # pages and feeds this build rendered
    written: int = 0                # files this build wrote or removed


def run_build(options: Options, reporter: Reporter) -> BuildResult | None:
    """content/ + templates/ -> output/, redoing only what changed since the build
    cached in options.cache (none: a cold build). Returns None when nothing changed."""
    from .incremental import Builder, up_to_date

    started = time.perf_counter()
    manifest = None
    if options.cache:
        current, manifest = up_to_date(options)
        if current and not options.strict:
            reporter.info(f"build: nothing changed since the last build of {options.output} "
                          f"({time.perf_counter() - started:.2f} s)")
            return None
    checked = time.perf_counter()
    builder = Builder(options, reporter)
    if options.cache:
        builder.restore(manifest)
    restored = time.perf_counter()
    result = builder.build()
    built = time.perf_counter()
    if options.cache:
        builder.save(manifest)
    if options.timings:
        phases = {"check cache": checked - started, "load cache": restored - checked, **builder.timings,
                  "save cache": time.perf_counter() - built}
        print("timings: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items()),
              file=sys.stderr)
    site = result.site
    seconds = time.perf_counter() - started
    reporter.info(f"build: {len(site.entries)} articles, {len(site.countries)} countries, "
                  f"{sum(1 for t in site.topics if t.articles)} topics -> {result.html_pages} pages, "
                  f"{result.files} files in {options.output}; {result.pages} rendered, "
                  f"{result.written} written ({seconds:.1f} s)")
    return BuildResult(site=site, pages=result.html_pages, files=result.files, seconds=seconds,
                       rendered=result.pages, written=result.written)


def strict_check(root: Path, config: SiteConfig, options: Options, reporter: Reporter) -> None:
    """--strict: crawl the staged site for broken links; fail on those and on any warning."""
    broken = _check(root, config)
    if not options.search:  # no index was asked for, so its files are rightly absent
        broken = [link for link in broken if "/pagefind/" not in link.target]
    for link in broken:
        reporter.warn(Diagnostic(f"broken link to {link.target} ({link.reason})",
                                 f"{options.output.name}/{link.page}", link.line))
    stale = stale_content(options)
    if stale:
        reporter.warn(stale)
    reporter.check_strict(options.strict)


def _jobs(requested: int) -> int:
    return requested if requested > 0 else (os.cpu_count() or 1)


# What parallel_map's `state` hands the function, in this process or in workers:
# they are forked after it is set, so they inherit it instead of receiving a
# pickled copy per task.
WORKER: dict[str, object] = {}


def parallel_map(function: Callable, items: Sequence, jobs: int, state: dict, *,
                 progress: "Progress | None" = None, batch: int = 0) -> list:
    """[function(item) for item in items], on `jobs` forked processes when there are enough
    items; `function` finds `state` in WORKER. batch: see parallel_results."""
    return list(parallel_results(function, items, jobs, state, progress=progress, batch=batch))


def parallel_results(function: Callable, items: Sequence, jobs: int, state: dict, *,
                     progress: "Progress | None" = None, batch: int = 0) -> Iterator:
    """parallel_map's results one by one, in order, as they come: the caller can use
    each (write it out) while the workers go on with the next.

    batch: when given, `function` takes a list of up to `batch` items and returns
    their results in order, so that it can do one stage at a time over them."""
    progress = progress or Progress.none()
    WORKER.update(state)
    frozen = False
    try:
        jobs = _jobs(jobs)
        parallel = jobs > 1 and len(items) >= PARALLEL_THRESHOLD
        if not batch:
            # Items go to a worker a few at a time all the same: one message per item
            # costs more than many of the items do. Few enough that the last few do
            # not leave a worker idle long while the other ends them (64 feeds: 350 ms).
            function = functools.partial(_one_by_one, function)
            batch = max(1, min(CHUNK, len(items) // (jobs * 8))) if parallel else 1
        groups = [items[start:start + batch] for start in range(0, len(items), batch)]
        if not parallel:
            for group in groups:
                yield from function(group)
                progress.advance(len(group))
            return
        # Frozen objects are skipped by the collector, so the children do not walk (and
        # thereby copy) the whole inherited heap the first time they collect.
        gc.freeze()
        frozen = True
        # Two windows of results at most wait in memory: a caller slower than the workers
        # (writing thousands of files) would otherwise hold every page.
        ahead = max(1, 2 * WINDOW // batch)
        for results in ordered_map(function, groups, jobs, ahead):
            yield from results
            progress.advance(len(results))
    finally:
        if frozen:  # only what this call froze: the caller may have frozen objects of its own
            gc.unfreeze()
        progress.close()
        WORKER.clear()


def _one_by_one(function: Callable, items: Sequence) -> list:
    return [function(item) for item in items]


@dataclass(frozen=True)
class FeedSpec:
    path: str                       # output-relative, e.g. "countries/iraq/feed.xml"
    title: str
    feed_path: str                  # site path of the feed
    page_path: str                  # site path of the page it follows
    slugs: tuple[str, ...]          # candidate entries, newest first


FEED_LIMIT = 50


def feed_specs(site: Site) -> list[FeedSpec]:
    """The site's Atom feeds: the whole site, then one per country and per topic."""
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
    return specs


def feed_entries(site: Site, spec: FeedSpec) -> list[str]:
    """The slugs a feed shows: its newest FEED_LIMIT. The Site's lists are newest first
    (newest date, then title), so they are the first ones, in the order atom_feed gives."""
    return list(spec.slugs[:FEED_LIMIT])


def render_feed(site: Site, spec: FeedSpec) -> bytes:
    return feeds.atom_feed(site, [site.by_slug[s] for s in feed_entries(site, spec)], title=spec.title,
                           feed_path=spec.feed_path, page_path=spec.page_path, limit=FEED_LIMIT)


def site_documents(site: Site, page_urls: Sequence[str],
                   api_memo: dict | None = None) -> dict[str, Callable[[], bytes]]:
    """The sitemap, robots.txt and the JSON API (the site-wide files that are not pages
    or feeds), each as a function making its bytes, so a build makes only those it needs.
    The sitemap leaves the error page out (feeds.sitemap_lastmod)."""
    return {
        "sitemap.xml": lambda: feeds.sitemap(site, page_urls),
        "robots.txt": lambda: feeds.robots_txt(site),
        "api/articles.json": lambda: api.articles_json(site, api_memo),
        "api/countries.json": lambda: api.countries_json(site),
        "api/topics.json": lambda: api.topics_json(site),
    }


def write_file(root: Path, relative: str, data: bytes) -> None:
    # Checked on the string, not with resolve(): that costs a system call per path
    # component, for each of thousands of files.
    parts = relative.replace("\\", "/").split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise BuildError(f"refusing to write outside the output folder: {relative!r}")
    target = os.path.join(root, relative)
    try:
        file = open(target, "wb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        file = open(target, "wb")
    with file:
        file.write(data)


def index_search(root: Path) -> None:
    """Build the Pagefind index of the rendered pages into root/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"Pagefind could not index the site: {done.stderr.strip() or done.stdout.strip()}")


def staging_dir(output: Path) -> Path:
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.build-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def swap_into_place(staging: Path, output: Path) -> None:
    """Replace output/ with the finished build in two renames, never half-written."""
    output = output.resolve()
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old, ignore_errors=True)


def _check(root: Path, config: SiteConfig) -> list:
    # Imported here: only --strict and `check` crawl the site, and the crawler's imports
    # (a process pool among them) were 40 ms of every build's start.
    from .check import check_site

    return check_site(root, base_path(config), base_url=config.base_url)


# --- check ------------------------------------------------------------------

def run_check(options: Options, reporter: Reporter) -> None:
    if not options.output.is_dir():
        raise BuildError("nothing to check: build the site first (python build.py build).",
                         str(options.output))
    config = load_config(options.content, options.base_url)
    broken = _check(options.output, config)
    stale = stale_content(options)
    if broken:
        from .check import format_report

        also = f"\nand {stale}" if stale else ""
        raise BuildError(f"{len(broken)} broken link(s) in {options.output}:\n{format_report(broken)}{also}")
    if stale:
        raise BuildError(str(stale))
    reporter.info(f"check: no broken links in {options.output}, and content/ is up to date with seeds/")
