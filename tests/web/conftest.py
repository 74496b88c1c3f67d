"""Browser fixtures: Debian's Chromium driven by Playwright, in phone and desktop viewports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.editor_driver import EditorDriver

CHROMIUM = "/usr/bin/chromium"
# Set (as .ci/run does) to make a missing Chromium fail the browser tests instead of skipping them.
REQUIRE_BROWSER = "AMETHYST_REQUIRE_BROWSER"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
LANDSCAPE_PHONE = {**PHONE, "viewport": {"width": 844, "height": 390}}
DESKTOP = {"viewport": {"width": 1440, "height": 900}, "device_scale_factor": 1}


def no_chromium() -> str:
    return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without Debian's Chromium every browser test skips, all for one reason, unless
    AMETHYST_REQUIRE_BROWSER=1 asks for them: then each fails."""
    if item.get_closest_marker("browser") is None or os.access(CHROMIUM, os.X_OK):
        return
    if os.environ.get(REQUIRE_BROWSER) == "1":
        required = f"{REQUIRE_BROWSER}=1 but the browser tests cannot run: {no_chromium()}"
        pytest.fail(required, pytrace=False)
    pytest.skip(f"{no_chromium()}; set {REQUIRE_BROWSER}=1 to fail instead")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say why the browser tests skipped, also where pytest runs without -rs."""
    skipped = terminalreporter.stats.get("skipped", [])
    count = sum(no_chromium() in report.longrepr[2] for report in skipped)
    if count:
        terminalreporter.write_line(f"{count} browser tests skipped: {no_chromium()}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test gets a fresh context."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, options: dict) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def phone_page(chromium: Browser) -> Iterator[Page]:
    """A 390x844 touch phone viewport; fails the test on any uncaught page error."""
    yield from _page(chromium, PHONE)


@pytest.fixture
def desktop_page(chromium: Browser) -> Iterator[Page]:
    """A 1440x900 mouse-and-keyboard viewport; fails the test on any uncaught page error."""
    yield from _page(chromium, DESKTOP)


@pytest.fixture
def phone(phone_page: Page, live_server: str) -> EditorDriver:
    """The editor opened from the live server in the phone viewport."""
    return EditorDriver(phone_page, live_server, SCREENSHOTS, "phone", touch=True)


@pytest.fixture
def landscape_phone(chromium: Browser, live_server: str) -> Iterator[EditorDriver]:
    """The editor on a phone held sideways (844x390 touch viewport)."""
    for page in _page(chromium, LANDSCAPE_PHONE):
        yield EditorDriver(page, live_server, SCREENSHOTS, "landscape", touch=True)


@pytest.fixture
def desktop(desktop_page: Page, live_server: str) -> EditorDriver:
    """The editor opened from the live server in the desktop viewport."""
    return EditorDriver(desktop_page, live_server, SCREENSHOTS, "desktop", touch=False)
