import pytest
from django.core.exceptions import ValidationError

from network.listings.models import OrganizationChange
from network.listings.services import (
    organization_change_revert,
    organization_create,
    organization_mark_verified,
    organization_update,
)
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    real_commune,
)

pytestmark = pytest.mark.django_db


def test_creation_is_recorded():
    organization = organization_create(
        name="Nouveau collectif", kind="collective", municipality=real_commune("Huy")
    )
    assert list(organization.changes.values_list("kind", flat=True)) == ["created"]


def test_update_records_plain_fields_relations_and_municipality_as_old_and_new():
    organization = OrganizationFactory(
        needs=["hosts"], municipality=real_commune("Namur"), postal_code="5000"
    )
    organization_latitude, organization_longitude = organization.latitude, organization.longitude
    author = UserFactory()
    organization_update(
        organization,
        actor=author,
        needs=["drivers", "hosts"],
        municipality=real_commune("Liège"),
        postal_code="4000",
        area_served=[real_commune("Liège")],
    )
    change = OrganizationChange.objects.get(kind="updated")
    assert change.actor == author
    moved_to = real_commune("Liège").postal_codes.get(code="4000")
    assert change.changes == {
        "postal_code": ["5000", "4000"],
        "municipality": ["92094", "62063"],
        # The commune changed: the point was looked up again (here, the postal code's).
        "latitude": [organization_latitude, moved_to.latitude],
        "longitude": [organization_longitude, moved_to.longitude],
        "needs": [["hosts"], ["drivers", "hosts"]],
        "area_served": [[], ["62063"]],
    }


def test_existing_keyword_arguments_still_work_without_an_actor():
    organization = OrganizationFactory()
    organization_update(organization, temporary_message="Fermé lundi")
    assert OrganizationChange.objects.get(kind="updated").actor is None


def test_an_unknown_field_is_refused_and_nothing_is_written():
    organization = OrganizationFactory(name="Avant")
    with pytest.raises(ValidationError):
        organization_update(organization, name="Après", colour="red")
    organization.refresh_from_db()
    assert organization.name == "Avant"
    assert not OrganizationChange.objects.exists()


def test_revert_puts_back_the_old_values_and_is_itself_recorded():
    organization = OrganizationFactory(name="Collectif A", needs=["hosts"], temporary_message="")
    organization_update(
        organization, name="Collectif B", needs=["funds"], temporary_message="Complet"
    )
    organization_update(organization, schedule="Lundi 18 h")  # a later change of another field
    change = OrganizationChange.objects.get(changes__has_key="name")
    staff = StaffFactory()
    revert = organization_change_revert(change, actor=staff)
    organization.refresh_from_db()
    assert organization.name == "Collectif A"
    assert organization.temporary_message == ""
    assert list(organization.needs.values_list("slug", flat=True)) == ["hosts"]
    assert organization.schedule == "Lundi 18 h"
    assert revert.kind == "reverted"
    assert revert.reverts == change
    assert revert.actor == staff
    assert revert.changes["name"] == ["Collectif B", "Collectif A"]


def test_reverting_a_change_of_commune_moves_the_public_point_back():
    namur = real_commune("Namur")
    organization = OrganizationFactory(municipality=namur)
    organization_update(organization, municipality=real_commune("Arlon"), postal_code="6700")
    organization_change_revert(OrganizationChange.objects.get(kind="updated"), actor=StaffFactory())
    organization.refresh_from_db()
    assert organization.municipality == namur
    assert (organization.public_latitude, organization.public_longitude) == (
        namur.latitude,
        namur.longitude,
    )


def test_reverting_a_verification_restores_the_previous_date():
    organization = OrganizationFactory(verified_at=None)
    organization_mark_verified(organization)
    organization_change_revert(
        OrganizationChange.objects.get(kind="verified"), actor=StaffFactory()
    )
    organization.refresh_from_db()
    assert organization.verified_at is None


def test_creation_entries_cannot_be_reverted():
    organization = organization_create(
        name="X", kind="collective", municipality=real_commune("Huy")
    )
    with pytest.raises(ValidationError):
        organization_change_revert(organization.changes.get(), actor=StaffFactory())


