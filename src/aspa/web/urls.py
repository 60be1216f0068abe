from django.urls import path

from aspa.web import views

app_name = "web"

urlpatterns = [
    path("", views.front_door, name="front_door"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
