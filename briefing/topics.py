"""The topic taxonomy (content/topics.yaml) and scoring an article against it.

Editors own the taxonomy: each topic has a slug, a name, a one-line
description, the nearest IPTC Media Topic code and weighted signal words or
phrases. Signals match whole words, case-insensitively; a signal also matches
its plural ("election" -> "elections", "militia" -> "militias").

An article's score for a topic sums, for each signal, weight x sqrt(count), where
the count is the number of passages (paragraphs, title, headings...) the signal
appears in: a subject the story returns to paragraph after paragraph counts more
than a word repeated within one. Repeats have diminishing returns, while many
different signals add up. Title and subheadings count more than body text.

Each topic decides for itself: an article is filed under every topic whose
score, per square root of its length (scores grow about so with length), reaches
that topic's `threshold` (topics.yaml; calibrated on the labelled articles with
tests/labelled/calibrate.py), at most MAX_TOPICS of them, strongest first; a
third must clear its threshold by THIRD_MARGIN. An article that reaches no
threshold keeps its strongest topic.
"""
from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .countries import Document, LinedDict, line_of, read_yaml, tokenize
from .model import BuildError, Topic

TOPIC_WEIGHTS = {"title": 3.0, "heading": 2.0, "caption": 1.5, "lead": 1.0,
                 "body": 1.0, "item": 1.0}
