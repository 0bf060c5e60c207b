"""Prepared articles -> Site: ordering, country and topic groupings, related articles.

Everything here is pure. Grouping goes through inverted indexes (code -> slugs),
and related articles through a sparse term index, so the work grows with the
number of articles, not with the number of pairs.
"""
from __future__ import annotations

import bisect
import datetime as dt
from array import array
import hashlib
import itertools
import operator
import zlib
import re
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

from .actors import Actors, group_entities
from .briefs import news_sentence
from .dates import dates_in
from .events import events_in
from .markup import Rendered, reading_minutes, summarise
from .model import FALLBACK_DATE  # noqa: F401  (re-exported: the site's notion of "undated")
from .model import (Article, Classification, Count, Country,
                    CountryGroup, Entry, Site, SiteConfig, Terms, Topic, TopicGroup)

@dataclass(frozen=True)
class Prepared:
    """The per-article work of a build, done once per content hash (and in parallel):
    the Entry without its links to other articles, and the terms for related articles."""

    entry: Entry
    terms: Terms = field(compare=False)


def prepare_entry(article: Article, classification: Classification, rendered: Rendered,
                  entities: tuple = ()) -> Prepared:
    """entities: the people and organisations it names (entities.extract_entities)."""
    # Warnings about the file travel beside this, in cache.Cached.
    return Prepared(entry=make_entry(article, classification, rendered, entities), terms=term_vector(rendered.text))


# --- dates ------------------------------------------------------------------

def infer_updated(article: Article, text: str) -> dt.date:
    """The article's own date, else the latest full date its caption or text names.

    An article is never older than the newest event it reports, so for undated
    dumps this is the best reproducible stand-in for feeds and ordering.
    """
    if article.date:
        return article.date
    found = dates_in(f"{article.caption or ''}\n{text}")
    return max(found) if found else FALLBACK_DATE


# --- entries ----------------------------------------------------------------

def make_entry(article: Article, classification: Classification, rendered: Rendered,
               entities: tuple = ()) -> Entry:
    summary = article.summary or summarise(rendered.lead or rendered.text)
    return Entry(
        entities=entities,
        news=news_sentence(article.summary, rendered.paragraphs),
        events=events_in(rendered.paragraphs, article.date, article.caption),
        # The markdown is rendered now; dropping it halves what a large site holds in memory.
        article=replace(article, body=""),
        classification=classification,
        html=rendered.html,
        words=rendered.words,
        headings=rendered.headings,
        summary=summary,
        reading_minutes=reading_minutes(rendered.words),
        updated=infer_updated(article, rendered.text),
        url=f"/articles/{article.slug}/",
    )


def newest_first(entry: Entry) -> tuple:
    return (-entry.updated.toordinal(), entry.article.title.casefold(), entry.article.slug)


