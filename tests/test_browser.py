"""The site in a real browser (issue 5): headless Chromium against `serve` on a copy of the project.

One `serve` (with the Pagefind index) and one browser for the whole module.
The live-reload test edits content, so it runs last and puts the file back.
Screenshots and axe reports go to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from selenium.common.exceptions import (JavascriptException, NoSuchElementException,
                                        StaleElementReferenceException)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from browser_support import (SCREENSHOTS, describe_violations, emulate_width, full_page_screenshot,
                             horizontal_overflow, reset_width, run_axe, set_theme, start_chromium,
                             theme_in_effect, wait, wait_until_loaded)
from test_serve import Served

pytestmark = pytest.mark.browser

THEMES = ("light", "dark")
WIDTHS = (360, 1440)
PAGE_KINDS = ("home", "article", "article-dated", "interview", "countries", "country", "country-topic",
              "topics", "topic", "people", "person", "organisations", "organisation", "search", "404")
# Beside the seeds (whose articles have no date or byline): site pages with both, and an interview.
LAYOUTS = Path(__file__).parent / "fixtures" / "dumps" / "layouts"
DUMPS = (LAYOUTS / "site-page.txt", LAYOUTS / "interview-no-blank.txt")
AXE_REPORTS = SCREENSHOTS.parent / "axe"
PART_SIZE = 2        # articles per part of the search index, on average (shards.py)
RELOAD_BUDGET = 2.0  # seconds from a save to the open page showing it
TRANSIENT = (JavascriptException, NoSuchElementException, StaleElementReferenceException)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # Two articles a part: every search test runs over an index in several parts, merged.
    server = Served(tmp_path_factory.mktemp("browser-site"), search=True, dumps=DUMPS,
                    env={"BRIEFING_SEARCH_PART_SIZE": str(PART_SIZE)})
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def light_full_width(browser):
    """Each test starts in the light theme at the window's own width."""
    set_theme(browser, "light")
    reset_width(browser)


# --- what the site holds -------------------------------------------------------------------

