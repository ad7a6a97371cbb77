"""The edit form of a listing ("Modifier ma fiche") and its field helpers. Shape only; services
decide. Hours and closures: schedule_forms.py; a refused stale save: stale.py."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maps.geocoding import PointSource, locate_address
from maps.models import Municipality, PostalCode
from maps.places import suggest_places
from maps.text import fold
from network.listings.languages import SPOKEN_LANGUAGES
from network.listings.models import ActivitySlug, NeedSlug, Organization
from network.listings.services import organization_version

_POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_SEPARATORS = re.compile(r"[,;\n]+")


def normalize_newlines(text: str) -> str:
    """Browsers send CRLF line breaks; store LF so an unchanged text is not a change."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def resolve_municipalities(text: str) -> list[Municipality]:
    """Communes from a list of names or postal codes ("Namur, 5030; Liège"), or ValidationError."""
    found: list[Municipality] = []
    unknown: list[str] = []
    for item in _SEPARATORS.split(text or ""):
        item = item.strip()
        if not item:
            continue
        code = re.match(r"^(\d{4})\b", item)
        if code:
            postal = (
                PostalCode.objects.select_related("municipality").filter(code=code.group(1)).first()
            )
            municipality = postal.municipality if postal else None
        else:
            folded = fold(re.sub(r"\(.*\)", "", item))
            municipality = Municipality.objects.filter(search_name=folded).first()
            if municipality is None:
                postal = (
                    PostalCode.objects.select_related("municipality")
                    .filter(search_locality=folded)
                    .first()
                )
                municipality = postal.municipality if postal else None
        if municipality is None:
            unknown.append(item)
        elif municipality not in found:
            found.append(municipality)
    if unknown:
        hints = [name for item in unknown for name in suggest_places(fold(item))]
        message = _("Commune inconnue : %(names)s.") % {
            "names": ", ".join(f"« {item[:40]} »" for item in unknown)
        }
        if hints:
            message += " " + _("Vouliez-vous dire : %(names)s ?") % {
                "names": ", ".join(dict.fromkeys(hints))
            }
        raise ValidationError(message)
    return found


