"""What `--strict` and `check` verify besides the build itself: links in a built tree
that lead nowhere, and content/ out of date with seeds/ (a dump added or changed since
the last ingest). Warnings go to the Reporter; --strict then fails on any."""
from __future__ import annotations

from pathlib import Path

from .model import Diagnostic, SiteConfig
from .options import Options
from .report import Reporter
from .urls import base_path


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


def strict_check(root: Path, config: SiteConfig, options: Options, reporter: Reporter) -> None:
    """--strict: crawl the staged site for broken links; fail on those and on any warning."""
    broken = broken_links(root, config)
    if not options.search:  # no index was asked for, so its files are rightly absent
        broken = [link for link in broken if "/pagefind/" not in link.target]
    for link in broken:
        reporter.warn(Diagnostic(f"broken link to {link.target} ({link.reason})",
                                 f"{options.output.name}/{link.page}", link.line))
    stale = stale_content(options)
    if stale:
        reporter.warn(stale)
    reporter.check_strict(options.strict)


def broken_links(root: Path, config: SiteConfig) -> list:
    # Imported here: only --strict and `check` crawl the site, and the crawler's imports
    # (a process pool among them) were 40 ms of every build's start.
    from .check import check_site

    return check_site(root, base_path(config), base_url=config.base_url)
