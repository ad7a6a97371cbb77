import pytest
from django.utils import timezone

from network.listings.models import Organization
from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db


def test_listing_shows_needs_first_then_everything_public(client):
    organization = OrganizationFactory(
        name="Maison des solidarités",
        kind=Organization.Kind.ASSOCIATION,
        needs=["drivers", "interpreters"],
        activities=["day-support", "legal-info"],
        area_served=[real_commune("Namur"), real_commune("Gembloux")],
        schedule="Mardi de 14 h à 18 h",
        temporary_message="Fermé le 24 décembre",
        phone="+32 81 00 00 00",
        email="contact@example.org",
        website="https://example.org/",
        languages="fr,ar",
        verified_at=timezone.now(),
    )
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    for text in (
        "Chauffeurs",
        "Interprètes",
        "Accueil de jour",
        "Information juridique",
        "Gembloux",
        "Mardi de 14 h à 18 h",
        "Fermé le 24 décembre",
        "+32 81 00 00 00",
        "contact@example.org",
        "https://example.org/",
        "arabe",
        "Mis à jour le",
        "vérifié le",
    ):
        assert text in html, text
    assert html.index("Besoins actuels") < html.index("Ce que nous faisons")


def test_listing_without_verification_says_so(client):
    organization = OrganizationFactory(verified_at=None)
    assert (
        "pas encore vérifié" in client.get(f"/organisations/{organization.slug}/").content.decode()
    )


def test_paused_organisation_says_it_takes_no_requests(client):
    organization = OrganizationFactory(accepting_requests=False)
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "ne prend pas de nouvelles demandes" in html


def test_demo_listings_are_visibly_examples(client):
    organization = OrganizationFactory(is_example=True)
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "exemple" in html


def test_about_page_credits_both_data_sources(client):
    html = client.get("/a-propos/").content.decode()
    assert "CC BY 4.0" in html and "ODbL" in html


def test_unknown_listing_is_a_404(client):
    assert client.get("/organisations/nexiste-pas/").status_code == 404
