from django.urls import path

from aspa.knowledge import portal_views

app_name = "faq"

# The portal's FAQ: public articles, no sign-in needed.
urlpatterns = [
    path("", portal_views.faq, name="search"),
    path("<int:article_id>/", portal_views.faq_article, name="article"),
]
