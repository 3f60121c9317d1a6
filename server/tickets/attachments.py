"""Attachments: multipart uploads streamed to disk, typed by content, and signed download links.

A file is written under a random name into ``<data dir>/attachments/.incoming`` while it arrives
(never held whole in memory; the size limit is checked on every chunk, so an over-limit upload is
refused before it is complete). Only when the request or reply that carries it is inserted does
the caller move it, inside the database transaction, to its final random name; if the transaction
fails the file is removed again. What a crash leaves behind (an incoming file, or a moved file whose
row never committed) is removed by :meth:`AttachmentStore.cleanup` when the server starts. The
folder is outside anything served statically: files leave only through :func:`download_response`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.responses import FileResponse

from helpmenu.http import ApiError

SNIFF_BYTES = 8192
WRITE_BATCH = 512 * 1024  # bytes of a file held in memory before they are written
MAX_FIELDS_BYTES = 64 * 1024
MAX_NAME = 500
LINK_TTL = 300  # seconds a download link lives (never beyond the session that asked for it)
STALE_SECONDS = 3600  # leftovers older than this are removed at start

# The types we accept, decided from the bytes; the file's name may only agree with them.
TYPES = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jfif"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
    "application/zip": ("zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "jar", "apk"),
    "video/mp4": ("mp4", "m4v", "mov"),
    "video/webm": ("webm", "mkv"),
    "text/plain": ("txt", "log", "csv", "tsv", "json", "md", "xml", "ini", "conf", "cfg", "yaml",
                   "yml", "out", "err"),
}
KNOWN_EXTENSIONS = {ext: kind for kind, exts in TYPES.items() for ext in exts} | {
    # Known types we refuse: a name saying one of these contradicts any content we accept.
    ext: "refused" for ext in ("exe", "dll", "bat", "cmd", "sh", "js", "html", "htm", "svg",
                               "php", "msi", "scr", "ps1", "vbs", "doc", "xls", "rtf", "bmp",
                               "tif", "tiff", "heic", "avi", "wmv", "mp3", "wav", "rar", "7z",
                               "gz", "tar")
}


def sniff(head: bytes) -> str | None:
    """The allowed type these first bytes show, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "application/zip"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head and _is_text(head):
        return "text/plain"
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sniffed window is still text.
        if exc.start < len(head) - 3:
            return False
    return True


def check_name(name: str, content_type: str) -> None:
    """Refuse a name whose extension says another type than the content shows."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return
    claimed = KNOWN_EXTENSIONS.get(ext.lower())
    if claimed is not None and claimed != content_type:
        raise ApiError(415, "content_mismatch",
                       "the file's content does not match its name", field="file")


@dataclass
class IncomingFile:
    """A file received and checked, waiting in the incoming folder for its request."""

    path: Path
    name: str
    content_type: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        return self.path.name


@dataclass
class MultipartForm:
    fields: dict[str, str] = field(default_factory=dict)
    file: IncomingFile | None = None


class AttachmentStore:
    """The attachment folder: incoming files, stored files, and the clean-up of leftovers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / ".incoming"

    def ensure(self) -> None:
        self.incoming.mkdir(parents=True, exist_ok=True, mode=0o700)

    def new_incoming(self) -> Path:
        self.ensure()
        return self.incoming / secrets.token_hex(16)

    def path(self, storage_name: str) -> Path:
        if len(storage_name) != 32 or not all(c in "0123456789abcdef" for c in storage_name):
            raise ValueError("not a storage name")
        return self.root / storage_name[:2] / storage_name

    @contextlib.contextmanager
    def placing(self, files: list[IncomingFile]) -> Iterator[None]:
        """Move files to their final place; if the block fails (the transaction did not commit),
        remove them, so no file outlives a request that was never stored."""
        placed: list[Path] = []
        try:
            for item in files:
                target = self.path(item.storage_name)
                target.parent.mkdir(exist_ok=True, mode=0o700)
                os.replace(item.path, target)
                placed.append(target)
            yield
        except BaseException:
            for target in placed:
                target.unlink(missing_ok=True)
            raise
        finally:
            for item in files:
                item.path.unlink(missing_ok=True)

    def discard(self, upload: MultipartForm | None) -> None:
        if upload is not None and upload.file is not None:
            upload.file.path.unlink(missing_ok=True)

    def cleanup(self, is_known: Callable[[str], bool], older_than: float = STALE_SECONDS) -> int:
        """Remove leftovers of interrupted uploads: incoming files, and stored files no row names.
        Only files older than ``older_than`` seconds, so another process's upload in flight is
        left alone. Returns how many files were removed."""
        if not self.root.exists():
            return 0
        limit = time.time() - older_than
        removed = 0
        for path in self.root.rglob("*"):
            if not path.is_file() or path.stat().st_mtime > limit:
                continue
            if path.parent == self.incoming or not is_known(path.name):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


