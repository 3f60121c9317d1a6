"""After a chat, no byte of its text, the visitor's name or phone is in the database, the logs,
the data folder or Redis: only counts and durations are stored."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from helpmenu.app import create_app
from helpmenu.chat.models import ChatStat
from helpmenu.clock import FixedClock
from helpmenu.db import create_engine, session_factory
from helpmenu.settings import Settings
from tests.chat.conftest import (
    agent_login,
    agent_socket,
    receive,
    send,
    start,
    visitor_session,
    visitor_socket,
)
from tests.chat.secrets import assert_absent
from tests.conftest import PUBLIC_URL, SiteFixture

NAME, PHONE, QUESTION = "Ярина Ткачук", "+380 67 123 4501", "Чому рахунок 4471 подвоївся?"
LINES = ["Мій рахунок подвоївся, ось номер картки 4111 1111 1111 1111",
         "Бачу дубль, зараз скасую", "Дякую, все гаразд"]

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_client(settings: Settings, clock: FixedClock, redis_url: str,
                 redis_prefix: str) -> Iterator[TestClient]:
    app = create_app(replace(settings, redis_url=redis_url, redis_prefix=redis_prefix),
                     clock=clock)
    with TestClient(app, base_url=PUBLIC_URL) as client:
        yield client


def stats(settings: Settings) -> list[ChatStat]:
    async def read() -> list[ChatStat]:
        engine = create_engine(settings.db_url)
        try:
            async with session_factory(engine)() as session:
                return list(await session.scalars(select(ChatStat)))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_a_chat_leaves_only_numbers_behind(
        redis_client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock,
        redis_url: str, redis_prefix: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = redis_client
    csrf = agent_login(client, settings, site)
    with agent_socket(client, csrf, site) as agent, \
            visitor_socket(client, visitor_session(site, settings, clock)) as visitor:
        receive(visitor, "ready")
        chat = start(visitor, name=NAME, phone=PHONE, question=QUESTION)
        receive(visitor, "assigned")
        assert receive(agent, "assigned")["visitor"]["phone"] == PHONE
        for n, text in enumerate(LINES):
            if n % 2:
                send(agent, "message", chat=chat, cid=f"a{n}", text=text)
            else:
                send(visitor, "message", cid=f"v{n}", text=text)
            assert receive(visitor, "message")["text"] == text
            assert receive(agent, "message")["text"] == text
        send(visitor, "hidden", gone=True)
        send(visitor, "page", page="https://app.example.com/invoices/4471")
        send(agent, "end", chat=chat)
        receive(visitor, "ended")
        assert receive(agent, "details")["visitor"]["page"].endswith("/invoices/4471")
        receive(agent, "ended")
    for _ in range(100):
        if stats(settings):
            break
        asyncio.run(asyncio.sleep(0.05))
    [row] = stats(settings)
    assert (row.answered, row.visitor_messages, row.agent_messages, row.ended_by) \
        == (True, 2, 1, "agent")

    data_dir: Path = settings.data_dir
    files = [p for p in data_dir.rglob("*")] if data_dir.exists() else []
    if settings.is_sqlite:
        db_file = Path(settings.db_url.split("///", 1)[1])
        files += [db_file, db_file.with_name(db_file.name + "-wal")]
    keys = assert_absent([NAME, PHONE, QUESTION, *LINES, "invoices/4471"], db_url=settings.db_url,
                         files=files, logs=caplog.text, redis_url=redis_url,
                         redis_prefix=redis_prefix)
    assert keys and all(k.startswith(f"{redis_prefix}:chat:") for k in keys)
