"""Reads that carry visibility rules, one module per topic; import them from `network.selectors`."""

from network.selectors.contact_requests import (
    contact_request_get_for_staff,
    contact_request_queue,
    contact_request_queue_counts,
    contact_requests_visible_to,
    undelivered_email_count,
)
from network.selectors.maps import (
    MunicipalityCoverage,
    coverage_rows,
    municipality_coverage,
    need_labels,
    organization_map_rows,
)
from network.selectors.organizations import (
    organization_get_public,
    organization_list_public,
    organizations_within,
)
from network.selectors.resources import resource_groups_public, resource_list_public
from network.selectors.routing import RoutingCandidate, routing_candidates
from network.selectors.schedules import (
    opening_state,
    organizations_closed_on,
    organizations_open_at,
    upcoming_closures,
)

__all__ = [
    "MunicipalityCoverage",
    "RoutingCandidate",
    "contact_request_get_for_staff",
    "contact_request_queue",
    "contact_request_queue_counts",
    "contact_requests_visible_to",
    "coverage_rows",
    "municipality_coverage",
    "need_labels",
    "opening_state",
    "organization_get_public",
    "organization_list_public",
    "organization_map_rows",
    "organizations_closed_on",
    "organizations_open_at",
    "organizations_within",
    "resource_groups_public",
    "resource_list_public",
    "routing_candidates",
    "undelivered_email_count",
    "upcoming_closures",
]
