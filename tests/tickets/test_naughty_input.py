"""Every string of blns.json and every XSS vector, in every text field and as a file name: stored
exactly as given, returned as JSON text to the widget, escaped in the console."""

from __future__ import annotations

import json

from markupsafe import escape
from starlette.testclient import TestClient

from helpmenu.http import ApiError
from helpmenu.tickets.attachments import check_name
from tests.conftest import shared_data
from tests.tickets.conftest import Widget, png


def naughty() -> list[str]:
    strings = json.loads(shared_data("blns.json").read_text("utf-8"))
    xss = shared_data("xss_payloads_quick.txt").read_text("utf-8").splitlines()
    return [s for s in strings + xss if s.strip()]


def name_is_accepted(name: str) -> bool:
    try:
        check_name(name, "image/png")
    except ApiError:
        return False
    return True


def test_naughty_strings_are_stored_as_given_and_shown_as_text(
    olena: Widget, visitor: Widget, agent_client: TestClient
) -> None:
    topic = olena.topics()[0]["id"]
    numbers: dict[int, str] = {}
    for text in naughty():
        response = olena.create(topic, subject=text[:300], message=text,
                                file=(text, png(), "image/png"))
        if not name_is_accepted(text):  # e.g. "1.00" is fine, "evil.html" contradicts a PNG
            assert response.status_code == 415, text
            response = olena.create(topic, subject=text[:300], message=text)
        assert response.status_code == 201, (text, response.text)
        numbers[response.json()["number"]] = text
        anonymous = visitor.create(visitor.topics()[0]["id"], subject=text[:300], message=text,
                                   name=text[:300], email="guest@example.com")
        assert anonymous.status_code == 201, (text, anonymous.text)
    for number, text in list(numbers.items())[::7]:
        detail = olena.get(f"/api/tickets/{number}").json()
        assert detail["subject"] == text[:300] and detail["thread"][0]["body"] == text
        file = detail["thread"][0]["file"]
        assert file is None or file["name"] == text
        page = agent_client.get(f"/console/requests/{number}")
        assert page.status_code == 200
        assert str(escape(text)) in page.text
        if "<" in text:
            assert text not in page.text  # never as markup
    inbox = agent_client.get("/console/requests?status=")
    assert inbox.status_code == 200 and "<script>alert" not in inbox.text
