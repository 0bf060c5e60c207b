"""The build engine behind `build` (with its cache) and `serve`: redo only what a change touches
(builder.py, cache.py, keys.py, scheduler.py)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import pipeline
from briefing import builder as builder_module, cache, keys, plan, scheduler, store, workers
from briefing.builder import Builder
from briefing.cache import changed_paths, snapshot
from briefing.model import BuildError
from test_build import ROOT, make_project, tree

ARTICLE = "what-egypts-red-lines-mean-for-sudans-war"


@pytest.fixture()
def project(tmp_path):
    paths = make_project(tmp_path)
    options = pipeline.Options(seeds=paths["seeds"], content=paths["content"],
                               templates=tmp_path / "templates", output=paths["output"],
                               cache=tmp_path / "cache", quiet=True, search=False)
    shutil.copytree(ROOT / "templates", options.templates)
    pipeline.run_ingest(options, pipeline.Reporter(quiet=True))
    return options


def article_file(options, slug=ARTICLE) -> Path:
    return options.content / "articles" / f"{slug}.md"


def test_first_build_is_byte_identical_to_a_normal_build(project, tmp_path):
    Builder(project).build()
    normal = pipeline.Options(**{**project.__dict__, "output": tmp_path / "normal"})
    pipeline.run_build(normal, pipeline.Reporter(quiet=True))
    assert tree(project.output) == tree(normal.output)


def test_nothing_changed_renders_nothing(project):
    builder = Builder(project)
    builder.build()
    again = builder.build()
    assert (again.pages, again.written) == (0, 0)


def test_body_edit_rerenders_its_own_page_not_the_listings(project):
    builder = Builder(project)
    first = builder.build()
    path = article_file(project)
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more closing paragraph.\n", encoding="utf-8")
    result = builder.build()
    assert f"articles/{ARTICLE}/index.html" in result.changed
    assert result.pages < first.pages / 3
    assert "index.html" not in result.changed
    assert "One more closing paragraph." in (project.output / "articles" / ARTICLE / "index.html").read_text()


def test_title_edit_rerenders_every_page_that_lists_it(project):
    builder = Builder(project)
    builder.build()
    path = article_file(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", "title: Cairo Draws Red Lines", text, count=1, flags=re.M),
                    encoding="utf-8")
    result = builder.build()
    listing = [p for p in result.changed if p.endswith("index.html") and "Cairo Draws Red Lines"
               in (project.output / p).read_text()]
    assert "index.html" in listing and "countries/egypt/index.html" in listing
    assert len(listing) >= 4


def test_incremental_result_equals_a_cold_build(project, tmp_path):
    builder = Builder(project)
    builder.build()
    path = article_file(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", "title: Cairo Draws Red Lines", text, count=1, flags=re.M),
                    encoding="utf-8")
    builder.build()
    cold = pipeline.Options(**{**project.__dict__, "output": tmp_path / "cold"})
    pipeline.run_build(cold, pipeline.Reporter(quiet=True))
    assert tree(project.output) == tree(cold.output)


def test_one_builder_through_a_run_of_edits_equals_a_cold_build_after_each(project, tmp_path):
    """serve's builder keeps memos of groups, pages, keys and API lines between builds:
    each kind of edit must still give what a cold build gives."""
    builder = Builder(project)
    builder.build()
    path = article_file(project)
    original = path.read_text(encoding="utf-8")
    edits = [
        ("retitled", lambda t: re.sub(r"^title: .*$", "title: Cairo Draws Red Lines", t, count=1, flags=re.M)),
        ("new country", lambda t: t.replace("\n---\n", "\ncountries: [Brazil]\n---\n", 1)),
        ("new topic", lambda t: t.replace("\n---\n", "\ntopics: [sports]\n---\n", 1)),
        ("newer date", lambda t: t.replace("\n---\n", "\ndate: 2031-01-01\n---\n", 1)),
        ("newer still, in the same place", lambda t: t.replace("\n---\n", "\ndate: 2032-01-01\n---\n", 1)),
        ("draft", lambda t: t.replace("\n---\n", "\ndraft: true\n---\n", 1)),
        ("as it was", lambda t: original),
    ]
    for number, (name, edit) in enumerate(edits):
        list(builder.warm_feeds_and_pages())    # as serve does while idle: every card and entry made
        path.write_text(edit(original if name != "as it was" else ""), encoding="utf-8")
        builder.build(changed=[str(path)])      # as serve does: told which file changed
        cold = pipeline.Options(**{**project.__dict__, "output": tmp_path / f"cold{number}", "cache": None})
        pipeline.run_build(cold, pipeline.Reporter(quiet=True))
        assert tree(project.output) == tree(cold.output), name


def test_a_person_gaining_and_losing_a_page_through_edits_equals_a_cold_build(project, tmp_path):
    """A person named in a second article gets a page: the first article, unedited, now
    links to it, and its countries' panels may list it; named in one again, it loses it."""
    builder = Builder(project)
    builder.build()
    first, second = sorted(article_file(project, p.stem) for p in (project.content / "articles").glob("*.md")
                           if p.stem != ARTICLE)[:2]
    named = "\n\nForeign Minister Rania Haddad of Jordan said the talks would go on, and Haddad met the envoy.\n"
    originals = {path: path.read_text(encoding="utf-8") for path in (first, second)}
    steps = [(first, originals[first] + named), (second, originals[second] + named), (second, originals[second]),
             (first, originals[first])]
    for number, (path, text) in enumerate(steps):
        path.write_text(text, encoding="utf-8")
        builder.build(changed=[str(path)])
        cold = pipeline.Options(**{**project.__dict__, "output": tmp_path / f"cold{number}", "cache": None})
        pipeline.run_build(cold, pipeline.Reporter(quiet=True))
        assert tree(project.output) == tree(cold.output), number
        page = project.output / "people" / "rania-haddad" / "index.html"
        assert page.exists() == (number == 1), number
        if number == 1:
            assert 'href="/people/rania-haddad/"' in (project.output / "articles" / first.stem / "index.html").read_text()


