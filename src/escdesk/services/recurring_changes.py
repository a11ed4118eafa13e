"""What people do to a recurring issue (R-REC-1, R-REC-3): confirm, rename, merge, split, link
to an escalation, record its fix.

Each is a typed command run by the runner, so the web, the API and the CLI obey one rule: the
actor needs MANAGE_RECURRING. Each change is an audited event, and a person's name for an issue
is never replaced by clustering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain.access import Actor, Permission
from escdesk.domain.errors import InvalidInput
from escdesk.domain.people import check_text
from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.domain.ticket_judgement import TicketJudgement, Verdict
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context, Handler


@dataclass(frozen=True)
class ConfirmIssue:
    issue_id: int
    version: int | None = None


@dataclass(frozen=True)
class RenameIssue:
    issue_id: int
    label: str
    version: int | None = None


@dataclass(frozen=True)
class MergeIssues:
    """Fold `issue_id` into `into`: its tickets and escalation links move."""

    issue_id: int
    into: int


@dataclass(frozen=True)
class SplitIssue:
    """Move tickets of another cause out of an issue into a new, confirmed one named `label`."""

    issue_id: int
    tickets: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class LinkEscalation:
    """R-REC-3: this issue caused (or is) that escalation."""

    issue_id: int
    escalation_id: int


@dataclass(frozen=True)
class AddTicket:
    """R-REC-2: this ticket has the issue's cause (seen in a similar-tickets list)."""

    issue_id: int
    ticket: str


@dataclass(frozen=True)
class RecordFix:
    """R-REC-3: the fix and its release; from `fixed_at` on, tickets of the cause should stop."""

    issue_id: int
    reference: str
    release: str | None = None
    fixed_at: datetime | None = None


def confirm_issue(uow: UnitOfWork, cmd: ConfirmIssue, actor: Actor, ctx: Context) -> RecurringIssue:
    actor.require(Permission.MANAGE_RECURRING)
    issue = uow.recurring.get(cmd.issue_id, expected_version=cmd.version)
    issue.confirm(by_id=actor.person_id, now=ctx.now)
    return issue


def rename_issue(uow: UnitOfWork, cmd: RenameIssue, actor: Actor, ctx: Context) -> RecurringIssue:
    actor.require(Permission.MANAGE_RECURRING)
    issue = uow.recurring.get(cmd.issue_id, expected_version=cmd.version)
    issue.rename(cmd.label, by_id=actor.person_id, now=ctx.now)
    return issue


def merge_issues(uow: UnitOfWork, cmd: MergeIssues, actor: Actor, ctx: Context) -> RecurringIssue:
    """Returns the issue kept."""
    actor.require(Permission.MANAGE_RECURRING)
    source = uow.recurring.get(cmd.issue_id)
    target = uow.recurring.get(cmd.into)
    source.merge_into(target, by_id=actor.person_id, now=ctx.now)
    assert source.id is not None and target.id is not None
    pair = _newest(uow, source.id) + _newest(uow, target.id)
    uow.recurring.move_issue(source.id, target.id)
    if len(pair) == 2:  # one cause after all: the two issues' newest tickets are duplicates
        _learn(uow, pair[0], pair[1], Verdict.DUPLICATE, actor, ctx)
    return target


