"""The commands: ingest, build, check, and plain `build.py` (ingest + build).

This is where I/O, warnings, --strict and the summary lines live; the stages
themselves are functions in their own modules. A build writes into a fresh
folder beside output/ and swaps it in only when everything succeeded, so a
failed build leaves the previous site untouched.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import api, feeds
from .check import check_site, format_report
from .classify import Classifier, classify, load_classifier
from .config import load_config
from .content import load_articles
from .markup import render_markdown
from .model import Article, BuildError, Diagnostic, Site, SiteConfig
from .site import Prepared, assemble_site, term_counts
from .urls import base_path

# Below this many articles a process pool costs more than it saves.
PARALLEL_THRESHOLD = 150


@dataclass(frozen=True)
class Options:
    seeds: Path
    content: Path
    templates: Path
    output: Path
    cache: Path
    base_url: str | None = None
    strict: bool = False
    quiet: bool = False
    search: bool = True
    jobs: int = 0                   # 0 = one per core


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

    def check_strict(self, strict: bool) -> None:
        if strict and self.warnings:
            raise BuildError(f"Aborted with {len(self.warnings)} warning(s) in strict mode.")


def run(command: str, options: Options, reporter: Reporter | None = None) -> int:
    reporter = reporter or Reporter(options.quiet)
    if command in ("all", "ingest"):
        run_ingest(options, reporter)
    if command in ("all", "build"):
        run_build(options, reporter)
    if command == "check":
        run_check(options, reporter)
    return 0


# --- ingest -----------------------------------------------------------------

def run_ingest(options: Options, reporter: Reporter) -> None:
    from .ingest import ingest

    if not options.seeds.is_dir():
        raise BuildError("seeds folder not found: create it and put dump files (*.txt) in it, "
                         "or pass --seeds DIR.", str(options.seeds))
    result = ingest(options.seeds, options.content)
    for diagnostic in result.diagnostics:
        reporter.warn(diagnostic)
    reporter.info(result.summary)
    reporter.check_strict(options.strict)


# --- build ------------------------------------------------------------------

@dataclass(frozen=True)
class BuildResult:
    site: Site
    pages: int
    files: int
    seconds: float


def run_build(options: Options, reporter: Reporter) -> BuildResult:
    started = time.perf_counter()
    site = load_site(options, reporter)
    staging = _staging_dir(options.output)
    try:
        pages, files = write_site(site, options.templates, staging, jobs=options.jobs)
        if options.search:
            index_search(staging)
        if options.strict:
            # The crawl costs seconds on a large site; `build.py check` runs it on demand.
            broken = _check(staging, site.config)
            if not options.search:  # no index was asked for, so its files are rightly absent
                broken = [link for link in broken if "/pagefind/" not in link.target]
            for link in broken:
                reporter.warn(Diagnostic(f"broken link to {link.target} ({link.reason})",
                                         f"{options.output.name}/{link.page}", link.line))
        reporter.check_strict(options.strict)
        swap_into_place(staging, options.output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    seconds = time.perf_counter() - started
    reporter.info(f"build: {len(site.entries)} articles, {len(site.countries)} countries, "
                  f"{sum(1 for t in site.topics if t.articles)} topics -> {pages} pages, "
                  f"{files} files in {options.output} ({seconds:.1f} s)")
    return BuildResult(site=site, pages=pages, files=files, seconds=seconds)


def load_site(options: Options, reporter: Reporter) -> Site:
    """content/ -> Site: every article loaded, classified and rendered to HTML."""
    if not (options.content / "articles").is_dir():
        raise BuildError("no articles folder: run `python build.py ingest` first, or pass --content DIR.",
                         str(options.content / "articles"))
    config = load_config(options.content, options.base_url)
    articles, diagnostics = load_articles(options.content)
    for diagnostic in diagnostics:
        reporter.warn(diagnostic)
    classifier = load_classifier(options.content)
    prepared = prepare_all(articles, classifier, options.jobs)
    for item in prepared:
        for diagnostic in item.diagnostics:
            reporter.warn(diagnostic)
    return assemble_site(config, prepared, classifier.gazetteer.country, classifier.taxonomy.topics)


def prepare(article: Article, classifier: Classifier) -> Prepared:
    """The per-article work: classification, markdown, term counts. Pure."""
    classification, diagnostics = classify(article, classifier)
    rendered = render_markdown(article.body)
    return Prepared(article=article, classification=classification, rendered=rendered,
                    terms=term_counts(article.title, rendered.text), diagnostics=diagnostics)


# Worker processes are forked after these are set, so they inherit them
# instead of receiving a pickled copy per task.
_WORKER: dict[str, object] = {}


def _prepare_in_worker(article: Article) -> Prepared:
    return prepare(article, _WORKER["classifier"])  # type: ignore[arg-type]


def _jobs(requested: int) -> int:
    return requested if requested > 0 else (os.cpu_count() or 1)


def _parallel_map(function: Callable, items: Sequence, jobs: int, state: dict) -> list:
    jobs = _jobs(jobs)
    if jobs <= 1 or len(items) < PARALLEL_THRESHOLD:
        _WORKER.update(state)
        try:
            return [function(item) for item in items]
        finally:
            _WORKER.clear()
    _WORKER.update(state)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            return pool.map(function, items, chunksize=max(1, len(items) // (jobs * 8)))
    finally:
        _WORKER.clear()


def prepare_all(articles: Sequence[Article], classifier: Classifier, jobs: int = 0) -> list[Prepared]:
    return _parallel_map(_prepare_in_worker, list(articles), jobs, {"classifier": classifier})


def _render_chunk(pages: list) -> int:
    renderer, root = _WORKER["renderer"], _WORKER["root"]
    for page in pages:
        write_file(root, page.path, renderer.render(page).encode("utf-8"))  # type: ignore[union-attr]
    return len(pages)


def write_site(site: Site, templates: Path, root: Path, jobs: int = 0) -> tuple[int, int]:
    """Render every page and write every file of the site under root. Returns (pages, files)."""
    from .render import Renderer, plan_pages, static_files

    renderer = Renderer(templates, site)
    pages = plan_pages(site)
    chunks = [pages[i:i + 64] for i in range(0, len(pages), 64)]
    state = {"renderer": renderer, "root": root}
    if len(pages) < PARALLEL_THRESHOLD:
        _parallel_map(_render_chunk, chunks, 1, state)
    else:
        _parallel_map(_render_chunk, chunks, jobs, state)
    extra = dict(static_files(templates))
    extra.update(site_documents(site, [page.url for page in pages]))
    for path, data in sorted(extra.items()):
        write_file(root, path, data)
    return len(pages), len(pages) + len(extra)


def site_documents(site: Site, page_urls: Iterable[str]) -> dict[str, bytes]:
    """Feeds, sitemap, robots.txt and the JSON API: everything that is not an HTML page."""
    documents = {
        "feed.xml": feeds.atom_feed(site, site.entries, title=site.config.title,
                                    feed_path="/feed.xml", page_path="/"),
        "sitemap.xml": feeds.sitemap(site, [u for u in page_urls if not u.endswith("404.html")]),
        "robots.txt": feeds.robots_txt(site),
        "api/articles.json": api.articles_json(site),
        "api/countries.json": api.countries_json(site),
        "api/topics.json": api.topics_json(site),
    }
    for group in site.countries:
        entries = [site.by_slug[slug] for slug in group.about]
        documents[f"countries/{group.country.slug}/feed.xml"] = feeds.atom_feed(
            site, entries, title=f"{group.country.name} — {site.config.title}",
            feed_path=f"{group.url}feed.xml", page_path=group.url)
    for group in site.topics:
        entries = [site.by_slug[slug] for slug in group.articles]
        documents[f"topics/{group.topic.slug}/feed.xml"] = feeds.atom_feed(
            site, entries, title=f"{group.topic.name} — {site.config.title}",
            feed_path=f"{group.url}feed.xml", page_path=group.url)
    return documents


def write_file(root: Path, relative: str, data: bytes) -> None:
    target = (root / relative).resolve()
    if root.resolve() not in target.parents:
        raise BuildError(f"refusing to write outside the output folder: {relative!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def index_search(root: Path) -> None:
    """Build the Pagefind index of the rendered pages into root/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"Pagefind could not index the site: {done.stderr.strip() or done.stdout.strip()}")


def _staging_dir(output: Path) -> Path:
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
    return check_site(root, base_path(config), base_url=config.base_url)


# --- check ------------------------------------------------------------------

def run_check(options: Options, reporter: Reporter) -> None:
    if not options.output.is_dir():
        raise BuildError("nothing to check: build the site first (python build.py build).",
                         str(options.output))
    config = load_config(options.content, options.base_url)
    broken = _check(options.output, config)
    if broken:
        raise BuildError(f"{len(broken)} broken link(s) in {options.output}:\n{format_report(broken)}")
    reporter.info(f"check: no broken links in {options.output}")
