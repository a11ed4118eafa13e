"""Helpers for page tests: a clock, and a visitor who is signed in as a person with roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.people import Person
from escdesk.http.security import SESSION_COOKIE
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import open_session


@dataclass
class Clock:
    now: datetime


@dataclass
class Visitor:
    """A browser-like client signed in as `person`; posts forms with their CSRF token."""

    client: TestClient
    person: Person
    _csrf: str | None = None

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any], *, csrf: bool = True) -> httpx.Response:
        """Post a form as the page would; redirects are not followed, so tests see them."""
        form = dict(data)
        if csrf:
            if self._csrf is None:
                self._csrf = csrf_in(self.client.get("/settings").text)
            form["csrf_token"] = self._csrf
        return self.client.post(url, data=form, follow_redirects=False)

    def follow(self, response: httpx.Response) -> httpx.Response:
        assert response.status_code == 303, response.text
        return self.client.get(response.headers["location"])


def csrf_in(html: str) -> str:
    """The CSRF token a page put in its forms, as a browser would submit it."""
    match = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


@contextmanager
def visitor(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, *roles: str, **person: Any
) -> Iterator[Visitor]:
    someone = factories.add_person(uow, *roles, now=now, **person)
    with TestClient(app, raise_server_exceptions=False, base_url="http://testserver") as client:
        client.cookies.set(SESSION_COOKIE, open_session(uow, someone, now))
        yield Visitor(client, someone)


def text_of(html: str) -> str:
    """The visible words of a page, whitespace folded: what a reader (or a test) scans."""
    without_tags = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", "", html))
    return " ".join(without_tags.replace("&#39;", "'").replace("&amp;", "&").split())
