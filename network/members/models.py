"""Who belongs to which organisation, and with what role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.listings.models import Organization


class Membership(models.Model):
    """A user's place in an organisation: admins also manage the organisation's editors."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrateur")
        EDITOR = "editor", _("Éditeur")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utilisateur"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_membership_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} ({self.get_role_display()})"