def assemble_site(config: SiteConfig, prepared: Iterable[Prepared],
                  country: Callable[[str], Country], topics: Sequence[Topic],
                  related_memo: dict | None = None, entry_memo: dict | None = None,
                  group_memo: dict | None = None, min_articles: int = 2) -> Site:
    """Everything a page needs, gathered before any page is rendered.

    Every page lists or links others (related articles, country counts,
    previous/next), so all of it is computed here first, once. related_memo:
    see related_articles (the incremental builder keeps one between builds).
    entry_memo (serve keeps one): the placed Entry of each article, reused while
    the article and its links are unchanged, so later stages can tell an
    unchanged article by identity. group_memo (serve keeps one): see group_countries;
    it also keeps this call's lists, from which the next call makes its site when an
    edit allows (_reassemble). min_articles: how many articles must name a person or
    organisation for it to have a page (actors.group_entities).
    """
    prepared = list(prepared)
    if group_memo is not None:
        site = _reassemble(config, prepared, country, topics, related_memo, entry_memo, group_memo, min_articles)
        if site is not None:
            return site
    # Sort keys are kept by serve (in group_memo) for the very Entry they were made from.
    known_keys = group_memo.get("sort_keys", {}) if group_memo is not None else {}
    keyed = []
    for p in prepared:
        entry = p.entry
        if not entry.article.draft:
            found = known_keys.get(entry.article.slug)
            keyed.append((found[1] if found is not None and found[0] is entry else newest_first(entry),
                          entry, p.terms))
    keyed.sort(key=operator.itemgetter(0))    # keys end with the slug: no two are equal
    entries = [entry for _, entry, _ in keyed]
    related = related_articles(entries, [terms for _, _, terms in keyed], related_memo)
    slugs = [key[2] for key, _, _ in keyed]
    if group_memo is not None:
        group_memo["sort_keys"] = {key[2]: (entry, key) for key, entry, _ in keyed}
    known = entry_memo if entry_memo is not None else {}
    placed = {}
    for i, entry in enumerate(entries):
        links = (related[i], slugs[i + 1] if i + 1 < len(slugs) else None, slugs[i - 1] if i > 0 else None)
        found = known.get(slugs[i])
        if found is None or found[0] is not entry or found[1] != links:
            found = (entry, links, replace(entry, related=links[0], previous=links[1], next=links[2]))
        placed[slugs[i]] = found
        entries[i] = found[2]
    if entry_memo is not None:
        entry_memo.clear()
        entry_memo.update(placed)
    by_slug = {entry.article.slug: entry for entry in entries}
    countries, topic_groups = _grouped(entries, slugs, country, topics, group_memo)
    actors = group_entities(entries, min_articles, None if group_memo is None else group_memo.setdefault("entities", {}))
    site = _site(config, entries, countries, topic_groups, max((e.updated for e in entries), default=FALLBACK_DATE),
                 by_slug, actors)
    if group_memo is not None:
        group_memo["last"] = {
            "inputs": (config, country, topics, min_articles), "prepared": prepared, "site": site, "slugs": slugs,
            "keys": [key for key, _, _ in keyed], "unplaced": [entry for _, entry, _ in keyed],
            "terms": [terms for _, _, terms in keyed], "related": related,
            "where": {slug: i for i, slug in enumerate(slugs)}}
    return site


def _site(config: SiteConfig, entries: Sequence[Entry], countries: tuple[CountryGroup, ...],
          topic_groups: tuple[TopicGroup, ...], updated: dt.date, by_slug: dict[str, Entry], actors: Actors) -> Site:
    return Site(config=config, entries=tuple(entries), countries=countries, topics=topic_groups, updated=updated,
                by_slug=by_slug, people=actors.people, organisations=actors.organisations, actors=actors.panels)


