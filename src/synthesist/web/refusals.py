"""A refusal as a page says it beside its field: the service's message, then its hint. The message
is the command line's, word for word: it is not capitalised, since it often starts with a name the
person chose (``scan.pdf: is not a PDF``, ``aoife already coded ...``)."""

from __future__ import annotations

from synthesist.errors import UserError

__all__ = ["said"]


def said(refused: UserError) -> str:
    message = refused.message if refused.message.endswith((".", "?", "!")) else f"{refused.message}."
    return f"{message} {refused.hint}" if refused.hint else message
