"""Offline Google API plumbing for the connector tests: scripted HTTP answers and built services."""

from __future__ import annotations

import json
from email.parser import Parser
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from googleapiclient.http import HttpMockSequence

from connectors.google.auth import build_service

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "google"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def ok(body: str | dict) -> tuple[dict, str]:
    return {"status": "200", "content-type": "application/json; charset=UTF-8"}, (
        body if isinstance(body, str) else json.dumps(body)
    )


def error(status: int, message: str, reason: str | None = None, details_reason: str | None = None) -> tuple[dict, str]:
    """A Google error body: v1 style `errors[].reason` and/or v2 style `details[].reason`."""
    detail: dict = {"code": status, "message": message}
    if reason:
        detail["errors"] = [{"message": message, "domain": "global", "reason": reason}]
    if details_reason:
        detail["status"] = "FAILED_PRECONDITION"
        detail["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": details_reason}]
    return {"status": str(status), "content-type": "application/json; charset=UTF-8"}, json.dumps({"error": detail})


class ScriptedHttp(HttpMockSequence):
    """HttpMockSequence whose answers may also be callables of the request (for batch replies)."""

    def request(self, uri, method="GET", body=None, headers=None, redirections=1, connection_type=None):
        answer = self._iterable[0]
        if callable(answer):
            self._iterable[0] = answer(uri, method, body, headers)
        return super().request(uri, method, body, headers, redirections, connection_type)

    def queries(self) -> list[dict[str, list[str]]]:
        """The query parameters of every request made, in order."""
        return [parse_qs(urlparse(uri).query) for uri, *_ in self.request_sequence]


def batch_reply(answers: dict[str, tuple[int, str | dict]]):
    """A batch answer: each part of the multipart request is answered by `answers[<message id>]`."""

    def reply(uri, method, body, headers):
        request = Parser().parsestr(f"Content-Type: {headers['content-type']}\r\n\r\n{body}")
        parts = []
        for part in request.get_payload():
            content_id = part["Content-ID"].strip("<>")
            path = part.get_payload().split(" ", 2)[1]
            message_id = urlparse(path).path.rsplit("/", 1)[1]
            status, payload = answers[message_id]
            text = payload if isinstance(payload, str) else json.dumps(payload)
            parts.append(
                f"--BATCH_BOUNDARY\r\nContent-Type: application/http\r\nContent-ID: <response-{content_id}>\r\n\r\n"
                f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                f"Content-Type: application/json; charset=UTF-8\r\n\r\n{text}\r\n"
            )
        multipart = "".join(parts) + "--BATCH_BOUNDARY--\r\n"
        return {"status": "200", "content-type": "multipart/mixed; boundary=BATCH_BOUNDARY"}, multipart

    return reply


@pytest.fixture
def google():
    """`google(api, version, answers)` -> (service, http) over scripted answers, with no network."""

    def make(api: str, version: str, answers: list):
        http = ScriptedHttp(list(answers))
        return build_service(api, version, http=http), http

    return make


@pytest.fixture
def sleeps():
    """The waits asked for; pass `sleep=sleeps.append` so nothing really sleeps."""
    return []
