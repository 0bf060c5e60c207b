"""Locator and coverage maps, and key facts (briefing/maps.py)."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from importlib import metadata

import pycountry
import pytest

from briefing import maps

SVG = "{http://www.w3.org/2000/svg}"
IRAQ_NEIGHBOURS = {"IR", "JO", "KW", "SA", "SY", "TR"}


def name_of(code: str) -> str:
    record = pycountry.countries.get(alpha_2=code)
    return getattr(record, "common_name", None) or record.name


def tree(svg: str) -> ET.Element:
    """The map parsed as XML: it must be well-formed, whatever the names held."""
    return ET.fromstring(str(svg))


def view_box(root: ET.Element) -> tuple[float, float]:
    """The frame of a map: an <svg>, or the first of a coverage map's layers."""
    box = root.get("viewBox") or root[0].get("viewBox")
    _, _, width, height = (float(n) for n in box.split())
    return width, height


_TOKEN = re.compile(r"[MlLz]|-?(?:\d+\.?\d*|\.\d+)")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The absolute points of each subpath of an M/l/z path."""
    result: list[list[tuple[float, float]]] = []
    command, numbers, x, y = None, [], 0.0, 0.0
    for token in _TOKEN.findall(d) + ["M"]:
        if token in "MlLz":
            for i in range(0, len(numbers) - 1, 2):
                if command == "M" and i == 0:
                    x, y = numbers[0], numbers[1]
                    result.append([(x, y)])
                else:
                    x, y = x + numbers[i], y + numbers[i + 1]
                    result[-1].append((x, y))
            command, numbers = token, []
        else:
            numbers.append(float(token))
    return result


def paths(root: ET.Element, cls: str) -> dict[str, list[list[tuple[float, float]]]]:
    """data-code (or "") -> rings, of the paths with class `cls`."""
    found: dict[str, list] = {}
    for path in root.iter(f"{SVG}path"):
        if cls in path.get("class", "").split():
            found.setdefault(path.get("data-code", ""), []).extend(rings(path.get("d")))
    return found


def circles(root: ET.Element, *classes: str) -> list[ET.Element]:
    return [c for c in root.iter(f"{SVG}circle") if set(classes) <= set(c.get("class", "").split())]


def links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href"): a for a in root.iter(f"{SVG}a")}


def all_points(root: ET.Element) -> list[list[tuple[float, float]]]:
    return [ring for path in root.iter(f"{SVG}path") for ring in rings(path.get("d"))]


COVERAGE_30 = ["IQ", "SY", "LB", "IL", "PS", "JO", "SA", "YE", "EG", "LY", "TN", "DZ", "MA", "SD", "IR",
               "TR", "US", "RU", "CN", "GB", "FR", "DE", "BH", "SG", "QA", "AE", "KW", "OM", "AF", "PK"]


# --- locator maps -----------------------------------------------------------------

def test_iraq_lies_inside_the_view_box_and_its_frame_holds_baghdad():
    result = maps.locator_map("IQ", name_of)
    root = tree(result.svg)
    width, height = view_box(root)
    iraq = paths(root, "map-focus")["IQ"]
    points = [point for ring in iraq for point in ring]
    assert len(points) > 10
    assert all(0 <= x <= width and 0 <= y <= height for x, y in points)
    x, y = result.frame.project(33.3152, 44.3661)          # Baghdad
    assert 0 < x < width and 0 < y < height
    # ...and inside Iraq's own box, where the capital dot is drawn
    assert min(p[0] for p in points) < x < max(p[0] for p in points)
    assert min(p[1] for p in points) < y < max(p[1] for p in points)
    (capital,) = circles(root, "map-capital")
    assert abs(float(capital.get("cx")) - x) < 1 and abs(float(capital.get("cy")) - y) < 1


def test_iraq_neighbours_are_outlined_and_brazil_is_not_on_its_map():
    result = maps.locator_map("IQ", name_of)
    root = tree(result.svg)
    assert set(paths(root, "map-neighbour")) == IRAQ_NEIGHBOURS
    assert set(paths(root, "map-focus")) == {"IQ"}
    assert "BR" not in paths(root, "map-neighbour") and 'data-code="BR"' not in result.svg
    width, height = view_box(root)
    x, y = result.frame.project(-10, -55)                   # Brazil
    assert not (0 <= x <= width and 0 <= y <= height)
    assert "Brazil" not in result.alt


@pytest.mark.parametrize("covered", [(), ("US", "CN")])
def test_neighbours_share_their_border_point_for_point(covered):
    """Simplified separately, Iraq and Syria keep the same points of the border
    they share, on Iraq's map and on a world map: no sliver opens between them."""
    if covered:
        counts = dict.fromkeys(("IQ", "SY", *covered), 1)
        result = maps.coverage_map(counts, {code: f"/c/{code}/" for code in counts}, name_of)
        root = tree(result.svg)
        iraq, syria = (links(root)[f"/c/{code}/"].find(f"{SVG}path").get("d") for code in ("IQ", "SY"))
        iraq, syria = rings(iraq), rings(syria)
    else:
        result = maps.locator_map("IQ", name_of)
        root = tree(result.svg)
        iraq, syria = paths(root, "map-focus")["IQ"], paths(root, "map-neighbour")["SY"]

    def tenths(points):
        return {(round(x * 10), round(y * 10)) for x, y in points}

    atlas = maps._atlas()

    def raw(code):
        return {(lon, lat) for ring in atlas.countries[code].rings for lon, lat in zip(ring.lons, ring.lats)}

    shared = set()
    for lon, lat in raw("IQ") & raw("SY"):
        x, y = result.frame.project(lat, lon)
        shared.add((math.floor(x * 10 + 0.5), math.floor(y * 10 + 0.5)))
    assert len(shared) >= 3
    kept_by_iraq = shared & tenths(point for ring in iraq for point in ring)
    kept_by_syria = shared & tenths(point for ring in syria for point in ring)
    assert len(kept_by_iraq) >= 2 and kept_by_iraq == kept_by_syria


