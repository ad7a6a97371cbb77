"""Template helpers for listings: opening state and upcoming closures."""

from django import template

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
