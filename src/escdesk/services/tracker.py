"""The escalation tracker document (R-ESC-11), rendered from state so it is never stale.

Seed 004 keeps a hand-edited tracker document per critical or high escalation; escdesk renders
the same document from what it already knows — owners, ask, skills, checklist, exit criteria,
ETA history, updates — every time it is read, so there is nothing to keep up to date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from escdesk.domain import clock
from escdesk.domain.accounts import Sentiment
from escdesk.domain.checklist import ChecklistStep, Delivery, StepState, opening_checklist
from escdesk.domain.clock import Audience
from escdesk.domain.escalation import Escalation
from escdesk.domain.records import ExitCriterion, Update
from escdesk.domain.severity import SeverityLevel, SeverityPolicy
from escdesk.services import lateness
from escdesk.services.lateness import Lateness
from escdesk.services.ports import UnitOfWork
from escdesk.services.views import EscalationDetail


@dataclass(frozen=True)
class TrackerState:
    """Everything the tracker shows, read in one transaction at `now`."""

    detail: EscalationDetail
    level: SeverityLevel
    checklist: list[ChecklistStep]
    due: Lateness
    next_standup: datetime | None
    now: datetime
    deliveries: list[Delivery] = field(default_factory=list)
    """Every message the escalation queued, oldest first, with what the outbox knows of it."""

    @property
    def undelivered(self) -> list[Delivery]:
        """Messages still on their way, failing or given up on — what the page must not hide."""
        return [d for d in self.deliveries if d.delivered_at is None]

    @property
    def escalation(self) -> Escalation:
        return self.detail.escalation

    @property
    def eta_missed(self) -> bool:
        return self.due.eta_missed


def gather_tracker(
    uow: UnitOfWork, escalation_id: int, *, now: datetime, policy: SeverityPolicy
) -> TrackerState:
    """Read the tracker state inside a unit of work the caller has already entered."""
    esc = uow.escalations.get(escalation_id)
    account = uow.accounts.get(esc.account_id)
    ids = {esc.dri_id, esc.product_dri_id, esc.product_leader_id}
    ids |= {u.author_id for u in esc.updates}
    ids |= {c.new_id for c in esc.owner_changes} | {c.old_id for c in esc.owner_changes}
    ids |= {c.by_id for c in esc.owner_changes} | {c.by_id for c in esc.eta_changes}
    ids |= {c.waived_by_id for c in esc.exit_criteria}
    people = uow.people.get_many({i for i in ids if i is not None})
    level = policy[esc.severity]
    deliveries = uow.escalations.deliveries(escalation_id)
    checklist = opening_checklist(
        esc,
        account_at_risk=account.sentiment is Sentiment.AT_RISK,
        deliveries=deliveries,
        level=level,
        now=now,
    )
    is_open = esc.closed_at is None
    return TrackerState(
        detail=EscalationDetail(esc, account, people),
        level=level,
        checklist=checklist,
        due=lateness.of_escalation(esc, now),
        next_standup=(
            None
            if not is_open
            else esc.standup.next_after(now)
            if esc.standup
            else clock.next_standup(esc.opened_at, level, now)
        ),
        now=now,
        deliveries=deliveries,
    )


def load_tracker(
    uow: UnitOfWork, escalation_id: int, *, now: datetime, policy: SeverityPolicy
) -> TrackerState:
    with uow:
        return gather_tracker(uow, escalation_id, now=now, policy=policy)


def tracker_document(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    now: datetime,
    policy: SeverityPolicy,
    base_url: str,
    include_internal: bool,
) -> str:
    """The tracker as Markdown, as the page and `tracker.md` serve it."""
    state = load_tracker(uow, escalation_id, now=now, policy=policy)
    return render_tracker(state, base_url=base_url, include_internal=include_internal)


# ---------------------------------------------------------------------- rendering
INTERNAL = "(internal)"
"""Shown where a reason is internal text the reader may not see (domain/visibility.py)."""


def render_tracker(state: TrackerState, *, base_url: str, include_internal: bool = True) -> str:
    """Pure: the same state always gives the same document."""
    esc, detail = state.escalation, state.detail
    link = f"{base_url.rstrip('/')}/escalations/{esc.id}/tracker"
    lines = [
        f"# Escalation ESC-{esc.id}: {_inline(esc.customer)}",
        "",
        f"*Rendered from escdesk's state at {_when(state.now)}; the live document is {link}*",
        "",
        "| Field | Value |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {_cell(v)} |" for k, v in _facts(state)]
    lines += ["", "## Summary", "", esc.summary, "", "## Initial ask", "", esc.initial_ask]
    lines += ["", "## Required skills", ""] + [f"- {_inline(s)}" for s in esc.required_skills]
    lines += ["", f"## Who is involved at {esc.severity} severity", ""]
    lines += [f"- {_inline(who)}" for who in state.level.involve] or ["- nobody beyond the DRI"]
    lines += ["", "## Opening checklist (R-ESC-4)", ""] + _checklist(state.checklist)
    lines += ["", "## Exit criteria", ""] + _exit_criteria(esc)
    lines += ["", "## ETA history", ""] + _eta_history(detail, include_internal)
    lines += ["", "## Owner changes", ""] + _owner_changes(detail, include_internal)
    lines += ["", "## Customer-facing updates", ""]
    lines += _updates(detail, esc.updates, Audience.CUSTOMER)
    if include_internal:
        lines += ["", "## Internal updates", ""]
        lines += _updates(detail, esc.updates, Audience.INTERNAL)
    if esc.agreement is not None or esc.rca_reference:
        lines += ["", "## Closing (R-ESC-9)", ""] + _closing(esc, include_internal)
    return "\n".join(lines).rstrip() + "\n"


def _facts(state: TrackerState) -> list[tuple[str, str]]:
    esc, detail, account = state.escalation, state.detail, state.detail.account
    money = f"ARR {account.arr:,}"
    if account.deal_size:
        money += f", deal {account.deal_size:,}"
    facts = [
        ("Customer", f"{account.name} ({account.tier}, {account.status}, {money})"),
        ("Severity", f"{esc.severity.title()} ({state.level.cadence})"),
        ("Status", esc.status.title()),
        ("Kind", esc.kind.replace("_", " ").capitalize()),
        ("Product related", "yes" if esc.product_related else "no"),
        ("Channel", esc.channel),
        ("Opened", f"{_when(esc.opened_at)} ({state.due.days_open} d)"),
        ("ETA", _eta_text(state)),
        ("DRI", detail.name_of(esc.dri_id) or "none"),
        ("Product DRI", detail.name_of(esc.product_dri_id) or "none"),
        ("Product leader", detail.name_of(esc.product_leader_id) or "none"),
    ]
    if esc.closed_at is None:
        facts += [
            ("Next internal update", _due_text(state.due.internal_due, state.now)),
            ("Next customer update", _due_text(state.due.customer_due, state.now)),
            ("Next standup", _when(state.next_standup) if state.next_standup else "none"),
        ]
    else:
        facts.append(("Closed", _when(esc.closed_at)))
    return facts


def _eta_text(state: TrackerState) -> str:
    esc = state.escalation
    if esc.eta is None:
        return "not set"
    text = _when(esc.eta)
    if state.eta_missed:
        text += " (missed)"
    if esc.eta_slips:
        text += f", slipped {esc.eta_slips}×"
    return text


def _due_text(due: datetime | None, now: datetime) -> str:
    if due is None:
        return "none"
    return _when(due) + (" (overdue)" if clock.is_overdue(due, now) else "")


_MARK = {
    StepState.DONE: "[x]",
    StepState.PENDING: "[ ]",
    StepState.OVERDUE: "[ ]",
    StepState.NOT_REQUIRED: "[-]",
}


def _checklist(steps: Iterable[ChecklistStep]) -> list[str]:
    out = []
    for step in steps:
        state = step.state.replace("_", " ").upper() if step.state != StepState.DONE else "done"
        when = f" {_when(step.done_at)}" if step.done_at else ""
        if step.state in (StepState.PENDING, StepState.OVERDUE) and step.due:
            when = f", due {_when(step.due)}"
        note = f"{step.note} {_when(step.note_at)}" if step.note_at else step.note
        out.append(f"- {_MARK[step.state]} {step.label}: {state}{when} ({_inline(note)})")
    return out


def _exit_criteria(esc: Escalation) -> list[str]:
    if not esc.exit_criteria:
        return ["No exit criteria yet."]
    return [_criterion(n, c) for n, c in enumerate(esc.exit_criteria, start=1)]


def _criterion(number: int, c: ExitCriterion) -> str:
    """`[x]` done, `[-]` waived at closing with its reason (R-ESC-9), `[ ]` open."""
    if c.waived:
        return (
            f"{number}. [-] {_inline(c.text)} "
            f"(waived at closing {_when(c.waived_at)}: {_inline(c.waived_reason or '')})"
        )
    return f"{number}. [{'x' if c.done else ' '}] {_inline(c.text)}" + (
        f" (done {_when(c.done_at)})" if c.done_at else ""
    )


def _eta_history(detail: EscalationDetail, internal: bool) -> list[str]:
    changes = detail.escalation.eta_changes
    if not changes:
        return ["No ETA has been set."]
    rows = ["| Changed | From | To | Reason | By |", "| --- | --- | --- | --- | --- |"]
    for c in changes:
        to = _when(c.new_eta) + (" **(slip)**" if c.slipped else "")
        rows.append(
            f"| {_when(c.changed_at)} | {_when(c.old_eta) if c.old_eta else '-'} | {to} "
            f"| {_cell(c.reason) if internal else INTERNAL} "
            f"| {_cell(detail.name_of(c.by_id) or '-')} |"
        )
    return rows


def _owner_changes(detail: EscalationDetail, internal: bool) -> list[str]:
    changes = detail.escalation.owner_changes
    if not changes:
        return ["No owner has changed since opening."]
    rows = ["| When | Role | From | To | Reason |", "| --- | --- | --- | --- | --- |"]
    for c in changes:
        old = _cell(detail.name_of(c.old_id) or "-")
        new = _cell(detail.name_of(c.new_id) or "-")
        rows.append(
            f"| {_when(c.changed_at)} | {c.role.replace('_', ' ')} | {old} | {new} "
            f"| {_cell(c.reason) if internal else INTERNAL} |"
        )
    return rows


def _updates(detail: EscalationDetail, updates: list[Update], audience: Audience) -> list[str]:
    chosen = [u for u in reversed(updates) if u.audience is audience]
    if not chosen:
        return ["None yet."]
    out: list[str] = []
    for u in chosen:
        author = detail.name_of(u.author_id) or "escdesk"
        out += [f"### {_when(u.posted_at)}, {_inline(author)}", "", u.body, ""]
    return out[:-1]


def _closing(esc: Escalation, internal: bool) -> list[str]:
    out = []
    if esc.agreement is not None:
        a = esc.agreement
        if internal:
            out.append(f"- Customer agreement: {_inline(a.who)}, {_when(a.when)}, by {a.how}")
        else:
            out.append(f"- Customer agreement: {_when(a.when)}")
    if esc.rca_reference and internal:
        out.append(f"- Root-cause analysis: {_inline(esc.rca_reference)}")
    return out


def _when(moment: datetime | None) -> str:
    return clock.utc(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _inline(text: str) -> str:
    """One line of user text: newlines folded so a list item or heading stays one item."""
    return " ".join(text.split())


def _cell(text: str) -> str:
    """User text inside a table cell: pipes escaped so the table keeps its columns."""
    return _inline(text).replace("|", "\\|")
