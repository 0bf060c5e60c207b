"""Group the articles of all dumps into stories: exact copies, then near-duplicates.

Exact copies (byte-identical, or differing only in whitespace or Unicode
normalisation) share a content key. Near-duplicates (the same story with a
paragraph added or a typo fixed) are found with MinHash LSH over word
shingles: each article is looked up in the index before it is added, so the
work grows with the number of articles, not with the number of pairs, and
every candidate the index returns is confirmed on the exact shingle sets.

A merge must also be safe: two texts merge only when their titles or their
openings agree as well, so an article that holds another one's text (two
stories glued together by a damaged dump) never swallows it. A pair that shares
its text but neither title nor opening is kept apart and reported (`Apart`).
Editors undo a merge with `not_duplicate_of` (ingest passes it in as `apart`).
Every near-copy merged is recorded (`Merge`), for ingest to print and write.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Sequence

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
# Titles agree when this much of their words are shared (Jaccard); openings when this
# much of the word trigrams of their first OPENING_WORDS words are.
TITLE_AGREEMENT = 0.5
OPENING_AGREEMENT = 0.5
OPENING_WORDS = 40

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x100000001B3)


@dataclass(frozen=True)
class Merge:
    """A near-copy merged into a story's kept version."""

    id: str                         # the content id of the version dropped
    title: str
    source: str                     # the dump, and the line of its title there
    line: int
    similarity: float               # Jaccard of the two texts' shingles, to 2 places

    def record(self) -> dict:
        """As the kept article's front matter lists it."""
        return {"title": self.title, "source": self.source, "line": self.line,
                "similarity": self.similarity, "id": self.id}


@dataclass(frozen=True)
class Story:
    """One story and every version of it that the dumps hold."""

    article: RawArticle             # the kept version: the most complete, then the richest
    sources: tuple[str, ...]        # every dump holding a version, sorted
    ids: tuple[str, ...]            # content ids of its versions, earliest first
    versions: int                   # how many articles were merged into it
    merges: tuple[Merge, ...] = ()  # the near-copies among them


@dataclass(frozen=True)
class Apart:
    """Two articles that share most of their text but neither title nor opening: kept
    apart, and reported so that an editor can look."""

    first: RawArticle
    second: RawArticle
    similarity: float


@dataclass(frozen=True)
class Deduped:
    stories: tuple[Story, ...]      # in order of first appearance
    exact: int                      # articles dropped as exact copies
    near: int                       # articles dropped as near-duplicates
    apart: tuple[Apart, ...] = ()   # near-copies by text alone, kept apart


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


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (len(a) + len(b) - shared)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold())


