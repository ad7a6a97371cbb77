"""CSV import service: validation with line and column, all or nothing, idempotent re-import."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.imports.services import ImportFileError, organizations_import_csv
from network.listings.models import Organization
from tests.factories import OrganizationFactory
from tests.network.csv_helpers import VALID_ROW, make_csv

pytestmark = pytest.mark.django_db


def test_a_valid_row_creates_the_organisation_with_its_relations(commune):
    result = organizations_import_csv(make_csv({}))

    assert (result.created, result.errors, result.applied) == (1, [], True)
    organization = Organization.objects.get(external_id="tab-001")
    assert organization.slug == "collectif-de-namur"
    assert organization.municipality == commune("Namur")
    assert sorted(a.slug for a in organization.activities.all()) == ["shelter", "transport"]
    assert [n.slug for n in organization.needs.all()] == ["drivers"]
    assert organization.languages == "fr,en"
    assert sorted(m.name_fr for m in organization.area_served.all()) == ["Namur", "Profondeville"]
    assert organization.routing_email == "prive@collectif-namur.example.org"
    assert organization.status == Organization.Status.PUBLISHED
    # Derived fields are filled although bulk_create bypasses save().
    assert (organization.public_latitude, organization.public_longitude) == (
        commune("Namur").latitude,
        commune("Namur").longitude,
    )
    assert "namur" in organization.search_text


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (";", False), (",", True), (";", True)]
)
def test_utf8_with_or_without_bom_and_comma_or_semicolon_are_read_alike(delimiter, bom):
    result = organizations_import_csv(
        make_csv(
            {
                "name": "Hébergeurs de Liège",
                "municipality": "Liège",
                "postal_code": "4000",
                "area_served": "",
            },
            delimiter=delimiter,
            bom=bom,
        )
    )

    assert result.errors == []
    assert Organization.objects.get().name == "Hébergeurs de Liège"


def test_municipality_may_be_a_refnis_code_and_the_point_comes_from_the_gazetteer(commune):
    organizations_import_csv(
        make_csv({"municipality": "92142", "postal_code": "", "latitude": "", "longitude": ""})
    )

    organization = Organization.objects.get()
    assert organization.municipality == commune("Gembloux")
    assert (organization.latitude, organization.longitude) == (
        commune("Gembloux").latitude,
        commune("Gembloux").longitude,
    )


def test_a_postal_code_alone_gives_the_municipality_and_the_postal_code_point():
    from maps.models import PostalCode

    organizations_import_csv(
        make_csv({"municipality": "", "postal_code": "5030", "latitude": "", "longitude": ""})
    )

    organization = Organization.objects.get()
    point = PostalCode.objects.get(code="5030")
    assert organization.municipality.name_fr == "Gembloux"
    assert (organization.latitude, organization.longitude) == (point.latitude, point.longitude)


def test_importing_the_same_file_twice_changes_nothing():
    data = make_csv(
        {},
        {
            "external_id": "",
            "name": "Sans identifiant",
            "municipality": "Arlon",
            "postal_code": "",
            "area_served": "",
        },
    )
    organizations_import_csv(data)
    before = {o.pk: o.updated_at for o in Organization.objects.all()}

    for update in (False, True):
        result = organizations_import_csv(data, update=update)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)

    assert {o.pk: o.updated_at for o in Organization.objects.all()} == before


def test_rows_match_on_external_id_then_on_the_slug_of_the_name():
    existing = OrganizationFactory(
        name="Collectif de Namur", slug="collectif-de-namur", external_id=""
    )
    renamed = OrganizationFactory(name="Ancien nom", slug="ancien-nom", external_id="tab-002")

    result = organizations_import_csv(
        make_csv({"external_id": ""}, {"external_id": "tab-002", "name": "Nouveau nom"}),
        update=True,
    )

    assert (result.created, result.updated) == (0, 2)
    renamed.refresh_from_db()
    assert renamed.name == "Nouveau nom" and renamed.slug == "ancien-nom"
    existing.refresh_from_db()
    assert existing.routing_email == VALID_ROW["routing_email"]


def test_without_update_existing_organisations_are_left_as_they_are():
    existing = OrganizationFactory(
        name="Collectif de Namur", external_id="tab-001", description="Ancienne"
    )

    result = organizations_import_csv(make_csv({}))

    assert (result.created, result.skipped, result.updated) == (0, 1, 0)
    existing.refresh_from_db()
    assert existing.description == "Ancienne"


def test_update_replaces_fields_and_relations_and_refreshes_the_public_point(commune):
    existing = OrganizationFactory(
        external_id="tab-001", activities=["food"], municipality=commune("Namur")
    )

    organizations_import_csv(
        make_csv(
            {
                "activities": "health",
                "municipality": "Arlon",
                "postal_code": "",
                "latitude": "",
                "longitude": "",
                "area_served": "",
            }
        ),
        update=True,
    )

    existing.refresh_from_db()
    assert [a.slug for a in existing.activities.all()] == ["health"]
    assert existing.municipality == commune("Arlon")
    assert (existing.public_latitude, existing.public_longitude) == (
        commune("Arlon").latitude,
        commune("Arlon").longitude,
    )


def test_a_same_named_organisation_with_another_external_id_is_a_new_one():
    OrganizationFactory(name="Collectif de Namur", slug="collectif-de-namur", external_id="autre")

    organizations_import_csv(make_csv({}))

    assert sorted(Organization.objects.values_list("slug", flat=True)) == [
        "collectif-de-namur",
        "collectif-de-namur-2",
    ]


BAD_ROWS = [
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"kind": "club"}, "kind"),
    ({"activities": "shelter;juggling"}, "activities"),
    ({"needs": "money"}, "needs"),
    ({"municipality": "Atlantide"}, "municipality"),
    ({"municipality": "", "postal_code": ""}, "municipality"),
    ({"postal_code": "1000"}, "postal_code"),
    ({"postal_code": "4000"}, "postal_code"),  # Liège's code, but the row says Namur
    ({"latitude": "50.4", "longitude": ""}, "longitude"),
    ({"latitude": "nord"}, "latitude"),
    ({"latitude": "48.85", "longitude": "4.5"}, "latitude"),  # south of Belgium
    ({"address_visibility": "secret"}, "address_visibility"),
    ({"email": "pas-une-adresse"}, "email"),
    ({"routing_email": "prive@"}, "routing_email"),
    ({"website": "http://"}, "website"),
    ({"languages": "fr;klingon"}, "languages"),
    ({"area_served": "92094;99999"}, "area_served"),
    ({"accepting_requests": "peut-être"}, "accepting_requests"),
    ({"status": "archived"}, "status"),
    ({"phone": "0" * 41}, "phone"),
    # PostgreSQL cannot store NUL in a text column: refused as a row error, not a crash.
    ({"description": "Accueil\x00de jour"}, "description"),
]


@pytest.mark.parametrize(("cells", "column"), BAD_ROWS)
def test_each_kind_of_bad_row_is_rejected_with_its_line_and_column_and_nothing_is_written(
    cells, column
):
    data = make_csv({"external_id": "ok-1", "name": "Valide"}, {"external_id": "bad", **cells})

    result = organizations_import_csv(data)

    assert result.applied is False
    assert Organization.objects.count() == 0
    assert [(error.line, error.column) for error in result.errors] == [(3, column)]
    assert "ligne 3" in str(result.errors[0]) and column in str(result.errors[0])


def test_line_numbers_are_the_spreadsheet_rows_whatever_the_multi_line_cells():
    # A spreadsheet shows a multi-line cell in one row: header = row 1, first data row = row 2.
    data = make_csv(
        {
            "external_id": "a",
            "name": "A",
            "description": "Première ligne\nDeuxième ligne\nTroisième",
        },
        {"external_id": "b", "kind": "?"},
    )
    # A blank row is still a row of the spreadsheet.
    data = data.replace(b"\nb,", b"\n\nb,")

    result = organizations_import_csv(data)

    assert [(error.line, error.column) for error in result.errors] == [(4, "kind")]


def test_duplicate_rows_in_one_file_are_reported():
    result = organizations_import_csv(
        make_csv(
            {"external_id": "x"},
            {"external_id": "x", "name": "Autre"},
            {"external_id": "", "name": "Même nom"},
            {"external_id": "", "name": "Même nom"},
        )
    )

    assert [(error.line, error.column) for error in result.errors] == [
        (3, "external_id"),
        (5, "external_id"),
    ]
    assert Organization.objects.count() == 0


def test_a_row_with_too_many_cells_is_reported():
    data = make_csv({}).replace(b"\n", b",en trop\n", 2).replace(b",en trop\n", b"\n", 1)

    result = organizations_import_csv(data)

    assert [(error.line, error.column) for error in result.errors] == [(2, "")]


def test_skip_invalid_imports_the_valid_rows_and_reports_the_others():
    data = make_csv(
        {"external_id": "a", "name": "A"},
        {"external_id": "b", "name": "B", "kind": "?"},
        {"external_id": "c", "name": "C"},
    )

    result = organizations_import_csv(data, skip_invalid=True)

    assert result.applied
    assert (result.created, result.invalid_rows) == (2, 1)
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["A", "C"]


def test_dry_run_reports_without_writing():
    result = organizations_import_csv(make_csv({}), dry_run=True)

    assert (result.created, result.applied) == (1, False)
    assert Organization.objects.count() == 0
    assert "Simulation" in result.summary


def test_a_file_not_in_utf8_is_refused_with_a_clear_message():
    data = make_csv({"name": "Hébergeurs"}).decode("utf-8").encode("latin-1")

    with pytest.raises(ImportFileError, match="UTF-8"):
        organizations_import_csv(data)


def test_unknown_columns_or_a_missing_name_are_refused_before_any_row():
    from network.imports.columns import COLUMNS

    columns = [c for c in COLUMNS if c != "name"] + ["couleur"]
    with pytest.raises(ImportFileError) as raised:
        organizations_import_csv(make_csv({}, columns=columns))

    assert "name" in raised.value.message and "couleur" in raised.value.message
    assert Organization.objects.count() == 0


def test_an_empty_file_is_refused():
    with pytest.raises(ImportFileError):
        organizations_import_csv(b"")


def test_progress_is_reported_up_to_the_number_of_rows():
    seen = []

    organizations_import_csv(
        make_csv(*({"external_id": f"p{i}", "name": f"P {i}"} for i in range(3))),
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen[-1] == (3, 3)


def test_created_and_updated_listings_get_a_history_entry_by_the_importer(commune):
    from network.listings.models import OrganizationChange
    from tests.factories import StaffFactory

    staff = StaffFactory()
    existing = OrganizationFactory(
        external_id="tab-002", name="Ancien", needs=["funds"], municipality=commune("Namur")
    )

    organizations_import_csv(
        make_csv({}, {"external_id": "tab-002", "name": "Nouveau", "needs": "drivers"}),
        update=True,
        actor=staff,
    )

    created = Organization.objects.get(external_id="tab-001")
    assert list(created.changes.values_list("kind", "actor")) == [
        (OrganizationChange.Kind.CREATED, staff.pk)
    ]
    change = existing.changes.get()
    assert change.actor == staff
    assert change.changes["name"] == ["Ancien", "Nouveau"]
    assert change.changes["needs"] == [["funds"], ["drivers"]]


def test_an_unchanged_reimport_adds_no_history():
    data = make_csv({})
    organizations_import_csv(data)

    organizations_import_csv(data, update=True)

    assert Organization.objects.get().changes.count() == 1  # its creation only


def _import_queries(data: bytes, **options) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = organizations_import_csv(data, **options)
    return len(queries), result


def _rows(prefix: str, count: int, **cells) -> bytes:
    return make_csv(
        *({"external_id": f"{prefix}{i}", "name": f"{prefix} {i}", **cells} for i in range(count))
    )


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows():
    # The bulk shape of the import: 3x the rows, not one query more (creation, unchanged
    # re-import, update of every row). Not timed: bench/imports.py measures the speed.
    small, large = _rows("s", 4), _rows("l", 12)
    created_small, result = _import_queries(small)
    created_large, result_large = _import_queries(large)
    assert (result.created, result_large.created) == (4, 12)
    assert created_large == created_small

    unchanged_small, _result = _import_queries(small, update=True)
    unchanged_large, result = _import_queries(large, update=True)
    assert result.unchanged == 12
    assert unchanged_large == unchanged_small

    updated_small, _result = _import_queries(_rows("s", 4, needs="hosts"), update=True)
    updated_large, result = _import_queries(_rows("l", 12, needs="hosts"), update=True)
    assert result.updated == 12
    assert updated_large == updated_small
    assert Organization.objects.filter(needs__slug="hosts").count() == 16


# --- Re-import of exports: absent and withheld columns, versions, batches and their undo ---


def _export(include_private: bool) -> bytes:
    import csv
    import io

    from network.imports.columns import COLUMNS as ALL_COLUMNS
    from network.imports.selectors import organization_csv_rows

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(ALL_COLUMNS)
    writer.writerows(organization_csv_rows(include_private=include_private))
    return buffer.getvalue().encode("utf-8")


def test_a_column_left_out_keeps_the_stored_value():
    existing = OrganizationFactory(external_id="tab-001", routing_email="garde@example.org")
    columns = ["external_id", "name", "phone"]

    result = organizations_import_csv(
        make_csv({"name": existing.name, "phone": "0499 99 99 99"}, columns=columns), update=True
    )

    assert (result.updated, result.errors) == (1, [])
    assert [name for name, _old, _new in result.rows[0].change_cells] == ["phone"]
    existing.refresh_from_db()
    assert existing.routing_email == "garde@example.org" and existing.phone == "0499 99 99 99"


def test_a_typed_value_in_a_withheld_column_is_imported_but_a_blank_one_is_not():
    existing = OrganizationFactory(external_id="tab-001", address="Rue privée 1")
    data = _export(include_private=False).decode()
    # Street and postal code are blank and withheld in the public export; type a street.
    typed = data.replace(
        ";;;" + existing.municipality.name_fr, ";Rue neuve 2;;" + existing.municipality.name_fr, 1
    )

    blank = organizations_import_csv(data.encode(), update=True)
    assert (blank.unchanged, blank.updated) == (1, 0)
    result = organizations_import_csv(typed.encode(), update=True)

    assert result.rows[0].change_cells == [("address", "Rue privée 1", "Rue neuve 2")]
    existing.refresh_from_db()
    assert existing.address == "Rue neuve 2" and existing.routing_email


def test_a_stale_row_is_refused_and_the_newer_value_survives():
    from network.listings.services import organization_update

    existing = OrganizationFactory(external_id="tab-001", phone="010 00 00 00")
    other = OrganizationFactory(external_id="tab-002", phone="010 11 11 11")
    exported = _export(include_private=True)
    organization_update(existing, phone="010 22 22 22")  # someone edits after the export

    edited = exported.replace(b"010 00 00 00", b"010 33 33 33").replace(
        b"010 11 11 11", b"010 44 44 44"
    )
    result = organizations_import_csv(edited, update=True)

    assert result.applied is False
    [error] = result.errors
    assert (error.column, error.line) == ("version", 2 if existing.name < other.name else 3)
    assert "modifiée depuis cet export" in str(error)
    existing.refresh_from_db()
    other.refresh_from_db()
    assert (existing.phone, other.phone) == ("010 22 22 22", "010 11 11 11")
    # With skip_invalid the other rows go in, the stale one still does not.
    organizations_import_csv(edited, update=True, skip_invalid=True)
    existing.refresh_from_db()
    other.refresh_from_db()
    assert (existing.phone, other.phone) == ("010 22 22 22", "010 44 44 44")


def test_a_row_without_the_version_column_is_imported_as_before():
    existing = OrganizationFactory(external_id="tab-001", name="Collectif de Namur")
    from network.imports.columns import DATA_COLUMNS

    result = organizations_import_csv(
        make_csv({"phone": "081 99 99 99"}, columns=DATA_COLUMNS), update=True
    )

    assert result.errors == [] and result.updated == 1
    existing.refresh_from_db()
    assert existing.phone == "081 99 99 99"


def test_an_import_is_one_batch_and_its_undo_restores_fields_and_relations(commune):
    from network.imports.services import import_batch_undo
    from network.listings.models import ImportBatch, OrganizationChange
    from tests.factories import StaffFactory

    staff = StaffFactory()
    existing = OrganizationFactory(
        external_id="tab-002",
        name="Ancien",
        needs=["funds"],
        activities=["food"],
        municipality=commune("Namur"),
    )
    existing.area_served.set([commune("Namur")])
    before = (existing.name, existing.municipality_id, existing.latitude)

    result = organizations_import_csv(
        make_csv(
            {},
            {
                "external_id": "tab-002",
                "name": "Nouveau",
                "needs": "drivers",
                "municipality": "Arlon",
                "postal_code": "",
                "area_served": "",
                "latitude": "",
                "longitude": "",
            },
        ),
        update=True,
        actor=staff,
        file_name="tableur.csv",
    )

    batch = ImportBatch.objects.get()
    assert batch == result.batch
    assert (batch.file_name, batch.actor, batch.created, batch.updated) == (
        "tableur.csv",
        staff,
        1,
        1,
    )
    assert OrganizationChange.objects.filter(batch=batch).count() == 2

    undone = import_batch_undo(batch, actor=staff)

    assert (undone.reverted, undone.deleted) == (1, 1)
    assert not Organization.objects.filter(external_id="tab-001").exists()
    existing.refresh_from_db()
    assert (existing.name, existing.municipality_id, existing.latitude) == before
    assert [n.slug for n in existing.needs.all()] == ["funds"]
    assert [a.slug for a in existing.activities.all()] == ["food"]
    assert [m.name_fr for m in existing.area_served.all()] == ["Namur"]
    assert existing.public_latitude == commune("Namur").latitude
    revert = existing.changes.get(kind=OrganizationChange.Kind.REVERTED)
    assert revert.actor == staff and revert.reverts.batch == batch
    batch.refresh_from_db()
    assert batch.undone_by == staff


def test_undo_is_refused_when_a_listing_changed_since_the_import():
    from django.core.exceptions import ValidationError

    from network.imports.services import import_batch_undo
    from network.listings.models import ImportBatch
    from network.listings.services import organization_update

    existing = OrganizationFactory(external_id="tab-002", name="Ancien")
    organizations_import_csv(
        make_csv({}, {"external_id": "tab-002", "name": "Nouveau"}), update=True
    )
    created = Organization.objects.get(external_id="tab-001")
    organization_update(created, phone="0470 12 34 56")  # edited by someone after the import

    with pytest.raises(ValidationError) as refused:
        import_batch_undo(ImportBatch.objects.get(), actor=None)

    assert "Collectif de Namur" in refused.value.messages[0]
    assert "Nouveau" not in refused.value.messages[0]
    existing.refresh_from_db()
    assert existing.name == "Nouveau"  # nothing undone
    assert Organization.objects.filter(pk=created.pk).exists()
    assert ImportBatch.objects.get().undone_at is None
