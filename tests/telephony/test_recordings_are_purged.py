"""A recording is referenced, never stored, and kept until its retention date; then the purge
(daily in the worker, or `aspa telephony purge-recordings`) forgets the reference and logs it."""

import datetime
import logging

import pytest
from django.core.management import call_command

from aspa.telephony.models import Call
from tests.telephony.conftest import DAY, answered_call


@pytest.fixture
def recorded(cti, settings):
    settings.TELEPHONY_RECORDING_RETENTION_DAYS = 30
    events = answered_call("R1", "fi", "09:00:00", "09:00:10", "09:04:10", recording_reference="rec://orange/R1")
    events += answered_call("R2", "fi", "09:10:00", "09:10:10", "09:14:10")
    assert cti.post("telephony/events", {"events": events}).status_code == 200
    return Call.objects.get(external_id="R1")


@pytest.mark.django_db
def test_the_reference_has_a_retention_date(recorded):
    assert recorded.recording_reference == "rec://orange/R1"
    assert recorded.recording_retained_until == DAY + datetime.timedelta(days=30)


@pytest.mark.django_db
def test_expired_references_are_purged_and_logged(recorded, caplog, capsys, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC))  # the retention ended on 31.12.
    with caplog.at_level(logging.INFO, logger="aspa.telephony.operations"):
        call_command("telephony", "purge-recordings")

    recorded.refresh_from_db()
    assert (recorded.recording_reference, recorded.recording_purged_at is not None) == ("", True)
    assert "rec://orange/R1" in caplog.text and "orange:R1" in caplog.text
    assert "1 recording references purged." in capsys.readouterr().out


@pytest.mark.django_db
def test_a_reference_is_kept_until_its_day_has_passed(recorded, time_machine, cti):
    time_machine.move_to(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC))
    call_command("telephony", "purge-recordings")

    recorded.refresh_from_db()
    assert recorded.recording_reference == "rec://orange/R1"
