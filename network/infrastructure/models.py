"""The directory's version: one counter that moves with every write the public search can see."""

from django.db import models
from django.utils import timezone


class DirectoryVersion(models.Model):
    """A single row whose number grows whenever a listing, its relations or the gazetteer change.

    Cached search answers are keyed by this number, so a write makes every older answer
    unreachable at once, in every process and on every machine, without listing the keys.
    It lives in the database (not the cache) so the web workers, the task worker and the
    commands all agree on it, and it moves in the same transaction as the write it reflects.
    """

    SINGLETON_ID = 1

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "version de l'annuaire"

    def __str__(self) -> str:
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
