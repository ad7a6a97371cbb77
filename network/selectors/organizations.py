"""Reads that carry visibility rules. Views and the API read organisations through these."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maps.distance import bounding_box, haversine_km_expression
from network.models import Activity, Closure, Need, Organization


def organization_list_public() -> QuerySet[Organization]:
    """Published organisations with everything a list shows, in a constant number of queries."""
    return (
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


def organizations_within(
    queryset: QuerySet[Organization], latitude: float, longitude: float, radius_km: float
) -> QuerySet[Organization]:
    """Keep the organisations whose public point lies within the radius, nearest first.

    The distance is measured to the public point, never the private one, so it cannot be used
    to triangulate a host's home.
    """
    box = bounding_box(latitude, longitude, radius_km)
    return (
        queryset.filter(box.as_q("public_latitude", "public_longitude"))
        .annotate(
            distance_km=haversine_km_expression(
                latitude, longitude, "public_latitude", "public_longitude"
            )
        )
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "name", "pk")
    )
