"""The listings' tables: organisations and their taxonomy, opening hours, history and imports."""

from network.listings.models.history import ImportBatch, OrganizationChange
from network.listings.models.organizations import (
    Activity,
    ActivitySlug,
    Need,
    NeedSlug,
    Organization,
)
from network.listings.models.schedules import Closure, OpeningPeriod, Weekday

__all__ = [
    "Activity",
    "ActivitySlug",
    "Closure",
    "ImportBatch",
    "Need",
    "NeedSlug",
    "OpeningPeriod",
    "Organization",
    "OrganizationChange",
    "Weekday",
]
