import datetime as dt
import random
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from briefing.content import (escape_markdown, load_articles, parse_article, parse_article_checked,
                              render_article, render_block)
from briefing.dumps import parse_dump
from briefing.markup import render_markdown
from briefing.model import Block, BuildError, RawArticle

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
MD = MarkdownIt("commonmark", {"html": False})


def read_back(markdown: str) -> list[str]:
    """The text of every paragraph, heading and list item markdown-it finds, and any other block."""
    found = []
    for token in MD.parse(markdown):
        if token.type == "inline":
            found.append("".join(child.content for child in token.children))
        elif token.type in ("hr", "code_block", "fence", "html_block"):
            found.append(f"<{token.type}>")
    return found


def block_texts(block: Block) -> list[str]:
    return list(block.items) if block.kind == "list" else [block.text]


AWKWARD = [
    "# Not a heading", "## Nor this", "#hashtag stays", "- not a list", "+ nor this", "* nor this",
    "1. Not a list", "2025) neither", "3.5 percent is a number", "> not a quote", "---", "- - -", "***",
    "___", "~~~ not a fence", "```python", "Use `code` here", "*stars* and _underscores_ and __bold__",
    "snake_case_name", "[a link](http://x.org)", "![image](x.png)", "[ref]: http://x.org",
    "<b>bold</b> and <http://autolink.org>", "a <= b and c > d", "AT&T &amp; &copy; &#169; &#x41;",
    "back\\slash and \\* escaped", "ends with a backslash\\", "C:\\path\\to", "Iraq’s “sovereign” ministries",
    "Tab\tinside", "Two  spaces inside", "==== equals", "| a | b |", "1\\. already escaped",
    "محمد الحسن قال: «لا»", "Ḥasan’s 10% rise — 3 * 4 = 12", "-", "+", "#", ">", "1.", "--",
]


@pytest.mark.parametrize("kind", ["paragraph", "heading", "list", "question"])
def test_awkward_text_renders_back_to_exactly_itself(kind):
    for text in AWKWARD:
        block = Block("list", items=(text, text)) if kind == "list" else Block(kind, text=text)
        assert read_back(render_block(block)) == block_texts(block), text


def test_random_markdown_like_text_renders_back_to_exactly_itself():
    alphabet = list("#->+*_`<[]\\&;!()1234567890.=~|: ax") + [" ", "\t", "“", "amp", "#x41", "http://x"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))).strip()
        for block in (Block("paragraph", text=text), Block("heading", text=text),
                      Block("list", items=(text, "x" + text)), Block("question", text=text)):
            if text:
                assert read_back(render_block(block)) == block_texts(block), repr(text)


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name)
def test_every_seed_block_renders_back_to_exactly_its_text(path):
    for article in parse_dump(path.read_text("utf-8"), path.name)[0]:
        for block in article.blocks:
            assert read_back(render_block(block)) == block_texts(block)


def test_an_interviews_question_is_written_in_bold():
    assert render_block(Block("question", text="Will *they* sign?")) == "**Will \\*they\\* sign?**"
    html = render_markdown(render_block(Block("question", text="1. Why now?"))).html
    assert html.strip() == "<p id=\"p-1\"><strong>1. Why now?</strong></p>"


def test_only_what_markdown_would_misread_is_escaped():
    plain = "Iraq’s “sovereign” ministries cost 3.5% more, AT&T said (#1 priority) - again."
    assert escape_markdown(plain) == plain
    assert escape_markdown("1. Not a list") == "1\\. Not a list"
    assert escape_markdown("- not a list") == "\\- not a list"
    assert escape_markdown("*stars*") == "\\*stars\\*"


def test_blocks_become_subheadings_list_items_and_paragraphs():
    assert render_block(Block("heading", text="Secret Meetings")) == "## Secret Meetings"
    assert render_block(Block("list", items=("One.", "Two."))) == "- One.\n- Two."
    assert render_block(Block("paragraph", text="Plain text.")) == "Plain text."


