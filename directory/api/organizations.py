"""Public organisation endpoints: the filtered list (JSON or GeoJSON) and one listing."""

from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from directory.api.conditional import ConditionalGetMixin, make_etag
from directory.api.geojson import (
    FEATURE_COLLECTION_SCHEMA,
    FEATURE_SCHEMA,
    GeoJSONRenderer,
    feature_collection,
)
from directory.api.pagination import slug_or_404
from directory.api.serializers import OrganizationSerializer
from directory.filters import OrganizationFilterSet, place_not_found
from directory.search_cache import search_answer_key
from network.listings.selectors import organization_get_public, organization_list_public

# The browsable API's HTML carries a CSRF token and the user's name: never shared.
CACHED_FORMATS = frozenset({"json", "geojson"})

LIST_DESCRIPTION = """Organisations publiées, avec les filtres de la page de recherche.

- Avec `near` (code postal, commune ou « latitude,longitude »), chaque élément porte
  `distance_km` et la liste est triée par distance ; `radius_km` vaut 20 par défaut, 100 au plus.
- `?format=geojson` renvoie une FeatureCollection (mêmes filtres ; 500 points par page par
  défaut, `page_size` jusqu'à 1000).
- Une adresse « commune seulement » donne le point de la commune, jamais le point réel.
- Un paramètre invalide donne une erreur 400 avec un message par champ. Pour un lieu `near`
  introuvable, la réponse porte aussi `suggestions` : `[{name, commune, query}]`, les lieux
  proches par l'orthographe ; `query` est la valeur de `near` qui trouve ce lieu.
"""


class SearchFilterBackend(DjangoFilterBackend):
    """django-filter's backend, whose 400 for a place not found also lists the suggestions."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if filterset.is_valid():
            return filterset.qs
        error = translate_validation(filterset.errors)
        not_found = place_not_found(filterset.form)
        if not_found is None or not not_found.params["suggestions"]:
            raise error
        suggestions = [suggestion.as_dict() for suggestion in not_found.params["suggestions"]]
        raise ValidationError({**error.detail, "suggestions": suggestions})


@extend_schema_view(
    list=extend_schema(
        summary="Rechercher des organisations",
        description=LIST_DESCRIPTION,
        # Bounds the FilterSet enforces, written out so clients (and schemathesis) know them.
        parameters=[
            OpenApiParameter(
                "near",
                {"type": "string", "maxLength": 100},
                description="Code postal wallon, commune ou « latitude,longitude ». Un lieu inconnu donne une erreur 400.",
            ),
            OpenApiParameter(
                "radius_km",
                {"type": "number", "minimum": 1, "maximum": 100, "default": 20},
                description="Rayon de recherche autour de `near`, en km.",
            ),
            OpenApiParameter("q", {"type": "string", "maxLength": 100}, description="Mots-clés."),
            OpenApiParameter(
                "municipality",
                {"type": "string", "maxLength": 5},
                description="Code REFNIS d'une commune : organisations qui y sont ou qui la desservent.",
            ),
        ],
        responses=OrganizationSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Une organisation publiée",
        responses=OrganizationSerializer,
    ),
)
class OrganizationViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Published organisations; private fields and exact private points never leave the server."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    filter_backends = [SearchFilterBackend]
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]
    lookup_field = "slug"
    # Any slug-looking text reaches the view, so a bad one is a JSON 404 and not an HTML page.
    lookup_value_regex = "[^/]+"

    def geojson_schema(self) -> dict:
        """The OpenAPI schema of this action's GeoJSON answer."""
        return FEATURE_COLLECTION_SCHEMA if self.action == "list" else FEATURE_SCHEMA

    def get_queryset(self):
        return organization_list_public().prefetch_related("area_served")

    def filter_queryset(self, queryset):
        # Search filters narrow the list; a listing is found by its slug alone.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format not in CACHED_FORMATS:
            return self.search_answer(request)
        key = search_answer_key(request, "api-organizations", request.accepted_renderer.format)
        not_modified = self.not_modified(request, key.etag, key.last_modified)
        if not_modified is not None:
            return not_modified
        cached = key.get()
        if cached is not None:
            content_type, body = cached
            return HttpResponse(body, content_type=content_type)
        response = self.search_answer(request)
        response.add_post_render_callback(
            lambda rendered: key.store((rendered["Content-Type"], rendered.content))
        )
        return response

    def search_answer(self, request):
        """The filtered, paginated list, computed from the database."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = self.get_serializer(page, many=True).data
        if request.accepted_renderer.format == "geojson":
            return Response(
                feature_collection(
                    items,
                    count=self.paginator.page.paginator.count,
                    next_url=self.paginator.get_next_link(),
                    previous_url=self.paginator.get_previous_link(),
                ),
                content_type=GeoJSONRenderer.media_type,
            )
        return self.get_paginated_response(items)

    def retrieve(self, request, *args, **kwargs):
        organization = organization_get_public(slug_or_404(kwargs[self.lookup_field]))
        etag = make_etag(
            "organization",
            organization.pk,
            organization.updated_at,
            request.accepted_renderer.format,
        )
        not_modified = self.not_modified(request, etag, organization.updated_at)
        if not_modified is not None:
            return not_modified
        data = self.get_serializer(organization).data
        if request.accepted_renderer.format == "geojson":
            return Response(
                feature_collection([data], count=1, next_url=None, previous_url=None)["features"][
                    0
                ],
                content_type=GeoJSONRenderer.media_type,
            )
        return Response(data)
