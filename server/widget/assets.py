"""The built widget bundle (server/static/dist), as described by the manifest esbuild writes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DIST = Path(__file__).resolve().parent.parent / "static" / "dist"
EXTRA = "locales/extra/"  # where HELPMENU_WIDGET_LOCALES files are served, beside the bundle's
_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


class BundleMissing(RuntimeError):
    """The widget was never built: `npm run build` (or `pip install .`) creates it."""


class BadLocaleFile(ValueError):
    """A file of HELPMENU_WIDGET_LOCALES that the widget could not use."""


@dataclass
class WidgetAssets:
    root: Path = DIST
    manifest: dict[str, Any] = field(default_factory=dict)
    loader_etag: str = ""
    extra: dict[str, Path] = field(default_factory=dict)  # served name -> file of an extra locale
    _strings: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path = DIST, extra_locales: str | Path = "") -> WidgetAssets:
        path = root / "manifest.json"
        if not path.exists():
            return cls(root)
        manifest = json.loads(path.read_text())
        loader = (root / manifest["loader"]).read_bytes()
        etag = '"' + hashlib.sha256(loader).hexdigest()[:20] + '"'
        assets = cls(root, manifest, etag)
        if extra_locales:
            assets.add_locales(Path(extra_locales))
        return assets

    def add_locales(self, folder: Path) -> None:
        """Serve every `<code>.json` of `folder` as a widget language (HELPMENU_WIDGET_LOCALES)."""
        if not folder.is_dir():
            raise BadLocaleFile(f"HELPMENU_WIDGET_LOCALES: {folder} is not a folder")
        for file in sorted(folder.glob("*.json")):
            code = file.stem.lower()
            if not _TAG.match(code):
                raise BadLocaleFile(f"{file.name}: name it after a language code, like de.json or pt-br.json")
            data = file.read_bytes()
            try:
                raw = json.loads(data)
            except ValueError as exc:
                raise BadLocaleFile(f"{file.name}: not JSON ({exc})") from None
            if not isinstance(raw, dict) or not all(isinstance(v, str | dict) for v in raw.values()):
                raise BadLocaleFile(f"{file.name}: a JSON object of texts is expected")
            name = f"{EXTRA}{code}-{hashlib.sha256(data).hexdigest()[:8]}.json"
            self.manifest["locales"] = {**self.manifest["locales"], code: name}
            self.extra[name] = file
            self._strings.pop(code, None)

    @property
    def built(self) -> bool:
        return bool(self.manifest)

    def require(self) -> None:
        if not self.built:
            raise BundleMissing("the widget bundle is not built: run `npm ci && npm run build`")

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self.manifest.get("locales", {}))

    def locale_url(self, locale: str) -> str:
        return "/widget/assets/" + str(self.manifest["locales"][locale])

    def strings(self, locale: str) -> dict[str, str]:
        """Every string of a locale file, flattened to dotted keys."""
        if locale not in self._strings:
            name = self.manifest["locales"][locale]
            raw = json.loads((self.extra.get(name) or self.root / name).read_text("utf-8"))
            self._strings[locale] = _flatten(raw)
        return self._strings[locale]

    def pick_locale(self, *wanted: str | None) -> str:
        """The first wanted locale we ship (exact, then its language part), else English."""
        available = self.locales
        for item in wanted:
            if not item:
                continue
            tag = item.strip().replace("_", "-").lower()
            if tag in available:
                return tag
            base = tag.split("-", 1)[0]
            if base in available:
                return base
        return "en" if "en" in available else (available[0] if available else "en")

    def file(self, relative: str) -> Path | None:
        """A file of the bundle, or None for anything outside it (no path tricks)."""
        if not self.built or not relative or relative.startswith("/"):
            return None
        if relative in self.extra:
            return self.extra[relative]
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root.resolve()) or not candidate.is_file():
            return None
        return candidate


def _flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat
