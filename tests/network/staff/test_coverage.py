import json
import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize("name", ["network:coverage", "network:coverage_data"])
def test_coverage_is_for_staff_only(client, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_staff_see_the_table_of_municipalities_nobody_covers(staff_client, commune):
    OrganizationFactory(municipality=commune("Namur"), area_served=[commune("Andenne")])
    response = staff_client.get(reverse("network:coverage"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "259 communes sans organisation" in html
    uncovered = re.findall(r"<tr>\s*<td>([^<]+)</td>", html)
    assert len(uncovered) == 259
    assert "Dinant" in uncovered
    assert "Namur" not in uncovered and "Andenne" not in uncovered


def test_the_coverage_link_is_in_the_navigation_for_staff_only(client, staff_client):
    assert (
        reverse("network:coverage")
        in staff_client.get(reverse("directory:search")).content.decode()
    )
    client.logout()
    assert (
        reverse("network:coverage") not in client.get(reverse("directory:search")).content.decode()
    )


def test_filters_narrow_the_map_data_and_the_table(staff_client, commune):
    OrganizationFactory(municipality=commune("Namur"), activities=["shelter"])
    html = staff_client.get(reverse("network:coverage"), {"activity": "food"}).content.decode()
    assert "261 communes sans organisation" in html
    data = json.loads(
        staff_client.get(reverse("network:coverage_data"), {"activity": "shelter"}).content
    )
    counts = {row[0]: row[4] for row in data["rows"]}
    assert counts["Namur"] == 1 and counts["Dinant"] == 0
    assert len(counts) == 261


def test_an_unknown_filter_is_reported_and_ignored(staff_client, commune):
    OrganizationFactory(municipality=commune("Namur"))
    response = staff_client.get(
        reverse("network:coverage"), {"need": "licornes", "activity": "shelter"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Besoin inconnu" in html
    assert "261 communes sans organisation" in html
