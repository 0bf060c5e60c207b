"""Prepared articles -> Site: ordering, country and topic groupings, related articles.

Everything here is pure. Grouping goes through inverted indexes (code -> slugs),
and related articles through a sparse term index, so the work grows with the
number of articles, not with the number of pairs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import zlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

import numpy as np

from .markup import Rendered, reading_minutes, summarise
from .model import FALLBACK_DATE  # noqa: F401  (re-exported: the site's notion of "undated")
from .model import (Article, Classification, Count, Country, CountryGroup, Diagnostic,
                    Entry, Site, SiteConfig, Topic, TopicGroup)

RELATED_MIN, RELATED_MAX = 3, 5


@dataclass(frozen=True)
class Terms:
    """An article's content-word counts: stable 64-bit term ids (ascending) and their counts.

    Kept as bytes, which pickle and unpickle at memcpy speed (a build cache holds
    10,000 of these), and read as numpy arrays without copying.
    """

    id_bytes: bytes                 # uint64 array
    count_bytes: bytes              # uint32 array, same length
    digest: bytes                   # of both: equal digests, equal terms

    @property
    def ids(self) -> np.ndarray:
        return np.frombuffer(self.id_bytes, dtype=np.uint64)

    @property
    def counts(self) -> np.ndarray:
        return np.frombuffer(self.count_bytes, dtype=np.uint32)


@dataclass(frozen=True)
class Prepared:
    """The per-article work of a build, done once per content hash (and in parallel):
    the Entry without its links to other articles, and the terms for related articles."""

    entry: Entry
    terms: Terms = field(compare=False)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def article(self) -> Article:
        return self.entry.article


def prepare_entry(article: Article, classification: Classification, rendered: Rendered,
                  diagnostics: Sequence[Diagnostic] = ()) -> Prepared:
    return Prepared(entry=make_entry(article, classification, rendered),
                    terms=term_vector(rendered.text), diagnostics=tuple(diagnostics))


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


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Patterns for a date ending at a year: searched only in the few characters before each
# year a text contains, instead of across the whole text (years are rare, words are not).
_DATE_ENDINGS = tuple(re.compile(pattern.pattern + "$", re.I) for pattern in _DATE_PATTERNS)
_WINDOW = 40    # longer than any date these patterns match, plus one character


def dates_in(text: str) -> list[dt.date]:
    found = []
    for year in _YEAR.finditer(text):
        start = max(0, year.start() - _WINDOW)
        window = text[start:year.end()]
        for pattern in _DATE_ENDINGS:
            match = pattern.search(window)
            # A match at the window's first character may be the tail of a longer word.
            if match is None or (match.start() == 0 and start > 0):
                continue
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

def make_entry(article: Article, classification: Classification, rendered: Rendered) -> Entry:
    summary = article.summary or summarise(rendered.lead or rendered.text)
    return Entry(
        # The markdown is rendered now; dropping it halves what a large site holds in memory.
        article=replace(article, body=""),
        classification=classification,
        html=rendered.html,
        words=rendered.words,
        headings=rendered.headings,
        summary=summary,
        reading_minutes=reading_minutes(rendered.words),
        updated=infer_updated(article, rendered.text),
        url=f"/articles/{article.slug}/",
    )


def newest_first(entry: Entry) -> tuple:
    return (-entry.updated.toordinal(), entry.article.title.casefold(), entry.article.slug)


def assemble_site(config: SiteConfig, prepared: Iterable[Prepared],
                  country: Callable[[str], Country], topics: Sequence[Topic],
                  related_memo: dict | None = None, entry_memo: dict | None = None) -> Site:
    """Everything a page needs, gathered before any page is rendered.

    Every page lists or links others (related articles, country counts,
    previous/next), so all of it is computed here first, once. related_memo:
    see related_articles (the incremental builder keeps one between builds).
    entry_memo (serve keeps one): the placed Entry of each article, reused while
    the article and its links are unchanged, so later stages can tell an
    unchanged article by identity.
    """
    pairs = sorted(((p.entry, p.terms) for p in prepared if not p.article.draft),
                   key=lambda pair: newest_first(pair[0]))
    entries = [entry for entry, _ in pairs]
    related = related_articles(entries, [terms for _, terms in pairs], related_memo)
    slugs = [e.article.slug for e in entries]
    known = entry_memo if entry_memo is not None else {}
    placed = {}
    for i, entry in enumerate(entries):
        links = (related[i], slugs[i + 1] if i + 1 < len(slugs) else None, slugs[i - 1] if i > 0 else None)
        found = known.get(slugs[i])
        if found is None or found[0] is not entry or found[1] != links:
            found = (entry, links, replace(entry, related=links[0], previous=links[1], next=links[2]))
        placed[slugs[i]] = found
        entries[i] = found[2]
    if entry_memo is not None:
        entry_memo.clear()
        entry_memo.update(placed)
    by_slug = {entry.article.slug: entry for entry in entries}
    return Site(
        config=config,
        entries=tuple(entries),
        countries=group_countries(entries, country),
        topics=group_topics(entries, topics),
        updated=max((e.updated for e in entries), default=FALLBACK_DATE),
        by_slug=by_slug,
    )


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

# Runs of three or more letters: short words never count, and a simple class is the
# fastest pattern to scan ("al-Sudani" gives "sudani", "country's" gives "country").
_WORD = re.compile(r"[^\W\d_]{3,}")
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
# What sharing adds to two articles' text similarity (a cosine, 0..1), per item shared:
SHARED_ABOUT = 0.35     # a country both are about
SHARED_TOPIC = 0.25     # a topic
SHARED_NAMED = 0.05     # a country both name at all
CHUNK = 256             # most rows scored at once, bounding memory
CHUNK_PAIRS = 1 << 21   # most (article, article, term) meetings handled at once


def term_counts(text: str) -> dict[str, int]:
    """Content words of an article body, for related-article scoring.

    The title is left out: it restates the body, and keeping it out means a
    retitled article keeps its related articles, so a title edit is cheap to rebuild.
    """
    counts = Counter(_WORD.findall(text.lower()))
    return {w: n for w, n in counts.items() if w not in _STOPWORDS}


def term_id(word: str) -> int:
    """A stable 64-bit id: two CRC-32s with different seeds (never hash(), which varies per run)."""
    data = word.encode("utf-8")
    return (zlib.crc32(data) << 32) | zlib.crc32(data, 0x9E3779B9)


# word -> term_id(word) for this process: a body has some 400 distinct words, nearly
# all of them seen in earlier bodies, and a look-up costs a fraction of two CRCs.
_TERM_IDS: dict[str, int] = {}


def term_vector(text: str) -> Terms:
    counts = term_counts(text)
    ids = _TERM_IDS
    if len(ids) > 500_000:   # a bound on a long-running process's vocabulary
        ids.clear()
    for word in counts:
        if word not in ids:
            ids[word] = term_id(word)
    found = np.fromiter(map(ids.__getitem__, counts), dtype=np.uint64, count=len(counts))
    values = np.fromiter(counts.values(), dtype=np.uint32, count=len(counts))
    order = np.argsort(found, kind="stable")
    id_bytes, count_bytes = found[order].tobytes(), values[order].tobytes()
    return Terms(id_bytes, count_bytes,
                 hashlib.blake2b(id_bytes + count_bytes, digest_size=16).digest())


@dataclass(frozen=True)
class _TermIndex:
    """Each article's top terms with TF-IDF weights, and the same pairs by term (postings).

    rows/cols/weights are the (article, term, weight) triples sorted by article;
    post_* hold them sorted by term, with post_start[c] where term c begins.
    """

    row_start: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    post_rows: np.ndarray
    post_weights: np.ndarray
    post_start: np.ndarray


def _term_index(terms: Sequence[Terms]) -> _TermIndex:
    """L2-normalised TF-IDF of each article's TOP_TERMS, all articles at once in numpy:
    one array of every (article, term) pair, document frequencies from np.unique, each
    row's top terms by a single lexsort. Ties break on the term id, so the choice never
    depends on the order of work.
    """
    n = len(terms)
    lengths = np.fromiter((len(t.ids) for t in terms), dtype=np.int64, count=n)
    ids = np.concatenate([t.ids for t in terms]) if n else np.zeros(0, np.uint64)
    tf = np.concatenate([t.counts for t in terms]).astype(np.float64) if n else np.zeros(0)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    vocabulary, column = np.unique(ids, return_inverse=True)
    df = np.bincount(column)[column] if len(column) else np.zeros(0, np.int64)
    # A term in more than one article in twenty says little about relatedness and makes
    # the candidate lists huge, so it is dropped; so is a term no other article has.
    ceiling = max(20, n // 20) if n >= 20 else n
    useful = (df > 1) & (df <= ceiling)
    ids, tf, rows, column, df = ids[useful], tf[useful], rows[useful], column[useful], df[useful]
    weight = tf * np.log1p(n / np.maximum(df, 1))
    order = np.lexsort((ids, -weight, rows))
    rows, column, weight = rows[order], column[order], weight[order]
    starts = np.searchsorted(rows, rows, side="left")
    top = (np.arange(len(rows)) - starts) < TOP_TERMS
    rows, column, weight = rows[top], column[top], weight[top]
    norms = np.sqrt(np.bincount(rows, weights=weight * weight, minlength=n))
    norms[norms == 0] = 1.0
    weight = weight / norms[rows]
    by_term = np.lexsort((rows, column))
    return _TermIndex(
        row_start=np.searchsorted(rows, np.arange(n + 1)), cols=column, weights=weight,
        post_rows=rows[by_term], post_weights=weight[by_term],
        post_start=np.searchsorted(column[by_term], np.arange(len(vocabulary) + 1)))


def _blocks(index: _TermIndex, n: int) -> list[tuple[int, int]]:
    """Row ranges of at most CHUNK rows and (unless one row alone has more) CHUNK_PAIRS meetings."""
    meetings = index.post_start[index.cols + 1] - index.post_start[index.cols]
    rows = np.repeat(np.arange(n), np.diff(index.row_start))
    per_row = np.bincount(rows, weights=meetings, minlength=n)
    blocks, start, load = [], 0, 0
    for row, pairs in enumerate(per_row.tolist()):
        if row > start and (row - start >= CHUNK or load + pairs > CHUNK_PAIRS):
            blocks.append((start, row))
            start, load = row, 0
        load += pairs
    if start < n:
        blocks.append((start, n))
    return blocks


def _similar(index: _TermIndex, first: int, last: int, n: int) -> np.ndarray:
    """Cosine similarity of articles first..last-1 with every article, as a dense block.

    Only articles sharing a kept term meet (through the postings), so the work is
    the number of such pairs, not rows x articles.
    """
    lo, hi = index.row_start[first], index.row_start[last]
    cols, weights = index.cols[lo:hi], index.weights[lo:hi]
    local = np.repeat(np.arange(last - first), np.diff(index.row_start[first:last + 1]))
    begin, end = index.post_start[cols], index.post_start[cols + 1]
    counts = end - begin
    total = int(counts.sum())
    block = np.zeros((last - first) * n)
    if total:
        offsets = np.repeat(begin - np.cumsum(counts) + counts, counts) + np.arange(total)
        partners = index.post_rows[offsets]
        products = np.repeat(weights, counts) * index.post_weights[offsets]
        block += np.bincount(np.repeat(local, counts) * n + partners, weights=products,
                             minlength=(last - first) * n)
    return block.reshape(last - first, n)


@dataclass(frozen=True)
class _Shape:
    """An article's countries and topics as sets, made once per build for scoring pairs."""

    about: frozenset[str]
    topics: frozenset[str]
    any: frozenset[str]

    @classmethod
    def of(cls, c: Classification) -> "_Shape":
        return cls(frozenset(c.countries), frozenset(c.topics),
                   frozenset(c.countries) | frozenset(c.countries_mentioned))


