import os
import shutil
from pathlib import Path

import pytest

from tests.factories import ChapterFactory, OrganiserFactory

# Playwright's sync API runs an event loop in the test thread; the live server
# and the ORM calls in browser tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
NO_CHROMIUM = "chromium is not installed; browser journeys skipped"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def screenshot_dir(tmp_path):
    """docs/screenshots/ when UPDATE_SCREENSHOTS=1 (to refresh the README's
    pictures), else a temporary folder, so a test run leaves the tree clean."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    return tmp_path


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EXPORTS_ROOT = tmp_path / "exports"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from chapters.cache import local_answers

    cache.clear()
    local_answers.clear()
    yield
    cache.clear()
    local_answers.clear()


# Shared by several test packages; a package or module that needs more of a
# fixture (a time zone, a named organiser) defines its own of the same name.


@pytest.fixture
def chapter(db):
    """The Jordanian chapter."""
    return ChapterFactory(country="JO")


@pytest.fixture
def organiser(chapter):
    """An organiser of `chapter`, with an account of their own."""
    return OrganiserFactory(chapter=chapter).user


@pytest.fixture
def organiser_client(client, organiser):
    """The test client, signed in as `organiser`."""
    client.force_login(organiser)
    return client


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent():` runs the e-mails queued after commit, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium was found on the PATH")
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # No service worker: the meeting day's would keep pages in the background
    # after a test ends; the offline journeys open their own contexts with it.
    context = browser.new_context(
        base_url=live_server.url, locale="ar", service_workers="block"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """Without chromium the browser journeys skip among the other skips; one
    line after the short summary, just above the counts, says how many did
    not run and how to run them."""
    yield
    skipped = sum(
        1
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and NO_CHROMIUM in report.longrepr[2]
    )
    if skipped:
        journeys = "journey was" if skipped == 1 else "journeys were"
        terminalreporter.write_line(
            f"{skipped} browser {journeys} skipped: chromium was not found. "
            "Install it to run them: apt-get install chromium",
            yellow=True,
            bold=True,
        )
