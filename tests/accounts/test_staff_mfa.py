"""With STAFF_REQUIRE_MFA, staff set up two-factor authentication before any admin page, and no
login path (Django's admin login included) lets a password alone in."""

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

from tests.accounts.totp import totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# Values for the admin URLs' parameters; the redirect happens before any object is looked up.
SAMPLE_KWARGS = {
    "url": "no-such-page/",
    "id": "1",
    "object_id": "1",
    "app_label": "accounts",
    "content_type_id": "1",
}


def every_admin_path() -> list[str]:
    """A concrete path for every URL of admin.site.get_urls(), nested model admins included."""
    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                kwargs = {key: SAMPLE_KWARGS[key] for key in pattern.pattern.regex.groupindex}
                paths.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
            else:  # the unnamed "<path:object_id>/" redirect of each model admin
                route = re.sub(
                    r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_KWARGS[m[1]], str(pattern.pattern)
                )
                paths.append(reverse("admin:index") + prefix + route)

    walk(admin.site.get_urls(), "")
    return sorted(set(paths))


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def staff_without_mfa():
    return UserFactory(email="new.manager@stationf.example", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("path", every_admin_path())
def test_staff_without_mfa_are_sent_to_set_it_up_from_every_admin_url(
    client, staff_without_mfa, path
):
    client.force_login(staff_without_mfa)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp") + "?next=")


def test_the_admin_urls_cover_every_model_admin():
    paths = every_admin_path()

    assert "/admin/" in paths
    assert "/admin/login/" in paths
    assert "/admin/notifications/outgoingemail/1/history/" in paths
    assert "/admin/accounts/user/1/change/" in paths


@pytest.mark.usefixtures("start_of_totp_window")
def test_staff_set_up_totp_then_reach_the_page_they_first_asked_for(client, staff_without_mfa):
    wanted = reverse("admin:notifications_outgoingemail_changelist")
    assert log_in(client, staff_without_mfa.email).status_code == 302

    sent_away = client.get(wanted)
    # allauth asks for the password again before a change of authenticators.
    reauthenticate = client.get(sent_away["Location"])["Location"]
    confirmed = client.post(reauthenticate, {"password": PASSWORD})
    setup_page = client.get(confirmed["Location"])
    secret = setup_page.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    codes_page = client.get(activated["Location"])
    arrived = client.get(wanted)

    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    assert confirmed["Location"] == sent_away["Location"]
    assert setup_page.status_code == 200
    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert f'href="{wanted}"' in codes_page.content.decode()
    assert arrived.status_code == 200


def test_a_password_posted_to_the_admin_login_does_not_log_in(client, staff_with_totp):
    response = client.post(
        reverse("admin:login"), {"username": staff_with_totp.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


@pytest.mark.usefixtures("start_of_totp_window")
def test_a_password_alone_does_not_log_staff_with_totp_in(client, staff_with_totp):
    response = log_in(client, staff_with_totp.email)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    second_factor = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(staff_with_totp.totp_secret)}
    )
    assert second_factor.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_with_totp.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_non_staff_are_never_asked_for_mfa(client):
    founder = UserFactory()
    log_in(client, founder.email)

    pages = {path: client.get(path) for path in ["/", "/fr/", reverse("profile_settings")]}
    admin_page = client.get(reverse("admin:index"), follow=True)

    assert {path: page.status_code for path, page in pages.items()} == {
        "/": 200,
        "/fr/": 200,
        reverse("profile_settings"): 200,
    }
    assert admin_page.status_code == 403
    assert admin_page.redirect_chain == [("/admin/login/?next=/admin/", 302)]


def test_admin_shows_a_banner_when_mfa_is_not_enforced(client, settings, staff_without_mfa):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(staff_without_mfa)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Two-factor authentication is not enforced for staff on this server" in (
        response.content.decode()
    )


def test_no_banner_when_mfa_is_enforced(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Two-factor authentication is not enforced" not in response.content.decode()


def test_a_user_can_be_made_staff_only_with_a_verified_address(staff_client):
    unverified = UserFactory(verified_email=False)
    form = {
        "email": unverified.email,
        "full_name": unverified.full_name,
        "language": "en",
        "time_zone": "Europe/Paris",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-11-22",
        "date_joined_1": "10:00:00",
        "emailaddress_set-TOTAL_FORMS": "0",
        "emailaddress_set-INITIAL_FORMS": "0",
    }

    response = staff_client.post(reverse("admin:accounts_user_change", args=[unverified.pk]), form)

    unverified.refresh_from_db()
    assert response.status_code == 200
    assert unverified.is_staff is False
    assert "Staff need a verified email address" in response.content.decode()


def test_createsuperuser_records_a_verified_address(monkeypatch):
    from allauth.account.models import EmailAddress
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--email", "director@stationf.example")

    address = EmailAddress.objects.get()
    assert (address.email, address.verified, address.primary) == (
        "director@stationf.example",
        True,
        True,
    )
