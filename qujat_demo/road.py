"""The demo's body and its day: departments, routes, people, and documents already on
their way (registered, resolved, drafted, on approval, answered, redirected, extended,
suspended), moved by the same domain functions the desks call, so every desk has
something to show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

#: (code, name, parent code, head login)
DEPARTMENTS = (
    ("MGMT", "Аппарат акима", None, "head"),
    ("ROADS", "Отдел пассажирского транспорта и автомобильных дорог", "MGMT", "roads-head"),
    ("LIC", "Отдел предпринимательства и лицензирования", "MGMT", "licence-head"),
)
#: the departments' names in Kazakh and English, by code
DEPARTMENT_NAMES = {
    "MGMT": ("Әкім аппараты", "Akim's Office"),
    "ROADS": ("Жолаушылар көлігі және автомобиль жолдары бөлімі",
              "Department of Passenger Transport and Motor Roads"),
    "LIC": ("Кәсіпкерлік және лицензиялау бөлімі",
            "Department of Entrepreneurship and Licensing"),
}
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
#: the positions in Kazakh, written under a letter in Kazakh
POSITIONS_KK = {
    "Заместитель акима": "Әкімнің орынбасары",
    "Руководитель отдела": "Бөлім басшысы",
    "Главный специалист": "Бас маман",
    "Ведущий специалист": "Жетекші маман",
    "Руководитель аппарата акима": "Әкім аппаратының басшысы",
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
        name_kk, name_en = DEPARTMENT_NAMES[code]
        departments[code] = Department(code=code, name=name, name_kk=name_kk, name_en=name_en,
                                       parent=departments.get(parent), head=users[head])
        db.session.add(departments[code])
    for login, (code, position, iin) in PLACES.items():
        users[login].department = departments[code]
        users[login].position = position
        users[login].iin = iin
        users[login].position_kk = POSITIONS_KK.get(position, "")
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
    from app.deadlines.service import setup_of, urgency_rules
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
    from app.xmlsig.report import Indication

    zone = app.extensions["qujat.settings"].body.zone
    lines: list[str] = []
    with app.app_context():
        users = {u.login: u for u in db.session.scalars(select(User))}
        docs = list(db.session.scalars(
            select(Document).where(Document.indication == Indication.PASSED)
            .order_by(Document.id)))
        deadlines = setup_of(current_settings())
        rules = urgency_rules(current_settings())
        # the clerk leaves the last two for the inbox
        for doc in docs[:-2]:
            register(doc, clerk=users["clerk"], now=utcnow(), zone=zone, deadlines=deadlines)
        db.session.commit()
        on_resolution = [d for d in docs if d.state is DocumentState.ON_RESOLUTION]
        appeals = [d for d in on_resolution if d.family.value == "appeal"]
        licences = [d for d in on_resolution if d.family.value == "application"]

        def assign(doc, head, executor, coexecutors=(), shorten=0):
            proposed = resolution.proposed_due_date(doc, deadlines)
            due = proposed - timedelta(days=shorten)
            resolution.assign(doc, head=head, executor=executor, coexecutors=coexecutors,
                              due_date=due, proposed=proposed, now=utcnow(), rules=rules,
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
        if len(appeals) >= 7:
            _control(appeals[5], appeals[6], users=users, rules=rules, assign=assign)
        db.session.commit()
        # the register of permits: a licence, a permit, a talon, restored data (signed)
        from qujat_demo.permits import issue_demo_permits

        lines += issue_demo_permits(app, pki, users=users, assign=assign, zone=zone)
        for doc in [d for d in licences if d.state is DocumentState.ON_RESOLUTION][:2]:
            assign(doc, users["licence-head"], users["licensing"])
        _for_the_reports(appeals, licences, users, rules=rules, deadlines=deadlines)
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


def _control(extended, suspended, *, users, rules, assign) -> None:
    """Control of execution: the executor asks for more time on one appeal and the head
    grants it (the author's portal gets the "extended" mark); the head suspends another
    while another body's answer is awaited."""
    from app.control import service as control
    from app.timeutil import utcnow

    assign(extended, users["head"], users["executor"])
    asked = control.request_extension(
        extended, executor=users["executor"], now=utcnow(), rules=rules,
        due=min(rules.calendar.add_working_days(extended.due_date, 10),
                control.extension_limit(extended, rules)),
        reason="Запрошены сведения в отделе архитектуры; ответ ожидается через неделю")
    control.extend(extended, head=users["head"], due=asked.due, reason=asked.reason,
                   now=utcnow(), rules=rules, request=asked)
    assign(suspended, users["head"], users["executor"])
    control.suspend(suspended, head=users["head"], now=utcnow(),
                    reason="Запрошено заключение Комитета автомобильных дорог МИИР РК")


def press_deadlines(app) -> list[str]:
    """Bring three deadlines close, so the notifications have something to say from the
    first minute: the demo's only time travel (a real office gets there by waiting).

    The appeal waiting for the head's approval is a working day overdue (the executor and
    the head each get an overdue notice); the one on signature is due in 3 working days
    and a licence in execution in 1 (their executors are reminded). The reminders are then
    written as the worker's job writes them, which it does again at start."""
    from app.auth.models import User
    from app.deadlines.service import urgency_rules
    from app.documents.models import Document
    from app.documents.states import DocumentState
    from app.extensions import db
    from app.notifications.reminders import write_reminders
    from app.resolution.models import Resolution, ResolutionKind
    from app.settings import current_settings
    from app.timeutil import local, utcnow

    lines: list[str] = []
    with app.app_context():
        settings = current_settings()
        # the deadlines' calendar, the administrator's day swaps too, as the job counts
        calendar = urgency_rules(settings).calendar
        today = local(utcnow(), settings.body.zone).date()
        last_working_day = today - timedelta(days=1)
        while not calendar.is_working_day(last_working_day):
            last_working_day -= timedelta(days=1)
        pressing = [
            (DocumentState.ON_APPROVAL, "executor", last_working_day),
            (DocumentState.ON_SIGNATURE, "executor", calendar.add_working_days(today, 3)),
            (DocumentState.IN_EXECUTION, "licensing", calendar.add_working_days(today, 1)),
        ]
        for state, login, due in pressing:
            doc = db.session.scalar(
                select(Document).join(User, User.id == Document.executor_id)
                .where(Document.state == state, User.login == login).order_by(Document.id))
            if doc is None:
                continue
            doc.due_date = due
            assigned = db.session.scalar(
                select(Resolution).where(Resolution.document_id == doc.id,
                                         Resolution.kind == ResolutionKind.ASSIGN)
                .order_by(Resolution.id.desc()))
            if assigned is not None:
                assigned.due_date = due
            lines.append(f"{doc.registration_number}: due {due.isoformat()}")
        db.session.commit()
        written = write_reminders(settings, today=today, calendar=calendar)
        lines.append(f"{written} notification(s) waiting")
    return lines
def _for_the_reports(appeals, licences, users, *, rules, deadlines) -> None:
    """What the discipline report counts beyond the road above: an appeal left without
    consideration, and a licence whose deadline the head extended with a reason."""
    from app.documents.states import DocumentState
    from app.resolution import service as resolution
    from app.timeutil import utcnow

    # the first appeal still on the head's desk after the road above (the 5th stays there)
    waiting = [a for a in appeals[5:] if a.state is DocumentState.ON_RESOLUTION]
    if waiting:
        resolution.leave_without_consideration(
            waiting[0], head=users["head"], now=utcnow(),
            reason="Обращение не содержит сути вопроса (анонимное по существу)")
    # a licence in execution (the register's licences above are answered already)
    working = [d for d in licences
               if d.state is DocumentState.IN_EXECUTION and d.due_date is not None]
    if working:
        # an extension (later than the legal deadline): within the law's limit, the author
        # told by an "extended" mark
        from app.control.service import extension_limit

        later = min(working[0].due_date + timedelta(days=14),
                    extension_limit(working[0], rules))
        resolution.change_deadline(
            working[0], head=users["licence-head"], due_date=later, now=utcnow(), rules=rules,
            legal=resolution.legal_due_date(working[0], deadlines),
            reason="Запрошено заключение другого государственного органа")
