#!/usr/bin/env python3
"""The same articles as a Hugo site, to time Hugo against our build.

    python benchmarks/hugo_site.py --content C --api O/api/articles.json --site S [--build DEST]

Input is what our tools produce: content/articles/<slug>.md (YAML front
matter + markdown body, from `build.py ingest`) and output/api/articles.json
(from `build.py build`, which holds each article's computed countries and
topics). The Hugo site gets the same markdown bodies, with front matter that
adds the computed countries and topics as Hugo taxonomies, and minimal
templates doing what our pages do at the least: article pages with their
terms and five related articles (Hugo's related-content index over the two
taxonomies), paginated home, section and term pages, and a list of terms.

Works with Debian's hugo 0.111.3. Cold timing removes resources/ and the
destination first; Hugo keeps no other cache for a site without modules.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CONFIG = """\
baseURL: https://example.org/
languageCode: en
title: The Briefing (Hugo comparison)
uglyURLs: false
paginate: 20
permalinks:
  articles: /articles/:slug/
taxonomies:
  country: countries
  topic: topics
related:
  includeNewer: true
  threshold: 20
  toLower: false
  indices:
    - name: countries
      weight: 100
    - name: topics
      weight: 60
markup:
  goldmark:
    renderer:
      unsafe: false
"""

TEMPLATES = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Taxonomies.topics.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.caption }}<p class="caption">{{ . }}</p>{{ end }}
<p>{{ range .GetTerms "countries" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
</article>
{{ $related := .Site.RegularPages.Related . | first 5 }}
{{ with $related }}<aside><h2>Related</h2><ul>
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></aside>{{ end }}
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ $pager := .Paginate $pages }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 200 }}</li>{{ end }}</ul>
{{ with $pager.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
{{ end }}
""",
    "_default/terms.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ with $pager.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
{{ end }}
""",
}


@dataclass(frozen=True)
class HugoRun:
    seconds: float
    pages: int                 # index.html files written
    max_rss_mb: float          # peak resident memory of the hugo process


def hugo_version() -> str | None:
    """`hugo version` output, or None when hugo is not on PATH."""
    if not shutil.which("hugo"):
        return None
    done = subprocess.run(["hugo", "version"], capture_output=True, text=True)
    return done.stdout.strip() or None


def load_classification(articles_json: Path) -> dict[str, tuple[list[str], list[str]]]:
    """slug -> (country terms, topic slugs) from our build's articles.json.

    Country terms are country names when countries.json sits beside it (so
    Hugo's term URLs are /countries/<name-slug>/ like ours), else the codes.
    """
    articles = json.loads(articles_json.read_text(encoding="utf-8"))["articles"]
    names: dict[str, str] = {}
    countries_json = articles_json.with_name("countries.json")
    if countries_json.is_file():
        for country in json.loads(countries_json.read_text(encoding="utf-8"))["countries"]:
            names[country["code"]] = country["name"]
    return {a["slug"]: ([names.get(code, code) for code in a.get("countries", [])], list(a.get("topics", [])))
            for a in articles}


def split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"{path}: no YAML front matter (a first line `---`)")
    data = yaml.load(match.group(1) or "", Loader=_LOADER) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: front matter is not a mapping")
    return data, text[match.end():]


def hugo_page(text: str, path: Path, classification: dict[str, tuple[list[str], list[str]]]) -> str:
    """One content file with the computed countries and topics as Hugo taxonomies."""
    data, body = split_front_matter(text, path)
    slug = str(data.get("slug") or path.stem)
    data["slug"] = slug
    countries, topics = classification.get(slug, ([], []))
    data["countries"] = countries
    data["topics"] = topics
    for key in ("exclude_countries", "exclude_topics"):
        data.pop(key, None)
    front = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{body}"


def write_site(content_dir: Path, articles_json: Path, site_dir: Path) -> int:
    """Write the Hugo site (config, templates, content) into site_dir. Returns the number of articles."""
    classification = load_classification(articles_json)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    articles_dir = site_dir / "content" / "articles"
    articles_dir.mkdir(parents=True)
    (site_dir / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for name, template in TEMPLATES.items():
        target = site_dir / "layouts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template, encoding="utf-8")
    count = 0
    for path in sorted((content_dir / "articles").glob("*.md")):
        page = hugo_page(path.read_text(encoding="utf-8"), path, classification)
        (articles_dir / path.name).write_text(page, encoding="utf-8")
        count += 1
    return count


def run_measured(command: list[str], cwd: Path | None = None) -> tuple[float, int, str, float]:
    """Run command; (seconds, exit status, stderr, peak RSS in MB of that child and its reaped children).

    os.wait4 gives the resource usage of this one child, not of everything
    this Python process ever started.
    """
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return seconds, proc.returncode, stderr, usage.ru_maxrss / 1024


def count_pages(root: Path) -> int:
    return sum(1 for _ in root.rglob("index.html"))


def build_cold(site_dir: Path, destination: Path) -> HugoRun:
    """`hugo --quiet --destination DEST` from nothing: resources/ and DEST removed first."""
    shutil.rmtree(site_dir / "resources", ignore_errors=True)
    shutil.rmtree(destination, ignore_errors=True)
    command = ["hugo", "--quiet", "--source", str(site_dir), "--destination", str(destination.resolve())]
    seconds, status, stderr, rss = run_measured(command)
    if status != 0:
        raise RuntimeError(f"hugo failed (exit {status}): {stderr.strip()[-2000:]}")
    return HugoRun(seconds=seconds, pages=count_pages(destination), max_rss_mb=rss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write our content as a Hugo site and optionally time it.")
    parser.add_argument("--content", type=Path, required=True, help="our content folder (has articles/)")
    parser.add_argument("--api", type=Path, required=True, help="our build's api/articles.json")
    parser.add_argument("--site", type=Path, required=True, help="Hugo site folder to (re)write")
    parser.add_argument("--build", type=Path, help="also build it cold with hugo into this folder")
    args = parser.parse_args(argv)
    count = write_site(args.content, args.api, args.site)
    print(f"hugo site: {count} articles in {args.site}")
    if args.build:
        if not hugo_version():
            print("error: hugo is not on PATH (apt-get install hugo)", file=sys.stderr)
            return 1
        run = build_cold(args.site, args.build)
        print(f"hugo cold build: {run.seconds:.2f} s, {run.pages} pages, {run.max_rss_mb:.0f} MB peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
