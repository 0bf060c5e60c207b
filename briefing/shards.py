"""The search index in parts: which part each article page is indexed in, what a part's
index is made of, and the manifest that tells the search page which parts to merge.

Pagefind over the whole site took 20 s and 2.1 GB at 4,000 articles, and every edit
paid for all of it. Here the article pages are split into K parts, each its own
Pagefind bundle under pagefind/<name>/, merged in the browser (mergeIndex): an edit
re-indexes only its article's part, and memory is one part's. Pure: what to run and
where to write is output.py's, when builder.py's.

A page's part is a hash of its slug (the file name an editor keeps; a stable id), so
it never moves while K stays. K is the smallest power of two that keeps parts at
PART_SIZE articles or fewer on average: it changes only when the archive doubles (or
halves), and then every part is new once, as in a cold build. Part names carry K, so
parts of the old split are never mistaken for new ones.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Iterable, Mapping

# Articles per part, on average. Pagefind takes about 3 ms and 0.35 MB per article page
# (plus ~50 ms to start), so a part of 256 is under a second and ~100 MB: a title edit
# re-indexes one (the target is 3 s for the whole build), and a cold build's 16 parts at
# 4,000 articles take two at a time about what one whole index did, in a tenth of the memory.
# BRIEFING_SEARCH_PART_SIZE sets it (the tests split a few articles into several parts).
PART_SIZE = int(os.environ.get("BRIEFING_SEARCH_PART_SIZE") or 256)
MANIFEST = "parts.json"      # in the search folder: the bundles the search page merges
ARTICLE_PREFIX, ARTICLE_SUFFIX = "articles/", "/index.html"
# What Pagefind reads of an article page: the <html> tag (its lang picks the stemmer)
# and the element marked data-pagefind-body (templates/article.html), up to its end.
BODY_MARK, BODY_OPEN, BODY_END = b"data-pagefind-body", b"<article", b"</article>"


@dataclass(frozen=True)
class Part:
    name: str                       # its folder under the search folder, "<K>-<i>"
    key: bytes                      # of what Pagefind reads of its pages: equal keys, equal index
    pages: tuple[str, ...]          # output-relative article pages, sorted


def is_article_page(path: str) -> bool:
    return path.startswith(ARTICLE_PREFIX) and path.endswith(ARTICLE_SUFFIX) and path.count("/") == 2


def part_count(articles: int) -> int:
    count = 1
    while count * PART_SIZE < articles:
        count *= 2
    return count


def part_of(slug: str, count: int) -> int:
    """The part of an article: a digest (never hash(), which differs per process) of its slug."""
    digest = hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def indexed_digest(page: bytes) -> bytes:
    """A digest of what Pagefind reads of an article page: its related articles and
    older/newer links change with other articles' titles, and must not re-index it."""
    html = page.find(b"<html")
    head = page[html:page.find(b">", html) + 1] if html >= 0 else b""
    return hashlib.blake2b(head + b"\0" + _body(page), digest_size=16).digest()


def _body(page: bytes) -> bytes:
    """The <article> marked data-pagefind-body, to its own end tag (story cards after
    it are <article>s too); the whole page when there is none."""
    start = page.find(BODY_MARK)
    if start < 0:
        return page
    depth, at = 1, start
    while depth:
        close = page.find(BODY_END, at)
        if close < 0:
            return page
        opened = page.find(BODY_OPEN, at, close)
        if opened >= 0:
            depth, at = depth + 1, opened + len(BODY_OPEN)
        else:
            depth, at = depth - 1, close + len(BODY_END)
    return page[start:at]


def plan_parts(digests: Mapping[str, bytes]) -> tuple[Part, ...]:
    """The parts of the index, from each article page's indexed_digest; empty parts are left out."""
    pages = sorted(path for path in digests if is_article_page(path))
    count = part_count(len(pages))
    members: dict[int, list[str]] = {}
    for path in pages:
        members.setdefault(part_of(path[len(ARTICLE_PREFIX):-len(ARTICLE_SUFFIX)], count), []).append(path)
    parts = []
    for number in sorted(members):
        listed = members[number]
        key = hashlib.blake2b(b"".join(p.encode("utf-8") + b"\0" + digests[p] for p in listed), digest_size=16)
        parts.append(Part(f"{count}-{number}", key.digest(), tuple(listed)))
    return tuple(parts)


def manifest(parts: Iterable[Part]) -> bytes:
    """parts.json: the bundles search.js merges, relative to the search folder."""
    return json.dumps({"parts": [f"{part.name}/" for part in parts]}, separators=(",", ":")).encode() + b"\n"
