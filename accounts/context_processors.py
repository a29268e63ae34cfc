from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from .middleware import SESSION_NEXT_KEY


def staff_mfa(request: HttpRequest) -> dict:
    """Whether staff MFA is enforced (the admin banner), and the staff page a user was sent
    away from to set it up (offered again once the recovery codes are shown)."""
    wanted = request.session.get(SESSION_NEXT_KEY, "") if hasattr(request, "session") else ""
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
        wanted = ""
    return {"staff_require_mfa": settings.STAFF_REQUIRE_MFA, "staff_mfa_next": wanted}
