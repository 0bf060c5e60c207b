"""Maps drawn at build time as inline SVG (no script, no tiles, no network), and a
country's key facts.

- locator_map: one country filled, its land neighbours outlined, the other land
  of its region drawn lightly, sea behind; a dot at its capital.
- coverage_map: every country with an outline drawn lightly, each covered one
  shaded in one of five steps by its number of articles and linked to its page,
  with an HTML legend of the steps.
- key_facts: capital, population, region, subregion and area, with their source.

Where the data comes from: countryinfo (outlines from johan/world.geo.json, that
is Natural Earth at 1:110 million; positions, borders and facts), loaded once per
process, plus briefing/data/extra-shapes.json for what it lacks: Palestine's
outline and position, the outlines of Hungary, Serbia, Montenegro and Myanmar
(and Kosovo, as land only, so their region has no hole), and the positions of
territories that have neither.

How a map is drawn:
- the frame is a box of longitudes and latitudes; longitudes east of 180 are
  allowed, so a frame can straddle the antimeridian (Russia, Fiji, the US);
- the projection is equirectangular with x shrunk by the cosine of the frame's
  middle latitude, 600 units wide, to one decimal;
- each outline ring is moved whole by 360 degrees to the side of the frame's
  centre it is nearest, so no ring is torn across the map; a ring whose own
  points jump across the antimeridian (Antarctica's) is dropped when loading;
- rings are simplified by Visvalingam's effective area, computed once when
  loading with the points neighbouring countries share pinned where a border
  meets a coast or another border, so shared borders simplify the same way in
  both countries and no sliver opens between them; a map keeps the points whose
  area is at least SIMPLIFY_AREA square units at its scale, drops rings under a
  unit across, and clips the rest to its box;
- a country the map is about (the focus, a neighbour, a covered country) that
  would be too small to see, or has no outline, gets a dot at its position.

Everything is pure apart from the cached loading: the same arguments give the same
bytes.
"""
from __future__ import annotations

import functools
import heapq
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from markupsafe import Markup, escape

EXTRA_FILE = Path(__file__).parent / "data" / "extra-shapes.json"

WIDTH = 600                  # viewBox units across; a phone shows about 0.6 px per unit
SIMPLIFY_AREA = 8.0          # square units (about 2.9 px² on a phone): a point spanning less is not drawn
MIN_RING = 1.0               # units: a ring narrower and shorter than this is dropped
LAND_MIN_RING = 3.0          # ... or this, on land the map is not about: specks only add bytes
DOT_BELOW = 6.0              # units: a country the map is about, smaller than this, gets a dot
FOCUS_DOT = 6.0              # radius of the dot for a focus country too small to see
COVERED_DOT = 4.5            # ... for a covered one (smaller: the Caribbean is crowded)
NEIGHBOUR_DOT = 3.0          # ... for a neighbour with no outline (San Marino, the Vatican)
CAPITAL_DOT = 3.5
CLIP_MARGIN = 4.0            # units outside the viewBox where rings are cut: strokes along the cut stay hidden

# Locator frame. The country's box grows to take in its neighbours by at most half
# its own size, and never less than GROW_MIN nor more than GROW_MAX degrees, so
# Iraq shows most of Syria and Jordan, and Russia's frame takes in northern China,
# not all of it (nor the Indian Ocean beyond).
GROW_MIN, GROW_MAX = 3.0, 12.0
LOCATOR_MIN_SPAN = 12.0      # degrees (x in degrees at the frame's middle latitude): Bahrain in its Gulf
LOCATOR_PAD = 0.06           # of the span, on each side
PAD_MIN, PAD_MAX = 0.5, 3.0  # degrees
LOCATOR_ASPECT = (0.45, 1.2)  # height / width: Chile gets its neighbours, not a ribbon
LOCATOR_LATITUDES = (-85.0, 85.0)

# Coverage frame: at least a region, at most the world without Antarctica.
COVERAGE_MIN_SPAN = (30.0, 20.0)   # degrees across, degrees high
COVERAGE_PAD = 0.05
COVERAGE_ASPECT = (0.4, 1.0)
COVERAGE_LATITUDES = (-58.0, 84.0)  # Cape Horn to Greenland's north coast
# Coverage spread over more longitudes than this is shown on the usual world map,
# Greenwich in the middle, though a Pacific-centred one might cut a narrower gap.
WORLDWIDE = 240.0

