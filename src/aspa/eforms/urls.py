from django.urls import path

from aspa.eforms import views

app_name = "eforms"

urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/<uuid:token>/", views.draft_page, name="draft"),
    path("drafts/<uuid:token>/preview/", views.preview, name="preview"),
    path("drafts/<uuid:token>/submit/", views.submit, name="submit"),
    path("drafts/<uuid:token>/delete/", views.delete, name="delete"),
    path("receipts/<uuid:token>/", views.receipt, name="receipt"),
    path("copies/<str:number>/", views.copy, name="copy"),
    path("copies/<str:number>/pdf/", views.copy_pdf, name="copy_pdf"),
    path("<slug:code>/", views.fill, name="fill"),
]
