"""The staff coverage map: which municipalities a published organisation serves, and which none."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from maps.rendering import MAP_ASSETS, coverage_map, encode_coverage, map_spec_json
from network.listings.maps import coverage_rows, municipality_coverage
from network.staff.forms import CoverageFilterForm


def _filters(request) -> tuple[CoverageFilterForm, dict]:
    """The bound form and its clean values; an unknown slug is reported and ignored."""
    form = CoverageFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}
    if form.is_valid():
        return form, {key: value for key, value in form.cleaned_data.items() if value}
    return form, {
        key: value for key, value in form.cleaned_data.items() if value and key not in form.errors
    }


@require_GET
def coverage(request):
    """The map of every municipality by number of organisations, and the table of uncovered ones."""
    form, filters = _filters(request)
    items = municipality_coverage(**filters)
    # Grouped by province, the way staff split the follow-up between them.
    uncovered = sorted(
        (item.municipality for item in items if item.organizations == 0),
        key=lambda municipality: (municipality.province, municipality.name_fr),
    )
    query = request.GET.urlencode()
    return render(
        request,
        "network/municipality_coverage.html",
        {
            "form": form,
            "filtered": bool(filters),
            "uncovered": uncovered,
            "total": len(items),
            "covered": len(items) - len(uncovered),
            "querystring": query,
            "map_spec": map_spec_json(coverage_map()),
            "map_assets": MAP_ASSETS,
        },
    )


@require_GET
@gzip_page
def coverage_data(request):
    """The coverage map's data for the same filters (see maps.rendering.encode_coverage)."""
    _form, filters = _filters(request)
    body = encode_coverage(coverage_rows(municipality_coverage(**filters)))
    return HttpResponse(body, content_type="application/json")
