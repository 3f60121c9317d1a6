"""Every string of the Big List of Naughty Strings as a site name and a contact label."""

from __future__ import annotations

import json

from markupsafe import escape
from starlette.testclient import TestClient

from helpmenu.settings import Settings
from tests.conftest import SiteFixture, shared_data
from tests.console.conftest import PATH, csrf_of, read_site
from tests.console.test_settings import GOOD


def name_ok(text: str) -> bool:
    return 1 <= len(text.strip()) <= 200 and "\x00" not in text


def label_ok(text: str) -> bool:
    return len(text) <= 80 and "\x00" not in text


def save(client: TestClient, csrf: str, name: str, label: str):  # type: ignore[no-untyped-def]
    data = {**GOOD, "csrf_token": csrf, "name": name, "phone_country": ["UA"],
            "phone_number": ["+380443900014"], "phone_label": [label]}
    return client.post(f"{PATH}/settings", data=data, follow_redirects=False)


def test_naughty_strings_are_stored_as_given_and_shown_as_text(
    admin_client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    strings: list[str] = json.loads(shared_data("blns.json").read_text(encoding="utf-8"))
    assert len(strings) > 500
    csrf = csrf_of(admin_client.get(f"{PATH}/settings").text)
    for text in strings:
        name = text if name_ok(text) else "Fallback name"
        label = text if label_ok(text) else "Fallback label"
        response = save(admin_client, csrf, name, label)
        assert response.status_code == 303, (text, response.status_code)
        stored = read_site(settings, site.id)
        assert stored.name == name.strip(), text
        assert stored.contacts["phones"][0]["label"] == label, text
        page = admin_client.get(f"{PATH}/settings")
        assert page.status_code == 200, text
        assert f'value="{escape(name.strip())}"' in page.text, text
        assert f'value="{escape(label)}"' in page.text, text
        for chats in (admin_client.get(f"{PATH}/chats"),):
            assert f'<span class="site-name">{escape(name.strip())}</span>' in chats.text, text
        if "<" in text:
            assert text not in page.text, text
        if not (name_ok(text) and label_ok(text)):
            refused = save(admin_client, csrf, text, text)
            assert refused.status_code == 400, text
            assert "Nothing was saved." in refused.text
