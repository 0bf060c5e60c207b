"""Forked worker processes for one parallel map, with the results in order
(ordered_map), and parallel_map / parallel_results on top: what ingest and the
build engine run on every core.

Not multiprocessing.Pool: its worker-handler thread waits on the result pipe among
other things, so while a result waits there to be read it goes round its loop without
pause. In a cold build of 4,000 articles that loop was over a third of the parent's
Python time (py-spy --gil), on a 2-core machine where each cycle the parent takes is
one a worker loses, and the parent's three threads took turns at its one GIL.

Here the parent has no threads of ours at a fork (the build's documents thread starts
after its workers are forked and ends before the next fork; only serve's search
refresh may be waiting on a Pagefind process meanwhile, which a child never touches).
The workers are forked with the work already in
memory and take the next group themselves from a shared counter, so none waits for
the parent to hand one out; the parent only reads the results, in order. Each
worker's result pipe is made large enough to take a whole result, so it does not
wait for the parent to read either.
"""
from __future__ import annotations

import fcntl
import functools
import gc
import mmap
import multiprocessing
import os
import pickle
import traceback
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterator, Sequence

from .report import Progress

RESULT_PIPE_BYTES = 1 << 20   # Linux's default ceiling for an unprivileged pipe


class WorkerError(RuntimeError):
    """A worker process stopped without answering (killed, or out of memory)."""


class _Failure:
    """An exception raised in a worker, with its traceback as text, to be raised again in
    the parent when its group's turn comes (so which error a build reports never depends
    on which worker was faster)."""

    def __init__(self, error: BaseException):
        self.trace = "".join(traceback.format_exception(error))
        try:
            pickle.dumps(error)
            self.error: BaseException | None = error
        except Exception:
            self.error = None

    def raise_it(self):
        error = self.error or RuntimeError(f"a worker failed:\n{self.trace}")
        raise error from _RemoteTraceback(self.trace)


class _RemoteTraceback(Exception):
    def __str__(self) -> str:
        return f"\nin the worker process:\n{self.args[0]}"


def ordered_map(function: Callable[[object], object], groups: Sequence, jobs: int,
                ahead: int) -> Iterator:
    """function(group) for each group, computed in `jobs` forked processes and yielded in
    order. Groups are started fewer than `ahead` beyond the first one not yet yielded
    in full: their results wait in memory until the caller takes them."""
    context = multiprocessing.get_context("fork")
    # The workers take the next group themselves, so none waits for the parent to hand
    # one out while the caller is busy with a result; each takes a ticket first, and the
    # parent gives one back for each group it has yielded in full.
    tickets = context.Semaphore(max(1, ahead))
    taken = _Counter(context)
    workers: list[tuple[object, Connection]] = []   # (process, its results)
    finished = False
    try:
        for _ in range(max(1, min(jobs, len(groups)))):
            reader, writer = context.Pipe(duplex=False)
            _enlarge(writer)
            process = context.Process(target=_work, args=(function, groups, tickets, taken, writer),
                                      daemon=True)
            process.start()
            writer.close()
            workers.append((process, reader))
        readers = [reader for _, reader in workers]
        done: dict[int, object] = {}
        for index in range(len(groups)):
            while index not in done:
                if not readers:
                    raise WorkerError("the worker processes stopped before finishing their work")
                for reader in wait(readers):
                    try:
                        answered, value = reader.recv()  # type: ignore[union-attr]
                    except EOFError:
                        # A worker stops when no group is left for it; any other stop is a failure.
                        process = workers[[r for _, r in workers].index(reader)][0]  # type: ignore[arg-type]
                        process.join()  # type: ignore[attr-defined]
                        if process.exitcode:  # type: ignore[attr-defined]
                            raise WorkerError(
                                f"a worker process stopped without finishing its work "
                                f"(exit code {process.exitcode}); "  # type: ignore[attr-defined]
                                f"if the machine ran out of memory, try --jobs 1") from None
                        readers.remove(reader)  # type: ignore[arg-type]
                        continue
                    done[answered] = value
            value = done.pop(index)
            if isinstance(value, _Failure):
                value.raise_it()
            yield value
            tickets.release()
        finished = True
    finally:
        if finished:
            for _ in workers:   # each takes one more ticket, finds no group left and stops
                tickets.release()
        for process, reader in workers:
            if not finished:
                process.terminate()  # type: ignore[attr-defined]
            process.join()  # type: ignore[attr-defined]
            reader.close()


class _Counter:
    """A number the forked workers share, each taking the next: a shared anonymous
    page and a lock (multiprocessing.Value's ctypes took 26 ms to import, at every
    build's start)."""

    def __init__(self, context):
        self._lock = context.Lock()
        self._page = mmap.mmap(-1, 8)

    def next(self) -> int:
        with self._lock:
            value = int.from_bytes(self._page[:8], "little")
            self._page[:8] = (value + 1).to_bytes(8, "little")
        return value


def _enlarge(pipe: Connection) -> None:
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, RESULT_PIPE_BYTES)
    except (OSError, AttributeError):
        pass    # a smaller pipe only means the worker may wait for the parent to read


# A worker's young-object collections: one per this many allocations, not Python's 700.
# A worker lives for one phase of one build, its inherited heap is frozen, and what it
# keeps (the story cards and timeline moments it has made) only grows, and the older
# generations' collections (every 7,000 and 70,000 allocations by default) walked it
# again and again: 5-10% of rendering a page.
WORKER_GC_THRESHOLD = 20_000


def _work(function: Callable, groups: Sequence, tickets, taken: _Counter, results: Connection) -> None:
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        while True:
            tickets.acquire()
            index = taken.next()
            if index >= len(groups):
                return
            try:
                value = function(groups[index])
            except KeyboardInterrupt:
                raise
            except BaseException as error:
                value = _Failure(error)
            try:
                results.send((index, value))
            except (pickle.PicklingError, TypeError, AttributeError) as error:   # nothing sent yet
                results.send((index, _Failure(error)))
    except (BrokenPipeError, KeyboardInterrupt):
        return


# --- a parallel map over the workers --------------------------------------------

# Below this many articles a process pool costs more than it saves.
PARALLEL_THRESHOLD = 150
WINDOW = 512    # parallel_results keeps at most two windows of results in flight
CHUNK = 16      # most items a worker takes at once, unless parallel_results is told a batch size


def process_count(requested: int) -> int:
    """How many processes `--jobs N` means: N, or one per core for 0."""
    return requested if requested > 0 else (os.cpu_count() or 1)


# What parallel_map's `state` hands the function, in this process or in workers:
# they are forked after it is set, so they inherit it instead of receiving a
# pickled copy per task.
WORKER: dict[str, object] = {}


def parallel_map(function: Callable, items: Sequence, jobs: int, state: dict, *,
                 progress: Progress | None = None, batch: int = 0) -> list:
    """[function(item) for item in items], on `jobs` forked processes when there are enough
    items; `function` finds `state` in WORKER. batch: see parallel_results."""
    return list(parallel_results(function, items, jobs, state, progress=progress, batch=batch))


def parallel_results(function: Callable, items: Sequence, jobs: int, state: dict, *,
                     progress: Progress | None = None, batch: int = 0) -> Iterator:
    """parallel_map's results one by one, in order, as they come: the caller can use
    each (write it out) while the workers go on with the next.

    batch: when given, `function` takes a list of up to `batch` items and returns
    their results in order, so that it can do one stage at a time over them."""
    progress = progress or Progress.none()
    WORKER.update(state)
    frozen = False
    try:
        jobs = process_count(jobs)
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
