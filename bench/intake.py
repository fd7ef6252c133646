"""Intake throughput over HTTP against ``qujat serve``, with bare signxml as the yardstick.

    .venv/bin/python bench/intake.py --database-url postgresql://.../scratch [--documents 300]
                                     [--clients 1,4,8] [--workers N] [--threads T]
                                     [--modes synchronous,queued] [--verify-workers 1]
    .venv/bin/python bench/intake.py --in-process [--documents 200]
    .venv/bin/python bench/intake.py --url https://qujat.example.kz --token ... \
        --key individual_sign.p12 [--client-cert egov.pem --client-key egov.key]
        [--ca-cert server-ca.pem] [--reference-url http://127.0.0.1:8000] [--server-pid N]

The default run measures each intake mode in turn (QUJAT_INTAKE_MODE: the synchronous
intake, then the queued one), in one invocation: it starts ``qujat serve`` (gunicorn, the
demo PKI's configuration) on the given database, EMPTIED FIRST (point it at a scratch
database), and for the queued mode ``--verify-workers`` ``qujat worker`` processes, has N
portal threads post ``--documents`` signed 5 KB RSA appeals each over keep-alive
connections, and prints per mode and N: documents accepted per second (the 202s), p50/p99
latency, documents per second until the last one is received with its signed delivered
mark (for the queued mode: until the workers have emptied the queue), and the CPU per
document of gunicorn's processes and the workers' together (read from /proc before and
after; the share of each apart, and PostgreSQL's backends for the database beside it) as a
ratio to bare signxml verifying the same documents in this process, measured before and
after the runs. Beside them, the floors of the same run: gunicorn serving a view that only
reads the POST (bench/floor_app.py) and the RSA signing of one delivered mark, what any
intake over this stack pays whatever it does. Absolute figures depend on the machine; the
ratios are the point.

``--url`` measures a running installation instead (the README's Production setup, say):
nothing is emptied or started; documents signed with ``--key`` go to ``--url`` (through
the reverse proxy, with the portal's client certificate) and, in the same run, to
``--reference-url`` (the same app without the proxy), N portals at a time. To a plain
``http://`` reference the portal's ``--client-cert`` goes in the ``X-SSL-Client-Cert``
header, as nginx forwards it, so a sender with a pinned certificate is accepted there too.

``--in-process`` runs the older rows instead (Flask's test client, no HTTP, SQLite):
intake against bare signxml for one document at a time, the 10 MB document with the peak
memory of each, and the GOST rows (appeals signed with the GOST 34.10-2015 individual key
against the same appeals signed with RSA, in turn: our verifier alone, the full intake
path, and the 10 MB document; each GOST row once per GOST verifier that works here,
OpenSSL, gmpy2 and Python's integers, as ``curve.verifying_with`` forces them).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import children as _children  # noqa: E402


def _app(work: Path, pki):
    from app import create_app
    from app.auth.models import Role
    from app.auth.service import create_user
    from app.documents.senders import add_sender
    from app.extensions import db
    from app.setup import create_schema, seed_journals

    app = create_app({
        "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}",
        "QUJAT_BLOB_DIR": str(work / "blobs"),
        "QUJAT_TRUST_ANCHORS": [str(p) for p in _family_files(pki, "citizen_root")],
        "QUJAT_INTERMEDIATES": [str(p) for p in _family_files(pki, "citizen_ca")],
        "QUJAT_CRLS": [str(p) for name in ("citizen_crl", "citizen_root_crl")
                       for p in _family_files(pki, name)],
        "QUJAT_SYSTEM_KEY": str(pki.keys["system_sign"].path),
        "QUJAT_SYSTEM_KEY_PASSWORD": pki.password,
    })
    with app.app_context():
        create_schema()
        seed_journals()
        add_sender(code="EGOV", name="egov", token="bench-token")
        create_user(login="clerk", full_name="c", password="benchbench", roles=[Role.CLERK])
        db.session.commit()
    return app


def _family_files(pki, name: str) -> list[Path]:
    """The RSA family's file and, when the demo PKI has one, the GOST family's."""
    return [p for p in (getattr(pki, name), getattr(pki, f"gost_{name}", None)) if p]


def _documents(pki, count: int, *, attachment_bytes: int = 0,
               role: str = "individual_sign", batch: str = "B") -> list[bytes]:
    import dataclasses
    import os

    from app.formats.model import Attachment
    from qujat_demo.portal.documents import build, load_key, signed_bytes

    key = load_key(pki.keys[role].path, pki.password)
    out = []
    for n in range(count):
        document = build("appeal", seed=n + 1, signer=key, overrides={
            "sender_system": "EGOV",
            "sender_document_id": f"{batch}-{role}-{attachment_bytes}-{n:06d}"})
        if attachment_bytes:
            blob = os.urandom(attachment_bytes)
            document = dataclasses.replace(document, attachments=(
                Attachment.of(file_name="scan.bin", media_type="application/octet-stream",
                              content=blob),))
        out.append(signed_bytes(document, key))
    return out


def _bare_signxml(documents: list[bytes], certificate_pem: bytes) -> list[float]:
    from lxml import etree
    from signxml import XMLVerifier

    # signxml's own parser refuses text nodes over 10 MB; give it a huge_tree one, parsed
    # inside the timing, so the reference does the same work as our intake's first step
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    times = []
    for xml in documents:
        start = time.perf_counter()
        XMLVerifier().verify(etree.fromstring(xml, parser), x509_cert=certificate_pem)
        times.append(time.perf_counter() - start)
    return times


def _floor(documents: list[bytes], certificate_pem: bytes) -> list[float]:
    """What any verifier must do at least: parse, canonicalize, hash."""
    import hashlib

    from lxml import etree

    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    times = []
    for xml in documents:
        start = time.perf_counter()
        root = etree.fromstring(xml, parser)
        hashlib.sha256(etree.tostring(root, method="c14n")).digest()
        times.append(time.perf_counter() - start)
    return times


def _intake(app, documents: list[bytes], *, cpu: list[float] | None = None) -> list[float]:
    """Wall time per document; with ``cpu``, this thread's CPU time per document too."""
    client = app.test_client()
    headers = {"Authorization": "Bearer bench-token"}
    times = []
    for xml in documents:
        start, start_cpu = time.perf_counter(), time.thread_time()
        response = client.post("/api/v1/documents", data=xml, headers=headers,
                               content_type="application/xml")
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.thread_time() - start_cpu)
        assert response.status_code == 202, response.text
    return times


