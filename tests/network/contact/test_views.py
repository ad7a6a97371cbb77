"""Signed answer links: accept or decline without an account, once, and nothing else."""

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.utils import timezone

from network.contact.links import ANSWER_SALT, answer_token
from network.contact.models import ContactAnswerLink, ContactRequest
from network.contact.transitions import (
    Actor,
    contact_request_close,
    contact_request_decline,
    contact_request_route,
)
from tests.factories import OrganizationFactory, StaffFactory, real_commune, submit_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(run_tasks):
    organization = OrganizationFactory(
        slug="drivers", needs=["drivers"], municipality=real_commune("Gembloux")
    )
    request = submit_request()
    run_tasks()
    message = next(m for m in mail.outbox if m.subject.startswith("Nouvelle demande"))
    accept = re.search(r"http://\S+/accepter/", message.body).group(0)
    decline = re.search(r"http://\S+/refuser/", message.body).group(0)
    mail.outbox.clear()
    return request, organization, urlsplit(accept).path, urlsplit(decline).path


def test_accept_link_shows_a_confirmation_then_accepts_once(client, routed, run_tasks):
    request, _organization, accept, _ = routed
    page = client.get(accept)
    assert page.status_code == 200
    assert "accepte cette demande" in page.content.decode()
    request.refresh_from_db()
    assert request.status == "routed"  # a GET (a mail scanner) changes nothing
    done = client.post(accept)
    assert done.status_code == 200 and "Vous avez accepté" in done.content.decode()
    request.refresh_from_db()
    assert request.status == "accepted"
    run_tasks()
    assert [m.to for m in mail.outbox] == [["camille.citoyenne@example.net"]]
    again = client.post(accept)
    assert again.status_code == 409 and "déjà été utilisé" in again.content.decode()
    assert request.events.filter(to_status="accepted").count() == 1


def test_decline_link_asks_for_a_reason(client, routed):
    request, _, _, decline = routed
    empty = client.post(decline, {"reason": ""})
    assert empty.status_code == 400 and "Dites en quelques mots" in empty.content.decode()
    request.refresh_from_db()
    assert request.status == "routed"
    done = client.post(decline, {"reason": "Tous nos chauffeurs sont pris"})
    assert done.status_code == 200
    request.refresh_from_db()
    assert request.status == "declined"
    assert request.events.last().reason == "Tous nos chauffeurs sont pris"


def test_accepting_uses_up_the_decline_link_too(client, routed):
    _, _, accept, decline = routed
    client.post(accept)
    response = client.post(decline, {"reason": "finalement non"})
    assert response.status_code == 409


def test_tampered_link_is_refused(client, routed):
    request, _, accept, _ = routed
    token = accept.split("/")[2]
    tampered = accept.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for method in (client.get, client.post):
        response = method(tampered)
        assert response.status_code == 400
        assert "pas valide" in response.content.decode()
    forged = signing.dumps("made-up-nonce", salt=ANSWER_SALT)
    assert client.post(f"/reponse/{forged}/accepter/").status_code == 400
    wrong_salt = signing.dumps(ContactAnswerLink.objects.get(request=request).nonce, salt="another")
    assert client.post(f"/reponse/{wrong_salt}/accepter/").status_code == 400
    request.refresh_from_db()
    assert request.status == "routed"


def test_expired_link_is_refused(client, routed, monkeypatch):
    request, _, accept, _ = routed
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 9 * 86400)
    response = client.post(accept)
    assert response.status_code == 410 and "expiré" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "routed"


def test_link_of_an_expired_request_says_so(client, routed):
    request, _, accept, _ = routed
    ContactRequest.objects.filter(pk=request.pk).update(
        routed_at=timezone.now() - timedelta(days=8)
    )
    from network.contact.timers import contact_timers_run

    contact_timers_run()
    response = client.post(accept)
    assert response.status_code == 410


def test_link_for_a_request_given_to_another_organisation(client, routed):
    request, _, accept, _ = routed
    contact_request_decline(request, actor=Actor(label="tel"), reason="pas dispo")
    other = OrganizationFactory(slug="namur", municipality=real_commune("Namur"))
    contact_request_route(request, other, actor=Actor(user=StaffFactory()))
    response = client.get(accept)
    # The decline used the link; a fresh link of the old assignment is "another organisation's".
    assert response.status_code == 409
    old_link = ContactAnswerLink.objects.get(request=request, assignment=1)
    ContactAnswerLink.objects.filter(pk=old_link.pk).update(used_at=None)
    response = client.post(f"/reponse/{answer_token(old_link)}/accepter/")
    assert response.status_code == 409 and "autre organisation" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "routed" and request.assigned_organization == other
    assert "camille" not in response.content.decode().lower()


def test_link_of_a_closed_request(client, routed):
    request, _, accept, _ = routed
    contact_request_close(request, outcome="duplicate", actor=Actor(user=StaffFactory()))
    response = client.post(accept)
    assert response.status_code == 409 and "clôturée" in response.content.decode()


def test_link_urls_carry_no_personal_data(routed):
    request, _, accept, decline = routed
    for url in (accept, decline):
        for value in (request.name, request.email, request.phone, "camille", "gembloux"):
            assert value.lower() not in url.lower()


def test_accept_link_for_a_phone_only_request_says_to_call(client, run_tasks):
    OrganizationFactory(slug="drivers", needs=["drivers"], municipality=real_commune("Gembloux"))
    request = submit_request(email="", phone="0470 11 22 33")
    run_tasks()
    message = next(m for m in mail.outbox if m.subject.startswith("Nouvelle demande"))
    accept = urlsplit(re.search(r"http://\S+/accepter/", message.body).group(0)).path
    confirm = " ".join(client.get(accept).content.decode().split())
    assert "Relais ne peut pas la prévenir" in confirm
    assert "Elle recevra un e-mail" not in confirm
    done = " ".join(client.post(accept).content.decode().split())
    assert "personne ne l'a prévenue, appelez-la au 0470 11 22 33" in done
    assert "La personne reçoit un e-mail" not in done
    request.refresh_from_db()
    assert request.status == "accepted"
    assert not request.emails.filter(kind="accepted").exists()


def test_accept_link_with_an_email_says_the_person_gets_an_email(client, routed):
    _request, _organization, accept, _ = routed
    assert "Elle recevra un e-mail" in " ".join(client.get(accept).content.decode().split())
    done = " ".join(client.post(accept).content.decode().split())
    assert "La personne reçoit un e-mail qui lui dit que vous allez la contacter" in done
