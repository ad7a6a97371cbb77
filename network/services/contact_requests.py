"""The life of a contact request, one service per transition. Illegal transitions raise.

new -> routed -> accepted -> closed; routed -> declined | expired (back to the staff queue);
any open status -> closed (staff, with an outcome) or withdrawn by the citizen.
Every transition writes a ContactRequestEvent and queues its e-mails in the same transaction.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maps.places import Place
from network.models import (
    ContactAnswerLink,
    ContactRequest,
    ContactRequestEvent,
    ContactRequestNote,
    Membership,
    Organization,
    OutboundEmail,
)
from network.selectors.routing import candidate_for, organization_can_receive, routing_candidates
from network.services.busy import retry_when_busy
from network.services.contact_links import answer_token, withdraw_token
from network.services.mail import email_queue, email_requeue_stale
from network.services.worker import tasks_requeue_interrupted

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


def _lock(request: ContactRequest) -> ContactRequest:
    """Re-read the request under a row lock so that two answers cannot both win."""
    return (
        ContactRequest.objects.select_for_update(of=("self",))
        .select_related("assigned_organization", "municipality", "target_organization")
        .get(pk=request.pk)
    )


def _event(
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


def absolute_url(path: str) -> str:
    """A full URL for e-mails."""
    return f"{settings.RELAIS_SITE_URL}{path}"


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


def _request_context(request: ContactRequest) -> dict[str, Any]:
    return {
        "request": request,
        "withdraw_url": absolute_url(
            reverse("directory:contact_withdraw", args=[withdraw_token(request)])
        ),
    }


def _answer_context(request: ContactRequest, link: ContactAnswerLink) -> dict[str, Any]:
    token = answer_token(link)
    return {
        "request": request,
        "organization": request.assigned_organization,
        "accept_url": absolute_url(reverse("answers:accept", args=[token])),
        "decline_url": absolute_url(reverse("answers:decline", args=[token])),
        "deadline": _deadline(request),
    }


# Submission ----------------------------------------------------------------------------------


def submission_key_for(token_nonce: str) -> str:
    """The stored form of a form token's nonce (a hash: the raw value stays with the browser)."""
    return sha256(token_nonce.encode()).hexdigest()


def contact_request_submit(
    *,
    source: str,
    intent: str,
    name: str,
    email: str = "",
    phone: str = "",
    place: Place | None = None,
    availability: str = "",
    message: str = "",
    consent: bool,
    target: Organization | None = None,
    submission_key: str | None = None,
) -> ContactRequest:
    """Record a citizen's request, route it at once if possible, and queue the receipt.

    A second submission with the same `submission_key` (double click, replay) returns the first
    request instead of creating another. Raises DatabaseBusy when SQLite stays locked by other
    writers past the retries: nothing is written then.
    """
    if submission_key:
        existing = ContactRequest.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if not consent:
        raise ValidationError(
            {"consent": _("Votre accord est nécessaire pour transmettre votre demande.")}
        )
    if not (email or phone):
        raise ValidationError(
            {"email": _("Indiquez une adresse e-mail ou un numéro de téléphone.")}
        )
    try:
        # A busy SQLite database is tried again; DatabaseBusy (for a 503) when it stays busy.
        return retry_when_busy(
            lambda: _submit(
                source=source,
                intent=intent,
                name=name,
                email=email,
                phone=phone,
                place=place,
                availability=availability,
                message=message,
                target=target,
                submission_key=submission_key,
            )
        )
    except IntegrityError:
        # The same form token arrived twice at the same moment: the other one won.
        existing = (
            ContactRequest.objects.filter(submission_key=submission_key).first()
            if submission_key
            else None
        )
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submit(*, place: Place | None, target: Organization | None, **fields: Any) -> ContactRequest:
    request = ContactRequest(
        consent_at=timezone.now(),
        target_organization=target,
        place_label=place.label[:120] if place else "",
        municipality_id=place.municipality_id if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        **fields,
    )
    if place is None and target is not None:
        # No place typed on a collective's form: its commune (public point) stands in, so the
        # request can still be routed nearby if that collective cannot take it.
        request.municipality_id = target.municipality_id
        request.latitude, request.longitude = target.public_latitude, target.public_longitude
    while ContactRequest.objects.filter(reference=request.reference).exists():
        request.reference = ContactRequest._meta.get_field("reference").default()
    # Uniqueness is the database's job here: a concurrent twin raises IntegrityError, handled above.
    request.full_clean(validate_unique=False)
    request.save()
    _event(
        request,
        Actor(
            label=_("la personne (formulaire)")
            if request.source != "api"
            else _("la personne (API)")
        ),
        from_status="",
        to_status=Status.NEW,
    )
    _route_automatically(request)
    email_queue(
        kind="receipt",
        recipients=[request.email],
        template="contactrequest_email_receipt",
        context=_request_context(request),
        request=request,
    )
    return request


