"""Signed links sent by e-mail: an organisation answers a request, a citizen withdraws one.

The signature (django.core.signing, with a salt per purpose) proves the link came from us and
dates it; the database row behind an answer link marks it used. The URL carries only random
values, never personal data.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from network.contact.models import ContactAnswerLink, ContactRequest

ANSWER_SALT = "relais.contact.answer"
WITHDRAW_SALT = "relais.contact.withdraw"


class LinkProblem(Exception):
    """A link that cannot be used; `code` says why (tampered, expired, used, other, closed)."""

    def __init__(self, code: str, request: ContactRequest | None = None):
        super().__init__(code)
        self.code = code
        self.request = request


def answer_link_max_age() -> int:
    """Seconds an answer link stays valid: until the request expires, plus one day of grace."""
    return int((settings.RELAIS_CONTACT_EXPIRY_DAYS + 1) * 86400)


def answer_token(link: ContactAnswerLink) -> str:
    """The signed token of an answer link."""
    return signing.dumps(link.nonce, salt=ANSWER_SALT)


@dataclass(frozen=True)
class AnswerContext:
    """What a valid answer link gives access to."""

    link: ContactAnswerLink
    request: ContactRequest


def answer_link_resolve(token: str) -> AnswerContext:
    """Check an answer token; raise LinkProblem unless it may still accept or decline."""
    try:
        nonce = signing.loads(token, salt=ANSWER_SALT, max_age=answer_link_max_age())
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("tampered") from None
    link = (
        ContactAnswerLink.objects.select_related(
            "request", "organization", "request__assigned_organization"
        )
        .filter(nonce=nonce)
        .first()
    )
    if link is None:
        raise LinkProblem("tampered")
    request = link.request
    if link.used_at is not None:
        raise LinkProblem("used", request)
    if (
        request.assigned_organization_id != link.organization_id
        or request.assignment != link.assignment
    ):
        raise LinkProblem("other", request)
    if request.status == ContactRequest.Status.EXPIRED:
        raise LinkProblem("expired", request)
    if request.status != ContactRequest.Status.ROUTED:
        raise LinkProblem("closed", request)
    return AnswerContext(link, request)


def withdraw_token(request: ContactRequest) -> str:
    """The signed token of a request's withdraw link (valid as long as the request is open)."""
    return signing.dumps({"r": request.pk, "n": request.withdraw_nonce}, salt=WITHDRAW_SALT)


def withdraw_link_resolve(token: str) -> ContactRequest:
    """Check a withdraw token; raise LinkProblem unless the request can still be withdrawn."""
    try:
        payload = signing.loads(token, salt=WITHDRAW_SALT)
        request = ContactRequest.objects.select_related("assigned_organization").get(
            pk=payload["r"], withdraw_nonce=payload["n"]
        )
    except signing.BadSignature:
        raise LinkProblem("tampered") from None
    except (ContactRequest.DoesNotExist, KeyError, TypeError):
        raise LinkProblem("tampered") from None
    if not request.is_open:
        raise LinkProblem("closed", request)
    return request
