"""Steps of the road shared by the tests: each moves a document one stage on, as the
services do it for the views."""

from __future__ import annotations

from datetime import date, timedelta

from app.documents.storage import blob_store
from app.execution import service as execution
from app.execution.signing import sign_letter
from app.registration.service import register
from app.resolution import service as resolution
from app.settings import Body
from app.timeutil import utcnow
from app.trust import official_policy
from tests.factories import deadline_rules

GOOD_ANSWER = (
    "Ваше обращение рассмотрено. Ремонт дороги по улице Абая включён в план текущего "
    "ремонта на 2027 год, работы начнутся в мае после завершения отопительного сезона. "
    "Подрядчик определён по итогам конкурса."
)
LEGAL_BASIS = "Статья 89 Административного процедурно-процессуального кодекса РК."


def registered(document, org):
    register(document, clerk=org.clerk, now=utcnow(), zone="Asia/Almaty")
    return document


def assigned(document, org, *, head=None, executor=None, coexecutors=(), due=None):
    head = head or org.head
    proposed = date.today() + timedelta(days=20)
    resolution.assign(document, head=head, executor=executor or org.executor,
                      coexecutors=list(coexecutors), due_date=due or proposed,
                      proposed=proposed, now=utcnow(), instruction="Подготовить ответ",
                      rules=deadline_rules())
    return document


def drafted(document, org, *, outcome="explained", text=GOOD_ANSWER):
    execution.save_draft(document, executor=document.executor, now=utcnow(), draft_version=None,
                         outcome=outcome, text=text, legal_basis=LEGAL_BASIS,
                         appeal_procedure=execution.draft_of(document).appeal_procedure,
                         refusal_grounds="")
    return document


def submitted(document, org):
    execution.submit(document, executor=document.executor, now=utcnow())
    return document


def approved(document, org):
    execution.approve(document, head=document.approver, signer=org.signer, now=utcnow())
    return document


def signed(document, org, pki, *, key="official_sign", password=None, body=None):
    """Signed by the official; ``body``: the body that signs (a short demo name if None)."""
    data = pki.keys[key].path.read_bytes()
    return sign_letter(document, official=org.signer, pkcs12=data,
                       password=password or pki.password, now=utcnow(),
                       policy=official_policy(),
                       body=body or Body("MIO-DEMO", "Демо орган", "Asia/Almaty"),
                       store=blob_store())
