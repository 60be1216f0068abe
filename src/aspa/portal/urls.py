from django.urls import path

from aspa.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("requests/<str:number>/answer/", views.answer, name="answer"),
    path("requests/<str:number>/messages/", views.write_message, name="message"),
    path("requests/<str:number>/attachments/", views.add_attachment, name="attachment"),
    path("me/", views.my_details, name="me"),
]
