"""Headless Chromium for the browser tests: the driver, axe-core, screenshots.

Everything runs offline: Chromium and ChromeDriver are the Debian packages and
are named explicitly (so Selenium Manager never runs), axe-core comes from
node_modules/. `make test` installs all three; a missing one fails the test
with a message saying so rather than skipping it.
"""
from __future__ import annotations

import base64
import math
import re
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from test_build import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")
WINDOW = (1280, 900)


def require_tools() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER, AXE) if not path.is_file()]
    if missing:
        pytest.fail(f"browser test tools missing: {', '.join(missing)}. Run `make test`, which installs "
                    "Chromium, ChromeDriver (Debian packages) and axe-core (npm ci).", pytrace=False)


def start_chromium(profile: Path) -> webdriver.Chrome:
    require_tools()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def wait(driver, timeout: float = 10.0, poll: float = 0.05) -> WebDriverWait:
    return WebDriverWait(driver, timeout, poll_frequency=poll)


def set_theme(driver, theme: str) -> None:
    """Emulate prefers-color-scheme for this tab (it survives navigation)."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"media": "", "features": [{"name": "prefers-color-scheme", "value": theme}]})


def theme_in_effect(driver) -> str:
    return driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'")


def wait_until_loaded(driver) -> None:
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.execute_async_script("document.fonts.ready.then(() => arguments[arguments.length - 1]())")


def run_axe(driver) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    outcome = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
           .then(result => done({violations: result.violations}), error => done({error: String(error)}));""")
    assert "error" not in outcome, outcome.get("error")
    return outcome["violations"]


def describe_violations(violations: list[dict], nodes: int = 4) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} [{violation['impact']}] {violation['help']} "
                     f"({len(violation['nodes'])} element(s))")
        for node in violation["nodes"][:nodes]:
            html = re.sub(r"\s+", " ", node["html"])
            html = html if len(html) <= 140 else html[:137] + "..."
            summary = (node.get("failureSummary") or "").splitlines()
            lines.append(f"    {' '.join(node['target'])}  {html}")
            if len(summary) > 1:
                lines.append(f"      {summary[1].strip()}")
    return "\n".join(lines)


HORIZONTAL_OVERFLOW = """
    const width = document.documentElement.clientWidth;
    const sticking = [];
    for (const element of document.querySelectorAll('body *')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 1) continue;
        const parent = element.parentElement.getBoundingClientRect();
        if (parent.right > width + 1) continue;  // report the outermost element only
        const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
            + (typeof element.className === 'string' && element.className.trim()
               ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
        sticking.push(name + ' (right edge at ' + Math.round(box.right) + ' px)');
    }
    return {scrollWidth: document.documentElement.scrollWidth, width: width, sticking: sticking.slice(0, 8)};
"""


def horizontal_overflow(driver) -> dict:
    """How far the page is wider than the viewport, and the outermost elements sticking out."""
    return driver.execute_script(HORIZONTAL_OVERFLOW)


def emulate_width(driver, width: int, height: int = WINDOW[1]) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def reset_width(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def full_page_screenshot(driver, path: Path, width: int) -> None:
    """The whole page at this viewport width: lay out at the width, then make the
    viewport as tall as the content and capture it."""
    emulate_width(driver, width)
    height = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
    emulate_width(driver, width, max(WINDOW[1], math.ceil(height)))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    emulate_width(driver, width)
