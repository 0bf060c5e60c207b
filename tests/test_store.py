import os
import pickle

import pytest

from briefing import store
from briefing.store import Store, StoreError


def files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_records_read_back_as_written(tmp_path):
    values = {"a.md": ("first", 1), "b.md": ["second"], "c.md": {"x": b"\x00" * 10}}
    saved = store.write(tmp_path, None, values, set())
    assert store.read(tmp_path, saved) == values
    assert files(tmp_path) == [saved.name]
    assert saved.size == (tmp_path / saved.name).stat().st_size


def test_a_save_appends_what_changed_and_leaves_the_rest_in_place(tmp_path):
    values = {f"{n}.md": "text " * 100 + str(n) for n in range(10)}
    first = store.write(tmp_path, None, values, set())
    before = (tmp_path / first.name).read_bytes()
    values["3.md"] = "edited"
    values["10.md"] = "new"
    del values["7.md"]
    second = store.write(tmp_path, first, values, set(values) - {"3.md", "10.md"})
    after = (tmp_path / second.name).read_bytes()
    assert second.name == first.name and after.startswith(before)
    assert len(after) - len(before) < 200           # two small records, not ten again
    assert second.index["5.md"] == first.index["5.md"] and "7.md" not in second.index
    assert store.read(tmp_path, second) == values


def test_a_store_mostly_dead_is_written_afresh_and_the_old_file_removed(tmp_path):
    values = {f"{n}.md": "x" * 200_000 for n in range(4)}
    saved = store.write(tmp_path, None, values, set())
    names = {saved.name}
    for round in range(12):
        values["0.md"] = "y" * 200_000 + str(round)
        saved = store.write(tmp_path, saved, values, set(values) - {"0.md"})
        names.add(saved.name)
        store.remove_others(tmp_path, saved.name)
        assert store.read(tmp_path, saved) == values
        assert saved.size <= 2 * max(store.COMPACT_FLOOR, saved.live) + 300_000
    assert len(names) > 1 and files(tmp_path) == [saved.name]


@pytest.mark.parametrize("racing", [False, True])
def test_two_processes_saving_at_once_each_read_back_their_own_records(tmp_path, monkeypatch, racing):
    base = store.write(tmp_path, None, {"a.md": "xxxxx", "b.md": "kept"}, set())
    if racing:  # both looked at the file before either wrote to it
        monkeypatch.setattr(store, "_size", lambda path: base.size)
    first = store.write(tmp_path, base, {"a.md": "AAAAA", "b.md": "kept"}, {"b.md"})
    second = store.write(tmp_path, base, {"a.md": "BBBBB", "b.md": "kept"}, {"b.md"})
    assert first.name == second.name == base.name
    assert store.read(tmp_path, first) == {"a.md": "AAAAA", "b.md": "kept"}
    assert store.read(tmp_path, second) == {"a.md": "BBBBB", "b.md": "kept"}


def test_leftovers_of_a_save_that_died_are_removed_once_old(tmp_path):
    import os

    saved = store.write(tmp_path, None, {"a.md": 1}, set())
    old = tmp_path / f".{store.PREFIX}dead{store.SUFFIX}.tmp"
    fresh = tmp_path / f".{store.PREFIX}busy{store.SUFFIX}.tmp"
    old.write_bytes(b"partial")
    fresh.write_bytes(b"another save, still writing")
    os.utime(old, (0, 0))
    (tmp_path / f"{store.PREFIX}orphan{store.SUFFIX}").write_bytes(b"compacted away")
    store.remove_others(tmp_path, saved.name)
    assert files(tmp_path) == sorted([saved.name, fresh.name])