MAX_TOPICS = 3
DEFAULT_THRESHOLD = 5.0  # score per sqrt(words / 100), for a topic that sets none
# A further topic scores at least this share of the strongest one: a story that speaks
# at length of one subject touches others in passing. (With the thresholds, chosen by
# cross-validation on the labelled articles.)
RELATIVE_FLOOR = 0.2
# A third topic must clear its threshold by this factor: when two topics are strong, a
# third that only just reaches its own is most often a subject touched in passing
# (cross-validated on the labelled tuning articles, see tests/labelled/calibrate.py).
THIRD_MARGIN = 1.2
MAX_WEIGHT = 10.0
MAX_THRESHOLD = 100.0

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IPTC = re.compile(r"^medtop:\d{8}$")
_FIELDS = {"slug", "name", "description", "iptc", "signals"}
_OPTIONAL = {"iptc_also", "threshold"}


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]                                   # in file order
    iptc_also: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    thresholds: Mapping[str, float] = field(default_factory=dict, compare=False)  # slug -> threshold
    # signal (lower-case word tuple) -> ((topic index, weight), ...)
    signals: Mapping[tuple[str, ...], tuple[tuple[int, float], ...]] = field(
        default_factory=dict, compare=False, repr=False)
    # every case form of a signal -> the signal; first word of a phrase form ->
    # its lengths, longest first; the one-word forms; the first words of phrases
    canonical: Mapping[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False)
    starts: Mapping[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    single_words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    phrase_words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    signal_words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def topic(self, slug: str) -> Topic:
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        raise KeyError(slug)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(topic.slug for topic in self.topics)

    def scores(self, document: Document, trace: dict | None = None) -> tuple[dict[str, float], int]:
        """(score by topic slug, number of words) for the document. `trace`, when given, is
        filled with slug -> [(signal, passages, points)], strongest first (passages weighted
        by where they are: a title counts TOPIC_WEIGHTS["title"]).

        A signal counts once per passage it appears in: a word repeated within one
        paragraph is one mention, and a subject the story returns to paragraph after
        paragraph counts each time. The text is not lower-cased: the signal table holds
        each signal's case forms ("election", "Election", "ELECTION"). One membership
        pass (in C) marks every signal word; only those are visited, in order. A phrase
        takes its words away from single-word signals ("security forces" is not also
        "security").
        """
        tokens = document.tokens
        if not tokens:
            return {}, 0
        starts = document.starts
        words = len(tokens) - len(starts) + 1
        canonical, lengths = self.canonical, self.starts
        single, phrase_words = self.single_words, self.phrase_words
        weights = [TOPIC_WEIGHTS[kind] for kind in document.kinds]
        counts: dict[tuple[str, ...], float] = defaultdict(float)
        seen: set = set()
        end = 0
        passage, following = 0, (starts[1] if len(starts) > 1 else len(tokens))
        last = len(starts) - 1
        for i in itertools.compress(itertools.count(), map(self.signal_words.__contains__, tokens)):
            if i < end:
                continue
            while i >= following:
                passage += 1
                following = starts[passage + 1] if passage < last else len(tokens)
            token = tokens[i]
            key = None
            if token in phrase_words:
                for length in lengths[token]:
                    key = canonical.get(tokens[i:i + length])
                    if key is not None:
                        end = i + length
                        break
            if key is None:
                if token not in single:
                    continue
                key = canonical[(token,)]
            mark = (key, passage)
            if mark not in seen:
                seen.add(mark)
                counts[key] += weights[passage]
        totals = [0.0] * len(self.topics)
        for key, count in counts.items():
            damped = math.sqrt(count)
            for index, weight in self.signals[key]:
                totals[index] += weight * damped
                if trace is not None:
                    trace.setdefault(self.topics[index].slug, []).append((" ".join(key), count, weight * damped))
        if trace is not None:
            for found in trace.values():
                found.sort(key=lambda item: (-item[2], item[0]))
        return ({topic.slug: total for topic, total in zip(self.topics, totals) if total > 0},
                words)


def density(score: float, words: int) -> float:
    """A score per square root of length: signal counts are damped (sqrt), so scores
    grow about with the square root of an article's length."""
    return score / math.sqrt(max(words, 100) / 100)


def select(scores: Mapping[str, float], words: int,
           thresholds: Mapping[str, float] | None = None) -> tuple[str, ...]:
    """The article's topics, strongest first: every topic whose density reaches its own
    threshold (DEFAULT_THRESHOLD where none is set) and whose score is at least
    RELATIVE_FLOOR of the strongest, at most MAX_TOPICS, the third only if it clears its
    threshold by THIRD_MARGIN; failing all, the strongest."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return ()
    thresholds = thresholds or {}
    floor = RELATIVE_FLOOR * ranked[0][1]
    # (slug, density / threshold) of each topic that reaches its threshold
    chosen = [(slug, margin) for slug, margin in
              ((slug, density(score, words) / thresholds.get(slug, DEFAULT_THRESHOLD))
               for slug, score in ranked if score >= floor)
              if margin >= 1.0][:MAX_TOPICS]
    if len(chosen) > 2 and chosen[2][1] < THIRD_MARGIN:
        del chosen[2:]
    return tuple(slug for slug, _ in chosen) or (ranked[0][0],)


# --- parsing -----------------------------------------------------------------------

def load_taxonomy(path: Path) -> Taxonomy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise BuildError(f"cannot read the taxonomy: {error.strerror}", str(path)) from None
    return parse_taxonomy(text, str(path))


def _plurals(word: str) -> list[str]:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"] if not word.endswith("s") else []
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    return [word + "s"]


def parse_taxonomy(text: str, path: str) -> Taxonomy:
    """Parse the taxonomy file; BuildError(path, line) on any problem."""
    data = read_yaml(text, path)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise BuildError("expected `topics:` followed by a list of topics", path,
                         line_of(data) or 1)
    if set(data) != {"topics"}:
        extra = sorted(str(key) for key in data if key != "topics")
        raise BuildError(f"unknown section {extra[0]!r}; the file holds only `topics:`",
                         path, line_of(data, extra[0]))
    entries = data["topics"]
    if not entries:
        raise BuildError("the taxonomy has no topics", path, line_of(data, "topics"))

    topics: list[Topic] = []
    also: dict[str, tuple[str, ...]] = {}
    thresholds: dict[str, float] = {}
    explicit: dict[tuple[str, ...], dict[int, float]] = defaultdict(dict)
    for index, entry in enumerate(entries):
        line = line_of(entries, index)
        if not isinstance(entry, dict):
            raise BuildError("each topic must be a mapping with slug, name, description, "
                             "iptc and signals", path, line)
        missing = sorted(_FIELDS - set(entry))
        if missing:
            raise BuildError(f"topic is missing {', '.join(missing)}", path, line)
        unknown = sorted(str(key) for key in set(entry) - _FIELDS - _OPTIONAL)
        if unknown:
            raise BuildError(f"unknown field {unknown[0]!r} in topic", path,
                             line_of(entry, unknown[0]))
        topic = _topic(entry, path)
        if topic.slug in {existing.slug for existing in topics}:
            raise BuildError(f"duplicate topic slug {topic.slug!r}", path, line_of(entry, "slug"))
        topics.append(topic)
        also[topic.slug] = _codes(entry, path)
        thresholds[topic.slug] = _threshold(entry, path)
        for key, weight in _signals(entry, path).items():
            explicit[key][len(topics) - 1] = weight

    # Plurals match too, unless the file lists that form itself.
    table: dict[tuple[str, ...], dict[int, float]] = defaultdict(dict)
    for key, weights in explicit.items():
        for plural in _plurals(key[-1]):
            form = key[:-1] + (plural,)
            if form not in explicit:
                for topic_index, weight in weights.items():
                    table[form].setdefault(topic_index, weight)
    for key, weights in explicit.items():
        table[key] = dict(weights)

    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in sorted(table):
        for form in _case_forms(key):
            canonical.setdefault(form, key)
    lengths: dict[str, set[int]] = defaultdict(set)
    for form in canonical:
        if len(form) > 1:
            lengths[form[0]].add(len(form))
    return Taxonomy(
        topics=tuple(topics), iptc_also=also, thresholds=thresholds,
        signals={key: tuple(sorted(weights.items())) for key, weights in table.items()},
        canonical=canonical,
        starts={token: tuple(sorted(found, reverse=True)) for token, found in lengths.items()},
        single_words=frozenset(form[0] for form in canonical if len(form) == 1),
        phrase_words=frozenset(lengths),
        signal_words=frozenset(form[0] for form in canonical))


def _case_forms(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """How a lower-case signal may be written: each word lower, Capitalised or
    UPPER ("al-Qaeda", "Al-Qaeda", "ISIS"); longer phrases only all alike."""
    options = [(word, word.capitalize(), word.upper()) for word in key]
    if len(key) <= 3:
        return list(itertools.product(*options))
    return [tuple(option[form] for option in options) for form in range(3)]


def _text(entry: LinedDict, key: str, path: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise BuildError(f"`{key}` must be non-empty text", path, line_of(entry, key))
    return " ".join(value.split())


def _topic(entry: LinedDict, path: str) -> Topic:
    slug = _text(entry, "slug", path)
    if not _SLUG.match(slug):
        raise BuildError(f"slug {slug!r} must be lower-case words joined by hyphens", path,
                         line_of(entry, "slug"))
    iptc = _text(entry, "iptc", path)
    if not _IPTC.match(iptc):
        raise BuildError(f"iptc {iptc!r} must look like medtop:16000000", path,
                         line_of(entry, "iptc"))
    return Topic(slug=slug, name=_text(entry, "name", path),
                 description=_text(entry, "description", path), iptc=iptc)


def _codes(entry: LinedDict, path: str) -> tuple[str, ...]:
    value = entry.get("iptc_also") or []
    if not isinstance(value, list) or not all(isinstance(code, str) and _IPTC.match(code)
                                              for code in value):
        raise BuildError("`iptc_also` must be a list of codes like medtop:14000000", path,
                         line_of(entry, "iptc_also"))
    return tuple(value)


def _threshold(entry: LinedDict, path: str) -> float:
    value = entry.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) \
            or not 0 < value <= MAX_THRESHOLD:
        raise BuildError(f"`threshold` must be a number above 0 and at most {MAX_THRESHOLD:g}, "
                         f"not {value!r}", path, line_of(entry, "threshold"))
    return float(value)


def _signals(entry: LinedDict, path: str) -> dict[tuple[str, ...], float]:
    signals = entry["signals"]
    if not isinstance(signals, dict) or not signals:
        raise BuildError("`signals` must map words or phrases to weights", path,
                         line_of(entry, "signals"))
    found: dict[tuple[str, ...], float] = {}
    for phrase, weight in signals.items():
        line = line_of(signals, phrase)
        key = tuple(token.lower() for token in tokenize(str(phrase)))
        if not key:
            raise BuildError(f"signal {phrase!r} has no words", path, line)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) \
                or not 0 < weight <= MAX_WEIGHT or math.isnan(weight):
            raise BuildError(f"weight of {phrase!r} must be a number above 0 and at most "
                             f"{MAX_WEIGHT:g}, not {weight!r}", path, line)
        if key in found:
            raise BuildError(f"signal {phrase!r} is listed twice in this topic", path, line)
        found[key] = float(weight)
    return found
