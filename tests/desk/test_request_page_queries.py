"""The request page reads the same number of rows whether the request has a short history or a
long one: advisors open requests with dozens of messages, files and events all day."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspa.knowledge import operations as knowledge
from aspa.knowledge.models import Article
from aspa.requests import operations
from aspa.requests.models import Message, Status
from tests.factories.requests import in_status


def request_with_history(world, count: int):
    """An open request of the customer with `count` messages, attachments and used answers, by
    staff and by the customer, each written to the history as it happens."""
    service_request = in_status(Status.IN_PROGRESS, world.advisor, party=world.customer.pk)
    answer = knowledge.save_article(None, Article(), title="Jäteastian tyhjennys", body="<p>Joka toinen viikko.</p>")
    for number in range(count):
        author = (world.advisor, world.colleague, world.resident)[number % 3]
        visibility = Message.Visibility.INTERNAL if number % 2 else Message.Visibility.CUSTOMER
        operations.add_message(author, service_request, body=f"Viesti {number}", visibility=visibility)
        operations.add_attachment(author, service_request,
                                  SimpleUploadedFile(f"liite-{number}.txt", f"Liite {number}".encode(),
                                                     content_type="text/plain"),
                                  visible_to_customer=number % 2 == 0, is_decision=number % 4 == 0)
        knowledge.record_use(world.advisor, answer, service_request=service_request)
    service_request.refresh_from_db()
    return service_request


def queries_of_page(client, service_request) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/desk/requests/{service_request.number}/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_request_page_queries_do_not_grow_with_messages_attachments_and_events(world, signed_in):
    short = request_with_history(world, 3)
    long = request_with_history(world, 30)
    client = signed_in(world.advisor)
    queries_of_page(client, short)  # the first page of a session reads what later pages find cached

    few, short_page = queries_of_page(client, short)
    many, long_page = queries_of_page(client, long)

    # The pages do show what was added: the same reads, ten times the rows.
    assert "Viesti 2" in short_page and "Viesti 29" in long_page
    assert "liite-2.txt" in short_page and "liite-29.txt" in long_page
    assert long_page.count("Jäteastian tyhjennys") == 30
    assert long.events.count() > 60
    assert many == few, f"{few} queries with 3 of each, {many} with 30 of each"
