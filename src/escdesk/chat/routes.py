"""The Slack app's three request URLs, each verified before a byte of it is read as input.

`/slack/commands` (slash commands), `/slack/interactions` (buttons and modals) and
`/slack/events` (the Events API's URL check). Each request is checked against the signing
secret (`chat/signing.py`), then handed to the work of its kind, answered in time or through
the response URL (`chat/handoff.py`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from escdesk.chat import interactions, slash
from escdesk.chat.desk import ChatDesk
from escdesk.chat.signing import NotFromSlack
from escdesk.http.deps import NowDep, get_ticket_index
from escdesk.http.problems import MEDIA_TYPE, problem_body
from escdesk.services.runner import Runner
from escdesk.services.ticket_index import TicketIndex

router = APIRouter(prefix="/slack", include_in_schema=False)

WORKING = {"response_type": "ephemeral", "text": ":hourglass: Working on it…"}


async def _verified(request: Request) -> tuple[ChatDesk, bytes] | Response:
    """The desk and the body of a request from Slack, or the 401 problem (never the pages'
    sign-in redirect: Slack is not a browser)."""
    desk: ChatDesk = request.app.state.chat
    body = await request.body()
    try:
        if desk.requests is None:
            raise NotFromSlack(
                "Slack requests cannot be verified: set ESCDESK_SLACK_SIGNING_SECRET "
                "(see the README)"
            )
        desk.requests.verify(body, request.headers)
    except NotFromSlack as exc:
        return JSONResponse(problem_body(exc), status_code=401, media_type=MEDIA_TYPE)
    return desk, body


def _runner(request: Request, now: Any) -> Runner:
    runner: Runner = request.app.state.desk.runner
    return runner.at(now)


def _form(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


@router.post("/commands")
async def commands(request: Request, now: NowDep) -> Response:
    checked = await _verified(request)
    if isinstance(checked, Response):
        return checked
    desk, body = checked
    form, runner = _form(body), _runner(request, now)
    reply = await desk.answering.answer(
        lambda: slash.run(desk, runner, form, now), form.get("response_url")
    )
    return JSONResponse(reply or WORKING)


@router.post("/interactions")
async def interaction(request: Request, now: NowDep) -> Response:
    checked = await _verified(request)
    if isinstance(checked, Response):
        return checked
    desk, body = checked
    runner = _runner(request, now)
    try:
        payload: dict[str, Any] = json.loads(_form(body).get("payload", ""))
    except ValueError:
        return JSONResponse({"error": "no interaction payload"}, status_code=400)
    if payload.get("type") == "view_submission":

        def index() -> TicketIndex:  # opened by the work, when a request is filed
            return get_ticket_index(request)

        answer = await desk.answering.answer(
            lambda: interactions.view_submission(desk, runner, payload, now, index), None
        )
        return JSONResponse(answer) if answer else Response(status_code=200)
    # block_actions: Slack reads nothing from the body; answers go to the response URL
    url = payload.get("response_url")
    await desk.answering.answer(
        lambda: _posted(desk, url, interactions.block_action(desk, runner, payload, now)), None
    )
    return Response(status_code=200)


def _posted(desk: ChatDesk, url: str | None, reply: dict[str, Any] | None) -> None:
    if reply is not None and url:
        desk.answering.deliver(url, reply)


@router.post("/events")
async def events(request: Request) -> Response:
    """The Events API's URL check; escdesk subscribes to no event yet, so others are
    acknowledged and dropped."""
    checked = await _verified(request)
    if isinstance(checked, Response):
        return checked
    body = checked[1]
    try:
        event = json.loads(body or b"{}")
    except ValueError:
        return JSONResponse({"error": "not JSON"}, status_code=400)
    if isinstance(event, dict) and event.get("type") == "url_verification":
        return JSONResponse({"challenge": event.get("challenge", "")})
    return Response(status_code=200)
