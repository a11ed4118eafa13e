"""R-OPS-2: every route of the app, called by every role, an API token and nobody.

The routes are read from the app itself, so a route added tomorrow is checked tomorrow. What a
route requires is read from its dependencies (`require(permission)` marks itself with the
permission it checks); a route with no access dependency at all must be listed in PUBLIC, so
forgetting access control fails this test rather than shipping. The verdict comes from
ROLE_PERMISSIONS: allowed means neither 401 nor 403 (the call may still be refused for its
empty body), denied means 403, and nobody signed in means 401 (or, for pages, a redirect to
the sign-in page that comes back to them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from escdesk.domain.access import ROLE_PERMISSIONS, Permission
from escdesk.domain.people import Role
from escdesk.http.deps import REQUIRED_PERMISSION, get_principal
from escdesk.http.security import CSRF_FIELD
from escdesk.services import auth
from escdesk.services import status_page as status_service
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import open_session, signed_in, with_token

PUBLIC = {
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("POST", "/api/session"),
    ("GET", "/api/status/{token}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/status/{token}"),
    ("GET", "/calendar/{token}.ics"),
    ("GET", "/survey/{token}"),
    ("POST", "/survey/{token}"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
}
"""Routes anyone may call: docs, signing in, the customer status page and survey (the link is the
key), and the operators' probes and Prometheus metrics (kept on the internal network, README)."""

SLACK_SIGNED = "/slack/"
"""Slack's requests carry no session: each is verified by its signature instead
(tests/chat/test_signing.py), and run as the person Slack names (tests/chat/test_commands.py)."""

ENDS_SESSIONS = {("DELETE", "/api/session"), ("POST", "/logout")}
TOKEN_ROLE = Role.SUPPORT


@dataclass(frozen=True)
class Access:
    """What a route demands, read from its dependency tree."""

    permissions: frozenset[Permission]
    signed_in: bool

    @property
    def public(self) -> bool:
        return not self.signed_in and not self.permissions

    def allows(self, roles: frozenset[Role]) -> bool:
        granted: frozenset[Permission] = frozenset().union(*(ROLE_PERMISSIONS[r] for r in roles))
        return self.permissions <= granted


def access_of(dependant: Dependant) -> Access:
    permissions: set[Permission] = set()
    signed = False
    stack = [dependant]
    while stack:
        node = stack.pop()
        permission = getattr(node.call, REQUIRED_PERMISSION, None)
        if permission is not None:
            permissions.add(permission)
        signed = signed or node.call is get_principal
        stack.extend(node.dependencies)
    return Access(frozenset(permissions), signed or bool(permissions))


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    access: Access


def endpoints(app: FastAPI) -> list[Endpoint]:
    found = []
    for context in iter_route_contexts(app.routes):
        methods = context.methods or set()
        dependant = getattr(context.original_route, "dependant", None)
        if context.path.startswith(SLACK_SIGNED):
            continue
        for method in sorted(methods - {"HEAD"}):
            access = access_of(dependant) if dependant is not None else Access(frozenset(), False)
            found.append(Endpoint(method, context.path, access))
    return found


class World:
    """The data every route can be called on, and a client per principal."""

    def __init__(self, app: FastAPI, uow: SqlUnitOfWork, now: datetime, clients: ExitStack) -> None:
        self.app, self.uow, self.now, self.clients = app, uow, now, clients
        self.escalation = factories.open_escalation(uow, now=now)
        self.account = factories.add_account(uow, now=now)
        self.people = {role: factories.add_person(uow, role.value, now=now) for role in Role}
        self.status_token = status_service.publish(uow, self.escalation.id or 0, now)
        self.victim_token = auth.create_token(uow, "to revoke", "support", now)[1].id
        token = auth.create_token(uow, "robot", TOKEN_ROLE, now)[0]
        self.robot = clients.enter_context(with_token(app, token))
        self.anonymous = clients.enter_context(TestClient(app, raise_server_exceptions=False))
        self.renew_sessions()

    def renew_sessions(self) -> None:
        self.sessions = {
            role: open_session(self.uow, person, self.now) for role, person in self.people.items()
        }
        self.browsers = {
            role: self.clients.enter_context(signed_in(self.app, token))
            for role, token in self.sessions.items()
        }

    def url(self, path: str) -> str:
        key = self.account.name if "/accounts/" in path else str(self.people[Role.MANAGER].id)
        return path.format(
            escalation_id=self.escalation.id,
            key=key,
            token=self.status_token,
            token_id=self.victim_token,
            message_id=1,
            email="nobody@example.com",
            subscription_id=1,
            request_id=1,
            meeting_id=1,
            retro_id=1,
            fix_id=1,
            number=1,
            link_id=1,
            figure="time_to_close",
        )

    def call(self, client: TestClient, endpoint: Endpoint, session: str | None) -> httpx.Response:
        kwargs: dict[str, Any] = {"follow_redirects": False}
        if endpoint.method in ("POST", "PUT", "PATCH"):
            if endpoint.path.startswith("/api/"):
                kwargs["json"] = {}
            else:
                csrf = auth.csrf_for_session(session) if session else ""
                kwargs["data"] = {CSRF_FIELD: csrf}
        return client.request(endpoint.method, self.url(endpoint.path), **kwargs)


def refused_sign_in(endpoint: Endpoint, response: httpx.Response) -> bool:
    if response.status_code == 401:
        return True
    is_page = not endpoint.path.startswith("/api/")
    location = response.headers.get("location", "")
    return is_page and response.is_redirect and location.startswith("/login?next=")


@pytest.fixture
def world(app: FastAPI, uow: SqlUnitOfWork, now: datetime) -> Iterator[World]:
    """Clients are entered once: a TestClient outside `with` starts an event loop per call."""
    with ExitStack() as clients:
        yield World(app, uow, now, clients)


def test_every_route_declares_its_access_or_is_knowingly_public(app: FastAPI) -> None:
    public = {(e.method, e.path) for e in endpoints(app) if e.access.public}
    assert public <= PUBLIC, f"routes without access control: {sorted(public - PUBLIC)}"


def test_every_route_allows_and_denies_exactly_as_the_role_table_says(
    app: FastAPI, world: World
) -> None:
    checked = endpoints(app)
    assert len([e for e in checked if e.path.startswith("/api/")]) >= 28
    wrong: list[str] = []
    for endpoint in checked:
        name = f"{endpoint.method} {endpoint.path}"
        for role in Role:
            response = world.call(world.browsers[role], endpoint, world.sessions[role])
            allowed = endpoint.access.allows(frozenset({role}))
            if allowed and (response.status_code == 403 or refused_sign_in(endpoint, response)):
                wrong.append(f"{name}: {role} refused ({response.status_code})")
            if not allowed and response.status_code != 403:
                wrong.append(f"{name}: {role} not refused ({response.status_code})")
        response = world.call(world.robot, endpoint, None)
        if endpoint.access.allows(frozenset({TOKEN_ROLE})) != (response.status_code != 403):
            wrong.append(f"{name}: {TOKEN_ROLE} token got {response.status_code}")
        if endpoint.path.startswith("/api/") and response.status_code == 401:
            wrong.append(f"{name}: the API token was not accepted")
        response = world.call(world.anonymous, endpoint, None)
        if endpoint.access.public == refused_sign_in(endpoint, response):
            wrong.append(f"{name}: nobody signed in got {response.status_code}")
        if (endpoint.method, endpoint.path) in ENDS_SESSIONS:
            world.renew_sessions()
    assert wrong == [], "\n".join(wrong)
