"""The search index in parts: the same answers as one whole index (pages and filter
counts), and the same bytes however Pagefind ordered its filters."""
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
const [words, filtered, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
(async () => {
  const whole = await import('/whole-index/pagefind.js');
  await whole.options({bundlePath: '/whole-index/'});
  const parts = (await (await fetch('/pagefind/parts.json')).json()).parts;
  const sharded = await import('/pagefind/pagefind.js');     // what PagefindUI loads (search.js)
  await sharded.options({});
  for (const part of parts) await sharded.mergeIndex('/pagefind/' + part);
  const filters = [await whole.filters(), await sharded.filters()];
  const urls = async found => (await Promise.all(found.results.map(r => r.data()))).map(d => d.url).sort();
  const answer = async (index, word, options) => {
    const found = await index.search(word, options);
    return {urls: await urls(found), filters: found.filters, total: found.totalFilters};
  };
  const answers = {};
  for (const word of words) answers[word] = [await answer(whole, word), await answer(sharded, word)];
  for (const [word, name, value] of filtered) {
    const options = {filters: {[name]: [value]}};
    answers[`${word} [${name}=${value}]`] = [await answer(whole, word, options), await answer(sharded, word, options)];
  }
  done({parts: parts.length, filters, answers});
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

    # A few two-word queries, a few words no article has, and some words narrowed by a filter.
    words += [f"{a} {b}" for a, b in zip(words[::30], words[7::30])] + ["zzxqv", "argentinasx", "ministryx"]
    filtered = [(word, "topic", topic) for word in words[:100:10] for topic in ("Diplomacy", "Health")]

    handler = functools.partial(QuietHandler, directory=str(paths["output"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = start_chromium(tmp_path / "profile")
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/404.html")
        driver.set_script_timeout(300)
        found = driver.execute_async_script(QUERY, words, filtered)
    finally:
        driver.quit()
        server.shutdown()
    assert "error" not in found, found.get("error")
    assert found["parts"] == 8
    whole_filters, sharded_filters = found["filters"]
    assert json.dumps(sharded_filters) == json.dumps(whole_filters) and sharded_filters["topic"]   # summed, sorted
    answers = found["answers"]
    # The same pages, and the same filter counts, as one whole index: for every query.
    differ = {query: (whole, parts) for query, (whole, parts) in answers.items()
              if json.dumps(whole) != json.dumps(parts)}        # filter values in the same order too
    assert not differ, f"{len(differ)} of {len(answers)} queries differ: {differ}"
    print(f"{len(answers)} queries ({len(filtered)} with a filter): the same pages and filter counts")
    assert sum(1 for whole, _ in answers.values() if whole["urls"]) >= WORDS * 0.9       # the words are found
    assert len({url for whole, _ in answers.values() for url in whole["urls"]}) >= len(articles) * 0.9
    assert sum(1 for query in answers if "[" in query and answers[query][0]["urls"]) >= 10   # filters narrow
    # Words in only some parts, for which each part without them fell back to near matches.
    somewhere = {word for word, (whole, _) in answers.items() if " " not in word and whole["urls"]
                 and len({shards.part_of(url.strip("/").split("/")[-1], 8) for url in whole["urls"]}) < 8}
    assert len(somewhere) >= 100, len(somewhere)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass
