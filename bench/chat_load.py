"""Chat relay latency and memory against real server processes over loopback.

    python bench/chat_load.py [--chats 100 1000] [--seconds 20] [--idle 5000] [--no-redis]
                              [--no-single]

Starts its own servers (uvicorn, ``ws_per_message_deflate=False`` as the demo and ``helpmenu
serve`` run it) on a fresh SQLite database in a temporary folder, and drives them from this
process, an open-loop paced load: each side of each chat sends a message every 1 to 2 seconds,
whatever the answers, and 100 agents share the chats. It prints:

- relay latency visitor -> agent and agent -> visitor, p50/p95/p99, at each number of chats on one
  process, and across two processes sharing Redis (visitors on one, agents on the other);
- server CPU time per relayed message (user + system time of the server processes over the
  measured window, divided by the messages that arrived): robust when other work shares the
  machine, which latency is not;
- server memory per idle visitor socket (authenticated, no chat) with ``--idle`` sockets open;
- this load generator's CPU while it measured (one asyncio loop: near 100% of one core it would
  be the bottleneck, not the server);
- what the servers logged at warning level or above (their logs go to the temporary folder).

Only 127.0.0.1 is used; everything stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import websockets

from helpmenu.auth import widget_session
from helpmenu.auth.staff import create_staff, grant_role
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.migrate import upgrade
from helpmenu.sites.service import create_site

AGENTS = 100
PASSWORD = "bench password 1234"  # noqa: S105 - a throwaway bench database
SECRET = "bench-secret-key-" + "b" * 40
REDIS = os.environ.get("HELPMENU_TEST_REDIS", "redis://127.0.0.1:6379/0")
# On a busy 2-core machine a thousand handshakes in a second can take longer than websockets'
# default 10 s: the bench waits (and reports how long the ramp took) rather than lose visitors.
OPEN_TIMEOUT = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def problems(self) -> list[str]:
        """The log's warning and error lines (uvicorn's and ours), most frequent first."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        found = [ln.strip() for ln in lines if re.match(r"(WARNING|ERROR|CRITICAL)|\w+(Error|"
                                                          r"Exception):|Task was destroyed", ln)]
        counts: dict[str, int] = {}
        for line in found:
            counts[line[:160]] = counts.get(line[:160], 0) + 1
        return [f"{n} x {line}" for line, n in sorted(counts.items(), key=lambda i: -i[1])]


@contextmanager
def servers(data: Path, count: int, redis: str) -> Iterator[list[Server]]:
    started: list[Server] = []
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        for _ in range(count):
            port = free_port()
            env = {**os.environ, "HELPMENU_DATA_DIR": str(data), "HELPMENU_SECRET_KEY": SECRET,
                   "HELPMENU_PUBLIC_URL": f"http://127.0.0.1:{port}", "HELPMENU_REDIS_URL": redis,
                   "HELPMENU_REDIS_PREFIX": prefix, "HELPMENU_CHAT_SOCKETS_PER_IP": "100000",
                   "HELPMENU_CHAT_RATE": "50", "HELPMENU_LOG_LEVEL": "warning",
                   # The generator sends no pings: idle agents would be closed for silence.
                   "HELPMENU_CHAT_HEARTBEAT": "600"}
            log = data / f"server-{port}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "helpmenu.asgi:app", "--host", "127.0.0.1",
                     "--port", str(port), "--no-access-log", "--log-level", "warning",
                     "--ws-per-message-deflate", "false", "--backlog", "8192"],
                    env=env, stdout=out, stderr=subprocess.STDOUT)
            started.append(Server(f"http://127.0.0.1:{port}", process, log))
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(started[-1].url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("a server did not start")
                time.sleep(0.1)
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(15)
            except subprocess.TimeoutExpired:
                server.process.kill()
        for server in started:
            problems = server.problems()
            print(f"  server log {server.url}: " + ("clean" if not problems else
                  f"{len(problems)} kinds of warning/error, e.g.\n    " + "\n    ".join(
                      problems[:5])))


def seed(data: Path) -> tuple[int, str, list[str]]:
    """A site and 100 agents, straight into a fresh database."""
    url = f"sqlite+aiosqlite:///{data / 'helpmenu.sqlite3'}"
    upgrade(url)

    async def make() -> tuple[int, str, list[str]]:
        engine = create_engine(url)
        now = datetime.now(UTC)
        emails = []
        async with transaction(session_factory(engine)) as session:
            site, _ = await create_site(session, now=now, name="Bench", allowed_origins=[
                "http://localhost:1"])
            for n in range(AGENTS):
                staff = await create_staff(session, now=now, email=f"agent{n}@bench.example",
                                           name=f"Agent {n}", password=PASSWORD)
                await grant_role(session, staff, site.id, "agent")
                emails.append(staff.email)
        await engine.dispose()
        return site.id, site.public_key, emails

    return asyncio.run(make())


def visitor_token(site_id: int, site_key: str) -> str:
    now = datetime.now(UTC)
    session = widget_session.WidgetSession(site_id, site_key, f"a:{secrets.token_hex(8)}", True,
                                           None, None, None,
                                           int((now + timedelta(hours=1)).timestamp()))
    return widget_session.issue(session, SECRET, now)


async def login(base: str, email: str) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=base, headers={"Origin": base}, timeout=120) as http:
        page = await http.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        await http.post("/console/login", data={"email": email, "password": PASSWORD,
                                                "csrf_token": token})
        me = (await http.get("/console/api/me")).json()
        return me["csrf_token"], "; ".join(f"{k}={v}" for k, v in http.cookies.items())


