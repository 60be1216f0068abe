"""Changing the customer register. Each function is one transaction and writes the audit log.

Callers fetch and authorise the party first (queries.get_party_for); these functions decide
what a valid change is. `request` is optional and only feeds the audit row (address, endpoint).

Where each change lives:
- `parties.py`: persons and organisations (`create_party`, `update_party`, contact points,
  consents, segments, non-disclosure, contact persons, the admin's save);
- `customerships.py`: that a party uses a service (`record_customership`, `update_customership`,
  `end_customership`, the admin's save);
- `granting_mandates.py`: `save_mandate_from_admin`, `revoke_mandate`;
- `identified_persons.py`: the record of a person strong identification vouched for
  (`find_or_create_identified_person`);
- `cleaning.py`: turning given values into stored form, every problem collected;
- `shared.py`: the duplicate check (`DuplicateParty`), the version, the audit row.

Other apps import the functions from here: `from aspa.customers.operations import create_party`."""

from aspa.customers.operations.customerships import (
    end_customership,
    record_customership,
    save_customership_from_admin,
    update_customership,
)
from aspa.customers.operations.granting_mandates import revoke_mandate, save_mandate_from_admin
from aspa.customers.operations.identified_persons import find_or_create_identified_person
from aspa.customers.operations.parties import (
    COLLECTION_FIELDS,
    RESIDENT_EDITABLE,
    SCALAR_FIELDS,
    add_contact_person,
    add_contact_point,
    create_party,
    remove_contact_person,
    replace_contact_points,
    save_party_from_admin,
    set_consents,
    set_non_disclosure,
    set_segments,
    update_party,
)
from aspa.customers.operations.shared import DuplicateParty

__all__ = [
    "COLLECTION_FIELDS", "RESIDENT_EDITABLE", "SCALAR_FIELDS", "DuplicateParty", "add_contact_person",
    "add_contact_point", "create_party", "end_customership", "find_or_create_identified_person", "record_customership", "remove_contact_person",
    "replace_contact_points", "revoke_mandate", "save_customership_from_admin", "save_mandate_from_admin",
    "save_party_from_admin", "set_consents", "set_non_disclosure", "set_segments", "update_customership",
    "update_party",
]
