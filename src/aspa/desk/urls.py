"""Every page of the desk. The staff pages answer under /desk/ (the "desk" namespace); the
knowledge base keeps its own address and namespace, /knowledge/ ("knowledge")."""

from django.urls import include, path

from aspa.desk.views import (
    contacts,
    customers,
    home,
    knowledge,
    processes,
    requests,
    satisfaction,
    supervisor,
)

desk_patterns = [
    path("", home.home, name="home"),
    # requests: the queues, the request page and its actions, the expert's inbox
    path("requests/", requests.request_list, name="requests"),
    path("requests/<str:number>/", requests.request_detail, name="request"),
    path("requests/<str:number>/actions/<slug:action>/", requests.act, name="request_act"),
    path("requests/<str:number>/presence/", requests.presence, name="request_presence"),
    path("inbox/", requests.inbox, name="inbox"),
    # customers
    path("search/", customers.search, name="search"),
    path("customers/<int:party_id>/", customers.customer_detail, name="customer"),
    path("customers/<int:party_id>/identity-code/", customers.reveal_identity_code, name="customer_identity_code"),
    # contacts
    path("contacts/new/", contacts.new_contact, name="new_contact"),
    path("contacts/post/", contacts.set_post, name="contact_post"),
    path("contacts/panel/", contacts.contact_panel, name="contact_panel"),
    path("contacts/customers/", contacts.customer_results, name="contact_customers"),
    path("contacts/topics/", contacts.topic_results, name="contact_topics"),
    path("contacts/suggestions/", contacts.topic_suggestions, name="contact_suggestions"),
    path("contacts/guidance/", contacts.organisation_guidance, name="contact_guidance"),
    path("contacts/requests/", contacts.contact_request_list, name="contact_requests"),
    path("contacts/requests/<int:contact_request_id>/done/", contacts.complete_contact_request,
         name="complete_contact_request"),
    path("contacts/requests/<int:contact_request_id>/cancel/", contacts.cancel_contact_request,
         name="cancel_contact_request"),
    path("contacts/<int:contact_id>/", contacts.contact_screen, name="contact"),
    path("contacts/<int:contact_id>/done/", contacts.contact_done, name="contact_done"),
    # supervisors
    path("supervisor/", supervisor.overview, name="supervisor"),
    path("supervisor/reassign/", supervisor.reassign, name="supervisor_reassign"),
    path("satisfaction/", satisfaction.satisfaction, name="satisfaction"),
    # process tasks
    path("process-tasks/", processes.work_list, name="process_work_list"),
    path("requests/<str:number>/process-tasks/<int:task>/", processes.complete, name="process_task_complete"),
]

knowledge_patterns = [
    path("", knowledge.home, name="home"),
    path("panel/", knowledge.panel_results, name="panel"),
    path("articles/<int:article_id>/", knowledge.article_page, name="article"),
    path("articles/<int:article_id>/use/", knowledge.use_answer, name="use"),
    path("articles/<int:article_id>/feedback/", knowledge.feedback, name="feedback"),
    path("contacts/<int:contact_id>/used/", knowledge.used_on_contact, name="used_on_contact"),
    path("experts/", knowledge.experts, name="experts"),
    path("gaps/", knowledge.gaps, name="gaps"),
]

urlpatterns = [
    path("desk/", include((desk_patterns, "desk"))),
    path("knowledge/", include((knowledge_patterns, "knowledge"))),
]
