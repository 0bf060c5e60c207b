#!/usr/bin/env python3
"""The benchmark (`make bench`): our build on 1,000 / 4,000 / 10,000 synthetic articles, beside Hugo.

    python benchmarks/run.py                     all sizes (takes a while)
    python benchmarks/run.py --sizes 200         a quick run
    python benchmarks/run.py --profile --sizes 1000
                                                 where a cold build spends its time

It talks to our code only through the command line (`build.py ingest|build`
with --seeds/--content/--output/--cache --quiet), each size in a fresh folder
under benchmarks/work/. It prints one markdown table and writes it, with the
machine it ran on, to benchmarks/work/results.md. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import edits as editing  # noqa: E402
import hugo_site  # noqa: E402

SIZES = (1000, 4000, 10000)
WORK = HERE / "work"
PROFILE_LINES = 25
REPEAT = 3          # cold builds of each size, ours and Hugo's taking turns; the table has the medians
SETTLE_S = 61       # see settle()


class BenchError(Exception):
    """A step failed: the message says which and what the CLI printed."""


@dataclass(frozen=True)
class Folders:
    """One size's scratch folders, as passed to build.py."""

    root: Path
    seeds: Path
    content: Path
    output: Path
    cache: Path

    @classmethod
    def under(cls, root: Path) -> "Folders":
        return cls(root, *(root / name for name in ("seeds", "content", "output", "cache")))


@dataclass
class Row:
    articles: int
    dump_mb: float
    generate_s: float
    content_files: int | None = None
    ingest_s: float | None = None
    cold_s: float | None = None
    rebuild_s: float | None = None
    edit_s: float | None = None
    cold_rss_mb: float | None = None
    pages: int | None = None
    serve_ms: float | None = None
    hugo_s: float | None = None
    hugo_pages: int | None = None
    hugo_rss_mb: float | None = None
    search_s: float | None = None
    search_rss_mb: float | None = None
    cold_search_s: float | None = None      # the default build: with the search index in parts
    cold_search_rss_mb: float | None = None
    edit_search_s: float | None = None
    hugo_search_s: float | None = None      # Pagefind over Hugo's output
    hugo_search_rss_mb: float | None = None
    cold_timings: str | None = None
    edit_timings: str | None = None
    edit_kinds: str | None = None       # edit_kinds()'s table: every kind of edit, ours and Hugo's server
    cold_runs: tuple[float, ...] = ()
    hugo_runs: tuple[float, ...] = ()

    @property
    def ratio(self) -> float | None:
        if self.cold_s is None or not self.hugo_s:
            return None
        return self.cold_s / self.hugo_s


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def precompile() -> str:
    """Compile the package's modules to __pycache__ first, as a first run does in a default
    Python; with PYTHONDONTWRITEBYTECODE set (as on some CI machines) every timed command
    would otherwise compile them again, about 90 ms each time."""
    subprocess.run([python(), "-m", "compileall", "-q", str(ROOT / "briefing")], check=True)
    return ("The package is compiled to bytecode before timing (`compileall`), as after any "
            "first run when PYTHONDONTWRITEBYTECODE is not set.")


def cli(command: str, folders: Folders, extra: list[str], *, prefix: list[str] | None = None,
        stderr_out: list[str] | None = None) -> tuple[float, float]:
    """Run `build.py <command>` on these folders; (seconds, peak RSS MB of that process tree's largest process).
    stderr_out, when given, receives what it printed on stderr (e.g. its --timings line)."""
    argv = [python(), *(prefix or []), str(ROOT / "build.py"), command,
            "--seeds", str(folders.seeds), "--content", str(folders.content),
            "--output", str(folders.output), "--cache", str(folders.cache), "--quiet", *extra]
    seconds, status, stderr, rss = hugo_site.run_measured(argv, cwd=ROOT)
    if status != 0:
        tail = "\n".join(stderr.strip().splitlines()[-15:]) or "(nothing on stderr)"
        raise BenchError(f"`build.py {command}` failed with exit status {status} "
                         f"in {folders.root}:\n{tail}")
    if stderr_out is not None:
        stderr_out.append(stderr)
    return seconds, rss


def search_index(folders: Folders) -> tuple[float, float]:
    """Pagefind over the whole built site in one index, as `build.py build` ran it before
    the index was split into parts: (seconds, peak RSS MB)."""
    return pagefind(folders.output, folders.root / "whole-index")


