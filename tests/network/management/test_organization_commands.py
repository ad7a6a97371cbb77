"""import_organizations and export_organizations: the spreadsheet round trip staff rely on."""

import csv

import pytest
from django.core.management import CommandError, call_command

from network.demo import seed_demo
from network.imports.columns import COLUMNS
from network.listings.models import Organization
from tests.factories import OrganizationFactory
from tests.network.csv_helpers import make_csv

pytestmark = pytest.mark.django_db


FIELDS = [
    "external_id", "name", "kind", "description", "address", "postal_code", "municipality_id",
    "address_visibility", "latitude", "longitude", "email", "phone", "website", "routing_email",
    "languages", "accepting_requests", "status", "public_latitude", "public_longitude", "updated_at",
]  # fmt: skip


def snapshot() -> dict:
    """Everything an import can change, per organisation."""
    return {
        o.slug: (
            *(getattr(o, name) for name in FIELDS),
            tuple(sorted(a.slug for a in o.activities.all())),
            tuple(sorted(n.slug for n in o.needs.all())),
            tuple(sorted(m.refnis for m in o.area_served.all())),
        )
        for o in Organization.objects.prefetch_related("activities", "needs", "area_served")
    }


def read_rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_demo_csv_round_trip_import_export_import_changes_nothing(tmp_path):
    seed_demo()
    exported = tmp_path / "demo.csv"
    call_command("export_organizations", str(exported), "--include-private", verbosity=0)
    Organization.objects.all().delete()

    call_command("import_organizations", str(exported), verbosity=0)
    after_import = snapshot()
    again = tmp_path / "again.csv"
    call_command("export_organizations", str(again), "--include-private", verbosity=0)
    call_command("import_organizations", str(again), "--update", verbosity=0)

    assert len(after_import) == 66
    assert snapshot() == after_import
    # The same cells, but the versions: the listings were created anew by the first import.
    without_version = [
        [{**row, "version": ""} for row in read_rows(path)] for path in (exported, again)
    ]
    assert without_version[0] == without_version[1]


def test_export_writes_the_columns_in_order_with_a_bom_and_semicolons(tmp_path):
    OrganizationFactory(activities=["transport", "shelter"])
    path = tmp_path / "out.csv"

    call_command("export_organizations", str(path), verbosity=0)

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode().splitlines()[0] == ";".join(COLUMNS)
    assert read_rows(path)[0]["activities"] == "shelter;transport"


def test_export_without_include_private_hides_private_columns_and_unpublished_rows(
    tmp_path, commune
):
    OrganizationFactory(
        name="Cachée", slug="cachee", routing_email="secret@example.org", address="Rue privée 1"
    )
    OrganizationFactory(
        name="Publique", slug="publique", address_visibility=Organization.AddressVisibility.EXACT,
        address="Place publique 2", routing_email="secret2@example.org",
    )  # fmt: skip
    OrganizationFactory(name="En attente", slug="en-attente", status=Organization.Status.PENDING)
    public, complete = tmp_path / "public.csv", tmp_path / "complete.csv"

    call_command("export_organizations", str(public), verbosity=0)
    call_command("export_organizations", str(complete), "--include-private", verbosity=0)

    rows = {row["name"]: row for row in read_rows(public)}
    assert set(rows) == {"Cachée", "Publique"}
    assert "secret" not in public.read_text(encoding="utf-8-sig")
    assert (rows["Cachée"]["address"], rows["Cachée"]["latitude"], rows["Cachée"]["longitude"]) == (
        "",
        "",
        "",
    )
    assert rows["Publique"]["address"] == "Place publique 2" and rows["Publique"]["latitude"]
    complete_rows = {row["name"]: row for row in read_rows(complete)}
    assert set(complete_rows) == {"Cachée", "Publique", "En attente"}
    assert complete_rows["Cachée"]["routing_email"] == "secret@example.org"
    assert complete_rows["Cachée"]["address"] == "Rue privée 1"


def test_import_command_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_bytes(make_csv({}))

    call_command("import_organizations", str(path))

    assert "1 créées" in capsys.readouterr().out
    assert Organization.objects.count() == 1


def test_import_command_reports_each_bad_line_and_fails_without_writing(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_bytes(
        make_csv(
            {"external_id": "a"},
            {"external_id": "b", "kind": "club"},
            {"external_id": "c", "email": "non"},
        )
    )

    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_organizations", str(path), verbosity=0)

    errors = capsys.readouterr().err
    assert "ligne 3, colonne « kind »" in errors
    assert "ligne 4, colonne « email »" in errors
    assert Organization.objects.count() == 0


def test_import_command_skip_invalid_and_dry_run(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        make_csv(
            {"external_id": "a", "name": "A"}, {"external_id": "b", "name": "B", "kind": "club"}
        )
    )

    call_command("import_organizations", str(path), "--skip-invalid", "--dry-run", verbosity=0)
    assert Organization.objects.count() == 0

    call_command("import_organizations", str(path), "--skip-invalid", verbosity=0)
    assert list(Organization.objects.values_list("name", flat=True)) == ["A"]


def test_import_command_refuses_a_missing_file_clearly(tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command("import_organizations", str(tmp_path / "absent.csv"), verbosity=0)
