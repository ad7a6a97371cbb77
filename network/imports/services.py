"""CSV import of organisations: validate every row first, then write everything in bulk.

The file is the spreadsheet staff keep today (columns in network.imports.columns). Each row
is checked before anything is written, and each problem is reported with its spreadsheet row
number (header = 1) and column. The import is all or nothing unless invalid rows are
explicitly skipped. Rows match existing organisations on external_id, then on the slug derived
from the name.

Re-importing an export changes exactly the cells that were edited: a column the file leaves
out, or that a public export withheld (its `withheld` cell), keeps the stored value, and a cell
that says the same as the stored value (same text, or the same value once read) is no change.
A row whose `version` cell is older than the listing is refused: someone changed it since the
export. Each import that writes is one ImportBatch, undone as a whole by import_batch_undo.

Built for ~10k rows: every lookup (municipalities, postal codes, existing organisations and
their relations) is loaded once, and the writes are bulk_create / bulk_update.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    ProhibitNullCharactersValidator,
    URLValidator,
)
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.lookups import Lookup
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maps.models import Municipality, PostalCode
from maps.text import fold
from network.contact.models import ContactRequest
from network.imports.columns import COLUMNS, DATA_COLUMNS, LIST_SEPARATOR, NO, REQUIRED_COLUMNS, YES
from network.infrastructure.bulk_rows import insert_rows, update_rows
from network.infrastructure.directory_version import directory_changed
from network.listings.languages import SPOKEN_LANGUAGE_LABELS
from network.listings.models import (
    Activity,
    ActivitySlug,
    ImportBatch,
    Need,
    NeedSlug,
    Organization,
    OrganizationChange,
)
from network.listings.services import organization_version
from network.members.models import Membership

# A point typed by hand must at least fall in or around Belgium.
LATITUDE_RANGE = (49.3, 51.6)
LONGITUDE_RANGE = (2.4, 6.5)
YES_VALUES = {"yes", "oui", "true", "1", "y", "o", "ja"}
NO_VALUES = {"no", "non", "false", "0", "n", "nee"}
# Fields a row sets on Organization (relations apart), compared to decide "unchanged".
_SCALAR_FIELDS = [
    "external_id", "name", "kind", "description", "address", "postal_code", "municipality_id",
    "address_visibility", "latitude", "longitude", "email", "phone", "website", "routing_email",
    "languages", "accepting_requests", "status",
]  # fmt: skip
# The model fields each spreadsheet column sets (the relations apart).
_COLUMN_FIELDS = {
    column: ("municipality_id",) if column == "municipality" else (column,)
    for column in DATA_COLUMNS
    if column not in ("activities", "needs", "area_served")
}
_RELATION_COLUMNS = ("activities", "needs", "area_served")
# Cells holding several values: their order and case do not matter.
_LIST_COLUMNS = {"activities", "needs", "languages", "area_served"}
_validate_email = EmailValidator()
_validate_url = URLValidator(schemes=["http", "https"])
_null_characters = ProhibitNullCharactersValidator()


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header): nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or in the row as a whole when column is empty)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("ligne %(line)s, colonne « %(column)s » : %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("ligne %(line)s : %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportRow:
    """A validated row: the organisation's fields and relations, and what the import does with it."""

    line: int
    fields: dict[str, Any]
    activities: list[str]
    needs: list[str]
    area_served: list[int]
    slug: str = ""  # slugify(name): matches existing organisations and names new ones
    action: str = ""  # "create", "update", "unchanged" or "skip"
    existing: Organization | None = None
    # The existing organisation's activity, need and municipality ids, for its history.
    current_relations: tuple[set, set, set] | None = None
    # What the row changes on the existing listing, in the history's format ({name: [old, new]}).
    changes: dict[str, list[Any]] = field(default_factory=dict)
    # The same changes as the spreadsheet shows them, for the preview: (column, old, new).
    change_cells: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False
    batch: ImportBatch | None = None

    @property
    def changed_rows(self) -> list[ImportRow]:
        """The rows that change an existing listing (updated, or left as is without update)."""
        return [row for row in self.rows if row.changes]

    @property
    def created_rows(self) -> list[ImportRow]:
        """The rows that create a listing."""
        return [row for row in self.rows if row.action == "create"]

    @property
    def summary(self) -> str:
        """One French sentence for a command's last line or a page's message."""
        text = _(
            "%(total)s lignes : %(created)s créées, %(updated)s mises à jour, %(unchanged)s inchangées, "
            "%(skipped)s déjà présentes et laissées telles quelles, %(invalid)s invalides."
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "invalid": self.invalid_rows,
        }
        if self.dry_run:
            text += " " + _("Simulation : rien n'a été enregistré.")
        elif not self.applied:
            text += " " + _("Rien n'a été importé.")
        return text


