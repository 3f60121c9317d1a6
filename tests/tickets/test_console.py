"""The console's Requests section: queue, request view, replies with a file, internal notes,
changes, messages, topics; and another site's requests are not found."""

from __future__ import annotations

from starlette.testclient import TestClient

from helpmenu.settings import Settings
from tests.conftest import make_site
from tests.console.conftest import csrf_of
from tests.tickets.conftest import Widget, png


def test_reply_note_and_changes(olena: Widget, agent_client: TestClient) -> None:
    topics = olena.topics()
    number = olena.create(topics[0]["id"], file=("shot.png", png(), "image/png")).json()["number"]
    inbox = agent_client.get("/console/requests")
    assert inbox.status_code == 200 and f"#{number}" in inbox.text
    view = agent_client.get(f"/console/requests/{number}")
    assert view.status_code == 200 and "shot.png" in view.text
    token = csrf_of(view.text)
    file_link = f"/console/requests/{number}/files/1"
    download = agent_client.get(file_link)
    assert download.content == png() and download.headers["x-content-type-options"] == "nosniff"

    def post(path: str, **data: str) -> int:
        files = {"file": ("a.txt", b"log line", "text/plain")} if path.endswith("reply") else None
        response = agent_client.post(f"/console/requests/{number}/{path}",
                                     data={"csrf_token": token, **data}, files=files,
                                     follow_redirects=False)
        return response.status_code

    assert post("reply", body="Try again") == 303
    assert post("reply", body="secret note", internal="1") == 303
    assert post("reply", body="") == 303  # a file alone is a reply
    assert post("update", status="resolved", topic=str(topics[1]["id"]), importance="high",
                assignee="none") == 303
    assert post("update", status="bogus") == 400
    assert agent_client.post(f"/console/requests/{number}/reply", data={"body": "no csrf"},
                             follow_redirects=False).status_code == 403
    thread = olena.get(f"/api/tickets/{number}").json()
    bodies = [m["body"] for m in thread["thread"]]
    assert "Try again" in bodies and "secret note" not in bodies
    assert (thread["status"], thread["topic"]) == ("resolved", topics[1]["name"])
    view = agent_client.get(f"/console/requests/{number}")
    assert "secret note" in view.text  # staff see their notes
    filtered = agent_client.get("/console/requests?status=resolved&importance=high")
    assert f"#{number}" in filtered.text
    assert f"#{number}" not in agent_client.get("/console/requests").text  # not open any more


def test_another_sites_requests_are_not_found(
    olena: Widget, agent_client: TestClient, settings: Settings
) -> None:
    number = olena.create(olena.topics()[0]["id"]).json()["number"]
    other = make_site(settings, name="Other PMS")
    assert agent_client.get(f"/console/requests?site={other.id}").status_code == 404
    assert agent_client.get(f"/console/requests/{number + 1}").status_code == 404
    assert agent_client.get(f"/console/requests/{number}/files/999").status_code == 404


def test_topics_and_snooze_are_admin_settings(
    client: TestClient, admin_client: TestClient, olena: Widget
) -> None:
    page = admin_client.get("/console/requests/options")
    assert page.status_code == 200
    saved = admin_client.post("/console/requests/options", data={
        "csrf_token": csrf_of(page.text), "topics": "Bookings\nInvoices\n",
        "snooze_seconds": "90"}, follow_redirects=False)
    assert saved.status_code == 303
    assert [t["name"] for t in olena.topics()] == ["Bookings", "Invoices"]
    bad = admin_client.post("/console/requests/options", data={
        "csrf_token": csrf_of(page.text), "topics": "", "snooze_seconds": "-1"})
    assert bad.status_code == 400
