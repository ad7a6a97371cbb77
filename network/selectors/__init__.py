"""Reads that carry visibility rules, one module per topic; import them from `network.selectors`."""

from network.selectors.organizations import (
    organization_get_public,
    organization_list_public,
    organizations_within,
)

__all__ = ["organization_get_public", "organization_list_public", "organizations_within"]
