from django.urls import path

from aspa.desk import request_views, supervisor_views

urlpatterns = [
    path("requests/<str:number>/actions/<slug:action>/", request_views.act, name="request_act"),
    path("requests/<str:number>/presence/", request_views.presence, name="request_presence"),
    path("inbox/", request_views.inbox, name="inbox"),
    path("supervisor/", supervisor_views.overview, name="supervisor"),
    path("supervisor/reassign/", supervisor_views.reassign, name="supervisor_reassign"),
]
