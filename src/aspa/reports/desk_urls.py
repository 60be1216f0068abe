from django.urls import path

from aspa.reports import views

# Included into the desk's namespace: desk:satisfaction.
urlpatterns = [
    path("satisfaction/", views.satisfaction, name="satisfaction"),
]