def _verify_only(app, documents: list[bytes], *, cpu: list[float] | None = None) -> list[float]:
    """Our verifier alone (parse, schema-free signature checks, chain, CRL), no HTTP or DB;
    wall time per document, and with ``cpu`` this thread's CPU time too."""
    from datetime import UTC, datetime

    from app.trust import build_policy
    from app.xmlsig.report import Indication
    from app.xmlsig.verifier import verify_bytes

    policy, now = build_policy(app.config), datetime.now(UTC)
    times = []
    for xml in documents:
        start, start_cpu = time.perf_counter(), time.thread_time()
        result = verify_bytes(xml, policy=policy, at=now)
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.thread_time() - start_cpu)
        assert result.report.indication is Indication.PASSED, result.report.to_dict()
    return times


def _alternating(fn, app, gost: dict[str, list[bytes]], rsa: list[bytes]):
    """GOST documents under each GOST verifier and RSA documents in turn, so that warm-up
    and machine load weigh on all alike: ({verifier: (wall, cpu)}, (wall, cpu))."""
    from app.xmlsig.gost import curve

    gost_times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in gost}
    rsa_times: tuple[list[float], list[float]] = ([], [])
    for index, rsa_xml in enumerate(rsa):
        for name, documents in gost.items():
            with curve.verifying_with(name):
                wall, cpu = gost_times[name]
                wall += fn(app, [documents[index]], cpu=cpu)
        rsa_times[0].extend(fn(app, [rsa_xml], cpu=rsa_times[1]))
    return gost_times, rsa_times


def _compare(name: str, gost: dict[str, tuple[list[float], list[float]]],
             rsa: tuple[list[float], list[float]]) -> None:
    """Medians of wall time and of CPU time (the machine may be shared: the CPU time leaves
    out the waits for other processes), each with its GOST/RSA ratio."""
    for clock, which in (("wall", 0), ("CPU", 1)):
        rsa_med = statistics.median(rsa[which])
        cells = "   ".join(f"{verifier} {statistics.median(t[which]) * 1000:7.2f} ms "
                           f"({statistics.median(t[which]) / rsa_med:4.2f}x)"
                           for verifier, t in gost.items())
        print(f"{name:<28} {clock:<4} GOST {cells}   RSA {rsa_med * 1000:7.2f} ms")


