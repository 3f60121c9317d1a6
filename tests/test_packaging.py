"""`pip install .` builds the widget into the wheel, and an installed wheel serves it without Node."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SERVE_CHECK = """
import json
from helpmenu.app import create_app
from helpmenu.settings import Settings
from starlette.testclient import TestClient
import helpmenu, sys
assert helpmenu.__file__.startswith(sys.argv[2]), helpmenu.__file__
settings = Settings(data_dir=__import__("pathlib").Path(sys.argv[1]), secret_key="k" * 40)
with TestClient(create_app(settings)) as client:
    loader = client.get("/widget.js")
    manifest = client.app.state.services.assets.manifest
    panel_js = client.get("/widget/assets/" + manifest["panel"]["js"])
    print(json.dumps({"loader": loader.status_code, "panel": panel_js.status_code,
                      "health": client.get("/healthz").status_code}))
"""


def test_the_wheel_carries_and_serves_the_widget(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "wheel"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "wheel").glob("helpmenu-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for needed in ("helpmenu/static/dist/manifest.json", "helpmenu/static/dist/loader.js",
                   "helpmenu/widget/templates/panel.html",
                   "helpmenu/migrations/versions/0001_foundation.py",
                   "helpmenu/migrations/script.py.mako", "helpmenu/console/locales/uk.json"):
        assert needed in names
    assert not any(name.startswith("server/") for name in names)

    # No node or npm on PATH: the installed package serves the bundle it carries.
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "PATH": "/nonexistent"}
    result = subprocess.run([sys.executable, "-c", SERVE_CHECK, str(tmp_path / "data"),
                             str(tmp_path / "site")],
                            env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == '{"loader": 200, "panel": 200, "health": 200}'
