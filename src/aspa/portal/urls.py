"""Every page of the residents' portal. The portal's own pages answer under /portal/ (the "portal"
namespace); the frequently asked questions keep /portal/faq/ ("faq") and the electronic forms
/forms/ ("eforms"), the addresses residents and printed letters already use."""

from django.urls import include, path

from aspa.portal.views import (
    contact_history,
    details,
    documents,
    errands,
    faq,
    finder,
    forms,
    survey,
)

portal_patterns = [
    # errands: the list, whom to act for, an errand's page and what is done there
    path("", errands.home, name="home"),
    path("requests/<str:number>/", errands.request_detail, name="request"),
    path("requests/<str:number>/answer/", errands.answer, name="answer"),
    path("requests/<str:number>/messages/", errands.write_message, name="message"),
    path("requests/<str:number>/attachments/", errands.add_attachment, name="attachment"),
    path("act-for/", errands.act_for, name="act_for"),
    path("requests/<str:number>/attachments/<int:attachment_id>/", errands.download_attachment,
         name="attachment_download"),
    path("requests/<str:number>/survey/", survey.answer_survey, name="survey"),  # of a resolved errand
    # the resident's details, documents and contacts
    path("me/", details.my_details, name="me"),
    path("documents/", documents.documents, name="documents"),
    path("contacts/", contact_history.contact_history, name="contacts"),
    # the service finder (public): topics, life situations, search, one service
    path("services/", finder.finder_home, name="services"),
    path("services/search/", finder.search, name="service_search"),
    path("services/topics/<slug:code>/", finder.category, name="service_category"),
    path("services/life-situations/<slug:code>/", finder.life_situation, name="life_situation"),
    path("services/<slug:code>/", finder.service, name="service"),
]

# Public: no sign-in needed, only public articles.
faq_patterns = [
    path("", faq.faq, name="search"),
    path("<int:article_id>/", faq.faq_article, name="article"),
]

# Public: anonymous feedback needs no sign-in; each form decides whether it does.
forms_patterns = [
    path("", forms.index, name="index"),
    path("drafts/<uuid:token>/", forms.draft_page, name="draft"),
    path("drafts/<uuid:token>/preview/", forms.preview, name="preview"),
    path("drafts/<uuid:token>/submit/", forms.submit, name="submit"),
    path("drafts/<uuid:token>/delete/", forms.delete, name="delete"),
    path("receipts/<uuid:token>/", forms.receipt, name="receipt"),
    path("copies/<str:number>/", forms.copy, name="copy"),
    path("copies/<str:number>/pdf/", forms.copy_pdf, name="copy_pdf"),
    path("<slug:code>/", forms.fill, name="fill"),
]

urlpatterns = [
    path("portal/faq/", include((faq_patterns, "faq"))),
    path("portal/", include((portal_patterns, "portal"))),
    path("forms/", include((forms_patterns, "eforms"))),
]
