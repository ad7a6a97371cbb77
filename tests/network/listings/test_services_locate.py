"""The organisation's point follows its address: recomputed by the services, not by a signal."""

import pytest
from geopy.location import Location

from maps import geocoding
from network.listings.models import Organization
from network.listings.services import organization_create, organization_locate, organization_update
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


class StubGeocoder:
    """A geopy geocoder that places every address at one point and counts the calls."""

    calls: list[str] = []

    def __init__(self, **options):
        pass

    def geocode(self, query, **kwargs):
        StubGeocoder.calls.append(query)
        return Location(query, (50.4701, 4.8601), {})


@pytest.fixture
def geocoder(settings, monkeypatch):
    settings.RELAIS_GEOCODER = "nominatim"
    settings.RELAIS_GEOCODER_MIN_DELAY = 0
    StubGeocoder.calls = []
    monkeypatch.setitem(geocoding.GEOCODERS, "nominatim", StubGeocoder)
    geocoding._rate_limited_geocode.cache_clear()
    yield StubGeocoder
    geocoding._rate_limited_geocode.cache_clear()


def new_organization_fields(commune, **extra):
    return {
        "name": "Collectif de la gare",
        "kind": Organization.Kind.COLLECTIVE,
        "municipality": commune("Namur"),
        "address": "Rue de Fer 1",
        "postal_code": "5000",
        **extra,
    }


def test_creating_an_organisation_locates_its_address(geocoder, commune):
    organization = organization_create(**new_organization_fields(commune))
    organization.refresh_from_db()
    assert (organization.latitude, organization.longitude) == (50.4701, 4.8601)
    assert geocoder.calls == ["Rue de Fer 1, 5000 Namur, Belgique"]


def test_a_point_given_by_hand_is_kept(geocoder, commune):
    organization = organization_create(
        **new_organization_fields(commune, latitude=50.1, longitude=4.9)
    )
    assert (organization.latitude, organization.longitude) == (50.1, 4.9)
    assert geocoder.calls == []


def test_changing_the_address_moves_the_point_and_the_public_marker(geocoder, commune):
    organization = OrganizationFactory(
        address_visibility=Organization.AddressVisibility.EXACT, latitude=50.0, longitude=4.0
    )
    organization_update(organization, address="Rue de Fer 1", postal_code="5000")
    organization.refresh_from_db()
    assert (organization.latitude, organization.longitude) == (50.4701, 4.8601)
    assert (organization.public_latitude, organization.public_longitude) == (50.4701, 4.8601)


def test_changing_anything_else_leaves_the_point_alone(geocoder):
    organization = OrganizationFactory(latitude=50.0, longitude=4.0)
    organization_update(organization, name="Nouveau nom", address=organization.address)
    organization.refresh_from_db()
    assert (organization.latitude, organization.longitude) == (50.0, 4.0)
    assert geocoder.calls == []


def test_moving_to_another_commune_without_geocoder_takes_the_postal_code_point(settings, commune):
    settings.RELAIS_GEOCODER = ""
    organization = OrganizationFactory(latitude=50.0, longitude=4.0)
    organization_update(organization, municipality=commune("Dinant"), postal_code="5500")
    organization.refresh_from_db()
    dinant_5500 = commune("Dinant").postal_codes.get(code="5500")
    assert (organization.latitude, organization.longitude) == (
        dinant_5500.latitude,
        dinant_5500.longitude,
    )
    # Commune visibility: the public point is the commune's, whatever the exact point is.
    assert (organization.public_latitude, organization.public_longitude) == (
        commune("Dinant").latitude,
        commune("Dinant").longitude,
    )


def test_locate_saves_the_new_point_and_says_where_it_came_from(geocoder):
    organization = OrganizationFactory(latitude=None, longitude=None, postal_code="5000")
    assert organization_locate(organization) == geocoding.PointSource.GEOCODER
    organization.refresh_from_db()
    assert organization.latitude == 50.4701


def test_locate_leaves_an_organisation_without_address_or_postal_code_alone(geocoder):
    organization = OrganizationFactory(latitude=None, longitude=None, address="", postal_code="")
    assert organization_locate(organization) is None
    organization.refresh_from_db()
    assert organization.latitude is None


def test_locate_can_keep_a_point_that_only_a_coarser_one_would_replace(settings):
    settings.RELAIS_GEOCODER = ""
    organization = OrganizationFactory(latitude=50.0, longitude=4.0, postal_code="5000")
    assert organization_locate(organization, keep_unless_geocoded=True) is None
    organization.refresh_from_db()
    assert (organization.latitude, organization.longitude) == (50.0, 4.0)


def test_a_write_from_an_outdated_version_is_refused_and_writes_nothing():
    from network.listings.models import OrganizationChange
    from network.listings.services import StaleListingError, organization_version

    organization = OrganizationFactory(name="Avant", needs=["hosts"])
    read = organization_version(organization)
    organization_update(organization, temporary_message="Complet")

    with pytest.raises(StaleListingError) as refused:
        organization_update(organization, name="Après", needs=["funds"], expected_version=read)

    organization.refresh_from_db()
    assert refused.value.current_version == organization_version(organization)
    assert organization.name == "Avant"
    assert [need.slug for need in organization.needs.all()] == ["hosts"]
    assert OrganizationChange.objects.count() == 1


def test_a_write_from_the_current_version_is_saved_and_moves_the_version():
    from network.listings.services import organization_version

    organization = OrganizationFactory(name="Avant")
    read = organization_version(organization)

    organization_update(organization, name="Après", expected_version=read)

    assert organization.name == "Après"
    assert organization_version(organization) != read


def test_a_write_that_changes_nothing_keeps_the_version():
    from network.listings.services import organization_version

    organization = OrganizationFactory(name="Même nom", needs=["hosts"])
    read = organization_version(organization)

    organization_update(organization, name="Même nom", needs=["hosts"], expected_version=read)

    assert organization_version(organization) == read


@pytest.mark.parametrize(
    "change",
    [
        {"needs": ["drivers"]},
        {"area_served": []},
        {"opening_periods": [{"weekday": 3, "opens_at": "10:00", "closes_at": "11:00"}]},
        {"closures": [{"starts_on": "2026-08-01", "ends_on": "2026-08-02"}]},
    ],
)
def test_a_change_of_relations_or_hours_alone_moves_the_version(commune, change):
    from network.listings.services import organization_version

    organization = OrganizationFactory(needs=["hosts"], area_served=[commune("Namur")])
    read = organization_version(organization)

    organization_update(organization, **change)

    assert organization_version(organization) != read


def test_still_accurate_from_an_outdated_version_is_refused():
    from network.listings.services import (
        StaleListingError,
        organization_mark_verified,
        organization_version,
    )

    organization = OrganizationFactory(verified_at=None)
    read = organization_version(organization)
    organization_update(organization, temporary_message="Complet")

    with pytest.raises(StaleListingError):
        organization_mark_verified(organization, expected_version=read)
    organization.refresh_from_db()
    assert organization.verified_at is None
