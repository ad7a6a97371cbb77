"""One gate for every staff page: each URL of network/staff/urls.py, whatever its view, sends an
anonymous visitor to the member login page and refuses a logged-in member who is not staff."""

from html import unescape
from urllib.parse import quote

import pytest
from django.urls import reverse

from network.staff.urls import urlpatterns
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

# A value of the right shape for each path converter; the gate answers before any lookup.
SAMPLE = {"int": 1, "slug": "exemple", "string": "ABCD-EFGH", "path": "exemple"}


def staff_urls() -> list[str]:
    paths = []
    for pattern in urlpatterns:
        kwargs = {
            name: SAMPLE[type(converter).__name__.removesuffix("Converter").lower()]
            for name, converter in pattern.pattern.converters.items()
        }
        paths.append(reverse(f"network:{pattern.name}", kwargs=kwargs))
    return paths


STAFF_URLS = staff_urls()


def test_every_staff_page_lives_under_equipe():
    assert STAFF_URLS
    assert all(url.startswith("/equipe/") for url in STAFF_URLS)


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_the_member_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('network:login')}?next={quote(url)}"


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_who_is_not_staff_gets_the_403_page(client, url, method):
    client.force_login(MembershipFactory().user)
    response = getattr(client, method)(url)
    assert response.status_code == 403
    assert "Réservé à l'équipe de la coordination." in unescape(response.content.decode())


def test_the_403_page_speaks_the_members_language(client):
    client.force_login(MembershipFactory().user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("network:inbox"))
    assert response.status_code == 403
    assert response.headers["Content-Language"] == "en"


@pytest.mark.parametrize("url", ["/equipe/demandes/", "/equipe/import/", "/equipe/couverture/"])
def test_staff_pass_the_gate(client, url):
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200
