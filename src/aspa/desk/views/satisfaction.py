"""Customer satisfaction for supervisors: the survey's averages per department and month."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from aspa.errors import Forbidden
from aspa.reports import queries


@never_cache
def satisfaction(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}")
    try:
        rows = queries.satisfaction_by_department_and_month(user)
    except Forbidden:
        raise PermissionDenied from None
    return render(request, "desk/satisfaction/averages.html", {"rows": rows, "current": "satisfaction"})
