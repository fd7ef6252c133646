"""``qujat demo``: a working back office on a fresh machine in one command.

Creates (once) the SQLite database, the demo PKI, a user of every role and the portals'
senders; starts the server; sends documents of every kind through the portal simulator
over HTTP, including one with a broken signature, one signed with an authentication key
and one signed with a revoked key; then keeps serving the UI with the timed jobs running.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import click

DEMO_USERS = (
    ("clerk", "Айжан Серікқызы Қожахметова", "clerk", ("clerk",)),
    ("head", "Бауыржан Ерболұлы Әлиев", "head", ("head",)),
    ("roads-head", "Ержан Қайратұлы Сейітқали", "head", ("head",)),
    ("licence-head", "Гүлмира Асқарқызы Омарова", "head", ("head",)),
    ("executor", "Дина Маратқызы Нұрланова", "executor", ("executor",)),
    ("coexecutor", "Арман Серікұлы Жақсылықов", "executor", ("executor",)),
    ("licensing", "Салтанат Бекқызы Исаева", "executor", ("executor",)),
    ("signer", "Айгерім Нұрланқызы Қасымова", "signer", ("signer",)),
    ("admin", "Администратор Qujat", "admin", ("admin",)),
)
#: the password of every demo user is "<login>-demo-2026" (README)
PASSWORD_SUFFIX = "-demo-2026"
DEMO_SENDERS = (
    ("EGOV", "egov.kz — Электронные обращения", "demo-egov-token"),
    ("ELICENSE", "elicense.kz — Е-лицензирование", "demo-elicense-token"),
    ("INFOKAZAKHSTAN", "InfoKazakhstan — санитарные уведомления", "demo-infokz-token"),
)
#: the portals' names in Kazakh and English, by code
SENDER_NAMES = {
    "EGOV": ("egov.kz — Электрондық өтініштер", "egov.kz — Electronic appeals"),
    "ELICENSE": ("elicense.kz — Е-лицензиялау", "elicense.kz — E-licensing"),
    "INFOKAZAKHSTAN": ("InfoKazakhstan — санитариялық хабарламалар",
                       "InfoKazakhstan — sanitary notifications"),
}
#: (kind, sender, key role, how many)
DEMO_DOCUMENTS = (
    ("appeal", "EGOV", "individual_sign", 3),
    ("appeal", "EGOV", "gost_individual_sign", 2),
    ("appeal-legal", "EGOV", "legal_head_sign", 1),
    ("appeal-legal", "EGOV", "gost_legal_head_sign", 1),
    # seed 004's form: the postal address in one line, no phone
    ("appeal-one-line", "EGOV", "individual_sign", 1),
    ("licence-new", "ELICENSE", "legal_signer_sign", 1),
    ("licence-new", "ELICENSE", "gost_legal_head_sign", 1),
    ("licence-appendix", "ELICENSE", "legal_head_sign", 1),
    ("licence-reissue", "ELICENSE", "individual_sign", 1),
    ("licence-restore", "ELICENSE", "legal_head_sign", 1),
    ("numbering-permit", "ELICENSE", "legal_head_sign", 1),
    # registered below, they wait in the inspection queue by their readiness dates
    ("inspection-request", "INFOKAZAKHSTAN", "legal_head_sign", 2),
    ("inspection-request", "INFOKAZAKHSTAN", "individual_sign", 1),
    ("sanitary-notification", "INFOKAZAKHSTAN", "legal_head_sign", 1),
    # a second notification: the first is answered with its талон, this one waits
    ("sanitary-notification", "INFOKAZAKHSTAN", "individual_sign", 1),
    ("inspection-request", "INFOKAZAKHSTAN", "individual_sign", 1),
)


def write_config(directory: Path, pki) -> Path:
    config = directory / "qujat.toml"
    rel = lambda p: os.path.relpath(p, directory)  # noqa: E731
    paths = lambda *ps: "[" + ", ".join(f'"{rel(p)}"' for p in ps) + "]"  # noqa: E731
    citizen_crls = paths(pki.citizen_crl, pki.citizen_root_crl, pki.gost_citizen_crl,
                         pki.gost_citizen_root_crl)
    state_crls = paths(pki.state_crl, pki.state_root_crl, pki.gost_state_crl,
                       pki.gost_state_root_crl)
    config.write_text(
        "# Qujat demo configuration, written by `qujat demo`\n"
        'sqlalchemy_database_uri = "sqlite:///./qujat.db"\n'
        'qujat_blob_dir = "blobs"\n'
        "# citizens' and companies' keys (НУЦ РК stand-in), RSA and GOST\n"
        f"qujat_trust_anchors = {paths(pki.citizen_root, pki.gost_citizen_root)}\n"
        f"qujat_intermediates = {paths(pki.citizen_ca, pki.gost_citizen_ca)}\n"
        f"qujat_crls = {citizen_crls}\n"
        "# officials' keys (УЦ ГО stand-in), RSA and GOST\n"
        f"qujat_official_anchors = {paths(pki.state_root, pki.gost_state_root)}\n"
        f"qujat_official_intermediates = {paths(pki.state_ca, pki.gost_state_ca)}\n"
        f"qujat_official_crls = {state_crls}\n"
        f'qujat_system_key = "{rel(pki.keys["system_sign"].path)}"\n'
        f'qujat_system_key_password = "{pki.password}"\n'
        "# the demo is served over plain HTTP on this machine: a Secure cookie would never\n"
        "# come back, and nobody could log in (a deployment behind HTTPS keeps the default)\n"
        "session_cookie_secure = false\n"
        "# the recipients this body answers for: a document addressed to another is flagged\n"
        f"qujat_recipient_codes = {_recipient_codes()}\n"
        'secret_key = "' + os.urandom(24).hex() + '"\n',
        encoding="utf-8",
    )
    return config


def _recipient_codes() -> str:
    """Every body the samples address, as a TOML list: the demo body answers for them all,
    so only a document meant for someone else (sent below) is flagged."""
    from qujat_demo import sample_data as data

    codes = [e.code for e in data.APPEAL_BODIES]
    codes += [a.licensor.code for a in data.LICENSED_ACTIVITIES]
    codes += [data.TELECOM_COMMITTEE.code] + [r.body.code for r in data.SANITARY_REGIONS]
    return "[" + ", ".join(f'"{code}"' for code in dict.fromkeys(codes)) + "]"


def _prepare(directory: Path):
    from qujat_demo.pki import init_demo_pki

    directory.mkdir(parents=True, exist_ok=True)
    pki = init_demo_pki(directory / "pki", force=True)
    config = write_config(directory, pki)
    return pki, config


def _seed(app) -> None:
    from sqlalchemy import select

    from app.auth.models import Role, User
    from app.auth.service import create_user
    from app.deadlines.service import seed_rules
    from app.documents.senders import add_sender
    from app.extensions import db
    from app.setup import seed_journals, upgrade_schema
    from qujat_demo.road import seed_org

    with app.app_context():
        upgrade_schema()
        seed_journals()
        seed_rules()  # the shipped deadline rules, for /admin/deadline-rules to edit
        _seed_catalogues()
        for login, name, _, roles in DEMO_USERS:
            create_user(login=login, full_name=name, password=login + PASSWORD_SUFFIX,
                        roles=[Role(r) for r in roles])
        for code, name, token in DEMO_SENDERS:
            name_kk, name_en = SENDER_NAMES[code]
            add_sender(code=code, name=name, token=token, name_kk=name_kk, name_en=name_en)
        for login, phone in DEMO_PHONES.items():
            db.session.scalar(select(User).where(User.login == login)).phone = phone
        db.session.commit()
        seed_org()


#: the office phones printed under the letters the executors prepare
DEMO_PHONES = {"executor": "+7 727 271 00 15", "coexecutor": "+7 727 271 00 16",
               "licensing": "+7 727 271 00 21"}


def _seed_catalogues() -> None:
    """The shipped standard instructions and starter list of state bodies, and the demo
    body itself in the directory: its Kazakh name heads the letters beside the Russian."""
    from app.catalogues.models import StateBody
    from app.catalogues.service import seed_catalogues, state_body_by_code
    from app.extensions import db
    from app.settings import current_settings

    seed_catalogues()
    body = current_settings().body
    if state_body_by_code(body.code) is None:
        db.session.add(StateBody(code=body.code, name_ru=body.name,
                                 name_kk="Демонстрациялық мемлекеттік орган",
                                 name_en="Demonstration state body", active=True))


def _name_in_every_language() -> None:
    """A demo made before the names had Kazakh and English gets them (those still empty),
    and the shipped deadline rules and lists theirs, as `qujat init-db` does."""
    from sqlalchemy import select

    from app.catalogues.service import seed_catalogues
    from app.deadlines.service import seed_rules
    from app.documents.models import Sender
    from app.extensions import db
    from app.org.models import Department
    from qujat_demo.road import DEPARTMENT_NAMES

    for kept, names in ((Department, DEPARTMENT_NAMES), (Sender, SENDER_NAMES)):
        for item in db.session.scalars(select(kept).where(kept.code.in_(names))):
            item.name_kk = item.name_kk or names[item.code][0]
            item.name_en = item.name_en or names[item.code][1]
    seed_rules()
    seed_catalogues()
    db.session.commit()


def _egov_pulls_its_marks(base_url: str) -> str:
    """egov.kz pulls its status marks, as a pull-only portal does: the letters they carry
    are then its, so its answered appeal's circle turns dark green; the other portals have
    not pulled, and their answered applications stay dark brown ("executed")."""
    from qujat_demo.portal.client import PortalClient

    client = PortalClient(base_url, dict((c, t) for c, _, t in DEMO_SENDERS)["EGOV"])
    since, pulled = 0, 0
    while marks := client.marks(since=since)["marks"]:
        pulled += len(marks)
        since = max(m["id"] for m in marks)
    return f"egov.kz pulled {pulled} marks (its letters reached it)"


def send_demo_documents(base_url: str, pki) -> list[str]:
    """Through the portal simulator and the public API, as a portal would."""
    from lxml import etree

    from app.formats.model import CodedName
    from qujat_demo.portal.client import PortalClient, PortalError
    from qujat_demo.portal.documents import build, load_key, signed_bytes

    tokens = {code: token for code, _, token in DEMO_SENDERS}
    lines: list[str] = []

    def send(sender: str, xml: bytes, label: str) -> None:
        try:
            answer = PortalClient(base_url, tokens[sender]).send(xml)
            lines.append(f"{label}: {answer['verification']['indication']}")
        except PortalError as exc:
            lines.append(f"{label}: refused ({exc})")

    seed = 0
    for kind, sender, role, count in DEMO_DOCUMENTS:
        key = load_key(pki.keys[role].path, pki.password)
        for _ in range(count):
            seed += 1
            document = build(kind, seed=_fitting_seed(kind, seed, key), signer=key, overrides={
                "sender_system": sender, "sender_document_id": f"DEMO-{sender}-{seed:04d}"})
            send(sender, signed_bytes(document, key), f"{kind} #{seed} ({role})")

    individual = load_key(pki.keys["individual_sign"].path, pki.password)
    # an appeal the citizen addressed to another body: its page says so, and what to do
    seed += 1
    document = build("appeal-one-line", seed=seed, signer=individual, overrides={
        "sender_system": "EGOV", "sender_document_id": f"DEMO-EGOV-{seed:04d}",
        "recipient": CodedName(code="MVD", name="Министерство внутренних дел Республики "
                               "Казахстан")})
    send("EGOV", signed_bytes(document, individual), f"appeal #{seed} addressed elsewhere")
    for role, label in (("individual_auth", "signed with an authentication key"),
                        ("individual_revoked_sign", "signed with a revoked key"),
                        ("gost_individual_revoked_sign", "signed with a revoked GOST key")):
        seed += 1
        key = load_key(pki.keys[role].path, pki.password)
        document = build("appeal", seed=seed, signer=key, overrides={
            "sender_system": "EGOV", "sender_document_id": f"DEMO-EGOV-{seed:04d}"})
        send("EGOV", signed_bytes(document, key), f"appeal #{seed} {label}")

    # a signature broken after signing: the text changed in transit
    seed += 1
    document = build("appeal", seed=seed, signer=individual, overrides={
        "sender_system": "EGOV", "sender_document_id": f"DEMO-EGOV-{seed:04d}"})
    signed = signed_bytes(document, individual)
    root = etree.fromstring(signed)
    for element in root.iter("{*}ShortContent"):
        element.text = element.text + " (изменено после подписания)"
        break
    send("EGOV", etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
         f"appeal #{seed} with a broken signature")

    # a repeat: the author of the first appeal (which the demo answers) writes again on the
    # same subject; it stays in the inbox, where its page shows the earlier one and its answer
    seed += 1
    first = build("appeal", seed=_fitting_seed("appeal", 1, individual), signer=individual)
    document = build("appeal", seed=_fitting_seed("appeal", 1, individual), signer=individual,
                     overrides={"sender_system": "EGOV",
                                "sender_document_id": f"DEMO-EGOV-{seed:04d}",
                                "short_content": f"Повторно: {first.short_content}"})
    send("EGOV", signed_bytes(document, individual), f"appeal #{seed}, a repeat of #1")
    return lines


def _fitting_seed(kind: str, seed: int, key) -> int:
    """The first sample from ``seed`` on whose author fits the key: a company's for a key
    with a BIN, a person's otherwise (else the signer would not be the author)."""
    from app.xmlsig.certificates import describe
    from qujat_demo.samples import sample_document

    company = describe(key.certificate).bin is not None
    for candidate in range(seed, seed + 100):
        if (sample_document(kind, seed=candidate).author.bin is not None) == company:
            return candidate
    return seed


