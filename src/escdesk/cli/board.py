"""The escalation board: what a support lead scans first thing in the morning.

Critical first (the store sorts), and for each line the one question that matters: who is owed
an update, and since when. Every judgement (overdue, missed, days open) comes from the
lateness read model (`escdesk.services.lateness`) at the invocation's `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich import box
from rich.table import Table
from rich.text import Text

from escdesk.cli import times
from escdesk.cli.output import esc_label
from escdesk.services import lateness
from escdesk.services.lateness import Lateness
from escdesk.services.views import EscalationPage, EscalationSummary

SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
}
STATUS_STYLE = {"opened": "blue", "active": "green", "monitoring": "cyan", "closed": "dim"}
KIND_LABEL = {"account_escalation": "Account", "ticket_attention_request": "STAR"}
SOON = timedelta(hours=4)


def span(delta: timedelta) -> str:
    """A short human duration: 45m, 5h, 3d 4h."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}h"
    days, rest = divmod(hours, 24)
    return f"{days}d {rest}h" if rest else f"{days}d"


def severity_cell(severity: str) -> Text:
    return Text(severity.upper(), style=SEVERITY_STYLE.get(severity, ""))


def status_cell(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, ""))


def next_update_cell(late: Lateness) -> Text:
    """`OVERDUE 5h (customer)` in red, or `in 3h (internal)`; yellow when it is close."""
    now, overdue = late.now, late.overdue
    if overdue and late.overdue_since is not None:
        who = ", ".join(a.value for a in overdue)
        return Text(f"OVERDUE {span(now - late.overdue_since)} ({who})", style="bold red")
    nxt, audience = late.next_due, late.next_audience
    paused = " · customer paused" if late.paused else ""
    if nxt is None or audience is None:
        return Text(paused.removeprefix(" · ") or "—", style="dim")
    style = "yellow" if nxt - now <= SOON else ""
    return Text(f"in {span(nxt - now)} ({audience.value}){paused}", style=style)


def eta_cell(late: Lateness) -> Text:
    eta = late.eta
    if eta is None:
        return Text("—", style="dim")
    text = Text(times.date_text(eta))
    if late.eta_missed:
        text.append(" missed", style="bold red")
    if late.eta_slips:
        text.append(f" slipped ×{late.eta_slips}", style="yellow")
    return text


def board(page: EscalationPage, now: datetime, title: str = "Escalation board") -> Table:
    # Customer and DRI are what a lead reads first: they keep their width on a narrow
    # terminal, and the long cells (next update, ETA) wrap onto a second line instead.
    table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("Sev", no_wrap=True)
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("Customer", min_width=10, max_width=28)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("DRI", min_width=8, max_width=22)
    table.add_column("Next update", min_width=10)
    table.add_column("ETA", min_width=6)
    table.add_column("Days", justify="right", no_wrap=True)
    for item in page.items:
        table.add_row(*_row(item, now))
    overdue = sum(1 for item in page.items if lateness.of_summary(item, now).overdue)
    shown = (
        f"{page.offset + 1}–{page.offset + len(page.items)} of {page.total}"
        if page.total > len(page.items)
        else f"{page.total}"
    )
    table.caption = (
        f"{shown} escalations · {overdue} overdue on this page · as of {times.when(now)}"
    )
    table.caption_justify = "left"
    return table


def _row(item: EscalationSummary, now: datetime) -> list[Text | str]:
    late = lateness.of_summary(item, now)
    return [
        severity_cell(item.severity),
        esc_label(item.id),
        item.customer,
        KIND_LABEL.get(item.kind, item.kind),
        status_cell(item.status),
        item.dri_name,
        next_update_cell(late) if late.is_open else Text("closed", style="dim"),
        eta_cell(late),
        str(late.days_open),
    ]
