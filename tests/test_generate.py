"""The benchmark's synthetic dumps: deterministic, realistic in size and format."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
gen = importlib.util.module_from_spec(_spec)
sys.modules["bench_generate"] = gen
_spec.loader.exec_module(gen)

N = 400


def split_articles(dump: str) -> list[str]:
    """Articles are separated by two or more blank lines."""
    return re.split(r"\n{3,}", dump)


def parse(article: str) -> tuple[str, str, list[str]]:
    """(title, caption, body blocks); asserts the header layout of the real dumps."""
    lines = article.split("\n")
    title, caption = lines[0], lines[2]
    assert lines[:11] == [title, "", caption, caption, "TT", "", title, "", caption, caption, ""], lines[:11]
    body = "\n".join(lines[11:]).split("\n\n")
    assert all(block and "\n" not in block for block in body)
    return title, caption, body


@pytest.fixture(scope="module")
def corpus():
    return gen.build_corpus(N, seed=7)


@pytest.fixture(scope="module")
def located(corpus):
    """[(file name, article text)] in file order."""
    return [(name, article) for name, text in corpus.files.items() for article in split_articles(text)]


def test_same_arguments_give_byte_identical_files(corpus):
    assert gen.generate(N, seed=7) == corpus.files
    assert gen.generate(N, seed=8) != corpus.files


def test_files_are_named_like_the_real_dumps_and_hold_per_dump_articles(corpus):
    names = list(corpus.files)
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", name) for name in names)
    assert names == sorted(names)
    counts = [len(split_articles(text)) for text in corpus.files.values()]
    assert set(counts[:-1]) == {25} and 1 <= counts[-1] <= 25


def test_every_article_has_the_tt_block_and_the_parse_counts_every_title(corpus, located):
    parsed = [parse(article) for _, article in located]
    assert len(parsed) == corpus.distinct + corpus.repeats + corpus.near_duplicates
    assert corpus.repeats == round(N * 0.15) and corpus.near_duplicates == round(N * 0.05)


def test_articles_are_about_six_to_eight_kilobytes(located):
    sizes = [len(article.encode("utf-8")) for _, article in located]
    assert all(5500 <= size <= 9000 for size in sizes), (min(sizes), max(sizes))
    in_range = sum(6000 <= size <= 8200 for size in sizes)
    assert in_range >= 0.95 * len(sizes)


def test_bodies_have_subheadings_lists_and_punctuated_paragraphs(located):
    headings = lists = 0
    for _, article in located:
        _, _, body = parse(article)
        for block in body:
            if block.startswith("+ "):
                lists += 1
            elif len(block) < 60 and not block.endswith((".", ":", "?", "!")):
                headings += 1
            else:
                assert block.endswith((".", ":")), block
    assert headings > 2 * len(located) and lists > len(located) // 2


def test_exact_repeats_come_back_in_another_dump(corpus, located):
    files_of = defaultdict(list)
    for name, article in located:
        files_of[article].append(name)
    repeats = {article: names for article, names in files_of.items() if len(names) > 1}
    assert len(repeats) == corpus.repeats
    assert all(len(set(names)) == len(names) for names in repeats.values())


def test_near_duplicates_differ_by_one_paragraph_or_a_typo(corpus, located):
    versions = defaultdict(set)
    for _, article in located:
        title, caption, _ = parse(article)
        versions[(title, caption)].add(article)
    pairs = [sorted(v, key=len) for v in versions.values() if len(v) == 2]
    assert len(pairs) == corpus.near_duplicates
    for first, second in pairs:
        a, b = parse(first)[2], parse(second)[2]
        if len(a) == len(b):       # a typo: one paragraph differs by two swapped letters
            changed = [(x, y) for x, y in zip(a, b) if x != y]
            assert len(changed) == 1 and sorted(changed[0][0]) == sorted(changed[0][1])
        else:                      # a paragraph added
            assert len(b) == len(a) + 1 and all(block in b for block in a)


def test_titles_are_unique_but_for_a_few_collisions(corpus, located):
    stories = {parse(article)[:2] for _, article in located}
    titles = Counter(title for title, _ in stories)
    collisions = [title for title, count in titles.items() if count > 1]
    assert 1 <= len(collisions) <= max(2, N // 100)


def test_countries_of_every_continent_and_every_topic_are_mentioned(corpus):
    text = "\n".join(corpus.files.values())
    for name in ("Nigeria", "Kenyan", "Beijing", "Indian", "Baghdad", "Syrian", "France",
                 "Ukrainian", "Brazil", "Colombian", "Canberra", "New Zealand"):
        assert name in text
    for word in ("election", "ambassador", "ceasefire", "militias", "terrorist", "inflation",
                 "refugees", "court", "archive", "festival", "vaccination", "striker"):
        assert word in text


def test_distinct_stories_do_not_look_like_near_duplicates(located):
    def shingles(text):
        words = text.split()
        return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}

    stories = {}
    for _, article in located:
        stories.setdefault(parse(article)[:2], shingles(article))
    sets = list(stories.values())[:120]
    worst = max(len(a & b) / len(a | b) for i, a in enumerate(sets) for b in sets[i + 1:])
    assert worst < 0.3


def test_cli_writes_the_dumps_and_a_summary_line(tmp_path):
    out = tmp_path / "seeds"
    command = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--articles", "60",
               "--out", str(out), "--seed", "3", "--per-dump", "10"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(out.glob("*.txt"))}
    assert files == gen.generate(60, seed=3, per_dump=10)
    assert re.match(r"generated 60 distinct articles, 9 exact repeats, 3 near-duplicates in 8 dump files",
                    result.stdout)
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 1 and "already holds dump files" in again.stderr


def test_the_briefing_dump_parser_reads_every_generated_article(corpus):
    from briefing import dumps
    for name, text in corpus.files.items():
        articles, diagnostics = dumps.parse_dump(text, name)
        assert diagnostics == []
        assert [a.title for a in articles] == [parse(a)[0] for a in split_articles(text)]
        assert not any(a.truncated for a in articles)


# --- the Hugo side of the benchmark, and run.py's helpers --------------------------------------

def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hugo_site = _load("hugo_site")
run = _load("run")

CONTENT = {
    "iraq-negotiates": ("---\ntitle: Iraq Negotiates New Coalition Under US Pressure\nslug: iraq-negotiates\n"
                        "id: 0123456789abcdef\nsources:\n- 000_a.txt\ncaption: 'Election workers: count ballots'\n"
                        "exclude_topics:\n- sports\n---\n\nMore than a month after the vote.\n\n## Washington steps in\n\n"
                        "- Kataeb Hezbollah\n- Kataeb Sayyid al-Shuhada\n"),
    "iraqs-future": ("---\ntitle: \"Iraq's Political Future in Limbo\"\nslug: iraqs-future\nid: 1123456789abcdef\n"
                     "sources:\n- 000_a.txt\n---\n\nPolitical factions in Iraq have been maneuvering.\n"),
    "egypt-red-lines": ("---\ntitle: What Egypt's Red Lines Mean for Sudan's War\nslug: egypt-red-lines\n"
                        "id: 2123456789abcdef\nsources:\n- 002_b.txt\n---\n\nIn unusually blunt language.\n"),
}
CLASSIFIED = {"iraq-negotiates": (["IQ", "US"], ["elections", "diplomacy"]),
              "iraqs-future": (["IQ"], ["elections"]),
              "egypt-red-lines": (["EG", "SD"], ["conflict", "diplomacy"])}
NAMES = {"IQ": "Iraq", "US": "United States", "EG": "Egypt", "SD": "Sudan"}


@pytest.fixture
def our_site(tmp_path):
    """Content files as ingest writes them, and an articles.json faked from them as the build would."""
    import json

    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    for slug, text in CONTENT.items():
        (articles / f"{slug}.md").write_text(text, encoding="utf-8")
    api = tmp_path / "output" / "api"
    api.mkdir(parents=True)
    (api / "articles.json").write_text(json.dumps({"articles": [
        {"slug": slug, "title": hugo_site.split_front_matter(text, Path(slug))[0]["title"],
         "url": f"/articles/{slug}/", "countries": CLASSIFIED[slug][0], "topics": CLASSIFIED[slug][1]}
        for slug, text in CONTENT.items()]}))
    (api / "countries.json").write_text(json.dumps({"countries": [
        {"code": code, "name": name, "slug": name.lower().replace(" ", "-")} for code, name in NAMES.items()]}))
    return tmp_path


def test_hugo_site_gets_the_computed_countries_and_topics_as_taxonomies(our_site):
    site = our_site / "hugo"
    assert hugo_site.write_site(our_site / "content", our_site / "output/api/articles.json", site) == 3
    assert (site / "config.yaml").is_file() and (site / "layouts/_default/single.html").is_file()
    for slug, text in CONTENT.items():
        page = (site / "content/articles" / f"{slug}.md").read_text(encoding="utf-8")
        front, body = hugo_site.split_front_matter(page, Path(slug))
        original, original_body = hugo_site.split_front_matter(text, Path(slug))
        assert body == original_body
        assert front["title"] == original["title"] and front["slug"] == slug
        assert front["countries"] == [NAMES[code] for code in CLASSIFIED[slug][0]]
        assert front["topics"] == CLASSIFIED[slug][1]
        assert "exclude_topics" not in front


def test_hugo_builds_article_term_and_related_pages_at_our_urls(our_site):
    site = our_site / "hugo"
    hugo_site.write_site(our_site / "content", our_site / "output/api/articles.json", site)
    (site / "resources").mkdir()
    (site / "resources" / "stale").write_text("from an earlier build")
    public = our_site / "public"
    (public / "stale").mkdir(parents=True)
    result = hugo_site.build_cold(site, public)
    assert not (site / "resources" / "stale").exists() and not (public / "stale").exists()
    assert result.seconds > 0 and result.max_rss_mb > 0
    article = (public / "articles/iraq-negotiates/index.html").read_text(encoding="utf-8")
    assert "<h2>Related</h2>" in article and "/articles/iraqs-future/" in article
    assert 'href="/countries/iraq/"' in article and 'href="/topics/elections/"' in article
    assert "Kataeb Hezbollah</li>" in article
    assert "/articles/iraq-negotiates/" in (public / "countries/united-states/index.html").read_text()
    assert "Sudan" in (public / "countries/index.html").read_text()
    assert result.pages == hugo_site.count_pages(public) >= 3 + 4 + 4 + 2 + 1


def test_the_benchmark_edits_one_title_in_place_as_an_editor_would(our_site):
    import yaml

    folders = run.Folders.under(our_site)
    for name in ("iraq-negotiates", "iraqs-future"):
        for path in folders.content.glob("articles/*.md"):
            path.unlink()
        (folders.content / "articles" / f"{name}.md").write_text(CONTENT[name], encoding="utf-8")
        edited = run.edit_one_title(folders)
        text = edited.read_text(encoding="utf-8")
        before, after = (hugo_site.split_front_matter(t, edited)[0] for t in (CONTENT[name], text))
        assert after == {**before, "title": "Edited " + before["title"]}
        assert len(text) == len(CONTENT[name]) + len("Edited ")
        assert yaml.safe_load(text.split("---")[1])["title"].startswith("Edited ")


@pytest.fixture
def seed_site(tmp_path):
    """The repo's own seeds and content (five articles), in a scratch folder."""
    import shutil

    folders = run.Folders.under(tmp_path / "site")
    shutil.copytree(ROOT / "seeds", folders.seeds)
    shutil.copytree(ROOT / "content", folders.content)
    return folders


