"""Writes and workflow steps, one module per topic; import them from `network.services`."""

from network.services.busy import DatabaseBusy
from network.services.contact_requests import (
    Actor,
    IllegalTransition,
    contact_request_accept,
    contact_request_add_note,
    contact_request_close,
    contact_request_decline,
    contact_request_erase,
    contact_request_expire,
    contact_request_remind,
    contact_request_route,
    contact_request_submit,
    contact_request_withdraw,
    contact_timers_run,
    personal_data_erase,
    personal_data_export,
    purge_personal_data,
)
from network.services.directory import (
    directory_changed,
)
from network.services.freshness import (
    organizations_needing_reminder,
    organizations_send_verification_reminders,
)
from network.services.imports import (
    ImportFileError,
    ImportResult,
    RowError,
    organizations_import_csv,
)
from network.services.members import (
    member_invite,
    member_reinvite,
    member_remove,
)
from network.services.moderation import (
    error_report_decide,
    error_report_submit,
    organization_propose,
    proposal_approve,
    proposal_reject,
)
from network.services.organizations import (
    StaleListingError,
    organization_change_revert,
    organization_create,
    organization_locate,
    organization_mark_verified,
    organization_record_change,
    organization_snapshot,
    organization_update,
    organization_version,
    unique_organization_slug,
)

__all__ = [
    "Actor",
    "DatabaseBusy",
    "IllegalTransition",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "StaleListingError",
    "contact_request_accept",
    "contact_request_add_note",
    "contact_request_close",
    "contact_request_decline",
    "contact_request_erase",
    "contact_request_expire",
    "contact_request_remind",
    "contact_request_route",
    "contact_request_submit",
    "contact_request_withdraw",
    "contact_timers_run",
    "directory_changed",
    "error_report_decide",
    "error_report_submit",
    "member_invite",
    "member_reinvite",
    "member_remove",
    "organization_change_revert",
    "organization_create",
    "organization_locate",
    "organization_mark_verified",
    "organization_propose",
    "organization_record_change",
    "organization_snapshot",
    "organization_update",
    "organization_version",
    "organizations_import_csv",
    "organizations_needing_reminder",
    "organizations_send_verification_reminders",
    "personal_data_erase",
    "personal_data_export",
    "proposal_approve",
    "proposal_reject",
    "purge_personal_data",
    "unique_organization_slug",
]
