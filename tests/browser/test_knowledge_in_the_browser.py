"""The knowledge base in the real Chromium: during a contact the advisor finds a model answer in
the side panel while typing, uses it (it goes into the notes and is recorded on the contact), and
the confirmation shows the article; axe-core on the pages in Finnish, Swedish and English."""

import re

import pytest

from aspa.contacts.models import Contact
from aspa.knowledge import operations
from aspa.knowledge.models import ArticleUse
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import LANGUAGES, sign_in, switch_language
from tests.desk.contact_factories import make_contact_world
from tests.desk.factories import PASSWORD
from tests.knowledge.conftest import ARTICLES, as_lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT_SCREEN = re.compile(r"/desk/contacts/\d+/$")


def test_during_a_contact_the_advisor_finds_and_uses_a_model_answer(live_server, page, catalogue):
    make_contact_world(catalogue)
    operations.import_articles(as_lines(ARTICLES))
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/contacts/new/")
    page.get_by_role("button", name="Start contact").click()
    page.wait_for_url(CONTACT_SCREEN)
    page.fill("#id_topics", "neuvonta")
    page.locator("label[for='topic-yleisneuvonta']").click()
    page.fill("#id_notes", "Kysyi venepaikasta.")
    page.locator("#kb-search").type("venepaikkahakemus", delay=20)
    result = page.locator("#kb-results .aspa-kb-result").first
    result.wait_for()
    assert result.locator("a").first.inner_text() == "Venepaikan hakeminen"
    assert result.locator("mark").count() >= 1
    assert_accessible(page, "the contact screen with knowledge base answers")
    result.get_by_role("button", name=re.compile("Use this answer")).click()
    page.locator("#kb-used-list a", has_text="Venepaikan hakeminen").wait_for()
    notes = page.locator("#id_notes").input_value()
    assert notes.startswith("Kysyi venepaikasta.") and "Venepaikkaa haetaan sähköisellä lomakkeella" in notes
    page.wait_for_function("() => document.activeElement && document.activeElement.id === \'id_notes\'")
    contact = Contact.objects.get()
    assert ArticleUse.objects.get().contact == contact
    page.get_by_role("button", name="Record and end the contact").click()
    page.wait_for_url("**/done/")
    assert page.locator("#kb-used-list").inner_text().startswith("Venepaikan hakeminen")
    assert_accessible(page, "the contact confirmation with the answer used")
    assert page.problems == []


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_knowledge_pages_are_accessible(live_server, page, catalogue, language):
    make_contact_world(catalogue)
    operations.import_articles(as_lines(ARTICLES))
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/knowledge/")
    switch_language(page, language)
    page.goto(f"{live_server.url}/knowledge/?q=venepaikka&lang=fi")
    page.locator(".aspa-kb-list a").first.wait_for()
    assert_accessible(page, f"the knowledge base search ({language})")
    page.locator(".aspa-kb-list a").first.click()
    page.wait_for_load_state()
    assert_accessible(page, f"an article ({language})")
    page.goto(f"{live_server.url}/knowledge/experts/?q=vene")
    assert_accessible(page, f"the expert directory ({language})")
    page.goto(f"{live_server.url}/portal/faq/?q=venepaikka")
    page.locator(".aspa-kb-list a").first.wait_for()
    assert_accessible(page, f"the portal FAQ ({language})")
    assert page.problems == []
