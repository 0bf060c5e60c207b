"""The country gazetteer: every ISO 3166-1 country, the names that point to it,
and a single-pass scan of an article's words for them.

Where names come from (maintained data first, a small project file second):
- pycountry: codes and the ISO names;
- countryinfo: alternative spellings, demonyms, capitals and provinces;
- content/country-aliases.yaml: what that data lacks or gets wrong.

Every name is tokenised like article text and stored in one dict keyed by its
word tuple. Scanning an article is then one pass over its tokens: a token that
starts some name is tried with that name's lengths, longest first, so "South
Sudan" wins over "Sudan" and "Papua New Guinea" over "Guinea". Matching is
case-sensitive ("turkey" is not Turkey) and on whole tokens.

Names have a strength. Country names, official names, alternative spellings,
demonyms, aliases and the capitals of countries of a million people or more
are *strong*: they count on their own. Provinces and the capitals of small
territories are *weak*: countryinfo's lists are noisy ("Central", "Gulf",
"Bari", "Batman"), so they only add weight to a country the article also
names strongly. Cities and regions of the aliases file count on their own but
weigh half ("a match in Dubai" says where, not who).

Scores weigh each mention by where it is (title 4, caption 2, headings and the
three lead paragraphs 1.5, body 1) and add up over the article. The article is
about its top country (when that scores 3 or more) and up to three more named
in the title or caption that score a quarter of the top, or nearly tie with it;
every other country found is only mentioned.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
import itertools
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml
from slugify import slugify

from .model import BuildError, Country

# --- text -------------------------------------------------------------------

# Tokens are words and the punctuation that may sit inside a name
# ("Guinea-Bissau", "U.S.") or must stop one ("Atlanta, Georgia" is not
# "Atlanta Georgia"). Tokenising is the costliest step of classifying, so it
# is done with str.replace and str.split (C speed, several times faster than a
# regular expression): punctuation is spaced out, quotes and symbols become
# spaces, a possessive "'s" goes.
_PUNCTUATION = "-.,;:!?()"
_SPACES = "\"“”‘—–…/\\[]{}*<>«»|=+~^`#&$%@"
SEPARATOR = "\x00"         # between passages: no name spans it
MARKS = "\x01\x02"          # may open a passage, kept as its first token (see classify.py)
_CONTROL = re.compile("[" + SEPARATOR + MARKS + "]")


def tokenize(text: str) -> list[str]:
    """Split text into word and punctuation tokens; possessive 's is dropped."""
    text = text.replace("\u2019", "'")
    for character in _SPACES:
        if character in text:
            text = text.replace(character, " ")
    for character in _PUNCTUATION:
        if character in text:
            text = text.replace(character, f" {character} ")
    if "'" in text:
        text = (text + " ").replace("'s ", " ").replace(" '", " ").replace("' ", " ")
    return text.split()


def clean(text: str) -> str:
    """Text without the control characters that mark passages."""
    if SEPARATOR in text or MARKS[0] in text or MARKS[1] in text:    # `in` is fast
        return _CONTROL.sub(" ", text)
    return text


