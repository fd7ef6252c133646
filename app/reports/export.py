"""The report and the journal as files: CSV and XLSX of the same table the page shows, the
journal as XLSX and as a printable PDF. Every file opens with its title, the body, the
period and when it was made."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.pdffonts import register_fonts
from app.reports.discipline import COUNTS, Report
from app.reports.journal import JournalRow


@dataclass(frozen=True)
class Heading:
    """The lines above every table: what it is, whose, for when, made when."""

    title: str
    body: str
    period: str
    made: str

    def lines(self) -> list[str]:
        return [self.title, self.body, self.period, self.made]


Cell = str | int | float | date | None


def report_table(report: Report, *, labels: dict[str, str], sections: dict[str, str],
                 total: str, name_heading: str) -> list[list[Cell]]:
    """The report as rows: for each section its title, its column headings, its lines."""
    header: list[Cell] = [name_heading, *(labels[c] for c in COUNTS), labels["average_days"]]
    rows: list[list[Cell]] = []

    def line(name: str, line_figures) -> list[Cell]:
        return [name, *(getattr(line_figures, c) for c in COUNTS), line_figures.average_days]

    for key, lines in (("departments", report.departments), ("executors", report.executors),
                       ("kinds", report.kinds)):
        rows.append([sections[key]])
        rows.append(list(header))
        rows += [line("    " * item.depth + item.name, item.figures) for item in lines]
        if key == "departments":
            rows.append(line(total, report.total))
        rows.append([])
    return rows


def to_csv(heading: Heading, rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opens Cyrillic and Kazakh right."""
    out = io.StringIO()
    writer = csv.writer(out)
    for text in heading.lines():
        writer.writerow([text])
    writer.writerow([])
    for row in rows:
        writer.writerow(["" if cell is None else _plain(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(heading: Heading, rows: Sequence[Sequence[Cell]], *, sheet: str,
            bold_rows: Callable[[Sequence[Cell]], bool] = lambda row: False) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    for number, text in enumerate(heading.lines(), start=1):
        ws.cell(row=number, column=1, value=text).font = Font(bold=number == 1,
                                                               size=14 if number == 1 else 11)
    first = len(heading.lines()) + 2
    widths: dict[int, int] = {}
    for offset, row in enumerate(rows):
        strong = bold_rows(row)
        for column, cell in enumerate(row, start=1):
            target = ws.cell(row=first + offset, column=column, value=cell)
            if strong:
                target.font = Font(bold=True)
                target.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell, date):
                target.number_format = ("DD.MM.YYYY HH:MM" if isinstance(cell, datetime)
                                        else "DD.MM.YYYY")
            widths[column] = max(widths.get(column, 8), min(len(_plain(cell)) + 2, 48))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%d.%m.%Y %H:%M")
    if isinstance(cell, date):
        return cell.strftime("%d.%m.%Y")
    return str(cell)


def journal_table(rows: Sequence[JournalRow], *, headings: Sequence[str],
                  kind_label: Callable[[str], str], outcome_label: Callable[[JournalRow], str],
                  moment: Callable[[datetime], datetime]) -> list[list[Cell]]:
    """The journal as rows: headings, then one line per document (times on the body's
    clock, naive: a spreadsheet keeps no zone)."""
    table: list[list[Cell]] = [list(headings)]
    for row in rows:
        table.append([row.number, moment(row.registered_at).replace(tzinfo=None), row.author,
                      kind_label(row.kind), row.executor, row.due_date, outcome_label(row)])
    return table


_ROWS_A_TABLE = 40
#: the journal's columns that may need more than one line: author, kind, executor, outcome
_WRAPPED = {2, 3, 4, 6}


def journal_pdf(heading: Heading, table: Sequence[Sequence[Cell]]) -> bytes:
    """The journal as an A4 landscape printout, the headings repeated on every page."""
    register_fonts()
    title = ParagraphStyle("title", fontName="DejaVu-Bold", fontSize=13, leading=17)
    plain = ParagraphStyle("plain", fontName="DejaVu", fontSize=9, leading=12)
    cell = ParagraphStyle("cell", fontName="DejaVu", fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName="DejaVu-Bold", fontSize=8, leading=10)
    story: list[Any] = [Paragraph(escape(heading.title), title)]
    story += [Paragraph(escape(text), plain) for text in heading.lines()[1:]]
    story.append(Spacer(1, 4 * mm))
    headings = [Paragraph(escape(_plain(c)), head) for c in table[0]]
    widths = [w * mm for w in (30, 28, 60, 50, 40, 24, 41)]
    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 1), (-1, -1), "DejaVu", 8),
    ])
    # tables of a few dozen rows, each under the headings: reportlab lays out one long table
    # in time that grows faster than its rows
    for first in range(1, max(len(table), 2), _ROWS_A_TABLE):
        # the short cells as plain text (a Paragraph costs its layout), the long ones wrap
        rows = [[Paragraph(escape(_plain(c)), cell) if i in _WRAPPED else _plain(c)
                 for i, c in enumerate(row)]
                for row in table[first:first + _ROWS_A_TABLE]]
        grid = Table([headings, *rows], colWidths=widths, repeatRows=1)
        grid.setStyle(style)
        story.append(grid)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                      topMargin=12 * mm, bottomMargin=12 * mm, title=heading.title,
                      author="Qujat").build(story)
    return out.getvalue()

