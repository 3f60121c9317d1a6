"""Requests per second creating requests with a 1 MB attachment, 20 concurrent clients, against
the real server (SQLite) and, in the same run, against a bare Starlette endpoint that only parses
the same multipart body. Then the server's peak memory while it receives one 50 MB upload.

    .venv/bin/python bench/tickets_create.py [--seconds 4] [--clients 20] [--rounds 3]

Everything runs on 127.0.0.1 and stops by itself. Goal: at least a third of the bare floor, and
memory growth under ~10 MB for the 50 MB upload (the limit is raised for it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tickets_common import multipart, running_server

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


async def hammer(url: str, body: bytes, content_type: str, token: str | None, clients: int,
                 seconds: float) -> tuple[int, int, float]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    done = failed = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal done, failed
            while time.monotonic() < deadline:
                response = await client.post(url, content=body, headers=headers)
                if response.status_code == 201:
                    done += 1
                else:
                    failed += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.monotonic() - started
    return done, failed, elapsed


def run_throughput(seconds: float, clients: int, rounds: int) -> None:
    """Both servers run side by side and take turns, so a busy machine slows both alike."""
    file = ("screenshot.png", PNG_HEAD + os.urandom(1024 * 1024 - len(PNG_HEAD)), "image/png")
    fields = {"subject": "Invoice does not print", "message": "Steps: open, print. " * 20,
              "importance": "high"}
    bench_dir = str(Path(__file__).resolve().parent)
    with running_server(app="tickets_bare:app", PYTHONPATH=bench_dir) as bare, \
            running_server() as server:
        token = server.session("u:bench-user")
        meta = httpx.get(server.url + "/api/tickets/meta",
                         headers={"Authorization": f"Bearer {token}"}).json()
        body, kind = multipart({**fields, "topic": str(meta["topics"][0]["id"])}, file)
        floors, ours = [], []
        for turn in range(rounds):
            done, failed, elapsed = asyncio.run(hammer(bare.url + "/api/tickets", body, kind,
                                                       None, clients, seconds))
            floors.append(done / elapsed)
            done2, failed2, elapsed2 = asyncio.run(hammer(server.url + "/api/tickets", body, kind,
                                                          token, clients, seconds))
            ours.append(done2 / elapsed2)
            print(f"round {turn + 1}: bare parse {floors[-1]:7.1f} req/s ({failed} failed) | "
                  f"HelpMenu create {ours[-1]:7.1f} req/s ({failed2} failed)")
    floor, mine = statistics.median(floors), statistics.median(ours)
    ratio = mine / floor if floor else 0
    print(f"median, {clients} clients, 1 MB file: bare Starlette multipart parse {floor:.1f} "
          f"req/s, HelpMenu create {mine:.1f} req/s")
    print(f"ratio: {ratio:.2f} of the bare floor (goal >= 0.33) -> "
          f"{'OK' if ratio >= 1 / 3 else 'BELOW GOAL'}")


def run_memory() -> None:
    size = 50 * 1024 * 1024
    with running_server(HELPMENU_UPLOAD_MAX_BYTES=str(size + 1024 * 1024)) as server:
        token = server.session("u:bench-user")
        headers = {"Authorization": f"Bearer {token}"}
        meta = httpx.get(server.url + "/api/tickets/meta", headers=headers).json()
        topic = str(meta["topics"][0]["id"])
        small, kind = multipart({"subject": "warm-up", "message": "x", "topic": topic},
                                ("a.png", PNG_HEAD + b"\x00" * 1000, "image/png"))
        httpx.post(server.url + "/api/tickets", content=small,
                   headers={**headers, "Content-Type": kind}, timeout=30)
        before_peak = server.rss_kb("VmHWM")
        before = server.rss_kb()

        def chunks():  # streamed from the client too, so only the server's memory is measured
            yield (b'--helpmenubench\r\nContent-Disposition: form-data; name="subject"\r\n\r\n'
                   b"big\r\n--helpmenubench\r\nContent-Disposition: form-data; name=\"message\""
                   b"\r\n\r\nrecording\r\n--helpmenubench\r\nContent-Disposition: form-data; "
                   b'name="topic"\r\n\r\n' + topic.encode() + b"\r\n--helpmenubench\r\n"
                   b'Content-Disposition: form-data; name="file"; filename="screen.webm"\r\n'
                   b"Content-Type: video/webm\r\n\r\n\x1a\x45\xdf\xa3")
            block = os.urandom(256 * 1024)
            sent = 4
            while sent < size:
                piece = block[: min(len(block), size - sent)]
                sent += len(piece)
                yield piece
            yield b"\r\n--helpmenubench--\r\n"

        started = time.monotonic()
        response = httpx.post(server.url + "/api/tickets", content=chunks(), timeout=120,
                              headers={**headers, "Content-Type":
                                       "multipart/form-data; boundary=helpmenubench"})
        elapsed = time.monotonic() - started
        after_peak = server.rss_kb("VmHWM")
        stored = sum(p.stat().st_size for p in (server.data_dir / "attachments").rglob("*")
                     if p.is_file())
        growth = max(after_peak - before_peak, 0) / 1024
        print(f"50 MB upload: HTTP {response.status_code} in {elapsed:.2f} s, stored "
              f"{stored / 1048576:.1f} MB on disk")
        print(f"server RSS before {before / 1024:.1f} MB; peak before {before_peak / 1024:.1f} MB, "
              f"peak after {after_peak / 1024:.1f} MB: grew {growth:.1f} MB "
              f"(goal <= ~10 MB) -> {'OK' if growth <= 10 else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    run_throughput(args.seconds, args.clients, args.rounds)
    run_memory()


if __name__ == "__main__":
    main()
