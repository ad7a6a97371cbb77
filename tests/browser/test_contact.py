"""The contact flow in a real browser: a citizen writes, the collective accepts from its e-mail."""

import re
from urllib.parse import urlsplit

import pytest

from network.contact.models import ContactRequest
from network.outbox.models import OutboundEmail
from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.browser


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_citizen_contacts_a_collective_which_accepts_from_its_email(browser_page, settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0
    page = browser_page
    collective = OrganizationFactory(
        name="Chauffeurs solidaires",
        slug="chauffeurs",
        needs=["drivers"],
        municipality=real_commune("Gembloux"),
    )
    page.goto(f"/organisations/{collective.slug}/")
    page.get_by_role("link", name="Contacter ce collectif").click()
    page.get_by_label("Votre nom ou prénom").fill("Camille")
    page.get_by_label("E-mail").fill("camille@example.net")
    page.get_by_label("Conduire (trajets)").check()
    page.get_by_label("Votre message").fill("Je peux conduire le soir.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    # Consent is required: the page says so and keeps what was typed.
    assert "Votre accord est nécessaire" in main_text(page)
    assert page.get_by_label("Votre nom ou prénom").input_value() == "Camille"
    page.get_by_label("J'accepte que mes coordonnées").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert "transmise au collectif « Chauffeurs solidaires »" in main_text(page)

    request = ContactRequest.objects.get()
    assert request.assigned_organization == collective
    email = OutboundEmail.objects.get(kind="routed")
    accept = re.search(r"http://\S+/accepter/", email.body).group(0)
    page.goto(urlsplit(accept).path)
    page.get_by_role("button", name="J'accepte cette demande").click()
    assert "Vous avez accepté" in main_text(page)
    request.refresh_from_db()
    assert request.status == "accepted"
    assert OutboundEmail.objects.filter(
        kind="accepted", recipients=["camille@example.net"]
    ).exists()
