"""Every transition of a contact request, legal and illegal, with its history and e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from network.contact.models import ContactAnswerLink, ContactRequest, ContactRequestEvent
from network.contact.personal_data import (
    personal_data_erase,
    personal_data_export,
    purge_personal_data,
)
from network.contact.timers import contact_timers_run
from network.contact.transitions import (
    Actor,
    IllegalTransition,
    allowed_actions,
    contact_request_accept,
    contact_request_add_note,
    contact_request_close,
    contact_request_decline,
    contact_request_expire,
    contact_request_remind,
    contact_request_route,
    contact_request_withdraw,
)
from network.outbox.models import OutboundEmail
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    real_commune,
    submit_request,
)

pytestmark = pytest.mark.django_db

Status = ContactRequest.Status
Outcome = ContactRequest.Outcome
ORG = Actor(label="lien e-mail")


@pytest.fixture
def drivers():
    return OrganizationFactory(
        slug="drivers", needs=["drivers"], municipality=real_commune("Gembloux")
    )


@pytest.fixture
def staff():
    return Actor(user=StaffFactory())


def make(status, organization):
    """A request brought to `status` through the services themselves."""
    request = submit_request(place=None, target=None) if status == Status.NEW else submit_request()
    if status == Status.NEW:
        assert request.status == Status.NEW
        return request
    assert request.status == Status.ROUTED
    if status == Status.ACCEPTED:
        contact_request_accept(request, actor=ORG)
    elif status == Status.DECLINED:
        contact_request_decline(request, actor=ORG, reason="Plus de place")
    elif status == Status.EXPIRED:
        contact_request_expire(request)
    elif status == Status.CLOSED:
        contact_request_close(request, outcome=Outcome.SPAM, actor=Actor(label="équipe"))
    request.refresh_from_db()
    assert request.status == status
    return request


ACTIONS = {
    "accept": lambda r, o, s: contact_request_accept(r, actor=ORG),
    "decline": lambda r, o, s: contact_request_decline(r, actor=ORG, reason="Complet"),
    "expire": lambda r, o, s: contact_request_expire(r),
    "remind": lambda r, o, s: contact_request_remind(r),
    "close": lambda r, o, s: contact_request_close(r, outcome=Outcome.DUPLICATE, actor=s),
    "withdraw": lambda r, o, s: contact_request_withdraw(r, actor=Actor(label="la personne")),
    "route": lambda r, o, s: contact_request_route(r, o, actor=s),
}
RESULT = {
    "accept": Status.ACCEPTED,
    "decline": Status.DECLINED,
    "expire": Status.EXPIRED,
    "remind": Status.ROUTED,
    "close": Status.CLOSED,
    "withdraw": Status.CLOSED,
    "route": Status.ROUTED,
}
LEGAL = {
    Status.NEW: {"close", "withdraw", "route"},
    Status.ROUTED: {"accept", "decline", "expire", "remind", "close", "withdraw", "route"},
    Status.ACCEPTED: {"close", "withdraw"},
    Status.DECLINED: {"close", "withdraw", "route"},
    Status.EXPIRED: {"close", "withdraw", "route"},
    Status.CLOSED: set(),
}
MATRIX = [(status, action, action in LEGAL[status]) for status in LEGAL for action in ACTIONS]


@pytest.mark.parametrize(
    ("status", "action", "legal"), MATRIX, ids=[f"{s}-{a}" for s, a, _ in MATRIX]
)
def test_transition_matrix(status, action, legal, drivers, staff):
    request = make(status, drivers)
    other = OrganizationFactory(slug="other-org", municipality=real_commune("Namur"))
    events_before = request.events.count()
    if legal:
        ACTIONS[action](request, other, staff)
        request.refresh_from_db()
        assert request.status == RESULT[action]
        assert request.events.count() == events_before + 1
    else:
        with pytest.raises(IllegalTransition):
            ACTIONS[action](request, other, staff)
        request.refresh_from_db()
        assert request.status == status
        assert request.events.count() == events_before


@pytest.mark.parametrize("status", list(LEGAL))
def test_allowed_actions_are_what_the_services_accept(status, drivers):
    assert allowed_actions(make(status, drivers)) == LEGAL[status]


def test_a_second_reminder_is_no_longer_allowed(drivers):
    request = submit_request()
    contact_request_remind(request)
    request.refresh_from_db()
    assert "remind" not in allowed_actions(request)
    with pytest.raises(IllegalTransition):
        contact_request_remind(request)


def test_illegal_transition_says_in_french_what_was_refused(drivers):
    request = make(Status.ACCEPTED, drivers)
    with pytest.raises(IllegalTransition) as refused:
        contact_request_route(request, drivers, actor=ORG)
    assert str(refused.value) == (
        f"« Transmettre » n'est pas possible : la demande {request.reference} "
        "est au statut « Acceptée ». Rien n'a été modifié."
    )


def test_unrouted_submission_is_an_event_of_its_own_kind_not_new_to_new():
    request = submit_request(place=None)
    assert [(e.kind, e.from_status, e.to_status) for e in request.events.all()] == [
        ("transition", "", "new"),
        ("unrouted", "new", "new"),
    ]
    assert [e.is_status_change for e in request.events.all()] == [True, False]


def test_routing_again_while_waiting_is_a_new_assignment_not_a_status_change(drivers, staff):
    request = submit_request()
    other = OrganizationFactory(slug="other-org", municipality=real_commune("Namur"))
    contact_request_route(request, other, actor=staff)
    last = request.events.last()
    assert (last.kind, last.organization, last.is_status_change) == ("rerouted", other, False)


def test_the_database_refuses_a_same_status_transition_row():
    request = submit_request(place=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactRequestEvent.objects.create(request=request, from_status="new", to_status="new")


def test_submission_routes_records_history_and_queues_both_emails(drivers, run_tasks):
    request = submit_request()
    assert request.status == Status.ROUTED and request.assigned_organization == drivers
    assert [(e.from_status, e.to_status) for e in request.events.all()] == [
        ("", "new"),
        ("new", "routed"),
    ]
    assert set(OutboundEmail.objects.values_list("kind", flat=True)) == {"receipt", "routed"}
    run_tasks()
    by_subject = {message.subject: message for message in mail.outbox}
    routed = next(m for s, m in by_subject.items() if s.startswith("Nouvelle demande"))
    assert routed.to == [drivers.routing_email]
    assert "/reponse/" in routed.body and "/accepter/" in routed.body and "/refuser/" in routed.body
    receipt = next(m for s, m in by_subject.items() if "bien reçue" in s)
    assert receipt.to == ["camille.citoyenne@example.net"]
    assert drivers.name in receipt.body and "/demande/retirer/" in receipt.body


def test_organisation_email_goes_to_routing_address_and_members(drivers, run_tasks):
    MembershipFactory(
        organization=drivers, user__email="membre@example.org", user__username="membre@example.org"
    )
    submit_request()
    run_tasks()
    routed = next(m for m in mail.outbox if m.subject.startswith("Nouvelle demande"))
    assert sorted(routed.to) == sorted([drivers.routing_email, "membre@example.org"])


def test_accepting_tells_the_citizen_who_will_call(drivers, run_tasks):
    request = submit_request()
    run_tasks()
    mail.outbox.clear()
    contact_request_accept(request, actor=ORG)
    run_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille.citoyenne@example.net"]
    assert drivers.name in mail.outbox[0].subject
    assert drivers.email in mail.outbox[0].body
    assert drivers.routing_email not in mail.outbox[0].body


def test_decline_needs_a_reason_and_goes_back_to_staff(drivers):
    request = submit_request()
    with pytest.raises(ValidationError):
        contact_request_decline(request, actor=ORG, reason="  ")
    contact_request_decline(request, actor=ORG, reason="Plus de chauffeurs ce mois-ci")
    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert request.events.last().reason == "Plus de chauffeurs ce mois-ci"


def test_staff_rerouting_invalidates_the_first_organisations_link(drivers, staff):
    request = submit_request()
    first_link = ContactAnswerLink.objects.get(request=request)
    contact_request_decline(request, actor=ORG, reason="Complet")
    other = OrganizationFactory(slug="namur-team", municipality=real_commune("Namur"))
    contact_request_route(request, other, actor=staff)
    request.refresh_from_db()
    assert request.assigned_organization == other and request.assignment == 2
    assert ContactAnswerLink.objects.filter(request=request).count() == 2
    assert first_link.organization == drivers


def test_no_match_closing_tells_the_citizen(staff, run_tasks):
    request = submit_request()
    assert request.status == Status.NEW
    contact_request_close(request, outcome=Outcome.NO_MATCH, actor=staff)
    run_tasks()
    assert any("n'a pas pu être transmise" in m.subject for m in mail.outbox)


def test_unknown_outcome_is_refused(staff):
    request = submit_request()
    with pytest.raises(ValidationError):
        contact_request_close(request, outcome="lost", actor=staff)


def test_withdrawal_tells_the_organisation_that_had_it(drivers, run_tasks):
    request = submit_request()
    run_tasks()
    mail.outbox.clear()
    contact_request_withdraw(request, actor=Actor(label="la personne"))
    run_tasks()
    assert [m.to for m in mail.outbox] == [[drivers.routing_email]]
    request.refresh_from_db()
    assert (request.status, request.outcome) == (Status.CLOSED, Outcome.WITHDRAWN)


def test_routing_to_an_unpublished_organisation_is_refused(staff):
    request = submit_request()
    pending = OrganizationFactory(status="pending")
    with pytest.raises(ValidationError):
        contact_request_route(request, pending, actor=staff)
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_notes_are_kept_with_their_author():
    user = StaffFactory()
    request = submit_request()
    note = contact_request_add_note(request, author=user, text="Appelée, rappeler lundi")
    assert list(request.notes.values_list("text", flat=True)) == ["Appelée, rappeler lundi"]
    assert note.author == user
    with pytest.raises(ValidationError):
        contact_request_add_note(request, author=user, text="   ")


def test_double_submission_with_the_same_key_gives_one_request(drivers):
    first = submit_request(submission_key="k" * 64)
    second = submit_request(submission_key="k" * 64)
    assert first.pk == second.pk
    assert ContactRequest.objects.count() == 1


def test_submission_without_consent_or_contact_is_refused():
    with pytest.raises(ValidationError):
        submit_request(consent=False)
    with pytest.raises(ValidationError):
        submit_request(email="", phone="")
    assert ContactRequest.objects.count() == 0


# Timers --------------------------------------------------------------------------------------


def _age(request, days):
    ContactRequest.objects.filter(pk=request.pk).update(
        routed_at=timezone.now() - timedelta(days=days)
    )


def test_reminder_after_three_days_then_expiry_after_seven(drivers, run_tasks):
    request = submit_request()
    run_tasks()
    mail.outbox.clear()
    _age(request, 3.1)
    assert contact_timers_run()["reminded"] == 1
    assert contact_timers_run()["reminded"] == 0  # once only
    run_tasks()
    assert [m.subject.startswith("Rappel") for m in mail.outbox] == [True]
    assert "/accepter/" in mail.outbox[0].body
    _age(request, 7.1)
    assert contact_timers_run()["expired"] == 1
    request.refresh_from_db()
    assert request.status == Status.EXPIRED
    assert request.events.filter(kind=ContactRequestEvent.Kind.REMINDER).count() == 1


def test_scheduled_deadline_tasks_remind_and_expire(drivers, run_tasks, settings):
    from django_tasks_db.models import DBTaskResult

    request = submit_request()
    scheduled = DBTaskResult.objects.filter(task_path="network.tasks.contact_request_deadline")
    assert scheduled.count() == 2
    assert all(row.run_after > timezone.now() + timedelta(days=2) for row in scheduled)
    # Time passes: make the scheduled tasks due, as the worker would see them a week later.
    _age(request, 7.5)
    scheduled.update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()
    request.refresh_from_db()
    assert request.status == Status.EXPIRED


def test_settings_change_the_delays(drivers, settings):
    settings.RELAIS_CONTACT_REMINDER_DAYS = 1
    settings.RELAIS_CONTACT_EXPIRY_DAYS = 2
    request = submit_request()
    _age(request, 1.5)
    assert contact_timers_run()["reminded"] == 1
    _age(request, 2.5)
    assert contact_timers_run()["expired"] == 1


def test_accepted_requests_close_by_themselves_after_a_month(drivers):
    request = submit_request()
    contact_request_accept(request, actor=ORG)
    ContactRequest.objects.filter(pk=request.pk).update(
        answered_at=timezone.now() - timedelta(days=31)
    )
    assert contact_timers_run()["closed"] == 1
    request.refresh_from_db()
    assert (request.status, request.outcome) == (Status.CLOSED, Outcome.IN_CONTACT)


# Personal data -----------------------------------------------------------------------------


def test_purge_blanks_personal_data_180_days_after_closing_and_keeps_statistics(drivers, staff):
    old = submit_request()
    contact_request_close(old, outcome=Outcome.IN_CONTACT, actor=staff)
    recent = submit_request(email="recent@example.net")
    contact_request_close(recent, outcome=Outcome.IN_CONTACT, actor=staff)
    ContactRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=181))
    contact_request_add_note(old, author=staff.user, text="Camille préfère le soir")
    assert purge_personal_data(dry_run=True) == 1
    assert purge_personal_data() == 1
    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.message, old.availability, old.place_label) == (
        "",
    ) * 6
    assert old.latitude is None and old.personal_data_erased_at is not None
    # Anonymous statistics survive: intent, commune, organisation, outcome, dates.
    assert old.intent == "drive" and old.municipality.name_fr == "Gembloux"
    assert old.assigned_organization == drivers and old.outcome == Outcome.IN_CONTACT
    assert not old.notes.exists() and not OutboundEmail.objects.filter(request=old).exists()
    recent.refresh_from_db()
    assert recent.email == "recent@example.net"
    assert purge_personal_data() == 0


def test_purge_command_runs(drivers, staff):
    from io import StringIO

    from django.core.management import call_command

    request = submit_request()
    contact_request_close(request, outcome=Outcome.SPAM, actor=staff)
    ContactRequest.objects.filter(pk=request.pk).update(
        closed_at=timezone.now() - timedelta(days=200)
    )
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "1 demande(s) anonymisée(s)" in out.getvalue()
    request.refresh_from_db()
    assert request.email == ""


def test_export_and_erase_one_persons_data(drivers, staff):
    submit_request(email="Marie@Example.net", name="Marie")
    submit_request(email="marie@example.net", name="Marie", intent="host")
    submit_request(email="someone.else@example.net")
    data = personal_data_export("marie@example.net", actor=staff)
    assert len(data["requests"]) == 2
    assert {r["name"] for r in data["requests"]} == {"Marie"}
    assert personal_data_erase("MARIE@example.net", actor=staff) == 2
    assert not ContactRequest.objects.filter(name="Marie").exists()
    assert ContactRequest.objects.filter(email="someone.else@example.net").exists()
    erased = ContactRequest.objects.filter(personal_data_erased_at__isnull=False)
    assert erased.count() == 2 and all(r.status == Status.CLOSED for r in erased)
    assert personal_data_export("marie@example.net", actor=staff)["requests"] == []


def test_periodic_timers_task_runs_the_sweep_and_schedules_the_next_tick(drivers, run_tasks):
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    ticks = DBTaskResult.objects.filter(task_path="network.tasks.contact_timers_tick")
    out = StringIO()
    call_command("contact_timers", "--schedule", stdout=out)
    call_command("contact_timers", "--schedule", stdout=out)
    assert "déjà programmée" in out.getvalue()
    assert ticks.filter(status="READY").count() == 1
    request = submit_request()
    _age(request, 7.5)
    run_tasks()
    request.refresh_from_db()
    assert request.status == Status.EXPIRED  # the tick's sweep did it
    assert ticks.filter(status="SUCCESSFUL").count() == 1
    waiting = ticks.get(status="READY")
    assert waiting.run_after > timezone.now() + timedelta(seconds=200)
