import pytest

from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db


def test_switching_to_dutch_keeps_the_search_and_shows_dutch(client):
    OrganizationFactory(name="Accueil Namur", municipality=real_commune("Namur"), needs=["drivers"])
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/?near=5000&need=drivers"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/?near=5000&need=drivers"
    html = client.get(response.headers["Location"]).content.decode()
    assert '<html lang="nl">' in html
    assert "Accueil Namur" in html
    # Commune names follow the reader's language.
    assert "Namen" in html


@pytest.mark.parametrize(
    ("code", "word"), [("en", "Search"), ("de", "Suchen"), ("fr", "Rechercher")]
)
def test_each_language_renders_the_search_page(client, code, word):
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    html = client.get("/").content.decode()
    assert f'<html lang="{code}">' in html
    assert word in html
