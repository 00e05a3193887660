"""Vendor the web app's front-end packages: Pico CSS (the semantic CSS foundation under app.css) and htmx;
and, for the tests only, axe-core (the accessibility rules the browser tests inject into each page).

Each package is pinned below. The script asks npm for the version's published ``dist.integrity``,
downloads the tarball with ``npm pack``, checks the tarball's sha512 against that integrity itself (so a
tampered or swapped file is refused even if a cache served it), and copies only the files the app needs,
with the package's licence, into ``src/synthesist/web/static/vendor/<name>/`` (the app's) or
``tests/web/vendor/<name>/`` (the tests'). It then writes each folder's ``manifest.json``: package,
version, integrity and the sha256 of every file copied, which tests/web/test_vendor_assets.py checks
against the committed files.

The vendored files are committed: the app needs no Node.js at run time and loads nothing from a CDN.
Node.js and npm are needed only to run this script (``make vendor-web``), when a pin changes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_VENDOR = REPO / "src" / "synthesist" / "web" / "static" / "vendor"
# Test-only packages stay out of the package (and the wheel): the app never serves them.
TEST_VENDOR = REPO / "tests" / "web" / "vendor"


@dataclass(frozen=True)
class Pin:
    package: str  # the npm package name
    version: str  # exact: bump it here and re-run the script
    folder: str  # under vendor/
    files: dict[str, str]  # path in the tarball (under package/) -> name in the folder
    vendor: Path = APP_VENDOR


PINS = [
    # Pico CSS 2: styles plain semantic HTML (forms, tables, <details>, <dialog>, <progress>) in light
    # and dark; app.css sets its variables from the design tokens and adds the components.
    Pin("@picocss/pico", "2.1.1", "pico", {"css/pico.min.css": "pico.min.css", "LICENSE.md": "LICENSE.md"}),
    # htmx 2 (the maintained 2.x line; 4.x is a new rewrite): partial page updates for pages that
    # opt in with hx-* attributes; every form still works without it.
    Pin("htmx.org", "2.0.11", "htmx", {"dist/htmx.min.js": "htmx.min.js", "LICENSE": "LICENSE"}),
    # axe-core: the rules behind tests/web/test_browser_pages.py's "no serious or critical violation".
    Pin("axe-core", "4.14.1", "axe-core", {"axe.min.js": "axe.min.js", "LICENSE": "LICENSE"}, TEST_VENDOR),
]


def _npm(*args: str, cwd: Path | None = None) -> str:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to vendor the web assets (apt-get install npm)")
    done = subprocess.run([npm, *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def published_integrity(pin: Pin) -> str:
    """The registry's ``dist.integrity`` for the pinned version (an SRI string, ``sha512-<base64>``)."""
    found = json.loads(_npm("view", f"{pin.package}@{pin.version}", "dist.integrity", "--json"))
    if not isinstance(found, str) or not found.startswith("sha512-"):
        sys.exit(f"{pin.package}@{pin.version}: the registry gave no sha512 integrity ({found!r})")
    return found


def verify_integrity(tarball: Path, integrity: str) -> None:
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode("ascii")
    if f"sha512-{digest}" != integrity:
        sys.exit(f"{tarball.name}: sha512 does not match the registry's integrity {integrity}")


def download(pin: Pin, into: Path) -> Path:
    out = json.loads(_npm("pack", f"{pin.package}@{pin.version}", "--json", "--pack-destination", str(into)))
    return into / out[0]["filename"]


def extract(pin: Pin, tarball: Path) -> list[dict[str, str]]:
    target = pin.vendor / pin.folder
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    files = []
    with tarfile.open(tarball, "r:gz") as archive:
        for inside, name in pin.files.items():
            member = archive.getmember(f"package/{inside}")
            handle = archive.extractfile(member)
            if handle is None:
                sys.exit(f"{pin.package}: {inside} is not a file in the tarball")
            data = handle.read()
            (target / name).write_bytes(data)
            files.append({"path": f"{pin.folder}/{name}", "sha256": hashlib.sha256(data).hexdigest()})
    return files


def main() -> None:
    entries: dict[Path, list[dict[str, object]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for pin in PINS:
            integrity = published_integrity(pin)
            tarball = download(pin, Path(scratch))
            verify_integrity(tarball, integrity)
            files = extract(pin, tarball)
            entries.setdefault(pin.vendor, []).append(
                {"package": pin.package, "version": pin.version, "integrity": integrity, "files": files}
            )
            print(f"{pin.package}@{pin.version}: {len(files)} files, integrity verified")
    for vendor, packages in entries.items():
        manifest = vendor / "manifest.json"
        manifest.write_text(json.dumps({"packages": packages}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {manifest.relative_to(REPO)}")


if __name__ == "__main__":
    main()
