"""Every command's --help reads well in an 80-column terminal: nothing cut, wrapped or repeated."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from synthesist.cli.main import app

WIDTH = 80
# Rich draws panels with box characters; a paragraph is what is left once they are stripped.
_BOX_CHARACTERS = "│╭╮╰╯─"


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's path below ``command``, through the click command tree Typer builds."""
    yield path
    # Typer vendors click privately, so groups are told apart by what they can do, not by class.
    if hasattr(command, "list_commands"):
        context = command.make_context(path[-1] if path else "synthesist", [], resilient_parsing=True)
        for name in command.list_commands(context):
            sub_command = command.get_command(context, name)
            assert sub_command is not None, f"{' '.join((*path, name))} is listed but cannot be loaded"
            if not sub_command.hidden:
                yield from _command_paths(sub_command, (*path, name))


COMMAND_PATHS = sorted(_command_paths(get_command(app)))


@functools.cache
def _help_text(path: tuple[str, ...]) -> str:
    runner = CliRunner()
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH), "TERMINAL_WIDTH": str(WIDTH)})
    assert result.exit_code == 0, f"synthesist {' '.join(path)} --help failed:\n{result.output}"
    return result.output


def _paragraphs(help_text: str) -> list[str]:
    """The help's prose, one string per paragraph, with Rich's wrapping and panel borders undone."""
    paragraphs: list[list[str]] = [[]]
    for line in help_text.splitlines():
        text = line.strip().strip(_BOX_CHARACTERS).strip()
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [" ".join(words) for words in paragraphs if words]


def _description(help_text: str) -> str:
    """The text between the usage line and the first panel: the command's own help."""
    body = help_text.split("Usage:", 1)[1].split("\n", 1)[1]
    return body.split("╭", 1)[0]


def test_the_walk_finds_every_command_group_and_sub_command() -> None:
    assert ("import",) in COMMAND_PATHS
    assert ("screen", "decide") in COMMAND_PATHS
    assert len(COMMAND_PATHS) > 60


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "synthesist")
def test_help_fits_80_columns_and_says_everything_once(path: tuple[str, ...]) -> None:
    help_text = _help_text(path)
    name = "synthesist " + " ".join(path)

    too_wide = [line for line in help_text.splitlines() if len(line) > WIDTH]
    assert not too_wide, f"{name} --help has lines wider than {WIDTH} columns:\n" + "\n".join(too_wide)
    assert "…" not in help_text, f"{name} --help cuts text short:\n{help_text}"

    description = _description(help_text)
    assert "Example:" in description, f"{name} --help shows no example:\n{help_text}"

    paragraphs = _paragraphs(description)
    repeated = {paragraph for paragraph in paragraphs if paragraphs.count(paragraph) > 1}
    assert not repeated, f"{name} --help says this twice: {repeated}"


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "synthesist")
def test_help_paragraphs_run_on_without_hard_line_breaks(path: tuple[str, ...]) -> None:
    """Rich ends a line early only when the next word would not fit; any other short line is a
    line break forced by the docstring, which reads as a sentence cut in two."""
    lines = [line.strip() for line in _description(_help_text(path)).splitlines()]
    # the description is indented by one column on each side
    text_width = WIDTH - 2
    broken = [
        f"{line!r} / {next_line!r}"
        for line, next_line in itertools.pairwise(lines)
        if line and next_line and len(line) + 1 + len(next_line.split()[0]) <= text_width
    ]
    assert not broken, f"synthesist {' '.join(path)} --help breaks lines mid-sentence:\n" + "\n".join(broken)
