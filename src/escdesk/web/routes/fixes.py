"""Pages of support-written fixes and interim releases (R-FIX-1, R-FIX-2, R-FIX-3): the review
queue with the submit form, the releases, and one release with its ordered contents."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput
from escdesk.domain.fixes import FixStatus
from escdesk.domain.limits import MAX_ID
from escdesk.http.deps import NowDep, RunnerDep
from escdesk.services import fixes as fix_service
from escdesk.services import releases as service
from escdesk.services.runner import Runner
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep, FormFields
from escdesk.web.listing import first_page, listing
from escdesk.web.pages import redirect, render
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
P = Permission
Author = Annotated[Principal, Depends(allowed_to(P.SUBMIT_FIX))]
Reviewer = Annotated[Principal, Depends(allowed_to(P.REVIEW_FIX))]
Orderer = Annotated[Principal, Depends(allowed_to(P.ORDER_RELEASE))]
Shipper = Annotated[Principal, Depends(allowed_to(P.SHIP_RELEASE))]
FixId = Annotated[int, Path(ge=1, le=MAX_ID)]
ReleaseKey = Annotated[str, Path(max_length=40)]


def _id(form: FormFields, name: str) -> int | None:
    text = form.text(name).upper().removeprefix("ESC-")
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise InvalidInput(name, f"{text!r} is not an id", "Write it as 12 (or ESC-12)")
    return int(text)


# ---------------------------------------------------------------------- fixes
def _fixes_page(
    request: Request, run: Runner, principal: Principal, now: Any, failed: FormError | None
) -> Response:
    actor = principal.actor
    asked = first_page(request) if failed else listing(request, fix_service.FIX_ORDERS)
    reviewed = fix_service.ReviewedFixes(asked.order, asked.size, asked.offset)
    lead = run.read(fix_service.lead_time_report, fix_service.LeadTimeReport(), actor)
    context = {
        "queue": run.read(fix_service.review_queue, fix_service.ListFixes(), actor),
        "others": run.read(fix_service.reviewed_fixes, reviewed, actor),
        "listing": asked,
        "lead": lead.summary,
        "failed": failed,
    }
    status = failed.status if failed else 200
    return render(request, "after/fixes.html", context, status_code=status, now=now)


@router.get("/fixes")
def fixes_page(request: Request, principal: Reader, run: RunnerDep, now: NowDep) -> Response:
    _retry_fixes(request, run, principal, now, "list")
    return _fixes_page(request, run, principal, now, None)


def _retry_fixes(request: Request, run: Runner, principal: Principal, now: Any, form: str) -> None:
    on_error_show(request, form, lambda req, failed: _fixes_page(req, run, principal, now, failed))


@router.post("/fixes")
def submit(
    request: Request, principal: Author, form: FormDep, run: RunnerDep, now: NowDep
) -> Response:
    _retry_fixes(request, run, principal, now, "submit")
    cmd = fix_service.SubmitFix.parse(
        title=form.text("title"),
        kind=form.text("kind"),
        content=form.optional("content"),
        url=form.optional("url"),
        escalation_id=_id(form, "escalation"),
        recurring_issue_id=_id(form, "issue"),
    )
    fix = run.run(fix_service.submit_fix, cmd, principal.actor)
    return redirect("/fixes", flash=f"Fix {fix.id} is in Engineering's review queue.")


@router.post("/fixes/{fix_id}/review")
def review(
    request: Request,
    fix_id: FixId,
    principal: Reviewer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry_fixes(request, run, principal, now, f"review_{fix_id}")
    cmd = fix_service.ReviewFix.parse(
        fix_id=fix_id,
        decision=form.text("decision"),
        reason=form.optional("reason"),
        version=form.version(),
    )
    fix = run.run(fix_service.review_fix, cmd, principal.actor)
    return redirect("/fixes", flash=f"Fix {fix.id} is {fix.status.value.replace('_', ' ')}.")


# ---------------------------------------------------------------------- releases
def _releases_page(
    request: Request, run: Runner, principal: Principal, now: Any, failed: FormError | None
) -> Response:
    found = run.read(service.list_releases, service.ListReleases(), principal.actor)
    status = failed.status if failed else 200
    context = {"releases": found, "failed": failed}
    return render(request, "after/releases.html", context, status_code=status, now=now)


@router.get("/releases")
def releases_page(request: Request, principal: Reader, run: RunnerDep, now: NowDep) -> Response:
    return _releases_page(request, run, principal, now, None)


@router.post("/releases")
def plan(
    request: Request, principal: Orderer, form: FormDep, run: RunnerDep, now: NowDep
) -> Response:
    on_error_show(
        request, "plan", lambda req, failed: _releases_page(req, run, principal, now, failed)
    )
    text = form.text("planned_on")
    try:
        planned = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "planned_on", f"{text!r} is not a date", "Pick the planned date"
        ) from None
    release = run.run(
        service.plan_release, service.PlanRelease(form.text("version"), planned), principal.actor
    )
    return redirect(f"/releases/{release.version}", flash=f"{release.version} is planned.")


def _release_page(
    request: Request,
    run: Runner,
    key: str,
    principal: Principal,
    now: Any,
    failed: FormError | None,
) -> Response:
    actor = principal.actor
    view = run.read(service.show_release, service.ShowRelease(key), actor)
    accepted = fix_service.ListFixes(status=FixStatus.ACCEPTED)
    addable = [f for f in run.read(fix_service.list_fixes, accepted, actor) if f.release_id is None]
    context = {"view": view, "release": view.release, "addable": addable, "failed": failed}
    status = failed.status if failed else 200
    return render(request, "after/release.html", context, status_code=status, now=now)


@router.get("/releases/{key}")
def release_page(
    request: Request, key: ReleaseKey, principal: Reader, run: RunnerDep, now: NowDep
) -> Response:
    return _release_page(request, run, key, principal, now, None)


def _retry_release(
    request: Request, run: Runner, key: str, principal: Principal, now: Any, form: str
) -> None:
    def again(req: Request, failed: FormError) -> Response:
        return _release_page(req, run, key, principal, now, failed)

    on_error_show(request, form, again)


def _fix_id(form: FormFields) -> int:
    found = _id(form, "fix_id")
    if found is None:
        raise InvalidInput("fix_id", "no fix was chosen", "Choose an accepted fix")
    return found


@router.post("/releases/{key}/add")
def add(
    request: Request,
    key: ReleaseKey,
    principal: Orderer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry_release(request, run, key, principal, now, "add")
    cmd = service.AddToRelease(key, _fix_id(form), form.version())
    run.run(service.add_to_release, cmd, principal.actor)
    return redirect(f"/releases/{key}", flash="The fix is in the release.")


@router.post("/releases/{key}/rank")
def rank(
    request: Request,
    key: ReleaseKey,
    principal: Orderer,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    """R-FIX-2: a fix moved to a position (1 ships first)."""
    _retry_release(request, run, key, principal, now, "rank")
    position = form.integer("position")
    if position is None:
        raise InvalidInput("position", "is missing", "Give a position, 1 ships first")
    cmd = service.RankFix(key, _fix_id(form), position, form.version())
    run.run(service.rank_fix, cmd, principal.actor)
    return redirect(f"/releases/{key}", flash="The order is saved.")


@router.post("/releases/{key}/ship")
def ship(
    request: Request,
    key: ReleaseKey,
    principal: Shipper,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    _retry_release(request, run, key, principal, now, "ship")
    release = run.run(
        service.ship_release, service.ShipRelease(key, form.version()), principal.actor
    )
    return redirect(
        f"/releases/{key}", flash=f"{release.version} shipped; everyone waiting is being told."
    )
