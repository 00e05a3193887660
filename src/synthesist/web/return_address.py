"""Where a person goes after logging in: ``/login?next=/invite/…`` brings them back to the page
that sent them to log in (an invitation link, a review's page opened while signed out).

``next`` comes from the address bar, so anyone can craft it: only a path on this site is followed.
A value that a browser could read as another site is refused — ``//host`` and ``/\\host`` (both
taken as "same scheme, other host"), any scheme (``https:``, ``javascript:``), and control
characters (browsers drop tabs and newlines, so ``/\\t/host`` would become ``//host``) — and the
person then lands on the home page, as without ``next``.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

__all__ = ["login_address", "safe_next"]

_MAX_LENGTH = 2000


def safe_next(value: str | None) -> str | None:
    """``value`` when it is a path on this site (one leading ``/``), else None."""
    if not value or len(value) > _MAX_LENGTH:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def login_address(next_path: str | None) -> str:
    """``/login``, with ``?next=`` when ``next_path`` is safe to return to (and is not the login
    page itself)."""
    safe = safe_next(next_path)
    if safe is None or safe == "/" or urlsplit(safe).path in ("/login", "/logout"):
        return "/login"
    return "/login?" + urlencode({"next": safe})