def split_passages(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Tokens of passages joined by " SEPARATOR ", and where each passage starts.

    A whole article is tokenised in one call, and the separators are found
    with tuple.index (a C-level scan)."""
    tokens = tuple(tokenize(text))
    starts = [0]
    try:
        while True:
            starts.append(tokens.index(SEPARATOR, starts[-1]) + 1)
    except ValueError:
        pass
    return tokens, tuple(starts)


def occurrences(tokens: Sequence[str], wanted: frozenset[str] | set[str]) -> list[int]:
    """Positions of the tokens that are in `wanted`, in order.

    map/compress run the membership test per token in C, about twice as fast
    as a comprehension: this pass over every token is the scan's main cost."""
    return list(itertools.compress(itertools.count(), map(wanted.__contains__, tokens)))


def fold(text: str) -> str:
    """The name without diacritics ("Türkiye" -> "Turkiye")."""
    if text.isascii():      # most names: nothing to take off, and no walk over each letter
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- YAML with line numbers -----------------------------------------------------

class LinedDict(dict):
    """A YAML mapping that remembers its line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict


class LinedList(list):
    """A YAML sequence that remembers its line and each item's line (1-based)."""

    line: int = 0
    item_lines: list


# libyaml's parser when PyYAML has it: the pure-Python one took most of the 0.2 s a
# build spends reading topics.yaml and country-aliases.yaml. Both give nodes with lines.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    path: str | None = None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise BuildError("a key must be a plain value", loader.path, line)
        if key in result:
            raise BuildError(f"duplicate key {key!r}", loader.path, line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(text: str, path: str) -> Any:
    """Parse YAML safely; mappings and sequences carry their line numbers.

    Syntax errors and duplicate keys become a BuildError naming the line.
    """
    loader = _LineLoader(text)
    loader.path = path
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise BuildError(f"invalid YAML: {problem}", path,
                         mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def line_of(container: Any, key: Any = None) -> int | None:
    """The line of a key in a LinedDict, an index in a LinedList, or of the container."""
    if isinstance(container, LinedDict) and key is not None:
        return container.key_lines.get(key, container.line)
    if isinstance(container, LinedList) and key is not None:
        return container.item_lines[key]
    return getattr(container, "line", None)


# --- the gazetteer ----------------------------------------------------------------

@dataclass(frozen=True, eq=False)     # identity: each Name is one lexicon entry
class Name:
    """What a token sequence means: one country, several (ambiguous), or none."""

    text: str                        # the name as written, e.g. "Georgia"
    codes: tuple[str, ...] = ()      # several = ambiguous, resolved per article
    weak: bool = False               # counts only for a country named strongly too
    never: bool = False              # blocks the words it covers ("Michael Jordan")
    place: bool = False              # a city or region: weighs less than the country's name
    seat: bool = False               # a capital or seat of power: the government when it acts,
                                     # a place after a venue word ("talks in Washington")


@dataclass(frozen=True)
class ContextRule:
    """In an article that shows a cue of another meaning (`against`) and none
    of the country (`for_`), `names` of `country` count for `instead` (or not
    at all): "Georgia" next to "Atlanta" is the US state."""

    country: str
    names: frozenset[str]
    against: tuple[tuple[str, ...], ...]
    for_: tuple[tuple[str, ...], ...]
    instead: str | None = None


@dataclass(frozen=True)
class Document:
    """An article's passages (title, caption, headings, paragraphs...), tokenised
    once, as one token tuple, for both countries and topics."""

    tokens: tuple[str, ...]          # all passages, a separator token between two
    starts: tuple[int, ...]          # index of each passage's first token
    kinds: tuple[str, ...]           # "title" | "caption" | "heading" | "lead" | "body" | "item"

    @classmethod
    def of(cls, passages: Sequence[tuple[str, str]]) -> "Document":
        """From (kind, text) pairs."""
        tokens, starts = split_passages(f" {SEPARATOR} ".join(clean(text) for _, text in passages))
        return cls(tokens, starts if passages else (), tuple(kind for kind, _ in passages))

    def kind_at(self, index: int) -> str:
        return self.kinds[bisect.bisect_right(self.starts, index) - 1]

    def passage(self, number: int) -> tuple[str, ...]:
        """The words of a passage (without the separator, or a mark opening it)."""
        start = self.starts[number]
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.tokens)
        if start < end and self.tokens[start] in MARKS:
            start += 1
        return self.tokens[start:end]


# How much a mention weighs by where it is: the title, the caption and the
# opening paragraphs say what an article is about.
COUNTRY_WEIGHTS = {"title": 4.0, "caption": 2.0, "heading": 1.5, "lead": 1.5,
                   "body": 1.0, "item": 1.0}
WEAK_FACTOR = 0.5            # a province or small capital, once confirmed
PLACE_FACTOR = 0.5           # a city or region of the aliases file: where, more than who
STRONG_CAPITAL_POPULATION = 1_000_000
AMBIGUOUS_POPULATION_RATIO = 10   # "Congolese" alone: DR Congo is 10x+ Congo's size
# Chosen by 5-fold cross-validation on the labelled tuning articles (tests/labelled/;
# precision 0.958, recall 0.907 on the articles left out): a country that acts in a
# story (its capital, its government, its people) is named often, though well below
# the story's main country; one named in passing, a few times.
ABOUT_MIN_SCORE = 3.0        # below this, no country stands out
ABOUT_MIN_CO = 6.0           # a further country the article is about scores at least this,
ABOUT_MIN_HEADLINE = 4.0     # ... or this when named in the title or caption
ABOUT_RELATIVE = 0.2         # a co-subject named in the title or caption scores this share of the top
ABOUT_CLOSE = 0.25           # ... any other co-subject this share
_HEADLINE = frozenset({"title", "caption"})
ABOUT_MAX = 4

# Capitalised words that are not names of people, for the person-name rule.
_NOT_NAMES = frozenset("""
A An The In On At To From For With By Of And But Or Nor So Yet As If When While Since
After Before Although Though Because Unlike Like Both Neither Either Meanwhile However
Then Now Today Also Even Only Across Inside Outside Within Into About Against Between
Through Under Over Without Including Where Why How What Which That This These Those
Its Their His Her Our My Your We They He She It I Said Says Neighbouring Neighboring
Northern Southern Eastern Western Central North South East West Rural Upper Lower
King Queen Prince Princess Crown President Prime Minister Kingdom Republic State
Government Emir Sheikh Sultan General Army Foreign Interior Defence Defense Vice
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
May June July August September October November December Mr Mrs Ms Dr
""".split())


@dataclass(frozen=True)
class Gazetteer:
    countries: tuple[Country, ...]                  # every ISO 3166-1 country, by code
    names: Mapping[tuple[str, ...], Name] = field(compare=False, repr=False)
    starts: Mapping[str, tuple[int, ...]] = field(compare=False, repr=False)
    start_words: frozenset[str] = field(compare=False, repr=False)
    longer: Mapping[str, tuple[int, ...]] = field(compare=False, repr=False)  # lengths > 1
    single: Mapping[str, Name] = field(compare=False, repr=False)             # one-word names
    by_code: Mapping[str, Country] = field(compare=False, repr=False)
    lookup: Mapping[str, str] = field(compare=False, repr=False)      # lower-case value -> code
    population: Mapping[str, int] = field(compare=False, repr=False)
    person_names: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    common_words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    contexts: tuple[ContextRule, ...] = field(default=(), compare=False, repr=False)
    venue_words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def country(self, code: str) -> Country:
        return self.by_code[code.upper()]

    def resolve(self, value: str) -> Country | None:
        """A country from an alpha-2/alpha-3 code, a name or a slug, any case."""
        key = value.strip().lower()
        code = self.lookup.get(key) or self.lookup.get(slugify(value))
        return self.by_code[code] if code else None

    # -- scanning --------------------------------------------------------------

    def scan(self, document: Document, trace: dict | None = None) -> "Scan":
        """Every country the document names, with weighted scores. `trace`, when given,
        is filled with code -> [(name as written, passage kind, times, points, note)]."""
        hits: list[tuple[Name, str, bool]] = []     # (name, passage kind, needs confirmation)
        tokens, names, starts = document.tokens, self.names, self.starts
        longer, single = self.longer, self.single
        title_case = {number for number, kind in enumerate(document.kinds)
                      if kind in ("title", "heading") and _title_case(document.passage(number))}
        end = 0
        for i in occurrences(tokens, self.start_words):
            if i < end:
                continue
            token = tokens[i]
            for length in longer.get(token, ()):
                name = names.get(tokens[i:i + length])
                if name is not None:
                    break
            else:
                name, length = single.get(token), 1
                if name is None:
                    continue
            end = i + length
            if name.never:
                continue
            number = bisect.bisect_right(document.starts, i) - 1
            in_title = number in title_case
            if name.text in self.person_names and not in_title \
                    and _beside_a_name(tokens, i, end, starts):
                continue
            confirm = name.weak or (in_title and name.text in self.common_words)
            if name.seat and not name.place and self._venue(tokens, i, end, document.starts[number]):
                name = Name(name.text, name.codes, weak=name.weak, place=True)
            hits.append((name, document.kinds[number], confirm))
        return self._resolve_hits(self._apply_contexts(hits, tokens), trace)

    def _venue(self, tokens: Sequence[str], start: int, end: int, passage: int) -> bool:
        """A seat of power named as where something happens, not as who acts: after a
        venue word ("in Riyadh", "at the White House"), or as a dateline opening a
        paragraph ("BEIRUT, (Reuters) -", "Cairo -")."""
        before = tokens[start - 1].lower() if start > 0 else ""
        if before == "the" and start > 1:
            before = tokens[start - 2].lower()
        if before in self.venue_words:      # "in Riyadh", "In Riyadh, ...", "Meet In Riyadh"
            return True
        return start == passage and end < len(tokens) and tokens[end] in (",", "-", "(", ":")

    def scores(self, document: Document) -> dict[str, float]:
        """Weighted mention scores of every country the document names."""
        return self.scan(document).scores

    def _apply_contexts(self, hits, tokens):
        vocabulary: set[str] | None = None
        named = {name.text for name, _, _ in hits}
        for rule in self.contexts:
            if rule.names.isdisjoint(named):
                continue
            if vocabulary is None:
                vocabulary = set(tokens)
            # A cue is present when all its words are.
            if any(all(word in vocabulary for word in cue) for cue in rule.against) and \
                    not any(all(word in vocabulary for word in cue) for cue in rule.for_):
                kept = []
                for name, kind, confirm in hits:
                    if name.text in rule.names and rule.country in name.codes:
                        if rule.instead is None:
                            continue
                        name = Name(name.text, (rule.instead,), weak=name.weak, place=name.place)
                    kept.append((name, kind, confirm))
                hits = kept
        return hits

    def _resolve_hits(self, hits, trace: dict | None = None) -> "Scan":
        counted = Counter(hits).items()      # the same name recurs: resolve it once
        strong: dict[str, float] = defaultdict(float)
        headline: set[str] = set()
        for (name, kind, confirm), times in counted:
            if len(name.codes) == 1 and not confirm:
                points = times * COUNTRY_WEIGHTS[kind] * (PLACE_FACTOR if name.place else 1.0)
                strong[name.codes[0]] += points
                if trace is not None:
                    trace.setdefault(name.codes[0], []).append((name.text, kind, times, points, _note(name)))
                if kind in _HEADLINE and not name.place:
                    headline.add(name.codes[0])
        scores = dict(strong)
        for (name, kind, confirm), times in counted:
            if len(name.codes) > 1:
                code = self._pick(name.codes, strong)
                if code is None:
                    continue
                if confirm and code not in strong:
                    continue
            elif confirm:
                code = name.codes[0]
                if code not in strong:
                    continue
            else:
                continue
            points = times * COUNTRY_WEIGHTS[kind] * (
                WEAK_FACTOR if name.weak else PLACE_FACTOR if name.place else 1.0)
            scores[code] = scores.get(code, 0.0) + points
            if trace is not None:
                trace.setdefault(code, []).append((name.text, kind, times, points, _note(name)))
            if kind in _HEADLINE and not name.weak and not name.place:
                headline.add(code)
        return Scan(scores, frozenset(headline))

    def _pick(self, codes: tuple[str, ...], strong: Mapping[str, float]) -> str | None:
        """The country an ambiguous name means in this article, if any."""
        support = sorted(((strong.get(code, 0.0), code) for code in codes), reverse=True)
        if support[0][0] > 0:
            return support[0][1] if support[0][0] >= 2 * support[1][0] else None
        sizes = sorted(((self.population.get(code, 0), code) for code in codes), reverse=True)
        if sizes[-1][0] > 0 and sizes[0][0] >= AMBIGUOUS_POPULATION_RATIO * sizes[1][0]:
            return sizes[0][1]
        return None


def _note(name: Name) -> str:
    """How a name counted, for explain: as a place (a city, a region, a group, a seat of
    power named as a venue), as a name that needed confirming, or fully."""
    return "as a place" if name.place else "confirmed by another name" if name.weak else ""


@dataclass(frozen=True)
class Scan:
    scores: dict[str, float]                 # country code -> weighted mentions
    headline: frozenset[str] = frozenset()   # codes named in the title or caption


def focus(scores: Mapping[str, float], headline: Iterable[str] = ()
          ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split scored countries into (about, strongest first) and (only mentioned, sorted).

    An article is about the top country when it scores enough on its own. It
    is also about up to three more that score enough and a fair share of the
    top one (a smaller share when named in the title or caption). When nothing stands
    out (a global health briefing naming countries in passing) it is about none.
    """
    about = tuple(code for code, _, rule in decisions(scores, headline) if rule in ABOUT_RULES)
    mentioned = tuple(sorted(code for code in scores if code not in about))
    return about, mentioned


# Why a country is, or is not, one the article is about (see decisions()).
TOP, CLOSE, HEADLINE, TOO_FEW, TOO_WEAK, FAR = "top", "close", "headline", "too-few", "too-weak", "far"
ABOUT_RULES = frozenset((TOP, CLOSE, HEADLINE))


def decisions(scores: Mapping[str, float], headline: Iterable[str] = ()) -> list[tuple[str, float, str]]:
    """(code, score, rule) for every scored country, strongest first: the rule that
    made it one the article is about (TOP, CLOSE, HEADLINE) or kept it out (TOO_WEAK:
    under ABOUT_MIN_SCORE; FAR: too far below the top; TOO_FEW: ABOUT_MAX reached)."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    headline = frozenset(headline)
    found: list[tuple[str, float, str]] = []
    taken = 0
    top = ranked[0][1] if ranked else 0.0
    for position, (code, score) in enumerate(ranked):
        named = code in headline
        if score < ABOUT_MIN_SCORE or top < ABOUT_MIN_SCORE or (
                position and score < (ABOUT_MIN_HEADLINE if named else ABOUT_MIN_CO)):
            rule = TOO_WEAK
        elif position == 0:
            rule = TOP
        elif score >= ABOUT_CLOSE * top and score >= ABOUT_MIN_CO:
            rule = CLOSE
        elif named and score >= ABOUT_RELATIVE * top:
            rule = HEADLINE
        else:
            rule = FAR
        if rule in ABOUT_RULES:
            if taken == ABOUT_MAX:
                rule = TOO_FEW
            else:
                taken += 1
        found.append((code, score, rule))
    return found


def _title_case(tokens: Sequence[str]) -> bool:
    words = [token for token in tokens if len(token) > 3 and token[0].isalpha()]
    return len(words) >= 2 and sum(word[0].isupper() for word in words) >= 0.6 * len(words)


def _is_name_word(token: str, starts: Mapping[str, Any]) -> bool:
    return (token[0].isupper() and token.isalpha() and token not in _NOT_NAMES
            and token not in starts)


def _beside_a_name(tokens: Sequence[str], start: int, end: int, starts) -> bool:
    """Whether a capitalised personal name sits right before or after the match
    ("Michael Jordan", "Jordan Peterson"); titles like "King" do not count."""
    return ((start > 0 and _is_name_word(tokens[start - 1], starts))
            or (end < len(tokens) and _is_name_word(tokens[end], starts)))


# --- building ------------------------------------------------------------------

@dataclass(frozen=True)
class _Aliases:
    """The parsed country-aliases file."""

    names: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    demonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    province_lists: Mapping[str, str | None] = field(default_factory=dict)
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    person_names: tuple[str, ...] = ()
    common_words: tuple[str, ...] = ()
    contexts: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...],
                          str | None], ...] = ()
    never: tuple[str, ...] = ()
    seats: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    stand_ins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    venue_words: tuple[str, ...] = ()


