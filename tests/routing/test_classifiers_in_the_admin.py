"""The administrator sees each trained classifier with its cross-validated figures and which one is
in use, and publishes a candidate or restores an earlier one."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from aspa.routing import operations, queries
from aspa.routing.models import ClassifierModel
from tests.factories.identity import UserFactory
from tests.routing.conftest import synthetic_examples


@pytest.fixture
def two_models(catalogue):
    first = operations.train_classifier(synthetic_examples(), source="first", trained_by="tests", folds=3)
    second = operations.train_classifier(synthetic_examples()[::-1], source="second", trained_by="tests", folds=3,
                                         publish=False)
    return first, second


def test_the_list_shows_the_model_in_use_and_the_candidates_figures(client, admin_user, two_models):
    first, second = two_models
    client.force_login(admin_user)
    page = client.get(reverse("admin:routing_classifiermodel_changelist")).content.decode()
    assert "Score (cross-validated)" in page
    assert f"{second.figures['score']:.3f}" in page
    assert page.count('alt="True"') == 1  # one model in use


def test_publishing_a_candidate_and_restoring_the_earlier_model(client, admin_user, two_models):
    first, second = two_models
    client.force_login(admin_user)
    url = reverse("admin:routing_classifiermodel_changelist")
    response = client.post(url, {"action": "publish", "_selected_action": [second.pk]}, follow=True)
    assert "is now in use" in response.content.decode()
    assert ClassifierModel.objects.get(is_active=True) == second
    assert queries.published_classifier_model().published_by == admin_user.get_username()

    client.post(url, {"action": "publish", "_selected_action": [first.pk]})
    assert ClassifierModel.objects.get(is_active=True) == first


def test_only_an_administrator_publishes(client, two_models, catalogue):
    first, second = two_models
    staff = UserFactory(role="advisor", department=catalogue.centre, is_staff=True, is_superuser=False)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_classifiermodel"))
    client.force_login(staff)
    response = client.post(reverse("admin:routing_classifiermodel_changelist"),
                           {"action": "publish", "_selected_action": [second.pk]})
    assert response.status_code == 403
    assert ClassifierModel.objects.get(is_active=True) == first
