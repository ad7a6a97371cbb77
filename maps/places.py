"""Turn what a user typed into a point: "5000", "Liège", "liege", "Saint-Servais", "50.46,4.87".

Resolution order (DESIGN.md): coordinates, then a Walloon postal code, then a commune or
locality name (case- and accent-insensitive), then the configured geocoder, then a clear
"not found" with close suggestions.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from maps.geocoding import geocode
from maps.models import Locality, Municipality, OutsidePlace, PostalCode
from maps.text import fold

# A number: digits with a decimal point or comma.
_NUMBER = r"-?\d{1,3}(?:[.,]\d+)?"
_COORDINATES = re.compile(rf"^\s*({_NUMBER})\s*[,; ]\s*({_NUMBER})\s*$")
# A Belgian postal code anywhere: "5000", "B-5000", "B 5000", "(5000)"; not part of a longer
# number nor of a decimal.
_CODE = re.compile(r"(?<![\d.,])(?:\bb\s?-?\s?)?(\d{4})(?!\d|[.,]\d)", re.IGNORECASE)
# Wallonia with a margin: a point beyond it is another place, or latitude and longitude swapped.
WALLONIA_AREA = (49.3, 51.0, 2.5, 6.6)  # south, north, west, east
# Usual abbreviations, word by word, after folding: "St-Hubert", "Ste-Ode", "St. Vith".
_ABBREVIATIONS = {"st": ("saint", "sankt", "sint"), "ste": ("sainte",), "sts": ("saints",)}
# "Wépion (Namur)": a place and, in brackets, its commune, as the resolved labels read.
_IN_COMMUNE = re.compile(r"^(?P<name>[^()]+)\((?P<commune>[^()]+)\)\s*$")
# Names people use that no source carries.
ALIASES = {"lln": "louvain la neuve", "olln": "ottignies louvain la neuve", "bxl": "bruxelles"}
# A typo is corrected alone when its spelling is this close to one place (difflib ratio) and
# clearly closer than to any other; otherwise the close names are only suggested, by spelling.
TYPO_RATIO = 0.85
TYPO_MARGIN = 0.05
SUGGESTION_RATIO = 0.7


@dataclass(frozen=True)
class Place:
    """A resolved place: a point and a label to show the user."""

    latitude: float
    longitude: float
    label: str
    municipality_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    """A place to offer instead of what was not found; typing `query` finds exactly it."""

    name: str  # "Wépion", "Namur", or a postal code with its locality: "5002 Saint-Servais"
    commune: str
    query: str

    @property
    def label(self) -> str:
        """The name, with its commune when it is not the commune itself: "Wépion (Namur)"."""
        return self.name if self.name == self.commune else f"{self.name} ({self.commune})"

    def as_dict(self) -> dict[str, str]:
        """{name, commune, query}, as the API and the form errors carry it."""
        return {"name": self.name, "commune": self.commune, "query": self.query}


@dataclass
class PlaceNotFound(Exception):
    """Nothing matches what the user typed; `suggestions` are close places or codes."""

    query: str
    suggestions: list[Suggestion] = field(default_factory=list)
    reason: str = ""

    def __str__(self) -> str:
        return self.message

    @property
    def problem(self) -> str:
        """What is wrong, in a French sentence (translatable), without the suggestions."""
        if self.reason:
            return self.reason
        return _(
            "Lieu introuvable : « %(query)s ». Tapez un code postal wallon ou le nom d'une commune."
        ) % {"query": self.query[:60]}

    @property
    def message(self) -> str:
        """The problem and, when there are some and no other reason, the suggested names."""
        text = self.problem
        if self.suggestions and not self.reason:
            text += " " + _("Vouliez-vous dire : %(names)s ?") % {
                "names": ", ".join(suggestion.label for suggestion in self.suggestions)
            }
        return text


class OutsideWallonia(PlaceNotFound):
    """The place is known but outside Wallonia; `reason` says where and that Relais covers Wallonia."""


def _outside(query: str, name: str, where: str) -> OutsideWallonia:
    return OutsideWallonia(
        query,
        reason=_(
            "« %(name)s » est hors de Wallonie (%(where)s). Relais couvre la Wallonie : "
            "indiquez un code postal ou une commune wallonne."
        )
        % {"name": name[:60], "where": OutsidePlace.Where(where).label},
    )


def _in_wallonia_area(latitude: float, longitude: float) -> bool:
    south, north, west, east = WALLONIA_AREA
    return south <= latitude <= north and west <= longitude <= east


def _coordinates(query: str) -> Place | None:
    """ "50.46,4.87", "50,46 4,87", "4.87, 50.46" (swapped) as a Place; None if not coordinates."""
    match = _COORDINATES.match(query)
    if not match:
        return None
    first, second = (float(group.replace(",", ".")) for group in match.groups())
    if not (-90 <= first <= 90 and -180 <= second <= 180) and not (
        -90 <= second <= 90 and -180 <= first <= 180
    ):
        raise PlaceNotFound(
            query,
            reason=_(
                "Coordonnées invalides : la latitude va de -90 à 90, la longitude de -180 à 180."
            ),
        )
    if not _in_wallonia_area(first, second) and _in_wallonia_area(second, first):
        # "4.87,50.46": longitude first, as GeoJSON and many map tools write it.
        first, second = second, first
    if not _in_wallonia_area(first, second):
        raise OutsideWallonia(
            query,
            reason=_(
                "Ces coordonnées sont hors de Wallonie. Relais couvre la Wallonie : indiquez un "
                "code postal ou une commune wallonne, ou « latitude, longitude » (50.46, 4.87)."
            ),
        )
    return Place(first, second, f"{first:.4f}, {second:.4f}")


@dataclass(frozen=True)
class _Target:
    """One place an index name leads to."""

    rank: int  # 0 commune, 1 locality, 2 postal-code locality, 3 other name
    population: int
    latitude: float
    longitude: float
    name: str
    municipality: Municipality

    def place(self) -> Place:
        """The Place, labelled in the reader's language."""
        commune = self.municipality
        if self.rank == 0 or fold(self.name) == commune.search_name:
            label = commune.name
        else:
            label = f"{self.name} ({commune.name})"
        return Place(self.latitude, self.longitude, label, commune.pk)


