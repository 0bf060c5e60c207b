"""`build.py explain <slug>`: why an article got its countries and topics."""
from __future__ import annotations


from test_build import ROOT, dirs, make_project, run_cli

from briefing.classify import load_classifier
from briefing.content import parse_article
from briefing.explain import explain

ARTICLE = """---
title: Ankara Warns Kurdish Groups as Talks with Baghdad Stall
slug: ankara-warns
id: x1
sources: [a.txt]
exclude_topics: [economy-energy]
---

Ankara warned armed groups in northern Iraq on Monday as talks with Baghdad stalled.

Turkish and Iraqi negotiators met in Baghdad for a third round of talks on the militias.

The militia leaders said they would not disarm. Iraqi officials said the talks would go on.
"""


def explained(text: str = ARTICLE) -> str:
    article = parse_article(text, "content/articles/ankara-warns.md")
    return explain(article, load_classifier(ROOT / "content"), text)


def test_each_country_shows_its_names_their_lines_and_the_rule_that_decided():
    out = explained()
    assert "Türkiye (TR):" in out and "Iraq (IQ):" in out
    assert "'Ankara' in the title x1: 4.0 (lines 2, 9)" in out
    assert "'Baghdad' in the lead x1 (as a place): 0.8 (lines 2, 9, 11)" in out     # "in Baghdad"
    assert "about: the strongest country" in out


def test_each_topic_shows_its_density_against_its_threshold_and_its_words():
    out = explained()
    section = out.split("\nTopics")[1].split("\nEditor overrides")[0]
    assert "security-militias: density" in section and "its threshold" in section
    assert "'militia' x" in section and "(lines " in section


def test_overrides_and_the_result_are_listed():
    out = explained()
    assert "  exclude_topics: [economy-energy]" in out
    assert out.splitlines()[-2].startswith("Result: about ")
    assert "economy-energy" not in out.splitlines()[-2]


def test_cli_explains_an_article_and_names_a_missing_one(tmp_path):
    paths = make_project(tmp_path)
    assert run_cli("ingest", *dirs(paths)).returncode == 0
    done = run_cli("explain", "alliances-conspiracies-overshadowed-the-letters-between-assad-saddam", *dirs(paths))
    assert done.returncode == 0, done.stderr
    assert "history: density" in done.stdout and "Result: about Iraq, Syria; topics " in done.stdout
    assert "history" in done.stdout.splitlines()[-2]
    missing = run_cli("explain", "alliances-conspiracies", *dirs(paths))
    assert missing.returncode == 1
    assert "no article 'alliances-conspiracies'" in missing.stderr and "did you mean" in missing.stderr
    assert run_cli("explain", *dirs(paths)).returncode == 1
    assert run_cli("build", "some-slug", *dirs(paths)).returncode == 1


def test_an_empty_countries_list_is_shown_as_the_override_it_is():
    out = explained(ARTICLE.replace("exclude_topics: [economy-energy]", "countries: []"))
    assert "  countries: []" in out and "Result: about none;" in out
