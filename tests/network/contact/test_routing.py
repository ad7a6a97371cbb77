"""The routing table: who gets a request, and why, for each kind of situation."""

import pytest

from maps.places import resolve_place
from network.contact.models import ContactRequest
from network.contact.routing import routing_candidates
from network.listings.models import Organization
from tests.factories import OrganizationFactory, real_commune, submit_request

pytestmark = pytest.mark.django_db

Intent = ContactRequest.Intent


def org(slug, commune="Gembloux", *, needs=(), activities=(), area=(), **fields):
    return OrganizationFactory(
        slug=slug,
        name=slug.replace("-", " ").title(),
        municipality=real_commune(commune),
        needs=list(needs),
        activities=list(activities),
        area_served=[real_commune(c) for c in area],
        **fields,
    )


def _spec(slug, commune="Gembloux", **kwargs):
    return (slug, commune, kwargs)


ROUTING_TABLE = [
    pytest.param(
        [_spec("a-drivers", needs=["drivers"]), _spec("b-transport", activities=["transport"])],
        "Gembloux",
        Intent.DRIVE,
        None,
        "a-drivers",
        id="need-match-beats-activity-match",
    ),
    pytest.param(
        [
            _spec("near-namur", "Namur", needs=["drivers"]),
            _spec("serves-gembloux", "Namur", needs=["drivers"], area=["Gembloux"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        None,
        "serves-gembloux",
        id="area-served-beats-distance",
    ),
    pytest.param(
        [
            _spec("local-transport", activities=["transport"]),
            _spec("namur-needs-drivers", "Namur", needs=["drivers"], area=["Gembloux"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        None,
        "namur-needs-drivers",
        id="among-those-serving-the-commune-a-need-beats-living-there",
    ),
    pytest.param(
        [
            _spec("local-transport", activities=["transport"]),
            _spec("sombreffe-needs-drivers", "Sombreffe", needs=["drivers"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        None,
        "local-transport",
        id="serving-the-commune-beats-a-need-next-door",
    ),
    pytest.param(
        [_spec("far", "Namur", needs=["hosts"]), _spec("near", "Sombreffe", needs=["hosts"])],
        "Gembloux",
        Intent.HOST,
        None,
        "near",
        id="nearest-wins-when-neither-serves-the-commune",
    ),
    pytest.param(
        [
            _spec("paused", needs=["drivers"], accepting_requests=False),
            _spec("open-later", "Namur", needs=["drivers"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        None,
        "open-later",
        id="paused-organisation-is-skipped",
    ),
    pytest.param(
        [
            _spec("suspended", needs=["drivers"], status=Organization.Status.SUSPENDED),
            _spec("other", "Namur", needs=["drivers"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        None,
        "other",
        id="suspended-organisation-is-skipped",
    ),
    pytest.param(
        [_spec("pending", needs=["drivers"], status=Organization.Status.PENDING)],
        "Gembloux",
        Intent.DRIVE,
        None,
        None,
        id="pending-only-means-staff-queue",
    ),
    pytest.param(
        [_spec("twin-b", needs=["drivers"]), _spec("twin-a", needs=["drivers"])],
        "Gembloux",
        Intent.DRIVE,
        None,
        "twin-a",
        id="exact-tie-broken-by-slug",
    ),
    pytest.param(
        [_spec("arlon", "Arlon", needs=["drivers"])],
        "Gembloux",
        Intent.DRIVE,
        None,
        None,
        id="nobody-in-range",
    ),
    pytest.param(
        [_spec("clothes", needs=["clothing-donations"])],
        "Gembloux",
        Intent.DRIVE,
        None,
        None,
        id="nobody-matches-the-intent",
    ),
    pytest.param(
        [_spec("chosen", "Namur", needs=["funds"]), _spec("best-match", needs=["drivers"])],
        "Gembloux",
        Intent.DRIVE,
        "chosen",
        "chosen",
        id="explicit-target-wins",
    ),
    pytest.param(
        [
            _spec("chosen-paused", needs=["drivers"], accepting_requests=False),
            _spec("fallback", "Namur", needs=["drivers"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        "chosen-paused",
        "fallback",
        id="target-not-accepting-falls-back-to-routing",
    ),
    pytest.param(
        [
            _spec("no-address", needs=["drivers"], routing_email="", email=""),
            _spec("reachable", "Namur", needs=["drivers"]),
        ],
        "Gembloux",
        Intent.DRIVE,
        None,
        "reachable",
        id="organisation-without-any-address-is-skipped",
    ),
    pytest.param(
        [_spec("anyone", activities=["advocacy"])],
        "Gembloux",
        Intent.OTHER,
        None,
        "anyone",
        id="other-intent-matches-any-nearby-organisation",
    ),
]


@pytest.mark.parametrize(("organizations", "place", "intent", "target", "expected"), ROUTING_TABLE)
def test_routing_table(organizations, place, intent, target, expected):
    created = {slug: org(slug, commune, **kwargs) for slug, commune, kwargs in organizations}
    request = submit_request(place=resolve_place(place), intent=intent, target=created.get(target))
    request.refresh_from_db()
    if expected is None:
        assert request.status == ContactRequest.Status.NEW
        assert request.assigned_organization is None
        assert "l'équipe" in request.routing_reason
    else:
        assert request.status == ContactRequest.Status.ROUTED
        assert request.assigned_organization.slug == expected
        assert request.routing_reason


def test_paused_target_without_a_place_routes_near_the_target():
    paused = org("paused-namur", "Namur", needs=["drivers"], accepting_requests=False)
    org("near-namur", "Namur", needs=["drivers"])
    org("gembloux", "Gembloux", needs=["drivers"])
    request = submit_request(place=None, target=paused)
    assert request.municipality.name_fr == "Namur" and request.place_label == ""
    assert request.assigned_organization.slug == "near-namur"
    assert request.routing_reason.startswith(
        "Paused Namur ne prend pas de demandes pour le moment ; "
    )


def test_ties_on_area_and_need_go_to_the_least_loaded_organisation():
    busy = org("a-busy", needs=["drivers"])
    org("b-idle", needs=["drivers"])
    first = submit_request()
    assert first.assigned_organization == busy  # equal load: slug decides
    second = submit_request(email="autre@example.net")
    assert second.assigned_organization.slug == "b-idle"


def test_reason_names_the_need_the_commune_and_the_distance():
    org("namur-drivers", "Namur", needs=["drivers"], area=["Gembloux"])
    request = submit_request()
    assert request.routing_reason.startswith("cherche : chauffeurs, dessert Gembloux, ")
    assert request.routing_reason.endswith(" km")


def test_ranking_is_deterministic_and_lists_distance():
    for slug, commune in [("x", "Namur"), ("y", "Sombreffe"), ("z", "Gembloux")]:
        org(slug, commune, needs=["drivers"])
    request = submit_request(intent=Intent.DRIVE)
    first = [c.organization.slug for c in routing_candidates(request)]
    second = [c.organization.slug for c in routing_candidates(request)]
    assert first == second == ["z", "y", "x"]
    distances = [c.distance_km for c in routing_candidates(request)]
    assert distances == sorted(distances)


def test_an_organisation_closed_today_is_skipped_and_the_next_one_gets_the_request():
    from datetime import timedelta

    from django.utils import timezone

    from network.listings.models import Closure

    closed = org("closed-namur", "Namur", needs=["drivers"])
    today = timezone.localdate()
    Closure.objects.create(
        organization=closed, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=2)
    )
    org("open-gembloux", "Gembloux", needs=["drivers"])
    request = submit_request(place=resolve_place("Namur"), intent=Intent.DRIVE, target=closed)
    assert request.assigned_organization.slug == "open-gembloux"
