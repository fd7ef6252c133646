"""The report's chart: one stacked bar per line, drawn as SVG on the server (no script, no
library, nothing fetched), so it prints and shows with JavaScript off."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.reports.discipline import Figures, Line

#: what became of the documents, each part of a bar, with its colour
PARTS = (
    ("on_time", "#2e7d32"),
    ("late", "#ef6c00"),
    ("in_time_in_work", "#1e88e5"),
    ("overdue", "#c62828"),
    ("redirected", "#6d4c41"),
    ("left", "#9e9e9e"),
)

_ROW = 26
_LABEL = 230
_BAR = 460
#: the legend: three entries a row
_LEGEND_COLUMN = 245
_LEGEND = 2 * 20 + 8


def _part(figures: Figures, name: str) -> int:
    if name == "in_time_in_work":
        return max(figures.in_work - figures.overdue, 0)
    return int(getattr(figures, name))


def bar_chart(lines: Sequence[Line], *, labels: dict[str, str], title: str) -> Markup:
    """Bars of equal scale (the longest is the line with most documents received)."""
    widest = max((line.figures.received for line in lines), default=0) or 1
    height = _LEGEND + _ROW * max(len(lines), 1) + 8
    width = _LABEL + _BAR + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>"]
    for index, (name, colour) in enumerate(PARTS):
        x, y = _LEGEND_COLUMN * (index % 3), 4 + 20 * (index // 3)
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="{y + 10}">{escape(labels[name])}</text>')
    for index, line in enumerate(lines):
        y = _LEGEND + index * _ROW
        name = str(line.name)
        shown = name if len(name) <= 34 else name[:33] + "…"
        out.append(f'<text x="{4 + 10 * line.depth}" y="{y + 16}">'
                   f'<title>{escape(name)}</title>{escape(shown)}</text>')
        left = _LABEL
        for part, colour in PARTS:
            count = _part(line.figures, part)
            if not count:
                continue
            span = _BAR * count / widest
            out.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{span:.1f}" height="16" '
                       f'fill="{colour}"><title>{escape(labels[part])}: {count}</title></rect>')
            left += span
        out.append(f'<text x="{left + 6:.1f}" y="{y + 16}">{line.figures.received}</text>')
    out.append("</svg>")
    return Markup("".join(out))