def test_an_index_that_does_not_match_the_file_is_refused(tmp_path):
    base = store.write(tmp_path, None, {"a.md": "one", "b.md": "two"}, set())
    saved = store.write(tmp_path, base, {"a.md": "ONE", "b.md": "two"}, {"b.md"})
    assert saved.index["b.md"] == base.index["b.md"] != saved.index["a.md"]
    swapped = Store(saved.name, {"a.md": saved.index["b.md"], "b.md": saved.index["a.md"]}, saved.size)
    with pytest.raises(StoreError, match="holds 'a.md' where 'b.md' was"):
        store.read(tmp_path, swapped)
    stranger = Store(saved.name, {**saved.index, "c.md": saved.index["b.md"]}, saved.size)
    with pytest.raises(StoreError, match="has no 'c.md'"):
        store.read(tmp_path, stranger)
    data = (tmp_path / saved.name).read_bytes()
    (tmp_path / saved.name).write_bytes(data[:-5])
    with pytest.raises(StoreError, match="shorter"):
        store.read(tmp_path, saved)
    (tmp_path / saved.name).unlink()
    with pytest.raises(OSError):
        store.read(tmp_path, saved)


def test_a_fresh_store_is_one_segment_and_appended_records_follow_it(tmp_path):
    values = {f"{n}.md": n for n in range(50)}
    fresh = store.write(tmp_path, None, values, set())
    assert len(set(fresh.index.values())) == 1 and fresh.live == fresh.size
    values["7.md"] = "seven"
    again = store.write(tmp_path, fresh, values, set(values) - {"7.md"})
    assert len(set(again.index.values())) == 2 and again.live == again.size
    assert store.read(tmp_path, again) == values


def test_a_record_of_another_length_than_the_index_says_is_refused(tmp_path):
    saved = store.write(tmp_path, None, {"a.md": "one"}, set())
    (offset, length), = set(saved.index.values())
    with open(tmp_path / saved.name, "ab") as file:
        file.write(b"\0" * 4)
    longer = Store(saved.name, {"a.md": (offset, length + 4)}, saved.size + 4)
    with pytest.raises(StoreError, match="is not .* bytes long"):
        store.read(tmp_path, longer)


def test_saving_and_loading_hold_no_copy_of_the_whole_file_in_memory(tmp_path):
    """At 10,000 articles the store is 110 MB: a save that pickled it into one bytes
    object first, or a load that read the file into memory first, added that much to
    the build's peak."""
    import tracemalloc

    values = {f"{n:03}.md": bytes([n]) * 100_000 for n in range(200)}     # 20 MB
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        saved = store.write(tmp_path, None, values, set())
        _, written_peak = tracemalloc.get_traced_memory()
        del values
        tracemalloc.reset_peak()
        loaded = store.read(tmp_path, saved)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert saved.size > 20_000_000
    assert written_peak < 2_000_000
    assert read_peak < 25_000_000      # the values themselves are 20 MB
    assert loaded == {f"{n:03}.md": bytes([n]) * 100_000 for n in range(200)}


def test_a_store_written_in_the_background_is_written_by_another_process(tmp_path, monkeypatch):
    writers = tmp_path / "writers"
    real_write = store.write

    def noted_write(*args):
        writers.write_text(str(os.getpid()))
        return real_write(*args)

    monkeypatch.setattr(store, "write", noted_write)
    values = {f"{n}.md": ("text", n) for n in range(50)}
    cache = tmp_path / "cache"
    cache.mkdir()
    pending = store.write_in_background(cache, values)
    saved = pending.result(values)
    assert saved is not None and store.read(cache, saved) == values
    assert int(writers.read_text()) != os.getpid()


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_background_store_of_records_since_changed_is_not_used_and_its_file_goes(tmp_path, change):
    values = {f"{n}.md": ("text", n) for n in range(50)}
    pending = store.write_in_background(tmp_path, values)
    if change == "edit":
        values["3.md"] = ("text", 3)      # equal, but another object: prepared again
    elif change == "add":
        values["new.md"] = ("text", -1)
    else:
        del values["7.md"]
    assert pending.result(values) is None
    assert files(tmp_path) == []


def test_a_background_store_that_fails_leaves_the_writing_to_the_caller(tmp_path):
    values = {"a.md": ("text", 1)}
    pending = store.write_in_background(tmp_path / "no such folder", values)
    assert pending.result(values) is None
