"""The similar-tickets ranking that learns from the team (R-REC-2): every re-trained version
with its figures, re-training in one click, and choosing the one in use or the shipped one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.domain.access import Principal
from escdesk.http.deps import IndexDep, NowDep, RunnerDep
from escdesk.services import ranker as service
from escdesk.services.runner import Runner
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.pages import redirect, render
from escdesk.web.routes.recurring import Keeper
from escdesk.web.viewer import Reader

router = APIRouter(route_class=PageRoute)


def _page(
    request: Request, run: Runner, principal: Principal, now: NowDep, failed: FormError | None
) -> Response:
    rankers = run.read(service.show_rankers, service.ShowRankers(), principal.actor)
    status = failed.status if failed else 200
    context = {"rankers": rankers, "failed": failed}
    return render(request, "recurring/rankers.html", context, status_code=status, now=now)


@router.get("/rankers")
def rankers_page(request: Request, principal: Reader, run: RunnerDep, now: NowDep) -> Response:
    return _page(request, run, principal, now, None)


@router.post("/rankers")
def train(
    request: Request, principal: Keeper, run: RunnerDep, index: IndexDep, now: NowDep
) -> Response:
    on_error_show(request, "train", lambda req, failed: _page(req, run, principal, now, failed))
    trained = run.run(service.TrainRankerHandler(index), service.TrainRanker(), principal.actor)
    v = trained.version
    said = (
        f"Version {v.id} ranks the held-back links better: search uses it now."
        if v.kept
        else f"Version {v.id} is recorded, not used: {trained.not_kept_because}."
    )
    return redirect("/rankers", flash=said)


@router.post("/rankers/in-use")
def use(request: Request, principal: Keeper, form: FormDep, run: RunnerDep) -> Response:
    version = form.integer("version")
    cmd = service.UseRanker.parse(version, version is None)
    run.run(service.use_ranker, cmd, principal.actor)
    said = (
        "Search uses the shipped ranker again."
        if version is None
        else f"Search uses version {version} now."
    )
    return redirect("/rankers", flash=said)
