import codecs
import datetime as dt
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from dump_writer import TAGLINE, concatenated, invented
from briefing.dumps import TT, parse_dump, read_dump

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
VARIANTS = Path(__file__).parent / "fixtures" / "dumps" / "variants.txt"
LAYOUTS = Path(__file__).parent / "fixtures" / "dumps" / "layouts"
EXPECTED = yaml.safe_load((LAYOUTS / "expected.yaml").read_text("utf-8"))


def parse(text, source="dump.txt", titles=frozenset()):
    return parse_dump(text, source, titles)


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
    assert (first.byline, first.author, first.place) == ("By Layla Hassan", "Layla Hassan", None)
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


# --- every layout the newspaper's dumps use (fixtures/dumps/layouts) --------------

def as_expected(article) -> dict:
    """An article in the terms of layouts/expected.yaml."""
    body = []
    for block in article.blocks:
        if block.kind == "list":
            body.extend(block.items)
        else:
            body.append(("Q: " if block.kind == "question" else "") + block.text)
    found = {"title": article.title, "layout": article.layout, "caption": article.caption,
             "date": article.date, "author": article.author, "place": article.place,
             "summary": article.standfirst, "truncated": article.truncated, "body": body}
    return {key: value for key, value in found.items() if value not in (None, False)}


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_each_layout_and_variant_parses_into_its_articles(name):
    articles, diagnostics = parse((LAYOUTS / name).read_text("utf-8"), name)
    assert [as_expected(article) for article in articles] == EXPECTED[name]
    assert [d.message for d in diagnostics if "cut off" not in d.message] == []
    assert len(diagnostics) == sum(article.truncated for article in articles)


def test_every_layout_in_any_order_in_one_dump_gives_every_article_whole():
    texts = {name: (LAYOUTS / name).read_text("utf-8") for name in sorted(EXPECTED)}
    rng = random.Random(15)
    for _ in range(20):
        names = rng.sample(sorted(texts), len(texts))
        glue = [rng.choice(["", "\n", "\n\n"]) for _ in names]
        # Only a site page's tagline can sit right under the line before it.
        text = "".join((g if texts[n].startswith(TAGLINE) else g or "\n") + texts[n]
                       for n, g in zip(names, glue))
        articles, _ = parse(text, "all.txt")
        assert [as_expected(a) for a in articles] == [e for n in names for e in EXPECTED[n]]


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(invented(), min_size=1, max_size=6, unique_by=lambda story: story.title),
       st.lists(st.sampled_from(["", "\n", "\n\n"]), min_size=6, max_size=6))
def test_invented_articles_in_any_layouts_and_order_parse_back_exactly(stories, separators):
    text = concatenated(stories, separators)
    articles, diagnostics = parse(text, "mixed.txt")
    assert [a.title for a in articles] == [s.shown_title for s in stories]
    for article, story in zip(articles, stories):
        assert [(b.kind, b.text) for b in article.blocks] == story.blocks()
        assert (article.layout, article.caption, article.date, article.author, article.place,
                article.standfirst, article.truncated) == (
            story.layout, story.caption, story.shown_date, story.author, story.shown_place,
            story.summary, story.cut)
    assert len(diagnostics) == sum(story.cut for story in stories)


# --- boundaries never glue ---------------------------------------------------------

SITE_PAGE = LAYOUTS / "site-page.txt"


def test_a_tagline_right_under_a_body_line_starts_a_new_article(dump_article):
    host = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."]).rstrip("\n")
    articles, diagnostics = parse(host + "\n" + SITE_PAGE.read_text("utf-8"))
    assert [a.title for a in articles] == ["Clinics Run Short of Insulin",
                                           "Port Workers Extend Strike into Third Week",
                                           "Fishermen Count Losses After Storm"]
    assert texts(articles[0]) == ["Doctors said the shelves were empty."] and diagnostics == []


def test_a_site_page_without_its_tagline_is_still_an_article_of_its_own(dump_article):
    page = SITE_PAGE.read_text("utf-8").replace(TAGLINE + "\n\n", "\n")
    host = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."])
    articles, _ = parse(host + page)
    assert [(a.title, a.date) for a in articles][1:] == [
        ("Port Workers Extend Strike into Third Week", dt.date(2019, 6, 4)),
        ("Fishermen Count Losses After Storm", dt.date(2019, 6, 5))]
    assert texts(articles[0]) == ["Doctors said the shelves were empty."]


