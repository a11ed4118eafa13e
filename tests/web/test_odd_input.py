"""R-OPS-4 on the pages: odd input from a form or an address is a page that names the field or
says the page does not exist, never "something went wrong" (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

import pytest

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of


def test_a_nul_character_from_a_form_is_refused_naming_the_field(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    form = {"audience": "internal", "body": "Heap dump \x00 taken", "version": str(esc.version)}
    response = manager.post(f"/escalations/{esc.id}/update", form)
    assert response.status_code == 422, response.text
    page = text_of(response.text)
    assert "Body" in page
    assert "NUL character" in page


@pytest.mark.parametrize("version", ["²", "٣", "99999999999999999999999"])
def test_a_version_in_a_form_that_is_no_number_names_it(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, version: str
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "internal", "body": "Heap dump taken", "version": version},
    )
    assert response.status_code in (409, 422), response.text
    assert "Something went wrong" not in response.text


@pytest.mark.parametrize("path", ["²", "18446744073709551616", "2147483648"])
def test_an_escalation_address_beyond_any_id_is_a_page_that_does_not_exist(
    manager: Visitor, path: str
) -> None:
    response = manager.get(f"/escalations/{path}")
    assert response.status_code == 404
    assert "There is no page at" in text_of(response.text)
