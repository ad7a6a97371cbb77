"""Reads that carry visibility rules, one module per topic; import them from `network.selectors`."""

from network.selectors.organizations import (
    organization_get_public,
    organization_list_public,
    organizations_within,
)
from network.selectors.resources import resource_groups_public, resource_list_public

__all__ = [
    "organization_get_public",
    "organization_list_public",
    "organizations_within",
    "resource_groups_public",
    "resource_list_public",
]
