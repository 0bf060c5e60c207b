"""The link checker, on small output folders written by each test."""
from __future__ import annotations

from pathlib import Path

import pytest

from briefing import check
from briefing.check import BrokenLink, check_site, format_report

BASES = ["/", "/sub/path/"]


def page(body: str, head: str = "") -> str:
    return f"<!doctype html>\n<html>\n<head>{head}</head>\n<body>\n{body}\n</body>\n</html>\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def clean_site(base: str) -> dict[str, str]:
    """A small site whose every link is good, links written with the base path `base`."""
    p = base
    return {
        "index.html": page(
            f'<a href="{p}articles/one/">One</a>\n'
            f'<a href="{p}articles/one/#details">Details</a>\n'
            f'<a href="{p}articles/one">No slash</a>\n'
            f'<a href="{p}countries/iraq/?page=1">Query</a>\n'
            f'<a href="{p}countries/iraq/#top">Top</a>\n'
            f'<a href="{p.rstrip("/") or "/"}">Home</a>\n'
            '<a href="#">Nothing</a> <a href="#main">Main</a>\n'
            '<a href="https://example.com/elsewhere/">Out</a> <a href="mailto:desk@example.org">Mail</a>\n'
            f'<img src="{p}static/logo.png" srcset="{p}static/logo.png 1x, {p}static/logo@2x.png 2x">\n'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">\n'
            f'<svg><use href="{p}static/icons.svg#globe"></use></svg>\n'
            '<main id="main"></main>',
            head=f'<link rel="stylesheet" href="{p}static/style.css">'
                 f'<link rel="alternate" type="application/atom+xml" href="{p}feed.xml">'),
        "articles/one/index.html": page(
            '<h2 id="details">Details</h2>\n'
            '<a href="../../countries/iraq/">Relative</a> <a href="#details">Self</a>\n'
            '<a name="legacy"></a><a href="#legacy">Legacy anchor</a>\n'
            '<!-- <a href="/nowhere/">commented out</a> -->\n'
            '<script>document.write(\'<a href="/nowhere/">x</a>\');</script>'),
        "countries/iraq/index.html": page(f'<a href="{p}articles/one/#details">One</a>'),
        "404.html": page(f'<a href="{p}">Home</a>'),
        "static/style.css": "body {}",
        "static/logo.png": "png",
        "static/logo@2x.png": "png",
        "static/icons.svg": '<svg><symbol id="globe"></symbol></svg>',
        "feed.xml": ('<?xml version="1.0" encoding="utf-8"?>\n'
                     '<feed xmlns="http://www.w3.org/2005/Atom">\n'
                     f'  <link rel="self" href="{p}feed.xml"/>\n'
                     f'  <link rel="alternate" href="{p}"/>\n'
                     '  <entry><link href="https://example.com/x/"/></entry>\n</feed>\n'),
        "sitemap.xml": ('<?xml version="1.0" encoding="utf-8"?>\n'
                        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                        f'  <url><loc>{p}articles/one/</loc></url>\n'
                        f'  <url><loc>{p}countries/iraq/</loc></url>\n</urlset>\n'),
    }


def broken_in(tmp_path: Path, base: str, extra: dict[str, str]) -> list[BrokenLink]:
    return check_site(write(tmp_path, {**clean_site(base), **extra}), base_path=base)


@pytest.mark.parametrize("base", BASES)
def test_clean_site_has_no_broken_links(tmp_path, base):
    assert check_site(write(tmp_path, clean_site(base)), base_path=base) == []


@pytest.mark.parametrize("base", BASES)
def test_missing_page_is_reported_with_file_and_line(tmp_path, base):
    extra = {"articles/two/index.html": page(f'<p>x</p>\n<a href="{base}countries/nowhere/">Gone</a>')}
    assert broken_in(tmp_path, base, extra) == [
        BrokenLink("articles/two/index.html", 6, f"{base}countries/nowhere/", "no such page")]


@pytest.mark.parametrize("base", BASES)
def test_missing_anchor_is_reported(tmp_path, base):
    extra = {"articles/two/index.html": page(f'<a href="{base}articles/one/#nowhere">x</a>\n'
                                             '<a href="#also-nowhere">y</a>')}
    assert [(b.line, b.reason) for b in broken_in(tmp_path, base, extra)] == [
        (5, "no anchor #nowhere in articles/one/index.html"),
        (6, "no anchor #also-nowhere in articles/two/index.html")]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("target", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                    "data:text/html,<script>alert(1)</script>"])
