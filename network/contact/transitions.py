"""The life of a contact request, one service per transition. Illegal transitions raise.

Submission: submission.py; timers (reminder, expiry): timers.py; personal data: personal_data.py.

new -> routed -> accepted -> closed; routed -> declined | expired (back to the staff queue);
any open status -> closed (staff, with an outcome) or withdrawn by the citizen.
Every transition writes a ContactRequestEvent and queues its e-mails in the same transaction.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.contact.links import answer_token, withdraw_token
from network.contact.models import (
    ContactAnswerLink,
    ContactRequest,
    ContactRequestEvent,
    ContactRequestNote,
)
from network.contact.routing import candidate_for
from network.listings.models import Organization
from network.members.models import Membership
from network.outbox.services import absolute_url, email_send

Status = ContactRequest.Status
Outcome = ContactRequest.Outcome

# Which statuses each action may start from.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "route": frozenset({Status.NEW, Status.ROUTED, Status.DECLINED, Status.EXPIRED}),
    "accept": frozenset({Status.ROUTED}),
    "decline": frozenset({Status.ROUTED}),
    "expire": frozenset({Status.ROUTED}),
    "remind": frozenset({Status.ROUTED}),
    "close": frozenset(
        {Status.NEW, Status.ROUTED, Status.ACCEPTED, Status.DECLINED, Status.EXPIRED}
    ),
    "withdraw": frozenset(
        {Status.NEW, Status.ROUTED, Status.ACCEPTED, Status.DECLINED, Status.EXPIRED}
    ),
}

# How the actions read in messages ("Transmettre impossible : …").
ACTION_LABELS: dict[str, Any] = {
    "route": gettext_lazy("Transmettre"),
    "accept": gettext_lazy("Accepter"),
    "decline": gettext_lazy("Refuser"),
    "expire": gettext_lazy("Expirer"),
    "remind": gettext_lazy("Relancer"),
    "close": gettext_lazy("Clôturer"),
    "withdraw": gettext_lazy("Retirer"),
}


def allowed_actions(request: ContactRequest) -> frozenset[str]:
    """The actions the request's current status allows: what a page may offer."""
    allowed = {action for action, statuses in ALLOWED_FROM.items() if request.status in statuses}
    if request.reminder_sent_at is not None:
        # One reminder per assignment.
        allowed.discard("remind")
    return frozenset(allowed)


class IllegalTransition(Exception):
    """An action that the request's current status does not allow."""

    def __init__(self, request: ContactRequest, action: str):
        self.request, self.action, self.status = request, action, request.status
        super().__init__(
            _(
                "« %(action)s » n'est pas possible : la demande %(reference)s "
                "est au statut « %(status)s ». Rien n'a été modifié."
            )
            % {
                "action": ACTION_LABELS.get(action, action),
                "reference": request.reference,
                "status": request.get_status_display(),
            }
        )


