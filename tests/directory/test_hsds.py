"""Open Referral HSDS 3.0: endpoints and export validate against the official schemas; privacy holds."""

import json
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from directory import hsds
from network.listings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one of the compiled HSDS schemas (self-contained: no $ref to fetch)."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, instance: dict) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:10])


@pytest.fixture
def organizations(commune):
    return {
        "commune": OrganizationFactory(
            name="Hébergeurs de Namur", slug="hebergeurs-namur", municipality=commune("Namur"),
            activities=["shelter", "transport"], needs=["hosts", "drivers"], languages="fr,ar",
            area_served=[commune("Namur"), commune("Profondeville")], phone="+32 81 00 00 00",
            schedule="Le soir, de 18 h à 21 h.", temporary_message="Complet cette semaine",
        ),
        "exact": OrganizationFactory(
            name="Maison de Gembloux", slug="maison-gembloux", municipality=commune("Gembloux"),
            address_visibility=Organization.AddressVisibility.EXACT, address="Rue du Moulin 3",
            postal_code="5030", activities=["food"], website="https://maison.example.org/", description="",
        ),
        "bare": OrganizationFactory(name="Sans activité", slug="sans-activite", email="", languages=""),
        "pending": OrganizationFactory(name="En attente", slug="en-attente", status=Organization.Status.PENDING, activities=["food"]),
    }  # fmt: skip


def test_the_schema_copy_ships_with_its_licence_and_its_source():
    assert "Creative Commons Attribution Share-Alike 4.0" in (SCHEMAS / "LICENSE").read_text()
    assert "openreferral/specification" in (SCHEMAS / "README.md").read_text()


def test_the_official_examples_validate_so_the_validator_is_strict_enough():
    assert_valid(
        "organization", json.loads((SCHEMAS / "examples" / "organization_full.json").read_text())
    )
    assert list(
        validator("organization").iter_errors({"id": "not-a-uuid", "name": "x", "description": ""})
    )


def test_organization_list_page_and_items_validate(client, organizations):
    body = client.get("/api/v1/hsds/organizations/").json()

    assert body["total_items"] == 3
    assert body["page_number"] == 1 and body["first_page"] and body["last_page"]
    assert [item["name"] for item in body["contents"]] == [
        "Hébergeurs de Namur",
        "Maison de Gembloux",
        "Sans activité",
    ]
    for item in body["contents"]:
        assert_valid("organization_list", item)


def test_organization_detail_validates_with_one_service_per_activity(client, organizations):
    namur = organizations["commune"]
    response = client.get(f"/api/v1/hsds/organizations/{hsds.organization_id(namur)}/")

    assert response.status_code == 200
    body = response.json()
    assert_valid("organization", body)
    assert sorted(service["name"].split(" · ")[0] for service in body["services"]) == [
        "Hébergement",
        "Transport",
    ]
    service = body["services"][0]
    assert {area["name"] for area in service["service_areas"]} == {"Namur", "Profondeville"}
    assert service["service_at_locations"][0]["location"]["id"] == body["locations"][0]["id"]
    assert {attribute["taxonomy_term"]["code"] for attribute in body["attributes"]} == {
        "hosts",
        "drivers",
    }


def test_service_list_and_detail_validate(client, organizations):
    body = client.get("/api/v1/hsds/services/", {"per_page": 2}).json()

    assert body["total_items"] == 3  # shelter and transport in Namur, food in Gembloux
    assert body["total_pages"] == 2 and not body["last_page"]
    for item in body["contents"]:
        assert_valid("service_list", item)
    identifier = body["contents"][0]["id"]
    detail = client.get(f"/api/v1/hsds/services/{identifier}/").json()
    assert_valid("service", detail)
    assert detail["organization"]["name"] == "Hébergeurs de Namur"


def test_commune_visibility_location_has_only_the_municipality(client, organizations, commune):
    namur = organizations["commune"]
    text = client.get(f"/api/v1/hsds/organizations/{hsds.organization_id(namur)}/").content.decode()
    location = json.loads(text)["locations"][0]

    assert (location["latitude"], location["longitude"]) == (
        commune("Namur").latitude,
        commune("Namur").longitude,
    )
    assert "addresses" not in location
    assert location["name"] == "Namur"
    assert namur.address not in text
    assert str(namur.latitude) not in text and str(namur.longitude) not in text
    assert namur.routing_email not in text


def test_exact_visibility_location_has_the_address_and_the_point(client, organizations):
    gembloux = organizations["exact"]
    location = client.get(f"/api/v1/hsds/organizations/{hsds.organization_id(gembloux)}/").json()[
        "locations"
    ][0]

    assert (location["latitude"], location["longitude"]) == (gembloux.latitude, gembloux.longitude)
    assert location["addresses"][0]["address_1"] == "Rue du Moulin 3"
    assert location["addresses"][0]["postal_code"] == "5030"
    assert location["addresses"][0]["country"] == "BE"


def test_unpublished_or_malformed_identifiers_are_404(client, organizations):
    pending = organizations["pending"]

    assert (
        client.get(f"/api/v1/hsds/organizations/{hsds.organization_id(pending)}/").status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/hsds/services/{hsds.service_id(pending, 'food')}/").status_code == 404
    )
    assert client.get("/api/v1/hsds/organizations/nimporte-quoi/").status_code == 404
    # A service identifier for an activity the organisation does not have.
    namur = organizations["commune"]
    assert (
        client.get(f"/api/v1/hsds/services/{hsds.service_id(namur, 'health')}/").status_code == 404
    )


@pytest.mark.parametrize("params", [{"page": "0"}, {"per_page": "501"}, {"per_page": "beaucoup"}])
def test_bad_page_parameters_give_400(client, organizations, params):
    response = client.get("/api/v1/hsds/organizations/", params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_hsds_answers_are_cacheable(client, organizations):
    first = client.get("/api/v1/hsds/services/")

    assert client.get("/api/v1/hsds/services/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_export_hsds_writes_a_list_of_valid_organisations(organizations, tmp_path):
    output = tmp_path / "hsds.json"

    call_command(
        "export_hsds", str(output), "--base-url", "https://relais.example.org", verbosity=0
    )

    exported = json.loads(output.read_text(encoding="utf-8"))
    assert sorted(item["name"] for item in exported) == [
        "Hébergeurs de Namur",
        "Maison de Gembloux",
        "Sans activité",
    ]
    for item in exported:
        assert_valid("organization", item)
        for service in item.get("services", []):
            assert_valid("service", service)
    assert exported[0]["uri"].startswith("https://relais.example.org/organisations/")
    text = output.read_text(encoding="utf-8")
    assert "routage-secret" not in text
    assert organizations["commune"].address not in text


def test_identifiers_are_stable_and_round_trip():
    organization = Organization(pk=1234)

    assert hsds.parse_organization_id(hsds.organization_id(organization)) == 1234
    assert hsds.parse_service_id(hsds.service_id(organization, "legal-info")) == (
        1234,
        "legal-info",
    )
    assert hsds.parse_service_id(hsds.organization_id(organization)) is None


@pytest.mark.parametrize("url", ["/api/v1/hsds/organizations/", "/api/v1/hsds/services/"])
def test_a_page_far_past_the_end_is_empty(client, organizations, url):
    body = client.get(url, {"page": "143679004019425358474823860224"}).json()

    assert body["empty"] is True and body["contents"] == []
    assert body["total_items"] == 3
