"""Answers filled in advance from the customer register: the signed-in person's own record,
and the organisation they act for. The resident sees them in the form and may change them."""

from aspa.customers.models import ContactPoint, Party
from aspa.eforms.schema import FormSchema


def _primary(points: list[ContactPoint], kind: str) -> ContactPoint | None:
    # Contact points come ordered primary first (ContactPoint.Meta.ordering).
    return next((point for point in points if point.kind == kind and (point.value or point.street)), None)


def known_values(person: Party | None, organisation: Party | None) -> dict[str, str]:
    """Every prefill key the register can answer for this person and organisation."""
    values: dict[str, str] = {}
    if person is not None:
        points = list(person.contact_points.all())
        email = _primary(points, ContactPoint.Kind.EMAIL)
        phone = _primary(points, ContactPoint.Kind.PHONE)
        address = _primary(points, ContactPoint.Kind.ADDRESS)
        values.update({
            "person.name": person.display_name,
            "person.first_name": person.first_name,
            "person.last_name": person.last_name,
            "person.national_id": person.national_id or "",
            "person.email": email.value if email else "",
            "person.phone": phone.value if phone else "",
        })
        if address is not None and not person.non_disclosure:
            values.update({
                "person.address": str(address),
                "person.street": address.street,
                "person.postal_code": address.postal_code,
                "person.city": address.city,
            })
    if organisation is not None:
        values.update({"organisation.name": organisation.name,
                       "organisation.business_id": organisation.business_id or ""})
    return values


def prefilled_answers(schema: FormSchema, person: Party | None, organisation: Party | None) -> dict:
    values = known_values(person, organisation)
    return {field.name: values[field.prefill] for field in schema.fields()
            if field.prefill is not None and values.get(field.prefill)}
