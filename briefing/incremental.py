"""Rebuild only what a change touches: the state `serve` keeps between builds.

A Builder remembers, per article file, what it last loaded and prepared, and
per output page a fingerprint of everything that page shows. After a change
it re-parses and re-prepares only the changed articles, assembles the Site
again (cheap next to rendering), and re-renders only the pages whose
fingerprint moved: an edited body re-renders its own page; an edited title
also re-renders every page that lists or links it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterable

from . import pipeline
from .classify import load_classifier
from .config import load_config
from .content import parse_article
from .model import BuildError, Entry, Site
from .site import Prepared, assemble_site

# What a page shows of an article it merely lists or links: everything but
# the body, so a body edit leaves listing pages alone.
_LISTING_FIELDS = tuple(f.name for f in fields(Entry)
                        if f.name not in ("html", "text", "headings", "related", "previous", "next"))


def listing_view(entry: Entry) -> tuple:
    article = entry.article
    return (article.title, article.caption, article.date, article.summary, article.sources,
            *(getattr(entry, name) for name in _LISTING_FIELDS if name != "article"))


def page_inputs(site: Site, page) -> tuple:
    """Everything one page displays, as a comparable value."""
    by_slug = site.by_slug
    if page.kind == "article":
        entry = by_slug[page.key]
        linked = [s for s in (*entry.related, entry.previous, entry.next) if s]
        return (entry, tuple(listing_view(by_slug[s]) for s in linked),
                _names(site))
    if page.kind in ("country", "country_topic"):
        country_slug = page.key.split("/")[0]
        group = next(g for g in site.countries if g.country.slug == country_slug)
        shown = (*group.about, *group.mentioned)
        return (page.key, page.number, group, tuple(listing_view(by_slug[s]) for s in shown), _names(site))
    if page.kind == "topic":
        group = next(g for g in site.topics if g.topic.slug == page.key)
        return (page.number, group, tuple(listing_view(by_slug[s]) for s in group.articles), _names(site))
    # Home, the indexes, search and 404 summarise the whole site; they are few.
    return (page.kind, page.number, site.config, len(site.entries), site.updated,
            tuple(listing_view(e) for e in site.entries[:40]),
            tuple((g.country, len(g.about), len(g.mentioned)) for g in site.countries),
            tuple((g.topic, len(g.articles), g.countries[:5]) for g in site.topics))


def _names(site: Site) -> tuple:
    return (site.config, tuple(g.country for g in site.countries), tuple(g.topic for g in site.topics))


def fingerprint(value) -> bytes:
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).digest()


@dataclass(frozen=True)
class Rebuild:
    pages: int              # pages re-rendered
    written: int            # files whose bytes changed
    seconds: float
    changed: tuple[str, ...]  # output-relative paths written


class Builder:
    """Keeps the last build in memory; `build()` brings output/ up to date."""

    def __init__(self, options: pipeline.Options, reporter: pipeline.Reporter | None = None):
        self.options = options
        self.reporter = reporter or pipeline.Reporter(quiet=True)
        self._stamps: dict[str, tuple[int, int]] = {}
        self._articles: dict[str, object] = {}
        self._prepared: dict[str, Prepared] = {}
        self._classifier_key: bytes | None = None
        self._classifier = None
        self._config = None
        self._template_key: bytes | None = None
        self._page_keys: dict[str, bytes] = {}
        self._file_keys: dict[str, bytes] = {}
        self.site: Site | None = None

    # -- inputs --------------------------------------------------------------

    def _load(self) -> list:
        """Re-read only the article files whose size or mtime changed."""
        folder = self.options.content / "articles"
        if not folder.is_dir():
            raise BuildError("no articles folder: run `python build.py ingest` first.", str(folder))
        current = {}
        problems = []
        for path in sorted(folder.glob("*.md")):
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            key = str(path)
            current[key] = stamp
            if self._stamps.get(key) != stamp or key not in self._articles:
                try:
                    self._articles[key] = parse_article(path.read_text(encoding="utf-8"), str(path))
                except BuildError as error:
                    problems.append(error)
                except UnicodeDecodeError as error:
                    problems.append(BuildError(f"not valid UTF-8 ({error.reason} at byte {error.start}); "
                                               "save the file as UTF-8.", str(path)))
                self._prepared.pop(key, None)
        for gone in set(self._articles) - set(current):
            self._articles.pop(gone, None)
            self._prepared.pop(gone, None)
        self._stamps = current
        if problems:
            # Forget the broken files' stamps so the next save is read again.
            for error in problems:
                self._stamps.pop(error.path or "", None)
            if len(problems) == 1:
                raise problems[0]
            raise BuildError("\n".join(f"{i}. {e}" for i, e in enumerate(problems, 1)))
        slugs: dict[str, str] = {}
        for key in sorted(self._articles):
            article = self._articles[key]
            if article.slug in slugs:
                raise BuildError(f"slug {article.slug!r} is also used by {slugs[article.slug]}; "
                                 "give one of them another `slug:`.", key)
            slugs[article.slug] = key
        return [self._articles[key] for key in sorted(self._articles)]

    def _data_key(self) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for name in ("topics.yaml", "country-aliases.yaml", "site.yaml"):
            path = self.options.content / name
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
        return digest.digest()

    def _templates_key(self) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for path in sorted(self.options.templates.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(self.options.templates)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
        return digest.digest()

    # -- the build -----------------------------------------------------------

    def build(self) -> Rebuild:
        """Bring output/ up to date with content/ and templates/. Raises BuildError
        and leaves output/ as it was when anything is wrong."""
        from .render import Renderer, plan_pages, static_files

        started = time.perf_counter()
        data_key = self._data_key()
        if data_key != self._classifier_key:
            self._classifier = load_classifier(self.options.content)
            self._config = load_config(self.options.content, self.options.base_url)
            self._prepared.clear()  # the taxonomy or aliases changed: classify everything again
            self._classifier_key = data_key
        self._load()
        stale = [key for key in sorted(self._articles) if key not in self._prepared]
        fresh = pipeline.prepare_all([self._articles[key] for key in stale], self._classifier,
                                     self.options.jobs)
        for key, prepared in zip(stale, fresh):
            self._prepared[key] = prepared
            for diagnostic in prepared.diagnostics:
                self.reporter.warn(diagnostic)
        site = assemble_site(self._config, [self._prepared[k] for k in sorted(self._prepared)],
                             self._classifier.gazetteer.country, self._classifier.taxonomy.topics)

        template_key = self._templates_key()
        renderer = Renderer(self.options.templates, site)
        if template_key != self._template_key:
            self._page_keys = {}  # every page may look different now
        pages = plan_pages(site)
        files: dict[str, bytes] = {}
        new_keys: dict[str, bytes] = {}
        rendered = 0
        for page in pages:
            key = fingerprint(page_inputs(site, page))
            new_keys[page.path] = key
            if self._page_keys.get(page.path) != key:
                files[page.path] = renderer.render(page).encode("utf-8")
                rendered += 1
        files.update(static_files(self.options.templates))
        files.update(pipeline.site_documents(site, [p.url for p in pages]))
        if self.site is None:
            changed = self._first_write(files)
        else:
            changed = self._write(self.options.output, files, keep=set(new_keys) | set(files))
        self._page_keys = new_keys
        self._template_key = template_key
        self.site = site
        return Rebuild(pages=rendered, written=len(changed),
                       seconds=time.perf_counter() - started, changed=tuple(changed))

    def _first_write(self, files: dict[str, bytes]) -> list[str]:
        """The first build is a whole site: staged beside output/ and swapped in,
        so nothing left over from older builds survives."""
        staging = pipeline._staging_dir(self.options.output)
        try:
            self._file_keys = {}
            changed = self._write(staging, files, keep=set(files))
            if self.options.search:
                pipeline.index_search(staging)
            pipeline.swap_into_place(staging, self.options.output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return changed

    def _write(self, root: Path, files: dict[str, bytes], keep: set[str]) -> list[str]:
        """Write what changed, each file atomically; remove pages that no longer exist."""
        root.mkdir(parents=True, exist_ok=True)
        changed = []
        for path, data in sorted(files.items()):
            key = hashlib.blake2b(data, digest_size=16).digest()
            if self._file_keys.get(path) == key and (root / path).exists():
                continue
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            self._file_keys[path] = key
            changed.append(path)
        for path in sorted(set(self._file_keys) - keep):
            (root / path).unlink(missing_ok=True)
            del self._file_keys[path]
        return changed


def changed_paths(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file below the given folders, for change detection."""
    stamps: dict[str, tuple[int, int]] = {}
    stack = [str(f) for f in folders if Path(f).is_dir()]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as items:
            for item in items:
                if item.name.startswith(".") and item.name != ".ingest-manifest.json":
                    continue
                if item.is_dir(follow_symlinks=False):
                    stack.append(item.path)
                elif item.is_file(follow_symlinks=False):
                    stat = item.stat()
                    stamps[item.path] = (stat.st_mtime_ns, stat.st_size)
    return stamps