def read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode (UTF-8 with or without BOM), sniff "," or ";", and return the rows with their line numbers."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (octet invalide en position %(position)s). Enregistrez-le en « CSV UTF-8 »."
            )
            % {"position": error.start}
        ) from None
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportFileError(
            _("Le fichier est vide ou ne commence pas par la ligne des noms de colonnes.")
        )
    # The header holds 19 separators of one kind: counting is more reliable than csv.Sniffer.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [fold(name).replace(" ", "_") for name in next(reader)]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("colonnes manquantes : %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("colonnes inconnues : %(names)s") % {"names": ", ".join(unknown)})
        raise ImportFileError(
            _(
                "Ligne 1 (noms de colonnes) : %(problems)s. Colonnes reconnues : %(columns)s "
                "(seule « name » est obligatoire ; une colonne absente ne change rien)."
            )
            % {"problems": " ; ".join(parts), "columns": ", ".join(COLUMNS)}
        )
    rows = []
    named = [(index, name) for index, name in enumerate(header) if name]
    names = [name for _index, name in named]
    positions = [index for index, _name in named]
    # Spreadsheet row numbers: one per record, whatever line breaks its quoted cells hold, and
    # blank rows counted (the reader yields them as empty lists) as a spreadsheet shows them.
    for line, cells in enumerate(reader, start=2):
        if any(cell.strip() for cell in cells):
            padded = cells + [""] * (len(header) - len(cells))
            rows.append(
                (line, dict(zip(names, [padded[i].strip() for i in positions], strict=True)))
            )
            if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
                rows[-1][1]["__extra__"] = "1"
    return header, rows


class _Lookups:
    """Everything row validation needs, loaded in a handful of queries."""

    def __init__(self):
        municipalities = list(Municipality.objects.all())
        self.municipality_by_refnis = {m.refnis: m for m in municipalities}
        self.municipality_by_name = {m.search_name: m for m in municipalities}
        for m in municipalities:
            for other in (m.name_nl, m.name_de):
                if other:
                    self.municipality_by_name.setdefault(fold(other), m)
        self.municipality_by_pk = {m.pk: m for m in municipalities}
        self.postal_codes: dict[str, list[PostalCode]] = {}
        for postal_code in PostalCode.objects.all():
            self.postal_codes.setdefault(postal_code.code, []).append(postal_code)
        self.activities = {a.slug: a for a in Activity.objects.all()}
        self.needs = {n.slug: n for n in Need.objects.all()}
        self.activity_slugs = {a.pk: a.slug for a in self.activities.values()}
        self.need_slugs = {n.pk: n.slug for n in self.needs.values()}
        # A spreadsheet names the same few hundred communes over and over: resolve each once.
        self._municipality_by_text: dict[str, Municipality | None] = {}

    def municipality(self, text: str) -> Municipality | None:
        """The commune a cell names (REFNIS code, or French, Dutch or German name), or None."""
        try:
            return self._municipality_by_text[text]
        except KeyError:
            found = self.municipality_by_refnis.get(text) or self.municipality_by_name.get(
                fold(text)
            )
            self._municipality_by_text[text] = found
            return found


def _split(value: str) -> list[str]:
    return [
        item.strip()
        for item in value.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR)
        if item.strip()
    ]


_ALLOWED = {
    "kind": list(Organization.Kind.values),
    "address_visibility": list(Organization.AddressVisibility.values),
    "status": list(Organization.Status.values),
}
_ACTIVITY_SLUGS = list(ActivitySlug.values)
_NEED_SLUGS = list(NeedSlug.values)
# Checked by the model's own validators (lengths) once the explicit checks above have passed;
# the others are validated by hand, with messages that name the spreadsheet's column.
_MODEL_CHECKED_FIELDS = {
    "external_id",
    "name",
    "description",
    "address",
    "postal_code",
    "phone",
    "languages",
}
_MODEL_CHECKED = [
    field for field in Organization._meta.concrete_fields if field.name in _MODEL_CHECKED_FIELDS
]


def _choice(value: str, default: str | None, column: str, errors: list) -> str | None:
    value = value.strip().lower()
    if not value and default is not None:
        return default
    allowed = _ALLOWED[column]
    if value not in allowed:
        errors.append(
            (
                column,
                _("« %(value)s » n'est pas une valeur permise (%(allowed)s).")
                % {"value": value, "allowed": " | ".join(allowed)},
            )
        )
        return None
    return value


