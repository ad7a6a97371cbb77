"""Every save, deletion or relation change the public search can see moves the directory version.

Why signals here, where the services are the rule for writes: the search cache must never serve
an answer older than the directory, whatever wrote to it (a service, the admin, a revert, a
command, the shell). Signals are the one hook every ORM save passes through. Bulk writes send no
signals; the services that use them call directory_changed() themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from maps.models import Municipality, PostalCode
from network.infrastructure.directory_version import directory_changed
from network.listings.models import Activity, Closure, Need, OpeningPeriod, Organization

# Fields a save may touch without changing anything the public sees.
PRIVATE_ONLY_FIELDS = frozenset({"verification_reminded_at"})

WATCHED_MODELS = (Organization, Activity, Need, OpeningPeriod, Closure, Municipality, PostalCode)
WATCHED_RELATIONS = (
    Organization.activities.through,
    Organization.needs.through,
    Organization.area_served.through,
)


def _saved(sender, update_fields=None, raw=False, **kwargs) -> None:
    if raw:  # Fixtures being loaded: the data is not live yet.
        return
    if update_fields and set(update_fields) <= PRIVATE_ONLY_FIELDS:
        return
    directory_changed()


def _deleted(sender, **kwargs) -> None:
    directory_changed()


def _relations_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        directory_changed()


def connect() -> None:
    """Wire the handlers; called once from NetworkConfig.ready()."""
    for model in WATCHED_MODELS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"directory-saved-{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"directory-deleted-{model.__name__}"
        )
    for through in WATCHED_RELATIONS:
        m2m_changed.connect(
            _relations_changed,
            sender=through,
            dispatch_uid=f"directory-relation-{through.__name__}",
        )
