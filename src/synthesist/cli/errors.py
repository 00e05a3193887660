"""The CLI's one error mapper: user errors become a message and a non-zero exit; bugs say so."""

from __future__ import annotations

import json
import os
import traceback
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from synthesist.cli.safe_console import SafeConsole
from synthesist.errors import UserError

__all__ = ["INTERNAL_ERROR_EXIT", "ErrorMappingGroup"]

INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE
_stderr = SafeConsole(stderr=True, highlight=False, soft_wrap=True)  # messages quote stored text


def _asked_for_json(ctx: Any) -> bool:
    """Whether the command line holds ``--json`` (the root group sees the whole of it)."""
    return "--json" in (*getattr(ctx, "_protected_args", ()), *ctx.args)


class ErrorMappingGroup(TyperGroup):
    """Root command group: every sub-command runs inside :meth:`invoke`, so this is the one place."""

    def invoke(self, ctx: Any) -> Any:  # click's Context, which Typer vendors privately
        wants_json = _asked_for_json(ctx)  # read now: click empties the arguments as it dispatches
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except UserError as error:
            _stderr.print(f"[bold red]Error:[/] {escape(error.message)}")
            if error.hint:
                _stderr.print(escape(error.hint))
            if wants_json:  # a script reading stdout gets the web app's error shape
                print(json.dumps({"error": error.message, "hint": error.hint}, ensure_ascii=False))
            raise typer.Exit(error.exit_code) from None
        except BrokenPipeError:
            # the reader went away (`synthesist ... | head`): not an error of ours or the user's.
            # Point stdout at /dev/null so Python's own flush at exit does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            _stderr.print("Interrupted; nothing of the interrupted step was saved.")
            raise typer.Exit(130) from None
        except Exception as error:  # a bug: say so, show where, keep the exit code distinct
            _stderr.print(
                f"[bold red]Internal error[/] (a bug in Synthesist, not in your data): "
                f"{escape(type(error).__name__)}: {escape(str(error))}"
            )
            if os.environ.get("SYNTHESIST_DEBUG"):
                _stderr.print(escape(traceback.format_exc()))
            else:
                _stderr.print("Run again with SYNTHESIST_DEBUG=1 to see the traceback, and please report it.")
            raise typer.Exit(INTERNAL_ERROR_EXIT) from None