@click.command("demo")
@click.option("--dir", "directory", default="var/demo", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Start from scratch even if a demo exists.")
def demo(directory: Path, host: str, port: int, reset: bool) -> None:
    """Set up the demo (database, PKI, users, documents) and serve the UI."""
    import shutil

    from werkzeug.serving import make_server

    from app import create_app
    from app.jobs import start_background
    from qujat_demo.pki import load_demo_pki

    directory = directory.resolve()
    fresh = (reset or not (directory / "qujat.toml").exists() or _crls_stale(directory)
             or not _migrated(directory))
    if fresh:
        if directory.exists():
            shutil.rmtree(directory)
        click.echo(f"Creating the demo in {directory} …")
        pki, config = _prepare(directory)
    else:
        pki, config = load_demo_pki(directory / "pki"), directory / "qujat.toml"
    os.environ["QUJAT_CONFIG"] = str(config)
    # served below over plain HTTP, whatever an older demo's qujat.toml says
    app = create_app({"SESSION_COOKIE_SECURE": False})
    if fresh:
        _seed(app)
    else:
        from app.setup import upgrade_schema

        with app.app_context():
            click.echo(f"Demo database at revision {upgrade_schema()}.")
            _name_in_every_language()
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://{host}:{port}"
    if fresh:
        from qujat_demo.road import move_documents_along, press_deadlines

        for line in send_demo_documents(base_url, pki):
            click.echo(f"  sent {line}")
        for line in move_documents_along(app, pki):
            click.echo(f"  {line}")
        from qujat_demo.permits import follow_up_on_the_register

        for line in follow_up_on_the_register(app, pki, base_url):
            click.echo(f"  {line}")
        for line in press_deadlines(app):
            click.echo(f"  {line}")
        click.echo(f"  {_egov_pulls_its_marks(base_url)}")
    start_background(app)
    click.echo(f"\nQujat is running at {base_url}/  (Ctrl+C to stop)")
    for login, _, _, roles in DEMO_USERS:
        click.echo(f"  {login:<9} password {login + PASSWORD_SUFFIX:<20} roles {', '.join(roles)}")
    try:
        thread.join()
    except KeyboardInterrupt:
        server.shutdown()


def _migrated(directory: Path) -> bool:
    """A demo made since there are migrations is upgraded in place; one older than the
    baseline (no alembic_version table) is rebuilt, not patched."""
    from sqlalchemy import create_engine, inspect

    database = directory / "qujat.db"
    if not database.exists():
        return False
    engine = create_engine(f"sqlite:///{database}")
    try:
        return "alembic_version" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _crls_stale(directory: Path) -> bool:
    """The demo CRLs live a week; after that every verdict would be INDETERMINATE."""
    from datetime import UTC, datetime

    from cryptography import x509

    crl = directory / "pki" / "crl" / "citizen_ca.crl"
    if not crl.exists():
        return True
    loaded = x509.load_der_x509_crl(crl.read_bytes())
    return loaded.next_update_utc is None or loaded.next_update_utc < datetime.now(UTC)
