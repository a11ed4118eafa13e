"""Property-based: requests generated from /openapi.json never make the API answer 5xx.

schemathesis generates valid and invalid requests for every operation of the schema and calls
the app in-process (ASGI) with a manager's API token, on each backend. Escalation ids point at
a real escalation so generated bodies meet real state instead of stopping at a 404. Bounded:
EXAMPLES per operation and generation mode.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

EXAMPLES = 10


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation the schema documents, read from the app itself."""
    paths = create_app(Settings(database_url="sqlite://")).openapi()["paths"]
    return [(method, path) for path, item in paths.items() for method in item]


@pytest.fixture
def seeded(uow: SqlUnitOfWork, now: datetime) -> dict[str, Any]:
    """An escalation to act on, and the manager token the generated calls are made with."""
    esc = factories.open_escalation(uow, now=now)
    token, _ = auth.create_token(uow, "schemathesis", "manager", now)
    return {"escalation_id": esc.id, "headers": {"Authorization": f"Bearer {token}"}}


@pytest.mark.parametrize(("method", "path"), operations())
def test_no_generated_request_gets_a_server_error(
    app: FastAPI, seeded: dict[str, Any], method: str, path: str
) -> None:
    operation = schemathesis.openapi.from_asgi("/openapi.json", app)[path][method]
    fixed = {"escalation_id": seeded["escalation_id"]} if "{escalation_id}" in path else None
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=seeded["headers"], checks=[not_a_server_error])

    call()