def test_script_links_are_unsafe(tmp_path, base, target):
    extra = {"articles/two/index.html": page('<a href="{}">Click</a>'.format(target.replace("<", "&lt;")))}
    [broken] = broken_in(tmp_path, base, extra)
    assert broken.target == target and broken.reason.startswith("unsafe")


@pytest.mark.parametrize("base", BASES)
def test_missing_asset_is_reported(tmp_path, base):
    extra = {"articles/two/index.html": page(
        f'<img src="{base}static/missing.png">\n'
        f'<img src="{base}static/logo.png" srcset="{base}static/logo.png 1x, {base}static/gone@2x.png 2x">',
        head=f'<link rel="stylesheet" href="{base}static/missing.css">')}
    assert [(b.line, b.target, b.reason) for b in broken_in(tmp_path, base, extra)] == [
        (3, f"{base}static/missing.css", "no such file"),
        (5, f"{base}static/missing.png", "no such file"),
        (6, f"{base}static/gone@2x.png", "no such file")]


def test_link_that_skips_the_base_path_is_reported(tmp_path):
    extra = {"articles/two/index.html": page('<a href="/articles/one/">Unprefixed</a>')}
    [broken] = broken_in(tmp_path, "/sub/path/", extra)
    assert broken.reason == "outside the base path /sub/path/"


def test_relative_link_above_the_site_is_reported(tmp_path):
    extra = {"articles/two/index.html": page('<a href="../../../up/">Up</a>')}
    assert [b.reason for b in broken_in(tmp_path, "/", extra)] == ["outside the site"]


@pytest.mark.parametrize("base", BASES)
def test_feed_and_sitemap_links_into_the_site_are_checked(tmp_path, base):
    site = clean_site(base)
    site["sitemap.xml"] = site["sitemap.xml"].replace(f"{base}countries/iraq/", f"{base}countries/iran/")
    site["feed.xml"] = site["feed.xml"].replace(f'href="{base}"', f'href="{base}topics/war/"')
    assert [(b.page, b.line, b.reason) for b in check_site(write(tmp_path, site), base_path=base)] == [
        ("feed.xml", 4, "no such page"), ("sitemap.xml", 4, "no such page")]


def test_absolute_links_under_the_base_url_are_checked(tmp_path):
    base_url = "https://example.org/sub/path"
    extra = {"articles/two/index.html": page(
        f'<a href="{base_url}/articles/one/#details">Fine</a> <a href="{base_url}">Home</a>\n'
        f'<a href="{base_url}/articles/three/">Gone</a>\n'
        '<a href="https://example.org/other/">Another site on the host</a>')}
    root = write(tmp_path, {**clean_site("/sub/path/"), **extra})
    assert [(b.line, b.reason) for b in check_site(root, base_url=base_url)] == [(6, "no such page")]
    assert check_site(root, base_path="/sub/path/") == []


def test_malformed_xml_is_reported(tmp_path):
    extra = {"feed.xml": "<?xml version='1.0'?>\n<feed>\n<title>A & B</title></feed>"}
    [broken] = broken_in(tmp_path, "/", extra)
    assert (broken.page, broken.line) == ("feed.xml", 3) and "not well-formed" in broken.reason


def test_many_pages_are_parsed_in_parallel_with_the_same_result(tmp_path, monkeypatch):
    extra = {f"articles/p{n}/index.html": page(f'<a href="/articles/p{n + 1}/#end">Next</a>\n<b id="end"></b>')
             for n in range(20)}
    root = write(tmp_path, {**clean_site("/"), **extra})
    serial = check_site(root)
    pools = []

    class Pool(check.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(check, "PARALLEL_FROM", 1)
    monkeypatch.setattr(check, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(check.os, "cpu_count", lambda: 2)
    assert check_site(root) == serial == [
        BrokenLink("articles/p19/index.html", 5, "/articles/p20/#end", "no such page")]
    assert pools


def test_report_is_numbered_one_line_per_link():
    broken = [BrokenLink("articles/x/index.html", 12, "/countries/nowhere/", "no such page"),
              BrokenLink("index.html", 3, "#gone", "no anchor #gone in index.html")]
    assert format_report(broken) == (
        "1. articles/x/index.html:12: /countries/nowhere/ (no such page)\n"
        "2. index.html:3: #gone (no anchor #gone in index.html)")
    assert format_report([]) == ""
