"""The demo city's mandate: the demo resident (login "asukas") represents one of its organisations,
so the portal's "act for" choice can be tried. Run by `aspa demo`; a second run changes nothing."""

import datetime

from django.utils import timezone

from aspa.customers.models import Mandate, Party
from aspa.identity.models import User


def load_demo(say) -> None:
    resident = User.objects.filter(username="asukas", party__isnull=False).select_related("party").first()
    company = (Party.objects.filter(kind=Party.Kind.ORGANISATION, business_id__isnull=False)
               .order_by("id").first())
    if resident is None or company is None:
        say("mandates … skipped (no demo resident or organisation)")
        return
    granted_by = User.objects.filter(username="neuvoja").first()
    _mandate, created = Mandate.objects.get_or_create(
        person=resident.party, organisation=company,
        defaults={"valid_from": timezone.localdate() - datetime.timedelta(days=90), "granted_by": granted_by,
                  "note": "Kaupparekisteriote (demo)"})
    say(f"mandates … {'done' if created else 'already there'} ({resident.party} acts for {company})")
