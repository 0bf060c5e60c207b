"""Suggest each topic's `threshold` for content/topics.yaml from the labelled tuning articles.

    .venv/bin/python tests/labelled/calibrate.py

For each topic, every article's density (its score per square root of its length,
briefing.topics.density) is compared with the editors' labels; the threshold is the
middle of the widest range of values that best separates the articles filed under
the topic from the others (F-beta, see BETA), kept within [LOW, HIGH] so that a topic with few
labelled articles cannot get an extreme one. The held-out part is never read.
It prints one line per topic: the current and the suggested threshold, and F-beta at both.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parents[1])]

from labelled_data import load_parts, tuning  # noqa: E402

from briefing.classify import document, load_classifier  # noqa: E402
from briefing.topics import density  # noqa: E402

LOW, HIGH = 3.0, 10.0


# Recall weighs BETA times as much as precision. BETA, LOW and briefing.topics'
# RELATIVE_FLOOR were chosen by 5-fold cross-validation on the tuning articles
# (thresholds fitted on four fifths, measured on the fifth, four shuffles): F1 with
# a floor of a fifth gave precision 0.894 and recall 0.843 on articles the
# thresholds were not fitted on; F-beta 1.5 without a floor, 0.845 and 0.871.
# Later, the same way (and fitting on all tuning parts but one of those modelled on
# real news, measuring on it): counting a signal once per paragraph, a third topic at
# briefing.topics.THIRD_MARGIN times its threshold and no armed-group names among the
# security-militias signals took cross-validated topics from P 0.872 R 0.836 to
# P 0.898 R 0.833 (part left out: 0.846/0.782 to 0.894/0.803). A BETA below 1 buys
# more precision with recall: 0.8 gave 0.907/0.807, 0.7 0.915/0.797, 0.6 0.927/0.791,
# 0.5 0.931/0.777, and each lifts the history threshold above the seed letters article.
BETA = 1.0


def f1(values: list[tuple[float, bool]], threshold: float) -> float:
    """F-beta (BETA) of filing every article whose density reaches `threshold`."""
    tp = sum(1 for value, wanted in values if value >= threshold and wanted)
    fp = sum(1 for value, wanted in values if value >= threshold and not wanted)
    fn = sum(1 for value, wanted in values if value < threshold and wanted)
    weight = BETA * BETA
    return (1 + weight) * tp / ((1 + weight) * tp + weight * fn + fp) if tp else 0.0


def best_threshold(values: list[tuple[float, bool]]) -> float:
    """Among cuts within [LOW, HIGH], the best (F-beta); of equal ones, the one in the
    middle of the widest gap between neighbouring densities."""
    points = sorted({LOW, HIGH, *(value for value, _ in values if LOW < value < HIGH)})
    gaps = [(high / low, (low * high) ** 0.5) for low, high in zip(points, points[1:])]
    best = max(f1(values, cut) for _, cut in gaps)
    return round(max((gap, cut) for gap, cut in gaps if f1(values, cut) >= best - 1e-9)[1], 1)


def main() -> None:
    classifier = load_classifier(HERE.parents[1] / "content")
    items = tuning(load_parts())
    densities = []
    for item in items:
        scores, words = classifier.taxonomy.scores(document(item.article))
        densities.append({slug: density(score, words) for slug, score in scores.items()})
    print(f"{len(items)} labelled tuning articles")
    for slug in classifier.taxonomy.slugs:
        values = [(found.get(slug, 0.0), slug in item.topics) for found, item in zip(densities, items)]
        current = classifier.taxonomy.thresholds[slug]
        suggested = best_threshold(values)
        print(f"{slug:22} filed {sum(w for _, w in values):3}  threshold {current:5.1f} (F {f1(values, current):.2f})"
              f"  suggested {suggested:5.1f} (F {f1(values, suggested):.2f})")


if __name__ == "__main__":
    main()
