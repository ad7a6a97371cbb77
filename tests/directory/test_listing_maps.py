"""The listing page's mini-map: a point only for a public address, the commune's area otherwise."""

import json
import re

import pytest
from django.urls import reverse

from maps.areas import municipality_area
from network.listings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def detail(client, organization) -> str:
    return client.get(
        reverse("directory:organization_detail", args=[organization.slug])
    ).content.decode()


def spec_of(html: str) -> dict:
    return json.loads(re.search(r'data-map-spec="([^"]+)"', html).group(1).replace("&quot;", '"'))


def coordinate_fragments(value: float) -> set[str]:
    """The ways a coordinate could appear: full, and cut or rounded to 3 to 6 decimals."""
    text = repr(value)
    whole, decimals = text.split(".")
    fragments = {text}
    for digits in range(3, 7):
        fragments.add(f"{whole}.{decimals[:digits]}")
        fragments.add(f"{value:.{digits}f}")
    return fragments


def test_a_private_address_leaves_no_precise_coordinate_in_the_page(client, commune):
    organization = OrganizationFactory(
        municipality=commune("Ciney"), latitude=50.287913, longitude=5.126877
    )
    html = detail(client, organization)
    for value in (organization.latitude, organization.longitude):
        for fragment in coordinate_fragments(value):
            assert fragment not in html, fragment


def test_a_private_address_is_shown_as_the_commune_area_without_marker(client, commune):
    organization = OrganizationFactory(municipality=commune("Ciney"))
    html = detail(client, organization)
    spec = spec_of(html)
    area = municipality_area(commune("Ciney"))
    assert [layer["type"] for layer in spec["layers"]] == ["tiles", "circle", "bounds"]
    circle = spec["layers"][1]
    assert circle["location"] == [area.latitude, area.longitude]
    assert circle["options"]["radius"] == area.radius_km * 1000
    assert "La zone colorée représente la commune de Ciney" in html


def test_a_public_address_is_shown_as_a_marker_on_its_point(client):
    organization = OrganizationFactory(
        address_visibility=Organization.AddressVisibility.EXACT, latitude=50.4711, longitude=4.8722
    )
    spec = spec_of(detail(client, organization))
    marker = next(layer for layer in spec["layers"] if layer["type"] == "marker")
    assert marker["location"] == [50.4711, 4.8722]
    assert marker["tooltip"] == organization.name


def test_a_public_address_without_a_known_point_falls_back_on_the_area(client):
    organization = OrganizationFactory(
        address_visibility=Organization.AddressVisibility.EXACT, latitude=None, longitude=None
    )
    assert "marker" not in [
        layer["type"] for layer in spec_of(detail(client, organization))["layers"]
    ]