RAW = RawArticle(title="Iraq’s Talks: “Yes”", caption="Leaders meet. (AP)", source="b.txt", line=1,
                 blocks=(Block("paragraph", text="First."), Block("heading", text="Next steps"),
                         Block("list", items=("One.", "Two."))),
                 date=dt.date(2025, 12, 15), byline="Layla Hassan")


def test_front_matter_holds_title_slug_id_sorted_sources_caption_and_date():
    text = render_article(RAW, id="abc123", slug="iraqs-talks-yes", sources=["b.txt", "a.txt", "b.txt"])
    front = text.split("---\n")[1]
    assert list(yaml.safe_load(front)) == ["title", "slug", "id", "sources", "caption", "date", "byline"]
    assert yaml.safe_load(front)["sources"] == ["a.txt", "b.txt"]
    assert text.endswith("---\n\nFirst.\n\n## Next steps\n\n- One.\n- Two.\n")


def test_written_file_reads_back_as_the_same_article():
    text = render_article(RAW, id="abc123", slug="iraqs-talks-yes", sources=["a.txt"])
    article = parse_article(text, "content/articles/iraqs-talks-yes.md")
    assert (article.title, article.slug, article.id, article.sources) == (RAW.title, "iraqs-talks-yes",
                                                                         "abc123", ("a.txt",))
    assert (article.caption, article.date, article.countries, article.draft) == (RAW.caption, RAW.date, None, False)
    assert article.body == "First.\n\n## Next steps\n\n- One.\n- Two.\n"


@pytest.mark.parametrize("title", ["yes", "null", "2025", "3.5", ": colon", "#hash", "---", "- dash",
                                   "'quoted'", "\"double\"", "tab\there", "line\u2028separator",
                                   "next\u0085line", "[list]", "{map}", "@at", "`tick`", "~", "محمد"])
def test_awkward_titles_survive_the_front_matter(title):
    raw = RawArticle(title=title, caption=title, blocks=(Block("paragraph", text="x."),), source="a", line=1)
    article = parse_article(render_article(raw, id="i", slug="s", sources=["a"]), "s.md")
    assert (article.title, article.caption) == (title, title)


# --- reading content files ------------------------------------------------------

def fails(text, path="content/articles/x.md"):
    with pytest.raises(BuildError) as error:
        parse_article(text, path)
    return error.value


def test_missing_front_matter_says_what_to_add():
    error = fails("# Just markdown\n")
    assert error.message == "Couldn't find front matter in `x.md`. Did you forget to add `---`?"
    assert (error.path, error.line) == ("content/articles/x.md", 1)


def test_unclosed_front_matter_is_an_error():
    assert "not closed" in fails("---\ntitle: A\n\nBody\n").message


def test_yaml_error_names_the_line_in_the_file():
    error = fails("---\ntitle: A\nsources: [a, b\nslug: x\n---\nBody\n")
    assert error.line in (3, 4) and "Invalid YAML" in error.message
    assert str(error).startswith(f"content/articles/x.md:{error.line}: ")


def test_missing_title_is_an_error():
    assert "title" in fails("---\nslug: x\n---\nBody\n").message


@pytest.mark.parametrize("line, key", [("title: 2025", "title"), ("draft: maybe", "draft"),
                                       ("countries: {a: 1}", "countries"), ("topics: [1, 2]", "topics"),
                                       ("sources: 7", "sources"), ("caption: [a]", "caption")])
def test_wrong_types_are_errors_naming_key_and_line(line, key):
    text = "---\n" + ("" if key == "title" else "title: T\n") + line + "\n---\nBody\n"
    error = fails(text)
    assert f"`{key}`" in error.message and error.line == text.split("\n").index(line) + 1


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "15/12/2025", "2025-12-15 10:00", "20251215"])
def test_bad_date_is_an_error(value):
    error = fails(f"---\ntitle: T\ndate: {value}\n---\n")
    assert "date" in error.message and error.line == 3


