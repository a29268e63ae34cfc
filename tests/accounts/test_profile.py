import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def founder_client(client):
    founder = UserFactory(full_name="Ada Lovelace")
    client.force_login(founder)
    client.founder = founder
    return client


def test_profile_offers_the_browsers_time_zone_until_one_is_saved(founder_client):
    before = founder_client.get(reverse("profile_settings"))
    founder_client.post(
        reverse("profile_settings"),
        {"full_name": "Ada Lovelace", "language": "en", "time_zone": "Europe/Berlin"},
    )
    after = founder_client.get(reverse("profile_settings"))

    assert "data-preset-from-browser" in before.content.decode()
    assert "data-preset-from-browser" not in after.content.decode()


def test_choosing_french_switches_the_interface_at_once(founder_client):
    response = founder_client.post(
        reverse("profile_settings"),
        {"full_name": "Ada Lovelace", "language": "fr", "time_zone": "Europe/Paris"},
        follow=True,
    )

    founder_client.founder.refresh_from_db()
    assert founder_client.founder.language == "fr"
    assert response.redirect_chain == [("/fr/accounts/profile/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Vos réglages sont enregistrés."]
    assert '<html lang="fr">' in response.content.decode()


def test_an_unknown_time_zone_is_refused_and_what_was_typed_stays(founder_client):
    response = founder_client.post(
        reverse("profile_settings"),
        {
            "full_name": "Ada King, Countess of Lovelace",
            "language": "en",
            "time_zone": "Mars/Olympus",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in page
    assert 'value="Ada King, Countess of Lovelace"' in page
    founder_client.founder.refresh_from_db()
    assert founder_client.founder.full_name == "Ada Lovelace"


def test_profile_needs_a_login(client):
    response = client.get(reverse("profile_settings"))

    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"
