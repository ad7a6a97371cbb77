"""POST /api/v1/contact-requests/: same fields, rules and protections as the form."""

import pytest

from network.contact.models import ContactRequest
from network.outbox.models import OutboundEmail
from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db

URL = "/api/v1/contact-requests/"


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0


@pytest.fixture
def drivers():
    return OrganizationFactory(
        slug="chauffeurs", needs=["drivers"], municipality=real_commune("Gembloux")
    )


def payload(client, **overrides):
    token = client.get(URL + "form-token/").json()["form_token"]
    data = {
        "name": "Alex",
        "email": "alex@example.net",
        "place": "Gembloux",
        "intent": "drive",
        "availability": "week-end",
        "message": "Disponible",
        "consent": True,
        "form_token": token,
    }
    data.update(overrides)
    return data


def test_submission_answers_reference_status_and_routed_to(client, drivers):
    response = client.post(URL, payload(client), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    request = ContactRequest.objects.get()
    assert body == {
        "reference": request.reference,
        "status": "routed",
        "routed_to": "chauffeurs",
        "receipt_sent": True,
    }
    assert request.source == "api"


def test_unmatched_submission_has_no_routed_to(client):
    response = client.post(URL, payload(client, place="Arlon"), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "new" and response.json()["routed_to"] is None


def test_explicit_target_by_slug(client, drivers):
    far = OrganizationFactory(slug="loin", municipality=real_commune("Arlon"))
    response = client.post(
        URL, payload(client, organization="loin", place=""), content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["routed_to"] == "loin"
    assert ContactRequest.objects.get().target_organization == far


@pytest.mark.parametrize("slug", ["nope", "pending-one"])
def test_unknown_or_unpublished_target_is_refused(client, slug):
    OrganizationFactory(slug="pending-one", status="pending")
    response = client.post(URL, payload(client, organization=slug), content_type="application/json")
    assert response.status_code == 400
    assert "Organisation inconnue" in response.json()["errors"]["organization"][0]
    assert ContactRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": False}, "consent", "Votre accord est nécessaire"),
        ({"email": "", "phone": ""}, "email", "Indiquez une adresse e-mail"),
        ({"site_web": "x"}, "site_web", "un champ qui doit rester vide"),
        ({"form_token": ""}, "form_token", "Ce formulaire a expiré"),
        ({"message": "x" * 2001}, "message", "trop long"),
        ({"place": "Atlantide"}, "place", "Lieu introuvable"),
    ],
)
def test_invalid_submission_is_a_400_with_french_messages(client, overrides, field, message):
    response = client.post(URL, payload(client, **overrides), content_type="application/json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert ContactRequest.objects.count() == 0


def test_form_encoded_body_works_too(client, drivers):
    data = payload(client)
    data["consent"] = "true"
    assert client.post(URL, data).status_code == 201


def test_too_fast_is_refused(client, settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 5
    response = client.post(URL, payload(client), content_type="application/json")
    assert (
        response.status_code == 400 and "très rapide" in response.json()["errors"]["form_token"][0]
    )


def test_replayed_token_gives_the_same_request(client, drivers):
    data = payload(client)
    first = client.post(URL, data, content_type="application/json")
    second = client.post(URL, data, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert ContactRequest.objects.count() == 1
    # Nothing new behind the answer either: one receipt, one notice to the collective.
    assert sorted(OutboundEmail.objects.values_list("kind", flat=True)) == ["receipt", "routed"]


def test_retry_with_the_same_token_after_the_data_changed_still_gives_the_first_request(
    client, drivers
):
    # A client retrying a timed-out POST may rebuild its body: the token decides, not the body.
    data = payload(client)
    first = client.post(URL, data, content_type="application/json")
    retry = client.post(URL, {**data, "message": "Autre"}, content_type="application/json")
    assert retry.status_code == 200 and retry.json() == first.json()
    assert list(ContactRequest.objects.values_list("message", flat=True)) == ["Disponible"]


def test_rate_limit_answers_429(client, drivers, settings):
    settings.RELAIS_CONTACT_RATE_PER_IP = 1
    assert client.post(URL, payload(client), content_type="application/json").status_code == 201
    response = client.post(
        URL, payload(client, email="b@example.net"), content_type="application/json"
    )
    assert (
        response.status_code == 429
        and "Trop de demandes" in response.json()["errors"]["__all__"][0]
    )


def test_oversized_body_is_refused(client):
    response = client.post(URL, {"message": "x" * 20000}, content_type="application/json")
    assert response.status_code == 413
    assert ContactRequest.objects.count() == 0


def test_malformed_json_is_a_clear_400(client):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_phone_only_submission_says_no_receipt_was_sent_and_gives_the_reference(client, drivers):
    response = client.post(
        URL, payload(client, email="", phone="0470 12 34 56"), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["receipt_sent"] is False
    assert body["reference"] == ContactRequest.objects.get().reference
    assert not OutboundEmail.objects.filter(kind="receipt").exists()
