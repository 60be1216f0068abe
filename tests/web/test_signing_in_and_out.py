"""Staff sign in on our own page, land on their desk in their own language, and sign out."""

import pytest
from django.conf import settings
from django.test import Client

from aspa.identity.models import Role
from tests.factories.identity import UserFactory

PASSWORD = "correct horse battery"


def test_sign_in_page_has_labelled_fields_and_a_skip_link(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert '<html lang="en">' in page
    assert '<a class="aspa-skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main"' in page
    assert '<label class="hds-text-input__label" for="id_username">' in page
    assert 'autocomplete="current-password"' in page


def test_wrong_password_shows_an_error_and_signs_nobody_in(db):
    UserFactory(username="neuvoja", role=Role.ADVISOR)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": "neuvoja", "password": "wrong password"})
    assert response.status_code == 200
    assert "The username or password is wrong" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_member_lands_on_the_desk_in_their_own_language(db):
    UserFactory(username="neuvoja", role=Role.ADVISOR, language="sv")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": "neuvoja", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert '<html lang="sv">' in client.get("/desk/").content.decode()


def test_signed_in_user_visiting_sign_in_goes_to_the_desk(db):
    client = Client()
    client.force_login(UserFactory(role=Role.ADVISOR))
    response = client.get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_sign_in_does_not_follow_a_link_to_another_site(db):
    UserFactory(username="neuvoja", role=Role.ADVISOR)
    response = Client().post("/login/", {"username": "neuvoja", "password": PASSWORD,
                                         "next": "https://evil.example/"})
    assert response["Location"] == "/desk/"


def test_sign_out_is_a_post_and_ends_the_session(db):
    client = Client()
    client.force_login(UserFactory(role=Role.ADVISOR))
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_desk_page_offers_sign_out_and_names_the_user(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(role=Role.ADVISOR, first_name="Nea", last_name="Neuvoja"))
    page = client.get("/desk/").content.decode()
    assert "Nea Neuvoja" in page
    assert "(Service advisor)" in page
    assert 'action="/logout/" method="post"' in page


@pytest.mark.parametrize("language,text", [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")])
def test_language_switch_changes_the_page_language(db, language, text):
    client = Client()
    page = client.get("/login/").content.decode()
    assert f'name="language" value="{language}" lang="{language}"' in page
    response = client.post("/i18n/setlang/", {"language": language, "next": "/login/"})
    assert response["Location"] == "/login/"
    assert f'<html lang="{language}">' in client.get("/login/").content.decode()


def test_repeated_wrong_passwords_lock_the_sign_in_with_a_clear_page(db, settings):
    UserFactory(username="neuvoja", role=Role.ADVISOR)
    client = Client(REMOTE_ADDR="10.0.0.9", HTTP_ACCEPT_LANGUAGE="en")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "neuvoja", "password": "wrong password"})
    response = client.post("/login/", {"username": "neuvoja", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked for a while" in page
    assert "Try again in 15 minutes." in page
    assert '<main id="main"' in page
    assert "_auth_user_id" not in client.session
