"""content/site.yaml -> SiteConfig. Editors set the site's title and URL there."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import yaml

from .model import BuildError, SiteConfig
from .urls import normalise_base_url

FILENAME = "site.yaml"


def parse_config(text: str, path: str, base_url: str | None = None) -> SiteConfig:
    """Pure: YAML text -> SiteConfig; a --base-url given on the command line wins."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BuildError(f"this is not valid YAML ({getattr(error, 'problem', error)}).",
                         path, mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise BuildError("expected keys such as `title:` and `base_url:`.", path, 1)
    known = {f.name: f for f in fields(SiteConfig)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise BuildError(f"unknown setting {unknown[0]!r}; known settings: {', '.join(sorted(known))}.", path)
    values = {}
    for key, value in data.items():
        expected = type(getattr(SiteConfig(), key))
        if not isinstance(value, expected) or isinstance(value, bool) and expected is int:
            raise BuildError(f"`{key}` should be a {expected.__name__}, not {value!r}.", path)
        values[key] = value
    if base_url is not None:
        values["base_url"] = base_url
    try:
        values["base_url"] = normalise_base_url(values.get("base_url", ""))
    except BuildError as error:
        raise BuildError(error.message, path) from None
    if values.get("per_page", 20) < 1:
        raise BuildError("`per_page` must be at least 1.", path)
    return SiteConfig(**values)


def load_config(content_dir: Path, base_url: str | None = None) -> SiteConfig:
    path = content_dir / FILENAME
    if not path.exists():
        return SiteConfig(base_url=normalise_base_url(base_url or ""))
    return parse_config(path.read_text(encoding="utf-8"), str(path), base_url)
