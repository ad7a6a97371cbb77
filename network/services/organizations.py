"""Writes and workflow steps on organisations. Each owns its transaction and validates fully."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from network.models import Activity, Need, Organization

_RELATIONS = ("activities", "needs", "area_served")


def unique_organization_slug(name: str, exclude_pk: int | None = None) -> str:
    """A URL slug derived from the name, suffixed with a number when already taken."""
    base = slugify(name)[:200] or "organisation"
    candidate, suffix = base, 2
    taken = Organization.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


@transaction.atomic
def organization_create(
    *,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    **fields: Any,
) -> Organization:
    """Create an organisation; activities and needs are given as slugs."""
    organization = Organization(**fields)
    if not organization.slug:
        organization.slug = unique_organization_slug(organization.name)
    organization.refresh_derived_fields()
    organization.full_clean()
    organization.save()
    _set_relations(organization, activities, needs, area_served)
    return organization


@transaction.atomic
def organization_update(
    organization: Organization,
    *,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    **fields: Any,
) -> Organization:
    """Change an organisation's fields; relations given as None are left as they are."""
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.refresh_derived_fields()
    organization.full_clean()
    organization.save()
    _set_relations(organization, activities, needs, area_served)
    return organization


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
