from django.contrib import admin
from django.urls import include, path

from aspa.api.root import api
from aspa.health import healthz

admin.site.site_header = "Aspa"
admin.site.site_title = "Aspa"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("desk/", include("aspa.desk.urls")),
    path("saml/", include("aspa.identity.saml_urls")),
    path("portal/", include("aspa.portal.urls")),
    path("", include("aspa.web.urls")),
]