def _validate_row(
    line: int, cells: dict[str, str], lookups: _Lookups
) -> tuple[ImportRow | None, list[RowError]]:
    problems: list[tuple[str, str]] = []
    if cells.get("__extra__"):
        problems.append(("", _("plus de cellules que de colonnes (un séparateur en trop ?).")))
    # PostgreSQL refuses NUL in any text column (the description is not checked by the model).
    problems.extend(
        (column, str(_null_characters.message))
        for column, value in cells.items()
        if "\x00" in value and column in COLUMNS
    )

    name = cells["name"]
    if not name:
        problems.append(("name", _("le nom est obligatoire.")))
    elif len(name) > 200:
        problems.append(("name", _("200 caractères au maximum.")))
    external_id = cells["external_id"]
    if len(external_id) > 100:
        problems.append(("external_id", _("100 caractères au maximum.")))
    kind = _choice(cells["kind"], None, "kind", problems)
    visibility = _choice(
        cells["address_visibility"],
        Organization.AddressVisibility.COMMUNE,
        "address_visibility",
        problems,
    )
    status = _choice(
        cells["status"],
        Organization.Status.PENDING,
        "status",
        problems,
    )

    activities = [item.lower() for item in _split(cells["activities"])]
    unknown = [item for item in activities if item not in _ACTIVITY_SLUGS]
    if unknown:
        problems.append(
            (
                "activities",
                _("activité inconnue : %(values)s (permises : %(allowed)s).")
                % {"values": ", ".join(unknown), "allowed": ", ".join(_ACTIVITY_SLUGS)},
            )
        )
    needs = [item.lower() for item in _split(cells["needs"])]
    unknown = [item for item in needs if item not in _NEED_SLUGS]
    if unknown:
        problems.append(
            (
                "needs",
                _("besoin inconnu : %(values)s (permis : %(allowed)s).")
                % {"values": ", ".join(unknown), "allowed": ", ".join(_NEED_SLUGS)},
            )
        )
    languages = [item.lower() for item in _split(cells["languages"])]
    unknown = [item for item in languages if item not in SPOKEN_LANGUAGE_LABELS]
    if unknown:
        problems.append(
            (
                "languages",
                _("code de langue ISO 639-1 inconnu : %(values)s (permis : %(allowed)s).")
                % {"values": ", ".join(unknown), "allowed": ", ".join(SPOKEN_LANGUAGE_LABELS)},
            )
        )

    # Where: the municipality (name or REFNIS code) and/or a postal code of it.
    municipality = None
    municipality_text = cells["municipality"]
    if municipality_text:
        municipality = lookups.municipality(municipality_text)
        if municipality is None:
            problems.append(
                (
                    "municipality",
                    _("commune wallonne inconnue : « %(value)s » (nom ou code REFNIS).")
                    % {"value": municipality_text},
                )
            )
    postal_code_text = cells["postal_code"]
    postal_code = None
    if postal_code_text:
        candidates = lookups.postal_codes.get(postal_code_text, [])
        if not candidates:
            problems.append(
                (
                    "postal_code",
                    _("« %(value)s » n'est pas un code postal wallon.")
                    % {"value": postal_code_text},
                )
            )
        elif municipality is not None:
            postal_code = next(
                (c for c in candidates if c.municipality_id == municipality.pk), None
            )
            if postal_code is None:
                problems.append(
                    (
                        "postal_code",
                        _("le code postal %(code)s n'appartient pas à la commune %(name)s.")
                        % {"code": postal_code_text, "name": municipality.name_fr},
                    )
                )
        elif not municipality_text:
            postal_code = candidates[0]
            municipality = lookups.municipality_by_pk[postal_code.municipality_id]
    if not municipality_text and not postal_code_text:
        problems.append(
            ("municipality", _("indiquez la commune (nom ou code REFNIS) ou un code postal."))
        )

    latitude = longitude = None
    latitude_text, longitude_text = (
        cells["latitude"].replace(",", "."),
        cells["longitude"].replace(",", "."),
    )
    if bool(latitude_text) != bool(longitude_text):
        column = "longitude" if latitude_text else "latitude"
        problems.append(
            (column, _("latitude et longitude vont ensemble : remplissez les deux ou aucune."))
        )
    elif latitude_text:
        for column, text, bounds in (
            ("latitude", latitude_text, LATITUDE_RANGE),
            ("longitude", longitude_text, LONGITUDE_RANGE),
        ):
            try:
                value = float(text)
            except ValueError:
                problems.append(
                    (column, _("« %(value)s » n'est pas un nombre décimal.") % {"value": text})
                )
                continue
            if not bounds[0] <= value <= bounds[1]:
                problems.append(
                    (
                        column,
                        _("%(value)s est hors de Belgique (attendu entre %(low)s et %(high)s).")
                        % {"value": text, "low": bounds[0], "high": bounds[1]},
                    )
                )
            elif column == "latitude":
                latitude = value
            else:
                longitude = value
    elif postal_code is not None or municipality is not None:
        # No point given: the gazetteer's (the postal code's locality, else the commune's centre).
        point = postal_code or municipality
        latitude, longitude = point.latitude, point.longitude

    for column in ("email", "routing_email"):
        if cells[column]:
            try:
                _validate_email(cells[column])
            except ValidationError:
                problems.append(
                    (
                        column,
                        _("« %(value)s » n'est pas une adresse e-mail valide.")
                        % {"value": cells[column]},
                    )
                )
    website = cells["website"]
    if website and "://" not in website:
        website = "https://" + website
    if website:
        try:
            _validate_url(website)
        except ValidationError:
            problems.append(
                (
                    "website",
                    _("« %(value)s » n'est pas une adresse web valide.")
                    % {"value": cells["website"]},
                )
            )
    if len(cells["phone"]) > 40:
        problems.append(("phone", _("40 caractères au maximum.")))
    if len(cells["address"]) > 250:
        problems.append(("address", _("250 caractères au maximum.")))

    accepting_text = cells["accepting_requests"].lower()
    accepting = True
    if accepting_text in NO_VALUES:
        accepting = False
    elif accepting_text and accepting_text not in YES_VALUES:
        problems.append(
            (
                "accepting_requests",
                _("« %(value)s » : écrivez yes ou no.") % {"value": cells["accepting_requests"]},
            )
        )

    area_served = []
    for item in _split(cells["area_served"]):
        if len(item) == 5 and item in lookups.municipality_by_refnis:
            area_served.append(lookups.municipality_by_refnis[item].pk)
        elif len(item) == 4 and item in lookups.postal_codes:
            area_served.append(lookups.postal_codes[item][0].municipality_id)
        else:
            problems.append(
                (
                    "area_served",
                    _("« %(value)s » n'est ni un code REFNIS ni un code postal wallon.")
                    % {"value": item},
                )
            )

    errors = [RowError(line, column, message) for column, message in problems]
    if errors:
        return None, errors
    fields = {
        "external_id": external_id,
        "name": name,
        "kind": kind,
        "description": cells["description"],
        "address": cells["address"],
        "postal_code": postal_code_text,
        "municipality_id": municipality.pk,
        "address_visibility": visibility,
        "latitude": latitude,
        "longitude": longitude,
        "email": cells["email"],
        "phone": cells["phone"],
        "website": website,
        "routing_email": cells["routing_email"],
        "languages": ",".join(dict.fromkeys(languages)),
        "accepting_requests": accepting,
        "status": status,
    }
    # The model's own field validators (lengths, null characters), as Model.clean_fields runs
    # them (these fields take the strings as they are), without a model instance per row and
    # without the per-row queries of foreign-key and uniqueness checks: the lookups above
    # already did those in bulk.
    errors = []
    for model_field in _MODEL_CHECKED:
        value = fields[model_field.name]
        if model_field.blank and value in model_field.empty_values:
            continue
        try:
            model_field.run_validators(value)
        except ValidationError as error:
            column = model_field.name if model_field.name in COLUMNS else ""
            errors.extend(RowError(line, column, message) for message in error.messages)
    if errors:
        return None, errors
    return ImportRow(
        line,
        fields,
        list(dict.fromkeys(activities)),
        list(dict.fromkeys(needs)),
        sorted(set(area_served)),
        slug=slugify(name)[:200],
    ), []


