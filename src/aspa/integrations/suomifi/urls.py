"""URLs of strong identification, included at /saml/ (see aspa/urls.py)."""

from django.urls import path

from aspa.integrations.suomifi import views

app_name = "saml"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("login/", views.login_start, name="login"),
    path("acs/", views.assertion_consumer, name="acs"),
    path("logout/", views.logout_start, name="logout"),
    path("sls/", views.single_logout, name="sls"),
    path("test-idp/", views.test_idp, name="test_idp"),
    path("test-idp/metadata/", views.test_idp_metadata, name="test_idp_metadata"),
    path("test-idp/logout/", views.test_idp_logout, name="test_idp_logout"),
]
