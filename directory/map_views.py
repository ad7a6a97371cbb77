"""Public map pages: the results map (same filters as the list) and its compact data endpoint."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from directory.filters import OrganizationFilterSet
from directory.search_cache import search_answer_key
from directory.views import search_filterset
from maps.rendering import MAP_ASSETS, encode_results, map_spec_json, results_map
from network.listings.maps import KIND_ORDER, need_labels, organization_map_rows
from network.listings.models import Organization


@require_GET
def organization_map(request):
    """The search results on a map; the listings are loaded by the page's script, not embedded."""
    filterset, errors, place_suggestions = search_filterset(request.GET)
    place = filterset.place
    folium_map = results_map(
        (place.latitude, place.longitude) if place else None,
        place.label if place else "",
        filterset.search_radius_km if place else None,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/organization_map.html",
        {
            # The form redisplays what the user typed, even rejected values, as on the list.
            "form": OrganizationFilterSet(request.GET or None).form,
            "errors": errors,
            "place_suggestions": place_suggestions,
            "count": filterset.qs.count(),
            "place": place,
            "radius_km": filterset.search_radius_km,
            "querystring": query.urlencode(),
            # Without a place the view zooms on the results once they are loaded.
            "map_spec": map_spec_json(folium_map, fit_data=place is None),
            "map_assets": MAP_ASSETS,
            "kinds": Organization.Kind.choices,
        },
    )


@require_GET
@gzip_page
def organization_map_data(request):
    """The listings of a search as compact arrays (see maps.rendering.encode_results).

    Cached under the directory version like the list, with a validator so that a browser
    coming back to the map gets a 304 instead of every listing again.
    """
    key = search_answer_key(request, "map-data")
    not_modified = get_conditional_response(
        request, etag=key.etag, last_modified=int(key.last_modified.timestamp())
    )
    if not_modified is not None:
        return not_modified
    body = key.get()
    if body is None:
        filterset, _errors, _suggestions = search_filterset(request.GET)
        body = encode_results(
            organization_map_rows(filterset.qs),
            [(kind.value, str(kind.label)) for kind in KIND_ORDER],
            need_labels(),
        )
        key.store(body)
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = key.etag
    response["Last-Modified"] = http_date(key.last_modified.timestamp())
    return response