class OrganizationEditForm(forms.Form):
    """ "Modifier ma fiche": every public field, the routing e-mail and the address's visibility."""

    name = forms.CharField(label=_("Nom"), max_length=200)
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    needs = forms.MultipleChoiceField(
        label=_("Besoins actuels"),
        choices=NeedSlug.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.MultipleChoiceField(
        label=_("Activités"),
        choices=ActivitySlug.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area_served = forms.ModelMultipleChoiceField(
        label=_("Communes desservies"),
        queryset=Municipality.objects.all(),
        to_field_name="refnis",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area_served_add = forms.CharField(
        label=_("Ajouter des communes"),
        required=False,
        max_length=2000,
        help_text=_("Nom ou code postal ; plusieurs séparés par des virgules."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    temporary_message = forms.CharField(
        label=_("Message temporaire"),
        required=False,
        max_length=300,
        help_text=_(
            "Affiché en haut de la fiche : fermeture, « complet cette semaine »… Laissez vide sinon."
        ),
    )
    accepting_requests = forms.BooleanField(
        label=_("Nous acceptons de nouvelles demandes"), required=False
    )
    schedule = forms.CharField(
        label=_("Autres précisions sur les horaires"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    email = forms.EmailField(label=_("E-mail public"), required=False)
    phone = forms.CharField(label=_("Téléphone public"), required=False, max_length=40)
    website = forms.URLField(
        label=_("Site web"), required=False, max_length=200, assume_scheme="https"
    )
    routing_email = forms.EmailField(
        label=_("E-mail de routage (privé)"),
        required=False,
        help_text=_("Les demandes des citoyens y sont envoyées. Jamais affiché au public."),
    )
    address = forms.CharField(label=_("Adresse (rue et numéro)"), required=False, max_length=250)
    postal_code = forms.CharField(label=_("Code postal"), max_length=4, min_length=4)
    address_visibility = forms.ChoiceField(
        label=_("Que montre-t-on au public ?"),
        choices=Organization.AddressVisibility.choices,
        widget=forms.RadioSelect,
    )
    point = forms.CharField(
        label=_("Position exacte (latitude, longitude)"),
        required=False,
        max_length=60,
        help_text=_(
            "Par exemple 50.4669, 4.8675. Laissez vide pour la déduire de l'adresse "
            "(à défaut, le centre du code postal)."
        ),
    )
    hospitable_commune = forms.BooleanField(
        label=_("Motion « commune hospitalière » votée"), required=False
    )
    facilities = forms.CharField(
        label=_("Équipements ouverts (circulaire régionale)"), required=False, max_length=300
    )
    # The listing's version when the page was shown: a save made by someone else since then
    # makes this one stale, and it is refused instead of silently undoing theirs.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, organization: Organization, **kwargs):
        self.organization = organization
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(organization)
        super().__init__(*args, **kwargs)
        if organization.kind != Organization.Kind.MUNICIPALITY:
            del self.fields["hospitable_commune"]
            del self.fields["facilities"]

    @staticmethod
    def initial_for(organization: Organization) -> dict:
        """The form's values for the listing as it is."""
        point = ""
        if organization.latitude is not None and organization.longitude is not None:
            point = f"{organization.latitude:.6f}, {organization.longitude:.6f}"
        return {
            "name": organization.name,
            "description": organization.description,
            "needs": list(organization.needs.values_list("slug", flat=True)),
            "activities": list(organization.activities.values_list("slug", flat=True)),
            "area_served": list(organization.area_served.all()),
            "languages": organization.language_codes,
            "temporary_message": organization.temporary_message,
            "accepting_requests": organization.accepting_requests,
            "schedule": organization.schedule,
            "email": organization.email,
            "phone": organization.phone,
            "website": organization.website,
            "routing_email": organization.routing_email,
            "address": organization.address,
            "postal_code": organization.postal_code,
            "address_visibility": organization.address_visibility,
            "point": point,
            "hospitable_commune": organization.hospitable_commune,
            "facilities": organization.facilities,
            "version": organization_version(organization),
        }

    def rebase(self, version: str) -> None:
        """After a refused stale save: keep what the person typed, but check the next save
        against the version they are now shown (with the differences, see stale_differences)."""
        self.data = self.data.copy()
        self.data["version"] = version

    def clean_description(self):
        return normalize_newlines(self.cleaned_data["description"])

    def clean_schedule(self):
        return normalize_newlines(self.cleaned_data["schedule"])

    def clean_area_served_add(self):
        # The picker's script adds one ticked box per chosen commune under the same name.
        values = self.data.getlist("area_served_add") if hasattr(self.data, "getlist") else []
        text = ",".join(values) if values else self.cleaned_data["area_served_add"]
        if len(text) > 2000:
            raise ValidationError(
                _("Trop de communes ajoutées d'un coup : 2000 caractères au maximum.")
            )
        return resolve_municipalities(text)

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        postal_codes = list(PostalCode.objects.select_related("municipality").filter(code=code))
        if not postal_codes:
            raise ValidationError(
                _("Le code postal %(code)s n'est pas un code postal wallon.") % {"code": code}
            )
        # A code shared by two communes keeps the listing's commune when it is one of them.
        self.postal_code_match = next(
            (p for p in postal_codes if p.municipality_id == self.organization.municipality_id),
            postal_codes[0],
        )
        return code

    def clean_point(self):
        text = self.cleaned_data["point"].strip()
        if not text:
            return None
        if text == self.initial_for(self.organization)["point"]:
            # Unchanged: keep the stored point at full precision rather than the rounded text.
            return self.organization.latitude, self.organization.longitude
        match = _POINT.match(text)
        if not match:
            raise ValidationError(_("Écrivez la position sous la forme « 50.4669, 4.8675 »."))
        latitude, longitude = float(match.group(1)), float(match.group(2))
        # Wallonia with a margin: a point outside is surely a typo (or swapped coordinates).
        if not (49.3 <= latitude <= 51.0 and 2.6 <= longitude <= 6.6):
            raise ValidationError(
                _("Cette position n'est pas en Wallonie : vérifiez l'ordre latitude, longitude.")
            )
        return latitude, longitude

    def clean(self):
        cleaned = super().clean()
        self.point_source = "manual"
        if "postal_code" in cleaned and "point" in cleaned and cleaned["point"] is None:
            # No position typed: the address's, from the geocoder, else the postal code's.
            located = locate_address(
                cleaned.get("address", ""),
                cleaned["postal_code"],
                self.postal_code_match.municipality,
            )
            cleaned["point"] = (located.latitude, located.longitude)
            self.point_source = located.source
        return cleaned

    def update_kwargs(self) -> dict:
        """The keyword arguments of organization_update for the cleaned data."""
        data = self.cleaned_data
        point = data["point"]
        kwargs = {
            "name": data["name"],
            "description": data["description"],
            "needs": data["needs"],
            "activities": data["activities"],
            "area_served": list(
                {m.pk: m for m in [*data["area_served"], *data["area_served_add"]]}.values()
            ),
            "languages": ",".join(data["languages"]),
            "temporary_message": data["temporary_message"],
            "accepting_requests": data["accepting_requests"],
            "schedule": data["schedule"],
            "email": data["email"],
            "phone": data["phone"],
            "website": data["website"],
            "routing_email": data["routing_email"],
            "address": data["address"],
            "postal_code": data["postal_code"],
            "municipality": self.postal_code_match.municipality,
            "address_visibility": data["address_visibility"],
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
        }
        if "hospitable_commune" in self.fields:
            kwargs["hospitable_commune"] = data["hospitable_commune"]
            kwargs["facilities"] = data["facilities"]
        return kwargs

    def preview(self) -> dict:
        """What the public will see of the location, for the values in the form."""
        kwargs = self.update_kwargs()
        exact = (
            kwargs["address_visibility"] == Organization.AddressVisibility.EXACT
            and kwargs["latitude"] is not None
        )
        municipality = kwargs["municipality"]
        return {
            "exact": exact,
            "wanted_exact": kwargs["address_visibility"] == Organization.AddressVisibility.EXACT,
            "latitude": kwargs["latitude"] if exact else municipality.latitude,
            "longitude": kwargs["longitude"] if exact else municipality.longitude,
            "approximate": self.point_source in (PointSource.POSTAL_CODE, PointSource.MUNICIPALITY),
            "address": kwargs["address"],
            "postal_code": kwargs["postal_code"],
            "municipality": municipality,
        }
