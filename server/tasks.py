"""Stopping a socket's background task for sure."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger("helpmenu")


async def stop(task: asyncio.Task[Any]) -> None:
    """Cancel a task and wait for it; cancel again if a library swallowed the first one
    (a database or Redis call interrupted mid-way may do that), so no socket task lingers and
    a server's shutdown never waits on one."""
    for _ in range(10):
        task.cancel()
        done, _pending = await asyncio.wait({task}, timeout=0.5)
        if done:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                task.result()
            return
    log.warning("a background task did not stop: %s", task.get_name())
