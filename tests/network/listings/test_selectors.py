"""The near-me search keeps every listing inside the radius, up to its very edge."""

import pytest

from maps.distance import destination_point
from network.listings.models import Organization
from network.listings.selectors import organization_list_public, organizations_within
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DIRECTIONS = {"nord": 0, "est": 90, "sud": 180, "ouest": 270}


@pytest.mark.parametrize(
    "centre",
    [(50.4669, 4.8675), (49.5684, 5.5320), (50.7167, 6.0100), (10.0, -60.0), (69.65, 18.96)],
    ids=["Namur", "Gaume", "Cantons de l'Est", "tropiques", "Tromsø"],
)
def test_listings_just_inside_a_20_km_search_are_found_and_just_outside_are_not(centre):
    for direction, bearing in DIRECTIONS.items():
        for km in (19.99, 20.01):
            latitude, longitude = destination_point(*centre, bearing, km)
            OrganizationFactory(
                name=f"{direction} {km}",
                address_visibility=Organization.AddressVisibility.EXACT,
                latitude=latitude,
                longitude=longitude,
            )
    found = organizations_within(organization_list_public(), *centre, 20)
    assert sorted(organization.name for organization in found) == sorted(
        f"{direction} 19.99" for direction in DIRECTIONS
    )
