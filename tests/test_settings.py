from pathlib import Path

import pytest

from helpmenu.settings import Secret, Settings, normalise_database_url


def test_defaults_need_no_set_up(tmp_path: Path) -> None:
    settings = Settings.from_env({"HELPMENU_DATA_DIR": str(tmp_path)})
    assert settings.db_url == f"sqlite+aiosqlite:///{(tmp_path / 'helpmenu.sqlite3').resolve()}"
    assert settings.migrate_on_start
    assert settings.redis_url == ""
    # A secret key is made once and kept, so sessions survive a restart.
    assert len(settings.secret_key) > 40
    assert Settings.from_env({"HELPMENU_DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_variables_are_parsed(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "HELPMENU_DATA_DIR": str(tmp_path),
        "HELPMENU_DATABASE_URL": "postgres://u:p%40ss@db/helpmenu",
        "HELPMENU_PUBLIC_URL": "https://help.example.com/",
        "HELPMENU_SECRET_KEY": "s3cr3t",
        "HELPMENU_WIDGET_SESSION_TTL": "600",
        "HELPMENU_COOKIE_SECURE": "no",
    })
    assert settings.db_url == "postgresql+asyncpg://u:p%40ss@db/helpmenu"
    assert not settings.migrate_on_start  # PostgreSQL is migrated with `helpmenu migrate`
    assert settings.public_origin == "https://help.example.com"
    assert settings.widget_session_ttl == 600
    assert settings.secure_cookies is False
    assert "s3cr3t" not in repr(settings)
    assert isinstance(settings.secret_key, Secret)


def test_bad_values_are_named() -> None:
    with pytest.raises(ValueError, match="HELPMENU_WIDGET_SESSION_TTL must be a whole number"):
        Settings.from_env({"HELPMENU_WIDGET_SESSION_TTL": "soon", "HELPMENU_SECRET_KEY": "x"})
    with pytest.raises(ValueError, match="HELPMENU_DEBUG must be true or false"):
        Settings.from_env({"HELPMENU_DEBUG": "maybe", "HELPMENU_SECRET_KEY": "x"})


def test_database_urls_people_paste_are_accepted() -> None:
    assert normalise_database_url("postgresql://x/y") == "postgresql+asyncpg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite+aiosqlite:///a.db"
    assert normalise_database_url("postgresql+asyncpg://x/y") == "postgresql+asyncpg://x/y"
