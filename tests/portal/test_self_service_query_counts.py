"""The document bank and the contact history cost the same number of queries however long they are."""

from django.core.files.uploadedfile import SimpleUploadedFile

from aspa.requests import operations
from aspa.requests.models import Status
from tests.factories.contacts import ContactFactory
from tests.factories.requests import in_status
from tests.portal.test_errand_list_query_count import count_queries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_documents(world, count: int) -> None:
    for number in range(count):
        item = in_status(Status.RESOLVED, world.advisor, party=world.party.pk, service="rakennuslupa",
                         type="application")
        operations.add_attachment(world.advisor, item, SimpleUploadedFile(f"paatos-{number}.pdf", PDF),
                                  is_decision=True)
        contact = ContactFactory(party=world.party, staff=world.advisor)
        contact.requests.set([item])
        contact.topics.set([item.service])


def test_documents_and_contacts_do_not_grow_with_their_length(world, signed_in):
    client = signed_in(world.resident)
    add_documents(world, 1)
    before = {path: count_queries(client, path) for path in ("/portal/documents/", "/portal/contacts/")}
    add_documents(world, 4)
    after = {path: count_queries(client, path) for path in ("/portal/documents/", "/portal/contacts/")}
    assert after == before
