"""Serializers of the public API. They only shape data: visibility rules live in selectors.

Privacy: the public serializers have no field for routing_email, members, or the exact point
of a commune-visibility address. Coordinates always come from public_latitude/public_longitude.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from maps.models import Municipality, Province
from network.listings.models import ActivitySlug, NeedSlug, Organization


class TaxonomyTermSerializer(serializers.Serializer):
    """An activity or a need: a stable slug and its translated label."""

    slug = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class MunicipalitySerializer(serializers.ModelSerializer):
    """A Walloon municipality of the gazetteer, with its postal codes."""

    name = serializers.CharField(source="name_fr", read_only=True)
    province = serializers.ChoiceField(choices=Province.choices, read_only=True)
    postal_codes = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = [
            "refnis",
            "name",
            "name_nl",
            "name_de",
            "province",
            "latitude",
            "longitude",
            "postal_codes",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_postal_codes(self, municipality: Municipality) -> list[str]:
        return sorted({postal_code.code for postal_code in municipality.postal_codes.all()})


class MunicipalitySummarySerializer(serializers.ModelSerializer):
    """The municipality of an organisation or of its area served."""

    name = serializers.CharField(source="name_fr", read_only=True)
    province = serializers.ChoiceField(choices=Province.choices, read_only=True)

    class Meta:
        model = Municipality
        fields = ["refnis", "name", "province"]
        read_only_fields = fields


class OrganizationSerializer(serializers.ModelSerializer):
    """A published organisation as the public may see it."""

    kind = serializers.ChoiceField(choices=Organization.Kind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    activities = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()
    languages = serializers.ListField(
        source="language_codes", child=serializers.CharField(), read_only=True
    )
    municipality = MunicipalitySummarySerializer(read_only=True)
    area_served = MunicipalitySummarySerializer(many=True, read_only=True)
    address = serializers.SerializerMethodField()
    postal_code = serializers.SerializerMethodField()
    latitude = serializers.FloatField(source="public_latitude", read_only=True)
    longitude = serializers.FloatField(source="public_longitude", read_only=True)
    location_precision = serializers.SerializerMethodField(
        help_text=_(
            "« exact » : le point est l'adresse publique ; « municipality » : le point est celui de la commune."
        )
    )
    distance_km = serializers.SerializerMethodField(
        help_text=_("Distance en km depuis le lieu `near` (absente sans `near`).")
    )
    url = serializers.SerializerMethodField()
    # Empty contact fields are null rather than "", which is no valid e-mail or URL.
    email = serializers.EmailField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)
    website = serializers.URLField(read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "slug", "name", "kind", "kind_label", "description", "activities", "needs", "languages",
            "municipality", "area_served", "address", "postal_code", "latitude", "longitude",
            "location_precision", "distance_km", "email", "phone", "website", "schedule",
            "temporary_message", "accepting_requests", "hospitable_commune", "facilities",
            "is_example", "updated_at", "verified_at", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("email", "phone", "website"):
            data[name] = data[name] or None
        return data

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ActivitySlug.choices))
    )
    def get_activities(self, organization: Organization) -> list[str]:
        return [activity.slug for activity in organization.activities.all()]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=NeedSlug.choices))
    )
    def get_needs(self, organization: Organization) -> list[str]:
        return [need.slug for need in organization.needs.all()]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address(self, organization: Organization) -> str | None:
        if organization.address_visibility != Organization.AddressVisibility.EXACT:
            return None
        return organization.address or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_postal_code(self, organization: Organization) -> str | None:
        if organization.address_visibility != Organization.AddressVisibility.EXACT:
            return None
        return organization.postal_code or None

    @extend_schema_field(serializers.ChoiceField(choices=["exact", "municipality"]))
    def get_location_precision(self, organization: Organization) -> str:
        return "exact" if organization.shows_exact_point else "municipality"

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, organization: Organization) -> float | None:
        distance = getattr(organization, "distance_km", None)
        return round(distance, 2) if distance is not None else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, organization: Organization) -> str:
        path = reverse("directory:organization_detail", args=[organization.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
