"""Browser tests: a real Chromium against Django's live server.

``live_server`` flushes every table after each test, which takes Wagtail's
root page, locale and site (all made by migrations) with it, so each test
rebuilds the tree and loads the archive afresh.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.archive_fixtures import load_archive
from tests.factories import rebuild_migrated_site

# Playwright's sync API runs an event loop in the test thread; the database
# calls the fixtures make there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
AXE_PATH = Path(
    os.environ.get(
        "AXE_PATH",
        Path(settings.BASE_DIR) / ".venv/npm/node_modules/axe-core/axe.min.js",
    )
)


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium is not installed at {CHROMIUM}.")
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM}")
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def site(live_server, transactional_db):
    """The loaded archive, served by the live server."""
    rebuild_migrated_site()
    load_archive()
    return live_server


@pytest.fixture
def login(context, live_server):
    """Log ``user`` into the browser by planting a session cookie."""

    def plant(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return plant


@pytest.fixture
def screenshot(page):
    """Save a full-page picture under test-results/screenshots/ for people to see."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_violations(page):
    """Serious and critical axe-core violations on the page as it is now."""
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `make install-test`.")

    source = AXE_PATH.read_text()

    def audit() -> list[dict]:
        # Evaluated rather than added as a <script>: the pages' own policy
        # forbids inline scripts, and the audit is no script of theirs.
        page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return audit


@pytest.fixture
def policy_violations(page):
    """Every Content-Security-Policy violation the browser reports, as it happens."""
    reported: list[str] = []
    page.on(
        "console",
        lambda message: (
            reported.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return reported
