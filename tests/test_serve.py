"""`python build.py serve` over HTTP: live-reload script, error banner, 404, clean stop."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from briefing.serve import inject_banner
from test_build import ROOT, make_project, tree


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(predicate, timeout: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


class Served:
    """`build.py serve` on a fresh copy of the project in tmp, with its own build cache.

    search=True also builds the Pagefind index (slower to start); by default the
    server runs with --no-search.
    """

    def __init__(self, tmp: Path, *extra: str, search: bool = False, ignore_sigint: bool = False,
                 dumps: tuple[Path, ...] = (), env: dict[str, str] | None = None):
        self.paths = make_project(tmp)
        for dump in dumps:      # more dumps beside the seeds
            shutil.copy(dump, self.paths["seeds"] / dump.name)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(self.port),
             "--seeds", str(self.paths["seeds"]), "--content", str(self.paths["content"]),
             "--output", str(self.paths["output"]), "--cache", str(tmp / "cache"),
             *(() if search else ("--no-search",)), *extra],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, cwd=tmp, env={**os.environ, **(env or {})},
            # As a background job or a script's child starts: with Ctrl-C ignored.
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None)
        wait_for(lambda: self.alive() and "Serving" in self.log.read_text(), timeout=90 if search else 60)

    def alive(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()
        return True

    def stop(self, how: int = signal.SIGINT) -> int:
        self.process.send_signal(how)
        return self.process.wait(timeout=15)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture()
def served(tmp_path):
    server = Served(tmp_path)
    yield server
    server.close()


def test_pages_are_served_with_the_reload_script_but_output_stays_clean(served):
    status, page = fetch(served.url + "/")
    assert status == 200 and "livereload.js" in page
    on_disk = (served.paths["output"] / "index.html").read_text()
    assert "livereload" not in on_disk


def test_once_idle_it_makes_every_feed_and_page_once_and_says_so(served):
    wait_for(lambda: "warm: every feed and page made once" in served.log.read_text(), timeout=30)


def test_unknown_path_gets_the_404_page(served):
    status, page = fetch(served.url + "/no/such/page/")
    assert status == 404 and "<title>" in page


def test_an_edit_appears_and_a_broken_save_shows_the_banner_until_fixed(served):
    articles = served.paths["content"] / "articles"
    target = sorted(articles.glob("*.md"))[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    wait_for(lambda: "Edited " in fetch(served.url + "/")[1], timeout=5)

    broken = articles / "zz-broken.md"
    broken.write_text("---\ntitle: [oops\n---\nBody\n", encoding="utf-8")
    page = wait_for(lambda: (lambda p: p if "briefing-build-error" in p else None)(fetch(served.url + "/")[1]),
                    timeout=5)
    assert "zz-broken.md:3" in page
    assert "Edited " in page  # the last good build is still shown under the banner
    broken.unlink()
    wait_for(lambda: "briefing-build-error" not in fetch(served.url + "/")[1], timeout=5)
    served.alive()


def test_a_new_dump_is_ingested_while_serving(served):
    dump = served.paths["seeds"] / "010_new.txt"
    dump.write_text("Ghana Holds Peaceful Vote\n\nVoters queue in Accra.\nVoters queue in Accra.\nTT\n\n"
                    "Ghana Holds Peaceful Vote\n\nVoters queue in Accra.\nVoters queue in Accra.\n\n"
                    "Ghana voted on Saturday in an election observers called calm and orderly.\n\n"
                    "The electoral commission in Accra said results would follow within three days.\n",
                    encoding="utf-8")
    wait_for(lambda: "Ghana Holds Peaceful Vote" in fetch(served.url + "/")[1], timeout=10)
    assert (served.paths["content"] / "articles" / "ghana-holds-peaceful-vote.md").exists()


def test_ctrl_c_stops_cleanly_and_leaves_the_cache_for_the_next_build(served, tmp_path):
    assert served.stop() == 0
    log = served.log.read_text()
    assert "Traceback" not in log and "stopped" in log
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--seeds", str(served.paths["seeds"]),
         "--content", str(served.paths["content"]), "--output", str(served.paths["output"]),
         "--cache", str(tmp_path / "cache"), "--no-search"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "nothing changed" in done.stderr + done.stdout


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "term", "hup"])
def test_stopped_right_after_an_edit_it_saves_the_cache_with_the_edit(served, tmp_path, how):
    # Stopped before its idle save (SAVE_IDLE_SECONDS): only the way out can save the edit.
    target = sorted((served.paths["content"] / "articles").glob("*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1),
                      encoding="utf-8")
    wait_for(lambda: "Edited " in fetch(served.url + "/")[1], timeout=10)
    assert served.stop(how) == 0
    assert "stopped" in served.log.read_text()
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--seeds", str(served.paths["seeds"]),
         "--content", str(served.paths["content"]), "--output", str(served.paths["output"]),
         "--cache", str(tmp_path / "cache"), "--no-search"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "nothing changed" in done.stderr + done.stdout, done.stderr


def test_ctrl_c_stops_it_even_when_started_with_ctrl_c_ignored(tmp_path):
    server = Served(tmp_path, ignore_sigint=True)
    try:
        assert server.stop() == 0 and "stopped" in server.log.read_text()
    finally:
        server.close()


def test_busy_port_gives_a_clear_message(served, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    paths = make_project(other)
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(served.port), "--no-search",
         "--seeds", str(paths["seeds"]), "--content", str(paths["content"]), "--output", str(paths["output"])],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "--port" in done.stderr and "Traceback" not in done.stderr


def test_banner_goes_first_in_body_and_escapes_the_message():
    page = inject_banner('<html><body class="x"><main>hi</main></body></html>', "bad <script>")
    assert page.index("briefing-build-error") > page.index('<body class="x">')
    assert "&lt;script&gt;" in page and "bad <script>" not in page


# --- when serve rebuilds: Session.poll, driven by hand -----------------------------

@pytest.fixture()
def session(tmp_path):
    from briefing import pipeline, serve

    paths = make_project(tmp_path)
    options = pipeline.Options(seeds=paths["seeds"], content=paths["content"], templates=ROOT / "templates",
                               output=paths["output"], cache=None, quiet=True, search=False)
    pipeline.run_ingest(options, pipeline.Reporter(quiet=True))
    live = serve.Session(options, pipeline.Reporter(quiet=True))
    live.built_snapshot = serve.snapshot(live.watched)
    live.rebuilds = []
    live.rebuild = lambda changed: live.rebuilds.append(sorted(Path(p).name for p in changed)) or True
    return live


def poll_until_quiet(session, polls: int = 4) -> None:
    for _ in range(polls):
        session.poll()
        time.sleep(0.03)


def test_several_files_saved_at_once_give_one_rebuild(session):
    articles = sorted((session.options.content / "articles").glob("*.md"))[:3]
    for path in articles:
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    poll_until_quiet(session)
    assert session.rebuilds == [sorted(p.name for p in articles)]


def test_a_fresh_save_is_looked_at_again_as_soon_as_it_is_quiet(session, monkeypatch):
    from briefing import serve

    # Longer than the write and first look below take even on a busy machine, and shorter
    # than a tick of the poll (POLL_SECONDS), so that the look again is asked for.
    monkeypatch.setattr(serve, "QUIET_SECONDS", 0.04)
    asked: list[float] = []
    session.look_again = asked.append
    path = sorted((session.options.content / "articles").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    session.poll()
    assert session.rebuilds == []       # younger than QUIET_SECONDS: perhaps still being written
    assert len(asked) == 1 and 0 < asked[0] <= serve.QUIET_SECONDS + 0.005
    time.sleep(asked[0])
    session.poll(quick=True)            # what the event loop does after that delay
    assert session.rebuilds == [[path.name]]


def test_the_quick_second_look_builds_nothing_that_changed_again(session):
    session.look_again = lambda delay: None
    path = sorted((session.options.content / "articles").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    session.poll()
    path.write_text(path.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    session.poll(quick=True)            # still being written: not built
    assert session.rebuilds == []
    poll_until_quiet(session)
    assert session.rebuilds == [[path.name]]


def test_a_reported_change_is_looked_at_alone_and_built_once_quiet(session, monkeypatch):
    from briefing import serve

    asked: list[float] = []
    session.look_again = asked.append
    path = sorted((session.options.content / "articles").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    monkeypatch.setattr(serve, "snapshot", lambda folders: pytest.fail("walked every folder"))
    monkeypatch.setattr(serve, "changed_paths", lambda before, after: pytest.fail("compared every file's stamps"))
    hidden = path.with_name("." + path.name + ".swp")   # an editor's swap file: not watched
    session.hint([str(path), str(path), str(hidden)])
    assert session.hinted == {str(path)} and asked == [0]
    session.poll(quick=True)            # at once: too fresh to build
    assert session.rebuilds == [] and len(asked) == 2
    time.sleep(asked[-1])
    session.poll(quick=True)
    assert session.rebuilds == [[path.name]]


def test_a_reported_folder_change_walks_every_folder(session, monkeypatch):
    from briefing import serve

    walked = []
    real = serve.snapshot
    monkeypatch.setattr(serve, "snapshot", lambda folders: walked.append(1) or real(folders))
    session.look_again = lambda delay: None
    session.hint([str(session.options.content / "articles" / "new-folder")], folder=True)
    session.poll(quick=True)
    assert walked == [1]


def test_a_file_being_written_is_not_built_half_written(session):
    import os

    from briefing import serve

    path = sorted((session.options.content / "articles").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    old = time.time_ns() - 60 * 10**9    # saved a minute ago
    os.utime(path, ns=(old, old))
    session.built_snapshot = serve.snapshot(session.watched)
    path.write_bytes(b"")
    os.utime(path, ns=(old, old))     # truncated, mtime not yet stamped: as some file systems show it
    session.poll()
    assert session.rebuilds == []
    path.write_text(text + "\nMore.\n", encoding="utf-8")
    poll_until_quiet(session)
    assert session.rebuilds == [[path.name]]


def test_a_file_saved_during_a_rebuild_is_built_next(session):
    first, second = sorted((session.options.content / "articles").glob("*.md"))[:2]
    record = session.rebuild

    def rebuild_while_the_editor_saves_again(changed):
        if not session.rebuilds:
            second.write_text(second.read_text(encoding="utf-8") + "\nSaved meanwhile.\n", encoding="utf-8")
        return record(changed)

    session.rebuild = rebuild_while_the_editor_saves_again
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    poll_until_quiet(session, polls=6)
    assert session.rebuilds == [[first.name], [second.name]]


def test_a_file_saved_elsewhere_during_an_ingest_rebuild_is_built_next(session, tmp_path):
    elsewhere = tmp_path / "watched-templates"
    elsewhere.mkdir()
    (elsewhere / "home.html").write_text("v1", encoding="utf-8")
    session.watched.append(elsewhere)
    session.built_snapshot = snapshot_of(session)
    record = session.rebuild

    def ingest_while_the_editor_saves_a_template(changed):
        if not session.rebuilds:
            (elsewhere / "home.html").write_text("v2, saved during the rebuild", encoding="utf-8")
        return record(changed)

    session.rebuild = ingest_while_the_editor_saves_a_template
    dump = sorted(session.options.seeds.glob("*.txt"))[0]
    dump.write_text(dump.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    poll_until_quiet(session, polls=6)
    assert session.rebuilds == [[dump.name], ["home.html"]]


def snapshot_of(session):
    from briefing import serve

    return serve.snapshot(session.watched)


def test_a_failed_ingest_makes_the_next_build_look_at_every_article(tmp_path, monkeypatch):
    from briefing import pipeline, serve
    from briefing.model import BuildError

    paths = make_project(tmp_path)
    options = pipeline.Options(seeds=paths["seeds"], content=paths["content"], templates=ROOT / "templates",
                               output=paths["output"], cache=None, quiet=True, search=False)
    pipeline.run_ingest(options, pipeline.Reporter(quiet=True))
    live = serve.Session(options, pipeline.Reporter(quiet=True))
    assert live.rebuild([]) is True
    article = sorted((options.content / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1),
                       encoding="utf-8")

    def failing_ingest(*args):
        raise BuildError("the ingest manifest is damaged")

    monkeypatch.setattr(serve, "run_ingest", failing_ingest)
    dump = sorted(options.seeds.glob("*.txt"))[0]
    assert live.rebuild([str(dump), str(article)]) is False
    monkeypatch.undo()
    manifest = options.content / ".ingest-manifest.json"
    assert live.rebuild([str(manifest)]) is True    # the fix touched only the manifest
    slug = next(line.split(": ", 1)[1] for line in article.read_text(encoding="utf-8").splitlines()
                if line.startswith("slug: "))
    assert "Retitled" in (options.output / "articles" / slug / "index.html").read_text(encoding="utf-8")


# --- serve and the build cache ---------------------------------------------------------

@pytest.fixture()
def cached_options(tmp_path):
    from briefing import pipeline

    paths = make_project(tmp_path)
    options = pipeline.Options(seeds=paths["seeds"], content=paths["content"], templates=ROOT / "templates",
                               output=paths["output"], cache=tmp_path / "cache", quiet=True, search=False)
    pipeline.run_ingest(options, pipeline.Reporter(quiet=True))
    return options


def served_edit(options, title: str) -> None:
    """What serve does: start from the cache, build, take an edit, save the cache."""
    import re

    from briefing import cache, pipeline, serve

    live = serve.Session(options, pipeline.Reporter(quiet=True))
    live.builder.restore(cache.up_to_date(options)[1])
    assert live.rebuild([])
    live.built_snapshot = serve.snapshot(live.watched)
    live.unsaved_since = None
    path = sorted((options.content / "articles").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")
    live.hint([str(path)])
    deadline = time.monotonic() + 5
    while live.unsaved_since is None or live.pending is not None:
        live.poll(quick=True)
        time.sleep(0.03)
        assert time.monotonic() < deadline, "the edit was never built"
    live.save_cache()


def test_a_build_after_serve_starts_from_its_cache_and_equals_a_cold_build(cached_options, tmp_path):
    from dataclasses import replace

    from briefing import pipeline

    pipeline.run_build(cached_options, pipeline.Reporter(quiet=True))
    served_edit(cached_options, "Retitled While Serving")
    out = __import__("io").StringIO()
    assert pipeline.run_build(cached_options, pipeline.Reporter(stream=out)) is None
    assert "nothing changed" in out.getvalue()
    cold = replace(cached_options, output=tmp_path / "cold", cache=None)
    pipeline.run_build(cold, pipeline.Reporter(quiet=True))
    assert tree(cached_options.output) == tree(cold.output)
    assert "Retitled While Serving" in (cached_options.output / "index.html").read_text(encoding="utf-8")


def test_serve_with_search_on_leaves_the_next_build_to_bring_the_index_up_to_date(cached_options):
    from dataclasses import replace

    from briefing import pipeline

    searching = replace(cached_options, search=True)
    pipeline.run_build(searching, pipeline.Reporter(quiet=True))
    served_edit(searching, "Retitled While Serving")     # serve does not index again
    assert pipeline.run_build(searching, pipeline.Reporter(quiet=True)) is not None   # not "up to date"
    index = (cached_options.output / "pagefind" / "parts.json").read_text(encoding="utf-8")
    assert pipeline.run_build(searching, pipeline.Reporter(quiet=True)) is None        # now it is
    assert index


def test_serve_re_indexes_the_edited_part_in_the_background_after_edits_settle(cached_options, tmp_path,
                                                                             monkeypatch):
    """An edit is built (and reloaded) without Pagefind; once edits settle, the part of
    the search index holding the edited page is indexed again on a thread, put in place
    on the event loop, and the folder is then a cold build's, search index included."""
    import re
    from dataclasses import replace

    from tornado import ioloop

    from briefing import cache, pipeline, serve, shards

    monkeypatch.setattr(shards, "PART_SIZE", 2)   # several parts from the five articles
    monkeypatch.setattr(serve, "SEARCH_SETTLE_SECONDS", 0.05)
    searching = replace(cached_options, search=True)
    pipeline.run_build(searching, pipeline.Reporter(quiet=True))
    parts = sorted(p.name for p in (searching.output / "pagefind").iterdir() if p.is_dir())
    assert len(parts) >= 3
    before = {name: tree(searching.output / "pagefind" / name) for name in parts}

    loop = ioloop.IOLoop()
    live = serve.Session(searching, pipeline.Reporter(quiet=True))
    live.builder.restore(cache.up_to_date(searching)[1])
    said: list[str] = []
    refresh = serve._SearchRefresh(loop, live, said.append)
    live.after_good_build = refresh.schedule
    assert live.rebuild([])
    path = sorted((searching.content / "articles").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", "title: Zanzibar Retitled While Serving", text, count=1, flags=re.M),
                    encoding="utf-8")
    started = time.perf_counter()
    assert live.rebuild([str(path)])
    assert time.perf_counter() - started < 2 and not said      # the rebuild did not wait for Pagefind
    assert live.builder.search_stale()

    def finished():
        if said:
            loop.stop()
        else:
            loop.call_later(0.05, finished)
    loop.call_later(0.05, finished)
    loop.call_later(60, loop.stop)
    loop.start()
    loop.close()
    assert said and said[0].startswith("search: re-indexed part(s) ")
    edited = f"{shards.part_count(5)}-{shards.part_of(path.stem, shards.part_count(5))}"
    assert said[0].split("part(s) ")[1].split(" in ")[0] == edited
    assert not live.builder.search_stale()
    for name in parts:      # the other parts kept their bytes
        assert (tree(searching.output / "pagefind" / name) == before[name]) == (name != edited), name
    live.built_snapshot = serve.snapshot(live.watched)     # as poll() takes the edit as built
    live.save_cache()
    assert pipeline.run_build(searching, pipeline.Reporter(quiet=True)) is None   # up to date, index too
    cold = replace(searching, output=tmp_path / "cold", cache=None)
    pipeline.run_build(cold, pipeline.Reporter(quiet=True))
    assert tree(searching.output) == tree(cold.output)


