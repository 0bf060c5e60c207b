import codecs
import datetime as dt
from pathlib import Path

import pytest

from briefing.dumps import TT, parse_dump, read_dump

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
VARIANTS = Path(__file__).parent / "fixtures" / "dumps" / "variants.txt"


def parse(text, source="dump.txt"):
    return parse_dump(text, source)


def texts(article):
    """Every body text of an article: paragraphs, headings and list items."""
    found = []
    for block in article.blocks:
        found.extend(block.items if block.kind == "list" else (block.text,))
    return found


# --- the real dumps ---------------------------------------------------------------

@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name)
def test_each_seed_dump_holds_four_articles_in_order(path):
    articles, diagnostics = parse(path.read_text("utf-8"), path.name)
    assert len(articles) == 4 and diagnostics == []
    assert [article.line for article in articles] == sorted(article.line for article in articles)
    assert all(article.source == path.name and article.caption for article in articles)


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name)
def test_repeated_title_caption_and_tt_never_reach_a_body(path):
    for article in parse(path.read_text("utf-8"), path.name)[0]:
        body = texts(article)
        assert TT not in body
        assert article.title not in body and article.caption not in body


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name)
def test_every_body_line_of_a_seed_is_kept_word_for_word(path):
    text = path.read_text("utf-8")
    articles = parse(text, path.name)[0]
    header = {TT} | {a.title for a in articles} | {a.caption for a in articles}
    kept = [line for article in articles for line in texts(article)]
    expected = [line.removeprefix("+ ") for line in text.split("\n") if line and line not in header]
    assert kept == expected


def test_photo_caption_dates_are_not_the_article_date():
    articles = parse(SEEDS[0].read_text("utf-8"))[0]
    assert "02 November 2025" in articles[1].caption
    assert all(article.date is None for article in articles)


def test_seed_subheadings_and_list_items_are_recognised():
    articles = parse(SEEDS[0].read_text("utf-8"))[0]
    headings = [b.text for b in articles[0].blocks if b.kind == "heading"]
    assert headings == ["Secret Meetings", "Rushing in…Slowing Down", "“Abu Uday”"]
    lists = [b.items for b in articles[3].blocks if b.kind == "list"]
    assert len(lists) == 1 and len(lists[0]) == 3 and lists[0][0].startswith("Kataeb Hezbollah")


# --- layouts that vary ------------------------------------------------------------

def test_mixed_layouts_split_into_their_articles():
    articles, diagnostics = parse(VARIANTS.read_text("utf-8"), "variants.txt")
    assert [a.title for a in articles] == [
        "Baghdad Talks Stall Over Cabinet Posts", "Cairo Hosts Sudan Mediation Round",
        "Damascus Reopens Its Old Souk", "An Interview with Hassan Nasrallah’s Former Aide",
        "Drought Empties Reservoirs Across Morocco"]
    assert [a.line for a in articles] == [1, 27, 37, 52, 75]
    assert len(diagnostics) == 1 and "cut off" in diagnostics[0].message


def test_article_without_caption(dump_article):
    [article], _ = parse(dump_article("No Photo Today", ["First paragraph.", "Second one."], caption=None))
    assert article.caption is None and texts(article) == ["First paragraph.", "Second one."]


@pytest.mark.parametrize("text, caption", [
    ("One Caption\n\nThe photo.\nTT\n\nOne Caption\n\nThe photo.\n\nBody.\n", "The photo."),
    ("No Marker\n\nThe photo.\nThe photo.\n\nNo Marker\n\nThe photo.\nThe photo.\n\nBody.\n", "The photo."),
    ("No Photo\nTT\nAdvertisement\n\nNo Photo\n\nBody.\n", None),
    ("Photo Late\nTT\nThe photo.\n\nPhoto Late\n\nThe photo.\n\nBody.\n", "The photo."),
    ("Marked Twice\n\nThe photo.\nThe photo.\nTT\n\nMarked Twice\n\nThe photo.\nThe photo.\nTT\n\nBody.\n",
     "The photo."),
], ids=["single caption", "no TT", "stray after TT", "caption after TT", "TT twice"])
def test_header_variants_leave_only_the_body(text, caption):
    [article], _ = parse(text)
    assert (article.caption, texts(article)) == (caption, ["Body."])


