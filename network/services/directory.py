"""Moving the directory version, which retires every cached search answer at once."""

from django.db.models import F
from django.utils import timezone

from network.models import DirectoryVersion


def directory_changed() -> None:
    """Record that something the public search shows has changed.

    Runs inside the caller's transaction: if the write rolls back, so does the new version, and
    no reader can see the new data under the old version. Saves, deletions and relation changes
    of the directory's models call this through the signals wired in network/apps.py; bulk
    writes (imports), which send no signals, call it themselves.
    """
    updated = DirectoryVersion.objects.filter(pk=DirectoryVersion.SINGLETON_ID).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not updated:
        # A database created without migrations' data (e.g. flushed by a test): start at 1.
        DirectoryVersion.objects.get_or_create(
            pk=DirectoryVersion.SINGLETON_ID, defaults={"number": 1}
        )
