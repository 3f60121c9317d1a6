"""The first page of Request history for an account with 10,000 requests: p50/p95 over HTTP
against the real server on SQLite, unfiltered and filtered (status + topic + date range).

    .venv/bin/python bench/tickets_history.py [--requests 10000] [--samples 300]

Goal: p95 under 30 ms on SQLite on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tickets_common import percentile, running_server

from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.tickets import service
from helpmenu.tickets.models import Ticket, TicketMessage, Topic

STATUSES = ("new", "open", "waiting", "resolved", "closed")


async def fill(db_url: str, site_id: int, count: int) -> list[int]:
    """Insert `count` requests of one account (and 1,000 of another) in bulk."""
    engine = create_engine(db_url)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        async with transaction(session_factory(engine)) as session:
            await service.ensure_site(session, site_id)
            topics = list(await session.scalars(select(Topic.id).where(Topic.site_id == site_id,
                                                                      Topic.system.is_(None))))
            rows = []
            for i in range(count + 1000):
                owner = "acc:bench-hotel" if i < count else "acc:other-hotel"
                at = start + timedelta(minutes=47 * i)
                rows.append({
                    "site_id": site_id, "number": 2000 + i, "owner": owner,
                    "account": owner[4:], "requester_id": f"u:user-{i % 40}",
                    "requester_name": f"User {i % 40}", "anonymous": False,
                    "topic_id": topics[i % len(topics)], "subject": f"Question number {i}",
                    "message": "Details " * 20, "importance": "normal", "importance_rank": 2,
                    "status": STATUSES[i % len(STATUSES)], "source": "widget", "context": {},
                    "created_at": at, "updated_at": at + timedelta(hours=i % 30),
                })
            await session.execute(insert(Ticket), rows)
            ids = list(await session.scalars(select(Ticket.id).where(Ticket.site_id == site_id)))
            await session.execute(insert(TicketMessage), [
                {"ticket_id": tid, "kind": "customer", "body": "Details", "created_at": start}
                for tid in ids])
            return topics
    finally:
        await engine.dispose()


async def sample(url: str, token: str, query: str, samples: int) -> list[float]:
    times = []
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(10):
            await client.get(url + query)
        for _ in range(samples):
            started = time.perf_counter()
            response = await client.get(url + query)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    with running_server() as server:
        topics = asyncio.run(fill(server.db_url, server.site_id, args.requests))
        token = server.session("u:user-1")
        url = server.url + "/api/tickets"
        total = httpx.get(url, headers={"Authorization": f"Bearer {token}"}).json()["total"]
        print(f"account with {total} requests (another account holds 1,000 more), SQLite")
        for label, query in (
            ("unfiltered first page", "?page=1&per_page=10"),
            ("filtered: status+topic", f"?status=open&topic={topics[1]}&per_page=10"),
            ("filtered: +date range", f"?status=open&topic={topics[1]}&from=2026-03-01"
                                       f"&to=2026-06-30&per_page=10"),
        ):
            times = asyncio.run(sample(url, token, query, args.samples))
            p95 = percentile(times, 95)
            print(f"  {label:<24} p50 {percentile(times, 50):6.2f} ms   p95 {p95:6.2f} ms   "
                  f"(goal < 30 ms) -> {'OK' if p95 < 30 else 'OVER'}")


if __name__ == "__main__":
    main()
