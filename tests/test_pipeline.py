"""The pipeline's own helpers: progress on a terminal, safe writes, the worker pool."""
from __future__ import annotations

import io
import time

import pytest

from briefing import pipeline
from briefing.model import BuildError


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_long_runs():
    stream = Terminal()
    progress = pipeline.Reporter(stream=stream).progress("render", 1000)
    for _ in range(1000):
        progress.advance()
    progress.close()
    shown = stream.getvalue()
    assert shown.startswith("\rrender   [") and shown.endswith("] 1000/1000\n")
    assert "#" * pipeline.Progress.WIDTH in shown


@pytest.mark.parametrize("stream, quiet, total", [
    (io.StringIO(), False, 1000),   # not a terminal: a log file or CI
    (Terminal(), True, 1000),       # --quiet
    (Terminal(), False, 10),        # too short to need one
])
def test_no_progress_bar_when_piped_quiet_or_short(stream, quiet, total):
    progress = pipeline.Reporter(quiet=quiet, stream=stream).progress("render", total)
    for _ in range(total):
        progress.advance()
    progress.close()
    assert stream.getvalue() == ""


def test_parallel_map_keeps_order_and_reports_progress(monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    stream = Terminal()
    monkeypatch.setattr(pipeline, "PROGRESS_MIN", 1)
    progress = pipeline.Reporter(stream=stream).progress("square", 300)
    assert pipeline.parallel_map(_square, list(range(300)), 2, {}, progress=progress) == [
        n * n for n in range(300)]
    assert stream.getvalue().endswith("300/300\n")


def _square(n: int) -> int:
    return n * n


def _note_start(n: int) -> int:
    with open(pipeline.WORKER["log"], "a") as log:  # type: ignore[arg-type]
        log.write(f"{n}\n")
    return n


def _started(log) -> set[int]:
    return {int(line) for line in log.read_text().split()} if log.exists() else set()


def test_parallel_results_run_ahead_of_a_slow_caller_by_at_most_two_windows(monkeypatch, tmp_path):
    """While the caller is busy with the first window, the workers go on with the next
    (no pause at each window's end), but never further: results wait in memory."""
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(pipeline, "WINDOW", 20)
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    log = tmp_path / "started"
    results = pipeline.parallel_results(_note_start, list(range(100)), 2, {"log": log})
    assert next(results) == 0
    deadline = time.monotonic() + 20
    while not any(n >= 20 for n in _started(log)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(n >= 20 for n in _started(log)), "the second window waited for the caller"
    time.sleep(0.3)   # time enough to start a third window, were that allowed
    assert max(_started(log)) < 40
    assert [0, *results] == list(range(100))


@pytest.mark.parametrize("relative", ["../escape.html", "a/../../escape.html", "/etc/passwd", "",
                                      "a//b.html", "./a.html", "C:/x.html", "..\\escape.html"])
def test_write_file_refuses_paths_outside_the_output(tmp_path, relative):
    root = tmp_path / "out"
    root.mkdir()
    with pytest.raises(BuildError, match="outside the output folder"):
        pipeline.write_file(root, relative, b"x")
    assert list(tmp_path.rglob("*.html")) == []


def test_write_file_makes_folders(tmp_path):
    pipeline.write_file(tmp_path, "articles/a-b/index.html", b"<p>x</p>")
    assert (tmp_path / "articles" / "a-b" / "index.html").read_bytes() == b"<p>x</p>"


def _squares(numbers: list[int]) -> list[tuple[int, int]]:
    return [(n * n, len(numbers)) for n in numbers]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batched_function_gets_lists_and_its_results_come_back_in_order(monkeypatch, jobs):
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(pipeline, "WINDOW", 40)
    monkeypatch.setattr(pipeline, "PROGRESS_MIN", 1)
    stream = Terminal()
    progress = pipeline.Reporter(stream=stream).progress("square", 300)
    results = pipeline.parallel_map(_squares, list(range(300)), jobs, {}, batch=16, progress=progress)
    assert [square for square, _ in results] == [n * n for n in range(300)]
    assert {size for _, size in results} == {16, 300 % 16}
    assert stream.getvalue().endswith("300/300\n")
