"""Resources for helpers: guides, rights, contacts, kept by staff."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RESOURCE_MAX_BYTES = 10 * 1024 * 1024


def validate_pdf_size(file) -> None:
    """Refuse uploads above 10 MB: these are guides, not archives."""
    if file.size > RESOURCE_MAX_BYTES:
        raise ValidationError(_("Le fichier dépasse 10 Mo."))


class Resource(models.Model):
    """A link or a PDF that helps citizens help within the law."""

    class Category(models.TextChoices):
        HELPERS_RIGHTS = "helpers-rights", _("Droits des aidants")
        HOSTING = "hosting", _("Hébergement")
        HEALTH = "health", _("Santé")
        ASYLUM = "asylum", _("Procédure d'asile")
        ACTORS = "actors", _("Acteurs")

    class Language(models.TextChoices):
        FR = "fr", _("français")
        NL = "nl", _("néerlandais")
        DE = "de", _("allemand")
        EN = "en", _("anglais")

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("lien"), blank=True)
    document = models.FileField(
        _("document PDF"),
        upload_to="resources/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf_size],
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices, default="fr")
    is_published = models.BooleanField(_("publiée"), default=True)
    is_example = models.BooleanField(_("ressource d'exemple"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        ordering = ["category", "position", "title"]
        verbose_name = _("ressource pour les aidants")
        verbose_name_plural = _("ressources pour les aidants")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(document=""),
                name="resource_has_link_or_document",
                violation_error_message=_("Indiquez un lien ou joignez un PDF."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        """Where the resource is read: the uploaded PDF, else the link."""
        return self.document.url if self.document else self.url
