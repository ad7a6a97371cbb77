"""Reads of the CSV feature: organisations as spreadsheet rows (network.imports.columns), public
or complete, and the imports staff ran, for the import page's list and their undo."""

from collections.abc import Iterator

from django.db.models import QuerySet

from network.imports.columns import COLUMNS, LIST_SEPARATOR, NO, YES
from network.listings.models import ImportBatch, Organization
from network.listings.selectors import organization_list_public
from network.listings.services import organization_version

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
    routing e-mail, and neither street nor point for a commune-visibility address; the row's
    `withheld` cell names those blanked columns, so re-importing the file keeps their stored
    values. Both exports carry each listing's `version`, for the import's stale check.
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
            "version": organization_version(organization),
            "withheld": "",
        }
        if not include_private:
            withheld = list(PRIVATE_COLUMNS)
            if organization.address_visibility != Organization.AddressVisibility.EXACT:
                withheld.extend(COMMUNE_ONLY_HIDDEN_COLUMNS)
            for column in withheld:
                row[column] = ""
            row["withheld"] = LIST_SEPARATOR.join(withheld)
        yield [row[column] for column in COLUMNS]


def import_batch_list_recent(limit: int = 10) -> list[ImportBatch]:
    """The latest imports that wrote something, newest first, with who ran and who undid them."""
    return list(
        ImportBatch.objects.select_related("actor", "undone_by").order_by("-created_at", "-pk")[
            :limit
        ]
    )