def _reassemble(config: SiteConfig, prepared: list[Prepared], country: Callable[[str], Country],
                topics: Sequence[Topic], related_memo: dict | None, entry_memo: dict | None,
                group_memo: dict, min_articles: int) -> Site | None:
    """assemble_site's answer made from the last one (kept in group_memo) when the only
    articles that changed kept their slugs and their being published, and at most one
    of them moved in the order (a title or date edit in serve). None when that is not so.

    Only the changed articles, the neighbours a moved one left and joined and those
    whose related articles changed are placed again; the groups are the last ones while
    no classification changed, with a moved article's own groups put in the new order.
    Going over every article for each was 15-40 ms of each one-article edit at 4,000
    articles."""
    last = group_memo.get("last")
    if last is None or last["inputs"] != (config, country, topics, min_articles) \
            or len(last["prepared"]) != len(prepared):
        return None
    old_prepared, where, keys = last["prepared"], last["where"], last["keys"]
    changed = list(itertools.compress(range(len(prepared)), map(operator.is_not, prepared, old_prepared)))
    in_place, movers = [], []      # (position in the order, sort key, new prepared, old prepared)
    for j in changed:
        new, old = prepared[j].entry, old_prepared[j].entry
        if new.article.slug != old.article.slug or new.article.draft or old.article.draft:
            return None
        i, key = where[new.article.slug], newest_first(new)
        fits = (i == 0 or keys[i - 1] < key) and (i + 1 == len(keys) or key < keys[i + 1])
        (in_place if fits else movers).append((i, key, prepared[j], old_prepared[j]))
    if len(movers) > 1 or (movers and movers[0][2].entry.classification != movers[0][3].entry.classification):
        return None
    site = last["site"]
    keys, unplaced, terms, slugs = list(keys), list(last["unplaced"]), list(last["terms"]), list(last["slugs"])
    entries, old_related = list(site.entries), list(last["related"])
    for i, key, new, _ in in_place:
        keys[i], unplaced[i], terms[i] = key, new.entry, new.terms
    again = {i for i, _, _, _ in in_place}
    if movers:
        i, key, new, _ = movers[0]
        columns = (keys, unplaced, terms, slugs, entries, old_related)
        taken = [column.pop(i) for column in columns]
        b = bisect.bisect_left(keys, key)
        for column, value in zip(columns, (key, new.entry, new.terms, *taken[3:])):
            column.insert(b, value)
        low, high = min(i, b), max(i, b)
        where = dict(where)
        for position in range(low, high + 1):
            where[slugs[position]] = position
        # Its old and new neighbours and every article between have other neighbours now.
        again.update(range(max(0, low - 1), min(len(slugs), high + 2)))
    related = related_articles(unplaced, terms, related_memo)
    again.update(itertools.compress(range(len(related)), map(operator.ne, related, old_related)))
    by_slug = dict(site.by_slug)
    known = entry_memo if entry_memo is not None else {}
    sort_keys = group_memo.setdefault("sort_keys", {})
    for i in sorted(again):
        entry, slug = unplaced[i], slugs[i]
        links = (related[i], slugs[i + 1] if i + 1 < len(slugs) else None, slugs[i - 1] if i > 0 else None)
        found = known.get(slug)
        if found is None or found[0] is not entry or found[1] != links:
            found = (entry, links, replace(entry, related=links[0], previous=links[1], next=links[2]))
        known[slug] = found
        entries[i] = by_slug[slug] = found[2]
        sort_keys[slug] = (entry, keys[i])
    if any(new.entry.classification != old.entry.classification for _, _, new, old in in_place):
        countries, topic_groups = _grouped(entries, slugs, country, topics, group_memo)
    elif movers:
        countries, topic_groups = _regroup(site, movers[0][2].entry, where)
    else:
        countries, topic_groups = site.countries, site.topics
    if all(new.entry.updated == old.entry.updated for _, _, new, old in in_place + movers):
        updated = site.updated
    else:
        updated = max((e.updated for e in entries), default=FALLBACK_DATE)
    if movers or any(new.entry.entities != old.entry.entities or new.entry.classification != old.entry.classification
                     for _, _, new, old in in_place):
        actors = group_entities(entries, min_articles, group_memo.setdefault("entities", {}),
                                moved=[mover[2].entry.article.slug for mover in movers])
    else:
        actors = Actors(site.people, site.organisations, site.actors)
    site = _site(config, entries, countries, topic_groups, updated, by_slug, actors)
    last.update(prepared=prepared, site=site, keys=keys, unplaced=unplaced, terms=terms, related=related,
                slugs=slugs, where=where)
    return site


def _grouped(entries: Sequence[Entry], slugs: list[str], country: Callable[[str], Country],
             topics: Sequence[Topic], group_memo: dict | None
             ) -> tuple[tuple[CountryGroup, ...], tuple[TopicGroup, ...]]:
    """The country and topic groups of the placed entries (whose slugs are given).

    Groups hold slugs and counts: the same articles in the same order with the same
    classifications make the very same groups (a title or body edit changes neither).
    Lists compare item by item with an identity check first, so this costs little."""
    made_of = (slugs, [entry.classification for entry in entries], country, topics)
    if group_memo is not None and group_memo.get("made_of") == made_of:
        return group_memo["groups"]
    countries = group_countries(entries, country, None if group_memo is None else group_memo.setdefault("countries", {}))
    topic_groups = group_topics(entries, topics, None if group_memo is None else group_memo.setdefault("topics", {}))
    if group_memo is not None:
        group_memo.update(made_of=made_of, groups=(countries, topic_groups))
    return countries, topic_groups


