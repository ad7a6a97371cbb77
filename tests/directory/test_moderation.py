import pytest
from django.core import mail

from directory.antispam import signed_start
from network.listings.models import Organization
from network.members.models import Membership
from network.moderation.models import Decision, ErrorReport, OrganizationProposal
from network.moderation.services import proposal_approve, proposal_reject
from tests.factories import OrganizationFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_minimum_fill_time(settings):
    settings.RELAIS_FORM_MIN_SECONDS = 0


def proposal_data(**overrides) -> dict:
    data = {
        "name": "Collectif des Tilleuls",
        "kind": "collective",
        "description": "Hébergement d'une nuit et trajets vers la gare.",
        "postal_code": "5030",
        "activities": ["shelter", "transport"],
        "needs": ["drivers"],
        "email": "tilleuls@example.org",
        "proposer_name": "Aline",
        "proposer_email": "Aline@example.org",
        "proposer_role": "coordinatrice",
        "started": signed_start(),
        "website_confirm": "",
    }
    data.update(overrides)
    return data


def test_a_proposal_creates_a_pending_listing_invisible_to_the_public(client, no_minimum_fill_time):
    response = client.post("/proposer/", proposal_data())
    assert response.status_code == 302
    assert response["Location"] == "/proposer/merci/"
    organization = Organization.objects.get(name="Collectif des Tilleuls")
    assert organization.status == Organization.Status.PENDING
    assert organization.municipality.name_fr == "Gembloux"
    assert sorted(organization.activities.values_list("slug", flat=True)) == [
        "shelter",
        "transport",
    ]
    proposal = organization.proposal
    assert (proposal.proposer_email, proposal.status) == ("aline@example.org", Decision.PENDING)
    assert "Tilleuls" not in client.get("/?q=tilleuls").content.decode()
    assert client.get(f"/organisations/{organization.slug}/").status_code == 404


def test_the_honeypot_pretends_success_and_keeps_nothing(client, no_minimum_fill_time):
    response = client.post("/proposer/", proposal_data(website_confirm="http://spam.example"))
    assert response.status_code == 302
    assert not Organization.objects.exists()


def test_a_form_sent_too_fast_is_refused_with_a_french_message(client):
    response = client.post("/proposer/", proposal_data())
    assert response.status_code == 400
    assert "Envoyé trop vite" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_forged_start_time_is_refused(client, no_minimum_fill_time):
    response = client.post("/proposer/", proposal_data(started="12345"))
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.content.decode()


