"""FastAPI dependencies as `Annotated` aliases: the store, settings, the clock and who is asking.

Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in its
thread pool, and a thread hop per dependency was most of a request's overhead. Routes and
pages declare what they need (`uow: UowDep`, `now: NowDep`,
`principal: Annotated[Principal, Depends(require(Permission.CLOSE))]`) and never look up the
session or token themselves, so no route can forget to check access.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from escdesk.config import Settings
from escdesk.domain.access import (
    OWNER_POWERS,
    Actor,
    Permission,
    Principal,
    SignInRequired,
    forbidden_message,
)
from escdesk.domain.errors import Forbidden, NotFound
from escdesk.http.security import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, verify_csrf
from escdesk.services import auth, escalations
from escdesk.services.escalation_commands import ShowEscalation
from escdesk.services.runner import Runner
from escdesk.services.ticket_index import TicketIndex
from escdesk.similarity import open_index
from escdesk.store.uow import SqlUnitOfWork

REQUIRED_PERMISSION = "required_permission"
"""Attribute naming the permission a `require(...)` dependency checks (read by the role test)."""


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_uow(request: Request) -> SqlUnitOfWork:
    """A fresh unit of work per request: one is not safe to share between threads."""
    return SqlUnitOfWork(request.app.state.engine)


async def get_now() -> datetime:
    """The one clock reading of a request; tests override this dependency."""
    return datetime.now(UTC)


SettingsDep = Annotated[Settings, Depends(get_settings)]
UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]
NowDep = Annotated[datetime, Depends(get_now)]


async def get_runner(request: Request, now: NowDep) -> Runner:
    """The app's runner, with this request's one clock reading."""
    runner: Runner = request.app.state.desk.runner
    return runner.at(now)


RunnerDep = Annotated[Runner, Depends(get_runner)]


def get_optional_principal(request: Request, uow: UowDep, now: NowDep) -> Principal | None:
    """Who is asking: a bearer token wins over the session cookie; None when nobody is.

    A token that is given but unknown or revoked is an error, never "anonymous": a script with
    a stale token should hear so. An expired session is simply signed out. Cookie-authenticated
    changes under /api must carry the `X-CSRF-Token` header; pages check their form field.
    """
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise SignInRequired("Authorization: send it as 'Bearer <API token>'")
        principal = auth.principal_for_token(uow, value.strip(), now)
        if principal is None:
            raise SignInRequired("the API token is unknown or revoked")
        return principal
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        return None
    principal = auth.principal_for_session(uow, session, now)
    if principal is None:
        return None
    if request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
        verify_csrf(request, request.headers.get(CSRF_HEADER))
    return principal


OptionalPrincipalDep = Annotated[Principal | None, Depends(get_optional_principal)]


async def get_principal(principal: OptionalPrincipalDep) -> Principal:
    if principal is None:
        raise SignInRequired()
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def check_access(request: Request, principal: Principal, permission: Permission) -> None:
    """The one access check of the API and the pages, before any input is read.

    The role table decides; on a route about one escalation, its DRI (and product DRI) also
    hold the owner's powers (seed 004) — asked of the same rule the handlers apply again.
    """
    if principal.can(permission):
        return
    escalation_id = request.path_params.get("escalation_id")
    if permission in OWNER_POWERS and principal.person_id is not None and escalation_id:
        try:
            query = ShowEscalation(int(escalation_id))
        except ValueError:
            query = None
        if query is not None:
            runner: Runner = request.app.state.desk.runner
            try:
                owners = runner.read(escalations.owners_of, query, Actor.system())
            except NotFound:
                owners = ()
            if principal.actor.can(permission, owners):
                return
    raise Forbidden(forbidden_message(principal, permission))


def require(permission: Permission) -> Callable[[Request, Principal], Awaitable[Principal]]:
    """A dependency giving the signed-in principal if they may do `permission`, else 403."""

    async def dependency(request: Request, principal: PrincipalDep) -> Principal:
        check_access(request, principal, permission)
        return principal

    dependency.__name__ = f"require_{permission.value}"
    setattr(dependency, REQUIRED_PERMISSION, permission)
    return dependency


_index_lock = threading.Lock()


def get_ticket_index(request: Request) -> TicketIndex:
    """The application's similarity index, created on first use."""
    state = request.app.state
    with _index_lock:
        index: TicketIndex | None = getattr(state, "ticket_index", None)
        if index is None:
            url = state.engine.url.render_as_string(hide_password=False)
            index = open_index(state.settings.index_dir, url, state.settings.recurring_grouping)
            state.ticket_index = index
    return index


IndexDep = Annotated[TicketIndex, Depends(get_ticket_index)]
