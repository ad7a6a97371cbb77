"""CSV import of a 10,000-row staff spreadsheet: creation, unchanged re-import, 10% updated.

The file has every column of the import format, filled the way staff fill it: accented names,
communes written by French name, Dutch or German name, upper case without accents or REFNIS
code, postal codes of the real gazetteer, decimal commas, phone numbers in several styles,
websites without scheme, multi-line descriptions, some rows without external_id.

The imports go through `manage.py import_organizations` (tqdm progress bar included, written to
/dev/null) and run once, whatever the sizes asked for; what they created is deleted afterwards,
so the other benchmarks still find exactly `size` listings. The staff upload page's
preview (validation only, nothing written) is measured on the same file.
"""

import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bench.harness import Report
from maps.models import Municipality, PostalCode
from maps.text import fold

# The spreadsheet staff keep by hand: the data columns, without an export's version or withheld.
from network.imports.columns import DATA_COLUMNS as COLUMNS
from network.listings.models import ActivitySlug, NeedSlug, Organization

BENCHMARK = "import"
ROWS = 10_000
TARGET_ROWS_PER_SECOND = 2_000
_done = False

_PREFIXES = [
    "Collectif citoyen",
    "Réseau d'hébergement",
    "Plateforme citoyenne",
    "Maison de l'entraide",
    "Solidarité Exilé·es",
    "Accueil & Partage",
    "Les Amis de l'Hôte",
    "Asbl Vivre Ensemble",
    "Épicerie solidaire",
    "Comité d'accueil",
]
_STREETS = [
    "Rue de l'Église",
    "Place Saint-Aubain",
    "Chaussée de Louvain",
    "Rue du Pont d'Avroy",
    "Avenue Reine Élisabeth",
    "Quai de Meuse",
    "Rue Émile Vandervelde",
    "Rue des Écoles",
]
_DESCRIPTIONS = [
    "Hébergement d'urgence chez l'habitant, repas partagés et accompagnement vers les services.",
    "Permanence d'accueil le mardi ; cours de français, aide administrative et vestiaire.",
    "Transport vers Bruxelles et les centres, colis alimentaires.\nAppelez avant de passer.",
    "Collectif de citoyen·nes : hébergement, trajets, « café solidaire » le samedi.",
]
_LANGUAGES = ["fr", "fr;nl", "fr;en", "fr;en;ar", "fr;de", "nl;fr;en", "fr;es;pt"]
_PHONES = ["+32 {a} {b} {c} {d}", "0{a}/{b}.{c}.{d}", "0{a} {b} {c} {d}"]