async def read_multipart(
    request: Request, store: AttachmentStore, *, max_file: int, allow_file: bool = True
) -> MultipartForm:
    """Parse a multipart body as it streams: text fields into memory (64 kB at most), the one file
    to disk, refused as soon as it passes ``max_file`` bytes. Raises ApiError; on any error
    nothing is left on disk."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise ApiError(415, "multipart_required", "send the form as multipart/form-data")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_file + MAX_FIELDS_BYTES + 16 * 1024:
        raise ApiError(413, "file_too_large", f"the file is larger than {max_file} bytes",
                       field="file", limit=max_file)
    reader = _Reader(store, max_file, allow_file)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if reader.error is not None:
                raise reader.error
            if reader.pending_bytes >= WRITE_BATCH:
                # Disk writes happen off the event loop, in batches, so other requests go on.
                await asyncio.to_thread(reader.flush)
        parser.finalize()
        if reader.error is not None:
            raise reader.error
        await asyncio.to_thread(reader.flush)
        return reader.finish()
    except BaseException:
        reader.abort()
        raise


class _Reader:
    """The parser's callbacks: one part at a time, fields to memory, the file to disk."""

    def __init__(self, store: AttachmentStore, max_file: int, allow_file: bool) -> None:
        self.store = store
        self.max_file = max_file
        self.allow_file = allow_file
        self.form = MultipartForm()
        self.error: ApiError | None = None
        self.field_bytes = 0
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name: str | None = None
        self._filename: str | None = None
        self._buffer = bytearray()
        self._file: IncomingFile | None = None
        self._handle: object = None
        self._head = bytearray()
        self._hash = hashlib.sha256()
        self._pending: list[bytes] = []
        self.pending_bytes = 0
        self._ended = False

    def flush(self) -> None:
        """Write and hash what the parser handed over since the last flush, and close the file
        once its part has ended (called in a worker thread)."""
        pending, self._pending, self.pending_bytes = self._pending, [], 0
        if self._handle is None:
            return
        if pending:
            data = b"".join(pending)
            self._hash.update(data)
            self._handle.write(data)  # type: ignore[attr-defined]
        if self._ended:
            self._handle.close()  # type: ignore[attr-defined]
            self._handle = None

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._add("_header_name", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_header_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _part_begin(self) -> None:
        self._headers, self._name, self._filename = {}, None, None
        self._buffer = bytearray()

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name")
        self._name = name.decode("utf-8", "replace") if name is not None else None
        filename = options.get(b"filename")
        if filename is None:
            return
        # Browsers (and the HTML spec's form encoding) escape these three in a file name.
        self._filename = (filename.decode("utf-8", "replace").replace("%22", '"')
                          .replace("%0D", "\r").replace("%0A", "\n"))
        if self.error:
            return
        if not self.allow_file:
            self.error = ApiError(422, "no_file_here", "this form takes no file", field="file")
        elif self._file is not None:
            self.error = ApiError(422, "one_file_only", "only one file can be attached",
                                  field="file")
        elif len(self._filename) > MAX_NAME:
            self.error = ApiError(422, "file_name_too_long", "the file name is too long",
                                  field="file")
        else:
            if self._handle is not None and self._ended:  # an empty part before: nothing pending
                self._handle.close()  # type: ignore[attr-defined]
            self._ended = False
            path = self.store.new_incoming()
            self._handle = path.open("xb")
            self._file = IncomingFile(path, self._filename, "", 0, "")
            self._head = bytearray()
            self._hash = hashlib.sha256()

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        chunk = data[start:end]
        if self._filename is None:
            self.field_bytes += len(chunk)
            if self.field_bytes > MAX_FIELDS_BYTES:
                self.error = ApiError(413, "too_large", "the form fields are too long")
                return
            self._buffer += chunk
            return
        file = self._file
        if file is None or self._handle is None:
            return
        file.size += len(chunk)
        if file.size > self.max_file:
            self.error = ApiError(413, "file_too_large",
                                  f"the file is larger than {self.max_file} bytes",
                                  field="file", limit=self.max_file)
            return
        if len(self._head) < SNIFF_BYTES:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
        self._pending.append(chunk)
        self.pending_bytes += len(chunk)

    def _part_end(self) -> None:
        if self.error is not None:
            return
        if self._filename is None:
            if self._name is not None:
                self.form.fields[self._name] = self._buffer.decode("utf-8", "replace")
            return
        if self._handle is not None:
            self._ended = True  # closed by the next flush, after its last bytes are written
        file = self._file
        if file is None or self.form.file is not None:
            return
        if file.size == 0:
            if not file.name:  # an empty file input: no file chosen
                file.path.unlink(missing_ok=True)
                self._file = None
                return
            self.error = ApiError(422, "empty_file", "the file is empty", field="file")
            return
        kind = sniff(bytes(self._head))
        if kind is None:
            self.error = ApiError(415, "type_not_allowed",
                                  "only images, PDF, text and log files, MP4 or WebM videos and "
                                  "ZIP archives can be attached", field="file")
            return
        try:
            check_name(file.name, kind)
        except ApiError as exc:
            self.error = exc
            return
        file.content_type = kind
        self.form.file = file

    def finish(self) -> MultipartForm:
        if self.form.file is not None:
            self.form.file.sha256 = self._hash.hexdigest()
        return self.form

    def abort(self) -> None:
        if self._handle is not None:
            self._handle.close()  # type: ignore[attr-defined]
            self._handle = None
        if self._file is not None:
            self._file.path.unlink(missing_ok=True)
        self.form.file = None


# ---- signed download links -------------------------------------------------------------------

def _signature(key: str, attachment_id: int, user_id: str, expires: int) -> str:
    message = f"file:{attachment_id}:{user_id}:{expires}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:40]


def signed_query(key: str, *, attachment_id: int, user_id: str, now: float,
                 session_expires: int) -> str:
    """The query string of a short-lived link to one file for one widget user."""
    expires = min(int(now) + LINK_TTL, session_expires)
    sig = _signature(key, attachment_id, user_id, expires)
    return urlencode({"u": user_id, "e": expires, "s": sig})


def verify_link(key: str, attachment_id: int, params: dict[str, str], now: float) -> str | None:
    """The user the link was made for, or None if it is forged, for another file, or expired."""
    user_id, expires, sig = params.get("u", ""), params.get("e", ""), params.get("s", "")
    if not expires.isdigit() or int(expires) <= now or not user_id:
        return None
    if not hmac.compare_digest(sig, _signature(key, attachment_id, user_id, int(expires))):
        return None
    return user_id


def download_response(path: Path, name: str, content_type: str) -> FileResponse:
    """The file as a download that no browser renders or sniffs, whatever it contains."""
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in name)
    disposition = f"attachment; filename=\"{ascii_name or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"
    media = "text/plain; charset=utf-8" if content_type == "text/plain" else content_type
    return FileResponse(path, media_type=media, headers={
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    })
