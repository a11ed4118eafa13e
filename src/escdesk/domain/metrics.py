"""The figures people look at (R-MET, R-FIX-3, R-SLA-4): what each one means and its shape.

The store computes every figure with aggregate queries; this module only names them, holds
their values and turns each into a table (for CSV, `--json` and the numbers behind a chart).
Each definition is one sentence, and the README quotes them from here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from escdesk.domain.errors import InvalidInput

DEFAULT_PERIOD = timedelta(weeks=12)
PREVENTION_WINDOW = timedelta(days=90)
CSAT_GOAL = 80.0
FIRST_CONTACT_GOAL = 95.0
"""Seed 002: 95 % of calls resolved by the first person who took them."""
"""Seed 003: satisfaction rose from 48 % to about 80 %; the line the CSAT chart draws."""

DEFINITIONS: dict[str, str] = {
    "csat": "CSAT by week: the share of satisfaction answers of 4 or 5 (out of 5), or good, "
    "among the answers received that week (R-SLA-4), with the number of answers, by source: "
    "escdesk's survey, and the ratings of imported tickets solved that week (the helpdesk's "
    "name; counted only when no severity, tier or DRI is chosen).",
    "first_contact": "First-contact resolution by week: the share of imported tickets solved "
    "that week that were resolved at the first contact — at most one customer message and one "
    "agent reply (Znuny's definition) where the export counts them, else the helpdesk's own "
    "flag — among those whose export says; the goal is 95 %.",
    "volume": "Escalations opened and closed per week (Monday to Sunday, UTC) by their current "
    "severity.",
    "time_to_close": "Time to resolution by severity: the median time from opening to closing "
    "of the escalations closed in the period.",
    "time_to_decision": "Time to triage decision: the median time from filing an escalation "
    "request to its first triage decision, for requests decided in the period.",
    "eta": "ETA adherence: the share of escalations closed in the period that closed by their "
    "first ETA, and ETA slips: changes that moved an ETA later, per escalation closed.",
    "revenue": "Revenue at risk: the ARR of accounts with an open high or critical escalation "
    "or an at-risk sentiment, and the deal sizes of those that are pending deals, today.",
    "fix_lead_time": "Report-to-fix lead time (R-FIX-3): the median time from a fix's first "
    "report (its submission when no report date is known) to its shipping, for fixes shipped "
    "in the period.",
    "recurring": "Recurring issues eliminated: issues marked fixed with no ticket of the issue "
    "created since the fix; tickets prevented: for issues fixed at least 90 days ago, their "
    "tickets in the 90 days before the fix minus those in the 90 days after, never below zero.",
    "follow_ups": "Follow-ups done on time: the share of retrospective follow-ups due in the "
    "period that were done by their due date.",
    "breaches": "Missed update cadences: due updates (internal or customer) detected as missed, "
    "per week, by severity.",
}


@dataclass(frozen=True)
class MetricsFilter:
    """Which escalations a figure counts: a period (moments in [since, until)) and, for the
    escalation figures, a severity, an account tier and a DRI."""

    since: datetime
    until: datetime
    severity: str | None = None
    tier: str | None = None
    dri_id: int | None = None

    @classmethod
    def parse(
        cls,
        now: datetime,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        severity: str | None = None,
        tier: str | None = None,
        dri_id: int | None = None,
    ) -> MetricsFilter:
        end = until or now
        start = since or end - DEFAULT_PERIOD
        if start >= end:
            raise InvalidInput(
                "since", "must be before the end of the period", "Pick an earlier start"
            )
        return cls(start, end, severity or None, tier or None, dri_id)


@dataclass(frozen=True)
class CsatWeek:
    week: date
    source: str  # "survey": answers to escdesk's survey
    answers: int
    satisfied: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.satisfied / self.answers, 1) if self.answers else 0.0


@dataclass(frozen=True)
class FirstContactWeek:
    week: date
    source: str  # the helpdesk the tickets were imported from
    tickets: int  # solved that week, with a known outcome
    first_contact: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.first_contact / self.tickets, 1) if self.tickets else 0.0


@dataclass(frozen=True)
class Share:
    week: date
    percent: float


def weekly_shares(counts: Iterable[tuple[date, int, int]]) -> list[Share]:
    """(week, out of, counted) rows of several sources as one share per week, weighted by
    their numbers: a chart line has one point a week."""
    totals: dict[date, list[int]] = {}
    for week, out_of, counted in counts:
        total = totals.setdefault(week, [0, 0])
        total[0] += out_of
        total[1] += counted
    return [
        Share(week, round(100.0 * counted / out_of, 1))
        for week, (out_of, counted) in sorted(totals.items())
        if out_of
    ]


@dataclass(frozen=True)
class WeekCount:
    week: date
    severity: str
    opened: int
    closed: int


@dataclass(frozen=True)
class Median:
    group: str
    hours: float
    count: int


@dataclass(frozen=True)
class EtaAdherence:
    closed: int  # closed in the period with an ETA
    by_first_eta: int
    slips: int
    slipped_escalations: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.by_first_eta / self.closed, 1) if self.closed else 0.0

    @property
    def slips_per_escalation(self) -> float:
        return round(self.slips / self.closed, 2) if self.closed else 0.0


@dataclass(frozen=True)
class RevenueAtRisk:
    accounts: int
    arr: int
    pending_deals: int


@dataclass(frozen=True)
class RecurringOutcome:
    fixed: int
    eliminated: int
    tickets_prevented: int


@dataclass(frozen=True)
class FollowUps:
    due: int
    on_time: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.on_time / self.due, 1) if self.due else 0.0


@dataclass(frozen=True)
class BreachWeek:
    week: date
    severity: str
    breaches: int


@dataclass(frozen=True)
class MetricsReport:
    filter: MetricsFilter
    csat: list[CsatWeek]
    volume: list[WeekCount]
    time_to_close: list[Median]
    time_to_decision: Median | None
    eta: EtaAdherence
    revenue: RevenueAtRisk
    fix_lead_time: Median | None
    recurring: RecurringOutcome
    follow_ups: FollowUps
    breaches: list[BreachWeek] = field(default_factory=list)
    first_contact: list[FirstContactWeek] = field(default_factory=list)

    @property
    def first_contact_percent(self) -> float | None:
        """The period's first-contact resolution over every ticket, not a mean of weeks."""
        tickets = sum(w.tickets for w in self.first_contact)
        resolved = sum(w.first_contact for w in self.first_contact)
        return round(100.0 * resolved / tickets, 1) if tickets else None

    @property
    def csat_percent(self) -> float | None:
        """The period's CSAT over every answer, not an average of weekly shares."""
        answers = sum(w.answers for w in self.csat)
        return round(100.0 * sum(w.satisfied for w in self.csat) / answers, 1) if answers else None

    def table(self, figure: str) -> tuple[list[str], list[list[object]]]:
        """The numbers behind a figure, as a header and rows (CSV, the page's tables)."""
        maker = _TABLES.get(figure)
        if maker is None:
            raise InvalidInput(
                "figure", f"{figure!r} is not a figure", f"Use one of: {', '.join(DEFINITIONS)}"
            )
        return maker(self)


