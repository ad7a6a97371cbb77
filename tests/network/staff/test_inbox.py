"""The staff triage inbox: queues, one-click routing, override, closing, notes, history, privacy."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from network.contact.models import ContactRequest
from network.contact.transitions import (
    Actor,
    contact_request_accept,
    contact_request_decline,
    contact_request_expire,
)
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
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/espace/connexion/?next=")
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get("/equipe/demandes/").status_code == 403
    response = client.post(
        f"/equipe/demandes/{request.reference}/transmettre/", {"organization": "x"}
    )
    assert response.status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"/equipe/demandes/{request.reference}/").status_code == 403


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
    )
    assert bad.status_code == 400
    assert "Aucune organisation publiée ne correspond à « inconnue »" in text(bad)
    request.refresh_from_db()
    assert request.status == "new" and request.assigned_organization is None
    staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/",
        {"organization": "Équipe d'Arlon (Arlon)", "manual": "1"},
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
    assert "« Clôturer » n'est pas possible" in text(again)
    assert "Rien n'a été modifié" in text(again)
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


def test_success_banner_appears_once(staff_client):
    OrganizationFactory(slug="near", name="Proche", municipality=real_commune("Gembloux"))
    request = submit_request(place=None)
    response = staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/", {"organization": "near"}, follow=True
    )
    assert text(response).count("Demande transmise à « Proche »") == 1
    missing = staff_client.get("/equipe/demandes/?ref=ZZZZ-ZZZZ")
    assert text(missing).count("Aucune demande ne porte la référence") == 1


def test_search_box_finds_a_request_by_its_reference_as_typed(staff_client):
    request = submit_request(place=None)
    page = text(staff_client.get("/equipe/demandes/"))
    assert 'name="ref"' in page and "Aller à une référence" in page
    for typed in (
        request.reference,
        request.reference.lower(),
        request.reference.replace("-", " "),
    ):
        response = staff_client.get("/equipe/demandes/", {"ref": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == f"/equipe/demandes/{request.reference}/"
    unknown = staff_client.get("/equipe/demandes/", {"ref": "pas une référence"})
    assert "Aucune demande ne porte la référence « pas une référence »" in text(unknown)


def test_closing_requires_choosing_an_outcome(staff_client):
    request = submit_request(place=None)
    page = staff_client.get(f"/equipe/demandes/{request.reference}/").content.decode()
    select = re.search(r'<select name="outcome".*?</select>', page, re.S).group(0)
    assert "required" in select
    first = re.search(r"<option[^>]*>([^<]*)</option>", select)
    assert 'value=""' in first.group(0) and "Choisissez l'issue" in html.unescape(first.group(1))
    assert "selected" not in select.replace('value="" selected', "")
    response = staff_client.post(f"/equipe/demandes/{request.reference}/cloturer/", {"reason": ""})
    assert response.status_code == 400
    assert "Choisissez l'issue de la demande avant de la clôturer." in text(response)
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("new", "")
    forged = staff_client.post(
        f"/equipe/demandes/{request.reference}/cloturer/", {"outcome": "great-success"}
    )
    assert forged.status_code == 400 and "Issue inconnue" in text(forged)
    request.refresh_from_db()
    assert request.status == "new"


def test_accepted_request_offers_no_routing_and_a_forged_route_changes_nothing(staff_client):
    drivers = OrganizationFactory(
        slug="drivers", name="Chauffeurs", needs=["drivers"], municipality=real_commune("Gembloux")
    )
    other = OrganizationFactory(slug="other", name="Autre", municipality=real_commune("Namur"))
    request = submit_request()
    contact_request_accept(request, actor=Actor(label="lien"))
    page = text(staff_client.get(f"/equipe/demandes/{request.reference}/"))
    assert f"/equipe/demandes/{request.reference}/transmettre/" not in page
    assert "Transmettre à cette organisation" not in page
    assert f"/equipe/demandes/{request.reference}/cloturer/" in page
    events = request.events.count()
    response = staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/",
        {"organization": "other", "manual": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "« Transmettre » n'est pas possible" in text(response)
    assert "au statut « Acceptée »" in text(response)
    request.refresh_from_db()
    assert request.status == "accepted" and request.assigned_organization == drivers
    assert request.events.count() == events
    assert other.assigned_requests.count() == 0


def test_closed_request_offers_neither_routing_nor_closing(staff_client):
    request = submit_request(place=None)
    staff_client.post(f"/equipe/demandes/{request.reference}/cloturer/", {"outcome": "spam"})
    page = text(staff_client.get(f"/equipe/demandes/{request.reference}/"))
    assert "/transmettre/" not in page and "/cloturer/" not in page
    assert "Ajouter la note" in page


def test_manual_routing_with_a_name_shared_by_two_organisations_asks_for_the_commune(
    staff_client,
):
    request = submit_request(place=None)
    OrganizationFactory(
        slug="solidarite-namur", name="Solidarité", municipality=real_commune("Namur")
    )
    liege = OrganizationFactory(
        slug="solidarite-liege", name="Solidarité", municipality=real_commune("Liège")
    )
    url = f"/equipe/demandes/{request.reference}/transmettre/"
    ambiguous = staff_client.post(url, {"organization": "Solidarité", "manual": "1"})
    assert ambiguous.status_code == 400
    page = text(ambiguous)
    assert "désigne plusieurs organisations publiées" in page
    assert "Solidarité (Liège)" in page and "Solidarité (Namur)" in page
    assert 'value="Solidarité"' in page  # what staff typed stays in the field
    request.refresh_from_db()
    assert request.status == "new"
    staff_client.post(url, {"organization": "Solidarité (Liège)", "manual": "1"})
    request.refresh_from_db()
    assert request.assigned_organization == liege


def test_manual_routing_refuses_an_unpublished_organisation(staff_client):
    request = submit_request(place=None)
    OrganizationFactory(name="En attente", municipality=real_commune("Namur"), status="pending")
    response = staff_client.post(
        f"/equipe/demandes/{request.reference}/transmettre/",
        {"organization": "En attente (Namur)", "manual": "1"},
    )
    assert response.status_code == 400 and "Aucune organisation publiée" in text(response)
    request.refresh_from_db()
    assert request.status == "new"


def test_routing_picker_suggests_published_organisations_by_name_or_commune(staff_client):
    OrganizationFactory(name="Hébergement solidaire", municipality=real_commune("Liège"))
    OrganizationFactory(
        name="Chauffeurs du Condroz", municipality=real_commune("Ciney"), accepting_requests=False
    )
    OrganizationFactory(name="Hébergement caché", status="pending")
    page = staff_client.get(f"/equipe/demandes/{submit_request(place=None).reference}/")
    assert 'list="organization-choices"' in page.content.decode()
    url = "/equipe/demandes/organisations/"
    by_name = staff_client.get(url, {"q": "heberg"}).json()["results"]
    assert [r["value"] for r in by_name] == ["Hébergement solidaire (Liège)"]
    by_commune = staff_client.get(url, {"q": "liege"}).json()["results"]
    assert "Hébergement solidaire (Liège)" in [r["value"] for r in by_commune]
    paused = staff_client.get(url, {"q": "Ciney"}).json()["results"]
    assert paused == [
        {
            "value": "Chauffeurs du Condroz (Ciney)",
            "label": "Collectif citoyen · ne prend pas de demandes",
        }
    ]
    assert staff_client.get(url, {"q": ""}).json() == {"results": []}


def test_routing_picker_is_for_staff_only(client):
    OrganizationFactory(name="Hébergement solidaire")
    response = client.get("/equipe/demandes/organisations/", {"q": "heberg"})
    assert response.status_code == 302
    assert response["Location"].startswith("/espace/connexion/?next=")


def test_history_shows_no_same_status_rows(staff_client):
    request = submit_request(place=None)  # automatic routing finds nobody: stays "new"
    first = OrganizationFactory(slug="first", name="Premier", municipality=real_commune("Namur"))
    second = OrganizationFactory(slug="second", name="Second", municipality=real_commune("Namur"))
    url = f"/equipe/demandes/{request.reference}/transmettre/"
    staff_client.post(url, {"organization": first.slug})
    staff_client.post(url, {"organization": second.slug})
    history = text(staff_client.get(f"/equipe/demandes/{request.reference}/"))
    history = history[history.index("Historique") :]
    assert "Nouvelle (à traiter par l'équipe) → Nouvelle" not in history
    assert "Transmise, en attente de réponse → Transmise" not in history
    assert "Aucun collectif trouvé automatiquement" in history
    assert (
        "Nouvelle (à traiter par l'équipe) → Transmise, en attente de réponse (Premier)" in history
    )
    assert "Transmise à une autre organisation (Second)" in history
