"""Related articles: text similarity from a sparse term index, rescored with shared
countries and topics (numpy).

site.related_articles decides when this work is needed (its memo covers most
rebuilds) and imports this module only then: numpy alone takes longer to import
than a one-article rebuild takes to do everything else.
"""
from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .model import RELATED_MAX, Candidates, Classification, Entry, Terms


TOP_TERMS = 30          # distinctive terms kept per article
CANDIDATES = 40         # text-similar candidates rescored per article
# What sharing adds to two articles' text similarity (a cosine, 0..1), per item shared:
SHARED_ABOUT = 0.35     # a country both are about
SHARED_TOPIC = 0.25     # a topic
SHARED_NAMED = 0.05     # a country both name at all
CHUNK = 256             # most rows scored at once, bounding memory
CHUNK_PAIRS = 1 << 21   # most (article, article, term) meetings handled at once
# Threads scoring blocks at once: one per core, but few. They share one block's bounds
# of memory (CHUNK rows x every article: 20 MB at 10,000 articles, with temporaries
# several times that), each taking blocks of CHUNK / THREADS rows.
THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


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


def _blocks(index: _TermIndex, n: int, share: int = 1) -> list[tuple[int, int]]:
    """Row ranges of at most CHUNK rows and (unless one row alone has more) CHUNK_PAIRS
    meetings, each divided by `share`: the blocks scored at once stay within one block's
    bounds of memory together."""
    rows_most, pairs_most = max(1, CHUNK // share), max(1, CHUNK_PAIRS // share)
    meetings = index.post_start[index.cols + 1] - index.post_start[index.cols]
    rows = np.repeat(np.arange(n), np.diff(index.row_start))
    per_row = np.bincount(rows, weights=meetings, minlength=n)
    blocks, start, load = [], 0, 0
    for row, pairs in enumerate(per_row.tolist()):
        if row > start and (row - start >= rows_most or load + pairs > pairs_most):
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


def rescore(entries: Sequence[Entry], slugs: list[str], canonical: list[int],
            candidates: Candidates) -> tuple[list[tuple[str, ...]], bool]:
    """Text candidates (in slug order) rescored with shared countries and topics, in entry
    order; and whether any article was topped up from its country or topic."""
    n = len(entries)
    best, values = _arrays(candidates)
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


def _arrays(candidates: Candidates) -> tuple[np.ndarray, np.ndarray]:
    shape = (candidates.rows, candidates.keep)
    return (np.frombuffer(candidates.best_bytes, dtype=np.int64).reshape(shape),
            np.frombuffer(candidates.value_bytes, dtype=np.float64).reshape(shape))


def text_candidates(terms: Sequence[Terms], threads: int = THREADS) -> Candidates:
    """For each article, the CANDIDATES others most similar by text (indices, cosines; 0 = none).

    Blocks of rows are scored on `threads` threads: numpy lets go of the GIL in the
    sorting and arithmetic that make up most of a block, so two threads take 0.22 s
    where one takes 0.41 s at 4,000 articles, on a core that is otherwise idle then.
    Each block writes only its own rows, so the answer does not depend on the threads.
    """
    n = len(terms)
    index = _term_index(terms)
    keep = min(CANDIDATES, n - 1)
    best = np.empty((n, keep), dtype=np.int64)
    values = np.empty((n, keep))

    def score(rows: tuple[int, int]) -> None:
        start, stop = rows
        block = _similar(index, start, stop, n)
        block[np.arange(stop - start), np.arange(start, stop)] = 0.0
        chosen = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
        best[start:stop] = chosen
        values[start:stop] = np.take_along_axis(block, chosen, axis=1)

    threads = max(1, threads)
    blocks = _blocks(index, n, share=threads)
    threads = min(threads, len(blocks))
    if threads == 1:
        for rows in blocks:
            score(rows)
    else:
        # Joined before returning: the build forks worker processes later, which must
        # not inherit running threads.
        with ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(score, blocks):   # re-raises a block's error here
                pass
        _give_back_freed_memory()
    return Candidates(n, keep, best.tobytes(), values.tobytes())


def _give_back_freed_memory() -> None:
    """Hand the memory the threads' blocks were freed from back to the system.

    Each thread allocates from a malloc arena of its own, which keeps what was freed in
    it: with two threads the cold build's peak at 10,000 articles was 464 MB against
    407 MB with one, the difference held by arenas nobody used again."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):     # not glibc: nothing to do
        pass


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
