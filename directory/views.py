"""Public pages: search, listing, about. Views check shape and delegate to selectors."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.filters import OrganizationFilterSet, place_not_found
from directory.search_cache import search_answer_key
from maps.models import Province
from maps.places import autocomplete_places
from maps.rendering import MAP_ASSETS, map_spec_json, results_map
from network.listings.languages import SPOKEN_LANGUAGE_LABELS
from network.listings.models import ActivitySlug, NeedSlug, Organization
from network.listings.selectors import organization_get_public, organization_list_public
from network.resources.selectors import resource_groups_public


def search_filterset(params) -> tuple[OrganizationFilterSet, dict, list[dict]]:
    """The FilterSet for a query string; invalid fields are reported and left out, not fatal.

    A citizen who typed an unknown postal code still gets a usable page: the other filters
    apply and the message says what was wrong. The places suggested instead of an unknown one
    come third, each with the query string of that search (the other filters kept).
    """
    filterset = OrganizationFilterSet(params or None, queryset=organization_list_public())
    if not filterset.is_bound or filterset.is_valid():
        return filterset, {}, []
    errors = {name: list(messages) for name, messages in filterset.form.errors.items()}
    suggestions = []
    not_found = place_not_found(filterset.form)
    if not_found is not None and not_found.params["suggestions"]:
        # The names are links below the message, not also plain text in it.
        errors["near"] = [not_found.params["problem"]]
        for suggestion in not_found.params["suggestions"]:
            query = params.copy()
            query["near"] = suggestion.query
            query.pop("page", None)
            suggestions.append({"label": suggestion.label, "querystring": query.urlencode()})
    cleaned = params.copy()
    for name in errors:
        cleaned.pop(name, None)
    filterset = OrganizationFilterSet(cleaned or None, queryset=organization_list_public())
    return filterset, errors, suggestions


@require_GET
def organization_search(request):
    # Everything but the page's frame (navigation, the language switcher's CSRF token) is the
    # same for everyone asking the same question: it is cached under the directory version.
    key = search_answer_key(request, "search-page", shows_opening=True)
    answer = key.get()
    if answer is None:
        answer = search_page_content(request)
        key.store(answer)
    return render(request, "directory/organization_search.html", answer)


def search_page_content(request) -> dict:
    """The search page's content (form, counts, results) for one query string, as HTML."""
    filterset, errors, place_suggestions = search_filterset(request.GET)
    page = Paginator(filterset.qs, settings.RELAIS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    place = filterset.place
    radius_km = filterset.search_radius_km
    folium_map = results_map(
        (place.latitude, place.longitude) if place else None,
        place.label if place else "",
        radius_km if place else None,
    )
    content = render_to_string(
        "directory/_search_content.html",
        {
            # The form redisplays what the user typed, even rejected values, so they can fix them.
            "form": OrganizationFilterSet(request.GET or None).form,
            "errors": errors,
            "place_suggestions": place_suggestions,
            "page": page,
            "place": place,
            "radius_km": radius_km,
            "querystring": query.urlencode(),
            "chips": active_filter_chips(request.GET, errors, place),
            "need_counts": facet_counts(filterset.qs, "needs", "need"),
            "activity_counts": facet_counts(filterset.qs, "activities", "activity"),
            # The desktop map beside the list; phones never load it (see site.js).
            "map_spec": map_spec_json(folium_map, fit_data=place is None),
            "map_assets": MAP_ASSETS,
        },
        request=request,
    )
    return {
        "content": mark_safe(content),  # rendered by our own autoescaping template
        "place_label": str(place.label) if place else "",
    }


def facet_counts(queryset, relation: str, target: str) -> dict[str, int]:
    """How many of the results have each need (or activity): one grouped query."""
    through = getattr(Organization, relation).through
    rows = (
        through.objects.filter(organization_id__in=queryset.order_by().values("pk"))
        .values_list(f"{target}__slug")
        .annotate(total=Count("organization_id", distinct=True))
        .order_by()
    )
    return dict(rows)


def _choice_labels() -> dict[str, dict[str, str]]:
    return {
        "kind": dict(Organization.Kind.choices),
        "need": dict(NeedSlug.choices),
        "activity": dict(ActivitySlug.choices),
        "province": dict(Province.choices),
        "language": dict(SPOKEN_LANGUAGE_LABELS),
    }


def active_filter_chips(params, errors: dict, place) -> list[dict]:
    """The criteria in force, each with the query string that removes it."""
    labels = _choice_labels()
    chips = []
    for name, values in params.lists():
        if name in errors or name == "page":
            continue
        for value in values:
            if not value:
                continue
            if name == "near":
                label = _("Près de %(place)s") % {"place": place.label if place else value}
            elif name == "radius_km":
                if not place:
                    continue
                label = _("%(radius)s km") % {"radius": value}
            elif name == "q":
                label = _("« %(words)s »") % {"words": value}
            elif name in labels:
                label = str(labels[name].get(value, value))
            elif name == "accepting_requests" and value in ("true", "1", "on"):
                label = _("Accepte des demandes")
            elif name == "open_now" and value in ("true", "1", "on"):
                label = _("Ouvert maintenant")
            else:
                continue
            remaining = params.copy()
            remaining.pop("page", None)
            remaining.setlist(name, [other for other in values if other != value])
            chips.append({"label": label, "querystring": remaining.urlencode()})
    return chips


@require_GET
def organization_detail(request, slug: str):
    organization = organization_get_public(slug)
    languages = [SPOKEN_LANGUAGE_LABELS.get(code, code) for code in organization.language_codes]
    return render(
        request,
        "directory/organization_detail.html",
        {"organization": organization, "languages": languages},
    )


@require_GET
def about(request):
    return render(request, "directory/about.html")


@require_GET
def place_autocomplete(request):
    """Communes and postal codes for the place field (JSON list of {value, label})."""
    return JsonResponse({"results": autocomplete_places(request.GET.get("q", "")[:100])})


@require_GET
def helper_guide(request):
    """ "Je suis un citoyen solidaire": what helpers may do, the limits, and the resources."""
    return render(
        request, "directory/helper_guide.html", {"resource_groups": resource_groups_public()}
    )


def favicon(request):
    """/favicon.ico, asked for by browsers whatever the page says: the site's own icon."""
    return HttpResponseRedirect(static("relais/icons/favicon.ico"))
