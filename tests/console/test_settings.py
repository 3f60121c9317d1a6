"""Site settings in the console: editing, validation, secrets, CSRF, origins and roles."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from helpmenu.settings import Settings
from tests.conftest import SiteFixture, make_site
from tests.console.conftest import (
    PATH,
    StaffFixture,
    active_secrets,
    csrf_of,
    logged_in,
    make_staff,
    read_site,
)

GOOD: dict[str, Any] = {
    "name": "Clock Service Centre",
    "default_locale": "uk",
    "allowed_origins": "https://app.example.com\nHTTPS://Second.Example.com:443/\n\n",
    "phone_country": ["ua", "", "pl"],
    "phone_number": ["+38 (044) 390-0014", "", "0048 22 390 6200"],
    "phone_label": ["Підтримка", "", "Polska"],
    "email_kind": ["billing", "general"],
    "email_address": ["billing@example.com", ""],
    "timezone": "Europe/Kyiv",
    "day_mon": "09:00-13:00, 14:00 \u2013 18:00",
    "day_fri": "09:00-17:00",
    "day_sat": "",
    "holidays": "2026-12-25\n2027-01-01",
}


def form(token: str, **changes: Any) -> dict[str, Any]:
    return {**GOOD, "csrf_token": token, **changes}


def token(client: TestClient, query: str = "") -> str:
    return csrf_of(client.get(f"{PATH}/settings{query}").text)


def test_the_page_shows_the_key_the_snippet_and_masked_secrets(
    admin_client: TestClient, site: SiteFixture
) -> None:
    page = admin_client.get(f"{PATH}/settings")
    assert page.status_code == 200
    assert site.public_key in page.text
    assert ("&lt;script async src=&#34;http://testserver/widget.js&#34; "
            f"data-site=&#34;{site.public_key}&#34;&gt;&lt;/script&gt;") in page.text
    assert site.secret not in page.text
    assert site.secret[-4:] in page.text
    assert 'style="' not in page.text and "<style" not in page.text
    assert "<script>" not in page.text  # the CSP allows no inline script


def test_saving_valid_settings_stores_them_normalised(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    response = admin_client.post(f"{PATH}/settings", data=form(token(admin_client)),
                                 follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PATH}/settings?done=saved"
    stored = read_site(settings, site.id)
    assert stored.name == "Clock Service Centre"
    assert stored.default_locale == "uk"
    assert stored.allowed_origins == ["https://app.example.com", "https://second.example.com"]
    assert stored.contacts == {
        "phones": [
            {"country": "UA", "number": "+380443900014", "label": "Підтримка"},
            {"country": "PL", "number": "+48223906200", "label": "Polska"},
        ],
        "emails": [{"kind": "billing", "address": "billing@example.com"}],
    }
    assert stored.schedule == {
        "timezone": "Europe/Kyiv",
        "weekly": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "fri": [["09:00", "17:00"]]},
        "holidays": ["2026-12-25", "2027-01-01"],
    }
    page = admin_client.get(response.headers["location"])
    assert "Settings saved." in page.text
    assert 'value="09:00-13:00, 14:00-18:00"' in page.text


def test_saving_tells_every_process_the_site_changed(
    admin_client: TestClient, site: SiteFixture
) -> None:
    directory = admin_client.app.state.services.sites  # type: ignore[attr-defined]
    portal = admin_client.portal  # type: ignore[attr-defined]
    assert portal.call(directory.get, site.public_key).name == "Hotel Dnipro PMS"
    admin_client.post(f"{PATH}/settings", data=form(token(admin_client)))
    assert portal.call(directory.get, site.public_key).name == "Clock Service Centre"


def test_open_around_the_clock_stores_no_weekly_hours(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    admin_client.post(f"{PATH}/settings", data=form(token(admin_client), always_open="on"))
    assert read_site(settings, site.id).schedule["weekly"] is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "   "}, "Enter a name of 1 to 200 characters."),
        ({"name": "n" * 201}, "Enter a name of 1 to 200 characters."),
        ({"name": "nul\x00"}, "cannot be stored"),
        ({"default_locale": "de"}, "Choose one of the languages in the list."),
        ({"allowed_origins": "https://ok.example.com\nftp://x.example"}, "ftp://x.example"),
        ({"phone_country": ["Ukraine"], "phone_number": ["+380443900014"], "phone_label": [""]},
         "two-letter"),
        ({"phone_country": ["UA"], "phone_number": ["call us"], "phone_label": ["x"]},
         "&#39;call us&#39; is not a phone number"),
        ({"phone_country": ["UA"], "phone_number": ["+380443900014"], "phone_label": ["x" * 81]},
         "A label can be at most 80 characters long."),
        ({"email_kind": ["spam"], "email_address": ["a@example.com"]}, "kind must be one of"),
        ({"email_kind": ["general"], "email_address": ["not an address"]},
         "Check this e-mail address."),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"day_mon": "18:00-09:00"}, "18:00 is not before 09:00"),
        ({"day_mon": "09:00-12:00, 11:00-13:00"}, "ranges overlap"),
        ({"day_tue": "nine to five"}, "Write hours as ranges like"),
        ({"day_wed": "09:00-25:00"}, "is not a time of day"),
        ({"holidays": "Christmas"}, "Write each holiday as a date"),
    ],
)
def test_mistakes_are_shown_and_nothing_is_stored(
    admin_client: TestClient, site: SiteFixture, settings: Settings,
    changes: dict[str, Any], message: str,
) -> None:
    before = read_site(settings, site.id)
    response = admin_client.post(f"{PATH}/settings", data=form(token(admin_client), **changes))
    assert response.status_code == 400
    assert "Nothing was saved." in response.text
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    after = read_site(settings, site.id)
    assert (after.name, after.default_locale, after.allowed_origins, after.contacts,
            after.schedule, after.updated_at) == \
        (before.name, before.default_locale, before.allowed_origins, before.contacts,
         before.schedule, before.updated_at)


def test_several_mistakes_are_shown_at_once(admin_client: TestClient) -> None:
    response = admin_client.post(f"{PATH}/settings", data=form(
        token(admin_client), name="", allowed_origins="nope", day_fri="whenever"))
    assert response.status_code == 400
    for message in ("Enter a name", "Each line must be an origin", "Write hours as ranges"):
        assert message in response.text
    # What was typed comes back, so nothing has to be typed again.
    assert ">nope</textarea>" in response.text and 'value="whenever"' in response.text


def test_rotation_shows_the_new_secret_once(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    response = admin_client.post(f"{PATH}/settings/secrets/rotate",
                                 data={"csrf_token": token(admin_client)})
    assert response.status_code == 200
    secrets = active_secrets(settings, site.id)
    assert len(secrets) == 2 and site.secret in secrets
    (new,) = [s for s in secrets if s != site.secret]
    assert new in response.text and "It is not shown again." in response.text
    assert new not in admin_client.get(f"{PATH}/settings").text
    # A third secret revokes the oldest: two at most are ever active.
    admin_client.post(f"{PATH}/settings/secrets/rotate", data={"csrf_token": token(admin_client)})
    secrets = active_secrets(settings, site.id)
    assert len(secrets) == 2 and site.secret not in secrets and new in secrets


def test_revocation_keeps_at_least_one_secret(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    from sqlalchemy import select

    from helpmenu.sites.models import SiteSecret
    from tests.auth.test_staff import run

    async def ids(session):  # type: ignore[no-untyped-def]
        return list(await session.scalars(
            select(SiteSecret.id).where(SiteSecret.site_id == site.id).order_by(SiteSecret.id)))

    (only,) = run(settings, ids)
    refused = admin_client.post(f"{PATH}/settings/secrets/{only}/revoke",
                                data={"csrf_token": token(admin_client)})
    assert refused.status_code == 400 and "keeps at least one active secret" in refused.text
    assert active_secrets(settings, site.id) == [site.secret]

    admin_client.post(f"{PATH}/settings/secrets/rotate", data={"csrf_token": token(admin_client)})
    done = admin_client.post(f"{PATH}/settings/secrets/{only}/revoke",
                             data={"csrf_token": token(admin_client)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("done=revoked")
    secrets = active_secrets(settings, site.id)
    assert len(secrets) == 1 and site.secret not in secrets


# ---- CSRF and origin ---------------------------------------------------------------------------

@pytest.mark.parametrize("csrf", [None, "", "wrong-token"])
def test_settings_need_the_csrf_token(
    admin_client: TestClient, site: SiteFixture, settings: Settings, csrf: str | None
) -> None:
    data = form("") if csrf is None else form(csrf)
    if csrf is None:
        del data["csrf_token"]
    response = admin_client.post(f"{PATH}/settings", data=data)
    assert response.status_code == 403
    assert "This page has expired" in response.text
    assert read_site(settings, site.id).name == "Hotel Dnipro PMS"
    rotate = admin_client.post(f"{PATH}/settings/secrets/rotate", data={"csrf_token": csrf or ""})
    assert rotate.status_code == 403
    assert active_secrets(settings, site.id) == [site.secret]


def test_another_sessions_token_is_not_accepted(
    client: TestClient, admin: StaffFixture, site: SiteFixture, settings: Settings
) -> None:
    logged_in(client, admin)
    first = token(client)
    client.cookies.clear()
    logged_in(client, admin)
    assert client.post(f"{PATH}/settings", data=form(first)).status_code == 403
    assert read_site(settings, site.id).name == "Hotel Dnipro PMS"


def test_the_csrf_header_is_accepted(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    response = admin_client.post(f"{PATH}/settings/secrets/rotate",
                                 headers={"X-CSRF-Token": token(admin_client)})
    assert response.status_code == 200
    assert len(active_secrets(settings, site.id)) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Referer": "https://evil.example/console/settings"},
    ],
)
def test_requests_from_other_origins_are_refused(
    admin_client: TestClient, site: SiteFixture, settings: Settings, headers: dict[str, str]
) -> None:
    response = admin_client.post(f"{PATH}/settings", data=form(token(admin_client)),
                                 headers=headers)
    assert response.status_code == 403
    assert "came from another website" in response.text
    assert read_site(settings, site.id).name == "Hotel Dnipro PMS"


def test_our_own_origin_and_referer_are_accepted(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    for headers in ({"Origin": "http://testserver"},
                    {"Referer": "http://testserver/console/settings"}):
        response = admin_client.post(f"{PATH}/settings", data=form(token(admin_client)),
                                     headers=headers, follow_redirects=False)
        assert response.status_code == 303


# ---- roles and scoping ---------------------------------------------------------------------------

def test_agents_see_a_read_only_page_and_cannot_change_anything(
    agent_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    page = agent_client.get(f"{PATH}/settings")
    assert page.status_code == 200
    assert "<fieldset class=\"plain\" disabled>" in page.text
    assert "Save changes" not in page.text and "Create a new secret" not in page.text
    assert site.secret[-4:] not in page.text
    assert site.public_key in page.text
    csrf = csrf_of(page.text)
    assert agent_client.post(f"{PATH}/settings", data=form(csrf)).status_code == 403
    assert agent_client.post(f"{PATH}/settings/secrets/rotate",
                             data={"csrf_token": csrf}).status_code == 403
    assert agent_client.post(f"{PATH}/settings/secrets/1/revoke",
                             data={"csrf_token": csrf}).status_code == 403
    assert read_site(settings, site.id).name == "Hotel Dnipro PMS"
    assert active_secrets(settings, site.id) == [site.secret]


@pytest.fixture
def other_site(settings: Settings) -> SiteFixture:
    return make_site(settings, name="Someone else's site")


def test_another_sites_pages_are_not_found(
    admin_client: TestClient, other_site: SiteFixture, settings: Settings
) -> None:
    csrf = token(admin_client)
    for path in ("/settings", "/chats", "/requests", "/faq", "/"):
        response = admin_client.get(f"{PATH}{path}?site={other_site.id}", follow_redirects=False)
        assert response.status_code == 404, path
        assert other_site.public_key not in response.text
    for query in ("abc", "", "-1", str(other_site.id + 1000)):
        assert admin_client.get(f"{PATH}/settings?site={query}").status_code == 404
    save = admin_client.post(f"{PATH}/settings?site={other_site.id}", data=form(csrf))
    rotate = admin_client.post(f"{PATH}/settings/secrets/rotate?site={other_site.id}",
                               data={"csrf_token": csrf})
    assert save.status_code == rotate.status_code == 404
    assert read_site(settings, other_site.id).name == "Someone else's site"
    assert active_secrets(settings, other_site.id) == [other_site.secret]


def test_another_sites_secret_cannot_be_revoked_through_ours(
    admin_client: TestClient, site: SiteFixture, other_site: SiteFixture, settings: Settings
) -> None:
    from sqlalchemy import select

    from helpmenu.sites.models import SiteSecret
    from tests.auth.test_staff import run

    async def other_ids(session):  # type: ignore[no-untyped-def]
        return list(await session.scalars(
            select(SiteSecret.id).where(SiteSecret.site_id == other_site.id)))

    admin_client.post(f"{PATH}/settings/secrets/rotate", data={"csrf_token": token(admin_client)})
    (target,) = run(settings, other_ids)
    # Give the other site a second secret, so only scoping can stop the revocation.
    response = admin_client.post(f"{PATH}/settings/secrets/{target}/revoke",
                                 data={"csrf_token": token(admin_client)})
    assert response.status_code == 400
    assert active_secrets(settings, other_site.id) == [other_site.secret]


def test_staff_of_several_sites_switch_between_them(
    client: TestClient, site: SiteFixture, other_site: SiteFixture, settings: Settings
) -> None:
    staff = make_staff(settings, email="both@example.com",
                       roles={site.id: "agent", other_site.id: "admin"})
    logged_in(client, staff)
    page = client.get(f"{PATH}/settings")
    assert 'id="site-switch"' in page.text
    assert "Save changes" not in page.text  # the first site, where they are an agent
    other = client.get(f"{PATH}/settings?site={other_site.id}")
    assert "Save changes" in other.text and other_site.public_key in other.text
    assert f'href="{PATH}/chats?site={other_site.id}"' in other.text
    response = client.post(f"{PATH}/settings?site={other_site.id}",
                           data=form(csrf_of(other.text), name="Renamed"), follow_redirects=False)
    assert response.headers["location"] == f"{PATH}/settings?site={other_site.id}&done=saved"
    assert read_site(settings, other_site.id).name == "Renamed"
    assert read_site(settings, site.id).name == "Hotel Dnipro PMS"


def test_staff_without_sites_see_an_explanation(client: TestClient, settings: Settings) -> None:
    logged_in(client, make_staff(settings, email="new@example.com"))
    for path in ("/chats", "/requests", "/faq", "/settings"):
        page = client.get(PATH + path)
        assert page.status_code == 200
        assert "You are not part of any site yet" in page.text