def _structure_score(a: _Shape, b: _Shape) -> float:
    return (SHARED_ABOUT * len(a.about & b.about) + SHARED_TOPIC * len(a.topics & b.topics)
            + SHARED_NAMED * len(a.any & b.any))


def related_articles(entries: Sequence[Entry], terms: Sequence[Terms],
                     memo: dict | None = None) -> list[tuple[str, ...]]:
    """3-5 related slugs per entry: text similarity plus shared countries and topics.

    Candidates come from an inverted index of each article's distinctive terms
    (so only articles sharing a term meet), CHUNK rows at a time to bound
    memory; the CANDIDATES most similar are rescored with shared countries and
    topics. An article with too few text neighbours is topped up from the
    articles sharing its main country or topic.

    The text candidates depend only on the articles' terms, so they are worked
    out in slug order and kept in `memo` (when given) under a key of every slug
    and terms digest: a build where no body changed reuses them exactly, and
    one where no classification changed either reuses the whole answer.
    """
    n = len(entries)
    if n < 2:
        return [()] * n
    slugs = [e.article.slug for e in entries]
    canonical = sorted(range(n), key=slugs.__getitem__)
    key = hashlib.blake2b(b"".join(slugs[i].encode() + b"\0" + terms[i].digest for i in canonical),
                          digest_size=16).digest()
    if memo is not None and memo.get("key") == key:
        best, values = memo["best"], memo["values"]
    else:
        best, values = _text_candidates([terms[i] for i in canonical])
        if memo is not None:
            memo.clear()
            memo.update(key=key, best=best, values=values)
    # With the same candidates and classifications the answer is the same; the
    # entries' order matters only when some article had to be topped up.
    shapes_key = hashlib.blake2b(repr([(slugs[i], entries[i].classification) for i in canonical]).encode(),
                                 digest_size=16).digest()
    order_key = hashlib.blake2b("\0".join(slugs).encode(), digest_size=16).digest()
    saved = memo.get("result") if memo is not None else None
    if saved and saved[0] == shapes_key and saved[1] in (None, order_key):
        return [saved[2][slug] for slug in slugs]
    result, topped_up = _rescore(entries, slugs, canonical, best, values)
    if memo is not None:
        memo["result"] = (shapes_key, order_key if topped_up else None, dict(zip(slugs, result)))
    return result


