"""Documents in any state, built straight into the database for desk and workflow tests.

End-to-end tests use the portal simulator instead; these factories exist for the cases a
portal cannot produce on demand (an INDETERMINATE verdict, thousands of rows).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select

from app.deadlines.service import urgency_rules
from app.documents.models import Document, DocumentFamily, Sender
from app.documents.states import Action
from app.extensions import db
from app.search.index import index_document
from app.settings import current_settings
from app.timeutil import utcnow
from app.workflow.deadlines import DeadlineRules
from app.workflow.transition import transition
from app.xmlsig.report import (
    Check,
    CheckCode,
    Indication,
    Outcome,
    SubIndication,
    VerificationReport,
)

_OUTCOME = {Indication.PASSED: Outcome.PASSED, Indication.FAILED: Outcome.FAILED,
            Indication.INDETERMINATE: Outcome.INDETERMINATE}
_SUB = {Indication.PASSED: None, Indication.FAILED: SubIndication.HASH_FAILURE,
        Indication.INDETERMINATE: SubIndication.TRY_LATER}


def deadline_rules() -> DeadlineRules:
    """The body's deadline rules as the views take them: the settings' calendar with the
    administrator's day swaps, the zone."""
    return urgency_rules(current_settings())


def make_document(
    *,
    indication: Indication = Indication.PASSED,
    kind: str = "appeal_individual",
    sender_code: str = "EGOV",
    n: int = 1,
    author_name: str = "Әбілқайыров Нұрлан Серікұлы",
    iin: str = "850314301283",
    received_at: datetime | None = None,
    with_delivery_mark: bool = True,
    short_content: str | None = None,
    text: str | None = None,
) -> Document:
    sender = db.session.scalar(select(Sender).where(Sender.code == sender_code))
    report = VerificationReport(
        checked_at=datetime(2026, 11, 1, tzinfo=UTC),
        document_checks=(Check(CheckCode.DIGEST, _OUTCOME[indication], "factory",
                               _SUB[indication]),),
    )
    raw = f"factory document {n}".encode()
    document = Document(
        sender=sender,
        sender_document_id=f"F-{n:06d}",
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw_size=len(raw),
        received_at=received_at or utcnow(),
        family=DocumentFamily.APPEAL if kind.startswith("appeal") else DocumentFamily.APPLICATION,
        kind=kind,
        author_iin=iin,
        author_name=author_name,
        author_name_folded=author_name.casefold(),
        recipient_name="Демонстрационный государственный орган",
        short_content=short_content if short_content is not None else f"О ремонте дороги №{n}",
        language="ru",
        content={"author": {"surname": "Әбілқайыров", "name": "Нұрлан",
                            "patronymic": "Серікұлы"}, **({"text": text} if text else {})},
        indication=indication,
        sub_indication=_SUB[indication].value if _SUB[indication] else None,
        report=report.to_dict(),
    )
    db.session.add(document)
    if with_delivery_mark:
        transition(document, Action.RECEIVE, actor=None, now=document.received_at)
    else:
        from app.documents.states import DocumentState

        document.state = DocumentState.RECEIVED
    db.session.flush()
    index_document(document)
    return document


class Org:
    """A small body: the management (head "head") with a roads department below it
    (head "roads-head"), two executors in roads, one in management, the signing official."""

    def __init__(self):
        from app.auth.models import Role
        from app.auth.service import create_user
        from app.org.models import Department, Route
        from tests.conftest import PASSWORD

        self.head = user("head")
        self.executor = user("executor")
        self.signer = user("signer")
        self.clerk = user("clerk")
        self.admin = user("admin")
        self.management = Department(code="MGMT", name="Руководство", head=self.head)
        self.roads = Department(code="ROADS", name="Отдел дорог", parent=self.management)
        self.other = Department(code="EDU", name="Отдел образования")
        db.session.add_all([self.management, self.roads, self.other])
        db.session.flush()
        self.roads_head = create_user(login="roads-head", full_name="Жанұзақов Берік",
                                      password=PASSWORD, roles=[Role.HEAD])
        self.other_head = create_user(login="edu-head", full_name="Оспанова Дана",
                                      password=PASSWORD, roles=[Role.HEAD])
        self.coexecutor = create_user(login="coexecutor", full_name="Сейітов Асқар",
                                      password=PASSWORD, roles=[Role.EXECUTOR])
        self.outsider = create_user(login="outsider", full_name="Бекова Әйгерім",
                                    password=PASSWORD, roles=[Role.EXECUTOR])
        self.roads.head = self.roads_head
        self.other.head = self.other_head
        self.head.department = self.management
        self.roads_head.department = self.roads
        self.executor.department = self.roads
        self.coexecutor.department = self.roads
        self.outsider.department = self.other
        self.other_head.department = self.other
        # the official of the demo PKI: her key is issued to this IIN
        self.signer.iin = "830417401559"
        self.signer.position = "Заместитель руководителя"
        db.session.add(Route(position=10, kind="licence_new", department=self.other))
        db.session.add(Route(position=100, department=self.management))
        db.session.flush()


def user(login: str):
    """The seeded user with this login (one per role: "clerk", "head", …)."""
    from app.auth.models import User

    return db.session.scalar(select(User).where(User.login == login))


def make_controlled(*, n: int, due, executor=None, approver=None, state=None) -> Document:
    """A registered document under deadline control, put straight into ``state`` (in
    execution by default) with its executor, approving head and deadline: what the
    reminders read, without walking the road to it."""
    from app.documents.states import DocumentState

    document = make_document(n=n, with_delivery_mark=False)
    document.state = state or DocumentState.IN_EXECUTION
    document.registration_number = f"ЖТ-2026-{n:06d}"
    document.registered_at = document.received_at
    document.executor_id = executor.id if executor is not None else None
    document.approver_id = approver.id if approver is not None else None
    document.due_date = due
    db.session.flush()
    return document
def placed(document: Document, *, registered_at: datetime, number: str, state=None,
           department=None, executor=None, due=None) -> Document:
    """A document put straight where a report or the journal finds it: registered at
    ``registered_at`` under ``number``, in ``state`` (default on resolution), with its
    department, executor and deadline. Reports count; they do not walk the road."""
    from app.documents.states import DocumentState

    document.registration_number = number
    document.registered_at = registered_at
    document.state = state or DocumentState.ON_RESOLUTION
    document.department = department
    document.executor = executor
    document.due_date = due
    db.session.flush()
    return document


def answered_on(document: Document, day, outcome: str, *, signer, n: int = 1) -> Document:
    """The document answered by a letter dated ``day`` with ``outcome`` (the letter's XML is
    a stand-in: reports read its date and outcome)."""
    from datetime import time, timedelta

    from app.documents.states import DocumentState
    from app.execution.models import Letter

    signed_at = datetime.combine(day, time(6), UTC)
    db.session.add(Letter(document=document, outgoing_number=f"OUT-{n:05d}", outgoing_date=day,
                          outcome=outcome, language="ru", signer=signer, signed_at=signed_at,
                          certificate_subject="CN=test", certificate_serial="1",
                          xml=b"<letter/>"))
    document.state = DocumentState.ANSWERED
    document.closed_at = signed_at + timedelta(minutes=1)
    db.session.flush()
    return document