def pagefind(site: Path, into: Path) -> tuple[float, float]:
    """Pagefind over a site into a folder of its own: (seconds, peak RSS MB)."""
    shutil.rmtree(into, ignore_errors=True)
    argv = [python(), "-m", "pagefind", "--site", str(site), "--output-path", str(into), "--silent"]
    seconds, status, stderr, rss = hugo_site.run_measured(argv, cwd=ROOT)
    if status != 0:
        raise BenchError(f"Pagefind failed with exit status {status}: {stderr.strip()[-2000:]}")
    return seconds, rss


def prepare(n: int, seed: int, work: Path, news: bool = False) -> tuple[Folders, Row]:
    """A fresh folder with n articles' worth of dumps."""
    folders = Folders.under(work / f"n{n}")
    if folders.root.exists():
        shutil.rmtree(folders.root)
    started = time.perf_counter()
    # In a process of its own: the corpus is hundreds of MB as Python objects, and every
    # command measured later is forked from this process. Linux carries a process's peak
    # RSS across fork and exec, so a big benchmark process would inflate every peak we report.
    done = subprocess.run([python(), str(HERE / "generate.py"), "--articles", str(n), "--seed", str(seed),
                           "--out", str(folders.seeds), *(["--news"] if news else [])], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"generate.py failed: {done.stderr.strip()}")
    dumps = sorted(folders.seeds.glob("*.txt"))
    copy_site_settings(folders.content)
    row = Row(articles=n, dump_mb=sum(p.stat().st_size for p in dumps) / 1e6,
              generate_s=time.perf_counter() - started)
    print(f"[{n}] generated {len(dumps)} dumps, {row.dump_mb:.1f} MB in {row.generate_s:.1f} s", flush=True)
    return folders, row


def copy_site_settings(content: Path) -> None:
    """The repo's content/ settings (site.yaml, topics.yaml, ...: every file beside articles/), not its articles."""
    content.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "content").iterdir()):
        if path.is_file():
            shutil.copy2(path, content / path.name)


def content_files(folders: Folders) -> list[Path]:
    return sorted((folders.content / "articles").glob("*.md"))


def edit_one_title(folders: Folders, pick: int = 0) -> Path:
    """Change the title in one content file's front matter, as an editor would: one line, in place.

    The file is the middle one in name order, or `pick` files after it (wrapping round), so
    repeated edits can each touch a different article."""
    path, edited = title_edit(folders, pick)
    path.write_text(edited, encoding="utf-8")
    return path


