"""Reads about opening hours: who is open at a given moment, and each listing's state."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from network.listings.models import Closure, OpeningPeriod, Organization


def organizations_open_at(
    queryset: QuerySet[Organization], moment: datetime | None = None
) -> QuerySet[Organization]:
    """Keep organisations with a weekly period covering the moment and no closure that day."""
    local = timezone.localtime(moment or timezone.now())
    periods = OpeningPeriod.objects.filter(
        weekday=local.weekday(), opens_at__lte=local.time(), closes_at__gt=local.time()
    ).values("organization_id")
    closures = Closure.objects.filter(
        starts_on__lte=local.date(), ends_on__gte=local.date()
    ).values("organization_id")
    return queryset.filter(pk__in=periods).exclude(pk__in=closures)


def organizations_closed_on(day: date) -> QuerySet[Organization]:
    """Organisations with an exceptional closure covering the day (routing skips them)."""
    return Organization.objects.filter(closures__starts_on__lte=day, closures__ends_on__gte=day)


@dataclass(frozen=True)
class OpeningState:
    """What a listing says about its hours right now."""

    has_hours: bool
    is_open: bool
    closure: Closure | None


def opening_state(organization: Organization, moment: datetime | None = None) -> OpeningState:
    """Open now, closed now, or exceptionally closed — from prefetched periods and closures."""
    local = timezone.localtime(moment or timezone.now())
    closure = next(
        (c for c in organization.closures.all() if c.starts_on <= local.date() <= c.ends_on), None
    )
    periods = list(organization.opening_periods.all())
    is_open = closure is None and any(
        p.weekday == local.weekday() and p.opens_at <= local.time() < p.closes_at for p in periods
    )
    return OpeningState(bool(periods), is_open, closure)


def upcoming_closures(organization: Organization, moment: datetime | None = None) -> list[Closure]:
    """Closures that are under way or still to come, from the prefetched closures."""
    today = timezone.localtime(moment or timezone.now()).date()
    return [c for c in organization.closures.all() if c.ends_on >= today]
