"""Template helpers for listings: opening state, upcoming closures, freshness."""

from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from network.listings.schedules import opening_state as opening_state_selector
from network.listings.schedules import upcoming_closures as upcoming_closures_selector

register = template.Library()


@register.simple_tag
def opening_state(organization):
    """{% opening_state organization as state %}: has_hours, is_open, closure."""
    return opening_state_selector(organization)


@register.simple_tag
def upcoming_closures(organization):
    """{% upcoming_closures organization as closures %}: closures under way or to come."""
    return upcoming_closures_selector(organization)


@register.filter
def count_for(counts, key):
    """{{ need_counts|count_for:slug }}: the count for one slug, 0 when absent."""
    return (counts or {}).get(key, 0)


@dataclass(frozen=True)
class Freshness:
    """How recently a listing was confirmed by its organisation, as a short sentence."""

    state: str  # "fresh", "stale" or "unknown"
    text: str


@register.simple_tag
def freshness(organization) -> Freshness:
    """{% freshness organization as fresh %}: « vérifié il y a 3 jours » in the reader's language."""
    stale = getattr(organization, "is_stale", False)
    verified_at = organization.verified_at
    if verified_at is None:
        return Freshness(
            "stale" if stale else "unknown", _("Pas encore vérifié par l'organisation")
        )
    state = "stale" if stale else "fresh"
    if timezone.localdate(verified_at) >= timezone.localdate():
        return Freshness(state, _("Vérifié aujourd'hui"))
    # One unit is enough for a reader ("3 jours", "2 mois"); Django translates the units.
    return Freshness(
        state, _("Vérifié il y a %(delta)s") % {"delta": timesince(verified_at, depth=1)}
    )
