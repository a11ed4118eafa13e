"""Escalation use cases through the real store: owners by rule, severity moves, lists and due."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.errors import InvalidInput, RuleRefused
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import accounts
from escdesk.services import escalations as service
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import add_account, add_person, open_escalation, product_people


def test_r_esc_2_the_support_engineer_who_opens_a_medium_escalation_runs_it(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    engineer = add_person(uow, "support", now=now)
    esc = open_escalation(uow, now=now, by=engineer.email)
    assert esc.dri_id == engineer.id


def test_r_esc_2_a_high_escalation_is_run_by_the_accounts_csm_and_marks_it_at_risk(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    esc = open_escalation(uow, now=now, account=acct.name, severity="high")
    assert esc.dri_id == acct.csm_id
    assert accounts.show_account(uow, acct.name).account.sentiment == "at_risk"


def test_r_esc_2_naming_someone_else_than_the_csm_at_opening_is_refused(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    other = add_person(uow, "csm", now=now)
    with pytest.raises(RuleRefused) as refused:
        open_escalation(uow, now=now, account=acct.name, severity="critical", dri=other.email)
    assert refused.value.rule_id == "R-ESC-2"
    assert service.list_escalations(uow).total == 0


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
    service.change_severity(
        uow, esc.id, severity="high", reason="customer threatens to churn", now=now, policy=policy
    )
    detail = service.show_escalation(uow, esc.id)
    assert detail.escalation.dri_id == acct.csm_id
    change = detail.escalation.owner_changes[-1]
    assert "customer threatens to churn" in change.reason
    assert detail.account.sentiment == "at_risk"


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
        service.change_severity(
            uow, esc.id, severity="critical", reason="outage", now=now, policy=policy
        )
    service.change_severity(
        uow,
        esc.id,
        severity="critical",
        reason="outage",
        now=now,
        policy=policy,
        product_leader=product["plt"],
    )
    detail = service.show_escalation(uow, esc.id)
    assert detail.name_of(detail.escalation.product_leader_id) is not None
    assert detail.escalation.severity == "critical"


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
    page = service.list_escalations(uow)
    assert [i.id for i in page.items] == [urgent.id, quiet.id], "critical first"
    assert [i.id for i in service.list_escalations(uow, severity="medium").items] == [quiet.id]
    two_days = now + timedelta(days=2)
    overdue = service.list_escalations(uow, overdue_at=two_days)
    assert [i.id for i in overdue.items] == [urgent.id]
    service.post_update(uow, urgent.id, audience="internal", body="x", now=two_days, policy=policy)
    service.post_update(uow, urgent.id, audience="customer", body="y", now=two_days, policy=policy)
    assert service.list_escalations(uow, overdue_at=two_days).total == 0


def test_due_lists_what_falls_due_within_the_window_most_urgent_first(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    weekly = open_escalation(uow, now=now, account=acct.name)
    daily = open_escalation(uow, now=now, account=acct.name, severity="critical")
    soon = service.due_escalations(uow, now=now, within=timedelta(days=2))
    assert [i.id for i in soon.items] == [daily.id]
    later = service.due_escalations(uow, now=now, within=timedelta(days=8))
    assert {i.id for i in later.items} == {daily.id, weekly.id}


def test_closed_escalations_leave_the_board_but_not_the_history(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    service.close_escalation(
        uow,
        esc.id,
        now=now + timedelta(days=1),
        agreed_by="Jo, CTO",
        agreed_at=now + timedelta(hours=20),
        agreed_via="email",
    )
    assert service.list_escalations(uow).total == 0
    assert service.list_escalations(uow, include_closed=True).total == 1
    types = [h.type for h in service.escalation_history(uow, esc.id)]
    assert types == ["opened", "closed"]


def test_a_partial_customer_agreement_is_refused_naming_the_missing_parts(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    with pytest.raises(RuleRefused) as refused:
        service.close_escalation(uow, esc.id, now=now, agreed_by="Jo")  # type: ignore[arg-type]
    assert refused.value.missing == ["--agreed-at", "--agreed-via"]


def test_list_limits_are_checked(uow: SqlUnitOfWork) -> None:
    with pytest.raises(InvalidInput) as error:
        service.list_escalations(uow, limit=0)
    assert error.value.field == "limit"