def _unique_slug(slug: str, taken: set[str]) -> str:
    base = slug or "organisation"
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


class _AnyOf(Lookup):
    """column = ANY(%s): one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def _is_one_of(field_name: str, values: list) -> Q | Lookup:
    """field_name IN values, as one array parameter on PostgreSQL.

    Thousands of placeholders cost more to build and parse than the query takes to run.
    """
    if connection.vendor == "postgresql":
        return _AnyOf(F(field_name), values)
    return Q(**{f"{field_name}__in": values})


def _chunks(values: list, size: int = 5000) -> Iterable[list]:
    # Chunks keep each query under every database's limit on bound parameters.
    for start in range(0, len(values), size):
        yield values[start : start + size]


# What matching, comparing and updating an existing organisation reads.
_LOADED_FIELDS = [
    "slug",
    "updated_at",
    *("municipality" if name == "municipality_id" else name for name in _SCALAR_FIELDS),
]


def _organizations_where(field_name: str, values: list[str]) -> Iterable[Organization]:
    """The organisations whose field_name is one of values, with only the columns compared."""
    for chunk in _chunks(values):
        yield from Organization.objects.filter(_is_one_of(field_name, chunk)).only(*_LOADED_FIELDS)


def _relation_ids(pks: list[int]) -> dict[int, tuple[set, set, set]]:
    """Current activity, need and municipality ids of each organisation, as plain id pairs.

    Three flat queries on the link tables: much cheaper than prefetching model instances
    when thousands of rows are compared.
    """
    relations: dict[int, tuple[set, set, set]] = {pk: (set(), set(), set()) for pk in pks}
    for index, (relation, target) in enumerate(
        (("activities", "activity_id"), ("needs", "need_id"), ("area_served", "municipality_id"))
    ):
        through = getattr(Organization, relation).through
        for chunk in _chunks(pks):
            links = through.objects.filter(_is_one_of("organization_id", chunk))
            for organization_id, target_id in links.values_list("organization_id", target):
                relations[organization_id][index].add(target_id)
    return relations


def _row_relation_ids(row: ImportRow, lookups: "_Lookups") -> tuple[set, set, set]:
    return (
        {lookups.activities[slug].pk for slug in row.activities},
        {lookups.needs[slug].pk for slug in row.needs},
        set(row.area_served),
    )


def _coordinate(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _stored_cells(
    organization: Organization, current: tuple[set, set, set], lookups: "_Lookups"
) -> dict[str, str]:
    """The listing's cells as a complete export writes them (the commune as its REFNIS code)."""
    activities, needs, area = current
    refnis = lookups.municipality_by_pk
    return {
        "external_id": organization.external_id,
        "name": organization.name,
        "kind": organization.kind,
        "description": organization.description,
        "activities": LIST_SEPARATOR.join(sorted(lookups.activity_slugs[pk] for pk in activities)),
        "needs": LIST_SEPARATOR.join(sorted(lookups.need_slugs[pk] for pk in needs)),
        "address": organization.address,
        "postal_code": organization.postal_code,
        # The code, not the name: it names one commune only, whatever the name lookups say.
        "municipality": refnis[organization.municipality_id].refnis,
        "address_visibility": organization.address_visibility,
        "latitude": repr(organization.latitude) if organization.latitude is not None else "",
        "longitude": repr(organization.longitude) if organization.longitude is not None else "",
        "email": organization.email,
        "phone": organization.phone,
        "website": organization.website,
        "routing_email": organization.routing_email,
        "languages": LIST_SEPARATOR.join(organization.language_codes),
        "area_served": LIST_SEPARATOR.join(sorted(refnis[pk].refnis for pk in area)),
        "accepting_requests": YES if organization.accepting_requests else NO,
        "status": organization.status,
    }


