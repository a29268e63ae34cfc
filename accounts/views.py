from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .forms import ProfileForm


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