def test_countries_and_topics_take_a_list_or_one_string_and_are_none_when_absent():
    article = parse_article("---\ntitle: T\ncountries: IQ\ntopics: [war, talks]\n---\nBody\n", "a.md")
    assert (article.countries, article.topics) == (("IQ",), ("war", "talks"))
    bare = parse_article("---\ntitle: T\n---\nBody\n", "a.md")
    assert (bare.countries, bare.topics, bare.exclude_countries) == (None, None, ())


def test_slug_defaults_to_the_file_name_and_id_to_the_slug():
    article = parse_article("---\ntitle: T\n---\nBody\n", "content/articles/my-story.md")
    assert (article.slug, article.id) == ("my-story", "my-story")


@pytest.mark.parametrize("slug", ["../../etc", "a/b", "A-Story", "story.html", "café", "", "a b"])
def test_a_slug_that_is_not_a_safe_path_segment_is_an_error(slug):
    assert "slug" in fails(f"---\ntitle: T\nslug: '{slug}'\n---\n").message


def test_a_slug_with_a_line_break_is_an_error():
    assert "slug" in fails('---\ntitle: T\nslug: "story\\n"\n---\n').message


def test_an_unsafe_file_name_without_slug_is_an_error():
    assert "file name" in fails("---\ntitle: T\n---\n", "content/articles/My Story.md").message


def test_unknown_key_is_a_warning_that_suggests_the_known_one():
    article, diagnostics = parse_article_checked("---\ntitle: T\ntitel: U\n---\n", "a.md")
    assert article.title == "T"
    assert [str(d) for d in diagnostics] == ["a.md:3: unknown key 'titel' in the front matter: did you mean 'title'?"]


def test_a_key_written_twice_is_an_error():
    assert "twice" in fails("---\ntitle: T\ntitle: U\n---\n").message


def test_windows_line_endings_and_byte_order_mark_are_accepted():
    article = parse_article("\ufeff---\r\ntitle: T\r\ndraft: true\r\n---\r\nBody\r\n", "a.md")
    assert (article.title, article.draft, article.body) == ("T", True, "Body\n")


def write_articles(tmp_path, files):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_load_articles_reads_every_file_sorted_by_name(tmp_path):
    content = write_articles(tmp_path, {"b.md": "---\ntitle: B\n---\n", "a.md": "---\ntitle: A\n---\n",
                                        "notes.txt": "ignored"})
    articles, diagnostics = load_articles(content)
    assert [a.slug for a in articles] == ["a", "b"] and diagnostics == []


def test_load_articles_reports_every_bad_file_in_one_numbered_error(tmp_path):
    content = write_articles(tmp_path, {"a.md": "no front matter\n", "b.md": "---\ntitle: B\n---\n",
                                        "c.md": "---\ntitle: [x\n---\n", "d.md": "---\ndate: soon\n---\n"})
    with pytest.raises(BuildError) as error:
        load_articles(content)
    message = str(error.value)
    assert "3 problem(s)" in message
    assert "\n  1. " in message and "a.md:1:" in message and "\n  2. " in message and "c.md:3:" in message
    assert "flow sequence that starts on line 2" in message
    assert "\n  3. " in message and "d.md" in message and "b.md" not in message


def test_the_same_slug_in_two_files_is_an_error(tmp_path):
    content = write_articles(tmp_path, {"a.md": "---\ntitle: A\nslug: same\n---\n",
                                        "same.md": "---\ntitle: B\n---\n"})
    with pytest.raises(BuildError, match="slug 'same' is already used by"):
        load_articles(content)


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    content = write_articles(tmp_path, {})
    (content / "articles" / "a.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with pytest.raises(BuildError, match="UTF-8"):
        load_articles(content)


def test_the_same_id_in_two_files_is_a_warning(tmp_path):
    content = write_articles(tmp_path, {"a.md": "---\ntitle: A\nid: x1\n---\n", "b.md": "---\ntitle: B\nid: x1\n---\n"})
    articles, diagnostics = load_articles(content)
    assert len(articles) == 2 and "id 'x1' is also the id of" in diagnostics[0].message
