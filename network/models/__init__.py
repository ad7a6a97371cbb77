"""The app's model registry: Django loads `network.models`, which loads every feature's models.

Each model lives in its feature package (network/<feature>/models.py) and is imported from
there; this module only makes sure all of them are registered under the "network" app label
before migrations or the admin look for them. Code outside this module imports a model from its
feature, never from here, so that the feature packages keep their order (pyproject.toml).
"""

from network.contact.models import (
    ContactAnswerLink,
    ContactRequest,
    ContactRequestEvent,
    ContactRequestNote,
)
from network.infrastructure.models import DirectoryVersion
from network.listings.models import (
    Activity,
    Closure,
    ImportBatch,
    Need,
    OpeningPeriod,
    Organization,
    OrganizationChange,
)
from network.members.models import Membership
from network.moderation.models import Decision, ErrorReport, OrganizationProposal
from network.outbox.models import OutboundEmail
from network.resources.models import Resource

__all__ = [
    "Activity",
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
    "OpeningPeriod",
    "Organization",
    "OrganizationChange",
    "OrganizationProposal",
    "OutboundEmail",
    "Resource",
]