def test_stray_line_after_tt_is_dropped():
    articles = parse(VARIANTS.read_text("utf-8"))[0]
    interview = articles[3]
    assert "Share this article" not in texts(interview)
    assert interview.caption == "Muhammad al-Ḥasan speaks in Beirut. (Asharq Al-Awsat)"


def test_byline_under_the_title_is_kept_apart_from_the_body():
    first = parse(VARIANTS.read_text("utf-8"))[0][0]
    assert first.byline == "Layla Hassan"
    assert not any("Layla" in line for line in texts(first))


def test_date_line_under_the_title_is_the_article_date():
    interview = parse(VARIANTS.read_text("utf-8"))[0][3]
    assert interview.date == dt.date(2025, 12, 15)
    assert not any("10:30" in line for line in texts(interview))


def test_dateline_opening_the_first_paragraph_is_the_article_date(dump_article):
    [article], _ = parse(dump_article("Storm Hits Coast", ["BEIRUT, 3 March 2025 – A storm hit the coast."]))
    assert article.date == dt.date(2025, 3, 3)
    assert texts(article) == ["BEIRUT, 3 March 2025 – A storm hit the coast."]


def test_a_date_inside_the_body_is_not_the_article_date(dump_article):
    [article], _ = parse(dump_article("Vote Set", ["The vote, set for 3 March 2025, was delayed."]))
    assert article.date is None


def test_windows_line_endings_and_byte_order_mark_give_the_same_articles():
    text = VARIANTS.read_text("utf-8")
    windows = "\ufeff" + text.replace("\n", "\r\n")
    assert parse(windows) == parse(text)


def test_non_breaking_spaces_become_spaces_and_typographic_quotes_stay(dump_article):
    [article], _ = parse(dump_article("Quotes\u00a0Matter", ["He said:\u00a0“It’s over.”"]))
    assert article.title == "Quotes Matter"
    assert texts(article) == ["He said: “It’s over.”"]


def test_arabic_names_and_script_are_kept():
    interview = parse(VARIANTS.read_text("utf-8"))[0][3]
    assert texts(interview)[0] == "Muhammad al-Ḥasan (محمد الحسن) spoke to Asharq Al-Awsat in Beirut."


def test_interview_question_is_a_paragraph_and_short_unpunctuated_line_a_subheading():
    interview = parse(VARIANTS.read_text("utf-8"))[0][3]
    kinds = {block.text: block.kind for block in interview.blocks}
    assert kinds["What did the party expect in 2006?"] == "paragraph"
    assert kinds["And now"] == "heading"


def test_consecutive_plus_lines_form_one_list():
    first = parse(VARIANTS.read_text("utf-8"))[0][0]
    lists = [block.items for block in first.blocks if block.kind == "list"]
    assert lists == [("The oil ministry.", "The interior ministry.")]


def test_truncated_final_paragraph_is_kept_flagged_and_warned_about():
    articles, diagnostics = parse(VARIANTS.read_text("utf-8"), "variants.txt")
    drought = articles[-1]
    assert drought.truncated and texts(drought)[-1] == "Farmers in the plains around Meknes say the wells have run"
    assert (diagnostics[0].path, diagnostics[0].line) == ("variants.txt", 88)
    assert not any(article.truncated for article in articles[:-1])


def test_short_last_line_without_punctuation_is_a_cut_paragraph_not_a_heading(dump_article):
    [article], _ = parse(dump_article("Cut Short", ["A full sentence.", "And then the"]))
    assert article.blocks[-1].kind == "paragraph" and article.truncated


