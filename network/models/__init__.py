"""Models of the coordination, one module per topic; import them from `network.models`."""

from network.models.contact_requests import (
    ContactAnswerLink,
    ContactRequest,
    ContactRequestEvent,
    ContactRequestNote,
    OutboundEmail,
)
from network.models.directory import (
    DirectoryVersion,
)
from network.models.history import (
    ImportBatch,
    OrganizationChange,
)
from network.models.members import (
    Membership,
)
from network.models.moderation import (
    Decision,
    ErrorReport,
    OrganizationProposal,
)
from network.models.organizations import (
    Activity,
    ActivitySlug,
    Need,
    NeedSlug,
    Organization,
)
from network.models.resources import (
    Resource,
)
from network.models.schedules import (
    Closure,
    OpeningPeriod,
    Weekday,
)

__all__ = [
    "Activity",
    "ActivitySlug",
    "Closure",
    "ContactAnswerLink",
    "ContactRequest",
    "ContactRequestEvent",
    "ContactRequestNote",
    "Decision",
    "DirectoryVersion",
    "ErrorReport",
    "ImportBatch",
    "Membership",
    "Need",
    "NeedSlug",
    "OpeningPeriod",
    "Organization",
    "OrganizationChange",
    "OrganizationProposal",
    "OutboundEmail",
    "Resource",
    "Weekday",
]
