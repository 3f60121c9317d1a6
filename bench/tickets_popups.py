"""Popup delivery: 1,000 simulated pages hold the loader's popup socket (protocol clients, not
browsers: 250 accounts of 4 users each), an agent answers requests in the console over HTTP, and we
time from sending the reply to the first page of that account receiving the popup. Real server
process, SQLite, the in-memory broker, all on 127.0.0.1.

    .venv/bin/python bench/tickets_popups.py [--pages 1000] [--replies 100]

Goal: p95 under 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tickets_common import (
    ORIGIN,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    Server,
    percentile,
    running_server,
)

from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.tickets import service

USERS_PER_ACCOUNT = 4


async def seed(server: Server, accounts: int) -> dict[int, str]:
    """One request per account; returns number -> account."""
    engine = create_engine(server.db_url)
    numbers: dict[int, str] = {}
    try:
        sessions = session_factory(engine)
        for i in range(accounts):
            async with transaction(sessions) as db:
                who = _Who(f"u:a{i}-u0", f"hotel-{i}")
                created = await service.create_request(
                    db, site_id=server.site_id, requester=who, topic="Bench", subject=f"Q{i}",
                    message="Help", now=datetime.now(UTC), source="chat")
                numbers[created.ticket.number] = who.account
    finally:
        await engine.dispose()
    return numbers


class _Who:
    def __init__(self, user_id: str, account: str) -> None:
        self.user_id, self.account = user_id, account
        self.anonymous, self.name, self.email = False, user_id, None


async def page(server: Server, user: str, account: str, arrived: dict[int, float],
               ready: asyncio.Event, counter: list[int], total: int) -> None:
    ws_url = server.url.replace("http", "ws", 1) + f"/api/widget/popups?site={server.site_key}"
    async with connect(ws_url, origin=ORIGIN, max_size=2**20, ping_interval=None) as ws:  # type: ignore[arg-type]
        await ws.send(json.dumps({"type": "auth", "session": server.session(user, account)}))
        first = json.loads(await ws.recv())
        assert first["type"] == "state", first
        counter[0] += 1
        if counter[0] == total:
            ready.set()
        async for raw in ws:
            message = json.loads(raw)
            now = time.perf_counter()
            for item in message.get("items", []):
                arrived.setdefault(item["number"], now)


async def agent(server: Server) -> tuple[httpx.AsyncClient, str]:
    client = httpx.AsyncClient(base_url=server.url, timeout=30)
    login = await client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
    await client.post("/console/login", data={"email": STAFF_EMAIL, "password": STAFF_PASSWORD,
                                              "csrf_token": token})
    inbox = await client.get("/console/requests")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', inbox.text).group(1)  # type: ignore[union-attr]
    return client, csrf


async def run(server: Server, pages: int, replies: int) -> None:
    accounts = pages // USERS_PER_ACCOUNT
    numbers = await seed(server, accounts)
    arrived: dict[int, float] = {}
    ready = asyncio.Event()
    counter = [0]
    tasks = []
    for batch in range(0, pages, 100):
        for i in range(batch, min(batch + 100, pages)):
            account = i // USERS_PER_ACCOUNT
            tasks.append(asyncio.create_task(page(
                server, f"u:a{account}-u{i % USERS_PER_ACCOUNT}", f"hotel-{account}", arrived,
                ready, counter, pages)))
        await asyncio.sleep(0.2)
    await asyncio.wait_for(ready.wait(), 120)
    print(f"{counter[0]} pages connected ({accounts} accounts x {USERS_PER_ACCOUNT} users); "
          f"server RSS {server.rss_kb() / 1024:.0f} MB")
    client, csrf = await agent(server)
    latencies = []
    targets = list(numbers)
    try:
        for k in range(replies):
            number = targets[(k * 37) % len(targets)]
            arrived.pop(number, None)
            sent = time.perf_counter()
            response = await client.post(f"/console/requests/{number}/reply",
                                         data={"csrf_token": csrf, "body": f"Answer {k}"})
            assert response.status_code in (200, 303), response.status_code
            while number not in arrived and time.perf_counter() - sent < 10:
                await asyncio.sleep(0.002)
            latencies.append((arrived.get(number, float("inf")) - sent) * 1000)
            await asyncio.sleep(0.05)
    finally:
        await client.aclose()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    p95 = percentile(latencies, 95)
    print(f"{len(latencies)} replies: reply -> popup p50 {percentile(latencies, 50):.1f} ms, "
          f"p95 {p95:.1f} ms, max {max(latencies):.1f} ms (goal p95 < 500 ms) -> "
          f"{'OK' if p95 < 500 else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--replies", type=int, default=100)
    args = parser.parse_args()
    with running_server() as server:
        asyncio.run(run(server, args.pages, args.replies))


if __name__ == "__main__":
    main()