STEPS = 5


# --- values -------------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    """The part of the world a map shows, and its projection onto the viewBox.

    east may exceed 180 (a frame across the antimeridian); y grows southwards."""

    west: float
    east: float
    south: float
    north: float
    width: int
    height: int

    @property
    def centre(self) -> float:
        return (self.west + self.east) / 2

    @property
    def scale(self) -> float:
        """Units per degree of latitude."""
        return self.width / ((self.east - self.west) * _cos((self.south + self.north) / 2))

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """(x, y) in viewBox units of a point, its longitude taken on the frame's side."""
        lon += 360 * round((self.centre - lon) / 360)
        scale = self.scale
        return ((lon - self.west) * _cos((self.south + self.north) / 2) * scale,
                (self.north - lat) * scale)


@dataclass(frozen=True)
class Map:
    """An inline SVG map and its text alternative.

    svg and legend are Markup (safe to put in a page as they are); legend is the
    coverage map's key as an HTML list, empty for a locator map."""

    svg: str
    alt: str
    frame: Frame
    legend: str = ""


@dataclass(frozen=True)
class KeyFacts:
    capital: str | None
    population: int | None
    region: str | None
    subregion: str | None
    area: float | None           # km²
    source: str                  # where these figures come from, to cite under them


@dataclass(frozen=True)
class _Ring:
    lons: tuple[float, ...]
    lats: tuple[float, ...]
    areas: tuple[float, ...]     # Visvalingam effective area of each point, deg² (inf: always kept)
    west: float
    east: float
    south: float
    north: float


@dataclass(frozen=True)
class _Country:
    code: str
    name: str                            # countryinfo's name ("" when it has none)
    rings: tuple[_Ring, ...]
    arc: tuple[float, float] | None      # west, east of its outline (east may exceed 180)
    south: float | None
    north: float | None
    latlng: tuple[float, float] | None
    capital: str | None
    capital_latlng: tuple[float, float] | None
    borders: tuple[str, ...]             # alpha-2 codes
    region: str | None
    subregion: str | None
    population: int | None
    area: float | None
    extra_facts: tuple[str, ...]         # the facts extra-shapes.json gave, for the source line
    land_only: bool = False              # drawn as land, never named or linked (Kosovo)


@dataclass(frozen=True)
class _Atlas:
    countries: Mapping[str, _Country]
    source: str
    extra_note: str


# --- loading --------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _atlas() -> _Atlas:
    # Imported here: a build that draws no map never pays for loading the country data.
    from importlib import metadata

    import pycountry
    from countryinfo import CountryInfo

    extra = json.loads(EXTRA_FILE.read_text("utf-8"))
    extra_countries: dict[str, dict] = extra["countries"]
    infos: dict[str, dict] = {}
    for record in sorted(pycountry.countries, key=lambda record: record.alpha_2):
        try:
            info = dict(CountryInfo(record.alpha_2).info())
        except Exception:           # CountryNotFoundError: countryinfo has no such country
            info = {}
        # countryinfo falls back on spellings and fuzzy matching: only its own record counts.
        if (info.get("ISO") or {}).get("alpha2") != record.alpha_2:
            info = {}
        infos[record.alpha_2] = info
    for code, entry in extra_countries.items():
        infos.setdefault(code, {"ISO": {"alpha2": code, "alpha3": entry.get("alpha3", "")}})

    polygons = {code: _polygons(info.get("geoJSON")) or list(extra_countries.get(code, {}).get("shape") or ())
                for code, info in infos.items()}
    rings = _simplified(polygons)
    alpha2 = {(info.get("ISO") or {}).get("alpha3"): code for code, info in infos.items()}

    merged_infos = {code: _merge_facts(info, extra_countries.get(code, {}), extra.get("latlng", {}).get(code))
                    for code, info in infos.items()}
    borders: dict[str, set[str]] = {
        code: {alpha2[a3] for a3 in merged.get("borders") or () if alpha2.get(a3, code) != code}
        for code, (merged, _) in merged_infos.items()}
    # The borders extra-shapes.json gives are mutual: countryinfo lists Israel's,
    # Jordan's and Egypt's neighbours without Palestine.
    for code in extra_countries:
        for neighbour in borders.get(code, ()):
            borders[neighbour].add(code)

    countries = {}
    for code, info in sorted(infos.items()):
        entry = extra_countries.get(code, {})
        merged, given = merged_infos[code]
        own = rings.get(code, ())
        countries[code] = _Country(
            code=code, name=info.get("name") or "", rings=own,
            arc=_arc([(ring.west, ring.east) for ring in own]) if own else None,
            south=min(ring.south for ring in own) if own else None,
            north=max(ring.north for ring in own) if own else None,
            latlng=_pair(merged.get("latlng")),
            capital=merged.get("capital") or None,
            capital_latlng=_pair(merged.get("capital_latlng")) if merged.get("capital") else None,
            borders=tuple(sorted(borders[code])),
            region=merged.get("region") or None,
            subregion=merged.get("subregion") or None,
            population=int(merged["population"]) if merged.get("population") else None,
            area=merged.get("area") or None,
            extra_facts=given,
            land_only=bool(entry.get("land_only")),
        )
    version = metadata.version("countryinfo")
    source = (f"countryinfo {version} (figures compiled mostly from Wikipedia, per its README; "
              "their dates are not given)")
    return _Atlas(countries, source, "briefing/data/extra-shapes.json")


