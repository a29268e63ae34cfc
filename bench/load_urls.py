"""The project's URLs plus the bare reference view of bench/autosave_load.py: a POST answered
"ok" by a view that does nothing, behind the whole middleware stack (sessions, CSRF, auth,
allauth, CSP, htmx), so it is compared fairly with autosave's POST. Only the benchmark points
ROOT_URLCONF here (bench/load_settings.py); the app's own code is untouched."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from accelerator.urls import urlpatterns as project_urlpatterns


@require_POST
def bare_ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok/", bare_ok, name="bench_ok"),
    *project_urlpatterns,
]
