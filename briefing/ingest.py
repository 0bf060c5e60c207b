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

The manifest also records the SHA-256 of every dump it was made from, so
`check` and `build --strict` can say when content/ is out of date with seeds/.
Near-copies merged into a story are printed and listed in its front matter
(`merged`); an editor who adds `not_duplicate_of: [id or slug]` to the kept
article gets the other one written back as an article of its own.

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


from .content import article_files, parse_article, render_article, split_front_matter
from .dedupe import Apart, Merge, Story, dedupe, title_slug
from .dumps import LAYOUTS, TITLE_CHECK_WORDS, decode_dump, dump_bytes, parse_dump
from .model import BuildError, Diagnostic, RawArticle
from .workers import parallel_map

MANIFEST = ".ingest-manifest.json"
MANIFEST_VERSION = 2
LAYOUT_NAMES = {"seeds": "seeds' layout", "site-page": "site page"}


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
    layouts: tuple[tuple[str, int], ...] = ()   # articles found per layout, in LAYOUTS order
    interviews: int = 0             # articles found with an interview's questions
    merges: tuple[str, ...] = ()    # a line per near-copy merged into a story written now

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
    merges: list[str] = field(default_factory=list)


def ingest(seeds_dir: Path, content_dir: Path,
           progress: Callable[[str, int, int], None] | None = None, jobs: int = 1) -> IngestResult:
    """seeds/*.txt -> content/articles/*.md. progress(stage, done, total) is called as each
    dump is read (stage "read"), as the articles' content keys and shingles are made
    ("keys", "shingle": on `jobs` processes, 0 = one per core) and as each distinct text
    is compared ("dedupe")."""
    dumps = dump_files(seeds_dir)
    mapper = _Mapper(jobs, progress)
    parsed = list(mapper(_read_and_parse, dumps, "read"))
    parsed = _split_at_foreign_titles(dumps, parsed)
    articles: list[RawArticle] = []
    diagnostics: list[Diagnostic] = []
    skipped = 0
    for found, problems, _ in parsed:
        diagnostics.extend(problems)
        if found is None:
            skipped += 1
        else:
            articles.extend(found)

    folder = content_dir / "articles"
    state = _ContentState(folder, content_dir / MANIFEST)
    deduped = dedupe(articles, progress=(lambda done, total: progress("dedupe", done, total))
                     if progress else None, mapper=mapper, apart=state.not_duplicates())
    diagnostics.extend(_apart_warning(pair) for pair in deduped.apart)
    plan = _plan(deduped.stories, state)
    folder.mkdir(parents=True, exist_ok=True)
    for path, data in plan.writes.items():
        write_atomic(path, data)
    dump_hashes = {path.name: digest for path, (_, _, digest) in zip(dumps, parsed) if digest}
    manifest_bytes = _manifest_bytes(plan.manifest, dump_hashes)
    manifest_path = content_dir / MANIFEST
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest_bytes:
        write_atomic(manifest_path, manifest_bytes)

    counts = plan.counts
    result = IngestResult(
        diagnostics=tuple(diagnostics), summary="",
        dumps_read=len(dumps) - skipped, dumps_skipped=skipped, articles_found=len(articles),
        exact_duplicates=deduped.exact, near_duplicates=deduped.near,
        created=counts.created, updated=counts.updated, unchanged=counts.unchanged,
        kept_edited=counts.kept_edited, kept_deleted=counts.kept_deleted,
        layouts=tuple((layout, sum(a.layout == layout for a in articles)) for layout in LAYOUTS),
        interviews=sum(any(b.kind == "question" for b in a.blocks) for a in articles),
        merges=tuple(plan.merges))
    return _with_summary(result)


def dump_files(seeds_dir: Path) -> list[Path]:
    return sorted(path for path in seeds_dir.glob("*.txt")
                  if path.is_file() and not path.name.startswith("."))


_Parsed = tuple["list[RawArticle] | None", "list[Diagnostic]", "str | None"]