def article_bodies(site) -> dict[str, str]:
    """Article URL -> the lower-cased markdown body (front matter removed)."""
    bodies = {}
    for path in sorted((site.paths["content"] / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        slug = re.search(r"^slug: *(.+)$", front, re.M).group(1).strip()
        bodies[f"/articles/{slug}/"] = body.lower()
    assert len(bodies) >= 3, "the seeds give several articles"
    return bodies


def built_page(site, url: str) -> str:
    return (site.paths["output"] / url.strip("/") / "index.html").read_text(encoding="utf-8")


def word_in_one_article(site) -> tuple[str, str]:
    """(article URL, word) for a long word of one article body whose first six letters
    appear nowhere in any other article page, so Pagefind's stemming and prefix
    matching cannot find it elsewhere either."""
    bodies = article_bodies(site)
    for url, body in bodies.items():
        others = [built_page(site, other).lower() for other in bodies if other != url]
        words = sorted(set(re.findall(r"\b[a-z]{8,}\b", body)), key=lambda w: (-len(w), w))
        for word in words:
            if not any(word[:6] in other for other in others):
                return url, word
    raise AssertionError("no article has a word of its own")


def word_in_most_articles(site) -> str:
    counts = Counter(word for body in article_bodies(site).values()
                     for word in set(re.findall(r"\b[a-z]{5,}\b", body)))
    return min(counts, key=lambda w: (-counts[w], w))


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    """One URL per page type, found in the built site."""
    out = site.paths["output"]
    articles = sorted(out.glob("articles/*/index.html"))
    country_topics = sorted(out.glob("countries/*/*/index.html"))
    people, organisations = sorted(out.glob("people/*/index.html")), sorted(out.glob("organisations/*/index.html"))
    assert articles and country_topics, f"the built site lacks articles or country x topic pages: {out}"
    assert people and organisations, f"the built site has no person's or organisation's page: {out}"
    country, topic = country_topics[0].parent.relative_to(out / "countries").parts
    return {"home": "/",
            "article": f"/{articles[0].parent.relative_to(out)}/",
            "article-dated": "/articles/port-workers-extend-strike-into-third-week/",
            "interview": "/articles/iraqi-foreign-minister-militias-must-answer-to-the-state/",
            "countries": "/countries/",
            "country": f"/countries/{country}/",
            "country-topic": f"/countries/{country}/{topic}/",
            "topics": "/topics/",
            "topic": f"/topics/{topic}/",
            "people": "/people/",
            "person": f"/{people[0].parent.relative_to(out)}/",
            "organisations": "/organisations/",
            "organisation": f"/{organisations[-1].parent.relative_to(out)}/",
            "search": f"/search/?q={quote(word_in_most_articles(site))}",
            "404": "/no-such-page/"}


# --- reading the page ----------------------------------------------------------------------

def heading(driver) -> str:
    """The h1's text as written (textContent: CSS text-transform does not change it)."""
    return driver.execute_script(
        "const h = document.querySelector('h1'); return h ? h.textContent.replace(/\\s+/g, ' ').trim() : null")


def banner(driver) -> str | None:
    return driver.execute_script(
        "const b = document.getElementById('briefing-build-error'); return b ? b.textContent : null")


def text_of(element) -> str:
    return re.sub(r"\s+", " ", element.get_attribute("textContent")).strip()


def path_of(url: str) -> str:
    return urlsplit(url).path


def first_link(driver, pattern: str):
    """The first link in <main> whose path matches pattern (a map's links are for the
    pointer only, out of the tab order: a reader's path goes through the lists)."""
    for link in driver.find_elements(By.CSS_SELECTOR, "main a[href]:not(svg a)"):
        if re.fullmatch(pattern, path_of(link.get_attribute("href"))) and text_of(link):
            return link
    raise AssertionError(f"no link to {pattern} in <main> of {driver.current_url}")


def click_and_follow(driver, link) -> tuple[str, str]:
    """Really click the link; (its text, its path) once the browser is on the new page."""
    name, href = text_of(link), link.get_attribute("href")
    link.click()
    wait(driver).until(EC.url_to_be(href))
    wait_until_loaded(driver)
    return name, path_of(href)


RESULTS = """
    const word = arguments[0];
    const message = document.querySelector('.pagefind-ui__message');
    const match = message && message.textContent.trim().match(/^(\\d+) results? for (.*)$/);
    if (!match || match[2].trim().toLowerCase() !== word) return null;
    const items = [...document.querySelectorAll('.pagefind-ui__result')];
    // each result's first link is the page; the nested ones (sub-results) are its headings
    const links = items.map(item => item.querySelector('.pagefind-ui__result-link'));
    if (!items.length || links.includes(null)) return null;  // results still loading
    return {count: Number(match[1]), links: links.map(a => a.getAttribute('href'))};
"""


def search_results(driver, word: str, count: int | None = None, timeout: float = 15) -> dict:
    """Wait for Pagefind's UI to show its results for word (and, if given, that many)."""
    def ready(d):
        found = d.execute_script(RESULTS, word)
        return found if found and (count is None or found["count"] == count) else None
    return wait(driver, timeout).until(ready, f"Pagefind results for {word!r}"
                                              + (f" ({count})" if count is not None else ""))


def open_page(driver, site, url: str, theme: str) -> None:
    set_theme(driver, theme)
    driver.get(site.url + url)
    wait_until_loaded(driver)
    if url.startswith("/search/"):
        search_results(driver, url.split("q=", 1)[1])
    assert theme_in_effect(driver) == theme


# --- 1. navigation -------------------------------------------------------------------------

def test_a_site_page_article_shows_its_date_author_and_place_and_an_interview_its_questions(
        browser, site, pages):
    open_page(browser, site, pages["article-dated"], "light")
    meta = browser.find_element(By.CSS_SELECTOR, ".article-meta").text
    assert meta.startswith("4 June 2019 · By Leila Example, Tangier · "), meta
    open_page(browser, site, pages["interview"], "light")
    questions = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".article-body p > strong")]
    assert questions == ["Do the factions obey the government?", "Will US forces leave Iraq?",
                         "What about the war in Gaza?"]


