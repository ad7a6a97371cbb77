"""The staff triage inbox: queues, one-click routing, override, closing, notes, history, privacy."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import ContactRequest
from network.services import Actor, contact_request_decline, contact_request_expire
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    real_commune,
    submit_request,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_inbox_is_for_staff_only(client):
    request = submit_request()
    for path in (
        "/equipe/demandes/",
        f"/equipe/demandes/{request.reference}/",
        "/equipe/demandes/donnees-personnelles/",
    ):
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get("/equipe/demandes/").status_code == 302
    response = client.post(
        f"/equipe/demandes/{request.reference}/transmettre/", {"organization": "x"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(f"/equipe/demandes/{request.reference}/").status_code == 302


def test_queues_show_new_declined_expired_and_overdue(staff_client):
    drivers = OrganizationFactory(
        slug="drivers", needs=["drivers"], municipality=real_commune("Gembloux")
    )
    new = submit_request(place=None)
    declined = submit_request(email="d@example.net")
    contact_request_decline(declined, actor=Actor(label="x"), reason="Complet")
    expired = submit_request(email="e@example.net")
    contact_request_expire(expired)
    overdue = submit_request(email="o@example.net")
    ContactRequest.objects.filter(pk=overdue.pk).update(
        routed_at=timezone.now() - timedelta(days=4)
    )
    fresh = submit_request(email="f@example.net")
    assert fresh.assigned_organization == drivers
    expected = {"new": new, "declined": declined, "expired": expired, "overdue": overdue}
    for queue, request in expected.items():
        page = text(staff_client.get(f"/equipe/demandes/?file={queue}"))
        assert request.reference in page, queue
        others = [r.reference for q, r in expected.items() if q != queue] + [fresh.reference]
        assert not any(reference in page for reference in others), queue
    assert re.search(r"Nouvelles\s*\(1\)", text(staff_client.get("/equipe/demandes/")))


def test_unmatched_request_is_routed_in_one_click_to_a_ranked_suggestion(staff_client, run_tasks):
    request = submit_request(place=None)  # nothing to go on: lands in the staff queue
    assert request.status == "new"
    ContactRequest.objects.filter(pk=request.pk).update(
        municipality=real_commune("Gembloux"), latitude=50.56, longitude=4.69
    )
    near = OrganizationFactory(
        slug="near", name="Proche", needs=["drivers"], municipality=real_commune("Gembloux")
    )
    OrganizationFactory(
        slug="far", name="Plus loin", needs=["drivers"], municipality=real_commune("Namur")
    )
    page = text(staff_client.get(f"/equipe/demandes/{request.reference}/"))
    assert page.index("Proche") < page.index("Plus loin")
    assert "dessert Gembloux" in page and " km" in page
    response = staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/", {"organization": "near"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "routed" and request.assigned_organization == near
    history = text(staff_client.get(f"/equipe/demandes/{request.reference}/"))
    assert "Demande transmise à « Proche »" in history
    assert "Nouvelle (à traiter par l'équipe) → Transmise, en attente de réponse" in history
    run_tasks()
    from django.core import mail

    assert any(near.routing_email in m.to for m in mail.outbox)


def test_manual_override_and_clear_error_for_unknown_organisation(staff_client):
    request = submit_request(place=None)
    faraway = OrganizationFactory(
        slug="arlon-team", name="Équipe d'Arlon", municipality=real_commune("Arlon")
    )
    bad = staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/",
        {"organization": "inconnue", "manual": "1"},
        follow=True,
    )
    assert "introuvable ou ambiguë" in text(bad)
    staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/",
        {"organization": "Équipe d'Arlon", "manual": "1"},
    )
    request.refresh_from_db()
    assert request.assigned_organization == faraway
    assert request.routing_reason.startswith("choix manuel de l'équipe")


def test_close_with_outcome_notes_and_history(staff_client):
    request = submit_request(place=None)
    staff_client.post(
        f"/equipe/demandes/{request.reference}/note/", {"text": "Doublon de la demande d'hier"}
    )
    staff_client.post(
        f"/equipe/demandes/{request.reference}/cloturer/", {"outcome": "duplicate", "reason": "vu"}
    )
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("closed", "duplicate")
    page = text(staff_client.get(f"/equipe/demandes/{request.reference}/"))
    assert "Doublon de la demande d'hier" in page
    assert "Clôturée" in page and "Doublon : vu" in page
    again = staff_client.post(
        f"/equipe/demandes/{request.reference}/cloturer/", {"outcome": "spam"}, follow=True
    )
    assert "impossible" in text(again)
    request.refresh_from_db()
    assert request.outcome == "duplicate"


def test_staff_export_and_erase_one_persons_data(staff_client):
    request = submit_request(place=None, email="lea@example.net", name="Léa")
    export = staff_client.post(
        "/equipe/demandes/donnees-personnelles/", {"email": "lea@example.net", "action": "export"}
    )
    assert export["Content-Type"].startswith("application/json")
    data = json.loads(export.content)
    assert (
        data["requests"][0]["name"] == "Léa"
        and data["requests"][0]["reference"] == request.reference
    )
    refused = staff_client.post(
        "/equipe/demandes/donnees-personnelles/", {"email": "lea@example.net", "action": "erase"}
    )
    assert "Cochez la case" in text(refused)
    staff_client.post(
        "/equipe/demandes/donnees-personnelles/",
        {"email": "lea@example.net", "action": "erase", "confirm": "yes"},
    )
    request.refresh_from_db()
    assert request.name == "" and request.email == "" and request.personal_data_erased_at
    assert "Effacement des données personnelles" in text(
        staff_client.get(f"/equipe/demandes/{request.reference}/")
    )


def test_unknown_reference_is_404(staff_client):
    assert staff_client.get("/equipe/demandes/ZZZZ-ZZZZ/").status_code == 404
