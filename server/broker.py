"""Publish/subscribe for live fan-out (popups, chat, cache invalidation).

One interface, two implementations: ``MemoryBroker`` for a single process and ``RedisBroker`` when
several processes serve one site. Messages are JSON objects. Delivery is at-most-once and in order
per channel: callers that need more (chat resends) build it on top with sequence numbers.

``RedisBroker`` encodes a message once, whatever the number of subscribers, and sends it from one
writer task that pipelines whatever has queued up meanwhile on one connection: a burst of publishes
costs one round trip, not one each, and keeps its order. Its commands share a bounded pool that
waits for a free connection instead of failing (redis-py's default pool refuses the 101st
concurrent command with ``MaxConnectionsError``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

log = logging.getLogger("helpmenu.broker")

QUEUE_LIMIT = 1000
OUTBOX_LIMIT = 10_000  # publishes waiting for the writer; past it, new ones are dropped
BATCH_LIMIT = 500  # publishes per pipeline round trip
POOL_SIZE = 8  # Redis connections per broker: the subscriber, the writer, pings
POOL_WAIT = 10.0  # seconds a command waits for a free connection before it fails


@dataclass(frozen=True)
class Message:
    channel: str
    data: dict[str, Any]


class Subscription:
    """Messages on some channels, as an async iterator; leave the ``async with`` to unsubscribe."""

    def __init__(self, fanout: _Fanout, channels: tuple[str, ...]) -> None:
        self.channels = channels
        self.dropped = 0
        self._fanout = fanout
        self._queue: asyncio.Queue[Message] = asyncio.Queue(QUEUE_LIMIT)

    async def __aenter__(self) -> Subscription:
        await self._fanout.add(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._fanout.remove(self)

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Message]:
        while True:
            yield await self._queue.get()

    async def get(self, timeout: float | None = None) -> Message:
        return await asyncio.wait_for(self._queue.get(), timeout)

    def _offer(self, message: Message) -> None:
        # A slow consumer must not block the publisher or the other subscribers: past the
        # limit its oldest message goes, and it can see how many it lost.
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(message)


class Broker(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, channel: str, data: dict[str, Any]) -> None: ...

    def subscribe(self, *channels: str) -> Subscription: ...

    async def ping(self) -> bool: ...


class _Fanout:
    """Local delivery to this process's subscribers; calls hooks when a channel gains or loses all."""

    def __init__(self) -> None:
        self.by_channel: dict[str, set[Subscription]] = {}

    async def add(self, sub: Subscription) -> None:
        for channel in sub.channels:
            subs = self.by_channel.setdefault(channel, set())
            if not subs:
                await self.first(channel)
            subs.add(sub)

    async def remove(self, sub: Subscription) -> None:
        for channel in sub.channels:
            subs = self.by_channel.get(channel)
            if subs is None:
                continue
            subs.discard(sub)
            if not subs:
                del self.by_channel[channel]
                await self.last(channel)

    def deliver(self, message: Message) -> None:
        for sub in list(self.by_channel.get(message.channel, ())):
            sub._offer(message)

    async def first(self, channel: str) -> None:
        """Called before the first local subscriber of a channel is added."""

    async def last(self, channel: str) -> None:
        """Called after the last local subscriber of a channel left."""


class MemoryBroker:
    """Fan-out inside one process."""

    def __init__(self) -> None:
        self._fanout = _Fanout()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, channel: str, data: dict[str, Any]) -> None:
        # Round-trip through JSON so both brokers hand subscribers the same kind of value.
        self._fanout.deliver(Message(channel, json.loads(json.dumps(data))))

    def subscribe(self, *channels: str) -> Subscription:
        return Subscription(self._fanout, channels)

    async def ping(self) -> bool:
        return True


class _RedisFanout(_Fanout):
    def __init__(self, broker: RedisBroker) -> None:
        super().__init__()
        self.broker = broker

    async def first(self, channel: str) -> None:
        await self.broker._redis_subscribe(channel)

    async def last(self, channel: str) -> None:
        await self.broker._redis_unsubscribe(channel)


