"""Progress bars on a terminal, and none when piped, quiet or short."""
from __future__ import annotations

import io

import pytest

from briefing import report


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_long_runs():
    stream = Terminal()
    progress = report.Reporter(stream=stream).progress("render", 1000)
    for _ in range(1000):
        progress.advance()
    progress.close()
    shown = stream.getvalue()
    assert shown.startswith("\rrender   [") and shown.endswith("] 1000/1000\n")
    assert "#" * report.Progress.WIDTH in shown


@pytest.mark.parametrize("stream, quiet, total", [
    (io.StringIO(), False, 1000),   # not a terminal: a log file or CI
    (Terminal(), True, 1000),       # --quiet
    (Terminal(), False, 10),        # too short to need one
])
def test_no_progress_bar_when_piped_quiet_or_short(stream, quiet, total):
    progress = report.Reporter(quiet=quiet, stream=stream).progress("render", total)
    for _ in range(total):
        progress.advance()
    progress.close()
    assert stream.getvalue() == ""
