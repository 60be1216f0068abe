"""`aspa demo` publishes the shipped processes; an application filed in the demo city then runs
through its process to the right people's desks."""

from io import StringIO

from django.core.management import call_command

from aspa.identity.models import User
from aspa.processes.models import ProcessDefinition
from aspa.processes.operations import complete_task
from aspa.processes.queries import work_list
from aspa.requests.operations import file_request


def test_demo_publishes_the_processes_for_the_demo_logins(db):
    out = StringIO()
    call_command("demo", stdout=out, residents=30, requests=40, contacts=20, seed=7)
    assert ProcessDefinition.objects.filter(service__isnull=False).count() == 4
    assert "processes … 4 published" in out.getvalue()

    resident = User.objects.get(username="asukas")
    file_request(resident, type="application", channel="web", service="venepaikka", description="Laituripaikka")
    check = work_list(User.objects.get(username="neuvoja")).get(bpmn_id="check")
    complete_task(User.objects.get(username="neuvoja"), check, choice="complete")
    assert work_list(User.objects.get(username="satama")).filter(bpmn_id="decide").exists()

    call_command("demo", stdout=(second := StringIO()), residents=30, requests=40, contacts=20, seed=7)
    assert "processes … 0 published, 4 unchanged" in second.getvalue()