def title_edit(folders: Folders, pick: int = 0) -> tuple[Path, str]:
    """The file edit_one_title would change and its text after the change, not yet written."""
    files = content_files(folders)
    if not files:
        raise BenchError(f"no content files in {folders.content / 'articles'} to edit")
    path = files[(len(files) // 2 + pick) % len(files)]
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^title:[ \t]*(['\"]?)", text, re.M)
    if not match or not text.startswith("---"):
        raise BenchError(f"{path}: no `title:` line in its front matter")
    return path, text[:match.end()] + "Edited " + text[match.end():]


SERVE_EDITS = 3
SERVE_SETTLE = 1.0
_SERVING = re.compile(r"^Serving .* on (http://\S+)")
_RELOAD = re.compile(r"^reload sent (\d+) ms after the save \((\d+) file\(s\) changed\)")
_REBUILT = re.compile(r"^rebuilt \d+ page\(s\)")
_WARM = re.compile(r"^warm: every feed and page made once, in ([\d.]+) s")


@dataclass(frozen=True)
class ServeEdit:
    """One title edit under `serve`: the server's own figure and ours, in ms."""

    path: Path
    server_ms: float   # printed by serve: from the file's mtime to the reload being sent
    wall_ms: float     # ours: from just before our write to reading that line from its stdout
    timings: str = ""  # serve's --timings line for the rebuild: where its time went
    kind: str = "title prefixed"    # which edit (editing.KINDS)

    @property
    def ms(self) -> float:
        return max(self.server_ms, self.wall_ms)


class _ServeProcess:
    """`build.py serve` (or `hugo server`: name) as a child process, its merged
    stdout/stderr read line by line on a thread."""

    def __init__(self, argv: list[str], name: str = "`build.py serve`"):
        self.name = name
        import collections
        import queue
        import threading

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, encoding="utf-8", errors="replace", bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        self.tail: collections.deque = collections.deque(maxlen=40)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            seen = time.time()
            line = line.rstrip("\n")
            self.tail.append(line)
            self.lines.put((seen, line))
        self.lines.put((time.time(), None))  # end of output: the server exited

    def next_line(self, deadline: float, waiting_for: str) -> tuple[float, str]:
        """The next line and when it was read; BenchError on timeout or exit."""
        import queue

        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise queue.Empty
            seen, line = self.lines.get(timeout=remaining)
        except queue.Empty:
            raise self.error(f"timed out waiting for {waiting_for}") from None
        if line is None:
            self.process.wait()
            raise self.error(f"exited with status {self.process.returncode} while waiting for {waiting_for}")
        return seen, line

    def failed(self, what: str, linger: float = 2.0) -> BenchError:
        """error() once serve has finished reporting (its traceback, up to its next
        `Serving` or `reload sent` line), waiting at most `linger` seconds for that."""
        import queue

        deadline = time.monotonic() + linger
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                _, line = self.lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None or _SERVING.match(line) or _RELOAD.match(line):
                break
        return self.error(what)

    def error(self, what: str) -> BenchError:
        tail = "\n".join(self.tail) or "(no output)"
        return BenchError(f"{self.name} {what}; its last output:\n{tail}")

    def drain(self, what: str) -> None:
        """Forget what it printed so far (none of it is about the edit to come)."""
        while not self.lines.empty():
            _, line = self.lines.get_nowait()
            if line is None:
                raise self.error(f"exited {what}")

    def stop(self, timeout: float = 30.0) -> int:
        """Ctrl-C, as an editor would stop it; killed if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise self.error(f"did not stop within {timeout:.0f} s of SIGINT (killed)") from None
        self._reader.join(timeout=5)
        return self.process.returncode


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _failed(line: str) -> bool:
    """serve's own report of a failed ingest or build (its stderr is merged into what we read)."""
    return line.startswith("error:") or line.startswith("Traceback") or "rebuild failed" in line


def serve_timeouts(articles: int) -> tuple[float, float]:
    """Generous (start-up, per-edit) timeouts in seconds. Start-up is an ingest that finds nothing
    new plus a whole first build; both grow with the site (on a 2-CPU machine ~25 s and ~7 s per
    edit at 2,000 articles), so the limits do too: 120 s / 60 s, plus 60 ms / 30 ms per article."""
    return 120.0 + 0.06 * articles, 60.0 + 0.03 * articles


def serve_edits(folders: Folders, *, edits: int = SERVE_EDITS, startup_timeout: float | None = None,
                edit_timeout: float | None = None, settle: float = SERVE_SETTLE,
                kinds: Sequence[str] = ()) -> list[ServeEdit]:
    """Start `build.py serve` on these folders, edit `edits` titles one after another, and time each
    from the save to serve's `reload sent ...` line. Through the command line only.

    --seeds is the size's own (already ingested) dumps folder, so serve's start-up ingest finds
    nothing new and no edit makes it ingest again (it ingests only when a dump changes); without
    it serve would ingest the repo's seeds/ into this content folder. --no-search always: serve
    indexes only in its first build, never on a rebuild, so the edit timings do not depend on it.
    Not --quiet: serve prints the reload line only when not quiet. kinds: instead of `edits`
    title edits, one edit of each of these kinds (editing.KINDS), in turn."""
    default_startup, default_edit = serve_timeouts(len(content_files(folders)))
    startup_timeout = default_startup if startup_timeout is None else startup_timeout
    edit_timeout = default_edit if edit_timeout is None else edit_timeout
    argv = [python(), "-u", str(ROOT / "build.py"), "serve",
            "--seeds", str(folders.seeds), "--content", str(folders.content),
            "--output", str(folders.output), "--cache", str(folders.cache),
            "--host", "127.0.0.1", "--port", str(free_port()), "--no-search", "--timings"]
    server = _ServeProcess(argv)
    results: list[ServeEdit] = []
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            _, line = server.next_line(deadline, f"it to start serving ({startup_timeout:.0f} s)")
            if _failed(line):
                raise server.failed("failed its start-up ingest or first build")
            if _SERVING.match(line):
                break
        # Edits are timed once serve has made every feed and page once while idle (as it
        # has a few seconds after start-up for an editor): the steady state of a session.
        while True:
            _, line = server.next_line(deadline, f"it to make every feed and page once ({startup_timeout:.0f} s)")
            if _failed(line):
                raise server.failed("failed while making every feed and page once")
            warm = _WARM.match(line)
            if warm:
                print(f"serve: every feed and page made once, in {warm.group(1)} s", flush=True)
                break
        for pick, kind in enumerate(kinds or ["title prefixed"] * edits, start=1):
            time.sleep(settle)  # let the poll loop see a quiet tree before the save
            server.drain("before the edit")
            if kinds:
                path, text = editing.planned_edit(kind, folders.content / "articles", pick)
                saved = time.time()
                editing.make(path, text)
            else:
                path, edited = title_edit(folders, pick)  # listing 10,000 files takes a while: not timed
                saved = time.time()
                path.write_text(edited, encoding="utf-8")
            deadline = time.monotonic() + edit_timeout
            rebuilt, timings = False, ""
            while True:
                seen, line = server.next_line(deadline, f"the reload after editing {path.name} "
                                                        f"({edit_timeout:.0f} s)")
                if _failed(line):
                    raise server.failed(f"failed to rebuild after editing {path.name}")
                if _REBUILT.match(line):
                    rebuilt = True
                if line.startswith("timings: "):
                    timings = line.removeprefix("timings: ").strip()
                reload = _RELOAD.match(line)
                if reload:
                    break
            if not rebuilt:
                raise server.error(f"sent a reload after editing {path.name} without a good rebuild")
            if reload.group(2) != "1":
                raise server.error(f"saw {reload.group(2)} changed files for the one edit of {path.name}")
            results.append(ServeEdit(path, float(reload.group(1)), (seen - saved) * 1000, timings, kind))
        status = server.stop()
    finally:
        if server.process.poll() is None:  # on the way out with an error: stop it all the same
            try:
                server.stop(timeout=10)
            except BenchError:
                pass
    if status != 0:
        raise server.error(f"exited with status {status} after SIGINT")
    return results


def measure_serve_edit(folders: Folders, **options) -> float:
    """Milliseconds from saving a one-article title edit to `serve` sending the browsers a reload.

    The median of three edits, each a different article (see serve_edits). Each edit counts
    as the larger of serve's own figure (from the file's mtime) and ours (from just before our
    write to reading serve's line), so neither clock flatters it; both are printed."""
    results = serve_edits(folders, **options)
    for result in results:
        print(f"serve: reload {result.ms:.0f} ms after editing the title of {result.path.name} "
              f"(serve says {result.server_ms:.0f} ms, wall clock {result.wall_ms:.0f} ms)", flush=True)
        if result.timings:
            print(f"serve:   {result.timings}", flush=True)
    return statistics.median(result.ms for result in results)


_HUGO_READY = re.compile(r"Web Server is available at")
_HUGO_TOTAL = re.compile(r"Total in (\d+) ms")


def hugo_server_edits(site: Path, kinds: Sequence[str], *, settle: float = SERVE_SETTLE,
                      timeout: float = 120.0) -> list[tuple[str, float, float]]:
    """`hugo server` on a Hugo site made from our content: each kind of edit made to its
    pages in turn, timed from the save to Hugo's "Total in N ms" line. (kind, Hugo's own
    figure, ours from the save) in ms. Hugo serves from memory; ours writes output/."""
    argv = ["hugo", "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(free_port())]
    server = _ServeProcess(argv, "`hugo server`")
    results = []
    try:
        deadline = time.monotonic() + timeout
        while not _HUGO_READY.search(server.next_line(deadline, "it to start")[1]):
            pass
        for pick, kind in enumerate(kinds, start=1):
            time.sleep(settle)
            server.drain("before the edit")
            path, text = editing.planned_edit(kind, site / "content" / "articles", pick)
            saved = time.time()
            editing.make(path, text)
            deadline = time.monotonic() + timeout
            detected = False        # a "Total" line before Hugo saw this change is another's
            while True:
                seen, line = server.next_line(deadline, f"it to rebuild after editing {path.name}")
                detected = detected or "Change detected" in line
                total = _HUGO_TOTAL.search(line) if detected else None
                if total:
                    results.append((kind, float(total.group(1)), (seen - saved) * 1000))
                    break
    finally:
        try:
            server.stop(timeout=10)
        except BenchError:
            pass            # killed: the timings taken stand
    return results


def edit_kinds(n: int, folders: Folders, *, extra: list[str], hugo: bool) -> str:
    """Every kind of edit (editing.KINDS), on the articles as generated (without dates) and on
    a copy given dates: `build.py build` after each (with the cache of the build before),
    `serve`'s save -> reload, and Hugo's server on the same pages beside. A markdown table,
    with where each of our edits spent its time below it."""
    columns: dict[str, dict[str, float]] = {}
    where: list[str] = []
    for variant in ("undated", "dated"):
        content = folders.root / f"content-{variant}"
        if variant == "dated":
            editing.with_dates(folders.content, content)
        else:
            shutil.copytree(folders.content, content)
        runs = Folders(folders.root, folders.seeds, content, folders.root / f"output-{variant}",
                       folders.root / f"cache-{variant}")
        cli("build", runs, extra)
        build = columns.setdefault(f"`build`, {variant}", {})
        for pick, kind in enumerate(editing.KINDS, start=100):
            editing.make(*editing.planned_edit(kind, content / "articles", pick))
            printed: list[str] = []
            seconds, _ = cli("build", runs, [*extra, "--timings"], stderr_out=printed)
            build[kind] = seconds * 1000
            where.append(f"- `build`, {variant}, {kind}: {seconds * 1000:.0f} ms; {timings_line(printed)}")
        served = columns.setdefault(f"serve, {variant}", {})
        for result in serve_edits(runs, kinds=editing.KINDS):
            served[result.kind] = result.ms
            where.append(f"- serve, {variant}, {result.kind}: {result.ms:.0f} ms; {result.timings}")
        if hugo:
            site = folders.root / f"hugo-site-{variant}"
            hugo_site.write_site(content, runs.output / "api" / "articles.json", site)
            theirs = columns.setdefault(f"Hugo server, {variant}", {})
            for kind, total, wall in hugo_server_edits(site, editing.KINDS):
                theirs[kind] = wall
                where.append(f"- Hugo server, {variant}, {kind}: {wall:.0f} ms from the save (it says {total:.0f} ms)")
        print(f"[{n}] every kind of edit, {variant}: done", flush=True)
    names = list(columns)
    lines = [f"| edit, {n:,} articles | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for kind in editing.KINDS:
        lines.append(f"| {kind} | " + " | ".join(f"{columns[name][kind]:.0f}" if kind in columns[name] else "n/a"
                                              for name in names) + " |")
    medians = [statistics.median(columns[name].values()) if columns[name] else None for name in names]
    lines.append("| **median** | " + " | ".join(f"**{m:.0f}**" if m is not None else "n/a" for m in medians) + " |")
    table_text = "\n".join(lines) + "\n\nWhere each of ours went, and Hugo's own figure:\n\n" + "\n".join(where)
    print(f"[{n}] every kind of edit (ms: `build` the whole command, serve and Hugo from the save to the reload):")
    print(table_text, flush=True)
    return table_text


def measure(n: int, seed: int, work: Path, *, extra: list[str], hugo: bool,
            search: bool = True, repeat: int = REPEAT, news: bool = False, every_edit: bool = True) -> Row:
    folders, row = prepare(n, seed, work, news)
    row.ingest_s, _ = cli("ingest", folders, extra=[])
    row.content_files = len(content_files(folders))
    print(f"[{n}] ingest: {row.ingest_s:.1f} s -> {row.content_files} content files", flush=True)

    cold_builds(n, folders, row, extra=extra, hugo=hugo, repeat=repeat)
    # The default build (with the search index, in parts) in folders of its own.
    searching = Folders(folders.root, folders.seeds, folders.content, folders.root / "output-search",
                        folders.root / "cache-search")
    if search:
        printed = []
        row.cold_search_s, row.cold_search_rss_mb = cli("build", searching, ["--timings"], stderr_out=printed)
        print(f"[{n}] cold build with search: {row.cold_search_s:.1f} s, {row.cold_search_rss_mb:.0f} MB peak "
              f"(largest process, Pagefind's included)", flush=True)
        print(f"[{n}]   {timings_line(printed)}", flush=True)
        if hugo:
            row.hugo_search_s, row.hugo_search_rss_mb = pagefind(folders.root / "hugo-public-1",
                                                                 folders.root / "hugo-pagefind")
            print(f"[{n}] Pagefind over Hugo's output: {row.hugo_search_s:.1f} s, {row.hugo_search_rss_mb:.0f} MB peak",
                  flush=True)

    row.rebuild_s, _ = cli("build", folders, extra)
    print(f"[{n}] rebuild, nothing changed: {row.rebuild_s:.2f} s", flush=True)
    edited = edit_one_title(folders)
    printed: list[str] = []
    row.edit_s, _ = cli("build", folders, [*extra, "--timings"], stderr_out=printed)
    row.edit_timings = timings_line(printed)
    print(f"[{n}] rebuild after editing the title of {edited.name}: {row.edit_s:.2f} s", flush=True)
    print(f"[{n}]   {row.edit_timings}", flush=True)
    if search:  # the same edit, seen by the default build's own cache: one part re-indexed
        printed = []
        row.edit_search_s, _ = cli("build", searching, ["--timings"], stderr_out=printed)
        print(f"[{n}] with search, rebuild after the same edit: {row.edit_search_s:.2f} s", flush=True)
        print(f"[{n}]   {timings_line(printed)}", flush=True)

    row.serve_ms = measure_serve_edit(folders)
    print(f"[{n}] serve, 1 title edited: reload sent {row.serve_ms:.0f} ms after the save (median of "
          f"{SERVE_EDITS})", flush=True)

    if every_edit:
        row.edit_kinds = edit_kinds(n, folders, extra=extra, hugo=hugo)

    if search:
        row.search_s, row.search_rss_mb = search_index(folders)
        print(f"[{n}] one whole Pagefind index (as before the parts): {row.search_s:.1f} s, "
              f"{row.search_rss_mb:.0f} MB peak", flush=True)
    return row


def timings_line(printed: list[str]) -> str | None:
    return next((line.removeprefix("timings: ") for line in printed[0].splitlines()
                 if line.startswith("timings: ")), None)


def cold_builds(n: int, folders: Folders, row: Row, *, extra: list[str], hugo: bool, repeat: int) -> None:
    """Our cold build and Hugo's, taking turns, `repeat` times each: the medians go in the row.

    Taking turns puts both through the same minutes of a machine whose speed drifts. Each
    run writes into folders of its own and nothing is deleted until the whole benchmark
    is over: see settle()."""
    ours: list[tuple[float, float, str | None]] = []
    theirs: list[hugo_site.HugoRun] = []
    for run in range(1, repeat + 1):
        # The first run's output and cache are the ones the later steps go on with.
        runs = folders if run == 1 else Folders(folders.root, folders.seeds, folders.content,
                                                folders.root / f"output-{run}", folders.root / f"cache-{run}")
        printed: list[str] = []
        seconds, rss = cli("build", runs, [*extra, "--timings"], stderr_out=printed)
        timings = timings_line(printed)
        ours.append((seconds, rss, timings))
        print(f"[{n}] cold build {run}/{repeat}: {seconds:.1f} s, {rss:.0f} MB peak", flush=True)
        print(f"[{n}]   {timings}", flush=True)
        if not hugo:
            continue
        site = folders.root / "hugo-site"
        if run == 1:
            articles_json = folders.output / "api" / "articles.json"
            if not articles_json.is_file():
                raise BenchError(f"the build wrote no {articles_json}: Hugo needs its countries and topics")
            hugo_site.write_site(folders.content, articles_json, site)
        done = hugo_site.build_cold(site, folders.root / f"hugo-public-{run}")
        theirs.append(done)
        print(f"[{n}] hugo cold build {run}/{repeat}: {done.seconds:.2f} s, {done.pages} pages, "
              f"{done.max_rss_mb:.0f} MB peak", flush=True)
    middle = sorted(ours)[(len(ours) - 1) // 2]
    row.cold_s, row.cold_timings = statistics.median(run[0] for run in ours), middle[2]
    row.cold_rss_mb = max(run[1] for run in ours)
    row.cold_runs = tuple(run[0] for run in ours)
    row.pages = hugo_site.count_pages(folders.output)
    if theirs:
        row.hugo_s = statistics.median(run.seconds for run in theirs)
        row.hugo_pages = theirs[0].pages
        row.hugo_rss_mb = max(run.max_rss_mb for run in theirs)
        row.hugo_runs = tuple(run.seconds for run in theirs)


def settle(seconds: float) -> None:
    """Wait until the file system has forgotten every file deleted before now.

    On ext4 without a journal (this machine's disk), creating a file skips each inode
    freed in the last 60 s, and reads its inode table to find that out: a build that
    starts soon after big folders were deleted can spend seconds in the kernel (a cold
    build of 4,000 articles here rendered in 4.1-4.3 s on a settled disk, and in 5.1 to
    9.3 s right after earlier outputs were deleted). Whichever program ran first after a
    deletion would pay for it, so the benchmark deletes its folders only at the end, and
    waits this long after clearing the last run's before it starts."""
    os.sync()  # the 60 s start once the inode tables are written back, 360 s before
    time.sleep(seconds)


# --- the table ----------------------------------------------------------------

COLUMNS = [
    ("articles", lambda r: f"{r.articles:,}"),
    ("dumps (MB)", lambda r: f"{r.dump_mb:.1f}"),
    ("content files", lambda r: _num(r.content_files, 0)),
    ("ingest (s)", lambda r: _num(r.ingest_s, 1)),
    ("cold build (s)", lambda r: _num(r.cold_s, 1)),
    ("rebuild, no change (s)", lambda r: _num(r.rebuild_s, 2)),
    ("rebuild, 1 title edited (s)", lambda r: _num(r.edit_s, 2)),
    ("cold build peak RSS (MB)", lambda r: _num(r.cold_rss_mb, 0)),
    ("pages", lambda r: _num(r.pages, 0)),
    ("serve rebuild, 1-article edit (ms)", lambda r: _num(r.serve_ms, 0)),
    ("cold build with search (s)", lambda r: _num(r.cold_search_s, 1)),
    ("with search: peak RSS (MB)", lambda r: _num(r.cold_search_rss_mb, 0)),
    ("with search: 1 title edited (s)", lambda r: _num(r.edit_search_s, 2)),
    ("one whole Pagefind index (s)", lambda r: _num(r.search_s, 1)),
    ("whole index peak RSS (MB)", lambda r: _num(r.search_rss_mb, 0)),
    ("Hugo cold (s)", lambda r: _num(r.hugo_s, 2)),
    ("Pagefind over Hugo (s)", lambda r: _num(r.hugo_search_s, 1)),
    ("Hugo + Pagefind (s)", lambda r: "n/a" if r.hugo_s is None or r.hugo_search_s is None
                                      else f"{r.hugo_s + r.hugo_search_s:.1f}"),
    ("Hugo pages", lambda r: _num(r.hugo_pages, 0)),
    ("Hugo peak RSS (MB)", lambda r: _num(r.hugo_rss_mb, 0)),
    ("ours / Hugo", lambda r: "n/a" if r.ratio is None else f"{r.ratio:.1f}x"),
]


def _num(value: float | None, digits: int) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    cells = [[name for name, _ in COLUMNS]] + [[cell(row) for _, cell in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]

    def line(values: list[str], header: bool = False) -> str:
        padded = [v.ljust(w) if header or i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(cells[0], header=True), rule] + [line(values) for values in cells[1:]])


def machine() -> str:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    hugo = hugo_site.hugo_version() or "not on PATH"
    return (f"{dt.datetime.now().isoformat(timespec='seconds')}, commit {commit}{' (modified)' if dirty else ''}, "
            f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, {hugo.split(' BuildDate')[0]}")


def write_results(rows: list[Row], notes: list[str], work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    path = work / "results.md"
    text = "# Benchmark results\n\n" + machine() + "\n\n" + table(rows) + "\n"
    if notes:
        text += "\n" + "\n".join(f"- {note}" for note in notes) + "\n"
    for title, field in (("a cold build", "cold_timings"), ("the rebuild after one title edit", "edit_timings")):
        profiles = [(row.articles, getattr(row, field)) for row in rows if getattr(row, field)]
        if profiles:
            text += f"\n## Where {title} spends its time (`build.py build --timings`)\n\n"
            text += "\n".join(f"- {n:,} articles: {timings}" for n, timings in profiles) + "\n"
    for row in rows:
        if row.edit_kinds:
            text += f"\n## Every kind of edit at {row.articles:,} articles\n\n{row.edit_kinds}\n"
    path.write_text(text, encoding="utf-8")
    return path


# --- profile ------------------------------------------------------------------

def profile(n: int, seed: int, work: Path, extra: list[str], keep: bool) -> None:
    """A cold build of n articles under cProfile; the top functions by cumulative time."""
    folders, _ = prepare(n, seed, work)
    cli("ingest", folders, extra=[])
    stats_file = work / f"profile-{n}.prof"
    seconds, _ = cli("build", folders, extra, prefix=["-m", "cProfile", "-o", str(stats_file)])
    if not keep:
        shutil.rmtree(folders.root, ignore_errors=True)
    print(f"\ncold build of {n} articles under cProfile: {seconds:.1f} s (profiling slows it down); "
          f"top {PROFILE_LINES} by cumulative time.")
    print("Work done in the build's worker processes shows up as waiting in the pool (pool.map).\n")
    stats = pstats.Stats(str(stats_file))
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    with open(work / f"profile-{n}.txt", "w", encoding="utf-8") as out:
        pstats.Stats(str(stats_file), stream=out).sort_stats("cumulative").print_stats(PROFILE_LINES)
    print(f"full profile: {stats_file} (python -m pstats), top {PROFILE_LINES}: {work / f'profile-{n}.txt'}")


# --- command line -------------------------------------------------------------

def sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in re.split(r"[,\s]+", text.strip()) if part]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are article counts like 1000,4000: {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give at least one positive article count")
    return values


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a count of at least 1, not {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark build.py against Hugo on synthetic articles.")
    parser.add_argument("--sizes", type=sizes, default=list(SIZES),
                        help="article counts, comma-separated (default: 1000,4000,10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic dumps")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch folder (default: benchmarks/work)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-search", action="store_true", help="do not time the Pagefind index")
    parser.add_argument("--news", action="store_true",
                        help="news-like text: a 40,000-word Zipf-distributed vocabulary (generate.py --news)")
    parser.add_argument("--keep", action="store_true", help="keep each size's folders (they are large)")
    parser.add_argument("--repeat", type=positive, default=REPEAT,
                        help=f"cold builds per size, ours and Hugo's in turn (default {REPEAT})")
    parser.add_argument("--no-settle", dest="settle", action="store_false",
                        help=f"start at once, without waiting {SETTLE_S} s for the disk (see settle())")
    parser.add_argument("--no-edits", dest="every_edit", action="store_false",
                        help="do not time every kind of edit (build, serve and Hugo's server, with and "
                             "without dates), only title edits")
    parser.add_argument("--profile", action="store_true",
                        help="instead: profile one cold build of the first size (default 1000)")
    args = parser.parse_args(argv)
    # Every build is timed without the search index, as Hugo builds none; the index is
    # timed on its own ("+ search index") unless --no-search.
    extra = ["--no-search"]

    try:
        if args.profile:
            profile(args.sizes[0], args.seed, args.work, extra, args.keep)
            return 0
        hugo = not args.no_hugo and hugo_site.hugo_version() is not None
        notes = [precompile()]
        if not args.no_hugo and not hugo:
            notes.append("Hugo columns are n/a: hugo is not on PATH (apt-get install hugo).")
        notes.append("Build columns are without the Pagefind search index (`--no-search`), like Hugo's "
                     "build; 'with search' columns are the default `build.py build` (the index in parts, "
                     "each part re-indexed only when its pages changed) in folders of their own, its peak "
                     "RSS the largest process's, Pagefind's included; 'one whole Pagefind index' is Pagefind "
                     "over the whole output at once, as builds ran it before the parts; 'Pagefind over "
                     "Hugo' indexes every page of Hugo's output.")
        notes.append(f"Cold builds: {args.repeat} of ours and {args.repeat if hugo else 0} of Hugo's per size, "
                     "taking turns; the table has the medians and the largest peak RSS.")
        roots = [Folders.under(args.work / f"n{n}").root for n in args.sizes]
        stale = [root for root in roots if root.exists()]
        for root in stale:
            shutil.rmtree(root)
        if args.settle:
            print(f"waiting {SETTLE_S} s for the file system to settle (see settle() in benchmarks/run.py)",
                  flush=True)
            settle(SETTLE_S)
            notes.append(f"Before the first step the benchmark waited {SETTLE_S} s after `sync`, and it deletes "
                         "its folders only at the end: see settle() in benchmarks/run.py.")
        rows = []
        try:
            for n in args.sizes:
                rows.append(measure(n, args.seed, args.work, extra=extra, hugo=hugo,
                                    search=not args.no_search, repeat=args.repeat, news=args.news,
                                    every_edit=args.every_edit))
        finally:
            if not args.keep:
                for root in roots:
                    shutil.rmtree(root, ignore_errors=True)
    except BenchError as error:
        print(f"benchmark stopped: {error}", file=sys.stderr)
        return 1
    for row in rows:
        runs = ", ".join(f"{s:.1f}" for s in row.cold_runs)
        hugo_runs = ", ".join(f"{s:.2f}" for s in row.hugo_runs) or "none"
        notes.append(f"{row.articles:,} articles, cold builds in turn: ours {runs} s; Hugo {hugo_runs} s.")
    print()
    print(table(rows))
    path = write_results(rows, notes, args.work)
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