def test_clicking_country_then_article_then_topic_lands_on_each_page(browser, site):
    browser.get(site.url + "/")
    wait_until_loaded(browser)
    assert heading(browser) and browser.title.startswith(heading(browser)), "home h1 is the site title"
    assert banner(browser) is None, banner(browser)

    country, country_url = click_and_follow(browser, first_link(browser, r"/countries/[^/]+/"))
    assert heading(browser) == country

    title, article_url = click_and_follow(browser, first_link(browser, r"/articles/[^/]+/"))
    assert heading(browser) == title
    assert browser.find_elements(By.CSS_SELECTOR, f'main a[href="{country_url}"]'), "the article links its country"

    topic, topic_url = click_and_follow(browser, first_link(browser, r"/topics/[^/]+/"))
    assert heading(browser) == topic
    assert browser.find_elements(By.CSS_SELECTOR, f'main a[href="{article_url}"]'), "the topic lists the article"


# --- 2. search -----------------------------------------------------------------------------

def test_search_box_on_home_finds_the_one_article_with_a_word(browser, site):
    article_url, word = word_in_one_article(site)
    browser.get(site.url + "/")
    wait_until_loaded(browser)
    box = browser.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
    box.send_keys(word, Keys.ENTER)
    wait(browser).until(lambda d: path_of(d.current_url).endswith("/search/"))
    results = search_results(browser, word)
    print(f"search {word!r}: {results['links']}")
    assert results["count"] == 1 and [path_of(link) for link in results["links"]] == [article_url]


