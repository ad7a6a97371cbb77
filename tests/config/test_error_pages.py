"""The 403, 404 and 500 pages: the site's own, in the reader's language."""

import pytest
from django.template.loader import get_template
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_unknown_page_is_the_sites_own_404_in_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'class="site-header' in html
    assert 'name="near"' in html


def test_unknown_page_speaks_the_readers_language(client):
    response = client.get("/nope/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_is_the_sites_own_403_in_english(client, django_user_model):
    from tests.factories import OrganizationFactory

    member = django_user_model.objects.create_user("m@example.org", "m@example.org", "pw-long-1")
    client.force_login(member)
    organization = OrganizationFactory()
    response = client.get(
        f"/equipe/organisations/{organization.slug}/historique/",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def test_server_error_page_renders_without_request_or_database(django_assert_num_queries):
    # Django's server_error view renders 500.html with an empty context (no request, no
    # context processor); it must not need the database either.
    with django_assert_num_queries(0), translation.override("fr"):
        html = get_template("500.html").render()
    assert "Le site a rencontré une erreur" in html
    assert "/static/relais/relais.css" in html


def test_server_error_answers_with_the_custom_page(settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import config.urls

    settings.ROOT_URLCONF = type(
        "BrokenUrls",
        (),
        {"urlpatterns": [path("boom/", broken), *config.urls.urlpatterns]},
    )
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Le site a rencontré une erreur" in response.content.decode()
