"""Run the demo for the chat's browser test: the backend behind a public URL of the test's choice
(its TCP proxy), with a fixed clock (support hours never depend on the time of day), and the
example host app. ``python -m tests.chat.demo_server DATA PORT PUBLIC_PORT EXAMPLE_PORT NOW``."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

import uvicorn

from helpmenu.app import create_app
from helpmenu.clock import FixedClock
from helpmenu.demo import seed_demo
from helpmenu.demo_host import examples_dir, host_app
from helpmenu.logs import configure_logging
from helpmenu.settings import Settings


async def main(data_dir: Path, port: int, public_port: int, example_port: int, now: str) -> None:
    configure_logging("info")
    public_url = f"http://127.0.0.1:{public_port}"
    settings = Settings.from_env(data_dir=data_dir, public_url=public_url, chat_hidden_grace=30)
    state = await seed_demo(settings, f"http://localhost:{example_port}")
    backend = uvicorn.Server(uvicorn.Config(
        create_app(settings, clock=FixedClock(datetime.fromisoformat(now))), host="127.0.0.1",
        port=port, access_log=False, log_config=None, ws_per_message_deflate=False))
    example = uvicorn.Server(uvicorn.Config(
        host_app(examples_dir(), public_url, state["site_key"], state["secret"]),
        host="localhost", port=example_port, access_log=False, log_config=None))
    await asyncio.gather(backend.serve(), example.serve())


if __name__ == "__main__":
    data, port, public, example, now = sys.argv[1:6]
    asyncio.run(main(Path(data), int(port), int(public), int(example), now))
