"""Reads that carry visibility rules. Views and the API read organisations through these."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maps.distance import bounding_box, haversine_km_expression
from maps.text import fold
from network.listings.models import Activity, Closure, Need, Organization


def stale_cutoff(now: datetime | None = None) -> datetime:
    """Listings last confirmed (or created, if never confirmed) before this are stale."""
    return (now or timezone.now()) - timedelta(days=settings.RELAIS_STALE_AFTER_DAYS)


def with_staleness(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate `is_stale`: not confirmed for RELAIS_STALE_AFTER_DAYS ("informations à vérifier").

    A listing never confirmed counts from its creation, so a new listing is not flagged.
    """
    cutoff = stale_cutoff()
    return queryset.annotate(
        last_confirmed_at=Coalesce("verified_at", "created_at"),
        is_stale=Case(
            When(
                Q(verified_at__lt=cutoff) | Q(verified_at__isnull=True, created_at__lt=cutoff),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def organization_list_public() -> QuerySet[Organization]:
    """Published organisations with everything a list shows, in a constant number of queries.

    Ordered by name, fresh listings before stale ones (see organizations_by_name).
    """
    return organizations_by_name(
        Organization.objects.filter(status=Organization.Status.PUBLISHED)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("position")),
            Prefetch("needs", queryset=Need.objects.order_by("position")),
            "opening_periods",
            # Only closures still relevant: past ones would grow the prefetch forever.
            Prefetch(
                "closures",
                queryset=Closure.objects.filter(ends_on__gte=timezone.localdate()),
            ),
        )
    )


def organization_get_public(slug: str) -> Organization:
    """One published organisation with its area served, or 404."""
    return get_object_or_404(organization_list_public().prefetch_related("area_served"), slug=slug)


def organizations_by_name(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Alphabetical order, fresh listings before the stale ones."""
    if "is_stale" not in queryset.query.annotations:
        queryset = with_staleness(queryset)
    return queryset.order_by("is_stale", "name", "pk")


def organizations_within(
    queryset: QuerySet[Organization], latitude: float, longitude: float, radius_km: float
) -> QuerySet[Organization]:
    """Keep the organisations whose public point lies within the radius, nearest first.

    Stale listings come after every fresh one, so a citizen first sees listings that their
    organisation confirmed recently. The distance is measured to the public point, never the
    private one, so it cannot be used to triangulate a host's home.
    """
    if "is_stale" not in queryset.query.annotations:
        queryset = with_staleness(queryset)
    box = bounding_box(latitude, longitude, radius_km)
    return (
        queryset.filter(box.as_q("public_latitude", "public_longitude"))
        .annotate(
            distance_km=haversine_km_expression(
                latitude, longitude, "public_latitude", "public_longitude"
            )
        )
        .filter(distance_km__lte=radius_km)
        .order_by("is_stale", "distance_km", "name", "pk")
    )


def organization_list_for_staff(
    query: str = "", status: str = "", stale_only: bool = False
) -> QuerySet[Organization]:
    """Every organisation for staff, searchable by name or description, with member counts."""
    organizations = with_staleness(Organization.objects.select_related("municipality")).annotate(
        member_count=Count("memberships")
    )
    for word in fold(query).split():
        organizations = organizations.filter(search_text__contains=word)
    if status in Organization.Status.values:
        organizations = organizations.filter(status=status)
    if stale_only:
        organizations = organizations.filter(is_stale=True)
    return organizations.order_by("name", "pk")
