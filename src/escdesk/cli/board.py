"""The escalation board: what a support lead scans first thing in the morning.

Critical first (the store sorts), and for each line the one question that matters: who is owed
an update, and since when. Every judgement (overdue, missed, days open) comes from
`escdesk.domain.clock` at the invocation's `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich import box
from rich.table import Table
from rich.text import Text

from escdesk.domain import clock
from escdesk.domain.records import Status
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


def esc_label(escalation_id: int | None) -> str:
    return f"ESC-{escalation_id}"


def severity_cell(severity: str) -> Text:
    return Text(severity.upper(), style=SEVERITY_STYLE.get(severity, ""))


def status_cell(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, ""))


def next_update_cell(
    internal_due: datetime | None, customer_due: datetime | None, now: datetime
) -> Text:
    """`OVERDUE 5h (customer)` in red, or `in 3h (internal)`; yellow when it is close."""
    due = clock.DueSummary(internal_due, customer_due, now)
    overdue = due.overdue_audiences
    if overdue:
        dues = {clock.Audience.INTERNAL: internal_due, clock.Audience.CUSTOMER: customer_due}
        worst = min(d for a, d in dues.items() if a in overdue and d is not None)
        who = ", ".join(a.value for a in overdue)
        return Text(f"OVERDUE {span(now - worst)} ({who})", style="bold red")
    if due.next_due is None:
        return Text("—", style="dim")
    audience = "internal" if due.next_due == internal_due else "customer"
    style = "yellow" if due.next_due - now <= SOON else ""
    return Text(f"in {span(due.next_due - now)} ({audience})", style=style)


def eta_cell(eta: datetime | None, slips: int, is_open: bool, now: datetime) -> Text:
    if eta is None:
        return Text("—", style="dim")
    text = Text(eta.strftime("%b %d") if eta.year == now.year else eta.strftime("%Y-%m-%d"))
    if is_open and clock.eta_missed(eta, now):
        text.append(" missed", style="bold red")
    if slips:
        text.append(f" slipped ×{slips}", style="yellow")
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
    overdue = sum(
        1
        for item in page.items
        if clock.DueSummary(
            item.next_internal_update_due, item.next_customer_update_due, now
        ).overdue_audiences
    )
    shown = (
        f"{page.offset + 1}–{page.offset + len(page.items)} of {page.total}"
        if page.total > len(page.items)
        else f"{page.total}"
    )
    table.caption = (
        f"{shown} escalations · {overdue} overdue on this page · as of {now:%Y-%m-%d %H:%M} UTC"
    )
    table.caption_justify = "left"
    return table


def _row(item: EscalationSummary, now: datetime) -> list[Text | str]:
    is_open = item.status != Status.CLOSED
    return [
        severity_cell(item.severity),
        esc_label(item.id),
        item.customer,
        KIND_LABEL.get(item.kind, item.kind),
        status_cell(item.status),
        item.dri_name,
        (
            next_update_cell(item.next_internal_update_due, item.next_customer_update_due, now)
            if is_open
            else Text("closed", style="dim")
        ),
        eta_cell(item.eta, item.eta_slips, is_open, now),
        str(clock.days_open(item.opened_at, item.closed_at or now)),
    ]
