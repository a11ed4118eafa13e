"""Filing escalation requests (R-INT-1/2) through the real store."""

from __future__ import annotations

from datetime import datetime

import pytest

from escdesk.domain.errors import Forbidden, RuleRefused, StateRefused
from escdesk.domain.request import RequestStatus
from escdesk.services import requests as intake
from escdesk.services.request_commands import (
    FileRequest,
    LinkDuplicate,
    ListRequests,
    ShowRequest,
    SimilarToRequest,
    WithdrawRequest,
)
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, add_account, add_person, ask, open_escalation
from tests.request_factories import file_request


def test_r_int_2_an_empty_request_is_refused_naming_every_missing_field_and_nothing_is_stored(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    engineer = add_person(uow, "support", now=now)
    with pytest.raises(RuleRefused) as refused:
        act(uow, FileRequest.parse(), now=now, by=engineer.email, handler=intake.file_request)
    assert refused.value.rule_id == "R-INT-2"
    assert [need.fields[0] for need in refused.value.missing] == [
        "account",
        "kind",
        "problem",
        "problem_type",
        "proposed_severity",
        "workarounds",
        "difficulty",
        "dependencies",
        "business",
        "other_customers",
        "happiness_confirmed",
    ]
    assert ask(uow, intake.list_requests, ListRequests()) == []


def test_r_int_2_a_star_needs_its_ticket_and_a_pending_deal_its_size_and_close_date(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now, status="prospect", arr=0)
    with pytest.raises(RuleRefused) as refused:
        file_request(uow, now=now, account=acct.name, kind="star", business="pending_deal")
    assert [need.fields[0] for need in refused.value.missing] == [
        "tickets",
        "deal_size",
        "expected_close",
    ]
    assert ask(uow, intake.list_requests, ListRequests()) == []


def test_a_complete_request_is_pending_with_the_accounts_business_context_and_its_tickets(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now, arr=300_000)
    request = file_request(
        uow, now=now, account=acct.name, tickets=["ZD-4711 https://help.example/4711", "ZD-9"]
    )
    shown = ask(uow, intake.show_request, ShowRequest(request.id))
    assert shown.request.status is RequestStatus.PENDING
    assert shown.request.business.arr == 300_000
    assert [t.external_id for t in shown.request.tickets] == ["ZD-4711", "ZD-9"]
    assert shown.request.tickets[0].url == "https://help.example/4711"
    assert shown.customer == acct.name
    assert shown.score.total == sum(p.points for p in shown.score.parts)


def test_the_request_page_shows_an_escalation_of_the_same_account_already_open(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name)
    request = file_request(uow, now=now, account=acct.name)
    shown = ask(uow, intake.show_request, ShowRequest(request.id))
    assert [e.id for e in shown.open_escalations] == [esc.id]


def test_an_executive_may_not_file_a_request(uow: SqlUnitOfWork, now: datetime) -> None:
    boss = add_person(uow, "executive", now=now)
    with pytest.raises(Forbidden):
        file_request(uow, now=now, by=boss.email)


def test_the_requester_withdraws_a_pending_request_and_not_twice(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    engineer = add_person(uow, "sales", now=now)
    request = file_request(uow, now=now, by=engineer.email)
    cmd = WithdrawRequest(request.id, "The customer found the setting")
    done = act(uow, cmd, now=now, by=engineer.email, handler=intake.withdraw_request)
    assert done.status is RequestStatus.WITHDRAWN
    with pytest.raises(StateRefused):
        act(uow, cmd, now=now, by=engineer.email, handler=intake.withdraw_request)


def test_someone_else_in_support_may_not_withdraw_anothers_request(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    request = file_request(uow, now=now)
    other = add_person(uow, "support", now=now)
    with pytest.raises(Forbidden):
        act(
            uow,
            WithdrawRequest(request.id, "mine now"),
            now=now,
            by=other.email,
            handler=intake.withdraw_request,
        )


def test_similar_requests_and_open_escalations_share_words_and_a_duplicate_is_linked(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name, summary="Report exports time out")
    first = file_request(uow, now=now, problem="Exports time out for reports over 10k rows")
    file_request(uow, now=now, problem="The login page is slow on Mondays")
    found = ask(
        uow, intake.similar_records, SimilarToRequest("Report exports time out at 20k rows")
    )
    assert {like.candidate.ref for like in found} == {f"REQ-{first.id}", f"ESC-{esc.id}"}
    assert "exports" in found[0].shared
    engineer = add_person(uow, "support", now=now)
    later = file_request(uow, now=now, by=engineer.email, problem="Exports time out again")
    linked = act(
        uow,
        LinkDuplicate(later.id, f"esc-{esc.id}"),
        now=now,
        by=engineer.email,
        handler=intake.link_duplicate,
    )
    assert linked.status is RequestStatus.WITHDRAWN
    assert linked.withdrawn_reason == f"duplicate of ESC-{esc.id}"
