from django.urls import include, path

from aspa.desk import views

app_name = "desk"

# Each area of the desk keeps its own URL module; they share the "desk" namespace.
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("", include("aspa.desk.customer_urls")),
    path("", include("aspa.desk.contact_urls")),
    path("", include("aspa.desk.request_action_urls")),
    path("", include("aspa.processes.desk_urls")),
    path("", include("aspa.reports.desk_urls")),
]
