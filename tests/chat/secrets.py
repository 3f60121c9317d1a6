"""Search everything a server could have written for a chat's text and its visitor's details."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import redis
from sqlalchemy import select

from helpmenu.db import Base, create_engine, session_factory


def encodings(secret: str) -> list[bytes]:
    return [secret.encode(), secret.encode("utf-16-le"), json.dumps(secret).encode()]


def database_dump(db_url: str) -> str:
    """Every row of every table, as text."""
    async def dump() -> str:
        engine = create_engine(db_url)
        try:
            async with session_factory(engine)() as session:
                parts = []
                for table in Base.metadata.sorted_tables:
                    rows = (await session.execute(select(table))).all()
                    parts.append(f"{table.name}: {[tuple(r) for r in rows]!r}")
                    parts.append(json.dumps([[str(v) for v in r] for r in rows], ensure_ascii=False))
                return "\n".join(parts)
        finally:
            await engine.dispose()

    return asyncio.run(dump())


def redis_dump(url: str, prefix: str) -> tuple[list[str], bytes]:
    """The keys under ``prefix`` and everything they hold."""
    client = redis.Redis.from_url(url)
    keys = sorted(k.decode() for k in client.scan_iter(match=prefix + "*"))
    data = b""
    for key in keys:
        kind = client.type(key).decode()
        if kind == "string":
            data += client.get(key) or b""
        elif kind == "hash":
            data += repr(client.hgetall(key)).encode()
        elif kind == "zset":
            data += repr(client.zrange(key, 0, -1, withscores=True)).encode()
        elif kind == "list":
            data += repr(client.lrange(key, 0, -1)).encode()
        elif kind == "set":
            data += repr(client.smembers(key)).encode()
    client.close()
    return keys, data


def assert_absent(secrets: list[str], *, db_url: str, files: list[Path], logs: str,
                  redis_url: str | None = None, redis_prefix: str = "") -> list[str]:
    """Fail if any secret is anywhere; return the Redis keys seen (ids only)."""
    dump = database_dump(db_url)
    assert "chat_stats" in dump
    blobs = {"database": dump.encode(), "logs": logs.encode()}
    for path in files:
        if path.is_file():
            blobs[str(path.name)] = path.read_bytes()
    keys: list[str] = []
    if redis_url:
        keys, data = redis_dump(redis_url, redis_prefix)
        blobs["redis"] = data + "\n".join(keys).encode()
    for where, blob in blobs.items():
        for secret in secrets:
            for form in encodings(secret):
                assert form not in blob, f"{secret!r} found in {where}"
    return keys