def split_issue(uow: UnitOfWork, cmd: SplitIssue, actor: Actor, ctx: Context) -> RecurringIssue:
    """Returns the new issue."""
    actor.require(Permission.MANAGE_RECURRING)
    keys = [k.strip() for k in cmd.tickets if k.strip()]
    if not keys:
        raise InvalidInput("TICKET", "no ticket was named", "Name the tickets to split off")
    name = check_text(cmd.label, "label")
    issue = uow.recurring.get(cmd.issue_id)
    found = uow.tickets.resolve(keys)
    ids = [found[k].id for k in keys]
    members = uow.recurring.members_of(cmd.issue_id, ids)
    outside = [k for k in keys if found[k].id not in members]
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        raise InvalidInput(
            "TICKET",
            f"{', '.join(outside)} {verb} not in issue {cmd.issue_id}",
            "Name only tickets the issue lists",
        )
    part = RecurringIssue(label=name, created_at=ctx.now, named=True, status=IssueStatus.CONFIRMED)
    uow.recurring.add(part)
    assert part.id is not None
    issue.split_off(part, len(ids), by_id=actor.person_id, now=ctx.now)
    uow.recurring.move_tickets(sorted(set(ids)), part.id, cluster_id=-part.id)
    for left in _newest(uow, cmd.issue_id):  # another cause: unlike what stays behind
        for moved in sorted(set(ids)):
            _learn(uow, moved, left, Verdict.NOT_RELATED, actor, ctx)
    return part


def link_escalation(
    uow: UnitOfWork, cmd: LinkEscalation, actor: Actor, ctx: Context
) -> RecurringIssue:
    actor.require(Permission.MANAGE_RECURRING)
    issue = uow.recurring.get(cmd.issue_id)
    uow.recurring.escalation_exists(cmd.escalation_id)
    issue.link_escalation(cmd.escalation_id, by_id=actor.person_id, now=ctx.now)
    return issue


def add_ticket(uow: UnitOfWork, cmd: AddTicket, actor: Actor, ctx: Context) -> RecurringIssue:
    """Put one ticket into an issue (out of the one it was in, if any); twice changes nothing."""
    actor.require(Permission.MANAGE_RECURRING)
    key = cmd.ticket.strip()
    if not key:
        raise InvalidInput("ticket", "is empty", "Name the ticket by its helpdesk id")
    issue = uow.recurring.get(cmd.issue_id)
    stored = uow.tickets.resolve([key])[key]
    assert issue.id is not None
    if not uow.recurring.members_of(issue.id, [stored.id]):
        issue.take_in(stored.key, by_id=actor.person_id, now=ctx.now)  # refused if merged
        for other in _newest(uow, issue.id):  # the same cause as the issue's newest ticket
            _learn(uow, stored.id, other, Verdict.DUPLICATE, actor, ctx)
        uow.recurring.place_ticket(stored.id, issue.id)
    return issue


def _newest(uow: UnitOfWork, issue_id: int) -> list[int]:
    return uow.recurring.ticket_ids_of(issue_id, 1)


def _learn(
    uow: UnitOfWork, ticket_id: int, other_id: int, verdict: Verdict, actor: Actor, ctx: Context
) -> None:
    """A person's merge, split or "same issue" is also a labelled pair for re-training the
    ranker (R-REC-2), as a duplicate or not-related verdict would be; a verdict a person gave on
    that pair already stands."""
    if ticket_id == other_id:
        return
    judged = uow.judgements.of_tickets([ticket_id])
    if any({j.ticket_id, j.other_id} == {ticket_id, other_id} for j in judged):
        return
    uow.judgements.save(TicketJudgement(ticket_id, other_id, verdict, ctx.now, actor.person_id))


def record_fix(uow: UnitOfWork, cmd: RecordFix, actor: Actor, ctx: Context) -> RecurringIssue:
    actor.require(Permission.MANAGE_RECURRING)
    issue = uow.recurring.get(cmd.issue_id)
    issue.record_fix(
        reference=cmd.reference,
        release=cmd.release,
        fixed_at=cmd.fixed_at or ctx.now,
        by_id=actor.person_id,
        now=ctx.now,
    )
    return issue


HANDLERS: dict[type, Handler[Any, Any]] = {
    ConfirmIssue: confirm_issue,
    RenameIssue: rename_issue,
    MergeIssues: merge_issues,
    SplitIssue: split_issue,
    LinkEscalation: link_escalation,
    AddTicket: add_ticket,
    RecordFix: record_fix,
}
"""Each command's handler, for callers that hold a command of any kind (tests, the demo)."""
