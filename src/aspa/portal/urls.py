from django.urls import include, path

from aspa.portal import finder, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("requests/<str:number>/answer/", views.answer, name="answer"),
    path("requests/<str:number>/messages/", views.write_message, name="message"),
    path("requests/<str:number>/attachments/", views.add_attachment, name="attachment"),
    path("me/", views.my_details, name="me"),
    path("act-for/", views.act_for, name="act_for"),
    path("requests/<str:number>/attachments/<int:attachment_id>/", views.download_attachment,
         name="attachment_download"),
    path("documents/", views.documents, name="documents"),
    path("contacts/", views.contact_history, name="contacts"),
    # The service finder (public): topics, life situations, search, one service.
    path("services/", finder.finder_home, name="services"),
    path("services/search/", finder.search, name="service_search"),
    path("services/topics/<slug:code>/", finder.category, name="service_category"),
    path("services/life-situations/<slug:code>/", finder.life_situation, name="life_situation"),
    path("services/<slug:code>/", finder.service, name="service"),
    path("", include("aspa.reports.portal_urls")),  # the satisfaction survey of a resolved errand
]
