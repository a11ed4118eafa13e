"""`escalations show` and `history` for people: the tracker at a glance, and the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from escdesk.cli import times
from escdesk.cli.board import eta_cell, severity_cell, span, status_cell
from escdesk.cli.output import esc_label
from escdesk.domain import clock
from escdesk.services import lateness
from escdesk.services.trail_text import describe
from escdesk.services.views import EscalationDetail, HistoryEntry


def when(moment: datetime | None) -> str:
    """A moment in the actor's zone, written with it (`cli.times`)."""
    return times.when(moment)


def escalation_view(detail: EscalationDetail, now: datetime) -> RenderableType:
    esc, account = detail.escalation, detail.account
    late = lateness.of_escalation(esc, now)
    is_open = late.is_open
    heading = Text.assemble(
        severity_cell(esc.severity.value),
        " ",
        (esc_label(esc.id), "bold"),
        " ",
        status_cell(esc.status.value),
        "  ",
        (esc.summary, "bold"),
    )
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    deal = f", deal {account.deal_size:,}" if account.deal_size else ""
    facts.add_row(
        "Customer",
        f"{account.name} ({account.tier}, {account.status}{deal}, ARR {account.arr:,}, "
        f"sentiment {account.sentiment})",
    )
    kind = "STAR (ticket attention request)" if esc.kind.value.startswith("ticket") else "Account"
    facts.add_row("Kind / route", f"{kind} via {esc.route}")
    facts.add_row("Channel", esc.channel)
    facts.add_row("Customer reads", esc.customer_summary or "— (no customer summary yet)")
    facts.add_row("DRI", detail.name_of(esc.dri_id) or "—")
    if esc.product_related:
        facts.add_row("Product DRI", detail.name_of(esc.product_dri_id) or "—")
        facts.add_row("Product leader", detail.name_of(esc.product_leader_id) or "—")
    facts.add_row("Opened", f"{when(esc.opened_at)} ({late.days_open} days open)")
    facts.add_row("ETA", eta_cell(late))
    if is_open:
        facts.add_row("Next internal", _due(esc.next_internal_update_due, now))
        facts.add_row("Next customer", _due(esc.next_customer_update_due, now))
    else:
        facts.add_row("Closed", when(esc.closed_at))
    if esc.agreement:
        a = esc.agreement
        facts.add_row("Agreed", f"{a.who}, {when(a.when)}, by {a.how}")
    if esc.rca_reference:
        facts.add_row("RCA", esc.rca_reference)
    facts.add_row("Initial ask", esc.initial_ask)
    facts.add_row("Skills", ", ".join(esc.required_skills))
    facts.add_row("Version", str(esc.version))

    parts: list[RenderableType] = [heading, Text(""), facts]
    if esc.exit_criteria:
        criteria = Text("\nExit criteria", style="bold")
        for n, c in enumerate(esc.exit_criteria, start=1):
            mark = ("[x]", "green") if c.done else ("[-]", "yellow") if c.waived else ("[ ]", "")
            criteria.append(f"\n  {n}. ", style="")
            criteria.append(mark[0], style=mark[1])
            criteria.append(f" {c.text}", style="")
            if c.waived:
                by = detail.name_of(c.waived_by_id)
                criteria.append(
                    f" — waived at closing{f' by {by}' if by else ''}: {c.waived_reason}",
                    style="yellow",
                )
        parts.append(criteria)
    if esc.eta_changes:
        etas = _section("ETA history")
        for column in ("Changed", "From", "To", "Reason", "By"):
            etas.add_column(column)
        for e in esc.eta_changes:
            to = Text(when(e.new_eta), style="yellow" if e.slipped else "")
            if e.slipped:
                to.append(" slipped")
            etas.add_row(
                when(e.changed_at), when(e.old_eta), to, e.reason, detail.name_of(e.by_id) or "—"
            )
        parts.append(etas)
    if esc.owner_changes:
        owners = _section("Owner changes")
        for column in ("When", "Role", "From", "To", "Reason"):
            owners.add_column(column)
        for o in esc.owner_changes:
            owners.add_row(
                when(o.changed_at),
                o.role.value,
                detail.name_of(o.old_id) or "—",
                detail.name_of(o.new_id) or "—",
                o.reason,
            )
        parts.append(owners)
    if esc.updates:
        updates = _section("Updates")
        for column in ("Posted", "For", "By", "Update"):
            updates.add_column(column)
        for u in esc.updates:
            style = "magenta" if u.audience is clock.Audience.CUSTOMER else ""
            updates.add_row(
                when(u.posted_at),
                Text(u.audience.value, style=style),
                detail.name_of(u.author_id) or "—",
                u.body,
            )
        parts.append(updates)
    return Panel(Group(*parts), title=f"{esc_label(esc.id)} · {esc.customer}", expand=False)


def _section(title: str) -> Table:
    return Table(title=f"\n{title}", title_justify="left", title_style="bold", show_edge=False)


def _due(due: datetime | None, now: datetime) -> Text:
    """`OVERDUE 5h` in red or `in 3h`, then the moment itself."""
    if due is None:
        return Text("—", style="dim")
    if clock.is_overdue(due, now):
        return Text.assemble((f"OVERDUE {span(now - due)}", "bold red"), f"  ({when(due)})")
    return Text(f"in {span(due - now)}  ({when(due)})")


def history_table(
    escalation_id: int, entries: list[HistoryEntry], limit: int, names: Mapping[int, str]
) -> Table:
    """The trail in the sentences the web page uses; the raw event data is in `--json`."""
    table = Table(title=f"{esc_label(escalation_id)} audit trail", title_justify="left")
    table.add_column("Event", justify="right", no_wrap=True)
    table.add_column("At", no_wrap=True)
    table.add_column("By")
    table.add_column("What happened")
    for e in entries:
        line = describe(e, names, True, when)  # the CLI reads as the administrator
        table.add_row(str(e.id), when(e.at), line.actor, line.text)
    if len(entries) == limit:
        table.caption = f"next page: --after {entries[-1].id}"
        table.caption_justify = "left"
    return table
