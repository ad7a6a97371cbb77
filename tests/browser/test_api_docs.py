"""The API documentation works offline in a real browser, under the site's CSP.

`browser_page` (tests/browser/conftest.py) fails the test on any request to another host, on
a JavaScript error and on a Content-Security-Policy violation.
"""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_shows_the_relais_api_from_the_site_alone(browser_page):
    browser_page.goto("/api/v1/docs/")

    browser_page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Relais API" in browser_page.inner_text(".swagger-ui .info .title")
    browser_page.wait_for_selector("text=/api/v1/organizations/", timeout=15_000)
