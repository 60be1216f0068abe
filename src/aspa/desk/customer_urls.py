from django.urls import path

from aspa.desk import customer_views

urlpatterns = [
    path("search/", customer_views.search, name="search"),
    path("customers/<int:party_id>/", customer_views.customer_detail, name="customer"),
    path("customers/<int:party_id>/identity-code/", customer_views.reveal_identity_code, name="customer_identity_code"),
]
