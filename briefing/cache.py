"""The build cache on disk (the store of Build Systems à la Carte): what a build
remembers between runs, and how a run tells, cheaply, whether anything changed.

`build.py build` keeps it in the cache folder (.cache/ by default):
articles-*.store (each article's prepared result, appended to as articles
change: see store.py), state.pickle (the rest of the State, and where each
article is in the store) and manifest.pickle (just the stamps of every input and
output file, so an up-to-date site is recognised without loading the rest or
importing the heavy libraries). code_key() keys everything on the build's own
code and the installed libraries: results made by other code are never reused.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import store
from .model import Diagnostic
from .options import Options
from .store import Store, StoreError

CACHE_VERSION = 4
STATE_FILE = "state.pickle"
MANIFEST_FILE = "manifest.pickle"
# What preparing an article reads besides it: its countries, topics, people and organisations.
CLASSIFIER_FILES = ("topics.yaml", "country-aliases.yaml", "entities.yaml")
SITE_FILE = "site.yaml"     # settings every page shows, none of them an article's prepared result


@functools.lru_cache(maxsize=1)
def code_key() -> bytes:
    """The build code itself: cached results from other code are not reused."""
    digest = hashlib.blake2b(str(CACHE_VERSION).encode(), digest_size=16)
    package = Path(__file__).parent
    # The package's data (the maps' extra shapes) is code too: pages are drawn from it.
    for path in [*sorted(package.glob("*.py")), *sorted((package / "data").glob("*"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(libraries_key())
    return digest.digest()


def libraries_key() -> bytes:
    """Python's version and every installed distribution's name and version.

    Cached pages hold what markdown-it-py, Jinja2 and PyYAML made of the
    content: after an upgrade they are made again. The names of the
    *.dist-info and *.egg-info folders on sys.path carry the versions, and
    listing those folders is cheap enough for the no-change check, unlike
    importing the libraries. Upgrading any distribution (pytest too) counts.
    Only the distributions count, not the folders: how Python was started puts the
    current or the script's folder on sys.path, and that must not make a cold build.
    """
    names = [sys.version]
    seen: set[str] = set()
    for folder in sys.path:
        real = os.path.realpath(folder or ".")
        if real in seen:
            continue
        seen.add(real)
        with contextlib.suppress(OSError):
            names += sorted(n for n in os.listdir(real) if n.endswith((".dist-info", ".egg-info")))
    return "\n".join(names).encode()


@dataclass(frozen=True)
class Cached:
    """One article file's prepared result, and fingerprints of what pages show of it."""

    digest: bytes                   # of the file's bytes
    prepared: object                # site.Prepared
    full: bytes                     # everything on its own page but the links to others
    listing: bytes                  # what a listing or link shows
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class State:
    code: bytes = b""
    data: bytes = b""
    settings: tuple = ()            # options that change every page (base URL)
    articles: dict[str, Cached] = field(default_factory=dict)          # by file name
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)   # by file name
    output_keys: dict[str, bytes] = field(default_factory=dict)        # inputs of each rendered file
    file_keys: dict[str, bytes] = field(default_factory=dict)          # bytes of each written file
    search_pages: dict[str, bytes] = field(default_factory=dict)       # article page -> what Pagefind reads of it
    search_parts: dict[str, bytes] = field(default_factory=dict)       # search index part -> key it was indexed at
    classifier: object = None           # classify.Classifier built from the data files (`data`)
    templates: bytes = b""              # templates/ stamps the template keys were made from
    template_keys: dict[str, bytes] = field(default_factory=dict)      # template -> its files' key
    related: dict = field(default_factory=dict)     # site.related_articles' memo of text candidates
    api: dict = field(default_factory=dict)         # api.articles_json's memo of each article's line
    store: Store = field(default_factory=Store)     # where `articles` are in the cache folder (saved empty here)


# --- cheap change detection ---------------------------------------------------

def stamps(folder: Path, suffix: str = "") -> dict[str, tuple[int, int]]:
    """(mtime, size) of the files directly in folder whose names end with suffix, by name."""
    found = {}
    if folder.is_dir():
        with os.scandir(folder) as items:
            for item in items:
                if item.name.endswith(suffix) and not item.name.startswith(".") and item.is_file():
                    stat = item.stat()
                    found[item.name] = (stat.st_mtime_ns, stat.st_size)
    return dict(sorted(found.items()))


