"""Security headers, health, errors and the access log: what every route gets from the app."""

import logging

import pytest
from starlette.testclient import TestClient


def test_health_checks_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "redis" not in response.json()


def test_every_response_carries_security_headers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_unknown_routes_are_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert client.delete("/healthz").status_code == 405


def test_access_log_has_no_query_strings(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="helpmenu.access"):
        client.get("/healthz?q=private+search+text&sig=abcdef")
    assert "GET /healthz 200" in caplog.text
    assert "private" not in caplog.text and "abcdef" not in caplog.text
