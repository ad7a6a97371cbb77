"""Reference data: municipalities (autocomplete), activities and needs."""

import json
import re

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from directory.api.conditional import ConditionalGetMixin, make_etag
from directory.api.serializers import MunicipalitySerializer, TaxonomyTermSerializer
from maps.models import Municipality, PostalCode
from maps.text import fold
from network.listings.models import Activity, Need

MAX_QUERY_LENGTH = 100


class ContentETagMixin(ConditionalGetMixin):
    """ETag computed from the serialized data itself, for small reference lists."""

    def respond(self, request, data):
        etag = make_etag(request.get_full_path(), json.dumps(data, sort_keys=True, default=str))
        not_modified = self.not_modified(request, etag, None)
        return not_modified if not_modified is not None else Response(data)


@extend_schema(
    summary="Communes wallonnes (autocomplétion)",
    description="Communes dont le nom, le nom d'une localité ou un code postal commence par `q`.",
    parameters=[
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            description="Début d'un nom de commune ou d'un code postal.",
        ),
    ],
)
class MunicipalityList(ContentETagMixin, generics.ListAPIView):
    """The 261 Walloon municipalities, or those matching the start of a name or postal code."""

    serializer_class = MunicipalitySerializer
    filter_backends = []

    def get_queryset(self):
        queryset = Municipality.objects.prefetch_related("postal_codes").order_by("name_fr", "pk")
        text = self.request.query_params.get("q", "").strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise ValidationError({"q": [_("100 caractères au maximum.")]})
        if not text:
            return queryset
        if text.isascii() and text.isdigit():
            codes = PostalCode.objects.filter(code__startswith=text[:4]).values("municipality_id")
            return queryset.filter(pk__in=codes)
        folded = fold(text)
        if not folded:
            return queryset.none()
        localities = PostalCode.objects.filter(search_locality__startswith=folded).values(
            "municipality_id"
        )
        return queryset.filter(Q(search_name__startswith=folded) | Q(pk__in=localities))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.respond(
            request, self.get_paginated_response(self.get_serializer(page, many=True).data).data
        )


@extend_schema(summary="Une commune wallonne par son code REFNIS")
class MunicipalityDetail(ContentETagMixin, generics.RetrieveAPIView):
    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.prefetch_related("postal_codes")
    lookup_field = "refnis"

    def retrieve(self, request, *args, **kwargs):
        if not re.fullmatch(r"[0-9]{5}", kwargs["refnis"]):
            raise Http404
        return self.respond(request, self.get_serializer(self.get_object()).data)


class _TermList(ContentETagMixin, generics.ListAPIView):
    serializer_class = TaxonomyTermSerializer
    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        return self.respond(request, self.get_serializer(self.get_queryset(), many=True).data)


@extend_schema(summary="Activités (slugs stables, libellés traduits)")
class ActivityList(_TermList):
    queryset = Activity.objects.order_by("position")


@extend_schema(summary="Besoins (slugs stables, libellés traduits)")
class NeedList(_TermList):
    queryset = Need.objects.order_by("position")