def build_csv(rows: int = ROWS, seed: int = 11) -> bytes:
    """A staff spreadsheet of `rows` new organisations spread over the real Walloon communes."""
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.order_by("refnis"))
    codes_by_municipality: dict[int, list[PostalCode]] = {}
    for postal_code in PostalCode.objects.order_by("code", "pk"):
        codes_by_municipality.setdefault(postal_code.municipality_id, []).append(postal_code)
    activities, needs = list(ActivitySlug.values), list(NeedSlug.values)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for number in range(1, rows + 1):
        municipality = rng.choice(municipalities)
        codes = codes_by_municipality.get(municipality.pk, [])
        postal_code = rng.choice(codes) if codes and rng.random() < 0.85 else None
        style = rng.random()
        if style < 0.65:
            commune_cell = municipality.name_fr
        elif style < 0.8:
            commune_cell = municipality.refnis
        elif style < 0.9:
            commune_cell = fold(municipality.name_fr).upper()
        else:
            commune_cell = municipality.name_de or municipality.name_nl or municipality.name_fr
        if postal_code is None and rng.random() < 0.5:
            commune_cell = municipality.name_fr
        exact = rng.random() < 0.4
        point = postal_code or municipality
        latitude = longitude = ""
        if exact:
            latitude = f"{point.latitude + rng.uniform(-0.01, 0.01):.6f}"
            longitude = f"{point.longitude + rng.uniform(-0.01, 0.01):.6f}"
            if rng.random() < 0.3:
                latitude, longitude = latitude.replace(".", ","), longitude.replace(".", ",")
        place = postal_code.locality if postal_code else municipality.name_fr
        name = f"{rng.choice(_PREFIXES)} de {place} n° {number}"
        domain = f"accueil-{number}.example.org"
        served = []
        for other in rng.sample(municipalities, rng.randint(0, 3)):
            other_codes = codes_by_municipality.get(other.pk)
            served.append(
                other_codes[0].code if other_codes and rng.random() < 0.5 else other.refnis
            )
        digits = {
            "a": rng.randint(10, 99),
            "b": rng.randint(10, 99),
            "c": rng.randint(10, 99),
            "d": rng.randint(10, 99),
        }
        cells = {
            # A few rows come from a sheet without identifiers: matched on the name's slug.
            "external_id": "" if number % 20 == 0 else f"TAB-{number:05d}",
            "name": name,
            "kind": rng.choice(["collective", "collective", "association", "Association"]),
            "description": rng.choice(_DESCRIPTIONS),
            "activities": ";".join(rng.sample(activities, rng.randint(1, 4))),
            "needs": ", ".join(rng.sample(needs, rng.randint(0, 3))),
            "address": f"{rng.choice(_STREETS)} {rng.randint(1, 250)}",
            "postal_code": postal_code.code if postal_code else "",
            "municipality": commune_cell,
            "address_visibility": "exact" if exact else rng.choice(["commune", ""]),
            "latitude": latitude,
            "longitude": longitude,
            "email": f"contact@{domain}" if rng.random() < 0.8 else "",
            "phone": rng.choice(_PHONES).format(**digits) if rng.random() < 0.7 else "",
            "website": rng.choice([f"https://www.{domain}/", f"www.{domain}", ""]),
            "routing_email": f"coordination@{domain}",
            "languages": rng.choice(_LANGUAGES),
            "area_served": ";".join(served),
            "accepting_requests": rng.choice(["yes", "oui", "no", ""]),
            "status": rng.choice(["published", "published", "published", "pending"]),
        }
        writer.writerow([cells[column] for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def edit_one_row_in_ten(data: bytes) -> bytes:
    """The same file with every tenth organisation changed (description, phone or needs)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header = next(reader)
    writer.writerow(header)
    for index, cells in enumerate(reader):
        if index % 10 == 0:
            row = dict(zip(header, cells, strict=True))
            change = index // 10 % 3
            if change == 0:
                row["description"] += " Nouveau : permanence le jeudi soir."
            elif change == 1:
                row["phone"] = "+32 470 00 00 00"
            else:
                row["needs"] = "hosts;interpreters;drivers;funds;volunteers"
            cells = [row[column] for column in header]
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _command_seconds(path: Path, *, update: bool = False) -> float:
    """Wall time of `manage.py import_organizations`, progress bar on (to /dev/null)."""
    summary = io.StringIO()
    with open(os.devnull, "w") as sink:
        started = time.perf_counter()
        call_command("import_organizations", str(path), update=update, stdout=summary, stderr=sink)
        elapsed = time.perf_counter() - started
    print(f"[import] {path.name}: {summary.getvalue().strip()}", file=sys.stderr)
    return elapsed


def _preview_seconds(data: bytes) -> float:
    """Wall time of the staff upload page's preview (every row validated, nothing written)."""
    staff, _created = get_user_model().objects.get_or_create(
        username="bench-import-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    upload = SimpleUploadedFile("organisations.csv", data, content_type="text/csv")
    started = time.perf_counter()
    response = client.post(reverse("network:organization_import"), {"file": upload})
    elapsed = time.perf_counter() - started
    page = response.content.decode()
    # The page's summary: every row would be created, none is invalid.
    assert response.status_code == 200 and f"{ROWS} créées" in page and " 0 invalides" in page
    client.logout()
    staff.delete()
    return elapsed


def _rate_row(report: Report, size: int, measure: str, seconds: float, target: bool) -> None:
    rate = ROWS / seconds
    report.add(
        BENCHMARK,
        size,
        f"{measure} ({ROWS:,} rows)",
        f"{rate:,.0f} rows/s ({seconds:.2f} s)",
        f">= {TARGET_ROWS_PER_SECOND:,} rows/s" if target else "",
        rate >= TARGET_ROWS_PER_SECOND if target else None,
    )


def run(report: Report, size: int) -> None:
    """Measure the import once (at the first size), leaving the database as it found it."""
    global _done
    if _done:
        return
    _done = True
    data = build_csv()
    edited = edit_one_row_in_ten(data)
    before = Organization.objects.count()
    directory = Path(tempfile.mkdtemp(prefix="relais-bench-import-"))
    original, changed = directory / "organisations.csv", directory / "organisations-edited.csv"
    original.write_bytes(data)
    changed.write_bytes(edited)

    preview = _preview_seconds(data)
    report.add(
        BENCHMARK,
        size,
        f"staff upload preview, validation only ({ROWS:,} rows)",
        f"{preview * 1000:,.0f} ms ({ROWS / preview:,.0f} rows/s)",
    )
    # Each import commits, as the command does: on PostgreSQL the deferred foreign-key checks
    # of every inserted row run at commit and belong in the measure (a rolled-back transaction
    # would skip them). What the imports created is deleted afterwards, so the next benchmark
    # finds exactly `size` listings again.
    last_pk = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        creation = _command_seconds(original)
        assert Organization.objects.count() == before + ROWS
        reimport = _command_seconds(original, update=True)
        updated = _command_seconds(changed, update=True)
    finally:
        Organization.objects.filter(pk__gt=last_pk).delete()
    assert Organization.objects.count() == before
    for path in (original, changed):
        path.unlink()
    directory.rmdir()
    _rate_row(report, size, "creation, manage.py import_organizations", creation, True)
    _rate_row(report, size, "unchanged re-import --update", reimport, True)
    _rate_row(report, size, "re-import --update, 10% of rows changed", updated, False)
    report.add(BENCHMARK, size, "CSV file size", f"{len(data) / 1_000_000:.1f} MB")
