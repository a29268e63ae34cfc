from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

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
