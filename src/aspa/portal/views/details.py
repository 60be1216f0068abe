"""The resident's own details: contact details, language and notifications, which they correct
themselves through the customer register's operation."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from aspa.audit.reads import Reader
from aspa.customers import operations as customer_operations
from aspa.customers import queries as customer_queries
from aspa.customers.models import ContactPoint, Party
from aspa.errors import Conflict, InvalidInput
from aspa.portal.forms import DetailsForm
from aspa.portal.views.guards import resident_required


def _render_details(request: HttpRequest, party: Party, form: DetailsForm, status: int = 200,
                    notice: str = "") -> HttpResponse:
    contact_points = list(party.contact_points.all())
    context = {
        "party": party,
        "form": form,
        "notice": notice,
        "other_emails": [point for point in contact_points if point.kind == ContactPoint.Kind.EMAIL][1:],
        "other_phones": [point for point in contact_points if point.kind == ContactPoint.Kind.PHONE][1:],
        "other_addresses": [point for point in contact_points if point.kind == ContactPoint.Kind.ADDRESS][1:],
        "current": "me",
    }
    return render(request, "portal/details/my_details.html", context, status=status)


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    """The saved language becomes the page language now and after the session (the cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


@resident_required
def my_details(request: HttpRequest) -> HttpResponse:
    """The resident's own details (never an organisation's: the city keeps those). Name and
    henkilötunnus come from the population register and are shown, not edited."""
    if request.user.party_id is None:
        return render(request, "portal/details/my_details.html", {"party": None, "current": "me"})
    party = customer_queries.get_party_for(Reader.of(request), request.user.party_id)
    if request.method != "POST":
        return _render_details(request, party, DetailsForm.for_party(party))
    form = DetailsForm(request.POST, offers_sms=DetailsForm.offers_sms_to(party))
    if not form.is_valid():
        if form.errors.get("version"):
            form.add_error(None, _("Reload the page and save your details again."))
        return _render_details(request, party, form, status=422)
    try:
        customer_operations.update_party(request.user, party, version=form.cleaned_data["version"],
                                         changes=form.changes(party), request=request)
    except Conflict:
        # Nothing was written: the page shows the details as they are now, to change again.
        party = customer_queries.get_party_for(Reader.of(request), request.user.party_id)
        return _render_details(request, party, DetailsForm.for_party(party), status=409, notice=_(
            "Your details were changed elsewhere since you opened this page, so nothing was saved. "
            "The page now shows the details as they are; make your change again."))
    except InvalidInput as refusal:
        form.add_operation_refusal(refusal)
        return _render_details(request, party, form, status=422)
    language = form.cleaned_data["language"]
    translation.activate(language)
    messages.success(request, _("Your details have been saved."))
    return _with_language(redirect("portal:me"), language)
