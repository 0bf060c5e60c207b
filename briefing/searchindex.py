"""Pagefind over the parts of the search index (shards.py): each part's article pages
gathered into a folder of their own (hard links), indexed into a bundle, made
deterministic, and put in place under the search folder with the manifest the search
page reads. I/O only: which parts to index is decided above (builder.py).

Pagefind 1.5.2 writes its filter files in the order of a Rust HashMap, which differs
from run to run: the same pages gave differently named filter files and metadata
each time. canonicalise() sorts them, so a part indexed again is byte-identical and
an incremental build's search folder is a cold build's.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .model import BuildError
from .output import write_file
from .shards import MANIFEST, Part, manifest

SIGNATURE = b"pagefind_dcd"     # what opens every (gunzipped) Pagefind data file
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")    # what search.html loads from the search folder
# PagefindUI imports <bundlePath>pagefind.js: ours (searchparts.js) searches the parts as
# one whole index would, with Pagefind's own script (its Pagefind class exported) as engine.
PARTS_SCRIPT, ENGINE = "pagefind.js", "pagefind-engine.js"
PARTS_SOURCE = Path(__file__).with_name("searchparts.js")
ENGINE_EXPORT = (b"export{createInstance,", b"export{Pagefind,createInstance,")
PAGES = ".pages-"               # a part's gathered pages, beside its bundle while it is made


@dataclass(frozen=True)
class Job:
    """Parts to index: their pages gathered under `scratch`, their bundles written there."""
    scratch: Path
    parts: tuple[Part, ...]


def gather(scratch: Path, parts: Sequence[Part], source: Callable[[str], Path | bytes]) -> Job:
    """Each part's pages in a folder of their own: hard links to the files (a snapshot:
    a later build replaces a page by renaming a new file over it) or, for pages not yet
    on disk, their bytes. source(path): the file, or the bytes."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for part in parts:
        site = scratch / f"{PAGES}{part.name}"
        for path in part.pages:
            found = source(path)
            if isinstance(found, bytes):
                write_file(site, path, found)
                continue
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(found, site / path)
            except OSError:
                shutil.copyfile(found, site / path)
    return Job(scratch, tuple(parts))


def run(job: Job, jobs: int = 1) -> None:
    """Index the job's parts, `jobs` Pagefind processes at a time (each holds one part:
    peak memory is a part's, not the site's). Raises BuildError naming the part."""
    waiting = list(job.parts)
    running: list[tuple[Part, subprocess.Popen]] = []
    failure = None
    while waiting or running:
        while waiting and len(running) < max(1, jobs) and failure is None:
            part = waiting.pop(0)
            command = [sys.executable, "-m", "pagefind", "--site", str(job.scratch / f"{PAGES}{part.name}"),
                       "--output-path", str(job.scratch / part.name), "--silent"]
            running.append((part, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                                   text=True)))
        if not running:
            break
        part, process = running.pop(0)
        said, _ = process.communicate()
        if process.returncode != 0 and failure is None:
            failure = (f"Pagefind could not index part {part.name} of the search index "
                       f"({len(part.pages)} article pages): {said.strip() or f'exit status {process.returncode}'}")
        if failure is None:
            shutil.rmtree(job.scratch / f"{PAGES}{part.name}", ignore_errors=True)
            canonicalise(job.scratch / part.name)
    if failure:
        raise BuildError(failure + ". Run `python -m pagefind --help` to check that Pagefind "
                                   "(requirements.txt) is installed; the output was left as it was.")


def place(job: Job, index: Path, parts: Sequence[Part]) -> None:
    """Put the job's bundles into the search folder, each replacing its part's old one,
    and leave there only the given parts (the site's now) and the manifest and UI
    files. Files whose bytes are unchanged are left alone (a deploy uploads only what
    changed); a bundle is swapped in by two renames."""
    index.mkdir(parents=True, exist_ok=True)
    for part in job.parts:
        built, target = job.scratch / part.name, index / part.name
        old = job.scratch / f".old-{part.name}"
        if target.exists():
            os.replace(target, old)
        os.replace(built, target)
        shutil.rmtree(old, ignore_errors=True)
    names = {part.name for part in parts}
    for item in index.iterdir():
        if item.is_dir() and item.name not in names:
            shutil.rmtree(item)
    present = [part for part in parts if (index / part.name).is_dir()]
    files = {MANIFEST: manifest(present)}
    if present:
        for name in UI_FILES:
            files[name] = (index / present[0].name / name).read_bytes()
        files[ENGINE] = engine((index / present[0].name / "pagefind.js").read_bytes())
        files[PARTS_SCRIPT] = PARTS_SOURCE.read_bytes()
    for item in index.iterdir():
        if item.is_file() and item.name not in files:
            item.unlink()
    for name, data in files.items():
        target = index / name
        if not target.is_file() or target.read_bytes() != data:
            write_file(index, f".{name}.tmp", data)
            os.replace(index / f".{name}.tmp", target)


def engine(script: bytes) -> bytes:
    """Pagefind's pagefind.js with its Pagefind class exported too: searchparts.js
    searches each merged part on its own through it."""
    old, new = ENGINE_EXPORT
    if script.count(old) != 1:
        raise BuildError("Pagefind's pagefind.js does not end in the exports Pagefind 1.5.2 wrote, "
                         "which the search page's script needs: is Pagefind the version requirements.txt pins?")
    return script.replace(old, new)


# --- deterministic bundles -------------------------------------------------------

def _load(data: bytes):
    import cbor2

    plain = gzip.decompress(data) if not data.startswith(SIGNATURE) else data
    if not plain.startswith(SIGNATURE):
        raise BuildError("a Pagefind data file without its signature: is Pagefind the version "
                         "requirements.txt pins?")
    return cbor2.loads(plain[len(SIGNATURE):])


def _dump(value) -> bytes:
    import cbor2

    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def _name(language: str, data: bytes, digits: int) -> str:
    return f"{language}_{hashlib.blake2b(data, digest_size=8).hexdigest()[:digits]}"


def canonicalise(bundle: Path) -> None:
    """Sort the filter values in each filter file and the filters in the metadata, and
    name both files after their new bytes (the entry file names the metadata)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, about in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _load(meta_path.read_bytes())
        filters = []
        # meta[3]: [[filter name, file hash], ...]; a filter file: [name, [[value, pages], ...]]
        for name, old in meta[3]:
            path = bundle / "filter" / f"{old}.pf_filter"
            values = _load(path.read_bytes())
            values[1] = sorted(values[1], key=lambda value: value[0])
            data = _dump(values)
            new = _name(language, data, len(old) - len(language) - 1)
            path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            filters.append([name, new])
        meta[3] = sorted(filters)
        data = _dump(meta)
        about["hash"] = _name(language, data, len(about["hash"]) - len(language) - 1)
        meta_path.unlink()
        (bundle / f"pagefind.{about['hash']}.pf_meta").write_bytes(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

