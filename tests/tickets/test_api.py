"""The widget's requests API on SQLite and PostgreSQL: creation, validation, idempotency, history,
thread, replies, rating, downloads, and access (another account's ids are simply not found)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.testclient import TestClient

from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.conftest import SiteFixture
from tests.tickets.conftest import Widget, make_widget, png


def test_a_request_gets_the_next_number_and_its_file(olena: Widget, settings: Settings) -> None:
    topic = olena.topics()[0]["id"]
    first = olena.create(topic, file=("shot.png", png(), "image/png"))
    second = olena.create(topic)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["number"] == first.json()["number"] + 1
    stored = [p for p in (settings.data_dir / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].read_bytes() == png()
    assert "shot" not in stored[0].name  # a random name, never the user's


def test_missing_and_over_long_fields_get_one_message_each(olena: Widget, visitor: Widget) -> None:
    response = olena.create(olena.topics()[0]["id"], subject="", message="x" * 10001,
                            importance="urgent")
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert {k: v["code"] for k, v in fields.items()} == {
        "subject": "required", "message": "too_long", "importance": "invalid"}
    assert all(v["message"] for v in fields.values())
    no_topic = olena.create(0)
    assert no_topic.status_code == 422 and "topic" in no_topic.json()["fields"]
    # An anonymous visitor gives a name and an e-mail (the site's default).
    anonymous = visitor.create(visitor.topics()[0]["id"], email="not-an-address")
    assert {k: v["code"] for k, v in anonymous.json()["fields"].items()} == {
        "name": "required", "email": "invalid"}
    assert olena.get("/api/tickets").json()["total"] == 0


def test_a_retried_submit_returns_the_first_request(olena: Widget) -> None:
    topic = olena.topics()[0]["id"]
    first = olena.create(topic, key="draft-1", file=("a.png", png(), "image/png"))
    again = olena.create(topic, key="draft-1", file=("a.png", png(), "image/png"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert olena.get("/api/tickets").json()["total"] == 1
    assert olena.create(topic, key="draft-2").json()["number"] == first.json()["number"] + 1


def test_every_user_of_the_account_sees_its_requests_and_no_one_else(
    olena: Widget, colleague: Widget, stranger: Widget, visitor: Widget, client: TestClient
) -> None:
    topic = olena.topics()[0]["id"]
    number = olena.create(topic, file=("shot.png", png(), "image/png")).json()["number"]
    assert [i["number"] for i in colleague.get("/api/tickets").json()["items"]] == [number]
    detail = colleague.get(f"/api/tickets/{number}").json()
    link = detail["thread"][0]["file"]["url"].removeprefix("http://testserver")
    assert client.get(link).content == png()
    for outsider in (stranger, visitor):
        assert outsider.get("/api/tickets").json()["total"] == 0
        assert outsider.get(f"/api/tickets/{number}").status_code == 404
        assert outsider.reply(number, "me too").status_code == 404
        rated = outsider.client.post(f"/api/tickets/{number}/rating", json={"score": 5},
                                     headers=outsider.headers)
        assert rated.status_code == 404
        assert outsider.get(f"/api/tickets?topic={topic}").json()["total"] == 0
    # The file link is bound to the user and the file: edited, it is not found.
    file_id = link.split("/files/")[1].split("?")[0]
    forgeries = (link.replace(f"/files/{file_id}?", f"/files/{int(file_id) + 1}?"),
                 link.replace("ivan-7", "petro-9"), link.replace("hotel-dnipro", "hotel-lviv"),
                 link[:-3] + "abc")
    for forged in forgeries:
        assert forged != link
        assert client.get(forged).status_code == 404


def test_download_links_are_short_lived_and_never_rendered(
    olena: Widget, client: TestClient, clock: FixedClock
) -> None:
    number = olena.create(olena.topics()[0]["id"],
                          file=("<img src=x onerror=alert(1)>.txt", b"<script>alert(1)</script>",
                                "text/html")).json()["number"]
    link = olena.get(f"/api/tickets/{number}").json()["thread"][0]["file"]["url"]
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["content-disposition"].startswith("attachment;")
    clock.advance(minutes=6)
    assert client.get(link.removeprefix("http://testserver")).status_code == 404


def test_history_filters_and_pages(client: TestClient, site: SiteFixture, settings: Settings,
                                  clock: FixedClock) -> None:
    olena = make_widget(client, site, settings, clock, ttl=40 * 86400)
    topics = olena.topics()
    for i in range(12):
        olena.create(topics[i % 2]["id"], subject=f"Question {i}")
        clock.advance(days=1)
    page1 = olena.get("/api/tickets?per_page=5").json()
    assert page1["total"] == 12 and len(page1["items"]) == 5
    assert page1["items"][0]["subject"] == "Question 11"  # newest activity first
    assert len(olena.get("/api/tickets?per_page=5&page=3").json()["items"]) == 2
    assert olena.get(f"/api/tickets?topic={topics[1]['id']}").json()["total"] == 6
    assert olena.get("/api/tickets?status=new").json()["total"] == 12
    assert olena.get("/api/tickets?status=resolved").json()["total"] == 0
    ranged = olena.get("/api/tickets?from=2026-11-20&to=2026-11-22").json()
    assert [i["subject"] for i in ranged["items"]] == ["Question 4", "Question 3", "Question 2"]
    for bad in ("status=nope", "page=0", "from=yesterday", "per_page=1000"):
        assert olena.get(f"/api/tickets?{bad}").status_code == 422


def test_replies_reopen_and_rating_waits_for_resolution(
    olena: Widget, settings: Settings, client: TestClient
) -> None:
    number = olena.create(olena.topics()[0]["id"]).json()["number"]
    assert olena.reply(number, "").status_code == 422
    assert olena.reply(number, "More detail", ("log.txt", b"line 1\n", "text/plain")).status_code == 201
    rate = olena.client.post(f"/api/tickets/{number}/rating", json={"score": 5},
                             headers=olena.headers)
    assert rate.status_code == 422 and rate.json()["fields"]["score"]["code"] == "not_resolved"
    _set_status(settings, number, "resolved")
    for bad in (0, 6, "5", None):
        assert client.post(f"/api/tickets/{number}/rating", json={"score": bad},
                           headers=olena.headers).status_code == 422
    rate = client.post(f"/api/tickets/{number}/rating", json={"score": 4, "comment": "Quick"},
                       headers=olena.headers)
    assert rate.status_code == 200 and rate.json() == {"rating": 4, "comment": "Quick"}
    detail = olena.get(f"/api/tickets/{number}").json()
    assert [m["kind"] for m in detail["thread"]] == ["customer", "customer", "rating"]
    assert detail["thread"][1]["file"]["name"] == "log.txt"
    assert olena.reply(number, "It broke again").json()["status"] == "open"


def test_the_api_needs_a_session(client: TestClient, tmp_path: Path) -> None:
    for method, path in (("GET", "/api/tickets"), ("GET", "/api/tickets/meta"),
                         ("POST", "/api/tickets"), ("GET", "/api/tickets/1001")):
        assert client.request(method, path).status_code == 401


def _set_status(settings: Settings, number: int, status: str) -> None:
    from sqlalchemy import update

    from helpmenu.db import create_engine, session_factory, transaction
    from helpmenu.tickets.models import Ticket

    async def run() -> None:
        engine = create_engine(settings.db_url)
        try:
            async with transaction(session_factory(engine)) as session:
                await session.execute(update(Ticket).where(Ticket.number == number)
                                      .values(status=status))
        finally:
            await engine.dispose()

    asyncio.run(run())
