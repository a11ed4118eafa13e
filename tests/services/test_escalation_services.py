"""Escalation use cases through the real store: owners by rule, severity moves, lists and due."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput, RuleRefused
from escdesk.domain.severity import Severity, SeverityPolicy
from escdesk.services import accounts
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    ChangeSeverity,
    CloseEscalation,
    DueEscalations,
    EscalationHistory,
    ListEscalations,
    OpenEscalation,
    PostUpdate,
    ShowEscalation,
    agreement_from,
)
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import add_account, add_person, open_escalation, product_people


def test_r_esc_2_the_support_engineer_who_opens_a_medium_escalation_runs_it(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    engineer = add_person(uow, "support", now=now)
    esc = open_escalation(uow, now=now, by=engineer.email)
    assert esc.dri_id == engineer.id


def test_r_esc_2_a_high_escalation_is_run_by_the_accounts_csm_and_puts_it_at_risk(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name, severity="high")
    assert esc.dri_id == acct.csm_id
    shown = factories.ask(uow, accounts.show_account, accounts.ShowAccount(acct.name))
    assert shown.risk is not None and shown.risk.at_risk
    assert shown.account.sentiment == "green"  # the CSM's word, which escdesk leaves alone


def test_r_esc_2_naming_someone_else_than_the_csm_at_opening_is_refused(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    other = add_person(uow, "csm", now=now)
    with pytest.raises(RuleRefused) as refused:
        open_escalation(uow, now=now, account=acct.name, severity="critical", dri=other.email)
    assert refused.value.rule_id == "R-ESC-2"
    assert factories.ask(uow, service.list_escalations, ListEscalations.parse()).total == 0


def test_r_esc_2_during_a_services_project_its_pm_runs_the_escalation(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    pm = add_person(uow, "ps_pm", now=now)
    acct = add_account(uow, now=now, services_project="Cloud migration", services_pm=pm.email)
    esc = open_escalation(uow, now=now, account=acct.name, route="services", severity="low")
    assert esc.dri_id == pm.id


def test_r_esc_2_raising_severity_hands_a_support_escalation_to_the_csm_with_a_reason(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name)
    assert esc.id is not None
    factories.act(
        uow,
        ChangeSeverity(esc.id, Severity("high"), "customer threatens to churn"),
        now=now,
        policy=policy,
    )
    detail = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id))
    assert detail.escalation.dri_id == acct.csm_id
    change = detail.escalation.owner_changes[-1]
    assert "customer threatens to churn" in change.reason
    shown = factories.ask(uow, accounts.show_account, accounts.ShowAccount(acct.name))
    assert shown.risk is not None and shown.risk.reasons == ["1 open critical or high escalation"]


def test_r_esc_3_raising_a_product_escalation_to_critical_needs_a_leadership_team_leader(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    product = product_people(uow, now=now)
    acct = add_account(uow, now=now)
    esc = open_escalation(
        uow,
        now=now,
        account=acct.name,
        severity="high",
        product_related=True,
        product_dri=product["product_dri"],
        product_leader=product["director"],
    )
    assert esc.id is not None
    with pytest.raises(RuleRefused, match="product_leader_plt"):
        factories.act(
            uow, ChangeSeverity(esc.id, Severity("critical"), "outage"), now=now, policy=policy
        )
    factories.act(
        uow,
        ChangeSeverity(esc.id, Severity("critical"), "outage", product_leader=product["plt"]),
        now=now,
        policy=policy,
    )
    detail = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id))
    assert detail.name_of(detail.escalation.product_leader_id) is not None
    assert detail.escalation.severity == "critical"


def test_the_leadership_team_member_stays_attached_when_critical_becomes_high(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    """Seed 004: the product leader remains attached until the escalation is resolved."""
    product = factories.product_people(uow, now=now)
    esc = open_escalation(
        uow,
        now=now,
        severity="critical",
        route="csm",
        product_related=True,
        product_dri=product["product_dri"],
        product_leader=product["plt"],
    )
    assert esc.id is not None
    lowered = factories.act(
        uow, ChangeSeverity(esc.id, Severity("high"), "workaround holds"), now=now, policy=policy
    )
    assert lowered.severity is Severity.HIGH
    leader = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id))
    assert leader.name_of(leader.escalation.product_leader_id) is not None
    assert leader.escalation.product_leader_id == esc.product_leader_id
    assert not [c for c in lowered.owner_changes if c.role.value == "product_leader"]


def test_r_esc_3_a_high_product_escalation_without_product_dri_is_refused(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    with pytest.raises(RuleRefused) as refused:
        open_escalation(uow, now=now, severity="high", product_related=True)
    assert refused.value.rule_id == "R-ESC-3"
    assert len(refused.value.missing) == 2


def test_lists_filter_by_severity_status_and_overdue(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    acct = add_account(uow, now=now)
    quiet = open_escalation(uow, now=now, account=acct.name)
    urgent = open_escalation(uow, now=now, account=acct.name, severity="critical")
    assert urgent.id is not None and quiet.id is not None
    page = factories.ask(uow, service.list_escalations, ListEscalations.parse())
    assert [i.id for i in page.items] == [urgent.id, quiet.id], "critical first"
    assert [
        i.id
        for i in factories.ask(
            uow,
            service.list_escalations,
            ListEscalations.parse(
                severity="medium",
            ),
        ).items
    ] == [quiet.id]
    two_days = now + timedelta(days=2)
    overdue = factories.ask(
        uow,
        service.list_escalations,
        ListEscalations.parse(overdue_at=two_days),
    )
    assert [i.id for i in overdue.items] == [urgent.id]
    factories.act(
        uow, PostUpdate(urgent.id, Audience("internal"), "x"), now=two_days, policy=policy
    )
    factories.act(
        uow, PostUpdate(urgent.id, Audience("customer"), "y"), now=two_days, policy=policy
    )
    assert (
        factories.ask(
            uow,
            service.list_escalations,
            ListEscalations.parse(overdue_at=two_days),
        ).total
        == 0
    )


def test_due_lists_what_falls_due_within_the_window_most_urgent_first(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    weekly = open_escalation(uow, now=now, account=acct.name)
    daily = open_escalation(uow, now=now, account=acct.name, severity="critical")
    soon = factories.ask(
        uow, service.due_escalations, DueEscalations(within=timedelta(days=2)), now=now
    )
    assert [i.id for i in soon.items] == [daily.id]
    later = factories.ask(
        uow, service.due_escalations, DueEscalations(within=timedelta(days=8)), now=now
    )
    assert {i.id for i in later.items} == {daily.id, weekly.id}


def test_closed_escalations_leave_the_board_but_not_the_history(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    factories.act(
        uow,
        CloseEscalation(
            esc.id,
            agreement_from("Jo, CTO", now + timedelta(hours=20), "email"),
            waivers=factories.WAIVED,
        ),
        now=now + timedelta(days=1),
    )
    assert factories.ask(uow, service.list_escalations, ListEscalations.parse()).total == 0
    assert (
        factories.ask(
            uow,
            service.list_escalations,
            ListEscalations.parse(include_closed=True),
        ).total
        == 1
    )
    types = [
        h.type for h in factories.ask(uow, service.escalation_history, EscalationHistory(esc.id))
    ]
    assert types == ["opened", "exit_criterion_waived", "closed"]


def test_a_partial_customer_agreement_is_refused_naming_the_missing_parts(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    with pytest.raises(RuleRefused) as refused:
        factories.act(uow, CloseEscalation(esc.id, agreement_from("Jo", None, None)), now=now)  # type: ignore[arg-type]
    assert [need.fields for need in refused.value.missing] == [("agreed_at",), ("agreed_via",)]


def test_list_limits_are_checked(uow: SqlUnitOfWork) -> None:
    with pytest.raises(InvalidInput) as error:
        factories.ask(
            uow,
            service.list_escalations,
            ListEscalations.parse(limit=0),
        )
    assert error.value.field == "limit"


def test_two_high_escalations_opened_at_once_on_one_account_both_open(
    engine: Engine, now: datetime
) -> None:
    """Meant as two (`also`), two openings at once on one account do not conflict."""
    setup = SqlUnitOfWork(engine)
    acct = add_account(setup, now=now)
    cmd = OpenEscalation.parse(
        account=acct.name,
        kind="account_escalation",
        severity="high",
        route="csm",
        summary="Checkout fails",
        initial_ask="A payments engineer",
        required_skills=["payments"],
        also=True,
    )
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def open_one() -> None:
        start.wait()
        try:
            factories.act(SqlUnitOfWork(engine), cmd, now=now)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    page = factories.ask(setup, service.list_escalations, ListEscalations.parse())
    assert page.total == 2
    shown = factories.ask(setup, accounts.show_account, accounts.ShowAccount(acct.name))
    assert shown.risk is not None and shown.risk.high_open == 2
