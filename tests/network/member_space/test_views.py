import pytest
from django.utils import timezone

from network.listings.models import Organization, OrganizationChange
from network.members.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db


def edit_url(organization) -> str:
    return f"/espace/organisations/{organization.slug}/modifier/"


def form_data(organization, **overrides) -> dict:
    """The edit form as the browser would send it for the listing as it is now (a page opened
    now: its hidden version is the listing's current one)."""
    from network.listings.forms import OrganizationEditForm

    organization.refresh_from_db()
    form = OrganizationEditForm(organization=organization)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [getattr(item, "refnis", item) for item in value]
        elif value is not None:
            data[name] = value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def member(client):
    membership = MembershipFactory(
        organization=OrganizationFactory(
            name="Collectif de Namur", needs=["volunteers"], area_served=[real_commune("Namur")]
        ),
        role=Membership.Role.EDITOR,
    )
    client.force_login(membership.user)
    return membership


def test_editing_a_need_shows_on_the_public_listing_at_once(client, member):
    organization = member.organization
    response = client.post(edit_url(organization), form_data(organization, needs=["drivers"]))
    assert response.status_code == 302
    public = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "Chauffeurs" in public
    assert "Bénévoles" not in public
    search = client.get("/?need=drivers").content.decode()
    assert "Collectif de Namur" in search


def test_every_edit_is_recorded_with_who_which_fields_old_and_new(client, member):
    organization = member.organization
    client.post(
        edit_url(organization),
        form_data(
            organization,
            needs=["drivers"],
            temporary_message="Complet cette semaine",
            accepting_requests=None,
        ),
    )
    change = OrganizationChange.objects.get(organization=organization, kind="updated")
    assert change.actor == member.user
    assert change.changes == {
        "accepting_requests": [True, False],
        "temporary_message": ["", "Complet cette semaine"],
        "needs": [["volunteers"], ["drivers"]],
    }


def test_saving_without_changes_records_nothing(client, member):
    organization = member.organization
    client.post(edit_url(organization), form_data(organization))
    assert not OrganizationChange.objects.filter(kind="updated").exists()


def test_area_served_accepts_names_and_postal_codes_and_unticking_removes(client, member):
    organization = member.organization
    client.post(
        edit_url(organization),
        form_data(organization, area_served=[], area_served_add="liege, 5030 ; Dinant"),
    )
    names = sorted(organization.area_served.values_list("name_fr", flat=True))
    assert names == ["Dinant", "Gembloux", "Liège"]


def test_area_served_picker_sends_several_communes_at_once(client, member):
    organization = member.organization
    data = form_data(organization)
    data["area_served_add"] = ["Ciney", "Huy"]
    client.post(edit_url(organization), data)
    assert sorted(organization.area_served.values_list("name_fr", flat=True)) == [
        "Ciney",
        "Huy",
        "Namur",
    ]


