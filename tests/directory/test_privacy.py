import pytest

from network.listings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def coordinate_strings(value: float) -> set[str]:
    """The ways a coordinate could be written in a page (dot or comma decimals, rounded)."""
    forms = set()
    for digits in (3, 4, 5, 6):
        text = f"{value:.{digits}f}"
        forms |= {text, text.replace(".", ",")}
    return forms


@pytest.fixture
def hidden_host():
    return OrganizationFactory(
        name="Hébergeurs discrets",
        address="Rue Secrète 7",
        address_visibility=Organization.AddressVisibility.COMMUNE,
        routing_email="boite-privee@example.org",
        activities=["shelter"],
        needs=["hosts"],
    )


@pytest.mark.parametrize("path", ["/", "/?near=5000", "/?q=discrets", "DETAIL"])
def test_private_fields_never_reach_a_public_page(client, hidden_host, path):
    url = f"/organisations/{hidden_host.slug}/" if path == "DETAIL" else path
    html = client.get(url).content.decode()
    assert "Hébergeurs discrets" in html
    assert "boite-privee@example.org" not in html
    assert "Rue Secrète" not in html
    for value in (hidden_host.latitude, hidden_host.longitude):
        for written in coordinate_strings(value):
            assert written not in html


def test_public_address_is_shown_when_the_organisation_chose_it(client):
    organization = OrganizationFactory(
        address="Place d'Armes 1", address_visibility=Organization.AddressVisibility.EXACT
    )
    html = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "Place d&#x27;Armes 1" in html


def test_distance_is_measured_to_the_commune_not_to_the_hidden_home(hidden_host):
    assert (hidden_host.public_latitude, hidden_host.public_longitude) == (
        hidden_host.municipality.latitude,
        hidden_host.municipality.longitude,
    )
    assert hidden_host.public_latitude != hidden_host.latitude