def test_proposal_fields_are_checked_with_french_messages(client, no_minimum_fill_time):
    response = client.post(
        "/proposer/",
        proposal_data(
            postal_code="1000", name="x" * 201, proposer_email="pas-un-email", kind="club"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "pas un code postal wallon" in page
    assert "Saisissez une adresse e-mail valide" in page
    assert "Sélectionnez un choix valide" in page
    assert not Organization.objects.exists()


def test_too_many_proposals_from_one_address_are_refused(client, no_minimum_fill_time, settings):
    settings.RELAIS_PUBLIC_FORM_LIMIT_PER_HOUR = 2
    for number in range(2):
        client.post(
            "/proposer/",
            proposal_data(name=f"Collectif {number}", proposer_email=f"p{number}@example.org"),
        )
    response = client.post(
        "/proposer/", proposal_data(name="Collectif 3", proposer_email="p3@example.org")
    )
    assert response.status_code == 429
    assert "Trop de propositions" in response.content.decode()
    assert Organization.objects.count() == 2


def test_a_huge_or_malformed_submission_never_gives_a_500(client, no_minimum_fill_time):
    response = client.post(
        "/proposer/", {"name": "x" * 100_000, "activities": ["nope"], "started": "\x00"}
    )
    assert response.status_code == 400
    assert not Organization.objects.exists()


def test_staff_approve_a_proposal_publish_it_tell_the_proposer_and_invite_them(
    client, no_minimum_fill_time, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/proposer/", proposal_data())
    assert "proposition reçue" in mail.outbox[0].subject
    proposal = OrganizationProposal.objects.get()
    client.force_login(StaffFactory())
    queue = client.get("/equipe/moderation/").content.decode()
    assert "Collectif des Tilleuls" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/equipe/moderation/propositions/{proposal.pk}/",
            {
                "decision": "approve",
                "message": "Bienvenue dans la coordination !",
                "invite_proposer": "on",
            },
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Decision.APPROVED
    assert proposal.organization.status == Organization.Status.PUBLISHED
    assert Membership.objects.get(organization=proposal.organization).role == Membership.Role.ADMIN
    subjects = [message.subject for message in mail.outbox]
    assert any("est publiée" in subject for subject in subjects)
    approved = next(message for message in mail.outbox if "est publiée" in message.subject)
    assert "Bienvenue dans la coordination !" in approved.body
    assert any("/espace/invitation/" in message.body for message in mail.outbox)
    client.logout()
    assert client.get(f"/organisations/{proposal.organization.slug}/").status_code == 200


def test_rejecting_needs_a_message_which_is_mailed_to_the_proposer(
    client, no_minimum_fill_time, immediate_tasks, django_capture_on_commit_callbacks
):
    client.post("/proposer/", proposal_data())
    proposal = OrganizationProposal.objects.get()
    client.force_login(StaffFactory())
    url = f"/equipe/moderation/propositions/{proposal.pk}/"
    empty = client.post(url, {"decision": "reject", "message": ""})
    assert "Expliquez le refus" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "message": "Hors Wallonie."})
    proposal.refresh_from_db()
    assert proposal.status == Decision.REJECTED
    assert proposal.organization.status == Organization.Status.CLOSED
    assert "Hors Wallonie." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["aline@example.org"]


def test_a_decided_proposal_cannot_be_decided_again(no_minimum_fill_time, client):
    client.post("/proposer/", proposal_data())
    proposal = OrganizationProposal.objects.get()
    staff = StaffFactory()
    proposal_reject(proposal, actor=staff, message="Non.")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        proposal_approve(proposal, actor=staff)
    proposal.organization.refresh_from_db()
    assert proposal.organization.status == Organization.Status.CLOSED


def test_reporting_an_error_creates_a_report_for_staff(client, no_minimum_fill_time):
    organization = OrganizationFactory(name="Vestiaire du centre")
    detail = client.get(f"/organisations/{organization.slug}/").content.decode()
    assert f"/organisations/{organization.slug}/signaler/" in detail
    response = client.post(
        f"/organisations/{organization.slug}/signaler/",
        {
            "message": "Le vestiaire a déménagé rue Haute.",
            "reporter_email": "",
            "started": signed_start(),
        },
        follow=True,
    )
    assert "Merci !" in response.content.decode()
    report = ErrorReport.objects.get()
    assert (report.organization, report.status) == (organization, Decision.PENDING)


def test_an_empty_report_is_refused_in_french(client, no_minimum_fill_time):
    organization = OrganizationFactory()
    response = client.post(
        f"/organisations/{organization.slug}/signaler/",
        {"message": "court", "started": signed_start()},
    )
    assert response.status_code == 400
    assert "10 caractères au moins" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_a_pending_listing_cannot_be_reported(client, no_minimum_fill_time):
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    response = client.post(
        f"/organisations/{organization.slug}/signaler/",
        {"message": "x" * 20, "started": signed_start()},
    )
    assert response.status_code == 404


def test_staff_close_a_report_and_the_reporter_gets_the_answer(
    client, no_minimum_fill_time, immediate_tasks, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()
    client.post(
        f"/organisations/{organization.slug}/signaler/",
        {
            "message": "Le numéro de téléphone est faux.",
            "reporter_email": "citoyen@example.org",
            "started": signed_start(),
        },
    )
    report = ErrorReport.objects.get()
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/equipe/moderation/signalements/{report.pk}/",
            {"decision": "approve", "message": "Corrigé, merci."},
        )
    report.refresh_from_db()
    assert report.status == Decision.APPROVED
    assert mail.outbox[-1].to == ["citoyen@example.org"]
    assert "Corrigé, merci." in mail.outbox[-1].body
