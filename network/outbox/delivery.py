"""Delivering the outbox: one queued e-mail at a time, retried with backoff when the mail server
fails, so a server that is down delays messages and loses none."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from network.outbox.models import OutboundEmail

logger = logging.getLogger(__name__)

# How long a worker holds an e-mail while talking to the mail server.
DELIVERY_LOCK = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failures, capped."""
    seconds = settings.RELAIS_EMAIL_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, settings.RELAIS_EMAIL_RETRY_MAX_SECONDS))


def email_deliver(email_id: int, *, task_id: str = "") -> str:
    """Send one queued e-mail; on failure schedule the next attempt. Returns what happened.

    `task_id` identifies the delivery task: the lock it takes is its own, so the same task run
    again after its worker was killed takes the e-mail back; any other task leaves it alone.
    """
    # Tasks import services; a service reaches its task at call time (see network/tasks.py).
    from network.tasks import deliver_email

    now = timezone.now()
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    if task_id:
        free |= Q(locked_by=task_id)
    claimed = (
        OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING)
        .filter(free)
        .update(locked_until=now + DELIVERY_LOCK, locked_by=task_id)
    )
    if not claimed:
        return "skipped"  # sent already, erased, or another worker has it
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.recipients,
    )
    try:
        # Outside any transaction: a slow mail server must not hold database locks.
        get_connection(fail_silently=False).send_messages([message])
    except Exception as error:
        with transaction.atomic():
            email = OutboundEmail.objects.select_for_update().get(pk=email_id)
            email.attempts += 1
            email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
            email.locked_until = None
            email.locked_by = ""
            # The class and message only: SMTP errors may quote a recipient, which logs must not.
            email.last_error = type(error).__name__[:300]
            email.save(
                update_fields=[
                    "attempts",
                    "next_attempt_at",
                    "locked_until",
                    "locked_by",
                    "last_error",
                ]
            )
            deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
        logger.warning(
            "E-mail #%s (%s) not delivered (%s); attempt %s, next at %s",
            email.pk,
            email.kind,
            type(error).__name__,
            email.attempts,
            email.next_attempt_at,
        )
        return "retry"
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        locked_until=None,
        locked_by="",
        attempts=email.attempts + 1,
        last_error="",
    )
    return "sent"
