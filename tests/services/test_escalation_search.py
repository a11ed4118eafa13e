"""Finding escalations by a word (SQL LIKE over the joined columns), on SQLite and PostgreSQL:
every word must match somewhere, internal updates only for readers of internal text (R-OPS-2),
and the page is cut and sorted by the database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput
from escdesk.domain.escalation import Escalation
from escdesk.services.escalation_commands import PostUpdate
from escdesk.services.escalation_search import (
    Excerpt,
    SearchEscalations,
    SearchResult,
    excerpt,
    search_escalations,
)
from escdesk.services.listing import Order
from escdesk.store.tables import EscalationRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def search(uow: SqlUnitOfWork, text: str, now: datetime, by: str, **values: object) -> SearchResult:
    query = SearchEscalations.parse(text, **values)
    actor = factories.actor(uow, by, now)
    result: SearchResult = factories.runner(uow, now).read(search_escalations, query, actor)
    return result


def post(uow: SqlUnitOfWork, esc: Escalation, audience: Audience, body: str, now: datetime) -> None:
    assert esc.id is not None
    factories.act(uow, PostUpdate(esc.id, audience, body), now=now, by=str(esc.dri_id))


def ids(result: SearchResult) -> list[int | None]:
    return [item.id for item in result.page.items]


def test_a_word_of_a_customer_update_finds_its_escalation_once(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = factories.add_person(uow, "manager", now=now).email
    found = factories.open_escalation(uow, now=now, summary="Exports stall")
    other = factories.open_escalation(uow, now=now, summary="Logins fail")
    post(uow, found, Audience.CUSTOMER, "The cron job is paused; replication catches up.", now)
    post(uow, found, Audience.CUSTOMER, "Replication has caught up.", now)
    post(uow, other, Audience.CUSTOMER, "We are looking at the login service.", now)

    result = search(uow, "REPLICATION", now, manager)

    assert ids(result) == [found.id]
    assert result.page.total == 1
    assert result.excerpts[found.id or 0].text == "Replication has caught up."


def test_every_word_must_match_but_in_any_field(uow: SqlUnitOfWork, now: datetime) -> None:
    manager = factories.add_person(uow, "manager", now=now).email
    account = factories.add_account(uow, now=now, name="Fjord Shipping")
    esc = factories.open_escalation(uow, now=now, account=account.name, summary="Exports stall")
    factories.open_escalation(uow, now=now, summary="Exports are slow")

    assert ids(search(uow, "fjord exports", now, manager)) == [esc.id]
    assert ids(search(uow, "fjord logins", now, manager)) == []
    assert len(ids(search(uow, "export", now, manager))) == 2


def test_internal_updates_are_searched_only_for_readers_of_internal_text(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = factories.add_person(uow, "manager", now=now).email
    sales = factories.add_person(uow, "sales", now=now).email
    esc = factories.open_escalation(uow, now=now)
    post(uow, esc, Audience.INTERNAL, "Vendor Acme broke the driver again", now)
    post(uow, esc, Audience.CUSTOMER, "A driver fix is on its way", now)

    assert ids(search(uow, "acme", now, manager)) == [esc.id]
    assert search(uow, "acme", now, manager).excerpts[esc.id or 0].audience == "internal"
    assert ids(search(uow, "acme", now, sales)) == []
    seen_by_sales = search(uow, "driver", now, sales)
    assert ids(seen_by_sales) == [esc.id]
    assert seen_by_sales.excerpts[esc.id or 0].text == "A driver fix is on its way"


def test_like_wildcards_typed_in_the_box_are_plain_characters(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = factories.add_person(uow, "manager", now=now).email
    esc = factories.open_escalation(uow, now=now, summary="Disk 100% full on node_7")
    factories.open_escalation(uow, now=now, summary="Disk 1000 errors on node-7")

    assert ids(search(uow, "100%", now, manager)) == [esc.id]
    assert ids(search(uow, "node_7", now, manager)) == [esc.id]


def test_closed_escalations_are_found_too(uow: SqlUnitOfWork, now: datetime) -> None:
    manager = factories.add_person(uow, "manager", now=now).email
    esc = factories.open_escalation(uow, now=now, summary="Quarterly invoices missing")
    with uow:  # the closing rules have tests of their own; here only the status matters
        uow.session.execute(update(EscalationRow).values(status="closed"))
        uow.commit()
    assert ids(search(uow, "invoices", now, manager)) == [esc.id]
    assert ids(search(uow, "invoices", now, manager, include_closed=False)) == []


def test_results_are_sorted_and_paged_by_the_database(uow: SqlUnitOfWork, now: datetime) -> None:
    manager = factories.add_person(uow, "manager", now=now).email
    opened = [
        factories.open_escalation(uow, now=now + timedelta(minutes=i), summary=f"Outage {i}")
        for i in range(5)
    ]
    newest_first = Order("opened", descending=True)
    first = search(uow, "outage", now, manager, order=newest_first, limit=2)
    second = search(uow, "outage", now, manager, order=newest_first, limit=2, offset=2)

    assert first.page.total == 5
    assert ids(first) + ids(second) == [e.id for e in reversed(opened)][:4]


@pytest.mark.parametrize(
    ("text", "field_problem"),
    [
        ("   ", "is empty"),
        (" ".join(f"w{i}" for i in range(9)), "has too many words"),
        ("x" * 201, "is too long"),
    ],
)
def test_a_search_without_usable_words_names_the_box(text: str, field_problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        SearchEscalations.parse(text)
    assert (refused.value.field, refused.value.problem) == ("search", field_problem)


def test_an_excerpt_shows_the_words_around_the_first_match() -> None:
    body = "Lorem ipsum " * 30 + "the replication lag is back " + "dolor sit " * 30
    shown = excerpt(body, ("replication",), width=60)
    assert "replication" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) <= 62


def test_an_excerpt_marks_the_words_searched_for_in_any_case() -> None:
    shown = Excerpt("customer", "Replication lag: the REPLICA is behind", ("replica",))
    assert shown.parts == [
        ("Replica", True),
        ("tion lag: the ", False),
        ("REPLICA", True),
        (" is behind", False),
    ]
    assert Excerpt("customer", "İstanbul office", ("office",)).parts == [("İstanbul office", False)]
