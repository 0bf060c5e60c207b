import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from test_build import tree

from briefing import ingest as ingest_module, pipeline
from briefing.content import load_articles, parse_article
from briefing.ingest import MANIFEST, ingest
from briefing.markup import render_markdown
from briefing.model import BuildError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_NAMES = sorted(path.name for path in SEEDS.glob("*.txt"))
VARIANTS = Path(__file__).parent / "fixtures" / "dumps" / "variants.txt"


def snapshot(content: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under content/: its bytes and modification time."""
    return {str(path.relative_to(content)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(content.rglob("*")) if path.is_file()}


def articles_in(content: Path) -> dict[str, object]:
    return {path.stem: parse_article(path.read_text("utf-8"), str(path))
            for path in sorted((content / "articles").glob("*.md"))}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


@pytest.fixture
def seeds(tmp_path):
    """A copy of the real seed dumps that a test may add dumps to."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


@pytest.fixture
def content(tmp_path):
    return tmp_path / "content"


def isis_file(content: Path) -> Path:
    return content / "articles" / "3-isis-members-recount-to-asharq-al-awsat-their-journey-with-the-terror-group.md"


# --- the real seeds, end to end ---------------------------------------------------

def test_seed_dumps_become_five_articles_and_the_shared_ones_list_both_dumps(content):
    result = ingest(SEEDS, content)
    articles = articles_in(content)
    assert len(articles) == 5 and result.created == 5
    assert (result.articles_found, result.exact_duplicates, result.near_duplicates) == (8, 3, 0)
    both = [slug for slug, article in articles.items() if article.sources == tuple(SEED_NAMES)]
    assert len(both) == 3
    assert all(len(article.sources) in (1, 2) for article in articles.values())


def test_ingest_on_two_processes_writes_what_one_process_writes(seeds, tmp_path, monkeypatch):
    """Dumps are read, and articles keyed and shingled, on every core when there are many:
    the content folder must not depend on it. A broken dump's warning comes through too."""
    (seeds / "zz-broken.txt").write_bytes(b"\xff\xfe not text")
    one, two = tmp_path / "one", tmp_path / "two"
    alone = ingest(seeds, one, jobs=1)
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    together = ingest(seeds, two, jobs=2)
    assert tree(one) == tree(two)
    assert together.diagnostics == alone.diagnostics
    assert any(d.path and d.path.endswith("zz-broken.txt") for d in together.diagnostics)
    assert together.summary == alone.summary


def test_no_body_holds_tt_or_the_repeated_title_or_caption(content):
    ingest(SEEDS, content)
    for article in articles_in(content).values():
        texts = render_markdown(article.body).text.split("\n\n")
        assert "TT" not in texts and article.title not in texts and article.caption not in texts
        assert article.body.count(article.caption) == 0


def test_every_paragraph_of_the_seed_dumps_is_in_the_output_word_for_word(content):
    ingest(SEEDS, content)
    articles = articles_in(content).values()
    header = {"TT"} | {a.title for a in articles} | {a.caption for a in articles}
    output = set()
    for article in articles:
        output.update(render_markdown(article.body).text.split("\n\n"))
    for path in SEEDS.glob("*.txt"):
        for line in path.read_text("utf-8").split("\n"):
            if line and line not in header:
                assert line.removeprefix("+ ") in output, (path.name, line)


def test_ingested_files_load_as_articles_named_by_slug(content):
    ingest(SEEDS, content)
    loaded, diagnostics = load_articles(content)
    manifest = json.loads((content / MANIFEST).read_text("utf-8"))["articles"]
    assert diagnostics == [] and len(loaded) == 5
    assert {a.id: a.slug for a in loaded} == {i: entry["slug"] for i, entry in manifest.items()}
    assert all(Path(a.path).stem == a.slug for a in loaded)


def test_second_run_changes_no_byte(content):
    first = ingest(SEEDS, content)
    before = snapshot(content)
    second = ingest(SEEDS, content)
    assert snapshot(content) == before
    assert (second.written, second.unchanged, first.written) == (0, 5, 5)


def test_summary_is_one_line_with_the_counts(content):
    summary = ingest(SEEDS, content).summary
    assert "\n" not in summary
    for part in ("2 dump(s) read", "0 skipped", "8 article(s) found", "3 exact and 0 near", "5 written"):
        assert part in summary


def test_progress_is_reported_after_each_dump_and_each_distinct_text(content):
    calls = []
    ingest(SEEDS, content, progress=lambda stage, done, total: calls.append((stage, done, total)))
    # 8 articles in 2 dumps; their content keys, then the 5 distinct texts' shingles, then
    # those 5 through the index.
    assert calls == ([("read", 1, 2), ("read", 2, 2)] + [("keys", n, 8) for n in range(1, 9)]
                     + [("shingle", n, 5) for n in range(1, 6)] + [("dedupe", n, 5) for n in range(1, 6)])


# --- editors win ------------------------------------------------------------------

def test_edited_content_file_is_never_overwritten(seeds, content, dump_article):
    ingest(seeds, content)
    path = isis_file(content)
    edited = path.read_text("utf-8").replace("The Kazakh", "The man from Kazakhstan") + "\nAn editor's note.\n"
    path.write_text(edited, encoding="utf-8")
    # A later dump repeats the story and another brings a fuller version of it.
    shutil.copy(seeds / SEED_NAMES[1], seeds / "003_repeat.txt")
    fuller = (seeds / SEED_NAMES[1]).read_text("utf-8").replace(
        "I had no choice but to comply.", "I had no choice but to comply.\n\nA new closing paragraph.")
    (seeds / "004_fuller.txt").write_text(fuller, encoding="utf-8")
    result = ingest(seeds, content)
    assert path.read_text("utf-8") == edited
    assert result.kept_edited == 1 and result.created == 0


def test_a_dump_repeating_an_article_adds_its_name_to_the_unedited_file(seeds, content):
    ingest(seeds, content)
    before = snapshot(content)
    shutil.copy(seeds / SEED_NAMES[1], seeds / "003_repeat.txt")
    result = ingest(seeds, content)
    after = snapshot(content)
    assert len(after) == len(before) and result.created == 0 and result.updated == 4
    assert front_matter(isis_file(content))["sources"] == [SEED_NAMES[1], "003_repeat.txt"]


def test_a_dump_leaving_the_seeds_folder_stays_in_sources(seeds, content):
    ingest(seeds, content)
    (seeds / SEED_NAMES[0]).unlink()
    shutil.copy(seeds / SEED_NAMES[1], seeds / "003_repeat.txt")
    ingest(seeds, content)
    shared = content / "articles" / "iraq-negotiates-new-coalition-under-us-pressure.md"
    assert front_matter(shared)["sources"] == [*SEED_NAMES, "003_repeat.txt"]


def test_a_fuller_version_replaces_the_unedited_file(seeds, content):
    ingest(seeds, content)
    fuller = (seeds / SEED_NAMES[1]).read_text("utf-8").replace(
        "I had no choice but to comply.", "I had no choice but to comply.\n\nA new closing paragraph.")
    (seeds / "003_fuller.txt").write_text(fuller, encoding="utf-8")
    result = ingest(seeds, content)
    assert (result.exact_duplicates, result.near_duplicates, result.created) == (6, 1, 0)
    assert isis_file(content).read_text("utf-8").endswith("comply.\n\nA new closing paragraph.\n")


def test_an_article_an_editor_deleted_is_not_recreated_and_is_reported(content):
    ingest(SEEDS, content)
    isis_file(content).unlink()
    result = ingest(SEEDS, content)
    assert not isis_file(content).exists()
    assert result.kept_deleted == 1 and "1 deleted by editors (not recreated)" in result.summary


def test_an_article_an_editor_renamed_is_not_written_again(content):
    ingest(SEEDS, content)
    renamed = content / "articles" / "isis-interviews.md"
    text = isis_file(content).read_text("utf-8")
    isis_file(content).rename(renamed)
    renamed.write_text(text.replace("slug: 3-isis-members-recount-to-asharq-al-awsat-their-journey-with-the-terror-group",
                                    "slug: isis-interviews"), encoding="utf-8")
    result = ingest(SEEDS, content)
    assert not isis_file(content).exists() and result.created == 0 and result.kept_edited == 1


def test_a_file_an_editor_wrote_with_a_stories_id_is_left_alone(content):
    ingest(SEEDS, content)
    (content / MANIFEST).unlink()
    isis_file(content).write_text(isis_file(content).read_text("utf-8") + "\nEdited.\n", encoding="utf-8")
    result = ingest(SEEDS, content)
    assert result.kept_edited == 1 and result.unchanged == 4 and result.created == 0
    assert isis_file(content).read_text("utf-8").endswith("\nEdited.\n")


def test_a_lost_manifest_is_rebuilt_from_the_unedited_files(content):
    ingest(SEEDS, content)
    manifest = (content / MANIFEST).read_bytes()
    (content / MANIFEST).unlink()
    result = ingest(SEEDS, content)
    assert (content / MANIFEST).read_bytes() == manifest and result.unchanged == 5 and result.written == 0


# --- slugs --------------------------------------------------------------------------

def test_colliding_titles_get_numbered_slugs_in_dump_order(tmp_path, dump_article):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    stories = [["Floods cut the road to the north."], ["A new school opened its doors."],
               ["Prices of bread rose again."]]
    for number, paragraphs in enumerate(stories):
        (seeds / f"00{number}.txt").write_text(dump_article("Same Title", paragraphs), encoding="utf-8")
    ingest(seeds, tmp_path / "content")
    slugs = {slug: article.body for slug, article in articles_in(tmp_path / "content").items()}
    assert slugs == {"same-title": "Floods cut the road to the north.\n",
                     "same-title-2": "A new school opened its doors.\n",
                     "same-title-3": "Prices of bread rose again.\n"}


def test_arabic_title_gets_a_latin_slug(tmp_path, dump_article):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text(dump_article("محمد الحسن في بيروت", ["He spoke."]), encoding="utf-8")
    ingest(seeds, tmp_path / "content")
    [slug] = articles_in(tmp_path / "content")
    assert slug and slug.isascii() and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


# --- bad input damages nothing --------------------------------------------------------

def test_bad_dumps_are_skipped_with_warnings_and_damage_nothing(seeds, content, dump_article):
    ingest(seeds, content)
    before = snapshot(content)
    (seeds / "010_empty.txt").write_bytes(b"")
    (seeds / "011_blank.txt").write_bytes(b"\n \r\n\t\n")
    (seeds / "012_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (seeds / "013_notes.txt").write_text("Nothing here looks like an article.\n", encoding="utf-8")
    broken = dump_article("Readable Story", ["Broken BYTE here."]).encode().replace(b"BYTE", b"\xff\xfe")
    (seeds / "014_broken.txt").write_bytes(broken)
    result = ingest(seeds, content)
    after = snapshot(content)
    assert {name: after[name] for name in before if name != MANIFEST} == \
        {name: data for name, data in before.items() if name != MANIFEST}
    assert result.dumps_skipped == 3 and result.created == 1
    assert [d.path for d in result.diagnostics] == ["010_empty.txt", "011_blank.txt", "012_binary.txt",
                                                    "013_notes.txt", "014_broken.txt"]
    assert "Broken \ufffd\ufffd here." in (content / "articles" / "readable-story.md").read_text("utf-8")


def test_a_damaged_manifest_stops_ingest_before_anything_is_written(seeds, content, dump_article):
    ingest(seeds, content)
    (content / MANIFEST).write_text("{not json", encoding="utf-8")
    (seeds / "003_new.txt").write_text(dump_article("A New Story", ["News."]), encoding="utf-8")
    before = snapshot(content)
    with pytest.raises(BuildError, match="manifest is damaged"):
        ingest(seeds, content)
    assert snapshot(content) == before


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(seeds, content, monkeypatch):
    ingest(seeds, content)
    before = snapshot(content)
    shutil.copy(seeds / SEED_NAMES[1], seeds / "003_repeat.txt")

    def fail(source, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(ingest_module.os, "replace", fail)
    with pytest.raises(OSError):
        ingest(seeds, content)
    assert snapshot(content) == before
    assert not [name for name in os.listdir(content / "articles") if name.endswith(".tmp")]


def test_mixed_layout_fixture_is_ingested_whole(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(VARIANTS, seeds / "variants.txt")
    result = ingest(seeds, tmp_path / "content")
    articles = articles_in(tmp_path / "content")
    assert result.created == 5 and len(result.diagnostics) == 1
    interview = articles["an-interview-with-hassan-nasrallahs-former-aide"]
    assert str(interview.date) == "2025-12-15"
    assert front_matter(tmp_path / "content" / "articles" / "drought-empties-reservoirs-across-morocco.md")[
        "truncated"] is True
