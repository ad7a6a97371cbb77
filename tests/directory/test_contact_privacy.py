"""A citizen's personal data never shows on a public page or in a public API response."""

import pytest
from django.urls import URLPattern, URLResolver

from directory.api import urls as api_urls
from network.contact.models import ContactRequest
from network.contact.transitions import Actor, contact_request_accept, contact_request_decline
from tests.factories import OrganizationFactory, real_commune, submit_request

pytestmark = pytest.mark.django_db

SECRETS = {
    "name": "Zoé Confidentielle",
    "email": "zoe.secrete@example.net",
    "phone": "+32 499 99 88 77",
    "message": "Message privé numéro 4242",
    "availability": "Mardis secrets",
}


def _api_paths(patterns, prefix="/api/v1/", slug=""):
    """Every public API route, parameters filled with a real organisation's slug."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_paths(pattern.url_patterns, prefix + route, slug)
        elif isinstance(pattern, URLPattern):
            if "<" in route and "slug" not in route:
                continue
            yield prefix + route.replace("<slug:slug>", slug).replace("<str:slug>", slug)


def test_personal_data_is_absent_from_public_pages_and_api(client):
    collective = OrganizationFactory(
        slug="hebergeurs", needs=["hosts"], municipality=real_commune("Namur")
    )
    accepted = submit_request(intent="host", place=None, target=collective, **SECRETS)
    contact_request_accept(accepted, actor=Actor(label="test"))
    submit_request(intent="host", **{**SECRETS, "email": "autre.secret@example.net"})
    assert ContactRequest.objects.count() == 2
    pages = [
        "/",
        "/?near=Namur",
        "/?near=5000&radius_km=50",
        f"/organisations/{collective.slug}/",
        f"/organisations/{collective.slug}/contacter/",
        "/je-veux-aider/",
        "/a-propos/",
        "/lieux/suggestions/?q=Nam",
    ]
    pages += list(_api_paths(api_urls.urlpatterns, slug=collective.slug))
    pages += [path + "?format=json" for path in pages if path.startswith("/api/")]
    assert any(path.startswith("/api/") for path in pages)
    checked = 0
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.content.decode().lower()
        for value in [*SECRETS.values(), "autre.secret@example.net", collective.routing_email]:
            assert value.lower() not in body, (path, value)
        checked += 1
    assert checked >= 10


def test_api_answer_carries_no_personal_data(client, settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0
    OrganizationFactory(slug="chauffeurs", needs=["drivers"], municipality=real_commune("Gembloux"))
    token = client.get("/api/v1/contact-requests/form-token/").json()["form_token"]
    response = client.post(
        "/api/v1/contact-requests/",
        {**SECRETS, "place": "Gembloux", "intent": "drive", "consent": True, "form_token": token},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert set(response.json()) == {"reference", "status", "routed_to", "receipt_sent"}
    for value in SECRETS.values():
        assert value.lower() not in response.content.decode().lower()


def test_only_staff_and_the_assigned_organisations_members_see_a_request():
    from network.contact.selectors import contact_requests_visible_to
    from tests.factories import MembershipFactory, StaffFactory, UserFactory

    mine = OrganizationFactory(
        slug="mine", needs=["drivers"], municipality=real_commune("Gembloux")
    )
    other = OrganizationFactory(slug="other", municipality=real_commune("Arlon"))
    request = submit_request()
    assert request.assigned_organization == mine
    member = MembershipFactory(organization=mine).user
    outsider = MembershipFactory(organization=other).user
    assert list(contact_requests_visible_to(member)) == [request]
    assert list(contact_requests_visible_to(outsider)) == []
    assert list(contact_requests_visible_to(UserFactory())) == []
    assert list(contact_requests_visible_to(StaffFactory())) == [request]
    contact_request_decline(request, actor=Actor(label="test"), reason="Complet")
    assert list(contact_requests_visible_to(member)) == []
    assert list(contact_requests_visible_to(StaffFactory())) == [request]
