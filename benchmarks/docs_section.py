"""What every benchmark shares: a line describing the machine, and writing its section of
``docs/benchmarks.md`` between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers (appended when
the markers are absent; the rest of the file is kept as it is)."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["machine", "measured_on", "write_section"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {python}, {platform.system()}"


def measured_on() -> str:
    """``Measured 2026-11-26 on 2 cores (...)``."""
    return f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine()}"


def write_section(path: Path, name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