def _peak(fn, *args) -> tuple[list[float], int]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, peak


def _row(name: str, ours: list[float], ref: list[float]) -> None:
    ours_med, ref_med = statistics.median(ours), statistics.median(ref)
    print(f"{name:<28} intake {1 / ours_med:8.1f}/s (median {ours_med * 1000:7.2f} ms)   "
          f"reference {1 / ref_med:8.1f}/s (median {ref_med * 1000:7.2f} ms)   "
          f"time ratio {ours_med / ref_med:5.1f}x")


def in_process(args) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    from qujat_demo.pki import init_demo_pki

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pki = init_demo_pki(work / "pki")
        app = _app(work, pki)
        cert_pem = pki.open_key("individual_sign").cert.certificate.public_bytes(Encoding.PEM)

        small = _documents(pki, args.documents)
        print(f"{len(small)} signed appeals of {statistics.median(map(len, small)) / 1024:.1f} KB")
        _row("5 KB appeal", _intake(app, small), _bare_signxml(small, cert_pem))

        big = _documents(pki, 3, attachment_bytes=10 * 1024 * 1024)
        print(f"\n3 documents of {len(big[0]) / 1024 / 1024:.1f} MB (10 MB of attachments)")
        ours, ours_peak = _peak(_intake, app, big)
        try:
            _bare_signxml(big[:1], cert_pem)
            print("bare signxml verified the 10 MB document")
        except Exception as exc:  # the trap the issue names: signxml re-parses without huge_tree
            print(f"bare signxml cannot verify it: {type(exc).__name__}: {str(exc)[:70]}")
        ref, ref_peak = _peak(_floor, big, cert_pem)
        _row("10 MB vs parse+C14N+SHA256", ours, ref)
        print(f"{'peak Python memory':<28} intake {ours_peak / 2**20:8.1f} MB   "
              f"floor {ref_peak / 2**20:8.1f} MB   ratio {ours_peak / ref_peak:5.1f}x")

        if "gost_individual_sign" not in pki.keys:
            print("\nno GOST family in the demo PKI: GOST rows skipped")
            return
        from app.xmlsig import gost
        from app.xmlsig.gost import curve

        verifiers = curve.available_verifiers()
        print(f"\nGOST 34.10-2015 512 bit, Streebog-512 "
              f"{'in C (OpenSSL gost provider)' if gost.fast_path_available() else 'in PYTHON'}"
              f"; the signature checked by each GOST verifier here ({', '.join(verifiers)}; "
              f"{verifiers[0]} by default); medians of wall and of CPU time, (x): GOST/RSA "
              f"in the same run")
        role, ten_mb = "gost_individual_sign", 10 * 1024 * 1024

        def gost_documents(count: int, attachment_bytes: int = 0) -> dict[str, list[bytes]]:
            return {name: _documents(pki, count, attachment_bytes=attachment_bytes, role=role,
                                     batch=name) for name in verifiers}

        gost_small = gost_documents(args.documents)
        _compare("5 KB appeal, verifier only", *_alternating(_verify_only, app, gost_small, small))
        rsa_again = _documents(pki, args.documents, batch="R")
        _compare("5 KB appeal, full intake", *_alternating(_intake, app, gost_small, rsa_again))
        gost_big = gost_documents(3, ten_mb)
        _compare("10 MB, verifier only", *_alternating(_verify_only, app, gost_big, big))
        big_again = _documents(pki, 3, attachment_bytes=ten_mb, batch="R")
        _compare("10 MB, full intake", *_alternating(_intake, app, gost_big, big_again))
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