def test_template_change_rerenders_the_pages_using_it(project):
    builder = Builder(project)
    builder.build()
    template = project.templates / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace("</article>", "<!-- tweak --></article>", 1),
                        encoding="utf-8")
    result = builder.build()
    changed_articles = [p for p in result.changed if p.startswith("articles/")]
    assert len(changed_articles) == 5
    assert "<!-- tweak -->" in (project.output / "articles" / ARTICLE / "index.html").read_text()


def test_broken_file_raises_and_leaves_output_until_fixed(project):
    builder = Builder(project)
    builder.build()
    before = tree(project.output)
    path = article_file(project)
    good = path.read_text(encoding="utf-8")
    path.write_text("---\ntitle: [oops\n---\nBody\n", encoding="utf-8")
    with pytest.raises(BuildError) as error:
        builder.build()
    assert path.name in str(error.value)
    assert tree(project.output) == before
    path.write_text(good, encoding="utf-8")
    builder.build()
    assert tree(project.output) == before


def test_deleted_article_removes_its_page(project):
    builder = Builder(project)
    builder.build()
    article_file(project).unlink()
    builder.build()
    assert not (project.output / "articles" / ARTICLE / "index.html").exists()


def test_snapshot_sees_new_changed_and_removed_files(tmp_path):
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b.md").write_text("b")
    before = snapshot([tmp_path])
    (tmp_path / "a.md").write_text("changed a")
    (tmp_path / "b.md").unlink()
    (tmp_path / "c.md").write_text("c")
    after = snapshot([tmp_path])
    names = [Path(p).name for p in changed_paths(before, after)]
    assert names == ["a.md", "b.md", "c.md"]


# --- build.py build with its cache ---------------------------------------------

def build(options, **changes):
    """run_build as the CLI runs it; (result or None, what it printed)."""
    out = io.StringIO()
    result = pipeline.run_build(replace(options, **changes), pipeline.Reporter(stream=out))
    return result, out.getvalue()


def retitle(options, title="Cairo Draws Red Lines"):
    path = article_file(options)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")


def cold_tree(options, tmp_path) -> dict:
    cold = replace(options, output=tmp_path / "cold", cache=None)
    pipeline.run_build(cold, pipeline.Reporter(quiet=True))
    return tree(cold.output)


def test_second_build_with_nothing_changed_does_nothing(project):
    first, _ = build(project)
    before = tree(project.output)
    again, printed = build(project)
    assert first is not None and again is None
    assert "nothing changed" in printed
    assert tree(project.output) == before


