"""The API documentation works offline in a real browser, under the site's CSP."""

import shutil
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, monkeypatch):
    """A chromium page that may only talk to the test server; other hosts fail the test."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium introuvable : apt-get install chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    host = urlparse(live_server.url).netloc
    foreign: list[str] = []
    console_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()

        def guard(route):
            if urlparse(route.request.url).netloc == host:
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on(
            "console",
            lambda message: message.type == "error" and console_errors.append(message.text),
        )
        page.console_errors = console_errors
        yield page
        browser.close()
    assert foreign == [], f"Requests to other hosts: {foreign}"


def test_swagger_ui_shows_the_relais_api_with_no_outside_request_and_no_csp_violation(
    page, live_server
):
    page.goto(f"{live_server.url}/api/v1/docs/")

    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Relais API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/organizations/", timeout=15000)
    assert not [error for error in page.console_errors if "Content Security Policy" in error]
