"""A citizen's request arrives: recorded, routed at once when a collective fits, receipt queued."""

from hashlib import sha256
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maps.places import Place
from network.contact.models import ContactRequest, ContactRequestEvent
from network.contact.routing import candidate_for, organization_can_receive, routing_candidates
from network.contact.transitions import SYSTEM, Actor, assign, record_event, request_context
from network.infrastructure.busy import retry_when_busy
from network.listings.models import Organization
from network.outbox.services import email_send

Status = ContactRequest.Status


def submission_key_for(token_nonce: str) -> str:
    """The stored form of a form token's nonce (a hash: the raw value stays with the browser)."""
    return sha256(token_nonce.encode()).hexdigest()


def contact_request_submit(
    *,
    source: str,
    intent: str,
    name: str,
    email: str = "",
    phone: str = "",
    place: Place | None = None,
    availability: str = "",
    message: str = "",
    consent: bool,
    target: Organization | None = None,
    submission_key: str | None = None,
) -> ContactRequest:
    """Record a citizen's request, route it at once if possible, and queue the receipt.

    A second submission with the same `submission_key` (double click, replay) returns the first
    request instead of creating another. Raises DatabaseBusy when SQLite stays locked by other
    writers past the retries: nothing is written then.
    """
    if submission_key:
        existing = ContactRequest.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if not consent:
        raise ValidationError(
            {"consent": _("Votre accord est nécessaire pour transmettre votre demande.")}
        )
    if not (email or phone):
        raise ValidationError(
            {"email": _("Indiquez une adresse e-mail ou un numéro de téléphone.")}
        )
    try:
        # A busy SQLite database is tried again; DatabaseBusy (for a 503) when it stays busy.
        return retry_when_busy(
            lambda: _submit(
                source=source,
                intent=intent,
                name=name,
                email=email,
                phone=phone,
                place=place,
                availability=availability,
                message=message,
                target=target,
                submission_key=submission_key,
            )
        )
    except IntegrityError:
        # The same form token arrived twice at the same moment: the other one won.
        existing = (
            ContactRequest.objects.filter(submission_key=submission_key).first()
            if submission_key
            else None
        )
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submit(*, place: Place | None, target: Organization | None, **fields: Any) -> ContactRequest:
    request = ContactRequest(
        consent_at=timezone.now(),
        target_organization=target,
        place_label=place.label[:120] if place else "",
        municipality_id=place.municipality_id if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        **fields,
    )
    if place is None and target is not None:
        # No place typed on a collective's form: its commune (public point) stands in, so the
        # request can still be routed nearby if that collective cannot take it.
        request.municipality_id = target.municipality_id
        request.latitude, request.longitude = target.public_latitude, target.public_longitude
    while ContactRequest.objects.filter(reference=request.reference).exists():
        request.reference = ContactRequest._meta.get_field("reference").default()
    # Uniqueness is the database's job here: a concurrent twin raises IntegrityError, handled above.
    request.full_clean(validate_unique=False)
    request.save()
    record_event(
        request,
        Actor(
            label=_("la personne (formulaire)")
            if request.source != "api"
            else _("la personne (API)")
        ),
        from_status="",
        to_status=Status.NEW,
    )
    _route_automatically(request)
    email_send(
        "contactrequest_receipt",
        [request.email],
        request_context(request),
        kind="receipt",
        request=request,
    )
    return request


def _route_automatically(request: ContactRequest) -> None:
    target = request.target_organization
    prefix = ""
    if target is not None:
        if organization_can_receive(target):
            described = candidate_for(request, target).reason
            reason = _("choisi par la personne") + (f", {described}" if described else "")
            assign(request, target, reason=reason, actor=SYSTEM)
            return
        prefix = _("%(name)s ne prend pas de demandes pour le moment ; ") % {"name": target.name}
    exclude = {target.pk} if target is not None else set()
    candidates = routing_candidates(request, exclude_ids=exclude, limit=1)
    if candidates:
        assign(
            request, candidates[0].organization, reason=prefix + candidates[0].reason, actor=SYSTEM
        )
        return
    request.routing_reason = (
        prefix
        + _("aucun collectif correspondant dans un rayon de %(km)s km : à router par l'équipe")
        % {"km": f"{settings.RELAIS_CONTACT_ROUTING_RADIUS_KM:g}"}
    )[:300]
    request.save(update_fields=["routing_reason", "updated_at"])
    # The request stays "new": an event of its own kind, not a status change.
    record_event(
        request,
        SYSTEM,
        from_status=Status.NEW,
        to_status=Status.NEW,
        reason=request.routing_reason,
        kind=ContactRequestEvent.Kind.UNROUTED,
    )
