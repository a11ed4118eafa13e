"""Pages of retrospectives (R-RCA-1, R-RCA-2): the list with the on-time shares, and one
retrospective with its timeline from the audit trail and the forms that write it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput
from escdesk.domain.limits import MAX_ID
from escdesk.domain.retrospective import ROOT_CAUSE_WORDS
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep
from escdesk.services import links
from escdesk.services import retrospectives as service
from escdesk.services.retrospectives import RetroRef
from escdesk.services.runner import Runner
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.listing import first_page, listing
from escdesk.web.pages import redirect, render
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Writer = Annotated[Principal, Depends(allowed_to(Permission.WRITE_RETROSPECTIVE))]
RetroId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _retro_list(
    request: Request, run: Runner, principal: Principal, now: Any, failed: FormError | None
) -> Response:
    actor = principal.actor
    asked = first_page(request) if failed else listing(request, service.RETRO_ORDERS)
    query = service.ListRetrospectives(True, asked.order, asked.size, asked.offset)
    found = run.read(service.retrospectives_page, query, actor)
    shares = run.read(service.follow_up_shares, service.FollowUpShares(), actor)
    context = {"found": found, "shares": shares, "listing": asked, "failed": failed}
    code = failed.status if failed else 200
    return render(request, "after/retros.html", context, status_code=code, now=now)


@router.get("/retrospectives")
def retro_list(request: Request, principal: Reader, run: RunnerDep, now: NowDep) -> Response:
    on_error_show(request, "list", lambda r, failed: _retro_list(r, run, principal, now, failed))
    return _retro_list(request, run, principal, now, None)


def _page(
    request: Request,
    run: Runner,
    retro_id: int,
    principal: Principal,
    now: Any,
    failed: FormError | None,
) -> Response:
    query = service.ShowRetrospective(RetroRef(retro_id))
    view = run.read(service.show_retrospective, query, principal.actor)
    context = {"view": view, "r": view.retro, "failed": failed, "causes": ROOT_CAUSE_WORDS}
    status = failed.status if failed else 200
    return render(request, "after/retro.html", context, status_code=status, now=now)


@router.get("/retrospectives/{retro_id}")
def retro_page(
    request: Request, retro_id: RetroId, principal: Reader, run: RunnerDep, now: NowDep
) -> Response:
    return _page(request, run, retro_id, principal, now, None)


@router.get("/retrospectives/{retro_id}/export.md")
def retro_export(retro_id: RetroId, principal: Reader, run: RunnerDep) -> Response:
    query = service.ShowRetrospective(RetroRef(retro_id))
    view = run.read(service.show_retrospective, query, principal.actor)
    name = f"retrospective-esc-{view.retro.escalation_id}.md"
    return Response(
        view.markdown,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _retry(
    request: Request, run: Runner, retro_id: int, principal: Principal, now: Any, form: str
) -> None:
    def again(req: Request, failed: FormError) -> Response:
        return _page(req, run, retro_id, principal, now, failed)

    on_error_show(request, form, again)


def _back(retro_id: int, message: str) -> Response:
    return redirect(f"/retrospectives/{retro_id}", flash=message)


@router.post("/retrospectives/{retro_id}/describe")
def describe(
    request: Request,
    retro_id: RetroId,
    principal: Writer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry(request, run, retro_id, principal, now, "describe")
    cmd = service.DescribeRetrospective.parse(
        ref=RetroRef(retro_id),
        root_cause=form.optional("root_cause"),
        summary=form.optional("summary"),
        internal_notes=form.text("internal_notes") if "internal_notes" in form.values else None,
        version=form.version(),
    )
    run.run(service.describe_retrospective, cmd, principal.actor)
    return _back(retro_id, "The retrospective is saved.")


@router.post("/retrospectives/{retro_id}/annotate")
def annotate(
    request: Request,
    retro_id: RetroId,
    principal: Writer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry(request, run, retro_id, principal, now, "annotate")
    event = form.integer("event_id")
    if event is None:
        raise InvalidInput("event_id", "no timeline line was chosen", "Annotate a line")
    cmd = service.AnnotateTimeline(RetroRef(retro_id), event, form.text("note"), form.version())
    run.run(service.annotate_timeline, cmd, principal.actor)
    return _back(retro_id, "The timeline line is annotated.")


@router.post("/retrospectives/{retro_id}/missed")
def missed(
    request: Request,
    retro_id: RetroId,
    principal: Writer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry(request, run, retro_id, principal, now, "missed")
    cmd = service.AddMissedOpportunity(RetroRef(retro_id), form.text("text"), form.version())
    run.run(service.add_missed_opportunity, cmd, principal.actor)
    return _back(retro_id, "The missed opportunity is noted.")


@router.post("/retrospectives/{retro_id}/follow-ups")
def add_follow_up(
    request: Request,
    retro_id: RetroId,
    principal: Writer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry(request, run, retro_id, principal, now, "follow_up")
    due = form.moment("due_at", principal.timezone)
    if due is None:
        raise InvalidInput("due_at", "is missing", "Pick the date it is due")
    cmd = service.AddFollowUp(
        RetroRef(retro_id),
        form.text("title"),
        form.text("owner"),
        due,
        form.optional("team"),
        form.version(),
        form.optional("tracker_url"),
    )
    run.run(service.add_follow_up, cmd, principal.actor)
    return _back(retro_id, "The follow-up action is added.")


@router.post("/retrospectives/{retro_id}/follow-ups/{number}")
def mark_follow_up(
    request: Request,
    retro_id: RetroId,
    number: Annotated[int, Path(ge=1, le=10_000)],
    principal: Reader,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry(request, run, retro_id, principal, now, f"follow_up_{number}")
    done = not form.flag("undo")
    cmd = service.MarkFollowUp(RetroRef(retro_id), number, done, form.version())
    run.run(service.mark_follow_up, cmd, principal.actor)
    return _back(retro_id, f"Follow-up {number} is {'done' if done else 'open again'}.")


@router.post("/retrospectives/{retro_id}/follow-ups/{number}/tracker-issue")
def create_tracker_issue(
    request: Request,
    retro_id: RetroId,
    number: Annotated[int, Path(ge=1, le=10_000)],
    principal: Writer,
    form: FormDep,
    run: RunnerDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """The "Create in tracker" button: queued for the worker, which records the issue."""
    _retry(request, run, retro_id, principal, now, f"tracker_{number}")
    target = settings.issue_target(form.optional("tracker"), form.optional("project"))
    cmd = service.CreateTrackerIssue(RetroRef(retro_id), number, target, form.version())
    run.run(service.create_tracker_issue, cmd, principal.actor)
    where = f"{target.tracker.value.capitalize()} {target.project}"
    return _back(retro_id, f"Follow-up {number}: the issue in {where} is being created.")


@router.post("/retrospectives/{retro_id}/links")
def add_link(
    request: Request,
    retro_id: RetroId,
    principal: Reader,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    """Link the escalation's engineering work (who may post updates on it)."""
    _retry(request, run, retro_id, principal, now, "link")
    query = service.ShowRetrospective(RetroRef(retro_id))
    esc_id = run.read(service.show_retrospective, query, principal.actor).retro.escalation_id
    cmd = links.AddLink("escalation", esc_id, form.text("url"))
    link = run.run(links.add_link, cmd, principal.actor)
    return _back(retro_id, f"Linked {link.parsed.tracker.value} {link.parsed.key}.")


@router.post("/retrospectives/{retro_id}/complete")
def complete(
    request: Request,
    retro_id: RetroId,
    principal: Writer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry(request, run, retro_id, principal, now, "complete")
    cmd = service.CompleteRetrospective(RetroRef(retro_id), form.version())
    run.run(service.complete_retrospective, cmd, principal.actor)
    return _back(retro_id, "The retrospective is completed.")
