"""The public contact forms: what a citizen sees, the protections, and where requests go."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from directory.forms import issue_form_token
from network.contact.models import ContactRequest
from network.outbox.models import OutboundEmail
from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0


def form_data(**overrides):
    data = {
        "name": "Camille",
        "email": "camille@example.net",
        "phone": "",
        "place": "5030",
        "intent": "drive",
        "availability": "le soir",
        "message": "Je peux conduire.",
        "consent": "on",
        "site_web": "",
        "form_token": issue_form_token(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def drivers():
    return OrganizationFactory(
        name="Chauffeurs de Gembloux",
        slug="chauffeurs",
        needs=["drivers"],
        municipality=real_commune("Gembloux"),
    )


def test_listing_that_accepts_requests_shows_the_contact_button(client, drivers):
    page = text(client.get(f"/organisations/{drivers.slug}/"))
    assert "Contacter ce collectif" in page
    assert f"/organisations/{drivers.slug}/contacter/" in page


def test_paused_listing_has_no_contact_button(client):
    paused = OrganizationFactory(accepting_requests=False)
    assert "Contacter ce collectif" not in text(client.get(f"/organisations/{paused.slug}/"))


def test_general_form_routes_and_confirmation_says_where(client, drivers, run_tasks):
    form = client.get("/je-veux-aider/")
    assert form.status_code == 200
    body = text(form)
    assert "Vos données" in body and "180 jours" in body and 'name="form_token"' in body
    response = client.post("/je-veux-aider/", form_data(), follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "transmise au collectif « Chauffeurs de Gembloux »" in page
    request = ContactRequest.objects.get()
    assert request.reference in page
    assert request.source == "general-form" and request.municipality.name_fr == "Gembloux"
    run_tasks()
    receipt = next(m for m in mail.outbox if m.to == ["camille@example.net"])
    withdraw = re.search(r"http://\S+/demande/retirer/\S+/", receipt.body).group(0)
    path = urlsplit(withdraw).path
    assert "Oui, retirer ma demande" in text(client.get(path))
    assert "est retirée" in text(client.post(path))
    request.refresh_from_db()
    assert request.outcome == "withdrawn"
    assert "déjà clôturée" in text(client.post(path))


def test_unmatched_request_is_kept_and_confirmation_says_staff_will_route(client):
    response = client.post("/je-veux-aider/", form_data(place="Arlon"), follow=True)
    assert "l'équipe de coordination va la lire" in text(response)
    assert ContactRequest.objects.get().status == "new"


def test_organisation_form_targets_that_organisation(client, drivers):
    far = OrganizationFactory(
        slug="far", name="Loin", municipality=real_commune("Arlon"), needs=["hosts"]
    )
    response = client.post(
        f"/organisations/{far.slug}/contacter/", form_data(place="", intent="host"), follow=True
    )
    assert "Loin" in text(response)
    request = ContactRequest.objects.get()
    assert request.target_organization == far and request.assigned_organization == far
    assert request.source == "organization-form"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Indiquez votre nom"),
        ({"email": "", "phone": ""}, "Indiquez une adresse e-mail ou un numéro"),
        ({"email": "pas-une-adresse"}, "adresse e-mail n'est pas valide"),
        ({"phone": "appelez-moi"}, "numéro de téléphone n'est pas valide"),
        ({"place": "9999"}, "n'est pas un code postal wallon"),
        ({"place": ""}, "Indiquez votre code postal"),
        ({"intent": "rob"}, "Choix inconnu"),
        ({"consent": ""}, "Votre accord est nécessaire"),
        ({"message": "x" * 2001}, "Le message est trop long"),
        ({"availability": "x" * 301}, "Trop long"),
        ({"form_token": "forged"}, "Ce formulaire a expiré ou n'est pas valide"),
    ],
)
def test_bad_input_gets_a_clear_french_message_and_changes_nothing(
    client, drivers, overrides, message
):
    response = client.post("/je-veux-aider/", form_data(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert "Votre demande n'a pas encore été envoyée" in text(response)
    assert ContactRequest.objects.count() == 0


def test_honeypot_filled_is_refused(client, drivers):
    response = client.post("/je-veux-aider/", form_data(site_web="http://spam.example"))
    assert "un champ qui doit rester vide" in text(response)
    assert ContactRequest.objects.count() == 0


def test_too_fast_submission_is_refused_with_a_fresh_token(client, drivers, settings):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 3
    first_token = issue_form_token()
    response = client.post("/je-veux-aider/", form_data(form_token=first_token))
    body = text(response)
    assert "Vous avez été très rapide" in body
    assert ContactRequest.objects.count() == 0
    new_token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)
    assert new_token != first_token
    assert 'value="Camille"' in body  # what the person typed is kept


def test_double_click_gives_one_request(client, drivers):
    data = form_data()
    first = client.post("/je-veux-aider/", data)
    second = client.post("/je-veux-aider/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ContactRequest.objects.count() == 1
    # The second click lands on the same confirmation, with no error, and nothing is sent twice.
    request = ContactRequest.objects.get()
    page = text(client.get(second["Location"]))
    assert "Merci, votre demande est envoyée" in page and request.reference in page
    assert "Chauffeurs de Gembloux" in page
    assert "expiré" not in page and "Trop de demandes" not in page
    assert OutboundEmail.objects.filter(kind="receipt").count() == 1


def test_rate_limit_per_ip(client, drivers, settings):
    settings.RELAIS_CONTACT_RATE_PER_IP = 2
    for number in range(2):
        assert (
            client.post("/je-veux-aider/", form_data(email=f"p{number}@example.net")).status_code
            == 302
        )
    blocked = client.post("/je-veux-aider/", form_data(email="p3@example.net"))
    assert blocked.status_code == 429
    assert "Trop de demandes" in text(blocked)
    assert ContactRequest.objects.count() == 2
    other_ip = client.post(
        "/je-veux-aider/", form_data(email="p4@example.net"), REMOTE_ADDR="10.1.2.3"
    )
    assert other_ip.status_code == 302


def test_rate_limit_per_email(client, drivers, settings):
    settings.RELAIS_CONTACT_RATE_PER_EMAIL = 1
    assert client.post("/je-veux-aider/", form_data(), REMOTE_ADDR="10.0.0.1").status_code == 302
    blocked = client.post(
        "/je-veux-aider/", form_data(email="CAMILLE@example.net"), REMOTE_ADDR="10.0.0.2"
    )
    assert blocked.status_code == 429
    assert ContactRequest.objects.count() == 1


def test_confirmation_page_needs_the_signed_token(client, drivers):
    client.post("/je-veux-aider/", form_data())
    reference = ContactRequest.objects.get().reference
    assert client.get(f"/demande/merci/{reference}/").status_code == 404


def test_tampered_withdraw_link(client):
    response = client.get("/demande/retirer/abc:def/")
    assert response.status_code == 400 and "pas valide" in text(response)


def test_phone_only_confirmation_says_there_is_no_receipt_and_shows_the_reference(
    client, drivers, run_tasks
):
    response = client.post(
        "/je-veux-aider/", form_data(email="", phone="0470 12 34 56"), follow=True
    )
    page = " ".join(text(response).split())
    request = ContactRequest.objects.get()
    assert f"Votre référence : <strong>{request.reference}</strong>" in page
    assert "vous ne recevrez pas d'accusé de réception" in page
    assert "vous ne pourrez pas retirer la demande vous-même" in page
    assert "qui va vous appeler au numéro indiqué" in page
    assert "Un accusé de réception vient de partir" not in page
    run_tasks()
    assert not [m for m in mail.outbox if "bien reçue" in m.subject]


def test_confirmation_with_an_email_promises_the_receipt_and_withdraw_link(client, drivers):
    page = " ".join(text(client.post("/je-veux-aider/", form_data(), follow=True)).split())
    assert "Un accusé de réception vient de partir" in page
    assert "vous ne recevrez pas d'accusé de réception" not in page
