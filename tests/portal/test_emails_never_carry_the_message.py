"""An email tells a resident who can sign in that something waits in the e-service, with a link
to the errand, and never carries the message, the question, the guidance or the resolution.
Someone who filed with only an email address has no e-service, so the email is their answer.
The resident's notification choices decide whether they are emailed at all."""

import pytest

from aspa.customers.models import Consent
from aspa.customers.preferences import EMAIL_MESSAGES, EMAIL_STATUS
from aspa.requests import operations
from aspa.requests.models import Message, Status
from tests.factories.customers import make_national_id
from tests.factories.requests import PersonFactory, in_status, with_email
from tests.portal.self_service_world import with_organisation

SECRET = "Naapurinne on tehnyt teistä ilmoituksen."


@pytest.fixture
def send(django_capture_on_commit_callbacks, mailoutbox):
    """send(action) → the emails that action sent, once its transaction committed."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mailoutbox)

    return run


def identified_customer(**fields):
    return with_email(PersonFactory(national_id=make_national_id(), **fields), "tunnistettu@example.fi")


@pytest.mark.parametrize("action", ["message", "question", "redirect", "resolve"])
def test_an_identified_customer_is_told_only_that_something_waits(catalogue, world, send, settings, action):
    settings.SITE_URL = "https://asiointi.esimerkkila.fi"
    customer = identified_customer(language="en")
    item = in_status(Status.IN_PROGRESS, world.advisor, party=customer.pk)
    steps = {
        "message": lambda: operations.add_message(world.advisor, item, body=SECRET,
                                                  visibility=Message.Visibility.CUSTOMER),
        "question": lambda: operations.request_information(world.advisor, item, version=item.version, question=SECRET),
        "redirect": lambda: operations.redirect(world.advisor, item, version=item.version, guidance=SECRET,
                                                organisation="kela", message=SECRET),
        "resolve": lambda: operations.resolve(world.advisor, item, version=item.version, resolution=SECRET),
    }
    [email] = send(steps[action])
    assert email.to == ["tunnistettu@example.fi"]
    assert SECRET not in email.body and SECRET not in email.subject
    assert f"https://asiointi.esimerkkila.fi/portal/requests/{item.number}/" in email.body
    assert "e-service" in email.body


def test_a_portal_user_without_a_personal_identity_code_gets_the_link_too(world, send):
    # Maija has signed in to the portal before; her record happens to have no identity code.
    assert world.party.national_id is None
    [email] = send(lambda: operations.add_message(world.advisor, world.received, body=SECRET,
                                                  visibility=Message.Visibility.CUSTOMER))
    assert SECRET not in email.body
    assert f"/portal/requests/{world.received.number}/" in email.body


def test_an_organisation_is_told_only_that_something_waits(world, send):
    company = with_organisation(world)
    item = company.errand
    [email] = send(lambda: operations.add_message(world.advisor, item, body=SECRET,
                                                  visibility=Message.Visibility.CUSTOMER))
    assert email.to == ["kahvila@example.fi"]
    assert SECRET not in email.body and f"/portal/requests/{item.number}/" in email.body


def test_an_anonymous_filer_gets_the_answer_itself_they_have_no_e_service(world, send):
    item = in_status(Status.IN_PROGRESS, world.advisor, contact_email="nimeton@example.fi", language="fi")
    [email] = send(lambda: operations.resolve(world.advisor, item, version=item.version, resolution=SECRET))
    assert email.to == ["nimeton@example.fi"]
    assert SECRET in email.body
    assert "/portal/" not in email.body


def test_a_resident_who_turned_off_message_emails_gets_none_but_still_hears_of_status(world, send, mailoutbox):
    Consent.objects.create(party=world.party, purpose=EMAIL_MESSAGES, granted=False)
    assert send(lambda: operations.add_message(world.advisor, world.received, body=SECRET,
                                               visibility=Message.Visibility.CUSTOMER)) == []
    [email] = send(lambda: operations.resolve(world.advisor, world.received, version=world.received.version,
                                              resolution=SECRET))
    assert f"/portal/requests/{world.received.number}/" in email.body


def test_a_resident_who_turned_off_status_emails_gets_none_of_them(world, send):
    Consent.objects.create(party=world.party, purpose=EMAIL_STATUS, granted=False)
    assert send(lambda: operations.resolve(world.advisor, world.received, version=world.received.version,
                                           resolution=SECRET)) == []
