"""What every staff page (under /staff/, in any app) asks first: is this a signed-in member of
staff with something to manage, and is this cohort theirs."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from .models import Cohort
from .selectors import StaffScope, staff_scope


def staff_page(view):
    """Signed in (else the login page), with a staff scope (else 403, with the reason). The
    view finds `request.staff_scope`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        scope = staff_scope(request.user)
        if scope.is_empty:
            raise PermissionDenied(
                gettext("This page is for program staff. Ask a superuser to add you to a program.")
            )
        request.staff_scope = scope
        return view(request, *args, **kwargs)

    return wrapper


def cohort_in_scope(scope: StaffScope, cohort_id: int) -> Cohort:
    """The cohort, with its program, if the scope covers it; another program's cohort does
    not exist for this user (404)."""
    return get_object_or_404(scope.cohorts().select_related("program"), pk=cohort_id)
