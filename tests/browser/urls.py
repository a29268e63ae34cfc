"""The app's URLs plus a page that breaks the CSP, to prove the browser tests notice."""

from django.http import HttpResponse
from django.urls import path

from accelerator.urls import urlpatterns as app_urlpatterns


def inline_script_page(request):
    return HttpResponse(
        "<!DOCTYPE html><html lang='en'><head><title>CSP probe</title>"
        "<link rel='icon' href='data:,'>"
        "<script>document.title = 'inline script ran';</script></head><body>probe</body></html>"
    )


urlpatterns = [path("csp-probe/", inline_script_page), *app_urlpatterns]
