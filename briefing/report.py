"""What a command tells its user: warnings (always, to stderr), summary lines (unless
quiet), progress bars on a terminal, and --strict's verdict. Every layer that has
something to say is handed a Reporter; none prints on its own."""
from __future__ import annotations

import sys
import time

from .model import BuildError, Diagnostic


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
