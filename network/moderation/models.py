"""The staff moderation queue: organisations proposed by the public and reported errors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.listings.models import Organization


class Decision(models.TextChoices):
    """Where a proposal or a report stands in the moderation queue."""

    PENDING = "pending", _("À traiter")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class ModerationItem(models.Model):
    """What every item of the moderation queue records: its state and the staff decision."""

    status = models.CharField(
        _("état"), max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    # The message e-mailed to the person with the decision.
    decision_message = models.TextField(_("message envoyé"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class OrganizationProposal(ModerationItem):
    """A listing proposed through "Proposer une organisation"; the listing waits as pending."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="proposal",
        verbose_name=_("fiche proposée"),
    )
    # Private: only staff see who proposed a listing.
    proposer_name = models.CharField(_("nom de la personne"), max_length=120)
    proposer_email = models.EmailField(_("e-mail de la personne"))
    proposer_role = models.CharField(_("lien avec l'organisation"), max_length=200, blank=True)

    class Meta(ModerationItem.Meta):
        verbose_name = _("proposition d'organisation")
        verbose_name_plural = _("propositions d'organisations")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_status_display()})"


class ErrorReport(ModerationItem):
    """An error on a public listing, reported through "Signaler une erreur"."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="error_reports",
        verbose_name=_("organisation"),
    )
    message = models.TextField(_("erreur signalée"), max_length=2000)
    # Optional and private: lets staff answer the person who reported the error.
    reporter_email = models.EmailField(_("e-mail de la personne"), blank=True)

    class Meta(ModerationItem.Meta):
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreurs")

    def __str__(self) -> str:
        return f"{self.organization} · {self.created_at:%Y-%m-%d}"
