"""Included into the desk's URLs (the "desk" namespace)."""

from django.urls import path

from aspa.processes import desk_views

urlpatterns = [
    path("process-tasks/", desk_views.work_list, name="process_work_list"),
    path("requests/<str:number>/process-tasks/<int:task>/", desk_views.complete, name="process_task_complete"),
]
