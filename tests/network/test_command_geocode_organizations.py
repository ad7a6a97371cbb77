from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


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


def test_without_option_every_organisation_is_located_and_summarised(settings):
    settings.RELAIS_GEOCODER = ""
    OrganizationFactory(latitude=50.0, longitude=4.0, postal_code="5000")
    OrganizationFactory(latitude=50.0, longitude=4.0, postal_code="9999")
    OrganizationFactory(latitude=None, longitude=None, address="", postal_code="")

    output = run()

    assert "3 organisation(s) traitée(s)" in output
    assert "1 au code postal, 1 au centre de la commune, 1 sans adresse" in output
    assert "Aucun géocodeur configuré" in output
