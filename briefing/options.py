"""What a command was asked to do: the folders, the flags. One frozen value, made by
build.py from the command line and read by every layer below it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    seeds: Path
    content: Path
    templates: Path
    output: Path
    cache: Path | None              # None: no cache, every build is cold
    base_url: str | None = None
    strict: bool = False
    quiet: bool = False
    search: bool = True
    jobs: int = 0                   # 0 = one per core
    timings: bool = False           # print where the build spent its time
