"""The demo's register of permits: a licence issued, a numbering-resource permit with its
ranges, a sanitary notification acknowledged with its талон and restored licence data,
each walked to its signed answer by the same domain functions the desks call; then the
licensee applies again through the portal for an appendix to that licence and its
re-issue, and two objects of the inspection queue are inspected and concluded upon (one
positive, one negative with its grounds)."""

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


#: the negative conclusion's grounds, one per line (as the executor writes them)
NEGATIVE_GROUNDS = (
    "Отсутствует приточно-вытяжная вентиляция в производственном помещении "
    "(санитарные правила, п. 35)\n"
    "Не представлены результаты лабораторных исследований питьевой воды"
)
CONCLUSION_TEXT = (
    "По результатам санитарно-эпидемиологического обследования объекта выдано "
    "санитарно-эпидемиологическое заключение. Электронный документ, подписанный ЭЦП, "
    "прилагается."
)
CONCLUSION_TEXT_KK = (
    "Объектіні санитариялық-эпидемиологиялық тексеру нәтижесі бойынша "
    "санитариялық-эпидемиологиялық қорытынды берілді. ЭЦҚ-мен қол қойылған электрондық "
    "құжат қоса беріледі."
)
CONCLUSION_BASIS = "Кодекс Республики Казахстан «О здоровье народа и системе здравоохранения»."
CONCLUSION_BASIS_KK = "«Халық денсаулығы және денсаулық сақтау жүйесі туралы» ҚР Кодексі."


def _answer(doc, outcome, *, users, pki, text, text_kk, basis, basis_kk, grounds=""):
    """Draft ``outcome``, submit, approve and sign: the document's signed letter."""
    from app.documents.storage import blob_store
    from app.execution import service as execution
    from app.execution.signing import sign_letter
    from app.settings import current_settings
    from app.timeutil import utcnow
    from app.trust import official_policy

    kazakh = doc.language == "kk"
    execution.save_draft(doc, executor=doc.executor, now=utcnow(), draft_version=None,
                         outcome=outcome.value, text=text_kk if kazakh else text,
                         legal_basis=basis_kk if kazakh else basis,
                         appeal_procedure=execution.draft_of(doc).appeal_procedure,
                         refusal_grounds=grounds)
    execution.submit(doc, executor=doc.executor, now=utcnow(), acknowledge_warnings=True)
    execution.approve(doc, head=users["licence-head"], signer=users["signer"], now=utcnow())
    return sign_letter(doc, official=users["signer"],
                       pkcs12=pki.keys["official_sign"].path.read_bytes(),
                       password=pki.password, now=utcnow(), policy=official_policy(),
                       body=current_settings().body, store=blob_store())


def follow_up_on_the_register(app, pki, base_url: str) -> list[str]:
    """The licensee of the licence issued above applies through the portal for an appendix
    to it and for its re-issue (a new address), both answered: the licence's page shows
    its appendix and its two versions, its PDF the appendix. Then two inspections of the
    queue end in their signed conclusions."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.deadlines.service import setup_of
    from app.documents.models import Document
    from app.documents.states import DocumentState
    from app.extensions import db
    from app.permits.models import EntryKind, PermitEntry
    from app.registration.service import register
    from app.settings import current_settings
    from app.timeutil import utcnow

    lines: list[str] = []
    with app.app_context():
        zone = current_settings().body.zone
        users = {u.login: u for u in db.session.scalars(select(User))}
        licence = db.session.scalar(
            select(PermitEntry).where(PermitEntry.kind == EntryKind.LICENCE.value,
                                      PermitEntry.restored.is_(False))
            .order_by(PermitEntry.id))
        if licence is not None:
            for sender_id in _apply_again(licence, pki, base_url):
                doc = db.session.scalar(select(Document).where(
                    Document.sender_document_id == sender_id))
                if doc is None or doc.state is not DocumentState.RECEIVED:
                    continue
                register(doc, clerk=users["clerk"], now=utcnow(), zone=zone,
                         deadlines=setup_of(current_settings()))
                _assign(doc, users)
                outcome = (Outcome.APPENDIX_ISSUED if doc.kind == "licence_appendix"
                           else Outcome.LICENCE_REISSUED)
                letter = _answer(doc, outcome, users=users, pki=pki, text=ANSWER,
                                 text_kk=ANSWER_KK, basis=BASIS, basis_kk=BASIS_KK)
                db.session.commit()
                lines.append(f"{doc.registration_number}: {outcome.value} "
                             f"№ {letter.issued_number}")
        lines += _conclude_inspections(users, pki, zone)
    lines.append(send_incomplete(pki, base_url))
    return lines


def _assign(doc, users) -> None:
    from app.deadlines.service import setup_of, urgency_rules
    from app.resolution import service as resolution
    from app.settings import current_settings
    from app.timeutil import utcnow

    proposed = resolution.proposed_due_date(doc, setup_of(current_settings()))
    resolution.assign(doc, head=users["licence-head"], executor=users["licensing"],
                      coexecutors=(), due_date=proposed, proposed=proposed, now=utcnow(),
                      rules=urgency_rules(current_settings()),
                      instruction="Рассмотреть и подготовить ответ")


def _apply_again(licence, pki, base_url: str) -> list[str]:
    """An appendix and a re-issue naming ``licence``, signed with the key of its holder's
    company and sent through the portal; returns their portal ids."""
    import dataclasses

    from app.formats.choices import ApplicationKind, ReissueReason
    from app.formats.model import CodedName, LicenceRef
    from app.xmlsig.certificates import describe
    from qujat_demo.demo import _fitting_seed
    from qujat_demo.portal.client import PortalClient
    from qujat_demo.portal.documents import build, load_key, signed_bytes
    from qujat_demo.samples import sample_document

    keys = [load_key(pki.keys[role].path, pki.password)
            for role in ("legal_signer_sign", "legal_head_sign", "gost_legal_head_sign")]
    key = next((k for k in keys if describe(k.certificate).bin == licence.holder_id), None)
    if key is None:
        return []
    named = LicenceRef(number=licence.number, issue_date=licence.issued_on)
    activity = CodedName(code=licence.activity_code, name=licence.activity_name)
    source = licence.source_document.content or {}
    recipient = CodedName(**{k: source["recipient"][k] for k in ("code", "name")})
    client = PortalClient(base_url, "demo-elicense-token")
    sent = []
    for n, kind in enumerate(("licence-appendix", "licence-reissue"), start=1):
        seed = _fitting_seed(kind, 500 + n, key)
        sample = sample_document(kind, seed=seed)
        if kind == "licence-appendix":
            details = dataclasses.replace(sample.details, licence=named, activity=activity,
                                          subactivities=tuple(
                                              CodedName(code=s["code"], name=s["name"])
                                              for s in licence.subactivities)[-1:])
        else:
            reason = ReissueReason.ADDRESS_CHANGE
            details = dataclasses.replace(sample.details, licence=named, activity=activity,
                                          reason=reason,
                                          reason_text=reason.label_in(sample.language.value))
        sender_id = f"DEMO-ELICENSE-{licence.id:02d}{n:02d}"
        subject = ApplicationKind(details.subtype).label_in(sample.language.value)
        document = build(kind, seed=seed, signer=key, overrides={
            "sender_system": "ELICENSE", "sender_document_id": sender_id,
            "recipient": recipient, "details": details,
            "short_content": f"{subject}: {licence.activity_name}"})
        client.send(signed_bytes(document, key))
        sent.append(sender_id)
    return sent


def send_incomplete(pki, base_url: str) -> str:
    """A restoration of licence data sent without the copy of the licence (seed 000's one
    required document): it waits in the clerk's inbox named incomplete, with the day its
    completeness check ends; its page offers the refusal for incompleteness."""
    from qujat_demo.demo import _fitting_seed
    from qujat_demo.portal.client import PortalClient
    from qujat_demo.portal.documents import build, load_key, signed_bytes

    key = load_key(pki.keys["individual_sign"].path, pki.password)
    sender_id = "DEMO-ELICENSE-0900"
    document = build("licence-restore", seed=_fitting_seed("licence-restore", 900, key),
                     signer=key, overrides={"sender_system": "ELICENSE",
                                            "sender_document_id": sender_id,
                                            "attachments": ()})
    answer = PortalClient(base_url, "demo-elicense-token").send(signed_bytes(document, key))
    return f"{sender_id} without the licence copy: {answer['verification']['indication']}"


def _conclude_inspections(users, pki, zone) -> list[str]:
    """The second and third objects of the inspection queue (the first keeps its visit
    to come): each visited today, one found fit, one not, with the grounds."""
    from app.extensions import db
    from app.inspections.service import inspection_queue, schedule
    from app.timeutil import local, utcnow

    lines = []
    today = local(utcnow(), zone).date()
    choices = ((Outcome.CONCLUSION_POSITIVE, ""), (Outcome.CONCLUSION_NEGATIVE,
                                                    NEGATIVE_GROUNDS))
    waiting = [e for e in inspection_queue()[1:] if e.visit is None]
    for entry, (outcome, grounds) in zip(waiting, choices, strict=False):
        doc = entry.document
        if doc.state.value == "on_resolution":
            _assign(doc, users)
        if doc.executor is None:
            continue
        schedule(doc, by=users["licence-head"], inspector=doc.executor,
                 on=max(today, entry.ready_on or today), now=utcnow(), today=today,
                 note="Обследование объекта")
        letter = _answer(doc, outcome, users=users, pki=pki, text=CONCLUSION_TEXT,
                         text_kk=CONCLUSION_TEXT_KK, basis=CONCLUSION_BASIS,
                         basis_kk=CONCLUSION_BASIS_KK, grounds=grounds)
        db.session.commit()
        lines.append(f"{doc.registration_number}: {outcome.value} № {letter.issued_number}")
    return lines