def _read_and_parse(path: Path, titles: frozenset[str] = frozenset()) -> _Parsed:
    """The articles of one dump (None when it cannot be read), what was wrong with it,
    and the SHA-256 of its bytes (None when it could not be read)."""
    data, unread = dump_bytes(path)
    if data is None:
        return None, unread, None
    text, found = decode_dump(data, path.name)
    if text is None:
        return None, list(found), sha256(data)
    parsed, problems = parse_dump(text, path.name, titles)
    return list(parsed), [*found, *problems], sha256(data)


def _split_at_foreign_titles(dumps: Sequence[Path], parsed: list[_Parsed]) -> list[_Parsed]:
    """The net across dumps: a dump whose bodies hold the title of an article found in
    another dump is parsed again knowing every title, so that an article glued into
    a body there is split off (or reported) as parse_dump does within one dump."""
    titles = {article.title for found, _, _ in parsed for article in found or ()
              if len(article.title.split()) >= TITLE_CHECK_WORDS}
    again = []
    for position, (found, _, _) in enumerate(parsed):
        own = {article.title for article in found or ()}
        if any(text in titles and text not in own for article in found or ()
               for block in article.blocks for text in (block.items or (block.text,))):
            again.append(position)
    if not again:
        return parsed
    known = frozenset(titles)
    result = list(parsed)
    for position in again:
        result[position] = _read_and_parse(dumps[position], known)
    return result


def _apart_warning(pair: Apart) -> Diagnostic:
    first, second = pair.first, pair.second
    return Diagnostic(
        f"{second.title!r} shares most of its text (similarity {pair.similarity:.2f}) with "
        f"{first.title!r} ({first.source}:{first.line}) but neither its title nor its opening: "
        "both were kept; if one holds the other glued to it, fix the dump", second.source, second.line)


class _Mapper:
    """dedupe's Mapper: workers.parallel_map, its progress reported as ingest's."""

    def __init__(self, jobs: int, progress: Callable[[str, int, int], None] | None):
        self.jobs, self.progress = jobs, progress

    def __call__(self, function: Callable, items: Sequence, stage: str) -> list:
        return parallel_map(function, items, self.jobs, {},
                            progress=_StageProgress(self.progress, stage, len(items)))


class _StageProgress:
    """A report.Progress that passes what it is told on as progress(stage, done, total)."""

    def __init__(self, progress: Callable[[str, int, int], None] | None, stage: str, total: int):
        self.progress, self.stage, self.total, self.done = progress, stage, total, 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.progress:
            self.progress(self.stage, self.done, self.total)

    def close(self) -> None:
        pass


