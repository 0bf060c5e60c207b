"""The topic taxonomy file and scoring an article against it."""
from __future__ import annotations

from pathlib import Path

import pytest

from briefing.countries import Document
from briefing.model import BuildError
from briefing.topics import MAX_TOPICS, THIRD_MARGIN, load_taxonomy, parse_taxonomy, select

TOPICS = Path(__file__).resolve().parents[1] / "content" / "topics.yaml"

SLUGS = ("elections-government", "diplomacy", "armed-conflict", "security-militias",
         "terrorism-extremism", "economy-energy", "humanitarian", "rights-justice", "history",
         "society-culture", "health", "sports")


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(TOPICS)


def scores(taxonomy, *passages: tuple[str, str]) -> dict[str, float]:
    return taxonomy.scores(Document.of(list(passages)))[0]


SMALL = """\
topics:
  - slug: health
    name: Health
    description: Diseases and vaccines.
    iptc: medtop:07000000
    signals:
      vaccine: 3
      security forces: 2
      security: 1
  - slug: sports
    name: Sports
    description: Games.
    iptc: medtop:15000000
    iptc_also: [medtop:20001108]
    signals:
      football: 3
"""


# --- the project's taxonomy ------------------------------------------------------------

def test_project_taxonomy_has_the_twelve_topics_in_order(taxonomy):
    assert taxonomy.slugs == SLUGS
    for topic in taxonomy.topics:
        assert topic.name and topic.description and topic.iptc.startswith("medtop:")


def test_project_taxonomy_iptc_codes(taxonomy):
    assert taxonomy.topic("elections-government").iptc == "medtop:11000000"
    assert taxonomy.topic("armed-conflict").iptc == "medtop:16000000"
    assert taxonomy.topic("economy-energy").iptc == "medtop:04000000"
    assert taxonomy.topic("rights-justice").iptc == "medtop:02000000"
    assert taxonomy.topic("health").iptc == "medtop:07000000"
    assert taxonomy.topic("sports").iptc == "medtop:15000000"
    # Two codes: the primary in `iptc`, the other kept in the file.
    assert taxonomy.topic("humanitarian").iptc == "medtop:03000000"
    assert taxonomy.iptc_also["humanitarian"] == ("medtop:14000000",)
    assert taxonomy.topic("society-culture").iptc == "medtop:01000000"
    assert taxonomy.iptc_also["society-culture"] == ("medtop:14000000",)


def test_every_topic_can_win_on_its_own_words(taxonomy):
    examples = {
        "elections-government": "Voters cast ballots in the parliamentary election.",
        "diplomacy": "The foreign minister met the ambassador for talks.",
        "armed-conflict": "Artillery shelling hit the front line as the offensive went on.",
        "security-militias": "Militias and armed groups refused to disarm.",
        "terrorism-extremism": "The jihadist group claimed responsibility for the attack.",
        "economy-energy": "Inflation rose and oil exports fell.",
        "humanitarian": "Refugees fled to camps where aid agencies hand out food rations.",
        "rights-justice": "The court convicted him and sentenced him to prison.",
        "history": "Historians recall the anniversary of the partition.",
        "society-culture": "The festival celebrates music, film and tradition.",
        "health": "The vaccine stopped the measles outbreak.",
        "sports": "The coach praised the team after the football match.",
    }
    for slug, text in examples.items():
        assert select(*taxonomy.scores(Document.of([("body", text)])))[0] == slug, slug


# --- matching and scoring ------------------------------------------------------------

def test_signals_match_plurals_and_any_case(taxonomy):
    small = parse_taxonomy(SMALL, "topics.yaml")
    for text in ("vaccine", "vaccines", "Vaccine", "VACCINES"):
        assert scores(small, ("body", text)) == {"health": 3.0}, text
    assert scores(small, ("body", "vaccinesx vaccination")) == {}


def test_phrase_takes_its_words_from_single_signals():
    small = parse_taxonomy(SMALL, "topics.yaml")
    assert scores(small, ("body", "security forces")) == {"health": 2.0}
    assert scores(small, ("body", "security")) == {"health": 1.0}


def test_repeats_have_diminishing_returns():
    small = parse_taxonomy(SMALL, "topics.yaml")
    once = scores(small, ("body", "vaccine"))["health"]
    four = scores(small, *[("body", "the vaccine")] * 4)["health"]
    assert four == pytest.approx(2 * once)


def test_a_signal_counts_once_per_paragraph():
    # A word repeated within one paragraph is one mention; a subject the story comes
    # back to in paragraph after paragraph counts each time.
    small = parse_taxonomy(SMALL, "topics.yaml")
    once = scores(small, ("body", "vaccine"))["health"]
    assert scores(small, ("body", "vaccine vaccine, the VACCINE"))["health"] == once
    assert scores(small, ("body", "vaccine"), ("body", "vaccine"))["health"] \
        == pytest.approx(once * 2 ** 0.5)
    # The title still weighs more, once.
    assert scores(small, ("title", "vaccine vaccine"), ("body", "x"))["health"] \
        == pytest.approx(once * 3 ** 0.5)


def test_title_and_headings_weigh_more():
    small = parse_taxonomy(SMALL, "topics.yaml")
    body = scores(small, ("title", "x"), ("body", "football"))["sports"]
    title = scores(small, ("title", "football"), ("body", "x"))["sports"]
    heading = scores(small, ("title", "x"), ("heading", "football"))["sports"]
    assert title > heading > body


