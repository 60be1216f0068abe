"""A small world for the cross-cutting API tests: two residents, each with a customer record,
a service request (in two different departments), a message, an attachment, a customership
and a contact. Object "a" belongs to the building department, object "b" to the centre.
Both requests were also filed with a form; request "a" waits on a process task of the building
department; the knowledge base has a public and an internal article (see features.py).

Requests, messages and attachments are made through the real operations so that numbers,
history and stored files are the ones production would write."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aspa.contacts.models import Contact
from aspa.customers.models import Customership, Party
from aspa.eforms.models import Submission
from aspa.identity.models import Role, User
from aspa.knowledge.models import Article, Expert
from aspa.processes.models import ProcessTask
from aspa.requests import operations
from aspa.requests.models import Attachment, Message, ServiceRequest
from tests.conftest import ApiClient
from tests.factories.contacts import ContactFactory
from tests.factories.customers import CustomershipFactory, PersonFactory
from tests.factories.identity import UserFactory
from tests.security import features

# The roles every endpoint is tried with, in the order the matrix lists their statuses.
ROLES = ("resident", "advisor", "expert", "other_expert", "supervisor", "admin", "integration")


@dataclass
class Side:
    """Everything one resident owns."""

    resident: User
    party: Party
    request: ServiceRequest
    message: Message
    attachment: Attachment
    customership: Customership
    contact: Contact
    submission: Submission | None = None  # the form answers the request was filed with
    task: ProcessTask | None = None  # the request's open process task


@dataclass
class World:
    a: Side
    b: Side
    recorder: User  # the advisor who recorded both contacts
    catalogue: object
    public_article: Article
    internal_article: Article
    expert: Expert  # an entry of the expert directory


def _side(advisor: User, service: str, catalogue) -> Side:
    party = PersonFactory()
    resident = UserFactory(role=Role.RESIDENT, party=party)
    service_request = operations.file_request(
        advisor, type="question", channel="phone", service=service, party=party.pk,
        description="Milloin lupa-asia ratkeaa?",
    )
    message = operations.add_message(advisor, service_request, body="Käsittelemme asiaa.", visibility="customer")
    upload = SimpleUploadedFile("liite.txt", "Liitteen sisältö.\n".encode(), content_type="text/plain")
    attachment = operations.add_attachment(advisor, service_request, upload, visible_to_customer=True)
    service_request.refresh_from_db()
    customership = CustomershipFactory(party=party, service=service_request.service)
    contact = ContactFactory(party=party, staff=advisor, requests=[service_request],
                             channel=catalogue.phone)
    return Side(resident=resident, party=party, request=service_request, message=message,
                attachment=attachment, customership=customership, contact=contact)


def build_world(catalogue) -> World:
    recorder = UserFactory(role=Role.ADVISOR, department=catalogue.centre)
    features.publish_check_process(catalogue)  # before filing: request "a" starts it
    a = _side(recorder, catalogue.permit.code, catalogue)   # building department
    b = _side(recorder, catalogue.advice.code, catalogue)   # the service centre
    form = features.make_form_for_requests(catalogue)
    a.submission, b.submission = features.submit(form, a.request), features.submit(form, b.request)
    a.task = ProcessTask.objects.get(request=a.request, completed_at__isnull=True)
    public_article, internal_article = features.make_articles()
    # After filing, so that routing the world's requests stays as it was without a model.
    features.train_router()
    return World(a=a, b=b, recorder=recorder, catalogue=catalogue, public_article=public_article,
                 internal_article=internal_article, expert=features.make_expert(catalogue))


@pytest.fixture(name="world")
def world_fixture(db, catalogue) -> World:
    return build_world(catalogue)


@pytest.fixture(name="client_for")
def client_for_fixture(api, world):
    """client_for(role) → an ApiClient acting as that role towards the world's object "a".

    "expert" works in the department of object a; "other_expert" in the other one;
    "resident" is resident a; "anonymous" has no credentials at all."""

    def make(role: str) -> ApiClient:
        if role == "anonymous":
            return ApiClient(None, None)
        if role == "resident":
            return api(user=world.a.resident)
        if role == "expert":
            return api(Role.EXPERT, department=world.catalogue.building)
        if role == "other_expert":
            return api(Role.EXPERT, department=world.catalogue.centre)
        return api(role)

    return make
