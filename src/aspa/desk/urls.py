from django.urls import path

from aspa.desk import views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<str:number>/", views.request_detail, name="request"),
]
