"""What the metrics page draws (R-MET): the report's figures turned into chart series."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from markupsafe import Markup

from escdesk.domain.errors import InvalidInput
from escdesk.domain.metrics import (
    CSAT_GOAL,
    DEFINITIONS,
    FIRST_CONTACT_GOAL,
    MetricsReport,
    Share,
    weekly_shares,
)
from escdesk.web import charts
from escdesk.web.pages import zone_of


@dataclass(frozen=True)
class Chart:
    figure: str
    title: str
    definition: str
    svg: Markup
    columns: list[str]
    rows: list[list[object]]
    csv_url: str


def day(value: str | None, field: str, timezone: str, *, end: bool = False) -> datetime | None:
    """A date of the filter form (YYYY-MM-DD) as the start of that day, or of the next one,
    on the viewer's clock (`timezone`); returned in UTC."""
    if not value:
        return None
    try:
        first = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a date", "Give a date as YYYY-MM-DD") from None
    first += timedelta(days=1) if end else timedelta()
    # A day whose midnight the clocks skip starts at the first moment it has: fold 0 gives it.
    return datetime.combine(first, time(), zone_of(timezone)).astimezone(UTC)


def _week(d: date) -> str:
    return d.strftime("%d %b")


def _shares(shares: list[Share]) -> list[tuple[str, float]]:
    return [(_week(share.week), share.percent) for share in shares]


def charts_of(report: MetricsReport, query: dict[str, str]) -> list[Chart]:
    def csv(figure: str) -> str:
        params = urlencode({k: v for k, v in query.items() if v})
        return f"/figures/{figure}.csv" + (f"?{params}" if params else "")

    def chart(figure: str, title: str, svg: Markup) -> Chart:
        columns, rows = report.table(figure)
        return Chart(figure, title, DEFINITIONS[figure], svg, columns, rows, csv(figure))

    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for w in report.volume:
        weeks[w.week][0] += w.opened
        weeks[w.week][1] += w.closed
    breaches: dict[date, int] = defaultdict(int)
    for b in report.breaches:
        breaches[b.week] += b.breaches
    return [
        chart(
            "csat",
            "CSAT by week (%)",
            charts.line_chart(
                "chart-csat",
                "CSAT by week",
                _shares(weekly_shares((w.week, w.answers, w.satisfied) for w in report.csat)),
                goal=CSAT_GOAL,
                unit="%",
            ),
        ),
        chart(
            "first_contact",
            "First-contact resolution by week (%)",
            charts.line_chart(
                "chart-first-contact",
                "First-contact resolution by week",
                _shares(
                    weekly_shares(
                        (w.week, w.tickets, w.first_contact) for w in report.first_contact
                    )
                ),
                goal=FIRST_CONTACT_GOAL,
                unit="%",
            ),
        ),
        chart(
            "volume",
            "Escalations opened and closed per week",
            charts.bar_chart(
                "chart-volume",
                "Escalations opened and closed per week",
                [(_week(k), list(map(float, v))) for k, v in sorted(weeks.items())],
                ["opened", "closed"],
            ),
        ),
        chart(
            "time_to_close",
            "Median time to close by severity (hours)",
            charts.bar_chart(
                "chart-time-to-close",
                "Median time to close by severity, hours",
                [(m.group, [m.hours]) for m in report.time_to_close],
                ["median hours"],
            ),
        ),
        chart(
            "breaches",
            "Missed updates per week",
            charts.bar_chart(
                "chart-breaches",
                "Missed updates per week",
                [(_week(k), [float(v)]) for k, v in sorted(breaches.items())],
                ["missed updates"],
            ),
        ),
    ]