def watched_name(name: str) -> bool:
    """Whether snapshot() looks at a file or folder of this name: not at hidden ones,
    but for ingest's manifest (a change to it is a change to the content)."""
    return not name.startswith(".") or name == ".ingest-manifest.json"


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file below the given folders, for change detection."""
    found: dict[str, tuple[int, int]] = {}
    stack = [str(f) for f in folders if Path(f).is_dir()]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as items:
            for item in items:
                if not watched_name(item.name):
                    continue
                if item.is_dir(follow_symlinks=False):
                    stack.append(item.path)
                elif item.is_file():    # a file, or a link to one (stamped as the file it links to)
                    stat = item.stat()
                    found[item.path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_paths(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))


def current_manifest(options: Options, output: dict | None = None) -> dict:
    """Stamps of everything a build reads and writes: equal manifests, equal site."""
    return manifest_of(options, snapshot([options.content, options.templates]), (options.base_url, options.search),
                       snapshot([options.output]) if output is None else output)


def manifest_of(options: Options, files: dict[str, tuple[int, int]], settings: tuple | None,
                output: dict | None = None) -> dict:
    """The manifest of a snapshot() of the content and templates folders (serve keeps
    one of what it built): the data files beside articles/, the articles, the templates."""
    content, templates = str(options.content) + os.sep, str(options.templates) + os.sep
    articles = content + "articles" + os.sep
    data, found, used = {}, {}, {}
    for path, stamp in files.items():
        if path.startswith(articles):
            name = path[len(articles):]
            if name.endswith(".md") and os.sep not in name and not name.startswith("."):
                found[name] = stamp
        elif path.startswith(content):
            name = path[len(content):]
            if os.sep not in name and not name.startswith("."):
                data[name] = stamp
        elif path.startswith(templates):
            used[path] = stamp
    return {
        "code": code_key(),
        "settings": settings,
        "data": dict(sorted(data.items())),
        "articles": dict(sorted(found.items())),
        "templates": used,
        "output": output,
    }


def up_to_date(options: Options) -> tuple[bool, dict]:
    """(True, manifest) when the last build saved to the cache saw exactly these inputs
    and left exactly this output/: nothing to do, decided without loading the cache."""
    current = current_manifest(options)
    try:
        with open(options.cache / MANIFEST_FILE, "rb") as file:
            saved = pickle.load(file)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return False, current
    return saved == current, current


# --- loading and saving ---------------------------------------------------------

def load_state(options: Options, manifest: dict | None = None
               ) -> tuple[State, dict[str, tuple[int, int]]] | None:
    """The state a previous build saved, and the stamps of the output it left; None when
    there is none to use (no cache, or other code). manifest: this run's, when
    up_to_date() already made it.

    When output/ changed since the save (a serve killed after writing more, files edited
    or deleted by hand), what is in it is unknown, so the state comes back without what
    it knew of output/ (the stamps are None): the build then makes every file again, as a
    cold one does, but keeps what depends only on the content (the prepared articles,
    the related-article and API memos): at 4,000 articles, no 5 s of preparing."""
    try:
        with open(options.cache / MANIFEST_FILE, "rb") as file:
            last = pickle.load(file)
        output = (manifest or {}).get("output")
        if output is None:
            output = snapshot([options.output])
        with open(options.cache / STATE_FILE, "rb") as file:
            saved = pickle.load(file)
        if not isinstance(saved, State) or saved.code != code_key():
            return None
        with collector_paused():
            saved.articles = store.read(options.cache, saved.store)  # type: ignore[assignment]
    except (OSError, StoreError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError,
            ValueError):
        return None
    if last.get("output") != output:
        saved.output_keys, saved.file_keys = {}, {}
        saved.search_pages, saved.search_parts = {}, {}
        return saved, None
    return saved, output


def save_state(options: Options, state: State, stored: dict[str, Cached], pending: store.FreshWrite | None,
               output_stamps: dict[str, tuple[int, int]] | None, manifest: dict | None = None) -> None:
    """Write the state and the manifest. The articles go to an append-only store: only
    those not in it already (`stored`: what it holds, by file name) are written, or
    `pending`'s fresh store (a cold build's, written in the background) is taken.
    manifest: the inputs as they were when the build began (from up_to_date), so that a
    file saved while the build ran is a change the next build sees."""
    cache = options.cache
    cache.mkdir(parents=True, exist_ok=True)
    articles = state.articles
    unchanged = {name for name, cached in articles.items() if stored.get(name) is cached}
    before = state.store
    written = pending.result(articles) if pending is not None else None
    if written is None:
        written = store.write(cache, before, articles, unchanged)
    # related's "inputs" and "last" hold every article's classification again: in memory only.
    # So do api's "entries" and "order", and every page's HTML with them.
    related = {k: v for k, v in state.related.items() if k not in ("inputs", "last")}
    api = {k: v for k, v in state.api.items() if k not in ("entries", "order", "ordered")}
    temporary = cache / f".{STATE_FILE}.tmp"
    with open(temporary, "wb") as file:
        pickle.dump(State(**{**state.__dict__, "articles": {}, "related": related, "api": api,
                             "store": written}), file, protocol=5)
    os.replace(temporary, cache / STATE_FILE)
    state.store = written
    if written.name != before.name:
        store.remove_others(cache, written.name)
    inputs = manifest if manifest is not None else current_manifest(options, output={})
    temporary = cache / f".{MANIFEST_FILE}.tmp"
    with open(temporary, "wb") as file:
        pickle.dump({**inputs, "output": output_stamps}, file, protocol=5)
    os.replace(temporary, cache / MANIFEST_FILE)


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection while making many long-lived, acyclic objects (the
    collector would walk them again and again as they pile up); afterwards they are
    frozen out of its view."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
