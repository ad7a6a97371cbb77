import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/espace/connexion/"
PASSWORD = "correct horse battery staple"


def test_member_logs_in_with_their_email_whatever_its_case(client):
    UserFactory(username="marie@example.org", email="marie@example.org")
    response = client.post(LOGIN, {"username": "  Marie@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200


def test_staff_account_created_with_another_username_logs_in_by_email(client):
    UserFactory(username="coordination", email="Equipe@Example.org")
    response = client.post(LOGIN, {"username": "equipe@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_shows_a_french_message_and_logs_nobody_in(client):
    UserFactory(username="marie@example.org")
    response = client.post(LOGIN, {"username": "marie@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert client.get("/espace/").status_code == 302


def test_passwords_are_hashed_with_argon2():
    user = UserFactory(username="hash@example.org")
    assert get_user_model().objects.get(pk=user.pk).password.startswith("argon2")


def test_repeated_failures_lock_the_login_out_with_a_clear_french_page(client, settings):
    UserFactory(username="cible@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post(LOGIN, {"username": "cible@example.org", "password": "x"}).status_code
            == 200
        )
    locked = client.post(LOGIN, {"username": "CIBLE@example.org", "password": "x"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Connexion temporairement bloquée" in page
    assert "15 minutes" in page
    # Even the right password is refused during the lockout.
    again = client.post(LOGIN, {"username": "cible@example.org", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get("/espace/").status_code == 302


def test_another_account_is_not_locked_by_someone_elses_failures(client, settings):
    UserFactory(username="cible@example.org")
    UserFactory(username="autre@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "cible@example.org", "password": "x"})
    assert (
        client.post(LOGIN, {"username": "autre@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_password_reset_sends_a_french_link_that_sets_a_new_password(client):
    UserFactory(username="oubli@example.org")
    response = client.post("/espace/mot-de-passe/oublie/", {"email": "Oubli@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Relais : choisir un nouveau mot de passe"
    link = re.search(r"http://testserver(/espace/mot-de-passe/nouveau/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "une phrase de passe neuve",
            "new_password2": "une phrase de passe neuve",
        },
    )
    assert done.status_code == 302
    assert (
        client.post(
            LOGIN, {"username": "oubli@example.org", "password": "une phrase de passe neuve"}
        ).status_code
        == 302
    )


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(
        "/espace/mot-de-passe/oublie/", {"email": "inconnu@example.org"}, follow=True
    )
    assert "Si un compte existe pour cette adresse" in response.content.decode()
    assert mail.outbox == []


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/espace/deconnexion/").status_code == 302
    assert client.get("/espace/").status_code == 302