STACKED_GAP = """
    const filters = document.querySelector('.pagefind-ui__filter-panel').getBoundingClientRect();
    const results = document.querySelector('.pagefind-ui__results-area').getBoundingClientRect();
    return results.top >= filters.bottom ? results.top - filters.bottom : null;  // null: side by side
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_has_one_working_search_box_and_no_gap_above_the_results(browser, site, pages, width):
    emulate_width(browser, width)
    open_page(browser, site, pages["search"], "light")
    word = pages["search"].split("q=", 1)[1]
    boxes = [box for box in browser.find_elements(By.CSS_SELECTOR, "input:not([type=checkbox])")
             if box.is_displayed()]
    assert [box.get_attribute("id") for box in boxes] == ["search-input"], "only Pagefind's box"
    assert boxes[0].get_attribute("value") == word
    gap = browser.execute_script(STACKED_GAP)
    if width < 600:
        assert gap is not None and gap <= 24, f"{gap} px of nothing between the filters and the results"
    article_url, own_word = word_in_one_article(site)
    boxes[0].clear()
    boxes[0].send_keys(own_word)
    results = search_results(browser, own_word, 1)
    assert [path_of(link) for link in results["links"]] == [article_url]


def filter_values(site, url: str, name: str) -> set[str]:
    page = built_page(site, path_of(url))
    return {html.unescape(value) for value in re.findall(rf'data-pagefind-filter="{name}">([^<]*)<', page)}


def part_of(site, url: str) -> str:
    """The part of the search index an article page is in (shards.py, as serve split it)."""
    from briefing import shards

    manifest = json.loads((site.paths["output"] / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    count = int(manifest["parts"][0].split("-")[0])
    return f"{count}-{shards.part_of(path_of(url).strip('/').split('/')[-1], count)}"


def test_a_country_or_topic_filter_narrows_the_results_from_every_part(browser, site):
    word = word_in_most_articles(site)
    browser.get(f"{site.url}/search/?q={quote(word)}")
    before = search_results(browser, word)
    assert before["count"] >= 2, f"{word!r} should be in several articles: {before}"

    # A filter whose articles sit in different parts of the index, so that it narrows
    # results merged from several parts to results still from several parts.
    parts = {link: part_of(site, link) for link in before["links"]}
    assert len(set(parts.values())) >= 2, before["links"]
    choice = None
    for block in browser.find_elements(By.CSS_SELECTOR, "details.pagefind-ui__filter-block"):
        if not block.get_attribute("open"):
            block.find_element(By.CSS_SELECTOR, "summary").click()
        for option in block.find_elements(By.CSS_SELECTOR, ".pagefind-ui__filter-value"):
            box = option.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
            label = option.find_element(By.CSS_SELECTOR, "label")
            shown = re.search(r"\((\d+)\)$", text_of(label))
            name, value = box.get_attribute("name"), box.get_attribute("value")
            if name not in ("country", "topic"):    # people's and organisations' filters: not this test's
                break
            spread = {parts[link] for link in parts if value in filter_values(site, link, name)}
            if shown and 0 < int(shown.group(1)) < before["count"] and len(spread) >= 2:
                choice = (name, value, int(shown.group(1)), label)
                break
        if choice:
            break
    assert choice, f"no country or topic filter narrows the {before['count']} results for {word!r} " \
                   "to results from two parts"
    name, value, count, label = choice
    assert browser.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-excerpt mark"), "highlighted excerpts"
    if len(before["links"]) == before["count"]:     # all shown: the filter's count is over every part
        assert count == sum(value in filter_values(site, link, name) for link in before["links"])
    label.click()
    after = search_results(browser, word, count)
    print(f"search {word!r}: {before['count']} results; filter {name}={value!r}: {after['count']}")
    assert len({part_of(site, link) for link in after["links"]}) >= 2, after["links"]
    assert after["count"] < before["count"] and set(after["links"]) < set(before["links"])
    for link in after["links"]:
        assert value in filter_values(site, link, name), (link, name, value)
    for link in set(before["links"]) - set(after["links"]):
        assert value not in filter_values(site, link, name), (link, name, value)


def test_clicking_a_timeline_entry_lands_on_the_paragraph_that_gives_the_date(browser, site, pages):
    # The dated site-page articles are in Iraq's briefing; its timeline links to paragraphs.
    browser.get(site.url + "/countries/iraq/")
    wait_until_loaded(browser)
    timeline = browser.find_element(By.CSS_SELECTOR, "section#timeline")
    entries = [a for a in timeline.find_elements(By.CSS_SELECTOR, ".moment-text a")
               if "#p-" in a.get_attribute("href")]
    assert entries, "Iraq's timeline has no entry that links to a paragraph"
    link = entries[0]
    sentence, href = text_of(link), link.get_attribute("href")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    wait(browser).until(EC.url_to_be(href))
    wait_until_loaded(browser)
    anchor = urlsplit(href).fragment
    landed = browser.execute_script(
        "const p = document.getElementById(arguments[0]); if (!p) return null;"
        "const box = p.getBoundingClientRect();"
        "return {text: p.textContent.replace(/\\s+/g, ' ').trim(), top: box.top, height: innerHeight,"
        "        target: document.querySelector(':target') === p};", anchor)
    assert landed is not None, f"{href}: no element with id {anchor}"
    assert landed["target"] and -1 <= landed["top"] < landed["height"], landed
    # The paragraph holds the very sentence the timeline quoted.
    assert " ".join(sentence.split()) in landed["text"], (sentence, landed["text"])


def test_the_organisations_index_filters_by_country_and_keeps_the_choice_in_the_address(browser, site):
    from selenium.webdriver.support.ui import Select

    browser.get(site.url + "/organisations/")
    wait_until_loaded(browser)
    items = browser.find_elements(By.CSS_SELECTOR, ".entity-index > li")
    select = Select(browser.find_element(By.ID, "entity-country"))
    assert browser.find_element(By.CSS_SELECTOR, "[data-entity-filter]").is_displayed()
    codes = [option.get_attribute("value") for option in select.options if option.get_attribute("value")]
    # The country that filters out the most, so that the test sees the filter at work.
    code = min(codes, key=lambda c: sum(c in (i.get_attribute("data-countries") or "").split() for i in items))
    select.select_by_value(code)
    shown = [i for i in items if i.is_displayed()]
    # Shown exactly when tied to the country, and the count says so.
    assert shown and all((i in shown) == (code in i.get_attribute("data-countries").split()) for i in items)
    assert browser.find_element(By.CSS_SELECTOR, ".entity-filter-count").text == f"{len(shown)} of {len(items)} shown"
    assert f"country={code}" in browser.current_url
    browser.get(browser.current_url)        # a shared link opens filtered
    wait_until_loaded(browser)
    assert Select(browser.find_element(By.ID, "entity-country")).first_selected_option.get_attribute("value") == code
    assert len([i for i in browser.find_elements(By.CSS_SELECTOR, ".entity-index > li") if i.is_displayed()]) \
        == len(shown)


# --- 4. accessibility ----------------------------------------------------------------------

@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_serious_violation(browser, site, pages, kind, theme):
    open_page(browser, site, pages[kind], theme)
    if kind == "search":  # audit Pagefind's filter checkboxes too, not only their headings
        for summary in browser.find_elements(By.CSS_SELECTOR, "details.pagefind-ui__filter-block > summary"):
            summary.click()
        assert browser.find_elements(By.CSS_SELECTOR, ".pagefind-ui__filter-checkbox")
    violations = run_axe(browser)
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{kind}-{theme}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")
    print(f"axe {kind} ({pages[kind]}), {theme}: {len(violations)} violation(s)\n"
          + describe_violations(violations))
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, (f"axe on the {kind} page ({pages[kind]}), {theme} theme:\n"
                         + describe_violations(serious))


# --- 5. screenshots ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_screenshots_and_no_sideways_scrolling_on_a_phone(browser, site, pages, kind):
    sideways = []
    for theme in THEMES:
        open_page(browser, site, pages[kind], theme)
        for width in WIDTHS:
            full_page_screenshot(browser, SCREENSHOTS / f"{kind}-{width}-{theme}.png", width)
            overflow = horizontal_overflow(browser)
            if overflow["scrollWidth"] > overflow["width"]:
                sideways.append(f"{theme} at {width} px: page is {overflow['scrollWidth']} px wide; "
                                f"sticking out: {', '.join(overflow['sticking']) or '?'}")
        reset_width(browser)
    assert not sideways, f"the {kind} page ({pages[kind]}) scrolls sideways:\n" + "\n".join(sideways)


# --- 3. live reload (last: it edits content, then puts it back) -----------------------------

def livereload_connected(driver) -> bool:
    return bool(driver.execute_script(
        "return !!(window.LiveReload && LiveReload.connector && LiveReload.connector.protocol)"))


def save_and_watch(driver, path: Path, text: str, shown, what: str, timeout: float = 10) -> float:
    """Save the file, wait for the open page to show it by itself; seconds from save to seen."""
    path.write_text(text, encoding="utf-8")
    saved = time.time()
    wait(driver, timeout, poll=0.02).until(lambda d: shown(d), f"the open page never showed {what}")
    seen = time.time() - saved
    navigation = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return {type: n.type, ready: (performance.timeOrigin + n.domContentLoadedEventEnd) / 1000}")
    assert navigation["type"] == "reload", "the page must reload itself"
    print(f"live reload, {what}: seen {seen * 1000:.0f} ms after the save "
          f"(new page's DOMContentLoaded at +{(navigation['ready'] - saved) * 1000:.0f} ms)")
    wait(driver, 5).until(livereload_connected, "live reload did not reconnect")
    return seen


def test_live_reload_shows_an_edit_then_a_broken_save_then_the_fix(browser, site):
    path = sorted((site.paths["content"] / "articles").glob("*.md"))[0]
    original = path.read_text(encoding="utf-8")
    front = yaml.safe_load(original.split("\n---\n", 1)[0].removeprefix("---\n"))
    title, url = front["title"], f"/articles/{front['slug']}/"
    edited_title = "Edited live: " + title

    def with_title(line: str) -> str:
        return re.sub(r"^title:.*$", lambda _: line, original, count=1, flags=re.M)

    edited = with_title(f"title: {json.dumps(edited_title)}")  # a JSON string is a YAML string
    broken = with_title("title: [unclosed")
    assert edited != original and broken != original

    browser.get(site.url + url)
    wait_until_loaded(browser)
    assert heading(browser) == title
    wait(browser, 5).until(livereload_connected, "the page never connected to live reload")
    try:
        seconds = save_and_watch(browser, path, edited, lambda d: heading(d) == edited_title, "the new title")
        assert seconds <= RELOAD_BUDGET, f"the new title took {seconds:.2f} s (budget {RELOAD_BUDGET} s)"

        save_and_watch(browser, path, broken, banner, "the error banner")
        message = banner(browser)
        print("banner:", re.sub(r"\s+", " ", message))
        assert re.search(rf"{re.escape(path.name)}:\d+", message), f"the banner names the file and line: {message}"
        assert browser.find_element(By.ID, "briefing-build-error").get_attribute("role") == "alert"
        assert heading(browser) == edited_title, "the last good build stays under the banner"

        save_and_watch(browser, path, original, lambda d: banner(d) is None and heading(d) == title,
                       "the fix (banner gone)")
    finally:
        if path.read_text(encoding="utf-8") != original:
            path.write_text(original, encoding="utf-8")
