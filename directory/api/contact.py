"""POST /api/v1/contact-requests/: the contact form as an API, with the same validation,
protections (honeypot, fill-time token, rate limits, size limits) and service."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.forms import (
    ContactRequestForm,
    RateLimited,
    busy_message,
    client_ip,
    issue_form_token,
)
from network.contact.models import ContactRequest
from network.infrastructure.busy import DatabaseBusy
from network.listings.selectors import organization_list_public

# OpenAPI description (drf-spectacular): the errors come wrapped in {"errors": {field: [...]}}.
_ERRORS = inline_serializer(
    "ContactRequestErrors",
    fields={
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    },
)
_ANSWER = inline_serializer(
    "ContactRequestAnswer",
    fields={
        "reference": serializers.CharField(
            help_text=(
                "Référence à montrer à la personne : l'équipe de coordination retrouve la "
                "demande avec elle."
            )
        ),
        "status": serializers.ChoiceField(choices=ContactRequest.Status.choices),
        "routed_to": serializers.CharField(allow_null=True),
        "receipt_sent": serializers.BooleanField(
            help_text=(
                "Faux quand la personne n'a laissé qu'un téléphone : pas d'accusé de réception, "
                "ni de lien pour retirer la demande ; elle doit garder la référence."
            )
        ),
    },
)
_REQUEST = inline_serializer(
    "ContactRequestSubmission",
    fields={
        "name": serializers.CharField(max_length=100),
        "email": serializers.EmailField(required=False),
        "phone": serializers.CharField(required=False, max_length=30),
        "place": serializers.CharField(required=False, max_length=100),
        "intent": serializers.ChoiceField(choices=ContactRequest.Intent.choices),
        "availability": serializers.CharField(required=False, max_length=300),
        "message": serializers.CharField(required=False, max_length=2000),
        "consent": serializers.BooleanField(),
        "organization": serializers.CharField(
            required=False, help_text="Slug d'une organisation publiée."
        ),
        "form_token": serializers.CharField(
            help_text=(
                "Jeton de GET /api/v1/contact-requests/form-token/. Il sert aussi de clé "
                "d'idempotence : un nouvel envoi avec le même jeton (double clic, nouvel essai "
                "après une coupure) ne crée rien et répond 200 avec le même corps que le premier."
            )
        ),
        "site_web": serializers.CharField(
            required=False, help_text="Piège à robots : laisser vide."
        ),
    },
)

# Largest accepted body: every field at its maximum, with room to spare.
MAX_BODY_BYTES = 16 * 1024


def _answer(contact_request: ContactRequest) -> dict:
    """What the API tells about a request: no personal data, only where it stands."""
    routed = contact_request.status in (
        ContactRequest.Status.ROUTED,
        ContactRequest.Status.ACCEPTED,
    )
    return {
        "reference": contact_request.reference,
        "status": contact_request.status,
        "routed_to": contact_request.assigned_organization.slug
        if routed and contact_request.assigned_organization
        else None,
        # The receipt (and its withdraw link) goes by e-mail only.
        "receipt_sent": bool(contact_request.email),
    }


class ContactRequestFormTokenView(APIView):
    """GET a fresh form token: send it back as `form_token` after at least min_fill_seconds."""

    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        summary="Jeton pour soumettre une demande de contact",
        responses={
            200: inline_serializer(
                "ContactRequestFormToken",
                fields={
                    "form_token": serializers.CharField(),
                    "min_fill_seconds": serializers.FloatField(),
                },
            )
        },
        tags=["contact"],
    )
    def get(self, request):
        return Response(
            {
                "form_token": issue_form_token(),
                "min_fill_seconds": settings.RELAIS_CONTACT_MIN_FILL_SECONDS,
            },
            headers={"Cache-Control": "no-store"},
        )


class ContactRequestCreateView(APIView):
    """Submit a contact request; answers its reference, status and routed_to (slug or null)."""

    # No session authentication, hence no CSRF: the form token and rate limits protect it.
    authentication_classes: list = []
    permission_classes: list = []
    # Its own limits (per IP and per e-mail, RELAIS_CONTACT_RATE_*) apply, not the read API's.
    throttle_classes: list = []

    @extend_schema(
        summary="Demander à être mis en contact avec un collectif",
        request=_REQUEST,
        responses={
            200: _ANSWER,
            201: _ANSWER,
            400: _ERRORS,
            413: _ERRORS,
            429: _ERRORS,
            503: _ERRORS,
        },
        tags=["contact"],
    )
    def post(self, request):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY_BYTES:
            return Response(
                {"errors": {"__all__": [_("Demande trop volumineuse.")]}},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            data = request.data
        except ParseError:
            return Response(
                {"errors": {"__all__": [_("Le corps doit être un objet JSON valide.")]}}, status=400
            )
        if not hasattr(data, "get"):
            return Response(
                {"errors": {"__all__": [_("Le corps doit être un objet JSON.")]}}, status=400
            )
        target = None
        slug = data.get("organization")
        if slug:
            target = organization_list_public().filter(slug=str(slug)[:220]).first()
            if target is None:
                return Response(
                    {
                        "errors": {
                            "organization": [
                                _("Organisation inconnue : « %(slug)s ».")
                                % {"slug": str(slug)[:60]}
                            ]
                        }
                    },
                    status=400,
                )
        form = ContactRequestForm(data, target=target)
        if not form.is_valid():
            return Response({"errors": _flatten(form.errors)}, status=400)
        try:
            contact_request = form.submit(
                source=ContactRequest.Source.API, ip=client_ip(request.META)
            )
        except RateLimited:
            return Response(
                {
                    "errors": {
                        "__all__": [
                            _(
                                "Trop de demandes depuis cette connexion "
                                "ou avec cette adresse e-mail. "
                                "Réessayez dans une heure."
                            )
                        ]
                    }
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        except ValidationError as invalid:
            return Response({"errors": {"__all__": invalid.messages}}, status=400)
        except DatabaseBusy as busy:
            # Nothing was written: the same body (same form token) may simply be sent again.
            return Response(
                {"errors": {"__all__": [busy_message()]}},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": str(busy.retry_after)},
            )
        contact_request.refresh_from_db()
        return Response(_answer(contact_request), status=200 if form.replayed else 201)


def _flatten(errors) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in errors.items()}