@dataclass
class _Index:
    walloon: dict[str, list[_Target]]
    outside: dict[str, tuple[str, str]]  # folded name -> (name, where), the most populous


_index_cache: dict[str, _Index] = {}


def _index() -> _Index:
    """Every searchable name, folded, built once per process from the gazetteer."""
    # Two counts tell whether the gazetteer changed (it is loaded by one command, idempotently).
    signature = f"{Municipality.objects.count()}:{Locality.objects.count()}"
    cached = _index_cache.get(signature)
    if cached is not None:
        return cached
    communes = {m.pk: m for m in Municipality.objects.all()}
    walloon: dict[str, list[_Target]] = {}

    def add(key: str, target: _Target) -> None:
        if key:
            walloon.setdefault(key, []).append(target)

    seats = {
        locality.municipality_id: locality
        for locality in Locality.objects.filter(is_seat=True).only("municipality_id", "population")
    }
    for commune in communes.values():
        seat = seats.get(commune.pk)
        target = _Target(
            0,
            seat.population if seat else 0,
            commune.latitude,
            commune.longitude,
            commune.name_fr,
            commune,
        )
        for name in {commune.name_fr, commune.name_nl, commune.name_de}:
            add(fold(name), target)
    for locality in Locality.objects.all():
        commune = communes[locality.municipality_id]
        point = (locality.latitude, locality.longitude)
        add(locality.search_name, _Target(1, locality.population, *point, locality.name, commune))
        for name in filter(None, locality.alternate_names.split("|")):
            add(name, _Target(3, locality.population, *point, locality.name, commune))
    for code in PostalCode.objects.all():
        commune = communes[code.municipality_id]
        add(
            code.search_locality,
            _Target(2, 0, code.latitude, code.longitude, code.locality, commune),
        )
    for targets in walloon.values():
        targets.sort(key=lambda target: (target.rank, -target.population, target.name))
    outside: dict[str, tuple[str, str]] = {}
    for place in OutsidePlace.objects.order_by("-population", "where"):
        outside.setdefault(place.search_name, (place.name, place.where))
    index = _Index(walloon, outside)
    if communes:  # an empty gazetteer (not loaded yet) is not worth keeping
        _index_cache.clear()
        _index_cache[signature] = index
    return index


