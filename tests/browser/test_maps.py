"""The maps in a real browser: clusters add up, popups lead to listings, nothing leaves the site."""

import re

import pytest
from playwright.sync_api import expect

from network.listings.models import Organization
from tests.factories import OrganizationFactory, StaffFactory, real_commune

pytestmark = pytest.mark.browser


def wait_for_map(page, selector: str) -> None:
    expect(page.locator(selector)).to_have_attribute("data-map-ready", "true")


def markers_on_map(page, selector: str) -> int:
    """Listings visible on the map: each cluster counts its members, each marker counts one."""
    clusters = page.locator(
        f"{selector} .leaflet-marker-pane .marker-cluster span"
    ).all_inner_texts()
    singles = page.locator(f"{selector} .leaflet-marker-pane .relais-marker").count()
    return sum(int(text) for text in clusters) + singles


def test_clusters_and_markers_add_up_to_the_filtered_results(browser_page):
    namur, gembloux, arlon = real_commune("Namur"), real_commune("Gembloux"), real_commune("Arlon")
    for index in range(12):
        OrganizationFactory(municipality=namur if index % 2 else gembloux, needs=["drivers"])
    OrganizationFactory.create_batch(3, municipality=arlon, needs=["drivers"])
    OrganizationFactory.create_batch(4, municipality=namur, needs=["hosts"])
    OrganizationFactory(municipality=namur, needs=["drivers"], status=Organization.Status.PENDING)

    browser_page.goto("/carte/?near=Namur&radius_km=30&need=drivers")

    expect(browser_page.get_by_role("heading", name=re.compile("12 résultats"))).to_be_visible()
    wait_for_map(browser_page, "#results-map")
    assert markers_on_map(browser_page, "#results-map") == 12
    assert browser_page.context.relais_guard.tile_requests > 0


def test_toggle_between_list_and_map_keeps_the_filters(browser_page):
    OrganizationFactory(
        name="Collectif des chauffeurs", municipality=real_commune("Namur"), needs=["drivers"]
    )
    OrganizationFactory(
        name="Collectif des hébergeurs", municipality=real_commune("Namur"), needs=["hosts"]
    )

    browser_page.goto("/?near=5000&need=drivers")
    browser_page.get_by_role("link", name="Carte", exact=True).last.click()

    expect(browser_page).to_have_url(re.compile(r"/carte/\?near=5000&need=drivers"))
    wait_for_map(browser_page, "#results-map")
    assert markers_on_map(browser_page, "#results-map") == 1
    browser_page.get_by_role("link", name="Liste", exact=True).click()
    expect(browser_page.get_by_role("link", name="Collectif des chauffeurs")).to_be_visible()
    expect(browser_page.get_by_role("link", name="Collectif des hébergeurs")).to_have_count(0)


def test_clicking_a_popup_link_opens_that_listing(browser_page):
    OrganizationFactory(
        name="Hébergeurs solidaires de Dinant",
        slug="hebergeurs-dinant",
        municipality=real_commune("Dinant"),
        needs=["hosts", "drivers"],
    )

    browser_page.goto("/carte/?near=Dinant")
    wait_for_map(browser_page, "#results-map")
    browser_page.locator("#results-map .relais-marker").click()

    popup = browser_page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Hébergeurs solidaires de Dinant")
    expect(popup).to_contain_text("Collectif citoyen")
    expect(popup).to_contain_text("Hébergeurs")
    expect(popup).to_contain_text("Chauffeurs")
    popup.get_by_role("link", name="Voir la fiche").click()
    expect(browser_page).to_have_url(re.compile(r"/organisations/hebergeurs-dinant/$"))
    expect(browser_page.get_by_role("heading", level=1)).to_contain_text(
        "Hébergeurs solidaires de Dinant"
    )


def test_listing_of_a_private_address_shows_the_commune_area_without_a_marker(browser_page):
    organization = OrganizationFactory(municipality=real_commune("Ciney"))

    browser_page.goto(f"/organisations/{organization.slug}/")

    wait_for_map(browser_page, "#listing-map")
    expect(browser_page.locator("#listing-map path.leaflet-interactive")).to_have_count(1)
    expect(browser_page.locator("#listing-map .leaflet-marker-icon")).to_have_count(0)


def test_staff_coverage_map_renders_every_municipality(browser_page, browser_login):
    OrganizationFactory(municipality=real_commune("Namur"), area_served=[real_commune("Andenne")])
    browser_login(StaffFactory())

    browser_page.goto("/equipe/couverture/")

    wait_for_map(browser_page, "#coverage-map")
    expect(browser_page.locator("#coverage-map path.coverage-area")).to_have_count(261)
    expect(browser_page.locator("#coverage-map path.coverage-area--covered")).to_have_count(2)
    expect(
        browser_page.get_by_role("heading", name="259 communes sans organisation")
    ).to_be_visible()
