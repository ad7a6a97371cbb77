"""Models of the coordination, one module per topic; import them from `network.models`."""

from network.models.organizations import Activity, ActivitySlug, Need, NeedSlug, Organization

__all__ = ["Activity", "ActivitySlug", "Need", "NeedSlug", "Organization"]
