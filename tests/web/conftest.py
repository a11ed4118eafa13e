"""The pages under test: the real app on each backend's database, with a clock tests can move.

People get their session through the store (argon2 is slow by design); signing in through the
form is tested on its own in test_sign_in.py, with cheap argon2 parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests.web.live import CHROMIUM, CHROMIUM_ARGS
from tests.web.pages import Clock, Visitor, visitor

BASE_URL = "http://desk.example.com"
COMPANY = "Northwind Software"
"""The company customers see on their pages and e-mails (ESCDESK_COMPANY_NAME)."""


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with parameters that cost milliseconds instead of 0.2 s a check."""
    monkeypatch.setattr(
        auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def clock(now: datetime) -> Clock:
    return Clock(now)


@pytest.fixture
def app(database_url: str, engine: Engine, clock: Clock, tmp_path: Path) -> FastAPI:
    settings = Settings(
        database_url=database_url,
        base_url=BASE_URL,
        index_dir=tmp_path / "index",
        company_name=COMPANY,
        company_logo_url="/static/favicon.svg",
    )
    app = create_app(settings, engine)
    app.dependency_overrides[get_now] = lambda: clock.now
    return app


@pytest.fixture
def manager(app: FastAPI, uow: SqlUnitOfWork, now: datetime) -> Iterator[Visitor]:
    """A signed-in manager and support engineer: every permission."""
    with visitor(app, uow, now, "manager", "support", name="Mia Manager") as v:
        yield v


@pytest.fixture
def later(clock: Clock) -> datetime:
    """A moment an hour on, for things that must happen after opening."""
    return clock.now + timedelta(hours=1)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, started once per test module: the browser tests' costliest step."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context for each test (its own cookies and storage), desktop-sized.

    Navigations get twice the time of other steps: with both cores busy (a parallel run, the
    browser and the server in one machine) a first page load has been seen to take 18 s.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    yield context.new_page()
    context.close()
