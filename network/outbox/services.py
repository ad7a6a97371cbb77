"""The outbox's one way in: `email_send` renders templates/emails/<prefix>_subject.txt and
_body.txt and queues the e-mail with its delivery task in the caller's transaction, so the state
change, the e-mail and its delivery are committed together or not at all.

Delivery and retries: network/outbox/delivery.py. Links in e-mails: `absolute_url`.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from network.outbox.models import OutboundEmail


def absolute_url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """A full link to a page of the site, for e-mails (RELAIS_SITE_URL + the reversed path)."""
    return settings.RELAIS_SITE_URL + reverse(viewname, args=args or None, kwargs=kwargs or None)


def email_send(
    template_prefix: str,
    to: list[str] | str,
    context: dict[str, Any],
    *,
    language: str | None = None,
    kind: str = "",
    request: models.Model | None = None,
) -> OutboundEmail | None:
    """Render templates/emails/<template_prefix>_subject.txt and _body.txt and queue the e-mail.

    `language` renders it in that language (the site's language when None); `kind` labels the
    outbox row (the template prefix when empty); `request` ties it to a contact request, whose
    erasure deletes it. Blank and repeated addresses are dropped; no address queues nothing.
    """
    # Tasks import services; a service reaches its task at call time (see network/tasks.py).
    from network.tasks import deliver_email

    addresses = [to] if isinstance(to, str) else to
    recipients = sorted(
        {address.strip().lower() for address in addresses if address and address.strip()}
    )
    if not recipients:
        return None
    context = {
        "site_url": settings.RELAIS_SITE_URL,
        "retention_days": f"{settings.RELAIS_CONTACT_RETENTION_DAYS:g}",
        **context,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"emails/{template_prefix}_subject.txt", context).split()
        )
        body = render_to_string(f"emails/{template_prefix}_body.txt", context)
    email = OutboundEmail.objects.create(
        kind=kind or template_prefix,
        request=request,
        recipients=recipients,
        subject=subject[:200],
        body=body,
        next_attempt_at=timezone.now(),
    )
    # The database task backend writes the task row in this same transaction.
    deliver_email.enqueue(email.pk)
    return email


def email_requeue_stale() -> int:
    """Give pending e-mails whose task was lost (worker killed, task row pruned) a new task."""
    # Tasks import services; a service reaches its task at call time (see network/tasks.py).
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
