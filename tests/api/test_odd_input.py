"""R-OPS-4, odd input is bad input: each of these once gave a 500; now a 4xx naming the field.

Runs on SQLite and, with ESCDESK_TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from escdesk.domain.escalation import Escalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


@pytest.fixture
def esc(uow: SqlUnitOfWork, now: datetime) -> Escalation:
    return factories.open_escalation(uow, now=now)


def latin1_or_utf8(text: str) -> bytes:
    """Header bytes as a client may send them: Latin-1 where it can, else raw UTF-8."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


@pytest.mark.parametrize("tag", ['"³"', '"٣"', '"1²"', '"99999999999999999999"', '"é"'])
def test_an_if_match_with_digits_that_are_no_version_names_the_header(
    manager: TestClient, esc: Escalation, tag: str
) -> None:
    response = manager.post(
        f"/api/escalations/{esc.id}/updates",
        json={"audience": "internal", "body": "Heap dump taken"},
        headers={"If-Match": latin1_or_utf8(tag)},
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "If-Match"


@pytest.mark.parametrize("key", ["²", "٣", "99999999999999999999", "18446744073709551616"])
def test_a_person_named_by_an_id_no_store_holds_is_refused_by_field(
    manager: TestClient, esc: Escalation, key: str
) -> None:
    response = manager.post(
        f"/api/escalations/{esc.id}/dri", json={"person": key, "reason": "cover"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "person"


@pytest.mark.parametrize("path", ["²", "99999999999999999999", "2147483648", "0"])
def test_an_escalation_id_beyond_any_store_is_refused_naming_it(
    manager: TestClient, path: str
) -> None:
    response = manager.get(f"/api/escalations/{path}")
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "escalation_id"


@pytest.mark.parametrize("key", ["²", "99999999999999999999"])
def test_an_account_looked_up_by_an_odd_key_is_not_found(manager: TestClient, key: str) -> None:
    response = manager.get(f"/api/accounts/{key}")
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("text", "problem"), [("a\x00b", "NUL"), ("broken \ud800", "string")])
def test_text_no_store_holds_is_refused_naming_the_field(
    manager: TestClient, esc: Escalation, text: str, problem: str
) -> None:
    body = '{"audience": "internal", "body": "' + text.encode("unicode_escape").decode() + '"}'
    response = manager.post(
        f"/api/escalations/{esc.id}/updates",
        content=body.replace("\\x00", "\\u0000"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "body"
    assert problem in response.json()["detail"]