def frame(kind: str, **fields: Any) -> str:
    return json.dumps({"v": 1, "type": kind, **fields})


@dataclass
class Run:
    sent: dict[str, float] = field(default_factory=dict)
    to_agent: list[float] = field(default_factory=list)
    to_visitor: list[float] = field(default_factory=list)
    measuring: bool = False
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    # What went wrong for the simulated people: refused frames, closes, failed connections.
    trouble: Counter[str] = field(default_factory=Counter)

    async def guard(self, who: str, side: Callable[[], Awaitable[None]]) -> None:
        """Run one simulated side, counting how it failed instead of failing silently."""
        try:
            await side()
        except asyncio.CancelledError:
            raise
        except websockets.ConnectionClosed as exc:
            if not self.stop.is_set():
                code = exc.rcvd.code if exc.rcvd else "none"
                self.trouble[f"{who} socket closed {code}"] += 1
        except Exception as exc:  # counted and reported
            self.trouble[f"{who} {type(exc).__name__}"] += 1

    def refused(self, who: str, data: dict[str, Any]) -> None:
        if data["type"] == "error":
            self.trouble[f"{who} error {data['error']}"] += 1

    def arrived(self, cid: str, bucket: list[float]) -> None:
        start = self.sent.pop(cid, None)
        if start is not None and self.measuring:
            bucket.append((time.perf_counter() - start) * 1000)


async def pace(run: Run, send: Any) -> None:
    """Open loop: send every 1 to 2 seconds, whatever comes back."""
    await asyncio.sleep(random.uniform(0, 2))
    while not run.stop.is_set():
        try:
            await send()
        except websockets.ConnectionClosed:
            return
        await asyncio.sleep(random.uniform(1, 2))


async def agent_side(run: Run, base: str, site: int, creds: tuple[str, str], capacity: int,
                     ready: asyncio.Event, chats_seen: list[int]) -> None:
    csrf, cookie = creds
    async with websockets.connect(base.replace("http", "ws") + "/console/chats/socket",
                                  origin=base, additional_headers={"Cookie": cookie},  # type: ignore[arg-type]
                                  compression=None, max_queue=None, open_timeout=OPEN_TIMEOUT
                                  ) as ws:
        await ws.send(frame("auth", csrf=csrf, site=site))
        await ws.send(frame("presence", status="available", capacity=capacity))
        mine: list[str] = []
        tasks = []
        ready.set()

        async def say(chat: str) -> None:
            cid = "a" + secrets.token_hex(6)
            run.sent[cid] = time.perf_counter()
            await ws.send(frame("message", chat=chat, cid=cid, text="Bench reply from support"))

        async for raw in ws:
            data = json.loads(raw)
            run.refused("agent", data)
            if data["type"] == "assigned":
                mine.append(data["chat"])
                chats_seen[0] += 1
                tasks.append(asyncio.create_task(pace(run, lambda c=data["chat"]: say(c))))
            elif data["type"] == "message" and data["author"] == "visitor":
                run.arrived(data["cid"], run.to_agent)
            if run.stop.is_set():
                break
        for task in tasks:
            task.cancel()


