"""A TCP proxy on 127.0.0.1 that a test can cut: the browser's offline switch leaves open
websockets alone, so the test drops the connections here instead."""

from __future__ import annotations

import asyncio
import contextlib
import threading


class Proxy:
    """Forwards 127.0.0.1:listen to 127.0.0.1:target. :meth:`cut` drops only the connections whose
    request line holds ``only`` (the visitor's chat socket), and refuses new ones until restored."""

    def __init__(self, listen: int, target: int, only: bytes = b"/api/chat/socket") -> None:
        self.listen, self.target, self.only = listen, target, only
        self.loop = asyncio.new_event_loop()
        self.blocked = False
        self._conns: set[asyncio.StreamWriter] = set()
        self.cuts = 0
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.listen)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await reader.read(65536)
        tagged = self.only in first.split(b"\r\n", 1)[0]
        if tagged and self.blocked:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return
        up_writer.write(first)
        if tagged:
            self._conns |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(Exception):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._conns -= {writer, up_writer}

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until :meth:`restore`."""
        def _cut() -> None:
            self.blocked = True
            self.cuts += len(self._conns)
            for writer in list(self._conns):
                writer.transport.abort()
            self._conns.clear()
        self.loop.call_soon_threadsafe(_cut)

    def restore(self) -> None:
        self.loop.call_soon_threadsafe(setattr, self, "blocked", False)

    def stop(self) -> None:
        async def _stop() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._conns):
                writer.transport.abort()
        asyncio.run_coroutine_threadsafe(_stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()