def test_a_rebuild_interrupted_part_way_leaves_nothing_to_save(cached_options):
    from briefing import cache, pipeline, serve

    live = serve.Session(cached_options, pipeline.Reporter(quiet=True))
    live.builder.restore(cache.up_to_date(cached_options)[1])
    assert live.rebuild([]) and live.unsaved_since is not None

    def interrupted(changed=None):
        raise KeyboardInterrupt   # a second Ctrl-C in the middle of a build

    live.builder.build = interrupted
    with pytest.raises(KeyboardInterrupt):
        live.rebuild(["whatever.md"])
    assert live.unsaved_since is None   # serve's way out saves only after a good build


def test_idle_work_runs_in_slices_that_let_a_save_in_between():
    from tornado import ioloop

    from briefing import serve

    loop = ioloop.IOLoop()
    events: list[str] = []

    def steps():
        for number in range(30):
            time.sleep(0.002)
            events.append(f"step {number}")
            yield
        events.append("done")
        loop.stop()

    loop.call_later(0.01, lambda: events.append("save looked at"))
    serve._in_idle_slices(loop, steps(), lambda seconds, finished: events.append(f"took {seconds > 0.05}"))
    loop.start()
    loop.close()
    assert events[-2:] == ["done", "took True"] and len([e for e in events if e.startswith("step")]) == 30
    assert 0 < events.index("save looked at") < events.index("step 20")


