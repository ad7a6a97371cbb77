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


def opening_tuesday(organization):
    from datetime import time

    from network.listings.models import OpeningPeriod

    OpeningPeriod.objects.create(
        organization=organization, weekday=1, opens_at=time(17), closes_at=time(21)
    )


def test_hours_are_written_the_french_way_in_french(client):
    organization = OrganizationFactory()
    opening_tuesday(organization)
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "<time>17:00</time>–<time>21:00</time>" in html


def test_hours_are_written_the_english_way_in_english(client):
    organization = OrganizationFactory()
    opening_tuesday(organization)
    html = client.get(
        f"/organisations/{organization.slug}/", headers={"accept-language": "en"}
    ).content.decode()
    assert "<time>5 p.m.</time>–<time>9 p.m.</time>" in html


@pytest.mark.parametrize(
    ("kind", "button"),
    [
        (Organization.Kind.COLLECTIVE, "Contacter ce collectif"),
        (Organization.Kind.ASSOCIATION, "Contacter cette association"),
        (Organization.Kind.MUNICIPALITY, "Contacter cette commune"),
    ],
)
def test_contact_button_wording_fits_the_kind(client, kind, button):
    organization = OrganizationFactory(kind=kind)
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert button in html


def test_listing_says_how_long_ago_it_was_verified(client):
    from datetime import timedelta

    organization = OrganizationFactory(verified_at=timezone.now() - timedelta(days=3, hours=2))
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "Vérifié il y a 3\xa0jours" in html


def test_directions_lead_to_the_commune_when_the_address_is_private(client):
    namur = real_commune("Namur")
    organization = OrganizationFactory(municipality=namur, address_visibility="commune")
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert (
        "https://www.openstreetmap.org/directions?route=%3B"
        f"{namur.latitude:.5f}%2C{namur.longitude:.5f}"
    ) in html
    assert "Itinéraire vers Namur" in html


def test_listing_offers_sharing_by_e_mail_and_printing(client):
    organization = OrganizationFactory(name="Pain partagé")
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "mailto:?subject=Pain%20partag%C3%A9" in html
    assert "Imprimer" in html
