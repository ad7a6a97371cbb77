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
from network.infrastructure.directory_version import directory_changed
from network.listings.models import (
    Activity,
    Closure,
    Need,
    OpeningPeriod,
    Organization,
    OrganizationChange,
)

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


def organization_lock(organization_pk: int, expected_version: str | None = None) -> Organization:
    """The listing's row, read afresh and locked until the caller's transaction ends.

    With `expected_version` (the `organization_version` the writer read), raises
    StaleListingError when the listing was saved since: the check and the write that follows
    form one atomic step, so two people saving at once cannot both pass it. Call it inside
    `transaction.atomic` (PostgreSQL locks the row; SQLite's IMMEDIATE transactions already let
    one writer in at a time).
    """
    current = Organization.objects.select_for_update().get(pk=organization_pk)
    if expected_version is not None and organization_version(current) != expected_version:
        raise StaleListingError(organization_version(current))
    return current


def _location_key(organization: Organization) -> tuple:
    return (organization.address, organization.postal_code, organization.municipality_id)


def _moves(organization: Organization, fields: dict[str, Any]) -> bool:
    return any(
        name in fields and fields[name] != getattr(organization, name) for name in _LOCATION_FIELDS
    )


def _locate_ahead(
    organization: Organization, fields: dict[str, Any]
) -> tuple[tuple, tuple[float, float]] | None:
    """The point for the new address, looked up before the transaction opens (see _locate).

    Returns the address it was computed for, with the point, so that the write can tell whether
    it still applies once the row is locked (someone may have changed the address meanwhile).
    """
    if not _moves(organization, fields):
        return None
    probe = Organization(
        address=organization.address,
        postal_code=organization.postal_code,
        municipality_id=organization.municipality_id,
    )
    for name in _LOCATION_FIELDS:
        if name in fields:
            setattr(probe, name, fields[name])
    if _locate(probe) is None:
        return None
    return _location_key(probe), (probe.latitude, probe.longitude)


