"""Uploads: typed by content, one file, a limit enforced while streaming, nothing left behind."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from helpmenu.app import create_app
from helpmenu.clock import FixedClock
from helpmenu.http import ApiError
from helpmenu.settings import Settings
from helpmenu.tickets.attachments import AttachmentStore, check_name, read_multipart, sniff
from tests.conftest import PUBLIC_URL, SiteFixture
from tests.tickets.conftest import make_widget, png

BOUNDARY = "hmboundary"


def stored_files(settings: Settings) -> list[Path]:
    root = settings.data_dir / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("head", "kind"), [
    (png(), "image/png"), (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"), (b"GIF89a...", "image/gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (b"%PDF-1.7\n", "application/pdf"),
    (b"PK\x03\x04rest", "application/zip"), (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
    (b"\x1a\x45\xdf\xa3\x9f", "video/webm"), ("Журнал: помилка 42\n".encode(), "text/plain"),
    (b"MZ\x90\x00\x03\x00\x00\x00", None), (b"\x7fELF\x02\x01\x01\x00", None),
    (b"text with a \x00 byte", None), (b"\xff\xfe\xfd not utf-8 at all", None),
])
def test_types_come_from_the_bytes(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


def test_a_name_may_not_contradict_the_content() -> None:
    check_name("screenshot.PNG", "image/png")
    check_name("no-extension", "image/png")
    check_name("notes.weird-ext", "text/plain")  # unknown extensions: the content decides
    check_name(".hidden", "text/plain")
    for name, kind in (("photo.png", "text/plain"), ("report.pdf", "image/png"),
                       ("page.html", "text/plain"), ("setup.exe", "application/zip")):
        with pytest.raises(ApiError) as refused:
            check_name(name, kind)
        assert refused.value.status == 415


@pytest.mark.parametrize(("file", "status", "code"), [
    (("x.png", b"just text", "image/png"), 415, "content_mismatch"),
    (("tool.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"), 415, "type_not_allowed"),
    (("empty.txt", b"", "text/plain"), 422, "empty_file"),
])
def test_refused_files_store_nothing(olena, settings: Settings, file, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    response = olena.create(olena.topics()[0]["id"], file=file)
    assert (response.status_code, response.json()["error"]) == (status, code)
    assert stored_files(settings) == []
    assert olena.get("/api/tickets").json()["total"] == 0


def test_a_second_file_is_refused(olena, settings: Settings, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    files = [("file", ("a.png", png(), "image/png")), ("file", ("b.png", png(), "image/png"))]
    data = {"topic": str(olena.topics()[0]["id"]), "subject": "Two", "message": "files"}
    response = client.post("/api/tickets", data=data, files=files, headers=olena.headers)
    assert (response.status_code, response.json()["error"]) == (422, "one_file_only")
    assert stored_files(settings) == []


def test_an_upload_over_the_limit_is_refused_while_it_streams(
    settings: Settings, clock: FixedClock, site: SiteFixture
) -> None:
    small = replace(settings, upload_max_bytes=10_000)
    with TestClient(create_app(small, clock=clock), base_url=PUBLIC_URL) as client:
        olena = make_widget(client, site, small, clock)
        big = olena.create(olena.topics()[0]["id"], file=("big.png", png() + b"\x00" * 20_000,
                                                          "image/png"))
        assert big.status_code == 413 and big.json()["error"] == "file_too_large"
        assert big.json()["limit"] == 10_000
        assert stored_files(small) == []
        assert olena.create(olena.topics()[0]["id"], file=("ok.png", png(), "image/png")).status_code == 201


def test_the_parser_stops_reading_at_the_limit(tmp_path: Path) -> None:
    """Fed 1 kB chunks of a 100 kB file with a 5 kB limit, it reads a handful and gives up."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    chunks = [head] + [b"x" * 1024] * 100 + [f"\r\n--{BOUNDARY}--\r\n".encode()]
    consumed = 0

    async def receive() -> dict[str, object]:
        nonlocal consumed
        consumed += 1
        return {"type": "http.request", "body": chunks[consumed - 1],
                "more_body": consumed < len(chunks)}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]}
    store = AttachmentStore(tmp_path / "attachments")
    with pytest.raises(ApiError) as refused:
        asyncio.run(read_multipart(Request(scope, receive), store, max_file=5 * 1024))
    assert refused.value.code == "file_too_large"
    assert consumed < 10
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_leftovers_of_a_crash_are_removed_at_start(
    settings: Settings, clock: FixedClock, olena, client: TestClient  # type: ignore[no-untyped-def]
) -> None:
    kept = olena.create(olena.topics()[0]["id"], file=("keep.png", png(), "image/png"))
    assert kept.status_code == 201
    store = AttachmentStore(settings.data_dir / "attachments")
    half = store.new_incoming()
    half.write_bytes(b"half an upload")
    orphan = store.path("ab" * 16)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"moved, but its row never committed")
    fresh = store.new_incoming()
    fresh.write_bytes(b"another process is receiving this right now")
    old = time.time() - 7200
    for path in (half, orphan):
        os.utime(path, (old, old))
    kept_file = next(p for p in stored_files(settings) if p.parent != store.incoming
                     and p != orphan)
    os.utime(kept_file, (old, old))
    with TestClient(create_app(settings, clock=clock), base_url=PUBLIC_URL):
        pass  # the lifespan runs the clean-up
    assert not half.exists() and not orphan.exists()
    assert fresh.exists() and kept_file.exists()
