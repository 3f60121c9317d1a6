import json
import re
from datetime import timedelta

from starlette.testclient import TestClient

from helpmenu.auth import widget_session
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.conftest import HOST_ORIGIN, SiteFixture, make_site


def test_loader_is_served_with_an_etag(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "max-age=300" in response.headers["cache-control"]
    etag = response.headers["etag"]
    again = client.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_assets_are_immutable_and_confined(client: TestClient) -> None:
    manifest = client.app.state.services.assets.manifest  # type: ignore[attr-defined]
    response = client.get("/widget/assets/" + manifest["panel"]["js"])
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    for path in ("../manifest.json", "..%2F..%2Fsettings.py", "%2Fetc%2Fpasswd", "nope.js"):
        assert client.get("/widget/assets/" + path).status_code == 404


def test_panel_may_be_framed_only_by_the_sites_origins(client: TestClient, site: SiteFixture) -> None:
    response = client.get("/panel", params={"site": site.public_key, "origin": HOST_ORIGIN,
                                            "locale": "uk"})
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert f"frame-ancestors {HOST_ORIGIN}" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    match = re.search(r'data-config="([^"]*)"', response.text)
    assert match is not None
    config = json.loads(match.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert config["hostOrigin"] == HOST_ORIGIN and config["locale"] == "uk"
    assert '<html lang="uk"' in response.text
    # No token, no session: the panel gets those by postMessage only.
    assert "session" not in response.text.lower()


def test_panel_refuses_other_origins_and_unknown_sites(client: TestClient, site: SiteFixture) -> None:
    other = client.get("/panel", params={"site": site.public_key, "origin": "https://evil.example"})
    assert other.status_code == 403
    assert client.get("/panel", params={"site": "pk_missing", "origin": HOST_ORIGIN}).status_code == 404
    escaped = client.get("/panel", params={"site": site.public_key,
                                           "origin": '"><script>alert(1)</script>'})
    assert escaped.status_code == 403 and "<script>alert" not in escaped.text


def _session(site: SiteFixture, settings: Settings, clock: FixedClock, ttl: int = 600) -> str:
    exp = int((clock.now() + timedelta(seconds=ttl)).timestamp())
    session = widget_session.for_anonymous(site.id, site.public_key, "abc.def", exp)
    return widget_session.issue(session, settings.secret_key, clock.now())


def test_site_info_for_the_contact_view(
    settings: Settings, clock: FixedClock, client: TestClient
) -> None:
    site = make_site(
        settings,
        contacts={"phones": [{"country": "UA", "number": "+380443900014", "label": "Україна"}]},
        schedule={"timezone": "Europe/Kyiv", "weekly": {"wed": [["09:00", "18:00"]]}},
    )
    token = _session(site, settings, clock, ttl=86400)
    body = client.get("/api/widget/site", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["contacts"]["phones"][0]["number"] == "+380443900014"
    assert body["open_now"] is True  # the fixed clock says Wednesday 12:30 in Kyiv
    clock.advance(hours=8)
    body = client.get("/api/widget/site", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["open_now"] is False
    assert body["next_opening"] == "2026-11-25T07:00:00Z"


def test_site_info_needs_a_valid_session(
    client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock
) -> None:
    assert client.get("/api/widget/site").status_code == 401
    bad = client.get("/api/widget/site", headers={"Authorization": "Bearer forged.token.here"})
    assert bad.status_code == 401 and bad.json()["error"] == "session_invalid"
    token = _session(site, settings, clock, ttl=60)
    clock.advance(seconds=61)
    expired = client.get("/api/widget/site", headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401