def _same_cell(
    column: str, cell: str, stored: str, organization: Organization, lookups: "_Lookups"
) -> bool:
    """Whether a cell says what the listing already holds, before any reading of it.

    Compared as text, so that what the reading would derive (a website's scheme, the
    gazetteer's point for blank coordinates) never passes for an edit.
    """
    if cell == stored:
        return True
    if column in _LIST_COLUMNS:
        return {item.lower() for item in _split(cell)} == {item.lower() for item in _split(stored)}
    if column == "municipality":
        found = lookups.municipality(cell) if cell else None
        return found is not None and found.pk == organization.municipality_id
    if column in ("latitude", "longitude") and cell and stored:
        return _coordinate(cell) == _coordinate(stored)
    return False


def _display(name: str, value: Any, lookups: "_Lookups") -> str:
    """A history value as the spreadsheet would show it, for the preview."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if name == "municipality":
        municipality = lookups.municipality_by_refnis.get(value)
        return f"{municipality.name_fr} ({value})" if municipality else str(value)
    if name == "languages":
        return value.replace(",", LIST_SEPARATOR)
    return str(value)


def _row_changes(
    row: ImportRow, organization: Organization, current: tuple[set, set, set], lookups: "_Lookups"
) -> dict[str, list[Any]]:
    """What the row would change on the listing, field by field, in the history's format."""
    changes: dict[str, list[Any]] = {}
    refnis = lookups.municipality_by_pk
    for name, after in row.fields.items():
        before = getattr(organization, name)
        if before != after:
            if name == "municipality_id":
                changes["municipality"] = [refnis[before].refnis, refnis[after].refnis]
            else:
                changes[name] = [before, after]
    names = (lookups.activity_slugs, lookups.need_slugs, {pk: m.refnis for pk, m in refnis.items()})
    for index, (name, after_ids) in enumerate(
        zip(_RELATION_COLUMNS, _row_relation_ids(row, lookups), strict=True)
    ):
        if current[index] != after_ids:
            changes[name] = [
                sorted(names[index][pk] for pk in current[index]),
                sorted(names[index][pk] for pk in after_ids),
            ]
    return changes


def _prepare_row(
    line: int,
    cells: dict[str, str],
    organization: Organization | None,
    current: tuple[set, set, set] | None,
    present: set[str],
    lookups: "_Lookups",
    *,
    update: bool,
) -> tuple[ImportRow | None, list[RowError]]:
    """Check one row; for an existing listing, keep every column the row does not really change."""
    withheld = {item.lower() for item in _split(cells.get("withheld", ""))}
    unknown = sorted(withheld - set(DATA_COLUMNS))
    if unknown:
        return None, [
            RowError(
                line,
                "withheld",
                _("colonne inconnue : %(names)s.") % {"names": ", ".join(unknown)},
            )
        ]
    if organization is None:
        # A new listing: a column left out is an empty cell (the defaults apply).
        return _validate_row(
            line,
            {column: cells.get(column, "") for column in DATA_COLUMNS}
            | {key: value for key, value in cells.items() if key == "__extra__"},
            lookups,
        )
    version = cells.get("version", "")
    # Only a row that may write to the listing can overwrite a newer edit.
    if update and version and version != organization_version(organization):
        return None, [
            RowError(
                line,
                "version",
                _(
                    "la fiche a été modifiée depuis cet export : rien de cette ligne n'est "
                    "importé, pour ne pas écraser la version plus récente. Exportez à nouveau "
                    "et refaites la modification sur le nouveau fichier."
                ),
            )
        ]
    stored = _stored_cells(organization, current, lookups)
    kept = {
        column
        for column in DATA_COLUMNS
        if column not in present
        or (column in withheld and not cells[column])
        or _same_cell(column, cells[column], stored[column], organization, lookups)
    }
    row, errors = _validate_row(
        line, {**cells, **{column: stored[column] for column in kept}}, lookups
    )
    if row is None:
        return None, errors
    # A kept column holds the stored value exactly, not what reading its cell would give.
    for column in kept:
        for name in _COLUMN_FIELDS.get(column, ()):
            row.fields[name] = getattr(organization, name)
    if "activities" in kept:
        row.activities = [lookups.activity_slugs[pk] for pk in current[0]]
    if "needs" in kept:
        row.needs = [lookups.need_slugs[pk] for pk in current[1]]
    if "area_served" in kept:
        row.area_served = sorted(current[2])
    row.existing = organization
    row.current_relations = current
    row.changes = _row_changes(row, organization, current, lookups)
    row.change_cells = [
        (name, _display(name, old, lookups), _display(name, new, lookups))
        for name, (old, new) in row.changes.items()
    ]
    return row, []


