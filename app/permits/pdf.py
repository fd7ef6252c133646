"""The issued document as a printable A4 PDF (the licence with its appendices, a permit
with its ranges, a талон, a conclusion), read back from the signed XML exactly as sent."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.formats.permits import IssuedDocument, IssuedKind, read_permit
from app.pdffonts import register_fonts
from app.xmlsig.parsing import parse_xml
from app.xmlsig.policy import DEFAULT_MAX_DOCUMENT_BYTES

#: the title of each kind, in both state languages as the licence form prints them
_TITLES = {
    IssuedKind.LICENCE: ("ГОСУДАРСТВЕННАЯ ЛИЦЕНЗИЯ", "МЕМЛЕКЕТТІК ЛИЦЕНЗИЯ"),
    IssuedKind.APPENDIX: ("ПРИЛОЖЕНИЕ К ЛИЦЕНЗИИ", "ЛИЦЕНЗИЯҒА ҚОСЫМША"),
    IssuedKind.NUMBERING_PERMIT: ("РАЗРЕШЕНИЕ НА ВЫДЕЛЕНИЕ НУМЕРАЦИОННОГО РЕСУРСА",
                                  "НӨМІРЛЕУ РЕСУРСЫН БӨЛУГЕ РҰҚСАТ"),
    IssuedKind.NOTIFICATION: ("ТАЛОН О ПРИЁМЕ УВЕДОМЛЕНИЯ О НАЧАЛЕ ДЕЯТЕЛЬНОСТИ",
                              "ҚЫЗМЕТТІҢ БАСТАЛҒАНЫ ТУРАЛЫ ХАБАРЛАМАНЫ ҚАБЫЛДАУ ТАЛОНЫ"),
    IssuedKind.CONCLUSION: ("САНИТАРНО-ЭПИДЕМИОЛОГИЧЕСКОЕ ЗАКЛЮЧЕНИЕ",
                            "САНИТАРИЯЛЫҚ-ЭПИДЕМИОЛОГИЯЛЫҚ ҚОРЫТЫНДЫ"),
}


def read_signed(xml: bytes) -> IssuedDocument:
    """The issued document a signed XML holds (our own, parsed as carefully as any)."""
    tree = parse_xml(xml, max_bytes=DEFAULT_MAX_DOCUMENT_BYTES, max_depth=64)
    return read_permit(tree.getroot())


def render_permit(xml: bytes, *, appendices: tuple[bytes, ...] = (),
                  signed_by: str = "") -> bytes:
    """The PDF of the signed issued document ``xml``, each of ``appendices`` (their signed
    XML) on a page of its own after it; ``signed_by`` names the certificate."""
    register_fonts()
    story: list = []
    attached = tuple(read_signed(source) for source in appendices)
    for position, doc in enumerate((read_signed(xml), *attached)):
        if position:
            story.append(PageBreak())
        # the licence's page lists its appendices, each printed on a page of its own after it
        story += _page(doc, signed_by, appendices=() if position else attached)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=15 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm,
                      title=read_signed(xml).number, author="Qujat").build(story)
    return buffer.getvalue()


def _page(doc: IssuedDocument, signed_by: str, *,
          appendices: tuple[IssuedDocument, ...] = ()) -> list:
    head = ParagraphStyle("head", fontName="DejaVu-Bold", fontSize=14, leading=18, alignment=1)
    sub = ParagraphStyle("sub", fontName="DejaVu", fontSize=10, leading=13, alignment=1,
                         textColor=colors.HexColor("#333333"))
    cell = ParagraphStyle("cell", fontName="DejaVu", fontSize=10, leading=13)
    label = ParagraphStyle("label", fontName="DejaVu-Bold", fontSize=9.5, leading=12)
    small = ParagraphStyle("small", fontName="DejaVu", fontSize=8.5, leading=11,
                           textColor=colors.grey)
    ru, kk = _TITLES[doc.kind]

    def day(value) -> str:
        return value.strftime("%d.%m.%Y") if value else "—"

    rows: list[tuple[str, str]] = [
        ("Номер / Нөмірі", doc.number),
        ("Дата выдачи / Берілген күні", day(doc.issue_date)),
    ]
    if doc.version > 1:
        rows.append(("Переоформлена (версия) / Қайта ресімделді (нұсқа)", str(doc.version)))
    if doc.restored:
        rows.append(("Восстановлено / Қалпына келтірілді", "да / иә"))
    if doc.licence_number and doc.licence_number != doc.number:
        rows.append(("К лицензии № / Лицензияға №", doc.licence_number))
    sanitary = doc.kind in (IssuedKind.NOTIFICATION, IssuedKind.CONCLUSION)
    rows += [
        ("Государственный орган / Мемлекеттік орган" if sanitary else "Лицензиар / Лицензиар",
         doc.issuer.name),
        ("Заявитель (ИИН/БИН) / Өтініш беруші (ЖСН/БСН)" if sanitary
         else "Лицензиат (ИИН/БИН) / Лицензиат (ЖСН/БСН)",
         f"{doc.holder.name} ({doc.holder.identifier})"),
    ]
    if doc.holder.address:
        rows.append(("Адрес / Мекенжайы", doc.holder.address))
    if doc.activity:
        rows.append(("Вид деятельности / Қызмет түрі", doc.activity.name))
    if doc.subactivities:
        rows.append(("Подвиды / Кіші түрлері", "; ".join(s.name for s in doc.subactivities)))
    if doc.territory:
        rows.append(("Территория / Аумақ", doc.territory))
    if doc.object_name:
        rows.append(("Объект / Объект", doc.object_name))
    if doc.object_address:
        rows.append(("Адрес объекта / Объектінің мекенжайы", doc.object_address))
    if doc.valid_from or doc.valid_to:
        rows.append(("Срок действия / Қолданылу мерзімі",
                     f"с {day(doc.valid_from)} по {day(doc.valid_to)}"))
    if doc.positive is not None:
        rows.append(("Заключение / Қорытынды", "положительное / оң" if doc.positive
                     else "отрицательное / теріс"))
    if doc.grounds:
        rows.append(("Основания / Негіздер", "; ".join(doc.grounds)))
    if appendices:
        rows.append(("Приложения / Қосымшалар", "; ".join(
            f"№ {a.number} от {day(a.issue_date)}" for a in appendices)))
    rows.append(("Основание выдачи / Беру негізі",
                 f"{doc.basis.registration_number} от {day(doc.basis.registration_date)} "
                 f"({doc.basis.sender_document_id})"))
    table = Table([[Paragraph(escape(k), label), Paragraph(escape(v), cell)] for k, v in rows],
                  colWidths=[62 * mm, 110 * mm])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
    ]))
    story = [Paragraph(escape(doc.issuer.name), sub), Spacer(1, 6 * mm),
             Paragraph(escape(ru), head), Paragraph(escape(kk), head), Spacer(1, 6 * mm),
             table]
    if doc.allocations:
        ranges = [[Paragraph("Территория / Аумақ", label), Paragraph("Код", label),
                   Paragraph("Номера / Нөмірлер", label), Paragraph("Кол-во / Саны", label)]]
        ranges += [[Paragraph(escape(a.territory), cell), Paragraph(escape(a.area_code or "—"),
                                                                     cell),
                    Paragraph(f"{a.first}–{a.last}", cell), Paragraph(str(a.count), cell)]
                   for a in doc.allocations]
        allocation = Table(ranges, colWidths=[70 * mm, 22 * mm, 50 * mm, 30 * mm])
        allocation.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4,
                                         colors.HexColor("#9aa5b1"))]))
        story += [Spacer(1, 5 * mm), allocation]
    stamp_rows = [[Paragraph(escape("Документ подписан электронной цифровой подписью / "
                                    "Құжат электрондық цифрлық қолтаңбамен қол қойылған"),
                             small)],
                  [Paragraph(escape(f"{doc.signer.position}: {doc.signer.name}"), small)]]
    if signed_by:
        stamp_rows.append([Paragraph(escape(f"Сертификат / Сертификат: {signed_by}"), small)])
    stamp = Table(stamp_rows, colWidths=[120 * mm])
    stamp.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e9c"))]))
    story += [Spacer(1, 10 * mm), stamp]
    return story
