"""Accounts kept true (seed 004): editing, the sentiment at closing, at risk computed, and a
second open escalation for one customer refused unless meant."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, literal, select, text

from escdesk.domain.accounts import Sentiment
from escdesk.domain.errors import AlreadyOpen, Conflict, Forbidden, InvalidInput
from escdesk.services import accounts, desk, review, triage
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import CloseEscalation, agreement_from
from escdesk.services.request_commands import DecideRequest
from escdesk.services.trail_text import describe
from escdesk.store.tables import EscalationRow
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import WAIVED, act, add_account, add_person, ask, open_escalation
from tests.request_factories import file_request


def edit(uow: SqlUnitOfWork, now: datetime, by: str | None, **values: object) -> object:
    cmd = accounts.EditAccount.parse(**values)  # type: ignore[arg-type]
    return act(uow, cmd, now=now, by=by, handler=accounts.edit_account)


def shown(uow: SqlUnitOfWork, key: str) -> accounts.AccountDetail:
    detail: accounts.AccountDetail = ask(uow, accounts.show_account, accounts.ShowAccount(key))
    return detail


def close(
    uow: SqlUnitOfWork,
    esc_id: int,
    now: datetime,
    sentiment: Sentiment | None = None,
    by: str | None = None,
) -> object:
    agreement = agreement_from("Jo, CTO", now, "email")
    return act(
        uow, CloseEscalation(esc_id, agreement, sentiment=sentiment, waivers=WAIVED), now=now, by=by
    )


def account_events(uow: SqlUnitOfWork, account_id: int) -> list[tuple[str, object]]:
    with uow:
        rows = uow.session.execute(
            text(
                "SELECT type, data FROM events WHERE subject = 'account' AND subject_id = :id "
                "ORDER BY id"
            ),
            {"id": account_id},
        ).all()
    return [(r[0], json.loads(r[1]) if isinstance(r[1], str) else r[1]) for r in rows]


def test_its_csm_sets_the_sentiment_and_escdesk_keeps_who_and_when(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    csm = add_person(uow, "csm", now=now)
    acct = add_account(uow, now=now, csm=csm.email)
    edit(uow, now, csm.email, key=acct.name, sentiment="at-risk", arr=150_000)
    detail = shown(uow, acct.name)
    assert detail.account.sentiment is Sentiment.AT_RISK and detail.account.arr == 150_000
    assert detail.account.sentiment_set_by_id == csm.id
    assert detail.account.sentiment_set_at == now
    assert detail.sentiment_set_by is not None and detail.sentiment_set_by.name == csm.name
    assert acct.id is not None
    kinds = [kind for kind, _ in account_events(uow, acct.id)]
    assert kinds == ["account_added", "account_edited", "sentiment_set"]
    assert account_events(uow, acct.id)[1][1] == {"arr": {"from": 120_000, "to": 150_000}}


def test_a_csm_of_another_account_may_not_edit_it_nor_its_csm_hand_it_on(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    mine, other = add_person(uow, "csm", now=now), add_person(uow, "csm", now=now)
    acct = add_account(uow, now=now, csm=mine.email)
    with pytest.raises(Forbidden, match="is not the CSM of"):
        edit(uow, now, other.email, key=acct.name, sentiment="yellow")
    with pytest.raises(Forbidden, match="handing .* to another CSM"):
        edit(uow, now, mine.email, key=acct.name, csm=other.email)
    with pytest.raises(Forbidden, match="may not edit account"):
        edit(uow, now, add_person(uow, "support", now=now).email, key=acct.name, arr=1)
    leader = add_person(uow, "csm_leader", now=now)
    edit(uow, now, leader.email, key=acct.name, csm=other.email)
    assert shown(uow, acct.name).account.csm_id == other.id
    edit(uow, now, leader.email, key=acct.name, csm="none")
    assert shown(uow, acct.name).account.csm_id is None


def test_an_edit_on_a_stale_version_a_clashing_name_or_nothing_is_refused(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    taken = add_account(uow, now=now)
    with pytest.raises(Conflict):
        edit(uow, now, None, key=acct.name, arr=5, version=acct.version + 1)
    with pytest.raises(InvalidInput) as clash:
        edit(uow, now, None, key=acct.name, name=taken.name.upper())
    assert clash.value.field == "name"
    with pytest.raises(InvalidInput) as nothing:
        edit(uow, now, None, key=acct.name)
    assert nothing.value.field == "account"
    assert shown(uow, acct.name).account.version == acct.version


def test_the_services_project_is_given_with_its_pm_and_ended_with_none(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    pm = add_person(uow, "ps_pm", now=now)
    acct = add_account(uow, now=now)
    with pytest.raises(InvalidInput) as half:
        edit(uow, now, None, key=acct.name, services_project="Cloud move")
    assert half.value.field == "services_project"
    edit(uow, now, None, key=acct.name, services_project="Cloud move", services_pm=pm.email)
    project = shown(uow, acct.name).account.services_project
    assert project is not None and (project.name, project.pm_id) == ("Cloud move", pm.id)
    edit(uow, now, None, key=acct.name, services_project="none", services_pm="none")
    assert shown(uow, acct.name).account.services_project is None


def test_at_closing_the_dri_sets_the_sentiment_and_the_account_trail_names_the_escalation(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name, severity="high")
    assert esc.id is not None and acct.id is not None
    assert shown(uow, acct.name).risk.at_risk  # type: ignore[union-attr]
    csm = ask(uow, service.show_escalation, service.ShowEscalation(esc.id)).escalation.dri_id
    by = ask(uow, accounts.show_account, accounts.ShowAccount(acct.name)).csm.email
    close(uow, esc.id, now, sentiment=Sentiment.YELLOW, by=by)
    detail = shown(uow, acct.name)
    assert detail.account.sentiment is Sentiment.YELLOW
    assert detail.account.sentiment_set_by_id == csm
    assert detail.risk is not None and not detail.risk.at_risk  # closed: the risk ended
    assert account_events(uow, acct.id)[-1] == (
        "sentiment_set",
        {"sentiment": "yellow", "previous": "green", "escalation_id": esc.id},
    )
    history = ask(uow, service.escalation_history, service.EscalationHistory(esc.id))
    [closed] = [entry for entry in history if entry.type == "closed"]
    assert closed.data["sentiment"] == "yellow"  # read where the closing is read, too
    text = describe(closed, {}, show_internal=False, moment_text=str).text
    assert text.endswith("; the account's sentiment is now yellow")


def test_closing_without_a_sentiment_leaves_it_as_it_was(uow: SqlUnitOfWork, now: datetime) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name)
    assert esc.id is not None
    close(uow, esc.id, now)
    assert shown(uow, acct.name).account.sentiment_set_at is None
    history = ask(uow, service.escalation_history, service.EscalationHistory(esc.id))
    assert all("sentiment" not in entry.data for entry in history)


def test_the_board_lists_an_account_at_risk_only_while_it_is(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    high = add_account(uow, now=now)
    quiet = add_account(uow, now=now)
    said = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=high.name, severity="critical")
    open_escalation(uow, now=now, account=quiet.name, severity="medium")
    edit(uow, now, None, key=said.name, sentiment="at_risk")

    def at_risk() -> dict[str, list[str]]:
        board = desk.dashboard(uow, now=now, person_id=None)
        return {r.account.name: r.risk.reasons for r in board.accounts_at_risk}

    assert at_risk() == {
        high.name: ["1 open critical or high escalation"],
        said.name: ["its sentiment is at risk"],
    }
    assert esc.id is not None
    close(uow, esc.id, now)
    assert at_risk() == {said.name: ["its sentiment is at risk"]}
    assert desk.directory(uow).at_risk == {said.id}


def test_the_weekly_review_says_which_problem_customers_are_at_risk_and_why(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now, name="Helios Bank")
    open_escalation(uow, now=now, account=acct.name, severity="high")
    agenda = review.weekly_issues_review(uow, now=now).agenda
    details = [item.detail for item in agenda.items if item.title == "Helios Bank"]
    assert details and details[0].endswith("; at risk: 1 open critical or high escalation")


def test_a_second_open_escalation_for_a_customer_is_refused_naming_the_open_one(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now, name="Globex")
    first = open_escalation(uow, now=now, account=acct.name, severity="high")
    with pytest.raises(AlreadyOpen) as refused:
        open_escalation(uow, now=now, account=acct.name, also=False)
    assert refused.value.escalation_id == first.id and refused.value.field == "also"
    assert f"Globex already has an open escalation: #{first.id} (high)" in refused.value.message
    second = open_escalation(uow, now=now, account=acct.name, also=True)
    assert second.id != first.id
    assert first.id is not None
    for esc_id in (first.id, second.id):
        close(uow, esc_id, now)  # type: ignore[arg-type]
    assert open_escalation(uow, now=now, account=acct.name, also=False).id is not None


def test_the_triage_meeting_escalates_a_customer_that_has_an_open_escalation(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    open_escalation(uow, now=now, account=acct.name)
    request = file_request(uow, now=now, account=acct.name)
    manager = add_person(uow, "manager", now=now)
    cmd = DecideRequest.parse(request_id=request.id, outcome="escalated", rationale="Go")
    decided = act(uow, cmd, now=now, by=manager.email, handler=triage.decide_request)
    assert decided.decision.escalation_id is not None


def test_an_account_is_at_risk_on_the_accounts_page_however_many_escalations_are_open(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    """The page asks for its own accounts' open escalations: one opened after a thousand
    critical ones elsewhere (which sort first) still puts its account at risk."""
    busy, quiet = add_account(uow, now=now), add_account(uow, now=now)
    first = open_escalation(uow, now=now, account=busy.name, severity="high")
    columns = [c for c in EscalationRow.__table__.columns if c.name != "id"]
    copies = insert(EscalationRow).from_select(
        [c.name for c in columns],
        select(*(literal("critical") if c.name == "severity" else c for c in columns)).where(
            EscalationRow.id == first.id
        ),
    )
    with uow:
        for _ in range(1000):
            uow.session.execute(copies)
        uow.commit()
    later = open_escalation(
        uow, now=now + timedelta(minutes=1), account=quiet.name, severity="high"
    )
    assert later.id is not None and later.id > 1000
    page = ask(uow, accounts.accounts_page, accounts.ListAccounts())
    assert {a.name for a in page.items} >= {busy.name, quiet.name}
    assert page.at_risk >= {busy.id, quiet.id}
    assert shown(uow, quiet.name).risk.high_open == 1  # type: ignore[union-attr]
    assert shown(uow, busy.name).risk.high_open == 1001  # type: ignore[union-attr]
