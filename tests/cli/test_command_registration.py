"""Commands are registered in one place per group, never as a side effect of importing a module: every
group lists the same sub-commands in the same order whatever was imported before it."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from synthesist.cli.command_table import ROOT_COMMANDS
from synthesist.cli.lazy import LazyCommand, load_command

_ROOT = Path(__file__).resolve().parents[2]
# The root app is the one module-level app: the groups are built by their packages' builders.
_ROOT_APP_MODULE = "synthesist.cli.main"


def _cli_modules() -> list[str]:
    package = importlib.import_module("synthesist.cli")
    return sorted(
        info.name
        for info in pkgutil.walk_packages(package.__path__, "synthesist.cli.")
        if info.name not in {"synthesist.cli.command_server"}  # its import preloads the whole CLI
    )


def test_no_module_holds_a_typer_app_of_its_own() -> None:
    """A module-level ``typer.Typer`` is what other modules used to attach commands to on import."""
    for name in _cli_modules():
        module = importlib.import_module(name)
        apps = [attribute for attribute, value in vars(module).items() if isinstance(value, typer.Typer)]
        assert apps == ([] if name != _ROOT_APP_MODULE else ["app"]), name


def _tree(spec: LazyCommand) -> Any:
    command: Any = load_command(spec, "markdown")
    if not hasattr(command, "commands"):
        return spec.name
    return [spec.name, _sub_tree(command)]


def _sub_tree(group: Any) -> list[Any]:
    return [
        [name, _sub_tree(sub)] if hasattr(sub, "commands") else name for name, sub in group.commands.items()
    ]


_REVERSED = """
import json, sys
from synthesist.cli.command_table import ROOT_COMMANDS
from tests.cli.test_command_registration import _tree
trees = {spec.name: _tree(spec) for spec in reversed(ROOT_COMMANDS)}
sys.__stdout__.write("\\nTREES " + json.dumps(trees) + "\\n")
"""


def test_each_group_lists_the_same_commands_whatever_was_loaded_first() -> None:
    forward = {spec.name: _tree(spec) for spec in ROOT_COMMANDS}
    done = subprocess.run([sys.executable, "-c", _REVERSED], capture_output=True, text=True, cwd=_ROOT)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("TREES "))
    assert json.loads(line.removeprefix("TREES ")) == forward