def test_an_unknown_commune_is_refused_in_french_with_suggestions_and_nothing_changes(
    client, member
):
    organization = member.organization
    response = client.post(
        edit_url(organization), form_data(organization, needs=["drivers"], area_served_add="Namurr")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Commune inconnue" in page
    assert "Namur" in page
    assert list(organization.needs.values_list("slug", flat=True)) == ["volunteers"]


def test_a_non_walloon_postal_code_is_refused(client, member):
    organization = member.organization
    response = client.post(edit_url(organization), form_data(organization, postal_code="1000"))
    assert "pas un code postal wallon" in response.content.decode()


def test_public_address_with_a_point_moves_the_public_point_and_preview_does_not_save(
    client, member
):
    organization = member.organization
    data = form_data(organization, address_visibility="exact", point="50.4700, 4.8700", preview="1")
    preview = client.post(edit_url(organization), data)
    page = preview.content.decode()
    assert "Ce que le public verra" in page
    assert "50.47000, 4.87000" in page
    organization.refresh_from_db()
    assert organization.address_visibility == "commune"

    data.pop("preview")
    client.post(edit_url(organization), data)
    organization.refresh_from_db()
    assert (organization.public_latitude, organization.public_longitude) == (50.47, 4.87)


def test_preview_of_a_commune_only_address_shows_the_commune_centre(client, member):
    organization = member.organization
    namur = real_commune("Namur")
    page = client.post(
        edit_url(organization), form_data(organization, preview="1")
    ).content.decode()
    assert "Seulement la commune : Namur" in page
    assert f"{namur.latitude:.5f}" in page


def test_a_point_outside_wallonia_is_refused(client, member):
    organization = member.organization
    response = client.post(edit_url(organization), form_data(organization, point="4.87, 50.47"))
    assert "pas en Wallonie" in response.content.decode()


def test_routing_email_is_editable_and_never_public(client, member):
    organization = member.organization
    client.post(
        edit_url(organization), form_data(organization, routing_email="secret-routage@example.org")
    )
    organization.refresh_from_db()
    assert organization.routing_email == "secret-routage@example.org"
    assert (
        "secret-routage" not in client.get(f"/organisations/{organization.slug}/").content.decode()
    )


def test_still_accurate_sets_verified_at_and_is_recorded(client, member):
    organization = member.organization
    before = timezone.now()
    response = client.post(f"/espace/organisations/{organization.slug}/toujours-a-jour/")
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.verified_at >= before
    change = OrganizationChange.objects.get(kind="verified")
    assert change.actor == member.user


def test_dashboard_lists_my_organisations_with_their_freshness(client, member):
    Organization.objects.filter(pk=member.organization.pk).update(
        verified_at=timezone.now() - timezone.timedelta(days=200)
    )
    OrganizationFactory(name="Pas la mienne")
    page = client.get("/espace/").content.decode()
    assert "Collectif de Namur" in page
    assert "informations à vérifier" in page
    assert "Pas la mienne" not in page


def test_municipality_listing_edits_its_commitments(client):
    membership = MembershipFactory(organization=OrganizationFactory(kind="municipality"))
    client.force_login(membership.user)
    organization = membership.organization
    client.post(
        edit_url(organization),
        form_data(organization, hospitable_commune="on", facilities="douches"),
    )
    organization.refresh_from_db()
    assert (organization.hospitable_commune, organization.facilities) == (True, "douches")


def test_browser_line_breaks_in_an_unchanged_text_are_not_a_change(client, member):
    organization = member.organization
    organization.schedule = "Lundi 18 h\nMardi 19 h"
    organization.save()
    client.post(
        edit_url(organization), form_data(organization, schedule="Lundi 18 h\r\nMardi 19 h")
    )
    assert not OrganizationChange.objects.filter(kind="updated").exists()


def schedule_data(periods: list[tuple], closures: list[tuple] = ()) -> dict:
    """The hours formsets as the browser sends them."""
    data = {
        "periods-TOTAL_FORMS": str(len(periods)),
        "periods-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": "0",
    }
    for index, (weekday, opens, closes, note) in enumerate(periods):
        data.update(
            {
                f"periods-{index}-weekday": weekday,
                f"periods-{index}-opens_at": opens,
                f"periods-{index}-closes_at": closes,
                f"periods-{index}-note": note,
            }
        )
    for index, (starts, ends, reason) in enumerate(closures):
        data.update(
            {
                f"closures-{index}-starts_on": starts,
                f"closures-{index}-ends_on": ends,
                f"closures-{index}-reason": reason,
            }
        )
    return data


def test_weekly_hours_and_closures_are_edited_shown_publicly_and_recorded(client, member):
    organization = member.organization
    data = {
        **form_data(organization),
        **schedule_data(
            [("1", "14:00", "18:00", "vestiaire"), ("", "", "", "")],
            [("2026-12-24", "2027-01-02", "congés")],
        ),
    }
    response = client.post(edit_url(organization), data)
    assert response.status_code == 302
    public = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert "Mardi" in public and "<time>14:00</time>" in public and "vestiaire" in public
    change = OrganizationChange.objects.get(kind="updated")
    assert change.changes["opening_periods"] == [
        [],
        [{"weekday": 1, "opens_at": "14:00", "closes_at": "18:00", "note": "vestiaire"}],
    ]
    assert change.changes["closures"][1] == [
        {"starts_on": "2026-12-24", "ends_on": "2027-01-02", "reason": "congés"}
    ]


def test_a_period_closing_before_it_opens_is_refused_and_nothing_changes(client, member):
    organization = member.organization
    data = {
        **form_data(organization, needs=["drivers"]),
        **schedule_data([("1", "18:00", "14:00", "")]),
    }
    response = client.post(edit_url(organization), data)
    assert response.status_code == 200
    assert "doit suivre" in response.content.decode()
    assert not organization.opening_periods.exists()
    assert list(organization.needs.values_list("slug", flat=True)) == ["volunteers"]


def test_ticking_delete_removes_a_period(client, member):
    organization = member.organization
    client.post(
        edit_url(organization),
        {**form_data(organization), **schedule_data([("0", "09:00", "12:00", "")])},
    )
    data = {
        **form_data(organization),
        **schedule_data([("0", "09:00", "12:00", "")]),
        "periods-0-DELETE": "on",
    }
    client.post(edit_url(organization), data)
    assert not organization.opening_periods.exists()


def test_dashboard_asks_to_confirm_a_listing_due_for_a_reminder(client, member):
    organization = member.organization
    Organization.objects.filter(pk=organization.pk).update(
        verified_at=timezone.now() - timezone.timedelta(days=100)
    )
    page = client.get("/espace/").content.decode()
    assert "Fiche non confirmée depuis plus de 90 jours" in page
    Organization.objects.filter(pk=organization.pk).update(verified_at=timezone.now())
    assert "Fiche non confirmée" not in client.get("/espace/").content.decode()


def open_edit_form(client, organization) -> dict:
    """The edit form as a browser opened now shows it, to be posted later."""
    from tests.html_forms import form_values

    page = client.get(edit_url(organization))
    assert page.status_code == 200
    return form_values(page.content.decode(), form_id="organization-edit")


def test_two_people_saving_one_listing_cannot_overwrite_each_other(client, member):
    from django.test import Client

    from tests.factories import StaffFactory
    from tests.html_forms import form_values

    organization = member.organization
    staff = Client()
    staff.force_login(StaffFactory())
    mine = open_edit_form(client, organization)
    theirs = open_edit_form(staff, organization)

    mine["temporary_message"] = "Complet cette semaine"
    assert client.post(edit_url(organization), mine).status_code == 302
    theirs["temporary_message"] = "Fermé lundi"
    theirs["phone"] = "081 00 00 00"
    refused = staff.post(edit_url(organization), theirs)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cette fiche" in page
    assert "Ce qui est enregistré maintenant" in page
    assert "Complet cette semaine" in page  # what is stored now, next to what they typed
    kept = form_values(page, form_id="organization-edit")
    assert (kept["temporary_message"], kept["phone"]) == ("Fermé lundi", "081 00 00 00")
    organization.refresh_from_db()
    assert organization.temporary_message == "Complet cette semaine"
    assert organization.phone == ""
    assert OrganizationChange.objects.filter(kind="updated").count() == 1

    # Having seen what changed, they keep the member's message, add their phone, save again.
    kept["temporary_message"] = "Complet cette semaine"
    assert staff.post(edit_url(organization), kept).status_code == 302
    organization.refresh_from_db()
    assert (organization.temporary_message, organization.phone) == (
        "Complet cette semaine",
        "081 00 00 00",
    )
    latest = OrganizationChange.objects.filter(kind="updated").first()
    assert latest.changes == {"phone": ["", "081 00 00 00"]}


def test_a_form_opened_before_a_staff_edit_does_not_revert_it(client, member):
    from network.listings.services import organization_update
    from tests.factories import StaffFactory

    organization = member.organization
    opened = open_edit_form(client, organization)
    organization_update(organization, needs=["drivers", "hosts"], actor=StaffFactory())

    opened["name"] = "Collectif de Namur-centre"
    response = client.post(edit_url(organization), opened)

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.name == "Collectif de Namur"
    assert sorted(organization.needs.values_list("slug", flat=True)) == ["drivers", "hosts"]


def test_a_post_without_the_version_is_treated_as_stale(client, member):
    organization = member.organization
    data = form_data(organization, name="Sans version")
    data.pop("version")

    response = client.post(edit_url(organization), data)

    assert response.status_code == 200
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cette fiche" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Collectif de Namur"


def test_still_accurate_from_a_page_opened_before_a_change_is_refused(client, member):
    from network.listings.services import organization_update
    from tests.html_forms import form_values

    organization = member.organization
    page = client.get(edit_url(organization)).content.decode()
    verify = form_values(page, form_id="verify-form")
    organization_update(organization, temporary_message="Fermé demain")

    response = client.post(
        f"/espace/organisations/{organization.slug}/toujours-a-jour/", verify, follow=True
    )

    assert "relisez-la telle qu&#x27;elle est maintenant" in response.content.decode()
    organization.refresh_from_db()
    assert organization.verified_at is None


def test_saving_the_form_rewrites_only_the_hours_rows_that_changed(client, member):
    organization = member.organization
    client.post(
        edit_url(organization),
        {
            **form_data(organization),
            **schedule_data([("0", "09:00", "12:00", ""), ("2", "14:00", "18:00", "")]),
        },
    )
    monday = organization.opening_periods.get(weekday=0)
    organization.refresh_from_db()
    version = organization.updated_at
    page = open_edit_form(client, organization)
    assert (page["periods-1-weekday"], page["periods-1-closes_at"]) == ("2", "18:00")

    page["periods-1-closes_at"] = "17:00"
    assert client.post(edit_url(organization), page).status_code == 302

    assert organization.opening_periods.get(weekday=0).pk == monday.pk  # kept, not re-created
    assert [str(period) for period in organization.opening_periods.all()] == [
        "lundi 09:00–12:00",
        "mercredi 14:00–17:00",
    ]
    organization.refresh_from_db()
    assert organization.updated_at != version  # an hours-only change moves the version
    change = OrganizationChange.objects.filter(kind="updated").first()
    assert list(change.changes) == ["opening_periods"]


def test_saving_unchanged_hours_writes_nothing_and_keeps_the_version(client, member):
    organization = member.organization
    hours = schedule_data([("0", "09:00", "12:00", "")])
    client.post(edit_url(organization), {**form_data(organization), **hours})
    period = organization.opening_periods.get()
    organization.refresh_from_db()
    version = organization.updated_at

    response = client.post(edit_url(organization), open_edit_form(client, organization))

    assert response.status_code == 302
    assert organization.opening_periods.get().pk == period.pk
    organization.refresh_from_db()
    assert organization.updated_at == version
    assert OrganizationChange.objects.filter(kind="updated").count() == 1