def _route_automatically(request: ContactRequest) -> None:
    target = request.target_organization
    prefix = ""
    if target is not None:
        if organization_can_receive(target):
            described = candidate_for(request, target).reason
            reason = _("choisi par la personne") + (f", {described}" if described else "")
            _assign(request, target, reason=reason, actor=SYSTEM)
            return
        prefix = _("%(name)s ne prend pas de demandes pour le moment ; ") % {"name": target.name}
    exclude = {target.pk} if target is not None else set()
    candidates = routing_candidates(request, exclude_ids=exclude, limit=1)
    if candidates:
        _assign(
            request, candidates[0].organization, reason=prefix + candidates[0].reason, actor=SYSTEM
        )
        return
    request.routing_reason = (
        prefix
        + _("aucun collectif correspondant dans un rayon de %(km)s km : à router par l'équipe")
        % {"km": f"{settings.RELAIS_CONTACT_ROUTING_RADIUS_KM:g}"}
    )[:300]
    request.save(update_fields=["routing_reason", "updated_at"])
    # The request stays "new": an event of its own kind, not a status change.
    _event(
        request,
        SYSTEM,
        from_status=Status.NEW,
        to_status=Status.NEW,
        reason=request.routing_reason,
        kind=ContactRequestEvent.Kind.UNROUTED,
    )


