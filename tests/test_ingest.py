import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from dump_writer import SEEDS_VARIANTS, SITE_VARIANTS, concatenated, distinct, in_other_layout, invented

from test_build import tree

from briefing import ingest as ingest_module, workers
from briefing.content import load_articles, parse_article
from briefing.ingest import MANIFEST, ingest
from briefing.markup import render_markdown
from briefing.model import BuildError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_NAMES = sorted(path.name for path in SEEDS.glob("*.txt"))
VARIANTS = Path(__file__).parent / "fixtures" / "dumps" / "variants.txt"
MIXED = Path(__file__).parent / "fixtures" / "dumps" / "mixed"
LAYOUTS = Path(__file__).parent / "fixtures" / "dumps" / "layouts"
INTERVIEW = "sudanese-envoy-to-asharq-al-awsat-the-army-will-not-negotiate-under-fire"


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
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)
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


# --- real dumps in every layout ---------------------------------------------------

def copy_dumps(source: Path, tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(source, seeds)
    return seeds


def test_an_interview_glued_under_a_health_story_comes_out_as_one_story_of_its_own(tmp_path):
    """The issue's failure: an interview in the site-page layout right under an unrelated
    story's last line, and the same interview in the seeds' layout in another dump."""
    content = tmp_path / "content"
    result = ingest(copy_dumps(MIXED, tmp_path), content)
    articles = articles_in(content)
    assert sorted(articles) == ["clinics-in-northern-syria-run-short-of-insulin",
                                "gaza-fishermen-return-to-sea-after-two-months", INTERVIEW]
    health = articles["clinics-in-northern-syria-run-short-of-insulin"].body
    assert "Sudan" not in health and "Asharq" not in health and health.rstrip().endswith("another route.")
    interview = articles[INTERVIEW]
    assert interview.sources == ("001_health.txt", "002_interview.txt")
    # The richer copy is kept: the site page's, with its date and byline.
    assert (interview.date, interview.author, interview.place) == (dt.date(2024, 1, 17), "Mona Example", "Cairo")
    assert "**Is there any chance of a ceasefire before Ramadan?**" in interview.body
    [merged] = front_matter(content / "articles" / f"{INTERVIEW}.md")["merged"]
    assert (merged["source"], merged["line"]) == ("002_interview.txt", 1) and 0.6 < merged["similarity"] < 1
    [line] = result.merges
    assert line.startswith(f"merged: 002_interview.txt:1 {interview.title!r} into {INTERVIEW} (similarity 0.")
    assert f"not_duplicate_of: [{merged['id']}]" in line
    assert result.layouts == (("seeds", 3), ("site-page", 1)) and result.interviews == 2
    assert "3 in the seeds' layout, 1 in the site page; 2 interview(s)" in result.summary


def test_an_editor_undoes_a_wrong_merge_and_the_next_ingest_writes_both(tmp_path):
    content = tmp_path / "content"
    seeds = copy_dumps(MIXED, tmp_path)
    ingest(seeds, content)
    path = content / "articles" / f"{INTERVIEW}.md"
    [merged] = front_matter(path)["merged"]
    path.write_text(path.read_text("utf-8").replace("merged:", f"not_duplicate_of: [{merged['id']}]\nmerged:", 1))
    result = ingest(seeds, content)
    assert result.created == 1 and result.kept_edited == 1
    assert sorted(articles_in(content)) == ["clinics-in-northern-syria-run-short-of-insulin",
                                            "gaza-fishermen-return-to-sea-after-two-months",
                                            INTERVIEW, INTERVIEW + "-2"]
    second = articles_in(content)[INTERVIEW + "-2"]
    assert second.sources == ("002_interview.txt",) and "neighbor" in second.body
    assert ingest(seeds, content).written == 0


def test_two_texts_sharing_their_words_but_not_their_title_or_opening_are_both_kept_with_a_warning(
        tmp_path, dump_article):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    story = ["The council approved the budget after a long night of talks in the capital.",
             "Members said the vote was the closest in years and that more talks were due.",
             "The governor said the money for schools and hospitals was safe for now."]
    (seeds / "a.txt").write_text(dump_article("Council Approves Budget", story))
    (seeds / "b.txt").write_text(dump_article("Clinics Run Short of Insulin", ["Doctors said so."] + story))
    result = ingest(seeds, tmp_path / "content")
    assert result.created == 2
    [warning] = [d for d in result.diagnostics if "shares most of its text" in d.message]
    assert (warning.path, warning.line) == ("b.txt", 1) and "a.txt:1" in warning.message


def test_every_layout_fixture_ingests_with_its_date_author_and_place(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(LAYOUTS, seeds, ignore=shutil.ignore_patterns("*.yaml"))
    result = ingest(seeds, tmp_path / "content")
    articles = articles_in(tmp_path / "content")
    expected = yaml.safe_load((LAYOUTS / "expected.yaml").read_text("utf-8"))
    assert result.created == sum(len(found) for found in expected.values()) == len(articles)
    port = articles["port-workers-extend-strike-into-third-week"]
    assert (port.date, port.author, port.place) == (dt.date(2019, 6, 4), "Leila Example", "Tangier")
    banks = front_matter(tmp_path / "content" / "articles" / "lebanons-banks-reopen-after-week-long-strike.md")
    assert banks["summary"] == "Depositors queue from dawn as branches open their doors again."
    assert [d.message for d in result.diagnostics] == [
        "article 'Rains Bring Relief to Farmers in the North' seems cut off mid-sentence; "
        "its last paragraph is kept as it is"]
    assert "1 warning(s) (listed above)" in result.summary


def test_a_glued_copy_is_split_off_using_the_titles_of_other_dumps(tmp_path, dump_article):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    port = dump_article("Port Workers Extend Strike into Third Week", ["Dock workers struck on Monday."])
    (seeds / "a.txt").write_text(port)
    glued = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."]).rstrip("\n") \
        + "\nPort Workers Extend Strike into Third Week\n\nCaption here. (AP)\nCaption here. (AP)\n\n" \
          "Dock workers struck on Monday.\n"
    (seeds / "b.txt").write_text(glued)
    ingest(seeds, tmp_path / "content")
    articles = articles_in(tmp_path / "content")
    assert sorted(articles) == ["clinics-run-short-of-insulin", "port-workers-extend-strike-into-third-week"]
    assert articles["clinics-run-short-of-insulin"].body.strip() == "Doctors said the shelves were empty."
    assert articles["port-workers-extend-strike-into-third-week"].sources == ("a.txt", "b.txt")


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(invented(), min_size=2, max_size=8, unique_by=lambda story: story.title),
       st.integers(0, 7), st.sampled_from(SEEDS_VARIANTS + SITE_VARIANTS), st.randoms(use_true_random=False))
def test_invented_articles_spread_over_dumps_ingest_to_exactly_those_articles(
        tmp_path_factory, stories, copied, variant, rng):
    """Any articles in any layouts, in any order over a few dumps, plus a copy of one of
    them in the other layout: exactly those articles, titles and bodies intact, the copy merged."""
    folder = tmp_path_factory.mktemp("ingest")
    stories = distinct(stories)
    original = stories[copied % len(stories)]
    layout = "site-page" if original.layout == "seeds" else "seeds"
    variant = variant if variant in (SITE_VARIANTS if layout == "site-page" else SEEDS_VARIANTS) else "standard"
    copy = in_other_layout(original, layout, variant)
    everything = stories + [copy]
    rng.shuffle(everything)
    seeds = folder / "seeds"
    seeds.mkdir()
    cuts = sorted(rng.sample(range(1, len(everything)), 2))
    dumps = {}
    for number, (start, end) in enumerate(zip([0, *cuts], [*cuts, len(everything)])):
        part = everything[start:end]
        (seeds / f"{number:03}.txt").write_text(concatenated(part, [rng.choice(["", "\n"]) for _ in part]))
        dumps.update({id(story): f"{number:03}.txt" for story in part})
    result = ingest(seeds, folder / "content")
    loaded = {article.title: article for article in articles_in(folder / "content").values()}
    assert result.created == len(stories) == len(loaded)
    assert result.near_duplicates + result.exact_duplicates == 1
    for story in stories:
        found = loaded.get(story.shown_title) or loaded[copy.shown_title]
        body = render_markdown(found.body).text
        assert all(text in body for _, text in story.blocks())
    merged = loaded.get(original.shown_title) or loaded[copy.shown_title]
    assert merged.sources == tuple(sorted({dumps[id(original)], dumps[id(copy)]}))
    assert merged.date == original.date == copy.date     # the site page's date line is kept