def test_serve_is_timed_from_each_save_to_its_reload_through_the_command_line(seed_site, capsys):
    import html

    import yaml

    before = {path.name: path.read_text(encoding="utf-8") for path in run.content_files(seed_site)}
    ms = run.measure_serve_edit(seed_site)
    assert 0 < ms < 15_000

    out = capsys.readouterr().out.splitlines()
    printed = [line for line in out if line.startswith("serve: reload")]
    assert len(printed) == run.SERVE_EDITS
    phases = [line for line in out if line.startswith("serve:   ")]     # where each rebuild's time went
    assert len(phases) == run.SERVE_EDITS and all("render" in line and " ms" in line for line in phases)
    edited = {path.name: path.read_text(encoding="utf-8") for path in run.content_files(seed_site)
              if path.read_text(encoding="utf-8") != before[path.name]}
    assert len(edited) == run.SERVE_EDITS  # a different article each time
    assert all(any(name in line for line in printed) for name in edited)
    for name, text in edited.items():
        front = yaml.safe_load(text.split("---")[1])
        assert front["title"] == "Edited " + yaml.safe_load(before[name].split("---")[1])["title"]
        page = (seed_site.output / "articles" / front["slug"] / "index.html").read_text(encoding="utf-8")
        assert front["title"] in html.unescape(page)
    assert "livereload" not in (seed_site.output / "index.html").read_text(encoding="utf-8")


