"""Structured opening hours: weekly periods ("permanences") and exceptional closures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.listings.models.organizations import Organization


class Weekday(models.IntegerChoices):
    """Days as Python's date.weekday() numbers them."""

    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class OpeningPeriod(models.Model):
    """One weekly opening: a weekday and a time range, e.g. Tuesday 14:00-18:00."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="opening_periods",
        verbose_name=_("organisation"),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens_at = models.TimeField(_("de"))
    closes_at = models.TimeField(_("à"))
    note = models.CharField(
        _("précision"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple : permanence juridique."),
    )

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")
        indexes = [
            models.Index(fields=["weekday", "opens_at", "closes_at"], name="opening_weekday_time")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("L'heure de fermeture doit suivre l'heure d'ouverture.")}
            )


class Closure(models.Model):
    """An exceptional closure between two dates, inclusive (holidays, "full this week")."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("organisation"),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin de la fermeture doit suivre son début.")})
