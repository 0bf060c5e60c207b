"""Group the articles of all dumps into stories: exact copies, then near-duplicates.

Exact copies (byte-identical, or differing only in whitespace or Unicode
normalisation) share a content key. Near-duplicates (the same story with a
paragraph added or a typo fixed) are found with MinHash LSH over word
shingles: each article is looked up in the index before it is added, so the
work grows with the number of articles, not with the number of pairs, and
every candidate the index returns is confirmed on the exact shingle sets.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from .model import RawArticle

ID_CHARS = 16
SHINGLE_WORDS = 6
NUM_PERM = 128
# 32 bands of 4 rows: a pair is a candidate with probability 0.99 at Jaccard
# 0.6, 0.87 at 0.5, and 0.003 at 0.1, so unrelated articles (sharing a few
# stock phrases) rarely reach the exact check, and the work stays linear.
LSH_BANDS = (32, 4)
# A candidate pair is the same story when its exact shingle sets overlap this
# much (Jaccard), or when nearly all of the shorter one is inside the longer.
SAME_STORY_JACCARD = 0.6
SAME_STORY_CONTAINMENT = 0.85

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x100000001B3)


@dataclass(frozen=True)
class Story:
    """One story and every version of it that the dumps hold."""

    article: RawArticle             # the most complete version
    sources: tuple[str, ...]        # every dump holding a version, sorted
    ids: tuple[str, ...]            # content ids of its versions, earliest first
    versions: int                   # how many articles were merged into it


@dataclass(frozen=True)
class Deduped:
    stories: tuple[Story, ...]      # in order of first appearance
    exact: int                      # articles dropped as exact copies
    near: int                       # articles dropped as near-duplicates


def body_text(article: RawArticle) -> str:
    parts = []
    for block in article.blocks:
        parts.extend(block.items if block.kind == "list" else (block.text,))
    return "\n".join(parts)


def content_key(article: RawArticle) -> str:
    """Equal for exact copies: same words, whatever the whitespace or Unicode normal form."""
    fields = [article.title, article.caption or ""]
    for block in article.blocks:
        fields.append(block.kind)
        fields.extend(block.items or (block.text,))
    # NUL never occurs in dump text (a dump holding one is skipped as binary).
    text = " ".join(unicodedata.normalize("NFKC", "\0".join(fields)).split())
    text = text.replace(" \0", "\0").replace("\0 ", "\0")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_id(article: RawArticle) -> str:
    """A short stable id for one version of an article."""
    return content_key(article)[:ID_CHARS]


class _Shingler:
    """Word 6-gram shingles as sorted unique 32-bit hashes, computed with numpy.

    Words are hashed with CRC-32 (not hash(), which changes between runs), so
    the same dumps always give the same groups.
    """

    def __init__(self) -> None:
        self._words: dict[str, int] = {}

    def __call__(self, article: RawArticle) -> np.ndarray:
        text = unicodedata.normalize("NFKC", f"{article.title}\n{body_text(article)}").casefold()
        tokens = _WORD.findall(text)
        cache = self._words
        for word in set(tokens).difference(cache):
            cache[word] = zlib.crc32(word.encode("utf-8"))
        words = np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
        count = max(len(words) - SHINGLE_WORDS + 1, min(len(words), 1))
        shingles = np.zeros(count, dtype=np.uint64)
        for offset in range(min(SHINGLE_WORDS, len(words))):
            shingles = (shingles * _MIX + words[offset:offset + count]) & _MASK
        return _unique(shingles.astype(np.uint32))


def _identity(value: int) -> int:
    return value


def _unique(values: np.ndarray) -> np.ndarray:
    """np.unique, without its overhead on small arrays."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _same_story(a: np.ndarray, b: np.ndarray) -> bool:
    if not len(a) or not len(b):
        return False
    shared = np.intersect1d(a, b, assume_unique=True).size
    union = len(a) + len(b) - shared
    return shared / union >= SAME_STORY_JACCARD or shared / min(len(a), len(b)) >= SAME_STORY_CONTAINMENT


# mapper(function, items, stage) -> [function(item) for item in items]: ingest hands
# dedupe one that runs on every core, as the content keys, shingles and MinHash values
# of the articles (most of the work) are each a function of one article alone.
Mapper = Callable[[Callable, Sequence, str], Iterable]


def _in_turn(function: Callable, items: Sequence, stage: str) -> list:
    return [function(item) for item in items]


def dedupe(articles: Sequence[RawArticle],
           progress: Callable[[int, int], None] | None = None, mapper: Mapper = _in_turn) -> Deduped:
    """Group articles into stories. Input order is the tie-break (dumps by name, then line).
    progress(done, total) follows the distinct texts through the LSH index; mapper: see Mapper."""
    ordered = sorted(articles, key=lambda article: (article.source, article.line))
    keys = list(mapper(content_key, ordered, "keys"))
    first_with_key: dict[str, int] = {}
    parent = list(range(len(ordered)))
    for index, key in enumerate(keys):
        parent[index] = first_with_key.setdefault(key, index)
    representatives = list(first_with_key.values())

    shingler = _Shingler()
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    permutations = MinHash(num_perm=NUM_PERM).permutations

    def signature(article: RawArticle) -> tuple[np.ndarray, np.ndarray]:
        found = shingler(article)
        minhash = MinHash(num_perm=NUM_PERM, hashfunc=_identity, permutations=permutations,
                          scheme="affine32")
        minhash.update_batch(found.tolist())
        return found, minhash.hashvalues

    signed = mapper(signature, [ordered[index] for index in representatives], "shingle")
    shingles: dict[int, np.ndarray] = {}
    near_parent = {index: index for index in representatives}

    def root(index: int) -> int:
        while near_parent[index] != index:
            near_parent[index] = near_parent[near_parent[index]]
            index = near_parent[index]
        return index

    for done, (index, (mine, values)) in enumerate(zip(representatives, signed), start=1):
        if progress:
            progress(done, len(representatives))
        shingles[index] = mine
        minhash = MinHash(hashvalues=values, permutations=permutations, scheme="affine32",
                          hashfunc=_identity)
        for other in lsh.query(minhash):
            a, b = root(other), root(index)
            if a != b and _same_story(mine, shingles[other]):
                near_parent[max(a, b)] = min(a, b)
        lsh.insert(index, minhash)

    groups: dict[int, list[int]] = {}
    for index in range(len(ordered)):
        groups.setdefault(root(parent[index]), []).append(index)
    stories = tuple(_story([ordered[i] for i in members], [keys[i] for i in members])
                    for _, members in sorted(groups.items()))
    return Deduped(stories=stories, exact=len(ordered) - len(representatives),
                   near=len(representatives) - len(stories))


def _story(versions: list[RawArticle], keys: list[str]) -> Story:
    """The most complete version (most text; ties: the earliest), gaps filled from the others."""
    best = max(range(len(versions)), key=lambda i: (len(body_text(versions[i])), -i))
    article = versions[best]
    for field in ("caption", "date", "byline"):
        if getattr(article, field) is None:
            found = next((getattr(v, field) for v in versions if getattr(v, field) is not None), None)
            article = replace(article, **{field: found})
    ids = tuple(dict.fromkeys(key[:ID_CHARS] for key in keys))
    return Story(article=article, sources=tuple(sorted({v.source for v in versions})),
                 ids=ids, versions=len(versions))
