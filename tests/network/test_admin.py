"""The admin site's listing form: stale saves are refused, no-op saves write nothing."""

from datetime import UTC, datetime

import pytest

from network.listings.models import Organization, OrganizationChange
from network.listings.services import StaleListingError, organization_update, organization_version
from tests.factories import OrganizationFactory, StaffFactory
from tests.html_forms import form_values

pytestmark = pytest.mark.django_db


def change_url(organization) -> str:
    return f"/admin/network/organization/{organization.pk}/change/"


@pytest.fixture
def staff_client(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.staff = staff
    return client


def open_change_form(client, organization) -> dict:
    """The admin's change form as the browser shows it, ready to be posted back."""
    page = client.get(change_url(organization))
    assert page.status_code == 200
    values = form_values(page.content.decode(), form_id="organization_form")
    values["_save"] = "Enregistrer"
    return values


@pytest.fixture
def listing():
    return OrganizationFactory(
        name="Collectif du Parc",
        needs=["hosts"],
        # Microseconds that the admin's split date/time widget does not show.
        verified_at=datetime(2026, 3, 4, 10, 11, 12, 345678, tzinfo=UTC),
    )


def test_saving_the_admin_form_unchanged_records_nothing_and_keeps_verified_at(
    staff_client, listing
):
    version = organization_version(listing)

    response = staff_client.post(change_url(listing), open_change_form(staff_client, listing))

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.verified_at == datetime(2026, 3, 4, 10, 11, 12, 345678, tzinfo=UTC)
    assert organization_version(listing) == version
    assert not OrganizationChange.objects.filter(organization=listing).exists()


def test_an_admin_change_is_recorded_with_the_true_old_value_and_moves_the_version(
    staff_client, listing
):
    version = organization_version(listing)
    data = open_change_form(staff_client, listing)
    data["temporary_message"] = "Fermé cette semaine"

    assert staff_client.post(change_url(listing), data).status_code == 302

    change = OrganizationChange.objects.get(organization=listing)
    assert change.changes == {"temporary_message": ["", "Fermé cette semaine"]}
    assert change.actor == staff_client.staff
    listing.refresh_from_db()
    assert organization_version(listing) != version


def test_a_stale_admin_save_is_refused_keeps_what_was_typed_and_the_newer_value_survives(
    staff_client, listing
):
    data = open_change_form(staff_client, listing)
    # A member saves the listing while the admin page is open.
    organization_update(listing, name="Collectif du Grand Parc")
    data["temporary_message"] = "Complet jusqu'à lundi"

    response = staff_client.post(change_url(listing), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in page
    assert "Collectif du Grand Parc" in page  # what is stored now, where the form differs
    again = form_values(page, form_id="organization_form")
    assert again["temporary_message"] == "Complet jusqu'à lundi"
    assert again["name"] == "Collectif du Parc"
    listing.refresh_from_db()
    assert listing.name == "Collectif du Grand Parc"
    assert listing.temporary_message == ""
    assert not OrganizationChange.objects.filter(actor=staff_client.staff).exists()

    # Having seen the differences, the staff member takes the newer name and saves again.
    again.update(name="Collectif du Grand Parc", _save="Enregistrer")
    assert staff_client.post(change_url(listing), again).status_code == 302
    listing.refresh_from_db()
    assert (listing.name, listing.temporary_message) == (
        "Collectif du Grand Parc",
        "Complet jusqu'à lundi",
    )
    change = OrganizationChange.objects.get(actor=staff_client.staff)
    assert change.changes == {"temporary_message": ["", "Complet jusqu'à lundi"]}


def test_hours_added_in_the_admin_move_the_version_so_an_older_member_form_is_refused(
    staff_client, listing
):
    version = organization_version(listing)
    data = open_change_form(staff_client, listing)
    data.update(
        {
            "opening_periods-0-weekday": "2",
            "opening_periods-0-opens_at": "14:00",
            "opening_periods-0-closes_at": "18:00",
            "opening_periods-0-note": "vestiaire",
        }
    )

    assert staff_client.post(change_url(listing), data).status_code == 302

    listing.refresh_from_db()
    assert [str(period) for period in listing.opening_periods.all()] == ["mercredi 14:00–18:00"]
    assert organization_version(listing) != version
    change = OrganizationChange.objects.get(organization=listing)
    assert change.changes["opening_periods"][0] == []
    with pytest.raises(StaleListingError):
        organization_update(listing, name="Autre", expected_version=version)
    assert Organization.objects.get(pk=listing.pk).name == "Collectif du Parc"