_US_STATES = "@US-states"
_MAX_TOKENS = 8


def load_gazetteer(aliases_path: Path | None = None) -> Gazetteer:
    """The gazetteer from pycountry + countryinfo, plus the aliases file if given."""
    aliases = _Aliases()
    if aliases_path is not None:
        path = str(aliases_path)
        try:
            text = Path(aliases_path).read_text(encoding="utf-8")
        except OSError as error:
            raise BuildError(f"cannot read country aliases: {error.strerror}", path) from None
        aliases = parse_aliases(text, path)
    return build_gazetteer(aliases)


def _strings(value: Any, path: str, line: int | None, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip()
                                              for item in value):
        raise BuildError(f"{what} must be a list of names", path, line)
    return tuple(item.strip() for item in value)


@functools.lru_cache(maxsize=1)
def _known_codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


def _code(value: Any, path: str, line: int | None) -> str:
    if not isinstance(value, str) or value.upper() not in _known_codes():
        raise BuildError(f"unknown country code {value!r} (use ISO alpha-2, e.g. IQ)", path, line)
    return value.upper()


def _code_map(section: Any, path: str, what: str) -> dict[str, tuple[str, ...]]:
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise BuildError(f"`{what}` must map country codes to lists of names", path,
                         line_of(section))
    return {_code(key, path, line_of(section, key)):
            _strings(value, path, line_of(section, key), f"`{what}` of {key}")
            for key, value in section.items()}


