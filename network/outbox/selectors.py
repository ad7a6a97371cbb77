"""Reads of the outbox, for the staff pages."""

from network.outbox.models import OutboundEmail


def undelivered_email_count() -> int:
    """E-mails still waiting for the mail server after at least one failed attempt."""
    return OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, attempts__gt=0).count()