def test_a_title_over_its_date_line_opens_an_article_inside_a_body(dump_article):
    host = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."])
    glued = "Port Workers Extend Strike into Third Week\nTuesday, 4 June, 2019 - 09:30\n\nDock workers struck.\n"
    articles, _ = parse(host + glued)
    assert [(a.title, a.date, texts(a)) for a in articles][1:] == [
        ("Port Workers Extend Strike into Third Week", dt.date(2019, 6, 4), ["Dock workers struck."])]


def test_another_articles_title_with_its_captions_under_it_splits_the_body(dump_article):
    first = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."])
    second = dump_article("Port Workers Extend Strike into Third Week", ["Dock workers struck."])
    # The second copy of the port story lost its TT and repeated title, and sits glued
    # under a body line: only the title, known from the first copy, and its captions.
    glued = first.rstrip("\n") + "\nPort Workers Extend Strike into Third Week\n\nCaption here. (AP)\n" \
        "Caption here. (AP)\n\nDock workers struck again.\n\n"
    articles, diagnostics = parse(second + glued)
    assert [(a.title, texts(a)) for a in articles] == [
        ("Port Workers Extend Strike into Third Week", ["Dock workers struck."]),
        ("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."]),
        ("Port Workers Extend Strike into Third Week", ["Dock workers struck again."])]
    assert diagnostics == []


def test_a_body_line_equal_to_another_title_with_no_header_under_it_is_reported(dump_article):
    text = (dump_article("Port Workers Extend Strike into Third Week", ["Dock workers struck."])
            + dump_article("Clinics Run Short of Insulin",
                           ["Doctors said the shelves were empty.", "Port Workers Extend Strike into Third Week",
                            "Nobody knows what this line is doing here."]))
    articles, diagnostics = parse(text, "d.txt")
    assert len(articles) == 2 and "Port Workers Extend Strike into Third Week" in texts(articles[1])
    [warning] = diagnostics
    line = text.split("\n").index("Port Workers Extend Strike into Third Week", 10) + 1
    assert (warning.path, warning.line) == ("d.txt", line) and "title of another article" in warning.message


def test_titles_of_other_dumps_split_a_body_the_same_way(dump_article):
    glued = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty."]).rstrip("\n") \
        + "\nPort Workers Extend Strike into Third Week\n\nCaption here. (AP)\nCaption here. (AP)\n\nDock workers struck.\n"
    alone, _ = parse(glued)
    assert len(alone) == 1          # nothing in this dump says the line is a title
    known, _ = parse(glued, titles=frozenset({"Port Workers Extend Strike into Third Week"}))
    assert [a.title for a in known] == ["Clinics Run Short of Insulin", "Port Workers Extend Strike into Third Week"]


def test_a_bare_date_line_in_a_body_is_kept_and_reported(dump_article):
    text = dump_article("Clinics Run Short of Insulin", ["Doctors said the shelves were empty.",
                                                         "Wednesday, 5 June, 2019 - 11:15", "More text."])
    [article], [warning] = parse(text, "d.txt")
    assert "Wednesday, 5 June, 2019 - 11:15" in texts(article)
    assert "bare date line" in warning.message and warning.line == text.split("\n").index(
        "Wednesday, 5 June, 2019 - 11:15") + 1


# --- interviews ----------------------------------------------------------------------

@pytest.mark.parametrize("body, questions", [
    ("Intro.\n\n* Why now?\n\nBecause.\n", ["Why now?"]),
    ("Intro.\n\nWhy now?\nBecause it was time.\n\nAnd then?\nWe waited.\n", ["Why now?", "And then?"]),
    ("Intro.\n\n1. Why now?\n\nBecause.\n\n2- And then?\n\nWe waited.\n", ["1. Why now?", "2- And then?"]),
], ids=["starred", "answer right under", "numbered"])
def test_interview_questions_are_blocks_of_their_own(body, questions):
    [article], _ = parse(f"An Interview on Water\n\nCap. (AP)\nCap. (AP)\nTT\n\nAn Interview on Water\n\n"
                         f"Cap. (AP)\nCap. (AP)\n\n{body}")
    assert [b.text for b in article.blocks if b.kind == "question"] == questions


def test_a_question_in_a_paragraph_of_its_own_without_a_mark_is_an_ordinary_paragraph(dump_article):
    [article], _ = parse(dump_article("Who Pays", ["Who will pay for it?", "Nobody knows yet."]))
    assert [b.kind for b in article.blocks] == ["paragraph", "paragraph"]


# --- bylines ------------------------------------------------------------------------

