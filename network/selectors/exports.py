"""Organisations as spreadsheet rows (network.organization_csv columns), public or complete."""

from collections.abc import Iterator

from django.db.models import QuerySet

from network.models import Organization
from network.organization_csv import COLUMNS, LIST_SEPARATOR, NO, YES
from network.selectors.organizations import organization_list_public

PRIVATE_COLUMNS = ("routing_email",)
# Withheld for a commune-visibility address, whose street and point are private.
COMMUNE_ONLY_HIDDEN_COLUMNS = ("address", "postal_code", "latitude", "longitude")


def organization_export_queryset(*, include_private: bool) -> QuerySet[Organization]:
    """Every organisation (staff export) or only the published ones (public export)."""
    queryset = (
        organization_list_public()
        if not include_private
        else Organization.objects.select_related("municipality")
    )
    return queryset.prefetch_related("activities", "needs", "area_served").order_by("name", "pk")


def organization_csv_rows(*, include_private: bool = False) -> Iterator[list[str]]:
    """One list of cells per organisation, in COLUMNS order.

    Without include_private the rows are safe to publish: published organisations only, no
    routing e-mail, and neither street nor point for a commune-visibility address. Re-import
    a complete export (include_private) to get the same data back.
    """
    for organization in organization_export_queryset(include_private=include_private).iterator(
        chunk_size=2000
    ):
        row = {
            "external_id": organization.external_id,
            "name": organization.name,
            "kind": organization.kind,
            "description": organization.description,
            "activities": LIST_SEPARATOR.join(
                a.slug for a in sorted(organization.activities.all(), key=lambda a: a.position)
            ),
            "needs": LIST_SEPARATOR.join(
                n.slug for n in sorted(organization.needs.all(), key=lambda n: n.position)
            ),
            "address": organization.address,
            "postal_code": organization.postal_code,
            "municipality": organization.municipality.name_fr,
            "address_visibility": organization.address_visibility,
            "latitude": repr(organization.latitude) if organization.latitude is not None else "",
            "longitude": repr(organization.longitude) if organization.longitude is not None else "",
            "email": organization.email,
            "phone": organization.phone,
            "website": organization.website,
            "routing_email": organization.routing_email,
            "languages": LIST_SEPARATOR.join(organization.language_codes),
            "area_served": LIST_SEPARATOR.join(
                sorted(m.refnis for m in organization.area_served.all())
            ),
            "accepting_requests": YES if organization.accepting_requests else NO,
            "status": organization.status,
        }
        if not include_private:
            for column in PRIVATE_COLUMNS:
                row[column] = ""
            if organization.address_visibility != Organization.AddressVisibility.EXACT:
                for column in COMMUNE_ONLY_HIDDEN_COLUMNS:
                    row[column] = ""
        yield [row[column] for column in COLUMNS]
