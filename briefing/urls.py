"""Site paths -> the links a page, feed or API writes.

Every part of the build names pages by their site path ("/articles/foo/").
Where the site is deployed is known only here: SiteConfig.base_url is "" (the
site sits at a domain root and no absolute URL is known), "https://example.org",
or "https://example.org/sub/path" (the site lives below a path prefix).
"""
from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from .model import BuildError, SiteConfig


def normalise_base_url(url: str) -> str:
    """The --base-url value as the build stores it: no trailing slash, no query.

    Raises BuildError for a value that cannot be a site's address, so the
    pipeline can stop before writing pages with broken links.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildError(f"Base URL {url!r} must start with http:// or https:// and name a host, "
                         "e.g. https://example.org or https://example.org/briefing.")
    if parts.query or parts.fragment:
        raise BuildError(f"Base URL {url!r} must not carry a query or a fragment.")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


@functools.lru_cache(maxsize=16)
def _split(base_url: str) -> tuple[str, str]:
    """("https://example.org", "/sub/path") for a base URL; ("", "") for none."""
    parts = urlsplit(base_url.strip())
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return origin, parts.path.rstrip("/")


def base_path(config: SiteConfig) -> str:
    """The path prefix of every page, with slashes at both ends: "/" or "/sub/path/"."""
    return _split(config.base_url)[1] + "/"


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")


def _is_absolute(target: str) -> bool:
    # What urlsplit() would call a scheme, without splitting the whole URL each time.
    return target.startswith("//") or _SCHEME.match(target) is not None


def site_url(config: SiteConfig, path: str) -> str:
    """A site path as a link from any page: "/countries/iraq/" -> "/sub/path/countries/iraq/".

    Absolute URLs and bare fragments or queries ("#top", "?q=x") are returned as
    they are; a path without its leading slash is taken from the site root.
    """
    if _is_absolute(path) or path.startswith(("#", "?")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return _split(config.base_url)[1] + path


def absolute_url(config: SiteConfig, path: str) -> str:
    """The full URL of a site path when the base URL is known, else its site_url."""
    url = site_url(config, path)
    if url.startswith("/") and not url.startswith("//"):
        return _split(config.base_url)[0] + url
    return url