def _rescore(entries: Sequence[Entry], slugs: list[str], canonical: list[int], best: np.ndarray,
             values: np.ndarray) -> tuple[list[tuple[str, ...]], bool]:
    """Text candidates (in slug order) rescored with shared countries and topics, in entry
    order; and whether any article was topped up from its country or topic."""
    n = len(entries)
    position = np.empty(n, dtype=np.int64)
    position[canonical] = np.arange(n)
    # Back to entry order: row i of the result is entry i, candidates are entry indices.
    best = np.asarray(canonical, dtype=np.int64)[best[position]]
    values = values[position]

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        for fallback_key in _fallback_keys(entry.classification):
            by_key[fallback_key].append(i)
    classifications = [e.classification for e in entries]
    shapes = [_Shape.of(c) for c in classifications]
    sets = _SetArrays.of(classifications)
    result: list[tuple[str, ...]] = []
    topped_up = False
    for start in range(0, n, CHUNK):
        rows = np.arange(start, min(n, start + CHUNK))
        block_best, block_values = best[rows], values[rows]
        text = block_values > 0
        score = np.where(text, block_values + sets.structure(rows, block_best), -np.inf)
        order = np.lexsort((position[block_best], -score), axis=1)[:, :RELATED_MAX]
        chosen = np.take_along_axis(block_best, order, axis=1).tolist()
        enough = (text.sum(axis=1) >= RELATED_MAX).tolist()
        for offset, i in enumerate(rows.tolist()):
            if enough[offset]:
                result.append(tuple(slugs[j] for j in chosen[offset]))
                continue
            # Few text neighbours: top up from the same main country or topic.
            similarity = {j: v for j, v in zip(block_best[offset].tolist(), block_values[offset].tolist())
                          if v > 0}
            candidates = list(similarity) + _fallback(classifications[i], by_key, i, similarity)
            result.append(_best(i, candidates, similarity, shapes, entries))
            topped_up = True
    return result, topped_up


