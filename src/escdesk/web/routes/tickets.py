"""A ticket's page (R-REC-2): the ticket, its recurring issue, and the similar earlier tickets
each with "Duplicate" and "Not related", so a person links instead of re-investigating."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.values import parse_id
from escdesk.http.deps import IndexDep, NowDep, RunnerDep, UowDep
from escdesk.services import recurring_changes as change
from escdesk.services import ticket_judgements as judgements
from escdesk.services import tickets
from escdesk.web.errors import PageRoute
from escdesk.web.forms import FormDep
from escdesk.web.pages import redirect, render, safe_next
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Keeper = Annotated[Principal, Depends(allowed_to(Permission.MANAGE_RECURRING))]
TicketKey = Annotated[str, Path(min_length=1, max_length=301)]


@router.get("/tickets/{key}")
def ticket_page(
    request: Request, key: TicketKey, principal: Reader, uow: UowDep, now: NowDep, index: IndexDep
) -> Response:
    detail = tickets.show_ticket(uow, key)
    similar = tickets.similar_tickets(uow, index, [key], k=10, earlier_only=True)[0]
    context = {"detail": detail, "similar": similar, "key": key}
    return render(request, "tickets/page.html", context, now=now)


@router.post("/tickets/{key}/judgements")
def judge(
    request: Request, key: TicketKey, principal: Keeper, form: FormDep, run: RunnerDep
) -> Response:
    verdict = form.text("verdict")
    cmd = judgements.JudgePair.parse(key, form.text("other"), verdict)
    judged = run.run(judgements.judge_pair, cmd, principal.actor)
    words = "a duplicate of" if judged.judgement.verdict.value == "duplicate" else "not related to"
    back = safe_next(form.optional("back"), f"/tickets/{quote(judged.ticket.key)}")
    return redirect(back, flash=f"{judged.ticket.key} is {words} {judged.other.key}.")


@router.post("/tickets/{key}/issue")
def add_to_issue(
    request: Request, key: TicketKey, principal: Keeper, form: FormDep, run: RunnerDep
) -> Response:
    """From a similar-tickets list: this ticket has the cause of that match's recurring issue."""
    issue_id = parse_id(form.text("issue"), "issue", prefix="", example="12")
    issue = run.run(change.add_ticket, change.AddTicket(issue_id, key), principal.actor)
    back = safe_next(form.optional("back"), f"/tickets/{quote(key)}")
    return redirect(back, flash=f"{key} is in the recurring issue “{issue.label}” now.")