def _spellings(text: str) -> list[str]:
    """The folded forms a name may stand for: abbreviations expanded, aliases replaced."""
    folded = fold(text)
    folded = ALIASES.get(folded, folded)
    variants: list[list[str]] = [[]]
    for word in folded.split():
        expansions = _ABBREVIATIONS.get(word, (word,))
        variants = [[*variant, expansion] for variant in variants for expansion in expansions]
    return list(dict.fromkeys([folded, *(" ".join(variant) for variant in variants)]))


def _name_parts(text: str) -> list[str]:
    """What may be the place's name in the text: the whole, then each comma part, last first."""
    without_numbers = re.sub(r"\d+", " ", text)
    parts = [text, without_numbers, *reversed(without_numbers.split(","))]
    return [part for part in dict.fromkeys(p.strip(" ,;-()") for p in parts) if fold(part)]


def _postal_code_place(code: PostalCode, rest: str, index: _Index) -> Place:
    """A Walloon code's point, or that of the place named beside it in the same commune."""
    for part in _name_parts(rest):
        for spelling in _spellings(part):
            for target in index.walloon.get(spelling, []):
                if target.municipality.pk == code.municipality_id:
                    return target.place() if target.rank != 0 else _place_from_postal_code(code)
    return _place_from_postal_code(code)


def resolve_place(text: str) -> Place:
    """Resolve user input to a Place, or raise PlaceNotFound (OutsideWallonia) with suggestions."""
    query = (text or "").strip()
    if not query:
        raise PlaceNotFound(query, reason=_("Indiquez un code postal ou une commune."))
    if len(query) > 100:
        raise PlaceNotFound(query, reason=_("Ce lieu est trop long : 100 caractères au maximum."))

    coordinates = _coordinates(query)
    if coordinates is not None:
        return coordinates

    index = _index()
    codes = _CODE.findall(query)
    rest = _CODE.sub(" ", query)
    for code in codes:
        postal_code = PostalCode.objects.select_related("municipality").filter(code=code).first()
        if postal_code is not None:
            return _postal_code_place(postal_code, rest, index)
    for code in codes:
        if code in index.outside:
            raise _outside(query, code, index.outside[code][1])
    if codes and not fold(rest):
        raise PlaceNotFound(
            query,
            suggestions=_close_postal_codes(codes[0]),
            reason=_("Le code postal %(code)s n'est pas un code postal wallon.")
            % {"code": codes[0]},
        )

    found = _resolve_in_commune(rest, index)
    if found is not None:
        return found

    parts = _name_parts(rest)
    # The whole text first; its comma-separated parts ("Rue de Fer 1, Namur" → "Namur") only
    # after the geocoder, which knows streets.
    whole = [part for part in parts[:2] if "," not in part] or parts[:1]
    found = _resolve_exactly(query, whole, index)
    if found is not None:
        return found

    spelling = _spellings(parts[0])[-1] if parts else ""
    if len(spelling) >= 4:
        # A unique prefix: "philippev", "louvain la".
        prefixed = {
            (target.municipality.pk, target.latitude, target.longitude): target
            for key, targets in index.walloon.items()
            if key.startswith(spelling)
            for target in targets[:1]
        }
        if len(prefixed) == 1:
            return next(iter(prefixed.values())).place()

    geocoded = geocode(query)
    if geocoded is not None:
        return Place(geocoded.latitude, geocoded.longitude, geocoded.label)
    found = _resolve_exactly(query, parts, index)
    if found is not None:
        return found

    ranked = _closest_names(spelling, index)
    if ranked:
        best_ratio, best_key, best_outside = ranked[0]
        others = [item for item in ranked[1:] if not _same_place(index, item, ranked[0])]
        clearly = not others or others[0][0] <= best_ratio - TYPO_MARGIN
        if best_ratio >= TYPO_RATIO and clearly:
            if best_outside:
                # Quote what was typed: the closest spelling may be another language's name.
                raise _outside(query, query, index.outside[best_key][1])
            return index.walloon[best_key][0].place()
    raise PlaceNotFound(query, suggestions=place_suggestions(spelling))


def _resolve_in_commune(text: str, index: _Index) -> Place | None:
    """ "Wépion (Namur)": the place of that name in that commune, or None."""
    match = _IN_COMMUNE.match(text.strip())
    if not match:
        return None
    communes = {
        target.municipality.pk
        for spelling in _spellings(match["commune"])
        for target in index.walloon.get(spelling, [])
        if target.rank == 0
    }
    for spelling in _spellings(match["name"]):
        for target in index.walloon.get(spelling, []):
            if target.municipality.pk in communes:
                return target.place()
    return None


