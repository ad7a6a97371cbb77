"""The outbox: e-mails are rows queued with the state change that causes them, then delivered by a
task that retries with backoff. A mail server that is down delays messages and loses none."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from network.models import ContactRequest, OutboundEmail

logger = logging.getLogger(__name__)

# How long a worker holds an e-mail while talking to the mail server.
DELIVERY_LOCK = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failures, capped."""
    seconds = settings.RELAIS_EMAIL_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, settings.RELAIS_EMAIL_RETRY_MAX_SECONDS))


def email_queue(
    *,
    kind: str,
    recipients: list[str],
    template: str,
    context: dict,
    request: ContactRequest | None = None,
) -> OutboundEmail | None:
    """Render an e-mail in the site's language and queue its delivery in the caller's transaction.

    `template` names a pair templates/network/<template>_subject.txt and _body.txt.
    """
    from network.tasks import deliver_email  # the task module imports this one

    recipients = sorted(
        {address.strip().lower() for address in recipients if address and address.strip()}
    )
    if not recipients:
        return None
    context = {
        "site_url": settings.RELAIS_SITE_URL,
        "retention_days": f"{settings.RELAIS_CONTACT_RETENTION_DAYS:g}",
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"network/{template}_subject.txt", context).split())
        body = render_to_string(f"network/{template}_body.txt", context)
    email = OutboundEmail.objects.create(
        kind=kind,
        request=request,
        recipients=recipients,
        subject=subject[:200],
        body=body,
        next_attempt_at=timezone.now(),
    )
    # The database task backend writes the task row in this same transaction: the state change,
    # the e-mail and its delivery task are committed together or not at all.
    deliver_email.enqueue(email.pk)
    return email


def email_deliver(email_id: int, *, task_id: str = "") -> str:
    """Send one queued e-mail; on failure schedule the next attempt. Returns what happened.

    `task_id` identifies the delivery task: the lock it takes is its own, so the same task run
    again after its worker was killed takes the e-mail back; any other task leaves it alone.
    """
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


def email_requeue_stale() -> int:
    """Give pending e-mails whose task was lost (worker killed, task row pruned) a new task."""
    from network.tasks import deliver_email

    now = timezone.now()
    stale = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lt=now - timedelta(minutes=10)
    ).filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
    count = 0
    for email_id in stale.values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            OutboundEmail.objects.filter(pk=email_id).update(next_attempt_at=now)
            deliver_email.enqueue(email_id)
        count += 1
    return count