def _merge_facts(info: dict, entry: dict, latlng: Any) -> tuple[dict, tuple[str, ...]]:
    """countryinfo's record with what extra-shapes.json adds; and the facts it added.

    The file fills gaps only, except for a capital it sets to null: a contested
    capital is then not stated (Palestine)."""
    merged = dict(info)
    given = []
    for key in ("latlng", "borders", "population", "area", "region", "subregion"):
        if entry.get(key) and not merged.get(key):
            merged[key] = entry[key]
            given.append(key)
    if "capital" in entry and entry["capital"] != merged.get("capital"):
        merged["capital"] = entry["capital"]
        given.append("capital")
    if latlng and not merged.get("latlng"):
        merged["latlng"] = latlng
        given.append("latlng")
    return merged, tuple(given)


def _pair(value: Any) -> tuple[float, float] | None:
    return (float(value[0]), float(value[1])) if value and len(value) == 2 else None


def _polygons(geojson: Any) -> list[list[list[list[float]]]]:
    """A GeoJSON FeatureCollection, Feature or geometry as MultiPolygon coordinates."""
    if not geojson:
        return []
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return [polygon for feature in geojson.get("features") or () for polygon in _polygons(feature)]
    if kind == "Feature":
        return _polygons(geojson.get("geometry"))
    if kind == "Polygon":
        return [geojson["coordinates"]]
    if kind == "MultiPolygon":
        return list(geojson["coordinates"])
    return []


def _simplified(polygons: Mapping[str, list]) -> dict[str, tuple[_Ring, ...]]:
    """Every country's rings, cleaned, with each point's effective area."""
    # Neighbours' copies of a shared point differ in the sixth decimal (Egypt's
    # 34.26544 is Israel's 34.265433): points within about 100 m are one point,
    # kept where it was first seen, so both neighbours draw it on the same tenth.
    canonical: dict[tuple[float, float], tuple[float, float]] = {}
    cleaned: dict[str, list[list[tuple[float, float]]]] = {}
    for code, polys in sorted(polygons.items()):
        for polygon in polys:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for lon, lat, *_ in ring:
                    point = canonical.setdefault((round(lon, 3), round(lat, 3)), (float(lon), float(lat)))
                    if not points or point != points[-1]:
                        points.append(point)
                while len(points) > 1 and points[0] == points[-1]:
                    points.pop()
                if len(points) < 3:
                    continue
                # A ring that jumps across the antimeridian (Antarctica's) cannot be
                # moved whole to one side of a frame: drawn, it would cross the map.
                if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:] + points[:1])):
                    continue
                cleaned.setdefault(code, []).append(points)

    owners: dict[tuple[float, float], set[str]] = {}
    for code, rings in cleaned.items():
        for ring in rings:
            for point in ring:
                owners.setdefault(point, set()).add(code)

    result = {}
    for code, rings in cleaned.items():
        made = []
        for ring in rings:
            sets = [owners[point] for point in ring]
            n = len(ring)
            # Where the set of countries a point belongs to changes (a border meets
            # a coast or another border), the point stays: between two such points
            # both neighbours then simplify the same run of points the same way.
            pinned = [sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n] for i in range(n)]
            lons = tuple(point[0] for point in ring)
            lats = tuple(point[1] for point in ring)
            made.append(_Ring(lons, lats, _effective_areas(lons, lats, pinned),
                              min(lons), max(lons), min(lats), max(lats)))
        result[code] = tuple(made)
    return result