def organizations_import_csv(
    data: bytes,
    *,
    update: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    actor: AbstractBaseUser | None = None,
    file_name: str = "",
) -> ImportResult:
    """Validate every row of an organisations CSV, then create (and with update=True, update) them.

    Raises ImportFileError when the file itself cannot be read. Row problems are returned in
    the result; unless skip_invalid, any of them means nothing is written. `progress` is called
    with (rows checked, rows in the file) as validation goes. An import that writes is recorded
    as one ImportBatch (`file_name`, by `actor`: the staff member, or None for a command), and
    each created or changed listing gets an entry in its history, part of that batch.
    """
    header, raw_rows = read_csv(data)
    present = {name for name in header if name in COLUMNS}
    result = ImportResult(total=len(raw_rows), dry_run=dry_run)
    lookups = _Lookups()
    matched = _match_existing(raw_rows, result)
    relations = _relation_ids([o.pk for _line, _cells, o in matched if o is not None])
    valid: list[ImportRow] = []
    for done, (line, cells, organization) in enumerate(matched, start=1):
        current = relations[organization.pk] if organization is not None else None
        row, errors = _prepare_row(
            line, cells, organization, current, present, lookups, update=update
        )
        if row is not None:
            valid.append(row)
        else:
            result.errors.extend(errors)
        if progress and (done % 100 == 0 or done == len(matched)):
            progress(done, len(matched))
    for row in valid:
        if row.existing is None:
            row.action = "create"
        elif row.changes:
            row.action = "update" if update else "skip"
        else:
            row.action = "unchanged"
        counter = _COUNTERS[row.action]
        setattr(result, counter, getattr(result, counter) + 1)
    result.rows = valid
    result.errors.sort(key=lambda error: error.line)
    result.invalid_rows = len({error.line for error in result.errors})
    if result.errors and not skip_invalid:
        # All or nothing: report what would have happened, write nothing.
        return result
    if not dry_run:
        try:
            result.batch = _write(
                valid, lookups=lookups, actor=actor, result=result, file_name=file_name
            )
        except _ChangedDuringImport as changed:
            result.errors.extend(changed.errors)
            result.invalid_rows = len({error.line for error in result.errors})
            return result
        result.applied = True
    return result


_COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged", "skip": "skipped"}


