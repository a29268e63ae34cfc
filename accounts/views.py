from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import services
from .forms import AccountDeletionForm, ProfileForm
from .personal_data import personal_data_export
from .services import account_delete


@login_required
def profile_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The interface switches at once: the next page is in the language just chosen.
        with translation.override(user.language):
            messages.success(request, gettext("Your settings are saved."))
            return HttpResponseRedirect(reverse("profile_settings"))
    return render(request, "accounts/profile_settings.html", {"form": form})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Download everything held about you, or delete your account."""
    form = AccountDeletionForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, gettext("Your account is deleted."))
        return HttpResponseRedirect(reverse("home"))
    return render(request, "accounts/my_data.html", {"form": form})


@login_required
def my_data_download(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        personal_data_export(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@require_POST
def language_choose(request: HttpRequest) -> HttpResponseRedirect:
    """The switcher in the header: the chosen language wins at once and stays chosen, on the
    page's own address in that language. A signed-in user's choice is saved with their
    settings (pages and emails follow it); anyone's is kept in the language cookie, which
    comes before the browser's language."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = translation.get_language()
    wanted = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = reverse("home")
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=code)
    # Resolved in the language its address names, as the page was.
    with translation.override(translation.get_language_from_path(wanted) or code):
        response = HttpResponseRedirect(translate_url(wanted, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
