"""The incremental builder behind `serve`: re-render only what a change touches."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefing import pipeline
from briefing.incremental import Builder, changed_paths, snapshot
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
