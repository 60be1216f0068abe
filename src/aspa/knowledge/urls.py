from django.urls import path

from aspa.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("panel/", views.panel_results, name="panel"),
    path("articles/<int:article_id>/", views.article_page, name="article"),
    path("articles/<int:article_id>/use/", views.use_answer, name="use"),
    path("articles/<int:article_id>/feedback/", views.feedback, name="feedback"),
    path("contacts/<int:contact_id>/used/", views.used_on_contact, name="used_on_contact"),
    path("experts/", views.experts, name="experts"),
    path("gaps/", views.gaps, name="gaps"),
]
