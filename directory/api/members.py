"""Member endpoints: a signed-in member reads and updates their own organisation's listing.

Authentication: a token (`Authorization: Token <token>`, from POST /api/v1/auth/token/) or the
member-space session (with its CSRF token for writes). The rules are those of the member
space: the postal code decides the municipality, a typed point must lie in Wallonia, only
municipalities state their commitments, and a listing the user may not edit is a 404.

Concurrent edits: GET of one listing answers its version as `ETag`; a PATCH or PUT carrying it
in `If-Match` is refused with 412 when the listing changed since (nothing is written). Without
`If-Match`, a write replaces only the fields it sends, onto the listing as it is then: what
others changed in other fields is kept, and the fields sent are last-writer-wins.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from directory.api.pagination import slug_or_404
from directory.api.serializers import OrganizationSerializer
from maps.models import Municipality, PostalCode
from network.listings.languages import SPOKEN_LANGUAGE_LABELS
from network.listings.models import ActivitySlug, NeedSlug, Organization
from network.listings.services import (
    StaleListingError,
    organization_mark_verified,
    organization_update,
    organization_version,
)
from network.members.selectors import organization_list_editable_by

# A typed point outside Wallonia (with a margin) is surely a typo or swapped coordinates.
WALLONIA_LATITUDE = (49.3, 51.0)
WALLONIA_LONGITUDE = (2.6, 6.6)
MUNICIPALITY_ONLY_FIELDS = ("hospitable_commune", "facilities")


class MemberOrganizationSerializer(OrganizationSerializer):
    """The listing as its members see it (private fields included) and may change it."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    activities = serializers.ListField(
        child=serializers.ChoiceField(choices=ActivitySlug.choices),
        required=False,
        max_length=len(ActivitySlug),
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedSlug.choices),
        required=False,
        max_length=len(NeedSlug),
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SPOKEN_LANGUAGE_LABELS.items())),
        required=False,
        max_length=len(SPOKEN_LANGUAGE_LABELS),
    )
    area_served = serializers.ListField(
        child=serializers.RegexField(r"^\d{5}$", max_length=5),
        required=False,
        max_length=300,
        help_text=_("Codes REFNIS des communes desservies."),
    )
    temporary_message = serializers.CharField(allow_blank=True, required=False, max_length=300)
    accepting_requests = serializers.BooleanField(required=False)
    schedule = serializers.CharField(allow_blank=True, required=False, max_length=2000)
    email = serializers.EmailField(allow_blank=True, required=False, allow_null=True)
    phone = serializers.CharField(allow_blank=True, required=False, max_length=40, allow_null=True)
    website = serializers.URLField(allow_blank=True, required=False, allow_null=True)
    routing_email = serializers.EmailField(
        allow_blank=True, required=False, help_text=_("Privé : reçoit les demandes routées.")
    )
    address = serializers.CharField(allow_blank=True, required=False, max_length=250)
    postal_code = serializers.RegexField(
        r"^\d{4}$", required=False, help_text=_("Code postal wallon : il détermine la commune.")
    )
    address_visibility = serializers.ChoiceField(
        choices=Organization.AddressVisibility.choices, required=False
    )
    exact_latitude = serializers.FloatField(
        source="latitude",
        required=False,
        allow_null=True,
        help_text=_("Point exact (privé en visibilité « commune »)."),
    )
    exact_longitude = serializers.FloatField(source="longitude", required=False, allow_null=True)
    hospitable_commune = serializers.BooleanField(required=False)
    facilities = serializers.CharField(allow_blank=True, required=False, max_length=300)
    status = serializers.ChoiceField(choices=Organization.Status.choices, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = [
            *OrganizationSerializer.Meta.fields,
            "routing_email", "exact_latitude", "exact_longitude", "address_visibility", "status",
        ]  # fmt: skip
        read_only_fields = [
            "slug", "kind", "kind_label", "municipality", "latitude", "longitude", "location_precision",
            "distance_km", "is_example", "updated_at", "verified_at", "url", "status",
        ]  # fmt: skip

    def to_representation(self, instance):
        # The public representation, plus what only members see.
        data = dict(OrganizationSerializer(instance, context=self.context).data)
        data.update(
            {
                "area_served": [municipality["refnis"] for municipality in data["area_served"]],
                "address": instance.address,
                "postal_code": instance.postal_code,
                "routing_email": instance.routing_email,
                "exact_latitude": instance.latitude,
                "exact_longitude": instance.longitude,
                "address_visibility": instance.address_visibility,
                "status": instance.status,
            }
        )
        return data

    def validate(self, attrs):
        organization: Organization = self.instance
        errors = {}
        for name in MUNICIPALITY_ONLY_FIELDS:
            if name in attrs and organization.kind != Organization.Kind.MUNICIPALITY:
                errors[name] = [_("Réservé aux fiches de communes.")]
        if "postal_code" in attrs:
            candidates = list(
                PostalCode.objects.filter(code=attrs["postal_code"]).select_related("municipality")
            )
            if not candidates:
                errors["postal_code"] = [
                    _("Le code postal %(code)s n'est pas un code postal wallon.")
                    % {"code": attrs["postal_code"]}
                ]
            else:
                # A code shared by two communes keeps the listing's commune when it is one of them.
                match = next(
                    (c for c in candidates if c.municipality_id == organization.municipality_id),
                    candidates[0],
                )
                attrs["municipality"] = match.municipality
        latitude = attrs.get("latitude", organization.latitude)
        longitude = attrs.get("longitude", organization.longitude)
        if ("latitude" in attrs or "longitude" in attrs) and (latitude is None) != (
            longitude is None
        ):
            errors["exact_longitude" if latitude is not None else "exact_latitude"] = [
                _("La latitude et la longitude vont ensemble.")
            ]
        elif (
            latitude is not None
            and ("latitude" in attrs or "longitude" in attrs)
            and not (
                WALLONIA_LATITUDE[0] <= latitude <= WALLONIA_LATITUDE[1]
                and WALLONIA_LONGITUDE[0] <= longitude <= WALLONIA_LONGITUDE[1]
            )
        ):
            errors["exact_latitude"] = [
                _("Cette position n'est pas en Wallonie : vérifiez l'ordre latitude, longitude.")
            ]
        if "area_served" in attrs:
            codes = attrs["area_served"]
            found = {m.refnis: m for m in Municipality.objects.filter(refnis__in=codes)}
            unknown = [code for code in codes if code not in found]
            if unknown:
                errors["area_served"] = [
                    _("Communes wallonnes inconnues : %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            attrs["area_served"] = list(found.values())
        if errors:
            raise ValidationError(errors)
        return attrs

    def update(self, instance, validated_data):
        fields = dict(validated_data)
        if "languages" in fields:
            fields["languages"] = ",".join(dict.fromkeys(fields["languages"]))
        for name in ("email", "phone", "website"):
            if name in fields and fields[name] is None:
                fields[name] = ""
        try:
            return organization_update(instance, **fields, **self.context.get("service_kwargs", {}))
        except StaleListingError:
            raise  # not a bad value: the view answers 412
        except DjangoValidationError as error:
            raise ValidationError(_django_errors(error)) from None


_FIELD_NAMES = {"latitude": "exact_latitude", "longitude": "exact_longitude"}


def _django_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            _FIELD_NAMES.get(name, name): messages for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


class PreconditionFailed(APIException):
    """412: the listing changed since the version given in If-Match; nothing was written."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"
    default_detail = gettext_lazy(
        "Cette fiche a été modifiée depuis la version indiquée dans If-Match : rien n'est "
        "enregistré. Relisez-la (GET, nouvel ETag), refaites vos changements sur cette version, "
        "puis renvoyez-les avec le nouvel ETag."
    )


def etag_of(organization: Organization) -> str:
    """The listing's version as an HTTP entity tag."""
    return quote_etag(organization_version(organization))


def expected_version(request, organization: Organization) -> str | None:
    """The version a write's If-Match requires, None without If-Match (or with "*"), or 412.

    The comparison is strong (a weak W/"…" tag never matches). Checked here so that a stale
    write is refused before its body is validated, and again by the service under the row
    lock, so that a save landing in between is refused too.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    # An unquoted version (copied from a body, say) is taken as the quoted tag it stands for.
    tags = parse_etags(header) or [quote_etag(header.strip())]
    if etag_of(organization) not in tags:
        raise PreconditionFailed()
    return organization_version(organization)


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "L'ETag reçu en lisant la fiche (GET). Si la fiche a changé depuis, la modification "
        "est refusée (412) et rien n'est enregistré. Sans cet en-tête, seuls les champs "
        "envoyés sont remplacés, sur la fiche telle qu'elle est au moment de l'écriture."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Version de la fiche, à renvoyer dans If-Match pour la modifier sans risque.",
    response=[200],
    required=True,
)
STALE = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    description="La fiche a changé depuis la version indiquée dans If-Match : rien n'est enregistré.",
)


@extend_schema_view(
    list=extend_schema(summary="Mes organisations (membre connecté)", tags=["membres"]),
    retrieve=extend_schema(
        summary="Ma fiche, champs privés compris", tags=["membres"], parameters=[ETAG]
    ),
    update=extend_schema(
        summary="Mettre à jour ma fiche (tous les champs)",
        tags=["membres"],
        parameters=[IF_MATCH, ETAG],
        responses={200: MemberOrganizationSerializer, 412: STALE},
    ),
    partial_update=extend_schema(
        summary="Mettre à jour une partie de ma fiche",
        tags=["membres"],
        parameters=[IF_MATCH, ETAG],
        responses={200: MemberOrganizationSerializer, 412: STALE},
    ),
)
class MemberOrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The listings the signed-in member may edit (all of them for staff)."""

    serializer_class = MemberOrganizationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            organization_list_editable_by(self.request.user)
            .select_related("municipality")
            .prefetch_related("activities", "needs", "area_served")
            .order_by("name", "pk")
        )

    def get_object(self):
        slug_or_404(self.kwargs[self.lookup_field])
        return super().get_object()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["service_kwargs"] = self.service_kwargs()
        return context

    def service_kwargs(self) -> dict:
        """Extra arguments for the write services: who acts, for the listing's history."""
        return {"actor": self.request.user}

    def retrieve(self, request, *args, **kwargs):
        organization = self.get_object()
        etag = etag_of(organization)
        # If-None-Match gives a 304 with the same ETag (the client's copy is current).
        response = get_conditional_response(request._request, etag=etag) or Response(
            self.get_serializer(organization).data
        )
        response["ETag"] = etag
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        organization = self.get_object()
        version = expected_version(request, organization)
        serializer = self.get_serializer(organization, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            # The service locks the row and compares the version again: a save that landed
            # after the check above is refused too. Only the fields sent are written.
            organization = serializer.save(expected_version=version)
        except StaleListingError:
            raise PreconditionFailed() from None
        response = Response(self.get_serializer(organization).data)
        response["ETag"] = etag_of(organization)
        return response

    @extend_schema(
        summary="Confirmer que ma fiche est toujours exacte",
        request=None,
        parameters=[IF_MATCH, ETAG],
        responses={200: MemberOrganizationSerializer, 412: STALE},
        tags=["membres"],
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, slug=None):
        organization = self.get_object()
        version = expected_version(request, organization)
        try:
            organization = organization_mark_verified(
                organization, expected_version=version, **self.service_kwargs()
            )
        except StaleListingError:
            raise PreconditionFailed() from None
        response = Response(self.get_serializer(organization).data)
        response["ETag"] = etag_of(organization)
        return response


class TokenView(APIView):
    """Exchange a member's e-mail and password for an API token, or revoke it."""

    permission_classes = []
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        summary="Obtenir un jeton d'API (membres)",
        request=inline_serializer(
            "TokenRequest",
            fields={"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", fields={"token": serializers.CharField()})
        },
        tags=["membres"],
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    """Revoke the token used for this request."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Révoquer mon jeton d'API", request=None, responses={204: None}, tags=["membres"]
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
