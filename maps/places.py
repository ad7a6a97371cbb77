"""Turn what a user typed into a point: "5000", "Liège", "liege", "Saint-Servais", "50.46,4.87".

Resolution order (DESIGN.md): coordinates, then a Walloon postal code, then a commune or
locality name (case- and accent-insensitive), then the configured geocoder, then a clear
"not found" with close suggestions.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Q
from django.utils.translation import gettext as _

from maps.geocoding import geocode
from maps.models import Municipality, PostalCode
from maps.text import fold

_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_POSTAL_CODE = re.compile(r"^\s*(\d{4})\s*$")
# "5000 Namur" or "Namur (5000)": the code alone decides.
_POSTAL_CODE_WITH_NAME = re.compile(r"^\s*(\d{4})\b|\((\d{4})\)\s*$")


@dataclass(frozen=True)
class Place:
    """A resolved place: a point and a label to show the user."""

    latitude: float
    longitude: float
    label: str
    municipality_id: int | None = None


@dataclass
class PlaceNotFound(Exception):
    """Nothing matches what the user typed; `suggestions` are close names or codes."""

    query: str
    suggestions: list[str] = field(default_factory=list)
    reason: str = ""

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """A French sentence (translatable) for the user."""
        if self.reason:
            return self.reason
        text = _(
            "Lieu introuvable : « %(query)s ». Tapez un code postal wallon ou le nom d'une commune."
        ) % {"query": self.query[:60]}
        if self.suggestions:
            text += " " + _("Vouliez-vous dire : %(names)s ?") % {
                "names": ", ".join(self.suggestions)
            }
        return text


def resolve_place(text: str) -> Place:
    """Resolve user input to a Place, or raise PlaceNotFound with suggestions."""
    query = (text or "").strip()
    if not query:
        raise PlaceNotFound(query, reason=_("Indiquez un code postal ou une commune."))
    if len(query) > 100:
        raise PlaceNotFound(query, reason=_("Ce lieu est trop long : 100 caractères au maximum."))

    coordinates = _COORDINATES.match(query)
    if coordinates:
        latitude, longitude = float(coordinates.group(1)), float(coordinates.group(2))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise PlaceNotFound(
                query,
                reason=_(
                    "Coordonnées invalides : la latitude va de -90 à 90, la longitude de -180 à 180."
                ),
            )
        return Place(latitude, longitude, f"{latitude:.4f}, {longitude:.4f}")

    code_match = _POSTAL_CODE.match(query) or _POSTAL_CODE_WITH_NAME.search(query)
    if code_match:
        code = code_match.group(1) or code_match.group(2)
        postal_code = PostalCode.objects.select_related("municipality").filter(code=code).first()
        if postal_code is None:
            raise PlaceNotFound(
                query,
                suggestions=_close_postal_codes(code),
                reason=_("Le code postal %(code)s n'est pas un code postal wallon.")
                % {"code": code},
            )
        return _place_from_postal_code(postal_code)

    folded = fold(query)
    municipality = (
        Municipality.objects.filter(search_name=folded).first()
        # Dutch and German readers may type their own names ("Luik", "Lüttich" is not in the
        # data, but "Bergen" for Mons is).
        or Municipality.objects.filter(Q(name_nl__iexact=query) | Q(name_de__iexact=query)).first()
    )
    if municipality is not None:
        return _place_from_municipality(municipality)
    postal_code = (
        PostalCode.objects.select_related("municipality").filter(search_locality=folded).first()
    )
    if postal_code is not None:
        return _place_from_postal_code(postal_code, label=postal_code.locality)

    geocoded = geocode(query)
    if geocoded is not None:
        return Place(geocoded.latitude, geocoded.longitude, geocoded.label)

    raise PlaceNotFound(query, suggestions=suggest_places(folded))


def _place_from_municipality(municipality: Municipality) -> Place:
    return Place(municipality.latitude, municipality.longitude, municipality.name, municipality.pk)


def _place_from_postal_code(postal_code: PostalCode, label: str | None = None) -> Place:
    municipality = postal_code.municipality
    default_label = f"{postal_code.code} {municipality.name}"
    if label and fold(label) != municipality.search_name:
        default_label = f"{label} ({municipality.name})"
    return Place(postal_code.latitude, postal_code.longitude, default_label, municipality.pk)


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """Folded name -> displayed name, for every commune and locality (built once per process)."""
    names = {m.search_name: m.name_fr for m in Municipality.objects.only("search_name", "name_fr")}
    for locality in PostalCode.objects.only("search_locality", "locality"):
        names.setdefault(locality.search_locality, locality.locality)
    return names


def suggest_places(folded_query: str, limit: int = 3) -> list[str]:
    """Commune or locality names that look like the query (typos, missing letters)."""
    names = _known_names()
    if not names:
        _known_names.cache_clear()  # the gazetteer was not loaded yet; look again next time
        return []
    matches = difflib.get_close_matches(folded_query, list(names), n=limit, cutoff=0.7)
    prefix = [key for key in names if folded_query and key.startswith(folded_query)]
    ordered = list(dict.fromkeys(matches + sorted(prefix)))[:limit]
    return [names[key] for key in ordered]


def _close_postal_codes(code: str, limit: int = 3) -> list[str]:
    """Walloon postal codes numerically closest to an unknown one."""
    number = int(code)
    nearest = sorted(
        PostalCode.objects.values_list("code", flat=True).distinct(),
        key=lambda candidate: (abs(int(candidate) - number), candidate),
    )
    return nearest[:limit]


def autocomplete_places(text: str, limit: int = 10) -> list[dict]:
    """Communes and postal codes that start with what the user is typing."""
    query = (text or "").strip()
    if not query:
        return []
    if query.isdigit():
        rows = (
            PostalCode.objects.select_related("municipality")
            .filter(code__startswith=query[:4])
            .order_by("code", "locality")[:limit]
        )
        return [
            {"value": row.code, "label": f"{row.code} {row.locality} ({row.municipality.name})"}
            for row in rows
        ]
    folded = fold(query)
    municipalities = Municipality.objects.filter(search_name__startswith=folded)[:limit]
    results = [{"value": m.name_fr, "label": m.name_fr} for m in municipalities]
    if len(results) < limit:
        localities = (
            PostalCode.objects.select_related("municipality")
            .filter(search_locality__startswith=folded)
            .exclude(search_locality__in=[m.search_name for m in municipalities])
            .order_by("locality")[: limit - len(results)]
        )
        results += [
            {
                "value": row.locality,
                "label": f"{row.locality} ({row.code} {row.municipality.name})",
            }
            for row in localities
        ]
    return results
