"""The coordination: organisations and their taxonomies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from maps.models import Municipality
from maps.text import fold


class ActivitySlug(models.TextChoices):
    """What an organisation does. Slugs are stable (API, CSV, URLs); labels are translated."""

    SHELTER = "shelter", _("Hébergement")
    TRANSPORT = "transport", _("Transport")
    FOOD = "food", _("Repas et colis")
    CLOTHING = "clothing", _("Vêtements")
    HYGIENE = "hygiene", _("Hygiène et douches")
    DAY_SUPPORT = "day-support", _("Accueil de jour")
    LEGAL_INFO = "legal-info", _("Information juridique")
    HEALTH = "health", _("Santé")
    LANGUAGE = "language", _("Cours de langue")
    ADVOCACY = "advocacy", _("Plaidoyer")


class NeedSlug(models.TextChoices):
    """What an organisation needs right now."""

    VOLUNTEERS = "volunteers", _("Bénévoles")
    HOSTS = "hosts", _("Hébergeurs")
    DRIVERS = "drivers", _("Chauffeurs")
    CLOTHING_DONATIONS = "clothing-donations", _("Dons de vêtements")
    FOOD_DONATIONS = "food-donations", _("Dons alimentaires")
    HYGIENE_DONATIONS = "hygiene-donations", _("Produits d'hygiène")
    INTERPRETERS = "interpreters", _("Interprètes")
    FUNDS = "funds", _("Soutien financier")


class TaxonomyTerm(models.Model):
    """A term with a stable slug (API, CSV, URLs) and a translated label from its choices."""

    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The translated label."""
        return self.get_slug_display()


class Activity(TaxonomyTerm):
    """An entry of the activity taxonomy (created by a data migration)."""

    slug = models.SlugField(unique=True, choices=ActivitySlug.choices)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("activité")
        verbose_name_plural = _("activités")


class Need(TaxonomyTerm):
    """An entry of the needs taxonomy (created by a data migration)."""

    slug = models.SlugField(unique=True, choices=NeedSlug.choices)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")


class Organization(models.Model):
    """A collective, association or municipality of the coordination."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Collectif citoyen")
        ASSOCIATION = "association", _("Association")
        MUNICIPALITY = "municipality", _("Commune")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        PUBLISHED = "published", _("Publiée")
        SUSPENDED = "suspended", _("Suspendue")
        CLOSED = "closed", _("Fermée")

    class AddressVisibility(models.TextChoices):
        EXACT = "exact", _("Adresse exacte publique")
        COMMUNE = "commune", _("Commune seulement")

    external_id = models.CharField(
        _("identifiant externe"), max_length=100, blank=True, db_index=True
    )
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="organizations", verbose_name=_("activités")
    )
    needs = models.ManyToManyField(
        Need, blank=True, related_name="organizations", verbose_name=_("besoins actuels")
    )
    area_served = models.ManyToManyField(
        Municipality, blank=True, related_name="served_by", verbose_name=_("communes desservies")
    )
    # ISO 639-1 codes separated by commas ("fr,nl,ar"): a short list that only needs "contains".
    languages = models.CharField(_("langues parlées"), max_length=100, blank=True, default="fr")

    email = models.EmailField(_("e-mail public"), blank=True)
    phone = models.CharField(_("téléphone public"), max_length=40, blank=True)
    website = models.URLField(_("site web"), blank=True)
    # Private: where routed requests go. Never shown on a public page, API, map or export.
    routing_email = models.EmailField(_("e-mail de routage (privé)"), blank=True)

    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("commune"),
    )
    address_visibility = models.CharField(
        _("visibilité de l'adresse"),
        max_length=10,
        choices=AddressVisibility.choices,
        default=AddressVisibility.COMMUNE,
    )
    # The exact point: private unless address_visibility is "exact".
    latitude = models.FloatField(_("latitude exacte"), null=True, blank=True)
    longitude = models.FloatField(_("longitude exacte"), null=True, blank=True)
    # The point the public may see and that searches use: the exact point or the commune's.
    # Stored (not computed per query) so near-me search can use an index on it.
    public_latitude = models.FloatField(editable=False, default=0)
    public_longitude = models.FloatField(editable=False, default=0)

    schedule = models.TextField(_("horaires et permanences"), blank=True)
    temporary_message = models.CharField(_("message temporaire"), max_length=300, blank=True)
    accepting_requests = models.BooleanField(_("accepte des demandes"), default=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    is_example = models.BooleanField(_("fiche d'exemple"), default=False)

    # Municipalities' commitments.
    hospitable_commune = models.BooleanField(_("motion « commune hospitalière »"), default=False)
    facilities = models.CharField(
        _("équipements ouverts (circulaire régionale)"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : douches, point d'eau, abri de nuit."),
    )

    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    # When members were last asked to confirm the listing, so they are not asked every day.
    verification_reminded_at = models.DateTimeField(
        _("rappel de vérification envoyé le"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # Near-me search filters on status and a latitude range first: with status leading, the
        # planner cannot settle for the status index alone (every row is "published").
        indexes = [
            models.Index(
                fields=["status", "public_latitude", "public_longitude"],
                name="org_status_public_point",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived columns only (no business rule): kept here so no write path can forget them.
        self.refresh_derived_fields()
        super().save(*args, **kwargs)

    def refresh_derived_fields(self) -> None:
        """Recompute the public point and the folded search text from the real fields."""
        if self.shows_exact_point:
            self.public_latitude, self.public_longitude = self.latitude, self.longitude
        else:
            self.public_latitude = self.municipality.latitude
            self.public_longitude = self.municipality.longitude
        self.search_text = fold(f"{self.name} {self.description}")

    @property
    def shows_exact_point(self) -> bool:
        """Whether the exact point may be shown: public address and a known point."""
        return (
            self.address_visibility == self.AddressVisibility.EXACT
            and self.latitude is not None
            and self.longitude is not None
        )

    @property
    def language_codes(self) -> list[str]:
        """The spoken languages as a list of ISO 639-1 codes."""
        return [code for code in self.languages.split(",") if code]