def _effective_areas(lons: Sequence[float], lats: Sequence[float], pinned: Sequence[bool]) -> tuple[float, ...]:
    """Visvalingam-Whyatt: the area of the triangle a point makes with its neighbours
    when it is removed, smallest first, never less than that of a point removed
    before it next to it (so keeping the points above a threshold keeps a
    simplification that was really made). Three points always stay."""
    n = len(lons)
    areas = [math.inf] * n
    if n <= 3:
        return tuple(areas)
    # x in degrees at the point's own latitude, so the area does not depend on
    # which ring (whose middle latitude) the point is in.
    xs = [lon * _cos(lat) for lon, lat in zip(lons, lats)]
    ys = list(lats)
    before = [(i - 1) % n for i in range(n)]
    after = [(i + 1) % n for i in range(n)]

    def triangle(i: int) -> float:
        p, q = before[i], after[i]
        return abs((xs[p] - xs[i]) * (ys[q] - ys[i]) - (xs[q] - xs[i]) * (ys[p] - ys[i])) / 2

    current = [triangle(i) for i in range(n)]
    heap = [(current[i], i) for i in range(n) if not pinned[i]]
    heapq.heapify(heap)
    left = n
    removed = [False] * n
    while heap and left > 3:
        area, i = heapq.heappop(heap)
        if removed[i] or area != current[i]:
            continue                                  # a stale entry
        areas[i] = area
        removed[i] = True
        left -= 1
        p, q = before[i], after[i]
        after[p], before[q] = q, p
        for j in (p, q):
            if not pinned[j]:
                current[j] = max(triangle(j), area)
                heapq.heappush(heap, (current[j], j))
    return tuple(areas)


def _arc(intervals: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """The shortest span of longitudes covering every interval, east past 180 if it
    crosses the antimeridian: the complement of the widest gap between them."""
    merged: list[list[float]] = []
    for west, east in sorted(intervals):
        if merged and west <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], east)
        else:
            merged.append([west, east])
    best, arc = merged[0][0] + 360 - merged[-1][1], (merged[0][0], merged[-1][1])
    for left, right in zip(merged, merged[1:]):
        if right[0] - left[1] > best:
            best, arc = right[0] - left[1], (right[0], left[1] + 360)
    return arc


def _near(interval: tuple[float, float], centre: float) -> tuple[float, float]:
    """The interval moved by whole turns to the side of `centre` it is nearest."""
    turn = 360 * round((centre - (interval[0] + interval[1]) / 2) / 360)
    return interval[0] + turn, interval[1] + turn


def _extent(country: _Country) -> tuple[tuple[float, float], float, float] | None:
    """(west, east), south, north of a country's outline, or its position."""
    if country.arc is not None:
        return country.arc, country.south, country.north        # type: ignore[return-value]
    if country.latlng is not None:
        lat, lon = country.latlng
        return (lon, lon), lat, lat
    return None


@functools.lru_cache(maxsize=None)
def _cos(lat: float) -> float:
    return math.cos(math.radians(lat))


# --- frames ---------------------------------------------------------------------

def _frame(west: float, east: float, south: float, north: float, *, pad: float,
           min_span: tuple[float, float], aspect: tuple[float, float],
           latitudes: tuple[float, float]) -> Frame:
    """A box grown by padding, to the minimum spans and into the aspect range,
    kept within the latitudes and within one turn of longitude."""
    low, high = latitudes
    south, north = _widen(south, north, _pad(north - south, pad), min_span[1], low, high)
    cos = _cos((south + north) / 2)
    west, east = _widen(west, east, _pad(east - west, pad), min_span[0] / cos, -math.inf, math.inf)
    ratio = (north - south) / ((east - west) * cos)
    if ratio > aspect[1]:
        west, east = _widen(west, east, 0, (north - south) / (aspect[1] * cos), -math.inf, math.inf)
    elif ratio < aspect[0]:
        south, north = _widen(south, north, 0, aspect[0] * (east - west) * cos, low, high)
    if east - west > 360:
        middle = (west + east) / 2
        west, east = middle - 180, middle + 180
    west, east, south, north = (round(value, 4) for value in (west, east, south, north))
    height = round(WIDTH * (north - south) / ((east - west) * _cos((south + north) / 2)))
    return Frame(west, east, south, north, WIDTH, max(height, 1))


