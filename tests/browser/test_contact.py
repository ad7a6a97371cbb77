"""The contact flow in a real browser: a citizen writes, the collective accepts from its e-mail."""

import os
import re

import pytest
from django.db import connections

from network.models import ContactRequest, OutboundEmail
from tests.factories import OrganizationFactory, real_commune

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(reference_data, live_server, monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are
    # still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    foreign: list[str] = []

    def only_the_test_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="fr-BE")
        context.route("**/*", only_the_test_server)
        yield context.new_page()
        # Database connections opened while Playwright ran live in its context: close them
        # here, or the test database cannot be dropped at the end of the session.
        connections.close_all()
        browser.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


def test_citizen_contacts_a_collective_which_accepts_from_its_email(page, live_server, settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0
    settings.RELAIS_SITE_URL = live_server.url
    collective = OrganizationFactory(
        name="Chauffeurs solidaires",
        slug="chauffeurs",
        needs=["drivers"],
        municipality=real_commune("Gembloux"),
    )
    page.goto(f"{live_server.url}/organisations/{collective.slug}/")
    page.get_by_role("link", name="Contacter ce collectif").click()
    page.get_by_label("Votre nom ou prénom").fill("Camille")
    page.get_by_label("E-mail").fill("camille@example.net")
    page.get_by_label("Conduire (trajets)").check()
    page.get_by_label("Votre message").fill("Je peux conduire le soir.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    # Consent is required: the page says so and keeps what was typed.
    assert "Votre accord est nécessaire" in page.locator("main").inner_text()
    assert page.get_by_label("Votre nom ou prénom").input_value() == "Camille"
    page.get_by_label("J'accepte que mes coordonnées").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert "transmise au collectif « Chauffeurs solidaires »" in page.locator("main").inner_text()

    request = ContactRequest.objects.get()
    assert request.assigned_organization == collective
    email = OutboundEmail.objects.get(kind="routed")
    accept = re.search(r"http://\S+/accepter/", email.body).group(0)
    page.goto(accept)
    page.get_by_role("button", name="J'accepte cette demande").click()
    assert "Vous avez accepté" in page.locator("main").inner_text()
    request.refresh_from_db()
    assert request.status == "accepted"
    assert OutboundEmail.objects.filter(
        kind="accepted", recipients=["camille@example.net"]
    ).exists()
