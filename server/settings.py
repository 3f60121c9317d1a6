"""One Settings object, built from HELPMENU_* environment variables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "HELPMENU_"


class Secret(str):
    """A string that never shows itself in a repr, a log line or a traceback."""

    def __repr__(self) -> str:
        return "Secret('**********')"


@dataclass(frozen=True)
class Settings:
    """Every setting, with its HELPMENU_<NAME> variable; docs/configuration.md lists them all."""

    data_dir: Path = Path("helpmenu-data")
    database_url: str = ""
    redis_url: str = ""
    redis_prefix: str = "helpmenu"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: Secret = field(default_factory=lambda: Secret(""))
    auto_migrate: bool | None = None
    widget_session_ttl: int = 3600
    identity_leeway: int = 30
    staff_session_ttl: int = 8 * 3600
    login_max_failures: int = 5
    login_window: int = 900
    site_cache_ttl: int = 300
    chat_heartbeat: int = 25
    chat_resume_grace: int = 60
    chat_hidden_grace: int = 15
    chat_rate: int = 10
    chat_sockets_per_ip: int = 50
    upload_max_bytes: int = 20 * 1024 * 1024
    widget_locales: str = ""
    smtp_url: Secret = field(default_factory=lambda: Secret(""))
    smtp_from: str = ""
    cookie_secure: bool | None = None
    log_level: str = "info"
    debug: bool = False

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def db_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'helpmenu.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def migrate_on_start(self) -> bool:
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.public_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, str(f.type), raw)
        values.update(overrides)
        settings = cls(**values)  # type: ignore[arg-type]
        if not settings.secret_key:
            settings = _with_persistent_secret(settings)
        return settings


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the async drivers."""
    for plain, async_ in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return async_ + url[len(plain) :]
    return url


def _parse(name: str, type_name: str, raw: str) -> object:
    if "bool" in type_name:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{PREFIX}{name.upper()} must be true or false, not {raw!r}")
    if type_name == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{PREFIX}{name.upper()} must be a whole number") from None
    if type_name == "Path":
        return Path(raw)
    if type_name == "Secret":
        return Secret(raw)
    return raw


def _with_persistent_secret(settings: Settings) -> Settings:
    """Without HELPMENU_SECRET_KEY, keep a random key in the data folder so sessions survive restarts."""
    path = settings.data_dir / "secret_key"
    if path.exists():
        key = path.read_text().strip()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
    return Settings(**{**settings.__dict__, "secret_key": Secret(key)})
