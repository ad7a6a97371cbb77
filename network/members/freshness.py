"""Keeping listings fresh: reminders to members whose listing has not been confirmed for a while."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from network.listings.models import Organization
from network.members.models import Membership
from network.outbox.services import absolute_url, email_send

# A member who ignored a reminder is asked again after this many days, not every day.
REMINDER_REPEAT_DAYS = 30


def organizations_needing_reminder(now: datetime | None = None):
    """Published listings not confirmed for RELAIS_VERIFICATION_REMINDER_DAYS and not reminded
    since their last confirmation (or for REMINDER_REPEAT_DAYS)."""
    now = now or timezone.now()
    due = now - timedelta(days=settings.RELAIS_VERIFICATION_REMINDER_DAYS)
    repeat = now - timedelta(days=REMINDER_REPEAT_DAYS)
    return (
        Organization.objects.filter(status=Organization.Status.PUBLISHED)
        .annotate(last_confirmed_at=Coalesce("verified_at", "created_at"))
        .filter(last_confirmed_at__lt=due)
        .filter(Q(verification_reminded_at__isnull=True) | Q(verification_reminded_at__lt=repeat))
        .filter(memberships__isnull=False)
        .distinct()
        .order_by("pk")
    )


def organizations_send_verification_reminders(now: datetime | None = None) -> int:
    """E-mail the members of every listing due for a reminder; returns how many listings."""
    now = now or timezone.now()
    sent = 0
    for organization in organizations_needing_reminder(now).select_related("municipality"):
        with transaction.atomic():
            locked = Organization.objects.select_for_update().get(pk=organization.pk)
            if (
                locked.verification_reminded_at
                and locked.verification_reminded_at >= now - timedelta(days=REMINDER_REPEAT_DAYS)
            ):
                continue  # another worker just did it
            emails = list(
                Membership.objects.filter(organization=locked, user__is_active=True)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            last = locked.verified_at or locked.created_at
            email_send(
                "verification_reminder",
                emails,
                {
                    "organization_name": locked.name,
                    "days": (now - last).days,
                    "never_verified": locked.verified_at is None,
                    "stale_after_days": settings.RELAIS_STALE_AFTER_DAYS,
                    "edit_link": absolute_url("network:organization_edit", slug=locked.slug),
                    "dashboard_link": absolute_url("network:dashboard"),
                },
            )
            # update() rather than save(): bookkeeping only, not a change of the listing.
            Organization.objects.filter(pk=locked.pk).update(verification_reminded_at=now)
            sent += 1
    return sent
