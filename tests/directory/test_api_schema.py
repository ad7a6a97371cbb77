"""The OpenAPI schema, its self-hosted documentation, and a schemathesis run against it."""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from network.listings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_every_public_endpoint(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/municipalities/",
        "/api/v1/activities/",
        "/api/v1/needs/",
        "/api/v1/hsds/organizations/",
        "/api/v1/hsds/services/",
    ):
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert {
        "near",
        "radius_km",
        "kind",
        "activity",
        "need",
        "province",
        "municipality",
        "language",
        "accepting_requests",
        "q",
    } <= parameters


def test_documentation_page_loads_every_asset_from_the_site_itself(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page should load Swagger UI / Redoc assets"
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets), assets
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # the site's CSP forbids inline scripts
    for asset in assets:
        if asset.startswith("/static/"):
            # Shipped by drf-spectacular-sidecar and collected with the other static files.
            assert finders.find(asset.removeprefix("/static/")), asset


def test_api_root_redirects_to_the_documentation(client):
    response = client.get("/api/v1/")

    assert response.status_code == 302
    assert response["Location"] == "/api/v1/docs/"


@pytest.fixture
def live_schema(db, commune, monkeypatch):
    """The schema served by the app, with a small directory behind it and no rate limit."""
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    from config.wsgi import application

    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": None, "user": None})
    OrganizationFactory(
        name="Accueil Namur",
        slug="accueil-namur",
        municipality=commune("Namur"),
        activities=["transport"],
    )
    OrganizationFactory(
        name="Gembloux exact", slug="gembloux-exact", municipality=commune("Gembloux"),
        address_visibility=Organization.AddressVisibility.EXACT, activities=["food", "shelter"], needs=["hosts"],
    )  # fmt: skip
    # The real WSGI handler closes the database connection after each request, which would end
    # the test's transaction on PostgreSQL; Django's test client keeps it open the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("live_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_conforms_to_the_schema_and_none_is_a_server_error(case):
    # What the contract promises: no 5xx, and every status code, content type, header and body
    # as documented. (Whether an empty filter such as `kind=` means "any" or is refused is
    # a design choice shared with the HTML search page, not a conformance question.)
    case.call_and_validate(
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_headers_conformance,
            checks.response_schema_conformance,
        ]
    )


def test_schema_says_the_form_token_makes_a_retried_submission_safe(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/contact-requests/"]["post"]
    assert {"200", "201"} <= set(operation["responses"])
    submission = schema["components"]["schemas"]["ContactRequestSubmissionRequest"]
    assert "form_token" in submission["required"]
    assert "clé d'idempotence" in submission["properties"]["form_token"]["description"]
