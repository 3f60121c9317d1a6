"""Console log-in throttling, shared by every process through the ``login_failures`` table.

Failures are counted per e-mail (guessing one account's password) and per client IP (trying
many accounts from one place), each within a sliding window. Once a key is over its limit, log-ins
for it are refused before any password is checked, until enough failures have aged out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.auth.models import LoginFailure
from helpmenu.auth.staff import normalise_email

IP_FACTOR = 4
_KEY_LENGTH = 300


@dataclass(frozen=True)
class Limit:
    key: str
    max_failures: int


class Throttled(Exception):
    """Too many recent failures; log-ins may be tried again at ``retry_at``."""

    def __init__(self, retry_at: datetime, now: datetime) -> None:
        super().__init__(f"retry at {retry_at.isoformat()}")
        self.retry_at = retry_at
        self.retry_after = max(1, math.ceil((retry_at - now).total_seconds()))


def login_limits(email: str, ip: str, max_failures: int) -> list[Limit]:
    """The keys one log-in attempt counts against, with their limits."""
    return [
        Limit(("email:" + normalise_email(email))[:_KEY_LENGTH], max_failures),
        Limit(("ip:" + ip)[:_KEY_LENGTH], max_failures * IP_FACTOR),
    ]


async def check(
    session: AsyncSession, limits: Iterable[Limit], *, now: datetime, window: int
) -> None:
    """Raise Throttled when any key already has its maximum of failures within the window."""
    since = now - timedelta(seconds=window)
    retry_at: datetime | None = None
    for limit in limits:
        count = await session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key == limit.key, LoginFailure.at > since)
        )
        excess = (count or 0) - limit.max_failures
        if excess < 0:
            continue
        # Attempts resume once the failure that puts the key at its limit leaves the window.
        oldest = await session.scalar(
            select(LoginFailure.at)
            .where(LoginFailure.key == limit.key, LoginFailure.at > since)
            .order_by(LoginFailure.at, LoginFailure.id)
            .offset(excess)
            .limit(1)
        )
        if oldest is not None:
            candidate = oldest + timedelta(seconds=window)
            retry_at = candidate if retry_at is None else max(retry_at, candidate)
    if retry_at is not None:
        raise Throttled(retry_at, now)


async def record_failure(
    session: AsyncSession, limits: Iterable[Limit], *, now: datetime, window: int
) -> None:
    """Count one failed log-in against every key, and forget failures older than the window."""
    await session.execute(
        delete(LoginFailure).where(LoginFailure.at <= now - timedelta(seconds=window))
    )
    session.add_all(LoginFailure(key=limit.key, at=now) for limit in limits)
    await session.flush()


async def clear(session: AsyncSession, limit: Limit) -> None:
    """Forget a key's failures (an e-mail's, after its owner logged in)."""
    await session.execute(delete(LoginFailure).where(LoginFailure.key == limit.key))
    await session.flush()
