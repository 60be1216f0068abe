from django.contrib import admin
from django.urls import include, path

from aspa.health import healthz
from aspa.web.api import api

admin.site.site_header = "Aspa"
admin.site.site_title = "Aspa"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The desk: /desk/ and the knowledge base, /knowledge/.
    path("", include("aspa.desk.urls")),
    path("saml/", include("aspa.integrations.suomifi.urls")),
    # The residents' portal: /portal/, its FAQ /portal/faq/ and the electronic forms, /forms/.
    path("", include("aspa.portal.urls")),
    path("", include("aspa.web.urls")),
]
