"""The staff inbox in a real browser: route by picking an organisation, on a 320 px screen."""

import pytest

from tests.factories import OrganizationFactory, StaffFactory, real_commune, submit_request

pytestmark = pytest.mark.browser


def test_staff_routes_a_request_by_picking_an_organisation_on_a_small_screen(
    browser_page, browser_login
):
    request = submit_request(place=None)
    hosts = OrganizationFactory(name="Hébergement solidaire", municipality=real_commune("Liège"))
    OrganizationFactory(name="Hébergement en attente", status="pending")
    browser_login(StaffFactory())
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/equipe/demandes/{request.reference}/")
    picker = page.get_by_label("Choix manuel : nom ou commune de l'organisation")
    picker.press_sequentially("heberg")
    # The suggestions come from the site itself; the unpublished listing is not offered.
    options = page.locator("#organization-choices option")
    options.first.wait_for(state="attached")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == [
        "Hébergement solidaire (Liège)"
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    picker.fill(options.first.get_attribute("value"))
    page.get_by_role("button", name="Transmettre à cette organisation").click()
    main = page.locator("main").inner_text()
    assert main.count("Demande transmise à « Hébergement solidaire »") == 1
    request.refresh_from_db()
    assert request.status == "routed" and request.assigned_organization == hosts
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_closing_without_an_outcome_is_stopped_and_explained(browser_page, browser_login):
    request = submit_request(place=None)
    browser_login(StaffFactory())
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/equipe/demandes/{request.reference}/")
    assert page.get_by_label("Issue").input_value() == ""
    page.get_by_role("button", name="Clôturer la demande").click()
    # The browser refuses the empty required choice before anything is sent.
    assert page.get_by_label("Issue").evaluate("element => !element.validity.valid")
    request.refresh_from_db()
    assert request.status == "new"
    page.get_by_label("Issue").select_option(label="Doublon")
    page.get_by_role("button", name="Clôturer la demande").click()
    assert "Demande clôturée." in page.locator("main").inner_text()
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("closed", "duplicate")