def _regroup(site: Site, moved: Entry, where: dict[str, int]
             ) -> tuple[tuple[CountryGroup, ...], tuple[TopicGroup, ...]]:
    """The site's groups with an article that moved in the order (and kept its
    classification) put in its new place in the lists of the groups it is in.

    group_countries' and group_topics' memos need nothing: they are keyed on each
    group's list in order, so the next full assembly finds these groups changed."""
    slug, c = moved.article.slug, moved.classification

    def reordered(listed: tuple[str, ...]) -> tuple[str, ...]:
        if slug not in listed:
            return listed
        others = [s for s in listed if s != slug]
        at = bisect.bisect_left([where[s] for s in others], where[slug])
        return tuple(others[:at] + [slug] + others[at:])

    codes = {*c.countries, *c.countries_mentioned}
    countries = tuple(replace(g, about=reordered(g.about), mentioned=reordered(g.mentioned))
                      if g.country.code in codes else g for g in site.countries)
    topic_groups = tuple(replace(g, articles=reordered(g.articles)) if g.topic.slug in c.topics else g
                         for g in site.topics)
    return countries, topic_groups


def _ranked(counter: Counter) -> tuple[Count, ...]:
    return tuple(Count(key, n) for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def group_countries(entries: Sequence[Entry], country: Callable[[str], Country],
                    memo: dict | None = None) -> tuple[CountryGroup, ...]:
    """Every country's group. memo (kept between builds by serve): the groups of the last
    build, reused for each country whose articles, in the same order and with the same
    classifications, are the same: counting is most of the cost, and an edit touches few."""
    about: dict[str, list[Entry]] = defaultdict(list)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for entry in entries:  # already newest first, so every list is too
        for code in entry.classification.countries:
            about[code].append(entry)
        for code in entry.classification.countries_mentioned:
            mentioned[code].append(entry.article.slug)
    previous = dict(memo) if memo is not None else {}
    groups = []
    for code in set(about) | set(mentioned):
        members = about.get(code, [])
        info = country(code)
        key = (info, tuple([e.article.slug for e in members]), tuple(mentioned.get(code, ())),
               tuple([e.classification for e in members]))
        found = previous.get(code)
        if found is None or found[0] != key:
            topic_counts = Counter(t for e in members for t in e.classification.topics)
            neighbour_counts = Counter(c for e in members for c in e.classification.countries if c != code)
            found = (key, CountryGroup(
                country=info, url=f"/countries/{info.slug}/", about=key[1], mentioned=key[2],
                topics=_ranked(topic_counts), neighbours=_ranked(neighbour_counts)))
        groups.append((code, found))
    if memo is not None:
        memo.clear()
        memo.update(groups)
    return tuple(sorted((group for _, (_, group) in groups),
                        key=lambda g: (g.country.name.casefold(), g.country.code)))


def group_topics(entries: Sequence[Entry], topics: Sequence[Topic],
                 memo: dict | None = None) -> tuple[TopicGroup, ...]:
    """Every topic's group; memo as for group_countries."""
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for slug in entry.classification.topics:
            members[slug].append(entry)
    previous = dict(memo) if memo is not None else {}
    groups = []
    for topic in topics:
        found_members = members.get(topic.slug, ())
        key = (topic, tuple([e.article.slug for e in found_members]),
               tuple([e.classification for e in found_members]))
        found = previous.get(topic.slug)
        if found is None or found[0] != key:
            found = (key, TopicGroup(topic=topic, url=f"/topics/{topic.slug}/", articles=key[1],
                                     countries=_ranked(Counter(c for e in found_members
                                                               for c in e.classification.countries))))
        groups.append((topic.slug, found))
    if memo is not None:
        memo.clear()
        memo.update(groups)
    return tuple(group for _, (_, group) in groups)


# --- related articles -------------------------------------------------------

# Runs of three or more letters: short words never count, and a simple class is the
# fastest pattern to scan ("al-Sudani" gives "sudani", "country's" gives "country").
_WORD = re.compile(r"[^\W\d_]{3,}")
_STOPWORDS = frozenset("""
a about above after again against all also although am among an and any are as at be because been
before being below between both but by can could did do does doing down during each either few for
from further had has have having he her here hers herself him himself his how however i if in into is
it its itself just least less many may me might more most much must my myself neither no nor not now
of off often on once one only or other our ours ourselves out over own per rather said same says
several she should since so some such than that the their theirs them themselves then there these
they this those though through thus to too two under until up upon us very was we were what when
where whether which while who whom whose why will with within without would yet you your yours
year years new first last time told according including people since back made make well still
""".split())
def term_counts(text: str) -> dict[str, int]:
    """Content words of an article body, for related-article scoring.

    The title is left out: it restates the body, and keeping it out means a
    retitled article keeps its related articles, so a title edit is cheap to rebuild.

    The words are words(text.lower()) less the stopwords, in order of first use. On
    text that is ASCII (once its quotes and dashes are spaces, 90% of bodies) every
    character but a letter becomes a space in one str.translate, split() cuts the
    words, and the words of one or two letters go with the stopwords, after counting:
    0.15 ms a body instead of 0.18 with the regex."""
    # The quotes and dashes go before lower-casing (the same either way: none is a
    # letter), and _LETTERS_ONLY lower-cases ASCII itself: no lower() of most bodies.
    spaced = text if text.isascii() else _spaced_punctuation(text)
    lower = spaced if spaced.isascii() else spaced.lower()
    if lower.isascii():
        counts = Counter(lower.translate(_LETTERS_ONLY).split())
        dropped = _SHORT_OR_STOPWORDS
    else:
        counts = Counter(_WORD.findall(lower))
        dropped = _STOPWORDS
    pop = counts.pop    # dict's, in C: Counter's own __delitem__ is Python (50 words a body)
    for word in dropped.intersection(counts):
        pop(word)
    return counts


_ASCII_WORD = re.compile(r"[a-z]{3,}")
# Quotes and dashes are not letters: as spaces they leave the words as they were,
# and most English text is then plain ASCII.
_PUNCTUATION = ("\u201c", "\u201d", "\u2019", "\u2018", "\u2014", "\u2013", "\u2026", "\u00a0")


def words(lower: str) -> list[str]:
    """The runs of three or more letters in a lower-cased text (_WORD's matches).

    On ASCII text the Unicode letter class and [a-z] agree, and Python's regex
    engine scans for [a-z] twice as fast."""
    if not lower.isascii():
        lower = _spaced_punctuation(lower)
        if not lower.isascii():
            return _WORD.findall(lower)
    return _ASCII_WORD.findall(lower)


def _spaced_punctuation(text: str) -> str:
    for character in _PUNCTUATION:
        if character in text:
            text = text.replace(character, " ")
    return text


# ASCII letters to lower case, every other ASCII character to a space.
_LETTERS_ONLY = str.maketrans({chr(code): chr(code).lower() if chr(code).isalpha() else " " for code in range(128)})
_SHORT_OR_STOPWORDS = _STOPWORDS | frozenset(first + second for first in string.ascii_lowercase
                                             for second in ("", *string.ascii_lowercase))


def term_id(word: str) -> int:
    """A stable 64-bit id: two CRC-32s with different seeds (never hash(), which varies per run)."""
    data = word.encode("utf-8")
    return (zlib.crc32(data) << 32) | zlib.crc32(data, 0x9E3779B9)


# word -> term_id(word) for this process: a body has some 400 distinct words, nearly
# all of them seen in earlier bodies, and a look-up costs a fraction of two CRCs.
_TERM_IDS: dict[str, int] = {}


def term_vector(text: str) -> Terms:
    counts = term_counts(text)
    ids = _TERM_IDS
    if len(ids) > 500_000:   # a bound on a long-running process's vocabulary
        ids.clear()
    if not counts.keys() <= ids.keys():     # a test in C; mostly every word is known
        for word in counts:
            if word not in ids:
                ids[word] = term_id(word)
    pairs = sorted(zip(map(ids.__getitem__, counts), counts.values()))
    id_bytes = array("Q", [i for i, _ in pairs]).tobytes()
    count_bytes = array("I", [c for _, c in pairs]).tobytes()
    return Terms(id_bytes, count_bytes,
                 hashlib.blake2b(id_bytes + count_bytes, digest_size=16).digest())


def related_articles(entries: Sequence[Entry], terms: Sequence[Terms],
                     memo: dict | None = None) -> list[tuple[str, ...]]:
    """3-5 related slugs per entry: text similarity plus shared countries and topics.

    Candidates come from an inverted index of each article's distinctive terms
    (so only articles sharing a term meet), CHUNK rows at a time to bound
    memory; the CANDIDATES most similar are rescored with shared countries and
    topics. An article with too few text neighbours is topped up from the
    articles sharing its main country or topic.

    The text candidates depend only on the articles' terms, so they are worked
    out in slug order and kept in `memo` (when given) under a key of every slug
    and terms digest: a build where no body changed reuses them exactly, and
    one where no classification changed either reuses the whole answer.
    """
    n = len(entries)
    if n < 2:
        return [()] * n
    # The last call's entries and terms, position by position: when every one that is not
    # the very same object has the same slug, classification and terms (a title edit), the
    # answer is the last one. Found in C, where the checks below go over every article
    # (5 ms of each one-article rebuild at 4,000 articles).
    last = memo.get("last") if memo is not None else None
    if last is not None and _same_inputs(last[0], last[1], entries, terms):
        return list(last[2])
    result = _related_articles(entries, terms, memo)
    if memo is not None:
        memo["last"] = (list(entries), list(terms), result)
    return list(result)


def _same_inputs(old_entries: Sequence[Entry], old_terms: Sequence[Terms],
                 entries: Sequence[Entry], terms: Sequence[Terms]) -> bool:
    if len(old_entries) != len(entries) or len(old_terms) != len(terms):
        return False
    for i in itertools.compress(itertools.count(), map(operator.is_not, entries, old_entries)):
        if entries[i].article.slug != old_entries[i].article.slug \
                or entries[i].classification != old_entries[i].classification:
            return False
    return all(terms[i].digest == old_terms[i].digest
               for i in itertools.compress(itertools.count(), map(operator.is_not, terms, old_terms)))


def _related_articles(entries: Sequence[Entry], terms: Sequence[Terms],
                      memo: dict | None) -> list[tuple[str, ...]]:
    n = len(entries)
    slugs = [e.article.slug for e in entries]
    order_key = hashlib.blake2b("\0".join(slugs).encode(), digest_size=16).digest()
    # What the answer depends on, by slug, compared by identity first: in serve, nearly
    # every article's terms and classification are the very objects of the last build.
    # By slug, so that an edit moving one article (a new title or date) finds it too.
    inputs = dict(zip(slugs, zip([t.digest for t in terms], [e.classification for e in entries])))
    saved = memo.get("result") if memo is not None else None
    if saved and memo.get("inputs") == inputs and saved[1] in (None, order_key):  # type: ignore[union-attr]
        return [saved[2][slug] for slug in slugs]
    canonical = sorted(range(n), key=slugs.__getitem__)
    key = hashlib.blake2b(b"".join(slugs[i].encode() + b"\0" + terms[i].digest for i in canonical),
                          digest_size=16).digest()
    if memo is not None and memo.get("key") == key:
        candidates = memo["candidates"]
    else:
        from .related import text_candidates

        candidates = text_candidates([terms[i] for i in canonical])
        if memo is not None:
            memo.clear()
            memo.update(key=key, candidates=candidates)
    # With the same candidates and classifications the answer is the same; the
    # entries' order matters only when some article had to be topped up.
    shapes = "\n".join([f"{slugs[i]}\0{' '.join(c.countries)}\0{' '.join(c.topics)}\0"
                         f"{' '.join(c.countries_mentioned)}"
                         for i in canonical for c in (entries[i].classification,)])
    shapes_key = hashlib.blake2b(shapes.encode(), digest_size=16).digest()
    saved = memo.get("result") if memo is not None else None
    if saved and saved[0] == shapes_key and saved[1] in (None, order_key):
        memo["inputs"] = inputs  # type: ignore[index]
        return [saved[2][slug] for slug in slugs]
    from .related import rescore

    result, topped_up = rescore(entries, slugs, canonical, candidates)
    if memo is not None:
        memo["result"] = (shapes_key, order_key if topped_up else None, dict(zip(slugs, result)))
        memo["inputs"] = inputs
    return result
