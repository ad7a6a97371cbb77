"""The outbox: every e-mail the site sends is a row first, delivered and retried from there."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """An e-mail waiting to be delivered (or delivered): the outbox that makes retries possible."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENT = "sent", _("Envoyé")

    kind = models.CharField(_("type"), max_length=40)
    request = models.ForeignKey(
        # By name: the outbox sits below the contact feature and imports none of it.
        "network.ContactRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    recipients = models.JSONField(_("destinataires"), default=list)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("texte"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    # A worker holding the row until then; another worker leaves it alone meanwhile.
    locked_until = models.DateTimeField(null=True, blank=True)
    # The delivery task holding the lock: run again after its worker died, it may take it back.
    locked_by = models.CharField(max_length=64, blank=True, default="")
    # The exception's class and message with no recipient in it.
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
