"""Every coded value of the exchange formats, each paired with its labels.

A member is its wire value (the string in the XML, the JSON and the database) and carries
an English label, which is the gettext msgid (marked with ``N_`` so ``pybabel extract -k N_``
finds it), plus Russian and Kazakh labels the UI can show without a catalogue. Looking up
an unknown value raises ValueError, so a typo never becomes a new state.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the conventional name of a no-op gettext marker
    """Mark ``message`` for extraction as a msgid; translation happens where it is shown."""
    return message


class Coded(enum.StrEnum):
    """Base of the coded enums: ``NAME = value, english, russian, kazakh``."""

    label: str
    labels: MappingProxyType[str, str]

    def __new__(cls, value: str, label: str = "", ru: str = "", kk: str = "") -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.labels = MappingProxyType({"en": label, "ru": ru, "kk": kk})
        return member

    def label_in(self, language: str) -> str:
        """The label in ``language`` ("en", "ru", "kk"); English when we have no other."""
        return self.labels.get(language) or self.label

    @classmethod
    def choices(cls, language: str = "en") -> list[tuple[str, str]]:
        """(value, label) pairs in declaration order, for select fields."""
        return [(member.value, member.label_in(language)) for member in cls]


class Language(Coded):
    KK = "kk", N_("Kazakh"), "казахский", "қазақ тілі"
    RU = "ru", N_("Russian"), "русский", "орыс тілі"


class DocumentKind(Coded):
    APPEAL = "appeal", N_("Appeal"), "Обращение", "Өтініш"
    APPLICATION = "application", N_("Application"), "Заявление", "Өтінім"


class AuthorKind(Coded):
    INDIVIDUAL = "individual", N_("Individual"), "Физическое лицо", "Жеке тұлға"
    LEGAL_ENTITY = "legal_entity", N_("Legal entity"), "Юридическое лицо", "Заңды тұлға"


class AppealType(Coded):
    """The kinds of appeal the Administrative Procedural Code knows."""

    PROPOSAL = "proposal", N_("Proposal"), "Предложение", "Ұсыныс"
    STATEMENT = "statement", N_("Statement"), "Заявление", "Арыз"
    COMPLAINT = "complaint", N_("Complaint"), "Жалоба", "Шағым"
    INQUIRY = "inquiry", N_("Inquiry"), "Запрос", "Сауал"
    FEEDBACK = "feedback", N_("Feedback"), "Отклик", "Пікір"

    @property
    def document_kind(self) -> DocumentKind:
        return DocumentKind.APPEAL


class ApplicationKind(Coded):
    LICENCE_NEW = (
        "licence_new", N_("Licence application"),
        "Заявление на получение лицензии", "Лицензия алуға өтініш",
    )
    LICENCE_APPENDIX = (
        "licence_appendix", N_("Licence appendix application"),
        "Заявление на получение приложения к лицензии", "Лицензияға қосымша алуға өтініш",
    )
    LICENCE_REISSUE = (
        "licence_reissue", N_("Licence re-issue application"),
        "Заявление на переоформление лицензии", "Лицензияны қайта ресімдеуге өтініш",
    )
    LICENCE_RESTORE = (
        "licence_restore", N_("Restoration of licence data"),
        "Заявление на восстановление данных о лицензии",
        "Лицензия туралы деректерді қалпына келтіруге өтініш",
    )
    NUMBERING_PERMIT = (
        "numbering_permit", N_("Numbering resource permit application"),
        "Заявление на получение разрешения на выделение нумерационного ресурса",
        "Нөмірлеу ресурсын бөлуге рұқсат алуға өтініш",
    )
    SANITARY_NOTIFICATION = (
        "sanitary_notification", N_("Sanitary notification"),
        "Уведомление о начале деятельности (уведомительный запуск)",
        "Қызметтің басталғаны туралы хабарлама",
    )
    INSPECTION_REQUEST = (
        "inspection_request", N_("Sanitary inspection request"),
        "Заявка с проверкой", "Тексерумен өтінім",
    )

    @property
    def document_kind(self) -> DocumentKind:
        return DocumentKind.APPLICATION


class LicenceCategory(Coded):
    LICENCE = (
        "licence", N_("Licence for an activity"),
        "Лицензия на вид деятельности", "Қызмет түріне лицензия",
    )
    APPENDIX = "appendix", N_("Licence appendix"), "Приложение к лицензии", "Лицензияға қосымша"


class ReissueReason(Coded):
    """Grounds for re-issuing a licence (Law "On permits and notifications", art. 33)."""

    REORGANISATION = (
        "reorganisation", N_("Reorganisation of the legal entity"),
        "Реорганизация юридического лица", "Заңды тұлғаны қайта ұйымдастыру",
    )
    NAME_CHANGE = (
        "name_change", N_("Change of the legal entity's name"),
        "Изменение наименования юридического лица", "Заңды тұлғаның атауының өзгеруі",
    )
    ADDRESS_CHANGE = (
        "address_change", N_("Change of address"),
        "Изменение места нахождения", "Орналасқан жерінің өзгеруі",
    )
    PERSONAL_NAME_CHANGE = (
        "personal_name_change", N_("Change of the individual's name"),
        "Изменение фамилии, имени, отчества", "Тегінің, атының, әкесінің атының өзгеруі",
    )
    TRANSFER = (
        "transfer", N_("Transfer of the licence"),
        "Отчуждение лицензии", "Лицензияны иеліктен шығару",
    )
    OTHER = "other", N_("Other"), "Иное", "Басқа"


class SanitaryProcedure(Coded):
    """What InfoKazakhstan shows next to the chosen activity kind."""

    NOTIFICATION = (
        "notification", N_("Notification launch"),
        "Уведомительный запуск", "Хабарламамен іске қосу",
    )
    INSPECTION = (
        "inspection", N_("Launch after inspection"),
        "Заявка с проверкой", "Тексерумен іске қосу",
    )


class MarkKind(Coded):
    """The steps a portal shows the citizen, each sent back as a signed status mark."""

    DELIVERED = "delivered", N_("Delivered"), "Доставка", "Жеткізу"
    REGISTERED = "registered", N_("Registered"), "Регистрация", "Тіркеу"
    REFUSED = (
        "refused", N_("Registration refused"),
        "Отказ в регистрации", "Тіркеуден бас тарту",
    )
    PASSED_TO_RESOLUTION = (
        "passed_to_resolution", N_("Passed to resolution"),
        "Передача на резолюцию", "Бұрыштамаға беру",
    )
    PASSED_TO_EXECUTION = (
        "passed_to_execution", N_("Passed to execution"),
        "Передача на исполнение", "Орындауға беру",
    )
    EXECUTED = "executed", N_("Executed"), "Исполнение", "Орындау"
    LETTER = "letter", N_("Reply sent"), "Письмо", "Хат"
    REDIRECTED = (
        "redirected", N_("Redirected by competence"),
        "Перенаправлено по компетенции", "Құзыреті бойынша жіберілді",
    )
    LEFT_WITHOUT_CONSIDERATION = (
        "left_without_consideration", N_("Left without consideration"),
        "Оставлено без рассмотрения", "Қараусыз қалдырылды",
    )
    #: the head's reasoned decision moved the deadline (APC RK: at most two months in all)
    EXTENDED = (
        "extended", N_("Deadline extended"),
        "Продление срока", "Мерзімді ұзарту",
    )


class RefusalReason(Coded):
    """Why the document service refused to register a document."""

    EDS_CHECK_FAILED = (
        "eds_check_failed", N_("Negative result of the EDS check"),
        "Отрицательный результат проверки ЭЦП", "ЭЦҚ тексерудің теріс нәтижесі",
    )
    SIGNER_NOT_AUTHOR = (
        "signer_not_author", N_("The signer is not the author"),
        "Подписавший не является автором", "Қол қоюшы автор емес",
    )
    FORMAT_INVALID = (
        "format_invalid", N_("The document does not match the exchange format"),
        "Документ не соответствует формату обмена", "Құжат алмасу форматына сәйкес емес",
    )
    REQUIRED_DATA_MISSING = (
        "required_data_missing", N_("Required details are missing"),
        "Отсутствуют обязательные реквизиты", "Міндетті деректемелер жоқ",
    )
    ATTACHMENTS_INVALID = (
        "attachments_invalid", N_("Attachments are damaged or too large"),
        "Вложения повреждены или превышают допустимый размер",
        "Қосымшалар бүлінген немесе рұқсат етілген көлемнен асады",
    )
    DUPLICATE = (
        "duplicate", N_("The document was already received"),
        "Документ уже поступал", "Құжат бұрын түскен",
    )
    ANONYMOUS = (
        "anonymous", N_("Anonymous: the author cannot be identified"),
        "Анонимное обращение: автора невозможно установить",
        "Жасырын өтініш: авторды анықтау мүмкін емес",
    )
    UNREADABLE = (
        "unreadable", N_("The text cannot be read"),
        "Текст не поддаётся прочтению", "Мәтінді оқу мүмкін емес",
    )
    NOT_ADDRESSED_TO_US = (
        "not_addressed_to_us", N_("Not addressed to this state body"),
        "Адресовано другому государственному органу", "Басқа мемлекеттік органға жолданған",
    )
    OFFENSIVE = (
        "offensive", N_("Contains obscene or offensive language"),
        "Содержит нецензурные или оскорбительные выражения",
        "Әдепсіз немесе қорлайтын сөздер бар",
    )
    INCOMPLETE = (
        "incomplete", N_("The documents the procedure requires are incomplete"),
        "Представлен неполный пакет документов",
        "Құжаттардың толық емес топтамасы ұсынылды",
    )
    # InfoKazakhstan's warnings (seed 003): data the office cannot work with
    WRONG_PHONE = (
        "wrong_phone", N_("The phone number is wrong: the office cannot reach the applicant"),
        "Неверный номер телефона: сотрудник не может связаться с заявителем",
        "Телефон нөмірі қате: қызметкер өтініш берушімен байланыса алмайды",
    )
    WRONG_EMAIL = (
        "wrong_email", N_("The e-mail address does not work: notices cannot reach the applicant"),
        "Недействующий адрес электронной почты: уведомления не доходят до заявителя",
        "Электрондық пошта мекенжайы жарамсыз: хабарламалар өтініш берушіге жетпейді",
    )
    INACCURATE_DATA = (
        "inaccurate_data", N_("The details given are not current or not true"),
        "Указаны неактуальные или неверные данные",
        "Өзекті емес немесе дұрыс емес деректер көрсетілген",
    )
    OTHER = "other", N_("Other"), "Иное", "Басқа"


class Outcome(Coded):
    """What a response letter decides."""

    SATISFIED = "satisfied", N_("Satisfied"), "Удовлетворено", "Қанағаттандырылды"
    REFUSED = "refused", N_("Refused"), "Отказано", "Бас тартылды"
    EXPLAINED = "explained", N_("Explained"), "Разъяснено", "Түсіндірілді"
    LEFT_WITHOUT_CONSIDERATION = (
        "left_without_consideration", N_("Left without consideration"),
        "Оставлено без рассмотрения", "Қараусыз қалдырылды",
    )
    LICENCE_ISSUED = (
        "licence_issued", N_("Decision to issue"),
        "Решение о выдаче", "Беру туралы шешім",
    )
    LICENCE_REFUSED = (
        "licence_refused", N_("Decision to refuse"),
        "Решение об отказе в выдаче", "Беруден бас тарту туралы шешім",
    )
    APPENDIX_ISSUED = (
        "appendix_issued", N_("Appendix to the licence issued"),
        "Выдано приложение к лицензии", "Лицензияға қосымша берілді",
    )
    LICENCE_REISSUED = (
        "licence_reissued", N_("Licence re-issued"),
        "Лицензия переоформлена", "Лицензия қайта ресімделді",
    )
    DATA_RESTORED = (
        "data_restored", N_("Licence data restored"),
        "Данные о лицензии восстановлены", "Лицензия туралы деректер қалпына келтірілді",
    )
    PERMIT_ISSUED = (
        "permit_issued", N_("Permit issued"),
        "Разрешение выдано", "Рұқсат берілді",
    )
    NOTIFICATION_ACCEPTED = (
        "notification_accepted", N_("Notification accepted"),
        "Уведомление принято", "Хабарлама қабылданды",
    )
    CONCLUSION_POSITIVE = (
        "conclusion_positive", N_("Positive sanitary-epidemiological conclusion"),
        "Положительное санитарно-эпидемиологическое заключение",
        "Оң санитариялық-эпидемиологиялық қорытынды",
    )
    CONCLUSION_NEGATIVE = (
        "conclusion_negative", N_("Negative sanitary-epidemiological conclusion"),
        "Отрицательное санитарно-эпидемиологическое заключение",
        "Теріс санитариялық-эпидемиологиялық қорытынды",
    )


class ExecutionDecision(Coded):
    """What the "executed" mark tells the citizen was decided (seed 004's dark brown circle),
    derived from the letter's outcome (app/formats/decisions.py)."""

    ISSUED = "issued", N_("Decision to issue"), "Решение о выдаче", "Беру туралы шешім"
    REFUSED = (
        "refused", N_("Decision to refuse"),
        "Решение об отказе", "Бас тарту туралы шешім",
    )
    NOTIFICATION_ACCEPTED = (
        "notification_accepted", N_("Notification accepted"),
        "Уведомление принято", "Хабарлама қабылданды",
    )
    CONCLUSION_POSITIVE = (
        "conclusion_positive", N_("Positive sanitary-epidemiological conclusion"),
        "Положительное санитарно-эпидемиологическое заключение",
        "Оң санитариялық-эпидемиологиялық қорытынды",
    )
    CONCLUSION_NEGATIVE = (
        "conclusion_negative", N_("Negative sanitary-epidemiological conclusion"),
        "Отрицательное санитарно-эпидемиологическое заключение",
        "Теріс санитариялық-эпидемиологиялық қорытынды",
    )
    ANSWERED = "answered", N_("Answer given"), "Дан ответ", "Жауап берілді"