def parse_aliases(text: str, path: str) -> _Aliases:
    """Parse content/country-aliases.yaml; BuildError(path, line) when malformed."""
    data = read_yaml(text, path)
    if data is None:
        return _Aliases()
    if not isinstance(data, dict):
        raise BuildError("expected a mapping of sections (names, aliases, never, ...)", path, 1)
    known = {"names", "aliases", "places", "demonyms", "province_lists", "ambiguous", "person_names",
             "common_words", "contexts", "never", "seats", "stand_ins", "venue_words", "groups"}
    for key in data:
        if key not in known:
            raise BuildError(f"unknown section {key!r}; expected one of {sorted(known)}",
                             path, line_of(data, key))

    names = {}
    for code, value in (data.get("names") or {}).items():
        line = line_of(data["names"], code)
        if not isinstance(value, str) or not value.strip():
            raise BuildError(f"the name of {code} must be text", path, line)
        names[_code(code, path, line)] = value.strip()

    province_lists: dict[str, str | None] = {}
    for code, value in (data.get("province_lists") or {}).items():
        line = line_of(data["province_lists"], code)
        province_lists[_code(code, path, line)] = (
            None if value in (None, "none") else _code(value, path, line))

    ambiguous = {}
    section = data.get("ambiguous") or {}
    for name, codes in section.items():
        line = line_of(section, name)
        codes = _strings(codes, path, line, f"`ambiguous` {name}")
        if len(codes) < 2:
            raise BuildError(f"ambiguous name {name!r} needs two or more countries", path, line)
        ambiguous[str(name)] = tuple(sorted({_code(code, path, line) for code in codes}))

    contexts = []
    for index, rule in enumerate(data.get("contexts") or []):
        line = line_of(data["contexts"], index)
        if not isinstance(rule, dict) or not {"country", "names", "against", "for"} <= set(rule) \
                or not set(rule) <= {"country", "names", "against", "for", "instead"}:
            raise BuildError("a context needs country, names, against, for (and may have "
                             "instead)", path, line)
        instead = rule.get("instead")
        contexts.append((_code(rule["country"], path, line),
                         _strings(rule["names"], path, line, "context names"),
                         _strings(rule["against"], path, line, "context `against`"),
                         _strings(rule["for"], path, line, "context `for`"),
                         None if instead in (None, "none") else _code(instead, path, line)))

    def plain_list(key: str) -> tuple[str, ...]:
        return _strings(data.get(key) or [], path, line_of(data, key), f"`{key}`")

    return _Aliases(names=names, aliases=_code_map(data.get("aliases"), path, "aliases"),
                    places=_merged(_code_map(data.get("places"), path, "places"),
                                   _code_map(data.get("groups"), path, "groups")),
                    demonyms=_code_map(data.get("demonyms"), path, "demonyms"),
                    province_lists=province_lists, ambiguous=ambiguous,
                    person_names=plain_list("person_names"),
                    common_words=plain_list("common_words"),
                    contexts=tuple(contexts), never=plain_list("never"),
                    seats=_code_map(data.get("seats"), path, "seats"),
                    stand_ins=_code_map(data.get("stand_ins"), path, "stand_ins"),
                    venue_words=plain_list("venue_words"))


