"""A ticket's page (R-REC-2): the ticket, its recurring issue, and the similar earlier tickets
each with "Duplicate" and "Not related", so a person links instead of re-investigating."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import IndexDep, NowDep, RunnerDep, UowDep
from escdesk.services import ticket_judgements as judgements
from escdesk.services import tickets
from escdesk.web.errors import PageRoute
from escdesk.web.forms import FormDep
from escdesk.web.pages import redirect, render
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
    return redirect(
        f"/tickets/{judged.ticket.key}", flash=f"{judged.ticket.key} is {words} {judged.other.key}."
    )
