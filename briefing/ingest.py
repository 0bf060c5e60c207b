"""seeds/*.txt -> content/articles/*.md: the editorial import.

Ingest reads every dump, merges copies and near-copies of a story, and writes
one content file per new story. Editors own content/, so ingest remembers in
content/.ingest-manifest.json which file it wrote for which story id and the
SHA-256 of the bytes it wrote:

- a file whose bytes no longer match was edited by an editor: never touched;
- a story whose file is gone (and whose id is in no other file) was deleted
  by an editor: never recreated;
- an unedited file is rewritten only when its story changed (a new dump holds
  it, or a more complete version arrived);
- nothing is written before every dump has been read and parsed, and each
  write is atomic (temporary file + os.replace), so a bad dump or a crash
  never leaves a half-written file.

Running ingest twice changes no byte.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from slugify import slugify

from .content import article_files, parse_article, render_article, split_front_matter
from .dedupe import Story, dedupe
from .dumps import parse_dump, read_dump
from .model import BuildError, Diagnostic, RawArticle

MANIFEST = ".ingest-manifest.json"
MANIFEST_VERSION = 1
SLUG_CHARS = 80


@dataclass(frozen=True)
class IngestResult:
    diagnostics: tuple[Diagnostic, ...]
    summary: str
    dumps_read: int = 0             # dumps parsed
    dumps_skipped: int = 0          # empty, blank, binary or unreadable
    articles_found: int = 0         # articles in all dumps, copies included
    exact_duplicates: int = 0       # merged as exact copies
    near_duplicates: int = 0        # merged as near-duplicates
    created: int = 0                # new content files
    updated: int = 0                # unedited files rewritten (new source, fuller version)
    unchanged: int = 0              # files already up to date
    kept_edited: int = 0            # edited (or renamed) by an editor: left alone
    kept_deleted: int = 0           # deleted by an editor: not recreated

    @property
    def written(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class _Tracked:
    slug: str
    sha256: str


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edited: int = 0
    kept_deleted: int = 0


@dataclass
class _Plan:
    """What ingest will write: file bytes by path, then the new manifest."""

    writes: dict[Path, bytes] = field(default_factory=dict)
    manifest: dict[str, _Tracked] = field(default_factory=dict)
    counts: _Counts = field(default_factory=_Counts)


def ingest(seeds_dir: Path, content_dir: Path,
           progress: Callable[[str, int, int], None] | None = None, jobs: int = 1) -> IngestResult:
    """seeds/*.txt -> content/articles/*.md. progress(stage, done, total) is called as each
    dump is read (stage "read"), as the articles' content keys and shingles are made
    ("keys", "shingle": on `jobs` processes, 0 = one per core) and as each distinct text
    is compared ("dedupe")."""
    dumps = sorted(path for path in seeds_dir.glob("*.txt")
                   if path.is_file() and not path.name.startswith("."))
    articles: list[RawArticle] = []
    diagnostics: list[Diagnostic] = []
    skipped = 0
    mapper = _Mapper(jobs, progress)
    for parsed, found in mapper(_read_and_parse, dumps, "read"):
        diagnostics.extend(found)
        if parsed is None:
            skipped += 1
        else:
            articles.extend(parsed)

    deduped = dedupe(articles, progress=(lambda done, total: progress("dedupe", done, total))
                     if progress else None, mapper=mapper)
    folder = content_dir / "articles"
    plan = _plan(deduped.stories, _ContentState(folder, content_dir / MANIFEST))
    folder.mkdir(parents=True, exist_ok=True)
    for path, data in plan.writes.items():
        write_atomic(path, data)
    manifest_bytes = _manifest_bytes(plan.manifest)
    manifest_path = content_dir / MANIFEST
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest_bytes:
        write_atomic(manifest_path, manifest_bytes)

    counts = plan.counts
    result = IngestResult(
        diagnostics=tuple(diagnostics), summary="",
        dumps_read=len(dumps) - skipped, dumps_skipped=skipped, articles_found=len(articles),
        exact_duplicates=deduped.exact, near_duplicates=deduped.near,
        created=counts.created, updated=counts.updated, unchanged=counts.unchanged,
        kept_edited=counts.kept_edited, kept_deleted=counts.kept_deleted)
    return _with_summary(result)


def _read_and_parse(path: Path) -> tuple[list[RawArticle] | None, list[Diagnostic]]:
    """The articles of one dump (None when it cannot be read) and what was wrong with it."""
    text, found = read_dump(path)
    if text is None:
        return None, list(found)
    parsed, problems = parse_dump(text, path.name)
    return list(parsed), [*found, *problems]


class _Mapper:
    """dedupe's Mapper: pipeline.parallel_map, its progress reported as ingest's."""

    def __init__(self, jobs: int, progress: Callable[[str, int, int], None] | None):
        self.jobs, self.progress = jobs, progress

    def __call__(self, function: Callable, items: Sequence, stage: str) -> list:
        from .pipeline import parallel_map

        return parallel_map(function, items, self.jobs, {},
                            progress=_StageProgress(self.progress, stage, len(items)))


class _StageProgress:
    """A pipeline.Progress that passes what it is told on as progress(stage, done, total)."""

    def __init__(self, progress: Callable[[str, int, int], None] | None, stage: str, total: int):
        self.progress, self.stage, self.total, self.done = progress, stage, total, 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.progress:
            self.progress(self.stage, self.done, self.total)

    def close(self) -> None:
        pass


def _with_summary(result: IngestResult) -> IngestResult:
    summary = (f"ingest: {result.dumps_read} dump(s) read, {result.dumps_skipped} skipped; "
               f"{result.articles_found} article(s) found; {result.exact_duplicates} exact and "
               f"{result.near_duplicates} near duplicate(s) merged; {result.written} written "
               f"({result.created} new, {result.updated} updated), {result.unchanged} unchanged, "
               f"{result.kept_edited} edited by editors (left alone), "
               f"{result.kept_deleted} deleted by editors (not recreated)")
    return replace(result, summary=summary)


# --- the content folder as ingest finds it ----------------------------------------

class _ContentState:
    """The manifest and the article files on disk, read once."""

    def __init__(self, folder: Path, manifest_path: Path):
        self.folder = folder
        self.manifest = read_manifest(manifest_path)
        self.files = {path.stem: path for path in article_files(folder.parent)}
        self.tracked_slugs = {tracked.slug for tracked in self.manifest.values()}
        self._bytes: dict[str, bytes] = {}
        self._ids: dict[str, str] | None = None

    def bytes_of(self, slug: str) -> bytes | None:
        if slug not in self.files:
            return None
        if slug not in self._bytes:
            self._bytes[slug] = self.files[slug].read_bytes()
        return self._bytes[slug]

    def is_unedited(self, story_id: str) -> bool:
        tracked = self.manifest[story_id]
        data = self.bytes_of(tracked.slug)
        return data is not None and sha256(data) == tracked.sha256

    def file_ids(self) -> dict[str, str]:
        """id -> slug for every article file (unreadable files keep their name's id)."""
        if self._ids is None:
            by_slug = {tracked.slug: story_id for story_id, tracked in self.manifest.items()}
            self._ids = {}
            for slug in self.files:
                story_id = by_slug.get(slug)
                if story_id is None or not self.is_unedited(story_id):
                    story_id = self._id_in_file(slug)
                self._ids.setdefault(story_id, slug)
        return self._ids

    def _id_in_file(self, slug: str) -> str:
        try:
            data = split_front_matter(self.bytes_of(slug).decode("utf-8"), str(self.files[slug])).data
        except (BuildError, UnicodeDecodeError):
            return slug
        value = data.get("id")
        return value if isinstance(value, str) else slug


def _plan(stories: Iterable[Story], state: _ContentState) -> _Plan:
    plan = _Plan(manifest=dict(state.manifest))
    taken = set(state.files) | state.tracked_slugs
    for story in stories:
        known = next((story_id for story_id in story.ids
                      if story_id in state.manifest or story_id in state.file_ids()), None)
        if known is None:
            slug = unique_slug(story.article.title, taken)
            taken.add(slug)
            _put(plan, state.folder, story.ids[0], slug,
                 render_article(story.article, id=story.ids[0], slug=slug, sources=story.sources))
            plan.counts.created += 1
        elif known in state.manifest:
            _refresh(plan, state, story, known)
        else:
            _adopt(plan, state, story, known)
    return plan


def _refresh(plan: _Plan, state: _ContentState, story: Story, story_id: str) -> None:
    """A story ingest wrote before: update its file if it is unedited, else leave it."""
    slug = state.manifest[story_id].slug
    if not state.is_unedited(story_id):
        if slug in state.files or story_id in state.file_ids():
            plan.counts.kept_edited += 1
        else:
            plan.counts.kept_deleted += 1
        return
    current = state.bytes_of(slug)
    written = parse_article(current.decode("utf-8"), str(state.files[slug]))
    text = render_article(story.article, id=story_id, slug=slug,
                          sources=set(story.sources) | set(written.sources))
    if text.encode("utf-8") == current:
        plan.counts.unchanged += 1
    else:
        _put(plan, state.folder, story_id, slug, text)
        plan.counts.updated += 1


def _adopt(plan: _Plan, state: _ContentState, story: Story, story_id: str) -> None:
    """A file with this story's id that the manifest does not know.

    If it holds exactly what ingest would write (the manifest was lost, or a
    run stopped before saving it), ingest takes it back; otherwise an editor
    made it, and it is left alone.
    """
    slug = state.file_ids()[story_id]
    current = state.bytes_of(slug)
    text = render_article(story.article, id=story_id, slug=slug, sources=story.sources)
    if current == text.encode("utf-8") and slug not in state.tracked_slugs:
        plan.manifest[story_id] = _Tracked(slug, sha256(current))
        plan.counts.unchanged += 1
    else:
        plan.counts.kept_edited += 1


def _put(plan: _Plan, folder: Path, story_id: str, slug: str, text: str) -> None:
    data = text.encode("utf-8")
    plan.writes[folder / f"{slug}.md"] = data
    plan.manifest[story_id] = _Tracked(slug, sha256(data))


def unique_slug(title: str, taken: set[str]) -> str:
    """The title's slug, with -2, -3, ... when another article already has it."""
    base = slugify(title, max_length=SLUG_CHARS, word_boundary=True,
                   replacements=[["'", ""], ["’", ""]]) or "article"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


# --- files ----------------------------------------------------------------------

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that it is never seen half-written: a temporary file, then a rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> dict[str, _Tracked]:
    if not path.exists():
        return {}
    fix = ("delete it and run ingest again: existing articles are then kept as they are "
           "and taken back when unedited")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {story_id: _Tracked(str(entry["slug"]), str(entry["sha256"]))
                for story_id, entry in data["articles"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BuildError(f"the ingest manifest is damaged ({error}); {fix}.", str(path)) from None


def _manifest_bytes(manifest: dict[str, _Tracked]) -> bytes:
    data = {"version": MANIFEST_VERSION,
            "articles": {story_id: {"slug": tracked.slug, "sha256": tracked.sha256}
                         for story_id, tracked in manifest.items()}}
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
