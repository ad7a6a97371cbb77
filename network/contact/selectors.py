"""Reads of contact requests, with their visibility rules: personal data goes to staff and to the
members of the organisation the request is assigned to, nobody else."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from network.contact.models import ContactRequest
from network.members.models import Membership

Status = ContactRequest.Status

# The staff triage queues, in the order the inbox shows them.
QUEUES = ("new", "declined", "expired", "overdue")


def contact_requests_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ContactRequest]:
    """Requests whose personal data this user may read: all for staff, else their organisations'."""
    if not user.is_authenticated or not user.is_active:
        return ContactRequest.objects.none()
    if user.is_staff:
        return ContactRequest.objects.all()
    organizations = Membership.objects.filter(user=user).values("organization_id")
    # An organisation that declined or let a request expire has given it back: it no longer sees it.
    handled = Q(status__in=[Status.ROUTED, Status.ACCEPTED]) | Q(
        status=Status.CLOSED, outcome=ContactRequest.Outcome.IN_CONTACT
    )
    return ContactRequest.objects.filter(handled, assigned_organization_id__in=organizations)


def overdue_threshold():
    """Routed before this moment and still unanswered: the organisation is late."""
    return timezone.now() - timedelta(days=settings.RELAIS_CONTACT_REMINDER_DAYS)


def contact_request_queue(name: str) -> QuerySet[ContactRequest]:
    """One staff queue: new, declined, expired, overdue (late to answer), open, all."""
    base = ContactRequest.objects.select_related(
        "municipality", "assigned_organization", "target_organization"
    )
    if name == "overdue":
        return base.filter(status=Status.ROUTED, routed_at__lte=overdue_threshold()).order_by(
            "routed_at", "pk"
        )
    if name in (Status.NEW, Status.DECLINED, Status.EXPIRED):
        return base.filter(status=name).order_by("created_at", "pk")
    if name == "open":
        return base.exclude(status=Status.CLOSED).order_by("-created_at", "-pk")
    return base.order_by("-created_at", "-pk")


def contact_request_queue_counts() -> dict[str, int]:
    """How many requests wait in each staff queue (one query)."""
    counts = ContactRequest.objects.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        expired=Count("pk", filter=Q(status=Status.EXPIRED)),
        overdue=Count("pk", filter=Q(status=Status.ROUTED, routed_at__lte=overdue_threshold())),
    )
    return counts


def reference_normalize(text: str) -> str:
    """A reference as typed or read on the phone ("k7qm 2xpa", "K7QM2XPA") in its stored form."""
    raw = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw[:9]


def contact_request_get_for_staff(reference: str) -> ContactRequest:
    """One request with everything the triage page shows (raises DoesNotExist)."""
    return ContactRequest.objects.select_related(
        "municipality", "assigned_organization", "target_organization"
    ).get(reference=reference_normalize(reference))


def contact_requests_for_member(user: AbstractBaseUser | AnonymousUser):
    """Requests routed to (or accepted by) the organisations this user belongs to, newest first.

    Built on contact_requests_visible_to, so a request the organisation gave back disappears;
    staff see here only their own organisations' requests (the inbox shows them the rest).
    """
    if not (user.is_authenticated and user.is_active):
        return contact_requests_visible_to(user)
    organizations = Membership.objects.filter(user=user).values("organization_id")
    return (
        contact_requests_visible_to(user)
        .filter(assigned_organization_id__in=organizations)
        .select_related("assigned_organization", "municipality")
        .order_by("-routed_at", "-pk")
    )
