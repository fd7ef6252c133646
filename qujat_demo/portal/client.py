"""An HTTP client of the intake API, as a portal would hold one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests


class PortalError(Exception):
    """Raised when the back office answers with an error; ``status`` and ``body`` tell why."""

    def __init__(self, status: int, body: dict[str, Any] | str):
        message = body.get("message", body) if isinstance(body, dict) else body
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Tls:
    """How a portal speaks HTTPS to the back office's reverse proxy: its client certificate
    and key (PEM files) for mutual TLS, and the CA file that vouches for the server (None:
    the system's CAs)."""

    client_cert: str | None = None
    client_key: str | None = None
    server_ca: str | None = None


@dataclass
class PortalClient:
    base_url: str
    token: str
    timeout: float = 60.0
    tls: Tls = Tls()

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {self.token}"
        # given with every request: requests lets REQUESTS_CA_BUNDLE override a session's
        # own `verify`, not a request's
        tls = self.tls
        self._tls: dict[str, Any] = {"verify": tls.server_ca or True}
        if tls.client_cert:
            self._tls["cert"] = ((tls.client_cert, tls.client_key) if tls.client_key
                                 else tls.client_cert)

    def send(self, xml: bytes) -> dict[str, Any]:
        """Post a signed document; the answer carries our id and the signed delivery mark."""
        response = self._session.post(
            f"{self.base_url}/api/v1/documents", data=xml,
            headers={"Content-Type": "application/xml"}, timeout=self.timeout, **self._tls,
        )
        return self._json(response)

    def marks(self, *, since: int = 0, limit: int = 100) -> dict[str, Any]:
        response = self._session.get(
            f"{self.base_url}/api/v1/marks", params={"since": since, "limit": limit},
            timeout=self.timeout, **self._tls,
        )
        return self._json(response)

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = response.text
        if response.status_code >= 400:
            raise PortalError(response.status_code, body)
        return body
