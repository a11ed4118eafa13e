"""The search page: escalations found by a word of their customer, summary or updates."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.http.deps import NowDep, RunnerDep
from escdesk.services.escalation_search import SearchEscalations, SearchResult, search_escalations
from escdesk.services.views import ESCALATION_ORDERS, EscalationPage
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.listing import PAGE_SIZE, listing
from escdesk.web.pages import render
from escdesk.web.viewer import Reader

router = APIRouter(route_class=PageRoute)


@router.get("/search")
def search_page(
    request: Request, principal: Reader, run: RunnerDep, now: NowDep, q: str = ""
) -> Response:
    def show_again(request: Request, failed: FormError) -> Response:
        empty = SearchResult((), EscalationPage([], 0, PAGE_SIZE, 0))
        context = {"q": q, "found": empty, "failed": failed, "listing": None}
        return render(request, "search.html", context, status_code=failed.status, now=now)

    if not q.strip():  # the box was sent empty: ask, do not scold
        return render(request, "search.html", {"q": "", "found": None}, now=now)
    on_error_show(request, "search", show_again)
    asked = listing(request, ESCALATION_ORDERS)
    query = SearchEscalations.parse(q, limit=asked.size, offset=asked.offset, order=asked.order)
    found = run.read(search_escalations, query, principal.actor)
    context = {"q": q, "found": found, "listing": asked}
    return render(request, "search.html", context, now=now)
