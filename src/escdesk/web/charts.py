"""Charts as inline SVG, drawn on the server (R-MET): no JavaScript, nothing fetched.

Each chart is readable without colour: every series has its own fill pattern and marker, every
bar and point carries its number, and the legend names the patterns. Each chart is an `img`
with a title and a description; the page puts the table of its numbers one click away.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 40
PATTERNS = ("solid", "hatch", "dots")
INK = "#1d2433"
MUTED = "#5b6475"
LINE = "#e2e5ea"
FILLS = ("#2f5bea", "#c4320a", "#087443")

_DEFS = (
    "<defs>"
    '<pattern id="p-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    f'<line x1="0" y1="0" x2="0" y2="6" stroke="{FILLS[1]}" stroke-width="3"/></pattern>'
    '<pattern id="p-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    f'<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.6" fill="{FILLS[2]}"/>'
    "</pattern></defs>"
)


def _fill(series: int) -> str:
    pattern = PATTERNS[series % len(PATTERNS)]
    return FILLS[0] if pattern == "solid" else f"url(#p-{pattern})"


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _frame(chart_id: str, title: str, description: str, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'font-family="system-ui, sans-serif" font-size="11">'
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>{_DEFS}{body}</svg>'
    )


def _axis(top: float) -> tuple[str, float]:
    """Horizontal grid lines at quarters of `top`, labelled; and the plot's height."""
    plot = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot - plot * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{LINE}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{_number(value)}</text>"
        )
    return "".join(parts), plot


def _nice_top(values: Sequence[float]) -> float:
    biggest = max([*values, 1.0])
    for step in (1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if biggest <= step * 4:
            return float(step * 4)
    return float(biggest)


def empty(chart_id: str, title: str) -> Markup:
    body = (
        f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
        "No data in this period</text>"
    )
    return _frame(chart_id, title, "No data in this period.", body)


def line_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[str, float]],
    *,
    top: float = 100.0,
    goal: float | None = None,
    unit: str = "",
) -> Markup:
    """One series over time, a marker and its value at each point, and an optional goal line."""
    if not points:
        return empty(chart_id, title)
    grid, plot = _axis(top)
    span = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    xy = [
        (LEFT + span * (i + 0.5), TOP + plot - plot * min(v, top) / top)
        for i, (_, v) in enumerate(points)
    ]
    parts = [grid]
    if goal is not None:
        gy = TOP + plot - plot * goal / top
        parts.append(
            f'<line class="goal" x1="{LEFT}" y1="{gy:.1f}" x2="{WIDTH - RIGHT}" y2="{gy:.1f}" '
            f'stroke="{INK}" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{gy - 4:.1f}" text-anchor="end" fill="{INK}">'
            f"goal {_number(goal)}{escape(unit)}</text>"
        )
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{FILLS[0]}" stroke-width="2"/>')
    for (label, value), (x, y) in zip(points, xy, strict=True):
        parts.append(
            f'<rect class="point" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
            f'fill="{FILLS[0]}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{INK}">'
            f"{_number(value)}{escape(unit)}</text>"
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(label)}</text>"
        )
    description = "; ".join(f"{label}: {_number(v)}{unit}" for label, v in points)
    return _frame(chart_id, title, description, "".join(parts))


def bar_chart(
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[str],
) -> Markup:
    """Grouped bars: one group per label, one bar per series, each series its own pattern."""
    if not groups:
        return empty(chart_id, title)
    top = _nice_top([v for _, values in groups for v in values])
    grid, plot = _axis(top)
    span = (WIDTH - LEFT - RIGHT) / len(groups)
    bar = min(28.0, span * 0.8 / max(len(series), 1))
    parts = [grid]
    for g, (label, values) in enumerate(groups):
        start = LEFT + span * g + (span - bar * len(series)) / 2
        for s, value in enumerate(values):
            h = plot * value / top
            x, y = start + bar * s, TOP + plot - h
            parts.append(
                f'<rect class="bar" data-series="{escape(series[s])}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar - 2:.1f}" height="{h:.1f}" fill="{_fill(s)}" stroke="{INK}" '
                f'stroke-width="0.5"/>'
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'fill="{INK}">{_number(value)}</text>'
            )
        parts.append(
            f'<text x="{LEFT + span * (g + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    for s, name in enumerate(series):
        x = LEFT + 110 * s
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{_fill(s)}" stroke="{INK}" '
            f'stroke-width="0.5"/><text x="{x + 16}" y="16" fill="{INK}">{escape(name)} '
            f"({PATTERNS[s % len(PATTERNS)]})</text>"
        )
    description = "; ".join(
        f"{label}: " + ", ".join(f"{n} {_number(v)}" for n, v in zip(series, values, strict=True))
        for label, values in groups
    )
    return _frame(chart_id, title, description, "".join(parts))
