"""Requests routed to an organisation, answered from the member dashboard."""

import html

import pytest
from django.core import mail

from network.contact.models import ContactRequest, ContactRequestEvent
from network.members.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, submit_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(run_tasks):
    """A request a citizen sent to organisation A, routed to it, and A's editor."""
    organization = OrganizationFactory(
        name="Organisation A", activities=["transport"], needs=["drivers"]
    )
    member = MembershipFactory(organization=organization, role=Membership.Role.EDITOR)
    contact_request = submit_request(
        target=organization, source=ContactRequest.Source.ORGANIZATION_FORM
    )
    run_tasks()
    mail.outbox.clear()
    assert contact_request.status == ContactRequest.Status.ROUTED
    return contact_request, member


def test_dashboard_lists_the_requests_routed_to_my_organisation_with_the_contact_details(
    client, routed
):
    contact_request, member = routed
    client.force_login(member.user)
    page = client.get("/espace/").content.decode()
    assert contact_request.reference in page
    assert "camille.citoyenne@example.net" in page
    assert "+32 470 12 34 56" in page
    assert "Accepter" in page


def test_accepting_from_the_dashboard_tells_the_citizen_and_logs_who(client, routed, run_tasks):
    contact_request, member = routed
    client.force_login(member.user)
    response = client.post(f"/espace/demandes/{contact_request.reference}/accepter/", follow=True)
    assert "acceptée" in response.content.decode()
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.ACCEPTED
    event = ContactRequestEvent.objects.filter(request=contact_request, to_status="accepted").get()
    assert event.actor == member.user
    run_tasks()
    assert any("camille.citoyenne@example.net" in message.to for message in mail.outbox)


def test_declining_needs_a_reason_and_gives_the_request_back(client, routed):
    contact_request, member = routed
    client.force_login(member.user)
    url = f"/espace/demandes/{contact_request.reference}/refuser/"
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Dites en quelques mots pourquoi" in response.content.decode()
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.ROUTED
    client.post(url, {"reason": "Plus de chauffeurs ce mois-ci."})
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.DECLINED
    # Given back: the organisation no longer sees the citizen's details.
    assert "camille.citoyenne@example.net" not in client.get("/espace/").content.decode()


def test_answering_twice_says_so_and_changes_nothing(client, routed):
    contact_request, member = routed
    client.force_login(member.user)
    client.post(f"/espace/demandes/{contact_request.reference}/accepter/")
    response = client.post(
        f"/espace/demandes/{contact_request.reference}/refuser/",
        {"reason": "Trop tard"},
        follow=True,
    )
    assert "déjà reçu une réponse" in response.content.decode()
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.ACCEPTED


@pytest.mark.parametrize("action", ["accepter", "refuser"])
def test_a_member_of_b_cannot_see_nor_answer_a_request_routed_to_a(client, routed, action):
    contact_request, _member = routed
    other = MembershipFactory(
        organization=OrganizationFactory(name="Organisation B"), role=Membership.Role.ADMIN
    )
    client.force_login(other.user)
    assert contact_request.reference not in client.get("/espace/").content.decode()
    response = client.post(
        f"/espace/demandes/{contact_request.reference}/{action}/", {"reason": "Pas pour nous"}
    )
    assert response.status_code == 404
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.ROUTED


def test_staff_answer_from_the_inbox_not_from_the_member_space(client, routed):
    contact_request, _member = routed
    client.force_login(StaffFactory())
    assert client.post(f"/espace/demandes/{contact_request.reference}/accepter/").status_code == 404


def test_accepting_a_phone_only_request_says_to_call_not_that_the_person_was_told(client):
    organization = OrganizationFactory(name="Organisation B", needs=["drivers"])
    member = MembershipFactory(organization=organization)
    contact_request = submit_request(
        target=organization, email="", phone="0470 98 76 54", place=None
    )
    client.force_login(member.user)
    response = client.post(f"/espace/demandes/{contact_request.reference}/accepter/", follow=True)
    page = " ".join(html.unescape(response.content.decode()).split())
    assert "n'a laissé qu'un numéro de téléphone" in page
    assert "appelez-la au 0470 98 76 54" in page
    assert "la personne reçoit un e-mail" not in page
    assert page.count(f"Demande {contact_request.reference} acceptée") == 1
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.ACCEPTED
    assert not contact_request.emails.filter(kind="accepted").exists()


def test_accepting_a_request_with_an_email_says_the_person_gets_an_email(client, routed):
    contact_request, member = routed
    client.force_login(member.user)
    response = client.post(f"/espace/demandes/{contact_request.reference}/accepter/", follow=True)
    page = " ".join(html.unescape(response.content.decode()).split())
    assert "la personne reçoit un e-mail qui lui dit que vous allez la contacter" in page
    assert contact_request.emails.filter(kind="accepted").exists()
