"""Browser fixtures: Playwright drives Debian's chromium against pytest-django's live server.

`browser_page` is the fixture to use. Every request the page makes goes through a router:
- requests to the live server go through;
- map tiles (the configured RELAIS_TILE_URL) are answered here with a small PNG;
- anything else is blocked and FAILS the test, as does an uncaught JavaScript error or a
  Content-Security-Policy violation.
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
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A 1x1 light-grey PNG: enough for Leaflet to consider a tile loaded.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)


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


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module; the tests skip when it is not installed.

    Module scope, not session: the process environment is changed while the browser runs (see
    below) and must be back to normal for the tests that come after, such as `check --deploy`.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            "Tests de navigateur ignorés : /usr/bin/chromium est absent (apt-get install chromium)."
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an asyncio loop running in this thread, and asgiref then hands
    # Django a second, empty set of connections. Keep the ones the test database was set up on
    # (they carry the serialized gazetteer that serialized rollback restores).
    shared = {alias: connections[alias] for alias in connections}
    # With that loop running, Django would also refuse every ORM call as "async"; the tests are
    # plain synchronous code, so the check does not apply while the browser runs.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in shared.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


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
    errors = browser_context.relais_guard.errors
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A Content-Security-Policy violation (an inline script, a foreign source) is only logged.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
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