def _overlap(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _opening(article: RawArticle) -> set[tuple[str, ...]]:
    """The word trigrams of the first paragraph's first OPENING_WORDS words: a story glued
    under another one starts a later paragraph, never the host's first."""
    first = next((block.text for block in article.blocks if block.kind == "paragraph"), "")
    words = _words(first)[:OPENING_WORDS]
    return {tuple(words[i:i + 3]) for i in range(max(1, len(words) - 2))} if words else set()


def agree(a: RawArticle, b: RawArticle) -> bool:
    """Two texts that share most of their words are one story only if their titles or
    their openings agree too: a text that holds another one glued to its end is not it."""
    if _overlap(set(_words(a.title)), set(_words(b.title))) >= TITLE_AGREEMENT:
        return True
    return _overlap(_opening(a), _opening(b)) >= OPENING_AGREEMENT


def title_slug(title: str) -> str:
    """The slug ingest would give a title (before -2, -3, ... for clashes)."""
    from slugify import slugify

    return slugify(title, max_length=80, word_boundary=True, replacements=[["'", ""], ["’", ""]]) or "article"


# mapper(function, items, stage) -> [function(item) for item in items]: ingest hands
# dedupe one that runs on every core, as the content keys, shingles and MinHash values
# of the articles (most of the work) are each a function of one article alone.
Mapper = Callable[[Callable, Sequence, str], Iterable]


def _in_turn(function: Callable, items: Sequence, stage: str) -> list:
    return [function(item) for item in items]


def dedupe(articles: Sequence[RawArticle],
           progress: Callable[[int, int], None] | None = None, mapper: Mapper = _in_turn,
           apart: Mapping[str, Iterable[str]] | None = None) -> Deduped:
    """Group articles into stories. Input order is the tie-break (dumps by name, then line).
    progress(done, total) follows the distinct texts through the LSH index; mapper: see Mapper.
    apart: id -> the ids or title slugs of versions an editor said are not copies of the
    story with that id (`not_duplicate_of`); such versions never join its story."""
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
    keeper = _Separations(apart, ordered, keys, representatives) if apart else None
    kept_apart: list[Apart] = []

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
        for other in sorted(lsh.query(minhash)):
            a, b = root(other), root(index)
            if a == b or not _same_story(mine, shingles[other]):
                continue
            if not agree(ordered[index], ordered[other]):
                kept_apart.append(Apart(ordered[other], ordered[index],
                                        round(_jaccard(mine, shingles[other]), 2)))
            elif keeper is None or keeper.may_join(a, b):
                near_parent[max(a, b)] = min(a, b)
                if keeper is not None:
                    keeper.joined(min(a, b), max(a, b))
        lsh.insert(index, minhash)

    groups: dict[int, list[int]] = {}
    for index in range(len(ordered)):
        groups.setdefault(root(parent[index]), []).append(index)
    stories = tuple(_story(members, ordered, keys, shingles, parent)
                    for _, members in sorted(groups.items()))
    # A pair kept apart whose two articles were joined all the same (through a third
    # version that agrees with both) is one story after all: not reported.
    story_of = {id(ordered[i]): root(parent[i]) for i in range(len(ordered))}
    reported = tuple(pair for pair in kept_apart
                     if story_of[id(pair.first)] != story_of[id(pair.second)])
    return Deduped(stories=stories, exact=len(ordered) - len(representatives),
                   near=len(representatives) - len(stories), apart=reported)


class _Separations:
    """Versions an editor said are not the story they were merged into (`not_duplicate_of`
    names them by content id or title slug): a group holding a version so named never
    joins one holding a version not so named. (A title slug that both versions share
    separates nothing: the id does.)"""

    def __init__(self, apart: Mapping[str, Iterable[str]], ordered: Sequence[RawArticle],
                 keys: Sequence[str], representatives: Sequence[int]):
        named = frozenset(name for names in apart.values() for name in names)
        # Per group (by its root): the names some version of it answers to, and the
        # names some version of it does not answer to.
        self.answers: dict[int, set[str]] = {}
        self.others: dict[int, set[str]] = {}
        for index in representatives:
            own = named & {keys[index][:ID_CHARS], title_slug(ordered[index].title)}
            self.answers[index] = set(own)
            self.others[index] = set(named - own)

    def may_join(self, a: int, b: int) -> bool:
        return not (self.answers[a] & self.others[b] or self.answers[b] & self.others[a])

    def joined(self, kept: int, gone: int) -> None:
        self.answers[kept] |= self.answers.pop(gone)
        self.others[kept] |= self.others.pop(gone)


def _richness(article: RawArticle) -> tuple:
    """Complete, then the most text; of equal texts, the one with a date and a byline
    (the other's date and byline are filled in below whichever is kept)."""
    return (not article.truncated, len(body_text(article)), article.date is not None,
            bool(article.author or article.place or article.byline))


def _story(members: list[int], ordered: Sequence[RawArticle], keys: Sequence[str],
           shingles: Mapping[int, np.ndarray], parent: Sequence[int]) -> Story:
    """The kept version (complete, the most text, then dated and bylined; ties: the
    earliest), its gaps filled from the others (a date and byline from the copy in the
    site-page layout, say), and the merges recorded."""
    versions = [ordered[i] for i in members]
    best = max(range(len(versions)), key=lambda i: (_richness(versions[i]), -i))
    article = versions[best]
    for field in ("caption", "date", "byline", "author", "place", "standfirst"):
        if getattr(article, field) is None:
            found = next((getattr(v, field) for v in versions if getattr(v, field) is not None), None)
            article = replace(article, **{field: found})
    kept = parent[members[best]]
    merges = tuple(
        Merge(id=keys[i][:ID_CHARS], title=ordered[i].title, source=ordered[i].source,
              line=ordered[i].line, similarity=round(_jaccard(shingles[i], shingles[kept]), 2))
        for i in members if parent[i] == i and i != kept)
    ids = tuple(dict.fromkeys(keys[i][:ID_CHARS] for i in members))
    return Story(article=article, sources=tuple(sorted({v.source for v in versions})),
                 ids=ids, versions=len(versions), merges=merges)
