from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, else 503. The worker is reported (stale:
    no heartbeat lately, so emails wait) without changing the status, since the web container's
    healthcheck must not fail for it; `?require=worker` makes it count."""
    checks = {
        "database": "ok" if health.database_is_up() else "error",
        "broker": "ok" if health.broker_is_up() else "error",
    }
    healthy = all(state == "ok" for state in checks.values())
    checks["worker"] = "ok" if health.worker_is_alive() else "stale"
    if "worker" in request.GET.getlist("require") and checks["worker"] != "ok":
        healthy = False
    return JsonResponse(checks, status=200 if healthy else 503)


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An htmx request without a session (cookies cleared, session expired) fails the CSRF
    check before reaching its view: answer it as the view would, 401, so the page keeps the
    text and asks the user to log in. Anything else gets Django's own 403 page."""
    if request.htmx and not request.user.is_authenticated:
        return HttpResponse(gettext("Your session has expired: log in again."), status=401)
    return django_csrf_failure(request, reason=reason)
