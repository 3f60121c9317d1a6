"""The chat state every process shares: the queue order and agents' presence. Ids and numbers only.

Nothing a visitor or an agent typed ever goes here (the Redis keys hold chat ids, agent ids,
statuses, capacities and loads). ``MemoryStore`` serves one process; ``RedisStore`` lets several
processes share one queue, with Lua scripts where two processes could race (taking a chat).
"""

from __future__ import annotations

from typing import Protocol

from redis.asyncio import Redis

from helpmenu.broker import connection_pool
from helpmenu.chat.conversation import Pick, pick_agent

# Connections for the store's commands in one process. A burst (a thousand visitors opening the
# chat at once) waits for a free one rather than failing, and Redis sees a bounded client count.
POOL_SIZE = 32


class ChatStore(Protocol):
    async def enqueue(self, site: int, chat: str, at: float) -> None: ...

    async def dequeue(self, site: int, chat: str) -> bool:
        """Remove a chat from the queue; True only for the one caller that removed it."""
        ...

    async def queue(self, site: int) -> list[tuple[str, float]]: ...

    async def set_presence(self, site: int, agent: int, available: bool, capacity: int) -> None: ...

    async def agents(self, site: int) -> list[Pick]: ...

    async def take(self, site: int, agent: int, force: bool = False) -> bool:
        """Count one more chat for an agent if they are available and have room (or ``force``)."""
        ...

    async def release(self, site: int, agent: int) -> None: ...

    async def take_least_loaded(self, site: int) -> int | None:
        """Count one more chat for the available agent with the fewest (lowest id on a tie,
        as :func:`pick_agent`) who has room, in one step: None if nobody has room."""
        ...

    async def set_owner(self, chat: str, instance: str) -> None:
        """Which process owns a chat (both ids), so agents on any process can reach it."""
        ...

    async def owner(self, chat: str) -> str | None: ...

    async def drop_owner(self, chat: str) -> None: ...

    async def close(self) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._queues: dict[int, dict[str, float]] = {}
        self._presence: dict[int, dict[int, tuple[bool, int]]] = {}
        self._load: dict[int, dict[int, int]] = {}
        self._owners: dict[str, str] = {}

    async def set_owner(self, chat: str, instance: str) -> None:
        self._owners[chat] = instance

    async def owner(self, chat: str) -> str | None:
        return self._owners.get(chat)

    async def drop_owner(self, chat: str) -> None:
        self._owners.pop(chat, None)

    async def enqueue(self, site: int, chat: str, at: float) -> None:
        self._queues.setdefault(site, {})[chat] = at

    async def dequeue(self, site: int, chat: str) -> bool:
        return self._queues.get(site, {}).pop(chat, None) is not None

    async def queue(self, site: int) -> list[tuple[str, float]]:
        return sorted(self._queues.get(site, {}).items(), key=lambda item: (item[1], item[0]))

    async def set_presence(self, site: int, agent: int, available: bool, capacity: int) -> None:
        self._presence.setdefault(site, {})[agent] = (available, capacity)

    async def agents(self, site: int) -> list[Pick]:
        loads = self._load.get(site, {})
        return [Pick(agent, available, capacity, loads.get(agent, 0))
                for agent, (available, capacity) in self._presence.get(site, {}).items()]

    async def take(self, site: int, agent: int, force: bool = False) -> bool:
        available, capacity = self._presence.get(site, {}).get(agent, (False, 0))
        loads = self._load.setdefault(site, {})
        if not force and (not available or loads.get(agent, 0) >= capacity):
            return False
        loads[agent] = loads.get(agent, 0) + 1
        return True

    async def release(self, site: int, agent: int) -> None:
        loads = self._load.setdefault(site, {})
        loads[agent] = max(0, loads.get(agent, 0) - 1)

    async def take_least_loaded(self, site: int) -> int | None:
        agent = pick_agent(await self.agents(site))
        if agent is not None:
            await self.take(site, agent)
        return agent

    async def close(self) -> None:
        return None


