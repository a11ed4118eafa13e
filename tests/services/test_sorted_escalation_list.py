"""The escalation list sorted and paged by the database (ORDER BY + LIMIT/OFFSET), on SQLite
and PostgreSQL: every offered key works both ways, blanks go last, and a key the list does not
offer is refused with the ones it does."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.listing import Order
from escdesk.services.views import ESCALATION_ORDERS, EscalationPage
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def listed(uow: SqlUnitOfWork, now: datetime, **values: object) -> EscalationPage:
    page: EscalationPage = factories.ask(uow, service.list_escalations, ListEscalations(**values))
    return page


def three(uow: SqlUnitOfWork, now: datetime) -> list[int]:
    made = [
        ("Birch Bank", "low", None),
        ("alder Air", "critical", now + timedelta(days=3)),
        ("Cedar Cars", "high", now + timedelta(days=1)),
    ]
    ids = []
    for i, (name, severity, eta) in enumerate(made):
        account = factories.add_account(uow, now=now, name=name).name
        esc = factories.open_escalation(
            uow, now=now + timedelta(hours=i), account=account, severity=severity, eta=eta
        )
        assert esc.id is not None
        ids.append(esc.id)
    return ids


def test_the_list_sorts_by_customer_either_way_ignoring_case(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    birch, alder, cedar = three(uow, now)
    up = listed(uow, now, order=Order("customer"))
    down = listed(uow, now, order=Order("customer", descending=True))
    assert [e.id for e in up.items] == [alder, birch, cedar]
    assert [e.id for e in down.items] == [cedar, birch, alder]


def test_an_escalation_without_an_eta_comes_last_either_way(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    birch, alder, cedar = three(uow, now)
    assert [e.id for e in listed(uow, now, order=Order("eta")).items] == [cedar, alder, birch]
    down = listed(uow, now, order=Order("eta", descending=True))
    assert [e.id for e in down.items] == [alder, cedar, birch]


def test_severity_sorts_by_rank_not_by_name(uow: SqlUnitOfWork, now: datetime) -> None:
    birch, alder, cedar = three(uow, now)
    assert [e.id for e in listed(uow, now, order=Order("severity")).items] == [alder, cedar, birch]


def test_the_default_order_is_most_severe_first(uow: SqlUnitOfWork, now: datetime) -> None:
    birch, alder, cedar = three(uow, now)
    assert [e.id for e in listed(uow, now).items] == [alder, cedar, birch]


@pytest.mark.parametrize("key", ESCALATION_ORDERS)
def test_every_offered_key_pages_without_losing_or_repeating_a_row(
    uow: SqlUnitOfWork, now: datetime, key: str
) -> None:
    made = set(three(uow, now))
    for descending in (False, True):
        order = Order(key, descending)
        pages = [listed(uow, now, order=order, limit=2, offset=o) for o in (0, 2)]
        seen = [e.id for p in pages for e in p.items]
        assert sorted(seen) == sorted(made)
        assert pages[0].total == 3 and len(pages[1].items) == 1


def test_a_key_the_list_does_not_offer_is_refused_with_the_ones_it_does(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    with pytest.raises(InvalidInput) as refused:
        listed(uow, now, order=Order("password"))
    assert refused.value.field == "sort"
    assert "customer" in refused.value.fix