def _pad(span: float, share: float) -> float:
    # A share of the span, within bounds: Russia's frame is not padded by 11 degrees.
    return min(max(span * share, PAD_MIN), PAD_MAX)


def _widen(low: float, high: float, pad: float, span: float, floor: float, ceiling: float) -> tuple[float, float]:
    """[low - pad, high + pad] widened about its middle to at least `span`, slid
    inside [floor, ceiling] where it fits, cut to it where it does not."""
    low, high = low - pad, high + pad
    if high - low < span:
        middle = (low + high) / 2
        low, high = middle - span / 2, middle + span / 2
    if low < floor:
        low, high = floor, min(ceiling, high + floor - low)
    if high > ceiling:
        low, high = max(floor, low - (high - ceiling)), ceiling
    return low, high


def _locator_frame(atlas: _Atlas, country: _Country) -> Frame | None:
    own = _extent(country)
    if own is None:
        return None
    (west, east), south, north = own
    centre = (west + east) / 2
    grow_x = min(max((east - west) / 2, GROW_MIN), GROW_MAX)
    grow_y = min(max((north - south) / 2, GROW_MIN), GROW_MAX)
    box = [west, east, south, north]
    for code in country.borders:
        other = _extent(atlas.countries[code])
        if other is None:
            continue
        (w, e), s, n = other
        w, e = _near((w, e), centre)
        box = [min(box[0], max(w, west - grow_x)), max(box[1], min(e, east + grow_x)),
               min(box[2], max(s, south - grow_y)), max(box[3], min(n, north + grow_y))]
    return _frame(*box, pad=LOCATOR_PAD, min_span=(LOCATOR_MIN_SPAN, LOCATOR_MIN_SPAN),
                  aspect=LOCATOR_ASPECT, latitudes=LOCATOR_LATITUDES)


def _coverage_frame(countries: Sequence[_Country]) -> Frame:
    intervals, south, north = [], math.inf, -math.inf
    for country in countries:
        if country.arc is not None:
            intervals += [(ring.west, ring.east) for ring in country.rings]
        else:
            intervals.append((country.latlng[1], country.latlng[1]))      # type: ignore[index]
        (_, _), s, n = _extent(country)                                   # type: ignore[misc]
        south, north = min(south, s), max(north, n)
    west, east = _arc(intervals)
    if east - west > WORLDWIDE:
        west, east = -180.0, 180.0
    return _frame(west, east, south, north, pad=COVERAGE_PAD, min_span=COVERAGE_MIN_SPAN,
                  aspect=COVERAGE_ASPECT, latitudes=COVERAGE_LATITUDES)


# --- drawing --------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _num(tenths: int) -> str:
    """A coordinate in tenths of a unit as SVG path text: 12.3, -4, .5, -.5."""
    sign, value = ("-", -tenths) if tenths < 0 else ("", tenths)
    whole, tenth = divmod(value, 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{tenth}"


def _pair_text(x: int, y: int) -> str:
    a, b = _num(x), _num(y)
    return a + b if b[0] == "-" else f"{a} {b}"


@dataclass
class _Drawn:
    """A country's rings at one frame: path data, and the box of its outline in units."""

    d: str
    box: tuple[float, float, float, float] | None      # x0, y0, x1, y1 (unclipped)


def _draw(country: _Country, frame: Frame, min_ring: float = MIN_RING) -> _Drawn:
    scale = frame.scale
    cos = _cos((frame.south + frame.north) / 2)
    sx = cos * scale
    least = SIMPLIFY_AREA / (scale * scale)
    x_lo, y_lo = -CLIP_MARGIN, -CLIP_MARGIN
    x_hi, y_hi = frame.width + CLIP_MARGIN, frame.height + CLIP_MARGIN
    parts: list[str] = []
    box = None
    for ring in country.rings:
        shift = 360 * round((frame.centre - (ring.west + ring.east) / 2) / 360) - frame.west
        x0, x1 = (ring.west + shift) * sx, (ring.east + shift) * sx
        y0, y1 = (frame.north - ring.north) * scale, (frame.north - ring.south) * scale
        if x1 < x_lo or x0 > x_hi or y1 < y_lo or y0 > y_hi:
            continue
        box = (x0, y0, x1, y1) if box is None else \
            (min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1))
        if x1 - x0 < min_ring and y1 - y0 < min_ring:
            continue
        north = frame.north
        points = [((lon + shift) * sx, (north - lat) * scale)
                  for lon, lat, area in zip(ring.lons, ring.lats, ring.areas) if area >= least]
        if x0 < x_lo or x1 > x_hi or y0 < y_lo or y1 > y_hi:
            points = _clip(points, x_lo, y_lo, x_hi, y_hi)
        path = _ring_path(points)
        if path:
            parts.append(path)
    return _Drawn("".join(parts), box)


