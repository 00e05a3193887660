"""The vendored front-end packages (scripts/vendor_web_assets.py): every file the manifest lists is
committed unchanged, each package carries its licence, the package data puts them in the wheel, and
the pages load them from the app itself (no CDN)."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import tomllib
from pathlib import Path

import pytest

from tests.web.conftest import Served

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "synthesist"
VENDOR = PACKAGE / "web" / "static" / "vendor"
TEST_VENDOR = REPO / "tests" / "web" / "vendor"  # axe-core, for the browser tests only
EXPECTED = {VENDOR: {"@picocss/pico", "htmx.org"}, TEST_VENDOR: {"axe-core"}}


def _manifest(vendor: Path = VENDOR) -> list[dict[str, object]]:
    packages: list[dict[str, object]] = json.loads((vendor / "manifest.json").read_text("utf-8"))["packages"]
    return packages


def _files(vendor: Path = VENDOR) -> list[dict[str, str]]:
    return [file for package in _manifest(vendor) for file in package["files"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("vendor", EXPECTED, ids=["app", "tests"])
def test_every_vendored_file_is_present_and_matches_its_sha256(vendor: Path) -> None:
    names = {package["package"] for package in _manifest(vendor)}
    assert EXPECTED[vendor] <= names
    for package in _manifest(vendor):
        assert re.fullmatch(r"\d+\.\d+\.\d+", str(package["version"])), "an exact pin"
        assert str(package["integrity"]).startswith("sha512-"), "the registry's integrity, as checked"
    for file in _files(vendor):
        path = vendor / file["path"]
        assert path.is_file(), f"{file['path']} is listed in the manifest but missing"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == file["sha256"], f"{file['path']} was changed"


@pytest.mark.parametrize("vendor", EXPECTED, ids=["app", "tests"])
def test_each_vendored_package_carries_its_licence(vendor: Path) -> None:
    for package in _manifest(vendor):
        paths = [file["path"] for file in package["files"]]  # type: ignore[attr-defined]
        assert any(Path(path).name.startswith("LICENSE") for path in paths), package["package"]


@pytest.mark.parametrize("vendor", EXPECTED, ids=["app", "tests"])
def test_nothing_unlisted_sits_in_the_vendor_folder(vendor: Path) -> None:
    listed = {file["path"] for file in _files(vendor)} | {"manifest.json"}
    present = {str(path.relative_to(vendor)) for path in vendor.rglob("*") if path.is_file()}
    assert present == listed


def test_the_package_data_puts_the_vendored_files_in_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["synthesist"]
    for path in ["web/static/vendor/manifest.json", *(f"web/static/vendor/{f['path']}" for f in _files())]:
        # setuptools' globs: a * does not cross a folder, so each depth needs its own pattern
        matched = [p for p in patterns if fnmatch.fnmatch(path, p) and p.count("/") == path.count("/")]
        assert matched, f"{path} would be left out of the wheel"


def test_pages_load_the_foundation_before_app_css_and_from_the_app_itself(served: Served) -> None:
    page = served.client().get("/login").text
    pico = page.index('href="/static/vendor/pico/pico.min.css"')
    assert pico < page.index('href="/static/app.css"'), "app.css overrides the foundation"
    assert not re.search(r'(src|href)="(https?:)?//', page), "no CDN"
    client = served.client()
    for file in _files():
        response = client.get(f"/static/vendor/{file['path']}")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == file["sha256"]


def test_static_files_are_compressed_and_pages_are_not(served: Served) -> None:
    """CSS and scripts go gzipped; a page never does (its CSRF token beside reflected text: BREACH)."""
    client = served.client("aoife")
    css = client.get("/static/vendor/pico/pico.min.css", headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200 and css.headers["content-encoding"] == "gzip"
    page = client.get(f"/p/{served.a.project.key}/records?q=back", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and "content-encoding" not in page.headers