def test_the_warm_up_runs_again_after_a_template_change_or_a_failed_build(tmp_path):
    from tornado import ioloop

    from briefing import serve
    from briefing.builder import Builder
    from briefing.pipeline import Options, Reporter, run_ingest

    paths = make_project(tmp_path)
    options = Options(seeds=paths["seeds"], content=paths["content"], templates=tmp_path / "templates",
                      output=paths["output"], cache=None, quiet=True, search=False)
    shutil.copytree(ROOT / "templates", options.templates)
    run_ingest(options, Reporter(quiet=True))
    builder = Builder(options)
    builder.build()
    loop = ioloop.IOLoop()
    said: list[str] = []
    warm_up = serve._WarmUp(loop, builder, said.append)

    def settle() -> None:   # run the loop until the warm-up in progress is over
        def check() -> None:
            if not warm_up.running:
                loop.stop()
            else:
                loop.call_later(0.005, check)
        loop.add_callback(check)
        loop.start()

    warm_up.start()
    settle()
    assert len(said) == 1 and warm_up.finished
    article = sorted((options.content / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: New ", 1),
                       encoding="utf-8")
    builder.build()
    warm_up.start()         # a content edit: the cards it changed are made as pages render
    settle()
    assert len(said) == 1
    base = options.templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    builder.build()
    warm_up.start()         # new templates, a new renderer: no card made yet
    settle()
    assert len(said) == 2
    country = options.templates / "country.html"
    good = country.read_text(encoding="utf-8")
    country.write_text(good.replace("{{ name }}", "{{ name.nope.nope }}", 1), encoding="utf-8")
    with pytest.raises(Exception):
        builder.build()
    warm_up.start()         # stops short on the failed build's site
    settle()
    assert len(said) == 2 and not warm_up.finished
    country.write_text(good, encoding="utf-8")
    builder.build()
    warm_up.start()         # and runs again once the build is good
    settle()
    assert len(said) == 3 and warm_up.finished
    loop.close()


def test_a_removed_file_is_looked_at_again_as_soon_as_it_is_quiet_not_at_the_next_poll(session):
    from briefing import serve

    asked: list[float] = []
    session.look_again = asked.append
    path = sorted((session.options.content / "articles").glob("*.md"))[0]
    path.unlink()
    session.hint([str(path)])
    assert asked == [0]
    session.poll(quick=True)            # at once: perhaps an editor saving by rename
    assert session.rebuilds == [] and len(asked) == 2
    assert 0 < asked[-1] <= serve.QUIET_SECONDS + 0.005     # soon, not a poll's second away
    time.sleep(asked[-1])
    session.poll(quick=True)
    assert session.rebuilds == [[path.name]]