def _ring_path(points: Sequence[tuple[float, float]]) -> str:
    """M x y l dx dy ... z, relative steps between rounded points, so neighbours'
    shared points land on the same tenth; repeated points are dropped."""
    rounded: list[tuple[int, int]] = []
    for x, y in points:
        point = (math.floor(x * 10 + 0.5), math.floor(y * 10 + 0.5))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    while len(rounded) > 1 and rounded[-1] == rounded[0]:
        rounded.pop()
    if len(rounded) < 3:
        return ""
    (x, y), steps = rounded[0], []
    for nx, ny in rounded[1:]:
        steps.append(_pair_text(nx - x, ny - y))
        x, y = nx, ny
    text = steps[0]
    for step in steps[1:]:
        text += step if step[0] == "-" else " " + step
    return f"M{_pair_text(*rounded[0])}l{text}z"


def _clip(points: list[tuple[float, float]], x_lo: float, y_lo: float,
          x_hi: float, y_hi: float) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the ring cut to the box (edges along the cut lie outside
    the viewBox, by CLIP_MARGIN)."""
    for axis, limit, keep_low in ((0, x_lo, False), (0, x_hi, True), (1, y_lo, False), (1, y_hi, True)):
        if not points:
            break
        inside = (lambda p: p[axis] <= limit) if keep_low else (lambda p: p[axis] >= limit)
        out = []
        previous = points[-1]
        previous_in = inside(previous)
        for point in points:
            point_in = inside(point)
            if point_in != previous_in:
                t = (limit - previous[axis]) / (point[axis] - previous[axis])
                out.append((previous[0] + t * (point[0] - previous[0]),
                            previous[1] + t * (point[1] - previous[1])))
            if point_in:
                out.append(point)
            previous, previous_in = point, point_in
        points = out
    return points


def _dot_at(country: _Country, drawn: _Drawn, frame: Frame) -> tuple[int, int] | None:
    """Where a country too small to see gets its dot (in tenths), or None when it
    is big enough or has nowhere to be."""
    if drawn.box is not None:
        x0, y0, x1, y1 = drawn.box
        if max(x1 - x0, y1 - y0) >= DOT_BELOW:
            return None
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
    elif country.latlng is not None:
        x, y = frame.project(*country.latlng)
    else:
        return None
    if not (0 <= x <= frame.width and 0 <= y <= frame.height):
        return None
    return math.floor(x * 10 + 0.5), math.floor(y * 10 + 0.5)


def _circle(classes: str, at: tuple[int, int], radius: float) -> str:
    return f'<circle class="{classes}" cx="{_num(at[0])}" cy="{_num(at[1])}" r="{radius:g}"/>'


def _open_svg(frame: Frame, classes: str, role: str, id_prefix: str, title: str, alt: str) -> str:
    ident = escape(id_prefix)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="map {classes}" '
            f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" height="{frame.height}" '
            f'role="{role}" aria-labelledby="{ident}-title {ident}-desc">'
            f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(alt)}</desc>'
            f'<rect class="map-sea" width="{frame.width}" height="{frame.height}"/>')


def _land(atlas: _Atlas, frame: Frame, skip: set[str]) -> str:
    """Every other country's rings in the frame, as one lightly drawn path."""
    d = "".join(_draw(country, frame, LAND_MIN_RING).d for code, country in sorted(atlas.countries.items())
                if code not in skip and country.rings)
    return f'<path class="map-land" d="{d}"/>' if d else ""


