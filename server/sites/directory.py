"""A per-process cache of site settings for the hot paths (CORS checks, sessions, the panel).

Every loader request needs its site's origins and secrets; reading them from the database each
time would cost a query per page view. Entries live ``ttl`` seconds, and a change made by any
process is announced on the broker's ``sites`` channel so every process drops its copy at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpmenu.broker import Broker
from helpmenu.sites.service import active_secrets, get_site_by_key

CHANNEL = "sites"


@dataclass(frozen=True)
class SiteInfo:
    id: int
    public_key: str
    name: str
    default_locale: str
    allowed_origins: frozenset[str]
    contacts: dict[str, Any]
    schedule: dict[str, Any]
    secrets: tuple[str, ...]
    theme: dict[str, str] = field(default_factory=dict)


class SiteDirectory:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        broker: Broker,
        ttl: float = 300,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._broker = broker
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, SiteInfo | None]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    async def get(self, public_key: str) -> SiteInfo | None:
        if not public_key or len(public_key) > 64:
            return None
        hit = self._cache.get(public_key)
        if hit is not None and hit[0] > self._monotonic():
            return hit[1]
        info = await self._load(public_key)
        # Unknown keys are cached too, briefly, so a page with a wrong key cannot hammer the DB.
        ttl = self._ttl if info is not None else min(self._ttl, 30)
        self._cache[public_key] = (self._monotonic() + ttl, info)
        return info

    async def changed(self, public_key: str) -> None:
        """Tell every process (this one included) that a site's settings or secrets changed."""
        self._cache.pop(public_key, None)
        await self._broker.publish(CHANNEL, {"key": public_key})

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="helpmenu-site-directory")
        await self._listening.wait()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener

    async def _listen(self) -> None:
        async with self._broker.subscribe(CHANNEL) as sub:
            self._listening.set()
            async for message in sub:
                key = message.data.get("key")
                if isinstance(key, str):
                    self._cache.pop(key, None)

    async def _load(self, public_key: str) -> SiteInfo | None:
        async with self._sessions() as session:
            site = await get_site_by_key(session, public_key)
            if site is None:
                return None
            secrets = await active_secrets(session, site.id)
            return SiteInfo(
                id=site.id,
                public_key=site.public_key,
                name=site.name,
                default_locale=site.default_locale,
                allowed_origins=frozenset(site.allowed_origins or ()),
                contacts=dict(site.contacts or {}),
                schedule=dict(site.schedule or {}),
                secrets=tuple(secrets),
                theme=dict(site.theme or {}),
            )