def _with_summary(result: IngestResult) -> IngestResult:
    layouts = ", ".join(f"{count} in the {LAYOUT_NAMES.get(layout, layout)}"
                        for layout, count in result.layouts if count)
    if result.interviews:
        layouts += f"; {result.interviews} interview(s)"
    warnings = len(result.diagnostics)
    summary = (f"ingest: {result.dumps_read} dump(s) read, {result.dumps_skipped} skipped; "
               f"{result.articles_found} article(s) found ({layouts or 'none'}); "
               f"{warnings} warning(s){' (listed above)' if warnings else ''}; "
               f"{result.exact_duplicates} exact and "
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
        data = self._front_matter(slug)
        value = data.get("id") if data else None
        return value if isinstance(value, str) else slug

    def _front_matter(self, slug: str) -> dict | None:
        try:
            return split_front_matter(self.bytes_of(slug).decode("utf-8"), str(self.files[slug])).data
        except (BuildError, UnicodeDecodeError):
            return None

    def not_duplicates(self) -> dict[str, tuple[str, ...]]:
        """id -> what its file's `not_duplicate_of` names (ids or title slugs), for dedupe.
        Only an editor writes the key, so only files holding its name are parsed."""
        found: dict[str, tuple[str, ...]] = {}
        for slug in self.files:
            if b"not_duplicate_of" not in self.bytes_of(slug):
                continue
            data = self._front_matter(slug) or {}
            names = data.get("not_duplicate_of")
            names = [names] if isinstance(names, str) else names
            if isinstance(names, list):
                story_id = data.get("id") if isinstance(data.get("id"), str) else slug
                found[story_id] = tuple(str(name) for name in names) + found.get(story_id, ())
        return found


def _plan(stories: Iterable[Story], state: _ContentState) -> _Plan:
    plan = _Plan(manifest=dict(state.manifest))
    taken = set(state.files) | state.tracked_slugs
    for story in stories:
        known = next((story_id for story_id in story.ids
                      if story_id in state.manifest or story_id in state.file_ids()), None)
        written = len(plan.writes)
        if known is None:
            slug = unique_slug(story.article.title, taken)
            taken.add(slug)
            _put(plan, state.folder, story.ids[0], slug, _render(story, story.ids[0], slug, story.sources))
            plan.counts.created += 1
        elif known in state.manifest:
            _refresh(plan, state, story, known)
        else:
            _adopt(plan, state, story, known)
        if len(plan.writes) > written:
            slug = plan.manifest[known or story.ids[0]].slug
            plan.merges.extend(_merge_line(merge, slug) for merge in story.merges)
    return plan


def _render(story: Story, story_id: str, slug: str, sources: Iterable[str]) -> str:
    return render_article(story.article, id=story_id, slug=slug, sources=sources,
                          merged=[merge.record() for merge in story.merges])


def _merge_line(merge: Merge, slug: str) -> str:
    return (f"merged: {merge.source}:{merge.line} {merge.title!r} into {slug} (similarity "
            f"{merge.similarity:.2f}); if they are different stories, add `not_duplicate_of: "
            f"[{merge.id}]` to {slug}.md and run ingest again")


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
    text = _render(story, story_id, slug, set(story.sources) | set(written.sources))
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
    text = _render(story, story_id, slug, story.sources)
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
    base = title_slug(title)
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
    return _read_manifest_data(path)[0]


def _read_manifest_data(path: Path) -> tuple[dict[str, _Tracked], dict[str, str] | None]:
    """The tracked articles, and the dumps the manifest was made from (name -> SHA-256;
    None when it does not say: a manifest written before version 2)."""
    if not path.exists():
        return {}, None
    fix = ("delete it and run ingest again: existing articles are then kept as they are "
           "and taken back when unedited")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles = {story_id: _Tracked(str(entry["slug"]), str(entry["sha256"]))
                    for story_id, entry in data["articles"].items()}
        dumps = data.get("dumps")
        return articles, ({str(name): str(digest) for name, digest in dumps.items()}
                          if isinstance(dumps, dict) else None)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BuildError(f"the ingest manifest is damaged ({error}); {fix}.", str(path)) from None


def _manifest_bytes(manifest: dict[str, _Tracked], dumps: dict[str, str]) -> bytes:
    data = {"version": MANIFEST_VERSION,
            "articles": {story_id: {"slug": tracked.slug, "sha256": tracked.sha256}
                         for story_id, tracked in manifest.items()},
            "dumps": dict(sorted(dumps.items()))}
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def stale_dumps(seeds_dir: Path, content_dir: Path) -> list[str]:
    """The dumps in seeds/ that content/ was not ingested from as they are now (new or
    changed since the last ingest): what `check` and `build --strict` report."""
    manifest = content_dir / MANIFEST
    if not seeds_dir.is_dir() or not manifest.exists():
        return []       # content/ written by hand, not by ingest: nothing to compare
    _, ingested = _read_manifest_data(manifest)
    stale = []
    for path in dump_files(seeds_dir):
        try:
            digest = sha256(path.read_bytes())
        except OSError:
            continue
        if ingested is None or ingested.get(path.name) != digest:
            stale.append(path.name)
    return stale
