"""The printable registration-control card (регистрационно-контрольная карточка) as a PDF.

What the registry files about a document: its number and date, the author, kind, channel,
signature verdict and attachments, then every resolution (head, instruction, executor,
co-executors, deadline), the control (executor, deadline, closed) and the answer sent
(outgoing number and date). Bilingual, Kazakh then Russian, as state bodies print their
forms. DejaVu Sans is embedded so every Kazakh letter (ә ғ қ ң ө ұ ү һ і) prints whatever
the reader's fonts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from flask_babel import force_locale
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.models import Document
from app.formats.choices import Outcome
from app.pdffonts import register_fonts
from app.resolution.models import Resolution, ResolutionKind
from app.timeutil import local
from app.web.kinds import KIND_LABELS
from app.web.words import day, money

#: the signature verdict in the card's two languages
_VERDICT = {
    "PASSED": "Тексеруден өтті / Проверка пройдена",
    "FAILED": "Тексеруден өтпеді / Проверка не пройдена",
    "INDETERMINATE": "Анықталмады / Не определено",
}

_WIDTHS = [66 * mm, 109 * mm]


def _both(label) -> str:
    """A lazily translated label in Kazakh and in Russian: "kk / ru" (one if they agree)."""
    with force_locale("kk"):
        kk = str(label)
    with force_locale("ru"):
        ru = str(label)
    return ru if kk == ru else f"{kk} / {ru}"


def _named(item) -> str:
    """A department's or portal's name as the card writes its labels: "kk / ru" (the
    Russian alone while the Kazakh is not written)."""
    kk, ru = item.name_in("kk"), item.name_in("ru")
    return ru if kk == ru else f"{kk} / {ru}"


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _author_rows(document: Document) -> list[tuple[str, str]]:
    author = (document.content or {}).get("author", {})
    if document.author_bin:
        representative = " ".join(
            p for p in (author.get("surname"), author.get("name"), author.get("patronymic")) if p
        )
        return [
            ("Ұйым / Организация", author.get("organisation") or document.author_name),
            ("БСН / БИН", document.author_bin),
            ("Өкіл / Представитель", representative),
        ]
    return [
        ("Тегі / Фамилия", author.get("surname", "")),
        ("Аты / Имя", author.get("name", "")),
        ("Әкесінің аты / Отчество", author.get("patronymic") or ""),
        ("ЖСН / ИИН", document.author_iin or ""),
    ]


def _payment_rows(document: Document) -> list[tuple[str, str]]:
    """The fee an application was paid with (elicense's payment page), as the card's
    Russian writes an amount: "3 932,00 ₸, 03.03.2025, № PP-77"."""
    pay = (document.content or {}).get("payment")
    if not pay:
        return []
    paid = [money(pay.get("amount"), language="ru"), day(pay.get("date")),
            f"№ {pay['document_number']}" if pay.get("document_number") else ""]
    return [("Төлем / Оплата", ", ".join(p for p in paid if p))]


class _Styles:
    def __init__(self) -> None:
        self.label = ParagraphStyle("label", fontName="DejaVu", fontSize=7.5, leading=9.5,
                                    textColor=colors.HexColor("#555555"))
        self.value = ParagraphStyle("value", fontName="DejaVu", fontSize=9, leading=11.5)
        self.title = ParagraphStyle("title", fontName="DejaVu-Bold", fontSize=13, leading=16)
        self.body = ParagraphStyle("body", fontName="DejaVu", fontSize=9, leading=11,
                                   textColor=colors.HexColor("#333333"))
        self.number = ParagraphStyle("number", fontName="DejaVu-Bold", fontSize=17,
                                     leading=21)
        self.section = ParagraphStyle("section", fontName="DejaVu-Bold", fontSize=10.5,
                                      leading=13, spaceBefore=4 * mm, spaceAfter=1 * mm,
                                      textColor=colors.HexColor("#1f4e9c"))


def _table(rows: Sequence[tuple[str, str]], styles: _Styles) -> Table:
    table = Table([[Paragraph(escape(k), styles.label),
                    Paragraph(escape(v).replace("\n", "<br/>"), styles.value)]
                   for k, v in rows if v], colWidths=_WIDTHS)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _resolution_rows(r: Resolution, zone: str) -> list[tuple[str, str]]:
    head = r.author.full_name + (f" ({_named(r.department)})" if r.department else "")
    rows = [
        ("Түрі / Вид", _both(r.kind.label)),
        ("Күні / Дата", local(r.created_at, zone).strftime("%d.%m.%Y %H:%M")),
        ("Басшы / Руководитель", head),
        ("Тапсырма / Поручение", r.instruction),
    ]
    standard = r.standard_instruction_text
    if standard and standard == r.instruction.strip():
        rows[-1] = ("Тапсырма / Поручение", f"{r.instruction} (үлгі / типовое)")
    elif standard:
        rows.append(("Үлгі тапсырма / Типовое поручение", standard))
    if r.kind is ResolutionKind.ASSIGN:
        due = _day(r.due_date)
        if r.extension_reason and r.proposed_due_date:
            due += f" ({_day(r.proposed_due_date)} → {_day(r.due_date)}: {r.extension_reason})"
        rows += [
            ("Жауапты орындаушы / Ответственный исполнитель",
             r.executor.full_name if r.executor else ""),
            ("Бірлесіп орындаушылар / Соисполнители",
             ", ".join(u.full_name for u in r.coexecutors) or "—"),
            ("Орындау мерзімі / Срок исполнения", due),
        ]
    elif r.kind is ResolutionKind.DEADLINE:
        rows.append(("Орындау мерзімі / Срок исполнения",
                     f"{_day(r.proposed_due_date) or '—'} → {_day(r.due_date)}"))
    elif r.kind is ResolutionKind.PASS_DOWN and r.to_department:
        rows.append(("Жолданды / Передано", _named(r.to_department)))
    elif r.kind is ResolutionKind.REDIRECT:
        rows.append(("Жолданды / Направлено",
                     f"{r.redirect_body_name} ({r.redirect_body_code})"))
    if r.reason and r.reason != r.instruction:
        rows.append(("Себебі / Причина", r.reason))
    return rows


def _control_rows(document: Document, zone: str) -> list[tuple[str, str]]:
    closed = local(document.closed_at, zone).strftime("%d.%m.%Y") if document.closed_at \
        else ""
    return [
        ("Жағдайы / Состояние", _both(document.state.label)),
        ("Орындаушы / Исполнитель", document.executor.full_name if document.executor else ""),
        ("Бақылау мерзімі / Контрольный срок", _day(document.due_date)),
        ("Тоқтатылды / Приостановлено",
         local(document.suspended_since, zone).strftime("%d.%m.%Y")
         if document.suspended_since else ""),
        ("Бақылаудан алынды / Снято с контроля", closed),
    ]


def _answer_rows(document: Document, zone: str) -> list[tuple[str, str]]:
    rows = []
    for letter in document.letters:
        try:
            outcome = Outcome(letter.outcome)
            decision = f"{outcome.label_in('kk')} / {outcome.label_in('ru')}"
        except ValueError:
            decision = letter.outcome
        signed = local(letter.signed_at, zone).strftime("%d.%m.%Y")
        rows += [
            ("Шығыс нөмірі мен күні / Исх. номер и дата",
             f"{letter.outgoing_number} · {_day(letter.outgoing_date)}"),
            ("Шешім / Решение", decision),
            ("Қол қойған / Подписал", f"{letter.signer.full_name}, {signed}"),
        ]
    return rows


def render_card(document: Document, *, zone: str, body: str = "") -> bytes:
    register_fonts()
    styles = _Styles()
    registered = local(document.registered_at, zone) if document.registered_at else None
    received = local(document.received_at, zone)
    kind = KIND_LABELS.get(document.kind)
    registration = [
        ("Тіркелген күні мен уақыты / Дата и время регистрации",
         registered.strftime("%d.%m.%Y %H:%M") if registered else ""),
        ("Түскен күні / Дата поступления", received.strftime("%d.%m.%Y %H:%M")),
        ("Құжат түрі / Вид документа", _both(kind) if kind else document.kind),
        ("Түсу арнасы / Канал поступления",
         f"{_named(document.sender)} · {document.sender_document_id}"),
        ("ЭЦҚ тексеру / Проверка ЭЦП", _VERDICT.get(document.indication.value,
                                                    document.indication.value)),
        *_author_rows(document),
        *_payment_rows(document),
        ("Алушы / Адресат", document.recipient_name),
        ("Қысқаша мазмұны / Краткое содержание", document.short_content),
        ("Қосымшалар / Приложения",
         f"{len(document.attachments)}" + (": " + ", ".join(
             a.file_name for a in document.attachments) if document.attachments else "")),
    ]
    story: list = []
    if body:
        story.append(Paragraph(escape(body), styles.body))
    story += [
        Paragraph("Тіркеу-бақылау карточкасы<br/>Регистрационно-контрольная карточка",
                  styles.title),
        Spacer(1, 2 * mm),
        Paragraph(escape(document.registration_number or ""), styles.number),
        Spacer(1, 3 * mm),
        _table(registration, styles),
    ]
    # a section is never cut from its heading or split over two pages
    for resolution in document.resolutions:
        story.append(KeepTogether([
            Paragraph(f"Бұрыштама / Резолюция {resolution.level}", styles.section),
            _table(_resolution_rows(resolution, zone), styles)]))
    story.append(KeepTogether([Paragraph("Бақылау / Контроль исполнения", styles.section),
                               _table(_control_rows(document, zone), styles)]))
    answers = _answer_rows(document, zone)
    if answers:
        story.append(KeepTogether([Paragraph("Жауап / Ответ", styles.section),
                                   _table(answers, styles)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=15 * mm,
        topMargin=12 * mm, bottomMargin=12 * mm,
        title=f"Registration card {document.registration_number}", author="Qujat",
    ).build(story)
    return buffer.getvalue()
