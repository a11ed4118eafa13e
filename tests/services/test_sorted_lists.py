"""The other lists sorted and paged by the database, on SQLite and PostgreSQL: people (with the
role filter in SQL), accounts, requests and the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.domain.people import Role
from escdesk.services import accounts, outbox, people
from escdesk.services import requests as intake
from escdesk.services.listing import Order, parse_sort
from escdesk.services.request_commands import ListRequests
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.request_factories import file_request


def test_people_of_a_role_are_found_in_sql_and_paged_by_name(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    for name in ("Cleo", "abel", "Bea"):
        factories.add_person(uow, "csm", now=now, name=name)
    factories.add_person(uow, "support", "sales", now=now, name="Aaron")
    query = people.ListPeople(Role.CSM, Order("name", descending=True), limit=2)
    first = factories.ask(uow, people.people_page, query)
    rest = factories.ask(uow, people.people_page, people.ListPeople(Role.CSM, limit=2, offset=2))
    assert first.total == 3
    assert [p.name for p in first.items] == ["Cleo", "Bea"]
    assert [p.name for p in rest.items] == ["Cleo"]  # ascending by default: abel, Bea | Cleo
    sales = factories.ask(uow, people.people_page, people.ListPeople(Role.SALES))
    assert [p.name for p in sales.items] == ["Aaron"]


def test_accounts_sort_by_arr_largest_first_by_default_and_by_tier_rank(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Small", arr=10, tier="smb")
    factories.add_account(uow, now=now, name="Big", arr=900, tier="strategic")
    factories.add_account(uow, now=now, name="Mid", arr=100, tier="mid_market")
    default = factories.ask(uow, accounts.accounts_page, accounts.ListAccounts())
    assert [a.name for a in default.items] == ["Big", "Mid", "Small"]
    by_tier = factories.ask(
        uow, accounts.accounts_page, accounts.ListAccounts(Order("tier", descending=True))
    )
    assert [a.name for a in by_tier.items] == ["Small", "Mid", "Big"]
    by_csm = factories.ask(uow, accounts.accounts_page, accounts.ListAccounts(Order("csm")))
    assert by_csm.total == 3


def test_requests_sort_by_customer_and_page_with_their_total(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    for name in ("Birch", "alder", "Cedar"):
        account = factories.add_account(uow, now=now, name=name)
        file_request(uow, now=now, account=account.name)
    query = ListRequests(order=Order("customer"), limit=2)
    first = factories.ask(uow, intake.requests_page, query)
    second = factories.ask(
        uow, intake.requests_page, ListRequests(order=Order("customer"), offset=2)
    )
    assert first.total == 3
    assert [v.customer for v in first.items + second.items] == ["alder", "Birch", "Cedar"]
    with pytest.raises(InvalidInput):
        factories.ask(uow, intake.requests_page, ListRequests(order=Order("score")))


def test_the_outbox_sorts_by_destination_and_counts_the_whole_list(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    factories.open_escalation(uow, now=now + timedelta(minutes=1))
    every = factories.ask(uow, outbox.list_outbox, outbox.ListOutbox(limit=1000))
    assert every.total == len(every.items) > 2
    page = factories.ask(
        uow, outbox.list_outbox, outbox.ListOutbox(limit=2, offset=1, order=Order("destination"))
    )
    ordered = sorted(every.items, key=lambda m: (m.destination.lower(), m.id))
    assert [m.id for m in page.items] == [m.id for m in ordered[1:3]]
    assert page.total == every.total


def test_a_sort_is_a_column_or_a_minus_and_a_column() -> None:
    assert parse_sort(" -opened ") == Order("opened", descending=True)
    assert parse_sort("customer") == Order("customer")
    assert parse_sort("") is None and parse_sort(None) is None
    with pytest.raises(InvalidInput) as refused:
        parse_sort("-")
    assert refused.value.field == "sort"