@pytest.mark.parametrize("line, author, place", [
    ("Tangier – Leila Example", "Leila Example", "Tangier"),
    ("Beirut - Hanan Example", "Hanan Example", "Beirut"),
    ("Cairo - Asharq Al-Awsat", None, "Cairo"),
    ("Damascus - London - Asharq Al-Awsat", None, "Damascus, London"),
    ("Baghdad – Asharq Al-Awsat and Agencies", None, "Baghdad"),
    ("Huda al-Example (London)", "Huda al-Example", "London"),
    ("By Layla Hassan", "Layla Hassan", None),
    ("Riyadh - Abdul Rahman bin Example", "Abdul Rahman bin Example", "Riyadh"),
    ("Asharq Al-Awsat", None, None),
    ("Reuters/AFP", None, None),
])
def test_bylines_give_the_author_and_the_place(line, author, place):
    from briefing.furniture import byline
    found = byline(line, parenthesised=True)
    assert (found.author, found.place) == (author, place)


@pytest.mark.parametrize("line", [
    "Dock workers gather outside the port authority. (Reuters)",
    "The talks - which began in May - stalled again on Monday.",
    "Samir Example",        # a bare name is a byline only where the layout puts one
    "Prices rose – and rose again",
    "President Donald Trump (White House)",
    "Israeli Prime Minister Benjamin Netanyahu (EPA)",
])
def test_lines_that_are_no_byline(line):
    from briefing.furniture import byline
    assert byline(line, parenthesised=True) is None


def test_a_name_with_its_credit_is_a_caption_not_a_byline():
    from briefing.furniture import byline
    assert byline("Leila Example (London)") is None       # unless the layout had its caption already


def test_a_credited_caption_under_the_date_line_stays_the_caption_and_the_byline_follows():
    page = (f"{TAGLINE}\n\nTrump Meets Gulf Leaders in Riyadh\n\nTrump Meets Gulf Leaders in Riyadh\n\n"
            "Wednesday, 14 May, 2025 - 10:00\nPresident Donald Trump (White House)\nRiyadh - Ali Example\n\n"
            "The US president met Gulf leaders on Wednesday.\n")
    [article], _ = parse(page)
    assert (article.caption, article.author, article.place) == (
        "President Donald Trump (White House)", "Ali Example", "Riyadh")
    assert texts(article) == ["The US president met Gulf leaders on Wednesday."]


def test_a_single_credited_caption_in_the_seeds_layout_stays_the_caption():
    [article], _ = parse("Netanyahu Visits the North\n\nIsraeli Prime Minister Benjamin Netanyahu (EPA)\nTT\n\n"
                         "Netanyahu Visits the North\n\nIsraeli Prime Minister Benjamin Netanyahu (EPA)\n\n"
                         "He toured the border on Monday.\n")
    assert (article.caption, article.author) == ("Israeli Prime Minister Benjamin Netanyahu (EPA)", None)


def test_a_headline_naming_the_paper_and_the_news_is_no_tagline(dump_article):
    title = "Arab League Envoy to Asharq Al-Awsat: Fake News Fuels Sudan War"
    text = dump_article("Port Workers Strike Again", ["Dock workers struck."]) + dump_article(title, ["He said so."])
    articles, diagnostics = parse(text)
    assert [a.title for a in articles] == ["Port Workers Strike Again", title] and diagnostics == []


def test_a_subheading_over_a_date_inside_a_body_does_not_split_it(dump_article):
    body = ["The talks began in spring.", "How the Talks Unfolded\nMonday, 25 August 2025",
            "Negotiators met twice that week."]
    [article], _ = parse(dump_article("Talks Resume in Cairo", body))
    assert texts(article)[-1] == "Negotiators met twice that week."


def test_a_question_in_sentence_case_is_a_title(dump_article):
    first = dump_article("Port Workers Strike Again", ["Dock workers struck."])
    second = "Is the war in Sudan about to end?\n\nFighters near Khartoum. (Reuters)\nTT\n\nMediators met again.\n"
    articles, _ = parse(first + second)
    assert [(a.title, a.caption) for a in articles][1] == ("Is the war in Sudan about to end?",
                                                           "Fighters near Khartoum. (Reuters)")


def test_a_site_page_signed_by_the_paper_alone_has_no_author():
    text = (LAYOUTS / "site-page-no-caption.txt").read_text("utf-8").replace("Cairo - Asharq Al-Awsat", "Asharq Al-Awsat")
    second = parse(text)[0][1]
    assert (second.title, second.author, second.place, second.byline) == (
        "Central Bank Holds Rates Steady", None, None, "Asharq Al-Awsat")
