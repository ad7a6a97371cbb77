"""Reads for staff: the moderation queue and the history of listings."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maps.models import Municipality
from network.listings.languages import SPOKEN_LANGUAGE_LABELS
from network.listings.models import (
    ActivitySlug,
    NeedSlug,
    Organization,
    OrganizationChange,
    Weekday,
)
from network.moderation.models import Decision, ErrorReport, OrganizationProposal


def proposal_list_pending() -> QuerySet[OrganizationProposal]:
    """Proposed listings waiting for a decision, oldest first."""
    return (
        OrganizationProposal.objects.filter(status=Decision.PENDING)
        .select_related("organization", "organization__municipality")
        .order_by("created_at", "pk")
    )


def error_report_list_pending() -> QuerySet[ErrorReport]:
    """Reported errors waiting for staff, oldest first."""
    return (
        ErrorReport.objects.filter(status=Decision.PENDING)
        .select_related("organization")
        .order_by("created_at", "pk")
    )


def organization_change_list(organization: Organization) -> list[OrganizationChange]:
    """A listing's history, newest first, each entry with `rows`: (label, old, new) to display."""
    changes = list(
        OrganizationChange.objects.filter(organization=organization)
        .select_related("actor", "reverts", "batch")
        .order_by("-created_at", "-pk")
    )
    refnis = {
        code
        for change in changes
        for name, values in change.changes.items()
        if name in ("municipality", "area_served")
        for value in values
        for code in (value if isinstance(value, list) else [value])
        if code
    }
    names = dict(Municipality.objects.filter(refnis__in=refnis).values_list("refnis", "name_fr"))
    for change in changes:
        change.rows = [
            (_field_label(name), _display(name, old, names), _display(name, new, names))
            for name, (old, new) in change.changes.items()
        ]
    return changes


def _field_label(name: str) -> str:
    if name == "opening_periods":
        return _("permanences")
    if name == "closures":
        return _("fermetures exceptionnelles")
    try:
        return str(Organization._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the change was recorded
        return name


_CHOICES = {
    "kind": dict(Organization.Kind.choices),
    "status": dict(Organization.Status.choices),
    "address_visibility": dict(Organization.AddressVisibility.choices),
}


def _day(value: str) -> str:
    return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")


def _display(name: str, value: Any, municipality_names: dict[str, str]) -> str:
    """A value of the history as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if name == "activities":
        return ", ".join(str(dict(ActivitySlug.choices).get(slug, slug)) for slug in value)
    if name == "needs":
        return ", ".join(str(dict(NeedSlug.choices).get(slug, slug)) for slug in value)
    if name == "area_served":
        return ", ".join(municipality_names.get(code, code) for code in value)
    if name == "municipality":
        return municipality_names.get(value, value)
    if name == "opening_periods":
        days = dict(Weekday.choices)
        return "\n".join(
            f"{days.get(row['weekday'], row['weekday'])} {row['opens_at']}–{row['closes_at']}"
            + (f" ({row['note']})" if row.get("note") else "")
            for row in value
        )
    if name == "closures":
        return "\n".join(
            _("du %(start)s au %(end)s")
            % {"start": _day(row["starts_on"]), "end": _day(row["ends_on"])}
            + (f" : {row['reason']}" if row.get("reason") else "")
            for row in value
        )
    if name == "languages":
        return ", ".join(
            str(SPOKEN_LANGUAGE_LABELS.get(code, code)) for code in value.split(",") if code
        )
    if name in _CHOICES:
        return str(_CHOICES[name].get(value, value))
    if name == "verified_at":
        return formats.date_format(
            timezone.localtime(datetime.fromisoformat(value)), "DATETIME_FORMAT"
        )
    return str(value)
