"""The contact timers: reminders, expiry, automatic closing, retention and outbox recovery."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from network.contact.models import ContactRequest
from network.contact.personal_data import purge_personal_data
from network.contact.transitions import (
    SYSTEM,
    IllegalTransition,
    contact_request_close,
    contact_request_expire,
    contact_request_remind,
)
from network.infrastructure.worker import tasks_requeue_interrupted
from network.outbox.services import email_requeue_stale

Status = ContactRequest.Status
Outcome = ContactRequest.Outcome


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
