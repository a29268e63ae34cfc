import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_english(live_server, page):
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calls for applications")
    expect(page.get_by_text("Not signed in")).to_be_visible()
    # htmx is loaded from our static files and configured for a CSP without eval.
    config = page.evaluate(
        "() => [typeof htmx, htmx.config.includeIndicatorStyles, htmx.config.allowEval]"
    )
    assert config == ["object", False, False]


def test_home_page_in_french_through_the_language_switcher(live_server, page):
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="Français").click()

    expect(page).to_have_url(live_server.url + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appels à candidatures")
    expect(page.get_by_text("Non connecté")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/")


@pytest.mark.console_errors_expected
@pytest.mark.urls("tests.browser.urls")
def test_an_inline_script_is_blocked_and_reported(live_server, page, console_errors):
    page.goto(live_server.url + "/csp-probe/")

    expect(page).to_have_title("CSP probe")
    [error] = console_errors
    assert error.startswith(
        "Executing inline script violates the following Content Security Policy directive "
        "'script-src 'self''."
    )
