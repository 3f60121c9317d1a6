"""Log-in throttling on a real database: counts, windows, retry times, pruning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.auth import throttle
from helpmenu.auth.models import LoginFailure
from helpmenu.settings import Settings
from tests.auth.test_staff import run
from tests.conftest import NOW

WINDOW = 900


def limits(email: str = "olena@example.com", ip: str = "203.0.113.7") -> list[throttle.Limit]:
    return throttle.login_limits(email, ip, max_failures=3)


def fail(settings: Settings, times: int, *, at: timedelta = timedelta(0), **who: str) -> None:
    async def work(session: AsyncSession) -> None:
        for _ in range(times):
            await throttle.record_failure(session, limits(**who), now=NOW + at, window=WINDOW)

    run(settings, work)


def check(settings: Settings, at: timedelta = timedelta(0), **who: str) -> throttle.Throttled | None:
    async def work(session: AsyncSession) -> throttle.Throttled | None:
        try:
            await throttle.check(session, limits(**who), now=NOW + at, window=WINDOW)
        except throttle.Throttled as exc:
            return exc
        return None

    return run(settings, work)


def test_keys_are_per_email_and_per_ip_with_a_larger_ip_limit() -> None:
    by_email, by_ip = throttle.login_limits(" Olena@Example.com ", "203.0.113.7", 5)
    assert (by_email.key, by_email.max_failures) == ("email:olena@example.com", 5)
    assert (by_ip.key, by_ip.max_failures) == ("ip:203.0.113.7", 20)
    assert len(throttle.login_limits("x" * 1000, "ip", 5)[0].key) == 300


def test_below_the_limit_nothing_is_refused(settings: Settings) -> None:
    fail(settings, 2)
    assert check(settings) is None


def test_at_the_limit_the_email_is_refused_until_the_oldest_failure_ages_out(
    settings: Settings,
) -> None:
    fail(settings, 1)
    fail(settings, 2, at=timedelta(minutes=5))
    refused = check(settings, at=timedelta(minutes=6))
    assert refused is not None
    assert refused.retry_at == NOW + timedelta(seconds=WINDOW)
    assert refused.retry_after == WINDOW - 6 * 60
    # Another e-mail from another address is not affected.
    assert check(settings, email="taras@example.com", ip="198.51.100.1") is None
    # The first failure leaves the window: two remain, below the limit.
    assert check(settings, at=timedelta(seconds=WINDOW)) is None


def test_many_e_mails_from_one_address_are_refused_by_ip(settings: Settings) -> None:
    for i in range(12):
        fail(settings, 1, email=f"user{i}@example.com")
    refused = check(settings, email="someone-else@example.com")
    assert refused is not None and refused.retry_after == WINDOW
    assert check(settings, email="someone-else@example.com", ip="198.51.100.1") is None


def test_clearing_an_email_forgets_its_failures_but_not_the_ip_ones(settings: Settings) -> None:
    fail(settings, 3)

    async def clear(session: AsyncSession) -> None:
        await throttle.clear(session, limits()[0])

    run(settings, clear)
    assert check(settings) is None
    assert check(settings, email="x@example.com") is None


def test_old_failures_are_pruned(settings: Settings) -> None:
    fail(settings, 3)
    fail(settings, 1, at=timedelta(seconds=WINDOW + 1), email="taras@example.com")

    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(LoginFailure)) or 0)

    assert run(settings, count) == 2  # only the last failure's two keys remain


@pytest.mark.parametrize("seconds", [1, 59, 60, 61])
def test_retry_after_is_whole_seconds_and_positive(seconds: int) -> None:
    refused = throttle.Throttled(NOW + timedelta(seconds=seconds) - timedelta(microseconds=1), NOW)
    assert refused.retry_after == seconds
