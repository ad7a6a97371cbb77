"""Writes and workflow steps on organisations. Each owns its transaction and validates fully."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from maps.geocoding import LocatedAddress, PointSource, locate_address
from network.models import Activity, Need, Organization

_RELATIONS = ("activities", "needs", "area_served")
# Changing one of these moves the organisation: its point is looked up again.
_LOCATION_FIELDS = ("address", "postal_code", "municipality", "municipality_id")


def unique_organization_slug(name: str, exclude_pk: int | None = None) -> str:
    """A URL slug derived from the name, suffixed with a number when already taken."""
    base = slugify(name)[:200] or "organisation"
    candidate, suffix = base, 2
    taken = Organization.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def _locate(organization: Organization) -> LocatedAddress | None:
    """Look up the point of the organisation's address, if it has an address and a commune.

    Called before the transaction opens: a geocoder can take seconds to answer, and SQLite
    would hold its write lock all that time.
    """
    if organization.municipality_id is None or not (
        organization.address or organization.postal_code
    ):
        return None
    located = locate_address(
        organization.address, organization.postal_code, organization.municipality
    )
    organization.latitude, organization.longitude = located.latitude, located.longitude
    return located


def organization_create(
    *,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    **fields: Any,
) -> Organization:
    """Create an organisation; activities and needs are given as slugs.

    Without an explicit latitude and longitude, the point is found from the address (the
    configured geocoder, else the gazetteer).
    """
    organization = Organization(**fields)
    if organization.latitude is None or organization.longitude is None:
        _locate(organization)
    with transaction.atomic():
        if not organization.slug:
            organization.slug = unique_organization_slug(organization.name)
        organization.refresh_derived_fields()
        organization.full_clean()
        organization.save()
        _set_relations(organization, activities, needs, area_served)
    return organization


def organization_update(
    organization: Organization,
    *,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    **fields: Any,
) -> Organization:
    """Change an organisation's fields; relations given as None are left as they are.

    When the address, postal code or commune changes, the point is looked up again, unless the
    same call sets latitude and longitude by hand.
    """
    moved = any(
        name in fields and fields[name] != getattr(organization, name) for name in _LOCATION_FIELDS
    )
    for name, value in fields.items():
        setattr(organization, name, value)
    if moved and "latitude" not in fields and "longitude" not in fields:
        _locate(organization)
    with transaction.atomic():
        organization.refresh_derived_fields()
        organization.full_clean()
        organization.save()
        _set_relations(organization, activities, needs, area_served)
    return organization


def organization_locate(
    organization: Organization, *, keep_unless_geocoded: bool = False
) -> str | None:
    """Recompute the point from the address and save it; returns where the new point came from.

    None when nothing changed: no address or postal code to locate, or, with
    `keep_unless_geocoded`, an existing point that only the coarser postal code or commune point
    would replace (it may have been placed by hand, or by an earlier geocoding).
    """
    previous = (organization.latitude, organization.longitude)
    located = _locate(organization)
    if located is None:
        return None
    if keep_unless_geocoded and None not in previous and located.source != PointSource.GEOCODER:
        organization.latitude, organization.longitude = previous
        return None
    with transaction.atomic():
        organization.save(
            update_fields=[
                "latitude",
                "longitude",
                "public_latitude",
                "public_longitude",
                "updated_at",
            ]
        )
    return located.source


@transaction.atomic
def organization_mark_verified(organization: Organization) -> Organization:
    """Record an explicit "still accurate": sets verified_at without touching anything else."""
    organization.verified_at = timezone.now()
    organization.save(update_fields=["verified_at", "updated_at"])
    return organization


def _set_relations(organization, activities, needs, area_served) -> None:
    if activities is not None:
        organization.activities.set(Activity.objects.filter(slug__in=activities))
    if needs is not None:
        organization.needs.set(Need.objects.filter(slug__in=needs))
    if area_served is not None:
        organization.area_served.set(area_served)
