from django.urls import path

from aspa.desk import contact_views as views

# Shares the "desk" namespace with the other desk URL modules (see aspa.desk.urls).
urlpatterns = [
    path("contacts/new/", views.new_contact, name="new_contact"),
    path("contacts/post/", views.set_post, name="contact_post"),
    path("contacts/panel/", views.contact_panel, name="contact_panel"),
    path("contacts/customers/", views.customer_results, name="contact_customers"),
    path("contacts/topics/", views.topic_results, name="contact_topics"),
    path("contacts/suggestions/", views.topic_suggestions, name="contact_suggestions"),
    path("contacts/guidance/", views.organisation_guidance, name="contact_guidance"),
    path("contacts/requests/", views.contact_request_list, name="contact_requests"),
    path("contacts/requests/<int:contact_request_id>/done/", views.complete_contact_request,
         name="complete_contact_request"),
    path("contacts/requests/<int:contact_request_id>/cancel/", views.cancel_contact_request,
         name="cancel_contact_request"),
    path("contacts/<int:contact_id>/", views.contact_screen, name="contact"),
    path("contacts/<int:contact_id>/done/", views.contact_done, name="contact_done"),
]
