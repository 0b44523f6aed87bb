"""Charts drawn on the server as SVG: no JavaScript, no outside library, nothing fetched.
Each chart has a title and a description for screen readers, and its figures are also in
a table on the page."""

import secrets

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640
BAR_COLOUR = "#1a2f6b"
TEXT = 'font-family="system-ui, sans-serif" font-size="12" fill="#222"'


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ")
    return f"{value:,}".replace(",", " ")


def bar_chart(items, *, title: str, description: str = "", height_per_bar: int = 22):
    """Horizontal bars: [(label, value)], values ≥ 0."""
    items = list(items)
    uid = "c" + secrets.token_hex(4)
    top = max((float(v) for _label, v in items), default=0) or 1
    label_width = 180
    plot = WIDTH - label_width - 70
    height = 30 + height_per_bar * max(len(items), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cmp-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{uid}t {uid}d">',
        f'<title id="{uid}t">{escape(title)}</title>'
        f'<desc id="{uid}d">{escape(description or title)}</desc>',
    ]
    for index, (label, value) in enumerate(items):
        y = 20 + index * height_per_bar
        width = int(plot * float(value) / top)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" {TEXT}>'
            f"{escape(str(label)[:28])}</text>"
            f'<rect x="{label_width}" y="{y}" width="{max(width, 1)}" '
            f'height="{height_per_bar - 6}" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + width + 6}" y="{y + 13}" {TEXT}>{_number(value)}</text>'
        )
    if not items:
        parts.append(f'<text x="10" y="24" {TEXT}>—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every text is escaped


def column_chart(points, *, title: str, description: str = "", height: int = 180):
    """Vertical columns over time: [(label, value)] (days), the first and last labelled."""
    points = list(points)
    uid = "c" + secrets.token_hex(4)
    top = max((float(v) for _label, v in points), default=0) or 1
    count = max(len(points), 1)
    plot_width = WIDTH - 60
    step = plot_width / count
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cmp-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height + 40}" width="{WIDTH}" height="{height + 40}" '
        f'aria-labelledby="{uid}t {uid}d">',
        f'<title id="{uid}t">{escape(title)}</title>'
        f'<desc id="{uid}d">{escape(description or title)}</desc>',
        f'<text x="4" y="14" {TEXT}>{_number(int(top))}</text>',
        f'<line x1="50" y1="{height + 10}" x2="{WIDTH - 5}" y2="{height + 10}" stroke="#888"/>',
    ]
    for index, (_label, value) in enumerate(points):
        bar = int(height * float(value) / top)
        x = 50 + index * step
        parts.append(
            f'<rect x="{x:.1f}" y="{height + 10 - bar}" width="{max(step - 1, 1):.1f}" '
            f'height="{bar}" fill="{BAR_COLOUR}"/>'
        )
    if points:
        parts.append(f'<text x="50" y="{height + 30}" {TEXT}>{escape(str(points[0][0]))}</text>')
        parts.append(
            f'<text x="{WIDTH - 5}" y="{height + 30}" text-anchor="end" {TEXT}>'
            f"{escape(str(points[-1][0]))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every text is escaped