# --- public ---------------------------------------------------------------------

def locator_map(code: str, name_of: Callable[[str], str], *, id_prefix: str = "locator-map",
                capital: bool = True) -> Map | None:
    """A locator map of one country (ISO alpha-2), or None when the data has
    neither an outline nor a position for it."""
    atlas = _atlas()
    country = atlas.countries.get(code.upper())
    if country is None or country.land_only:
        return None
    frame = _locator_frame(atlas, country)
    if frame is None:
        return None
    name = name_of(country.code)
    neighbours = [atlas.countries[other] for other in country.borders
                  if not atlas.countries[other].land_only]

    shapes, dots, visible = [], [], []
    for other in neighbours:
        drawn = _draw(other, frame)
        if drawn.d:
            shapes.append(f'<path class="map-neighbour" data-code="{other.code}" d="{drawn.d}"/>')
        elif drawn.box is None and (at := _dot_at(other, drawn, frame)):
            dots.append(_circle("map-dot map-neighbour", at, NEIGHBOUR_DOT))
        else:
            continue
        visible.append(other.code)
    drawn = _draw(country, frame)
    if drawn.d:
        shapes.append(f'<path class="map-focus" data-code="{country.code}" d="{drawn.d}"/>')
    focus_dot = _dot_at(country, drawn, frame)
    if focus_dot:
        dots.append(_circle("map-dot map-focus", focus_dot, FOCUS_DOT))
    capital_text = ""
    if capital and country.capital_latlng and not focus_dot:
        x, y = frame.project(*country.capital_latlng)
        if 0 <= x <= frame.width and 0 <= y <= frame.height:
            dots.append(_circle("map-capital", (math.floor(x * 10 + 0.5), math.floor(y * 10 + 0.5)),
                                CAPITAL_DOT))
            capital_text = f" and a dot at its capital, {country.capital}"

    where = country.subregion or country.region
    how = "marked by a dot" if focus_dot else "highlighted"
    alt = f"Map of {where} with {name} {how}" if where else f"Map with {name} {how}"
    alt += capital_text
    # Only the neighbours the frame shows: the text says what the picture does.
    names = sorted({name_of(other) for other in visible}, key=lambda text: (text.casefold(), text))
    alt += f"; neighbours: {', '.join(names)}." if names else "."

    svg = (_open_svg(frame, "map-locator", "img", id_prefix, f"Locator map: {name}", alt)
           + _land(atlas, frame, {country.code} | {other.code for other in neighbours})
           + "".join(shapes) + "".join(dots) + "</svg>")
    return Map(Markup(svg), alt, frame)


def coverage_map(counts: Mapping[str, int], urls: Mapping[str, str], name_of: Callable[[str], str],
                 *, id_prefix: str = "coverage-map") -> Map | None:
    """A map of the countries the briefing covers, each shaded by its number of
    articles and linked to urls[code]; None when none of them can be placed.

    Two layers in one box: the picture (role img: the sea, the land and the text
    alternative naming every country and count) and over it, drawn in the same frame,
    the covered countries as links, each named by its country and count. A link may
    not sit inside an img (assistive technology would never reach it), and a picture of
    links alone would have no text alternative."""
    atlas = _atlas()
    covered = []                     # (country, articles, url or None), by code
    for code, number in sorted(counts.items()):
        country = atlas.countries.get(code.upper())
        if number > 0 and country is not None and not country.land_only and _extent(country):
            covered.append((country, number, urls.get(code)))
    if not covered:
        return None
    frame = _coverage_frame([country for country, _, _ in covered])
    numbers = [number for _, number, _ in covered]
    thresholds = _thresholds(numbers)

    # Links in the order of their names (the order keyboard users meet them), but
    # the dots after the outlines, so no outline is painted over a dot.
    named = sorted(((name_of(country.code), country, number, url) for country, number, url in covered),
                   key=lambda item: (item[0].casefold(), item[0], item[1].code))
    with_shape, as_dots = [], []
    for name, country, number, url in named:
        step = _step(number, thresholds)
        label = escape(f"{name}: {_articles(number)}")
        drawn = _draw(country, frame)
        at = _dot_at(country, drawn, frame)
        inner = f'<path class="map-shade-{step}" d="{drawn.d}"/>' if drawn.d else ""
        if at:
            inner += _circle(f"map-dot map-shade-{step}", at, COVERED_DOT)
        if not inner:
            continue
        if url is not None:
            inner = f'<a href="{escape(url)}" aria-label="{label}"><title>{label}</title>{inner}</a>'
        (as_dots if at else with_shape).append(inner)

    shown = sorted(named, key=lambda item: (-item[2], item[0].casefold(), item[0]))
    alt = "Map of the briefing's coverage: " + ", ".join(
        f"{name} {_articles(number)}" for name, _, number, _ in shown) + "."
    picture = (_open_svg(frame, "map-coverage", "img", id_prefix, "Map of the briefing's coverage", alt)
               + _land(atlas, frame, {country.code for country, _, _ in covered}) + "</svg>")
    layer = (f'<svg xmlns="http://www.w3.org/2000/svg" class="map map-coverage map-links" '
             f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" height="{frame.height}" '
             f'aria-label="Countries on the map, with their briefings">'
             + "".join(with_shape) + "".join(as_dots) + "</svg>")
    svg = f'<div class="map-stack">{picture}{layer}</div>'
    return Map(Markup(svg), alt, frame, _legend(thresholds, min(numbers), max(numbers)))