def test_a_country_without_an_outline_gets_a_visible_focus_dot():
    result = maps.locator_map("BH", name_of)
    root = tree(result.svg)
    width, height = view_box(root)
    (dot,) = circles(root, "map-dot", "map-focus")
    assert float(dot.get("r")) >= 4
    assert 0 < float(dot.get("cx")) < width and 0 < float(dot.get("cy")) < height
    # Bahrain is shown in its Gulf, not alone in a blank square
    assert result.frame.north - result.frame.south >= 12
    assert paths(root, "map-land")
    assert result.alt.startswith("Map of Western Asia with Bahrain marked by a dot")


def test_a_tiny_outline_gets_a_dot_too():
    assert maps._atlas().countries["LU"].rings              # Luxembourg has an outline: a speck on a world map
    counts = {"LU": 1, "US": 2, "CN": 3}
    root = tree(maps.coverage_map(counts, {code: f"/c/{code}/" for code in counts}, name_of).svg)
    link = links(root)["/c/LU/"]
    assert link.find(f"{SVG}path") is not None
    assert [float(dot.get("r")) >= 4 for dot in link.iter(f"{SVG}circle")] == [True]
    assert not list(links(root)["/c/US/"].iter(f"{SVG}circle"))


def test_palestine_gets_a_filled_outline_of_the_west_bank_and_gaza():
    result = maps.locator_map("PS", name_of)
    root = tree(result.svg)
    width, height = view_box(root)
    focus = paths(root, "map-focus")["PS"]
    assert len(focus) == 2                                  # the West Bank and the Gaza Strip
    assert all(len(ring) >= 5 for ring in focus)
    assert all(0 <= x <= width and 0 <= y <= height for ring in focus for x, y in ring)
    assert not circles(root, "map-dot", "map-focus")        # big enough to see at this scale
    assert set(paths(root, "map-neighbour")) == {"EG", "IL", "JO"}
    # ... and Palestine is Israel's neighbour on Israel's map
    assert "PS" in paths(tree(maps.locator_map("IL", name_of).svg), "map-neighbour")


@pytest.mark.parametrize("code, straddles", [("RU", True), ("US", False), ("FJ", True)])
def test_no_segment_crosses_the_map_at_the_antimeridian(code, straddles):
    result = maps.locator_map(code, name_of)
    root = tree(result.svg)
    width, _ = view_box(root)
    assert all_points(root)
    for ring in all_points(root):
        for (x0, _), (x1, _) in zip(ring, ring[1:] + ring[:1]):
            assert abs(x1 - x0) <= width / 2
    if straddles:       # the country is drawn whole, on both sides of 180°, not cut there
        assert result.frame.west < 180 < result.frame.east
        focus = [x for ring in paths(root, "map-focus")[code] for x, _ in ring]
        x180, _ = result.frame.project(0, 180)
        assert min(focus) < x180 - 1 and max(focus) > x180 + 1


def test_no_segment_crosses_the_world_map_either():
    result = maps.coverage_map({"RU": 3, "US": 2, "FJ": 1, "NZ": 1}, {}, name_of)
    root = tree(result.svg)
    width, _ = view_box(root)
    for ring in all_points(root):
        for (x0, _), (x1, _) in zip(ring, ring[1:] + ring[:1]):
            assert abs(x1 - x0) <= width / 2


