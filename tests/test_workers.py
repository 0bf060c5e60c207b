"""The forked workers and the parallel map on them: order, failures, no helper threads, progress."""
from __future__ import annotations

import io
import multiprocessing
import os
import threading
import time

import pytest

from briefing import report, workers
from briefing.workers import WorkerError, ordered_map


def _double_all(group: list[int]) -> list[int]:
    return [2 * n for n in group]


def _fail_at_5_and_50(group: list[int]) -> list[int]:
    if 0 in group:
        time.sleep(0.3)     # the other worker meanwhile gets to 5, and beyond
    for n in group:
        if n in (5, 50):
            raise ValueError(f"bad item {n}")
    return group


def _die_at_7(group: list[int]) -> list[int]:
    if 7 in group:
        os._exit(3)
    return group


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


def _raise_unpicklable(group: list[int]) -> list[int]:
    raise Unpicklable("cannot travel")


def _slow(group: list[int]) -> list[int]:
    time.sleep(0.05)
    return group


def _groups(count: int, size: int = 1) -> list[list[int]]:
    return [list(range(start, start + size)) for start in range(0, count * size, size)]


def test_results_come_in_order_from_both_workers():
    assert list(ordered_map(_double_all, _groups(200, 3), 2, 8)) == [
        [2 * n for n in group] for group in _groups(200, 3)]
    # Both processes did some of the work, neither of them the parent.
    pids = {pid for (pid,) in ordered_map(_pid, _groups(40), 2, 8)}
    assert len(pids) == 2 and os.getpid() not in pids


def _pid(group: list[int]) -> list[int]:
    time.sleep(0.01)
    return [os.getpid()]


def test_a_failure_is_raised_at_its_turn_with_the_workers_traceback():
    seen = []
    with pytest.raises(ValueError, match="bad item 5") as raised:
        for group in ordered_map(_fail_at_5_and_50, _groups(100), 2, 20):
            seen.append(group)
    # Everything before the first failing group in order, whichever worker was faster.
    assert seen == _groups(5)
    assert "_fail_at_5_and_50" in str(raised.value.__cause__)
    assert multiprocessing.active_children() == []


def test_an_exception_that_cannot_be_pickled_still_reaches_the_parent():
    with pytest.raises(RuntimeError, match="cannot travel"):
        list(ordered_map(_raise_unpicklable, _groups(10), 2, 4))
    assert multiprocessing.active_children() == []


def _unpicklable_result(group: list[int]):
    return lambda: group


def test_a_result_that_cannot_be_pickled_is_reported_at_its_turn():
    with pytest.raises(AttributeError, match="pickle"):
        list(ordered_map(_unpicklable_result, _groups(10), 2, 4))
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_is_reported_not_waited_for_forever():
    started = time.monotonic()
    with pytest.raises(WorkerError, match="exit code 3"):
        list(ordered_map(_die_at_7, _groups(40), 2, 8))
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


def test_the_parent_runs_no_helper_threads():
    """multiprocessing.Pool's three threads took turns at the parent's GIL, and its
    worker-handler thread went round its loop without pause while a result waited."""
    before = threading.active_count()
    counts = [threading.active_count() for _ in ordered_map(_slow, _groups(12), 2, 4)]
    assert set(counts) == {before}


def test_a_caller_that_stops_early_leaves_no_workers_behind():
    results = ordered_map(_slow, _groups(100), 2, 10)
    assert next(results) == [0]
    results.close()
    assert multiprocessing.active_children() == []


# --- parallel_map and parallel_results -----------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_parallel_map_keeps_order_and_reports_progress(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
    stream = Terminal()
    monkeypatch.setattr(report, "PROGRESS_MIN", 1)
    progress = report.Reporter(stream=stream).progress("square", 300)
    assert workers.parallel_map(_square, list(range(300)), 2, {}, progress=progress) == [
        n * n for n in range(300)]
    assert stream.getvalue().endswith("300/300\n")


def _square(n: int) -> int:
    return n * n


def _note_start(n: int) -> int:
    with open(workers.WORKER["log"], "a") as log:  # type: ignore[arg-type]
        log.write(f"{n}\n")
    return n


def _started(log) -> set[int]:
    return {int(line) for line in log.read_text().split()} if log.exists() else set()


def test_parallel_results_run_ahead_of_a_slow_caller_by_at_most_two_windows(monkeypatch, tmp_path):
    """While the caller is busy with the first window, the workers go on with the next
    (no pause at each window's end), but never further: results wait in memory."""
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(workers, "WINDOW", 20)
    monkeypatch.setattr(workers, "CHUNK", 2)
    log = tmp_path / "started"
    results = workers.parallel_results(_note_start, list(range(100)), 2, {"log": log})
    assert next(results) == 0
    deadline = time.monotonic() + 20
    while not any(n >= 20 for n in _started(log)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(n >= 20 for n in _started(log)), "the second window waited for the caller"
    time.sleep(0.3)   # time enough to start a third window, were that allowed
    assert max(_started(log)) < 40
    assert [0, *results] == list(range(100))


def _squares(numbers: list[int]) -> list[tuple[int, int]]:
    return [(n * n, len(numbers)) for n in numbers]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batched_function_gets_lists_and_its_results_come_back_in_order(monkeypatch, jobs):
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(workers, "WINDOW", 40)
    monkeypatch.setattr(report, "PROGRESS_MIN", 1)
    stream = Terminal()
    progress = report.Reporter(stream=stream).progress("square", 300)
    results = workers.parallel_map(_squares, list(range(300)), jobs, {}, batch=16, progress=progress)
    assert [square for square, _ in results] == [n * n for n in range(300)]
    assert {size for _, size in results} == {16, 300 % 16}
    assert stream.getvalue().endswith("300/300\n")
