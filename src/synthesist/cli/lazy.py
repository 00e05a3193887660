"""Sub-commands that import their module only when they run, so every command starts at once.

The root group knows each command's name, the module that defines it and its one-line summary. The
summary is all that ``synthesist --help`` shows, so the help lists every command without importing any
of them; running a command (or its own ``--help``) imports its module, and with it the libraries that
command needs (scikit-learn for screening, the web stack for ``serve``...). ``tests/cli`` checks the
summaries against the commands' own help.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperCommand
from typer.main import get_group

from synthesist.cli.errors import ErrorMappingGroup

if TYPE_CHECKING:  # Typer vendors click privately; its classes are only needed for the hints
    from typer._click import Command, Context, HelpFormatter
    from typer.core import MarkupMode

__all__ = ["LazyCommand", "LazyGroup", "load_command"]

_CLI_PACKAGE = "synthesist.cli"


@dataclass(frozen=True)
class LazyCommand:
    """One command of the root group.

    ``module`` is relative to ``synthesist.cli``. ``attribute`` names a function of it: ``register``,
    whose ``register(app)`` adds plain commands (``init``, ``status``...), or a group's builder
    (``screen_app``, ``users_app``...), which returns the group's ``typer.Typer`` with every
    sub-command registered.
    """

    name: str
    module: str
    attribute: str
    summary: str


def load_command(spec: LazyCommand, rich_markup_mode: MarkupMode) -> Command:
    """Import the command's modules and build its click command, as ``app.add_typer`` would have."""
    module = importlib.import_module(f"{_CLI_PACKAGE}.{spec.module}")
    # Typer hands the root app's markup mode down to the commands it builds: do the same.
    holder = typer.Typer(rich_markup_mode=rich_markup_mode, pretty_exceptions_enable=False)
    if spec.attribute == "register":
        module.register(holder)
    else:
        holder.add_typer(getattr(module, spec.attribute)(), name=spec.name)
    command = get_group(holder).commands.get(spec.name)
    if command is None:
        raise LookupError(f"{spec.module}.{spec.attribute} does not define the command {spec.name!r}")
    return command


class _Summary(TyperCommand):
    """What ``--help`` lists for a command not imported yet: its name and summary, nothing to run."""

    def __init__(self, spec: LazyCommand) -> None:
        super().__init__(spec.name, help=spec.summary)


class _LazyCommands(MutableMapping[str, "Command"]):
    """``TyperGroup.commands``: names and order known up front, each command built on first access."""

    def __init__(self, specs: tuple[LazyCommand, ...], rich_markup_mode: MarkupMode) -> None:
        self._specs = {spec.name: spec for spec in specs}
        self._rich_markup_mode = rich_markup_mode
        self._loaded: dict[str, Command] = {}

    def spec(self, name: str) -> LazyCommand | None:
        return self._specs.get(name) if name not in self._loaded else None

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            self._loaded[name] = load_command(self._specs[name], self._rich_markup_mode)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._specs.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._specs
        yield from (name for name in self._loaded if name not in self._specs)

    def __len__(self) -> int:
        return len(self._specs.keys() | self._loaded.keys())


class LazyGroup(ErrorMappingGroup):
    """The root group: subclasses set ``lazy_commands``; Typer passes no commands of its own."""

    lazy_commands: ClassVar[tuple[LazyCommand, ...]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        lazy = _LazyCommands(self.lazy_commands, self.rich_markup_mode)
        for name, command in self.commands.items():
            lazy[name] = command
        self.commands = lazy
        self._listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # TyperGroup's own reads .items(), which would build every command

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        lazy = self.commands
        if self._listing and isinstance(lazy, _LazyCommands) and (spec := lazy.spec(cmd_name)) is not None:
            return _Summary(spec)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        # The listing needs each command's name and summary only: do not import them for it.
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
