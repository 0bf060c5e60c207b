"""The commands: ingest, build, check, and plain `build.py` (ingest + build).

This is where I/O, warnings, --strict and the summary lines live; the stages
themselves are functions in their own modules.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .model import BuildError, Diagnostic


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


class Reporter:
    """Prints warnings (always, to stderr) and summary lines (unless quiet)."""

    def __init__(self, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.warnings: list[Diagnostic] = []

    def warn(self, diagnostic: Diagnostic) -> None:
        self.warnings.append(diagnostic)
        print(f"warning: {diagnostic}", file=self.stream)

    def info(self, line: str) -> None:
        if not self.quiet:
            print(line, file=sys.stdout)

    def check_strict(self, strict: bool) -> None:
        if strict and self.warnings:
            raise BuildError(f"Aborted with {len(self.warnings)} warning(s) in strict mode.")


def run(command: str, options: Options) -> int:
    reporter = Reporter(options.quiet)
    if command in ("all", "ingest"):
        run_ingest(options, reporter)
    if command in ("all", "build"):
        run_build(options, reporter)
    if command == "check":
        run_check(options, reporter)
    return 0


def run_ingest(options: Options, reporter: Reporter) -> None:
    from .ingest import ingest

    result = ingest(options.seeds, options.content)
    for diagnostic in result.diagnostics:
        reporter.warn(diagnostic)
    reporter.info(result.summary)
    reporter.check_strict(options.strict)


def run_build(options: Options, reporter: Reporter) -> None:
    raise BuildError("build is not implemented yet: only ingest runs for now.")


def run_check(options: Options, reporter: Reporter) -> None:
    raise BuildError("check is not implemented yet.")
