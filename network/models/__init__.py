"""Models of the coordination, one module per topic; import them from `network.models`."""

from network.models.members import Membership
from network.models.organizations import Activity, ActivitySlug, Need, NeedSlug, Organization
from network.models.resources import Resource
from network.models.schedules import Closure, OpeningPeriod, Weekday

__all__ = [
    "Activity",
    "ActivitySlug",
    "Closure",
    "Membership",
    "Need",
    "NeedSlug",
    "OpeningPeriod",
    "Organization",
    "Resource",
    "Weekday",
]