def _median_rows(items: list[Median]) -> list[list[object]]:
    return [[m.group, m.hours, m.count] for m in items]


_TABLES: dict[str, Callable[[MetricsReport], tuple[list[str], list[list[object]]]]] = {
    "csat": lambda r: (
        ["week", "source", "answers", "satisfied", "csat_percent"],
        [[w.week.isoformat(), w.source, w.answers, w.satisfied, w.percent] for w in r.csat],
    ),
    "first_contact": lambda r: (
        ["week", "source", "tickets", "first_contact", "first_contact_percent"],
        [
            [w.week.isoformat(), w.source, w.tickets, w.first_contact, w.percent]
            for w in r.first_contact
        ],
    ),
    "volume": lambda r: (
        ["week", "severity", "opened", "closed"],
        [[w.week.isoformat(), w.severity, w.opened, w.closed] for w in r.volume],
    ),
    "time_to_close": lambda r: (
        ["severity", "median_hours", "closed"],
        _median_rows(r.time_to_close),
    ),
    "time_to_decision": lambda r: (
        ["group", "median_hours", "decided"],
        _median_rows([r.time_to_decision] if r.time_to_decision else []),
    ),
    "eta": lambda r: (
        ["closed", "closed_by_first_eta", "adherence_percent", "slips", "slips_per_escalation"],
        [
            [
                r.eta.closed,
                r.eta.by_first_eta,
                r.eta.percent,
                r.eta.slips,
                r.eta.slips_per_escalation,
            ]
        ],
    ),
    "revenue": lambda r: (
        ["accounts", "arr", "pending_deals"],
        [[r.revenue.accounts, r.revenue.arr, r.revenue.pending_deals]],
    ),
    "fix_lead_time": lambda r: (
        ["group", "median_hours", "shipped"],
        _median_rows([r.fix_lead_time] if r.fix_lead_time else []),
    ),
    "recurring": lambda r: (
        ["fixed", "eliminated", "tickets_prevented"],
        [[r.recurring.fixed, r.recurring.eliminated, r.recurring.tickets_prevented]],
    ),
    "follow_ups": lambda r: (
        ["due", "done_on_time", "on_time_percent"],
        [[r.follow_ups.due, r.follow_ups.on_time, r.follow_ups.percent]],
    ),
    "breaches": lambda r: (
        ["week", "severity", "breaches"],
        [[w.week.isoformat(), w.severity, w.breaches] for w in r.breaches],
    ),
}


def report_json(report: MetricsReport) -> dict[str, object]:
    """The one JSON shape of the figures (CLI `--json`, `GET /api/metrics`): each figure's
    definition, columns and rows, the same rows its CSV has."""
    f = report.filter
    figures: dict[str, object] = {}
    for name, definition in DEFINITIONS.items():
        columns, rows = report.table(name)
        figures[name] = {"definition": definition, "columns": columns, "rows": rows}
    return {
        "filter": {
            "since": f.since.isoformat(),
            "until": f.until.isoformat(),
            "severity": f.severity,
            "tier": f.tier,
            "dri_id": f.dri_id,
        },
        "csat_percent": report.csat_percent,
        "csat_goal_percent": CSAT_GOAL,
        "first_contact_percent": report.first_contact_percent,
        "first_contact_goal_percent": FIRST_CONTACT_GOAL,
        "figures": figures,
    }


def csv_text(report: MetricsReport, figure: str) -> str:
    """One figure as CSV, header first."""
    columns, rows = report.table(figure)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
