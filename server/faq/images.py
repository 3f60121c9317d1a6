"""Article images: uploaded in the console, stored under the data folder with random names, served
from our own origin (the panel's CSP allows images from itself only). The type is sniffed from
the first bytes, never taken from the upload's name or headers."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.context import Services

from .models import Image

MAX_IMAGE_BYTES = 5 * 1024 * 1024
_NAME = re.compile(r"^[A-Za-z0-9_-]{8,64}\.(png|jpg|gif|webp)$")
_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


class ImageError(ValueError):
    """Not an image we accept."""


def sniff(data: bytes) -> str | None:
    """The file extension for PNG, JPEG, GIF or WebP data, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def image_dir(svc: Services) -> Path:
    return svc.settings.data_dir / "faq-images"


async def save_image(svc: Services, session: AsyncSession, site_id: int, data: bytes) -> Image:
    """Store an upload; the URL to put in Markdown is `/api/faq/images/<name>`."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    ext = sniff(data)
    if ext is None:
        raise ImageError("PNG, JPEG, GIF or WebP only")
    name = f"{secrets.token_urlsafe(18)}.{ext}"
    folder = image_dir(svc)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    image = Image(site_id=site_id, name=name, content_type=_TYPES[ext], size=len(data),
                  created_at=svc.clock.now())
    session.add(image)
    await session.flush()
    return image


async def open_image(svc: Services, name: str) -> tuple[Path, str] | None:
    match = _NAME.match(name)
    if match is None:
        return None
    async with svc.sessions() as session:
        found = await session.scalar(select(Image).where(Image.name == name))
    path = image_dir(svc) / name
    if found is None or not path.is_file():
        return None
    return path, _TYPES[match.group(1)]
