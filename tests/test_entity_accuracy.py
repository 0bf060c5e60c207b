"""People and organisations extracted from the labelled articles, scored against the labels
(tests/labelled/entities/, see tests/entity_labels.py). Run with `pytest -s` to see the
figures, the misses and the false positives.

Scoring, per type (people, organisations), micro-averaged over a part:
- an extracted entity matches a label when its name, normalised (casefold, a leading
  "the " dropped, hyphens and spaces alike, apostrophes dropped), equals the label's name
  or one of its `also` forms. A listed entity (content/entities.yaml) is named by the
  editor's name, the same on every page, where a label holds the form that article
  gives ("UN" where it never says "United Nations"): it matches by the editor's aliases
  too, which name the same entity;
- a label matches at most once: a second entity for it (a half name beside the full
  one) is a false positive;
- an entity that matches an `optional` item counts neither way;
- an entity of the wrong kind is a false positive of its kind and leaves the label a miss.

The extractor was tuned on the `dev` part only; `heldout` is for measuring.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from entity_labels import ROOT, LabelledArticle, load_part

from briefing.classify import load_classifier
from briefing.entities import extract_entities, load_entity_rules

# (precision, recall) each type must reach, on either part: the targets.
TARGETS = {"person": (0.90, 0.75), "organisation": (0.90, 0.75)}
TYPES = ("person", "organisation")


def normalised(name: str) -> str:
    text = name.casefold().replace("’", "'").replace("`", "'").replace("'", "")
    text = re.sub(r"[\s\-‐‑–—]+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


@dataclass
class Score:
    true_positives: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.misses)
        return self.true_positives / expected if expected else 1.0


def score(items: list[LabelledArticle], rules, gazetteer) -> dict[str, Score]:
    aliases = {entity.name: [entity.name, *entity.aliases] for entity in rules.entities}
    scores = {kind: Score() for kind in TYPES}
    for item in items:
        labels = [(kind, label) for kind, group in (("person", item.people),
                                                   ("organisation", item.organisations))
                  for label in group]
        forms = [{normalised(label.name), *map(normalised, label.also)} for _, label in labels]
        optional = {normalised(name) for name in item.optional}
        taken: dict[int, str] = {}            # label index -> the kind it was found as
        where = f"{item.file}: {item.title[:60]}"
        for mention in extract_entities(item.title, item.caption, item.paragraphs, rules, gazetteer):
            names = {normalised(name) for name in
                     (aliases.get(mention.name, [mention.name]) if mention.listed else [mention.name])}
            match = next((index for index, found in enumerate(forms) if names & found), None)
            if match is None:
                if not names & optional:
                    scores[mention.kind].false_positives.append(f"{mention.name!r} in {where}")
                continue
            if match in taken:
                scores[mention.kind].false_positives.append(
                    f"{mention.name!r} (again {labels[match][1].name!r}) in {where}")
                continue
            taken[match] = mention.kind
            if mention.kind == labels[match][0]:
                scores[mention.kind].true_positives += 1
            else:
                scores[mention.kind].false_positives.append(
                    f"{mention.name!r} as {mention.kind} in {where}")
        for index, (kind, label) in enumerate(labels):
            if taken.get(index) != kind:
                scores[kind].misses.append(f"{label.name!r} in {where}")
    return scores


def report(part: str, scores: dict[str, Score]) -> str:
    lines = [f"{part}: type          TP   FP   FN  precision  recall"]
    for kind in TYPES:
        found = scores[kind]
        lines.append(f"{part}: {kind:<12} {found.true_positives:4} {len(found.false_positives):4} "
                     f"{len(found.misses):4}  {found.precision:9.3f}  {found.recall:6.3f}")
    for kind in TYPES:
        lines += [f"  {kind} false positive: {text}" for text in scores[kind].false_positives]
        lines += [f"  {kind} missed: {text}" for text in scores[kind].misses]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def extractor():
    return (load_entity_rules(ROOT / "content"), load_classifier(ROOT / "content").gazetteer)


def check(part: str, extractor, kinds=tuple(TARGETS)) -> None:
    scores = score(load_part(part), *extractor)
    text = report(part, scores)
    print("\n" + text)
    for kind in kinds:
        precision, recall = TARGETS[kind]
        assert scores[kind].precision >= precision and scores[kind].recall >= recall, text


def test_dev_accuracy(extractor):
    check("dev", extractor)


def test_seen_heldout_accuracy(extractor):
    # Held out until measured once on 98bd8ed (organisations 0.877 / 0.722, people
    # 0.986 / 0.973), tuning data since.
    check("heldout", extractor)


def test_fresh_accuracy_of_people(extractor):
    check("fresh", extractor, ("person",))


# The fresh part, measured once on 2f757e3 (2026-12-08): organisations 0.925 / 0.655, people
# 0.960 / 0.951. Its misses' kinds (clubs, companies, courts and parliaments named bare) were
# then named to the helper who wrote the rules of cf080bc, so this part is no longer unseen:
# 0.925 / 0.761 after them. fresh2 below is the measure of generality.
def test_fresh_accuracy_of_organisations(extractor):
    check("fresh", extractor, ("organisation",))


# fresh2: 24 articles written and labelled on 2026-12-08 by a hand that never saw the
# extractor, and never shown to those who tune it. Measured on a5a3d4b (before cf080bc and
# its list of bodies): people 0.980 / 0.971, organisations 0.981 / 0.741; on cf080bc:
# people 1.000 / 0.971, organisations 0.977 / 0.888. Never tune on this part.
def test_fresh2_accuracy(extractor):
    check("fresh2", extractor)
