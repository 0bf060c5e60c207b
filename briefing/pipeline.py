"""The commands: ingest, build, check, explain, and plain `build.py` (ingest + build).

The top layer: each command reads what it needs, calls the stages or the build
engine (builder.py), and tells the user what happened through a Reporter
(report.py), --strict's verdict included. A build writes into a fresh folder
beside output/ and swaps it in only when everything succeeded, so a failed build
leaves the previous site untouched.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from .config import load_config
from .model import BuildError, Site
from .options import Options
from .report import INGEST_PROGRESS_MIN, PROGRESS_MIN, Progress, Reporter
from .verify import broken_links, stale_content

__all__ = ["Options", "Reporter", "run", "run_build", "run_check", "run_explain", "run_ingest"]

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
    from .builder import Builder
    from .cache import up_to_date

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


# --- check ------------------------------------------------------------------

def run_check(options: Options, reporter: Reporter) -> None:
    if not options.output.is_dir():
        raise BuildError("nothing to check: build the site first (python build.py build).",
                         str(options.output))
    config = load_config(options.content, options.base_url)
    broken = broken_links(options.output, config)
    stale = stale_content(options)
    if broken:
        from .check import format_report

        also = f"\nand {stale}" if stale else ""
        raise BuildError(f"{len(broken)} broken link(s) in {options.output}:\n{format_report(broken)}{also}")
    if stale:
        raise BuildError(str(stale))
    reporter.info(f"check: no broken links in {options.output}, and content/ is up to date with seeds/")