def _merged(*tables: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for code, names in table.items():
            found[code] = found.get(code, ()) + tuple(names)
    return found


def _friendly_name(record, info: Mapping[str, Any], overrides: Mapping[str, str]) -> str:
    if record.alpha_2 in overrides:
        return overrides[record.alpha_2]
    common = getattr(record, "common_name", None)
    if common:
        return common
    if "," not in record.name:
        return re.sub(r"\s*\([^)]*\)", "", record.name).strip()
    other = info.get("name") or ""
    if other and "," not in other and "(" not in other:
        return other
    return record.name


def _variants(name: str) -> list[str]:
    """The ways a name is written: as is, without a leading "the", without
    diacritics, with a space for a hyphen."""
    name = " ".join(name.split())
    forms = {name}
    if name[:4] in ("the ", "The "):
        forms.add(name[4:])
    forms |= {fold(form) for form in forms}
    forms |= {form.replace("-", " ") for form in forms}
    return sorted(form for form in forms if form)      # sorted: never hash order


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("s", "sh", "ch", "x", "z", "ese")):
        return None
    return demonym + "s"


def _province_names(raw: str) -> list[str]:
    """ "Dubayy (Dubai)" -> Dubayy, Dubai; "Abkhazia or ... (Sokhumi)" -> each part."""
    inner = re.findall(r"\(([^)]*)\)", raw)
    outer = re.sub(r"\([^)]*\)", " ", raw)
    parts = [part for piece in [outer, *inner] for part in piece.split(" or ")]
    return [" ".join(part.split()) for part in parts if len(part.strip()) >= 3]


