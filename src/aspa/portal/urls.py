from django.urls import path

from aspa.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("me/", views.my_details, name="me"),
]