# --- over HTTP, against `qujat serve` ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ticks(pid: int) -> int:
    """User + system CPU of a process so far, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


class CpuMeter:
    """CPU seconds of a set of processes, read from /proc."""

    def __init__(self, pids):
        self.pids = pids  # a callable: the processes to count now

    def read(self) -> dict[int, int]:
        return {pid: _ticks(pid) for pid in self.pids()}

    @staticmethod
    def seconds(before: dict[int, int], after: dict[int, int]) -> float:
        ticks = sum(value - before.get(pid, 0) for pid, value in after.items())
        return ticks / os.sysconf("SC_CLK_TCK")


def _backends(database_url: str):
    """The PostgreSQL server processes serving the bench's database (not this script's)."""
    if not database_url.startswith("postgresql"):
        return lambda: []
    import psycopg

    conninfo = database_url.replace("postgresql+psycopg://", "postgresql://")
    connection = psycopg.connect(conninfo, autocommit=True)
    own = connection.info.backend_pid

    def pids() -> list[int]:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()").fetchall()
        return [pid for (pid,) in rows if pid != own]
    return pids


def _prepare_database(work: Path, config: Path, database_url: str) -> None:
    """The scratch database emptied, at the migrations' head, with the bench's portal."""
    from sqlalchemy import text

    os.environ.update(QUJAT_CONFIG=str(config), QUJAT_DATABASE_URL=database_url,
                      QUJAT_BLOB_DIR=str(work / "blobs"), QUJAT_SECRET_KEY="bench")
    from app import create_app
    from app.documents.senders import add_sender
    from app.extensions import db
    from app.setup import seed_journals, upgrade_schema

    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade_schema()
        seed_journals()
        add_sender(code="EGOV", name="egov", token="bench-token")
        db.session.commit()
        db.engine.dispose()


def _post_all(port: int, documents: list[bytes], clients: int, *, connect=None,
              token: str = "bench-token",
              extra_headers: dict[str, str] | None = None) -> tuple[float, list[float]]:
    """``clients`` portals posting ``documents`` over keep-alive connections; the wall time
    and every post's latency. ``connect`` makes a connection (default: HTTP to ``port``)."""
    import http.client
    import threading

    queue = list(reversed(documents))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/xml",
               **(extra_headers or {})}
    connect = connect or (lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=120))

    def portal() -> None:
        connection = connect()
        mine = []
        while True:
            with lock:
                if not queue or failures:
                    break
                xml = queue.pop()
            began = time.perf_counter()
            connection.request("POST", "/api/v1/documents", body=xml, headers=headers)
            response = connection.getresponse()
            body = response.read()
            mine.append(time.perf_counter() - began)
            if response.status != 202:
                with lock:
                    failures.append(f"{response.status} {body[:300]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=portal) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"intake refused a document: {failures[0]}")
    return elapsed, latencies


def _bare_signxml_cpu(documents: list[bytes], certificate_pem: bytes) -> float:
    """CPU seconds per document for bare signxml (parse, verify against the known key)."""
    from lxml import etree
    from signxml import XMLVerifier

    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    XMLVerifier().verify(etree.fromstring(documents[0], parser), x509_cert=certificate_pem)
    began = time.process_time()
    for xml in documents:
        XMLVerifier().verify(etree.fromstring(xml, parser), x509_cert=certificate_pem)
    return (time.process_time() - began) / len(documents)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def over_http(args) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    from qujat_demo.demo import write_config
    from qujat_demo.pki import init_demo_pki

    clients = [int(n) for n in args.clients.split(",")]
    modes = args.modes.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pki = init_demo_pki(work / "pki")
        config = write_config(work, pki)
        database_url = args.database_url or f"sqlite:///{work / 'bench.db'}"
        cert_pem = pki.open_key("individual_sign").cert.certificate.public_bytes(Encoding.PEM)
        warm = {mode: _documents(pki, 40, batch=f"W{mode}") for mode in modes}
        runs = {(mode, n): _documents(pki, args.documents, batch=f"C{mode}{n}")
                for mode in modes for n in clients}
        print(f"{args.documents} signed appeals of "
              f"{statistics.median(map(len, warm[modes[0]])) / 1024:.1f} KB per run; "
              f"database {database_url.split('://')[0]}; "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        rows = []
        bare_before = _bare_signxml_cpu(runs[(modes[0], clients[0])][:200], cert_pem)
        floors = _floors(args, work, pki, warm[modes[0]], runs[(modes[0], clients[0])])
        for mode in modes:
            rows += _measure_mode(mode, args, work, config, database_url, clients,
                                  warm[mode], runs)
        # the yardstick before and after the runs: the machine's load moves both
        bare = (bare_before + _bare_signxml_cpu(runs[(modes[0], clients[0])][:200],
                                                cert_pem)) / 2
        print(f"bare signxml: {bare * 1000:.2f} ms CPU per document "
              f"({1 / bare:.0f}/s on one core; {bare_before * 1000:.2f} ms before the runs)")
        print("floors, in the same run (what any intake over this stack pays):")
        for name, seconds in floors.items():
            print(f"  {name:<44} {seconds * 1000:6.2f} ms CPU per document "
                  f"({seconds / bare:4.1f}x signxml)")
        print()
        print("accepted: the 202s per second over HTTP; all done: until the last document is "
              "verified, received and its delivered mark signed (the worker's batches for "
              "the queued intake); CPU: gunicorn's processes + the workers' (+ PostgreSQL's "
              "backends apart) over the whole run, per document")
        print(f"{'mode':<12} {'clients':>7} {'accepted/s':>10} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'all done/s':>10} {'CPU ms/doc':>10} {'x signxml':>9} {'serve':>6} "
              f"{'worker':>6} {'db ms/doc':>9}")
        for mode, n, rate, p50, p99, done_rate, cpu, serve, worker, db_cpu in rows:
            print(f"{mode:<12} {n:>7} {rate:>10.1f} {p50 * 1000:>7.1f} {p99 * 1000:>7.1f} "
                  f"{done_rate:>10.1f} {cpu * 1000:>10.2f} {cpu / bare:>9.1f} "
                  f"{serve * 1000:>6.2f} {worker * 1000:>6.2f} {db_cpu * 1000:>9.2f}")
        # a shared machine's other work slows everything here, the reference too: compare
        # runs made under the same load, one after the other
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def _floors(args, work: Path, pki, warm: list[bytes], documents: list[bytes]) -> dict:
    """What the intake cannot avoid, measured beside it: gunicorn serving a Flask view that
    only reads the POST and answers (bench/floor_app.py, the same processes and threads,
    4 portals), and signing one delivered mark with the demo's RSA system key (the
    private-key operation each received document needs)."""
    from app.formats.choices import MarkKind
    from app.formats.marks import build_status_mark
    from app.formats.model import CodedName, DocumentRef, StatusMark
    from app.xmlsig.keys import load_pkcs12
    from app.xmlsig.signer import sign_enveloped

    port = _free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
               "--workers", str(args.workers or _serve_workers()), "--threads",
               str(args.threads), "--worker-class", "gthread" if args.threads > 1 else "sync",
               "--access-logfile", "-", "floor_app:app"]
    log = (work / "floor.log").open("wb")
    server = subprocess.Popen(command, cwd=Path(__file__).parent, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(port, server, work, "floor")
        meter = CpuMeter(lambda: [server.pid, *_children(server.pid)])
        _post_all(port, warm, 4)
        before = meter.read()
        _post_all(port, documents, 4)
        http_floor = CpuMeter.seconds(before, meter.read()) / len(documents)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    key = load_pkcs12(pki.keys["system_sign"].path.read_bytes(), pki.password)
    now = datetime.now(UTC)
    marks = [build_status_mark(StatusMark(
        mark_id=f"M{n}", issuer=CodedName(code="BENCH", name="bench"),
        document=DocumentRef(our_id=f"D{n}", sender_system="EGOV",
                             sender_document_id=f"B-{n}"),
        kind=MarkKind.DELIVERED, at=now)) for n in range(200)]
    start = time.process_time()
    for mark in marks:
        sign_enveloped(mark, key)
    signing = (time.process_time() - start) / len(marks)
    return {"HTTP (gunicorn + an empty Flask view, 5 KB POST)": http_floor,
            "signing the delivered mark (RSA-2048)": signing}


def _serve_workers() -> int:
    from app.serve import default_workers

    return default_workers()


def _connector(url: str, args):
    """A callable opening a keep-alive connection to ``url``: HTTPS with the portal's client
    certificate (--client-cert, --client-key) and the server's CA (--ca-cert) when given."""
    import http.client
    import ssl
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "http":
        return lambda: http.client.HTTPConnection(parts.hostname, parts.port or 80,
                                                  timeout=120)
    context = ssl.create_default_context(cafile=args.ca_cert)
    if args.client_cert:
        context.load_cert_chain(args.client_cert, args.client_key)
    return lambda: http.client.HTTPSConnection(parts.hostname, parts.port or 443,
                                               timeout=120, context=context)


def _as_the_proxy_forwards(url: str, args) -> dict[str, str]:
    """The header nginx adds for the app (deploy/nginx.conf): the portal's client
    certificate, URL-encoded, when ``url`` is the app itself (plain HTTP, no proxy) and
    --client-cert is given. Without it a sender with a pinned certificate is refused there
    (``client_certificate_missing``), and the reference run measures nothing."""
    from urllib.parse import quote, urlsplit

    if urlsplit(url).scheme != "http" or not args.client_cert:
        return {}
    return {"X-SSL-Client-Cert": quote(Path(args.client_cert).read_text(), safe="")}


def against_running(args) -> None:
    """A running installation (nothing emptied, nothing started): documents signed with
    --key posted to --url by N portals, and the same to --reference-url (the app without
    the proxy, say) in the same run; with --server-pid the gunicorn master's CPU."""
    from qujat_demo.portal.documents import build, load_key, signed_bytes

    key = load_key(Path(args.key), args.password)
    stamp = time.strftime("%H%M%S")

    def documents(batch: str) -> list[bytes]:
        return [signed_bytes(build("appeal", seed=n + 1, signer=key, overrides={
            "sender_system": args.sender, "sender_document_id": f"{stamp}-{batch}-{n:06d}"}),
            key) for n in range(args.documents)]

    clients = [int(n) for n in args.clients.split(",")]
    targets = [("url", args.url)] + ([("reference", args.reference_url)]
                                     if args.reference_url else [])
    batches = {(name, n): documents(f"{name[0]}{n}") for name, _ in targets for n in clients}
    server = (CpuMeter(lambda: [args.server_pid, *_children(args.server_pid)])
              if args.server_pid else None)
    print(f"{args.documents} signed appeals of "
          f"{statistics.median(map(len, batches[targets[0][0], clients[0]])) / 1024:.1f} KB "
          f"per run; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name, url in targets:
        _post_all(0, documents(f"w{name[0]}")[:20], 1, connect=_connector(url, args),
                  token=args.token,
                  extra_headers=_as_the_proxy_forwards(url, args))  # warm up every process
    print(f"{'target':>9} {'clients':>7} {'docs/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'server CPU ms/doc':>18}")
    for n in clients:
        for name, url in targets:  # each target in turn, under the same load
            before = server.read() if server else {}
            elapsed, latencies = _post_all(0, batches[name, n], n,
                                           connect=_connector(url, args), token=args.token,
                                           extra_headers=_as_the_proxy_forwards(url, args))
            cpu = (f"{CpuMeter.seconds(before, server.read()) / len(latencies) * 1000:>18.2f}"
                   if server else f"{'-':>18}")
            print(f"{name:>9} {n:>7} {len(latencies) / elapsed:>8.1f} "
                  f"{_percentile(latencies, 0.5) * 1000:>8.1f} "
                  f"{_percentile(latencies, 0.99) * 1000:>8.1f} {cpu}")
    print(f"url: {args.url}; reference: {args.reference_url or '-'}; "
          f"load average at the end: {os.getloadavg()[0]:.1f}")


def _measure_mode(mode, args, work, config, database_url, clients, warm, runs) -> list[tuple]:
    """``qujat serve`` (and, queued, ``--verify-workers`` ``qujat worker``s) on an emptied
    database, in ``mode``: a row per count of clients."""
    os.environ["QUJAT_INTAKE_MODE"] = mode
    os.environ["QUJAT_INTAKE_BATCH"] = str(args.batch)
    _prepare_database(work, config, database_url)
    port = _free_port()
    qujat = Path(sys.executable).parent / "qujat"
    command = [str(qujat), "serve", "--bind", f"127.0.0.1:{port}",
               "--threads", str(args.threads)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    logs = []

    def spawn(argv: list[str], name: str) -> subprocess.Popen:
        log = (work / f"{name}.log").open("wb")
        logs.append(log)
        return subprocess.Popen(argv, cwd=work, env=os.environ.copy(), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)

    server = spawn(command, f"serve-{mode}")
    workers = [spawn([str(qujat), "worker"], f"worker-{mode}-{n}")
               for n in range(args.verify_workers if mode == "queued" else 0)]
    rows = []
    try:
        _wait_for(port, server, work, f"serve-{mode}")
        serving = CpuMeter(lambda: [server.pid, *_children(server.pid)])
        working = CpuMeter(lambda: [w.pid for w in workers])
        postgres = CpuMeter(_backends(database_url))
        pending = _pending_counter(database_url)
        print(f"{mode}: qujat serve {len(_children(server.pid))} processes × {args.threads} "
              f"threads, {len(workers)} qujat worker")
        _post_all(port, warm, max(clients))
        _drain(pending, workers)
        for n in clients:
            before, db_before = (serving.read(), working.read()), postgres.read()
            began = time.perf_counter()
            elapsed, latencies = _post_all(port, runs[(mode, n)], n)
            _drain(pending, workers)
            done = time.perf_counter() - began
            serve_cpu = CpuMeter.seconds(before[0], serving.read())
            worker_cpu = CpuMeter.seconds(before[1], working.read())
            db_cpu = CpuMeter.seconds(db_before, postgres.read())
            count = len(latencies)
            rows.append((mode, n, count / elapsed, _percentile(latencies, 0.5),
                         _percentile(latencies, 0.99), count / done,
                         (serve_cpu + worker_cpu) / count, serve_cpu / count,
                         worker_cpu / count, db_cpu / count))
    finally:
        for process in (server, *workers):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, *workers):
            process.wait(timeout=60)
        for log in logs:
            log.close()
    return rows


def _pending_counter(database_url: str):
    """How many documents wait for the worker (the queued intake's PENDING ones)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))

    def pending() -> int:
        with engine.connect() as connection:
            return int(connection.execute(
                text("SELECT count(*) FROM documents WHERE state = 'pending'")).scalar_one())
    return pending


def _drain(pending, workers, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while pending():
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            raise SystemExit("the queued documents were not all verified")
        time.sleep(0.05)


def _wait_for(port: int, server: subprocess.Popen, work: Path, name: str) -> None:
    import http.client

    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit((work / f"{name}.log").read_text()) from None
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=None,
                        help="per run (default: 300 over HTTP, 200 in process)")
    parser.add_argument("--database-url", help="a SCRATCH database: it is emptied first "
                        "(default: SQLite in a temporary directory)")
    parser.add_argument("--clients", default="1,4,8", help="concurrent portals per run")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn processes (default: qujat serve's)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--modes", default="synchronous,queued",
                        help="QUJAT_INTAKE_MODE values to run, one after the other")
    parser.add_argument("--verify-workers", type=int, default=1,
                        help="`qujat worker` processes beside the queued intake")
    parser.add_argument("--batch", type=int, default=100, help="QUJAT_INTAKE_BATCH")
    parser.add_argument("--in-process", action="store_true",
                        help="the older rows: test client, 10 MB document, GOST")
    running = parser.add_argument_group(
        "a running installation (--url): nothing is emptied or started")
    running.add_argument("--url", help="e.g. https://qujat.example.kz behind nginx")
    running.add_argument("--reference-url", help="measured in the same run, e.g. the app "
                         "without the proxy: http://127.0.0.1:8000")
    running.add_argument("--token", help="the portal's bearer token")
    running.add_argument("--sender", default="EGOV", help="the portal's code")
    running.add_argument("--key", help="PKCS#12 the documents are signed with (a key the "
                         "installation's trust store accepts)")
    running.add_argument("--password", default="Qwerty12")
    running.add_argument("--client-cert", help="PEM: the portal's client certificate")
    running.add_argument("--client-key", help="PEM: its key")
    running.add_argument("--ca-cert", help="PEM: the CA of the server's certificate")
    running.add_argument("--server-pid", type=int, help="the gunicorn master: its CPU and "
                         "its workers' per document")
    args = parser.parse_args()
    if args.url:
        if not (args.token and args.key):
            parser.error("--url needs --token and --key")
        args.documents = args.documents or 200
        against_running(args)
    elif args.in_process:
        args.documents = args.documents or 200
        in_process(args)
    else:
        args.documents = args.documents or 300
        over_http(args)


if __name__ == "__main__":
    main()
