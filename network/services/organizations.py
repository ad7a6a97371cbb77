"""Writes and workflow steps on organisations. Each owns its transaction and validates fully.

Every change is written to the listing's history (OrganizationChange) by these services, with
who made it, so staff can see and revert it.
"""

from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maps.geocoding import LocatedAddress, PointSource, locate_address
from maps.models import Municipality
from network.models import Activity, Closure, Need, OpeningPeriod, Organization, OrganizationChange
from network.services.directory import directory_changed

_RELATIONS = ("activities", "needs", "area_served", "opening_periods", "closures")
# Changing one of these moves the organisation: its point is looked up again.
_LOCATION_FIELDS = ("address", "postal_code", "municipality", "municipality_id")
# Columns computed from the others, or bookkeeping: never shown in the history.
_UNTRACKED = {
    "id",
    "public_latitude",
    "public_longitude",
    "search_text",
    "created_at",
    "updated_at",
    "verification_reminded_at",
}


class StaleListingError(ValidationError):
    """The listing changed since the writer read it: the write is refused, nothing is saved.

    Every writer of a listing (member form, admin, member API, CSV import) passes the version
    it read (`organization_version`) and gets this error when someone saved in between, so
    that no one silently overwrites another person's change.
    """

    def __init__(self, current_version: str):
        super().__init__(
            _(
                "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte. "
                "Vos modifications ne sont pas enregistrées : rechargez la fiche pour voir la "
                "version actuelle, puis refaites vos changements."
            ),
            code="stale",
        )
        self.current_version = current_version


def organization_version(organization: Organization) -> str:
    """The listing's version token: it changes with every saved write (updated_at moves)."""
    return organization.updated_at.isoformat() if organization.updated_at else ""


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


def tracked_fields() -> list[str]:
    """Names of the fields whose changes are recorded, in the model's order."""
    names = [
        field.name for field in Organization._meta.concrete_fields if field.name not in _UNTRACKED
    ]
    return [*names, *_RELATIONS]


def organization_snapshot(organization: Organization) -> dict[str, Any]:
    """The tracked fields of a listing as JSON-friendly values (see OrganizationChange)."""
    snapshot: dict[str, Any] = {}
    for field in Organization._meta.concrete_fields:
        if field.name in _UNTRACKED:
            continue
        if field.name == "municipality":
            snapshot["municipality"] = organization.municipality.refnis
            continue
        value = getattr(organization, field.attname)
        snapshot[field.name] = value.isoformat() if isinstance(value, datetime) else value
    if organization.pk:
        snapshot["activities"] = sorted(organization.activities.values_list("slug", flat=True))
        snapshot["needs"] = sorted(organization.needs.values_list("slug", flat=True))
        snapshot["area_served"] = sorted(organization.area_served.values_list("refnis", flat=True))
        snapshot["opening_periods"] = _periods_json(organization.opening_periods.all())
        snapshot["closures"] = _closures_json(organization.closures.all())
    else:
        snapshot.update(activities=[], needs=[], area_served=[], opening_periods=[], closures=[])
    return snapshot


def _periods_json(periods) -> list[dict[str, Any]]:
    rows = [
        {
            "weekday": period.weekday,
            "opens_at": period.opens_at.strftime("%H:%M"),
            "closes_at": period.closes_at.strftime("%H:%M"),
            "note": period.note,
        }
        for period in periods
    ]
    return sorted(
        rows, key=lambda row: (row["weekday"], row["opens_at"], row["closes_at"], row["note"])
    )


def _closures_json(closures) -> list[dict[str, Any]]:
    rows = [
        {
            "starts_on": closure.starts_on.isoformat(),
            "ends_on": closure.ends_on.isoformat(),
            "reason": closure.reason,
        }
        for closure in closures
    ]
    return sorted(rows, key=lambda row: (row["starts_on"], row["ends_on"], row["reason"]))


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _record(
    organization: Organization,
    changes: dict[str, list[Any]],
    actor: AbstractBaseUser | None,
    kind: str = OrganizationChange.Kind.UPDATED,
    reverts: OrganizationChange | None = None,
) -> OrganizationChange | None:
    if not changes and kind != OrganizationChange.Kind.CREATED:
        return None
    return OrganizationChange.objects.create(
        organization=organization,
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        changes=changes,
        reverts=reverts,
    )


