"""An append-only file of pickled records, for the build cache's prepared articles.

A one-article edit used to rewrite every article's record (50 MB at 4,000
articles) at each save. Here a save appends the records that changed and
leaves the rest where they are; the index (name -> offset, length) lives in
the small state file beside it. When more than half the file is records no
index points to, a save writes a fresh file under a new name instead.

A fresh file is one segment, pickle(("", {name: value})): unpickling 4,000
articles in one go takes two thirds of the time of 4,000 pickles. Appended
records are pickle((name, value)), one each. A record read back for another
name than the index says is refused, never used. Appends hold an exclusive
lock on the file and take their offsets from where the bytes really land,
so `build` and `serve` saving the same cache at once each get an index of
their own records.
"""
from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import pickle
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "articles-"
SUFFIX = ".store"
COMPACT_FLOOR = 1 << 20     # below this many dead bytes a store is never rewritten
STALE_SECONDS = 3600        # a temporary file this old was left by a save that died


class StoreError(Exception):
    """The store does not hold what the index says: the cache is unusable."""


@dataclass
class Store:
    """Where each record is in the file `name` (in the cache folder)."""

    name: str = ""
    index: dict[str, tuple[int, int]] = field(default_factory=dict)   # record name -> (offset, length)
    size: int = 0                   # bytes in the file, live records and dead ones

    @property
    def live(self) -> int:
        return _live(self.index, self.index)


def read(folder: Path, store: Store) -> dict[str, object]:
    """Every record the index names, unpickled. Raises StoreError (or OSError) when
    the file is missing, shorter than the index says, or holds another record."""
    if not store.index:
        return {}
    names_at: dict[tuple[int, int], list[str]] = {}
    for name, place in store.index.items():
        names_at.setdefault(place, []).append(name)
    values = {}
    # Unpickled from the file as it is read, not from a copy of the whole file in
    # memory: at 10,000 articles that copy was 110 MB.
    with open(folder / store.name, "rb") as file:
        if os.fstat(file.fileno()).st_size < store.size:
            raise StoreError(f"{store.name} is shorter than its index")
        for (offset, length), names in sorted(names_at.items()):
            try:
                file.seek(offset)
                found, value = pickle.load(file)
            except Exception as error:  # bytes that are not this record can fail in any way
                raise StoreError(f"record {names[0]!r} of {store.name}: {error!r}") from None
            if file.tell() != offset + length:
                raise StoreError(f"record {names[0]!r} of {store.name} is not {length} bytes long")
            if found == "" and isinstance(value, dict):    # a segment: every name must be in it
                for name in names:
                    if name not in value:
                        raise StoreError(f"{store.name} has no {name!r} where the index says")
                    values[name] = value[name]
            elif names == [found]:
                values[found] = value
            else:
                raise StoreError(f"{store.name} holds {found!r} where {names[0]!r} was")
    return values


def write(folder: Path, store: Store | None, values: dict[str, object],
          unchanged: set[str]) -> Store:
    """Save `values` (name -> value, every record there is to be): the names in
    `unchanged` hold the very values `store` already has, and stay where they are.

    Appends to the current file when it is there (as long as this process last saw
    it, or longer) and would not then be more than half dead; otherwise writes a new
    file (the caller removes the old one with remove_others once nothing points to it)."""
    kept = sorted(name for name in values if name in unchanged and store is not None and name in store.index)
    live = _live(store.index, kept) if store is not None else 0
    size = _size(folder / store.name) if store is not None and store.name else -1
    if store is not None and size >= store.size and size - live <= max(COMPACT_FLOOR, live):
        index = {name: store.index[name] for name in kept}
        size = _append(folder / store.name, values, set(values) - set(kept), index)
        return Store(store.name, index, size)
    name = f"{PREFIX}{secrets.token_hex(8)}{SUFFIX}"
    temporary = folder / f".{name}.tmp"
    # Pickled into the file frame by frame, not into one bytes object first (110 MB at
    # 10,000 articles, on top of the build's own peak).
    with open(temporary, "wb") as file:
        pickle.dump(("", dict(sorted(values.items()))), file, protocol=5)
        length = file.tell()
    os.replace(temporary, folder / name)
    return Store(name, {record: (0, length) for record in values}, length)


class FreshWrite:
    """A fresh store file being written by a forked process: see write_in_background."""

    def __init__(self, folder: Path, values: dict[str, object], process, reader):
        self.folder, self.values = folder, values
        self._process, self._reader = process, reader

    def result(self, values: dict[str, object]) -> Store | None:
        """The store written, when `values` are still the very records it was started
        with. Otherwise None, and the file it wrote is removed; None too when the process
        failed (a temporary file it left goes with the next fresh store's clean-up)."""
        try:
            written: Store | None = self._reader.recv()
        except (EOFError, OSError):
            written = None
        self._reader.close()
        self._process.join()
        same = values.keys() == self.values.keys() and all(values[name] is value
                                                           for name, value in self.values.items())
        if written is not None and not same:
            _unlink(self.folder / written.name)
            written = None
        return written


def write_in_background(folder: Path, values: dict[str, object]) -> FreshWrite:
    """write(folder, None, values, set()) in a forked process, while this one goes on.

    A cold build writes every article to a fresh file (0.18 s at 4,000 articles), and
    can have that done while it assembles the site with one core idle."""
    values = dict(values)
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_write_and_report, args=(folder, values, writer), daemon=True)
    process.start()
    writer.close()
    return FreshWrite(folder, values, process, reader)


def _write_and_report(folder: Path, values: dict[str, object], writer) -> None:
    # A collection here would walk, and so copy, the whole heap this process shares.
    gc.disable()
    try:
        written = write(folder, None, values, set())
    except Exception:
        return  # the parent gets no answer and writes the store itself
    writer.send(written)


def _live(index: dict[str, tuple[int, int]], names) -> int:
    """Bytes of the records `names` point to, a segment counted once."""
    return sum(length for _, length in {index[name] for name in names})


def _append(path: Path, values: dict[str, object], names: set[str],
            index: dict[str, tuple[int, int]]) -> int:
    with open(path, "ab") as file:
        fcntl.flock(file, fcntl.LOCK_EX)    # released on close
        # Another process may have appended since this one last looked: its records
        # stay where they are, and these go after them.
        offset = file.seek(0, os.SEEK_END)
        for name in sorted(names):
            blob = pickle.dumps((name, values[name]), protocol=5)
            file.write(blob)
            index[name] = (offset, len(blob))
            offset += len(blob)
    return offset


def remove_others(folder: Path, keep: str) -> None:
    """Remove the store files of earlier saves (a compacted or abandoned store), and
    temporary ones a save that died left behind."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = folder / name
        if name.startswith(PREFIX) and name.endswith(SUFFIX) and name != keep:
            _unlink(path)
        elif name.startswith("." + PREFIX) and name.endswith(SUFFIX + ".tmp"):
            try:
                if time.time() - os.stat(path).st_mtime > STALE_SECONDS:
                    _unlink(path)
            except OSError:
                pass


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1
