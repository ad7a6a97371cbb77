"""Open Referral HSDS 3.0 endpoints: /hsds/organizations/ and /hsds/services/ with details."""

import math

from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from directory import hsds
from directory.api.conditional import ConditionalGetMixin, make_etag
from network.listings.models import Organization
from network.listings.selectors import organization_list_public

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500

PAGE_PARAMETERS = [
    OpenApiParameter(
        "page", {"type": "integer", "minimum": 1}, description="Numéro de page (à partir de 1)."
    ),
    OpenApiParameter(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        description=f"Éléments par page ({DEFAULT_PER_PAGE} par défaut).",
    ),
]


def hsds_page_schema(name: str):
    """The HSDS API's paginated answer (total_items, page_number, contents...)."""
    return inline_serializer(
        name=name,
        fields={
            "total_items": serializers.IntegerField(),
            "total_pages": serializers.IntegerField(),
            "page_number": serializers.IntegerField(),
            "size": serializers.IntegerField(),
            "first_page": serializers.BooleanField(),
            "last_page": serializers.BooleanField(),
            "empty": serializers.BooleanField(),
            "contents": serializers.ListField(child=serializers.DictField()),
        },
    )


def _page_numbers(request) -> tuple[int, int]:
    errors = {}
    values = {}
    for name, default, maximum in (("page", 1, None), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = request.query_params.get(name)
        if raw is None:
            values[name] = default
            continue
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            errors[name] = [_("Un nombre entier positif est attendu.")]
        elif maximum and int(raw) > maximum:
            errors[name] = [_("%(maximum)s au maximum.") % {"maximum": maximum}]
        else:
            values[name] = int(raw)
    if errors:
        raise ValidationError(errors)
    return values["page"], values["per_page"]


def _page(items: list[dict], total: int, page: int, per_page: int) -> dict:
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "contents": items,
    }


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/") if request else settings.RELAIS_SITE_URL


def hsds_organizations():
    """Published organisations with what an HSDS organisation shows, in a constant number of queries."""
    return organization_list_public().prefetch_related("area_served").order_by("name", "pk")


class _HSDSView(ConditionalGetMixin, APIView):
    def conditional(self, request, *parts, last_modified=None):
        return self.not_modified(request, make_etag(request.get_full_path(), *parts), last_modified)


class HSDSOrganizationList(_HSDSView):
    """Published organisations, HSDS 3.0 list form."""

    @extend_schema(
        summary="HSDS 3.0 : organisations",
        operation_id="hsds_organizations_list",
        parameters=PAGE_PARAMETERS,
        responses={200: hsds_page_schema("HSDSOrganizationPage")},
        tags=["hsds"],
    )
    def get(self, request):
        page, per_page = _page_numbers(request)
        # Only the organisations' own fields are listed: no relation to prefetch.
        queryset = organization_list_public().prefetch_related(None).order_by("name", "pk")
        summary = queryset.aggregate(count=Count("pk"), last=Max("updated_at"))
        not_modified = self.conditional(
            request, summary["count"], summary["last"], last_modified=summary["last"]
        )
        if not_modified is not None:
            return not_modified
        start = (page - 1) * per_page
        base_url = _base_url(request)
        # A page past the end is empty, without asking the database for an absurd offset.
        rows = queryset[start : start + per_page] if start < summary["count"] else []
        items = [hsds.organization_summary(row, base_url) for row in rows]
        return Response(_page(items, summary["count"], page, per_page))


class HSDSOrganizationDetail(_HSDSView):
    """One published organisation with its locations and services, HSDS 3.0 full form."""

    @extend_schema(
        summary="HSDS 3.0 : une organisation et ses services",
        responses={200: OpenApiTypes.OBJECT},
        tags=["hsds"],
    )
    def get(self, request, identifier: str):
        pk = hsds.parse_organization_id(identifier)
        organization = hsds_organizations().filter(pk=pk).first() if pk else None
        if organization is None:
            raise Http404
        not_modified = self.conditional(
            request, organization.updated_at, last_modified=organization.updated_at
        )
        if not_modified is not None:
            return not_modified
        return Response(hsds.organization_full(organization, _base_url(request)))


def _published_services():
    """Organisation-activity links of the publicly listed organisations: one per HSDS service."""
    published = organization_list_public().prefetch_related(None).values("pk")
    return Organization.activities.through.objects.filter(organization__in=published)


class HSDSServiceList(_HSDSView):
    """One service per activity of each published organisation, HSDS 3.0 form."""

    @extend_schema(
        summary="HSDS 3.0 : services (une activité d'une organisation)",
        operation_id="hsds_services_list",
        parameters=PAGE_PARAMETERS,
        responses={200: hsds_page_schema("HSDSServicePage")},
        tags=["hsds"],
    )
    def get(self, request):
        page, per_page = _page_numbers(request)
        links = _published_services()
        summary = links.aggregate(count=Count("pk"), last=Max("organization__updated_at"))
        not_modified = self.conditional(
            request, summary["count"], summary["last"], last_modified=summary["last"]
        )
        if not_modified is not None:
            return not_modified
        start = (page - 1) * per_page
        rows = (
            links.select_related("activity", "organization__municipality")
            .prefetch_related("organization__area_served")
            .order_by("organization__name", "organization_id", "activity__position")[
                start : start + per_page
            ]
            if start < summary["count"]
            else []
        )
        base_url = _base_url(request)
        items = [
            hsds.service(row.organization, row.activity, base_url, with_organization=True)
            for row in rows
        ]
        return Response(_page(items, summary["count"], page, per_page))


class HSDSServiceDetail(_HSDSView):
    """One service: an activity of a published organisation, where and for which communes."""

    @extend_schema(
        summary="HSDS 3.0 : un service",
        responses={200: OpenApiTypes.OBJECT},
        tags=["hsds"],
    )
    def get(self, request, identifier: str):
        parsed = hsds.parse_service_id(identifier)
        if parsed is None:
            raise Http404
        pk, activity_slug = parsed
        organization = hsds_organizations().filter(pk=pk, activities__slug=activity_slug).first()
        if organization is None:
            raise Http404
        activity = next(a for a in organization.activities.all() if a.slug == activity_slug)
        not_modified = self.conditional(
            request, organization.updated_at, last_modified=organization.updated_at
        )
        if not_modified is not None:
            return not_modified
        return Response(
            hsds.service(organization, activity, _base_url(request), with_organization=True)
        )
