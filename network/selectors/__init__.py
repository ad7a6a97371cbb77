"""Reads that carry visibility rules, one module per topic; import them from `network.selectors`."""

from network.selectors.contact_requests import (
    contact_request_get_for_staff,
    contact_request_queue,
    contact_request_queue_counts,
    contact_requests_visible_to,
    undelivered_email_count,
)
from network.selectors.dashboard import (
    Period,
    activity_coverage,
    answer_times,
    counts_by_province,
    default_period,
    listings_to_check,
    requests_per_week,
)
from network.selectors.directory import (
    directory_version,
)
from network.selectors.exports import (
    organization_csv_rows,
    organization_export_queryset,
)
from network.selectors.imports import (
    import_batch_list_recent,
)
from network.selectors.maps import (
    MunicipalityCoverage,
    coverage_rows,
    municipality_coverage,
    need_labels,
    organization_map_rows,
)
from network.selectors.members import (
    contact_requests_for_member,
    membership_list_for_organization,
    membership_list_for_user,
    organization_get_editable,
    organization_list_editable_by,
    organization_list_for_staff,
    user_can_edit_organization,
    user_can_manage_members,
    user_is_staff,
)
from network.selectors.moderation import (
    error_report_list_pending,
    organization_change_list,
    proposal_list_pending,
)
from network.selectors.organizations import (
    organization_get_public,
    organization_list_public,
    organizations_by_name,
    organizations_within,
    stale_cutoff,
    with_staleness,
)
from network.selectors.resources import (
    resource_groups_public,
    resource_list_public,
)
from network.selectors.routing import (
    RoutingCandidate,
    routing_candidates,
    routing_pick_label,
    routing_pick_resolve,
    routing_pick_suggestions,
)
from network.selectors.schedules import (
    opening_state,
    organizations_closed_on,
    organizations_open_at,
    upcoming_closures,
)

__all__ = [
    "MunicipalityCoverage",
    "Period",
    "RoutingCandidate",
    "activity_coverage",
    "answer_times",
    "contact_request_get_for_staff",
    "contact_request_queue",
    "contact_request_queue_counts",
    "contact_requests_for_member",
    "contact_requests_visible_to",
    "counts_by_province",
    "coverage_rows",
    "default_period",
    "directory_version",
    "error_report_list_pending",
    "import_batch_list_recent",
    "listings_to_check",
    "membership_list_for_organization",
    "membership_list_for_user",
    "municipality_coverage",
    "need_labels",
    "opening_state",
    "organization_change_list",
    "organization_csv_rows",
    "organization_export_queryset",
    "organization_get_editable",
    "organization_get_public",
    "organization_list_editable_by",
    "organization_list_for_staff",
    "organization_list_public",
    "organization_map_rows",
    "organizations_by_name",
    "organizations_closed_on",
    "organizations_open_at",
    "organizations_within",
    "proposal_list_pending",
    "requests_per_week",
    "resource_groups_public",
    "resource_list_public",
    "routing_candidates",
    "routing_pick_label",
    "routing_pick_resolve",
    "routing_pick_suggestions",
    "stale_cutoff",
    "undelivered_email_count",
    "upcoming_closures",
    "user_can_edit_organization",
    "user_can_manage_members",
    "user_is_staff",
    "with_staleness",
]
