"""What a security review checks first: headers, cookies, password guessing, who gets into the admin."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from aspa.identity.models import Role
from tests.factories.identity import UserFactory


def test_pages_carry_a_strict_content_security_policy(db):
    response = Client().get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("environment,secure", [({}, True), ({"ASPA_DEMO": "true"}, False),
                                                 ({"ASPA_DEMO": "true", "ASPA_SECURE_COOKIES": "true"}, True)])
def test_cookies_are_secure_unless_running_the_local_demo(tmp_path, environment, secure):
    code = ("import django.conf as c, os; os.environ['DJANGO_SETTINGS_MODULE']='aspa.settings';"
            "s=c.settings; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ASPA_")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**clean, "ASPA_DATA_DIR": str(tmp_path), **environment})
    assert result.stdout.split() == [str(secure), str(secure), "True"]


def test_admin_login_is_locked_after_repeated_failures(db, settings):
    UserFactory(username="admin1", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin1", "password": "wrong password!"})
    # Even the right password is refused while the lock holds.
    response = client.post("/admin/login/", {"username": "admin1", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_works_with_the_right_password(db):
    UserFactory(username="admin2", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "admin2", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.RESIDENT])
def test_only_administrators_get_into_the_admin(db, role):
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_api_refuses_a_session_post_without_csrf_token(db, catalogue):
    user = UserFactory(role=Role.ADVISOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/v1/contacts", "{}", content_type="application/json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("language,heading", [("fi", "Sivuston ylläpito"), ("sv", "Webbplatsadministration"),
                                              ("en", "Site administration")])
def test_administrator_can_switch_the_admin_language(db, language, heading):
    admin_user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    assert response.status_code == 302
    page = client.get("/admin/").content.decode()
    assert heading in page
    assert f'lang="{language}"' in page
    assert 'id="aspa-language-select"' in page
