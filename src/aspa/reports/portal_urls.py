from django.urls import path

from aspa.reports import views

# Included into the portal's namespace: portal:survey.
urlpatterns = [
    path("requests/<str:number>/survey/", views.answer_survey, name="survey"),
]
