"""Why an article got its countries and topics: `python build.py explain <slug>`.

For an editor who disagrees with a label: each country the article names, the
names that scored it (where in the article, how often, on which lines of its
file) and the rule that made it one the article is about or kept it out; each
topic that scored, its signal words, its density against its threshold; and
the front matter overrides that apply. Pure: the caller reads the file.
"""
from __future__ import annotations

import re
from typing import Iterable

from .classify import Classifier, classify, document
from .countries import (ABOUT_CLOSE, ABOUT_MAX, ABOUT_MIN_CO, ABOUT_MIN_HEADLINE, ABOUT_MIN_SCORE,
                        ABOUT_RELATIVE,
                        CLOSE, FAR, HEADLINE, TOO_FEW, TOO_WEAK, TOP, decisions)
from .model import Article
from .topics import DEFAULT_THRESHOLD, MAX_TOPICS, THIRD_MARGIN, TOPIC_WEIGHTS, density

_RULES = {
    TOP: "about: the strongest country",
    CLOSE: f"about: scores {{share:.0%}} of the strongest (needs {ABOUT_CLOSE:.0%} and {ABOUT_MIN_CO:g} points)",
    HEADLINE: f"about: named in the title or caption, and scores {{share:.0%}} of the strongest "
              f"(needs {ABOUT_RELATIVE:.0%})",
    FAR: f"only mentioned: scores {{share:.0%}} of the strongest; needs {ABOUT_CLOSE:.0%}, "
         f"or {ABOUT_RELATIVE:.0%} when named in the title or caption",
    TOO_WEAK: f"only mentioned: under {ABOUT_MIN_SCORE:g} points for the strongest country, "
              f"{ABOUT_MIN_CO:g} for any other ({ABOUT_MIN_HEADLINE:g} when named in the title or caption)",
    TOO_FEW: f"only mentioned: {ABOUT_MAX} countries are about the article already",
}


def explain(article: Article, classifier: Classifier, text: str) -> str:
    """The explanation, as lines of text. `text` is the article's file, for line numbers."""
    lines = text.split("\n")
    found = document(article)
    trace: dict = {}
    scan = classifier.gazetteer.scan(found, trace=trace)
    topic_trace: dict = {}
    topic_scores, words = classifier.taxonomy.scores(found, trace=topic_trace)
    result, diagnostics = classify(article, classifier)
    gazetteer = classifier.gazetteer

    out = [f"{article.path}: {article.title}", "", "Countries"]
    ranked = decisions(scan.scores, scan.headline)
    top = ranked[0][1] if ranked else 0.0
    if not ranked:
        out.append("  (no country named)")
    for code, score, rule in ranked:
        out.append(f"  {gazetteer.country(code).name} ({code}): {score:.1f} points; "
                   + _RULES[rule].format(share=score / top if top else 0.0))
        for name, kind, times, points, note in sorted(trace.get(code, ()), key=lambda hit: -hit[3]):
            note = f" ({note})" if note else ""
            out.append(f"      {name!r} in the {kind} x{times}{note}: {points:.1f}{_where(lines, name, True)}")

    out += ["", f"Topics ({words} words; density = score / sqrt(words / 100); each topic has its "
                f"threshold in topics.yaml, at most {MAX_TOPICS} are kept, a third only at "
                f"{THIRD_MARGIN:g} times its threshold; a signal xN: the paragraphs it is in, "
                f"the title counting {TOPIC_WEIGHTS['title']:g}, a heading {TOPIC_WEIGHTS['heading']:g}, "
                f"the caption {TOPIC_WEIGHTS['caption']:g})"]
    thresholds = classifier.taxonomy.thresholds
    ranked_topics = sorted(topic_scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked_topics:
        out.append("  (no signal word found)")
    for slug, score in ranked_topics:
        value = density(score, words)
        threshold = thresholds.get(slug, DEFAULT_THRESHOLD)
        verdict = "reaches" if value >= threshold else "falls short of"
        out.append(f"  {slug}: density {value:.1f}, {verdict} its threshold {threshold:g} "
                   f"by {abs(value - threshold):.1f}")
        for signal, count, points in topic_trace.get(slug, ())[:8]:
            out.append(f"      {signal!r} x{count:g}: {points:.1f}{_where(lines, signal, False)}")
        rest = len(topic_trace.get(slug, ())) - 8
        if rest > 0:
            out.append(f"      and {rest} more signal(s)")

    out += ["", "Editor overrides (front matter)"]
    # `countries: []` is an override too (the article is about no country); the exclusions
    # are () when not set.
    overrides = [(key, value) for key, value in (
        ("countries", article.countries), ("exclude_countries", article.exclude_countries),
        ("topics", article.topics), ("exclude_topics", article.exclude_topics))
        if value or (value is not None and key in ("countries", "topics"))]
    out += [f"  {key}: [{', '.join(value)}]" for key, value in overrides] or ["  none"]
    out += [f"  warning: {diagnostic.message}" for diagnostic in diagnostics]
    names = ", ".join(gazetteer.country(code).name for code in result.countries) or "none"
    out += ["", f"Result: about {names}; topics {', '.join(result.topics) or 'none'}",
            "To change it: set `countries`, `topics`, `exclude_countries` or `exclude_topics` in the "
            "front matter; or, for every article, the signals and thresholds in content/topics.yaml "
            "and the names in content/country-aliases.yaml."]
    return "\n".join(out) + "\n"


def _where(lines: list[str], words: str, case_sensitive: bool) -> str:
    numbers = _line_numbers(lines, words, case_sensitive)
    if not numbers:
        return ""
    shown = ", ".join(str(number) for number in numbers[:10])
    return f" (line{'s' if len(numbers) > 1 else ''} {shown}{', ...' if len(numbers) > 10 else ''})"


def _line_numbers(lines: Iterable[str], words: str, case_sensitive: bool) -> list[int]:
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words.split()) + r"(?:e?s)?(?!\w)"
    compiled = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    return [number for number, line in enumerate(lines, start=1) if compiled.search(line)]
