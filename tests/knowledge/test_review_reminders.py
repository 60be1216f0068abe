"""Owners are emailed about articles whose review is due within two weeks or overdue, once a week
at most; overdue articles are flagged on their page."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from aspa.identity.models import Role
from aspa.knowledge import operations
from aspa.knowledge.models import Article
from tests.factories.identity import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(catalogue):
    team = catalogue.building_team
    return [UserFactory(role=Role.EXPERT, department=catalogue.building, team=team, language=language)
            for language in ("fi", "sv")]


def test_owners_are_reminded_of_due_and_overdue_articles_once_a_week(knowledge_base, owners, catalogue,
                                                                      django_capture_on_commit_callbacks):
    today = timezone.localdate()
    Article.objects.filter(external_id="T-BOAT").update(owner_team=catalogue.building_team,
                                                        review_by=today - datetime.timedelta(days=3))
    Article.objects.filter(external_id="T-SWIM").update(owner_team=catalogue.building_team,
                                                        review_by=today + datetime.timedelta(days=300))
    with django_capture_on_commit_callbacks(execute=True):
        assert operations.remind_reviewers(today) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(owner.email for owner in owners)
    finnish = next(message for message in mail.outbox if message.to == [owners[0].email])
    assert "Venepaikan hakeminen" in finnish.body and "Uimahallin" not in finnish.body
    with django_capture_on_commit_callbacks(execute=True):
        assert operations.remind_reviewers(today) == 0
    assert len(mail.outbox) == 2


def test_an_overdue_article_is_flagged_on_its_page(knowledge_base, owners):
    article = knowledge_base["T-BOAT"]
    Article.objects.filter(pk=article.pk).update(review_by=timezone.localdate() - datetime.timedelta(days=1))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(owners[0])
    page = client.get(f"/knowledge/articles/{article.pk}/").content.decode()
    assert "was due for review" in page
