"""Escalation request use cases (R-INT-1/2): file, list, show, withdraw — each with its score.

Filing checks everything the triage meeting needs in the domain, which names every missing field
at once; nothing is stored until all are there. The score is computed at read time from the
weights in force, so a changed weight re-ranks every pending request at the next look (R-TRI-2).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import Account, AccountStatus
from escdesk.domain.errors import Forbidden, InvalidInput, NotFound
from escdesk.domain.request import (
    BusinessContext,
    EscalationRequest,
    LinkedTicket,
    RequestDraft,
)
from escdesk.domain.request_similarity import Candidate, Likeness, most_similar
from escdesk.domain.triage_score import Breadth, Score, ScoreWeights, score
from escdesk.services import tickets
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.listing import Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.request_commands import (
    REQUEST_ORDERS,
    FileRequest,
    LinkDuplicate,
    ListRequests,
    ShowRequest,
    SimilarToRequest,
    WithdrawRequest,
)
from escdesk.services.runner import Context, Handler
from escdesk.services.ticket_index import TicketIndex
from escdesk.services.views import EscalationFilter, EscalationSummary

P = Permission


@dataclass(frozen=True)
class RequestView:
    """A request as lists and its page show it: with its customer, requester and score."""

    request: EscalationRequest
    customer: str
    requester: str | None
    requester_email: str | None
    score: Score
    open_escalations: tuple[EscalationSummary, ...] = ()


def file_request(
    uow: UnitOfWork, cmd: FileRequest, actor: Actor, ctx: Context
) -> EscalationRequest:
    """R-INT-1/2: a pending request, or a refusal naming every missing field."""
    actor.require(P.FILE_REQUEST)
    account = uow.accounts.find(cmd.account, "account") if cmd.account else None
    draft = RequestDraft(
        account_id=account.id if account else None,
        kind=cmd.kind,
        problem=cmd.problem,
        problem_type=cmd.problem_type,
        proposed_severity=cmd.proposed_severity,
        workarounds=cmd.workarounds,
        difficulty=cmd.difficulty,
        dependencies=cmd.dependencies,
        business=_business(cmd, account),
        other_customers=cmd.other_customers,
        happiness_confirmed=cmd.happiness_confirmed,
        tickets=_tickets(uow, cmd),
        skills=cmd.skills,
        similar_accounts=cmd.similar_accounts,
    )
    request = EscalationRequest.file(draft, requester_id=actor.person_id, now=ctx.now)
    uow.requests.add(request)
    return request


SIMILAR_K = 10
SHARED_TERMS = 2


def with_similar_accounts(
    uow: UnitOfWork, index: TicketIndex, cmd: FileRequest, *, now: datetime
) -> FileRequest:
    """R-TRI-2's "similar tickets from other accounts", counted once, when the request is
    filed: the other accounts among the engine's ten most similar earlier tickets that share at
    least two terms with the problem statement. Kept on the request, so every agenda scores it
    the same without asking the engine again."""
    text = (cmd.problem or "").strip()
    if not text:
        return cmd  # refused anyway, naming the problem among the missing fields
    found = tickets.similar_to_text(uow, index, text, now=now, k=SIMILAR_K)
    own = (cmd.account or "").strip().lower()
    with uow:
        if own:
            try:
                account = uow.accounts.find(own, "account")
                own = account.name.lower()
            except NotFound:
                pass
    others = {
        m.account.strip().lower()
        for m in found.matches
        if m.account and len(m.shared_terms) >= SHARED_TERMS
    }
    others.discard(own)
    return replace(cmd, similar_accounts=len(others))


def _business(cmd: FileRequest, account: Account | None) -> BusinessContext | None:
    """What the account says, unless the requester knows better (a deal the CRM lags on)."""
    status = cmd.business or (account.status if account else None)
    if status is None:
        return None
    same = account is not None and status is account.status
    arr = cmd.arr if cmd.arr is not None else (account.arr if account else 0)
    deal = (
        cmd.deal_size
        if cmd.deal_size is not None
        else (account.deal_size if same and account else None)
    )
    if status is AccountStatus.PROSPECT:
        arr = 0
    return BusinessContext(status, arr, deal, cmd.expected_close)


def _tickets(uow: UnitOfWork, cmd: FileRequest) -> tuple[LinkedTicket, ...]:
    """Imported tickets are linked by their row; others are kept as the helpdesk names them."""
    if not cmd.tickets:
        return ()
    known = uow.tickets.by_keys([t.key for t in cmd.tickets])
    return tuple(
        LinkedTicket(known[t.key].id, t.key, t.url)
        if t.key in known
        else LinkedTicket(None, t.key, t.url)
        for t in cmd.tickets
    )


def views_of(
    uow: UnitOfWork, requests: list[EscalationRequest], weights: ScoreWeights
) -> list[RequestView]:
    """Requests with their names and scores, in a fixed number of queries."""
    accounts = {a.id: a for a in uow.accounts.list()}
    people = uow.people.get_many({r.requester_id for r in requests if r.requester_id is not None})
    ticket_ids = {t.ticket_id for r in requests for t in r.tickets if t.ticket_id is not None}
    recurring = set(uow.recurring.issues_of(ticket_ids)) if ticket_ids else set()
    views = []
    for r in requests:
        person = people.get(r.requester_id) if r.requester_id is not None else None
        breadth = Breadth(
            similar_accounts=r.similar_accounts,
            recurring_issue=any(t.ticket_id in recurring for t in r.tickets if t.ticket_id),
        )
        account = accounts.get(r.account_id)
        views.append(
            RequestView(
                r,
                account.name if account else f"account {r.account_id}",
                person.name if person else None,
                person.email if person else None,
                score(r, weights, breadth),
            )
        )
    return views


def list_requests(
    uow: UnitOfWork, query: ListRequests, actor: Actor, ctx: Context
) -> list[RequestView]:
    return requests_page(uow, query, actor, ctx).items


def requests_page(
    uow: UnitOfWork, query: ListRequests, actor: Actor, ctx: Context
) -> Page[RequestView]:
    """One page of requests, sorted and cut by the database, with how many there are."""
    actor.require(P.READ)
    check_window(query.limit, query.offset, most=10_000)
    check_order(query.order, REQUEST_ORDERS)
    account_id = uow.accounts.find(query.account, "account").id if query.account else None
    statuses = (query.status,) if query.status else ()
    requests = uow.requests.listing(
        statuses=statuses,
        account_id=account_id,
        limit=query.limit,
        offset=query.offset,
        order=query.order,
    )
    total = uow.requests.count(statuses=statuses, account_id=account_id)
    views = views_of(uow, requests, query.triage.weights)
    return Page(views, total, query.limit, query.offset)


def show_request(uow: UnitOfWork, query: ShowRequest, actor: Actor, ctx: Context) -> RequestView:
    """The request, its score, and any escalation of the same account already open: the
    requester may add to it rather than start again (R-INT-1)."""
    actor.require(P.READ)
    request = uow.requests.get(query.request_id)
    view = views_of(uow, [request], query.triage.weights)[0]
    open_now = uow.escalations.page(EscalationFilter(account_id=request.account_id, limit=20))
    return RequestView(**{**view.__dict__, "open_escalations": tuple(open_now.items)})


def open_escalations_of(
    uow: UnitOfWork, query: ListEscalations, actor: Actor, ctx: Context
) -> list[EscalationSummary]:
    """While a request is written: the account's open escalations ("ESC-12 is open: add to
    it instead?")."""
    actor.require(P.READ)
    if not query.account:
        return []
    account = uow.accounts.find(query.account, "account")
    return uow.escalations.page(EscalationFilter(account_id=account.id, limit=20)).items


