"""A resident signs in through a real pysaml2 identity provider (the built-in test IdP): the
signed, encrypted answer logs them in with their customer record found or created by henkilötunnus."""

from django.test import Client

from aspa.audit.models import AuditEntry
from aspa.customers.models import ContactPoint, Party
from aspa.identity.models import Role, User
from aspa.integrations.suomifi.sign_in import STRONG_IDENTIFICATION
from tests.factories.customers import PersonFactory
from tests.factories.identity import UserFactory
from tests.identity.conftest import SamlBrowser

MATTI = "150385-9013"
AINO = "020290-9027"


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_first_sign_in_creates_the_resident_and_their_customer_record(browser):
    response = browser.login_as(MATTI, next_url="/asiointi/omat-asiat/")

    assert response.status_code == 302
    assert response["Location"] == "/asiointi/omat-asiat/"
    user = signed_in_user(browser.client)
    assert user.role == Role.RESIDENT
    assert not user.has_usable_password()
    party = user.party
    assert (party.national_id, party.first_name, party.last_name) == (MATTI, "Matti Tapani", "Virtanen")
    assert party.contact_points.filter(kind=ContactPoint.Kind.EMAIL, value="matti.virtanen@example.fi").exists()
    assert browser.client.session["aspa_saml"]["home_municipality"] == "564"
    login_audit = AuditEntry.objects.get(purpose=STRONG_IDENTIFICATION)
    assert (login_audit.actor, login_audit.party_id, login_audit.action) == (user, party.pk, "read")


def test_a_new_customer_record_takes_the_language_the_resident_signed_in_with(db, test_idp_on):
    SamlBrowser(Client(HTTP_ACCEPT_LANGUAGE="sv")).login_as(MATTI)
    assert Party.objects.get(national_id=MATTI).language == "sv"


def test_existing_customer_is_found_by_henkilotunnus_and_takes_the_registers_names(browser):
    existing = PersonFactory(national_id=AINO, first_name="Aino", last_name="Virtanen")

    browser.login_as(AINO)

    user = signed_in_user(browser.client)
    assert user.party_id == existing.pk
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Aino Maria", "Korhonen")
    assert Party.objects.filter(national_id=AINO).count() == 1


def test_signing_in_again_uses_the_same_account(browser, client):
    browser.login_as(MATTI)
    first = signed_in_user(browser.client)
    browser.client.logout()

    browser.login_as(MATTI)

    assert signed_in_user(browser.client) == first
    assert User.objects.filter(party__national_id=MATTI).count() == 1


def test_a_staff_account_linked_to_the_person_is_not_signed_in(browser):
    party = PersonFactory(national_id=MATTI, first_name="Matti Tapani", last_name="Virtanen")
    UserFactory(role=Role.ADVISOR, party=party)

    response = browser.login_as(MATTI)

    assert response.status_code == 403
    assert signed_in_user(browser.client) is None


def test_next_outside_the_site_is_not_followed(browser):
    for evil in ("https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "javascript:alert(1)"):
        response = browser.login_as(MATTI, next_url=evil)
        assert response["Location"] == "/", evil
        browser.client.logout()


def test_the_test_idp_lists_the_demo_resident_and_the_fixed_test_persons(browser):
    demo_party = PersonFactory(first_name="Maija", last_name="Meikäläinen")
    UserFactory(username="asukas", role=Role.RESIDENT, party=demo_party)

    response = browser.client.get("/saml/login/", {"next": "/"})
    page = browser.client.get(response["Location"].removeprefix("http://testserver"))

    content = page.content.decode()
    assert demo_party.national_id in content
    assert MATTI in content and AINO in content
    assert "<script" not in content.split("<main", 1)[1]


def test_the_answer_page_posts_itself_with_a_static_script_and_a_visible_button(browser):
    browser.start()

    page = browser.choose(MATTI)

    content = page.content.decode()
    assert 'action="http://testserver/saml/acs/"' in content
    assert 'type="submit"' in content
    main = content.split("<main", 1)[1]
    assert 'src="/static/suomifi/saml-continue.js"' in main
    assert "nonce=" in main
