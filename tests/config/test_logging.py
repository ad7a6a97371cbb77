"""Logs carry no personal data: the main journeys, logged at DEBUG, never name anybody."""

import logging
import re
import socket
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.forms import issue_form_token
from network.contact.models import ContactRequest
from network.outbox.models import OutboundEmail
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, real_commune
from tests.network.csv_helpers import make_csv

pytestmark = pytest.mark.django_db

# Everything the project and Django's request handling log, at their most talkative.
LOGGERS = [
    "",
    "config",
    "maps",
    "network",
    "directory",
    "django",
    "django.request",
    "django.server",
    "django.security",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

CITIZEN = {
    "name": "Zéphyrine Quarantequatre",
    "email": "zephyrine.q@citoyenne.example.net",
    "phone": "+32 471 98 76 54",
    "availability": "Jeudis après 18 h",
    "message": "Je peux héberger deux personnes rue des Lilas",
}
OTHER_CITIZEN = {
    **CITIZEN,
    "name": "Barnabé Onzecent",
    "email": "barnabe.onzecent@citoyen.example.net",
    "phone": "0472 11 22 33",
    "message": "Voiture disponible le week-end, appelez-moi",
}
MEMBER_EMAIL = "membre.discret@collectif.example.org"
ROUTING_EMAIL = "routage.secret@collectif.example.org"
IMPORTED_ROUTING_EMAIL = "prive@collectif-namur.example.org"


def closed_port() -> int:
    """A local port where no mail server listens: every delivery fails."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def forbidden_values() -> list[str]:
    values = [*CITIZEN.values(), *OTHER_CITIZEN.values(), MEMBER_EMAIL, ROUTING_EMAIL]
    values.append(IMPORTED_ROUTING_EMAIL)
    # The parts people are found by, whatever the formatting around them.
    values += [CITIZEN["email"].split("@")[0], "Quarantequatre", "Onzecent", "98 76 54"]
    return [value.lower() for value in values]


@pytest.fixture
def everything_logged(caplog):
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_main_journeys_log_no_personal_data(client, settings, everything_logged, run_tasks):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.EMAIL_USE_TLS = False
    gembloux = real_commune("Gembloux")
    hosts = OrganizationFactory(
        slug="hebergeurs", needs=["hosts"], municipality=gembloux, routing_email=ROUTING_EMAIL
    )
    drivers = OrganizationFactory(slug="chauffeurs", needs=["drivers"], municipality=gembloux)

    # The HTML form, routed to a collective; then the same form with a mistake, then a replay.
    form = {**CITIZEN, "place": "5030", "intent": "host", "consent": "on"}
    form["form_token"] = issue_form_token()
    response = client.post("/je-veux-aider/", form)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.post("/je-veux-aider/", form).status_code == 302
    mistake = {**form, "consent": "", "form_token": issue_form_token()}
    assert client.post(f"/organisations/{hosts.slug}/contacter/", mistake).status_code == 200
    # The API, routed; then refused bodies (400, 413).
    api = "/api/v1/contact-requests/"
    token = client.get(api + "form-token/").json()["form_token"]
    body = {**OTHER_CITIZEN, "place": "Gembloux", "intent": "drive", "consent": True}
    answer = client.post(api, {**body, "form_token": token}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["routed_to"] == drivers.slug
    refused = client.post(api, {**body, "consent": False}, content_type="application/json")
    assert refused.status_code == 400
    too_big = {**body, "message": CITIZEN["message"] * 500}
    assert client.post(api, too_big, content_type="application/json").status_code == 413
    assert ContactRequest.objects.count() == 2

    # The mail server is down: every delivery fails and is retried later.
    run_tasks()
    assert OutboundEmail.objects.filter(status="pending", attempts=1).count() == 4

    # The collective answers through the links of its e-mail: accepts one, declines the other.
    hosts_mail = OutboundEmail.objects.get(kind="routed", recipients=[ROUTING_EMAIL])
    accept = urlsplit(re.search(r"http://\S+/accepter/", hosts_mail.body).group(0)).path
    assert client.get(accept).status_code == 200
    assert client.post(accept).status_code == 200
    assert client.post(accept).status_code == 409  # used already
    assert client.get(accept.replace("/reponse/", "/reponse/x")).status_code in (400, 404)
    drivers_mail = OutboundEmail.objects.get(kind="routed", request__email=OTHER_CITIZEN["email"])
    decline = urlsplit(re.search(r"http://\S+/refuser/", drivers_mail.body).group(0)).path
    assert client.post(decline, {"reason": ""}).status_code == 400
    assert client.post(decline, {"reason": "Complet cette semaine"}).status_code == 200
    run_tasks()

    # A member mistypes their password until locked out.
    UserFactory(username=MEMBER_EMAIL, email=MEMBER_EMAIL)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/espace/connexion/", {"username": MEMBER_EMAIL, "password": "faux"})
    assert client.get("/espace/").status_code == 302

    # Staff import a spreadsheet with an invalid row.
    client.force_login(StaffFactory())
    spreadsheet = make_csv({"external_id": "a"}, {"external_id": "b", "kind": "club"})
    upload = SimpleUploadedFile("orgs.csv", spreadsheet, content_type="text/csv")
    page = client.post("/equipe/import/", {"file": upload})
    assert "1 ligne invalide" in page.content.decode()

    records = everything_logged.records
    # The journeys did log (failures, refusals, lockouts): the check below is not vacuous.
    assert any("not delivered" in record.getMessage() for record in records)
    assert any(record.name == "django.request" for record in records)
    assert any(record.name.startswith("axes") for record in records)
    for record in records:
        text = (record.getMessage() + (record.exc_text or "")).lower()
        for value in forbidden_values():
            assert value not in text, (record.name, record.getMessage())
    logged = everything_logged.text.lower()
    for value in forbidden_values():
        assert value not in logged


def test_sql_and_its_values_are_not_logged_even_when_everything_else_is_at_debug(caplog):
    caplog.set_level(logging.DEBUG)  # the root logger, as LOG_LEVEL=DEBUG does
    assert not logging.getLogger("django.db.backends").isEnabledFor(logging.DEBUG)