def _text_candidates(terms: Sequence[Terms]) -> tuple[np.ndarray, np.ndarray]:
    """For each article, the CANDIDATES others most similar by text (indices, cosines; 0 = none)."""
    n = len(terms)
    index = _term_index(terms)
    keep = min(CANDIDATES, n - 1)
    best = np.empty((n, keep), dtype=np.int64)
    values = np.empty((n, keep))
    for start, stop in _blocks(index, n):
        block = _similar(index, start, stop, n)
        block[np.arange(stop - start), np.arange(start, stop)] = 0.0
        chosen = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
        best[start:stop] = chosen
        values[start:stop] = np.take_along_axis(block, chosen, axis=1)
    return best, values


@dataclass(frozen=True)
class _SetArrays:
    """Every article's countries about, topics and countries named, as rows of small
    integer ids padded with -1, so shared counts of many pairs come from one numpy call."""

    about: np.ndarray
    topics: np.ndarray
    any: np.ndarray

    @classmethod
    def of(cls, classifications: Sequence[Classification]) -> "_SetArrays":
        codes = {code: i for i, code in enumerate(sorted(
            {c for x in classifications for c in (*x.countries, *x.countries_mentioned)}))}
        topics = {slug: i for i, slug in enumerate(sorted({t for x in classifications for t in x.topics}))}
        return cls(
            about=_padded([[codes[c] for c in sorted(set(x.countries))] for x in classifications]),
            topics=_padded([[topics[t] for t in sorted(set(x.topics))] for x in classifications]),
            any=_padded([sorted({codes[c] for c in (*x.countries, *x.countries_mentioned)})
                         for x in classifications]))

    def structure(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """_structure_score of each row with each of its candidate columns."""
        return (SHARED_ABOUT * _shared(self.about, rows, columns)
                + SHARED_TOPIC * _shared(self.topics, rows, columns)
                + SHARED_NAMED * _shared(self.any, rows, columns))


def _padded(lists: list[list[int]]) -> np.ndarray:
    width = max(1, max((len(ids) for ids in lists), default=1))
    array = np.full((len(lists), width), -1, dtype=np.int32)
    for row, ids in enumerate(lists):
        array[row, :len(ids)] = ids
    return array


def _shared(sets: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    mine = sets[rows][:, None, :, None]         # (rows, 1, width, 1)
    theirs = sets[columns][:, :, None, :]       # (rows, candidates, 1, width)
    return ((mine == theirs) & (mine >= 0)).sum(axis=(2, 3))


def _best(i: int, candidates: list[int], similarity: dict[int, float],
          shapes: Sequence[_Shape], entries: Sequence[Entry]) -> tuple[str, ...]:
    mine = shapes[i]
    scored = []
    for j in candidates:
        score = similarity.get(j, 0.0) + _structure_score(mine, shapes[j])
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
