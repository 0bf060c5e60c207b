"""Crawl a built site and list its broken internal links (writes nothing).

Every .html file is parsed once (html.parser), keeping its ids and its links;
then every internal link is resolved to a file of the output folder, and every
#fragment to an id (or <a name>) of the page it points at. Feeds and sitemaps
(*.xml) are checked the same way for their links into the site. Results are
cached per distinct link, so shared navigation costs one lookup per page.
"""
from __future__ import annotations

import os
import posixpath
import re
import xml.parsers.expat
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

PARALLEL_FROM = 400     # pages; below this, starting worker processes costs more than it saves
ATOM_LINK = "http://www.w3.org/2005/Atom link"
SITEMAP_LOC = "http://www.sitemaps.org/schemas/sitemap/0.9 loc"

# (tag, attribute) pairs that point at another page or a file the page needs.
_LINK_ATTRS = frozenset({
    ("a", "href"), ("area", "href"), ("link", "href"), ("form", "action"),
    ("img", "src"), ("script", "src"), ("iframe", "src"), ("embed", "src"),
    ("source", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"),
    ("track", "src"), ("input", "src"), ("object", "data"),
})
_SRCSET_TAGS = frozenset({"img", "source"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SVG_ID = re.compile(r"""(?<![\w-])id\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class BrokenLink:
    page: str       # output-relative file, e.g. "articles/x/index.html"
    line: int
    target: str     # the link as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.target} ({self.reason})"


# (line, target as written, navigates): navigates is True for an a/area href,
# which the user follows, so it must be safe. Plain tuples: pages cross process
# boundaries, and plain tuples pickle several times faster than named ones.
_Link = tuple[int, str, bool]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[_Link] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif (tag, name) in _LINK_ATTRS:
                self.links.append((line, value, tag in ("a", "area")))
            elif name == "srcset" and tag in _SRCSET_TAGS:
                for candidate in value.split(","):
                    if candidate.split():
                        self.links.append((line, candidate.split()[0], False))
        if tag == "base" and self.base is None:
            self.base = dict(attrs).get("href")


@dataclass(frozen=True)
class _Page:
    ids: frozenset[str]
    links: tuple[_Link, ...]
    base: str | None = None
    error: str | None = None        # an XML file that would not parse
    error_line: int = 1


# Tags without attributes (and end tags) carry no link and no id; dropping them
# before html.parser sees the page makes it about twice as fast. Elements whose
# content is raw text keep their tags, or their content would be read as markup.
# Nothing dropped holds a newline, so line numbers stay right.
_BARE_TAG = re.compile(r"</?(?!(?:script|style|title|textarea|xmp|iframe|noembed|noframes|"
                       r"noscript|plaintext)\b)[a-zA-Z][a-zA-Z0-9]*[ \t]*/?>")


def _parse_html(text: str) -> _Page:
    parser = _PageParser()
    parser.feed(_BARE_TAG.sub("", text))
    parser.close()
    return _Page(frozenset(parser.ids), tuple(parser.links), parser.base)


def _parse_xml(data: bytes) -> _Page:
    """Links of an Atom feed (<link href>) or a sitemap (<loc>), with their lines."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    links: list[_Link] = []
    loc: list[str] = []
    loc_line = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal loc_line
        if name == ATOM_LINK and "href" in attrs:
            links.append((parser.CurrentLineNumber, attrs["href"], False))
        elif name == SITEMAP_LOC:
            loc_line = parser.CurrentLineNumber
            parser.CharacterDataHandler = loc.append

    def end(name: str) -> None:
        if name == SITEMAP_LOC:
            parser.CharacterDataHandler = None
            links.append((loc_line, "".join(loc).strip(), False))
            loc.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        return _Page(frozenset(), tuple(links), error=f"not well-formed XML: {error}",
                     error_line=error.lineno)
    return _Page(frozenset(), tuple(links))


def _read_pages(root: str, names: list[str]) -> list[_Page]:
    pages = []
    for name in names:
        path = os.path.join(root, name)
        if name.endswith(".xml"):
            with open(path, "rb") as file:
                pages.append(_parse_xml(file.read()))
        else:
            with open(path, encoding="utf-8", errors="replace") as file:
                pages.append(_parse_html(file.read()))
    return pages


def _all_files(root: Path) -> set[str]:
    files = set()
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        files.update(prefix + name for name in names)
    return files


def _normalise_base_path(base_path: str) -> str:
    return "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"


class _Checker:
    def __init__(self, root: Path, base_path: str, base_url: str):
        self.root = root
        self.base_path = base_path
        self.base_url = base_url.rstrip("/")
        self.base_prefixes = tuple(self.base_url + c for c in "/?#")
        self.files = _all_files(root)
        self.pages: dict[str, _Page] = {}
        self.svg_ids: dict[str, frozenset[str]] = {}

    # --- reading ------------------------------------------------------------

    def read(self) -> None:
        names = sorted(name for name in self.files if name.endswith((".html", ".htm", ".xml")))
        workers = min(os.cpu_count() or 1, 8)
        if workers < 2 or len(names) < PARALLEL_FROM:
            self.pages = dict(zip(names, _read_pages(str(self.root), names)))
            return
        # html.parser is pure Python: big sites are parsed on every core.
        chunks = [names[i::workers * 4] for i in range(workers * 4)]
        try:
            with ProcessPoolExecutor(workers) as pool:
                for chunk, pages in zip(chunks, pool.map(_read_pages, [str(self.root)] * len(chunks), chunks)):
                    self.pages.update(zip(chunk, pages))
        except (OSError, NotImplementedError, BrokenProcessPool):
            # No worker processes on this machine (a sandbox without semaphores): parse here.
            self.pages = dict(zip(names, _read_pages(str(self.root), names)))

    def ids_of(self, name: str) -> frozenset[str] | None:
        """Anchors of a page (or an SVG sprite); None where fragments cannot be checked."""
        if name in self.pages and name.endswith((".html", ".htm")):
            return self.pages[name].ids
        if name.endswith(".svg"):
            if name not in self.svg_ids:
                text = (self.root / name).read_text(encoding="utf-8", errors="replace")
                self.svg_ids[name] = frozenset(_SVG_ID.findall(text))
            return self.svg_ids[name]
        return None

    # --- resolving ----------------------------------------------------------

    def site_path(self, url: str) -> str | None:
        """An absolute URL under the base URL -> its path (with query and fragment); else None."""
        if self.base_url and (url == self.base_url or url.startswith(self.base_prefixes)):
            parts = urlsplit(url)
            return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        return None

    def check(self, page: str, folder: str, target: str, navigates: bool) -> str | None:
        """Why the link is broken, or None when it is fine (or not ours to check)."""
        scheme = _SCHEME.match(_CONTROL.sub("", target))
        if scheme:
            name = scheme.group(1).lower()
            if name in ("javascript", "vbscript") or (name == "data" and navigates):
                return f"unsafe {name}: link"
            target = self.site_path(target) or ""
            if not target:
                return None                   # external, mailto:, tel:, data: images...
        elif target.startswith("//"):
            return None
        parts = urlsplit(target)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if not path:
            name = page                       # "#anchor" or "?query": this very page
        else:
            if path.startswith("/"):
                if path + "/" == self.base_path:
                    path = self.base_path
                if not path.startswith(self.base_path):
                    return f"outside the base path {self.base_path}"
                path = path[len(self.base_path):]
            else:
                path = folder + path
            name = self.find(path)
            if name.startswith("../"):
                return "outside the site"
            if name not in self.files:
                is_page = name.endswith((".html", ".htm")) or "." not in posixpath.basename(name)
                return "no such page" if is_page else "no such file"
        if fragment and fragment.lower() != "top":
            ids = self.ids_of(name)
            if ids is not None and fragment not in ids:
                return f"no anchor #{fragment} in {name}"
        return None

    def find(self, path: str) -> str:
        """An output-relative URL path -> the file a static host serves for it."""
        directory = path == "" or path.endswith("/") or posixpath.basename(path) in (".", "..")
        normal = posixpath.normpath(path) if path else "."
        if normal == ".." or normal.startswith("../"):
            return "../"
        normal = "" if normal == "." else normal
        index = posixpath.join(normal, "index.html")
        if directory or (normal not in self.files and index in self.files):
            return index                      # pretty URL; hosts redirect "/x" to "/x/"
        return normal

    def folder_of(self, page: str) -> str:
        """The folder relative links of a page resolve against (its <base href> if any)."""
        folder = posixpath.dirname(page)
        folder = folder + "/" if folder else ""
        base = self.pages[page].base
        if base is None or _SCHEME.match(base) or base.startswith("//"):
            return folder
        path = unquote(urlsplit(base).path)
        if path.startswith("/"):
            path = path[len(self.base_path):] if path.startswith(self.base_path) else path.lstrip("/")
        else:
            path = folder + path
        normal = posixpath.normpath(path if path.endswith("/") else posixpath.dirname(path) or ".")
        return "" if normal in (".", "/") else normal + "/"


def check_site(output_dir: Path, base_path: str = "/", *, base_url: str = "") -> list[BrokenLink]:
    """Every broken internal link in the built site, sorted by page and line.

    base_path is the URL path the site is served under ("/" or "/sub/path/").
    base_url, when given (e.g. "https://example.org/sub/path"), makes absolute
    links under it internal too (canonical links, sitemap, feeds); its path
    must then be the base path.
    """
    base_path = _normalise_base_path(base_path)
    if base_url:
        own = _normalise_base_path(urlsplit(base_url).path)
        if base_path not in ("/", own):
            raise ValueError(f"base path {base_path} differs from the path of base URL {base_url}")
        base_path = own
    checker = _Checker(Path(output_dir), base_path, base_url)
    checker.read()
    broken: list[BrokenLink] = []
    # A link's verdict depends only on the link, or for a relative one also on
    # its page: shared navigation is resolved once, not once per page.
    verdicts: dict[tuple, str | None] = {}
    for page in sorted(checker.pages):
        parsed = checker.pages[page]
        if parsed.error:
            broken.append(BrokenLink(page, parsed.error_line, "", parsed.error))
        folder = checker.folder_of(page)
        for line, written, navigates in parsed.links:
            target = written.strip()
            if not target or target == "#":
                continue
            key = ((target, navigates) if target.startswith(("/", "http:", "https:"))
                   else (page, target, navigates))
            if key not in verdicts:
                verdicts[key] = checker.check(page, folder, target, navigates)
            if verdicts[key]:
                broken.append(BrokenLink(page, line, written, verdicts[key]))
    return broken


def format_report(broken: list[BrokenLink]) -> str:
    """One numbered line per broken link ("" when there are none)."""
    return "\n".join(f"{number}. {link}" for number, link in enumerate(broken, start=1))