def test_a_failed_serve_build_stops_the_benchmark_with_the_servers_output(seed_site):
    (seed_site.content / "articles" / "zz-broken.md").write_text("---\ntitle: [oops\n---\nBody\n",
                                                                 encoding="utf-8")
    with pytest.raises(run.BenchError) as failure:
        run.measure_serve_edit(seed_site)
    message = str(failure.value)
    assert message.startswith("`build.py serve` failed its start-up ingest or first build; its last output:")
    assert "error: " in message and "zz-broken.md:" in message and "Invalid YAML" in message
    assert all("Edited" not in path.read_text(encoding="utf-8") for path in run.content_files(seed_site))


def test_the_results_table_is_aligned_markdown_with_the_hugo_ratio():
    done = run.Row(articles=1000, dump_mb=8.6, generate_s=0.4, content_files=1000, ingest_s=12.3, cold_s=30.0,
                   rebuild_s=2.0, edit_s=2.5, cold_rss_mb=400, pages=3000, hugo_s=1.5, hugo_pages=3100,
                   hugo_rss_mb=200, search_s=22.0, search_rss_mb=1400)
    lines = run.table([done, run.Row(articles=10000, dump_mb=86.3, generate_s=3.9)]).splitlines()
    assert len({len(line) for line in lines}) == 1 and len(lines) == 4
    assert all(line.startswith("|") for line in lines) and set(lines[1]) <= set("|-:")
    assert "20.0x" in lines[2] and "n/a" in lines[2] and lines[3].count("n/a") == len(run.COLUMNS) - 2
    assert "22.0" in lines[2] and "1,400" in lines[2]