def _match_existing(
    raw_rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> list[tuple[int, dict[str, str], Organization | None]]:
    """Pair rows with existing organisations (external_id, then slug); report duplicate rows."""
    external_ids = sorted({c["external_id"] for _l, c in raw_rows if c.get("external_id")})
    by_external_id, by_slug = {}, {}
    for organization in _organizations_where("external_id", external_ids):
        by_external_id.setdefault(organization.external_id, organization)
    # Only the rows no external_id matched can match on their name's slug.
    slugs = sorted(
        {
            slugify(cells["name"])[:200]
            for _line, cells in raw_rows
            if cells.get("external_id", "") not in by_external_id
        }
    )
    for organization in _organizations_where("slug", slugs):
        by_slug[organization.slug] = organization
    seen_external_ids: dict[str, int] = {}
    seen_organizations: dict[int, int] = {}
    seen_new_slugs: dict[str, int] = {}
    matched = []
    for line, cells in raw_rows:
        external_id = cells.get("external_id", "")
        slug = slugify(cells["name"])[:200]
        if external_id and external_id in seen_external_ids:
            result.errors.append(
                RowError(
                    line,
                    "external_id",
                    _("identifiant déjà utilisé ligne %(line)s.")
                    % {"line": seen_external_ids[external_id]},
                )
            )
            continue
        if external_id:
            seen_external_ids[external_id] = line
        organization = by_external_id.get(external_id) if external_id else None
        if organization is None:
            candidate = by_slug.get(slug)
            # A same-named organisation with another external_id is a different one.
            if candidate is not None and not (
                external_id and candidate.external_id and candidate.external_id != external_id
            ):
                organization = candidate
        if organization is not None:
            if organization.pk in seen_organizations:
                result.errors.append(
                    RowError(
                        line,
                        "name",
                        _("même organisation que ligne %(line)s.")
                        % {"line": seen_organizations[organization.pk]},
                    )
                )
                continue
            seen_organizations[organization.pk] = line
        elif not external_id and cells["name"]:
            if slug in seen_new_slugs:
                # Two new rows with the same name and no external_id could not be told apart
                # on the next import.
                result.errors.append(
                    RowError(
                        line,
                        "external_id",
                        _("même nom que ligne %(line)s : donnez un external_id à chacune.")
                        % {"line": seen_new_slugs[slug]},
                    )
                )
                continue
            seen_new_slugs[slug] = line
        matched.append((line, cells, organization))
    return matched


class _ChangedDuringImport(Exception):
    """Listings were saved by someone else while the file was being checked."""

    def __init__(self, errors: list[RowError]):
        super().__init__("changed during import")
        self.errors = errors


def _refuse_changed_since_read(to_update: list[tuple[Organization, ImportRow]]) -> None:
    """Lock the listings about to be updated; refuse if one was saved since it was read."""
    read = {organization.pk: (organization.updated_at, row.line) for organization, row in to_update}
    changed = []
    for chunk in _chunks(list(read)):
        locked = (
            Organization.objects.select_for_update()
            .filter(_is_one_of("id", chunk))
            .values_list("pk", "updated_at")
        )
        changed.extend(read[pk][1] for pk, updated_at in locked if updated_at != read[pk][0])
    if changed:
        raise _ChangedDuringImport(
            [
                RowError(
                    line,
                    "",
                    _(
                        "la fiche a été modifiée pendant l'import : rien n'a été importé. "
                        "Chargez le fichier à nouveau."
                    ),
                )
                for line in sorted(changed)
            ]
        )


@transaction.atomic
def _write(
    rows: Iterable[ImportRow],
    *,
    lookups: _Lookups,
    actor: AbstractBaseUser | None,
    result: ImportResult,
    file_name: str,
) -> ImportBatch | None:
    now = timezone.now()
    to_create: list[tuple[Organization, ImportRow]] = []
    to_update: list[tuple[Organization, ImportRow]] = []
    for row in rows:
        if row.action == "create":
            organization = Organization(**row.fields, slug=row.slug)
        elif row.action == "update":
            organization = row.existing
            for name, value in row.fields.items():
                setattr(organization, name, value)
        else:
            continue
        organization.municipality = lookups.municipality_by_pk[row.fields["municipality_id"]]
        # bulk_create/bulk_update bypass save(): derive the public point and search text here.
        organization.refresh_derived_fields()
        (to_create if row.action == "create" else to_update).append((organization, row))
    if not to_create and not to_update:
        return None
    _refuse_changed_since_read(to_update)
    author = actor if actor is not None and actor.is_authenticated else None
    # The batch's time is the updated_at of every listing it writes: the undo's stale check.
    batch = ImportBatch.objects.create(
        actor=author,
        created_at=now,
        file_name=file_name[:200],
        total=result.total,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped=result.skipped,
        invalid=result.invalid_rows,
    )
    if to_create:
        taken_slugs = set(Organization.objects.values_list("slug", flat=True))
        for organization, row in to_create:
            organization.slug = _unique_slug(row.slug, taken_slugs)

    # The rows as the database stores them; primary keys come back by the (unique) slug.
    derived = ("public_latitude", "public_longitude", "search_text")
    new_pks = insert_rows(
        Organization,
        [
            {
                **{name: getattr(organization, name) for name in (*row.fields, "slug", *derived)},
                "created_at": now,
                "updated_at": now,
            }
            for organization, row in to_create
        ],
        key="slug",
    )
    for organization, _row in to_create:
        organization.pk = new_pks[organization.slug]
    # Not bulk_update: its CASE expressions over twenty columns are far slower.
    update_rows(
        Organization,
        [
            {
                "id": organization.pk,
                **{name: getattr(organization, name) for name in (*_SCALAR_FIELDS, *derived)},
                "updated_at": now,
            }
            for organization, _row in to_update
        ],
    )
    for relation, target in zip(
        _RELATION_COLUMNS, ("activity_id", "need_id", "municipality_id"), strict=True
    ):
        through = getattr(Organization, relation).through
        # Only the listings whose links this row changes lose and regain them.
        rewritten = [
            (organization, row) for organization, row in to_update if relation in row.changes
        ]
        for chunk in _chunks([organization.pk for organization, _row in rewritten]):
            through.objects.filter(_is_one_of("organization_id", chunk)).delete()
        links = []
        for organization, row in to_create + rewritten:
            if relation == "activities":
                targets = [lookups.activities[slug].pk for slug in row.activities]
            elif relation == "needs":
                targets = [lookups.needs[slug].pk for slug in row.needs]
            else:
                targets = row.area_served
            links.extend({"organization_id": organization.pk, target: pk} for pk in targets)
        insert_rows(through, links)
    _record_history(to_create, to_update, author=author, batch=batch)
    # Bulk writes send no signal: retire the cached search answers here.
    directory_changed()
    return batch


def _record_history(to_create, to_update, *, author, batch: ImportBatch) -> None:
    """One history entry per created or changed listing, in the member space's format."""
    author_id = author.pk if author is not None else None
    entries = [
        {
            "organization_id": organization.pk,
            "actor_id": author_id,
            "kind": OrganizationChange.Kind.CREATED,
            "changes": {},
            "batch_id": batch.pk,
        }
        for organization, _row in to_create
    ]
    entries.extend(
        {
            "organization_id": organization.pk,
            "actor_id": author_id,
            "kind": OrganizationChange.Kind.UPDATED,
            "changes": row.changes,
            "batch_id": batch.pk,
        }
        for organization, row in to_update
    )
    insert_rows(OrganizationChange, entries)


class ImportUndoRefused(ValidationError):
    """The import cannot be undone as a whole: nothing was changed."""


@dataclass
class ImportUndoResult:
    """What undoing an import did."""

    reverted: int = 0
    deleted: int = 0


@transaction.atomic
def import_batch_undo(batch: ImportBatch, actor: AbstractBaseUser | None) -> ImportUndoResult:
    """Put every listing an import changed back as it was, and remove the listings it created.

    One transaction: all of the import is undone, or nothing. Each reverted listing gets a
    history entry (an undo of the import's entry). Raises ImportUndoRefused, listing them, when
    a listing was changed after the import, or a created one got members or requests since:
    the whole undo is refused rather than done for the rest, because staff asking to undo "this
    import" expect the listings as they were before it; a partial undo would leave a mix nobody
    reviewed, and reverting over someone's later edit would silently lose it. Those listings can
    still be reverted one by one from their history.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at is not None:
        raise ImportUndoRefused(_("Cet import a déjà été annulé."))
    entries = list(
        batch.changes.filter(
            kind__in=[OrganizationChange.Kind.CREATED, OrganizationChange.Kind.UPDATED]
        ).values_list("pk", "organization_id", "kind", "changes")
    )
    pks = [organization_id for _pk, organization_id, _kind, _changes in entries]
    organizations: dict[int, Organization] = {}
    for chunk in _chunks(pks):
        organizations.update(
            (organization.pk, organization)
            for organization in Organization.objects.select_for_update()
            .filter(_is_one_of("id", chunk))
            .only("name", *_LOADED_FIELDS)
        )
    created = [pk for _pk, pk, kind, _c in entries if kind == OrganizationChange.Kind.CREATED]
    in_use = set()
    for chunk in _chunks(created):
        in_use.update(
            Membership.objects.filter(_is_one_of("organization_id", chunk)).values_list(
                "organization_id", flat=True
            )
        )
        for relation in ("target_organization_id", "assigned_organization_id"):
            in_use.update(
                ContactRequest.objects.filter(_is_one_of(relation, chunk)).values_list(
                    relation, flat=True
                )
            )
    concerned = sorted(
        organization.name
        for organization in organizations.values()
        if organization.updated_at != batch.created_at or organization.pk in in_use
    )
    if concerned:
        shown = ", ".join(f"« {name} »" for name in concerned[:20])
        if len(concerned) > 20:
            shown += " " + _("et %(count)s autres") % {"count": len(concerned) - 20}
        raise ImportUndoRefused(
            _(
                "Import non annulé, rien n'a changé : %(count)s fiche(s) ont été modifiées ou "
                "utilisées depuis cet import (%(names)s). Annuler l'import effacerait ce travail "
                "plus récent ; annulez plutôt les modifications de l'import une par une depuis "
                "l'historique de chaque fiche."
            )
            % {"count": len(concerned), "names": shown}
        )

    now = timezone.now()
    lookups = _Lookups()
    derived = ("public_latitude", "public_longitude", "search_text")
    updated, reverts = [], []
    relinks: dict[str, list[tuple[int, list[int]]]] = {name: [] for name in _RELATION_COLUMNS}
    author = actor if actor is not None and actor.is_authenticated else None
    for entry_pk, organization_id, kind, changes in entries:
        if kind != OrganizationChange.Kind.UPDATED or organization_id not in organizations:
            continue
        organization = organizations[organization_id]
        for name, (old, _new) in changes.items():
            if name == "municipality":
                organization.municipality_id = lookups.municipality_by_refnis[old].pk
            elif name == "activities":
                relinks[name].append((organization_id, [lookups.activities[s].pk for s in old]))
            elif name == "needs":
                relinks[name].append((organization_id, [lookups.needs[s].pk for s in old]))
            elif name == "area_served":
                relinks[name].append(
                    (organization_id, [lookups.municipality_by_refnis[r].pk for r in old])
                )
            else:
                setattr(organization, name, old)
        organization.municipality = lookups.municipality_by_pk[organization.municipality_id]
        organization.refresh_derived_fields()
        updated.append(organization)
        reverts.append(
            {
                "organization_id": organization_id,
                "actor_id": author.pk if author is not None else None,
                "kind": OrganizationChange.Kind.REVERTED,
                "changes": {name: [new, old] for name, (old, new) in changes.items()},
                "reverts_id": entry_pk,
                "batch_id": None,
            }
        )
    update_rows(
        Organization,
        [
            {
                "id": organization.pk,
                **{name: getattr(organization, name) for name in (*_SCALAR_FIELDS, *derived)},
                "updated_at": now,
            }
            for organization in updated
        ],
    )
    for relation, target in zip(
        _RELATION_COLUMNS, ("activity_id", "need_id", "municipality_id"), strict=True
    ):
        through = getattr(Organization, relation).through
        for chunk in _chunks([pk for pk, _targets in relinks[relation]]):
            through.objects.filter(_is_one_of("organization_id", chunk)).delete()
        insert_rows(
            through,
            [
                {"organization_id": pk, target: target_pk}
                for pk, targets in relinks[relation]
                for target_pk in targets
            ],
        )
    insert_rows(OrganizationChange, reverts)
    removed = [pk for pk in created if pk in organizations]
    for chunk in _chunks(removed):
        Organization.objects.filter(_is_one_of("id", chunk)).delete()
    batch.undone_at = now
    batch.undone_by = author
    batch.save(update_fields=["undone_at", "undone_by"])
    directory_changed()
    return ImportUndoResult(reverted=len(updated), deleted=len(removed))
