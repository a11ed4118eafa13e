"""Probes and metrics for operators: `/healthz`, `/readyz`, `/metrics` (no sign-in).

They answer outside `/api` because load balancers, orchestrators and Prometheus expect them
at these paths. None of them shows a desk's content: counts by message kind, and why the
process is not ready.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from escdesk.http.readiness import readiness

# Not in the OpenAPI document: they are for the machines that run escdesk, not API clients, and
# a probe's 503 ("not ready") is its answer, not a failure of the API.
router = APIRouter(tags=["operations"], include_in_schema=False)


@router.get("/healthz", summary="Alive: the process answers (the database is not asked)")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Ready: database reachable, schema current, a worker alive")
def readyz(request: Request) -> JSONResponse:
    desk = request.app.state.desk
    checks = readiness(desk.engine, desk.clock(), desk.settings.ready_worker_seconds)
    ready = all(c.ok for c in checks)
    body: dict[str, Any] = {
        "status": "ready" if ready else "not ready",
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics", summary="Prometheus metrics of this process and the outbox")
def metrics(request: Request) -> Response:
    registry: CollectorRegistry = request.app.state.metrics
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