class RedisBroker:
    """Fan-out across processes through Redis pub/sub: one connection per process, shared."""

    def __init__(self, url: str, prefix: str = "helpmenu") -> None:
        self._redis: Redis = Redis.from_pool(connection_pool(url, POOL_SIZE))
        self._prefix = prefix + ":"
        self._fanout = _RedisFanout(self)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._reader: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue(OUTBOX_LIMIT)
        self._subscribed = asyncio.Event()
        self.dropped = 0  # publishes dropped because Redis fell that far behind

    async def start(self) -> None:
        await self._redis.ping()
        self._reader = asyncio.create_task(self._read(), name="helpmenu-redis-broker")
        self._writer = asyncio.create_task(self._write(), name="helpmenu-redis-publisher")

    async def close(self) -> None:
        if self._writer is not None:
            # What was published before close() still goes out (a reply's popup, say).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._outbox.join(), 2)
        for task in (self._reader, self._writer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]
        await self._redis.aclose()

    async def publish(self, channel: str, data: dict[str, Any]) -> None:
        """Queue a message for the writer, in order, and return at once.

        Errors do not reach the caller: delivery is at-most-once anyway. The writer logs and
        drops what Redis refused, and with Redis gone or far behind the outbox drops new
        messages past ``OUTBOX_LIMIT``: a request or a chat socket never waits on Redis here."""
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if self._writer is None:  # not started: nobody to hand it to
            await self._redis.publish(self._prefix + channel, payload)
            return
        try:
            self._outbox.put_nowait((self._prefix + channel, payload))
        except asyncio.QueueFull:
            if self.dropped % 1000 == 0:
                log.warning("redis broker is behind: dropping messages (%d so far)",
                            self.dropped + 1)
            self.dropped += 1

    async def _write(self) -> None:
        backoff = 0.1
        while True:
            batch = [await self._outbox.get()]
            while len(batch) < BATCH_LIMIT and not self._outbox.empty():
                batch.append(self._outbox.get_nowait())
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for channel, payload in batch:
                        pipe.publish(channel, payload)
                    await pipe.execute()
                backoff = 0.1
            except (RedisError, OSError) as exc:
                log.warning("redis broker dropped %d messages (%s)", len(batch),
                            type(exc).__name__)
                await asyncio.sleep(backoff + random.random() * backoff)  # noqa: S311
                backoff = min(backoff * 2, 5.0)
            finally:
                for _ in batch:
                    self._outbox.task_done()

    def subscribe(self, *channels: str) -> Subscription:
        return Subscription(self._fanout, channels)

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except RedisError:
            return False

    async def _redis_subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(self._prefix + channel)
        self._subscribed.set()

    async def _redis_unsubscribe(self, channel: str) -> None:
        await self._pubsub.unsubscribe(self._prefix + channel)

    async def _read(self) -> None:
        backoff = 0.1
        while True:
            if not self._fanout.by_channel:
                self._subscribed.clear()
                await self._subscribed.wait()
            try:
                raw = await self._pubsub.get_message(timeout=1.0)
                backoff = 0.1
            except (RedisError, OSError) as exc:
                log.warning("redis broker connection lost (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(backoff + random.random() * backoff)  # noqa: S311
                backoff = min(backoff * 2, 5.0)
                await self._resubscribe()
                continue
            if raw is None or raw.get("type") != "message":
                continue
            channel = raw["channel"].decode()[len(self._prefix) :]
            try:
                data = json.loads(raw["data"])
            except ValueError:
                log.warning("dropped a broker message that is not JSON on %s", channel)
                continue
            self._fanout.deliver(Message(channel, data))

    async def _resubscribe(self) -> None:
        channels = [self._prefix + c for c in self._fanout.by_channel]
        with contextlib.suppress(RedisError, OSError):
            await self._pubsub.reset()
            if channels:
                await self._pubsub.subscribe(*channels)


def connection_pool(url: str, size: int) -> BlockingConnectionPool:
    """A pool of at most ``size`` connections where a command waits for a free one (up to
    ``POOL_WAIT`` seconds) instead of failing at once when a burst wants more."""
    return BlockingConnectionPool.from_url(url, max_connections=size, timeout=POOL_WAIT)


def create_broker(redis_url: str, prefix: str) -> Broker:
    return RedisBroker(redis_url, prefix) if redis_url else MemoryBroker()
