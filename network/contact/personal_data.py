"""A citizen's personal data: export on request, erasure on request, purge after retention."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.contact.models import ContactRequest, ContactRequestEvent
from network.contact.transitions import SYSTEM, Actor, lock_request, record_event
from network.outbox.models import OutboundEmail

Status = ContactRequest.Status
Outcome = ContactRequest.Outcome


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
            record_event(
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
        record_event(request, actor, from_status=previous, to_status=Status.CLOSED, reason=reason)
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
    record_event(
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
    request = lock_request(request)
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
