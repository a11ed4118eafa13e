"""Linking instead of re-investigating (R-REC-2): a person says two tickets are duplicates, or
that search was wrong to put them side by side, and similar-ticket results follow at once.

A confirmed duplicate is shown first, as strong, marked `linked`; a pair judged unrelated is
not shown again. Each verdict is a labelled pair (`labelled_pairs`) for re-training the ranker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from escdesk.domain.access import Actor, Permission
from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket_judgement import TicketJudgement, Verdict
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.ticket_views import SimilarResult, StoredTicket, TicketMatch


@dataclass(frozen=True)
class JudgePair:
    ticket: str
    other: str
    verdict: Verdict

    @classmethod
    def parse(cls, ticket: str, other: str, verdict: str) -> JudgePair:
        for field, value in (("ticket", ticket), ("other", other)):
            if not value or not value.strip():
                raise InvalidInput(field, "is empty", "Name the ticket by its helpdesk id")
        return cls(ticket.strip(), other.strip(), Verdict.parse(verdict))


@dataclass(frozen=True)
class Judged:
    judgement: TicketJudgement
    ticket: StoredTicket
    other: StoredTicket
    replaced: bool


@dataclass(frozen=True)
class LabelledPair:
    ticket: str  # index keys
    other: str
    duplicate: bool


def judge_pair(uow: UnitOfWork, cmd: JudgePair, actor: Actor, ctx: Context) -> Judged:
    """Record the verdict on the pair; a later verdict on the same pair replaces it."""
    actor.require(Permission.MANAGE_RECURRING)
    found = uow.tickets.resolve([cmd.ticket, cmd.other])
    ticket, other = found[cmd.ticket], found[cmd.other]
    judgement = TicketJudgement(ticket.id, other.id, cmd.verdict, ctx.now, actor.person_id)
    replaced = uow.judgements.save(judgement)
    return Judged(judgement, ticket, other, replaced)


def labelled_pairs(uow: UnitOfWork) -> list[LabelledPair]:
    """Every verdict as a pair of index keys: the team's own training data."""
    with uow:
        return pairs_of(uow)


def pairs_of(uow: UnitOfWork) -> list[LabelledPair]:
    """Inside an open unit of work: every verdict as a pair of index keys."""
    judgements = uow.judgements.all()
    stored = uow.tickets.by_ids(
        {j.ticket_id for j in judgements} | {j.other_id for j in judgements}
    )
    return [
        LabelledPair(
            stored[j.ticket_id].key, stored[j.other_id].key, j.verdict is Verdict.DUPLICATE
        )
        for j in judgements
        if j.ticket_id in stored and j.other_id in stored
    ]


def verdict_counts(uow: UnitOfWork, ticket_ids: list[int]) -> dict[int, int]:
    """Inside an open unit of work: how many verdicts each of these tickets has."""
    counts: dict[int, int] = {}
    wanted = set(ticket_ids)
    for j in uow.judgements.of_tickets(wanted):
        for side in {j.ticket_id, j.other_id} & wanted:
            counts[side] = counts.get(side, 0) + 1
    return counts


def apply_verdicts(
    uow: UnitOfWork, query: StoredTicket | None, result: SimilarResult, k: int | None = None
) -> SimilarResult:
    """Inside an open unit of work: the query's confirmed duplicates first (marked linked),
    pairs judged unrelated left out, at most `k`."""
    if query is None or not result.matches:
        return result
    judgements = uow.judgements.of_tickets([query.id])
    if not judgements:
        return replace(result, matches=result.matches[:k])
    verdicts: dict[int, Verdict] = {}
    for j in judgements:
        verdicts[j.other_id if j.ticket_id == query.id else j.ticket_id] = j.verdict
    keys = uow.tickets.by_keys(m.key for m in result.matches)
    linked: list[TicketMatch] = []
    rest: list[TicketMatch] = []
    shown: set[int] = set()
    for m in result.matches:
        stored = keys.get(m.key)
        verdict = verdicts.get(stored.id) if stored else None
        if stored:
            shown.add(stored.id)
        if verdict is Verdict.NOT_RELATED:
            continue
        if verdict is Verdict.DUPLICATE:
            linked.append(replace(m, strength="strong", linked=True))
        else:
            rest.append(m)
    missing = [i for i, v in verdicts.items() if v is Verdict.DUPLICATE and i not in shown]
    for other in uow.tickets.by_ids(missing).values():  # linked, though search ranks it lower
        t = other.ticket
        linked.append(
            TicketMatch(other.key, 0.0, (), "strong", t.subject, t.account, t.created_at,
                        linked=True)
        )  # fmt: skip
    return replace(result, matches=(linked + rest)[:k])
