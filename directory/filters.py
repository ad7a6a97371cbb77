"""The one FilterSet behind the HTML search page and the public API."""

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from maps.models import Province
from maps.places import Place, PlaceNotFound, resolve_place
from maps.text import fold
from network.languages import SPOKEN_LANGUAGES
from network.models import ActivitySlug, NeedSlug, Organization
from network.selectors import organizations_by_name, organizations_open_at, organizations_within


class PlaceField(forms.CharField):
    """A text field that resolves to a Place (postal code, commune, locality or "lat,lon")."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return resolve_place(text)
        except PlaceNotFound as not_found:
            # The message quotes what the user typed: passed as a parameter so that a "%" in it
            # is never read as a format directive.
            # The suggestions travel with the error so the page can offer them as links.
            raise ValidationError(
                "%(message)s",
                code="place_not_found",
                params={"message": not_found.message, "suggestions": not_found.suggestions},
            ) from None


@extend_schema_field(OpenApiTypes.STR)
class PlaceFilter(django_filters.Filter):
    field_class = PlaceField

    def filter(self, queryset, value):
        # Applied together with radius_km in OrganizationFilterSet.filter_queryset.
        return queryset


class SlugListFilter(django_filters.MultipleChoiceFilter):
    """Any of several taxonomy slugs, through a subquery so that no row is repeated."""

    def __init__(self, *args, relation: str, target: str, **kwargs):
        self.relation, self.target = relation, target
        # The search form shows these as checkboxes; the default <select multiple> would render
        # bare <option> elements inside the form's checkbox groups.
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        through = getattr(Organization, self.relation).through
        matching = through.objects.filter(**{f"{self.target}__slug__in": value})
        return queryset.filter(pk__in=matching.values("organization_id"))


class OptionalCheckbox(forms.CheckboxInput):
    """A checkbox meaning "only these" when ticked and "any" when absent.

    A plain checkbox reads an absent key as False, which would filter on False; the API also
    accepts accepting_requests=false explicitly.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: value in (True, "true", "1", "on"))

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return None
        value = data.get(name)
        return {"true": True, "1": True, "on": True, "false": False, "0": False}.get(
            str(value).lower(), value
        )

    def format_value(self, value):
        return "true"


class StrictNullBooleanField(forms.NullBooleanField):
    """True, False or absent; anything else is an error rather than silently "any"."""

    def to_python(self, value):
        if value in (True, False, None, ""):
            return None if value == "" else value
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class OrganizationFilterSet(django_filters.FilterSet):
    """Search filters; the query string is the same for the list page, the map and the API."""

    near = PlaceFilter(
        label=_("Près de"), help_text=_("Code postal, commune ou « latitude,longitude »")
    )
    radius_km = django_filters.NumberFilter(
        label=_("Rayon (km)"),
        method="filter_nothing",
        min_value=1,
        max_value=settings.RELAIS_MAX_RADIUS_KM,
        error_messages={
            "min_value": _("Le rayon doit être d'au moins 1 km."),
            "max_value": _("Le rayon ne peut pas dépasser %(limit_value)s km."),
            "invalid": _("Le rayon doit être un nombre de kilomètres."),
        },
    )
    q = django_filters.CharFilter(label=_("Mots-clés"), method="filter_text", max_length=100)
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=Organization.Kind.choices,
        empty_label=_("Tous les types"),
        error_messages={"invalid_choice": _("Type d'organisation inconnu : « %(value)s ».")},
    )
    activity = SlugListFilter(
        label=_("Activités"),
        choices=ActivitySlug.choices,
        relation="activities",
        target="activity",
        error_messages={"invalid_choice": _("Activité inconnue : « %(value)s ».")},
    )
    need = SlugListFilter(
        label=_("Besoins"),
        choices=NeedSlug.choices,
        relation="needs",
        target="need",
        error_messages={"invalid_choice": _("Besoin inconnu : « %(value)s ».")},
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"),
        choices=Province.choices,
        field_name="municipality__province",
        empty_label=_("Toutes les provinces"),
        error_messages={"invalid_choice": _("Province inconnue : « %(value)s ».")},
    )
    municipality = django_filters.CharFilter(
        label=_("Commune (code REFNIS)"),
        method="filter_municipality",
        max_length=5,
    )
    language = django_filters.ChoiceFilter(
        label=_("Langue parlée"),
        choices=SPOKEN_LANGUAGES,
        method="filter_language",
        empty_label=_("Toutes les langues"),
        error_messages={"invalid_choice": _("Langue inconnue : « %(value)s ».")},
    )
    accepting_requests = StrictBooleanFilter(
        label=_("Accepte des demandes"),
        widget=OptionalCheckbox,
        error_messages={"invalid": _("accepting_requests vaut « true » ou « false ».")},
    )

    open_now = StrictBooleanFilter(
        label=_("Ouvert maintenant"),
        method="filter_open_now",
        widget=OptionalCheckbox,
        error_messages={"invalid": _("open_now vaut « true » ou « false ».")},
    )

    class Meta:
        model = Organization
        fields = []

    def filter_open_now(self, queryset, name, value):
        if value is None:
            return queryset
        open_now = organizations_open_at(queryset)
        return open_now if value else queryset.exclude(pk__in=open_now.values("pk"))

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_municipality(self, queryset, name, value):
        served = Organization.area_served.through.objects.filter(municipality__refnis=value).values(
            "organization_id"
        )
        return queryset.filter(Q(municipality__refnis=value) | Q(pk__in=served))

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__regex=rf"(^|,){value}(,|$)")

    @property
    def place(self) -> Place | None:
        """The resolved `near` place, once the filters are valid."""
        return self.form.cleaned_data.get("near") if self.is_bound and self.is_valid() else None

    @property
    def search_radius_km(self) -> float:
        """The search radius: the one asked for, or the default."""
        value = self.form.cleaned_data.get("radius_km") if self.is_valid() else None
        return float(value) if value else float(settings.RELAIS_DEFAULT_RADIUS_KM)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        place = self.form.cleaned_data.get("near")
        if place is not None:
            return organizations_within(
                queryset, place.latitude, place.longitude, self.search_radius_km
            )
        # Fresh listings first, then the stale ones ("informations à vérifier").
        return organizations_by_name(queryset)
