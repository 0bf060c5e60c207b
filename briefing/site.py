"""Prepared articles -> Site: ordering, country and topic groupings, related articles.

Everything here is pure. Grouping goes through inverted indexes (code -> slugs),
and related articles through a sparse term index, so the work grows with the
number of articles, not with the number of pairs.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

import numpy as np
from scipy import sparse

from .markup import Rendered, reading_minutes, summarise
from .model import (Article, Classification, Count, Country, CountryGroup, Diagnostic,
                    Entry, Site, SiteConfig, Topic, TopicGroup)

# Undated articles with no date in their text sort last and use this in feeds;
# a fixed value keeps builds reproducible (never the clock).
FALLBACK_DATE = dt.date(2000, 1, 1)
RELATED_MIN, RELATED_MAX = 3, 5


@dataclass(frozen=True)
class Prepared:
    """The per-article work of a build (classification + markdown), cacheable by content."""

    article: Article
    classification: Classification
    rendered: Rendered
    terms: dict[str, int]           # content-word counts, for related articles
    diagnostics: tuple[Diagnostic, ...] = ()


# --- dates ------------------------------------------------------------------

_MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
)


def dates_in(text: str) -> list[dt.date]:
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            try:
                found.append(dt.date(int(match["year"]), _MONTHS[match["month"].lower()],
                                     int(match["day"])))
            except ValueError:
                continue
    return found


def infer_updated(article: Article, text: str) -> dt.date:
    """The article's own date, else the latest full date its caption or text names.

    An article is never older than the newest event it reports, so for undated
    dumps this is the best reproducible stand-in for feeds and ordering.
    """
    if article.date:
        return article.date
    found = dates_in(f"{article.caption or ''}\n{text}")
    return max(found) if found else FALLBACK_DATE


# --- entries ----------------------------------------------------------------

def make_entry(prepared: Prepared) -> Entry:
    article, rendered = prepared.article, prepared.rendered
    summary = article.summary or summarise(rendered.lead or rendered.text)
    return Entry(
        article=article,
        classification=prepared.classification,
        html=rendered.html,
        text=rendered.text,
        headings=rendered.headings,
        summary=summary,
        reading_minutes=reading_minutes(rendered.words),
        updated=infer_updated(article, rendered.text),
        url=f"/articles/{article.slug}/",
    )


def newest_first(entry: Entry) -> tuple:
    return (-entry.updated.toordinal(), entry.article.title.casefold(), entry.article.slug)


def assemble_site(config: SiteConfig, prepared: Iterable[Prepared],
                  country: Callable[[str], Country], topics: Sequence[Topic]) -> Site:
    """Everything a page needs, gathered before any page is rendered.

    Every page lists or links others (related articles, country counts,
    previous/next), so all of it is computed here first, once.
    """
    pairs = sorted(((make_entry(p), p.terms) for p in prepared if not p.article.draft),
                   key=lambda pair: newest_first(pair[0]))
    entries = link_neighbours([entry for entry, _ in pairs])
    related = related_articles(entries, [terms for _, terms in pairs])
    entries = [replace(entry, related=slugs) for entry, slugs in zip(entries, related)]
    by_slug = {entry.article.slug: entry for entry in entries}
    return Site(
        config=config,
        entries=tuple(entries),
        countries=group_countries(entries, country),
        topics=group_topics(entries, topics),
        updated=max((e.updated for e in entries), default=FALLBACK_DATE),
        by_slug=by_slug,
    )


def link_neighbours(entries: list[Entry]) -> list[Entry]:
    slugs = [e.article.slug for e in entries]
    return [replace(entry,
                    previous=slugs[i + 1] if i + 1 < len(slugs) else None,
                    next=slugs[i - 1] if i > 0 else None)
            for i, entry in enumerate(entries)]


def _ranked(counter: Counter) -> tuple[Count, ...]:
    return tuple(Count(key, n) for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def group_countries(entries: Sequence[Entry], country: Callable[[str], Country]) -> tuple[CountryGroup, ...]:
    about: dict[str, list[Entry]] = defaultdict(list)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for entry in entries:  # already newest first, so every list is too
        for code in entry.classification.countries:
            about[code].append(entry)
        for code in entry.classification.countries_mentioned:
            mentioned[code].append(entry.article.slug)
    groups = []
    for code in set(about) | set(mentioned):
        members = about.get(code, [])
        topic_counts = Counter(t for e in members for t in e.classification.topics)
        neighbour_counts = Counter(c for e in members for c in e.classification.countries if c != code)
        info = country(code)
        groups.append(CountryGroup(
            country=info, url=f"/countries/{info.slug}/",
            about=tuple(e.article.slug for e in members),
            mentioned=tuple(mentioned.get(code, ())),
            topics=_ranked(topic_counts), neighbours=_ranked(neighbour_counts)))
    return tuple(sorted(groups, key=lambda g: (g.country.name.casefold(), g.country.code)))


def group_topics(entries: Sequence[Entry], topics: Sequence[Topic]) -> tuple[TopicGroup, ...]:
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for slug in entry.classification.topics:
            members[slug].append(entry)
    return tuple(
        TopicGroup(topic=topic, url=f"/topics/{topic.slug}/",
                   articles=tuple(e.article.slug for e in members.get(topic.slug, ())),
                   countries=_ranked(Counter(c for e in members.get(topic.slug, ())
                                             for c in e.classification.countries)))
        for topic in topics)


# --- related articles -------------------------------------------------------

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
_STOPWORDS = frozenset("""
a about above after again against all also although am among an and any are as at be because been
before being below between both but by can could did do does doing down during each either few for
from further had has have having he her here hers herself him himself his how however i if in into is
it its itself just least less many may me might more most much must my myself neither no nor not now
of off often on once one only or other our ours ourselves out over own per rather said same says
several she should since so some such than that the their theirs them themselves then there these
they this those though through thus to too two under until up upon us very was we were what when
where whether which while who whom whose why will with within without would yet you your yours
year years new first last time told according including people since back made make well still
""".split())
TOP_TERMS = 30          # distinctive terms kept per article
CANDIDATES = 40         # text-similar candidates rescored per article
CHUNK = 512             # rows per sparse product, bounding memory


def term_counts(title: str, text: str) -> dict[str, int]:
    """Content words of an article (title counted twice), for related-article scoring."""
    counts = Counter(_WORD.findall(f"{title}\n{title}\n{text}".lower().replace("’", "'")))
    return {w: n for w, n in sorted(counts.items()) if len(w) > 2 and w not in _STOPWORDS}


def _term_matrix(counts: Sequence[dict[str, int]]) -> sparse.csr_matrix:
    """Rows: articles; columns: terms; values: L2-normalised TF-IDF of each row's top terms."""
    df = Counter(term for c in counts for term in c)
    n = len(counts)
    # A term in nearly every article says nothing about relatedness and makes
    # the sparse product dense, so it is dropped.
    ceiling = max(2, n // 5) if n >= 20 else n
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, counter in enumerate(counts):
        weighted = [(tf * math.log(1 + n / df[t]), t) for t, tf in counter.items()
                    if 1 < df[t] <= ceiling]
        weighted.sort(key=lambda wt: (-wt[0], wt[1]))
        top = weighted[:TOP_TERMS]
        norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
        for weight, term in top:
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(weight / norm)
    return sparse.csr_matrix((values, (rows, cols)), shape=(n, max(1, len(vocabulary))))


def _structure_score(a: Classification, b: Classification) -> float:
    shared_about = len(set(a.countries) & set(b.countries))
    shared_topics = len(set(a.topics) & set(b.topics))
    shared_any = len((set(a.countries) | set(a.countries_mentioned))
                     & (set(b.countries) | set(b.countries_mentioned)))
    return 0.35 * shared_about + 0.25 * shared_topics + 0.05 * shared_any


def related_articles(entries: Sequence[Entry], terms: Sequence[dict[str, int]]) -> list[tuple[str, ...]]:
    """3-5 related slugs per entry: text similarity plus shared countries and topics.

    Candidates come from a sparse product of the term matrix, which only meets
    articles that share a distinctive term (an inverted index in C), taken in
    row chunks; they are rescored with shared countries and topics. An article
    with too few text neighbours is topped up from the articles sharing its
    main country or topic.
    """
    n = len(entries)
    if n < 2:
        return [()] * n
    matrix = _term_matrix(terms)
    transposed = matrix.T.tocsr()
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        for key in _fallback_keys(entry.classification):
            by_key[key].append(i)
    result: list[tuple[str, ...]] = []
    classifications = [e.classification for e in entries]
    for start in range(0, n, CHUNK):
        block = (matrix[start:start + CHUNK] @ transposed).tocsr()
        for offset in range(block.shape[0]):
            i = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            columns, values = block.indices[lo:hi], block.data[lo:hi]
            if len(values) > CANDIDATES + 1:
                keep = np.argpartition(-values, CANDIDATES)[:CANDIDATES + 1]
                columns, values = columns[keep], values[keep]
            similarity = dict(zip(columns.tolist(), values.tolist()))
            similarity.pop(i, None)
            candidates = list(similarity)
            if len(candidates) < RELATED_MAX:
                candidates += _fallback(classifications[i], by_key, i, similarity)
            result.append(_best(i, candidates, similarity, classifications, entries))
    return result


def _best(i: int, candidates: list[int], similarity: dict[int, float],
          classifications: Sequence[Classification], entries: Sequence[Entry]) -> tuple[str, ...]:
    mine = classifications[i]
    scored = []
    for j in candidates:
        score = similarity.get(j, 0.0) + _structure_score(mine, classifications[j])
        if score > 0:
            scored.append((-score, entries[j].article.slug))
    scored.sort()
    return tuple(slug for _, slug in scored[:RELATED_MAX])


def _fallback_keys(c: Classification) -> list[str]:
    return [f"c:{code}" for code in c.countries[:1]] + [f"t:{slug}" for slug in c.topics[:1]]


def _fallback(c: Classification, by_key: dict[str, list[int]], me: int, have) -> list[int]:
    found: list[int] = []
    for key in _fallback_keys(c):
        for j in by_key.get(key, ())[:CANDIDATES]:
            if j != me and j not in have and j not in found:
                found.append(j)
    return found
