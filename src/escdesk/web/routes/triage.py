"""The triage meeting's pages (R-TRI-1): the agenda, its Markdown, and meeting mode, which
records attendance and walks the agenda request by request, recording each decision."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.triage_meeting import Agenda
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep, UowDep
from escdesk.services import triage
from escdesk.services.desk import directory
from escdesk.services.request_commands import RecordMeeting, ShowMeeting, TriageAgenda
from escdesk.services.triage_text import agenda_markdown, breakdown_text, progress_line
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.pages import redirect, render
from escdesk.web.routes.requests import CHOICES, decide_command
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Decider = Annotated[Principal, Depends(allowed_to(Permission.DECIDE_REQUEST))]


def _agenda(run: RunnerDep, settings: SettingsDep, principal: Principal) -> Agenda:
    return run.read(triage.triage_agenda, TriageAgenda(settings.triage_config()), principal.actor)


@router.get("/triage")
def agenda_page(
    request: Request, principal: Reader, run: RunnerDep, settings: SettingsDep, now: NowDep
) -> Response:
    context = {
        "agenda": _agenda(run, settings, principal),
        "breakdown": breakdown_text,
        "progress_line": progress_line,
    }
    return render(request, "triage/agenda.html", context, now=now)


@router.get("/triage/agenda.md")
def agenda_markdown_file(principal: Reader, run: RunnerDep, settings: SettingsDep) -> Response:
    return PlainTextResponse(
        agenda_markdown(_agenda(run, settings, principal)),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="triage-agenda.md"'},
    )


def _start_page(request: Request, uow: SqlUnitOfWork, failed: FormError | None) -> Response:
    context = {"directory": directory(uow), "failed": failed}
    return render(
        request, "triage/start.html", context, status_code=failed.status if failed else 200
    )


@router.get("/triage/meeting")
def start_meeting_page(request: Request, principal: Decider, uow: UowDep) -> Response:
    return _start_page(request, uow, None)


@router.post("/triage/meeting")
def start_meeting(
    request: Request, principal: Decider, form: FormDep, uow: UowDep, run: RunnerDep
) -> Response:
    """Attendance first: the meeting is recorded as held now, with who is in the room."""
    on_error_show(request, "start", lambda request, failed: _start_page(request, uow, failed))
    cmd = RecordMeeting(tuple(form.texts("attendees")), form.text("notes"))
    number = run.run(triage.record_meeting, cmd, principal.actor)
    return redirect(f"/triage/meeting/{number}", flash="The meeting has started.")


def meeting_page(
    request: Request,
    run: RunnerDep,
    principal: Principal,
    settings: SettingsDep,
    meeting_id: int,
    failed: FormError | None = None,
) -> Response:
    """The next pending request in focus with its decision form; then the escalations."""
    meeting = run.read(triage.show_meeting, ShowMeeting(meeting_id), principal.actor)
    agenda = _agenda(run, settings, principal)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "current": agenda.requests[0] if agenda.requests else None,
        "breakdown": breakdown_text,
        "progress_line": progress_line,
        "failed": failed,
        **CHOICES,
    }
    status = failed.status if failed else 200
    return render(request, "triage/meeting.html", context, status_code=status)


@router.get("/triage/meeting/{meeting_id}")
def meeting_mode(
    request: Request, meeting_id: int, principal: Decider, run: RunnerDep, settings: SettingsDep
) -> Response:
    return meeting_page(request, run, principal, settings, meeting_id)


@router.post("/triage/meeting/{meeting_id}/requests/{request_id}")
def decide_in_meeting(
    request: Request, meeting_id: int, request_id: int, principal: Decider, form: FormDep,
    run: RunnerDep, settings: SettingsDep,
) -> Response:  # fmt: skip
    on_error_show(
        request,
        "decide",
        lambda request, failed: meeting_page(request, run, principal, settings, meeting_id, failed),
    )
    cmd = replace(
        decide_command(form, request_id, settings, principal.timezone), meeting_id=meeting_id
    )
    decided = run.run(triage.decide_request, cmd, principal.actor)
    return redirect(
        f"/triage/meeting/{meeting_id}",
        flash=f"REQ-{request_id}: {decided.status.value}. The requester's notice is on its way.",
    )
