"""Member endpoints: a member updates their own listing, with the member space's rules."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from network.listings.models import Organization
from network.members.models import Membership
from tests.factories import OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def member():
    return UserFactory(username="membre@example.org")


@pytest.fixture
def own(member, commune):
    organization = OrganizationFactory(
        name="Mon collectif",
        slug="mon-collectif",
        municipality=commune("Namur"),
        activities=["shelter"],
        needs=["hosts"],
    )
    Membership.objects.create(user=member, organization=organization, role=Membership.Role.EDITOR)
    return organization


@pytest.fixture
def other(commune):
    return OrganizationFactory(
        name="Autre collectif", slug="autre-collectif", municipality=commune("Liège")
    )


@pytest.fixture
def api(member, own, other):
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": member.username, "password": PASSWORD}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_anonymous_requests_are_refused_with_401(own):
    client = APIClient()

    assert client.get("/api/v1/me/organizations/").status_code == 401
    assert (
        client.patch(
            "/api/v1/me/organizations/mon-collectif/", {"needs": []}, format="json"
        ).status_code
        == 401
    )


def test_a_wrong_password_gives_no_token(member):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": member.username, "password": "non"}
    )

    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_member_lists_only_their_own_organisations_with_private_fields(api, own):
    results = api.get("/api/v1/me/organizations/").json()["results"]

    assert [item["slug"] for item in results] == ["mon-collectif"]
    assert results[0]["routing_email"] == own.routing_email
    assert results[0]["exact_latitude"] == own.latitude


def test_another_organisation_is_a_404_to_read_and_to_change(api, other):
    assert api.get("/api/v1/me/organizations/autre-collectif/").status_code == 404
    response = api.patch(
        "/api/v1/me/organizations/autre-collectif/", {"needs": ["drivers"]}, format="json"
    )

    assert response.status_code == 404
    assert list(other.needs.all()) == []


def test_a_member_updates_needs_and_the_public_api_shows_them(api, own):
    response = api.patch(
        "/api/v1/me/organizations/mon-collectif/",
        {
            "needs": ["drivers", "volunteers"],
            "temporary_message": "Complet ce week-end",
            "accepting_requests": False,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    public = APIClient().get("/api/v1/organizations/mon-collectif/").json()
    assert sorted(public["needs"]) == ["drivers", "volunteers"]
    assert public["temporary_message"] == "Complet ce week-end"
    assert public["accepting_requests"] is False
    assert "routing_email" not in public


def test_the_postal_code_decides_the_municipality_and_the_public_point(api, own, commune):
    response = api.patch(
        "/api/v1/me/organizations/mon-collectif/",
        {"postal_code": "5030", "exact_latitude": None, "exact_longitude": None},
        format="json",
    )

    assert response.status_code == 200, response.json()
    own.refresh_from_db()
    assert own.municipality == commune("Gembloux")
    assert (own.public_latitude, own.public_longitude) == (
        commune("Gembloux").latitude,
        commune("Gembloux").longitude,
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"postal_code": "1000"}, "postal_code"),
        ({"exact_latitude": 48.85, "exact_longitude": 2.35}, "exact_latitude"),
        ({"exact_latitude": 50.4, "exact_longitude": None}, "exact_longitude"),
        ({"needs": ["money"]}, "needs"),
        ({"activities": ["juggling"]}, "activities"),
        ({"languages": ["xx"]}, "languages"),
        ({"area_served": ["99999"]}, "area_served"),
        ({"hospitable_commune": True}, "hospitable_commune"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"name": ""}, "name"),
        ({"address_visibility": "public"}, "address_visibility"),
    ],
)
def test_bad_values_give_400_with_the_field_and_change_nothing(api, own, payload, field):
    before = own.updated_at

    response = api.patch("/api/v1/me/organizations/mon-collectif/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    own.refresh_from_db()
    assert own.updated_at == before


def test_a_municipality_states_its_commitments(api, member, commune):
    town = OrganizationFactory(
        slug="commune-x", kind=Organization.Kind.MUNICIPALITY, municipality=commune("Ciney")
    )
    Membership.objects.create(user=member, organization=town, role=Membership.Role.ADMIN)

    response = api.patch(
        "/api/v1/me/organizations/commune-x/",
        {"hospitable_commune": True, "facilities": "douches"},
        format="json",
    )

    assert response.status_code == 200
    town.refresh_from_db()
    assert town.hospitable_commune and town.facilities == "douches"


def test_verify_records_that_the_listing_is_still_accurate(api, own):
    response = api.post("/api/v1/me/organizations/mon-collectif/verify/")

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.verified_at is not None
    assert response.json()["verified_at"] is not None


def test_staff_may_edit_any_listing(other):
    client = APIClient()
    client.force_authenticate(StaffFactory())

    response = client.patch(
        "/api/v1/me/organizations/autre-collectif/", {"needs": ["funds"]}, format="json"
    )

    assert response.status_code == 200
    assert [n.slug for n in other.needs.all()] == ["funds"]


def test_session_writes_need_the_csrf_token(member, own):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.get("/api/v1/me/organizations/").status_code == 200
    response = client.patch(
        "/api/v1/me/organizations/mon-collectif/", '{"needs": []}', content_type="application/json"
    )
    assert response.status_code == 403


def test_a_revoked_token_no_longer_works(api):
    assert api.delete("/api/v1/auth/token/revoke/").status_code == 204

    assert api.get("/api/v1/me/organizations/").status_code == 401


def test_changes_through_the_api_are_in_the_listing_history_with_their_author(api, member, own):
    from network.listings.models import OrganizationChange

    api.patch("/api/v1/me/organizations/mon-collectif/", {"needs": ["drivers"]}, format="json")
    api.post("/api/v1/me/organizations/mon-collectif/verify/")

    changes = list(OrganizationChange.objects.filter(organization=own).order_by("pk"))
    assert [(change.kind, change.actor) for change in changes] == [
        (OrganizationChange.Kind.UPDATED, member),
        (OrganizationChange.Kind.VERIFIED, member),
    ]
    assert changes[0].changes["needs"] == [["hosts"], ["drivers"]]


URL = "/api/v1/me/organizations/mon-collectif/"


def test_reading_a_listing_gives_its_version_as_etag_and_a_current_copy_gets_304(api, own):
    response = api.get(URL)

    own.refresh_from_db()
    assert response.status_code == 200
    assert response["ETag"] == f'"{own.updated_at.isoformat()}"'
    again = api.get(URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_a_patch_with_the_current_etag_is_saved_and_answers_the_new_etag(api, own):
    etag = api.get(URL)["ETag"]

    response = api.patch(URL, {"needs": ["drivers"]}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.json()
    assert response.json()["needs"] == ["drivers"]
    assert response["ETag"] != etag
    assert api.get(URL)["ETag"] == response["ETag"]


def test_a_patch_with_a_stale_etag_gets_412_in_french_and_the_newer_value_survives(api, own):
    from network.listings.models import OrganizationChange
    from network.listings.services import organization_update

    etag = api.get(URL)["ETag"]
    # Someone else saves the listing after this client read it.
    organization_update(own, temporary_message="Complet ce soir", needs=["drivers"])

    response = api.patch(
        URL,
        {"needs": ["hosts", "volunteers"], "temporary_message": ""},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 412
    assert "modifiée depuis la version indiquée" in response.json()["detail"]
    own.refresh_from_db()
    assert own.temporary_message == "Complet ce soir"
    assert [need.slug for need in own.needs.all()] == ["drivers"]
    assert OrganizationChange.objects.filter(organization=own).count() == 1


def test_a_put_with_a_stale_etag_gets_412_too(api, own):
    etag = api.get(URL)["ETag"]
    api.patch(URL, {"schedule": "Lundi 18 h"}, format="json")

    response = api.put(URL, {"name": "Nouveau nom"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    own.refresh_from_db()
    assert own.name == "Mon collectif"


@pytest.mark.parametrize("header", ['W/"{version}"', '"pas-une-version"', "pas-une-version"])
def test_a_weak_or_unknown_etag_never_matches(api, own, header):
    own.refresh_from_db()
    header = header.format(version=own.updated_at.isoformat())

    response = api.patch(URL, {"needs": ["funds"]}, format="json", HTTP_IF_MATCH=header)

    assert response.status_code == 412
    assert [need.slug for need in own.needs.all()] == ["hosts"]


def test_if_match_star_or_an_unquoted_current_version_lets_the_write_through(api, own):
    own.refresh_from_db()
    assert api.patch(URL, {"needs": ["funds"]}, format="json", HTTP_IF_MATCH="*").status_code == 200
    own.refresh_from_db()
    unquoted = own.updated_at.isoformat()
    response = api.patch(URL, {"needs": ["drivers"]}, format="json", HTTP_IF_MATCH=unquoted)
    assert response.status_code == 200


def test_a_patch_without_if_match_writes_only_its_fields_over_what_others_saved(api, own):
    from network.listings.models import OrganizationChange
    from network.listings.services import organization_update

    api.get(URL)
    organization_update(own, temporary_message="Complet ce soir")

    response = api.patch(URL, {"needs": ["drivers"]}, format="json")

    assert response.status_code == 200
    assert response.json()["temporary_message"] == "Complet ce soir"
    own.refresh_from_db()
    assert own.temporary_message == "Complet ce soir"
    change = OrganizationChange.objects.filter(organization=own).first()
    assert change.changes == {"needs": [["hosts"], ["drivers"]]}


def test_a_stale_etag_is_refused_before_a_bad_value_is_reported(api, own):
    etag = api.get(URL)["ETag"]
    api.patch(URL, {"schedule": "Lundi 18 h"}, format="json")

    response = api.patch(URL, {"postal_code": "1000"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412


def test_verify_with_a_stale_etag_is_refused(api, own):
    etag = api.get(URL)["ETag"]
    api.patch(URL, {"schedule": "Lundi 18 h"}, format="json")

    response = api.post(f"{URL}verify/", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    own.refresh_from_db()
    assert own.verified_at is None


def test_the_schema_documents_etag_if_match_and_412(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    path = schema["paths"]["/api/v1/me/organizations/{slug}/"]
    assert "ETag" in path["get"]["responses"]["200"]["headers"]
    for method in ("patch", "put"):
        assert "If-Match" in {parameter["name"] for parameter in path[method]["parameters"]}
        assert "412" in path[method]["responses"]
