"""The history of every listing: who changed what, when, from which value to which."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.listings.models.organizations import Organization


class ImportBatch(models.Model):
    """One CSV import as a whole: who ran it, when, from which file, what it did; undoable at once.

    `created_at` is also the `updated_at` the import gave every listing it wrote, so a listing
    whose `updated_at` moved since was changed by someone after the import.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importé par"),
    )
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    file_name = models.CharField(_("fichier"), max_length=200, blank=True)
    total = models.PositiveIntegerField(_("lignes"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    skipped = models.PositiveIntegerField(_("laissées telles quelles"), default=0)
    invalid = models.PositiveIntegerField(_("invalides"), default=0)
    undone_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annulé par"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import CSV")
        verbose_name_plural = _("imports CSV")

    def __str__(self) -> str:
        return f"{self.file_name or '—'} · {self.created_at:%Y-%m-%d %H:%M}"


class OrganizationChange(models.Model):
    """One recorded change of a listing; `changes` maps a field name to [old, new].

    Values are stored in a JSON-friendly form: plain values, municipality REFNIS codes, and
    sorted lists of slugs or REFNIS codes for activities, needs and the area served.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Création")
        UPDATED = "updated", _("Modification")
        VERIFIED = "verified", _("Confirmée à jour")
        REVERTED = "reverted", _("Annulation d'une modification")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("organisation"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organization_changes",
        verbose_name=_("auteur"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.UPDATED)
    changes = models.JSONField(_("changements"), default=dict, blank=True)
    reverts = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reverted_by",
        verbose_name=_("annule"),
    )
    # The import this change was part of: the history shows it, and undoes it, as one batch.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("modification de fiche")
        verbose_name_plural = _("historique des fiches")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"