# KEYS[1] presence hash, KEYS[2] load hash; ARGV[1] agent, ARGV[2] force. Presence is "1:3" or "0:3".
_TAKE = """
local p = redis.call('HGET', KEYS[1], ARGV[1])
local load = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if ARGV[2] ~= '1' then
  if not p then return 0 end
  local sep = string.find(p, ':')
  if string.sub(p, 1, sep - 1) ~= '1' or load >= tonumber(string.sub(p, sep + 1)) then return 0 end
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1
"""
# KEYS[1] presence hash, KEYS[2] load hash. Returns the agent id taken, or -1. One script instead
# of read-then-take: a thousand arrivals at once would all read the same loads, all try the same
# agent, and retry one by one (quadratic); here each arrival costs one round trip.
_TAKE_LEAST = """
local presence = redis.call('HGETALL', KEYS[1])
local best, best_load = -1, -1
for i = 1, #presence, 2 do
  local p = presence[i + 1]
  local sep = string.find(p, ':')
  if string.sub(p, 1, sep - 1) == '1' then
    local agent = tonumber(presence[i])
    local load = tonumber(redis.call('HGET', KEYS[2], presence[i]) or '0')
    if load < tonumber(string.sub(p, sep + 1))
        and (best < 0 or load < best_load or (load == best_load and agent < best)) then
      best, best_load = agent, load
    end
  end
end
if best >= 0 then redis.call('HINCRBY', KEYS[2], tostring(best), 1) end
return best
"""
_RELEASE = """
local load = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if load > 0 then redis.call('HINCRBY', KEYS[1], ARGV[1], -1) end
return 1
"""


class RedisStore:
    """Keys: ``<prefix>:chat:queue:<site>`` (sorted set of chat ids by arrival),
    ``<prefix>:chat:presence:<site>`` and ``<prefix>:chat:load:<site>`` (hashes by agent id),
    ``<prefix>:chat:owners`` (hash: chat id -> the owning process's random instance id)."""

    def __init__(self, url: str, prefix: str) -> None:
        self._redis: Redis = Redis.from_pool(connection_pool(url, POOL_SIZE))
        self._prefix = prefix + ":chat:"
        self._take = self._redis.register_script(_TAKE)
        self._release = self._redis.register_script(_RELEASE)
        self._take_least = self._redis.register_script(_TAKE_LEAST)

    def _key(self, kind: str, site: int) -> str:
        return f"{self._prefix}{kind}:{site}"

    async def set_owner(self, chat: str, instance: str) -> None:
        await self._redis.hset(self._prefix + "owners", chat, instance)

    async def owner(self, chat: str) -> str | None:
        found = await self._redis.hget(self._prefix + "owners", chat)
        return _text(found) if found is not None else None

    async def drop_owner(self, chat: str) -> None:
        await self._redis.hdel(self._prefix + "owners", chat)

    async def enqueue(self, site: int, chat: str, at: float) -> None:
        await self._redis.zadd(self._key("queue", site), {chat: at})

    async def dequeue(self, site: int, chat: str) -> bool:
        return bool(await self._redis.zrem(self._key("queue", site), chat))

    async def queue(self, site: int) -> list[tuple[str, float]]:
        items = await self._redis.zrange(self._key("queue", site), 0, -1, withscores=True)
        return [(_text(chat), float(score)) for chat, score in items]  # type: ignore[str-unpack,arg-type]

    async def set_presence(self, site: int, agent: int, available: bool, capacity: int) -> None:
        await self._redis.hset(self._key("presence", site), str(agent),
                               f"{int(available)}:{capacity}")

    async def agents(self, site: int) -> list[Pick]:
        async with self._redis.pipeline(transaction=False) as pipe:  # one round trip
            pipe.hgetall(self._key("presence", site))
            pipe.hgetall(self._key("load", site))
            presence, raw_loads = await pipe.execute()
        loads = {_text(k): _text(v) for k, v in raw_loads.items()}
        picks = []
        for raw_agent, raw in presence.items():
            available, _, capacity = _text(raw).partition(":")
            picks.append(Pick(int(raw_agent), available == "1", int(capacity),
                              int(loads.get(_text(raw_agent), "0"))))
        return picks

    async def take(self, site: int, agent: int, force: bool = False) -> bool:
        keys = [self._key("presence", site), self._key("load", site)]
        return bool(await self._take(keys=keys, args=[str(agent), "1" if force else "0"]))

    async def release(self, site: int, agent: int) -> None:
        await self._release(keys=[self._key("load", site)], args=[str(agent)])

    async def take_least_loaded(self, site: int) -> int | None:
        keys = [self._key("presence", site), self._key("load", site)]
        agent = int(await self._take_least(keys=keys))
        return agent if agent >= 0 else None

    async def close(self) -> None:
        await self._redis.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def create_store(redis_url: str, prefix: str) -> ChatStore:
    return RedisStore(redis_url, prefix) if redis_url else MemoryStore()