def build_gazetteer(aliases: _Aliases) -> Gazetteer:
    # The country data is imported here, not with the module: a cached build unpickles a
    # ready gazetteer and never needs it.
    import pycountry
    from countryinfo import CountryInfo

    records = sorted(pycountry.countries, key=lambda record: record.alpha_2)
    infos = {record.alpha_2: CountryInfo(record.alpha_2).info() for record in records}

    countries = []
    for record in records:
        name = _friendly_name(record, infos[record.alpha_2], aliases.names)
        countries.append(Country(code=record.alpha_2, slug=slugify(name), name=name))
    slugs = [country.slug for country in countries]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise BuildError(f"two countries share the slug(s) {', '.join(duplicates)}; "
                         "give one a different name under `names`")

    population = {code: int(info.get("population") or 0) for code, info in infos.items()}
    never = {tuple(tokenize(text)) for text in aliases.never}

    # Candidate names, each as (key, code, source). Sources in priority order.
    strong: dict[tuple[str, ...], set[str]] = defaultdict(set)
    weak: dict[tuple[str, ...], set[str]] = defaultdict(set)
    texts: dict[tuple[str, ...], str] = {}

    def add(table, text: str, code: str) -> None:
        for form in _variants(text):
            key = tuple(tokenize(form))
            # A name starting with a lower-case word ("the State of Palestine",
            # "al-Mamlakah ...") is either kept without it by _variants or a
            # native spelling never used in English text.
            if key and len(key) <= _MAX_TOKENS and key not in never \
                    and not key[0][0].islower() and key[0] != "The":
                table[key].add(code)
                texts.setdefault(key, form)

    capitals: dict[tuple[str, ...], set[str]] = defaultdict(set)
    alternative: list[tuple[str, str]] = []
    for record, country in zip(records, countries):
        code, info = record.alpha_2, infos[record.alpha_2]
        official = [country.name, record.name, getattr(record, "official_name", None),
                    getattr(record, "common_name", None), info.get("name")]
        for text in official:
            if text and "," not in text:
                add(strong, re.sub(r"\s*\([^)]*\)", "", text), code)
        for text in info.get("altSpellings") or []:
            text = text.strip()
            if text and "," not in text and text not in (record.alpha_2, record.alpha_3):
                alternative.append((text, code))
        for demonym in (info.get("demonym") or "").split(",") + list(aliases.demonyms.get(code, ())):
            demonym = demonym.strip()
            if demonym:
                add(strong, demonym, code)
                if _plural(demonym):
                    add(strong, _plural(demonym), code)
        for capital in (info.get("capital") or "").split("/"):
            if capital.strip():
                add(capitals, capital.strip(), code)

    # A capital shared by two countries ("Jerusalem") is ambiguous; a small
    # territory's capital ("Douglas", "Victoria") is weak.
    seats: set[tuple[str, ...]] = set(capitals)
    for key, codes in capitals.items():
        if len(codes) > 1 or max(population[code] for code in codes) >= STRONG_CAPITAL_POPULATION:
            strong[key] |= codes
        else:
            weak[key] |= codes

    # Single-word alternative spellings that are a word of another country's
    # name ("Congo" of "DR Congo", "Island" of "Christmas Island") mislead.
    words_of_names: dict[str, set[str]] = defaultdict(set)
    for key, codes in strong.items():
        if len(key) > 1:
            for token in key:
                words_of_names[token] |= codes
    for text, code in alternative:
        key = tuple(tokenize(text))
        if len(key) == 1 and words_of_names.get(key[0], set()) - {code}:
            continue
        add(strong, text, code)

    # Provinces: weak, and dropped when they collide with anything else.
    provinces: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for record in records:
        owner = aliases.province_lists.get(record.alpha_2, record.alpha_2)
        if owner is None:
            continue
        for raw in infos[record.alpha_2].get("provinces") or []:
            for text in _province_names(raw):
                add(provinces, text, owner)
    for key, codes in provinces.items():
        if len(codes) == 1 and key not in strong and not (weak.get(key, codes) - codes):
            weak[key] |= codes

    # Project aliases, seats of power and places override the data for their exact words.
    places: set[tuple[str, ...]] = set()
    for table, kind in ((aliases.aliases, "alias"), (aliases.seats, "seat"), (aliases.places, "place")):
        for code, texts_ in table.items():
            for text in texts_:
                for form in _variants(text):
                    key = tuple(tokenize(form))
                    strong[key] = {code}
                    weak.pop(key, None)
                    texts[key] = form
                    if kind == "place":
                        places.add(key)
                        seats.discard(key)
                    elif kind == "seat":
                        seats.add(key)
    # Stand-ins ("the Kingdom") mean a country only where it is named outright too.
    for code, texts_ in aliases.stand_ins.items():
        for text in texts_:
            key = tuple(tokenize(text))
            strong.pop(key, None)
            weak[key] = {code}
            texts[key] = text
    for text, codes in aliases.ambiguous.items():
        key = tuple(tokenize(text))
        strong[key] = set(codes)
        weak.pop(key, None)
        texts[key] = text

    names: dict[tuple[str, ...], Name] = {}
    for key, codes in weak.items():
        if key not in strong and len(codes) == 1:
            names[key] = Name(texts[key], tuple(codes), weak=True)
    for key, codes in strong.items():
        names[key] = Name(texts[key], tuple(sorted(codes)), place=key in places, seat=key in seats)
    for key in never:
        if key:
            names[key] = Name(" ".join(key), never=True)

    lengths: dict[str, set[int]] = defaultdict(set)
    for key in names:
        lengths[key[0]].add(len(key))
    starts = {token: tuple(sorted(found, reverse=True)) for token, found in lengths.items()}

    # US states that are no strong name ("Washington" is the government).
    us_states = [text for text in infos["US"].get("provinces") or []
                 if getattr(names.get(tuple(tokenize(text))), "weak", True)]
    contexts = []
    for code, context_names, against, for_, instead in aliases.contexts:
        cues = [state for cue in against for state in (us_states if cue == _US_STATES else [cue])]
        contexts.append(ContextRule(code, frozenset(context_names),
                                    tuple(tuple(tokenize(cue)) for cue in cues),
                                    tuple(tuple(tokenize(cue)) for cue in for_), instead))

    return Gazetteer(
        countries=tuple(countries), names=names, starts=starts, start_words=frozenset(starts),
        longer={token: tuple(length for length in found if length > 1)
                for token, found in starts.items() if max(found) > 1},
        single={key[0]: name for key, name in names.items() if len(key) == 1},
        by_code={country.code: country for country in countries},
        lookup=_lookup(records, countries, infos, aliases), population=population,
        person_names=frozenset(aliases.person_names),
        common_words=frozenset(aliases.common_words), contexts=tuple(contexts),
        venue_words=frozenset(word.lower() for word in aliases.venue_words))


def _lookup(records, countries, infos, aliases: _Aliases) -> dict[str, str]:
    """Lower-case codes, slugs and names -> code, for editors' overrides.

    Earlier levels win; a name two countries share at the same level is left out.
    """
    levels: list[list[tuple[str, str]]] = [[], [], []]
    for record, country in zip(records, countries):
        code, info = record.alpha_2, infos[record.alpha_2]
        levels[0] += [(code, code), (record.alpha_3, code), (country.slug, code)]
        names = [country.name, record.name, getattr(record, "official_name", None),
                 getattr(record, "common_name", None), info.get("name")]
        levels[1] += [(name, code) for name in names if name]
        levels[2] += [(name, code) for name in info.get("altSpellings") or [] if name.strip()]
        levels[2] += [(name, code) for name in aliases.aliases.get(code, ())]
    lookup: dict[str, str] = {}
    for level in levels:
        found: dict[str, set[str]] = defaultdict(set)
        for text, code in level:
            for form in _variants(text.strip()):
                found[form.lower()].add(code)
        for key, codes in found.items():
            if key and len(codes) == 1 and key not in lookup:
                lookup[key] = next(iter(codes))
    return lookup
