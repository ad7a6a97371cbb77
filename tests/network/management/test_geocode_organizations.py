from io import StringIO

import pytest
from django.core.management import call_command
from geopy.location import Location

from maps import geocoding
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


class StubGeocoder:
    """A geopy geocoder that finds every address a little north of Namur's station."""

    def __init__(self, **options):
        pass

    def geocode(self, query, **kwargs):
        return Location(query, (50.4702, 4.8602), {})


@pytest.fixture
def geocoder(settings, monkeypatch):
    settings.RELAIS_GEOCODER = "nominatim"
    settings.RELAIS_GEOCODER_MIN_DELAY = 0
    monkeypatch.setitem(geocoding.GEOCODERS, "nominatim", StubGeocoder)
    geocoding._rate_limited_geocode.cache_clear()
    yield
    geocoding._rate_limited_geocode.cache_clear()


def run(*args) -> str:
    out = StringIO()
    call_command("geocode_organizations", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_missing_only_locates_organisations_without_a_point(settings, commune):
    settings.RELAIS_GEOCODER = ""
    located = OrganizationFactory(latitude=50.0, longitude=4.0)
    missing = OrganizationFactory(latitude=None, longitude=None, postal_code="5000")

    output = run("--missing-only")

    located.refresh_from_db()
    missing.refresh_from_db()
    assert (located.latitude, located.longitude) == (50.0, 4.0)
    point_5000 = commune("Namur").postal_codes.get(code="5000")
    assert (missing.latitude, missing.longitude) == (point_5000.latitude, point_5000.longitude)
    assert "1 organisation(s) traitée(s)" in output
    assert "1 au code postal" in output


def test_without_geocoder_existing_points_are_kept_and_missing_ones_filled(settings):
    settings.RELAIS_GEOCODER = ""
    placed_by_hand = OrganizationFactory(latitude=50.0, longitude=4.0, postal_code="5000")
    OrganizationFactory(latitude=None, longitude=None, postal_code="9999")
    OrganizationFactory(latitude=None, longitude=None, address="", postal_code="")

    output = run()

    placed_by_hand.refresh_from_db()
    assert (placed_by_hand.latitude, placed_by_hand.longitude) == (50.0, 4.0)
    assert "3 organisation(s) traitée(s)" in output
    assert "0 au code postal, 1 au centre de la commune, 2 inchangée(s)" in output
    assert "Aucun géocodeur configuré" in output


def test_with_a_geocoder_every_point_is_recomputed(geocoder):
    organization = OrganizationFactory(latitude=50.0, longitude=4.0, postal_code="5000")

    output = run()

    organization.refresh_from_db()
    assert (organization.latitude, organization.longitude) == (50.4702, 4.8602)
    assert "1 par le géocodeur" in output
