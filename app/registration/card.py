"""The printable registration card (регистрационная карточка) as a PDF.

Bilingual, Kazakh then Russian, as state bodies print their forms. DejaVu Sans is
embedded so every Kazakh letter (ә ғ қ ң ө ұ ү һ і) prints whatever the reader's fonts.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents.models import Document
from app.pdffonts import register_fonts
from app.timeutil import local


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


def render_card(document: Document, *, zone: str) -> bytes:
    register_fonts()
    label = ParagraphStyle("label", fontName="DejaVu", fontSize=8.5, textColor=colors.grey,
                           leading=11)
    value = ParagraphStyle("value", fontName="DejaVu", fontSize=10.5, leading=13.5)
    title = ParagraphStyle("title", fontName="DejaVu-Bold", fontSize=14, leading=18)
    number = ParagraphStyle("number", fontName="DejaVu-Bold", fontSize=18, leading=22)

    registered = local(document.registered_at, zone) if document.registered_at else None
    rows: list[tuple[str, str]] = [
        ("Тіркеу нөмірі / Регистрационный номер", document.registration_number or ""),
        ("Тіркелген күні мен уақыты / Дата и время регистрации",
         registered.strftime("%d.%m.%Y %H:%M") if registered else ""),
        *_author_rows(document),
        ("Алушы / Адресат", document.recipient_name),
        ("Қысқаша мазмұны / Краткое содержание", document.short_content),
    ]
    table = Table(
        [[Paragraph(escape(k), label), Paragraph(escape(v), value)] for k, v in rows[1:]],
        colWidths=[62 * mm, 118 * mm],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
    ]))
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=landscape(A5), leftMargin=14 * mm, rightMargin=14 * mm,
        topMargin=12 * mm, bottomMargin=12 * mm,
        title=f"Registration card {document.registration_number}", author="Qujat",
    )
    pdf.build([
        Paragraph("Тіркеу карточкасы / Регистрационная карточка", title),
        Spacer(1, 3 * mm),
        Paragraph(escape(document.registration_number or ""), number),
        Spacer(1, 4 * mm),
        table,
    ])
    return buffer.getvalue()
