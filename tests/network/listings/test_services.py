import pytest
from django.core.exceptions import ValidationError

from network.listings.models import Organization
from network.listings.services import (
    organization_create,
    organization_mark_verified,
    organization_update,
)
from tests.factories import real_commune

pytestmark = pytest.mark.django_db


def test_created_organisation_gets_a_unique_slug_and_its_relations():
    first = organization_create(
        name="Collectif de Ciney",
        kind="collective",
        municipality=real_commune("Ciney"),
        activities=["transport"],
        needs=["drivers"],
    )
    second = organization_create(
        name="Collectif de Ciney", kind="collective", municipality=real_commune("Ciney")
    )
    assert (first.slug, second.slug) == ("collectif-de-ciney", "collectif-de-ciney-2")
    assert [a.slug for a in first.activities.all()] == ["transport"]
    assert [n.slug for n in first.needs.all()] == ["drivers"]


def test_invalid_organisation_is_refused_and_nothing_is_written():
    with pytest.raises(ValidationError):
        organization_create(
            name="", kind="club", municipality=real_commune("Ciney"), activities=["food"]
        )
    assert Organization.objects.count() == 0


def test_switching_to_a_public_address_moves_the_public_point():
    organization = organization_create(
        name="Douches solidaires",
        kind="association",
        municipality=real_commune("Huy"),
        latitude=50.52,
        longitude=5.24,
    )
    assert organization.public_latitude == real_commune("Huy").latitude
    organization_update(organization, address_visibility="exact")
    organization.refresh_from_db()
    assert (organization.public_latitude, organization.public_longitude) == (50.52, 5.24)


def test_still_accurate_sets_verified_at_only():
    organization = organization_create(
        name="Vestiaire", kind="association", municipality=real_commune("Ath")
    )
    assert organization.verified_at is None
    organization_mark_verified(organization)
    organization.refresh_from_db()
    assert organization.verified_at is not None