def test_title_edit_through_the_cache_renders_little_and_equals_a_cold_build(project, tmp_path):
    first, _ = build(project)
    retitle(project)
    edited, printed = build(project)
    assert edited is not None and 0 < edited.rendered < first.rendered / 3
    assert f"{edited.rendered} rendered" in printed
    assert "Cairo Draws Red Lines" in (project.output / "articles" / ARTICLE / "index.html").read_text()
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_cold_build_has_its_store_written_by_another_process_and_edits_go_on_from_it(
        project, tmp_path, monkeypatch):
    """With no store yet, a forked process writes every article while the build goes on."""
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
    writers = tmp_path / "writers"
    real_write = store.write

    def noted_write(*args):
        with open(writers, "a") as note:
            note.write(f"{os.getpid()}\n")
        return real_write(*args)

    monkeypatch.setattr(store, "write", noted_write)
    first, _ = build(project)
    assert [int(pid) for pid in writers.read_text().split()] != [os.getpid()]
    assert len(list(project.cache.glob("articles-*.store"))) == 1
    retitle(project)
    edited, _ = build(project)
    assert edited is not None and 0 < edited.rendered < first.rendered / 3
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_library_upgrade_renders_everything_again(project, monkeypatch):
    first, _ = build(project)
    upgraded = cache.libraries_key() + b"\nmarkdown_it_py-99.0.0.dist-info"
    monkeypatch.setattr(cache, "libraries_key", lambda: upgraded)
    cache.code_key.cache_clear()
    try:
        again, printed = build(project)
    finally:
        cache.code_key.cache_clear()
    assert "nothing changed" not in printed
    assert again is not None and again.rendered == first.rendered


def test_libraries_key_names_each_installed_version(tmp_path, monkeypatch):
    site, user = tmp_path / "site-packages", tmp_path / "user"
    for folder in (site / "jinja2-3.1.6.dist-info", site / "jinja2", user / "PyYAML-6.0.egg-info"):
        folder.mkdir(parents=True)
    monkeypatch.setattr(cache.sys, "path", [str(site), str(user), str(tmp_path / "missing")])
    before = cache.libraries_key()
    (site / "jinja2-3.1.6.dist-info").rename(site / "jinja2-3.2.0.dist-info")
    after = cache.libraries_key()
    assert b"jinja2-3.1.6.dist-info" in before and b"jinja2-3.2.0.dist-info" in after
    assert b"PyYAML-6.0.egg-info" in before and b"\njinja2\n" not in before + b"\n"
    # Started another way (python -m, another folder), Python puts other folders first.
    monkeypatch.setattr(cache.sys, "path", ["", str(tmp_path), *cache.sys.path, str(site)])
    assert cache.libraries_key() == after


def test_a_file_changed_in_output_by_hand_is_put_back(project):
    build(project)
    before = tree(project.output)
    page = project.output / "articles" / ARTICLE / "index.html"
    page.write_text("scribbled on", encoding="utf-8")
    (project.output / "countries" / "index.html").unlink()
    result, _ = build(project)
    assert result is not None and tree(project.output) == before


def test_after_output_changed_behind_the_cache_every_file_is_made_again_from_the_prepared_articles(
        project, tmp_path, monkeypatch):
    # As a serve killed after its last save leaves it: output/ newer than the cache.
    first, _ = build(project)
    retitle(project)
    (project.output / "articles" / ARTICLE / "index.html").write_text("scribbled on", encoding="utf-8")
    prepared = []
    real = scheduler.prepare_files
    monkeypatch.setattr(scheduler, "prepare_files", lambda names: prepared.extend(names) or real(names))
    monkeypatch.setattr(builder_module, "prepare_files", scheduler.prepare_files)
    result, _ = build(project)
    assert result is not None and result.pages == first.pages      # every file made again
    assert prepared == [article_file(project).name]                # only the edited article prepared
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_deleted_output_folder_is_built_whole_again(project):
    build(project)
    before = tree(project.output)
    shutil.rmtree(project.output)
    build(project)
    assert tree(project.output) == before


def test_an_unreadable_cache_means_a_cold_build(project):
    build(project)
    before = tree(project.output)
    retitle(project)
    for name in (cache.STATE_FILE, cache.MANIFEST_FILE):
        (project.cache / name).write_bytes(b"not a pickle")
    result, _ = build(project)
    assert result is not None and result.rendered >= result.pages
    assert tree(project.output) != before and "Cairo Draws Red Lines" in (
        project.output / "articles" / ARTICLE / "index.html").read_text()