def test_staff_see_the_history_in_french_and_revert_from_it(client):
    organization = OrganizationFactory(needs=["hosts"], accepting_requests=True)
    member = MembershipFactory(organization=organization)
    organization_update(
        organization, actor=member.user, needs=["drivers"], accepting_requests=False
    )
    client.force_login(StaffFactory())
    page = client.get(f"/equipe/organisations/{organization.slug}/historique/").content.decode()
    assert "Hébergeurs" in page and "Chauffeurs" in page
    assert member.user.email in page
    assert "Accepte des demandes" in page
    change = OrganizationChange.objects.get(kind="updated")
    response = client.post(f"/equipe/historique/{change.pk}/annuler/", follow=True)
    assert "Modification annulée" in response.content.decode()
    organization.refresh_from_db()
    assert organization.accepting_requests is True


def test_members_cannot_see_or_revert_the_history(client):
    member = MembershipFactory(role="admin")
    organization_update(member.organization, actor=member.user, name="Autre nom")
    client.force_login(member.user)
    assert (
        client.get(f"/equipe/organisations/{member.organization.slug}/historique/").status_code
        == 403
    )
    change = OrganizationChange.objects.get(kind="updated")
    assert client.post(f"/equipe/historique/{change.pk}/annuler/").status_code == 403
    member.organization.refresh_from_db()
    assert member.organization.name == "Autre nom"


def test_admin_site_edits_are_recorded_too(client):
    organization = OrganizationFactory(name="Avant admin")
    staff = StaffFactory()
    client.force_login(staff)
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from network.listings.models import Organization

    admin = site._registry[Organization]
    request = RequestFactory().post("/")
    request.user = staff
    form_class = admin.get_form(request, organization, change=True)
    data = {
        field: value
        for field, value in form_class(instance=organization).initial.items()
        if value is not None and field not in ("activities", "needs", "area_served")
    }
    data.update(name="Après admin", activities=[], needs=[], area_served=[])
    form = form_class(data, instance=organization)
    assert form.is_valid(), form.errors
    saved = admin.save_form(request, form, change=True)
    admin.save_model(request, saved, form, change=True)
    admin.save_related(request, form, [], change=True)
    change = OrganizationChange.objects.get(kind="updated")
    assert change.changes["name"] == ["Avant admin", "Après admin"]
    assert change.actor == staff


def test_reverting_restores_weekly_hours_and_closures():
    organization = OrganizationFactory()
    organization_update(
        organization,
        opening_periods=[{"weekday": 2, "opens_at": "10:00", "closes_at": "12:00", "note": ""}],
        closures=[{"starts_on": "2026-08-01", "ends_on": "2026-08-15", "reason": "été"}],
    )
    organization_update(organization, opening_periods=[], closures=[])
    organization_change_revert(
        OrganizationChange.objects.filter(kind="updated").first(), actor=StaffFactory()
    )
    assert [str(period) for period in organization.opening_periods.all()] == [
        "mercredi 10:00–12:00"
    ]
    assert organization.closures.get().reason == "été"


def test_history_page_shows_hours_in_words(client):
    organization = OrganizationFactory()
    organization_update(
        organization,
        opening_periods=[
            {"weekday": 0, "opens_at": "09:00", "closes_at": "12:00", "note": "accueil"}
        ],
    )
    client.force_login(StaffFactory())
    page = client.get(f"/equipe/organisations/{organization.slug}/historique/").content.decode()
    assert "lundi 09:00–12:00 (accueil)" in page
    assert "Permanences" in page


def test_the_old_values_come_from_the_database_not_from_a_changed_instance():
    organization = OrganizationFactory(name="Nom enregistré", temporary_message="")
    # An instance a form has already changed in memory, and that someone else's save outdated.
    stale = type(organization).objects.get(pk=organization.pk)
    stale.name = "Tapé mais pas enregistré"
    organization_update(organization, temporary_message="Complet")

    organization_update(stale, name="Nouveau nom")

    latest = OrganizationChange.objects.filter(kind="updated").first()
    assert latest.changes == {"name": ["Nom enregistré", "Nouveau nom"]}
    stale.refresh_from_db()
    assert (stale.name, stale.temporary_message) == ("Nouveau nom", "Complet")


def test_a_stale_revert_is_refused_and_changes_nothing(client):
    organization = OrganizationFactory(name="Collectif A")
    organization_update(organization, name="Collectif B")
    client.force_login(StaffFactory())
    page = client.get(f"/equipe/organisations/{organization.slug}/historique/").content.decode()
    from tests.html_forms import form_values

    undo = form_values(page, index=page.count("<form", 0, page.index("/annuler/")) - 1)
    organization_update(organization, name="Collectif C")  # after the history was shown

    change = OrganizationChange.objects.get(changes__name=["Collectif A", "Collectif B"])
    response = client.post(f"/equipe/historique/{change.pk}/annuler/", undo, follow=True)

    assert "rien n&#x27;a été annulé" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Collectif C"
