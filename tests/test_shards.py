"""The search index's parts: stable, deterministic, keyed by what Pagefind reads."""
from __future__ import annotations

import json

from briefing import shards

PAGE = (b'<!doctype html><html lang="en"><head><title>T</title></head><body><nav>menu</nav>'
        b'<article class="article" data-pagefind-body><h1>Title</h1><p>Body</p></article>'
        b'<section class="related"><article class="story"><h3>%s</h3></article></section>'
        b'<nav class="prev-next">%s</nav></body></html>')


def test_a_page_keeps_its_part_and_the_part_is_the_same_in_every_process():
    # blake2b of the slug, not hash(): fixed numbers, whatever PYTHONHASHSEED is.
    assert [shards.part_of("cairo-draws-red-lines", k) for k in (1, 2, 4, 16)] == \
        [0, shards.part_of("cairo-draws-red-lines", 2), shards.part_of("cairo-draws-red-lines", 4),
         shards.part_of("cairo-draws-red-lines", 16)]
    assert shards.part_of("cairo-draws-red-lines", 16) == int.from_bytes(
        __import__("hashlib").blake2b(b"cairo-draws-red-lines", digest_size=8).digest(), "big") % 16


def test_parts_double_as_the_archive_grows():
    assert [shards.part_count(n) for n in (0, 1, 256, 257, 1000, 4000, 4097)] == [1, 1, 1, 2, 4, 16, 32]


def test_related_articles_and_neighbours_do_not_change_what_is_indexed():
    one = shards.indexed_digest(PAGE % (b"Old title", b"Older"))
    assert one == shards.indexed_digest(PAGE % (b"Edited title", b"Newer"))
    assert one != shards.indexed_digest((PAGE % (b"x", b"y")).replace(b"<p>Body</p>", b"<p>Body!</p>"))
    assert one != shards.indexed_digest((PAGE % (b"x", b"y")).replace(b'lang="en"', b'lang="fr"'))


def test_plan_groups_article_pages_into_keyed_parts(monkeypatch):
    monkeypatch.setattr(shards, "PART_SIZE", 2)
    digests = {f"articles/a{n}/index.html": bytes([n]) * 16 for n in range(7)}
    digests["countries/iraq/index.html"] = b"x" * 16     # not an article: never indexed
    parts = shards.plan_parts(digests)
    assert sorted(p for part in parts for p in part.pages) == sorted(p for p in digests if p.startswith("articles/"))
    assert all(part.name.startswith("4-") for part in parts)
    changed = shards.plan_parts({**digests, "articles/a3/index.html": b"\xff" * 16})
    moved = [new.name for old, new in zip(parts, changed) if old.key != new.key]
    assert moved == [f"4-{shards.part_of('a3', 4)}"]
    assert json.loads(shards.manifest(parts)) == {"parts": [f"{part.name}/" for part in parts]}
