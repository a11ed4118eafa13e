"""Mounting the Slack face on the one ASGI app (called by `escdesk.asgi`)."""

from __future__ import annotations

from fastapi import FastAPI

from escdesk.chat import routes
from escdesk.chat.desk import Channels, ChatDesk
from escdesk.chat.handoff import Answering
from escdesk.chat.people import SlackPeople, SlackWeb
from escdesk.chat.response_urls import ResponseUrls
from escdesk.chat.signing import HeardRequests, SlackRequests


def install(
    app: FastAPI,
    *,
    signing_secret: str | None,
    heard: HeardRequests,
    web: SlackWeb | None,
    channels: Channels,
    api_url: str | None = None,
) -> ChatDesk:
    """`api_url` (ESCDESK_SLACK_API_URL) is trusted for late answers, beside Slack's hosts."""
    desk = ChatDesk(
        requests=SlackRequests(signing_secret, heard) if signing_secret else None,
        people=SlackPeople(web),
        web=web,
        channels=channels,
        answering=Answering(urls=ResponseUrls(api_url)),
    )
    app.state.chat = desk
    app.include_router(routes.router)
    return desk
