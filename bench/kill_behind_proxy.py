"""Nothing acknowledged is lost when a running installation's app processes are killed.

    .venv/bin/python bench/kill_behind_proxy.py --url https://qujat.example.kz \
        --token ... --key individual_sign.p12 --client-cert egov.pem --client-key egov.key \
        [--ca-cert server-ca.pem] --server-pid N --database-url postgresql://... \
        [--documents 400] [--clients 8] [--sender EGOV]

The README's Production setup as it runs (nginx with mutual TLS in front of ``qujat
serve``, one ``qujat worker``, the queued intake): ``--clients`` portal threads post
``--documents`` signed appeals through ``--url``, and when half are acknowledged every
process of the gunicorn master ``--server-pid`` (its workers; the master starts new ones) is
killed with SIGKILL. A portal retries whatever got no answer or the proxy's 502/503/504 (the
same bytes: a retry), as a portal does. Then it waits, reading ``--database-url``, until the
worker has taken every one of these documents out of the queue, and checks that each
document answered 202 is there under the id the 202 named, in the state "received", with
one history entry and one delivered mark. Nothing is started or emptied; it prints the
counts and exits 1 on a loss, a document not received exactly once, or a 5xx from the app
itself (one with a JSON body).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import ssl
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import children as _children  # noqa: E402

PROXY_FAILURES = {502, 503, 504}  # the upstream died under the request: the portal retries


def _connection(url: str, args):
    parts = urlsplit(url)
    if parts.scheme == "http":
        return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
    context = ssl.create_default_context(cafile=args.ca_cert)
    if args.client_cert:
        context.load_cert_chain(args.client_cert, args.client_key)
    return http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=60,
                                       context=context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--sender", default="EGOV")
    parser.add_argument("--key", required=True, help="PKCS#12 the appeals are signed with")
    parser.add_argument("--password", default="Qwerty12")
    parser.add_argument("--client-cert")
    parser.add_argument("--client-key")
    parser.add_argument("--ca-cert")
    parser.add_argument("--server-pid", type=int, required=True, help="the gunicorn master")
    parser.add_argument("--database-url", required=True, help="the installation's database")
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    from qujat_demo.portal.documents import build, load_key, signed_bytes

    key = load_key(Path(args.key), args.password)
    run = f"KILL-{int(time.time())}"
    print(f"signing {args.documents} appeals…", flush=True)
    documents = [signed_bytes(build("appeal", seed=n + 1, signer=key, overrides={
        "sender_system": args.sender, "sender_document_id": f"{run}-{n:05d}"}), key)
        for n in range(args.documents)]
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/xml"}

    acknowledged: dict[int, int] = {}
    proxy_failures: list[int] = []
    app_errors: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    queue = list(range(args.documents))

    def portal() -> None:
        connection = None
        while True:
            with lock:
                if not queue:
                    return
                n = queue.pop(0)
            while True:  # a portal retries until it has an answer
                try:
                    connection = connection or _connection(args.url, args)
                    connection.request("POST", "/api/v1/documents", body=documents[n],
                                       headers=headers)
                    response = connection.getresponse()
                    status, body = response.status, response.read()
                except (OSError, http.client.HTTPException):  # reset, refused, cut off
                    connection = None
                    time.sleep(0.2)
                    continue
                with lock:
                    if status == 202:
                        acknowledged[n] = json.loads(body)["id"]
                        break
                    if status in PROXY_FAILURES and not body.lstrip().startswith(b"{"):
                        proxy_failures.append(status)
                        continue
                    (app_errors if status >= 500 else refused).append(
                        f"{n}: {status} {body[:200]!r}")
                    break

    threads = [threading.Thread(target=portal) for _ in range(args.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while len(acknowledged) < args.documents // 2 and any(t.is_alive() for t in threads):
        time.sleep(0.02)
    victims = _children(args.server_pid)
    with lock:
        at_kill = len(acknowledged)
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    print(f"killed {len(victims)} app processes with {at_kill} acknowledged", flush=True)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    from sqlalchemy import create_engine, text

    engine = create_engine(args.database_url)
    like = {"run": f"{run}-%"}
    waited = time.monotonic()
    with engine.connect() as connection:
        while connection.execute(text(
                "SELECT count(*) FROM documents WHERE sender_document_id LIKE :run "
                "AND state = 'pending'"), like).scalar():
            connection.rollback()
            time.sleep(0.2)
        drained = time.monotonic() - waited
        rows = connection.execute(text(
            "SELECT d.sender_document_id, d.id, d.state, "
            " (SELECT count(*) FROM history h WHERE h.document_id = d.id), "
            " (SELECT count(*) FROM history h WHERE h.document_id = d.id "
            "   AND h.action = 'receive'), "
            " (SELECT count(*) FROM marks m WHERE m.document_id = d.id), "
            " (SELECT count(*) FROM marks m WHERE m.document_id = d.id "
            "   AND m.kind = 'delivered') "
            "FROM documents d WHERE d.sender_document_id LIKE :run"), like).all()
    stored = {row[0]: row[1:] for row in rows}
    lost, not_once = [], []
    for n, document_id in sorted(acknowledged.items()):
        row = stored.get(f"{run}-{n:05d}")
        if row is None or row[0] != document_id:
            lost.append(f"{run}-{n:05d}")
        elif row[1:] != ("received", 1, 1, 1, 1):
            not_once.append(f"{run}-{n:05d}: {row}")
    received = sum(1 for row in stored.values() if row[1] == "received")
    print(f"{len(acknowledged)} of {args.documents} acknowledged (202) in {elapsed:.1f} s "
          f"with the app's {len(victims)} processes killed once; the proxy's 502/503/504 "
          f"retried: {len(proxy_failures)}; queue empty {drained:.1f} s after the last 202; "
          f"stored {len(stored)}, received {received}; lost {len(lost)}; "
          f"not received exactly once {len(not_once)}; app 5xx {len(app_errors)}; "
          f"refused {len(refused)}; load {os.getloadavg()[0]:.1f}")
    for item in (lost + not_once + app_errors + refused)[:10]:
        print("  ", item)
    return 1 if (lost or not_once or app_errors or refused
                 or len(acknowledged) != args.documents) else 0


if __name__ == "__main__":
    sys.exit(main())
