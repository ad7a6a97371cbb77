import pytest

from network.listings.maps import coverage_rows, municipality_coverage, organization_map_rows
from network.listings.models import Organization
from network.listings.selectors import organization_list_public
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def coverage_by_name(**filters) -> dict[str, int]:
    return {
        item.municipality.name_fr: item.organizations for item in municipality_coverage(**filters)
    }


def test_map_rows_use_the_commune_point_for_a_private_address(commune):
    OrganizationFactory(municipality=commune("Ciney"), latitude=50.301234, longitude=5.101234)
    [row] = organization_map_rows(organization_list_public())
    assert (row.latitude, row.longitude) == (commune("Ciney").latitude, commune("Ciney").longitude)


def test_map_rows_use_the_exact_point_when_the_address_is_public():
    OrganizationFactory(
        address_visibility=Organization.AddressVisibility.EXACT, latitude=50.4711, longitude=4.8722
    )
    [row] = organization_map_rows(organization_list_public())
    assert (row.latitude, row.longitude) == (50.4711, 4.8722)


def test_map_rows_carry_kind_and_needs_as_indexes(django_assert_max_num_queries):
    OrganizationFactory(
        kind=Organization.Kind.MUNICIPALITY, needs=["volunteers", "drivers"], name="Commune"
    )
    OrganizationFactory.create_batch(5, needs=["hosts"])
    with django_assert_max_num_queries(3):
        rows = {row.name: row for row in organization_map_rows(organization_list_public())}
    assert rows["Commune"].kind == 2
    # volunteers is need 0 and drivers need 2 in the taxonomy order.
    assert rows["Commune"].needs_mask == 0b101


def test_coverage_counts_the_area_served_and_the_own_commune(commune):
    OrganizationFactory(
        municipality=commune("Namur"), area_served=[commune("Namur"), commune("Andenne")]
    )
    OrganizationFactory(municipality=commune("Andenne"))
    coverage = coverage_by_name()
    assert len(coverage) == 261
    assert (coverage["Namur"], coverage["Andenne"], coverage["Dinant"]) == (1, 2, 0)


def test_coverage_ignores_unpublished_organisations(commune):
    OrganizationFactory(municipality=commune("Namur"), status=Organization.Status.SUSPENDED)
    assert coverage_by_name()["Namur"] == 0


def test_coverage_filters_by_activity_and_need(commune):
    OrganizationFactory(municipality=commune("Namur"), activities=["shelter"], needs=["drivers"])
    OrganizationFactory(municipality=commune("Namur"), activities=["food"], needs=["drivers"])
    assert coverage_by_name(activity="shelter")["Namur"] == 1
    assert coverage_by_name(need="drivers")["Namur"] == 2
    assert coverage_by_name(activity="shelter", need="hosts")["Namur"] == 0


def test_coverage_rows_give_every_municipality_an_area():
    rows = coverage_rows(municipality_coverage())
    assert len(rows) == 261
    assert all(row.area.radius_km >= 3 for row in rows)