def organization_create(
    *,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    opening_periods: list[dict[str, Any]] | None = None,
    closures: list[dict[str, Any]] | None = None,
    actor: AbstractBaseUser | None = None,
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
        _set_schedule(organization, opening_periods, closures)
        _record(organization, {}, actor, kind=OrganizationChange.Kind.CREATED)
    return organization


def organization_update(
    organization: Organization,
    *,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    opening_periods: list[dict[str, Any]] | None = None,
    closures: list[dict[str, Any]] | None = None,
    actor: AbstractBaseUser | None = None,
    **fields: Any,
) -> Organization:
    """Change an organisation's fields and record the difference; None relations stay as they are.

    `opening_periods` ({weekday, opens_at, closes_at, note}) and `closures` ({starts_on,
    ends_on, reason}) replace the listing's weekly hours and exceptional closures. When the
    address, postal code or commune changes, the point is looked up again, unless the same call
    sets latitude and longitude by hand. Raises ValidationError (nothing written) when a value
    is invalid or a field is unknown.
    """
    unknown = (
        set(fields)
        - {field.name for field in Organization._meta.concrete_fields}
        - {"municipality_id"}
    )
    if unknown:
        raise ValidationError(
            _("Champ inconnu : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    before = organization_snapshot(organization)
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
        _set_schedule(organization, opening_periods, closures)
        _record(organization, _diff(before, organization_snapshot(organization)), actor)
    return organization


def organization_locate(
    organization: Organization,
    *,
    keep_unless_geocoded: bool = False,
    actor: AbstractBaseUser | None = None,
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
        changes = {
            name: [old, new]
            for name, old, new in (
                ("latitude", previous[0], organization.latitude),
                ("longitude", previous[1], organization.longitude),
            )
            if old != new
        }
        _record(organization, changes, actor)
    return located.source


@transaction.atomic
def organization_mark_verified(
    organization: Organization, actor: AbstractBaseUser | None = None
) -> Organization:
    """Record an explicit "still accurate": sets verified_at without touching anything else."""
    previous = organization.verified_at
    organization.verified_at = timezone.now()
    organization.save(update_fields=["verified_at", "updated_at"])
    _record(
        organization,
        {
            "verified_at": [
                previous.isoformat() if previous else None,
                organization.verified_at.isoformat(),
            ]
        },
        actor,
        kind=OrganizationChange.Kind.VERIFIED,
    )
    return organization


@transaction.atomic
def organization_change_revert(
    change: OrganizationChange, actor: AbstractBaseUser | None
) -> OrganizationChange | None:
    """Put back the values a recorded change replaced; the revert is itself recorded.

    Only the fields of that change are touched; later changes to other fields stay.
    Returns the new history entry, or None when the listing already holds those values.
    """
    if change.kind == OrganizationChange.Kind.CREATED or not change.changes:
        raise ValidationError(
            _("Cette entrée de l'historique ne contient aucune modification à annuler.")
        )
    organization = Organization.objects.select_for_update().get(pk=change.organization_id)
    before = organization_snapshot(organization)
    fields: dict[str, Any] = {}
    relations: dict[str, Any] = {}
    for name, (old, _new) in change.changes.items():
        if name in ("activities", "needs"):
            relations[name] = old or []
        elif name == "area_served":
            relations[name] = list(Municipality.objects.filter(refnis__in=old or []))
        elif name in ("opening_periods", "closures"):
            relations[name] = old or []
        elif name == "municipality":
            fields[name] = Municipality.objects.get(refnis=old)
        elif name == "verified_at":
            fields[name] = datetime.fromisoformat(old) if old else None
        elif name in before:
            fields[name] = old
    for name, value in fields.items():
        setattr(organization, name, value)
    if (
        "slug" in fields
        and Organization.objects.exclude(pk=organization.pk).filter(slug=fields["slug"]).exists()
    ):
        raise ValidationError(
            _("L'ancienne adresse de la fiche est reprise par une autre organisation.")
        )
    organization.refresh_derived_fields()
    organization.full_clean()
    organization.save()
    _set_relations(
        organization,
        relations.get("activities"),
        relations.get("needs"),
        relations.get("area_served"),
    )
    _set_schedule(organization, relations.get("opening_periods"), relations.get("closures"))
    return _record(
        organization,
        _diff(before, organization_snapshot(organization)),
        actor,
        kind=OrganizationChange.Kind.REVERTED,
        reverts=change,
    )


@transaction.atomic
def organization_record_change(
    organization: Organization, before: dict[str, Any], actor: AbstractBaseUser | None
) -> OrganizationChange | None:
    """Record what changed since `before` (an organization_snapshot) for writes made elsewhere,
    such as the admin site's forms."""
    return _record(organization, _diff(before, organization_snapshot(organization)), actor)


def _set_relations(organization, activities, needs, area_served) -> None:
    if activities is not None:
        organization.activities.set(Activity.objects.filter(slug__in=activities))
    if needs is not None:
        organization.needs.set(Need.objects.filter(slug__in=needs))
    if area_served is not None:
        organization.area_served.set(area_served)


def _as_time(value: Any) -> Any:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _as_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _set_schedule(organization, opening_periods, closures) -> None:
    """Replace the weekly hours and closures, after validating every row (nothing half-written)."""
    if opening_periods is not None:
        periods = [
            OpeningPeriod(
                organization=organization,
                weekday=row["weekday"],
                opens_at=_as_time(row["opens_at"]),
                closes_at=_as_time(row["closes_at"]),
                note=row.get("note", ""),
            )
            for row in opening_periods
        ]
        for period in periods:
            period.full_clean()
        organization.opening_periods.all().delete()
        OpeningPeriod.objects.bulk_create(periods)
    if closures is not None:
        rows = [
            Closure(
                organization=organization,
                starts_on=_as_date(row["starts_on"]),
                ends_on=_as_date(row["ends_on"]),
                reason=row.get("reason", ""),
            )
            for row in closures
        ]
        for closure in rows:
            closure.full_clean()
        organization.closures.all().delete()
        Closure.objects.bulk_create(rows)
    if opening_periods is not None or closures is not None:
        # bulk_create sends no signal: tell the search cache the hours changed.
        directory_changed()
