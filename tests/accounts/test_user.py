import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_new_user_defaults_to_english_and_paris_time():
    user = User.objects.create_user("ada@startup.example", "correct horse battery staple")

    assert (user.language, user.time_zone, user.is_staff) == ("en", "Europe/Paris", False)
    assert not hasattr(user, "username")


def test_email_is_unique_whatever_its_case():
    UserFactory(email="Ada@Startup.example")

    with pytest.raises(IntegrityError):
        User.objects.create(email="ada@startup.EXAMPLE")


def test_model_validation_reports_a_differently_cased_duplicate():
    UserFactory(email="ada@startup.example")

    with pytest.raises(ValidationError) as error:
        User(email="ADA@startup.example", password="x").full_clean()

    assert error.value.messages == ["A user with this email address already exists."]


def test_login_is_case_insensitive():
    UserFactory(email="ada@startup.example", password="correct horse battery staple")

    user = authenticate(email="ADA@Startup.Example", password="correct horse battery staple")

    assert user is not None
    assert user.email == "ada@startup.example"


def test_unknown_time_zone_is_refused():
    user = UserFactory.build(time_zone="Europe/Atlantis")

    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])

    assert error.value.message_dict == {
        "time_zone": ["“Europe/Atlantis” is not a known time zone."]
    }


def test_createsuperuser_works_with_an_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse battery staple")

    call_command("createsuperuser", "--noinput", "--email", "admin@stationf.example")

    admin = User.objects.get()
    assert (admin.email, admin.is_staff, admin.is_superuser) == (
        "admin@stationf.example",
        True,
        True,
    )
    assert admin.check_password("correct horse battery staple")