def test_select_keeps_the_top_topic_and_close_ones_only():
    assert select({"health": 10.0, "sports": 8.0, "history": 1.0}, 100) == ("health", "sports")
    assert select({}, 100) == ()
    assert len(select({slug: 10.0 for slug in SLUGS}, 100)) == MAX_TOPICS


def test_long_articles_do_not_collect_every_topic():
    # The same absolute score is a strong second topic in a short text and a
    # passing one in a long text.
    assert select({"health": 20.0, "sports": 10.0}, 150) == ("health", "sports")
    assert select({"health": 20.0, "sports": 10.0}, 5000) == ("health",)


def test_health_briefing_is_health_only(taxonomy):
    text = ("The World Health Organization said measles cases rose. "
            "The vaccine is safe, and outbreaks hit children. Hospitals saw more patients.")
    result = select(*taxonomy.scores(Document.of([("title", "Measles cases rise"),
                                                  ("body", text)])))
    assert result == ("health",)


# --- errors with line numbers ----------------------------------------------------------

def bad(text: str) -> BuildError:
    with pytest.raises(BuildError) as error:
        parse_taxonomy(text, "content/topics.yaml")
    assert error.value.path == "content/topics.yaml"
    return error.value


def test_yaml_syntax_error_names_the_line():
    error = bad(SMALL.replace("    name: Sports", "    name: Sports: games"))
    assert "invalid YAML" in error.message and error.line == 11


def test_missing_field_names_the_topic_line():
    error = bad(SMALL.replace("    description: Games.\n", ""))
    assert "missing description" in error.message and error.line == 10


def test_duplicate_slug_names_the_second_slug_line():
    error = bad(SMALL.replace("slug: sports", "slug: health"))
    assert "duplicate topic slug 'health'" in error.message and error.line == 10


@pytest.mark.parametrize("weight", ["heavy", "0", "-1", "11", "true", "[1]", ".nan"])
def test_bad_weight_names_the_signal_line(weight):
    error = bad(SMALL.replace("      vaccine: 3", f"      vaccine: {weight}"))
    assert "weight of 'vaccine'" in error.message and error.line == 7


def test_signal_listed_twice_names_the_line():
    error = bad(SMALL.replace("      security: 1", "      security: 1\n      vaccine: 2"))
    assert "duplicate key 'vaccine'" in error.message and error.line == 10
    error = bad(SMALL.replace("      security: 1", "      security: 1\n      Vaccine: 2"))
    assert "listed twice" in error.message and error.line == 10


@pytest.mark.parametrize("change, line, words", [
    (("slug: sports", "slug: Sports!"), 10, "slug"),
    (("iptc: medtop:15000000", "iptc: sport"), 13, "iptc"),
    (("    iptc_also: [medtop:20001108]", "    iptc_also: [sport]"), 14, "iptc_also"),
    (("    iptc_also: [medtop:20001108]", "    colour: red"), 14, "unknown field"),
    (("      football: 3", '      "…": 3'), 16, "no words"),
    (("    signals:\n      football: 3", "    signals: football"), 15, "signals"),
    (("topics:", "topic:"), 1, "topics"),
])
def test_other_errors_name_the_line(change, line, words):
    error = bad(SMALL.replace(*change))
    assert words in error.message and error.line == line, error


def test_empty_or_missing_taxonomy_is_an_error(tmp_path):
    assert bad("topics: []\n").line == 1
    assert "no topics" in bad("topics: []\n").message
    with pytest.raises(BuildError):
        load_taxonomy(tmp_path / "topics.yaml")


def test_parse_taxonomy_keeps_file_order():
    small = parse_taxonomy(SMALL, "topics.yaml")
    assert small.slugs == ("health", "sports")
    assert small.iptc_also == {"health": (), "sports": ("medtop:20001108",)}


def test_each_topic_has_its_own_threshold_and_a_passing_topic_needs_a_share_of_the_top():
    thresholds = {"health": 5.0, "sports": 3.0, "history": 8.0}
    assert select({"health": 10.0, "sports": 3.5, "history": 7.0}, 100, thresholds) == ("health", "sports")
    # Dense enough for its threshold, but a fifth of the top topic it is not: a passing topic.
    assert select({"health": 40.0, "sports": 7.0}, 100, thresholds) == ("health",)
    # None reaches its threshold: the strongest all the same.
    assert select({"history": 6.0, "sports": 1.0}, 100, thresholds) == ("history",)


def test_a_third_topic_must_clear_its_threshold_by_a_margin():
    thresholds = {"health": 5.0, "sports": 5.0, "history": 5.0}
    # The third just reaches its threshold: a subject touched in passing.
    assert select({"health": 10.0, "sports": 8.0, "history": 5.5}, 100, thresholds) \
        == ("health", "sports")
    assert select({"health": 10.0, "sports": 8.0, "history": 5.0 * THIRD_MARGIN}, 100,
                  thresholds) == ("health", "sports", "history")
    # A second topic needs its threshold only.
    assert select({"health": 10.0, "sports": 5.5}, 100, thresholds) == ("health", "sports")


def test_thresholds_are_read_from_the_taxonomy_and_checked(taxonomy):
    assert all(2.0 <= value <= 10.0 for value in taxonomy.thresholds.values())
    assert set(taxonomy.thresholds) == set(taxonomy.slugs)
    error = bad(SMALL.replace("    name: Sports", "    name: Sports\n    threshold: 0"))
    assert "`threshold` must be a number above 0" in error.message and error.line