def test_cold_builds_take_turns_with_hugo_in_folders_of_their_own(our_site, monkeypatch):
    """Ours, Hugo, ours, Hugo...: the medians go in the table, each run writes a folder of
    its own and none is deleted (deleting slows the next build down on this machine's disk)."""
    calls = []
    ours = iter([(9.0, 200.0), (7.0, 210.0), (8.0, 190.0)])
    hugo_times = iter([5.0, 6.0, 4.0])

    def fake_cli(command, folders, extra, *, stderr_out=None, prefix=None):
        calls.append(("ours", folders.output.name, folders.cache.name))
        seconds, rss = next(ours)
        stderr_out.append(f"timings: took {seconds}\n")
        return seconds, rss

    def fake_hugo(site, destination):
        assert (site / "content/articles/iraq-negotiates.md").is_file()
        calls.append(("hugo", destination.name))
        return hugo_site.HugoRun(seconds=next(hugo_times), pages=12, max_rss_mb=300.0)

    monkeypatch.setattr(run, "cli", fake_cli)
    monkeypatch.setattr(run.hugo_site, "build_cold", fake_hugo)
    monkeypatch.setattr(run.shutil, "rmtree", lambda *a, **k: pytest.fail("deleted a folder mid-run"))
    row = run.Row(articles=3, dump_mb=0.1, generate_s=0.1)
    run.cold_builds(3, run.Folders.under(our_site), row, extra=[], hugo=True, repeat=3)
    assert calls == [("ours", "output", "cache"), ("hugo", "hugo-public-1"),
                     ("ours", "output-2", "cache-2"), ("hugo", "hugo-public-2"),
                     ("ours", "output-3", "cache-3"), ("hugo", "hugo-public-3")]
    assert (row.cold_s, row.hugo_s, row.cold_rss_mb, row.hugo_rss_mb) == (8.0, 5.0, 210.0, 300.0)
    assert row.cold_timings == "took 8.0" and row.ratio == 8.0 / 5.0
    assert row.cold_runs == (9.0, 7.0, 8.0) and row.hugo_runs == (5.0, 6.0, 4.0)


def test_news_text_has_a_large_zipf_distributed_vocabulary():
    plain = " ".join(gen.generate(60, seed=3).values())
    news = " ".join(gen.generate(60, seed=3, news=True).values())
    assert news == " ".join(gen.generate(60, seed=3, news=True).values())     # deterministic
    words = Counter(re.findall(r"[a-z]+", news.lower()))
    assert len(words) > 3 * len(set(re.findall(r"[a-z]+", plain.lower())))
    ranked = [count for _, count in words.most_common()]
    # Zipf: the 10th commonest word is roughly a tenth as common as the first.
    assert 0.04 < ranked[9] / ranked[0] < 0.3
    assert len(gen._Vocabulary().words) == gen.NEWS_VOCABULARY