def test_articles_are_found_by_structure_whatever_the_blank_lines(dump_article):
    one = dump_article("First Story", ["Para one.", "Para two."]).rstrip("\n") + "\n\n"
    two = dump_article("Second Story", ["Other para."])
    articles, _ = parse(one + two)
    assert [a.title for a in articles] == ["First Story", "Second Story"]
    assert texts(articles[0]) == ["Para one.", "Para two."]


def test_paragraph_repeated_in_a_body_does_not_start_an_article(dump_article):
    repeated = "The striker scored twice in the second half to seal the win."
    [article], _ = parse(dump_article("Cup Final", ["Opening.", "A short heading", repeated, repeated, "End."]))
    assert texts(article) == ["Opening.", "A short heading", repeated, repeated, "End."]


def test_paragraphs_repeated_in_turn_in_a_body_do_not_start_an_article(dump_article):
    body = ["Opening.", "He said no.", "She said yes.", "He said no.", "She said yes.", "End."]
    [article], _ = parse(dump_article("Back and Forth", body))
    assert texts(article) == body


def test_text_before_the_first_article_is_reported(dump_article):
    articles, diagnostics = parse("Some scraper banner.\n\n\n" + dump_article("Story", ["Body."]))
    assert len(articles) == 1
    assert diagnostics[0].line == 1 and "before the first article" in diagnostics[0].message


def test_dump_without_a_recognisable_article_warns_and_gives_nothing():
    articles, diagnostics = parse("Just some notes.\n\nNothing like an article here.\n", "notes.txt")
    assert articles == []
    assert diagnostics[0].path == "notes.txt" and "no recognisable article" in diagnostics[0].message


def test_article_with_a_header_but_no_body_is_skipped_with_a_warning(dump_article):
    text = dump_article("Full Story", ["Body."]) + "Empty Story\n\nCap.\nCap.\nTT\n\nEmpty Story\n\nCap.\nCap.\n"
    articles, diagnostics = parse(text)
    assert [a.title for a in articles] == ["Full Story"]
    assert "no body text" in diagnostics[0].message


# --- reading files ----------------------------------------------------------------

def write(tmp_path, data: bytes, name="dump.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, reason", [(b"", "empty"), (b"  \n\r\n\t\n", "blank"),
                                          (codecs.BOM_UTF8 + b"\n\n", "blank")])
def test_empty_or_blank_dump_is_skipped_with_a_warning(tmp_path, data, reason):
    text, diagnostics = read_dump(write(tmp_path, data))
    assert text is None and reason in diagnostics[0].message and diagnostics[0].path == "dump.txt"


def test_binary_dump_is_skipped_with_a_warning(tmp_path):
    text, diagnostics = read_dump(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert text is None and "binary" in diagnostics[0].message


def test_invalid_utf8_is_replaced_and_reported_by_line_and_good_articles_are_kept(tmp_path, dump_article):
    text = dump_article("Good Story", ["Fine text."]) + dump_article("Damaged Story", ["Broken BYTE here."])
    data = text.encode("utf-8").replace(b"BYTE", b"\xff")
    line = text.split("\n").index("Broken BYTE here.") + 1
    decoded, diagnostics = read_dump(write(tmp_path, data))
    assert [(d.path, d.line) for d in diagnostics] == [("dump.txt", line)]
    articles, _ = parse_dump(decoded, "dump.txt")
    assert [a.title for a in articles] == ["Good Story", "Damaged Story"]
    assert texts(articles[1]) == ["Broken \ufffd here."]


def test_read_dump_removes_byte_order_mark_and_windows_line_endings(tmp_path):
    data = codecs.BOM_UTF8 + VARIANTS.read_bytes().replace(b"\n", b"\r\n")
    text, diagnostics = read_dump(write(tmp_path, data))
    assert diagnostics == [] and text == VARIANTS.read_text("utf-8")


def test_utf16_dump_with_byte_order_mark_is_read(tmp_path):
    data = VARIANTS.read_text("utf-8").encode("utf-16")
    text, diagnostics = read_dump(write(tmp_path, data))
    assert diagnostics == [] and text == VARIANTS.read_text("utf-8")
