"""The search index in parts: the same answers as one whole index, and the same bytes
however Pagefind ordered its filters."""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace

import cbor2
import pytest

from briefing import pipeline, searchindex, shards
from browser_support import start_chromium
from test_build import ROOT, make_project

ARTICLES = 120      # generated, in 8 parts of ~16
WORDS = 300         # queried against both indexes


def test_a_search_bundle_is_the_same_bytes_however_pagefind_ordered_its_filters(tmp_path):
    """Pagefind 1.5.2 writes filter values in hash-map order, different each run."""
    def bundle(folder, values):
        folder.mkdir()
        (folder / "filter").mkdir()
        data = gzip.compress(b"pagefind_dcd" + cbor2.dumps(["topic", values]))
        (folder / "filter" / "en_1234567.pf_filter").write_bytes(data)
        meta = gzip.compress(b"pagefind_dcd" + cbor2.dumps(["1.5.2", [], [], [["topic", "en_1234567"]], [], []]))
        (folder / "pagefind.en_0123456789.pf_meta").write_bytes(meta)
        (folder / "pagefind-entry.json").write_text(json.dumps(
            {"version": "1.5.2", "languages": {"en": {"hash": "en_0123456789", "wasm": "en", "page_count": 3}}}))
        searchindex.canonicalise(folder)
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    one = bundle(tmp_path / "one", [["Health", [0, 2]], ["Sports", [1]]])
    two = bundle(tmp_path / "two", [["Sports", [1]], ["Health", [0, 2]]])
    assert one == two
    entry = json.loads(one["pagefind-entry.json"])
    assert f"pagefind.{entry['languages']['en']['hash']}.pf_meta" in one


def test_a_failing_pagefind_names_the_part(tmp_path):
    part = shards.Part("1-0", b"k", ("articles/a/index.html",))
    job = searchindex.gather(tmp_path / "scratch", [part], lambda path: b"<html><body>no end")
    (tmp_path / "scratch" / ".pages-1-0").rename(tmp_path / "gone")    # Pagefind finds no site there
    with pytest.raises(Exception, match="part 1-0"):
        searchindex.run(job)


# --- the same answers --------------------------------------------------------------------

QUERY = """
const [words, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const whole = await import('/whole-index/pagefind.js');
  await whole.options({bundlePath: '/whole-index/'});
  const parts = (await (await fetch('/pagefind/parts.json')).json()).parts;
  const sharded = await import('/pagefind/' + parts[0] + 'pagefind.js');
  await sharded.options({bundlePath: '/pagefind/' + parts[0]});
  for (const part of parts.slice(1)) await sharded.mergeIndex('/pagefind/' + part);
  const urls = async found => (await Promise.all(found.results.map(r => r.data()))).map(d => d.url).sort();
  const answers = {};
  for (const word of words) {
    answers[word] = [await urls(await whole.search(word)), await urls(await sharded.search(word))];
  }
  answers['filters'] = [await whole.filters(), await sharded.filters()];
  done({parts: parts.length, answers});
})().catch(error => done({error: String(error)}));
"""


@pytest.mark.browser
def test_a_query_finds_the_same_pages_in_the_parts_as_in_one_whole_index(tmp_path, monkeypatch):
    paths = make_project(tmp_path)
    shutil.rmtree(paths["seeds"])
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--articles", str(ARTICLES),
                    "--out", str(paths["seeds"]), "--news"], check=True, capture_output=True)
    options = pipeline.Options(seeds=paths["seeds"], content=paths["content"], templates=ROOT / "templates",
                               output=paths["output"], cache=None, quiet=True, search=True)
    pipeline.run_ingest(options, pipeline.Reporter(quiet=True))
    monkeypatch.setattr(shards, "PART_SIZE", 16)
    pipeline.run_build(options, pipeline.Reporter(quiet=True))
    articles = sorted(paths["output"].glob("articles/*/index.html"))
    assert len(articles) >= ARTICLES * 0.9
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(paths["output"]), "--output-path",
                           str(paths["output"] / "whole-index"), "--silent"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    # Words from the articles, from the commonest to ones in a single article, and prefixes.
    counts = Counter(word for path in sorted((paths["content"] / "articles").glob("*.md"))
                     for word in set(re.findall(r"\b[a-z]{4,}\b", path.read_text(encoding="utf-8").lower())))
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    words = ranked[::max(1, len(ranked) // (WORDS - 20))][:WORDS - 20] + [w[:3] for w in ranked[:20]]

    handler = functools.partial(QuietHandler, directory=str(paths["output"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = start_chromium(tmp_path / "profile")
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/404.html")
        driver.set_script_timeout(300)
        found = driver.execute_async_script(QUERY, words)
    finally:
        driver.quit()
        server.shutdown()
    assert "error" not in found, found.get("error")
    assert found["parts"] == 8
    answers = found["answers"]
    whole_filters, sharded_filters = answers.pop("filters")
    assert sharded_filters == whole_filters and sharded_filters["topic"]     # counts summed over the parts
    # Never a page lost: whatever one whole index finds, the parts find.
    lost = {word: sorted(set(whole) - set(parts)) for word, (whole, parts) in answers.items() if set(whole) - set(parts)}
    assert not lost, f"{len(lost)} of {len(answers)} queries lose pages in the parts: {lost}"
    # The same pages exactly when the word is in every part. Where a part lacks it,
    # Pagefind 1.5.2 answers from that part with near matches (its fallback when an
    # index has no exact one), which a whole index does not: the merged list then has
    # extra pages at the bottom. See README, Search.
    everywhere = {word for word, (whole, _) in answers.items()
                  if len({shards.part_of(url.strip("/").split("/")[-1], 8) for url in whole}) == 8}
    differ = {word: answers[word] for word in everywhere if answers[word][0] != answers[word][1]}
    assert len(everywhere) >= 40 and not differ, f"{len(differ)} of {len(everywhere)} queries differ: {differ}"
    extra = sum(1 for whole, parts in answers.values() if whole != parts)
    print(f"{len(answers)} queries: {len(everywhere)} words in every part, same pages; "
          f"{extra} with extra near matches from parts without the word")
    assert sum(1 for whole, _ in answers.values() if whole) >= WORDS * 0.9       # the words are found
    assert len({url for whole, _ in answers.values() for url in whole}) >= len(articles) * 0.9

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass
