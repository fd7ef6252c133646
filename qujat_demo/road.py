"""The demo's body and its day: departments, routes, people, and documents already on
their way (registered, resolved, drafted, on approval, answered, redirected), moved by the
same domain functions the desks call, so every desk has something to show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

#: (code, name, parent code, head login)
DEPARTMENTS = (
    ("MGMT", "Аппарат акима", None, "head"),
    ("ROADS", "Отдел пассажирского транспорта и автомобильных дорог", "MGMT", "roads-head"),
    ("LIC", "Отдел предпринимательства и лицензирования", "MGMT", "licence-head"),
)
#: login -> department code, position, IIN (the signer's key is issued to hers)
PLACES = {
    "head": ("MGMT", "Заместитель акима", None),
    "roads-head": ("ROADS", "Руководитель отдела", None),
    "licence-head": ("LIC", "Руководитель отдела", None),
    "executor": ("ROADS", "Главный специалист", None),
    "coexecutor": ("ROADS", "Ведущий специалист", None),
    "licensing": ("LIC", "Главный специалист", None),
    "signer": ("MGMT", "Руководитель аппарата акима", "830417401559"),
}
#: (position, kind or None, activity words or None, department code)
ROUTES = (
    (10, "licence_new", None, "LIC"),
    (11, "licence_appendix", None, "LIC"),
    (12, "licence_reissue", None, "LIC"),
    (13, "licence_restore", None, "LIC"),
    (14, "numbering_permit", None, "LIC"),
    (15, "sanitary_notification", None, "LIC"),
    (16, "inspection_request", None, "LIC"),
    (100, None, None, "MGMT"),
)
#: routes by the object's region and district (app/formats/regions.py): (position, kind,
#: region code, district code, department code)
PLACE_ROUTES = (
    (5, "inspection_request", "ALA", "ALA-MED", "LIC"),
)

ANSWER = (
    "Ваше обращение рассмотрено. Ремонт дороги по указанному адресу включён в план "
    "текущего ремонта автомобильных дорог на 2027 год; работы начнутся в мае после "
    "завершения отопительного сезона. Подрядная организация будет определена по итогам "
    "конкурса, о ходе работ сообщим дополнительно."
)
BASIS = "Статья 89 Административного процедурно-процессуального кодекса Республики Казахстан."
ANSWER_KK = (
    "Сіздің өтінішіңіз қаралды. Көрсетілген мекенжайдағы жолды жөндеу 2027 жылға арналған "
    "автомобиль жолдарын ағымдағы жөндеу жоспарына енгізілді; жұмыстар жылыту маусымы "
    "аяқталғаннан кейін мамыр айында басталады. Мердігер ұйым конкурс қорытындысы бойынша "
    "анықталады, жұмыстардың барысы туралы қосымша хабарлаймыз."
)
BASIS_KK = "Қазақстан Республикасы Әкімшілік рәсімдік-процестік кодексінің 89-бабы."


def seed_org() -> None:
    from app.auth.models import User
    from app.extensions import db
    from app.org.models import Department, Route

    users = {u.login: u for u in db.session.scalars(select(User))}
    departments: dict[str, Department] = {}
    for code, name, parent, head in DEPARTMENTS:
        departments[code] = Department(code=code, name=name, parent=departments.get(parent),
                                       head=users[head])
        db.session.add(departments[code])
    for login, (code, position, iin) in PLACES.items():
        users[login].department = departments[code]
        users[login].position = position
        users[login].iin = iin
    for position, kind, activity, code in ROUTES:
        db.session.add(Route(position=position, kind=kind, activity=activity,
                             department=departments[code]))
    for position, kind, region, district, code in PLACE_ROUTES:
        db.session.add(Route(position=position, kind=kind, region=region, district=district,
                             department=departments[code]))
    db.session.commit()


def move_documents_along(app, pki) -> list[str]:
    """Register what arrived and walk a few documents down the road."""
    from app.auth.models import User
    from app.documents.models import Document
    from app.documents.states import DocumentState
    from app.documents.storage import blob_store
    from app.execution import service as execution
    from app.execution.signing import sign_letter
    from app.extensions import db
    from app.registration.service import register
    from app.resolution import service as resolution
    from app.settings import current_settings
    from app.timeutil import utcnow
    from app.trust import official_policy
    from app.workflow.deadlines import DeadlineRules
    from app.xmlsig.report import Indication

    zone = app.extensions["qujat.settings"].body.zone
    lines: list[str] = []
    with app.app_context():
        users = {u.login: u for u in db.session.scalars(select(User))}
        docs = list(db.session.scalars(
            select(Document).where(Document.indication == Indication.PASSED)
            .order_by(Document.id)))
        # the clerk leaves the last two for the inbox
        for doc in docs[:-2]:
            register(doc, clerk=users["clerk"], now=utcnow(), zone=zone)
        db.session.commit()
        on_resolution = [d for d in docs if d.state is DocumentState.ON_RESOLUTION]
        appeals = [d for d in on_resolution if d.family.value == "appeal"]
        licences = [d for d in on_resolution if d.family.value == "application"]
        rules = DeadlineRules.of(current_settings())

        def assign(doc, head, executor, coexecutors=(), shorten=0):
            proposed = resolution.proposed_due_date(doc, rules)
            due = proposed - timedelta(days=shorten)
            resolution.assign(doc, head=head, executor=executor, coexecutors=coexecutors,
                              due_date=due, proposed=proposed, now=utcnow(), zone=zone,
                              instruction="Рассмотреть и подготовить ответ")

        def reply(doc, outcome="explained"):
            kazakh = doc.language == "kk"  # the answer is written in the appeal's language
            execution.save_draft(doc, executor=doc.executor, now=utcnow(), draft_version=None,
                                 outcome=outcome, text=ANSWER_KK if kazakh else ANSWER,
                                 legal_basis=BASIS_KK if kazakh else BASIS,
                                 appeal_procedure=execution.draft_of(doc).appeal_procedure)
            execution.submit(doc, executor=doc.executor, now=utcnow(),
                             acknowledge_warnings=True)

        if len(appeals) >= 5:
            # 1: passed down, assigned, answered and signed
            first = appeals[0]
            resolution.pass_down(first, head=users["head"],
                                 to_department=users["roads-head"].department, now=utcnow(),
                                 instruction="Отделу дорог: рассмотреть")
            assign(first, users["roads-head"], users["executor"], [users["coexecutor"]])
            reply(first)
            execution.approve(first, head=users["roads-head"], signer=users["signer"],
                              now=utcnow())
            key = pki.keys["gost_official_sign"].path.read_bytes()
            sign_letter(first, official=users["signer"], pkcs12=key, password=pki.password,
                        now=utcnow(), policy=official_policy(),
                        body=current_settings().body, store=blob_store())
            # 2: on the official's signature; 3: waits for the head's approval
            assign(appeals[1], users["head"], users["executor"])
            reply(appeals[1])
            execution.approve(appeals[1], head=users["head"], signer=users["signer"],
                              now=utcnow())
            assign(appeals[2], users["head"], users["executor"], shorten=10)
            reply(appeals[2])
            # 4: redirected by competence; 5 stays on the head's desk
            resolution.redirect(appeals[3], head=users["head"], body_code="MVD-ALM",
                                body_name="Департамент полиции города Алматы",
                                reason="Вопрос относится к компетенции полиции", now=utcnow())
        for doc in licences[:2]:
            assign(doc, users["licence-head"], users["licensing"])
        db.session.commit()
        # the inspection queue: the first object to be ready gets its inspector and day
        from app.inspections.service import inspection_queue, schedule

        queue = inspection_queue()
        if queue and queue[0].ready_on is not None:
            today = utcnow().date()
            schedule(queue[0].document, by=users["licence-head"], inspector=users["licensing"],
                     on=max(queue[0].ready_on, today) + timedelta(days=1), now=utcnow(),
                     today=today, note="Выезд с санитарным врачом")
            db.session.commit()
        for doc in docs:
            lines.append(f"{doc.registration_number or doc.sender_document_id}: "
                         f"{doc.state.value}")
    return lines
