"""E-mails of the member space: rendered from templates/network/emails/, queued in the outbox.

The outbox (network/services/mail.py) writes the e-mail and its delivery task in the caller's
transaction and retries a failed delivery with backoff, so a down mail server loses nothing.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """A full link to a page of the site, for e-mails (RELAIS_SITE_URL + path)."""
    return settings.RELAIS_SITE_URL + reverse(viewname, args=args or None, kwargs=kwargs or None)


def queue_email(to: list[str] | str, template: str, context: dict[str, Any]) -> None:
    """Queue an e-mail of templates/network/emails/<template>_subject.txt and _body.txt."""
    from network.services.mail import email_queue

    recipients = [to] if isinstance(to, str) else list(to)
    email_queue(
        kind=template, recipients=recipients, template=f"emails/{template}", context=context
    )
