"""Who should receive a contact request: candidates ranked by area, need, distance and load.

Rules (DESIGN.md, "Routing"): an explicit target that is published and accepting wins. Otherwise
the candidates are published, accepting organisations whose activities or needs match the
intent and that serve the citizen's municipality or lie within the routing radius. They are
ranked by area match, need match, distance, then fewest open requests, and ties are broken by
slug so the same input always gives the same answer.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from maps.distance import bounding_box, haversine_km, haversine_km_expression
from maps.text import fold
from network.contact.models import ContactRequest
from network.listings.models import ActivitySlug, NeedSlug, Organization
from network.listings.schedules import organizations_closed_on
from network.members.models import Membership

Intent = ContactRequest.Intent

# What each intent asks of an organisation: needs it has right now, or activities it runs.
# "other" matches any organisation; the ranking then rests on area and distance alone.
INTENT_NEEDS: dict[str, tuple[str, ...]] = {
    Intent.VOLUNTEER: (NeedSlug.VOLUNTEERS,),
    Intent.HOST: (NeedSlug.HOSTS,),
    Intent.DRIVE: (NeedSlug.DRIVERS,),
    Intent.DONATE: (
        NeedSlug.CLOTHING_DONATIONS,
        NeedSlug.FOOD_DONATIONS,
        NeedSlug.HYGIENE_DONATIONS,
        NeedSlug.FUNDS,
    ),
    Intent.INTERPRET: (NeedSlug.INTERPRETERS,),
    Intent.NEED_HELP: (),
    Intent.OTHER: (),
}
INTENT_ACTIVITIES: dict[str, tuple[str, ...]] = {
    Intent.VOLUNTEER: (
        ActivitySlug.DAY_SUPPORT,
        ActivitySlug.FOOD,
        ActivitySlug.CLOTHING,
        ActivitySlug.HYGIENE,
        ActivitySlug.LANGUAGE,
    ),
    Intent.HOST: (ActivitySlug.SHELTER,),
    Intent.DRIVE: (ActivitySlug.TRANSPORT,),
    Intent.DONATE: (ActivitySlug.CLOTHING, ActivitySlug.FOOD, ActivitySlug.HYGIENE),
    Intent.INTERPRET: (ActivitySlug.LEGAL_INFO, ActivitySlug.HEALTH, ActivitySlug.LANGUAGE),
    Intent.NEED_HELP: (
        ActivitySlug.SHELTER,
        ActivitySlug.FOOD,
        ActivitySlug.DAY_SUPPORT,
        ActivitySlug.HYGIENE,
        ActivitySlug.LEGAL_INFO,
        ActivitySlug.HEALTH,
    ),
    Intent.OTHER: (),
}

OPEN_STATUSES = (ContactRequest.Status.ROUTED, ContactRequest.Status.ACCEPTED)


@dataclass(frozen=True)
class RoutingCandidate:
    """An organisation that could take a request, with what the ranking rests on."""

    organization: Organization
    serves_area: bool
    matching_needs: tuple[str, ...]
    matching_activities: tuple[str, ...]
    distance_km: float | None
    open_requests: int

    @property
    def reason(self) -> str:
        """Why this organisation, in words staff and the organisation can read."""
        parts = []
        if self.matching_needs:
            labels = ", ".join(str(NeedSlug(slug).label).lower() for slug in self.matching_needs)
            parts.append(_("cherche : %(needs)s") % {"needs": labels})
        elif self.matching_activities:
            labels = ", ".join(
                str(ActivitySlug(slug).label).lower() for slug in self.matching_activities
            )
            parts.append(_("activité : %(activities)s") % {"activities": labels})
        if self.serves_area:
            parts.append(_("dessert %(commune)s") % {"commune": self.served_name})
        if self.distance_km is not None:
            parts.append(format_km(self.distance_km))
        return ", ".join(parts)

    served_name: str = ""


def format_km(distance_km: float) -> str:
    """A distance the French way: "4,2 km"."""
    return _("%(km)s km") % {"km": f"{distance_km:.1f}".replace(".", ",")}


def routing_base_queryset() -> QuerySet[Organization]:
    """Organisations that may receive requests now: published, accepting, open today, reachable."""
    has_member = Exists(
        Membership.objects.filter(organization=OuterRef("pk"), user__is_active=True).exclude(
            user__email=""
        )
    )
    # An organisation exceptionally closed today (holidays, "full this week") gets none.
    closed_today = organizations_closed_on(timezone.localdate()).values("pk")
    return (
        Organization.objects.filter(status=Organization.Status.PUBLISHED, accepting_requests=True)
        .exclude(pk__in=closed_today)
        .annotate(has_member=has_member)
        .filter(~Q(routing_email="") | ~Q(email="") | Q(has_member=True))
    )


def organization_can_receive(organization: Organization) -> bool:
    """Whether an explicitly chosen organisation may receive a request now."""
    return routing_base_queryset().filter(pk=organization.pk).exists()


def routing_candidates(
    request: ContactRequest,
    *,
    exclude_ids: set[int] | frozenset[int] = frozenset(),
    limit: int | None = None,
    radius_km: float | None = None,
) -> list[RoutingCandidate]:
    """Ranked organisations that could take this request (best first), excluding some ids.

    The ranking runs in SQL and only the first `limit` rows are loaded: a submission among
    100,000 listings reads a handful of rows, not every organisation of the routing radius.
    """
    radius = radius_km if radius_km is not None else settings.RELAIS_CONTACT_ROUTING_RADIUS_KM
    needs = INTENT_NEEDS.get(request.intent, ())
    activities = INTENT_ACTIVITIES.get(request.intent, ())
    need_rows = Organization.needs.through.objects.filter(
        organization_id=OuterRef("pk"), need__slug__in=needs
    )
    activity_rows = Organization.activities.through.objects.filter(
        organization_id=OuterRef("pk"), activity__slug__in=activities
    )
    queryset = routing_base_queryset().exclude(pk__in=exclude_ids)
    if needs or activities:
        queryset = queryset.filter(Exists(need_rows) | Exists(activity_rows))

    open_requests = (
        ContactRequest.objects.filter(
            assigned_organization=OuterRef("pk"), status__in=OPEN_STATUSES
        )
        .order_by()
        .values("assigned_organization")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = queryset.annotate(
        has_need=Exists(need_rows),
        open_requests=Coalesce(Subquery(open_requests), Value(0)),
    )
    has_point = request.latitude is not None and request.longitude is not None
    if has_point:
        queryset = queryset.annotate(
            distance_km=haversine_km_expression(
                request.latitude, request.longitude, "public_latitude", "public_longitude"
            )
        )
    ranking = [F("has_need").desc()]
    if has_point:
        # To the metre, so that listings at the same point are ranked by load, then slug.
        ranking.append(Round(F("distance_km") * Value(1000.0)).asc())
    ranking += [F("open_requests").asc(), F("slug").asc()]

    # Organisations serving the citizen's commune come first whatever their distance. They are
    # few (the commune's own and those listing it), so they are ranked alone first, each group
    # through its own index; the radius, which holds thousands of listings in a dense region,
    # is searched only if they are too few.
    def ranked_query(candidates: QuerySet[Organization]) -> QuerySet[Organization]:
        return candidates.select_related("municipality").order_by(*ranking)

    def ranked(candidates: QuerySet[Organization]) -> list[Organization]:
        return list(ranked_query(candidates)[:limit])

    organizations: list[Organization] = []
    elsewhere = queryset
    if request.municipality_id is not None:
        commune = request.municipality_id
        listing_it = Organization.area_served.through.objects.filter(
            municipality_id=commune
        ).values("organization_id")
        own = queryset.filter(municipality_id=commune)
        serving = queryset.filter(pk__in=listing_it).exclude(municipality_id=commune)
        organizations = sorted(
            ranked(own) + ranked(serving),
            key=lambda organization: _rank_in_python(organization, has_point),
        )[:limit]
        elsewhere = queryset.exclude(municipality_id=commune).exclude(pk__in=listing_it)
    serving_ids = {organization.pk for organization in organizations}
    if has_point and (limit is None or len(organizations) < limit):
        box = bounding_box(request.latitude, request.longitude, radius)
        nearby = ranked_query(
            elsewhere.filter(box.as_q("public_latitude", "public_longitude")).filter(
                distance_km__lte=radius
            )
        )
        organizations += list(nearby[: limit - len(organizations)] if limit else nearby)
    if not organizations:
        return []

    ids = [organization.pk for organization in organizations]
    needs_by_org: dict[int, set[str]] = {}
    for organization_id, slug in Organization.needs.through.objects.filter(
        organization_id__in=ids, need__slug__in=needs
    ).values_list("organization_id", "need__slug"):
        needs_by_org.setdefault(organization_id, set()).add(slug)
    activities_by_org: dict[int, set[str]] = {}
    for organization_id, slug in Organization.activities.through.objects.filter(
        organization_id__in=ids, activity__slug__in=activities
    ).values_list("organization_id", "activity__slug"):
        activities_by_org.setdefault(organization_id, set()).add(slug)
    served_name = request.municipality.name_fr if request.municipality_id is not None else ""
    return [
        RoutingCandidate(
            organization=organization,
            serves_area=organization.pk in serving_ids,
            matching_needs=tuple(s for s in needs if s in needs_by_org.get(organization.pk, ())),
            matching_activities=tuple(
                s for s in activities if s in activities_by_org.get(organization.pk, ())
            ),
            distance_km=getattr(organization, "distance_km", None),
            open_requests=organization.open_requests,
            served_name=served_name,
        )
        for organization in organizations
    ]


def _rank_in_python(organization: Organization, has_point: bool) -> tuple:
    """The SQL ranking of routing_candidates, to merge rows ranked by separate queries."""
    metres = round(organization.distance_km * 1000) if has_point else 0
    return (not organization.has_need, metres, organization.open_requests, organization.slug)


def candidate_for(request: ContactRequest, organization: Organization) -> RoutingCandidate:
    """The same description for an organisation chosen by hand or by the citizen."""
    distance = None
    if request.latitude is not None and request.longitude is not None:
        distance = haversine_km(
            request.latitude,
            request.longitude,
            organization.public_latitude,
            organization.public_longitude,
        )
    serves = request.municipality_id is not None and (
        organization.municipality_id == request.municipality_id
        or organization.area_served.filter(pk=request.municipality_id).exists()
    )
    needs = INTENT_NEEDS.get(request.intent, ())
    organization_needs = set(organization.needs.values_list("slug", flat=True))
    return RoutingCandidate(
        organization=organization,
        serves_area=serves,
        matching_needs=tuple(s for s in needs if s in organization_needs),
        matching_activities=(),
        distance_km=distance,
        open_requests=organization.assigned_requests.filter(status__in=OPEN_STATUSES).count(),
        served_name=request.municipality.name_fr if request.municipality_id else "",
    )


# Manual routing: staff pick a published organisation by name and commune ---------------------

_PICK_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<commune>[^()]+)\)$")


def routing_pick_label(organization: Organization) -> str:
    """How the organisation picker shows (and reads back) an organisation: "Name (Commune)"."""
    return f"{organization.name} ({organization.municipality.name})"


def routing_pick_suggestions(query: str, *, limit: int = 20) -> list[Organization]:
    """Published organisations whose name, description or commune contains every typed word."""
    words = fold(query).split()
    if not words:
        return []
    organizations = Organization.objects.filter(status=Organization.Status.PUBLISHED)
    for word in words:
        organizations = organizations.filter(
            Q(search_text__contains=word) | Q(municipality__search_name__contains=word)
        )
    return list(organizations.select_related("municipality").order_by("name", "pk")[:limit])


def routing_pick_resolve(text: str, *, limit: int = 10) -> list[Organization]:
    """The published organisations a picker's text designates: one, none, or several (ambiguous).

    Accepts what the picker offers ("Name (Commune)"), an exact name, or an exact URL slug.
    """
    text = " ".join((text or "").split())
    if not text:
        return []
    lookup = Q(slug=text) | Q(name__iexact=text)
    labelled = _PICK_LABEL.match(text)
    if labelled:
        commune = labelled["commune"].strip()
        lookup |= Q(name__iexact=labelled["name"].strip()) & (
            Q(municipality__name_fr__iexact=commune)
            | Q(municipality__name_nl__iexact=commune)
            | Q(municipality__name_de__iexact=commune)
        )
    organizations = Organization.objects.filter(lookup, status=Organization.Status.PUBLISHED)
    matches = list(organizations.select_related("municipality").order_by("name", "pk")[:limit])
    # A full label that names one organisation wins over the same bare name elsewhere.
    if labelled and len(matches) > 1:
        exact = [m for m in matches if routing_pick_label(m).casefold() == text.casefold()]
        if len(exact) == 1:
            return exact
    return matches