def preload() -> None:
    """Load the country data now: a process about to fork workers that draw maps
    does it once for all of them."""
    _atlas()


def country_name(code: str) -> str:
    """A country's name by the gazetteer's rule (pycountry's common name, or a short
    form of its name), for a country the site has no page for; the code itself
    for one the data does not know. The editors' `names` in country-aliases.yaml
    are not applied here: where the site has the country, use its name."""
    import pycountry

    from .countries import _friendly_name

    record = pycountry.countries.get(alpha_2=code.upper())
    if record is None:
        return code
    country = _atlas().countries.get(record.alpha_2)
    return _friendly_name(record, {"name": country.name if country else ""}, {})


def key_facts(code: str) -> KeyFacts | None:
    """A country's capital, population, region, subregion and area, or None when
    the data has none of them."""
    atlas = _atlas()
    country = atlas.countries.get(code.upper())
    if country is None or country.land_only:
        return None
    facts = (country.capital, country.population, country.region, country.subregion, country.area)
    if all(fact is None for fact in facts):
        return None
    source = atlas.source
    stated = [key for key in country.extra_facts if key in ("population", "area")]
    if stated:
        source += f"; {' and '.join(stated)}: {atlas.extra_note} (approximate)"
    return KeyFacts(*facts, source=source)


# --- shading --------------------------------------------------------------------

# Steps on a log scale between the fewest and the most articles: coverage is
# heavy-tailed (a few countries with hundreds of articles, many with one or two),
# so equal ranges would put nearly every country in the first step, and quantiles
# split ties (ten countries with one article each) across steps and give ranges
# that move whenever one article is added. On a log scale each step covers the
# same ratio, the ranges read naturally (1, 2-3, 4-9, 10-29, 30-100) and the least
# and most covered countries always get steps 1 and 5.

def _thresholds(numbers: Sequence[int]) -> tuple[int, ...]:
    """The least count of steps 2..5, rounded up to whole articles."""
    low, high = min(numbers), max(numbers)
    if low == high:
        return ()
    return tuple(math.ceil(low * (high / low) ** (step / STEPS) - 1e-9) for step in range(1, STEPS))


def _step(number: int, thresholds: Sequence[int]) -> int:
    if not thresholds:
        return STEPS            # every covered country has as many articles as the most covered
    return 1 + sum(number >= threshold for threshold in thresholds)


def _legend(thresholds: Sequence[int], low: int, high: int) -> str:
    if not thresholds:
        rows = [(STEPS, low, high)]
    else:
        edges = [low, *thresholds, high + 1]
        rows = [(step + 1, edges[step], edges[step + 1] - 1) for step in range(STEPS)
                if edges[step] <= edges[step + 1] - 1]
    items = "".join(
        f'<li><span class="map-swatch map-shade-{step}" aria-hidden="true"></span>'
        f'{first if first == last else f"{first}–{last}"} {"article" if last == 1 else "articles"}</li>'
        for step, first, last in rows)
    return Markup(f'<ul class="map-legend" aria-label="Articles per country">{items}</ul>')


def _articles(number: int) -> str:
    return f"{number} article" if number == 1 else f"{number} articles"
