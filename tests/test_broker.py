"""The broker contract, run against both implementations: memory, and the real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from helpmenu.broker import OUTBOX_LIMIT, QUEUE_LIMIT, Broker, MemoryBroker, RedisBroker

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def broker(request: pytest.FixtureRequest) -> AsyncIterator[Broker]:
    if request.param == "memory":
        the_broker: Broker = MemoryBroker()
    else:
        url = request.getfixturevalue("redis_url")
        the_broker = RedisBroker(url, request.getfixturevalue("redis_prefix"))
    await the_broker.start()
    yield the_broker
    await the_broker.close()


async def test_subscribers_get_messages_in_order(broker: Broker) -> None:
    async with broker.subscribe("popups:1") as first, broker.subscribe("popups:1") as second:
        for n in range(5):
            await broker.publish("popups:1", {"n": n, "text": "відповідь ✓"})
        for sub in (first, second):
            got = [(await sub.get(timeout=2)).data["n"] for _ in range(5)]
            assert got == [0, 1, 2, 3, 4]


async def test_channels_are_isolated(broker: Broker) -> None:
    async with broker.subscribe("a") as sub_a, broker.subscribe("b") as sub_b:
        await broker.publish("b", {"to": "b"})
        await broker.publish("a", {"to": "a"})
        assert (await sub_a.get(timeout=2)).data == {"to": "a"}
        assert (await sub_b.get(timeout=2)).data == {"to": "b"}
        with pytest.raises(TimeoutError):
            await sub_a.get(timeout=0.2)


async def test_one_subscription_can_listen_to_several_channels(broker: Broker) -> None:
    async with broker.subscribe("x", "y") as sub:
        await broker.publish("y", {"v": 1})
        message = await sub.get(timeout=2)
        assert (message.channel, message.data) == ("y", {"v": 1})


async def test_after_leaving_nothing_more_arrives(broker: Broker) -> None:
    sub = broker.subscribe("gone")
    async with sub:
        await broker.publish("gone", {"v": 1})
        await sub.get(timeout=2)
    await broker.publish("gone", {"v": 2})
    await asyncio.sleep(0.2)
    with pytest.raises(TimeoutError):
        await sub.get(timeout=0.1)


async def test_a_slow_subscriber_loses_its_oldest_not_others_messages(broker: Broker) -> None:
    async with broker.subscribe("busy") as slow, broker.subscribe("busy") as fast:
        total = QUEUE_LIMIT + 10
        received = []
        for n in range(total):
            await broker.publish("busy", {"n": n})
            received.append((await fast.get(timeout=2)).data["n"])
        assert received == list(range(total))
        await asyncio.sleep(0.1)
        assert slow.dropped == 10
        assert (await slow.get(timeout=1)).data["n"] == 10


async def test_a_burst_of_concurrent_publishes_arrives_whole_and_in_order(broker: Broker) -> None:
    # Hundreds of sockets publishing at once: more than redis-py's default pool of 100
    # connections, which refused the 101st with MaxConnectionsError.
    total = 400
    async with broker.subscribe("burst") as sub:
        await asyncio.gather(*(broker.publish("burst", {"n": n}) for n in range(total)))
        got = [(await sub.get(timeout=5)).data["n"] for _ in range(total)]
    assert got == list(range(total))


@pytest.mark.redis
async def test_publish_never_waits_on_a_redis_that_fell_behind(redis_url: str,
                                                               redis_prefix: str) -> None:
    the_broker = RedisBroker(redis_url, redis_prefix)
    await the_broker.start()
    try:
        writer = the_broker._writer
        assert writer is not None
        writer.cancel()  # the writer is stuck: nothing leaves the outbox
        async with asyncio.timeout(5):
            for n in range(OUTBOX_LIMIT + 5):
                await the_broker.publish("stuck", {"n": n})
        assert the_broker.dropped == 5
    finally:
        the_broker._outbox = asyncio.Queue()  # what was never sent does not hold up close()
        await the_broker.close()


@pytest.mark.redis
async def test_redis_prefixes_keep_deployments_apart(redis_url: str) -> None:
    one, two = RedisBroker(redis_url, "hm-test-one"), RedisBroker(redis_url, "hm-test-two")
    await one.start()
    await two.start()
    try:
        async with two.subscribe("shared") as sub:
            await one.publish("shared", {"from": "one"})
            with pytest.raises(TimeoutError):
                await sub.get(timeout=0.3)
    finally:
        await one.close()
        await two.close()