def organization_update(
    organization: Organization,
    *,
    expected_version: str | None = None,
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    opening_periods: list[dict[str, Any]] | None = None,
    closures: list[dict[str, Any]] | None = None,
    actor: AbstractBaseUser | None = None,
    **fields: Any,
) -> Organization:
    """Change an organisation's fields and record the difference; None relations stay as they are.

    Only the given fields and relations are written, onto the row as it is in the database
    (locked for the write): a change someone else saved to another field meanwhile is kept.
    With `expected_version`, the write is refused with StaleListingError when the listing was
    saved since the writer read that version. `opening_periods` ({weekday, opens_at, closes_at,
    note}) and `closures` ({starts_on, ends_on, reason}) replace the listing's weekly hours and
    exceptional closures. When the address, postal code or commune changes, the point is looked
    up again, unless the same call sets latitude and longitude by hand. A call that changes
    nothing writes nothing (the version stays). Raises ValidationError (nothing written) when a
    value is invalid or a field is unknown. Returns `organization`, reloaded.
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
    placed_by_hand = "latitude" in fields or "longitude" in fields
    located = None if placed_by_hand else _locate_ahead(organization, fields)
    with transaction.atomic():
        current = organization_lock(organization.pk, expected_version)
        # The history's "old" values are the database's, not those of an instance that a form
        # may already have changed in memory.
        before = organization_snapshot(current)
        moved = _moves(current, fields)
        for name, value in fields.items():
            setattr(current, name, value)
        if moved and not placed_by_hand:
            if located is not None and located[0] == _location_key(current):
                current.latitude, current.longitude = located[1]
            else:
                _locate(current)
        current.refresh_derived_fields()
        current.full_clean()
        _set_relations(current, activities, needs, area_served)
        _set_schedule(current, opening_periods, closures)
        changes = _diff(before, organization_snapshot(current))
        if changes or set(fields) & _UNTRACKED:
            # Saving moves updated_at, hence the version, for every real change, relations and
            # hours included; an unchanged save leaves it, so it refuses no one's later save.
            current.save()
        _record(current, changes, actor)
    organization.refresh_from_db()
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


def organization_mark_verified(
    organization: Organization,
    actor: AbstractBaseUser | None = None,
    *,
    expected_version: str | None = None,
) -> Organization:
    """Record an explicit "still accurate": sets verified_at without touching anything else.

    With `expected_version`, a listing changed since the person read it is not confirmed
    (StaleListingError): they would vouch for values they have not seen.
    """
    with transaction.atomic():
        current = organization_lock(organization.pk, expected_version)
        previous = current.verified_at
        current.verified_at = timezone.now()
        current.save(update_fields=["verified_at", "updated_at"])
        _record(
            current,
            {
                "verified_at": [
                    previous.isoformat() if previous else None,
                    current.verified_at.isoformat(),
                ]
            },
            actor,
            kind=OrganizationChange.Kind.VERIFIED,
        )
    organization.refresh_from_db()
    return organization


@transaction.atomic
def organization_change_revert(
    change: OrganizationChange,
    actor: AbstractBaseUser | None,
    *,
    expected_version: str | None = None,
) -> OrganizationChange | None:
    """Put back the values a recorded change replaced; the revert is itself recorded.

    Only the fields of that change are touched; later changes to other fields stay. With
    `expected_version` (the listing's version when the history was shown), a listing changed
    since is left alone (StaleListingError): the revert could undo a change not yet seen.
    Returns the new history entry, or None when the listing already holds those values.
    """
    if change.kind == OrganizationChange.Kind.CREATED or not change.changes:
        raise ValidationError(
            _("Cette entrée de l'historique ne contient aucune modification à annuler.")
        )
    organization = organization_lock(change.organization_id, expected_version)
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
    _set_relations(
        organization,
        relations.get("activities"),
        relations.get("needs"),
        relations.get("area_served"),
    )
    _set_schedule(organization, relations.get("opening_periods"), relations.get("closures"))
    changes = _diff(before, organization_snapshot(organization))
    if changes:
        organization.save()  # moves the version; a revert that changes nothing leaves it
    return _record(
        organization,
        changes,
        actor,
        kind=OrganizationChange.Kind.REVERTED,
        reverts=change,
    )


@transaction.atomic
def organization_record_change(
    organization: Organization, before: dict[str, Any], actor: AbstractBaseUser | None
) -> OrganizationChange | None:
    """Record what changed since `before` (an organization_snapshot of the locked row, see
    organization_lock) for writes made elsewhere, such as the admin site's forms.

    When something changed, the version moves even if the listing's own row was not saved (the
    admin's inlines write only the hours), so that a form opened earlier is refused.
    """
    changes = _diff(before, organization_snapshot(organization))
    if changes:
        organization.updated_at = timezone.now()
        Organization.objects.filter(pk=organization.pk).update(updated_at=organization.updated_at)
    return _record(organization, changes, actor)


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


def _replace_rows(manager, rows: list, key) -> bool:
    """Make a listing's rows (hours or closures) equal to `rows`, writing only the difference.

    Rows are matched on their values: an unchanged row is neither deleted nor re-created, so
    its id stays and nothing is written for it. Returns whether anything was written.
    """
    wanted: dict[tuple, int] = {}
    for row in rows:
        wanted[key(row)] = wanted.get(key(row), 0) + 1
    stale = []
    for existing in manager.all():
        if wanted.get(key(existing), 0) > 0:
            wanted[key(existing)] -= 1
        else:
            stale.append(existing.pk)
    added = []
    for row in rows:
        if wanted.get(key(row), 0) > 0:
            wanted[key(row)] -= 1
            added.append(row)
    if stale:
        manager.filter(pk__in=stale).delete()
    if added:
        manager.model.objects.bulk_create(added)
    return bool(stale or added)


def _period_key(period: OpeningPeriod) -> tuple:
    return (period.weekday, period.opens_at, period.closes_at, period.note)


def _closure_key(closure: Closure) -> tuple:
    return (closure.starts_on, closure.ends_on, closure.reason)


def _set_schedule(organization, opening_periods, closures) -> None:
    """Set the weekly hours and closures, after validating every row (nothing half-written).

    Only the added, changed or removed rows are written (see _replace_rows).
    """
    written = False
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
        written |= _replace_rows(organization.opening_periods, periods, _period_key)
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
        written |= _replace_rows(organization.closures, rows, _closure_key)
    if written:
        # bulk_create sends no signal: tell the search cache the hours changed.
        directory_changed()
