"""examples/README.md is tested like code: every example is listed with the one command or URL
that runs it, each example names it too, and the demo host really serves what the README promises."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from helpmenu.cli import _parser
from helpmenu.demo_host import examples_dir, host_app
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
README = (EXAMPLES / "README.md").read_text("utf-8")
BACKEND = "http://127.0.0.1:8000"


@pytest.fixture
def host() -> Iterator[TestClient]:
    app = host_app(examples_dir(), BACKEND, "pk_readme", "readme-secret-" + "s" * 32)
    with TestClient(app, base_url="http://localhost:8001", follow_redirects=False) as client:
        yield client


def example_dirs() -> list[str]:
    return sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def test_every_example_is_in_the_readme_and_names_how_to_run_it() -> None:
    for name in example_dirs():
        assert f"[`{name}/`](" in README or f"[`{name}/`]" in README, name
    # Each runnable example says how to run it in its own files too.
    for name in example_dirs():
        if name == "shared":
            continue
        texts = [p.read_text("utf-8") for p in (EXAMPLES / name).rglob("*")
                 if p.is_file() and p.suffix in (".html", ".py", ".mjs", ".yml")]
        assert any("Run: " in text for text in texts), name


def test_readme_links_point_at_files_that_exist() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (EXAMPLES / target).exists(), target


def test_readme_commands_exist() -> None:
    subparsers = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    named = set(re.findall(r"^\s*helpmenu ([a-z-]+)", README, re.M))
    assert named and named <= set(subparsers.choices)
    assert "./dev demo" in README
    for script in re.findall(r"(examples/\S+\.(?:py|mjs))", README):
        assert (ROOT / script).exists(), script


@pytest.mark.parametrize("path", re.findall(r"\| `http://localhost:8001(/[^`]*)` \|", README))
def test_every_url_in_the_readme_is_served_by_the_demo_host(host: TestClient, path: str) -> None:
    response = host.get(path)
    if path == "/app/":  # the log-in app sends a visitor to its log-in form
        assert response.status_code == 303 and response.headers["location"] == "/app/login"
        response = host.get("/app/login")
    assert response.status_code == 200
    assert "%HELPMENU_URL%" not in response.text and "%SITE_KEY%" not in response.text
    assert "Sign in" in response.text or f'src="{BACKEND}/widget.js" data-site="pk_readme"' in response.text


def test_readme_lists_five_pages() -> None:
    assert len(re.findall(r"\| `http://localhost:8001(/[^`]*)` \|", README)) == 5


def test_single_page_app_paths_are_its_page_and_its_assets_are_files(host: TestClient) -> None:
    for path in ("/spa/", "/spa/rates", "/spa/bookings/R-5521", "/spa/no-such-screen"):
        response = host.get(path)
        assert response.status_code == 200, path
        assert '<main id="view"' in response.text
        assert "connect-src 'self' http://127.0.0.1:8000 ws://127.0.0.1:8000" in (
            response.headers["content-security-policy"])
    assert host.get("/spa").headers["location"] == "/spa/"
    script = host.get("/spa/assets/help.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert host.get("/spa/assets/nope.js").status_code == 404


def test_spa_modules_import_only_each_other() -> None:
    """No build step and no framework download: every import is a relative file of the app."""
    for module in (EXAMPLES / "spa" / "assets").glob("*.js"):
        for target in re.findall(r"^import .* from '([^']+)';", module.read_text("utf-8"), re.M):
            assert target.startswith("./") and (module.parent / target).exists(), (module.name, target)


def test_examples_never_name_a_path_of_this_machine() -> None:
    for path in EXAMPLES.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".py", ".js", ".mjs", ".md", ".css"):
            text = path.read_text("utf-8")
            assert "/work/" not in text and "/tmp/" not in text, path

