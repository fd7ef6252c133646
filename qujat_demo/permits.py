"""The demo's register of permits: a licence issued, a numbering-resource permit with its
ranges, a sanitary notification acknowledged with its талон and restored licence data,
each walked to its signed answer by the same domain functions the desks call."""

from __future__ import annotations

from app.formats.choices import Outcome

#: what the demo answers each application kind with (the first document of the kind)
DEMO_OUTCOMES = (
    ("licence_new", Outcome.LICENCE_ISSUED),
    ("numbering_permit", Outcome.PERMIT_ISSUED),
    ("sanitary_notification", Outcome.NOTIFICATION_ACCEPTED),
    ("licence_restore", Outcome.DATA_RESTORED),
)

ANSWER = (
    "Заявление рассмотрено. Представленные документы соответствуют требованиям Закона "
    "Республики Казахстан «О разрешениях и уведомлениях»; сведения внесены в реестр "
    "разрешений и уведомлений. Электронный документ, подписанный ЭЦП, прилагается."
)
ANSWER_KK = (
    "Өтініш қаралды. Ұсынылған құжаттар Қазақстан Республикасының «Рұқсаттар және "
    "хабарламалар туралы» Заңының талаптарына сәйкес келеді; мәліметтер рұқсаттар мен "
    "хабарламалар тізіліміне енгізілді. ЭЦҚ-мен қол қойылған электрондық құжат қоса беріледі."
)
BASIS = "Статьи 20, 29 Закона Республики Казахстан «О разрешениях и уведомлениях»."
BASIS_KK = "«Рұқсаттар және хабарламалар туралы» Қазақстан Республикасы Заңының 20, 29-баптары."


def issue_demo_permits(app, pki, *, users, assign, zone) -> list[str]:
    """Answer one application of each kind in DEMO_OUTCOMES that waits on its head's
    desk; returns a line per document."""
    from sqlalchemy import select

    from app.documents.models import Document
    from app.documents.states import DocumentState
    from app.documents.storage import blob_store
    from app.execution import service as execution
    from app.execution.signing import sign_letter
    from app.extensions import db
    from app.settings import current_settings
    from app.timeutil import utcnow
    from app.trust import official_policy

    lines = []
    key = pki.keys["official_sign"].path.read_bytes()
    for kind, outcome in DEMO_OUTCOMES:
        doc = db.session.scalar(select(Document).where(
            Document.kind == kind, Document.state == DocumentState.ON_RESOLUTION)
            .order_by(Document.id))
        if doc is None:
            continue
        assign(doc, users["licence-head"], users["licensing"])
        kazakh = doc.language == "kk"
        execution.save_draft(doc, executor=doc.executor, now=utcnow(), draft_version=None,
                             outcome=outcome.value, text=ANSWER_KK if kazakh else ANSWER,
                             legal_basis=BASIS_KK if kazakh else BASIS,
                             appeal_procedure=execution.draft_of(doc).appeal_procedure)
        execution.submit(doc, executor=doc.executor, now=utcnow(), acknowledge_warnings=True)
        execution.approve(doc, head=users["licence-head"], signer=users["signer"], now=utcnow())
        letter = sign_letter(doc, official=users["signer"], pkcs12=key, password=pki.password,
                             now=utcnow(), policy=official_policy(),
                             body=current_settings().body, store=blob_store())
        db.session.commit()
        lines.append(f"{doc.registration_number}: {outcome.value} № {letter.issued_number}")
    return lines
