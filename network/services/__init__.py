"""Writes and workflow steps, one module per topic; import them from `network.services`."""

from network.services.organizations import (
    organization_create,
    organization_locate,
    organization_mark_verified,
    organization_update,
    unique_organization_slug,
)

__all__ = [
    "organization_create",
    "organization_locate",
    "organization_mark_verified",
    "organization_update",
    "unique_organization_slug",
]
