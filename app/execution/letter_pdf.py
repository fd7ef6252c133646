"""The signed response letter as a printable A4 PDF: the letterhead, numbers, the
addressee, the answer, the signer, a stamp saying who signed it electronically with which
certificate, and the executor to call.

Everything the letter says is read back from the signed XML exactly as sent, not from the
draft, so the paper and the electronic original cannot differ. Only its frame comes from
the office's records (``LetterFrame``): the body's name in both languages for the
letterhead, the author's postal address, the executor's name and phone.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

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
           "files": "Приложения", "executor": "Исп.", "phone": "тел.",
           "iin": "ИИН"},
    "kk": {"out": "Шығ. №", "of": "", "reply": "{date} № {number} хатқа",
           "decision": "Шешім", "licence": "{date} № {number} лицензия",
           "grounds": "Бас тарту негіздері", "stamp": "Құжат электрондық цифрлық қолтаңбамен "
           "қол қойылған", "signer": "Қол қойған", "certificate": "Сертификат",
           "signed": "Қол қойылған күні", "files": "Қосымшалар", "executor": "Орынд.",
           "phone": "тел.", "iin": "ЖСН"},
}


@dataclass(frozen=True)
class LetterFrame:
    """What frames the signed text on paper, from the office's records."""

    #: the body's name in Kazakh and in Russian (the letterhead); empty: the issuer's
    #: name as signed
    body_kk: str = ""
    body_ru: str = ""
    #: the author's postal address, one line
    address: str = ""
    #: the executor who prepared the reply, and the phone to reach her
    executor: str = ""
    phone: str = ""


def render_letter(letter: Letter, *, author: str, zone: str,
                  frame: LetterFrame | None = None) -> bytes:
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

    frame = frame or LetterFrame()
    date = read.outgoing_date.strftime("%d.%m.%Y")
    numbers = [
        Paragraph(escape(f"{words['out']} {read.outgoing_number} {words['of']} {date}"
                         .replace("  ", " ")), plain),
        Paragraph(escape(words["reply"].format(
            number=read.in_reply_to.registration_number,
            date=read.in_reply_to.registration_date.strftime("%d.%m.%Y"))), plain),
    ]
    addressee = [Paragraph(escape(author), bold)]
    if frame.address:
        addressee.append(Paragraph(escape(frame.address), plain))
    story = [
        _letterhead(read.issuer.name, frame, head),
        Spacer(1, 6 * mm),
        _two_columns(numbers, addressee),
        Spacer(1, 8 * mm),
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
            story.extend(_paragraph(paragraph.strip(), body))
    if read.attachments:
        story.append(Paragraph(escape(words["files"]) + ": " + ", ".join(
            escape(a.file_name) for a in read.attachments), plain))
    story += [
        Spacer(1, 10 * mm),
        _signature(read.signer.position, read.signer.name, bold),
        Spacer(1, 8 * mm),
        _stamp(letter, words, small, zone),
    ]
    if frame.executor:
        executor = f"{words['executor']} {frame.executor}"
        if frame.phone:
            executor += f", {words['phone']} {frame.phone}"
        story += [Spacer(1, 12 * mm), Paragraph(escape(executor), small)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm,
                      title=f"{read.outgoing_number}", author="Qujat").build(story)
    return buffer.getvalue()


#: half the text's width: A4 less the margins (25 and 15 mm) and the frame's 6 pt padding
_HALF = (170 * mm - 12) / 2


def _letterhead(issuer: str, frame: LetterFrame, style: ParagraphStyle) -> Table:
    """The body's name in Kazakh on the left and in Russian on the right, ruled off below;
    one centred name when the directory does not give both."""
    kk, ru = frame.body_kk or issuer, frame.body_ru or issuer
    cells = [[Paragraph(escape(kk), style), Paragraph(escape(ru), style)]] if kk != ru \
        else [[Paragraph(escape(ru), style)]]
    widths = [_HALF, _HALF] if kk != ru else [2 * _HALF]
    table = Table(cells, colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 1.2, colors.HexColor("#1f4e9c")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _signature(position: str, name: str, style: ParagraphStyle) -> Table:
    """The signer's position on the left and her name on the right, on one line."""
    right = ParagraphStyle("right", parent=style, alignment=2)
    table = Table([[Paragraph(escape(position), style), Paragraph(escape(name), right)]],
                  colWidths=[2 * _HALF - 75 * mm, 75 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _two_columns(left: list, right: list) -> Table:
    """The letter's numbers on the left, the addressee on the right, as offices set them."""
    table = Table([[left, right]], colWidths=[_HALF, _HALF])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


#: a line of the answer that is an item of a list: "- …", "– …", "• …", "* …"
_BULLET = re.compile(r"^\s*[-–—•*]\s+")


def _paragraph(text: str, style: ParagraphStyle) -> list:
    """A paragraph of the answer; its lines that start with a dash or a bullet print as a
    bulleted list, the lines before them as a paragraph."""
    lines = text.split("\n")
    out: list = []
    plain: list[str] = []
    items: list[str] = []

    def flush_plain() -> None:
        if plain:
            out.append(Paragraph("<br/>".join(escape(line) for line in plain), style))
            plain.clear()

    def flush_items() -> None:
        if items:
            item_style = ParagraphStyle("item", parent=style, firstLineIndent=0)
            # the bullet where a paragraph's first line starts, the text a little further
            out.append(ListFlowable(
                [ListItem(Paragraph(escape(i), item_style)) for i in items],
                bulletType="bullet", start="•", leftIndent=15 * mm, bulletDedent=5 * mm,
                bulletFontName="DejaVu", bulletFontSize=style.fontSize,
                spaceAfter=style.spaceAfter))
            items.clear()

    for line in lines:
        if _BULLET.match(line):
            flush_plain()
            items.append(_BULLET.sub("", line))
        else:
            flush_items()
            plain.append(line)
    flush_plain()
    flush_items()
    return out


def _certificate_words(subject: str, words: dict) -> str:
    """A readable name of the certificate's owner from its distinguished name: the
    common name (given name and surname), the IIN, the organisation."""
    parts: dict[str, str] = {}
    for piece in re.split(r",\s*(?=[A-Za-z.0-9]+=)", subject):
        key, _, value = piece.partition("=")
        parts.setdefault(key.strip().upper(), value.strip())
    name = " ".join(p for p in (parts.get("CN"), parts.get("GIVENNAME")) if p)
    said = [name or subject]
    serial = parts.get("SERIALNUMBER", "")
    if serial.upper().startswith("IIN"):
        said.append(f"{words['iin']} {serial[3:]}")
    if parts.get("O"):
        said.append(parts["O"])
    return ", ".join(said)


def _stamp(letter: Letter, words: dict, style: ParagraphStyle, zone: str) -> Table:
    signed = local(letter.signed_at, zone).strftime("%d.%m.%Y %H:%M")
    rows = [
        [Paragraph(escape(words["stamp"]), style)],
        [Paragraph(escape(f"{words['signer']}: "
                          f"{_certificate_words(letter.certificate_subject, words)}"), style)],
        [Paragraph(escape(f"{words['certificate']}: {letter.certificate_serial}"), style)],
        [Paragraph(escape(f"{words['signed']}: {signed}"), style)],
    ]
    table = Table(rows, colWidths=[120 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e9c")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
