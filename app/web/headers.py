"""What every answer tells the browser: the security headers, in one place.

Pages get a Content-Security-Policy that allows the site's own scripts and style sheets
only (the templates have no inline script or style; tests/web/test_security_headers.py
keeps it so), machine answers one that allows nothing, and nothing is ever framed. Every
answer but a static file is ``no-store``: a desk page, a download and an API answer all
carry personal data, and a shared computer's cache must not keep them.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: the desk's pages: our own files only; no plugins, no <base>, forms post to us
PAGE_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'none'")
#: JSON and anything else that is data, not a page: nothing may run or load
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
#: a PDF the browser shows inline: its viewer is the browser's own, only framing is ours
#: to forbid (a stricter policy on the PDF itself would break some browsers' viewers)
PDF_POLICY = "frame-ancestors 'none'"


def _policy(response: Response) -> str:
    if response.mimetype == "text/html":
        return PAGE_POLICY
    if response.mimetype == "application/pdf":
        return PDF_POLICY
    return DATA_POLICY


def secure_headers(response: Response) -> Response:
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    # a view that set its own policy (a download: "sandbox") keeps it, never framed
    policy = headers.get("Content-Security-Policy")
    if policy is None:
        headers["Content-Security-Policy"] = _policy(response)
    elif "frame-ancestors" not in policy:
        headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(secure_headers)