def system_label() -> str:
    """How automatic steps appear in the history."""
    return _("Relais (automatique)")


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in user, or a label for someone without an account (link, system)."""

    user: AbstractBaseUser | None = None
    label: str = ""

    def describe(self) -> str:
        """The label written into the history."""
        if self.label:
            return self.label
        if self.user is not None:
            return self.user.get_username()
        return system_label()


SYSTEM = Actor()


def _check(request: ContactRequest, action: str) -> None:
    if action not in allowed_actions(request):
        raise IllegalTransition(request, action)


def lock_request(request: ContactRequest) -> ContactRequest:
    """Re-read the request under a row lock so that two answers cannot both win."""
    return (
        ContactRequest.objects.select_for_update(of=("self",))
        .select_related("assigned_organization", "municipality", "target_organization")
        .get(pk=request.pk)
    )


def record_event(
    request: ContactRequest,
    actor: Actor,
    *,
    from_status: str,
    to_status: str,
    reason: str = "",
    organization: Organization | None = None,
    kind: str = ContactRequestEvent.Kind.TRANSITION,
) -> ContactRequestEvent:
    return ContactRequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        actor_label=actor.describe()[:200],
        from_status=from_status,
        to_status=to_status,
        organization=organization,
        reason=reason,
    )


def organization_recipients(organization: Organization) -> list[str]:
    """Where an organisation's requests go: its private routing address and its members.

    The public address is the last resort, for an organisation with neither.
    """
    members = list(
        Membership.objects.filter(organization=organization, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    recipients = [organization.routing_email, *members] if organization.routing_email else members
    return [address for address in recipients if address] or (
        [organization.email] if organization.email else []
    )


def _deadline(request: ContactRequest) -> datetime:
    return request.routed_at + timedelta(days=settings.RELAIS_CONTACT_EXPIRY_DAYS)


def request_context(request: ContactRequest) -> dict[str, Any]:
    return {
        "request": request,
        "withdraw_url": absolute_url("directory:contact_withdraw", withdraw_token(request)),
    }


def _answer_context(request: ContactRequest, link: ContactAnswerLink) -> dict[str, Any]:
    token = answer_token(link)
    return {
        "request": request,
        "organization": request.assigned_organization,
        "accept_url": absolute_url("answers:accept", token),
        "decline_url": absolute_url("answers:decline", token),
        "deadline": _deadline(request),
    }


def assign(
    request: ContactRequest, organization: Organization, *, reason: str, actor: Actor
) -> None:
    """Give the request to an organisation: new link, e-mail, timers (caller's transaction)."""
    # Tasks import services; a service reaches its task at call time (see network/tasks.py).
    from network.tasks import contact_request_deadline

    previous = request.status
    request.assigned_organization = organization
    request.assignment += 1
    request.status = Status.ROUTED
    request.routed_at = timezone.now()
    request.reminder_sent_at = None
    request.answered_at = None
    request.routing_reason = reason[:300]
    request.full_clean()
    request.save()
    link = ContactAnswerLink.objects.create(
        request=request, organization=organization, assignment=request.assignment
    )
    record_event(
        request,
        actor,
        from_status=previous,
        to_status=Status.ROUTED,
        reason=reason,
        organization=organization,
        # Routed again while waiting: a new assignment, not a status change.
        kind=ContactRequestEvent.Kind.REROUTED
        if previous == Status.ROUTED
        else ContactRequestEvent.Kind.TRANSITION,
    )
    email_send(
        "contactrequest_routed",
        organization_recipients(organization),
        _answer_context(request, link),
        kind="routed",
        request=request,
    )
    for days in (settings.RELAIS_CONTACT_REMINDER_DAYS, settings.RELAIS_CONTACT_EXPIRY_DAYS):
        contact_request_deadline.using(run_after=request.routed_at + timedelta(days=days)).enqueue(
            request.pk, request.assignment
        )


# Transitions --------------------------------------------------------------------------------


@transaction.atomic
def contact_request_route(
    request: ContactRequest, organization: Organization, *, actor: Actor, reason: str = ""
) -> ContactRequest:
    """Staff send the request to an organisation (a suggestion or a manual choice)."""
    request = lock_request(request)
    _check(request, "route")
    if organization.status != Organization.Status.PUBLISHED:
        raise ValidationError(
            _("« %(name)s » n'est pas publiée : impossible de lui transmettre une demande.")
            % {"name": organization.name}
        )
    if not organization_recipients(organization):
        raise ValidationError(
            _("« %(name)s » n'a aucune adresse e-mail pour recevoir des demandes.")
            % {"name": organization.name}
        )
    if request.status == Status.ROUTED and request.assigned_organization_id == organization.pk:
        raise ValidationError(
            _("La demande est déjà transmise à « %(name)s ».") % {"name": organization.name}
        )
    described = candidate_for(request, organization).reason
    full_reason = ", ".join(part for part in (reason.strip(), described) if part) or _(
        "choix de l'équipe"
    )
    assign(request, organization, reason=full_reason, actor=actor)
    return request


@transaction.atomic
def contact_request_accept(
    request: ContactRequest, *, actor: Actor, link: ContactAnswerLink | None = None
) -> ContactRequest:
    """The assigned organisation takes the request; the citizen is told who will contact them."""
    request = lock_request(request)
    _check(request, "accept")
    _use_link(link)
    request.status = Status.ACCEPTED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    organization = request.assigned_organization
    record_event(
        request,
        actor,
        from_status=Status.ROUTED,
        to_status=Status.ACCEPTED,
        organization=organization,
    )
    email_send(
        "contactrequest_accepted",
        [request.email],
        {**request_context(request), "organization": organization},
        kind="accepted",
        request=request,
    )
    return request


@transaction.atomic
def contact_request_decline(
    request: ContactRequest, *, actor: Actor, reason: str, link: ContactAnswerLink | None = None
) -> ContactRequest:
    """The assigned organisation cannot take it: back to the staff queue with the reason."""
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ValidationError(
            {
                "reason": _(
                    "Dites en quelques mots pourquoi : l'équipe pourra mieux orienter la demande."
                )
            }
        )
    if len(reason) > 1000:
        raise ValidationError(
            {"reason": _("La raison est trop longue : 1000 caractères au maximum.")}
        )
    request = lock_request(request)
    _check(request, "decline")
    _use_link(link)
    request.status = Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    record_event(
        request,
        actor,
        from_status=Status.ROUTED,
        to_status=Status.DECLINED,
        reason=reason,
        organization=request.assigned_organization,
    )
    return request


def _use_link(link: ContactAnswerLink | None) -> None:
    if link is None:
        return
    used = ContactAnswerLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise ValidationError(_("Ce lien a déjà été utilisé."))


@transaction.atomic
def contact_request_expire(request: ContactRequest, *, actor: Actor = SYSTEM) -> ContactRequest:
    """No answer in time: back to the staff queue."""
    request = lock_request(request)
    _check(request, "expire")
    request.status = Status.EXPIRED
    request.save(update_fields=["status", "updated_at"])
    record_event(
        request,
        actor,
        from_status=Status.ROUTED,
        to_status=Status.EXPIRED,
        reason=_("pas de réponse après %(days)s jours")
        % {"days": f"{settings.RELAIS_CONTACT_EXPIRY_DAYS:g}"},
        organization=request.assigned_organization,
    )
    return request


@transaction.atomic
def contact_request_remind(request: ContactRequest, *, actor: Actor = SYSTEM) -> ContactRequest:
    """Remind the assigned organisation once, with fresh links to the same assignment."""
    request = lock_request(request)
    _check(request, "remind")
    request.reminder_sent_at = timezone.now()
    request.save(update_fields=["reminder_sent_at", "updated_at"])
    link = ContactAnswerLink.objects.get(request=request, assignment=request.assignment)
    record_event(
        request,
        actor,
        from_status=Status.ROUTED,
        to_status=Status.ROUTED,
        kind=ContactRequestEvent.Kind.REMINDER,
        organization=request.assigned_organization,
    )
    email_send(
        "contactrequest_reminder",
        organization_recipients(request.assigned_organization),
        _answer_context(request, link),
        kind="reminder",
        request=request,
    )
    return request


@transaction.atomic
def contact_request_close(
    request: ContactRequest, *, outcome: str, actor: Actor, reason: str = ""
) -> ContactRequest:
    """Staff close the request with an outcome; "no match" tells the citizen."""
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": _("Issue inconnue : « %(value)s ».") % {"value": outcome}}
        )
    request = lock_request(request)
    _check(request, "close")
    previous = request.status
    request.status = Status.CLOSED
    request.outcome = outcome
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    label = Outcome(outcome).label
    record_event(
        request,
        actor,
        from_status=previous,
        to_status=Status.CLOSED,
        reason=f"{label}" + (f" : {reason.strip()}" if reason.strip() else ""),
    )
    if outcome == Outcome.NO_MATCH:
        email_send(
            "contactrequest_no_match",
            [request.email],
            request_context(request),
            kind="no-match",
            request=request,
        )
    return request


@transaction.atomic
def contact_request_withdraw(request: ContactRequest, *, actor: Actor) -> ContactRequest:
    """The citizen withdraws the request; an organisation that had it is told."""
    request = lock_request(request)
    _check(request, "withdraw")
    previous = request.status
    request.status = Status.CLOSED
    request.outcome = Outcome.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    record_event(
        request,
        actor,
        from_status=previous,
        to_status=Status.CLOSED,
        reason=str(Outcome.WITHDRAWN.label),
    )
    if previous in (Status.ROUTED, Status.ACCEPTED) and request.assigned_organization is not None:
        email_send(
            "contactrequest_withdrawn",
            organization_recipients(request.assigned_organization),
            {"request": request, "organization": request.assigned_organization},
            kind="withdrawn",
            request=request,
        )
    return request


@transaction.atomic
def contact_request_add_note(
    request: ContactRequest, *, author: AbstractBaseUser, text: str
) -> ContactRequestNote:
    """An internal note of the staff."""
    note = ContactRequestNote(request=request, author=author, text=(text or "").strip())
    if not note.text:
        raise ValidationError({"text": _("La note est vide.")})
    note.full_clean()
    note.save()
    return note