async def visitor_side(run: Run, base: str, token: str) -> None:
    async with websockets.connect(base.replace("http", "ws") + "/api/chat/socket", origin=base,  # type: ignore[arg-type]
                                  compression=None, max_queue=None, open_timeout=OPEN_TIMEOUT
                                  ) as ws:
        await ws.send(frame("auth", session=token))
        await ws.send(frame("start", name="Bench visitor", phone="+380441234567",
                            question="How fast is this?"))
        talker = None

        async def say() -> None:
            cid = "v" + secrets.token_hex(6)
            run.sent[cid] = time.perf_counter()
            await ws.send(frame("message", cid=cid, text="Bench question from the visitor"))

        async for raw in ws:
            data = json.loads(raw)
            run.refused("visitor", data)
            if data["type"] == "assigned" and talker is None:
                talker = asyncio.create_task(pace(run, say))
            elif data["type"] == "message" and data["author"] == "agent":
                run.arrived(data["cid"], run.to_visitor)
            if run.stop.is_set():
                break
        if talker:
            talker.cancel()


async def loop_lag(run: Run, lags: list[float]) -> None:
    """How late this generator's own event loop wakes up (10 ms ticks): a relay latency near
    these figures says the generator, or the machine, is the bottleneck, not the server."""
    while not run.stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        if run.measuring:
            lags.append((time.perf_counter() - start - 0.01) * 1000)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def latency(visitor_server: Server, agent_server: Server, site: tuple[int, str],
                  creds: list[tuple[str, str]], chats: int, seconds: float) -> dict[str, Any]:
    run = Run()
    visitor_base, agent_base = visitor_server.url, agent_server.url
    processes = [visitor_server] if visitor_server is agent_server else [visitor_server,
                                                                          agent_server]
    capacity = max(1, -(-chats // AGENTS))
    seen = [0]
    readies = [asyncio.Event() for _ in creds]
    tasks = [asyncio.create_task(run.guard("agent", lambda c=c, r=r: agent_side(  # type: ignore[misc]
        run, agent_base, site[0], c, capacity, r, seen))) for c, r in zip(creds, readies, strict=True)]
    for event in readies:
        await event.wait()
    await asyncio.sleep(1)
    ramp0, ramp_cpu0 = time.monotonic(), [s.cpu_seconds() for s in processes]
    for n in range(chats):
        token = visitor_token(*site)
        tasks.append(asyncio.create_task(run.guard("visitor", lambda t=token: visitor_side(  # type: ignore[misc]
            run, visitor_base, t))))
        if n % 50 == 49:
            await asyncio.sleep(0.05)  # open the sockets at a realistic pace
    deadline = time.monotonic() + 120
    while seen[0] < chats and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    ramp = time.monotonic() - ramp0
    ramp_cpu = sum(s.cpu_seconds() - c for s, c in zip(processes, ramp_cpu0, strict=True))
    await asyncio.sleep(3)  # warm up: every pacer has sent at least once
    lags: list[float] = []
    tasks.append(asyncio.create_task(loop_lag(run, lags)))
    cpu0, wall0 = time.process_time(), time.monotonic()
    server0 = [s.cpu_seconds() for s in processes]
    run.measuring = True
    await asyncio.sleep(seconds)
    run.measuring = False
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    server_cpu = [s.cpu_seconds() - c for s, c in zip(processes, server0, strict=True)]
    run.stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    both = run.to_agent + run.to_visitor
    return {"chats": chats, "assigned": seen[0], "messages": len(both),
            "rate": len(both) / seconds,
            "to_agent": [pct(run.to_agent, q) for q in (0.5, 0.95, 0.99)],
            "to_visitor": [pct(run.to_visitor, q) for q in (0.5, 0.95, 0.99)],
            "both": [pct(both, q) for q in (0.5, 0.95, 0.99)],
            "mean": statistics.fmean(both) if both else float("nan"),
            "cpu_share": cpu / wall,
            "server_cpu": server_cpu,
            "server_share": [c / wall for c in server_cpu], "trouble": run.trouble,
            "ramp": ramp, "ramp_cpu": ramp_cpu / max(1, seen[0]), "load": os.getloadavg()[0],
            "lag": [pct(lags, q) for q in (0.5, 0.99)]}


async def idle_memory(server: Server, site: tuple[int, str], count: int) -> tuple[float, int]:
    await asyncio.sleep(1)
    before = server.rss_kib()
    sockets = []
    base = server.url
    for n in range(count):
        ws = await websockets.connect(base.replace("http", "ws") + "/api/chat/socket",
                                      origin=base, compression=None)  # type: ignore[arg-type]
        await ws.send(frame("auth", session=visitor_token(*site)))
        sockets.append(ws)
        if n % 200 == 199:
            await asyncio.gather(*(s.recv() for s in sockets[-200:]))
    await asyncio.gather(*(s.recv() for s in sockets[len(sockets) // 200 * 200:]))
    await asyncio.sleep(2)
    after = server.rss_kib()
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return (after - before) / count, after


def report(title: str, result: dict[str, Any]) -> None:
    def ms(values: list[float]) -> str:
        return " / ".join(f"{v:6.2f}" for v in values)

    print(f"{title}: {result['assigned']}/{result['chats']} chats answered, "
          f"{result['messages']} messages measured ({result['rate']:.0f}/s)")
    print(f"  all chats started and assigned after {result['ramp']:.1f} s; server CPU "
          f"{result['ramp_cpu'] * 1000:.1f} ms per chat (connect, auth, start, route); "
          f"machine load average {result['load']:.1f}")
    print(f"  visitor -> agent  p50/p95/p99 ms: {ms(result['to_agent'])}")
    print(f"  agent -> visitor  p50/p95/p99 ms: {ms(result['to_visitor'])}")
    print(f"  both ways         p50/p95/p99 ms: {ms(result['both'])}")
    per = sum(result["server_cpu"]) / max(1, result["messages"]) * 1e6
    shares = ", ".join(f"{share:.0%}" for share in result["server_share"])
    print(f"  server CPU: {per:.0f} us per relayed message (each process: {shares} of a core)")
    print(f"  load generator CPU: {result['cpu_share']:.0%} of one core; its event loop wakes "
          f"late by p50/p99 ms: {ms(result['lag'])}")
    if result["trouble"]:
        print("  refused or failed: " + ", ".join(
            f"{what}: {n}" for what, n in result["trouble"].most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--no-single", action="store_true", help="only the two-process run")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print(f"chat_load: {os.cpu_count()} CPUs, uvicorn ws_per_message_deflate=False, "
          f"{AGENTS} agents, each side sends every 1-2 s (open loop), {args.seconds:.0f} s per run")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        site_id, site_key, emails = seed(data)
        site = (site_id, site_key)
        for chats in [] if args.no_single else args.chats:  # a fresh server for each run
            with servers(data, 1, "") as [one]:
                creds = asyncio.run(_logins(one.url, emails))
                report(f"one process, {chats} chats", asyncio.run(
                    latency(one, one, site, creds, chats, args.seconds)))
        if args.idle:
            with servers(data, 1, "") as [fresh]:
                per, rss = asyncio.run(idle_memory(fresh, site, args.idle))
                print(f"idle visitor sockets: {args.idle}, server RSS {rss / 1024:.0f} MiB, "
                      f"{per:.1f} KiB per socket (per-message compression off)")
        if not args.no_redis:
            with servers(data, 2, REDIS) as [a, b]:
                creds = asyncio.run(_logins(b.url, emails))
                chats = max(args.chats)
                report(f"two processes + Redis (visitors on A, agents on B), {chats} chats",
                       asyncio.run(latency(a, b, site, creds, chats, args.seconds)))


async def _logins(base: str, emails: list[str]) -> list[tuple[str, str]]:
    results = []
    for start in range(0, len(emails), 10):
        results += await asyncio.gather(*(login(base, e) for e in emails[start:start + 10]))
    return results


if __name__ == "__main__":
    main()