def _assign(
    request: ContactRequest, organization: Organization, *, reason: str, actor: Actor
) -> None:
    """Give the request to an organisation: new link, e-mail, timers (caller's transaction)."""
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
    _event(
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
    email_queue(
        kind="routed",
        recipients=organization_recipients(organization),
        template="contactrequest_email_routed",
        context=_answer_context(request, link),
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
    request = _lock(request)
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
    _assign(request, organization, reason=full_reason, actor=actor)
    return request


@transaction.atomic
def contact_request_accept(
    request: ContactRequest, *, actor: Actor, link: ContactAnswerLink | None = None
) -> ContactRequest:
    """The assigned organisation takes the request; the citizen is told who will contact them."""
    request = _lock(request)
    _check(request, "accept")
    _use_link(link)
    request.status = Status.ACCEPTED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    organization = request.assigned_organization
    _event(
        request,
        actor,
        from_status=Status.ROUTED,
        to_status=Status.ACCEPTED,
        organization=organization,
    )
    email_queue(
        kind="accepted",
        recipients=[request.email],
        template="contactrequest_email_accepted",
        context={**_request_context(request), "organization": organization},
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
    request = _lock(request)
    _check(request, "decline")
    _use_link(link)
    request.status = Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    _event(
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
    request = _lock(request)
    _check(request, "expire")
    request.status = Status.EXPIRED
    request.save(update_fields=["status", "updated_at"])
    _event(
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
    request = _lock(request)
    _check(request, "remind")
    request.reminder_sent_at = timezone.now()
    request.save(update_fields=["reminder_sent_at", "updated_at"])
    link = ContactAnswerLink.objects.get(request=request, assignment=request.assignment)
    _event(
        request,
        actor,
        from_status=Status.ROUTED,
        to_status=Status.ROUTED,
        kind=ContactRequestEvent.Kind.REMINDER,
        organization=request.assigned_organization,
    )
    email_queue(
        kind="reminder",
        recipients=organization_recipients(request.assigned_organization),
        template="contactrequest_email_reminder",
        context=_answer_context(request, link),
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
    request = _lock(request)
    _check(request, "close")
    previous = request.status
    request.status = Status.CLOSED
    request.outcome = outcome
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    label = Outcome(outcome).label
    _event(
        request,
        actor,
        from_status=previous,
        to_status=Status.CLOSED,
        reason=f"{label}" + (f" : {reason.strip()}" if reason.strip() else ""),
    )
    if outcome == Outcome.NO_MATCH:
        email_queue(
            kind="no-match",
            recipients=[request.email],
            template="contactrequest_email_no_match",
            context=_request_context(request),
            request=request,
        )
    return request


@transaction.atomic
def contact_request_withdraw(request: ContactRequest, *, actor: Actor) -> ContactRequest:
    """The citizen withdraws the request; an organisation that had it is told."""
    request = _lock(request)
    _check(request, "withdraw")
    previous = request.status
    request.status = Status.CLOSED
    request.outcome = Outcome.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    _event(
        request,
        actor,
        from_status=previous,
        to_status=Status.CLOSED,
        reason=str(Outcome.WITHDRAWN.label),
    )
    if previous in (Status.ROUTED, Status.ACCEPTED) and request.assigned_organization is not None:
        email_queue(
            kind="withdrawn",
            recipients=organization_recipients(request.assigned_organization),
            template="contactrequest_email_withdrawn",
            context={"request": request, "organization": request.assigned_organization},
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


# Timers ---------------------------------------------------------------------------------------


def contact_request_check_deadline(request_id: int, assignment: int) -> str:
    """Remind or expire one assignment if it is still unanswered and its time has come."""
    request = ContactRequest.objects.filter(
        pk=request_id, assignment=assignment, status=Status.ROUTED
    ).first()
    if request is None:
        return "answered"
    now = timezone.now()
    if now >= request.routed_at + timedelta(days=settings.RELAIS_CONTACT_EXPIRY_DAYS):
        contact_request_expire(request)
        return "expired"
    if request.reminder_sent_at is None and now >= request.routed_at + timedelta(
        days=settings.RELAIS_CONTACT_REMINDER_DAYS
    ):
        contact_request_remind(request)
        return "reminded"
    return "not-due"


def contact_timers_run(now: datetime | None = None) -> dict[str, int]:
    """One sweep of every timer; safe to run often and from several places at once."""
    now = now or timezone.now()
    counts = {
        "reminded": 0,
        "expired": 0,
        "closed": 0,
        "purged": 0,
        "requeued": 0,
        "recovered": 0,
    }
    routed = ContactRequest.objects.filter(status=Status.ROUTED)
    expiry = now - timedelta(days=settings.RELAIS_CONTACT_EXPIRY_DAYS)
    for request in routed.filter(routed_at__lte=expiry).only("pk"):
        counts["expired"] += _quietly(contact_request_expire, request)
    reminder = now - timedelta(days=settings.RELAIS_CONTACT_REMINDER_DAYS)
    for request in routed.filter(routed_at__lte=reminder, reminder_sent_at__isnull=True).only("pk"):
        counts["reminded"] += _quietly(contact_request_remind, request)
    accepted = now - timedelta(days=settings.RELAIS_CONTACT_CLOSE_ACCEPTED_DAYS)
    for request in ContactRequest.objects.filter(
        status=Status.ACCEPTED, answered_at__lte=accepted
    ).only("pk"):
        counts["closed"] += _quietly(
            contact_request_close,
            request,
            outcome=Outcome.IN_CONTACT,
            actor=SYSTEM,
            reason=_("clôture automatique après acceptation"),
        )
    counts["purged"] = purge_personal_data(now=now)
    counts["requeued"] = email_requeue_stale()
    # Tasks whose worker died (not just their e-mails): deadlines, reminders, the tick itself.
    counts["recovered"] = tasks_requeue_interrupted()
    return counts


def _quietly(service, request, **kwargs) -> int:
    """Run a timer step; another worker may have done it a moment earlier."""
    try:
        service(request, **kwargs)
    except IllegalTransition:
        return 0
    return 1


# Personal data ------------------------------------------------------------------------------

PERSONAL_FIELDS = ("name", "email", "phone", "availability", "message", "place_label")


def personal_data_export(email: str, *, actor: Actor) -> dict[str, Any]:
    """Everything Relais holds about one person (by e-mail address), as JSON-ready data."""
    email = (email or "").strip()
    requests = (
        list(
            ContactRequest.objects.filter(email__iexact=email, personal_data_erased_at__isnull=True)
            .select_related("municipality", "assigned_organization", "target_organization")
            .prefetch_related("events")
        )
        if email
        else []
    )
    with transaction.atomic():
        for request in requests:
            _event(
                request,
                actor,
                from_status=request.status,
                to_status=request.status,
                kind=ContactRequestEvent.Kind.EXPORT,
            )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "requests": [
            {
                "reference": request.reference,
                "created_at": request.created_at.isoformat(),
                "status": request.status,
                "outcome": request.outcome,
                "intent": request.intent,
                "name": request.name,
                "email": request.email,
                "phone": request.phone,
                "place": request.place_label,
                "municipality": request.municipality.name_fr if request.municipality else None,
                "availability": request.availability,
                "message": request.message,
                "consent_at": request.consent_at.isoformat(),
                "target_organization": request.target_organization.name
                if request.target_organization
                else None,
                "assigned_organization": (
                    request.assigned_organization.name if request.assigned_organization else None
                ),
                "history": [
                    {
                        "at": event.created_at.isoformat(),
                        "from": event.from_status,
                        "to": event.to_status,
                        "kind": event.kind,
                    }
                    for event in request.events.all()
                ],
            }
            for request in requests
        ],
    }


def _erase(request: ContactRequest, actor: Actor, reason: str) -> None:
    """Blank the personal fields of one request, keeping what anonymous statistics need."""
    if request.status != Status.CLOSED:
        previous = request.status
        request.status, request.outcome, request.closed_at = (
            Status.CLOSED,
            Outcome.WITHDRAWN,
            timezone.now(),
        )
        _event(request, actor, from_status=previous, to_status=Status.CLOSED, reason=reason)
    for field in PERSONAL_FIELDS:
        setattr(request, field, "")
    # The commune stays for statistics; the exact point could single out a home.
    request.latitude = request.longitude = None
    request.personal_data_erased_at = timezone.now()
    request.save()
    # Notes and answers' reasons are free text that may quote the person.
    request.notes.all().delete()
    request.events.exclude(reason="").update(reason="")
    OutboundEmail.objects.filter(request=request).delete()
    _event(
        request,
        actor,
        from_status=Status.CLOSED,
        to_status=Status.CLOSED,
        reason=reason,
        kind=ContactRequestEvent.Kind.ERASURE,
    )


@transaction.atomic
def personal_data_erase(email: str, *, actor: Actor) -> int:
    """Erase one person's data on request (every request with that e-mail); returns how many."""
    email = (email or "").strip()
    if not email:
        return 0
    requests = list(
        ContactRequest.objects.select_for_update().filter(
            email__iexact=email, personal_data_erased_at__isnull=True
        )
    )
    for request in requests:
        _erase(request, actor, _("effacement à la demande de la personne"))
    return len(requests)


@transaction.atomic
def contact_request_erase(request: ContactRequest, *, actor: Actor) -> ContactRequest:
    """Erase the personal data of one request (staff, on the person's request)."""
    request = _lock(request)
    if request.personal_data_erased_at is None:
        _erase(request, actor, _("effacement à la demande de la personne"))
    return request


def purge_personal_data(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Blank personal data of requests closed longer ago than the retention period."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.RELAIS_CONTACT_RETENTION_DAYS)
    due = ContactRequest.objects.filter(
        status=Status.CLOSED, closed_at__lte=limit, personal_data_erased_at__isnull=True
    )
    if dry_run:
        return due.count()
    count = 0
    for request_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            request = ContactRequest.objects.select_for_update().get(pk=request_id)
            if request.personal_data_erased_at is None:
                _erase(
                    request,
                    SYSTEM,
                    _("durée de conservation écoulée (%(days)s jours)")
                    % {"days": f"{settings.RELAIS_CONTACT_RETENTION_DAYS:g}"},
                )
                count += 1
    return count
