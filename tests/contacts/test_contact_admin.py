"""Contacts are looked at, not edited, in Django's admin, and looking is audited."""

from aspa.audit.models import AuditEntry
from tests.factories.contacts import ContactFactory


def test_admin_lists_contacts_and_opening_one_is_audited(admin_client, catalogue):
    contact = ContactFactory()
    assert admin_client.get("/admin/contacts/contact/").status_code == 200
    assert admin_client.get(f"/admin/contacts/contact/{contact.pk}/change/").status_code == 200
    entry = AuditEntry.objects.get(object_type="contact", action="read")
    assert entry.object_id == str(contact.pk)
    assert entry.party_id == contact.party_id


def test_admin_cannot_add_or_change_contacts(admin_client, catalogue):
    contact = ContactFactory(notes="alkuperäinen")
    assert admin_client.get("/admin/contacts/contact/add/").status_code == 403
    admin_client.post(f"/admin/contacts/contact/{contact.pk}/change/", {"notes": "muutettu"})
    contact.refresh_from_db()
    assert contact.notes == "alkuperäinen"


def test_catalogue_admin_searches_services_by_keyword(admin_client, catalogue):
    catalogue.permit.keywords = "rakennuslupa, bygglov"
    catalogue.permit.save()
    response = admin_client.get("/admin/catalogue/service/", {"q": "bygglov"})
    assert response.status_code == 200
    assert b"rakennuslupa" in response.content
    assert b"yleisneuvonta" not in response.content
