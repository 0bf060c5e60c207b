"""Writing the output folder: a file at a time (never outside it), a staging folder
made beside it and swapped in whole, files removed or hard-linked. I/O only: what to
write is decided above (the search index: searchindex.py)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .model import BuildError


def write_file(root: Path, relative: str, data: bytes) -> None:
    # Checked on the string, not with resolve(): that costs a system call per path
    # component, for each of thousands of files.
    parts = relative.replace("\\", "/").split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise BuildError(f"refusing to write outside the output folder: {relative!r}")
    target = os.path.join(root, relative)
    try:
        file = open(target, "wb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        file = open(target, "wb")
    with file:
        file.write(data)


def staging_dir(output: Path) -> Path:
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.build-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def swap_into_place(staging: Path, output: Path) -> None:
    """Replace output/ with the finished build in two renames, never half-written."""
    output = output.resolve()
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old, ignore_errors=True)


def remove_file(root: Path, relative: str) -> None:
    """Delete a file and the folders it leaves empty."""
    target = root / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def link_tree(source: Path, target: Path, *, skip: set[str], skip_dirs: set[str]) -> None:
    """Hard-link every file of source into target that target does not have yet."""
    for folder, dirs, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        if relative.parts and relative.parts[0] in skip_dirs:
            dirs[:] = []
            continue
        for name in files:
            path = (relative / name).as_posix()
            if path in skip or (target / path).exists():
                continue
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(Path(folder) / name, target / path)
            except OSError:
                shutil.copy2(Path(folder) / name, target / path)
