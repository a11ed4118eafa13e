"""Property-based: every answer the API gives to generated requests is one its OpenAPI
document describes — status code, content type, headers and body schema — and a 405 names
every method of its path (schemathesis' conformance checks, beside the "no 5xx" run)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_schemathesis import operations, seeded  # noqa: F401  (the fixture)

EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    allow_header_conformance,
]


@pytest.mark.parametrize(("method", "path"), operations())
def test_every_answer_to_a_generated_request_is_one_the_schema_describes(
    app: FastAPI,
    seeded: dict[str, Any],  # noqa: F811
    method: str,
    path: str,
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
        case.call_and_validate(headers=seeded["headers"], checks=CHECKS)

    call()
