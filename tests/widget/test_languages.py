"""Which language the widget speaks: the loader's list of wishes, the panel page's lang and dir, and
extra languages a server adds with HELPMENU_WIDGET_LOCALES (here a right-to-left pseudo-locale)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpmenu.app import create_app
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from helpmenu.widget.assets import BadLocaleFile, WidgetAssets
from tests.conftest import HOST_ORIGIN, PUBLIC_URL, SiteFixture, make_site

ROOT = Path(__file__).resolve().parents[2]
SEVEN = ["bg", "cs", "en", "pl", "ru", "sk", "uk"]


def session(client: TestClient, site: SiteFixture, locale: object) -> dict[str, object]:
    body = json.dumps({"site": site.public_key, "locale": locale})
    response = client.post("/api/widget/session", content=body, headers={"Origin": HOST_ORIGIN})
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def panel(client: TestClient, site: SiteFixture, locale: str) -> tuple[str, dict[str, object]]:
    response = client.get("/panel", params={"site": site.public_key, "origin": HOST_ORIGIN, "locale": locale})
    assert response.status_code == 200, response.text
    found = re.search(r'data-config="([^"]+)"', response.text)
    assert found
    config: dict[str, object] = json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    return response.text, config


@pytest.fixture
def polish_site(settings: Settings) -> SiteFixture:
    return make_site(settings, default_locale="pl")


def test_the_seven_languages_are_served(client: TestClient, site: SiteFixture) -> None:
    for lang in SEVEN:
        html, config = panel(client, site, lang)
        assert f'<html lang="{lang}" dir="ltr">' in html
        assert sorted(config["locales"]) == SEVEN  # type: ignore[arg-type]
        assert config["rtl"] == []


def test_the_first_wish_the_server_ships_wins(client: TestClient, polish_site: SiteFixture) -> None:
    # boot/setLocale, data-locale, <html lang>, then the browser's languages, as the loader sends them.
    assert session(client, polish_site, ["de-DE", "cs-CZ", "sk"])["locale"] == "cs"
    assert session(client, polish_site, [None, "", "SK_sk", "uk"])["locale"] == "sk"
    # Nothing shipped: the site's default, not English.
    assert session(client, polish_site, ["de", "fr-FR"])["locale"] == "pl"
    assert session(client, polish_site, "ru")["locale"] == "ru"
    body = session(client, polish_site, ["bg"])
    assert body["strings"] == {"loader.launcher": "Помощ", "loader.panel_title": "Помощ и поддръжка"}


@pytest.mark.parametrize("wish", [
    {"cs": True}, 42, [["cs"]], [{"x": 1}, 7, "x" * 200], ["de"] * 5000, "\u0000", ["../../etc/passwd"],
])
def test_odd_wishes_fall_back_to_the_site_default(
    client: TestClient, polish_site: SiteFixture, wish: object
) -> None:
    assert session(client, polish_site, wish)["locale"] == "pl"


def test_a_long_list_is_capped(client: TestClient, polish_site: SiteFixture) -> None:
    assert session(client, polish_site, ["de"] * 11 + ["cs"])["locale"] == "cs"
    assert session(client, polish_site, ["de"] * 12 + ["cs"])["locale"] == "pl"


# ---- extra languages -------------------------------------------------------------------------

def pseudo_rtl(english: dict[str, object]) -> dict[str, object]:
    """An Arabic-script pseudo-locale: every text right-to-left, placeholders untouched."""
    def wrap(text: str) -> str:
        return "\u202b" + text + "\u202c"
    return {key: {form: wrap(t) for form, t in value.items()} if isinstance(value, dict) else wrap(str(value))
            for key, value in english.items()}


@pytest.fixture
def extra(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    folder.mkdir()
    english = json.loads((ROOT / "widget" / "locales" / "en.json").read_text("utf-8"))
    (folder / "ar-XB.json").write_text(json.dumps(pseudo_rtl(english)), "utf-8")
    (folder / "cs.json").write_text(json.dumps({**english, "loader.launcher": "Pomoc!"}), "utf-8")
    return folder


@pytest.fixture
def extra_client(settings: Settings, clock: FixedClock, extra: Path) -> Iterator[TestClient]:
    app = create_app(replace(settings, widget_locales=str(extra)), clock=clock)
    with TestClient(app, base_url=PUBLIC_URL) as client:
        yield client


def test_an_extra_right_to_left_language_is_served_mirrored(
    extra_client: TestClient, site: SiteFixture
) -> None:
    assert session(extra_client, site, ["ar-XB"])["locale"] == "ar-xb"
    html, config = panel(extra_client, site, "ar-XB")
    assert '<html lang="ar-xb" dir="rtl">' in html
    assert config["rtl"] == ["ar-xb"]
    locales: dict[str, str] = config["locales"]  # type: ignore[assignment]
    strings = extra_client.get(locales["ar-xb"]).json()
    assert strings["panel.close"] == "\u202bClose help\u202c"
    # A file named like a built-in language replaces it; the others stay.
    assert session(extra_client, site, ["cs"])["strings"]["loader.launcher"] == "Pomoc!"  # type: ignore[index]
    assert session(extra_client, site, ["sk"])["strings"]["loader.launcher"] == "Pomoc"  # type: ignore[index]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("de.json", "{not json", "not JSON"),
    ("de.json", "[1, 2]", "JSON object of texts"),
    ("de.json", '{"a": 1}', "JSON object of texts"),
    ("deutsch_1.json", "{}", "language code"),
])
def test_a_bad_extra_file_stops_the_start_with_its_name(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (tmp_path / name).write_text(content, "utf-8")
    with pytest.raises(BadLocaleFile, match=message) as error:
        WidgetAssets.load(extra_locales=tmp_path)
    assert name in str(error.value)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(BadLocaleFile, match="not a folder"):
        WidgetAssets.load(extra_locales=tmp_path / "nowhere")
