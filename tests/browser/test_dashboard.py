"""The staff dashboard in a real browser: charts render without script, no sideways scroll."""

import pytest
from django.core.management import call_command

from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1280])
def test_staff_sees_the_demo_dashboard_without_horizontal_scroll(
    browser_page, browser_login, width
):
    call_command("seed_demo", verbosity=0)
    browser_login(StaffFactory())
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/equipe/tableau-de-bord/")
    assert "36 demandes reçues sur la période." in page.locator("main").inner_text()
    # Every chart is drawn, with its accessible name, and has bars.
    charts = page.get_by_role("img")
    assert charts.count() >= 3
    assert page.get_by_role("img", name="Demandes reçues par semaine, selon leur statut actuel")
    assert page.locator("svg.chart rect").count() > 20
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    # The period form answers in French, in the page.
    page.get_by_label("Du", exact=True).fill("2026-03-22")
    page.get_by_label("Au (inclus)").fill("2026-03-02")
    page.get_by_role("button", name="Afficher").click()
    assert "La date de début doit précéder la date de fin." in page.locator("main").inner_text()
