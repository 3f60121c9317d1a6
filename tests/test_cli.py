"""The helpmenu command, run as users run it, against a real database."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from helpmenu.cli import main
from helpmenu.demo import seed_demo
from helpmenu.settings import Settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path) -> Path:
    monkeypatch.setenv("HELPMENU_DATABASE_URL", db_url)
    monkeypatch.setenv("HELPMENU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HELPMENU_AUTO_MIGRATE", "true")
    return tmp_path


def test_migrate_create_site_and_agent(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["migrate"]) == 0
    assert main(["create-site", "--name", "Acme PMS", "--origin", "https://App.Acme.example/",
                 "--locale", "uk", "--json"]) == 0
    site = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert site["public_key"].startswith("pk_") and site["secret"].startswith("sk_")
    assert site["allowed_origins"] == ["https://app.acme.example"]

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["create-agent", "--site", site["public_key"], "--email", "Taras@Acme.example",
                 "--name", "Taras", "--role", "admin", "--password-stdin"]) == 0
    assert "admin Taras@Acme.example can now log in" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["create-site", "--name", "X", "--origin", "app.example.com"], "", "is not an origin"),
        (["create-site", "--name", "  ", "--origin", "https://a.example"], "", "needs a name"),
        (["create-agent", "--site", "pk_missing", "--email", "a@b.example", "--name", "A",
          "--password-stdin"], "long enough password\n", "no site has the key"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    args: list[str], stdin: str, message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_short_agent_password_is_refused(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["create-site", "--name", "Acme", "--origin", "https://a.example", "--json"])
    key = json.loads(capsys.readouterr().out)["public_key"]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-agent", "--site", key, "--email", "a@b.example", "--name", "A",
                 "--password-stdin"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err


def test_demo_seed_is_reused_on_the_same_data_folder(settings: Settings) -> None:
    first = asyncio.run(seed_demo(settings, "http://localhost:8001"))
    again = asyncio.run(seed_demo(settings, "http://localhost:9001"))
    assert again["site_key"] == first["site_key"] and again["secret"] == first["secret"]
    assert again["staff"] == first["staff"] and set(first["staff"]) == {"admin", "agent"}
    assert (settings.data_dir / "demo.json").stat().st_mode & 0o777 == 0o600

    async def origins() -> list[str]:
        from helpmenu.db import create_engine, session_factory
        from helpmenu.sites.service import get_site_by_key

        engine = create_engine(settings.db_url)
        async with session_factory(engine)() as session:
            site = await get_site_by_key(session, first["site_key"])
            assert site is not None
            result = list(site.allowed_origins)
        await engine.dispose()
        return result

    assert asyncio.run(origins()) == ["http://localhost:8001", "http://localhost:9001"]