def _resolve_exactly(query: str, parts: list[str], index: _Index) -> Place | None:
    """The Walloon place one of `parts` names; OutsideWallonia if it names a place elsewhere."""
    for part in parts:
        for spelling in _spellings(part):
            targets = index.walloon.get(spelling)
            if targets:
                return targets[0].place()
    for part in parts:
        for spelling in _spellings(part):
            if spelling in index.outside:
                name, where = index.outside[spelling]
                raise _outside(query, name, where)
    return None


def _closest_names(spelling: str, index: _Index, limit: int = 8) -> list[tuple[float, str, bool]]:
    """(ratio, key, is_outside) of the names spelt most like `spelling`, closest first."""
    if not spelling:
        return []
    scored = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(spelling)
    for keys, outside in ((index.walloon, False), (index.outside, True)):
        for key in keys:
            if outside and key in index.walloon:
                continue
            matcher.set_seq1(key)
            if (
                matcher.real_quick_ratio() >= SUGGESTION_RATIO
                and matcher.quick_ratio() >= SUGGESTION_RATIO
                and matcher.ratio() >= SUGGESTION_RATIO
            ):
                scored.append((matcher.ratio(), key, outside))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored[:limit]


def _same_place(index: _Index, first: tuple, second: tuple) -> bool:
    """Whether two index names lead to one place ("liege" and "luik")."""
    if first[2] or second[2]:
        # Outside Wallonia only the region matters: the answer is the same.
        return first[2] == second[2] and index.outside[first[1]][1] == index.outside[second[1]][1]
    a, b = index.walloon[first[1]][0], index.walloon[second[1]][0]
    return (a.latitude, a.longitude) == (b.latitude, b.longitude)


def _place_from_postal_code(postal_code: PostalCode) -> Place:
    municipality = postal_code.municipality
    return Place(
        postal_code.latitude,
        postal_code.longitude,
        f"{postal_code.code} {municipality.name}",
        municipality.pk,
    )


def _suggestion(target: _Target, index: _Index) -> Suggestion:
    """The suggestion of one place, with a query that leads back to it."""
    commune = target.municipality
    name = commune.name if target.rank == 0 else target.name
    first = (index.walloon.get(fold(name)) or [None])[0]
    elsewhere = first is None or (first.municipality.pk, first.latitude, first.longitude) != (
        commune.pk,
        target.latitude,
        target.longitude,
    )
    if elsewhere and name != commune.name:
        # The name alone leads elsewhere (a namesake, or the commune of that name).
        return Suggestion(name, commune.name, f"{name} ({commune.name})")
    return Suggestion(name, commune.name, name)


def place_suggestions(folded_query: str, limit: int = 3) -> list[Suggestion]:
    """Walloon communes or localities spelt like the query, closest first."""
    index = _index()
    spelling = _spellings(folded_query)[-1] if fold(folded_query) else ""
    targets: list[_Target] = []
    for _ratio, key, outside in _closest_names(spelling, index, limit=20):
        if not outside:
            targets.append(index.walloon[key][0])
    if len(spelling) >= 3:
        targets += [
            index.walloon[key][0] for key in sorted(index.walloon) if key.startswith(spelling)
        ]
    suggestions: list[Suggestion] = []
    for target in targets:
        suggestion = _suggestion(target, index)
        if suggestion not in suggestions:
            suggestions.append(suggestion)
        if len(suggestions) == limit:
            break
    return suggestions


def suggest_places(folded_query: str, limit: int = 3) -> list[str]:
    """Walloon commune or locality names spelt like the query, closest first."""
    names = [suggestion.name for suggestion in place_suggestions(folded_query, limit)]
    return list(dict.fromkeys(names))


def _close_postal_codes(code: str, limit: int = 3) -> list[Suggestion]:
    """Walloon postal codes numerically closest to an unknown one."""
    number = int(code)
    rows = PostalCode.objects.select_related("municipality").order_by("code", "pk")
    nearest: dict[str, PostalCode] = {}
    for row in rows:
        nearest.setdefault(row.code, row)
    closest = sorted(nearest, key=lambda candidate: (abs(int(candidate) - number), candidate))
    return [
        Suggestion(
            f"{candidate} {nearest[candidate].locality}",
            nearest[candidate].municipality.name,
            candidate,
        )
        for candidate in closest[:limit]
    ]


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
