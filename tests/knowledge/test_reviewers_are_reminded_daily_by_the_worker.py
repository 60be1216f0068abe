"""`aspa worker` reminds the owners of articles due for review once a day without cron: at its
start, then every morning. Restarting it the same day sends nothing more."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from aspa.identity.models import Role
from aspa.knowledge.models import Article
from aspa.knowledge.tasks import remind_reviewers_daily
from tests.factories.identity import UserFactory
from tests.factories.worker import runs, worker_fixture  # noqa: F401 (the fixture)

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
MONDAY_MORNING = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=HELSINKI)


def due(external_id: str, team, review_by: datetime.date) -> None:
    Article.objects.filter(external_id=external_id).update(owner_team=team, review_by=review_by)


@pytest.mark.django_db(transaction=True)
def test_owners_are_reminded_at_start_and_each_morning_but_not_again_after_a_restart(
        knowledge_base, catalogue, worker):
    owner = UserFactory(role=Role.EXPERT, department=catalogue.building, team=catalogue.building_team)
    due("T-BOAT", catalogue.building_team, datetime.date(2026, 3, 1))

    with time_machine.travel(MONDAY_MORNING, tick=False):
        worker()
    (reminder,) = mail.outbox
    assert reminder.to == [owner.email] and "Venepaikan hakeminen" in reminder.body

    # Another article falls due in the afternoon; restarts the same day do not send it yet.
    due("T-SWIM", catalogue.building_team, datetime.date(2026, 3, 20))
    with time_machine.travel(MONDAY_MORNING + datetime.timedelta(hours=5), tick=False):
        worker()
        worker()
    assert len(mail.outbox) == 1
    assert (runs(remind_reviewers_daily, "SUCCESSFUL"), runs(remind_reviewers_daily, "READY")) == (1, 1)

    with time_machine.travel(datetime.datetime(2026, 3, 10, 5, 0, tzinfo=HELSINKI), tick=False):
        worker()
    assert len(mail.outbox) == 2
    assert "Uimahallin aukioloajat" in mail.outbox[1].body and "Venepaikan" not in mail.outbox[1].body