def test_a_country_with_no_position_at_all_has_no_map():
    assert maps.locator_map("UM", name_of) is None          # islands spread over the Pacific
    assert maps.locator_map("ZZ", name_of) is None
    assert maps.locator_map("XK", name_of) is None          # drawn as land, never as a country


def test_locator_map_is_an_accessible_image_with_unique_ids():
    first = maps.locator_map("LB", name_of, id_prefix="map-a")
    second = maps.locator_map("LB", name_of, id_prefix="map-b")
    root = tree(first.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "map-a-title map-a-desc"
    assert root.find(f"{SVG}title").get("id") == "map-a-title"
    assert root.find(f"{SVG}desc").get("id") == "map-a-desc"
    assert root.find(f"{SVG}desc").text == first.alt
    assert 'id="map-b-title"' in second.svg and 'id="map-a-title"' not in second.svg
    # sized by CSS, shaped by the viewBox; coloured by classes only
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert not re.search(r'\b(fill|stroke|style)=', first.svg)
    assert first.alt == ("Map of Western Asia with Lebanon highlighted and a dot at its capital, "
                         "Beirut; neighbours: Israel, Syria.")


def test_alt_lists_the_neighbours_by_name():
    alt = maps.locator_map("IQ", name_of).alt
    assert alt.startswith("Map of Western Asia with Iraq highlighted")
    assert alt.endswith("neighbours: Iran, Jordan, Kuwait, Saudi Arabia, Syria, Türkiye.")


def test_names_are_escaped_in_a_locator_map():
    hostile = '<script>alert("x")</script> & "quotes"'
    result = maps.locator_map("IQ", lambda code: hostile if code == "SY" else name_of(code),
                              id_prefix='x"><script>')
    root = tree(result.svg)
    assert "<script>" not in result.svg
    assert root.find(f"{SVG}desc").text == result.alt
    assert hostile in result.alt


# --- coverage map -----------------------------------------------------------------

def test_coverage_shades_by_articles_and_links_every_country():
    counts = {"IQ": 40, "SY": 12, "LB": 5, "EG": 2, "JO": 1}
    urls = {code: f"/countries/{code.lower()}/" for code in counts}
    result = maps.coverage_map(counts, urls, name_of)
    root = tree(result.svg)
    # A picture (role img, its alt names every country and count) and over it, in the
    # same frame, a layer of links: a link inside an img is never reached.
    picture, layer = root
    assert picture.get("role") == "img"
    assert not list(picture.iter(f"{SVG}a")) and layer.get("role") is None
    assert picture.get("viewBox") == layer.get("viewBox")
    found = links(layer)
    assert set(found) == set(urls.values())
    shade = {}
    for code, url in urls.items():
        link = found[url]
        label = f"{name_of(code)}: {counts[code]} article{'s' if counts[code] > 1 else ''}"
        assert link.get("aria-label") == label
        assert link.find(f"{SVG}title").text == label
        (shape,) = [child for child in link if child.tag in (f"{SVG}path", f"{SVG}circle")]
        shade[code] = shape.get("class").split()[-1]
    assert shade["IQ"] == "map-shade-5" and shade["JO"] == "map-shade-1"
    steps = [int(shade[code][-1]) for code in sorted(counts, key=counts.get)]
    assert steps == sorted(steps)                           # more articles, never a lighter step
    assert result.alt == ("Map of the briefing's coverage: Iraq 40 articles, Syria 12 articles, "
                          "Lebanon 5 articles, Egypt 2 articles, Jordan 1 article.")


def test_coverage_keeps_small_islands_visible_as_linked_dots():
    counts = {"BH": 3, "SG": 1, "IQ": 12}
    urls = {"BH": "/countries/bahrain/", "SG": "/countries/singapore/", "IQ": "/countries/iraq/"}
    root = tree(maps.coverage_map(counts, urls, name_of).svg)
    width, height = view_box(root[1])
    found = links(root)
    for code in ("BH", "SG"):
        (dot,) = found[urls[code]].iter(f"{SVG}circle")
        assert "map-dot" in dot.get("class").split()
        assert float(dot.get("r")) >= 4
        assert 0 < float(dot.get("cx")) < width and 0 < float(dot.get("cy")) < height
    assert found[urls["IQ"]].find(f"{SVG}path") is not None


def test_coverage_escapes_hostile_names_and_urls():
    hostile = '<script>alert("x")</script> & "quotes"'
    result = maps.coverage_map({"IQ": 3, "SY": 1}, {"IQ": "/c/iraq/?a=1&b=2", "SY": "/c/syria/"},
                               lambda code: hostile if code == "IQ" else name_of(code))
    root = tree(result.svg)
    assert "<script>" not in result.svg
    assert "&lt;script&gt;" in result.svg and "&amp;" in result.svg
    link = links(root)["/c/iraq/?a=1&b=2"]
    assert link.find(f"{SVG}title").text == f"{hostile}: 3 articles"
    assert root[0].find(f"{SVG}desc").text == result.alt


def test_coverage_alt_sorts_by_count_then_name():
    counts = {"SY": 5, "IQ": 12, "LB": 5, "EG": 1}
    alt = maps.coverage_map(counts, {}, name_of).alt
    assert alt == ("Map of the briefing's coverage: Iraq 12 articles, Lebanon 5 articles, "
                   "Syria 5 articles, Egypt 1 article.")


def test_legend_steps_cover_the_counts_on_a_log_scale():
    counts = {code: n for code, n in zip(COVERAGE_30, [1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 120] * 3)}
    legend = maps.coverage_map(counts, {}, name_of).legend
    items = re.findall(r'map-shade-(\d)".*?</span>([\d–]+) articles?</li>', legend)
    assert [int(step) for step, _ in items] == [1, 2, 3, 4, 5]
    bounds = []
    for _, text in items:
        numbers = [int(n) for n in text.split("–")]
        bounds.append((numbers[0], numbers[-1]))
    assert bounds[0][0] == 1 and bounds[-1][1] == 120
    assert all(later[0] == earlier[1] + 1 for earlier, later in zip(bounds, bounds[1:]))
    thresholds = maps._thresholds([1, 120])
    steps = [maps._step(n, thresholds) for n in range(1, 121)]
    assert steps[0] == 1 and steps[-1] == 5 and steps == sorted(steps)
    assert steps.index(3) < 20                               # a log scale: the middle step is near 11, not 60


def test_coverage_frame_is_the_region_or_at_most_the_world():
    middle_east = maps.coverage_map({"IQ": 2, "SY": 1, "LB": 1}, {}, name_of).frame
    assert 20 <= middle_east.west and middle_east.east <= 65 and middle_east.east - middle_east.west < 45
    world = maps.coverage_map({"US": 1, "CN": 1, "BR": 1, "ZA": 1, "AU": 1}, {}, name_of).frame
    assert world.east - world.west <= 360
    assert world.south >= -60                                 # no Antarctica


# --- size, speed, determinism ---------------------------------------------------------

@pytest.mark.parametrize("code, budget", [("IQ", 15), ("RU", 15), ("US", 15), ("LB", 15), ("BH", 15)])
def test_locator_maps_stay_light(code, budget):
    assert len(maps.locator_map(code, name_of).svg.encode()) < budget * 1024


def test_coverage_map_stays_light():
    counts = {code: i % 17 + 1 for i, code in enumerate(COVERAGE_30)}
    urls = {code: f"/countries/{name_of(code).lower().replace(' ', '-')}/" for code in counts}
    assert len(maps.coverage_map(counts, urls, name_of).svg.encode()) < 40 * 1024


def test_same_input_same_bytes():
    counts = {code: i % 7 + 1 for i, code in enumerate(COVERAGE_30)}
    urls = {code: f"/c/{code}/" for code in counts}
    first = (maps.locator_map("RU", name_of).svg, maps.coverage_map(counts, urls, name_of).svg)
    maps._atlas.cache_clear()                                 # loading again changes nothing either
    backwards = dict(reversed(list(counts.items())))
    second = (maps.locator_map("RU", name_of).svg, maps.coverage_map(backwards, urls, name_of).svg)
    assert first == second


# --- key facts --------------------------------------------------------------------

def test_key_facts_for_iraq():
    facts = maps.key_facts("IQ")
    assert facts.capital == "Baghdad"
    assert facts.region == "Asia" and facts.subregion == "Western Asia"
    assert isinstance(facts.population, int) and facts.population > 10_000_000
    assert facts.area == 438317
    assert facts.source.startswith(f"countryinfo {metadata.version('countryinfo')} (")


def test_key_facts_for_palestine_say_where_the_added_figures_come_from():
    facts = maps.key_facts("PS")
    assert facts.capital is None                              # contested: not stated
    assert facts.population and facts.area
    assert "extra-shapes.json" in facts.source


def test_no_key_facts_for_an_unknown_code():
    assert maps.key_facts("ZZ") is None
    assert maps.key_facts("XK") is None


def test_country_name_follows_the_gazetteer_rule():
    assert maps.country_name("IR") == "Iran"                 # pycountry's common name
    assert maps.country_name("iq") == "Iraq"
    assert maps.country_name("ZZ") == "ZZ"
