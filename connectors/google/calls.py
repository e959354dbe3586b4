"""Executes Google API requests with backoff on rate limits and server errors, and reads error reasons."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from googleapiclient.errors import HttpError

Sleep = Callable[[float], None]

ATTEMPTS = 6  # waits 1, 2, 4, 8, 16 s before giving up
_RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}


def error_reasons(error: HttpError) -> set[str]:
    """The machine-readable reasons of a Google error body: v1 `errors[].reason`, v2 `details[].reason`, `status`."""
    try:
        body = json.loads(error.content)
    except (TypeError, ValueError):
        return set()
    detail = body.get("error") if isinstance(body, dict) else None
    if not isinstance(detail, dict):
        return set()
    entries = [*detail.get("errors", []), *detail.get("details", [])]
    reasons = {entry["reason"] for entry in entries if isinstance(entry, dict) and "reason" in entry}
    if isinstance(detail.get("status"), str):
        reasons.add(detail["status"])
    return reasons


def is_retryable(error: HttpError) -> bool:
    """True for errors that go away by waiting: 5xx, 429, and 403 with a rate-limit reason."""
    status = error.status_code
    if status >= 500 or status == 429:
        return True
    return status == 403 and bool(error_reasons(error) & _RATE_LIMIT_REASONS)


def backoff_seconds(attempt: int) -> float:
    """The wait before retry number `attempt` (0-based): exponential, capped at a minute."""
    return float(min(2**attempt, 60))


def execute(request, sleep: Sleep = time.sleep):
    """`request.execute()`, retried with exponential backoff while the error is retryable."""
    attempt = 0
    while True:
        try:
            return request.execute()
        except HttpError as error:
            if attempt == ATTEMPTS - 1 or not is_retryable(error):
                raise
            sleep(backoff_seconds(attempt))
            attempt += 1


def describe(error: HttpError) -> str:
    """A short reason for a Reject: the HTTP status and Google's message, without the request URI."""
    return f"HTTP {error.status_code}: {error.reason}"
