"""Service rules on both databases: numbers under concurrency, the idempotency constraint, the
queue order, support's own messages, and the chat's "Save as request" entry point."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from helpmenu.auth.models import Staff
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.settings import Settings
from helpmenu.tickets import service, staff
from helpmenu.tickets.models import Ticket, TicketSettings
from tests.conftest import NOW, SiteFixture
from tests.console.conftest import make_staff


@dataclass(frozen=True)
class Who:
    user_id: str
    anonymous: bool = False
    name: str | None = "Olena"
    email: str | None = None
    account: str | None = "hotel-dnipro"


async def _create(sessions, site_id: int, who: Who, subject: str, **kwargs):  # type: ignore[no-untyped-def]
    async with transaction(sessions) as db:
        return await service.create_request(
            db, site_id=site_id, requester=who, topic=kwargs.pop("topic", "Chat"),
            subject=subject, message="text", now=NOW, source=kwargs.pop("source", "chat"),
            **kwargs)


def test_concurrent_creation_numbers_each_request_once(settings: Settings,
                                                      site: SiteFixture) -> None:
    async def run() -> list[int]:
        engine = create_engine(settings.db_url)
        sessions = session_factory(engine)
        try:
            results = await asyncio.gather(*(
                _create(sessions, site.id, Who(f"u:user-{i % 5}"), f"Question {i}")
                for i in range(40)))
            return [r.ticket.number for r in results]
        finally:
            await engine.dispose()

    numbers = asyncio.run(run())
    assert sorted(numbers) == list(range(1001, 1041))


def test_the_database_refuses_a_second_request_for_one_key(settings: Settings,
                                                          site: SiteFixture) -> None:
    async def run() -> int:
        engine = create_engine(settings.db_url)
        sessions = session_factory(engine)
        try:
            await _create(sessions, site.id, Who("u:olena"), "First", idempotency_key="k")
            # Past the service's own look-up (as a racing twin would be), the constraint holds.
            with pytest.raises(IntegrityError):
                async with transaction(sessions) as db:
                    db.add(Ticket(site_id=site.id, number=5000, owner="acc:hotel-dnipro",
                                  requester_id="u:olena", topic_id=1, subject="Twin",
                                  message="", importance="normal", importance_rank=2,
                                  status="new", context={}, idempotency_key="k",
                                  created_at=NOW, updated_at=NOW))
            again = await _create(sessions, site.id, Who("u:olena"), "Retry", idempotency_key="k")
            assert not again.created
            async with sessions() as db:
                return len(list(await db.scalars(select(Ticket))))
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == 1


def test_the_queue_puts_importance_first_then_age(settings: Settings, site: SiteFixture) -> None:
    async def run() -> list[str]:
        engine = create_engine(settings.db_url)
        sessions = session_factory(engine)
        try:
            for subject, importance in (("old low", "low"), ("old normal", "normal"),
                                        ("critical", "critical"), ("new normal", "normal"),
                                        ("high", "high")):
                await _create(sessions, site.id, Who("u:a"), subject, importance=importance)
            async with sessions() as db:
                rows, _total = await staff.inbox(db, site.id, staff.InboxFilter())
            return [t.subject for t in rows]
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == ["critical", "high", "old normal", "new normal", "old low"]


def test_support_writes_first_to_an_account(settings: Settings, site: SiteFixture) -> None:
    agent = make_staff(settings, email="taras@example.com", roles={site.id: "agent"})

    async def run() -> tuple[Ticket, list[str], int]:
        engine = create_engine(settings.db_url)
        sessions = session_factory(engine)
        try:
            async with transaction(sessions) as db:
                me = await db.get(Staff, agent.id)
                assert me is not None
                _ticket, audiences = await staff.support_message(
                    db, site.id, me, target="acc:hotel-dnipro", account=None,
                    subject="Maintenance tonight", body="We update at 23:00.", now=NOW)
            async with sessions() as db:
                rows, _total = await service.history(db, site.id, "acc:hotel-dnipro",
                                                    service.HistoryFilter(), page=1, per_page=10)
                counter = await db.get(TicketSettings, site.id)
                assert counter is not None
                return rows[0][0], audiences, counter.last_number
        finally:
            await engine.dispose()

    ticket, audiences, last = asyncio.run(run())
    assert (ticket.subject, ticket.source, ticket.status) == ("Maintenance tonight", "support",
                                                            "waiting")
    assert audiences == ["acc:hotel-dnipro"] and last == ticket.number == 1001


def test_validation_is_pure_and_names_each_field() -> None:
    errors: dict[str, str] = {}
    assert service.clean_text(errors, "subject", "  Hi  ") == "  Hi  "  # stored as given
    assert service.clean_text(errors, "comment", " \t ", required=False) == ""
    service.clean_text(errors, "message", "")
    service.clean_text(errors, "name", "x" * 301)
    service.clean_text(errors, "email", 42)
    service.clean_context(errors, {"nested": {"no": 1}})
    assert errors == {"message": "required", "name": "too_long", "email": "invalid",
                      "context": "invalid"}
    assert service.clean_context({}, '{"app_version": "4.2", "beta": true}') == {
        "app_version": "4.2", "beta": True}