def withdraw_request(
    uow: UnitOfWork, cmd: WithdrawRequest, actor: Actor, ctx: Context
) -> EscalationRequest:
    """The requester (or whoever decides requests) withdraws a request still pending."""
    request = uow.requests.get(cmd.request_id, cmd.version)
    own = actor.person_id is not None and actor.person_id == request.requester_id
    if not (own and actor.can(P.FILE_REQUEST)) and not actor.can(P.DECIDE_REQUEST):
        raise Forbidden(
            f"{actor.name} may not withdraw REQ-{request.id}: only its requester "
            "or someone who decides requests"
        )
    request.withdraw(cmd.reason, by_id=actor.person_id, now=ctx.now)
    return request


SIMILAR_POOL = 2000  # the newest requests compared: years of a desk's intake


def similar_records(
    uow: UnitOfWork, query: SimilarToRequest, actor: Actor, ctx: Context
) -> list[Likeness]:
    """Earlier requests and open escalations whose words are like this text."""
    actor.require(P.READ)
    pool = [
        Candidate(f"REQ-{r.id}", r.summary, r.status.value, f"{r.problem} {r.workarounds}")
        for r in uow.requests.listing(limit=SIMILAR_POOL)
        if r.id != query.exclude_request_id
    ]
    pool += [
        Candidate(f"ESC-{e.id}", f"{e.customer}: {e.summary}", e.status, e.summary)
        for e in uow.escalations.page(EscalationFilter(limit=1000)).items
    ]
    return most_similar(query.text, pool)


def link_duplicate(
    uow: UnitOfWork, cmd: LinkDuplicate, actor: Actor, ctx: Context
) -> EscalationRequest:
    """One click: this request duplicates REQ-n or ESC-n, so it leaves the agenda."""
    ref = cmd.of.strip().upper()
    kind, _, number = ref.partition("-")
    if kind not in ("REQ", "ESC") or not number.isdigit():
        raise InvalidInput(
            "of", f"{cmd.of!r} names no request or escalation", "Use REQ-7 or ESC-12"
        )
    if kind == "REQ":
        if int(number) == cmd.request_id:
            raise InvalidInput("of", "a request cannot duplicate itself", "Name another one")
        uow.requests.get(int(number))
    else:
        uow.escalations.get(int(number))
    return withdraw_request(
        uow, WithdrawRequest(cmd.request_id, f"duplicate of {ref}", cmd.version), actor, ctx
    )


HANDLERS: dict[type, Handler[Any, Any]] = {
    FileRequest: file_request,
    WithdrawRequest: withdraw_request,
    LinkDuplicate: link_duplicate,
}
"""Each request command's handler, for faces that dispatch by command."""
