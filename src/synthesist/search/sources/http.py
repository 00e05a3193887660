"""The HTTP client every source shares: timeouts, a polite request rate, retries with back-off.

Free bibliographic APIs ask clients to keep to a rate (PubMed: 3 requests a second, 10 with an API
key) and answer 429 or 503 when they are busy, often with ``Retry-After``. A search of thousands of
records must ride through that, so a request is retried on 429, 5xx and network errors, waiting
``Retry-After`` when the server says how long and an exponential back-off otherwise. When the
retries run out, :class:`SourceUnavailable` is raised and the run stays resumable. An answer that is
not what the API documents (not JSON, a field missing) is a :class:`MalformedResponse` naming the
source and what was wrong: retrying would not help.

``sleep`` and ``clock`` are injectable so tests replay recorded responses without waiting.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from synthesist import __version__
from synthesist.errors import MalformedResponse, SourceError, SourceUnavailable

__all__ = [
    "HttpClient",
    "RetryPolicy",
    "require",
]

Sleep = Callable[[float], None]
Clock = Callable[[], float]
Params = Mapping[str, str | int]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # the first try and four retries
    first_wait: float = 1.0  # seconds; doubled on each retry when the server gives no Retry-After
    longest_wait: float = 60.0


_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpClient:
    """Requests to one source, at most ``per_second`` of them a second."""

    def __init__(
        self,
        source: str,
        *,
        per_second: float,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        timeout: float = 30.0,
        email: str | None = None,
    ) -> None:
        self.source = source
        self._interval = 1.0 / per_second
        self._retry = retry
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        agent = f"Synthesist/{__version__} (systematic review software" + (
            f"; mailto:{email})" if email else ")"
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=10.0),
            headers={"User-Agent": agent},
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def get_json(self, url: str, params: Params) -> Any:
        response = self._get(url, params)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise MalformedResponse(
                f"{self.source}: the answer to {url} is not valid JSON ({error})",
                hint="The service may be having trouble; the run is kept, resume it later.",
            ) from None

    def get_text(self, url: str, params: Params) -> str:
        return self._get(url, params).text

    def _get(self, url: str, params: Params) -> httpx.Response:
        problem = ""
        for attempt in range(self._retry.attempts):
            self._keep_rate()
            try:
                response = self._client.get(url, params=dict(params))
            except httpx.TransportError as error:
                problem = f"network error: {error.__class__.__name__} {error}".strip()
                wait = self._backoff(attempt)
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in _RETRY_STATUSES:
                    raise SourceError(
                        f"{self.source}: HTTP {response.status_code} from {url}: {_excerpt(response.text)}",
                        hint="Check the query and the options (API key, e-mail); the run is kept.",
                    )
                problem = f"HTTP {response.status_code}"
                wait = _retry_after(response) or self._backoff(attempt)
            if attempt + 1 < self._retry.attempts:
                self._sleep(min(wait, self._retry.longest_wait))
        raise SourceUnavailable(
            f"{self.source}: {problem} after {self._retry.attempts} attempts ({url})",
            hint="The service is busy or down. The pages fetched so far are kept; "
            "continue later with `synthesist search run --resume RUN`.",
        )

    def _keep_rate(self) -> None:
        now = self._clock()
        if self._last_request is not None:
            gap = self._last_request + self._interval - now
            if gap > 0:
                self._sleep(gap)
                now += gap
        self._last_request = now

    def _backoff(self, attempt: int) -> float:
        return float(self._retry.first_wait * 2**attempt)


def _retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds, given either as seconds or as an HTTP date (RFC 9110)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _excerpt(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def require(source: str, data: Any, *path: str | int) -> Any:
    """``data[path[0]][path[1]]...``, or a :class:`MalformedResponse` saying which field is missing."""
    current = data
    walked: list[str] = []
    for key in path:
        walked.append(str(key))
        try:
            current = current[key]
        except (KeyError, IndexError, TypeError):
            raise MalformedResponse(
                f"{source}: the answer has no {'.'.join(walked)!r} field",
                hint="The service's answer was not in its documented format; the run is kept, "
                "resume it later. If this persists, the API may have changed: please report it.",
            ) from None
    return current
