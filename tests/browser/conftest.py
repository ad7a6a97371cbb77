"""Browser fixtures: Playwright drives Debian's chromium against pytest-django's live server.

`browser_page` is the fixture to use. Every request the page makes goes through a router:
- requests to the live server go through;
- map tiles (the configured RELAIS_TILE_URL) are answered here with a small PNG;
- anything else is blocked and FAILS the test, as does an uncaught JavaScript error.
A screenshot of a failed test is written to test-artifacts/ (git-ignored).

Each browser test runs against a committed database (the live server is another thread) that
is emptied afterwards; serialized rollback restores the gazetteer and the taxonomy before each
one (see tests/conftest.py).
"""

import base64
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A 1x1 light-grey PNG: enough for Leaflet to consider a tile loaded.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)

# Playwright's sync API keeps an asyncio loop in this thread, and Django refuses ORM calls from a
# thread with a running loop. The tests themselves are synchronous, so the check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def tile_url_pattern(template: str) -> re.Pattern:
    """A regular expression matching the URLs Leaflet derives from a tile URL template."""
    pattern = re.escape(template)
    for placeholder, regex in (
        ("{s}", r"[a-z0-9-]+"),
        ("{z}", r"\d+"),
        ("{x}", r"\d+"),
        ("{y}", r"-?\d+"),
        ("{r}", r"(@2x)?"),
    ):
        pattern = pattern.replace(re.escape(placeholder), regex)
    return re.compile(pattern + r"(\?.*)?$")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session; the tests skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Tests de navigateur ignorés : /usr/bin/chromium est absent (apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageGuard:
    """What the router saw: blocked requests to other hosts and tiles answered locally."""

    def __init__(self, live_server_url: str):
        live = urlsplit(live_server_url)
        self.origin = (live.scheme, live.hostname, live.port)
        self.tiles = tile_url_pattern(settings.RELAIS_TILE_URL)
        self.outside: list[str] = []
        self.tile_requests = 0
        self.errors: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        if self.tiles.match(url):
            self.tile_requests += 1
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
            return
        parts = urlsplit(url)
        if (parts.scheme, parts.hostname, parts.port) == self.origin:
            route.continue_()
            return
        self.outside.append(url)
        route.abort("blockedbyclient")


@pytest.fixture
def browser_context(browser, live_server, request, django_db_serialized_rollback):
    """A fresh browser context (cookies, storage) on the live server, guarded by the router."""
    guard = PageGuard(live_server.url)
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-BE",
        viewport={"width": 1280, "height": 900},
        service_workers="block",
    )
    context.route("**/*", guard.route)
    context.relais_guard = guard
    yield context
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed or guard.outside or guard.errors:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        for index, page in enumerate(context.pages):
            page.screenshot(path=str(ARTIFACTS / f"{name}-{index}.png"), full_page=True)
    context.close()
    if guard.outside:
        pytest.fail(
            "La page a contacté un autre hôte que le serveur de test : " + ", ".join(guard.outside)
        )
    if guard.errors:
        pytest.fail("Erreur JavaScript dans la page : " + " | ".join(guard.errors))


@pytest.fixture
def browser_page(browser_context):
    """A page of the guarded context; `page.goto("/carte/")` is relative to the live server."""
    page = browser_context.new_page()
    page.on("pageerror", lambda error: browser_context.relais_guard.errors.append(str(error)))
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def browser_login(browser_context, live_server):
    """Log a user in for the browser context, without going through a login form."""

    def login(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return login