def test_a_damaged_article_store_means_a_cold_build(project, tmp_path):
    build(project)
    retitle(project)
    (stored,) = project.cache.glob(store.PREFIX + "*" + store.SUFFIX)
    stored.write_bytes(stored.read_bytes()[:-10])
    result, _ = build(project)
    assert result is not None and result.rendered >= result.pages
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_deleted_article_store_means_a_cold_build(project, tmp_path):
    build(project)
    retitle(project)
    (stored,) = project.cache.glob(store.PREFIX + "*" + store.SUFFIX)
    stored.unlink()
    result, _ = build(project)
    assert result is not None and result.rendered >= result.pages
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_title_edit_appends_to_the_article_store(project, tmp_path):
    first, _ = build(project)
    (before,) = project.cache.glob(store.PREFIX + "*" + store.SUFFIX)
    old = before.read_bytes()
    retitle(project)
    build(project)
    (after,) = project.cache.glob(store.PREFIX + "*" + store.SUFFIX)
    new = after.read_bytes()
    assert after == before and new.startswith(old)
    assert 0 < len(new) - len(old) < len(old) / 3     # one article's record, not all of them
    again, printed = build(project)
    assert again is None and "nothing changed" in printed
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_broken_edit_fails_leaves_output_and_cache_usable(project, tmp_path):
    build(project)
    before = tree(project.output)
    path = article_file(project)
    good = path.read_text(encoding="utf-8")
    path.write_text("---\ntitle: [oops\n---\nBody\n", encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build(project)
    assert path.name in str(error.value)
    assert tree(project.output) == before
    path.write_text(good.replace("\n---\n", "\nsummary: Fixed.\n---\n", 1), encoding="utf-8")
    result, _ = build(project)
    assert result is not None and result.rendered < result.pages
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_taxonomy_change_reclassifies_through_the_cache(project):
    build(project)
    topics = project.content / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    topics.write_text(text.replace("name: Sports", "name: Sport and games", 1), encoding="utf-8")
    result, _ = build(project)
    assert result is not None
    assert "Sport and games" in (project.output / "api" / "topics.json").read_text(encoding="utf-8")


def test_site_settings_change_every_page_but_prepare_no_article_again(project, tmp_path, monkeypatch):
    first, _ = build(project)
    prepared = []
    real = scheduler.prepare_files
    monkeypatch.setattr(builder_module, "prepare_files", lambda names: prepared.extend(names) or real(names))
    (project.content / "site.yaml").write_text("title: Gulf Desk\n", encoding="utf-8")
    result, _ = build(project)
    assert prepared == []
    assert result is not None and result.rendered == first.rendered
    assert "Gulf Desk" in (project.output / "index.html").read_text(encoding="utf-8")
    assert tree(project.output) == cold_tree(project, tmp_path)
    # Broken, then fixed with fewer articles a page: an error, then every listing paged anew.
    (project.content / "site.yaml").write_text("title: [Gulf\n", encoding="utf-8")
    with pytest.raises(BuildError):
        build(project)
    (project.content / "site.yaml").write_text("title: Gulf Desk\nper_page: 2\n", encoding="utf-8")
    build(project)
    assert list(project.output.glob("*/*/page/2/index.html"))
    assert tree(project.output) == cold_tree(project, tmp_path / "again")
    prepared.clear()
    (project.content / "topics.yaml").write_text(
        (project.content / "topics.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(project)
    assert len(prepared) == len(list((project.content / "articles").glob("*.md")))


def test_strict_build_with_a_cache_fails_on_a_broken_link_and_keeps_output(project):
    build(project, strict=True)
    before = tree(project.output)
    template = project.templates / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "</article>", '<a href="/nowhere/">x</a></article>', 1), encoding="utf-8")
    with pytest.raises(BuildError, match="strict"):
        build(project, strict=True)
    assert tree(project.output) == before


def test_no_cache_builds_cold_and_writes_no_cache(project, tmp_path):
    result, _ = build(project, cache=None)
    assert result is not None and not project.cache.exists()
    again, _ = build(project, cache=None)
    assert again is not None and again.rendered == result.rendered


def test_worker_processes_give_the_same_site(project, tmp_path, monkeypatch):
    serial = replace(project, output=tmp_path / "serial", cache=None, jobs=1)
    pipeline.run_build(serial, pipeline.Reporter(quiet=True))
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
    parallel = replace(project, output=tmp_path / "parallel", cache=None, jobs=2)
    pipeline.run_build(parallel, pipeline.Reporter(quiet=True))
    assert tree(parallel.output) == tree(serial.output)


def test_with_workers_the_documents_are_made_on_a_thread_beside_the_render(project, tmp_path, monkeypatch):
    import threading
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
    threads = []
    real = Builder._make_documents

    def noted(self, *args):
        threads.append(threading.get_ident())
        return real(self, *args)

    monkeypatch.setattr(Builder, "_make_documents", noted)
    parallel = replace(project, output=tmp_path / "parallel", cache=None, jobs=2)
    pipeline.run_build(parallel, pipeline.Reporter(quiet=True))
    assert len(threads) == 1 and threads[0] != threading.get_ident()
    assert threading.active_count() == 1        # and none is left running
    serial = replace(project, output=tmp_path / "serial", cache=None, jobs=1)
    pipeline.run_build(serial, pipeline.Reporter(quiet=True))
    assert threads[1] == threading.get_ident()
    assert tree(parallel.output) == tree(serial.output)


def test_timings_name_every_phase(project, capsys):
    build(project, timings=True)
    printed = capsys.readouterr().err
    for phase in ("prepare", "assemble", "render", "write", "save cache"):
        assert f"{phase} " in printed


def test_a_change_named_to_a_failed_build_is_still_built_after_the_fix(project):
    builder = Builder(project)
    builder.build()
    topics = project.content / "topics.yaml"
    good = topics.read_text(encoding="utf-8")
    topics.write_text("topics: [oops\n", encoding="utf-8")
    retitle(project, "Seen After The Fix")
    with pytest.raises(BuildError):
        builder.build(changed=[str(topics), str(article_file(project))])
    topics.write_text(good, encoding="utf-8")
    builder.build(changed=[str(topics)])      # serve names only what changed since the last look
    assert "Seen After The Fix" in (project.output / "articles" / ARTICLE / "index.html").read_text()


class _LookedUp(dict):
    """A dict that remembers which keys were looked up with get()."""

    looked: set

    def get(self, key, default=None):
        self.looked.add(key)
        return super().get(key, default)


def test_a_build_told_what_changed_looks_only_there_and_agrees_with_a_full_look(project, tmp_path):
    builder = Builder(project)
    builder.build()
    retitle(project, "Only This Changed")
    builder.state.stamps = _LookedUp(builder.state.stamps)
    builder.state.stamps.looked = set()
    result = builder.build(changed=[str(article_file(project))])
    assert builder.state.stamps.looked == {article_file(project).name}   # no other article's stamp
    assert 0 < result.pages < 40
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_file_that_failed_to_prepare_is_looked_at_again_whatever_the_build_is_told(project):
    builder = Builder(project)
    builder.build()
    broken = article_file(project)
    good = broken.read_text(encoding="utf-8")
    broken.write_text("---\ntitle: [oops\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(BuildError):
        builder.build(changed=[str(broken)])
    other = sorted(p for p in broken.parent.glob("*.md") if p != broken)[0]
    other.write_text(other.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    with pytest.raises(BuildError, match=broken.name):
        builder.build(changed=[str(other)])         # still broken, though not named
    broken.write_text(good, encoding="utf-8")
    builder.build(changed=[str(broken)])
    assert (project.output / "articles" / ARTICLE / "index.html").is_file()


def test_a_taxonomy_change_then_an_edit_still_equals_a_cold_build(project, tmp_path):
    build(project)
    aliases = project.content / "country-aliases.yaml"
    text = aliases.read_text(encoding="utf-8")
    # Four of the five seed articles name Iraq: now they name Chad too.
    aliases.write_text(text.replace("aliases:\n", "aliases:\n  TD: [Iraq]\n", 1), encoding="utf-8")
    build(project)   # reclassifies every article, though no article file changed
    assert "/countries/chad/" in (project.output / "countries" / "index.html").read_text(encoding="utf-8")
    path = article_file(project)
    path.write_text(path.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    build(project)   # loads the cache saved by the build above
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_file_saved_while_a_cached_build_runs_is_built_next_time(project, tmp_path, monkeypatch):
    build(project)
    real = Builder._prepare

    def prepare_while_the_editor_saves(self, stale):
        retitle(project, "Saved During The Build")
        return real(self, stale)

    monkeypatch.setattr(Builder, "_prepare", prepare_while_the_editor_saves)
    path = article_file(project, "iraqs-political-future-in-limbo-as-factions-vie-for-power")
    path.write_text(path.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    build(project)
    monkeypatch.setattr(Builder, "_prepare", real)
    again, printed = build(project)
    assert again is not None and "nothing changed" not in printed
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_turning_search_off_removes_the_index(project, tmp_path):
    build(project, search=True)
    assert (project.output / "pagefind").is_dir()
    build(project, search=False)
    assert not (project.output / "pagefind").exists()
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_a_failing_search_index_leaves_the_output_as_it_was(project, monkeypatch):
    build(project, search=True)
    before = tree(project.output)

    def broken(job, jobs=1):
        raise BuildError("Pagefind could not index part 1-0: simulated")

    monkeypatch.setattr(builder_module.searchindex, "run", broken)
    retitle(project)
    with pytest.raises(BuildError, match="Pagefind"):
        build(project, search=True)
    assert tree(project.output) == before


def test_warm_loads_every_template_a_rebuild_from_the_cache_did_not(project):
    from briefing import feeds, render

    build(project)
    builder = Builder(project)
    assert builder.restore() and builder.build().pages == 0     # everything was already built
    loaded = lambda: {name for (_, name) in builder._renderer.env.cache.keys()}  # noqa: E731
    assert "article.html" not in loaded()
    builder.warm()
    assert {"article.html", "home.html", "country.html", "topic.html", "base.html"} <= loaded()
    # Then, while idle, every feed and page once: each feed entry and story card is made.
    feeds._ENTRY_MEMO.clear()
    builder._renderer._stories.clear()
    builder._renderer._story_keys.clear()
    steps = sum(1 for _ in builder.warm_feeds_and_pages())
    assert steps == len(plan.feed_specs(builder.site)) + len(render.plan_pages(builder.site))
    in_feeds = {slug for spec in plan.feed_specs(builder.site) for slug in spec.slugs[:50]}
    assert in_feeds and in_feeds <= set(feeds._ENTRY_MEMO)
    assert {slug for slug, *_ in builder._renderer._stories} == {e.article.slug for e in builder.site.entries}
    before = tree(project.output)
    retitle(project)
    edited = builder.build()
    assert edited.pages > 0 and tree(project.output) != before
    assert list(builder.warm_feeds_and_pages())     # the new site's, after the edit


def test_warming_stops_while_the_renderer_holds_a_site_whose_build_failed(project):
    builder = Builder(project)
    builder.build()
    retitle(project)
    template = project.templates / "country.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{{ name }}", "{{ name.nope.nope }}", 1), encoding="utf-8")
    with pytest.raises(BuildError):
        builder.build()
    assert builder._renderer.site is not builder.site
    assert list(builder.warm_feeds_and_pages()) == []
    template.write_text(good, encoding="utf-8")
    builder.build()
    assert list(builder.warm_feeds_and_pages())


def test_a_commit_stopped_part_way_leaves_no_temporary_file_and_is_mended_next(project, tmp_path, monkeypatch):
    builder = Builder(project)
    builder.build()
    original = article_file(project).read_text(encoding="utf-8")
    retitle(project)
    real, calls = os.replace, []

    def stopped_on_the_second(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(source, target)

    monkeypatch.setattr(cache.os, "replace", stopped_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        builder.build()
    monkeypatch.setattr(cache.os, "replace", real)
    assert not [p for p in project.output.rglob(".*.tmp")]
    article_file(project).write_text(original, encoding="utf-8")    # the edit undone
    builder.build()
    assert tree(project.output) == cold_tree(project, tmp_path)


def test_an_article_that_is_a_link_to_a_file_elsewhere_is_watched_through_the_link(project, tmp_path):
    path = article_file(project)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path.unlink()
    path.symlink_to(elsewhere)
    build(project)
    assert cache.up_to_date(project)[0]
    elsewhere.write_text(re.sub(r"^title: .*$", "title: Linked And Retitled", elsewhere.read_text(encoding="utf-8"),
                                count=1, flags=re.M), encoding="utf-8")
    assert not cache.up_to_date(project)[0]
    result, printed = build(project)
    assert "nothing changed" not in printed
    assert "Linked And Retitled" in (project.output / "articles" / ARTICLE / "index.html").read_text()


def test_a_batch_of_files_is_prepared_as_one_at_a_time_would_and_a_bad_one_fails_alone(project):
    from briefing.classify import load_classifier

    folder = project.content / "articles"
    names = sorted(p.name for p in folder.glob("*.md"))[:3]
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    batch = [names[0], "broken.md", *names[1:]]
    workers.WORKER.update(articles=folder, classifier=load_classifier(project.content))
    try:
        together = scheduler.prepare_files(batch)
        alone = [scheduler.prepare_files([name])[0] for name in batch]
    finally:
        workers.WORKER.clear()
    assert [name for name, _, _ in together] == batch
    assert isinstance(together[1][1], BuildError) and "broken.md" in str(together[1][1].path)
    for (name, made, warnings), (_, once, once_warnings) in zip(together, alone):
        if name != "broken.md":
            assert made == once and warnings == once_warnings
            assert made.prepared.entry.article.path.endswith(name)


def test_a_file_saved_again_with_the_same_bytes_is_not_prepared_again(project, monkeypatch):
    """Its stamp changed, so its bytes are read and their digest compared with the one
    taken when it was prepared: both must be made the same way."""
    builder = Builder(project)
    builder.build()
    path = article_file(project)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    prepared = []
    real = scheduler.prepare_files
    monkeypatch.setattr(builder_module, "prepare_files", lambda names: prepared.extend(names) or real(names))
    result = builder.build()
    assert prepared == [] and result.written == 0
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    builder.build()
    assert prepared == [path.name]


def test_article_views_kept_up_to_date_equal_views_made_afresh():
    from types import SimpleNamespace

    from briefing.scheduler import ArticleViews

    def record(slug):
        article = SimpleNamespace(slug=slug)
        return SimpleNamespace(prepared=SimpleNamespace(entry=SimpleNamespace(article=article)))

    def afresh(articles):
        names = sorted(articles)
        return (names, [articles[n] for n in names], [articles[n].prepared.entry.article for n in names],
                [articles[n].prepared for n in names],
                {c.prepared.entry.article.slug: c for c in articles.values()})

    articles = {f"{name}.md": record(name) for name in ("c", "a", "e", "b", "d")}
    views = ArticleViews()
    steps = [
        lambda: None,                                           # nothing changed
        lambda: articles.__setitem__("a.md", record("a")),      # an edit
        lambda: articles.__setitem__("b.md", record("b-new")),  # a new slug
        lambda: articles.__setitem__("f.md", record("f")),      # an addition
        lambda: articles.pop("c.md"),                           # a removal
        lambda: articles.__setitem__("e.md", record("d")),      # two articles share a slug
        lambda: articles.__setitem__("d.md", record("d2")),     # and no longer do
        lambda: articles.__setitem__("e.md", record("e")),
    ]
    for step in steps:
        step()
        held = views.by_slug
        before = dict(held)
        views.refresh(articles)
        assert (views.names, views.records, views.articles, views.prepared, views.by_slug) == afresh(articles)
        assert held == before       # the last build's dict is left as it was


def test_a_build_keys_only_the_pages_an_edit_can_touch_and_their_keys_are_those_of_keying_every_page(
        project, monkeypatch):
    """_PageKeys.affected() picks the pages whose keys may change, and a feed none of whose
    entries changed keeps its key; every other page keeps its last key. Through a run of
    edits those keys must be what keying every page and feed afresh gives, and most edits
    must take that way."""
    from briefing.render import plan_pages

    builder = Builder(project)
    builder.build()
    taken, keyed = [], []
    real_affected, real_jobs = keys.PageKeys.affected, scheduler.render_jobs

    def affected(self, pages, templates):
        found = real_affected(self, pages, templates)
        taken.append(found is not None)
        keyed.append(len(found) if found is not None else len(pages))
        return found

    def jobs(state, pages, page_key, template_key, fresh):
        made, found = real_jobs(state, pages, page_key, template_key, fresh)
        afresh = keys.PageKeys(page_key.site, page_key.by_slug, {})
        for page in pages:
            assert found[page.path] == afresh(page, template_key(page.template)), page.path
        for spec in plan.feed_specs(page_key.site):
            assert found[spec.path] == afresh.feed(spec), spec.path
        return made, found

    monkeypatch.setattr(keys.PageKeys, "affected", affected)
    monkeypatch.setattr(builder_module, "render_jobs", jobs)
    files = sorted((project.content / "articles").glob("*.md"))
    linked = builder.site.by_slug[builder.site.entries[0].related[0]]   # shown on another's page
    edits = [
        (article_file(project), lambda t: re.sub(r"^title: (.*)$", r"title: \1 Again", t, count=1, flags=re.M)),
        (article_file(project), lambda t: t + "\nA closing line about Egypt and Sudan.\n"),
        (article_file(project, linked.article.slug), lambda t: re.sub(r"^title: (.*)$", r"title: \1 too", t,
                                                                      count=1, flags=re.M)),
        (files[3 % len(files)], lambda t: t.replace("\n---\n", "\ncountries: [Brazil]\n---\n", 1)),
        (files[1 % len(files)], lambda t: t + "\nFloods and displacement and aid agencies in the delta.\n"),
        # Countries and topics set by hand, then a new body: what is related to it changes.
        (article_file(project), lambda t: t.replace("\n---\n", "\ncountries: [Egypt, Sudan]\n"
                                                    "topics: [armed-conflict]\n---\n", 1)),
        (article_file(project), lambda t: t.split("\n---\n", 1)[0] + "\n---\n\nThe football league's "
                                          "new stadium opened with a vaccine clinic for fans.\n"),
        (files[-1], lambda t: t.replace("\n---\n", "\ndate: 2031-01-01\n---\n", 1)),     # moves it
        (files[-1], lambda t: t.replace("\n---\n", "\ndraft: true\n---\n", 1)),
        (files[2 % len(files)], lambda t: re.sub(r"^title: (.*)$", r"title: \1 (updated)", t, count=1, flags=re.M)),
    ]
    for path, edit in edits:
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        builder.build(changed=[str(path)])
    assert sum(taken) >= 4, taken                       # most edits keyed only what they touched
    assert min(k for k, t in zip(keyed, taken) if t) < len(plan_pages(builder.site)) // 2


def test_an_author_or_place_edit_through_the_cache_reaches_the_api_and_equals_a_cold_build(project, tmp_path):
    build(project)
    path = article_file(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\nauthor: Leila Example\nplace: Cairo\n---\n", 1), encoding="utf-8")
    edited, _ = build(project)
    assert edited is not None
    assert tree(project.output) == cold_tree(project, tmp_path)
    record = next(a for a in json.loads((project.output / "api" / "articles.json").read_text())["articles"]
                  if a["author"])
    assert (record["author"], record["place"]) == ("Leila Example", "Cairo")


def test_an_edit_re_indexes_only_its_part_and_the_index_equals_a_cold_builds(project, tmp_path, monkeypatch):
    from briefing import shards

    monkeypatch.setattr(shards, "PART_SIZE", 2)     # several parts from the few articles
    build(project, search=True)
    index = project.output / "pagefind"
    parts = sorted(p.name for p in index.iterdir() if p.is_dir())
    assert len(parts) >= 3 and (index / "parts.json").is_file()
    inodes = {p: p.stat().st_ino for p in index.rglob("*") if p.is_file()}
    indexed = []
    real = builder_module.searchindex.run
    monkeypatch.setattr(builder_module.searchindex, "run",
                        lambda job, jobs=1: indexed.extend(part.name for part in job.parts) or real(job, jobs))
    retitle(project)
    build(project, search=True)
    slug = article_file(project).stem
    count = shards.part_count(len(list((project.content / "articles").glob("*.md"))))
    assert indexed == [f"{count}-{shards.part_of(slug, count)}"]
    for path, inode in inodes.items():      # the other parts' files were left in place, not rewritten
        if indexed[0] not in path.parts:
            assert path.stat().st_ino == inode, path
    assert tree(project.output) == cold_tree(replace(project, search=True), tmp_path)


def test_random_edits_of_every_kind_equal_a_cold_build_after_each(project, tmp_path):
    """Issue 21: whatever an editor does, in whatever order, the output after it is a cold
    build's: through serve's long-lived builder told what changed, and through `build` in
    a new process starting from the cache (then serve's builder looks at everything)."""
    import importlib.util
    import random
    import sys

    spec = importlib.util.spec_from_file_location("bench_edits", ROOT / "benchmarks" / "edits.py")
    edits = importlib.util.module_from_spec(spec)
    sys.modules["bench_edits"] = edits
    spec.loader.exec_module(edits)
    rng = random.Random(21)
    articles = project.content / "articles"
    served = Builder(project)
    served.build()
    steps = [(kind, way) for kind in edits.KINDS for way in ("serve", "build")]
    rng.shuffle(steps)
    ways = []
    for number, (kind, way) in enumerate(steps):
        if kind == "article deleted" and len(list(articles.glob("*.md"))) < 3:
            kind = "article added"
        ways.append((kind, way))
        if way == "build":
            served.save()           # the cache as it was before the edit
        path, text = edits.planned_edit(kind, articles, rng.randrange(10))
        edits.make(path, text)
        if way == "serve":
            list(served.warm_feeds_and_pages())
            served.build(changed=[str(path)])
        else:
            later = Builder(project)
            assert later.restore()
            later.build()
        cold = pipeline.Options(**{**project.__dict__, "output": tmp_path / f"cold{number}", "cache": None})
        pipeline.run_build(cold, pipeline.Reporter(quiet=True))
        assert tree(project.output) == tree(cold.output), (number, kind, way)
        if way == "build":
            served.build()
            assert tree(project.output) == tree(cold.output), (number, kind, "serve after build")
    assert sorted(ways) == sorted(steps)     # every kind both ways: none was left out
