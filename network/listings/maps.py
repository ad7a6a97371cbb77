"""Reads behind the maps. The only place that decides which point of an organisation a map gets."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from maps.areas import municipality_areas
from maps.models import Municipality
from maps.rendering import CoverageRow, ResultRow
from network.listings.models import Need, Organization

KIND_ORDER = list(Organization.Kind)


def need_labels() -> list[str]:
    """Need labels in taxonomy order: bit i of a needs mask is the i-th label."""
    return [need.label for need in Need.objects.order_by("position", "pk")]


def organization_map_rows(queryset: QuerySet[Organization]) -> list[ResultRow]:
    """The map rows of (already filtered, public) organisations, in two queries.

    Only `public_latitude/public_longitude` are read: the commune's point for a listing whose
    address is private, so the exact point never reaches a map.
    """
    need_bits = {
        pk: index
        for index, pk in enumerate(
            Need.objects.order_by("position", "pk").values_list("pk", flat=True)
        )
    }
    masks: dict[int, int] = defaultdict(int)
    through = Organization.needs.through.objects.filter(organization_id__in=queryset.values("pk"))
    for organization_id, need_id in through.values_list("organization_id", "need_id"):
        masks[organization_id] |= 1 << need_bits[need_id]
    kind_index = {kind.value: index for index, kind in enumerate(KIND_ORDER)}
    rows = queryset.values_list("pk", "public_latitude", "public_longitude", "kind", "name", "slug")
    return [
        ResultRow(latitude, longitude, kind_index[kind], masks[pk], name, slug)
        for pk, latitude, longitude, kind, name, slug in rows
    ]


@dataclass(frozen=True)
class MunicipalityCoverage:
    """How many published organisations serve one municipality."""

    municipality: Municipality
    organizations: int


def municipality_coverage(
    activity: str | None = None, need: str | None = None
) -> list[MunicipalityCoverage]:
    """Every Walloon municipality with the number of published organisations serving it.

    An organisation serves the communes of its area served and its own commune. Filtering by an
    activity or a need counts only the organisations doing that or needing that.
    """
    organizations = Organization.objects.filter(status=Organization.Status.PUBLISHED)
    if activity:
        organizations = organizations.filter(activities__slug=activity)
    if need:
        organizations = organizations.filter(needs__slug=need)
    served: dict[int, set[int]] = defaultdict(set)
    for pk, municipality_id in organizations.values_list("pk", "municipality_id"):
        served[municipality_id].add(pk)
    area = Organization.area_served.through.objects.filter(
        organization_id__in=organizations.values("pk")
    )
    for organization_id, municipality_id in area.values_list("organization_id", "municipality_id"):
        served[municipality_id].add(organization_id)
    return [
        MunicipalityCoverage(municipality, len(served[municipality.pk]))
        for municipality in Municipality.objects.order_by("name_fr")
    ]


def coverage_rows(coverage: list[MunicipalityCoverage]) -> list[CoverageRow]:
    """The coverage map's rows: each municipality's area and its count."""
    areas = municipality_areas()
    return [
        CoverageRow(item.municipality.name_fr, areas[item.municipality.pk], item.organizations)
        for item in coverage
    ]
