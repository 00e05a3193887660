"""Rewrite the browser tests' reference images and the README's screenshots of the web app, on purpose.

tests/web/test_browser_pages.py compares a screenshot of every page of the worked example, at 1400 and
375 px, with its reference image in tests/web/reference_pages/. After a change to how pages look, run

    .venv/bin/python scripts/refresh_screenshots.py

look at what changed (``git diff --stat tests/web/reference_pages docs/screenshots``, and the images
themselves), and commit the new references with the change that made them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    environment = {**os.environ, "SYNTHESIST_UPDATE_REFERENCE_IMAGES": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/web/test_browser_pages.py",
        "-k",
        "looks_as_its_reference",
    ]
    done = subprocess.run(command, cwd=REPO, env=environment, check=False)
    if done.returncode == 0:
        print("rewrote tests/web/reference_pages/ and docs/screenshots/web-*.png")
        print("review them: git diff --stat tests/web/reference_pages docs/screenshots")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
