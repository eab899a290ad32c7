"""HTTP as a till speaks it: JSON in and out, one keep-alive connection per thread, and a
connection that fails (server killed, Wi-Fi gone) reported as ``Unreachable``."""

from __future__ import annotations

import http.client
import json
import ssl
import threading
import urllib.parse


class Unreachable(Exception):
    """No answer: the server is down, restarting, or the network dropped the request."""


class Answer:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]):
        self.status, self.body, self.headers = status, body, headers

    def json(self):
        return json.loads(self.body) if self.body else None

    def __repr__(self) -> str:
        return f"<{self.status} {self.body[:200]!r}>"


class Client:
    """Requests to one of ``bases`` (two hosts behind a load balancer: the first that
    answers), with ``token`` as bearer."""

    def __init__(
        self,
        bases: list[str],
        token: str | None = None,
        timeout: float = 30,
        authority: str | None = None,
    ):
        """``authority``: the fair's own certificate authority (``/ca``), which this
        machine's store does not hold, for a server on HTTPS."""
        self.bases, self.token, self.timeout = list(bases), token, timeout
        self.authority = authority
        self._local = threading.local()
        self._context = ssl.create_default_context(cafile=authority)

    def signed_in(self, token: str) -> Client:
        """The same servers, as the holder of ``token``."""
        return Client(self.bases, token, self.timeout, self.authority)

    def _connection(self, base: str) -> http.client.HTTPConnection:
        connections = self._local.__dict__.setdefault("connections", {})
        if base not in connections:
            url = urllib.parse.urlsplit(base)
            if url.scheme == "https":
                connections[base] = http.client.HTTPSConnection(
                    url.netloc, timeout=self.timeout, context=self._context
                )
            else:
                connections[base] = http.client.HTTPConnection(url.netloc, timeout=self.timeout)
        return connections[base]

    def _drop(self, base: str) -> None:
        connection = self._local.__dict__.get("connections", {}).pop(base, None)
        if connection is not None:
            connection.close()

    def request(
        self,
        method: str,
        path: str,
        body=None,
        headers: dict[str, str] | None = None,
        prefer: int = 0,
    ) -> Answer:
        """One request; ``prefer`` picks the host tried first (a phone keeps to its own)."""
        sent = {"Accept": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        order = self.bases[prefer % len(self.bases) :] + self.bases[: prefer % len(self.bases)]
        for base in order:
            for _attempt in range(2):  # a kept-alive connection the server closed: once more
                connection = self._connection(base)
                try:
                    connection.request(method, path, body=data, headers=sent)
                    response = connection.getresponse()
                    answer = Answer(response.status, response.read(), dict(response.getheaders()))
                except (OSError, http.client.HTTPException):
                    self._drop(base)
                    continue
                if answer.status in (502, 503, 504):  # a proxy in front of a host restarting
                    break
                return answer
        raise Unreachable(f"{method} {path}")
