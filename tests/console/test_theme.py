"""The site's theme in the console: saving, strict validation, contrast warnings, roles, CSRF, and
the theme reaching the widget's session. Runs on SQLite and PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from helpmenu.settings import Settings
from tests.conftest import HOST_ORIGIN, SiteFixture, make_site
from tests.console.conftest import PATH, csrf_of, logged_in, make_staff, read_site

DARK: dict[str, Any] = {
    "colorPrimary": "#0F766E",
    "colorAccent": "#f59e0b",
    "colorText": "#e5e7eb",
    "colorBackground": "#111827",
    "font": "custom",
    "fontCustom": '  "Source Sans 3",   Arial, sans-serif ',
    "radius": "8",
    "launcher": "label",
    "position": "left",
    "offsetX": "24px",
    "offsetY": "32",
    "zIndex": "9000",
    "scheme": "dark",
}
STORED = {
    "colorPrimary": "#0f766e",
    "colorAccent": "#f59e0b",
    "colorText": "#e5e7eb",
    "colorBackground": "#111827",
    "fontFamily": '"Source Sans 3", Arial, sans-serif',
    "radius": "8px",
    "position": "left",
    "offsetX": "24px",
    "offsetY": "32px",
    "zIndex": "9000",
    "scheme": "dark",
}


def token(client: TestClient, query: str = "") -> str:
    return csrf_of(client.get(f"{PATH}/settings/theme{query}").text)


def post(client: TestClient, **changes: Any) -> Any:
    data = {**DARK, "csrf_token": token(client), **changes}
    return client.post(f"{PATH}/settings/theme", data=data, follow_redirects=False)


def session_theme(client: TestClient, site: SiteFixture) -> dict[str, str]:
    response = client.post("/api/widget/session", content=json.dumps({"site": site.public_key}),
                           headers={"Origin": HOST_ORIGIN})
    assert response.status_code == 200, response.text
    theme: dict[str, str] = response.json()["theme"]
    return theme


def test_a_new_site_has_the_default_theme(admin_client: TestClient, site: SiteFixture,
                                          settings: Settings) -> None:
    assert read_site(settings, site.id).theme == {}
    assert session_theme(admin_client, site) == {}
    page = admin_client.get(f"{PATH}/settings/theme")
    assert page.status_code == 200
    assert 'value="right" checked' in page.text and 'value="label" checked' in page.text
    assert 'style="' not in page.text and "<style" not in page.text
    assert "<script>" not in page.text  # the console's CSP allows no inline script
    assert 'id="contrast-warnings"' not in page.text


def test_saving_stores_a_normalised_theme_and_the_widget_gets_it(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    assert session_theme(admin_client, site) == {}  # now cached by the site directory
    response = post(admin_client)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PATH}/settings/theme?done=saved"
    assert read_site(settings, site.id).theme == STORED
    # Saving tells every process, so the next session carries the theme at once.
    assert session_theme(admin_client, site) == STORED
    page = admin_client.get(response.headers["location"])
    assert "Appearance saved." in page.text
    assert 'value="#0f766e"' in page.text and 'value="24"' in page.text
    assert '<option value="custom" selected>' in page.text
    assert 'value="&#34;Source Sans 3&#34;, Arial, sans-serif"' in page.text


def test_defaults_are_not_stored(admin_client: TestClient, site: SiteFixture,
                                 settings: Settings) -> None:
    post(admin_client, colorPrimary="#0f766e", colorAccent="", colorText="", colorBackground="",
         font="system", radius="", offsetX="", offsetY="", zIndex="", position="right",
         launcher="label", scheme="light")
    assert read_site(settings, site.id).theme == {"colorPrimary": "#0f766e"}
    post(admin_client, font="serif", launcher="hidden", scheme="auto")
    stored = read_site(settings, site.id).theme
    assert stored["fontFamily"].startswith("Georgia")
    assert stored["launcher"] == "hidden" and stored["scheme"] == "auto"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colorPrimary": "red"}, "Enter a colour like #0f766e or #fff"),
        ({"colorText": "#12345"}, "Enter a colour like #0f766e or #fff"),
        ({"colorAccent": "#fff;}body{display:none"}, "Enter a colour like #0f766e or #fff"),
        ({"colorBackground": "var(--x)"}, "Enter a colour like #0f766e or #fff"),
        ({"radius": "33"}, "Enter a whole number of pixels from 0 to 32."),
        ({"radius": "-1"}, "Enter a whole number of pixels from 0 to 32."),
        ({"offsetX": "1e3"}, "Enter a whole number of pixels from 0 to 240."),
        ({"offsetY": "12.5"}, "Enter a whole number of pixels from 0 to 240."),
        ({"zIndex": "2147483648"}, "Enter a whole number from 0 to 2147483647."),
        ({"zIndex": "auto"}, "Enter a whole number from 0 to 2147483647."),
        ({"fontCustom": "Arial; } body { color: red"}, "Write font family names"),
        ({"fontCustom": "url(https://evil.example/f.woff)"}, "Write font family names"),
        ({"fontCustom": '"Open Sans\\", x'}, "Write font family names"),
        ({"fontCustom": "<script>alert(1)</script>"}, "Write font family names"),
        ({"fontCustom": "Arial, " * 40}, "Write font family names"),
        ({"fontCustom": ""}, "Write font family names"),
        ({"font": "comic"}, "Write font family names"),
        ({"position": "top"}, "Choose one of the options."),
        ({"launcher": "bubble"}, "Choose one of the options."),
        ({"scheme": "sepia"}, "Choose one of the options."),
    ],
)
def test_bad_values_are_refused_and_the_stored_theme_is_unchanged(
    admin_client: TestClient, site: SiteFixture, settings: Settings,
    changes: dict[str, str], message: str,
) -> None:
    assert post(admin_client).status_code == 303
    before = read_site(settings, site.id)
    typed = {"colorText": "#123456", **changes}
    response = post(admin_client, **typed)
    assert response.status_code == 400
    assert "Nothing was saved." in response.text
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    after = read_site(settings, site.id)
    assert (after.theme, after.updated_at) == (before.theme, before.updated_at) == \
        (STORED, before.updated_at)
    # What was typed comes back, so it can be corrected.
    if typed["colorText"] == "#123456":
        assert 'value="#123456"' in response.text


def test_several_mistakes_are_shown_at_once(admin_client: TestClient) -> None:
    response = post(admin_client, colorPrimary="blue", radius="100", scheme="night")
    assert response.status_code == 400
    assert len(re.findall(r'class="field-error"', response.text)) == 3


def test_low_contrast_is_saved_with_a_warning_naming_what_the_widget_shows(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    # Yellow buttons with white text, and grey text on white: both below 4.5:1.
    response = post(admin_client, colorPrimary="#facc15", colorText="#9ca3af",
                    colorBackground="#ffffff", scheme="light")
    assert response.status_code == 303
    assert read_site(settings, site.id).theme["colorPrimary"] == "#facc15"
    page = admin_client.get(response.headers["location"])
    warnings = page.text.split('id="contrast-warnings"', 1)[1].split("</div>", 2)[0]
    assert "Text on the primary colour, light mode: 1.5:1, below 4.5:1" in warnings
    assert "Text on the background, light mode: 2.3:1, below 4.5:1" in warnings
    assert "The widget shows it in #6c7179." in warnings
    assert 'data-swatch="#6c7179"' in warnings


def test_a_readable_theme_has_no_warning(admin_client: TestClient) -> None:
    post(admin_client)  # the dark theme above: light text on a dark background
    page = admin_client.get(f"{PATH}/settings/theme")
    assert 'id="contrast-warnings"' not in page.text


def test_the_page_carries_the_preview(admin_client: TestClient) -> None:
    page = admin_client.get(f"{PATH}/settings/theme")
    assert 'id="theme-widget"' in page.text or "widget bundle" in page.text
    match = re.search(r'<script type="module" src="(/widget/assets/preview-[^"]+)"></script>',
                      page.text)
    if match:  # with a built bundle, the script is served from our origin (script-src 'self')
        script = admin_client.get(match.group(1))
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]


# ---- roles, CSRF, scoping ------------------------------------------------------------------------

def test_agents_see_the_theme_but_cannot_change_it(
    agent_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    page = agent_client.get(f"{PATH}/settings/theme")
    assert page.status_code == 200
    assert '<fieldset class="plain" disabled>' in page.text and "Save changes" not in page.text
    response = agent_client.post(f"{PATH}/settings/theme",
                                 data={**DARK, "csrf_token": csrf_of(page.text)})
    assert response.status_code == 403
    assert read_site(settings, site.id).theme == {}


@pytest.mark.parametrize("csrf", ["", "wrong-token"])
def test_saving_needs_the_csrf_token(admin_client: TestClient, site: SiteFixture,
                                     settings: Settings, csrf: str) -> None:
    response = admin_client.post(f"{PATH}/settings/theme", data={**DARK, "csrf_token": csrf})
    assert response.status_code == 403
    assert read_site(settings, site.id).theme == {}


def test_requests_from_other_origins_are_refused(admin_client: TestClient, site: SiteFixture,
                                                 settings: Settings) -> None:
    response = admin_client.post(f"{PATH}/settings/theme",
                                 data={**DARK, "csrf_token": token(admin_client)},
                                 headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert read_site(settings, site.id).theme == {}


def test_another_sites_theme_is_out_of_reach(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    other = make_site(settings, name="Someone else's site")
    csrf = token(admin_client)
    assert admin_client.get(f"{PATH}/settings/theme?site={other.id}").status_code == 404
    response = admin_client.post(f"{PATH}/settings/theme?site={other.id}",
                                 data={**DARK, "csrf_token": csrf})
    assert response.status_code == 404
    assert read_site(settings, other.id).theme == {}


def test_staff_of_several_sites_theme_the_one_they_chose(
    client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    other = make_site(settings, name="Second hotel")
    staff = make_staff(settings, email="both@example.com",
                       roles={site.id: "admin", other.id: "admin"})
    logged_in(client, staff)
    csrf = csrf_of(client.get(f"{PATH}/settings/theme?site={other.id}").text)
    response = client.post(f"{PATH}/settings/theme?site={other.id}",
                           data={**DARK, "csrf_token": csrf}, follow_redirects=False)
    assert response.headers["location"] == f"{PATH}/settings/theme?site={other.id}&done=saved"
    assert read_site(settings, other.id).theme == STORED
    assert read_site(settings, site.id).theme == {}


def test_the_settings_page_links_to_the_theme(admin_client: TestClient) -> None:
    page = admin_client.get(f"{PATH}/settings")
    assert f'href="{PATH}/settings/theme"' in page.text


def test_a_ukrainian_admin_gets_the_page_in_ukrainian(
    client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    staff = make_staff(settings, email="ua@example.com", locale="uk", roles={site.id: "admin"})
    logged_in(client, staff)
    page = client.get(f"{PATH}/settings/theme")
    assert "Темний режим" in page.text and "Dark mode" not in page.text
    assert "Допомога" in page.text  # the preview's launcher label
