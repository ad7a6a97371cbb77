"""The history of every listing: who changed what, when, from which value to which."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models.organizations import Organization


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
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("modification de fiche")
        verbose_name_plural = _("historique des fiches")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"
