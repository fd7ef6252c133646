"""The signed response letter as a printable A4 PDF: the letterhead, numbers, the answer,
the signer, and a stamp saying who signed it electronically with which certificate.

Everything printed is read back from the signed XML exactly as sent, not from the draft,
so the paper and the electronic original cannot differ.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.execution.models import Letter
from app.formats.letters import read_response_letter
from app.pdffonts import register_fonts
from app.timeutil import local
from app.xmlsig.parsing import parse_xml
from app.xmlsig.policy import DEFAULT_MAX_DOCUMENT_BYTES

#: the letter's own words, in the language it is written in
_WORDS = {
    "ru": {"out": "Исх. №", "of": "от", "reply": "На № {number} от {date}",
           "decision": "Решение", "licence": "Лицензия № {number} от {date}",
           "grounds": "Основания отказа", "stamp": "Документ подписан электронной цифровой "
           "подписью", "signer": "Подписал", "certificate": "Сертификат", "signed": "Дата подписи",
           "files": "Приложения"},
    "kk": {"out": "Шығ. №", "of": "", "reply": "{date} № {number} хатқа",
           "decision": "Шешім", "licence": "{date} № {number} лицензия",
           "grounds": "Бас тарту негіздері", "stamp": "Құжат электрондық цифрлық қолтаңбамен "
           "қол қойылған", "signer": "Қол қойған", "certificate": "Сертификат",
           "signed": "Қол қойылған күні", "files": "Қосымшалар"},
}


def render_letter(letter: Letter, *, author: str, zone: str) -> bytes:
    register_fonts()
    # our own signed letter, but parsed as carefully as anything else
    tree = parse_xml(letter.xml, max_bytes=DEFAULT_MAX_DOCUMENT_BYTES, max_depth=64)
    read = read_response_letter(tree.getroot())
    words = _WORDS.get(read.language.value, _WORDS["ru"])
    small = ParagraphStyle("small", fontName="DejaVu", fontSize=8.5, leading=11,
                           textColor=colors.grey)
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=11, leading=15, spaceAfter=6,
                          firstLineIndent=10 * mm)
    plain = ParagraphStyle("plain", fontName="DejaVu", fontSize=11, leading=15)
    bold = ParagraphStyle("bold", fontName="DejaVu-Bold", fontSize=11, leading=15)
    head = ParagraphStyle("head", fontName="DejaVu-Bold", fontSize=13, leading=17,
                          alignment=1)

    date = read.outgoing_date.strftime("%d.%m.%Y")
    story = [
        Paragraph(escape(read.issuer.name), head),
        Spacer(1, 6 * mm),
        Paragraph(escape(f"{words['out']} {read.outgoing_number} {words['of']} {date}"
                         .replace("  ", " ")), plain),
        Paragraph(escape(words["reply"].format(
            number=read.in_reply_to.registration_number,
            date=read.in_reply_to.registration_date.strftime("%d.%m.%Y"))), plain),
        Spacer(1, 4 * mm),
        Paragraph(escape(author), bold),
        Spacer(1, 6 * mm),
        Paragraph(escape(f"{words['decision']}: {read.outcome.label_in(read.language.value)}"),
                  bold),
    ]
    if read.issued_licence:
        story.append(Paragraph(escape(words["licence"].format(
            number=read.issued_licence.number,
            date=read.issued_licence.issue_date.strftime("%d.%m.%Y"))), plain))
    if read.refusal_grounds:
        story.append(Paragraph(escape(words["grounds"]) + ": " + "; ".join(
            escape(g) for g in read.refusal_grounds), plain))
    story.append(Spacer(1, 4 * mm))
    for paragraph in read.text.split("\n\n"):
        if paragraph.strip():
            story.append(Paragraph(escape(paragraph.strip()).replace("\n", "<br/>"), body))
    if read.attachments:
        story.append(Paragraph(escape(words["files"]) + ": " + ", ".join(
            escape(a.file_name) for a in read.attachments), plain))
    story += [
        Spacer(1, 10 * mm),
        Paragraph(escape(f"{read.signer.position}    {read.signer.name}"), bold),
        Spacer(1, 8 * mm),
        _stamp(letter, words, small, zone),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm,
                      title=f"{read.outgoing_number}", author="Qujat").build(story)
    return buffer.getvalue()


def _stamp(letter: Letter, words: dict, style: ParagraphStyle, zone: str) -> Table:
    signed = local(letter.signed_at, zone).strftime("%d.%m.%Y %H:%M")
    rows = [
        [Paragraph(escape(words["stamp"]), style)],
        [Paragraph(escape(f"{words['signer']}: {letter.certificate_subject}"), style)],
        [Paragraph(escape(f"{words['certificate']}: {letter.certificate_serial}"), style)],
        [Paragraph(escape(f"{words['signed']}: {signed}"), style)],
    ]
    table = Table(rows, colWidths=[120 * mm])
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e9c")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
